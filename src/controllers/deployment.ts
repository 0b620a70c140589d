// The Deployment controller (k8s:pkg/controller/deployment/deployment_controller.go syncDeployment, sync.go,
// rolling.go, recreate.go, progress.go). A Deployment owns one ReplicaSet per pod template, named
// `<deployment>-<pod-template-hash>`; a template change creates a new ReplicaSet and moves the replicas over,
// step by step as the `deployment.rollout` rules allow (RollingUpdate), or all at once after the old pods are
// gone (Recreate); a change of replicas alone is spread over the active ReplicaSets in proportion. Revisions,
// the replica annotations, the history limit and the status (counts, Available and Progressing conditions,
// the progress deadline) follow the controller. It is woken by its Deployment, by changes of its ReplicaSets
// (whose status carries the pods' readiness) and, for Recreate, when its last pod is gone.
import type { DeploymentStatus, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1';
import type { ApiServer } from '../api/apiserver';
import { sameJson } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import { keyOf } from '../api/object';
import type { PodObject } from '../api/pods';
import type { DeploymentObject, ReplicaSetObject } from '../api/replica-sets';
import { ApiError, type Store, type WatchEventType } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';
import type { KubernetesVersion } from '../sim/version';
import type { ControlledObjects } from './controlled-objects';
import { claimObjects, parseSelector as parse } from './controller-ref-manager';
import { rolloutContext } from './deployment-rollout-rules';
import {
  activeReplicaSets,
  byCreationTimestamp,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  DESIRED_REPLICAS_ANNOTATION,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  desiredReplicas,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  fromReplicaSetCondition,
  getDeploymentCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  intAnnotation,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newDeploymentCondition,
  newRSNewReplicas,
  REASON,
  REVISION_ANNOTATION,
  removeDeploymentCondition,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  setDeploymentCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  statusCount,
  terminatingCount,
} from './deployment-util';
import { controllerOf, controllerRef } from './pod-control';
import { computeHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash';

const SOURCE = { component: 'deployment-controller' };
/** maxRevHistoryLengthInChars: the revision-history annotation stays under 2000 characters. */
const MAX_REVISION_HISTORY_LENGTH = 2000;
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 1_000_000;

export interface DeploymentControllerDeps {
  store: Store;
  api: ApiServer;
  loop: ReconcileLoop;
  recorder: EventRecorder;
  pods: ControlledObjects<PodObject>;
  rolloutRules: () => Evaluator;
  trace: DecisionTrace;
  version: () => KubernetesVersion;
}

/** A sync that must be retried (an API call failed); Kubernetes requeues it rate-limited. */
class SyncFailed {
  constructor(readonly message: string) {}
}

interface Scaled {
  scaled: boolean;
  rs: ReplicaSetObject;
}

export class DeploymentController implements Controller {
  readonly name = 'deployment-controller';
  private readonly failures = new Map<string, number>();

  constructor(private readonly d: DeploymentControllerDeps) {
    d.store.watch('Deployment', (_type, obj) => d.loop.enqueue(this, keyOf(obj)));
    d.store.watch('ReplicaSet', (type, obj, old) =>
      this.replicaSetChanged(type, obj as ReplicaSetObject, old as ReplicaSetObject | undefined),
    );
    d.store.watch('Pod', (type, obj) => {
      if (type === 'DELETED') this.podDeleted(obj as PodObject);
    });
  }

  // ---- event handlers (addReplicaSet, updateReplicaSet, deleteReplicaSet, deletePod) ------------------

  private replicaSetChanged(
    type: WatchEventType,
    rs: ReplicaSetObject,
    old: ReplicaSetObject | undefined,
  ): void {
    const current = controllerOf(rs);
    if (type !== 'MODIFIED' || !old) {
      if (current) this.wake(rs.metadata.namespace, current);
      else if (type === 'ADDED') this.wakeSelecting(rs);
      return;
    }
    const previous = controllerOf(old);
    const refChanged = !sameJson(current, previous);
    if (refChanged && previous) this.wake(old.metadata.namespace, previous);
    if (current) {
      this.wake(rs.metadata.namespace, current);
      return;
    }
    if (refChanged || !sameJson(rs.metadata.labels, old.metadata.labels)) this.wakeSelecting(rs);
  }

  private wake(namespace: string | undefined, ref: OwnerReference): void {
    const d = this.resolve(namespace, ref);
    if (d) this.d.loop.enqueue(this, keyOf(d));
  }

  // getDeploymentsForReplicaSet: an orphan wakes the Deployments of its namespace that select it.
  private wakeSelecting(rs: ReplicaSetObject): void {
    for (const d of this.d.store.list('Deployment', rs.metadata.namespace)) {
      const selector = parse((d as DeploymentObject).spec?.selector);
      if (selector && !selector.isEmpty() && selector.matches(rs.metadata.labels)) {
        this.d.loop.enqueue(this, keyOf(d));
      }
    }
  }

  private resolve(namespace: string | undefined, ref: OwnerReference): DeploymentObject | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.d.store.get('Deployment', namespace, ref.name);
    return d?.metadata.uid === ref.uid ? (d as DeploymentObject) : undefined;
  }

  // deletePod: a Recreate Deployment moves on once its last pod is gone.
  private podDeleted(pod: PodObject): void {
    const rsRef = controllerOf(pod);
    if (rsRef?.kind !== 'ReplicaSet') return;
    const rs = this.d.store.get('ReplicaSet', pod.metadata.namespace, rsRef.name);
    const dRef = rs?.metadata.uid === rsRef.uid ? controllerOf(rs) : undefined;
    const d = dRef ? this.resolve(pod.metadata.namespace, dRef) : undefined;
    if (d?.spec?.strategy?.type !== 'Recreate') return;
    const owned = this.d.store
      .list('ReplicaSet', d.metadata.namespace)
      .filter((r) => controllerOf(r)?.uid === d.metadata.uid);
    if (owned.every((r) => this.d.pods.controlledBy(r.metadata.uid as string).length === 0)) {
      this.d.loop.enqueue(this, keyOf(d));
    }
  }

  // ---- syncDeployment ----------------------------------------------------------------------------

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const stored = this.d.store.get('Deployment', namespace, name);
    if (!stored) {
      this.failures.delete(key);
      return;
    }
    const d = structuredClone(stored) as DeploymentObject;
    const outcome = await this.sync(d);
    const now = this.d.store.clock.now();
    if (outcome instanceof SyncFailed) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.d.loop.schedule(this, key, now + Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS));
      return;
    }
    this.failures.delete(key);
  }

  private async sync(d: DeploymentObject): Promise<SyncFailed | undefined> {
    const rsList = this.claimReplicaSets(d);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    this.checkPausedConditions(d);
    if (d.spec?.paused) return this.syncScaling(d, rsList);
    const scaling = await this.isScalingEvent(d, rsList);
    if (scaling instanceof SyncFailed) return scaling;
    if (scaling) return this.syncScaling(d, rsList);
    if (d.spec?.strategy?.type === 'Recreate') return this.rolloutRecreate(d, rsList);
    return this.rolloutRolling(d, rsList);
  }

  // getReplicaSetsForDeployment: every ReplicaSet of the namespace, claimed with the Deployment's selector.
  private claimReplicaSets(d: DeploymentObject): ReplicaSetObject[] {
    const selector = parse(d.spec?.selector);
    if (!selector) return [];
    return claimObjects({
      store: this.d.store,
      controller: d,
      matches: (labels) => selector.matches(labels),
      objects: this.d.store.list('ReplicaSet', d.metadata.namespace) as ReplicaSetObject[],
    });
  }

  private async syncStatusOnly(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
  ): Promise<SyncFailed | undefined> {
    const all = await this.replicaSetsWithRevision(d, rsList, false);
    if (all instanceof SyncFailed) return all;
    this.syncDeploymentStatus([...all.oldRSs, all.newRS], all.newRS, d);
    return undefined;
  }

  /** sync: a scaling event or a paused Deployment; no rollout step. */
  private async syncScaling(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
  ): Promise<SyncFailed | undefined> {
    const all = await this.replicaSetsWithRevision(d, rsList, false);
    if (all instanceof SyncFailed) return all;
    await this.scale(d, all.newRS, all.oldRSs);
    if (d.spec?.paused) await this.cleanupDeployment(all.oldRSs, d);
    this.syncDeploymentStatus([...all.oldRSs, all.newRS], all.newRS, d);
    return undefined;
  }

  // checkPausedConditions.
  private checkPausedConditions(d: DeploymentObject): void {
    if (!hasProgressDeadline(d)) return;
    d.status ??= {};
    const cond = getDeploymentCondition(d.status, 'Progressing');
    if (cond?.reason === REASON.timedOut) return;
    const pausedCondExists = cond?.reason === REASON.paused;
    const now = this.d.store.clock.timestamp();
    if (d.spec?.paused && !pausedCondExists) {
      setDeploymentCondition(
        d.status,
        newDeploymentCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', now),
      );
    } else if (!d.spec?.paused && pausedCondExists) {
      setDeploymentCondition(
        d.status,
        newDeploymentCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', now),
      );
    } else return;
    this.updateStatus(d);
  }

  // isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas.
  private async isScalingEvent(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
  ): Promise<boolean | SyncFailed> {
    const all = await this.replicaSetsWithRevision(d, rsList, false);
    if (all instanceof SyncFailed) return all;
    return activeReplicaSets([...all.oldRSs, all.newRS]).some((rs) => {
      const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      return desired !== undefined && desired !== desiredReplicas(d);
    });
  }

  // getAllReplicaSetsAndSyncRevision.
  private async replicaSetsWithRevision(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
    createIfNotExisted: boolean,
  ): Promise<{ newRS: ReplicaSetObject | undefined; oldRSs: ReplicaSetObject[] } | SyncFailed> {
    const oldRSs = findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, createIfNotExisted);
    if (newRS instanceof SyncFailed) return newRS;
    return { newRS, oldRSs };
  }

  // getNewReplicaSet: the existing new ReplicaSet with its revision raised, or a new one.
  private async getNewReplicaSet(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
    oldRSs: ReplicaSetObject[],
    createIfNotExisted: boolean,
  ): Promise<ReplicaSetObject | undefined | SyncFailed> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    const now = this.d.store.clock.timestamp();
    if (existing) {
      const rsCopy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(
        d,
        rsCopy,
        newRevision,
        true,
        MAX_REVISION_HISTORY_LENGTH,
      );
      const minReadySeconds = d.spec?.minReadySeconds;
      if (annotationsUpdated || rsCopy.spec?.minReadySeconds !== minReadySeconds) {
        return this.updateReplicaSet(rsCopy, (draft) => {
          draft.metadata.annotations = rsCopy.metadata.annotations;
          if (draft.spec) draft.spec.minReadySeconds = minReadySeconds;
        });
      }
      let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
      d.status ??= {};
      if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
        const msg = `Found new replica set "${rsCopy.metadata.name}"`;
        setDeploymentCondition(
          d.status,
          newDeploymentCondition('Progressing', 'True', REASON.foundNewRS, msg, now),
        );
        needsUpdate = true;
      }
      if (needsUpdate) this.updateStatus(d);
      return rsCopy;
    }
    if (!createIfNotExisted) return undefined;
    return this.createNewReplicaSet(d, oldRSs, newRevision);
  }

  private async createNewReplicaSet(
    d: DeploymentObject,
    oldRSs: ReplicaSetObject[],
    newRevision: string,
  ): Promise<ReplicaSetObject | SyncFailed> {
    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}) };
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector: LabelSelector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const newRS = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        ownerReferences: [controllerRef(d)],
        labels: template.metadata.labels,
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    } as ReplicaSetObject;
    const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    (newRS.spec as { replicas: number }).replicas = count;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false, MAX_REVISION_HISTORY_LENGTH);
    const now = this.d.store.clock.timestamp();
    let created: ReplicaSetObject;
    let alreadyExists = false;
    try {
      created = (await this.d.api.create(newRS)) as ReplicaSetObject;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.reason === 'AlreadyExists') {
        const rs = this.d.store.get('ReplicaSet', d.metadata.namespace, name) as ReplicaSetObject | undefined;
        if (
          rs &&
          controllerOf(rs)?.uid === d.metadata.uid &&
          equalIgnoreHash(d.spec?.template, rs.spec?.template)
        ) {
          created = rs;
          alreadyExists = true;
        } else {
          // A hash collision: the next sync hashes with a higher collisionCount.
          d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
          this.updateStatus(d);
          return new SyncFailed(error.message);
        }
      } else if (error.reason === 'Forbidden' && error.message.endsWith('because it is being terminated')) {
        return new SyncFailed(error.message);
      } else {
        const msg = `Failed to create new replica set "${name}": ${error.message}`;
        if (hasProgressDeadline(d)) {
          d.status ??= {};
          setDeploymentCondition(
            d.status,
            newDeploymentCondition('Progressing', 'False', REASON.failedRSCreate, msg, now),
          );
          this.updateStatus(d);
        }
        this.d.recorder.record(d, 'Warning', REASON.failedRSCreate, msg, SOURCE);
        return new SyncFailed(msg);
      }
    }
    if (!alreadyExists && count > 0) {
      this.d.recorder.record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${name} from 0 to ${count}`,
        SOURCE,
      );
    }
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      d.status ??= {};
      const msg = `Created new replica set "${name}"`;
      setDeploymentCondition(
        d.status,
        newDeploymentCondition('Progressing', 'True', REASON.newReplicaSet, msg, now),
      );
      needsUpdate = true;
    }
    if (needsUpdate) this.updateStatus(d);
    return created;
  }

  // ---- rolling update --------------------------------------------------------------------------

  // rolloutRolling: one step as the deployment.rollout rules decide it.
  private async rolloutRolling(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
  ): Promise<SyncFailed | undefined> {
    const all = await this.replicaSetsWithRevision(d, rsList, true);
    if (all instanceof SyncFailed) return all;
    const newRS = all.newRS as ReplicaSetObject;
    const allRSs = [...all.oldRSs, newRS];
    const activeOld = activeReplicaSets(all.oldRSs);
    const context = rolloutContext(d, newRS, all.oldRSs, this.d.version());
    const decision = await this.d.rolloutRules().evaluate(context);
    const param = (type: string, name: string) => {
      const event = decision.events.find((e) => e.type === type);
      return event ? Math.max(0, Number(event.params[name])) : undefined;
    };
    const outcome: string[] = [];
    const to = param('scaleNewReplicaSet', 'to');
    if (to !== undefined) {
      const scaled = await this.scaleReplicaSetAndRecordEvent(newRS, to, d);
      if (scaled.scaled) {
        this.traceRollout(d, decision, `scaled new replica set ${newRS.metadata.name} to ${to}`);
        this.syncRolloutStatus(allRSs, newRS, d);
        return undefined;
      }
    }
    const upTo = param('cleanupUnhealthyOld', 'upTo');
    const cleaned = upTo !== undefined ? await this.cleanupUnhealthyReplicas(activeOld, d, upTo) : 0;
    if (cleaned > 0) outcome.push(`removed ${cleaned} unavailable old replica(s)`);
    const by = param('scaleDownOld', 'by');
    const scaledDown = by !== undefined ? await this.scaleDownOldReplicaSets(activeOld, d, by) : 0;
    if (scaledDown > 0) outcome.push(`scaled old replica sets down by ${scaledDown}`);
    this.traceRollout(d, decision, outcome.length > 0 ? outcome.join(', ') : 'no step');
    if (cleaned + scaledDown > 0) {
      this.syncRolloutStatus(allRSs, newRS, d);
      return undefined;
    }
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(all.oldRSs, d);
    this.syncRolloutStatus(allRSs, newRS, d);
    return undefined;
  }

  private traceRollout(
    d: DeploymentObject,
    decision: Awaited<ReturnType<Evaluator['evaluate']>>,
    outcome: string,
  ) {
    this.d.trace.add({
      kind: 'decision',
      time: this.d.store.clock.now(),
      subject: `deployment ${keyOf(d)}`,
      decision,
      outcome,
    });
  }

  // cleanupUnhealthyReplicas: old sets, oldest first, lose the replicas that are not available.
  private async cleanupUnhealthyReplicas(
    oldRSs: ReplicaSetObject[],
    d: DeploymentObject,
    max: number,
  ): Promise<number> {
    oldRSs.sort(byCreationTimestamp);
    let total = 0;
    for (let i = 0; i < oldRSs.length && total < max; i++) {
      const rs = oldRSs[i];
      const replicas = specReplicas(rs);
      const available = rs.status?.availableReplicas ?? 0;
      if (replicas === 0 || replicas === available) continue;
      const count = Math.min(max - total, replicas - available);
      oldRSs[i] = (await this.scaleReplicaSetAndRecordEvent(rs, replicas - count, d)).rs;
      total += count;
    }
    return total;
  }

  // scaleDownOldReplicaSetsForRollingUpdate: oldest first, `by` replicas in all.
  private async scaleDownOldReplicaSets(
    oldRSs: ReplicaSetObject[],
    d: DeploymentObject,
    by: number,
  ): Promise<number> {
    oldRSs.sort(byCreationTimestamp);
    let total = 0;
    for (let i = 0; i < oldRSs.length && total < by; i++) {
      const rs = oldRSs[i];
      const replicas = specReplicas(rs);
      if (replicas === 0) continue;
      const count = Math.min(replicas, by - total);
      oldRSs[i] = (await this.scaleReplicaSetAndRecordEvent(rs, replicas - count, d)).rs;
      total += count;
    }
    return total;
  }

  // ---- recreate --------------------------------------------------------------------------------

  // rolloutRecreate: old sets to zero, wait until no old pod runs, then the new set at full size.
  private async rolloutRecreate(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
  ): Promise<SyncFailed | undefined> {
    let all = await this.replicaSetsWithRevision(d, rsList, false);
    if (all instanceof SyncFailed) return all;
    let scaledDown = false;
    for (const rs of activeReplicaSets(all.oldRSs)) {
      if ((await this.scaleReplicaSetAndRecordEvent(rs, 0, d)).scaled) scaledDown = true;
    }
    if (scaledDown || this.oldPodsRunning(all.newRS, all.oldRSs)) {
      this.syncRolloutStatus([...all.oldRSs, all.newRS], all.newRS, d);
      return undefined;
    }
    if (!all.newRS) {
      all = await this.replicaSetsWithRevision(d, rsList, true);
      if (all instanceof SyncFailed) return all;
    }
    const newRS = all.newRS as ReplicaSetObject;
    await this.scaleReplicaSetAndRecordEvent(newRS, desiredReplicas(d), d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(all.oldRSs, d);
    this.syncRolloutStatus([...all.oldRSs, newRS], newRS, d);
    return undefined;
  }

  // oldPodsRunning: old sets still report pods, or a pod of theirs has not finished (Unknown counts).
  private oldPodsRunning(newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[]): boolean {
    if (statusCount(oldRSs, 'replicas') > 0) return true;
    return oldRSs.some(
      (rs) =>
        rs.metadata.uid !== newRS?.metadata.uid &&
        this.d.pods.controlledBy(rs.metadata.uid as string).some((pod) => {
          const phase = pod.status?.phase;
          return phase !== 'Succeeded' && phase !== 'Failed';
        }),
    );
  }

  // ---- scaling ---------------------------------------------------------------------------------

  // scale: one active set takes the whole count; a saturated new set empties the old ones; otherwise a
  // rolling Deployment spreads the difference over its active sets, biggest first.
  private async scale(
    d: DeploymentObject,
    newRS: ReplicaSetObject | undefined,
    oldRSs: ReplicaSetObject[],
  ): Promise<void> {
    const desired = desiredReplicas(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) !== desired)
        await this.scaleReplicaSetAndRecordEvent(activeOrLatest, desired, d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const allRSs = activeReplicaSets([...oldRSs, newRS]);
    const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowedSize - replicaCount(allRSs);
    let operation = '';
    if (toAdd > 0) {
      allRSs.sort(bySizeNewer);
      operation = 'up';
    } else if (toAdd < 0) {
      allRSs.sort(bySizeOlder);
      operation = 'down';
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of allRSs) {
      const proportion = toAdd !== 0 ? getProportion(rs, d, toAdd, added) : 0;
      sizes.set(rs.metadata.name as string, specReplicas(rs) + proportion);
      added += proportion;
    }
    for (const [i, rs] of allRSs.entries()) {
      const name = rs.metadata.name as string;
      // The leftovers go to the largest set.
      if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(name) ?? 0, d, operation);
    }
  }

  private async scaleReplicaSetAndRecordEvent(
    rs: ReplicaSetObject,
    newScale: number,
    d: DeploymentObject,
  ): Promise<Scaled> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  // scaleReplicaSet: the new size and the replica annotations through the API, and the ScalingReplicaSet event.
  private async scaleReplicaSet(
    rs: ReplicaSetObject,
    newScale: number,
    d: DeploymentObject,
    operation: string,
  ): Promise<Scaled> {
    const oldScale = specReplicas(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const desired = desiredReplicas(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const updated = await this.updateReplicaSet(rs, (draft) => {
      if (draft.spec) draft.spec.replicas = newScale;
      setReplicasAnnotations(draft, desired, max);
    });
    if (updated instanceof SyncFailed) return { scaled: false, rs };
    if (sizeNeedsUpdate) {
      const message = `Scaled ${operation} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`;
      this.d.recorder.record(d, 'Normal', 'ScalingReplicaSet', message, SOURCE);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  private async updateReplicaSet(
    rs: ReplicaSetObject,
    change: (draft: ReplicaSetObject) => void,
  ): Promise<ReplicaSetObject | SyncFailed> {
    try {
      return (await this.d.api.patch(
        'ReplicaSet',
        rs.metadata.namespace,
        rs.metadata.name as string,
        (draft) => change(draft as ReplicaSetObject),
      )) as ReplicaSetObject;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return new SyncFailed(error.message);
    }
  }

  // cleanupDeployment: old sets beyond revisionHistoryLimit go, lowest revision first, if they are empty.
  private async cleanupDeployment(oldRSs: readonly ReplicaSetObject[], d: DeploymentObject): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (const rs of cleanable.slice(0, diff)) {
      const status: Partial<ReplicaSetStatus> = rs.status ?? {};
      if ((status.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) continue;
      try {
        await this.d.api.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name as string);
      } catch (error) {
        if (!(error instanceof ApiError) || error.reason !== 'NotFound') throw error;
      }
    }
  }

  // ---- status ----------------------------------------------------------------------------------

  // calculateStatus.
  private calculateStatus(
    allRSs: readonly (ReplicaSetObject | undefined)[],
    newRS: ReplicaSetObject | undefined,
    d: DeploymentObject,
  ): DeploymentStatus {
    const available = statusCount(allRSs, 'availableReplicas');
    const unavailable = Math.max(0, replicaCount(allRSs) - available);
    const status: DeploymentStatus = {};
    const put = (key: keyof DeploymentStatus, value: number) => {
      if (value !== 0) (status as Record<string, number>)[key] = value;
    };
    put('observedGeneration', d.metadata.generation ?? 0);
    put('replicas', statusCount(allRSs, 'replicas'));
    put('updatedReplicas', statusCount([newRS], 'replicas'));
    put('readyReplicas', statusCount(allRSs, 'readyReplicas'));
    put('availableReplicas', available);
    put('unavailableReplicas', unavailable);
    const v = this.d.version();
    // DeploymentReplicaSetTerminatingReplicas, beta and on from v1.35.
    if (v.major > 1 || v.minor >= 35) {
      const terminating = terminatingCount(allRSs);
      if (terminating !== undefined)
        (status as { terminatingReplicas?: number }).terminatingReplicas = terminating;
    }
    if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    const now = this.d.store.clock.timestamp();
    const condition =
      available >= desiredReplicas(d) - maxUnavailable(d)
        ? newDeploymentCondition(
            'Available',
            'True',
            REASON.minimumReplicasAvailable,
            'Deployment has minimum availability.',
            now,
          )
        : newDeploymentCondition(
            'Available',
            'False',
            REASON.minimumReplicasUnavailable,
            'Deployment does not have minimum availability.',
            now,
          );
    setDeploymentCondition(status, condition);
    return status;
  }

  // syncDeploymentStatus: the status, written when it changed.
  private syncDeploymentStatus(
    allRSs: readonly (ReplicaSetObject | undefined)[],
    newRS: ReplicaSetObject | undefined,
    d: DeploymentObject,
  ): void {
    const status = this.calculateStatus(allRSs, newRS, d);
    if (sameJson(status, d.status ?? {})) return;
    d.status = status;
    this.updateStatus(d);
  }

  // syncRolloutStatus: the status with the Progressing condition of the rollout.
  private syncRolloutStatus(
    allRSs: readonly (ReplicaSetObject | undefined)[],
    newRS: ReplicaSetObject | undefined,
    d: DeploymentObject,
  ): void {
    const status = this.calculateStatus(allRSs, newRS, d);
    if (!hasProgressDeadline(d)) removeDeploymentCondition(status, 'Progressing');
    const current = getDeploymentCondition(d.status ?? {}, 'Progressing');
    const isCompleteDeployment =
      (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === REASON.newRSAvailable;
    const clock = this.d.store.clock;
    const now = clock.timestamp();
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (hasProgressDeadline(d) && !isCompleteDeployment) {
      if (deploymentComplete(d, status)) {
        const msg = `${subject} has successfully progressed.`;
        setDeploymentCondition(
          status,
          newDeploymentCondition('Progressing', 'True', REASON.newRSAvailable, msg, now),
        );
      } else if (deploymentProgressing(d, status)) {
        const condition = newDeploymentCondition(
          'Progressing',
          'True',
          REASON.replicaSetUpdated,
          `${subject} is progressing.`,
          now,
        );
        // The Progressing condition is updated even when its reason stays, to record the progress.
        if (current) {
          if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
          removeDeploymentCondition(status, 'Progressing');
        }
        setDeploymentCondition(status, condition);
      } else if (deploymentTimedOut(d, status, clock.now())) {
        const msg = `${subject} has timed out progressing.`;
        setDeploymentCondition(
          status,
          newDeploymentCondition('Progressing', 'False', REASON.timedOut, msg, now),
        );
      }
    }
    const failure = this.replicaFailure(allRSs, newRS);
    if (failure) setDeploymentCondition(status, failure);
    else removeDeploymentCondition(status, 'ReplicaFailure');
    if (sameJson(status, d.status ?? {})) {
      this.requeueStuckDeployment(d, status);
      return;
    }
    d.status = status;
    this.updateStatus(d);
  }

  // getReplicaFailures: the new set's ReplicaFailure condition, else the first old set's.
  private replicaFailure(
    allRSs: readonly (ReplicaSetObject | undefined)[],
    newRS: ReplicaSetObject | undefined,
  ) {
    for (const rs of [newRS, ...allRSs]) {
      const c = rs?.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
      if (c) return fromReplicaSetCondition(c);
    }
    return undefined;
  }

  // requeueStuckDeployment: come back when the progress deadline passes.
  private requeueStuckDeployment(d: DeploymentObject, status: DeploymentStatus): void {
    const current = getDeploymentCondition(d.status ?? {}, 'Progressing');
    if (!hasProgressDeadline(d) || !current) return;
    if (deploymentComplete(d, status) || current.reason === REASON.timedOut) return;
    const deadline = Date.parse(current.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000;
    const now = this.d.store.clock.now();
    // Within the last second Kubernetes requeues rate-limited (5 ms, 10 ms, ...) until the deadline is past;
    // kubespec wakes at the first instant it is. Otherwise a second after the deadline, against clock skew.
    const at = deadline - now < 1000 ? deadline + 1 : deadline + 1000;
    this.d.loop.schedule(this, keyOf(d), at);
  }

  /** UpdateStatus: the status and the annotations the sync changed (the status strategy keeps the rest). */
  private updateStatus(d: DeploymentObject): void {
    const stored = this.d.store.get('Deployment', d.metadata.namespace, d.metadata.name as string);
    if (!stored || stored.metadata.uid !== d.metadata.uid) return;
    if (sameJson(stored.status, d.status) && sameJson(stored.metadata.annotations, d.metadata.annotations))
      return;
    this.d.store.mutate('Deployment', d.metadata.namespace, d.metadata.name as string, (draft) => {
      draft.status = structuredClone(d.status);
      if (d.metadata.annotations) draft.metadata.annotations = { ...d.metadata.annotations };
    });
  }
}
