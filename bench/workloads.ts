// The benchmark's workloads, named and shaped after kube-scheduler's scheduler_perf
// (k8s:test/integration/scheduler_perf/misc/performance-config.yaml and affinity/performance-config.yaml,
// with the templates node-default.yaml, pod-default.yaml, pod-with-node-affinity.yaml and
// pod-high-priority-large-cpu.yaml). Nodes: 4 cpu, 32Gi, 110 pods. Pods: pause with 100m / 500Mi.
import type { KubeObject } from '../src/api/object';

export interface Workload {
  name: string;
  /** Where the shape comes from. */
  source: string;
  nodes: number;
  initPods: number;
  measuredPods: number;
  node(i: number): KubeObject;
  initPod(i: number): KubeObject;
  /** The i-th pod of the measured phase; `unschedulable` ones are churn, not counted as measured. */
  measuredPod(i: number): { pod: KubeObject; unschedulable?: boolean };
  setup?: KubeObject[];
}

const nodeDefault = (i: number, labels?: Record<string, string>, taints?: unknown[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: `scheduler-perf-${i}`, ...(labels ? { labels } : {}) },
  spec: taints ? { taints } : {},
  status: { capacity: { pods: '110', cpu: '4', memory: '32Gi' } },
});

const pause = { image: 'registry.k8s.io/pause:3.10.1', name: 'pause', ports: [{ containerPort: 80 }] };
const defaultResources = {
  limits: { cpu: '100m', memory: '500Mi' },
  requests: { cpu: '100m', memory: '500Mi' },
};

const podDefault = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { ...spec, containers: [{ ...pause, resources: defaultResources }] },
});

const nodeAffinityZones = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone1', 'zone2'] },
          ],
        },
      ],
    },
  },
};

/** SchedulingBasic: createNodes, createPods (init), createPods (measured). */
export function schedulingBasic(nodes: number, initPods: number, measuredPods: number): Workload {
  return {
    name: `SchedulingBasic/${nodes}Nodes_${measuredPods}Pods`,
    source: 'k8s:test/integration/scheduler_perf/misc/performance-config.yaml SchedulingBasic',
    nodes,
    initPods,
    measuredPods,
    node: (i) => nodeDefault(i),
    initPod: (i) => podDefault(`init-${i}`),
    measuredPod: (i) => ({ pod: podDefault(`pod-${i}`) }),
  };
}

/** SchedulingNodeAffinity: every node labelled zone1; pods require zone1 or zone2. */
export function schedulingNodeAffinity(nodes: number, initPods: number, measuredPods: number): Workload {
  return {
    name: `SchedulingNodeAffinity/${nodes}Nodes_${measuredPods}Pods`,
    source: 'k8s:test/integration/scheduler_perf/affinity/performance-config.yaml SchedulingNodeAffinity',
    nodes,
    initPods,
    measuredPods,
    node: (i) => nodeDefault(i, { 'topology.kubernetes.io/zone': 'zone1' }),
    initPod: (i) => podDefault(`init-${i}`, { affinity: nodeAffinityZones }),
    measuredPod: (i) => ({ pod: podDefault(`pod-${i}`, { affinity: nodeAffinityZones }) }),
  };
}

/**
 * Tainted nodes (kubespec's own, in scheduler_perf's shape): a fifth of the nodes are dedicated
 * (dedicated=infra:NoSchedule); half the pods tolerate the taint, half do not.
 */
export function schedulingTaints(nodes: number, initPods: number, measuredPods: number): Workload {
  const tainted = Math.round(nodes / 5);
  const toleration = [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }];
  return {
    name: `SchedulingTaints/${tainted}Tainted_${nodes - tainted}Plain_${measuredPods}Pods`,
    source:
      'kubespec, shaped after k8s:test/integration/scheduler_perf/misc/performance-config.yaml SchedulingBasic',
    nodes,
    initPods,
    measuredPods,
    node: (i) =>
      i < tainted
        ? nodeDefault(i, undefined, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }])
        : nodeDefault(i),
    initPod: (i) => podDefault(`init-${i}`),
    measuredPod: (i) => ({ pod: podDefault(`pod-${i}`, i % 2 === 0 ? { tolerations: toleration } : {}) }),
  };
}

/**
 * Unschedulable: scheduler_perf creates one high-priority pod asking for 9 cpu (it fits nowhere) every
 * 200 ms while the measured pods are created; here one such pod is interleaved after every 100 measured pods.
 */
export function unschedulableChurn(nodes: number, initPods: number, measuredPods: number): Workload {
  const every = 100;
  return {
    name: `Unschedulable/${nodes}Nodes/${initPods}Init/${measuredPods}Pods`,
    source: 'k8s:test/integration/scheduler_perf/misc/performance-config.yaml Unschedulable',
    nodes,
    initPods,
    measuredPods,
    setup: [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 10 },
    ],
    node: (i) => nodeDefault(i),
    initPod: (i) => podDefault(`init-${i}`),
    measuredPod: (i) =>
      i % (every + 1) === every
        ? {
            unschedulable: true,
            pod: {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: { name: `pod-h-${i}` },
              spec: {
                priorityClassName: 'high',
                containers: [{ ...pause, resources: { requests: { cpu: '9', memory: '500Mi' } } }],
              },
            },
          }
        : { pod: podDefault(`pod-${i}`) },
  };
}

export type WorkloadKind = 'basic' | 'node-affinity' | 'taints' | 'unschedulable';

export function workload(
  kind: WorkloadKind,
  nodes: number,
  initPods: number,
  measuredPods: number,
): Workload {
  switch (kind) {
    case 'basic':
      return schedulingBasic(nodes, initPods, measuredPods);
    case 'node-affinity':
      return schedulingNodeAffinity(nodes, initPods, measuredPods);
    case 'taints':
      return schedulingTaints(nodes, initPods, measuredPods);
    case 'unschedulable':
      return unschedulableChurn(nodes, initPods, measuredPods);
  }
}
