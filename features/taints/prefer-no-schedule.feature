# PreferNoSchedule is a soft taint: TaintToleration's Filter ignores it, and its Score counts the
# PreferNoSchedule taints a pod does not tolerate, fewer being better
# (k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go; the S cases are those of
# taint_toleration_test.go TestTaintTolerationScore).
@epic:scheduling @feature:taints-and-tolerations
Feature: PreferNoSchedule steers pods without keeping them out
  An operator who wants a node emptied some day, but not at the cost of pending pods, taints it
  PreferNoSchedule: new pods avoid it while other nodes have room, and still use it when nothing else fits.

  Rule: pods prefer nodes without PreferNoSchedule taints they do not tolerate

    Scenario: new pods go to the untainted node
      Given the nodes:
        | name    | cpu | memory | taints                              |
        | retired | 4   | 8Gi    | lifecycle=retiring:PreferNoSchedule |
        | fresh   | 4   | 8Gi    |                                     |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-3}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
        """
      And the cluster reconciles
      Then the pods are placed as follows:
        | pod   | node  |
        | web-1 | fresh |
        | web-2 | fresh |
        | web-3 | fresh |

    Scenario: a pod goes to the tainted node when the untainted one is full
      Given the nodes:
        | name    | cpu | memory | taints                              |
        | retired | 4   | 8Gi    | lifecycle=retiring:PreferNoSchedule |
        | fresh   | 1   | 8Gi    |                                     |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          containers: [{name: job, image: busybox, resources: {requests: {cpu: "2"}}}]
        """
      And the cluster reconciles
      Then pod "batch" is scheduled on node "retired"

    Scenario: a pod goes to the tainted node when it is the only node
      Given the nodes:
        | name    | taints                              |
        | retired | lifecycle=retiring:PreferNoSchedule |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "retired"

    Scenario: S3 the node with fewer untolerated soft taints wins
      Given the nodes:
        | name | taints                                                          |
        | one  | cpu-type=arm64:PreferNoSchedule                                 |
        | two  | cpu-type=arm64:PreferNoSchedule, disk-type=hdd:PreferNoSchedule |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-3, labels: {app: web}}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then node "one" runs 3 pods
      And no pod matching "app=web" runs on node "two"

  Rule: a toleration for the soft taint removes the preference

    Scenario: S1 the pods prefer the node whose soft taint they tolerate
      Given the nodes:
        | name | taints                    |
        | a    | foo=bar:PreferNoSchedule  |
        | b    | foo=blah:PreferNoSchedule |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          tolerations: [{key: foo, operator: Equal, value: bar, effect: PreferNoSchedule}]
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          tolerations: [{key: foo, operator: Equal, value: bar, effect: PreferNoSchedule}]
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-3, labels: {app: web}}
        spec:
          tolerations: [{key: foo, operator: Equal, value: bar, effect: PreferNoSchedule}]
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then node "a" runs 3 pods
      And no pod matching "app=web" runs on node "b"

    Scenario: S4 a NoSchedule toleration does not count for a PreferNoSchedule taint
      Given the nodes:
        | name  | taints                          |
        | soft  | cpu-type=arm64:PreferNoSchedule |
        | plain |                                 |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: cpu-type, operator: Equal, value: arm64, effect: NoSchedule}]
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "plain"
