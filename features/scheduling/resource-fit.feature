# kube-scheduler's NodeResourcesFit filter (k8s:pkg/scheduler/framework/plugins/noderesources/fit.go
# fitsRequest) over the effective pod request of k8s:staging/src/k8s.io/component-helpers/resource/helpers.go
# PodRequests. The cases follow fit_test.go TestEnoughRequests, TestNotEnoughRequests and TestStorageRequests.
@epic:scheduling @feature:node-resources-fit
Feature: A pod goes only where its resource requests fit
  Capacity planning rests on one rule: the scheduler adds up the requests of the pods on a node and places a
  new pod only where its own requests still fit in the node's allocatable resources. Limits do not count,
  init containers count once at their largest, sidecars count for as long as they run, and a node that
  lacks an extended resource such as a GPU is simply too small for a pod that asks for one.

  Background:
    Given the nodes:
      | name   | cpu | memory | ephemeral-storage | pods |
      | node-1 | 2   | 4Gi    | 20Gi              | 110  |

  Rule: requests must fit in what the node has left, and a request equal to what is left fits

    @severity:critical
    Scenario: a pod asking for exactly the whole node fits
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "2", memory: 4Gi, ephemeral-storage: 20Gi}}}
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "node-1"

    @severity:critical
    Scenario: the requests of the pods already running count
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: cache}
        spec:
          containers:
            - {name: redis, image: redis, resources: {requests: {cpu: 1500m}}}
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
      Then pod "cache" is scheduled on node "node-1"
      And pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

    Scenario Outline: a pod asking for more <resource> than the node has stays pending
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {<resource>: <request>}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient <resource>. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

      Examples:
        | resource          | request |
        | cpu               | 2001m   |
        | memory            | 5Gi     |
        | ephemeral-storage | 25Gi    |

    Scenario: a container that sets only a limit requests that much
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {limits: {cpu: "3"}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

    Scenario: limits above the node's size do not matter when the requests fit
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "8", memory: 32Gi}}}
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "node-1"

  Rule: a node holds at most its allocatable number of pods, whatever they request

    Scenario: a third pod does not fit on a node that allows two
      Given the nodes:
        | name  | pods |
        | small | 2    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: one}
        spec:
          nodeSelector: {kubernetes.io/hostname: small}
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: two}
        spec:
          nodeSelector: {kubernetes.io/hostname: small}
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: three}
        spec:
          nodeSelector: {kubernetes.io/hostname: small}
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then node "small" runs 2 pods
      And pod "three" is unschedulable with message "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."

  Rule: extended resources are counted like cpu, and a node without the resource has none of it

    Background:
      Given the nodes:
        | name  | cpu | memory | nvidia.com/gpu |
        | gpu-1 | 16  | 64Gi   | 2              |

    Scenario: a training pod asking for a GPU goes to the node that has GPUs
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: trainer}
        spec:
          containers:
            - {name: train, image: pytorch, resources: {limits: {nvidia.com/gpu: 1}}}
        """
      When the cluster reconciles
      Then pod "trainer" is scheduled on node "gpu-1"

    Scenario: a pod asking for more GPUs than any node has stays pending; the node without GPUs counts as having none
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: trainer}
        spec:
          containers:
            - {name: train, image: pytorch, resources: {limits: {nvidia.com/gpu: 4}}}
        """
      When the cluster reconciles
      Then pod "trainer" is unschedulable with message "0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."

  Rule: init containers run one at a time, sidecars keep running beside the app

    Scenario: only the largest init container counts, not their sum
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
            - {name: migrate, image: flyway, resources: {requests: {cpu: "2"}}}
            - {name: warm-cache, image: busybox, resources: {requests: {cpu: "1"}}}
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1"}}}
        """
      When the cluster reconciles
      Then pod "web" is scheduled on node "node-1"

    Scenario: an init container larger than the node keeps the pod off it, however small the app is
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
            - {name: migrate, image: flyway, resources: {requests: {cpu: "3"}}}
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 100m}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

    Scenario: a sidecar's requests add to the app's
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
            - {name: proxy, image: envoy, restartPolicy: Always, resources: {requests: {cpu: "1"}}}
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 1500m}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

    Scenario: an init container that starts after a sidecar runs beside it
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
            - {name: proxy, image: envoy, restartPolicy: Always, resources: {requests: {cpu: 500m}}}
            - {name: migrate, image: flyway, resources: {requests: {cpu: 1600m}}}
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 500m}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

  Rule: a pod's overhead is added to its containers' requests

    # In a real cluster the RuntimeClass admission plugin copies spec.overhead from the pod's RuntimeClass
    # (and refuses a pod that sets it otherwise). kubespec has no RuntimeClass yet, so the pod is written as
    # that admission leaves it.
    Scenario: the sandbox overhead of a VM-isolated runtime tips the pod over the node's size
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          runtimeClassName: kata-fc
          overhead: {cpu: 250m, memory: 120Mi}
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: 1800m, memory: 1Gi}}}
        """
      When the cluster reconciles
      Then pod "web" is unschedulable with message "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
