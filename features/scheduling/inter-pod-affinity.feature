# kube-scheduler's InterPodAffinity plugin (k8s:pkg/scheduler/framework/plugins/interpodaffinity/filtering.go and
# scoring.go): required pod affinity and anti-affinity filter nodes by the pods already running in the node's
# topology domain (its node, its zone, …), the anti-affinity of running pods applies to newcomers too, and
# preferred terms score nodes (weight 2, normalised between the lowest and the highest node).
@epic:scheduling @feature:inter-pod-affinity
Feature: Pods placed next to, or away from, other pods
  Teams co-locate chatty services with the pods they talk to and keep replicas of the same service apart, so
  that one node or zone going down does not take every replica with it. The scheduler places a pod by the
  pods already running in the node's domain, and says why when no node qualifies.

  Background:
    Given the nodes:
      | name    | labels                             |
      | node-a1 | topology.kubernetes.io/zone=zone-a |
      | node-a2 | topology.kubernetes.io/zone=zone-a |
      | node-b1 | topology.kubernetes.io/zone=zone-b |

  Rule: required anti-affinity keeps a pod away from the pods it names

    @severity:critical
    Scenario: replicas that must not share a node take one node each, and the one too many stays pending
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: cache-1, labels: {app: cache}}
        spec:
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: cache}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: redis, image: redis}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cache-2, labels: {app: cache}}
        spec:
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: cache}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: redis, image: redis}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cache-3, labels: {app: cache}}
        spec:
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: cache}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: redis, image: redis}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cache-4, labels: {app: cache}}
        spec:
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: cache}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: redis, image: redis}]
        """
      When the cluster reconciles
      Then node "node-a1" runs 1 pod
      And node "node-a2" runs 1 pod
      And node "node-b1" runs 1 pod
      And pod "cache-4" is unschedulable with message "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."

    Scenario: anti-affinity by zone keeps a pod out of the whole zone of the pod it avoids
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: db}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: postgres, image: postgres}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: backup}
        spec:
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: db}}
                  topologyKey: topology.kubernetes.io/zone
          containers: [{name: restic, image: restic}]
        """
      And the cluster reconciles
      Then pod "backup" is scheduled on node "node-b1"

  Rule: required affinity brings a pod to the domain of the pods it names

    Scenario: a pod with affinity by zone goes to the zone of the pod it follows
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: db}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a2}
          containers: [{name: postgres, image: postgres}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: db}}
                  topologyKey: topology.kubernetes.io/zone
          containers: [{name: api, image: api}]
        """
      And the cluster reconciles
      Then pod "api" is scheduled on one of the nodes "node-a1, node-a2"

    Scenario: a pod with affinity by hostname goes to the node of the pod it follows
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: db}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a2}
          containers: [{name: postgres, image: postgres}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: exporter}
        spec:
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: db}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: exporter, image: postgres-exporter}]
        """
      And the cluster reconciles
      Then pod "exporter" is scheduled on node "node-a2"

    @severity:critical
    Scenario: a pod whose affinity names no running pod stays pending, and preemption cannot help
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: exporter}
        spec:
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: db}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: exporter, image: postgres-exporter}]
        """
      When the cluster reconciles
      Then pod "exporter" is unschedulable with message "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."

    Scenario: the pod a follower waits for arrives, and the follower joins it
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: exporter}
        spec:
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: db}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: exporter, image: postgres-exporter}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: db}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-b1}
          containers: [{name: postgres, image: postgres}]
        """
      And the cluster reconciles
      Then pod "exporter" is scheduled on node "node-b1"

    Scenario: the first pod of a group with affinity to its own kind is scheduled, and the next one joins its zone
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: worker-1, labels: {app: worker}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-b1}
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: worker}}
                  topologyKey: topology.kubernetes.io/zone
          containers: [{name: worker, image: worker}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: worker-2, labels: {app: worker}}
        spec:
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: worker}}
                  topologyKey: topology.kubernetes.io/zone
          containers: [{name: worker, image: worker}]
        """
      And the cluster reconciles
      Then pod "worker-1" is scheduled on node "node-b1"
      And pod "worker-2" is scheduled on node "node-b1"

    Scenario: affinity to pods of another namespace names that namespace by its labels
      Given the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: data, labels: {team: data}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db, namespace: data, labels: {app: db}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: postgres, image: postgres}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: exporter}
        spec:
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: db}}
                  namespaceSelector: {matchLabels: {team: data}}
                  topologyKey: kubernetes.io/hostname
          containers: [{name: exporter, image: postgres-exporter}]
        """
      And the cluster reconciles
      Then pod "exporter" is scheduled on node "node-a1"

  Rule: the anti-affinity of running pods applies to the pods that come after them

    Scenario: a running pod that wants no web pod beside it keeps web pods off its node
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: web}}
                  topologyKey: topology.kubernetes.io/zone
          containers: [{name: spark, image: spark}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-b1"

    Scenario: a newcomer that every running pod's anti-affinity rejects stays pending, though preemption might help
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: batch-a}
        spec:
          nodeSelector: {topology.kubernetes.io/zone: zone-a}
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: web}}
                  topologyKey: topology.kubernetes.io/zone
          containers: [{name: spark, image: spark}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: batch-b}
        spec:
          nodeSelector: {topology.kubernetes.io/zone: zone-b}
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: web}}
                  topologyKey: topology.kubernetes.io/zone
          containers: [{name: spark, image: spark}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          containers: [{name: nginx, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web" is unschedulable with message "0/3 nodes are available: 3 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."

  Rule: preferred terms steer the choice among the nodes that fit

    Background:
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: db}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-b1}
          containers:
            - {name: postgres, image: postgres, resources: {requests: {cpu: "2", memory: 4Gi}}}
        """
      And the cluster reconciles

    Scenario: preferred affinity draws a pod to its peer's node, busier as it is
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          affinity:
            podAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  podAffinityTerm:
                    labelSelector: {matchLabels: {app: db}}
                    topologyKey: kubernetes.io/hostname
          containers: [{name: api, image: api}]
        """
      And the cluster reconciles
      Then pod "api" is scheduled on node "node-b1"

    Scenario: preferred anti-affinity sends a pod out of the zone it avoids, to the busier node
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: quiet, labels: {app: quiet}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-a1}
          containers: [{name: app, image: app}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: noisy}
        spec:
          affinity:
            podAntiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 50
                  podAffinityTerm:
                    labelSelector: {matchLabels: {app: quiet}}
                    topologyKey: topology.kubernetes.io/zone
          containers: [{name: load, image: load}]
        """
      And the cluster reconciles
      Then pod "noisy" is scheduled on node "node-b1"
