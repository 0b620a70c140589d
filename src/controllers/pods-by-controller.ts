// Pods by the uid of their controller, and pods without a controller by namespace: the informer index
// kube-controller-manager's ReplicaSet controller reads its candidates from (k8s:pkg/controller/
// controller_utils.go PodControllerUIDIndex, FilterPodsByOwner). A sync sees its own pods and the orphans it
// may adopt, and a pod change costs O(1) however many pods the cluster has.
import type { KubeObject } from '../api/object';
import { keyOf } from '../api/object';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import { controllerOf } from './pod-control';

// OrphanPodIndexKeyForNamespace: a key no uid can be.
const orphanKey = (namespace: string) => `${namespace}/`;

export class PodsByController {
  private readonly buckets = new Map<string, Map<string, PodObject>>();
  private readonly bucketOf = new Map<string, string>();

  constructor(store: Store) {
    store.watch('Pod', (type, obj) => this.observe(type === 'DELETED', obj));
  }

  /** The pods the owner with this uid controls, in the order they were first indexed. */
  controlledBy(uid: string): PodObject[] {
    return [...(this.buckets.get(uid)?.values() ?? [])];
  }

  /** FilterPodsByOwner with orphans: the owner's pods, then the pods of its namespace that have no controller. */
  ownedOrOrphaned(uid: string, namespace: string): PodObject[] {
    return [...this.controlledBy(uid), ...(this.buckets.get(orphanKey(namespace))?.values() ?? [])];
  }

  private observe(deleted: boolean, obj: KubeObject): void {
    const key = keyOf(obj);
    const bucket = controllerOf(obj)?.uid ?? orphanKey(obj.metadata.namespace ?? '');
    const previous = this.bucketOf.get(key);
    if (previous !== undefined && (deleted || previous !== bucket)) {
      const pods = this.buckets.get(previous);
      pods?.delete(key);
      if (pods?.size === 0) this.buckets.delete(previous);
      this.bucketOf.delete(key);
    }
    if (deleted) return;
    let pods = this.buckets.get(bucket);
    if (!pods) {
      pods = new Map();
      this.buckets.set(bucket, pods);
    }
    pods.set(key, obj as PodObject);
    this.bucketOf.set(key, bucket);
  }
}
