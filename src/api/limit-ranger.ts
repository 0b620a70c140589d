// The LimitRanger admission plugin (k8s:plugin/pkg/admission/limitranger/admission.go). Mutating, for new pods:
// each LimitRange of the namespace fills the Container defaults a container lacks (default → limits,
// defaultRequest → requests) and records what it set in the `kubernetes.io/limit-ranger` annotation. Validating,
// after the pod's own validation: every container (and the pod as a whole, and a claim's storage request) is
// held to min, max and maxLimitRequestRatio, all violations refused together.
import type { Container, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { ApiServer } from './apiserver';
import type { LimitRangeObject } from './limit-ranges';
import type { KubeObject } from './object';
import { Quantity } from './quantity';
import { type QuotaList, quotaList } from './quota-lists';
import { podAggregate } from './quota-usage';
import { ApiError, type Store } from './store';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

export function registerLimitRanger(api: ApiServer, store: Store): void {
  api.addAdmission('Pod', (obj) => {
    for (const lr of limitRanges(store, obj)) mergePodResourceRequirements(obj as Pod, lr);
  });
  api.addValidatingAdmission('Pod', (obj) =>
    refuseOn(
      obj,
      'pods',
      limitRanges(store, obj).flatMap((lr) => podViolations(lr, obj as Pod)),
    ),
  );
  api.addValidatingAdmission('PersistentVolumeClaim', (obj) =>
    refuseOn(
      obj,
      'persistentvolumeclaims',
      limitRanges(store, obj).flatMap((lr) => claimViolations(lr, obj as PersistentVolumeClaim)),
    ),
  );
}

// The plugin's lister returns the namespace's LimitRanges in no set order; kubespec takes them by name.
function limitRanges(store: Store, obj: KubeObject): LimitRangeObject[] {
  return (store.list('LimitRange', obj.metadata.namespace) as LimitRangeObject[]).sort((a, b) =>
    (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1,
  );
}

// utilerrors.NewAggregate: one error bare, several as `[a, b]`; admission.NewForbidden names the object.
function refuseOn(obj: KubeObject, resource: string, errors: string[]): void {
  if (errors.length === 0) return;
  const message = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  throw new ApiError('Forbidden', `${resource} "${obj.metadata.name}" is forbidden: ${message}`);
}

/** defaultContainerResourceRequirements: the Container items' defaultRequest and default lists. */
export function containerDefaults(lr: LimitRangeObject): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/**
 * mergePodResourceRequirements: only missing entries are filled; the annotation lists, per container, the
 * requests then the limits set (names sorted), and is replaced by each LimitRange that sets anything.
 */
export function mergePodResourceRequirements(pod: Pod, lr: LimitRangeObject): void {
  const defaults = containerDefaults(lr);
  const notes: string[] = [];
  const merge = (c: Container, prefix: string) => {
    type Lists = { limits?: Record<string, string>; requests?: Record<string, string> };
    const holder = c as { resources?: Lists };
    // Go makes empty maps here, which the API omits; kubespec adds only the lists it fills.
    const current: Lists = holder.resources ?? {};
    const setLimits = Object.keys(defaults.limits).filter((k) => !(k in (current.limits ?? {})));
    const setRequests = Object.keys(defaults.requests).filter((k) => !(k in (current.requests ?? {})));
    if (setLimits.length > 0) {
      const limits = { ...(current.limits ?? {}) };
      for (const k of setLimits) limits[k] = defaults.limits[k];
      current.limits = limits;
    }
    if (setRequests.length > 0) {
      const requests = { ...(current.requests ?? {}) };
      for (const k of setRequests) requests[k] = defaults.requests[k];
      current.requests = requests;
    }
    if (setLimits.length + setRequests.length > 0) holder.resources = current;
    if (setRequests.length > 0)
      notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
    if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
  };
  for (const c of pod.spec?.containers ?? []) merge(c, 'container');
  for (const c of pod.spec?.initContainers ?? []) merge(c, 'init container');
  if (notes.length === 0) return;
  const meta = pod.metadata as { annotations?: Record<string, string> };
  meta.annotations = {
    ...(meta.annotations ?? {}),
    [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}`,
  };
}

const MAX_MILLI = 2 ** 63 / 1000;

// requestLimitEnforcedValues: compared in milli-units unless a value is too large for them.
function enforcedValues(
  req: Quantity | undefined,
  lim: Quantity | undefined,
  enforced: Quantity,
): [number, number, number] {
  const zero = Quantity.fromValue(0);
  const [r, l] = [req ?? zero, lim ?? zero];
  if (r.value() <= MAX_MILLI && l.value() <= MAX_MILLI && enforced.value() <= MAX_MILLI)
    return [r.milliValue(), l.milliValue(), enforced.milliValue()];
  return [r.value(), l.value(), enforced.value()];
}

function minConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  requests: QuotaList,
  limits: QuotaList,
) {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`;
  return undefined;
}

function maxConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  requests: QuotaList,
  limits: QuotaList,
) {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${enforced}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`;
  if (req && r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: QuotaList) {
  const req = requests.get(name);
  const [r, , e] = enforcedValues(req, undefined, enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
}

function ratioConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  requests: QuotaList,
  limits: QuotaList,
) {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l] = enforcedValues(req, lim, enforced);
  if (!req || r === 0)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  if (!lim || l === 0)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  const observed = l / r;
  const [scaled, max] =
    enforced.value() <= MAX_MILLI ? [observed * 1000, enforced.milliValue()] : [observed, enforced.value()];
  if (scaled > max)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

// Go ranges over each ResourceList in random order; kubespec checks the resources in name order.
const sorted = (list: Readonly<Record<string, unknown>> | undefined) =>
  [...quotaList(list)].sort(([a], [b]) => (a < b ? -1 : 1));

function checkAll(
  item: { min?: object; max?: object; maxLimitRequestRatio?: object },
  type: string,
  requests: QuotaList,
  limits: QuotaList,
): string[] {
  const out: (string | undefined)[] = [];
  for (const [k, v] of sorted(item.min as Record<string, unknown>))
    out.push(minConstraint(type, k, v, requests, limits));
  for (const [k, v] of sorted(item.max as Record<string, unknown>))
    out.push(maxConstraint(type, k, v, requests, limits));
  for (const [k, v] of sorted(item.maxLimitRequestRatio as Record<string, unknown>))
    out.push(ratioConstraint(type, k, v, requests, limits));
  return out.filter((e): e is string => e !== undefined);
}

/** PodValidateLimitFunc: each container and init container against Container items, the pod against Pod items. */
export function podViolations(lr: LimitRangeObject, pod: Pod): string[] {
  const errs: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        errs.push(
          ...checkAll(item, 'Container', quotaList(c.resources?.requests), quotaList(c.resources?.limits)),
        );
      }
    }
    if (item.type === 'Pod') {
      errs.push(
        ...checkAll(item, 'Pod', podAggregate(pod, 'requests', false), podAggregate(pod, 'limits', false)),
      );
    }
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc: only the claim's storage request is held to min and max. */
export function claimViolations(lr: LimitRangeObject, pvc: PersistentVolumeClaim): string[] {
  const errs: (string | undefined)[] = [];
  const requests = quotaList(pvc.spec?.resources?.requests);
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of sorted(item.min))
      errs.push(minConstraint('PersistentVolumeClaim', k, v, requests, new Map()));
    for (const [k, v] of sorted(item.max))
      errs.push(maxRequestConstraint('PersistentVolumeClaim', k, v, requests));
  }
  return errs.filter((e): e is string => e !== undefined);
}
