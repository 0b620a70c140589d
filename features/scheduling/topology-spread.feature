# kube-scheduler's PodTopologySpread plugin (k8s:pkg/scheduler/framework/plugins/podtopologyspread/filtering.go
# and scoring.go): a DoNotSchedule constraint filters out nodes where the pod would make its domain hold more than
# maxSkew matching pods above the least loaded domain; ScheduleAnyway constraints, and the system defaults for
# pods a Service or a controller selects (hostname maxSkew 3, zone maxSkew 5, plugin.go systemDefaultConstraints),
# score the emptier domains higher (weight 2).
@epic:scheduling @feature:topology-spread
Feature: Replicas spread over zones and nodes
  A service survives the loss of a zone only if its replicas are not all in it. Teams declare how unevenly
  their pods may be spread over zones or nodes, hard or as a preference, and Deployments get spread over nodes
  even when nobody asked. The scheduler keeps the skew within bounds and says why when it cannot.

  Background:
    Given the nodes:
      | name    | labels                             |
      | node-a1 | topology.kubernetes.io/zone=zone-a |
      | node-a2 | topology.kubernetes.io/zone=zone-a |
      | node-b1 | topology.kubernetes.io/zone=zone-b |

  Rule: DoNotSchedule keeps the skew within maxSkew

    @severity:critical
    Scenario: the next replica goes to the zone that has fewer
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector: {matchLabels: {app: web}}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web-2" is scheduled on node "node-b1"

    Scenario: a replica the only zone with room cannot take without too much skew stays pending
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: nginx, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-b1}
          containers:
            - {name: spark, image: spark, resources: {requests: {cpu: "4"}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector: {matchLabels: {app: web}}
          containers:
            - {name: nginx, image: nginx, resources: {requests: {cpu: 100m}}}
        """
      And the cluster reconciles
      Then pod "web-2" is unschedulable with message "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."

    Scenario: with fewer zones than minDomains, each zone takes no more than maxSkew replicas
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: nginx, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-b1}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-3, labels: {app: web}}
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              minDomains: 3
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector: {matchLabels: {app: web}}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web-3" is unschedulable with message "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."

    Scenario: a node without the topology label cannot take a pod spread over that label
      Given the nodes:
        | name    | labels |
        | node-x1 |        |
      And I cordon node "node-a1"
      And I cordon node "node-a2"
      And I cordon node "node-b1"
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector: {matchLabels: {app: web}}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is unschedulable with message "0/4 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), 3 node(s) were unschedulable. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."

    Scenario: only nodes matching the pod's node affinity count as domains
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector: {matchLabels: {app: web}}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web-2" is scheduled on one of the nodes "node-a1, node-a2"

  Rule: ScheduleAnyway prefers the emptier domains without refusing any

    Background:
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: nginx, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-b1}
          containers:
            - {name: spark, image: spark, resources: {requests: {cpu: "2", memory: 4Gi}}}
        """
      And the cluster reconciles

    Scenario: a replica goes to the zone with fewer replicas, busier as its node is
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: ScheduleAnyway
              labelSelector: {matchLabels: {app: web}}
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web-2" is scheduled on node "node-b1"

    Scenario: a replica still lands when the emptier zone has no room
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: ScheduleAnyway
              labelSelector: {matchLabels: {app: web}}
          containers:
            - {name: nginx, image: nginx, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      Then pod "web-2" is scheduled on node "node-a2"

  Rule: the system default spreads the pods of controllers and Services over nodes and zones

    Scenario: a Deployment's replicas spread over a big and a small node instead of piling on the big one
      Given the nodes:
        | name  | cpu | memory |
        | big   | 64  | 256Gi  |
        | small | 4   | 16Gi   |
      And I cordon node "node-a1"
      And I cordon node "node-a2"
      And I cordon node "node-b1"
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: nginx, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}
        """
      And the cluster reconciles
      Then node "big" runs 1 pod
      And node "small" runs 1 pod

    Scenario: bare pods with no Service selecting them are not spread by default
      Given the nodes:
        | name  | cpu | memory |
        | big   | 64  | 256Gi  |
        | small | 4   | 16Gi   |
      And I cordon node "node-a1"
      And I cordon node "node-a2"
      And I cordon node "node-b1"
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          containers:
            - {name: nginx, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          containers:
            - {name: nginx, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}
        """
      And the cluster reconciles
      Then node "big" runs 2 pods

    Scenario: bare pods a Service selects are spread by default
      Given the nodes:
        | name  | cpu | memory |
        | big   | 64  | 256Gi  |
        | small | 4   | 16Gi   |
      And I cordon node "node-a1"
      And I cordon node "node-a2"
      And I cordon node "node-b1"
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          containers:
            - {name: nginx, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          containers:
            - {name: nginx, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}
        """
      And the cluster reconciles
      Then node "big" runs 1 pod
      And node "small" runs 1 pod
