// The objects of one kind (pods, ControllerRevisions) by the uid of their controller, and those without a
// controller by namespace: the informer index kube-controller-manager's workload controllers read their candidates
// from (k8s:pkg/controller/controller_utils.go PodControllerUIDIndex, OrphanPodIndexKeyForNamespace,
// FilterPodsByOwner). One index per kind serves every controller: a sync reads the objects it controls and the
// orphans it may adopt, never all objects of the kind, and a change costs O(1) however many objects there are.
//
// It also tells the controllers of a change, as their informer event handlers sort it (addPod, updatePod,
// deletePod in replicaset/, statefulset/, daemon/ and job/): the controller of the object before and after the
// change hears of it, and an orphan that appears or whose labels or controller changed is offered to the
// controllers whose selector matches it (they decide which: the index knows no selectors).
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { sameJson } from '../api/apiserver';
import type { KubeObject } from '../api/object';
import { keyOf } from '../api/object';
import type { Store, WatchEventType } from '../api/store';
import { controllerOf } from './pod-control';

/** Told of a change of an object that this owner controls before or after the change. */
export type OwnerWake = (
  owner: OwnerReference,
  namespace: string,
  type: WatchEventType,
  obj: KubeObject,
) => void;

/** Told of an orphan (not being deleted) that appeared, or whose labels or controller changed. */
export type OrphanWake<T> = (obj: T) => void;

// OrphanPodIndexKeyForNamespace: a key no uid can be.
const orphanKey = (namespace: string) => `${namespace}/`;

export class ControlledObjects<T extends KubeObject> {
  private readonly buckets = new Map<string, Map<string, T>>();
  private readonly bucketOf = new Map<string, string>();
  private readonly ownerWakes = new Map<string, OwnerWake[]>();
  private readonly orphanWakes: OrphanWake<T>[] = [];

  constructor(store: Store, kind: string) {
    store.watch(kind, (type, obj, old) => {
      this.index(type === 'DELETED', obj as T);
      this.tell(type, obj as T, old as T | undefined);
    });
  }

  /** The objects the owner with this uid controls, in the order they came under its control. */
  controlledBy(uid: string): T[] {
    return [...(this.buckets.get(uid)?.values() ?? [])];
  }

  /** FilterPodsByOwner with orphans: the owner's objects, then the objects of its namespace without a controller. */
  ownedOrOrphaned(uid: string, namespace: string): T[] {
    return [...this.controlledBy(uid), ...(this.buckets.get(orphanKey(namespace))?.values() ?? [])];
  }

  /** Wakes owners of this kind when an object they control (before or after the change) changes. */
  onControlled(ownerKind: string, wake: OwnerWake): void {
    const wakes = this.ownerWakes.get(ownerKind) ?? [];
    wakes.push(wake);
    this.ownerWakes.set(ownerKind, wakes);
  }

  /** Offers the orphans that may now be adopted (addPod / updatePod of an object without a controller). */
  onOrphan(wake: OrphanWake<T>): void {
    this.orphanWakes.push(wake);
  }

  private index(deleted: boolean, obj: T): void {
    const key = keyOf(obj);
    const bucket = controllerOf(obj)?.uid ?? orphanKey(obj.metadata.namespace ?? '');
    const previous = this.bucketOf.get(key);
    if (previous !== undefined && (deleted || previous !== bucket)) {
      const objects = this.buckets.get(previous);
      objects?.delete(key);
      if (objects?.size === 0) this.buckets.delete(previous);
      this.bucketOf.delete(key);
    }
    if (deleted) return;
    let objects = this.buckets.get(bucket);
    if (!objects) {
      objects = new Map();
      this.buckets.set(bucket, objects);
    }
    objects.set(key, obj);
    this.bucketOf.set(key, bucket);
  }

  private tell(type: WatchEventType, obj: T, old: T | undefined): void {
    const namespace = obj.metadata.namespace ?? '';
    const current = controllerOf(obj);
    const before = old ? controllerOf(old) : undefined;
    if (before && before.uid !== current?.uid) {
      for (const wake of this.ownerWakes.get(before.kind) ?? []) wake(before, namespace, type, obj);
    }
    if (current) {
      for (const wake of this.ownerWakes.get(current.kind) ?? []) wake(current, namespace, type, obj);
      return;
    }
    if (type === 'DELETED' || obj.metadata.deletionTimestamp || this.orphanWakes.length === 0) return;
    // An orphan is offered when it appears, and then only when its labels or its controller changed.
    if (type === 'MODIFIED' && old && !before && sameJson(obj.metadata.labels, old.metadata.labels)) return;
    for (const wake of this.orphanWakes) wake(obj);
  }
}
