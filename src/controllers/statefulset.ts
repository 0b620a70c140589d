// The StatefulSet controller (k8s:pkg/controller/statefulset/stateful_set_control.go UpdateStatefulSet,
// stateful_pod_control.go, stateful_set_utils.go): pods `<set>-<ordinal>` with a stable identity and their own
// claims, created in ordinal order and removed in reverse (OrderedReady: one at a time, each waiting for its
// predecessors to be Running and Ready; Parallel: all at once), rolled to a new template from the highest ordinal
// down to the partition, with the template history kept as ControllerRevisions. Each sync first adopts the orphan
// revisions its selector matches, then claims its pods: the orphans its selector matches whose name is one of its
// ordinals are adopted, its pods that stopped matching are released (k8s:pkg/controller/statefulset/
// stateful_set.go sync, adoptOrphanRevisions, getPodsForStatefulSet with isMemberOf).
import type { PersistentVolumeClaim, Volume } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../api/apiserver';
import { sameJson } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import type { Selector } from '../api/labels';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import type { StatefulSetObject } from '../api/statefulsets';
import { ApiError, type Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { ControlledObjects } from './controlled-objects';
import {
  createRevision,
  deleteRevision,
  nextRevision,
  REVISION_HASH_LABEL,
  type RevisionObject,
  revisionHash,
  sortRevisions,
} from './controller-history';
import { adopt, claimObjects, parseSelector } from './controller-ref-manager';
import { controllerOf, podFromTemplate } from './pod-control';
import { isPodAvailable, isPodReady, readySince } from './pod-states';

/** apps.StatefulSetPodNameLabel and apps.PodIndexLabel. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const SOURCE = { component: 'statefulset-controller' };
type SetSpec = NonNullable<StatefulSetObject['spec']>;
type SetStatus = NonNullable<StatefulSetObject['status']>;

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly pods: ControlledObjects<PodObject>,
    private readonly revisions: ControlledObjects<RevisionObject>,
  ) {
    store.watch('StatefulSet', (_type, obj) => loop.enqueue(this, keyOf(obj)));
    // addPod, updatePod, deletePod: the pod's set, or for an orphan every set of its namespace that selects it.
    pods.onControlled('StatefulSet', (owner, namespace) => loop.enqueue(this, `${namespace}/${owner.name}`));
    pods.onOrphan((pod) => this.wakeSelecting(pod));
  }

  // getStatefulSetsForPod: the sets of the pod's namespace whose selector matches it.
  private wakeSelecting(pod: PodObject): void {
    for (const set of this.store.list('StatefulSet', pod.metadata.namespace)) {
      const selector = parseSelector((set as StatefulSetObject).spec?.selector);
      if (selector && !selector.isEmpty() && selector.matches(pod.metadata.labels)) {
        this.loop.enqueue(this, keyOf(set));
      }
    }
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const set = this.store.get('StatefulSet', namespace, name) as StatefulSetObject | undefined;
    if (!set?.spec) return;
    const selector = parseSelector(set.spec.selector);
    if (!selector) return;
    const uid = set.metadata.uid as string;
    const revisions = sortRevisions(this.adoptOrphanRevisions(set, selector));
    // getPodsForStatefulSet: ClaimPods with isMemberOf, so only `<set>-<ordinal>` pods are adopted or kept.
    const pods = claimObjects({
      store: this.store,
      controller: set,
      matches: (labels) => selector.matches(labels),
      filter: (pod) => parentOf(pod) === name,
      objects: this.pods.ownedOrOrphaned(uid, namespace),
    });
    const { current, update, collisionCount } = await this.currentAndUpdateRevisions(set, revisions);
    const status = await this.updateStatefulSet(set, current, update, collisionCount, pods);
    this.writeStatus(set, status);
    await this.truncateHistory(set, pods, revisions, current, update);
  }

  // adoptOrphanRevisions with ListRevisions (k8s:pkg/controller/history/controller_history.go
  // ListControllerRevisions): the revisions of the namespace the selector matches that are the set's or nobody's;
  // the orphans among them are adopted. Unlike pods, revisions that stopped matching are not released: they are
  // simply no longer the set's history.
  private adoptOrphanRevisions(set: StatefulSetObject, selector: Selector): RevisionObject[] {
    const uid = set.metadata.uid as string;
    const revisions: RevisionObject[] = [];
    for (const revision of this.revisions.ownedOrOrphaned(uid, set.metadata.namespace as string)) {
      if (!selector.matches(revision.metadata.labels)) continue;
      if (controllerOf(revision)) revisions.push(revision);
      else {
        const adopted = adopt(this.store, revision, set) as RevisionObject | undefined;
        if (adopted) revisions.push(adopted);
      }
    }
    return revisions;
  }

  // getStatefulSetRevisions: the revision of the set's template is created, or an older equal one brought back as
  // the newest (a rollback); the current revision is the status' one, or the update revision at first.
  private async currentAndUpdateRevisions(set: StatefulSetObject, revisions: RevisionObject[]) {
    const data = templatePatch(set);
    const equal = revisions.filter((r) => sameJson(r.data, data));
    const latest = revisions[revisions.length - 1];
    let collisionCount = set.status?.collisionCount ?? 0;
    let update: RevisionObject;
    if (equal.length > 0 && equal[equal.length - 1] === latest) update = latest;
    else if (equal.length > 0) {
      const found = equal[equal.length - 1];
      update = (this.store.mutate<RevisionObject>(
        'ControllerRevision',
        found.metadata.namespace,
        found.metadata.name as string,
        (r) => {
          r.revision = nextRevision(revisions);
        },
      ) ?? found) as RevisionObject;
    } else {
      const created = await createRevision(this.api, {
        owner: set,
        labels: () => ({ ...(set.spec?.template?.metadata?.labels ?? {}) }),
        data,
        revision: nextRevision(revisions),
        hash: (count) => revisionHash(data, count),
        collisionCount,
      });
      update = created.revision;
      collisionCount = created.collisionCount;
    }
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  // updateStatefulSet: the ordinal replicas, the condemned pods beyond them, then the rolling update.
  private async updateStatefulSet(
    set: StatefulSetObject,
    current: RevisionObject,
    update: RevisionObject,
    collisionCount: number,
    pods: PodObject[],
  ): Promise<SetStatus> {
    const spec = set.spec as SetSpec;
    const now = this.store.clock.now();
    const minReady = spec.minReadySeconds ?? 0;
    const status: SetStatus = {
      observedGeneration: set.metadata.generation,
      currentRevision: current.metadata.name,
      updateRevision: update.metadata.name,
      collisionCount,
      replicas: 0,
    };
    const start = spec.ordinals?.start ?? 0;
    const count = spec.replicas ?? 1;
    const replicas: PodObject[] = new Array(count);
    const condemned: PodObject[] = [];
    for (const pod of pods) {
      const ord = ordinalOf(pod);
      if (ord >= start && ord < start + count) replicas[ord - start] = pod;
      else if (ord >= 0) condemned.push(pod);
    }
    for (let i = 0; i < count; i++) {
      replicas[i] ??= this.newVersionedPod(set, current, update, start + i);
    }
    condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
    const unavailable = (p: PodObject) => !isRunningAndAvailable(p, minReady, now) || isTerminating(p);
    const firstUnavailable =
      replicas.find(unavailable) ?? [...condemned].reverse().find((p) => unavailable(p));
    const finish = () => {
      countReplicas(status, [...replicas, ...condemned], current, update, minReady, now);
      this.wakeForAvailability([...replicas, ...condemned], minReady, now, set);
      return status;
    };
    countReplicas(status, pods, current, update, minReady, now);
    if (set.metadata.deletionTimestamp) return status;

    const monotonic = spec.podManagementPolicy !== 'Parallel';
    for (let i = 0; i < replicas.length; i++) {
      const stop = await this.processReplica(set, monotonic, replicas, i, minReady, now);
      if (stop && monotonic) return finish();
    }
    for (const pod of condemned) {
      const stop = await this.processCondemned(set, pod, firstUnavailable, monotonic, minReady, now);
      if (stop && monotonic) return finish();
    }
    finish();
    if (spec.updateStrategy?.type === 'OnDelete') return status;
    // The pod with the largest ordinal not at the update revision goes first; an unavailable one is waited for.
    const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let target = replicas.length - 1; target >= partition; target--) {
      const pod = replicas[target];
      if (revisionOf(pod) !== update.metadata.name && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        status.currentReplicas = (status.currentReplicas ?? 0) - 1;
        return status;
      }
      if (unavailable(pod)) return status;
    }
    return status;
  }

  // processReplica: true when a monotonic sync must stop at this replica.
  private async processReplica(
    set: StatefulSetObject,
    monotonic: boolean,
    replicas: PodObject[],
    i: number,
    minReady: number,
    now: number,
  ): Promise<boolean> {
    const pod = replicas[i];
    const phase = pod.status?.phase;
    // A finished pod (failed, or stopped for good by its node) is deleted and made again on a later sync.
    if (phase === 'Failed' || phase === 'Succeeded') {
      if (!pod.metadata.deletionTimestamp) await this.deletePod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      await this.createPod(set, pod);
      if (monotonic) return true;
    }
    if (phase === 'Pending') await this.createMissingClaims(set, pod);
    if (isTerminating(pod) && monotonic) return true;
    if (!isRunningAndReady(pod) && monotonic) return true;
    if (!isRunningAndAvailable(pod, minReady, now) && monotonic) return true;
    if (isCreated(pod) && !identityMatches(set, pod)) await this.restoreIdentity(set, pod);
    return false;
  }

  // processCondemned: in monotonic mode one pod at a time, highest ordinal first, each once the others are
  // healthy (the first unhealthy pod itself may go).
  private async processCondemned(
    set: StatefulSetObject,
    pod: PodObject,
    firstUnavailable: PodObject | undefined,
    monotonic: boolean,
    minReady: number,
    now: number,
  ): Promise<boolean> {
    if (isTerminating(pod)) return monotonic;
    if (monotonic && pod !== firstUnavailable) {
      if (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now)) return true;
    }
    await this.deletePod(set, pod);
    return true;
  }

  /** newVersionedStatefulSetPod: below the partition a pod keeps the current revision. */
  private newVersionedPod(
    set: StatefulSetObject,
    current: RevisionObject,
    update: RevisionObject,
    ordinal: number,
  ): PodObject {
    const spec = set.spec as SetSpec;
    const rolling = spec.updateStrategy?.rollingUpdate;
    const start = spec.ordinals?.start ?? 0;
    const keepCurrent =
      (spec.updateStrategy?.type === 'RollingUpdate' &&
        !rolling &&
        ordinal < start + (set.status?.currentReplicas ?? 0)) ||
      (rolling !== undefined && ordinal < start + (rolling.partition ?? 0));
    const revision = keepCurrent ? current : update;
    const template = templateOfRevision(revision) ?? spec.template;
    const name = `${set.metadata.name}-${ordinal}`;
    const pod = podFromTemplate({ template, owner: set, name });
    // GetPodFromTemplate leaves the generateName of `<set>-` on the pod, as a real StatefulSet pod shows.
    pod.metadata.generateName = `${set.metadata.name}-`;
    pod.metadata.labels = {
      ...(pod.metadata.labels ?? {}),
      [REVISION_HASH_LABEL]: revision.metadata.name as string,
    };
    initIdentity(set, pod, ordinal);
    setStorage(set, pod, ordinal);
    return pod;
  }

  // CreateStatefulPod: the claims first, then the pod.
  private async createPod(set: StatefulSetObject, pod: PodObject): Promise<void> {
    if (!(await this.createMissingClaims(set, pod))) return;
    try {
      await this.api.create(structuredClone(pod));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.reason === 'AlreadyExists') return;
      this.podEvent('create', set, pod, error);
      return;
    }
    this.podEvent('create', set, pod);
  }

  // createPersistentVolumeClaims: each missing claim is created (with its event); false if one could not be.
  private async createMissingClaims(set: StatefulSetObject, pod: PodObject): Promise<boolean> {
    let ok = true;
    for (const claim of claimsFor(set, ordinalOf(pod))) {
      const name = claim.metadata?.name as string;
      const existing = this.store.get('PersistentVolumeClaim', set.metadata.namespace, name);
      if (existing) {
        if (existing.metadata.deletionTimestamp) ok = false;
        continue;
      }
      try {
        await this.api.create(claim as unknown as KubeObject);
        this.record(
          'Normal',
          'SuccessfulCreate',
          set,
          `create Claim ${name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`,
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        ok = false;
        this.record(
          'Warning',
          'FailedCreate',
          set,
          `create Claim ${name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: failed to create PVC ${name}: ${error.message}`,
        );
      }
    }
    return ok;
  }

  // UpdateStatefulPod: a pod whose identity labels were changed, or an adopted one without them, gets them.
  private async restoreIdentity(set: StatefulSetObject, pod: PodObject): Promise<void> {
    this.store.mutate<PodObject>('Pod', pod.metadata.namespace, pod.metadata.name as string, (p) => {
      updateIdentity(set, p, ordinalOf(pod));
    });
    this.podEvent('update', set, pod);
  }

  private async deletePod(set: StatefulSetObject, pod: PodObject): Promise<void> {
    try {
      await this.api.delete('Pod', pod.metadata.namespace, pod.metadata.name as string);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.reason !== 'NotFound') this.podEvent('delete', set, pod, error);
      return;
    }
    this.podEvent('delete', set, pod);
  }

  /** recordPodEvent: `create Pod web-0 in StatefulSet web successful`, or the failure with its error. */
  private podEvent(
    verb: 'create' | 'update' | 'delete',
    set: StatefulSetObject,
    pod: PodObject,
    error?: Error,
  ) {
    const title = `${verb[0].toUpperCase()}${verb.slice(1)}`;
    const what = `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name}`;
    if (error) this.record('Warning', `Failed${title}`, set, `${what} failed error: ${error.message}`);
    else this.record('Normal', `Successful${title}`, set, `${what} successful`);
  }

  private record(type: 'Normal' | 'Warning', reason: string, set: StatefulSetObject, message: string): void {
    this.recorder.record(set, type, reason, message, SOURCE);
  }

  // With minReadySeconds, a ready pod becomes available later: the set is looked at again then.
  private wakeForAvailability(
    pods: PodObject[],
    minReady: number,
    now: number,
    set: StatefulSetObject,
  ): void {
    if (minReady === 0) return;
    for (const pod of pods) {
      const since = readySince(pod);
      if (since !== undefined && since + minReady * 1000 > now) {
        this.loop.schedule(this, keyOf(set), since + minReady * 1000);
      }
    }
  }

  // updateStatefulSetStatus: a finished rolling update makes the update revision current; nothing is written
  // when nothing changed.
  private writeStatus(set: StatefulSetObject, status: SetStatus): void {
    const next: SetStatus = { ...status };
    if (
      set.spec?.updateStrategy?.type === 'RollingUpdate' &&
      next.updatedReplicas === next.replicas &&
      next.readyReplicas === next.replicas
    ) {
      next.currentReplicas = next.updatedReplicas;
      next.currentRevision = next.updateRevision;
    }
    const stored = withoutZeroCounts(next);
    if (sameJson(stored, set.status)) return;
    this.store.mutate<StatefulSetObject>(
      'StatefulSet',
      set.metadata.namespace,
      set.metadata.name as string,
      (s) => {
        s.status = stored;
      },
    );
  }

  // truncateHistory: revisions neither current, nor updated, nor used by a pod are deleted, oldest first, down to
  // revisionHistoryLimit.
  private async truncateHistory(
    set: StatefulSetObject,
    pods: PodObject[],
    revisions: RevisionObject[],
    current: RevisionObject,
    update: RevisionObject,
  ): Promise<void> {
    const live = new Set([current.metadata.name, update.metadata.name, ...pods.map(revisionOf)]);
    const history = revisions.filter((r) => !live.has(r.metadata.name));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    if (limit < 0 || history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) await deleteRevision(this.api, r);
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

const ORDINAL = /^(.*)-([0-9]+)$/;

/** getOrdinal: the number after the last dash of the pod's name; -1 when there is none. */
export function ordinalOf(pod: PodObject): number {
  const m = ORDINAL.exec(pod.metadata.name ?? '');
  if (!m) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) && n <= 2147483647 ? n : -1;
}

/** getParentName: the name before the ordinal. */
function parentOf(pod: PodObject): string | undefined {
  return ORDINAL.exec(pod.metadata.name ?? '')?.[1];
}

const revisionOf = (pod: PodObject) => pod.metadata.labels?.[REVISION_HASH_LABEL];
const isCreated = (pod: PodObject) => (pod.status?.phase ?? '') !== '';
const isTerminating = (pod: PodObject) => pod.metadata.deletionTimestamp !== undefined;
const isRunningAndReady = (pod: PodObject) => pod.status?.phase === 'Running' && isPodReady(pod);
const isRunningAndAvailable = (pod: PodObject, minReady: number, now: number) =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReady, now);

/** getPatch: the revision's data, a strategic merge patch that replaces the template. */
function templatePatch(set: StatefulSetObject): unknown {
  return { spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: 'replace' } } };
}

/** ApplyRevision: the template a revision recorded. */
function templateOfRevision(revision: RevisionObject): SetSpec['template'] | undefined {
  const template = (revision.data as { spec?: { template?: Record<string, unknown> } })?.spec?.template;
  if (!template) return undefined;
  const { $patch: _patch, ...rest } = template;
  return rest as SetSpec['template'];
}

// computeReplicaStatus over the pods.
function countReplicas(
  status: SetStatus,
  pods: readonly PodObject[],
  current: RevisionObject,
  update: RevisionObject,
  minReady: number,
  now: number,
): void {
  status.replicas = 0;
  status.readyReplicas = 0;
  status.availableReplicas = 0;
  status.currentReplicas = 0;
  status.updatedReplicas = 0;
  for (const pod of pods) {
    if (isCreated(pod)) status.replicas += 1;
    if (isRunningAndReady(pod)) {
      status.readyReplicas += 1;
      if (isRunningAndAvailable(pod, minReady, now)) status.availableReplicas += 1;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      if (revisionOf(pod) === current.metadata.name) status.currentReplicas += 1;
      if (revisionOf(pod) === update.metadata.name) status.updatedReplicas += 1;
    }
  }
}

/** The status as apps/v1 serialises it: readyReplicas, currentReplicas and updatedReplicas are omitted at 0. */
function withoutZeroCounts(status: SetStatus): SetStatus {
  const out: SetStatus = { ...status };
  for (const key of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'observedGeneration'] as const) {
    if (!out[key]) delete out[key];
  }
  return out;
}

/** updateIdentity: the pod's name labels (all an update may change: a pod's spec is immutable). */
function updateIdentity(set: StatefulSetObject, pod: PodObject, ordinal: number): void {
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    [POD_NAME_LABEL]: `${set.metadata.name}-${ordinal}`,
    [POD_INDEX_LABEL]: String(ordinal),
  };
}

/** initIdentity: the name labels, and at creation the hostname and the subdomain of the governing Service. */
function initIdentity(set: StatefulSetObject, pod: PodObject, ordinal: number): void {
  updateIdentity(set, pod, ordinal);
  pod.spec ??= { containers: [] };
  pod.spec.hostname = `${set.metadata.name}-${ordinal}`;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
}

/** identityMatches: the pod still carries its identity. */
function identityMatches(set: StatefulSetObject, pod: PodObject): boolean {
  const ordinal = ordinalOf(pod);
  const name = `${set.metadata.name}-${ordinal}`;
  return (
    pod.metadata.name === name &&
    pod.metadata.labels?.[POD_NAME_LABEL] === name &&
    pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal)
  );
}

/** getPersistentVolumeClaimName: `<template>-<set>-<ordinal>`. */
export function claimName(template: string, set: string, ordinal: number): string {
  return `${template}-${set}-${ordinal}`;
}

// getPersistentVolumeClaims: one claim per template, labelled with the set's selector (Retain policies: no owner).
function claimsFor(set: StatefulSetObject, ordinal: number): PersistentVolumeClaim[] {
  const matchLabels = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((template) => {
    const claim = structuredClone(template) as PersistentVolumeClaim & { status?: unknown };
    delete claim.status;
    return {
      ...claim,
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        ...(claim.metadata ?? {}),
        name: claimName(template.metadata?.name as string, set.metadata.name as string, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...(claim.metadata?.labels ?? {}), ...matchLabels },
      },
    } as PersistentVolumeClaim;
  });
}

// updateStorage: each claim template replaces any pod volume of the same name with the ordinal's claim.
function setStorage(set: StatefulSetObject, pod: PodObject, ordinal: number): void {
  const templates = set.spec?.volumeClaimTemplates ?? [];
  if (templates.length === 0) return;
  const byName = new Map<string, Volume>();
  for (const v of pod.spec?.volumes ?? []) byName.set(v.name, v);
  for (const t of templates) {
    const name = t.metadata?.name as string;
    byName.set(name, {
      name,
      persistentVolumeClaim: { claimName: claimName(name, set.metadata.name as string, ordinal) },
    });
  }
  (pod.spec as NonNullable<PodObject['spec']>).volumes = [...byName.values()];
}
