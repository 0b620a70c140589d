# DaemonSets as the DaemonSet controller runs them (k8s:pkg/controller/daemon/daemon_controller.go, update.go,
# util/daemonset_util.go): one pod per node that should run one, pinned to it by node affinity and bound by the
# default scheduler, with the tolerations Kubernetes adds to every daemon pod; pods and ControllerRevisions are
# claimed by selector (getDaemonPods, controlledHistories).
@epic:workloads @feature:daemonsets
Feature: DaemonSets run one pod on every node that should have one
  The platform team ships logs and metrics with node agents. They need to know which nodes get an agent (tainted,
  cordoned, labelled, new and removed nodes), that a failing node keeps its agent, and how a new agent version
  rolls over the fleet.

  Background:
    Given the nodes:
      | name | cpu | memory | labels         | taints                   | unschedulable |
      | n1   | 4   | 16Gi   | pool=general   |                          |               |
      | n2   | 4   | 16Gi   | pool=general   |                          |               |
      | gpu  | 8   | 32Gi   | pool=gpu       | dedicated=gpu:NoSchedule |               |
      | old  | 4   | 16Gi   | pool=general   |                          | true          |

  Rule: a pod goes to every node whose labels and taints admit it, cordoned nodes included

    @severity:critical
    Scenario: the agent runs on every node it tolerates, and on the cordoned one
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: kube-system}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And the cluster reconciles
      Then daemon set "kube-system/agent" runs a pod on nodes "n1, n2, old"
      And node "gpu" runs no pod of daemon set "kube-system/agent"
      And daemonset "kube-system/agent" has these fields:
        | field                         | value  |
        | status.desiredNumberScheduled | 3      |
        | status.currentNumberScheduled | 3      |
        | status.numberReady            | 3      |
        | status.numberAvailable        | 3      |
        | status.updatedNumberScheduled | 3      |
        | status.numberMisscheduled     | 0      |
        | status.numberUnavailable      | <none> |

    Scenario: a toleration in the template lets the agent onto the tainted node
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And the cluster reconciles
      Then daemon set "agent" runs a pod on every node

    Scenario: a node selector narrows the agent to one pool
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: gpu-exporter}
        spec:
          selector: {matchLabels: {app: gpu-exporter}}
          template:
            metadata: {labels: {app: gpu-exporter}}
            spec:
              nodeSelector: {pool: gpu}
              tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]
              containers: [{name: exporter, image: "nvidia/dcgm-exporter:3.3"}]
        """
      And the cluster reconciles
      Then daemon set "gpu-exporter" runs a pod on nodes "gpu"
      And daemonset "gpu-exporter" has these fields:
        | field                         | value |
        | status.desiredNumberScheduled | 1     |

    Scenario: each daemon pod is pinned to its node and carries the daemon tolerations
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And the cluster reconciles
      Then the pod of daemon set "agent" for node "n2" has these fields:
        | field                                       | value                                                                                                                  |
        | spec.affinity.nodeAffinity                  | {"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]}]}} |
        | spec.nodeName                               | n2                                                                                                                     |
        | spec.tolerations[0]                         | {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"}                                        |
        | spec.tolerations[1]                         | {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute"}                                      |
        | spec.tolerations[2]                         | {"key":"node.kubernetes.io/disk-pressure","operator":"Exists","effect":"NoSchedule"}                                   |
        | spec.tolerations[3]                         | {"key":"node.kubernetes.io/memory-pressure","operator":"Exists","effect":"NoSchedule"}                                 |
        | spec.tolerations[4]                         | {"key":"node.kubernetes.io/pid-pressure","operator":"Exists","effect":"NoSchedule"}                                    |
        | spec.tolerations[5]                         | {"key":"node.kubernetes.io/unschedulable","operator":"Exists","effect":"NoSchedule"}                                   |
        | spec.tolerations[6]                         | <none>                                                                                                                 |
        | metadata.labels[pod-template-generation]    | 1                                                                                                                      |
        | metadata.ownerReferences[0].kind            | DaemonSet                                                                                                              |

    Scenario: a host-network agent also tolerates an unavailable network
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: cni}
        spec:
          selector: {matchLabels: {app: cni}}
          template:
            metadata: {labels: {app: cni}}
            spec:
              hostNetwork: true
              containers: [{name: cni, image: "calico/node:v3.28"}]
        """
      And the cluster reconciles
      Then the pod of daemon set "cni" for node "n1" has these fields:
        | field               | value                                                                                     |
        | spec.tolerations[6] | {"key":"node.kubernetes.io/network-unavailable","operator":"Exists","effect":"NoSchedule"} |

  Rule: a node the agent may not run on loses it, unless only new pods are kept away

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And the cluster reconciles

    Scenario: a NoExecute taint the agent does not tolerate removes its pod
      When I taint node "n2" with "maintenance=true:NoExecute"
      And the cluster reconciles
      Then node "n2" runs no pod of daemon set "agent"
      And daemon set "agent" runs a pod on nodes "n1, old"

    Scenario: a NoSchedule taint added later leaves the running agent where it is
      When I taint node "n2" with "maintenance=true:NoSchedule"
      And the cluster reconciles
      Then daemon set "agent" runs a pod on nodes "n1, n2, old"
      And daemonset "agent" has these fields:
        | field                         | value |
        | status.desiredNumberScheduled | 2     |
        | status.numberMisscheduled     | 1     |

    @severity:critical
    Scenario: the agent stays on a node that stopped being ready, where other pods are evicted
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeName: n2
          containers: [{name: nginx, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      When node "n2" becomes not ready
      And 6 minutes pass
      Then pod "web" no longer exists
      And daemon set "agent" runs a pod on nodes "n1, n2, old"

  Rule: new nodes get the agent, and the pods of removed nodes are collected

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And the cluster reconciles

    Scenario: a node that joins gets its agent
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Node
        metadata: {name: n3, labels: {pool: general}}
        status:
          capacity: {cpu: "4", memory: 16Gi, pods: "110"}
          allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
        """
      And the cluster reconciles
      Then daemon set "agent" runs a pod on nodes "n1, n2, n3, old"

    Scenario: the pod of a deleted node is removed by the pod garbage collector after its quarantine
      When I delete node "n2"
      And 30 seconds pass
      Then daemon set "agent" runs a pod on nodes "n1, n2, old"
      When 10 seconds pass
      Then daemon set "agent" runs a pod on nodes "n1, old"
      And daemonset "agent" has these fields:
        | field                         | value |
        | status.desiredNumberScheduled | 2     |
        | status.currentNumberScheduled | 2     |

  Rule: a DaemonSet adopts the orphans its selector matches and releases the pods it no longer selects

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And the cluster reconciles

    Scenario: a pod relabelled out of the selector is released, keeps running, and its node gets a new agent
      When I label pod "agent-c5rnc" with "app=debug"
      And the cluster reconciles
      Then pod "agent-c5rnc" has no controller
      And pod "agent-c5rnc" has phase "Running"
      And daemon set "agent" runs a pod on nodes "n1, n2, old"
      And the events of daemonset "agent" end with:
        | reason           | message                  |
        | SuccessfulCreate | Created pod: agent-hcl7g |

    Scenario: the agents a DaemonSet deleted with orphan propagation left running are adopted by its successor
      Given I delete daemonset "agent" with propagation "Orphan"
      And the cluster reconciles
      And the pods matching "app=agent" have no controller
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And the cluster reconciles
      Then pod "agent-c5rnc" is controlled by daemonset "agent"
      And daemon set "agent" runs a pod on nodes "n1, n2, old"
      And there are 3 pods matching "app=agent"
      And there is 1 controllerrevisions matching "app=agent"
      And controllerrevision "agent-5984c89c68" is controlled by daemonset "agent"
      And daemonset "agent" has these fields:
        | field                         | value |
        | status.updatedNumberScheduled | 3     |

  Rule: the default scheduler binds each daemon pod, and says why it cannot

    Scenario: a node too small for the agent leaves its pod pending with the scheduler's message
      Given the nodes:
        | name  | cpu | memory |
        | small | 1   | 2Gi    |
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers:
                - name: fluent-bit
                  image: "fluent/fluent-bit:3.1"
                  resources: {requests: {cpu: "2"}}
        """
      And the cluster reconciles
      Then the pod of daemon set "agent" for node "small" is unschedulable with message "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling."
      And daemonset "agent" has these fields:
        | field                         | value |
        | status.desiredNumberScheduled | 4     |
        | status.currentNumberScheduled | 4     |
        | status.numberReady            | 3     |

  Rule: a new template rolls out node by node within maxUnavailable, or on deletion with OnDelete

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata:
              labels: {app: agent}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      And 1 minute passes

    @severity:critical
    Scenario: one node at a time is updated, each once the previous new pod is ready
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata:
              labels: {app: agent}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.2"}]
        """
      And the cluster reconciles
      Then daemonset "agent" has these fields:
        | field                         | value |
        | status.updatedNumberScheduled | 1     |
        | status.numberAvailable        | 2     |
        | status.numberUnavailable      | 1     |
      When 10 seconds pass
      Then daemonset "agent" has these fields:
        | field                         | value |
        | status.updatedNumberScheduled | 2     |
      When 10 seconds pass
      Then daemonset "agent" has these fields:
        | field                         | value |
        | status.updatedNumberScheduled | 3     |
        | status.numberAvailable        | 2     |
      When 10 seconds pass
      Then daemonset "agent" has these fields:
        | field                         | value  |
        | status.numberAvailable        | 3      |
        | status.numberUnavailable      | <none> |
      And the pod of daemon set "agent" for node "old" has these fields:
        | field                                    | value                 |
        | spec.containers[0].image                 | fluent/fluent-bit:3.2 |
        | metadata.labels[pod-template-generation] | 2                     |

    Scenario: with OnDelete, only a deleted pod comes back with the new template
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy:
            type: OnDelete
            rollingUpdate: null
          template:
            metadata:
              labels: {app: agent}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.2"}]
        """
      And 1 minute passes
      Then daemonset "agent" has these fields:
        | field                         | value  |
        | status.updatedNumberScheduled | <none> |
      And the pod of daemon set "agent" for node "n1" has these fields:
        | field                    | value                 |
        | spec.containers[0].image | fluent/fluent-bit:3.1 |
