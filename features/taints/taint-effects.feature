# The hard taint effects (web:content/en/docs/concepts/scheduling-eviction/taint-and-toleration.md): the
# scheduler's TaintToleration filter (k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go)
# and the taint-eviction controller (k8s:pkg/controller/tainteviction/taint_eviction.go).
@epic:scheduling @feature:taints-and-tolerations
Feature: What NoSchedule and NoExecute do
  An operator chooses the effect of a taint by how hard it must push: NoSchedule keeps new pods away from
  a node, NoExecute also throws out the pods already running there.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 8Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, labels: {app: web}}
      spec:
        containers: [{name: app, image: nginx}]
      """
    And the cluster reconciles

  Rule: NoSchedule keeps new pods off the node and leaves running pods alone

    Scenario: a new pod does not go to a node tainted NoSchedule
      When I taint node "n1" with "maintenance=planned:NoSchedule"
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "api" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: a pod already running stays on a node tainted NoSchedule
      When I taint node "n1" with "maintenance=planned:NoSchedule"
      And the cluster reconciles
      And 1 hour passes
      Then pod "web" is scheduled on node "n1"
      And pod "web" has phase "Running"

  Rule: NoExecute keeps new pods off and evicts running pods that do not tolerate it, at once

    Scenario: a new pod does not go to a node tainted NoExecute
      When I taint node "n1" with "maintenance=now:NoExecute"
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "api" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    @severity:critical
    Scenario: a running pod that does not tolerate the NoExecute taint is evicted
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      Then the events include:
        | type   | reason               | object  | message                              |
        | Normal | TaintManagerEviction | pod/web | Marking for deletion Pod default/web |
      And pod "web" no longer exists

    Scenario: a running pod that tolerates the NoExecute taint stays
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent}
        spec:
          tolerations: [{key: maintenance, operator: Exists, effect: NoExecute}]
          containers: [{name: agent, image: fluent-bit}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      And 1 hour passes
      Then pod "agent" is scheduled on node "n1"
      And pod "agent" has phase "Running"

    Scenario: a NoSchedule toleration does not protect a pod from a NoExecute taint
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent}
        spec:
          tolerations: [{key: maintenance, operator: Exists, effect: NoSchedule}]
          containers: [{name: agent, image: fluent-bit}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      Then the events include:
        | reason               | object    | message                                |
        | TaintManagerEviction | pod/agent | Marking for deletion Pod default/agent |
      And pod "agent" no longer exists

    Scenario: an evicted pod in another namespace is named with its namespace
      Given the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cart, namespace: shop}
        spec:
          containers: [{name: app, image: cart}]
        """
      And the cluster reconciles
      When I taint node "n1" with "maintenance=now:NoExecute"
      And the cluster reconciles
      Then the events include:
        | reason               | object        | message                            |
        | TaintManagerEviction | pod/shop/cart | Marking for deletion Pod shop/cart |
      And pod "shop/cart" no longer exists
