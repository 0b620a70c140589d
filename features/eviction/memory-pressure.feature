@epic:eviction @feature:node-pressure-eviction
Feature: A node low on memory evicts pods as the kubelet ranks them
  The kubelet's eviction manager watches memory.available: the node's capacity minus the working set of its pods
  and of the system (`kubespec.io/system-memory-usage` on the Node). Below the hard threshold (100Mi) the node
  reports MemoryPressure, is tainted node.kubernetes.io/memory-pressure:NoSchedule, and evicts one pod per pass:
  first pods using more than they requested, then by lower priority, then by how far above their request
  (k8s:pkg/kubelet/eviction/eviction_manager.go synchronize, helpers.go rankMemoryPressure, evictionMessage).
  The eviction manager looks every 10 seconds, and again a second after an evicted pod's containers are gone.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 4Gi    |
      | n2   | 8   | 4Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: best-effort
        annotations: {kubespec.io/memory-usage: 500Mi}
      spec:
        nodeName: n1
        containers: [{name: app, image: "nginx:1.27"}]
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: burstable
        annotations: {kubespec.io/memory-usage: 1Gi}
      spec:
        nodeName: n1
        containers:
          - name: app
            image: "nginx:1.27"
            resources: {requests: {memory: 512Mi}}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: guaranteed
        annotations: {kubespec.io/memory-usage: 1Gi}
      spec:
        nodeName: n1
        containers:
          - name: app
            image: "nginx:1.27"
            resources: {limits: {cpu: 500m, memory: 2Gi}}
      """
    And the cluster reconciles

  Rule: below the hard threshold the node reports pressure and evicts pods in the kubelet's order

    Scenario: A node under no pressure evicts nothing
      When 1 minute passes
      Then node "n1" has condition "MemoryPressure" set to "False"
      And pod "best-effort" has phase "Running"

    Scenario: The system's memory use pushes the node under the threshold
      When the system of node "n1" starts using 1500Mi of memory
      And the cluster reconciles
      Then node "n1" has condition "MemoryPressure" set to "True"
      And node "n1" has taint "node.kubernetes.io/memory-pressure:NoSchedule"
      And pod "burstable" was evicted with message "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48Mi. Container app was using 1Gi, request is 512Mi, has larger consumption of memory. "
      And pod "burstable" has condition "DisruptionTarget" with reason "TerminationByKubelet"
      And pod "best-effort" has phase "Running"
      And the events include:
        | type    | reason                    | object        | message                                                                                                                                                       |
        | Warning | EvictionThresholdMet      | node/n1       | Attempting to reclaim memory                                                                                                                                  |
        | Normal  | NodeHasInsufficientMemory | node/n1       | Node n1 status is now: NodeHasInsufficientMemory                                                                                                              |

    Scenario: Eviction goes on, one pod per pass, until the node is back above the threshold
      The burstable pod is 512Mi above its request, the BestEffort one 500Mi: the larger excess goes first. The
      Guaranteed pod uses less than it requested and stays.
      When the system of node "n1" starts using 2560Mi of memory
      And 5 seconds pass
      Then pod "burstable" was evicted with message "The node was low on resource: memory. Threshold quantity: 100Mi, available: -1012Mi. Container app was using 1Gi, request is 512Mi, has larger consumption of memory. "
      And pod "best-effort" was evicted with message "The node was low on resource: memory. Threshold quantity: 100Mi, available: 12Mi. Container app was using 500Mi, request is 0, has larger consumption of memory. "
      And pod "guaranteed" has phase "Running"
      And the events of node "n1" were:
        | time | type    | reason                    |
        | +0s  | Normal  | NodeHasInsufficientMemory |
        | +0s  | Warning | EvictionThresholdMet      |
        | +1s  | Warning | EvictionThresholdMet      |

    Scenario: Pressure is reported for five minutes after the last crossing
      When the system of node "n1" starts using 1500Mi of memory
      And 4 minutes pass
      Then node "n1" has condition "MemoryPressure" set to "True"
      When 2 minutes pass
      Then node "n1" has condition "MemoryPressure" set to "False"
      And node "n1" has no taint "node.kubernetes.io/memory-pressure:NoSchedule"

  Rule: a soft threshold evicts only after its grace period

    Scenario: A soft threshold of 1Gi with a grace period of 1m30s
      Given the rule set:
        """
        apiVersion: kubespec.io/v1
        kind: RuleSet
        metadata: {name: soft-memory}
        spec:
          decisionPoint: kubelet.eviction
          rules:
            - name: memory-available-soft
              conditions: {all: []}
              event:
                type: threshold
                params: {signal: memory.available, quantity: 1Gi, gracePeriod: 1m30s}
        """
      When the system of node "n1" starts using 1Gi of memory
      And 1 minute passes
      Then node "n1" has condition "MemoryPressure" set to "True"
      And pod "burstable" has phase "Running"
      When 30 seconds pass
      Then pod "burstable" was evicted with message "The node was low on resource: memory. Threshold quantity: 1Gi, available: 524Mi. Container app was using 1Gi, request is 512Mi, has larger consumption of memory. "
      And pod "best-effort" has phase "Running"

  Rule: a node under memory pressure takes no new pods that do not tolerate it

    Scenario: The scheduler keeps new pods off the pressured node
      When the system of node "n1" starts using 1500Mi of memory
      And the cluster reconciles
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: newcomer}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      Then pod "newcomer" is scheduled on node "n2"

    Scenario: The kubelet refuses a BestEffort pod bound to the pressured node
      When the system of node "n1" starts using 1500Mi of memory
      And the cluster reconciles
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: newcomer}
        spec:
          nodeName: n1
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      Then pod "newcomer" was evicted with message "Pod was rejected: The node had condition: [MemoryPressure]. "
