# tolerationSeconds and the taint-eviction controller (k8s:pkg/controller/tainteviction/taint_eviction.go
# processPodOnNode, getMinTolerationTime; k8s:pkg/apis/core/v1/helper/helpers.go GetMatchingTolerations).
@epic:eviction @feature:taints-and-tolerations
Feature: A pod may stay on a NoExecute node for its tolerationSeconds
  A pod that tolerates a NoExecute taint for a while keeps running on the tainted node for that long and
  is evicted then, unless the taint goes first. This gives a cache time to drain, or a flaky node time to
  come back, without keeping pods on a broken node for ever.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 8Gi    |

  Rule: the pod is evicted when its tolerationSeconds have passed since the taint was seen

    @severity:critical
    Scenario: a pod tolerating the taint for 60 seconds is evicted after 60 seconds
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 59 seconds pass
      Then pod "web" has phase "Running"
      When 1 second passes
      Then the events include:
        | type   | reason               | object  | message                              |
        | Normal | TaintManagerEviction | pod/web | Marking for deletion Pod default/web |
      And pod "web" no longer exists

    Scenario: with two tainted keys the smallest tolerationSeconds wins
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations:
            - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 600}
            - {key: network, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And I taint node "n1" with "network=flaky:NoExecute"
      And the cluster reconciles
      And 59 seconds pass
      Then pod "web" has phase "Running"
      When 1 second passes
      Then pod "web" no longer exists

    Scenario: only the first toleration that matches a taint counts
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations:
            - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 600}
            - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 599 seconds pass
      Then pod "web" has phase "Running"
      When 1 second passes
      Then pod "web" no longer exists

    Scenario: a second taint does not restart the clock
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{operator: Exists, effect: NoExecute, tolerationSeconds: 60}]
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 30 seconds pass
      And I taint node "n1" with "network=flaky:NoExecute"
      And the cluster reconciles
      And 30 seconds pass
      Then pod "web" no longer exists

    Scenario: a later taint with a shorter toleration does not bring the eviction forward
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations:
            - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
            - {key: network, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 30 seconds pass
      And I taint node "n1" with "network=flaky:NoExecute"
      And the cluster reconciles
      And 29 seconds pass
      Then pod "web" has phase "Running"
      When 1 second passes
      Then pod "web" no longer exists

    Scenario: tolerationSeconds of 0 means the pod is evicted at once
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 0}]
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      Then pod "web" no longer exists

  Rule: removing the taint in time cancels the eviction

    Scenario: the taint goes before the time is up and the pod survives
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 30 seconds pass
      And I remove the taint "maintenance:NoExecute" from node "n1"
      And the cluster reconciles
      And 1 hour passes
      Then the events include:
        | type   | reason               | object  | message                                |
        | Normal | TaintManagerEviction | pod/web | Cancelling deletion of Pod default/web |
      And pod "web" is scheduled on node "n1"
      And pod "web" has phase "Running"

    Scenario: a taint the pod does not tolerate replaces the pending eviction with one at once
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 600}]
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 10 seconds pass
      And I taint node "n1" with "disk=failing:NoExecute"
      And the cluster reconciles
      Then the events include:
        | reason               | object  | message                                |
        | TaintManagerEviction | pod/web | Cancelling deletion of Pod default/web |
        | TaintManagerEviction | pod/web | Marking for deletion Pod default/web   |
      And pod "web" no longer exists

  Rule: a toleration without tolerationSeconds tolerates the taint for ever

    Scenario: the pod is still running a day later
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: node-agent}
        spec:
          tolerations: [{key: maintenance, operator: Exists, effect: NoExecute}]
          containers: [{name: agent, image: fluent-bit}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 24 hours pass
      Then pod "node-agent" is scheduled on node "n1"
      And pod "node-agent" has phase "Running"
