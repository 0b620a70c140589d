# kubectl cordon sets spec.unschedulable; the node lifecycle controller mirrors it as the
# node.kubernetes.io/unschedulable:NoSchedule taint
# (k8s:pkg/controller/nodelifecycle/node_lifecycle_controller.go doNoScheduleTaintingPass), and the scheduler's
# NodeUnschedulable filter keeps new pods off (k8s:pkg/scheduler/framework/plugins/nodeunschedulable/).
@epic:scheduling @feature:cordon
Feature: Cordoning a node stops new pods from landing on it
  Before a node goes into maintenance, its operator cordons it: the pods already there keep running, and
  new pods go elsewhere or wait. Uncordoning it opens it again.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 8Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx}]
      """
    And the cluster reconciles

  Rule: a cordoned node carries the unschedulable taint and takes no new pods

    Scenario: the node lifecycle controller taints the cordoned node
      When I cordon node "n1"
      Then node "n1" has no taint "node.kubernetes.io/unschedulable:NoSchedule"
      When the cluster reconciles
      Then node "n1" has taint "node.kubernetes.io/unschedulable:NoSchedule"

    @severity:critical
    Scenario: a new pod waits and says why
      When I cordon node "n1"
      And the cluster reconciles
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "api" is unschedulable with message "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
      And the events include:
        | type    | reason           | object  | message                                                                                                                                 |
        | Warning | FailedScheduling | pod/api | 0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling. |

    Scenario: a new pod goes to another node
      Given the nodes:
        | name | cpu | memory |
        | n2   | 4   | 8Gi    |
      When I cordon node "n1"
      And the cluster reconciles
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "api" is scheduled on node "n2"

    Scenario: the pods already on the node keep running
      When I cordon node "n1"
      And the cluster reconciles
      And 1 hour passes
      Then pod "web" is scheduled on node "n1"
      And pod "web" has phase "Running"

    Scenario: a pod that tolerates the unschedulable taint may still go there
      When I cordon node "n1"
      And the cluster reconciles
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: log-agent}
        spec:
          tolerations: [{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}]
          containers: [{name: agent, image: fluent-bit}]
        """
      And the cluster reconciles
      Then pod "log-agent" is scheduled on node "n1"

  Rule: uncordoning removes the taint and lets waiting pods in

    Scenario: the waiting pod is scheduled once the node is uncordoned
      When I cordon node "n1"
      And the cluster reconciles
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "api" is not scheduled
      When I uncordon node "n1"
      And the cluster reconciles
      Then node "n1" has no taint "node.kubernetes.io/unschedulable:NoSchedule"
      And pod "api" is scheduled on node "n1"
      And pod "api" has phase "Running"
