// The ResourceQuota admission plugin (k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go
// checkRequest): a new object is charged to every quota of its namespace that limits something it uses and
// whose scopes it is in; over any hard limit it is refused, otherwise the new usage is written to the quotas'
// status at once, so the next object in the same instant sees it. A validating plugin: it runs last, after
// validation, and its refusals name the generated name.
import type { ApiServer } from './apiserver';
import { qualifiedResource } from './kinds';
import type { KubeObject } from './object';
import {
  addLists,
  lessThanOrEqual,
  mask,
  prettyPrint,
  type QuotaList,
  quotaList,
  removeZeros,
  toStored,
} from './quota-lists';
import { evaluatorFor, QUOTA_EVALUATORS, type QuotaScopeSpec, quotaMatches } from './quota-usage';
import { ApiError, type Store } from './store';

export interface ResourceQuotaObject extends KubeObject {
  spec?: QuotaScopeSpec & { hard?: Record<string, string> };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** The plugin runs for every kind a quota can count; an object no quota limits passes untouched. */
export function registerResourceQuotaAdmission(api: ApiServer, store: Store): void {
  for (const { kind } of QUOTA_EVALUATORS) api.addValidatingAdmission(kind, (obj) => admit(obj, store));
}

/** quota admission for one new object. */
export function admit(obj: KubeObject, store: Store): void {
  const evaluator = evaluatorFor(obj.kind);
  if (!evaluator) return;
  const namespace = obj.metadata.namespace as string;
  const quotas = (store.list('ResourceQuota', namespace) as ResourceQuotaObject[]).sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  const forbidden = (reason: string) =>
    new ApiError(
      'Forbidden',
      `${qualifiedResource(obj.kind)} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: ${reason}`,
    );
  const interesting: ResourceQuotaObject[] = [];
  for (const quota of quotas) {
    const hard = Object.keys(quota.status?.hard ?? {});
    if (!quotaMatches(evaluator, hard, quota.spec, obj)) continue;
    const restricted = evaluator.matchingResources(hard);
    const violation = evaluator.constraints(restricted, obj);
    if (violation) throw forbidden(`failed quota: ${quota.metadata.name}: ${violation}`);
    const used = quota.status?.used ?? {};
    if (restricted.some((r) => !(r in used))) {
      throw forbidden(
        `status unknown for quota: ${quota.metadata.name}, resources: ${[...restricted].sort().join(',')}`,
      );
    }
    interesting.push(quota);
  }
  // No quota covers the object: nothing to charge (and most objects of most namespaces are in this case).
  if (interesting.length === 0) return;
  const delta = removeZeros(evaluator.usage(obj, store.clock.now()));
  if (delta.size === 0) return;

  const updates: [ResourceQuotaObject, QuotaList][] = [];
  for (const quota of interesting) {
    const hard = quotaList(quota.status?.hard);
    const used = quotaList(quota.status?.used);
    const requested = mask(delta, hard.keys());
    const newUsage = addLists(used, requested);
    const { allowed, exceeded } = lessThanOrEqual(mask(newUsage, requested.keys()), hard);
    if (!allowed) {
      throw forbidden(
        `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`,
      );
    }
    updates.push([quota, newUsage]);
  }
  // The plugin writes the quotas' status before the object is stored (a conflict would be retried).
  for (const [quota, newUsage] of updates) {
    store.mutate('ResourceQuota', namespace, quota.metadata.name as string, (draft) => {
      const status = (draft.status ?? {}) as { used?: Record<string, string> };
      status.used = toStored(newUsage);
      draft.status = status;
    });
  }
}
