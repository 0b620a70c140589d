// The namespace controller (k8s:pkg/controller/namespace/namespace_controller.go and
// k8s:pkg/controller/namespace/deletion/namespaced_resources_deleter.go, status_condition_utils.go): a namespace
// being deleted is emptied of every namespaced kind; while content remains (pods terminating gracefully) the
// controller comes back after half the longest grace period; when nothing is left it removes its `kubernetes`
// finalizer, and a namespace without finalizers is gone. Each pass records the five deletion conditions.
import type { NamespaceCondition } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../api/apiserver';
import { type KindInfo, knownKinds } from '../api/kinds';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import { ApiError, type Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';

/** Events are handled this long after they come, so that every API server has seen the deletion. */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5_000;
/** The wait assumed for objects held by finalizers (finalizerEstimateSeconds). */
const FINALIZER_ESTIMATE_SECONDS = 15;
const FINALIZER = 'kubernetes';
// workqueue.DefaultControllerRateLimiter's per-item exponential backoff.
const BASE_RETRY_MS = 5;
const MAX_RETRY_MS = 1_000_000;

// conditionTypes with the "ok" reason and message each gets when nothing is wrong.
const CONDITIONS: readonly (readonly [type: string, okReason: string, okMessage: string])[] = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  [
    'NamespaceDeletionGroupVersionParsingFailure',
    'ParsedGroupVersions',
    'All legacy kube types successfully parsed',
  ],
  [
    'NamespaceDeletionContentFailure',
    'ContentDeleted',
    'All content successfully deleted, may be waiting on finalization',
  ],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentRemoved', 'All content successfully removed'],
];

interface Remaining {
  kind: KindInfo;
  count: number;
  finalizers: Map<string, number>;
}

/** What one pass over the namespace's content found. */
interface Pass {
  estimateSeconds: number;
  remaining: Remaining[];
  errors: string[];
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    private readonly loop: ReconcileLoop,
  ) {
    store.watch('Namespace', (type, obj) => {
      if (type === 'DELETED' || !obj.metadata.deletionTimestamp) return;
      loop.schedule(
        this,
        obj.metadata.name as string,
        store.clock.now() + NAMESPACE_DELETION_GRACE_PERIOD_MS,
      );
    });
  }

  async reconcile(name: string): Promise<void> {
    const ns = this.store.get('Namespace', undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    const finalizers = (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    if (finalizers.length === 0) return;
    const pass = await this.deleteAllContent(ns);
    const now = this.store.clock.now();
    if (pass.errors.length > 0) {
      // AddRateLimited: the failure count doubles the wait, from 5ms up to 1000s.
      const failures = (this.failures.get(name) ?? 0) + 1;
      this.failures.set(name, failures);
      this.loop.schedule(this, name, now + Math.min(BASE_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS));
      return;
    }
    this.failures.delete(name);
    if (pass.estimateSeconds > 0) {
      // ResourcesRemainingError: come back after half the estimate, plus a second (integer seconds).
      this.loop.schedule(this, name, now + (Math.trunc(pass.estimateSeconds / 2) + 1) * 1000);
      return;
    }
    this.finalize(name);
  }

  // deleteAllContent: every namespaced kind, its deletable objects deleted, then what is left counted.
  private async deleteAllContent(ns: KubeObject): Promise<Pass> {
    const namespace = ns.metadata.name as string;
    const deletedAt = Date.parse(ns.metadata.deletionTimestamp as string);
    const pass: Pass = { estimateSeconds: 0, remaining: [], errors: [] };
    for (const kind of knownKinds()) {
      if (!kind.namespaced) continue;
      const estimate = kind.kind === 'Pod' ? this.estimatePods(namespace, deletedAt) : 0;
      for (const obj of this.store.list(kind.kind, namespace)) {
        try {
          // deleteCollection with DeletePropagationBackground: no orphan finalizer on Jobs and
          // ReplicationControllers, whose own default is Orphan.
          await this.api.delete(kind.kind, namespace, obj.metadata.name as string, {
            propagationPolicy: 'Background',
          });
        } catch (error) {
          if (!(error instanceof ApiError) || error.reason !== 'NotFound') throw error;
        }
      }
      const left = this.store.list(kind.kind, namespace);
      if (left.length === 0) continue;
      const finalizers = new Map<string, number>();
      for (const obj of left) {
        for (const f of obj.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
      }
      pass.remaining.push({ kind, count: left.length, finalizers });
      if (estimate > 0) pass.estimateSeconds = Math.max(pass.estimateSeconds, estimate);
      else if (finalizers.size > 0)
        pass.estimateSeconds = Math.max(pass.estimateSeconds, FINALIZER_ESTIMATE_SECONDS);
      else pass.errors.push(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvr(kind)}`);
    }
    this.updateConditions(namespace, pass);
    return pass;
  }

  // estimateGracefulTermination: the longest grace period of the pods still running, unless the namespace has
  // been going away for longer than that.
  private estimatePods(namespace: string, deletedAt: number): number {
    let estimate = 0;
    for (const pod of this.store.list('Pod', namespace) as PodObject[]) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 0);
    }
    return this.store.clock.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }

  // namespaceConditionUpdater.Update: every condition type is set each pass, failed or "ok".
  private updateConditions(namespace: string, pass: Pass): void {
    const found = new Map<string, { reason: string; message: string }>();
    if (pass.errors.length > 0) {
      const messages = [...pass.errors].sort();
      found.set('NamespaceDeletionContentFailure', {
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${messages.length} remaining: ${messages.join(', ')}`,
      });
    }
    if (pass.remaining.length > 0) {
      const items = pass.remaining.map(
        (r) => `${r.kind.resource}.${group(r.kind)} has ${r.count} resource instances`,
      );
      found.set('NamespaceContentRemaining', {
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${items.sort().join(', ')}`,
      });
    }
    const byFinalizer = new Map<string, number>();
    for (const r of pass.remaining) {
      for (const [f, n] of r.finalizers) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + n);
    }
    if (byFinalizer.size > 0) {
      const items = [...byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`);
      found.set('NamespaceFinalizersRemaining', {
        reason: 'SomeFinalizerRemain',
        message: `Some finalizers are remaining: ${items.sort().join(', ')}`,
      });
    }
    const ns = this.store.get('Namespace', undefined, namespace);
    if (!ns) return;
    const now = this.store.clock.timestamp();
    const current = ((ns.status as { conditions?: NamespaceCondition[] } | undefined)?.conditions ?? []).map(
      (c) => ({ ...c }),
    );
    let changed = false;
    for (const [type, okReason, okMessage] of CONDITIONS) {
      const failure = found.get(type);
      const want = failure
        ? { type, status: 'True', reason: failure.reason, message: failure.message }
        : { type, status: 'False', reason: okReason, message: okMessage };
      const old = current.find((c) => c.type === type);
      if (!old) {
        current.push({ ...want, lastTransitionTime: now });
        changed = true;
      } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
        if (old.status !== want.status) old.lastTransitionTime = now;
        Object.assign(old, want);
        changed = true;
      }
    }
    if (!changed) return;
    this.store.mutate('Namespace', undefined, namespace, (draft) => {
      draft.status = { ...(draft.status as object), conditions: current };
    });
  }

  // finalizeNamespace, then the registry's ShouldDeleteNamespaceDuringUpdate: a terminating namespace left
  // without finalizers is deleted by the update that removed the last one.
  private finalize(name: string): void {
    const updated = this.store.mutate('Namespace', undefined, name, (draft) => {
      const spec = (draft.spec ?? {}) as { finalizers?: string[] };
      spec.finalizers = [...new Set((spec.finalizers ?? []).filter((f) => f !== FINALIZER))].sort();
      draft.spec = spec;
    });
    if (!updated) return;
    const left = (updated.spec as { finalizers?: string[] }).finalizers ?? [];
    if (left.length === 0 && !updated.metadata.finalizers?.length)
      this.store.remove('Namespace', undefined, name);
  }
}

function group(kind: KindInfo): string {
  const slash = kind.apiVersion.indexOf('/');
  return slash < 0 ? '' : kind.apiVersion.slice(0, slash);
}

/** schema.GroupVersionResource.String(): `/v1, Resource=pods`. */
function gvr(kind: KindInfo): string {
  const slash = kind.apiVersion.indexOf('/');
  const version = slash < 0 ? kind.apiVersion : kind.apiVersion.slice(slash + 1);
  return `${group(kind)}/${version}, Resource=${kind.resource}`;
}
