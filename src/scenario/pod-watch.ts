// A record of the pods a selector matches, like `kubectl get pods -l app=web -w`, taken at every change of
// those pods from the moment the watch starts: how many existed at once at most, and how many were available
// at least. "Existed" means not yet removed from the API (a terminating pod still exists). "Available" is what
// a ReplicaSet counts as available: not being deleted, not finished, and Ready for at least its ReplicaSet's
// minReadySeconds (0 for a pod no ReplicaSet controls), as of the moment of the change. Availability only grows
// while nothing changes (time passing makes Ready pods available), so its minimum over time is always reached
// right after some change of the watched pods: looking at those moments alone misses no lower value.
import type { Selector } from '../api/labels';
import { keyOf } from '../api/object';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import { controllerOf } from '../controllers/pod-control';
import { isPodActive, isPodAvailable } from '../controllers/pod-states';

export interface WatchedMoment {
  /** Virtual time of the change, in milliseconds since the epoch. */
  time: number;
  count: number;
}

export class PodWatch {
  private readonly pods = new Map<string, PodObject>();
  /** The moment the most watched pods existed (the first such moment). */
  mostExisting: WatchedMoment;
  /** The moment the most watched pods existed that were neither terminating nor finished. */
  mostActive: WatchedMoment;
  /** The moment the fewest watched pods were available (the first such moment). */
  fewestAvailable: WatchedMoment;

  constructor(
    private readonly store: Store,
    private readonly selector: Selector,
  ) {
    for (const pod of store.list('Pod') as PodObject[]) {
      if (selector.matches(pod.metadata.labels)) this.pods.set(keyOf(pod), pod);
    }
    const now = store.clock.now();
    this.mostExisting = { time: now, count: this.pods.size };
    this.mostActive = { time: now, count: this.active() };
    this.fewestAvailable = { time: now, count: this.available(now) };
    store.watch('Pod', (type, obj) => this.observe(type === 'DELETED', obj as PodObject));
  }

  private observe(deleted: boolean, pod: PodObject): void {
    const key = keyOf(pod);
    const matches = !deleted && this.selector.matches(pod.metadata.labels);
    if (!matches && !this.pods.has(key)) return;
    if (matches) this.pods.set(key, pod);
    else this.pods.delete(key);
    const now = this.store.clock.now();
    if (this.pods.size > this.mostExisting.count) this.mostExisting = { time: now, count: this.pods.size };
    const active = this.active();
    if (active > this.mostActive.count) this.mostActive = { time: now, count: active };
    const available = this.available(now);
    if (available < this.fewestAvailable.count) this.fewestAvailable = { time: now, count: available };
  }

  private active(): number {
    let count = 0;
    for (const pod of this.pods.values()) if (isPodActive(pod)) count++;
    return count;
  }

  private available(now: number): number {
    let count = 0;
    for (const pod of this.pods.values()) {
      if (isPodActive(pod) && isPodAvailable(pod, this.minReadySeconds(pod), now)) count++;
    }
    return count;
  }

  // The minReadySeconds of the ReplicaSet (or ReplicationController) that controls the pod.
  private minReadySeconds(pod: PodObject): number {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet' && ref?.kind !== 'ReplicationController') return 0;
    const owner = this.store.get(ref.kind, pod.metadata.namespace, ref.name);
    return (owner?.spec as { minReadySeconds?: number } | undefined)?.minReadySeconds ?? 0;
  }
}
