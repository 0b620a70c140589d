// Nodes at the API server. A Node created in a scenario stands for a machine whose kubelet registers at
// once: it gets the labels, capacity, addresses and conditions a kubelet reports
// (k8s:pkg/kubelet/kubelet_node_status.go initialNode, setNodeStatus), unless the manifest gives them.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1';
import { type ApiServer, registerResourceLists } from './apiserver';
import type { FieldError } from './field-errors';
import type { Stored } from './object';
import { validateResourceQuantityValue } from './pods';
import { validateTaints } from './taints';

export type NodeObject = Stored<Node>;

/** What a node has when neither the table nor the manifest says (documented in the README). */
export const DEFAULT_NODE_CAPACITY: Readonly<Record<string, string>> = {
  cpu: '4',
  memory: '16Gi',
  pods: '110',
  'ephemeral-storage': '100Gi',
};

export function registerNodeApi(api: ApiServer, kubeletVersion: () => string): void {
  let registered = 0;
  // Registration happens once, when the node object is created; later applies leave it alone.
  api.addPreparer('Node', (obj) => {
    registered += 1;
    defaultNode(obj as NodeObject, registered, kubeletVersion(), api.store.clock.timestamp());
  });
  registerResourceLists(api, 'Node', [
    ['status', 'capacity'],
    ['status', 'allocatable'],
  ]);
  api.addValidator('Node', (obj) => validateNode(obj as NodeObject));
}

function defaultNode(node: NodeObject, index: number, version: string, now: string): void {
  const name = node.metadata.name ?? '';
  node.metadata.labels = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...(node.metadata.labels ?? {}),
  };
  node.spec ??= {};
  const status = node.status ?? {};
  status.capacity = { ...DEFAULT_NODE_CAPACITY, ...(status.capacity ?? {}) };
  status.allocatable = { ...status.capacity, ...(status.allocatable ?? {}) };
  status.addresses ??= [
    { type: 'InternalIP', address: `172.18.${Math.floor((index + 1) / 256)}.${(index + 1) % 256}` },
    { type: 'Hostname', address: name },
  ];
  status.conditions ??= readyConditions(now);
  status.nodeInfo ??= {
    architecture: 'amd64',
    bootID: '',
    containerRuntimeVersion: 'containerd://2.1.0',
    kernelVersion: '6.8.0',
    kubeProxyVersion: version,
    kubeletVersion: version,
    machineID: '',
    operatingSystem: 'linux',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    systemUUID: '',
  };
  status.daemonEndpoints ??= { kubeletEndpoint: { Port: 10250 } };
  node.status = status;
}

// The conditions a healthy kubelet reports, with its reasons and messages (k8s:pkg/kubelet/nodestatus/setters.go).
export function readyConditions(now: string): NodeCondition[] {
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

// k8s:pkg/apis/core/validation/validation.go ValidateNode (object metadata is checked for every kind). Kubernetes
// names the taints' field `metadata.taints`, a slip kept here because it is what users read.
function validateNode(node: NodeObject): FieldError[] {
  const errs = validateTaints(node.spec?.taints, 'metadata.taints');
  for (const which of ['capacity', 'allocatable'] as const) {
    for (const [name, value] of Object.entries(node.status?.[which] ?? {})) {
      errs.push(...validateResourceQuantityValue(name, value, `status.${which}.${name}`));
    }
  }
  return errs;
}
