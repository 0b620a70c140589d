# TaintToleration's Filter reason (k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go):
# `node(s) had untolerated taint {key: value}` up to v1.33; v1.34 patch releases and v1.35 print
# `node(s) had untolerated taint(s)` (PR #134740, #135023).
@epic:scheduling @feature:taints-and-tolerations
Feature: The FailedScheduling message for an untolerated taint depends on the cluster version
  An SRE reading `kubectl describe pod` on a v1.33 cluster sees which taint kept the pod off a node; from
  v1.35 the message only says that some taint did.

  Rule: up to v1.33 the message names the first untolerated taint of the node

    Scenario Outline: v1.33 names the taint <taint>
      Given a Kubernetes v1.33 cluster
      And the nodes:
        | name | taints   |
        | n1   | <taints> |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint <taint>. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

      Examples:
        | taints                                                                 | taint                              |
        | dedicated=gpu:NoSchedule                                               | {dedicated: gpu}                   |
        | example.com/maintenance:NoSchedule                                     | {example.com/maintenance: }        |
        | team=ml:PreferNoSchedule, dedicated=gpu:NoSchedule, zone=lab:NoExecute | {dedicated: gpu}                   |

    Scenario: v1.33 counts the nodes of each taint apart
      Given a Kubernetes v1.33 cluster
      And the nodes:
        | name  | taints                   |
        | gpu-1 | dedicated=gpu:NoSchedule |
        | gpu-2 | dedicated=gpu:NoSchedule |
        | fpga  | dedicated=fpga:NoExecute |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is unschedulable with message "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: fpga}, 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
      And the events include:
        | type    | reason           | object  | message                                                                                                                                                                                                        |
        | Warning | FailedScheduling | pod/web | 0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: fpga}, 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling. |

  Rule: from v1.35 the message no longer names the taint

    Scenario: v1.35 counts every tainted node under one reason
      Given a Kubernetes v1.35 cluster
      And the nodes:
        | name  | taints                   |
        | gpu-1 | dedicated=gpu:NoSchedule |
        | gpu-2 | dedicated=gpu:NoSchedule |
        | fpga  | dedicated=fpga:NoExecute |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is unschedulable with message "0/3 nodes are available: 3 node(s) had untolerated taint(s). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
