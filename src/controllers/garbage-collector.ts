// The garbage collector (k8s:pkg/controller/garbagecollector/garbagecollector.go, graph_builder.go): objects
// whose owners are all gone are deleted, with the propagation their own finalizers ask for (background when
// none); an owner deleted in the foreground (`foregroundDeletion` finalizer) stays until its dependents that
// block owner deletion are gone, and deletes them in the foreground too; an owner deleted with the `orphan`
// finalizer loses its references from its dependents, which keep running. The dependency graph is an index of
// dependents by owner uid, kept up to date from every change in the store.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import {
  type ApiServer,
  FINALIZER_DELETE_DEPENDENTS,
  FINALIZER_ORPHAN_DEPENDENTS,
  type PropagationPolicy,
} from '../api/apiserver';
import { kindInfo } from '../api/kinds';
import type { KubeObject } from '../api/object';
import { ApiError, type Store, type WatchEventType } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import { removeOwnerReferences } from './controller-ref-manager';

/** A dependent as the graph remembers it: enough to find it again and to know whether it blocks its owner. */
interface Dependent {
  kind: string;
  namespace: string | undefined;
  name: string;
  uid: string;
  blockOwnerDeletion: boolean;
}

type Action = 'delete' | 'orphan';

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  private readonly dependents = new Map<string, Map<string, Dependent>>();

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    private readonly loop: ReconcileLoop,
  ) {
    store.watchAll((type, obj, old) => this.observe(type, obj, old));
  }

  /** The objects that name this owner uid in their ownerReferences. */
  dependentsOf(uid: string): Dependent[] {
    return [...(this.dependents.get(uid)?.values() ?? [])];
  }

  // GraphBuilder.processGraphChanges.
  private observe(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): void {
    const refs = type === 'DELETED' ? undefined : obj.metadata.ownerReferences;
    const oldRefs = type === 'ADDED' ? undefined : old?.metadata.ownerReferences;
    const refsChanged = !sameReferences(refs, oldRefs);
    if (refsChanged) this.reindex(obj, refs, oldRefs);
    if (type === 'DELETED') {
      for (const dep of this.dependentsOf(obj.metadata.uid as string)) this.enqueue('delete', dep);
      for (const ref of obj.metadata.ownerReferences ?? []) this.wakeDeletingOwner(obj, ref);
      return;
    }
    const { deletionTimestamp, finalizers } = obj.metadata;
    if (deletionTimestamp && finalizers?.includes(FINALIZER_ORPHAN_DEPENDENTS))
      this.enqueue('orphan', identity(obj));
    if (deletionTimestamp && finalizers?.includes(FINALIZER_DELETE_DEPENDENTS))
      this.enqueue('delete', identity(obj));
    if (!refsChanged) return;
    // An owner deleting its dependents waits for one that stopped naming it or stopped blocking it.
    for (const ref of [...(oldRefs ?? []), ...(refs ?? [])]) this.wakeDeletingOwner(obj, ref);
    // A dependent whose owner is already gone (its virtual owner node turns out absent).
    if ((refs ?? []).some((ref) => this.owner(obj, ref) === undefined)) this.enqueue('delete', identity(obj));
  }

  private reindex(
    obj: KubeObject,
    refs: readonly OwnerReference[] | undefined,
    oldRefs: readonly OwnerReference[] | undefined,
  ): void {
    const key = `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    for (const ref of oldRefs ?? []) {
      const deps = this.dependents.get(ref.uid);
      deps?.delete(key);
      if (deps?.size === 0) this.dependents.delete(ref.uid);
    }
    for (const ref of refs ?? []) {
      let deps = this.dependents.get(ref.uid);
      if (!deps) {
        deps = new Map();
        this.dependents.set(ref.uid, deps);
      }
      deps.set(key, { ...identity(obj), blockOwnerDeletion: ref.blockOwnerDeletion === true });
    }
  }

  private wakeDeletingOwner(dependent: KubeObject, ref: OwnerReference): void {
    const owner = this.owner(dependent, ref);
    if (owner && owner !== 'unknown' && deletingDependents(owner)) this.enqueue('delete', identity(owner));
  }

  /** The owner a reference names, if it exists with that uid (isDangling's lookup). */
  private owner(dependent: KubeObject, ref: OwnerReference): KubeObject | 'unknown' | undefined {
    const info = kindInfo(ref.kind);
    // A kind the API server does not serve cannot be looked up: Kubernetes retries forever, never deleting.
    if (!info) return 'unknown';
    const owner = this.store.get(
      ref.kind,
      info.namespaced ? dependent.metadata.namespace : undefined,
      ref.name,
    );
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  }

  private enqueue(action: Action, d: Omit<Dependent, 'blockOwnerDeletion'>): void {
    this.loop.enqueue(this, [action, d.kind, d.namespace ?? '', d.name, d.uid].join('\0'));
  }

  async reconcile(key: string): Promise<void> {
    const [action, kind, namespace, name, uid] = key.split('\0');
    const obj = this.store.get(kind, namespace || undefined, name);
    if (obj?.metadata.uid !== uid) return;
    if (action === 'orphan') await this.orphanDependents(obj);
    else await this.attemptToDelete(obj);
  }

  // attemptToDeleteItem.
  private async attemptToDelete(item: KubeObject): Promise<void> {
    if (deletingDependents(item)) return this.processDeletingDependents(item);
    // Being deleted is a one-way trip: wait for the final deletion.
    if (item.metadata.deletionTimestamp) return;
    const refs = item.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = this.owner(item, ref);
      if (owner === undefined) dangling.push(ref);
      else if (owner !== 'unknown' && deletingDependents(owner)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length > 0) {
      const stale = [...dangling, ...waiting].map((r) => r.uid);
      if (stale.length === 0) return;
      this.store.mutate(item.kind, item.metadata.namespace, item.metadata.name as string, (draft) =>
        removeOwnerReferences(draft, stale),
      );
      return;
    }
    const uid = item.metadata.uid as string;
    if (waiting.length > 0 && this.dependentsOf(uid).length > 0) {
      // A dependent that itself waits for its dependents would deadlock with this item's owner: stop blocking it.
      if (this.dependentsOf(uid).some((d) => this.isDeletingDependents(d))) this.unblockOwners(item);
      return this.deleteObject(item, 'Foreground');
    }
    const finalizers = item.metadata.finalizers ?? [];
    const policy: PropagationPolicy = finalizers.includes(FINALIZER_ORPHAN_DEPENDENTS)
      ? 'Orphan'
      : finalizers.includes(FINALIZER_DELETE_DEPENDENTS)
        ? 'Foreground'
        : 'Background';
    return this.deleteObject(item, policy);
  }

  // processDeletingDependentsItem: the owner goes once no dependent blocks it; until then its blocking
  // dependents are deleted (in the foreground, as their owner waits for them).
  private async processDeletingDependents(owner: KubeObject): Promise<void> {
    const blocking = this.dependentsOf(owner.metadata.uid as string).filter((d) => d.blockOwnerDeletion);
    if (blocking.length === 0) {
      this.removeFinalizer(owner, FINALIZER_DELETE_DEPENDENTS);
      return;
    }
    for (const dep of blocking) if (!this.isDeletingDependents(dep)) this.enqueue('delete', dep);
  }

  // attemptToOrphanWorker: orphanDependents, then the `orphan` finalizer goes.
  private async orphanDependents(owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid as string;
    for (const dep of this.dependentsOf(uid)) {
      this.store.mutate(dep.kind, dep.namespace, dep.name, (draft) => removeOwnerReferences(draft, [uid]));
    }
    this.removeFinalizer(owner, FINALIZER_ORPHAN_DEPENDENTS);
  }

  private removeFinalizer(obj: KubeObject, finalizer: string): void {
    if (!obj.metadata.finalizers?.includes(finalizer)) return;
    this.store.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name as string, (draft) => {
      const kept = (draft.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      if (kept.length > 0) draft.metadata.finalizers = kept;
      else delete draft.metadata.finalizers;
    });
  }

  // unblockOwnerReferencesStrategicMergePatch: blockOwnerDeletion false on every reference that had it.
  private unblockOwners(item: KubeObject): void {
    this.store.mutate(item.kind, item.metadata.namespace, item.metadata.name as string, (draft) => {
      for (const ref of draft.metadata.ownerReferences ?? []) {
        if (ref.blockOwnerDeletion) ref.blockOwnerDeletion = false;
      }
    });
  }

  private isDeletingDependents(d: Dependent): boolean {
    const obj = this.store.get(d.kind, d.namespace, d.name);
    return obj !== undefined && deletingDependents(obj);
  }

  private async deleteObject(item: KubeObject, propagationPolicy: PropagationPolicy): Promise<void> {
    try {
      await this.api.delete(item.kind, item.metadata.namespace, item.metadata.name as string, {
        propagationPolicy,
      });
    } catch (error) {
      if (!(error instanceof ApiError) || error.reason !== 'NotFound') throw error;
    }
  }
}

function identity(obj: KubeObject): Omit<Dependent, 'blockOwnerDeletion'> {
  return {
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name as string,
    uid: obj.metadata.uid as string,
  };
}

/** Being deleted in the foreground: waiting for its dependents. */
function deletingDependents(obj: KubeObject): boolean {
  return (
    obj.metadata.deletionTimestamp !== undefined &&
    (obj.metadata.finalizers?.includes(FINALIZER_DELETE_DEPENDENTS) ?? false)
  );
}

// Cheap enough for every change in the store: most objects have no references, the rest one or two.
function sameReferences(
  a: readonly OwnerReference[] | undefined,
  b: readonly OwnerReference[] | undefined,
): boolean {
  if (a === b) return true;
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  return (a ?? []).every((r, i) => {
    const o = (b as readonly OwnerReference[])[i];
    return (
      r.uid === o.uid &&
      r.kind === o.kind &&
      r.name === o.name &&
      r.blockOwnerDeletion === o.blockOwnerDeletion
    );
  });
}
