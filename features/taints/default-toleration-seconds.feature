# The DefaultTolerationSeconds admission plugin
# (k8s:plugin/pkg/admission/defaulttolerationseconds/admission.go, flags --default-not-ready-toleration-seconds
# and --default-unreachable-toleration-seconds, both 300) and the eviction it leads to
# (web:content/en/docs/concepts/scheduling-eviction/taint-and-toleration.md "Taint based Evictions").
@epic:eviction @feature:taints-and-tolerations
Feature: Every pod tolerates a failed node for five minutes
  When a node stops answering, the control plane taints it NoExecute. So that a short network blip does not
  throw every pod off the node, the API server gives each new pod a 300-second toleration for the
  not-ready and unreachable taints, unless the pod says how long it wants to wait itself.

  Rule: a new pod gets 300-second tolerations for not-ready and unreachable nodes

    Scenario: a pod without tolerations gets both
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then pod "web" tolerates "node.kubernetes.io/not-ready:NoExecute" for 300 seconds
      And pod "web" tolerates "node.kubernetes.io/unreachable:NoExecute" for 300 seconds
      And pod "web" has the tolerations:
        | key                            | operator | value | effect    | tolerationSeconds |
        | node.kubernetes.io/not-ready   | Exists   |       | NoExecute | 300               |
        | node.kubernetes.io/unreachable | Exists   |       | NoExecute | 300               |

    Scenario: the pod's own tolerations come first
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: trainer}
        spec:
          tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]
          containers: [{name: train, image: pytorch}]
        """
      Then pod "trainer" has the tolerations:
        | key                            | operator | value | effect     | tolerationSeconds |
        | dedicated                      | Equal    | gpu   | NoSchedule |                   |
        | node.kubernetes.io/not-ready   | Exists   |       | NoExecute  | 300               |
        | node.kubernetes.io/unreachable | Exists   |       | NoExecute  | 300               |

  Rule: a pod that already tolerates the taint keeps its own toleration

    Scenario: a pod that waits 60 seconds for an unreachable node keeps its 60 seconds
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations:
            - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
          containers: [{name: app, image: nginx}]
        """
      Then pod "web" has the tolerations:
        | key                            | operator | effect    | tolerationSeconds |
        | node.kubernetes.io/unreachable | Exists   | NoExecute | 60                |
        | node.kubernetes.io/not-ready   | Exists   | NoExecute | 300               |

    Scenario: a toleration without an effect counts as tolerating the NoExecute taint
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: node.kubernetes.io/not-ready, operator: Exists}]
          containers: [{name: app, image: nginx}]
        """
      Then pod "web" has the tolerations:
        | key                            | operator | effect    | tolerationSeconds |
        | node.kubernetes.io/not-ready   | Exists   |           |                   |
        | node.kubernetes.io/unreachable | Exists   | NoExecute | 300               |

    Scenario: a pod that tolerates every taint gets nothing added
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: node-exporter}
        spec:
          tolerations: [{operator: Exists}]
          containers: [{name: exporter, image: prom/node-exporter}]
        """
      Then pod "node-exporter" has the tolerations:
        | key | operator | effect | tolerationSeconds |
        |     | Exists   |        |                   |

  Rule: a pod on an unreachable node is evicted after 300 seconds

    # The node lifecycle controller would add the taint when the node stops posting its status; here the
    # operator adds it by hand.
    @severity:critical
    Scenario: the default toleration runs out
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
      When I taint node "n1" with "node.kubernetes.io/unreachable:NoExecute"
      And the cluster reconciles
      And 299 seconds pass
      Then pod "web" has phase "Running"
      When 1 second passes
      Then the events include:
        | type   | reason               | object  | message                              |
        | Normal | TaintManagerEviction | pod/web | Marking for deletion Pod default/web |
      And pod "web" no longer exists

    Scenario: a pod that tolerates unreachable nodes for ever stays
      Given the nodes:
        | name | cpu | memory |
        | n1   | 4   | 8Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: node-agent}
        spec:
          tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]
          containers: [{name: agent, image: fluent-bit}]
        """
      And the cluster reconciles
      When I taint node "n1" with "node.kubernetes.io/unreachable:NoExecute"
      And the cluster reconciles
      And 1 hour passes
      Then pod "node-agent" has phase "Running"

    Scenario: the default tolerations let a new pod onto a node tainted unreachable, for five minutes
      Given the nodes:
        | name | cpu | memory | taints                                   |
        | n1   | 4   | 8Gi    | node.kubernetes.io/unreachable:NoExecute |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "n1"
      When 299 seconds pass
      Then pod "web" has phase "Running"
      When 1 second passes
      Then pod "web" no longer exists
