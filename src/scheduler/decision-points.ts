// The scheduler's two decision points. Facts are computed from the pod's and the node's scheduling
// views with Kubernetes' semantics (quantity arithmetic, toleration matching, affinity matching); the
// rules in rules/scheduling.filter and rules/scheduling.score turn them into kube-scheduler's plugins.
import type { Taint } from 'kubernetes-types/core/v1';
import { preferredNodeAffinityScore } from '../api/node-affinity';
import { CPU, EPHEMERAL_STORAGE, isScalarResource, MEMORY, PODS } from '../api/pod-resources';
import {
  countIntolerableTaintsPreferNoSchedule,
  findMatchingUntoleratedTaint,
  formatTaint,
  formatTaintForScheduler,
  tolerationsTolerateTaint,
} from '../api/taints';
import { defineDecisionPoint } from '../rules/decision-point';
import type { KubernetesVersion } from '../sim/version';
import type { NodeView } from './node-info';
import type { PodInfo } from './pod-info';
import {
  balancedAllocationScore,
  leastAllocatedScore,
  mostAllocatedScore,
  type WeightedResource,
} from './resource-scores';
import type { TopologyFilterFacts, TopologyScoreFacts } from './topology-attempt';
import { volumeConflicts } from './volume-binding';

/** What a filter or score rule may look at for one (pod, node) pair. */
export interface SchedulingContext {
  pod: PodInfo;
  node: NodeView;
  /** The node's name, given only when the pod's constraints name nodes; otherwise node classes share answers. */
  nodeName: string | undefined;
  version: KubernetesVersion;
  /**
   * InterPodAffinity's and PodTopologySpread's facts for this node in this attempt (topology-attempt.ts): they
   * depend on the other pods of the cluster. Absent when neither plugin applies to the pod.
   */
  topology?: Partial<TopologyFilterFacts & TopologyScoreFacts>;
}

const resourceFacts = (amounts: Readonly<Record<string, number>>) => ({
  cpu: amounts[CPU] ?? 0,
  memory: amounts[MEMORY] ?? 0,
  ephemeralStorage: amounts[EPHEMERAL_STORAGE] ?? 0,
});

const taintFact = (t: Taint | undefined) =>
  t
    ? {
        key: t.key,
        value: t.value ?? '',
        effect: t.effect,
        text: formatTaint(t),
        braces: formatTaintForScheduler(t),
      }
    : null;

const effectsParam = {
  type: 'object',
  additionalProperties: false,
  required: ['effects'],
  properties: {
    effects: {
      type: 'array',
      minItems: 1,
      items: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
    },
  },
};

const versionFact = {
  description: 'The simulated cluster version: {major, minor}, e.g. {major: 1, minor: 35}.',
  compute: (c: SchedulingContext) => ({ major: c.version.major, minor: c.version.minor }),
};

export const schedulingFilter = defineDecisionPoint<SchedulingContext>({
  name: 'scheduling.filter',
  askedBy: 'kube-scheduler, for every pod and node it considers',
  description:
    'Whether a node can run a pod. A node is rejected by the highest-priority rule set with a rule that fires `reject`; ' +
    'that set is the plugin whose reasons the FailedScheduling message lists for the node.',
  facts: {
    podRequests: {
      description:
        "The pod's effective requests (init containers, sidecars and overhead counted): {cpu (millicores), memory (bytes), ephemeralStorage (bytes)}.",
      compute: (c) => resourceFacts(c.pod.requests),
    },
    nodeFree: {
      description:
        'Allocatable minus the requests of the pods on the node: {cpu, memory, ephemeralStorage, pods}.',
      compute: (c) => ({
        cpu: (c.node.allocatable[CPU] ?? 0) - (c.node.requested[CPU] ?? 0),
        memory: (c.node.allocatable[MEMORY] ?? 0) - (c.node.requested[MEMORY] ?? 0),
        ephemeralStorage:
          (c.node.allocatable[EPHEMERAL_STORAGE] ?? 0) - (c.node.requested[EPHEMERAL_STORAGE] ?? 0),
        pods: (c.node.allocatable[PODS] ?? 0) - c.node.podCount,
      }),
    },
    insufficientScalarResources: {
      description:
        'Extended resources (e.g. nvidia.com/gpu) the pod requests more of than the node has free, sorted by name; a resource the node lacks counts as 0 free.',
      compute: (c) =>
        Object.entries(c.pod.requests)
          .filter(([name, amount]) => isScalarResource(name) && amount > 0)
          .filter(
            ([name, amount]) => amount > (c.node.allocatable[name] ?? 0) - (c.node.requested[name] ?? 0),
          )
          .map(([name]) => name)
          .sort(),
    },
    nodeUnschedulable: {
      description: 'The node is cordoned (spec.unschedulable).',
      compute: (c) => c.node.unschedulable,
    },
    nodeLabel: {
      description:
        "The value of the node's label given as params {key}, e.g. {key: topology.kubernetes.io/zone}, or null when the node has no such label.",
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key'],
        properties: { key: { type: 'string' } },
      },
      compute: (c, p) => c.node.labels[p.key as string] ?? null,
    },
    podToleratesTaint: {
      description: 'Whether the pod tolerates the taint given as params {key, effect, value?}.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'effect'],
        properties: {
          key: { type: 'string' },
          value: { type: 'string' },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
        },
      },
      compute: (c, p) =>
        tolerationsTolerateTaint(c.pod.tolerations, {
          key: p.key as string,
          value: p.value as string,
          effect: p.effect as string,
        }),
    },
    nodeNameMatches: {
      description: 'The pod names no node (spec.nodeName empty) or names this one.',
      compute: (c) => {
        const wanted = c.pod.pod.spec?.nodeName;
        return !wanted || wanted === c.nodeName;
      },
    },
    nodeAffinityMatches: {
      description:
        "The node satisfies the pod's nodeSelector and required node affinity (terms ORed, expressions ANDed).",
      compute: (c) => c.pod.requiredAffinity.match({ name: c.nodeName ?? '', labels: c.node.labels }),
    },
    untoleratedTaint: {
      description:
        'The first taint of the node, among the given effects, that the pod does not tolerate, or null: {key, value, effect, text (key=value:Effect), braces ({key: value})}.',
      params: effectsParam,
      compute: (c, p) => {
        const effects = p.effects as string[];
        return taintFact(
          findMatchingUntoleratedTaint(c.node.taints, c.pod.tolerations, (t) => effects.includes(t.effect)),
        );
      },
    },
    hostPortConflict: {
      description:
        'A hostPort the pod asks for is already used on the node (same protocol; 0.0.0.0 overlaps every address).',
      compute: (c) =>
        c.pod.hostPorts.some((want) =>
          c.node.usedPorts.some(
            (used) =>
              used.port === want.port &&
              used.protocol === want.protocol &&
              (used.ip === want.ip || used.ip === '0.0.0.0' || want.ip === '0.0.0.0'),
          ),
        ),
    },
    volumeBinding: {
      description:
        "Why the node cannot give the pod its PersistentVolumeClaims (VolumeBinding's FindPodVolumes and VolumeZone): {nodeConflict (a bound volume's node affinity excludes the node), bindConflict (a WaitForFirstConsumer claim finds no available volume there and cannot be provisioned there), boundVolumeMissing (a claim is bound to a volume that does not exist), zoneConflict (a bound volume's zone or region label excludes the node)}; all false for a pod without claims.",
      compute: (c) => volumeConflicts(c.pod.volumes, c.node.labels, c.nodeName),
    },
    podAffinityMatches: {
      description:
        "The node satisfies the pod's required pod affinity: it has every term's topology key, and its domain of each holds a pod matching all the terms — or no pod anywhere matches them and the pod matches them itself (the first pod of a group). True for a pod without required pod affinity.",
      compute: (c) => c.topology?.podAffinityMatches ?? true,
    },
    podAntiAffinityMatches: {
      description:
        "No pod matching one of the pod's required anti-affinity terms runs in the node's domain of that term's topology key. True for a pod without required anti-affinity.",
      compute: (c) => c.topology?.podAntiAffinityMatches ?? true,
    },
    existingPodsAntiAffinityMatches: {
      description:
        'No pod in a domain of the node has a required anti-affinity term the pod matches (anti-affinity is symmetric).',
      compute: (c) => c.topology?.existingPodsAntiAffinityMatches ?? true,
    },
    topologySpreadViolation: {
      description:
        "The first of the pod's DoNotSchedule topology spread constraints the node breaks, or null: {topologyKey, missingLabel (the node lacks the topology key; otherwise placing the pod there would make the skew exceed maxSkew)}.",
      compute: (c) => c.topology?.topologySpreadViolation ?? null,
    },
    kubernetesVersion: versionFact,
  },
  events: {
    reject: {
      description:
        'The node cannot run the pod. `reason` (a string, or a template over other params; a list param yields one reason per item) is what FailedScheduling counts.',
      params: {
        type: 'object',
        required: ['plugin', 'reason'],
        properties: {
          plugin: { type: 'string' },
          code: { enum: ['Unschedulable', 'UnschedulableAndUnresolvable'] },
          reason: { type: 'string' },
        },
      },
    },
  },
});

const weightedResources = {
  type: 'object',
  additionalProperties: false,
  required: ['resources'],
  properties: {
    resources: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'weight'],
        properties: { name: { type: 'string' }, weight: { type: 'integer', minimum: 1, maximum: 100 } },
      },
    },
  },
};

export const schedulingScore = defineDecisionPoint<SchedulingContext>({
  name: 'scheduling.score',
  askedBy: 'kube-scheduler, for every node that passed the filters',
  description:
    'How good a feasible node is. Each `score` event gives a plugin a raw value; raw values of a plugin are normalised ' +
    'across the nodes as asked (none; max: 100·s/max; reverse: 100 - 100·s/max; minMax: 100·(s-min)/(max-min); spread: 100·(max+min-s)/max), multiplied by the weight and summed. The highest total wins; ties are broken by the seeded generator.',
  facts: {
    leastAllocatedScore: {
      description:
        'NodeResourcesFit LeastAllocated: 0–100, higher for emptier nodes, weighted over the given resources.',
      params: weightedResources,
      compute: (c, p) => leastAllocatedScore(c.pod, c.node, p.resources as WeightedResource[]),
    },
    mostAllocatedScore: {
      description: 'NodeResourcesFit MostAllocated: 0–100, higher for fuller nodes (bin packing).',
      params: weightedResources,
      compute: (c, p) => mostAllocatedScore(c.pod, c.node, p.resources as WeightedResource[]),
    },
    balancedAllocationScore: {
      description:
        'NodeResourcesBalancedAllocation: 0–100, higher when the given resources would be used evenly.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['resources'],
        properties: { resources: { type: 'array', minItems: 1, items: { type: 'string' } } },
      },
      compute: (c, p) => balancedAllocationScore(c.pod, c.node, p.resources as string[]),
    },
    intolerablePreferNoScheduleTaints: {
      description:
        'How many PreferNoSchedule taints of the node the pod does not tolerate (TaintToleration score).',
      compute: (c) => countIntolerableTaintsPreferNoSchedule(c.node.taints, c.pod.tolerations),
    },
    preferredNodeAffinityWeight: {
      description: "The sum of the weights of the pod's preferred node affinity terms the node matches.",
      compute: (c) =>
        preferredNodeAffinityScore(c.pod.preferredAffinity, {
          name: c.nodeName ?? '',
          labels: c.node.labels,
        }),
    },
    interPodAffinityScore: {
      description:
        "InterPodAffinity: the summed weights of the pod's preferred (anti-)affinity terms matched by pods in the node's domains (anti-affinity counting negative), and of existing pods' terms the pod matches (required affinity weighing 1); null when no term matches anywhere.",
      compute: (c) => c.topology?.interPodAffinityScore ?? null,
    },
    topologySpreadScore: {
      description:
        "PodTopologySpread: per ScheduleAnyway constraint (the system defaults for a pod a Service or controller selects), the matching pods in the node's domain weighted by log(domains + 2) plus maxSkew - 1, summed and rounded; lower is better. Null when no constraint applies or the node lacks a topology key.",
      compute: (c) => c.topology?.topologySpreadScore ?? null,
    },
    kubernetesVersion: versionFact,
  },
  events: {
    score: {
      description: "A plugin's raw score for the node, its weight, and how to normalise it across nodes.",
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['plugin', 'weight', 'value'],
        properties: {
          plugin: { type: 'string' },
          weight: { type: 'integer', minimum: 0 },
          value: { type: 'number' },
          normalize: { enum: ['none', 'max', 'reverse', 'minMax', 'spread'] },
        },
      },
    },
  },
});
