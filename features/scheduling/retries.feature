# kube-scheduler's scheduling queue (k8s:pkg/scheduler/backend/queue/scheduling_queue.go): an unschedulable
# pod is moved back for another attempt when the cluster changes in a way that may help
# (MoveAllToActiveOrBackoffQueue); it still owes its backoff (1s, doubling up to 10s), but since v1.33 an idle
# scheduler pops it from the backoff queue at once (SchedulerPopFromBackoffQ, active_queue.go unlockedPop).
@epic:scheduling @feature:scheduling-retries
Feature: A pending pod is scheduled as soon as the cluster makes room
  A pod that fits nowhere is not forgotten: the scheduler tries again whenever a node joins, a pod goes
  away, a node is uncordoned or a taint is lifted. An on-call engineer fixing capacity should see the
  waiting pods start right after the fix, without anyone recreating them.

  Background:
    Given the nodes:
      | name   | cpu | memory |
      | node-1 | 2   | 4Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: api}
      spec:
        containers:
          - {name: app, image: api, resources: {requests: {cpu: 1500m, memory: 1Gi}}}
      """
    And the cluster reconciles

  Rule: a new node is tried at once

    @severity:critical
    Scenario: a pod waiting for capacity lands on a node added later
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}}}
        """
      And the cluster reconciles
      And pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Node
        metadata:
          name: node-2
          labels: {node.kubernetes.io/instance-type: m5.large}
        status:
          capacity: {cpu: "2", memory: 8Gi, pods: "110"}
          allocatable: {cpu: 1930m, memory: 7Gi, pods: "110"}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-2"
      And pod "web" has phase "Running"

  Rule: freed room is used at once

    Scenario: deleting a pod makes room for the one waiting
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}}}
        """
      And the cluster reconciles
      And pod "web" is not scheduled
      When I delete pod "api"
      And the cluster reconciles
      Then pod "api" no longer exists
      And pod "web" is scheduled on node "node-1"

  Rule: lifting a cordon or a taint lets the waiting pods in

    Scenario: uncordoning the node schedules the pod that was waiting
      Given I cordon node "node-1"
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      And pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
      When I uncordon node "node-1"
      And the cluster reconciles
      Then node "node-1" has no taint "node.kubernetes.io/unschedulable:NoSchedule"
      And pod "web" is scheduled on node "node-1"

    Scenario: removing the taint schedules the pod that was waiting
      Given I taint node "node-1" with "maintenance=kernel-upgrade:NoSchedule"
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      And pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
      When I remove the taint "maintenance:NoSchedule" from node "node-1"
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-1"

  Rule: a pod that nothing has helped is tried again after five minutes at the latest

    # podMaxInUnschedulablePodsDuration is 5 minutes; kube-scheduler checks for such pods every 30 seconds.
    Scenario: the scheduler tells again why the pod is still pending
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      When 6 minutes pass
      Then pod "web" is not scheduled
      And the events include:
        | type    | reason           | object  | count | message                                                                                                                           |
        | Warning | FailedScheduling | pod/web | 2     | 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod. |
