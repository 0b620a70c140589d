// Generated pods, nodes and scheduling contexts for property tests of the scheduling rules.
import fc from 'fast-check';
import type { NodeSelectorRequirement, Taint, Toleration } from 'kubernetes-types/core/v1';
import type { PodObject } from '../../src/api/pods';
import { NodeInfo } from '../../src/scheduler/node-info';
import { buildPodInfo } from '../../src/scheduler/pod-info';
import { parseKubernetesVersion } from '../../src/sim/version';

export const withoutUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const QUANTITIES = {
  cpu: ['100m', '250m', '500m', '1', '2', '4'],
  memory: ['64Mi', '128Mi', '1Gi', '4Gi'],
  'ephemeral-storage': ['1Gi', '10Gi'],
  'nvidia.com/gpu': ['1', '2'],
};
const RESOURCES = Object.keys(QUANTITIES) as (keyof typeof QUANTITIES)[];

const requests = fc
  .subarray(RESOURCES)
  .chain((names) =>
    fc.tuple(...names.map((n) => fc.constantFrom(...QUANTITIES[n]).map((q) => [n, q] as const))),
  )
  .map((entries) => Object.fromEntries(entries));

export const TAINTS: Taint[] = [
  { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
  { key: 'dedicated', value: 'db', effect: 'NoExecute' },
  { key: 'spot', effect: 'PreferNoSchedule' },
  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
];

export const toleration: fc.Arbitrary<Toleration> = fc
  .record(
    {
      key: fc.constantFrom(
        'dedicated',
        'spot',
        'node.kubernetes.io/unreachable',
        'node.kubernetes.io/not-ready',
        'node.kubernetes.io/unschedulable',
      ),
      operator: fc.constantFrom('Exists', 'Equal'),
      value: fc.constantFrom('gpu', 'db'),
      effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
      tolerationSeconds: fc.constantFrom(0, 30, 300, -5),
    },
    { requiredKeys: [] },
  )
  .map((t) => (t.operator === 'Exists' ? { ...t, value: undefined } : t))
  .map(withoutUndefined);

const LABELS = { zone: ['a', 'b'], disk: ['ssd', 'hdd'], 'kubernetes.io/hostname': ['n1', 'n2'] };
const labels = fc
  .subarray(Object.keys(LABELS) as (keyof typeof LABELS)[])
  .chain((keys) => fc.tuple(...keys.map((k) => fc.constantFrom(...LABELS[k]).map((v) => [k, v] as const))))
  .map((entries) => Object.fromEntries(entries) as Record<string, string>);

const expression: fc.Arbitrary<NodeSelectorRequirement> = fc.oneof(
  fc.record({
    key: fc.constantFrom('zone', 'disk'),
    operator: fc.constantFrom('In', 'NotIn'),
    values: fc.subarray(['a', 'b', 'ssd'], { minLength: 1 }),
  }),
  fc.record({ key: fc.constantFrom('zone', 'disk'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);

let podSeq = 0;
export const pod = fc
  .record(
    {
      containers: fc.array(
        fc.record({
          requests,
          hostPort: fc.option(
            fc.record({
              hostPort: fc.constantFrom(80, 8080),
              protocol: fc.constantFrom('TCP', 'UDP'),
              hostIP: fc.constantFrom('', '127.0.0.1'),
            }),
            { nil: undefined },
          ),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      tolerations: fc.array(toleration, { maxLength: 3 }),
      nodeSelector: labels,
      nodeName: fc.constantFrom('n1', 'n2'),
      required: fc.array(fc.array(expression, { minLength: 1, maxLength: 2 }), {
        minLength: 1,
        maxLength: 2,
      }),
      preferred: fc.array(
        fc.record({
          weight: fc.integer({ min: 1, max: 100 }),
          expressions: fc.array(expression, { maxLength: 2 }),
        }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: ['containers', 'tolerations'] },
  )
  .map((p): PodObject => {
    podSeq += 1;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${podSeq}`, namespace: 'default', uid: `uid-${podSeq}` },
      spec: withoutUndefined({
        nodeName: p.nodeName,
        nodeSelector: p.nodeSelector,
        tolerations: p.tolerations,
        affinity:
          p.required || p.preferred
            ? {
                nodeAffinity: withoutUndefined({
                  requiredDuringSchedulingIgnoredDuringExecution: p.required && {
                    nodeSelectorTerms: p.required.map((matchExpressions) => ({ matchExpressions })),
                  },
                  preferredDuringSchedulingIgnoredDuringExecution: p.preferred?.map((t) => ({
                    weight: t.weight,
                    preference: { matchExpressions: t.expressions },
                  })),
                }),
              }
            : undefined,
        containers: p.containers.map((c, i) => ({
          name: `c${i}`,
          image: 'nginx',
          resources: { requests: c.requests },
          ports: c.hostPort ? [{ containerPort: 8080, ...c.hostPort }] : undefined,
        })),
      }),
    } as PodObject;
  });

export const node = fc.record({
  name: fc.constantFrom('n1', 'n2', 'n3'),
  labels,
  taints: fc.subarray(TAINTS),
  unschedulable: fc.boolean(),
  allocatable: fc.record(
    {
      cpu: fc.constantFrom('500m', '1', '2', '4'),
      memory: fc.constantFrom('128Mi', '1Gi', '8Gi'),
      'ephemeral-storage': fc.constantFrom('1Gi', '20Gi'),
      pods: fc.constantFrom('1', '2', '110'),
      'nvidia.com/gpu': fc.constantFrom('1', '4'),
    },
    { requiredKeys: ['cpu', 'memory', 'pods'] },
  ),
  running: fc.array(pod, { maxLength: 2 }),
});

/** Mostly true, so that contexts passing every filter are still generated. */
const mostlyTrue = fc.oneof(
  { arbitrary: fc.constant(true), weight: 5 },
  { arbitrary: fc.constant(false), weight: 1 },
);

/** What InterPodAffinity's and PodTopologySpread's state says of a node (topology-attempt.ts); often absent. */
export const topologyFacts = fc.option(
  fc.record(
    {
      podAffinityMatches: mostlyTrue,
      podAntiAffinityMatches: mostlyTrue,
      existingPodsAntiAffinityMatches: mostlyTrue,
      topologySpreadViolation: fc.option(
        fc.record({
          topologyKey: fc.constantFrom('topology.kubernetes.io/zone', 'kubernetes.io/hostname'),
          missingLabel: fc.boolean(),
        }),
        { nil: null, freq: 3 },
      ),
      interPodAffinityScore: fc.option(fc.integer({ min: -300, max: 300 }), { nil: null }),
      topologySpreadScore: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined, freq: 2 },
);

export const schedulingContext = fc
  .record({ pod, node, version: fc.constantFrom('v1.33', 'v1.35'), topology: topologyFacts })
  .map(({ pod: p, node: n, version, topology }) => {
    const info = new NodeInfo(n.name, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: n.labels },
      spec: { taints: n.taints, unschedulable: n.unschedulable },
      status: { allocatable: n.allocatable, capacity: n.allocatable },
    } as never);
    for (const running of n.running) info.addPod(buildPodInfo(running));
    const podInfo = buildPodInfo(p);
    return {
      pod: podInfo,
      node: info.view(),
      nodeName: podInfo.nameDependent ? n.name : undefined,
      version: parseKubernetesVersion(version),
      ...(topology ? { topology } : {}),
    };
  });
