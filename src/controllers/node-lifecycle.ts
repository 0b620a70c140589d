// The node lifecycle controller's NoSchedule tainting pass (k8s:pkg/controller/nodelifecycle/
// node_lifecycle_controller.go doNoScheduleTaintingPass): a cordoned node (spec.unschedulable) carries the
// node.kubernetes.io/unschedulable:NoSchedule taint, and loses it when uncordoned.
import type { Taint } from 'kubernetes-types/core/v1';
import type { NodeObject } from '../api/nodes';
import type { Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';

export const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';

  constructor(
    private readonly store: Store,
    loop: ReconcileLoop,
  ) {
    store.watch('Node', (type, obj) => {
      if (type !== 'DELETED') loop.enqueue(this, obj.metadata.name as string);
    });
  }

  async reconcile(name: string): Promise<void> {
    const node = this.store.get('Node', undefined, name) as NodeObject | undefined;
    if (!node) return;
    const taints = node.spec?.taints ?? [];
    const has = taints.some((t) => t.key === UNSCHEDULABLE_TAINT_KEY && t.effect === 'NoSchedule');
    const wants = node.spec?.unschedulable === true;
    if (has === wants) return;
    const next: Taint[] = wants
      ? [
          ...taints,
          { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: this.store.clock.timestamp() },
        ]
      : taints.filter((t) => !(t.key === UNSCHEDULABLE_TAINT_KEY && t.effect === 'NoSchedule'));
    this.store.mutate<NodeObject>('Node', undefined, name, (n) => {
      n.spec = { ...(n.spec ?? {}), taints: next.length > 0 ? next : undefined };
    });
  }
}
