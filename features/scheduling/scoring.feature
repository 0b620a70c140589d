# kube-scheduler's default scores and their weights (k8s:pkg/scheduler/apis/config/v1/default_plugins.go):
# NodeResourcesFit LeastAllocated ×1 (noderesources/least_allocated.go), NodeResourcesBalancedAllocation ×1
# (noderesources/balanced_allocation.go), TaintToleration ×3 (tainttoleration/taint_toleration.go) and
# NodeAffinity ×2 (nodeaffinity/node_affinity.go), each normalised to 0–100 before weighting; the host is
# the highest total, ties broken at random (k8s:pkg/scheduler/schedule_one.go selectHost).
@epic:scheduling @feature:scoring
Feature: Among the nodes that fit, the scheduler picks the best
  Filters say where a pod may go; scores decide where it does go. By default the scheduler spreads pods
  over the emptiest nodes, prefers nodes whose cpu and memory stay in balance, steers clear of nodes with
  PreferNoSchedule taints and honours preferred node affinity by weight. The platform team relies on these
  preferences to predict where replicas land and how evenly the fleet fills up.

  Rule: LeastAllocated favours the node with the most room left

    Background:
      Given the nodes:
        | name   | cpu | memory |
        | node-1 | 4   | 8Gi    |
        | node-2 | 4   | 8Gi    |

    @severity:critical
    Scenario: a pod goes to the emptier of two nodes
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers:
            - {name: job, image: spark, resources: {requests: {cpu: "2", memory: 2Gi}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}}}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-2"

    Scenario: two replicas created together are spread over two equal nodes
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}}}
        """
      When the cluster reconciles
      Then node "node-1" runs 1 pod
      And node "node-2" runs 1 pod

    Scenario: a pod without requests still counts as 100m cpu and 200Mi memory when nodes are compared
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: sidecar-less}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers: [{name: app, image: busybox}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-2"

  Rule: BalancedAllocation favours the node whose cpu and memory would be used evenly

    Background:
      Given the nodes:
        | name   | cpu | memory |
        | node-1 | 4   | 8Gi    |
        | node-2 | 4   | 8Gi    |

    Scenario: of two equally full nodes, the one left in balance wins
      # After placing web, node-1 would be 75% cpu / 37.5% memory used and node-2 50% / 62.5%: LeastAllocated
      # scores both 43, BalancedAllocation scores node-1 81 and node-2 93.
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: compute}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers:
            - {name: job, image: ffmpeg, resources: {requests: {cpu: "2", memory: 2Gi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cache}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers:
            - {name: redis, image: redis, resources: {requests: {cpu: "1", memory: 4Gi}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}}}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-2"

  Rule: TaintToleration steers pods away from PreferNoSchedule taints they do not tolerate

    Background:
      Given the nodes:
        | name   | cpu | memory | taints                     |
        | node-1 | 4   | 8Gi    | spot=true:PreferNoSchedule |
        | node-2 | 4   | 8Gi    |                            |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers:
            - {name: job, image: spark, resources: {requests: {cpu: "1", memory: 1Gi}}}
        """
      And the cluster reconciles

    Scenario: a pod avoids the soft-tainted node even when it is the emptier one
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 500m, memory: 512Mi}}}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-2"

    Scenario: a pod that tolerates the soft taint goes to the emptier node
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: spot, operator: Equal, value: "true", effect: PreferNoSchedule}]
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 500m, memory: 512Mi}}}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-1"

    Scenario: a toleration of the NoSchedule effect does not count for a PreferNoSchedule taint
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations: [{key: spot, operator: Exists, effect: NoSchedule}]
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 500m, memory: 512Mi}}}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-2"

  Rule: preferred node affinity adds the weights of the terms a node matches

    Background:
      Given the nodes:
        | name   | cpu | memory | labels                                            |
        | zone-a | 4   | 8Gi    | topology.kubernetes.io/zone=a,disktype=ssd,gpu=t4 |
        | zone-b | 4   | 8Gi    | topology.kubernetes.io/zone=b                     |

    Scenario: the node matching the heavier preference wins
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          affinity:
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 80
                  preference:
                    matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [b]}]
                - weight: 20
                  preference:
                    matchExpressions: [{key: disktype, operator: In, values: [ssd]}]
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "zone-b"

    Scenario: two lighter preferences together outweigh one heavier
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          affinity:
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 50
                  preference:
                    matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [b]}]
                - weight: 30
                  preference:
                    matchExpressions: [{key: disktype, operator: In, values: [ssd]}]
                - weight: 30
                  preference:
                    matchExpressions: [{key: gpu, operator: Exists}]
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "zone-a"

    Scenario: a preference is not a requirement: a preferred node without room is passed over
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: resident}
        spec:
          nodeSelector: {kubernetes.io/hostname: zone-b}
          containers:
            - {name: app, image: redis, resources: {requests: {cpu: "2"}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          affinity:
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  preference:
                    matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [b]}]
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      Then pod "resident" is scheduled on node "zone-b"
      And pod "web" is scheduled on node "zone-a"

  Rule: a tie among equally good nodes is broken at random, reproducibly for a given random seed

    Scenario: a pod facing equal nodes lands on one of them
      Given the nodes:
        | name   | cpu | memory |
        | node-1 | 4   | 8Gi    |
        | node-2 | 4   | 8Gi    |
        | node-3 | 4   | 8Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on one of the nodes "node-1, node-2, node-3"

    Scenario Outline: with the random seed <seed> the tie goes to <node>
      Given the random seed <seed>
      And the nodes:
        | name   | cpu | memory |
        | node-1 | 4   | 8Gi    |
        | node-2 | 4   | 8Gi    |
        | node-3 | 4   | 8Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "<node>"

      Examples:
        | seed | node   |
        | 1    | node-1 |
        | 2    | node-2 |
        | 12   | node-3 |
