# Nodes as a table: each row registers a node the way its kubelet would
# (k8s:pkg/kubelet/kubelet_node_status.go initialNode, k8s:pkg/kubelet/nodestatus/setters.go), with taints in
# kubectl's syntax (k8s:staging/src/k8s.io/kubectl/pkg/cmd/taint/utils.go parseTaints).
@epic:api @feature:nodes
Feature: Describing the cluster's nodes as a table
  Scenario writers describe a cluster in a few table rows: size, labels, taints, whether a node is cordoned,
  extended resources such as GPUs. Each row becomes a node that looks like a registered kubelet's, and a
  mistake in the table is pointed out by row.

  Rule: each row is a registered node

    @severity:critical
    Scenario: what a row becomes
      Given the nodes:
        | name  | cpu | memory | pods | nvidia.com/gpu | labels                 | taints                   | unschedulable |
        | gpu-1 | 16  | 64Gi   | 32   | 4              | accelerator=nvidia-a10 | dedicated=gpu:NoSchedule | true          |
      Then node "gpu-1" has these fields:
        | field                                    | value                                                                                |
        | metadata.labels[accelerator]             | nvidia-a10                                                                           |
        | metadata.labels[kubernetes.io/hostname]  | gpu-1                                                                                |
        | metadata.labels[kubernetes.io/os]        | linux                                                                                |
        | metadata.labels[kubernetes.io/arch]      | amd64                                                                                |
        | metadata.labels[beta.kubernetes.io/os]   | linux                                                                                |
        | metadata.labels[beta.kubernetes.io/arch] | amd64                                                                                |
        | spec.taints                              | [{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]                            |
        | spec.unschedulable                       | true                                                                                 |
        | status.capacity.cpu                      | 16                                                                                   |
        | status.capacity.memory                   | 64Gi                                                                                 |
        | status.capacity.pods                     | 32                                                                                   |
        | status.capacity[nvidia.com/gpu]          | 4                                                                                    |
        | status.allocatable[nvidia.com/gpu]       | 4                                                                                    |
        | status.capacity[ephemeral-storage]       | 100Gi                                                                                |
        | status.conditions[3].type                | Ready                                                                                |
        | status.conditions[3].status              | True                                                                                 |
        | status.conditions[3].reason              | KubeletReady                                                                         |
        | status.conditions[3].message             | kubelet is posting ready status                                                      |
        | status.addresses                         | [{"type":"InternalIP","address":"172.18.0.2"},{"type":"Hostname","address":"gpu-1"}] |

    Scenario: a row with only a name gets the default size
      Given the nodes:
        | name |
        | n1   |
      Then node "n1" has these fields:
        | field                                 | value |
        | status.allocatable.cpu                | 4     |
        | status.allocatable.memory             | 16Gi  |
        | status.allocatable.pods               | 110   |
        | status.allocatable[ephemeral-storage] | 100Gi |

    Scenario: the node's kubelet version follows the cluster's
      Given a Kubernetes v1.33.2 cluster
      And the nodes:
        | name |
        | n1   |
      Then node "n1" has these fields:
        | field                          | value   |
        | status.nodeInfo.kubeletVersion | v1.33.2 |

  Rule: a mistake in the table is refused with its row

    Scenario: a column kubespec does not know
      When I try to add the nodes:
        | name | cpus |
        | n1   | 4    |
      Then it is refused with:
        """
        unknown column "cpus": use name, cpu, memory, pods, ephemeral-storage, labels, taints, unschedulable or an extended resource such as nvidia.com/gpu
        """

    Scenario: a taint without an effect, as kubectl refuses it
      When I try to add the nodes:
        | name | taints        |
        | n1   | dedicated=gpu |
      Then it is refused with:
        """
        row 1 (node n1): taints: invalid taint spec: dedicated=gpu, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
        """

    Scenario: a taint effect that does not exist
      When I try to add the nodes:
        | name | taints                     |
        | n1   | dedicated=gpu:NoScheduling |
      Then it is refused with:
        """
        row 1 (node n1): taints: invalid taint effect: NoScheduling, unsupported taint effect
        """

    Scenario: a memory size with a capital K
      When I try to add the nodes:
        | name | memory |
        | n1   | 512K   |
      Then it is refused with:
        """
        row 1 (node n1): memory: unable to parse quantity's suffix
        """

    Scenario: a node name with capital letters is refused by the API server
      When I try to add the nodes:
        | name   |
        | Node-1 |
      Then it is refused with:
        """
        Node "Node-1" is invalid: metadata.name: Invalid value: "Node-1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
        """
