# kubectl drain (k8s:staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go, k8s:staging/src/k8s.io/kubectl/pkg/drain/
# drain.go and filters.go) against the Eviction API and the disruption budgets it honours.
@epic:workloads @feature:drain
Feature: Draining nodes for maintenance respects disruption budgets
  The platform team patches nodes one at a time with `kubectl drain`. They need to know which pods stop a drain,
  with kubectl's words, and that a drain waits, rather than breaks a service, when a budget says too few
  replicas would be left.

  Background:
    Given the nodes:
      | name   | cpu | memory |
      | node-1 | 4   | 16Gi   |
      | node-2 | 4   | 16Gi   |
      | node-3 | 4   | 16Gi   |

  Rule: a drain evicts through the Eviction API and waits while a budget refuses

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 20s}
            spec:
              containers: [{name: app, image: nginx}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          minAvailable: 2
          selector: {matchLabels: {app: web}}
        """
      And 1 minute passes

    @severity:critical
    Scenario: a Deployment of three with minAvailable 2 is drained node by node
      When I drain node "node-1"
      And the cluster reconciles
      Then the drain of node "node-1" is complete
      When I drain node "node-2"
      And the cluster reconciles
      Then the drain of node "node-2" is still waiting on 1 pod
      When 30 seconds pass
      Then the drain of node "node-2" is complete
      And node "node-3" runs 3 pods

    Scenario: the drain retries a refused eviction every 5 seconds until a replacement is ready
      When I drain node "node-1"
      And the cluster reconciles
      And I drain node "node-2"
      And 10 seconds pass
      Then the drain of node "node-2" is still waiting on 1 pod
      When 15 seconds pass
      Then the drain of node "node-2" is complete

    Scenario: a drain with a timeout gives up on a pod its budget protects
      When I drain node "node-1"
      And the cluster reconciles
      And I drain node "node-2" with "--timeout=10s"
      And 15 seconds pass
      Then the drain of node "node-2" failed with:
        """
        error: unable to drain node "node-2" due to error: error when evicting pods/"web-6cd56c45c5-rp9jp" -n "default": global timeout reached: 10s, continuing command...
        There are pending nodes to be drained:
         node-2
        error when evicting pods/"web-6cd56c45c5-rp9jp" -n "default": global timeout reached: 10s
        """
      And pod "web-6cd56c45c5-rp9jp" has phase "Running"

  Rule: pods kubectl cannot bring back stop the drain unless a flag says they may go

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: log-agent}
        spec:
          selector: {matchLabels: {app: log-agent}}
          template:
            metadata: {labels: {app: log-agent}}
            spec:
              containers: [{name: agent, image: fluent-bit}]
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: cache}
        spec:
          replicas: 1
          selector: {matchLabels: {app: cache}}
          template:
            metadata: {labels: {app: cache}}
            spec:
              nodeName: node-1
              containers: [{name: redis, image: redis}]
              volumes: [{name: scratch, emptyDir: {}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: debug}
        spec:
          nodeName: node-1
          containers: [{name: shell, image: busybox}]
        """
      And the cluster reconciles

    Scenario: a DaemonSet pod, a pod with an emptyDir and a pod without a controller refuse a plain drain
      When I drain node "node-1"
      Then the drain of node "node-1" failed with:
        """
        error: unable to drain node "node-1" due to error: [cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-hcl7g, cannot delete Pods declare no controller (use --force to override): default/debug, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/log-agent-c5rnc], continuing command...
        There are pending nodes to be drained:
         node-1
        cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-hcl7g
        cannot delete Pods declare no controller (use --force to override): default/debug
        cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/log-agent-c5rnc
        """
      And node "node-1" runs 3 pods

    Scenario: the flags let the drain evict local data and unmanaged pods and leave DaemonSet pods
      When I drain node "node-1" with "--ignore-daemonsets --delete-emptydir-data --force"
      And the cluster reconciles
      Then the drain of node "node-1" printed:
        """
        node/node-1 cordoned
        Warning: deleting Pods with local storage: default/cache-hcl7g; deleting Pods that declare no controller: default/debug; ignoring DaemonSet-managed Pods: default/log-agent-c5rnc
        evicting pod default/cache-hcl7g
        evicting pod default/debug
        pod/cache-hcl7g evicted
        pod/debug evicted
        node/node-1 drained
        """
      And the drain of node "node-1" is complete
      And pod "debug" no longer exists
