// The objects of one kind a workload controller owns, indexed by the uid of their controller (the informer
// indexer Kubernetes' controllers use through their ControllerRef), so that a sync reads its own pods and a pod
// change wakes only its owner: O(1) per change, never a scan of all pods.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/object';
import { keyOf } from '../api/object';
import type { Store, WatchEventType } from '../api/store';
import { controllerOf } from './pod-control';

/** Told of every change of an object whose controller (before or after the change) is of the owner kind. */
export type OwnerWake = (
  owner: OwnerReference,
  namespace: string,
  type: WatchEventType,
  obj: KubeObject,
) => void;

export class ControlledObjects<T extends KubeObject> {
  private readonly byOwner = new Map<string, Map<string, T>>();
  private readonly ownerOfKey = new Map<string, string>();

  constructor(store: Store, kind: string, ownerKind: string, wake: OwnerWake = () => {}) {
    store.watch(kind, (type, obj, old) => {
      const key = keyOf(obj);
      const ref = controllerOf(obj);
      const owned = ref?.kind === ownerKind ? ref : undefined;
      const before = old ? controllerOf(old) : undefined;
      const previous = this.ownerOfKey.get(key);
      if (previous && (type === 'DELETED' || previous !== owned?.uid)) this.forget(previous, key);
      if (owned && type !== 'DELETED') this.remember(owned.uid, key, obj as T);
      const namespace = obj.metadata.namespace ?? '';
      if (before?.kind === ownerKind && before.uid !== owned?.uid) wake(before, namespace, type, obj);
      if (owned) wake(owned, namespace, type, obj);
    });
  }

  /** The objects the owner with this uid controls, in no particular order. */
  list(ownerUid: string): T[] {
    return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
  }

  private remember(owner: string, key: string, obj: T): void {
    let objects = this.byOwner.get(owner);
    if (!objects) {
      objects = new Map();
      this.byOwner.set(owner, objects);
    }
    objects.set(key, obj);
    this.ownerOfKey.set(key, owner);
  }

  private forget(owner: string, key: string): void {
    const objects = this.byOwner.get(owner);
    objects?.delete(key);
    if (objects?.size === 0) this.byOwner.delete(owner);
    this.ownerOfKey.delete(key);
  }
}
