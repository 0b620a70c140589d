// The pod garbage collector's orphan pass (k8s:pkg/controller/podgc/gc_controller.go gcOrphaned): pods bound to a
// node that no longer exists are marked Failed with a DisruptionTarget condition and deleted at once. The
// collector runs every 20 seconds from the cluster's start; a missing node is quarantined for 40 seconds before
// its pods go. Only the orphan pass is simulated: terminated pods are never collected (the threshold is 12500).
import type { PodCondition } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../api/apiserver';
import type { PodObject } from '../api/pods';
import { ApiError, type Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';

/** gcCheckPeriod and quarantineTime. */
const GC_CHECK_PERIOD = 20_000;
const QUARANTINE_TIME = 40_000;

export class PodGarbageCollector implements Controller {
  readonly name = 'pod-gc';
  /** The pods bound to each node (by namespace/name). */
  private readonly podsByNode = new Map<string, Set<string>>();

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    private readonly loop: ReconcileLoop,
  ) {
    store.watch('Node', (type, obj) => {
      const node = obj.metadata.name as string;
      if (type === 'DELETED' && this.podsByNode.get(node)?.size) this.quarantine(node);
    });
    store.watch('Pod', (type, obj, old) => {
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      const node = (obj as PodObject).spec?.nodeName;
      const before = (old as PodObject | undefined)?.spec?.nodeName;
      if (before && (before !== node || type === 'DELETED')) this.podsByNode.get(before)?.delete(key);
      if (!node || type === 'DELETED' || node === before) return;
      let keys = this.podsByNode.get(node);
      if (!keys) {
        keys = new Set();
        this.podsByNode.set(node, keys);
      }
      keys.add(key);
      if (!store.get('Node', undefined, node)) this.quarantine(node);
    });
  }

  // The next pass sees the node missing and queues it for the quarantine; the pass after it is checked again.
  private quarantine(node: string): void {
    const clock = this.store.clock;
    const start = clock.now() - clock.elapsed();
    const nextPass = start + Math.ceil(clock.elapsed() / GC_CHECK_PERIOD) * GC_CHECK_PERIOD;
    this.loop.schedule(this, node, nextPass + QUARANTINE_TIME);
  }

  async reconcile(node: string): Promise<void> {
    if (this.store.get('Node', undefined, node)) return;
    for (const key of [...(this.podsByNode.get(node) ?? [])]) {
      const [namespace, name] = key.split('/');
      await this.markFailedAndDelete(namespace, name);
    }
  }

  // markFailedAndDeletePodWithCondition: a pod that has not finished is marked Failed first, then force-deleted.
  private async markFailedAndDelete(namespace: string, name: string): Promise<void> {
    const pod = this.store.get('Pod', namespace, name) as PodObject | undefined;
    if (!pod) return;
    const phase = pod.status?.phase;
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      const now = this.store.clock.timestamp();
      this.store.mutate<PodObject>('Pod', namespace, name, (p) => {
        const condition: PodCondition = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'DeletionByPodGC',
          message: 'PodGC: node no longer exists',
          lastTransitionTime: now,
        };
        const others = (p.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        p.status = { ...(p.status ?? {}), phase: 'Failed', conditions: [...others, condition] };
      });
    }
    try {
      await this.api.delete('Pod', namespace, name, { gracePeriodSeconds: 0 });
    } catch (error) {
      if (!(error instanceof ApiError && error.reason === 'NotFound')) throw error;
    }
  }
}
