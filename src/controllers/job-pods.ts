// What the Job controller computes from a Job's pods: when a pod finished and the replacement back-off
// (k8s:pkg/controller/job/backoff_utils.go), completion indexes (indexed_job_utils.go), and which active pods go
// first when there are too many (k8s:pkg/controller/controller_utils.go ActivePods).
import type { Container, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { JOB_COMPLETION_INDEX } from '../api/jobs';
import type { PodObject } from '../api/pods';
import { isPodReady, readySince } from './pod-states';

/** The consecutive failures since the last success and when the last of them happened. */
export interface BackoffRecord {
  failuresSinceSuccess: number;
  lastFailureTime?: number;
}

/**
 * getFinishedTime: the latest container finish when every container terminated, else when Ready turned False,
 * else the deletion time less the grace period, else the creation time.
 */
export function finishedTime(pod: PodObject): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let allTerminated = statuses.length > 0;
  for (const s of statuses) {
    const at = s.state?.terminated?.finishedAt;
    if (!at) {
      allTerminated = false;
      break;
    }
    latest = Math.max(latest ?? 0, Date.parse(at));
  }
  if (allTerminated && latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (pod.metadata.deletionTimestamp) {
    return Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  }
  return Date.parse(pod.metadata.creationTimestamp ?? '');
}

/** newBackoffRecord: failures after the newest success extend the record; a success resets it. */
export function nextBackoffRecord(
  record: BackoffRecord,
  newSucceeded: readonly PodObject[],
  newFailed: readonly PodObject[],
): BackoffRecord {
  const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return record;
    return {
      failuresSinceSuccess: record.failuresSinceSuccess + failedTimes.length,
      lastFailureTime: failedTimes[failedTimes.length - 1],
    };
  }
  const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length === 0
    ? { failuresSinceSuccess: 0 }
    : { failuresSinceSuccess: after.length, lastFailureTime: after[after.length - 1] };
}

/** getRemainingTimeForFailuresCount: initial × 2^(failures-1), capped, less the time since the last failure. */
export function remainingBackoff(record: BackoffRecord, initial: number, max: number, now: number): number {
  if (record.failuresSinceSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let backoff = initial;
  for (let i = 1; i < record.failuresSinceSuccess; i++) {
    backoff *= 2;
    if (backoff >= max) {
      backoff = max;
      break;
    }
  }
  const elapsed = now - record.lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** getCompletionIndex: the pod's completion index annotation, or -1 when missing or invalid. */
export function completionIndexOf(pod: PodObject): number {
  const text = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (text === undefined || !/^[0-9]+$/.test(text)) return -1;
  const n = Number(text);
  return n <= 2147483647 ? n : -1;
}

/** orderedIntervals.String(): `0-2,4,6-7`. */
export function formatIndexes(indexes: ReadonlySet<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** parseIndexesFromString: the indexes below `completions` of a `0-2,4` list. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [from, to] = part.split('-').map(Number);
    for (let i = from; i <= (to ?? from) && i < completions; i++) out.add(i);
  }
  return out;
}

/** firstPendingIndexes: the lowest indexes neither succeeded nor held by an active pod. */
export function firstPendingIndexes(
  count: number,
  completions: number,
  succeeded: ReadonlySet<number>,
  active: readonly PodObject[],
): number[] {
  const taken = new Set(active.map(completionIndexOf));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (!succeeded.has(i) && !taken.has(i)) out.push(i);
  }
  return out;
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job's name cut so the result fits 58 characters. */
export function indexedGenerateName(job: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${job}${suffix}`;
  return prefix.length > 58 ? `${job.slice(0, 58 - suffix.length)}${suffix}` : prefix;
}

/** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the annotation, in every container. */
export function addCompletionIndexEnv(template: PodTemplateSpec): void {
  const add = (c: Container) => {
    if (c.env?.some((e) => e.name === 'JOB_COMPLETION_INDEX')) return;
    c.env = [
      ...(c.env ?? []),
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX}']` } },
      },
    ];
  };
  for (const c of template.spec?.initContainers ?? []) add(c);
  for (const c of template.spec?.containers ?? []) add(c);
}

const PHASE_RANK: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * controller.ActivePods Less: the pods to delete first — unscheduled, then pending before running, not ready
 * before ready, ready for less time, more restarts, and the newest.
 */
export function byDeletionPreference(a: PodObject, b: PodObject): number {
  const bound = (p: PodObject) => (p.spec?.nodeName ? 1 : 0);
  if (bound(a) !== bound(b)) return bound(a) - bound(b);
  const phase = (p: PodObject) => PHASE_RANK[p.status?.phase ?? ''] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: PodObject) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (ready(a) && ready(b)) {
    const sa = readySince(a) ?? 0;
    const sb = readySince(b) ?? 0;
    if (sa !== sb) return sb - sa;
  }
  const restarts = (p: PodObject) =>
    Math.max(0, ...(p.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: PodObject) => Date.parse(p.metadata.creationTimestamp ?? '');
  return created(b) - created(a);
}

/**
 * activePodsForRemoval for an Indexed Job: pods without a valid index and all but one pod of a repeated index
 * go first; then, if more must go, the ones ActivePods ranks first.
 */
export function activePodsForRemoval(
  active: readonly PodObject[],
  atLeast: number,
  completions: number | undefined,
): PodObject[] {
  const remove: PodObject[] = [];
  let left = [...active];
  if (completions !== undefined) {
    const byIndex = new Map<number, PodObject[]>();
    left = [];
    for (const pod of active) {
      const ix = completionIndexOf(pod);
      if (ix < 0 || ix >= completions) remove.push(pod);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), pod]);
    }
    for (const pods of byIndex.values()) {
      pods.sort(byDeletionPreference);
      remove.push(...pods.slice(0, -1));
      left.push(pods[pods.length - 1]);
    }
  }
  if (remove.length < atLeast) {
    left.sort(byDeletionPreference);
    remove.push(...left.slice(0, atLeast - remove.length));
  }
  return remove;
}
