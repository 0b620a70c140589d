// Which pods a ReplicaSet deletes first (k8s:pkg/controller/replicaset/replica_set.go getPodsToDelete,
// getPodsRankedByRelatedPodsOnSameNode; k8s:pkg/controller/controller_utils.go ActivePodsWithRanks). The
// `replicaset.scale-down` rules give every pod one sort key per criterion, evaluated once per pod; pods are
// then compared key by key, as ActivePodsWithRanks.Less compares them criterion by criterion.
import type { PodObject } from '../api/pods';
import type { Evaluator } from '../rules/evaluate';
import type { FiredEvent } from '../rules/types';
import type { DecisionTrace } from '../sim/trace';
import type { KubernetesVersion } from '../sim/version';
import { isPodActive } from './pod-states';
import type { ScaleDownContext } from './scale-down-rules';

type KeyValue = number | boolean | string | null;

interface Criterion {
  position: number;
  value: KeyValue;
  descending: boolean;
  /** The power-of-two bucket of the value's age, when the criterion compares on a logarithmic scale. */
  bucket?: number;
}

export interface RankedPod {
  pod: PodObject;
  /** The pod's sort keys, lowest position first. */
  criteria: Criterion[];
}

export interface RankingInput {
  /** The pods the ReplicaSet owns, in the order its informer lists them. */
  pods: readonly PodObject[];
  /** The pods of every ReplicaSet of the same owner: they decide how doubled-up a node is. */
  related: readonly PodObject[];
  /** How many to delete. */
  count: number;
  now: number;
  version: KubernetesVersion;
  rules: Evaluator;
  trace: DecisionTrace;
  /** `replicaset default/web`, for the trace. */
  owner: string;
}

/** getPodsToDelete: all pods when all go (unsorted), else the first `count` in the rules' order. */
export async function podsToDelete(input: RankingInput): Promise<PodObject[]> {
  if (input.count >= input.pods.length) return input.pods.slice(0, input.count);
  const onNode = new Map<string, number>();
  for (const pod of input.related) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = [];
  for (const pod of input.pods) {
    const podsOnSameNode = onNode.get(pod.spec?.nodeName ?? '') ?? 0;
    ranked.push(await rankPod(pod, podsOnSameNode, input));
  }
  // A stable sort: pods equal on every criterion keep their order.
  ranked.sort(compareRanked);
  return ranked.slice(0, input.count).map((r) => r.pod);
}

/** The pod's sort keys: one evaluation of the rules per pod, never per pair. */
export async function rankPod(
  pod: PodObject,
  podsOnSameNode: number,
  r: Pick<RankingInput, 'now' | 'version' | 'rules' | 'trace' | 'owner'>,
): Promise<RankedPod> {
  const context: ScaleDownContext = { pod, podsOnSameNode, version: r.version };
  const decision = await r.rules.evaluate(context);
  const criteria = decision.events
    .filter((e) => e.type === 'sortKey')
    .map((e) => criterion(e, r.now))
    .sort((a, b) => a.position - b.position);
  r.trace.add({
    kind: 'decision',
    time: r.now,
    subject: `pod ${pod.metadata.namespace}/${pod.metadata.name} (scale-down of ${r.owner})`,
    decision,
    outcome: `sort key ${criteria.map((c) => JSON.stringify(c.value)).join(', ')}`,
  });
  return { pod, criteria };
}

function criterion(event: FiredEvent, now: number): Criterion {
  const { position, value, order, scale } = event.params as {
    position: number;
    value: KeyValue | undefined;
    order: string;
    scale?: string;
  };
  const v = value ?? null;
  const c: Criterion = { position, value: v, descending: order === 'descending' };
  if (scale === 'logarithmic' && typeof v === 'number') c.bucket = ageBucket(v, now);
  return c;
}

/**
 * logarithmicRankDiff's rank: ⌊log2⌋ of the age in nanoseconds, -1 for no age. The bucket is negated so that a
 * later time has a larger key, like the time itself.
 */
export function ageBucket(time: number, now: number): number {
  const ageNs = (now - time) * 1e6;
  return ageNs > 0 ? -Math.floor(Math.log2(ageNs)) : 1;
}

/** ActivePodsWithRanks.Less as a comparator: negative when `a` is deleted first. */
export function compareRanked(a: RankedPod, b: RankedPod): number {
  const n = Math.min(a.criteria.length, b.criteria.length);
  for (let i = 0; i < n; i++) {
    const x = a.criteria[i];
    const y = b.criteria[i];
    if (x.value === y.value) continue;
    // afterOrZero: a missing value (a zero time) sorts first.
    if (x.value === null) return -1;
    if (y.value === null) return 1;
    if (x.bucket !== undefined && y.bucket !== undefined) {
      // Different times in the same bucket: the UIDs decide, and no later criterion is looked at.
      if (x.bucket === y.bucket) return compareValues(a.pod.metadata.uid ?? '', b.pod.metadata.uid ?? '');
      return x.descending ? y.bucket - x.bucket : x.bucket - y.bucket;
    }
    const order = compareValues(x.value, y.value);
    return x.descending ? -order : order;
  }
  return 0;
}

function compareValues(x: KeyValue, y: KeyValue): number {
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}
