# Pod priority and preemption: the Priority admission plugin (k8s:plugin/pkg/admission/priority/admission.go),
# DefaultPreemption (k8s:pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go) and the
# shared evaluator (k8s:pkg/scheduler/framework/preemption/preemption.go: SelectVictimsOnNode,
# pickOneNodeForPreemption, prepareCandidate); web:content/en/docs/concepts/scheduling-eviction/pod-priority-preemption.md.
@epic:scheduling @feature:preemption
Feature: Important pods make room by evicting less important ones
  When the cluster is full, the checkout service must still start, even if a nightly batch job has to go.
  PriorityClasses say which pods matter more; the scheduler evicts only strictly less important pods, as few
  as it can, on the node where that hurts least, and records what it did so that the batch team can see why
  their job was stopped.

  Background:
    Given the nodes:
      | name   | cpu | memory |
      | node-1 | 4   | 8Gi    |
    And the manifests:
      """
      apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: batch}
      value: 100
      description: Batch jobs; they may be evicted for more important work.
      ---
      apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: reports}
      value: 1000
      description: Internal reports.
      ---
      apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: checkout}
      value: 1000000
      description: Revenue-critical services.
      ---
      apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: checkout-no-preemption}
      value: 1000000
      preemptionPolicy: Never
      description: Revenue-critical services that wait rather than evict anybody.
      """

  Rule: a pod that fits nowhere evicts lower-priority pods to make room

    @severity:critical
    Scenario: the checkout service evicts a batch job and takes its place
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: nightly-etl}
        spec:
          priorityClassName: batch
          containers:
            - {name: etl, image: spark, resources: {requests: {cpu: "3", memory: 4Gi}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: checkout}
        spec:
          priorityClassName: checkout
          containers:
            - {name: app, image: checkout, resources: {requests: {cpu: "2", memory: 2Gi}}}
        """
      And the cluster reconciles
      Then pod "nightly-etl" no longer exists
      And pod "nightly-etl" was deleted with condition "DisruptionTarget" reason "PreemptionByScheduler"
      And pod "nightly-etl" was preempted by pod "checkout" on node "node-1"
      And pod "checkout" was nominated to node "node-1"
      And pod "checkout" is scheduled on node "node-1"
      And the events include:
        | type    | reason           | object       | message                                          |
        | Warning | FailedScheduling | pod/checkout | 0/1 nodes are available: 1 Insufficient cpu.     |
        | Normal  | Scheduled        | pod/checkout | Successfully assigned default/checkout to node-1 |

    Scenario: only as many pods are evicted as needed, the least important first
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: nightly-etl}
        spec:
          priorityClassName: batch
          containers:
            - {name: etl, image: spark, resources: {requests: {cpu: "2"}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: weekly-report}
        spec:
          priorityClassName: reports
          containers:
            - {name: report, image: jupyter, resources: {requests: {cpu: "2"}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: checkout}
        spec:
          priorityClassName: checkout
          containers:
            - {name: app, image: checkout, resources: {requests: {cpu: "2"}}}
        """
      And the cluster reconciles
      Then pod "nightly-etl" no longer exists
      And pod "weekly-report" is scheduled on node "node-1"
      And pod "checkout" is scheduled on node "node-1"

    Scenario: of two nodes, the one whose victims matter least is chosen
      Given the nodes:
        | name   | cpu | memory |
        | node-2 | 4   | 8Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: weekly-report}
        spec:
          priorityClassName: reports
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers:
            - {name: report, image: jupyter, resources: {requests: {cpu: "3"}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: nightly-etl}
        spec:
          priorityClassName: batch
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers:
            - {name: etl, image: spark, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: checkout}
        spec:
          priorityClassName: checkout
          containers:
            - {name: app, image: checkout, resources: {requests: {cpu: "2"}}}
        """
      And the cluster reconciles
      Then pod "nightly-etl" was preempted by pod "checkout" on node "node-2"
      And pod "weekly-report" is scheduled on node "node-1"
      And pod "checkout" is scheduled on node "node-2"

  Rule: only strictly lower priority can be preempted

    Scenario: a pod of the same priority is not evicted
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: checkout-1}
        spec:
          priorityClassName: checkout
          containers:
            - {name: app, image: checkout, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: checkout-2}
        spec:
          priorityClassName: checkout
          containers:
            - {name: app, image: checkout, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      Then pod "checkout-1" is scheduled on node "node-1"
      And pod "checkout-2" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

    Scenario: a pod without a priority class does not evict one that has a positive priority
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: nightly-etl}
        spec:
          priorityClassName: batch
          containers:
            - {name: etl, image: spark, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "2"}}}
        """
      And the cluster reconciles
      Then pod "nightly-etl" is scheduled on node "node-1"
      And pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

  Rule: a priority class with preemptionPolicy Never waits instead of evicting

    Scenario: a non-preempting pod stays pending and says why
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: nightly-etl}
        spec:
          priorityClassName: batch
          containers:
            - {name: etl, image: spark, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: checkout}
        spec:
          priorityClassName: checkout-no-preemption
          containers:
            - {name: app, image: checkout, resources: {requests: {cpu: "2"}}}
        """
      And the cluster reconciles
      Then pod "nightly-etl" is scheduled on node "node-1"
      And pod "checkout" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."

    Scenario: a non-preempting pod still goes ahead of lower-priority pods in the queue
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: nightly-etl}
        spec:
          priorityClassName: batch
          containers:
            - {name: etl, image: spark, resources: {requests: {cpu: "3"}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: checkout}
        spec:
          priorityClassName: checkout-no-preemption
          containers:
            - {name: app, image: checkout, resources: {requests: {cpu: "3"}}}
        """
      When the cluster reconciles
      Then pod "checkout" is scheduled on node "node-1"
      And pod "nightly-etl" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
