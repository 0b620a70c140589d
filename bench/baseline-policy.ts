// The shipped default scheduling policy (rules/scheduling.filter, rules/scheduling.score) written directly
// in TypeScript, without a rules engine: the benchmark's baseline, so that the report can show what the
// rules path costs. It uses the same mechanics (quantities, toleration and affinity matching, resource
// scores) as the facts do; test/bench/baseline-policy.test.ts holds it to the rules' answers.

import { preferredNodeAffinityScore } from '../src/api/node-affinity';
import { CPU, EPHEMERAL_STORAGE, isScalarResource, MEMORY, PODS } from '../src/api/pod-resources';
import {
  countIntolerableTaintsPreferNoSchedule,
  findMatchingUntoleratedTaint,
  formatTaintForScheduler,
  tolerationsTolerateTaint,
} from '../src/api/taints';
import type { Evaluator } from '../src/rules/evaluate';
import type { Decision, FiredEvent } from '../src/rules/types';
import type { SchedulingContext } from '../src/scheduler/decision-points';
import { balancedAllocationScore, leastAllocatedScore } from '../src/scheduler/resource-scores';

const CPU_AND_MEMORY = [
  { name: CPU, weight: 1 },
  { name: MEMORY, weight: 1 },
];

const event = (type: string, params: Record<string, unknown>): FiredEvent => ({
  type,
  params,
  ruleSet: 'typescript-baseline',
  rule: String(params.plugin),
  priority: 1,
});

const reject = (plugin: string, code: string, reason: string | string[]) =>
  event('reject', { plugin, code, reason });

function filter(c: SchedulingContext): FiredEvent[] {
  const { pod, node } = c;
  if (
    node.unschedulable &&
    !tolerationsTolerateTaint(pod.tolerations, {
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
    })
  ) {
    return [reject('NodeUnschedulable', 'UnschedulableAndUnresolvable', 'node(s) were unschedulable')];
  }
  const wanted = pod.pod.spec?.nodeName;
  if (wanted && wanted !== c.nodeName) {
    return [
      reject('NodeName', 'UnschedulableAndUnresolvable', "node(s) didn't match the requested node name"),
    ];
  }
  const taint = findMatchingUntoleratedTaint(
    node.taints,
    pod.tolerations,
    (t) => t.effect !== 'PreferNoSchedule',
  );
  if (taint) {
    const reason =
      c.version.minor >= 34
        ? 'node(s) had untolerated taint(s)'
        : `node(s) had untolerated taint ${formatTaintForScheduler(taint)}`;
    return [reject('TaintToleration', 'UnschedulableAndUnresolvable', reason)];
  }
  if (!pod.requiredAffinity.match({ name: c.nodeName ?? '', labels: node.labels })) {
    return [
      reject(
        'NodeAffinity',
        'UnschedulableAndUnresolvable',
        "node(s) didn't match Pod's node affinity/selector",
      ),
    ];
  }
  const portClash = pod.hostPorts.some((want) =>
    node.usedPorts.some(
      (used) =>
        used.port === want.port &&
        used.protocol === want.protocol &&
        (used.ip === want.ip || used.ip === '0.0.0.0' || want.ip === '0.0.0.0'),
    ),
  );
  if (portClash) {
    return [
      reject('NodePorts', 'Unschedulable', "node(s) didn't have free ports for the requested pod ports"),
    ];
  }
  const free = (name: string) => (node.allocatable[name] ?? 0) - (node.requested[name] ?? 0);
  const reasons: FiredEvent[] = [];
  if ((node.allocatable[PODS] ?? 0) - node.podCount < 1)
    reasons.push(reject('NodeResourcesFit', 'Unschedulable', 'Too many pods'));
  for (const [name, label] of [
    [CPU, 'cpu'],
    [MEMORY, 'memory'],
    [EPHEMERAL_STORAGE, 'ephemeral-storage'],
  ]) {
    const request = pod.requests[name] ?? 0;
    if (request > 0 && request > free(name))
      reasons.push(reject('NodeResourcesFit', 'Unschedulable', `Insufficient ${label}`));
  }
  const scalars = Object.entries(pod.requests)
    .filter(([name, amount]) => isScalarResource(name) && amount > 0 && amount > free(name))
    .map(([name]) => `Insufficient ${name}`)
    .sort();
  if (scalars.length > 0) reasons.push(reject('NodeResourcesFit', 'Unschedulable', scalars));
  if (reasons.length > 0) return reasons;
  return topologyFilter(c);
}

// PodTopologySpread, then InterPodAffinity, each reporting its first failure.
function topologyFilter(c: SchedulingContext): FiredEvent[] {
  const t = c.topology;
  const spread = t?.topologySpreadViolation;
  if (spread) {
    return spread.missingLabel
      ? [
          reject(
            'PodTopologySpread',
            'UnschedulableAndUnresolvable',
            "node(s) didn't match pod topology spread constraints (missing required label)",
          ),
        ]
      : [
          reject(
            'PodTopologySpread',
            'Unschedulable',
            "node(s) didn't match pod topology spread constraints",
          ),
        ];
  }
  if (t?.podAffinityMatches === false)
    return [
      reject('InterPodAffinity', 'UnschedulableAndUnresolvable', "node(s) didn't match pod affinity rules"),
    ];
  if (t?.podAntiAffinityMatches === false)
    return [reject('InterPodAffinity', 'Unschedulable', "node(s) didn't match pod anti-affinity rules")];
  if (t?.existingPodsAntiAffinityMatches === false) {
    return [
      reject('InterPodAffinity', 'Unschedulable', "node(s) didn't satisfy existing pods anti-affinity rules"),
    ];
  }
  return [];
}

function score(c: SchedulingContext): FiredEvent[] {
  const nodeView = { name: c.nodeName ?? '', labels: c.node.labels };
  return [
    event('score', {
      plugin: 'TaintToleration',
      weight: 3,
      normalize: 'reverse',
      value: countIntolerableTaintsPreferNoSchedule(c.node.taints, c.pod.tolerations),
    }),
    event('score', {
      plugin: 'NodeAffinity',
      weight: 2,
      normalize: 'max',
      value: preferredNodeAffinityScore(c.pod.preferredAffinity, nodeView),
    }),
    event('score', {
      plugin: 'NodeResourcesFit',
      weight: 1,
      value: leastAllocatedScore(c.pod, c.node, CPU_AND_MEMORY),
    }),
    event('score', {
      plugin: 'NodeResourcesBalancedAllocation',
      weight: 1,
      value: balancedAllocationScore(c.pod, c.node, [CPU, MEMORY]),
    }),
    ...(c.topology?.topologySpreadScore != null
      ? [
          event('score', {
            plugin: 'PodTopologySpread',
            weight: 2,
            normalize: 'spread',
            value: c.topology.topologySpreadScore,
          }),
        ]
      : []),
    ...(c.topology?.interPodAffinityScore != null
      ? [
          event('score', {
            plugin: 'InterPodAffinity',
            weight: 2,
            normalize: 'minMax',
            value: c.topology.interPodAffinityScore,
          }),
        ]
      : []),
  ];
}

class TypeScriptEvaluator implements Evaluator {
  readonly rules = [];

  constructor(
    readonly point: string,
    private readonly decide: (c: SchedulingContext) => FiredEvent[],
  ) {}

  async evaluate(context: unknown): Promise<Decision> {
    return { point: this.point, events: this.decide(context as SchedulingContext), facts: [] };
  }
}

/** Evaluators to pass as ClusterOptions.evaluators: the default policy without the rules engine. */
export function typescriptBaseline(): Record<string, Evaluator> {
  return {
    'scheduling.filter': new TypeScriptEvaluator('scheduling.filter', filter),
    'scheduling.score': new TypeScriptEvaluator('scheduling.score', score),
  };
}
