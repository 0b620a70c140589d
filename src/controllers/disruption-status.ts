// What the disruption controller computes for a PodDisruptionBudget, without I/O
// (k8s:pkg/controller/disruption/disruption.go getExpectedPodCount, getExpectedScale, buildDisruptedPodMap,
// countHealthyPods, updatePdbStatus; k8s:staging/src/k8s.io/component-helpers/apps/poddisruptionbudget/helpers.go
// UpdateDisruptionAllowedCondition). The controller feeds it the pods and a way to find a pod's controller scale.
import type { Condition } from 'kubernetes-types/meta/v1';
import type { PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import type { PodDisruptionBudgetObject } from '../api/disruption-budgets';
import type { PodObject } from '../api/pods';
import { controllerOf } from './pod-control';
import { isPodReady } from './pod-states';

/** DeletionTimeout: how long an evicted pod is not counted as healthy while the API server deletes it. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** A controller and its desired scale, as the finders return them; undefined when the pod has none we know. */
export type ScaleFinder = (pod: PodObject) => { uid: string; scale: number } | undefined;

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/** intstr.GetScaledValueFromIntOrPercent with roundUp: a count, or a percentage of `total` rounded up. */
export function scaledValue(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const percent = Number.parseInt(value.replace(/%$/, ''), 10);
  return Math.ceil((percent * total) / 100);
}

/**
 * getExpectedPodCount: an integer minAvailable counts the pods themselves; a percentage, and any
 * maxUnavailable, are taken of the scale of the pods' controllers (getExpectedScale), so that pods missing
 * from a Deployment of 3 still count as expected. Throws the controller's error for a pod whose controller
 * has no scale.
 */
export function expectedPodCount(
  pdb: PodDisruptionBudgetObject,
  pods: readonly PodObject[],
  scaleOf: ScaleFinder,
): ExpectedCount {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined) {
    const { expectedCount, unmanagedPods } = expectedScale(pods, scaleOf);
    const desiredHealthy = Math.max(0, expectedCount - scaledValue(maxUnavailable, expectedCount));
    return { expectedCount, desiredHealthy, unmanagedPods };
  }
  if (minAvailable !== undefined) {
    if (typeof minAvailable === 'number') {
      return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
    }
    const { expectedCount, unmanagedPods } = expectedScale(pods, scaleOf);
    return { expectedCount, desiredHealthy: scaledValue(minAvailable, expectedCount), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/** getExpectedScale: the sum of the scales of the pods' controllers, each counted once; orphans are listed. */
export function expectedScale(
  pods: readonly PodObject[],
  scaleOf: ScaleFinder,
): { expectedCount: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name as string);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = scaleOf(pod);
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name)}`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const n of scales.values()) expectedCount += n;
  return { expectedCount, unmanagedPods };
}

export interface DisruptedPodMap {
  /** Pods the eviction API is deleting, by name, with when it said so (ms). */
  disrupted: Map<string, number>;
  /** When to look again: the earliest expiry of an entry kept. */
  recheckAt: number | undefined;
  /** Entries that expired without the pod being deleted (the NotDeleted warning). */
  notDeleted: string[];
}

/** buildDisruptedPodMap: entries of pods not yet being deleted, for DeletionTimeout after the eviction. */
export function buildDisruptedPodMap(
  pods: readonly PodObject[],
  pdb: PodDisruptionBudgetObject,
  now: number,
): DisruptedPodMap {
  const recorded = pdb.status?.disruptedPods ?? {};
  const disrupted = new Map<string, number>();
  const notDeleted: string[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name as string;
    if (pod.metadata.deletionTimestamp) continue;
    const at = recorded[name];
    if (at === undefined) continue;
    const since = Date.parse(at);
    const expected = since + DELETION_TIMEOUT_MS;
    if (expected < now) {
      notDeleted.push(name);
      continue;
    }
    recheckAt = recheckAt === undefined ? expected : Math.min(recheckAt, expected);
    disrupted.set(name, since);
  }
  return { disrupted, recheckAt, notDeleted };
}

/** countHealthyPods: Ready pods that are neither being deleted nor about to be by an eviction. */
export function countHealthyPods(
  pods: readonly PodObject[],
  disrupted: ReadonlyMap<string, number>,
  now: number,
): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const since = disrupted.get(pod.metadata.name as string);
    if (since !== undefined && since + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * updatePdbStatus: disruptionsAllowed is currentHealthy − desiredHealthy, never below 0, and 0 while no pod is
 * expected (a budget whose pods have not been seen yet is safe), with the DisruptionAllowed condition.
 */
export function budgetStatus(
  pdb: PodDisruptionBudgetObject,
  counts: { currentHealthy: number; desiredHealthy: number; expectedCount: number },
  disrupted: ReadonlyMap<string, number>,
  timestamp: (ms?: number) => string,
): PodDisruptionBudgetStatus {
  const { currentHealthy, desiredHealthy, expectedCount } = counts;
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const status: PodDisruptionBudgetStatus = {
    currentHealthy,
    desiredHealthy,
    expectedPods: expectedCount,
    disruptionsAllowed,
    observedGeneration: pdb.metadata.generation ?? 1,
    conditions: structuredClone(pdb.status?.conditions ?? []),
  };
  if (disrupted.size > 0) {
    status.disruptedPods = Object.fromEntries([...disrupted].map(([name, at]) => [name, timestamp(at)]));
  }
  updateDisruptionAllowedCondition(status, timestamp());
  return status;
}

/** UpdateDisruptionAllowedCondition: SufficientPods while a disruption is allowed, InsufficientPods otherwise. */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: string): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  setStatusCondition(status, {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration: status.observedGeneration,
    lastTransitionTime: now,
  });
}

/** The disruption controller's failSafe: no disruption allowed, SyncFailed with the error. */
export function failSafeStatus(
  pdb: PodDisruptionBudgetObject,
  error: string,
  now: string,
): PodDisruptionBudgetStatus {
  const status = structuredClone(pdb.status ?? {}) as PodDisruptionBudgetStatus;
  status.disruptionsAllowed = 0;
  status.conditions ??= [];
  setStatusCondition(status, {
    type: 'DisruptionAllowed',
    status: 'False',
    reason: 'SyncFailed',
    message: error,
    observedGeneration: status.observedGeneration,
    lastTransitionTime: now,
  });
  return status;
}

// meta.SetStatusCondition: lastTransitionTime moves only when the status flips.
function setStatusCondition(status: PodDisruptionBudgetStatus, condition: Condition): void {
  const conditions = status.conditions ?? [];
  const existing = conditions.find((c) => c.type === condition.type);
  if (!existing) {
    conditions.push(condition);
  } else {
    if (existing.status !== condition.status) existing.lastTransitionTime = condition.lastTransitionTime;
    existing.status = condition.status;
    existing.reason = condition.reason;
    existing.message = condition.message;
    existing.observedGeneration = condition.observedGeneration;
  }
  status.conditions = conditions;
}
