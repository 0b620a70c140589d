# The FailedScheduling message, byte for byte: k8s:pkg/scheduler/framework/types.go FitError.Error (test
# TestFitError_Error), the filter order of k8s:pkg/scheduler/framework/runtime/framework.go RunFilterPlugins,
# and the preemption part of k8s:pkg/scheduler/framework/preemption/preemption.go. The outcomes are those of
# k8s:pkg/scheduler/schedule_one.go handleSchedulingFailure and finishBinding.
@epic:scheduling @feature:failed-scheduling
Feature: A pending pod says exactly why no node took it
  When a pod stays Pending, `kubectl describe pod` is where an engineer looks first. The FailedScheduling
  event and the PodScheduled condition count, node by node, the reason that kept each node out, and then
  say whether evicting lower-priority pods could help. Runbooks and alerts match on these messages, so
  kubespec must print them exactly as kube-scheduler does.

  Rule: a pod that fits nowhere is marked unschedulable and a warning event says why

    @severity:critical
    Scenario: the pod condition and the event carry the same message
      Given the nodes:
        | name   | cpu | memory |
        | node-1 | 2   | 4Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "3"}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
      And pod "web" has phase "Pending"
      And the events include:
        | type    | reason           | object  | message                                                                                                                           |
        | Warning | FailedScheduling | pod/web | 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod. |

    Scenario: a pod that fits is assigned and the scheduler says so
      Given the nodes:
        | name   | cpu | memory |
        | node-1 | 2   | 4Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "shop/web" is scheduled on node "node-1"
      And the events include:
        | type   | reason    | object       | message                                  |
        | Normal | Scheduled | pod/shop/web | Successfully assigned shop/web to node-1 |

    Scenario: with no nodes at all, the scheduler says there are none
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "no nodes available to schedule pods"

  Rule: each node counts once, with the reasons of the first filter that rejects it

    Scenario: a node that is both tainted and too small reports only the taint
      Given the nodes:
        | name  | cpu | memory | taints                   |
        | gpu-1 | 1   | 2Gi    | dedicated=gpu:NoSchedule |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "2"}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: a cordoned node reports the cordon, not the taint the cordon adds
      Given the nodes:
        | name   | cpu | memory | unschedulable |
        | node-1 | 2   | 4Gi    | true          |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then node "node-1" has taint "node.kubernetes.io/unschedulable:NoSchedule"
      And pod "web" is unschedulable with message "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

    Scenario: one node too small in two ways gives two reasons
      Given the nodes:
        | name   | cpu | memory |
        | node-1 | 2   | 4Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "3", memory: 6Gi}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

  Rule: the counts are sorted as text, so "10 ..." comes before "2 ..."

    Scenario: ten tainted nodes are listed before two small ones
      Given the nodes:
        | name      | cpu | memory | taints                    |
        | gpu-01    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | gpu-02    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | gpu-03    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | gpu-04    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | gpu-05    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | gpu-06    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | gpu-07    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | gpu-08    | 16  | 64Gi   | dedicated=gpu:NoSchedule  |
        | infra-01  | 16  | 64Gi   | dedicated=infra:NoExecute |
        | infra-02  | 16  | 64Gi   | dedicated=infra:NoExecute |
        | general-1 | 4   | 8Gi    |                           |
        | general-2 | 4   | 8Gi    |                           |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: analytics}
        spec:
          containers:
            - {name: app, image: spark, resources: {requests: {memory: 12Gi}}}
        """
      When the cluster reconciles
      Then pod "analytics" is unschedulable with message "0/12 nodes are available: 10 node(s) had untolerated taint(s), 2 Insufficient memory. preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."

  Rule: the preemption part says whether evicting lower-priority pods could make room

    Background:
      Given the manifests:
        """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: batch}
        value: 100
        description: Batch jobs that may be evicted for more important work.
        ---
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: online}
        value: 10000
        description: Services that answer users.
        """

    Scenario: a node where only a taint stands in the way cannot be helped by preemption
      Given the nodes:
        | name   | cpu | memory | taints                   |
        | node-1 | 2   | 4Gi    | dedicated=gpu:NoSchedule |
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

    Scenario: a full node whose pods are all as important finds no victims
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
            - {name: app, image: api, resources: {requests: {cpu: 1500m}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1"}}}
        """
      And the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

    Scenario: a node still too small without its lower-priority pods repeats its own reason
      Given the nodes:
        | name   | cpu | memory |
        | node-1 | 2   | 4Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: report}
        spec:
          priorityClassName: batch
          containers:
            - {name: job, image: spark, resources: {requests: {cpu: 500m}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          priorityClassName: online
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      Then pod "report" is scheduled on node "node-1"
      And pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu."
