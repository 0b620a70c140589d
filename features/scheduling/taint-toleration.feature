# kube-scheduler's TaintToleration filter. The matching cases are those of
# k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go TestTaintTolerationFilter and
# k8s:staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint.
@epic:scheduling @feature:taint-toleration
Feature: Taints keep pods off nodes unless the pods tolerate them
  The platform team taints nodes that are reserved for one team, waiting for repair or built for special
  work, and counts on the scheduler to keep every other pod away. A toleration only opens the door when it
  matches the taint's key, value and effect the way Kubernetes matches them, so a small mistake in a
  toleration leaves a pod pending, and the FailedScheduling message is where the team finds out why.

  Rule: NoSchedule and NoExecute taints repel pods that do not tolerate them; PreferNoSchedule does not

    @severity:critical
    Scenario: a pod without tolerations stays off a NoSchedule node
      Given the nodes:
        | name   | taints                   |
        | node-1 | dedicated=gpu:NoSchedule |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: a NoExecute taint keeps new pods off as well
      Given the nodes:
        | name   | taints                     |
        | node-1 | maintenance=true:NoExecute |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: a PreferNoSchedule taint only discourages, it does not forbid
      Given the nodes:
        | name   | taints                           |
        | node-1 | dedicated=user1:PreferNoSchedule |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "node-1"

  Rule: a toleration must match the taint's key, value and effect

    Scenario Outline: <toleration> tolerates <taint>
      Given the nodes:
        | name   | taints  |
        | node-1 | <taint> |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: <toleration>
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "node-1"

      Examples: the operator defaults to Equal, which compares the values
        | taint                      | toleration                                                           |
        | dedicated=user1:NoSchedule | [{key: dedicated, value: user1, effect: NoSchedule}]                 |
        | dedicated=user1:NoExecute  | [{key: dedicated, operator: Equal, value: user1, effect: NoExecute}] |

      Examples: Exists matches any value, and a taint without a value
        | taint              | toleration                                         |
        | foo=bar:NoSchedule | [{key: foo, operator: Exists, effect: NoSchedule}] |
        | foo:NoSchedule     | [{key: foo, operator: Exists, effect: NoSchedule}] |

      Examples: a toleration without an effect matches every effect
        | taint              | toleration                                |
        | foo=bar:NoSchedule | [{key: foo, operator: Equal, value: bar}] |
        | foo=bar:NoExecute  | [{key: foo, operator: Exists}]            |

      Examples: an empty key with Exists matches every taint
        | taint                                    | toleration                               |
        | foo=bar:NoSchedule                       | [{operator: Exists, effect: NoSchedule}] |
        | node.kubernetes.io/unreachable:NoExecute | [{operator: Exists}]                     |

      Examples: every NoSchedule and NoExecute taint needs a toleration of its own
        | taint                                               | toleration                                                                                                              |
        | dedicated=user2:NoSchedule,foo=bar:NoSchedule       | [{key: dedicated, operator: Equal, value: user2, effect: NoSchedule}, {key: foo, operator: Exists, effect: NoSchedule}] |
        | dedicated=user2:NoSchedule,foo=bar:PreferNoSchedule | [{key: dedicated, operator: Equal, value: user2, effect: NoSchedule}]                                                   |

    Scenario Outline: <toleration> does not tolerate <taint>
      Given the nodes:
        | name   | taints  |
        | node-1 | <taint> |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: <toleration>
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

      Examples: the values differ
        | taint                      | toleration                                                            |
        | dedicated=user1:NoSchedule | [{key: dedicated, operator: Equal, value: user2, effect: NoSchedule}] |
        | foo=bar:NoSchedule         | [{key: foo, operator: Equal, effect: NoSchedule}]                     |

      Examples: the keys differ
        | taint              | toleration                                        |
        | foo=bar:NoSchedule | [{key: fo, operator: Exists, effect: NoSchedule}] |

      Examples: the effects differ
        | taint              | toleration                                                          |
        | foo=bar:NoSchedule | [{key: foo, operator: Equal, value: bar, effect: PreferNoSchedule}] |
        | foo=bar:NoExecute  | [{key: foo, operator: Equal, value: bar, effect: NoSchedule}]       |

      Examples: one of two taints is left untolerated
        | taint                                         | toleration                                                            |
        | dedicated=user2:NoSchedule,foo=bar:NoSchedule | [{key: dedicated, operator: Equal, value: user2, effect: NoSchedule}] |

  Rule: up to v1.33 the message names the first taint the pod does not tolerate; from v1.34 it does not

    Scenario: a v1.33 cluster names the taint with its value
      Given a Kubernetes v1.33 cluster
      And the nodes:
        | name   | taints                   |
        | node-1 | dedicated=gpu:NoSchedule |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: a v1.33 cluster prints a taint without a value with nothing after the colon
      Given a Kubernetes v1.33 cluster
      And the nodes:
        | name          | taints                                           |
        | control-plane | node-role.kubernetes.io/control-plane:NoSchedule |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: a v1.33 cluster names the first taint left untolerated, skipping the tolerated ones
      Given a Kubernetes v1.33 cluster
      And the nodes:
        | name   | taints                                                       |
        | node-1 | dedicated=gpu:NoSchedule,team=ml:NoSchedule,zone=b:NoExecute |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: dedicated, operator: Exists}]
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint {team: ml}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: nodes with different taints are counted apart on v1.33
      Given a Kubernetes v1.33 cluster
      And the nodes:
        | name   | taints                   |
        | node-1 | dedicated=gpu:NoSchedule |
        | node-2 | dedicated=db:NoSchedule  |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

    Scenario: nodes with different taints are counted together from v1.35
      Given a Kubernetes v1.35 cluster
      And the nodes:
        | name   | taints                   |
        | node-1 | dedicated=gpu:NoSchedule |
        | node-2 | dedicated=db:NoSchedule  |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/2 nodes are available: 2 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
