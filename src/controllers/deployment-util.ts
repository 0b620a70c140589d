// The Deployment controller's arithmetic and bookkeeping, ported from
// k8s:pkg/controller/deployment/util/deployment_util.go (and the ReplicaSet orderings of
// k8s:pkg/controller/controller_utils.go): fenceposts, proportions, revisions, annotations, conditions and
// the questions "is it complete, progressing, timed out".
import type { DeploymentCondition, DeploymentStatus, ReplicaSetCondition } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { sameJson } from '../api/apiserver';
import type { DeploymentObject, IntOrPercent, ReplicaSetObject } from '../api/replica-sets';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';

/** Annotations a Deployment does not copy to its ReplicaSets, nor a rollback back (annotationsToSkip). */
export const ANNOTATIONS_TO_SKIP: ReadonlySet<string> = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO,
]);

/** Condition reasons (deployment_util.go constants). */
export const REASON = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

const MAX_INT32 = 2 ** 31 - 1;

// ---- fenceposts ------------------------------------------------------------------------------------

/**
 * intstr.GetScaledValueFromIntOrPercent: a count as is, a percentage of `total` rounded up or down;
 * undefined for a string that is not a percentage (which validation refuses).
 */
export function scaledValue(
  value: IntOrPercent | undefined,
  total: number,
  roundUp: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) return undefined;
  const digits = value.slice(0, -1);
  // strconv.Atoi: an optional sign and decimal digits.
  if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
  const percent = Number.parseInt(digits, 10);
  return roundUp ? Math.ceil((percent * total) / 100) : Math.floor((percent * total) / 100);
}

/**
 * ResolveFenceposts: maxSurge rounded up, maxUnavailable rounded down, a missing one as 0; when both come out
 * 0, maxUnavailable is 1 (surge might be blocked by a quota). Undefined for a value that does not resolve.
 */
export function resolveFenceposts(
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desired: number,
): { surge: number; unavailable: number } | undefined {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  const unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === undefined || unavailable === undefined) return undefined;
  return { surge, unavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

export const isRollingUpdate = (d: DeploymentObject) => d.spec?.strategy?.type === 'RollingUpdate';
export const desiredReplicas = (d: DeploymentObject) => d.spec?.replicas ?? 1;

/** MaxUnavailable: 0 unless rolling with replicas, and never more than the replicas. */
export function maxUnavailable(d: DeploymentObject): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const rolling = d.spec?.strategy?.rollingUpdate;
  const unavailable =
    resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, desired)?.unavailable ?? 0;
  return Math.min(unavailable, desired);
}

/** MaxSurge: 0 unless rolling. */
export function maxSurge(d: DeploymentObject): number {
  if (!isRollingUpdate(d)) return 0;
  const rolling = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, desiredReplicas(d))?.surge ?? 0;
}

// ---- counting ReplicaSets ----------------------------------------------------------------------------

export const specReplicas = (rs: ReplicaSetObject) => rs.spec?.replicas ?? 1;

export function replicaCount(sets: readonly (ReplicaSetObject | undefined)[]): number {
  return sets.reduce((sum, rs) => sum + (rs ? specReplicas(rs) : 0), 0);
}

type CountedStatus = 'replicas' | 'readyReplicas' | 'availableReplicas';

/** GetActualReplicaCountForReplicaSets and its ready and available siblings: a sum over status. */
export function statusCount(sets: readonly (ReplicaSetObject | undefined)[], field: CountedStatus): number {
  return sets.reduce((sum, rs) => sum + (rs?.status?.[field] ?? 0), 0);
}

/**
 * GetTerminatingReplicaCountForReplicaSets: the sum, or undefined when a ReplicaSet its controller has synced
 * does not report the count (the feature is off there).
 */
export function terminatingCount(sets: readonly (ReplicaSetObject | undefined)[]): number | undefined {
  let sum = 0;
  for (const rs of sets) {
    if (!rs) continue;
    const terminating = (rs.status as { terminatingReplicas?: number } | undefined)?.terminatingReplicas;
    if (terminating === undefined) {
      if ((rs.status?.observedGeneration ?? 0) === 0) continue;
      return undefined;
    }
    sum += terminating;
  }
  return sum;
}

/** FilterActiveReplicaSets: those with replicas wanted. */
export function activeReplicaSets(sets: readonly (ReplicaSetObject | undefined)[]): ReplicaSetObject[] {
  return sets.filter((rs): rs is ReplicaSetObject => rs !== undefined && specReplicas(rs) > 0);
}

const created = (rs: ReplicaSetObject) => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
const byName = (a: ReplicaSetObject, b: ReplicaSetObject) => {
  const x = a.metadata.name ?? '';
  const y = b.metadata.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/** ReplicaSetsByCreationTimestamp: oldest first, names breaking ties. */
export function byCreationTimestamp(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return created(a) - created(b) || byName(a, b);
}

/** ReplicaSetsBySizeOlder: larger first, then older first. */
export function bySizeOlder(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
}

/** ReplicaSetsBySizeNewer: larger first, then newer first. */
export function bySizeNewer(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);
}

/** ReplicaSetsByRevision: lower revision first, then oldest. */
export function byRevision(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return (revision(a) ?? 0) - (revision(b) ?? 0) || byCreationTimestamp(a, b);
}

// ---- revisions and annotations -----------------------------------------------------------------------

/** Revision: the revision annotation as a number, 0 without one, undefined when it does not parse. */
export function revision(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^[+-]?[0-9]+$/.test(v) ? Number.parseInt(v, 10) : undefined;
}

/** MaxRevision: the highest revision among the sets, skipping those that do not parse. */
export function maxRevision(sets: readonly ReplicaSetObject[]): number {
  return sets.reduce((max, rs) => Math.max(max, revision(rs) ?? 0), 0);
}

/** SetDeploymentRevision: true when it changed. */
export function setDeploymentRevision(d: DeploymentObject, rev: string): boolean {
  d.metadata.annotations ??= {};
  if (d.metadata.annotations[REVISION_ANNOTATION] === rev) return false;
  d.metadata.annotations[REVISION_ANNOTATION] = rev;
  return true;
}

/**
 * SetNewReplicaSetAnnotations: the Deployment's own annotations copied, the revision raised to `newRevision`
 * (the old one moved to the revision history, kept under `historyLimit` characters), and on creation the
 * replica annotations. True when an annotation changed.
 */
export function setNewReplicaSetAnnotations(
  d: DeploymentObject,
  rs: ReplicaSetObject,
  newRevision: string,
  exists: boolean,
  historyLimit: number,
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  const had = Object.hasOwn(annotations, REVISION_ANNOTATION);
  const oldRevision = annotations[REVISION_ANNOTATION] ?? '';
  let oldRevisionInt = 0;
  if (oldRevision !== '') {
    if (!/^[+-]?[0-9]+$/.test(oldRevision)) return false;
    oldRevisionInt = Number.parseInt(oldRevision, 10);
  }
  const newRevisionInt = Number.parseInt(newRevision, 10);
  if (oldRevisionInt < newRevisionInt) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  // A ReplicaSet that had a revision and gets a newer one is being rolled back to: keep its old revisions.
  if (had && oldRevisionInt < newRevisionInt) {
    const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
    const oldRevisions = history.split(',');
    if (oldRevisions[0].length === 0) {
      annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    } else {
      let totalLen = history.length + oldRevision.length + 1;
      let start = 0;
      while (totalLen > historyLimit && start < oldRevisions.length) {
        totalLen -= oldRevisions[start].length + 1;
        start++;
      }
      if (totalLen <= historyLimit) {
        annotations[REVISION_HISTORY_ANNOTATION] = [...oldRevisions.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d)))
    changed = true;
  return changed;
}

// copyDeploymentAnnotationsToReplicaSet.
function copyDeploymentAnnotations(d: DeploymentObject, rs: ReplicaSetObject): boolean {
  rs.metadata.annotations ??= {};
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(key) || rs.metadata.annotations[key] === value) continue;
    rs.metadata.annotations[key] = value;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSetObject, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  let changed = false;
  for (const [key, value] of [
    [DESIRED_REPLICAS_ANNOTATION, String(desired)],
    [MAX_REPLICAS_ANNOTATION, String(max)],
  ]) {
    if (rs.metadata.annotations[key] !== value) {
      rs.metadata.annotations[key] = value;
      changed = true;
    }
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return a?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a?.[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * getNonNegativeInt32FromAnnotation: the annotation as a non-negative int32, undefined when it is absent, not a
 * plain decimal or out of range.
 */
export function intAnnotation(rs: ReplicaSetObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined || !/^[0-9]+$/.test(v)) return undefined;
  const n = Number.parseInt(v, 10);
  return n <= MAX_INT32 ? n : undefined;
}

// ---- new and old ReplicaSets -------------------------------------------------------------------------

/** A template without the pod-template-hash label, for EqualIgnoreHash. */
function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const labels = { ...(t?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...(t ?? {}), metadata: { ...(t?.metadata ?? {}), labels } };
}

/** EqualIgnoreHash: the templates are equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return sameJson(withoutHash(a), withoutHash(b));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(
  d: DeploymentObject,
  sets: readonly ReplicaSetObject[],
): ReplicaSetObject | undefined {
  return [...sets]
    .sort(byCreationTimestamp)
    .find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets' second result: every ReplicaSet but the new one. */
export function findOldReplicaSets(
  d: DeploymentObject,
  sets: readonly ReplicaSetObject[],
): ReplicaSetObject[] {
  const newRS = findNewReplicaSet(d, sets);
  return sets.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** FindActiveOrLatest: the only active set, the newest one when none is active, nothing when several are. */
export function findActiveOrLatest(
  newRS: ReplicaSetObject | undefined,
  oldRSs: readonly ReplicaSetObject[],
): ReplicaSetObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** IsSaturated: the new set has all the replicas, believes so too, and all of them are available. */
export function isSaturated(d: DeploymentObject, rs: ReplicaSetObject | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  const replicas = desiredReplicas(d);
  return (
    specReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/**
 * NewRSNewReplicas: RollingUpdate grows the new set as far as maxSurge allows, never past the desired count;
 * Recreate gives it all the replicas at once.
 */
export function newRSNewReplicas(
  d: DeploymentObject,
  allRSs: readonly (ReplicaSetObject | undefined)[],
  newRS: ReplicaSetObject,
): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge, desired, true) ?? 0;
  const current = replicaCount(allRSs);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

/** integer.RoundToInt32: half away from zero. */
const roundToInt32 = (a: number) => (a < 0 ? Math.ceil(a - 0.5) : Math.floor(a + 0.5));

/**
 * GetProportion: the share of `toAdd` (negative when scaling down) this set takes, from its size against the
 * size the Deployment had when the set was last sized (the max-replicas annotation).
 */
export function getProportion(
  rs: ReplicaSetObject | undefined,
  d: DeploymentObject,
  toAdd: number,
  added: number,
): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * getReplicaSetFraction: the set's size scaled from the Deployment's size when the set was last sized (its
 * max-replicas annotation, else the Deployment's status.replicas) to its size now, minus the set's size.
 */
export function replicaSetFraction(rs: ReplicaSetObject, d: DeploymentObject): number {
  if (desiredReplicas(d) === 0) return -specReplicas(rs);
  const maxReplicas = desiredReplicas(d) + maxSurge(d);
  let before = intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  if (!before) {
    // The annotation was removed or tampered with: fall back to the Deployment's size, or do not scale.
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  return roundToInt32((specReplicas(rs) * maxReplicas) / before) - specReplicas(rs);
}

// ---- progress ------------------------------------------------------------------------------------------

export const hasProgressDeadline = (d: DeploymentObject) =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== MAX_INT32;

export const hasRevisionHistoryLimit = (d: DeploymentObject) =>
  d.spec?.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== MAX_INT32;

/** DeploymentComplete: every desired replica updated and available, none left over, the spec observed. */
export function deploymentComplete(d: DeploymentObject, status: DeploymentStatus): boolean {
  const desired = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, fewer old, or more ready or available pods than last time. */
export function deploymentProgressing(d: DeploymentObject, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the last progress is older than progressDeadlineSeconds, or was already too old. */
export function deploymentTimedOut(d: DeploymentObject, status: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(status, 'Progressing');
  if (!condition) return false;
  if (condition.reason === REASON.newRSAvailable) return false;
  if (condition.reason === REASON.timedOut) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}

// ---- conditions ------------------------------------------------------------------------------------------

export function newDeploymentCondition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getDeploymentCondition(
  status: DeploymentStatus,
  type: string,
): DeploymentCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: nothing when status and reason are unchanged; the transition time kept for the same status. */
export function setDeploymentCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getDeploymentCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}

/** ReplicaSetToDeploymentCondition. */
export function fromReplicaSetCondition(c: ReplicaSetCondition): DeploymentCondition {
  return {
    type: c.type,
    status: c.status,
    lastTransitionTime: c.lastTransitionTime,
    lastUpdateTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  };
}
