@epic:lifecycle @feature:node-failure
Feature: Pods leave a node that stops responding
  A node whose kubelet stops renewing its lease turns Unknown once the node monitor grace period (50s) has
  passed, is tainted node.kubernetes.io/unreachable, and its pods are evicted when their tolerationSeconds (300s,
  added by the DefaultTolerationSeconds admission plugin) run out. The kubelet renews its lease every 10 seconds
  and the node lifecycle controller looks every 5 seconds, both from the cluster's start: a node that stops at
  the start is seen Unknown at +55s, the first look more than 50s after the last renewal it saw
  (k8s:pkg/controller/nodelifecycle/node_lifecycle_controller.go monitorNodeHealth).

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 16Gi   |
      | n2   | 4   | 16Gi   |
      | n3   | 4   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        nodeName: n1
        containers: [{name: app, image: "nginx:1.27"}]
      """
    And the cluster reconciles

  Rule: a silent node turns Unknown, is tainted unreachable, and loses its pods after their tolerationSeconds

    Scenario: The node turns Unknown after the node monitor grace period
      When node "n1" stops responding
      And 50 seconds pass
      Then node "n1" has condition "Ready" set to "True"
      When 5 seconds pass
      Then node "n1" has condition "Ready" set to "Unknown"
      And node "n1" has condition "MemoryPressure" set to "Unknown"
      And node "n1" has taint "node.kubernetes.io/unreachable:NoExecute"
      And node "n1" has taint "node.kubernetes.io/unreachable:NoSchedule"
      And pod "web" is not ready
      And the events include:
        | type    | reason       | object  | message                             |
        | Normal  | NodeNotReady | node/n1 | Node n1 status is now: NodeNotReady |
        | Warning | NodeNotReady | pod/web | Node is not ready                   |

    Scenario: The pods are evicted when their tolerationSeconds run out, and stay Terminating
      When node "n1" stops responding
      And 5 minutes pass
      Then pod "web" has phase "Running"
      When 55 seconds pass
      Then pod "web" is terminating
      And pod "web" has condition "DisruptionTarget" with reason "DeletionByTaintManager"

    Scenario: A node that comes back is untainted and finishes its pods' termination
      When node "n1" stops responding
      And 6 minutes pass
      And node "n1" comes back
      And the cluster reconciles
      Then node "n1" has condition "Ready" set to "True"
      And node "n1" has no taint "node.kubernetes.io/unreachable:NoExecute"
      And node "n1" has no taint "node.kubernetes.io/unreachable:NoSchedule"
      And pod "web" no longer exists
      And the events include:
        | type   | reason    | object  | message                          |
        | Normal | NodeReady | node/n1 | Node n1 status is now: NodeReady |

  Rule: a node that reports not ready is tainted not-ready

    Scenario: A node whose network plugin is not ready
      When node "n1" becomes not ready
      And 5 seconds pass
      Then node "n1" has condition "Ready" set to "False"
      And node "n1" has taint "node.kubernetes.io/not-ready:NoSchedule"
      And node "n1" has taint "node.kubernetes.io/not-ready:NoExecute"

  Rule: when every node is down the controller assumes the control plane is cut off and evicts nothing

    Scenario: Every node stops responding
      When node "n1" stops responding
      And node "n2" stops responding
      And node "n3" stops responding
      And 10 minutes pass
      Then node "n1" has condition "Ready" set to "Unknown"
      And node "n1" has no taint "node.kubernetes.io/unreachable:NoExecute"
      And pod "web" has phase "Running"
