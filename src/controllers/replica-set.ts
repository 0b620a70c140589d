// The ReplicaSet and ReplicationController controllers: one implementation for both kinds, as in
// kube-controller-manager, where pkg/controller/replication runs k8s:pkg/controller/replicaset/replica_set.go
// on ReplicationControllers converted to ReplicaSets. Each sync claims the active pods the selector matches
// (adopting orphans, releasing pods whose labels no longer match), creates missing pods in slow-start batches
// or deletes surplus ones in the `replicaset.scale-down` rules' order, and writes the status. Pod changes wake
// only the pod's controller (or, for an orphan, the sets of its namespace that select it).
import type { ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1';
import type { ApiServer } from '../api/apiserver';
import { sameJson } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import { selectorFromSet } from '../api/labels';
import { type KubeObject, keyOf } from '../api/object';
import type { PodObject } from '../api/pods';
import { ApiError, type Store, type WatchEventType } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';
import type { KubernetesVersion } from '../sim/version';
import type { ControlledObjects } from './controlled-objects';
import { claimObjects, parseSelector } from './controller-ref-manager';
import { controllerOf, deletePod, type PodControl, podFromTemplate } from './pod-control';
import { podsToDelete } from './pod-ranking';
import { isPodActive, isPodAvailable, isPodReady, isPodTerminating, readySince } from './pod-states';

export type ReplicaSetKind = 'ReplicaSet' | 'ReplicationController';

/** BurstReplicas: the most pods one sync creates or deletes. */
const BURST_REPLICAS = 500;
/** SlowStartInitialBatchSize. */
const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** workqueue.DefaultTypedControllerRateLimiter's per-item back-off: 5ms doubling up to 1000s. */
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 1_000_000;

export interface ReplicaSetControllerDeps {
  store: Store;
  api: ApiServer;
  loop: ReconcileLoop;
  recorder: EventRecorder;
  pods: ControlledObjects<PodObject>;
  scaleDownRules: () => Evaluator;
  trace: DecisionTrace;
  version: () => KubernetesVersion;
}

/** A ReplicaSet or a ReplicationController as the shared implementation sees it. */
interface ReplicaSetView {
  obj: KubeObject;
  selector: LabelSelector | undefined;
  template: PodTemplateSpec | undefined;
  replicas: number;
  minReadySeconds: number;
}

function view(obj: KubeObject): ReplicaSetView {
  const spec = (obj.spec ?? {}) as {
    selector?: LabelSelector | Record<string, string>;
    template?: PodTemplateSpec;
    replicas?: number;
    minReadySeconds?: number;
  };
  // A ReplicationController's selector is a plain map: its matchLabels once converted.
  const selector =
    obj.kind === 'ReplicationController'
      ? { matchLabels: (spec.selector ?? {}) as Record<string, string> }
      : (spec.selector as LabelSelector | undefined);
  return {
    obj,
    selector,
    template: spec.template,
    replicas: spec.replicas ?? 1,
    minReadySeconds: spec.minReadySeconds ?? 0,
  };
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  private readonly podControl: PodControl;
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly kind: ReplicaSetKind,
    private readonly d: ReplicaSetControllerDeps,
  ) {
    this.name = kind === 'ReplicaSet' ? 'replicaset-controller' : 'replication-controller';
    this.podControl = { api: d.api, recorder: d.recorder, component: this.name };
    d.store.watch(kind, (_type, obj) => d.loop.enqueue(this, keyOf(obj)));
    d.store.watch('Pod', (type, obj, old) =>
      this.podChanged(type, obj as PodObject, old as PodObject | undefined),
    );
  }

  // addPod, updatePod, deletePod.
  private podChanged(type: WatchEventType, pod: PodObject, old: PodObject | undefined): void {
    if (type === 'DELETED' || (type === 'ADDED' && pod.metadata.deletionTimestamp)) {
      this.wakeController(pod);
      return;
    }
    if (type === 'ADDED' || !old) {
      if (controllerOf(pod)) this.wakeController(pod);
      else this.wakeSelecting(pod);
      return;
    }
    const labelChanged = !sameJson(pod.metadata.labels, old.metadata.labels);
    if (pod.metadata.deletionTimestamp) {
      this.wakeController(pod);
      if (labelChanged) this.wakeController(old);
      return;
    }
    const current = controllerOf(pod);
    const previous = controllerOf(old);
    const refChanged = !sameJson(current, previous);
    if (refChanged && previous) this.wakeController(old);
    if (current) {
      const rs = this.resolve(pod.metadata.namespace, current);
      if (!rs) return;
      this.d.loop.enqueue(this, keyOf(rs));
      const minReadySeconds = view(rs).minReadySeconds;
      if (!isPodReady(old) && isPodReady(pod) && minReadySeconds > 0) {
        this.d.loop.schedule(this, keyOf(rs), this.d.store.clock.now() + minReadySeconds * 1000);
      }
      return;
    }
    if (labelChanged || refChanged) this.wakeSelecting(pod);
  }

  private wakeController(pod: PodObject): void {
    const ref = controllerOf(pod);
    const rs = ref ? this.resolve(pod.metadata.namespace, ref) : undefined;
    if (rs) this.d.loop.enqueue(this, keyOf(rs));
  }

  // getPodReplicaSets: an orphan wakes every set of its namespace whose selector matches it.
  private wakeSelecting(pod: PodObject): void {
    for (const rs of this.d.store.list(this.kind, pod.metadata.namespace)) {
      const selector = parseSelector(view(rs).selector);
      if (selector && !selector.isEmpty() && selector.matches(pod.metadata.labels)) {
        this.d.loop.enqueue(this, keyOf(rs));
      }
    }
  }

  /** resolveControllerRef: the set a controller reference names, if it is still that one (same uid). */
  private resolve(namespace: string | undefined, ref: OwnerReference): KubeObject | undefined {
    if (ref.kind !== this.kind) return undefined;
    const rs = this.d.store.get(this.kind, namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  // syncReplicaSet.
  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const obj = this.d.store.get(this.kind, namespace, name);
    if (!obj) {
      this.failures.delete(key);
      return;
    }
    const rs = view(obj);
    const selector = parseSelector(rs.selector);
    if (!selector) return;
    const uid = obj.metadata.uid as string;
    const all = this.d.pods.ownedOrOrphaned(uid, namespace);
    const active = claimObjects({
      store: this.d.store,
      controller: obj,
      matches: (labels) => selector.matches(labels),
      objects: all.filter(isPodActive),
    });
    // FilterClaimedPods: terminating pods it controls that it still selects.
    const terminating = this.reportsTerminating()
      ? all.filter(
          (p) => isPodTerminating(p) && controllerOf(p)?.uid === uid && selector.matches(p.metadata.labels),
        )
      : undefined;
    const error = obj.metadata.deletionTimestamp ? undefined : await this.manageReplicas(active, rs);
    const now = this.d.store.clock.now();
    const status = calculateStatus(rs, active, terminating, error, now, this.d.store.clock.timestamp());
    if (!sameJson(status, obj.status)) {
      this.d.store.mutate(this.kind, namespace, name, (draft) => {
        draft.status = status;
      });
    }
    if (error !== undefined) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.d.loop.schedule(this, key, now + Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS));
      return;
    }
    this.failures.delete(key);
    // FindMinNextPodAvailabilityCheck: come back when the next ready pod becomes available.
    if (rs.minReadySeconds > 0 && (status.readyReplicas ?? 0) !== (status.availableReplicas ?? 0)) {
      const next = nextAvailabilityCheck(active, rs.minReadySeconds, now);
      this.d.loop.schedule(this, key, now + (next ?? rs.minReadySeconds * 1000));
    }
  }

  // DeploymentReplicaSetTerminatingReplicas: beta and on from v1.35 (k8s:pkg/features/kube_features.go); a
  // ReplicationController's status has no such field.
  private reportsTerminating(): boolean {
    const v = this.d.version();
    return this.kind === 'ReplicaSet' && (v.major > 1 || v.minor >= 35);
  }

  /** manageReplicas: the error that stopped it, as its message. */
  private async manageReplicas(active: PodObject[], rs: ReplicaSetView): Promise<string | undefined> {
    const diff = active.length - rs.replicas;
    if (diff < 0) {
      let remaining = Math.min(-diff, BURST_REPLICAS);
      // slowStartBatch: batches of 1, 2, 4, ...; a failed batch stops the rest.
      for (let batch = Math.min(remaining, SLOW_START_INITIAL_BATCH_SIZE); batch > 0; ) {
        let error: string | undefined;
        // The whole batch is attempted (concurrently in Kubernetes); the first failure is the one reported.
        for (let i = 0; i < batch; i++) {
          const failure = await this.createPod(rs);
          error ??= failure;
        }
        if (error !== undefined) return error;
        remaining -= batch;
        batch = Math.min(2 * batch, remaining);
      }
      return undefined;
    }
    if (diff > 0) {
      const victims = await podsToDelete({
        pods: active,
        related: this.relatedPods(rs.obj),
        count: Math.min(diff, BURST_REPLICAS),
        now: this.d.store.clock.now(),
        version: this.d.version(),
        rules: this.d.scaleDownRules(),
        trace: this.d.trace,
        owner: `${this.kind.toLowerCase()} ${keyOf(rs.obj)}`,
      });
      for (const pod of victims) await deletePod(this.podControl, rs.obj, pod);
    }
    return undefined;
  }

  // RealPodControl.CreatePods: no event when the namespace is going away, and that is no failure either.
  private async createPod(rs: ReplicaSetView): Promise<string | undefined> {
    const pod = podFromTemplate({ template: rs.template ?? {}, owner: rs.obj });
    const source = { component: this.name };
    try {
      const created = await this.d.api.create(pod);
      this.d.recorder.record(
        rs.obj,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${created.metadata.name}`,
        source,
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (namespaceTerminating(error)) return undefined;
      this.d.recorder.record(rs.obj, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, source);
      return error.message;
    }
  }

  /**
   * getIndirectlyRelatedPods: the pods of every set with the same controller, each found by its selector among
   * the pods it controls. A set without a controller has no related pods at all, as in Kubernetes.
   */
  private relatedPods(obj: KubeObject): PodObject[] {
    const owner = controllerOf(obj);
    if (!owner) return [];
    const seen = new Set<string>();
    const related: PodObject[] = [];
    for (const sibling of this.d.store.list(this.kind, obj.metadata.namespace)) {
      if (controllerOf(sibling)?.uid !== owner.uid) continue;
      const selector = parseSelector(view(sibling).selector);
      if (!selector) continue;
      for (const pod of this.d.pods.controlledBy(sibling.metadata.uid as string)) {
        if (seen.has(pod.metadata.uid as string) || !selector.matches(pod.metadata.labels)) continue;
        seen.add(pod.metadata.uid as string);
        related.push(pod);
      }
    }
    return related;
  }
}

// apierrors.HasStatusCause(err, v1.NamespaceTerminatingCause).
function namespaceTerminating(error: ApiError): boolean {
  return error.reason === 'Forbidden' && error.message.endsWith('because it is being terminated');
}

/** nextPodAvailabilityCheck over the pods: milliseconds until the next ready pod is available. */
function nextAvailabilityCheck(
  pods: readonly PodObject[],
  minReadySeconds: number,
  now: number,
): number | undefined {
  let next: number | undefined;
  for (const pod of pods) {
    const since = isPodReady(pod) ? readySince(pod) : undefined;
    if (since === undefined) continue;
    const wait = since + minReadySeconds * 1000 - now;
    if (wait > 0 && (next === undefined || wait < next)) next = wait;
  }
  return next;
}

/**
 * calculateStatus: the claimed active pods as replicas, those with all the template's labels, the ready and
 * the available ones, the terminating ones where reported, the generation seen, and a ReplicaFailure condition
 * while creating or deleting fails. Zero counts are left out, as Go's omitempty leaves them out.
 */
export function calculateStatus(
  rs: ReplicaSetView,
  active: readonly PodObject[],
  terminating: readonly PodObject[] | undefined,
  error: string | undefined,
  now: number,
  timestamp: string,
): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.template?.metadata?.labels);
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of active) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (!isPodReady(pod)) continue;
    ready++;
    if (isPodAvailable(pod, rs.minReadySeconds, now)) available++;
  }
  const previous = (rs.obj.status ?? {}) as ReplicaSetStatus;
  let conditions = previous.conditions;
  const failure = conditions?.find((c) => c.type === 'ReplicaFailure');
  if (error !== undefined && !failure) {
    const reason =
      active.length < rs.replicas ? 'FailedCreate' : active.length > rs.replicas ? 'FailedDelete' : '';
    const condition: ReplicaSetCondition = {
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: timestamp,
      reason,
      message: error,
    };
    conditions = [...(conditions ?? []), condition];
  } else if (error === undefined && failure) {
    conditions = conditions?.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: ReplicaSetStatus = { replicas: active.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (terminating) (status as { terminatingReplicas?: number }).terminatingReplicas = terminating.length;
  if (rs.obj.metadata.generation) status.observedGeneration = rs.obj.metadata.generation;
  if (conditions?.length) status.conditions = conditions;
  return status;
}
