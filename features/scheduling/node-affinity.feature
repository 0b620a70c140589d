# kube-scheduler's NodeAffinity filter and PreFilter (k8s:pkg/scheduler/framework/plugins/nodeaffinity/
# node_affinity.go) over the selector semantics of k8s:staging/src/k8s.io/component-helpers/scheduling/corev1/
# nodeaffinity/nodeaffinity.go; the messages are FitError's (k8s:pkg/scheduler/framework/types.go).
@epic:scheduling @feature:node-affinity
Feature: Pods choose their nodes by label with nodeSelector and node affinity
  Teams pin workloads to the hardware and zones they need: databases to SSD nodes, batch jobs away from a
  zone being drained, DaemonSet pods to one node each. The platform team must be able to predict exactly
  which nodes a selector admits, because a selector that admits none leaves the pod pending for good.

  Background:
    Given the nodes:
      | name   | labels                                                       |
      | node-a | topology.kubernetes.io/zone=eu-west-1a,disktype=ssd,cores=8  |
      | node-b | topology.kubernetes.io/zone=eu-west-1b,disktype=hdd,cores=16 |
      | node-c | topology.kubernetes.io/zone=eu-west-1c,gpu=true,cores=32     |

  Rule: a nodeSelector admits only the nodes carrying every label it names

    @severity:critical
    Scenario: a database asking for SSD lands on the SSD node
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          nodeSelector: {disktype: ssd}
          containers: [{name: postgres, image: postgres:17}]
        """
      When the cluster reconciles
      Then pod "db" is scheduled on node "node-a"

    Scenario: a nodeSelector that no node satisfies leaves the pod pending
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          nodeSelector: {disktype: ssd, topology.kubernetes.io/zone: eu-west-1b}
          containers: [{name: postgres, image: postgres:17}]
        """
      When the cluster reconciles
      Then pod "db" is unschedulable with message "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."

  Rule: required node affinity terms are ORed, the expressions inside one term are ANDed

    Scenario: a node matching the second term is enough
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: report}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions: [{key: disktype, operator: In, values: [nvme]}]
                  - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1c]}]
          containers: [{name: app, image: busybox}]
        """
      When the cluster reconciles
      Then pod "report" is scheduled on node "node-c"

    Scenario: a node must satisfy every expression of a term
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: report}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a, eu-west-1b]}
                      - {key: disktype, operator: In, values: [hdd]}
          containers: [{name: app, image: busybox}]
        """
      When the cluster reconciles
      Then pod "report" is scheduled on node "node-b"

    Scenario: nodeSelector and node affinity must both be satisfied
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: report}
        spec:
          nodeSelector: {disktype: ssd}
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1b]}]
          containers: [{name: app, image: busybox}]
        """
      When the cluster reconciles
      Then pod "report" is unschedulable with message "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."

  Rule: each operator selects nodes as Kubernetes defines it

    Scenario Outline: <operator> on <key> picks <node>
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: job}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions: [{key: <key>, operator: <operator>, values: <values>}]
          containers: [{name: app, image: busybox}]
        """
      When the cluster reconciles
      Then pod "job" is scheduled on node "<node>"

      Examples:
        | operator | key                         | values                   | node   |
        | In       | disktype                    | [ssd]                    | node-a |
        | NotIn    | topology.kubernetes.io/zone | [eu-west-1a, eu-west-1b] | node-c |
        | Exists   | gpu                         | []                       | node-c |
        | Gt       | cores                       | ["20"]                   | node-c |
        | Lt       | cores                       | ["10"]                   | node-a |

    Scenario: NotIn and DoesNotExist admit nodes that lack the label
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: job}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: disktype, operator: DoesNotExist}
                      - {key: gpu, operator: NotIn, values: ["false"]}
          containers: [{name: app, image: busybox}]
        """
      When the cluster reconciles
      Then pod "job" is scheduled on node "node-c"

    Scenario: Gt and Lt bound a range together
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: job}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: cores, operator: Gt, values: ["8"]}
                      - {key: cores, operator: Lt, values: ["32"]}
          containers: [{name: app, image: busybox}]
        """
      When the cluster reconciles
      Then pod "job" is scheduled on node "node-b"

  Rule: matchFields on metadata.name narrows the candidates before filtering, as DaemonSet pods are pinned

    Scenario: a pod pinned by name goes to that node
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchFields: [{key: metadata.name, operator: In, values: [node-b]}]
          containers: [{name: agent, image: fluent-bit}]
        """
      When the cluster reconciles
      Then pod "agent" is scheduled on node "node-b"

    Scenario: the nodes left out by name are reported together, apart from the pinned node's own reason
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchFields: [{key: metadata.name, operator: In, values: [node-b]}]
          containers:
            - name: agent
              image: fluent-bit
              resources: {requests: {cpu: "8"}}
        """
      When the cluster reconciles
      Then pod "agent" is unschedulable with message "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."

    Scenario: a pod pinned to a node that does not exist fits nowhere
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchFields: [{key: metadata.name, operator: In, values: [node-z]}]
          containers: [{name: agent, image: fluent-bit}]
        """
      When the cluster reconciles
      Then pod "agent" is unschedulable with message "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."

    Scenario: names that no term can satisfy together fail before any node is looked at
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchFields:
                      - {key: metadata.name, operator: In, values: [node-a]}
                      - {key: metadata.name, operator: In, values: [node-b]}
          containers: [{name: agent, image: fluent-bit}]
        """
      When the cluster reconciles
      Then pod "agent" is unschedulable with message "0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
