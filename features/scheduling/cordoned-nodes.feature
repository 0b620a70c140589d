# kube-scheduler's NodeUnschedulable filter (k8s:pkg/scheduler/framework/plugins/nodeunschedulable/
# node_unschedulable.go) and the cordon taint of the node lifecycle controller
# (k8s:pkg/controller/nodelifecycle/node_lifecycle_controller.go doNoScheduleTaintingPass).
@epic:scheduling @feature:node-unschedulable
Feature: Cordoned nodes take no new pods
  Before a node is drained for maintenance the platform team cordons it, so that new pods go elsewhere
  while the pods already there keep running until they are moved on purpose. Node agents that must run
  everywhere, like DaemonSet pods, tolerate the cordon and still land.

  Background:
    Given the nodes:
      | name   | cpu | memory | unschedulable |
      | node-1 | 4   | 8Gi    | true          |
      | node-2 | 4   | 8Gi    | false         |

  Rule: the scheduler skips a cordoned node

    @severity:critical
    Scenario: a new pod goes to the node that is not cordoned
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "node-2"

    Scenario: a pod that may only run on the cordoned node stays pending
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

    Scenario: when every node is cordoned, nothing new is scheduled
      When I cordon node "node-2"
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is unschedulable with message "0/2 nodes are available: 2 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

    Scenario: cordoning a node leaves its running pods alone
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I cordon node "node-2"
      And the cluster reconciles
      Then node "node-2" has taint "node.kubernetes.io/unschedulable:NoSchedule"
      And pod "web" is scheduled on node "node-2"
      And pod "web" has phase "Running"

  Rule: a pod that tolerates the cordon taint may still land on a cordoned node

    Scenario: a node agent tolerating node.kubernetes.io/unschedulable runs on the cordoned node
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: log-agent}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          tolerations:
            - {key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}
          containers: [{name: fluent-bit, image: fluent-bit}]
        """
      When the cluster reconciles
      Then node "node-1" has taint "node.kubernetes.io/unschedulable:NoSchedule"
      And pod "log-agent" is scheduled on node "node-1"
