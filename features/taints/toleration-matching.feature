# The matching rules of Toleration.ToleratesTaint (k8s:staging/src/k8s.io/api/core/v1/toleration.go), shown
# with real pods and nodes. Examples named T are the cases of toleration_test.go TestTolerationToleratesTaint,
# those named F the cases of k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
# TestTaintTolerationFilter; the comparison operators Lt and Gt are alpha and left out.
@epic:scheduling @feature:taints-and-tolerations
Feature: Which tolerations match which taints
  A cluster operator taints a node to keep pods off it, and a team adds a toleration to the pods that may
  still go there. Whether a toleration matches is decided by its key, operator, value and effect; getting
  one of them wrong keeps the pod pending, so the rules are worth seeing one case at a time.

  Rule: a pod may go to a node when each of the node's NoSchedule and NoExecute taints is tolerated

    Scenario Outline: <case>
      Given the nodes:
        | name | taints   |
        | n1   | <taints> |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [<tolerations>]
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "n1"

      Examples: operator Exists matches any value of the key
        | case                                         | taints             | tolerations                                      |
        | T1 Exists tolerates a taint with no value    | foo:NoSchedule     | {key: foo, operator: Exists, effect: NoSchedule} |
        | T2, F4 Exists tolerates a taint with a value | foo=bar:NoSchedule | {key: foo, operator: Exists, effect: NoSchedule} |

      Examples: an empty key with operator Exists matches every key
        | case                                      | taints                                      | tolerations                            |
        | T3 empty key, Exists, same effect         | foo=bar:NoSchedule                          | {operator: Exists, effect: NoSchedule} |
        | empty key and effect tolerate every taint | dedicated=gpu:NoSchedule, foo=bar:NoExecute | {operator: Exists}                     |

      Examples: operator Equal (or no operator) needs the same value
        | case                         | taints                     | tolerations                                                 |
        | T4 Equal with the same value | foo=bar:NoSchedule         | {key: foo, operator: Equal, value: bar, effect: NoSchedule} |
        | F2 no operator means Equal   | dedicated=user1:NoSchedule | {key: dedicated, value: user1, effect: NoSchedule}          |

      Examples: an empty effect matches every effect
        | case                                         | taints             | tolerations                             |
        | F7 Equal without an effect, NoSchedule taint | foo=bar:NoSchedule | {key: foo, operator: Equal, value: bar} |
        | Exists without an effect, NoExecute taint    | foo=bar:NoExecute  | {key: foo, operator: Exists}            |

      Examples: every taint must be tolerated, each by any one toleration
        | case                           | taints                                         | tolerations                                                                                                           |
        | F5 two taints, two tolerations | dedicated=user2:NoSchedule, foo=bar:NoSchedule | {key: dedicated, operator: Equal, value: user2, effect: NoSchedule}, {key: foo, operator: Exists, effect: NoSchedule} |

      Examples: PreferNoSchedule taints do not filter
        | case                                                | taints                           | tolerations                                                         |
        | F8 a soft taint with a toleration for another value | dedicated=user1:PreferNoSchedule | {key: dedicated, operator: Equal, value: user2, effect: NoSchedule} |
        | F9 a soft taint and no toleration                   | dedicated=user1:PreferNoSchedule |                                                                     |

  Rule: a taint that no toleration matches keeps the pod pending

    Scenario Outline: <case>
      Given the nodes:
        | name | taints   |
        | n1   | <taints> |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [<tolerations>]
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

      Examples: a different value
        | case                        | taints                     | tolerations                                                         |
        | T5 Equal with another value | foo=value2:NoSchedule      | {key: foo, operator: Equal, value: value1, effect: NoSchedule}      |
        | F3 Equal with another value | dedicated=user1:NoSchedule | {key: dedicated, operator: Equal, value: user2, effect: NoSchedule} |

      Examples: a different effect
        | case                                                    | taints             | tolerations                                                       |
        | T6 a NoSchedule toleration for a NoExecute taint        | foo=bar:NoExecute  | {key: foo, operator: Equal, value: bar, effect: NoSchedule}       |
        | F6 a PreferNoSchedule toleration for a NoSchedule taint | foo=bar:NoSchedule | {key: foo, operator: Equal, value: bar, effect: PreferNoSchedule} |

      Examples: a different key, or no toleration at all
        | case                         | taints                                         | tolerations                                                         |
        | F1 no toleration             | dedicated=user1:NoSchedule                     |                                                                     |
        | a toleration for another key | dedicated=user1:NoSchedule                     | {key: team, operator: Exists}                                       |
        | one of two taints tolerated  | dedicated=user2:NoSchedule, foo=bar:NoSchedule | {key: dedicated, operator: Equal, value: user2, effect: NoSchedule} |
