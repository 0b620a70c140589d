# A pod created with spec.nodeName is never queued by kube-scheduler (k8s:pkg/scheduler/eventhandlers.go
# addAllEventHandlers: the unassigned-pod informer only takes pods without a node); the kubelet of that node
# runs it (web:content/en/docs/concepts/scheduling-eviction/assign-pod-node.md, "nodeName").
@epic:scheduling @feature:node-name
Feature: A pod that names its node bypasses the scheduler
  Debugging tools and node-bound helpers sometimes set spec.nodeName themselves. The scheduler never sees
  such a pod: cordons, NoSchedule taints and scores do not apply, and no Scheduled event is recorded. The
  platform team needs to know, because it is a way around every scheduling policy they write.

  @severity:critical
  Scenario: a pod naming a cordoned, tainted node runs there anyway
    Given the nodes:
      | name   | cpu | memory | taints                   | unschedulable |
      | node-1 | 4   | 8Gi    |                          |               |
      | node-2 | 4   | 8Gi    | dedicated=gpu:NoSchedule | true          |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: debug}
      spec:
        nodeName: node-2
        containers: [{name: shell, image: busybox, command: [sleep, infinity]}]
      """
    When the cluster reconciles
    Then pod "debug" is scheduled on node "node-2"
    And pod "debug" has phase "Running"
    And no "Scheduled" event was recorded for pod "debug"

  Scenario: a pod naming a busy node goes there, though the scheduler would have chosen the idle one
    Given the nodes:
      | name   | cpu | memory |
      | node-1 | 4   | 8Gi    |
      | node-2 | 4   | 8Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: busy}
      spec:
        nodeSelector: {kubernetes.io/hostname: node-1}
        containers:
          - {name: app, image: nginx, resources: {requests: {cpu: "3", memory: 6Gi}}}
      """
    And the cluster reconciles
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: debug}
      spec:
        nodeName: node-1
        containers:
          - {name: shell, image: busybox, resources: {requests: {cpu: 500m, memory: 512Mi}}}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
          - {name: app, image: nginx, resources: {requests: {cpu: 500m, memory: 512Mi}}}
      """
    And the cluster reconciles
    Then the pods are placed as follows:
      | pod   | node   |
      | busy  | node-1 |
      | debug | node-1 |
      | web   | node-2 |
    And the events include:
      | type   | reason    | object  | message                                     |
      | Normal | Scheduled | pod/web | Successfully assigned default/web to node-2 |
    And no "Scheduled" event was recorded for pod "debug"
