// The resource quota controller (k8s:pkg/controller/resourcequota/resource_quota_controller.go syncResourceQuota,
// with the replenishment of resource_quota_monitor.go and quota.CalculateUsage of
// k8s:staging/src/k8s.io/apiserver/pkg/quota/v1/resources.go): status.hard mirrors spec.hard and status.used is
// recounted from the objects of the namespace. A quota is synced when it is created or its hard limits change,
// when an object it may count is deleted or a pod stops counting (finished, or past its deletion grace period),
// and every 5 minutes (--resource-quota-sync-period). Between syncs the admission plugin keeps `used` current.
import { sameJson } from '../api/apiserver';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import { Quantity } from '../api/quantity';
import type { ResourceQuotaObject } from '../api/quota-admission';
import { addLists, mask, type QuotaList, quotaList, toStored } from '../api/quota-lists';
import { podCountsForCompute, QUOTA_EVALUATORS, scopeSelectors } from '../api/quota-usage';
import type { Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';

const RESYNC_MS = 5 * 60 * 1000;

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota-controller';

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
  ) {
    store.watch('ResourceQuota', (type, obj) => {
      const quota = obj as ResourceQuotaObject;
      // The status update the controller and admission write wakes nobody; a new quota or new limits do.
      if (type !== 'DELETED' && !sameJson(quota.spec?.hard ?? {}, quota.status?.hard)) this.enqueue(quota);
    });
    for (const { kind } of QUOTA_EVALUATORS) {
      store.watch(kind, (type, obj, old) => {
        const freed =
          type === 'DELETED' ||
          (kind === 'Pod' &&
            old !== undefined &&
            podCountsForCompute(old as PodObject, store.clock.now()) &&
            !podCountsForCompute(obj as PodObject, store.clock.now()));
        if (freed) this.replenish(obj.metadata.namespace as string);
      });
    }
  }

  private enqueue(quota: KubeObject): void {
    this.loop.enqueue(this, `${quota.metadata.namespace}/${quota.metadata.name}`);
  }

  private replenish(namespace: string): void {
    for (const quota of this.store.list('ResourceQuota', namespace)) this.enqueue(quota);
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const quota = this.store.get('ResourceQuota', namespace, name) as ResourceQuotaObject | undefined;
    if (!quota) return;
    const hard = quotaList(quota.spec?.hard);
    const used = mask(calculateUsage(this.store, quota, hard), hard.keys());
    const status = { hard: toStored(hard), used: toStored(used) };
    if (!sameJson(status, quota.status)) {
      this.store.mutate('ResourceQuota', namespace, name, (draft) => {
        draft.status = status;
      });
    }
    this.loop.schedule(this, key, this.store.clock.now() + RESYNC_MS);
  }
}

/**
 * CalculateUsage: for each evaluator that charges something the quota limits, the usage of every object of the
 * namespace in the quota's scopes, starting from zero for each of those resources.
 */
export function calculateUsage(store: Store, quota: ResourceQuotaObject, hard: QuotaList): QuotaList {
  const namespace = quota.metadata.namespace as string;
  const selectors = scopeSelectors(quota.spec);
  const now = store.clock.now();
  let total: QuotaList = new Map();
  for (const evaluator of QUOTA_EVALUATORS) {
    const resources = evaluator.matchingResources([...hard.keys()]);
    if (resources.length === 0) continue;
    let used: QuotaList = new Map(resources.map((r) => [r, Quantity.fromValue(0)]));
    for (const obj of store.list(evaluator.kind, namespace)) {
      if (selectors.every((s) => evaluator.matchesScope(s, obj)))
        used = addLists(used, evaluator.usage(obj, now));
    }
    total = addLists(total, used);
  }
  return total;
}
