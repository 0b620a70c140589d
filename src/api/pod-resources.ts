// What a pod asks of a node, computed as Kubernetes computes it
// (k8s:staging/src/k8s.io/component-helpers/resource/helpers.go PodRequests): regular containers and
// restartable ("sidecar") init containers are summed; an ordinary init container runs alone, so only the
// largest of them (plus the sidecars started before it) counts; pod overhead is added on top.
import type { Container, Pod, ResourceRequirements } from 'kubernetes-types/core/v1';
import { Quantity } from './quantity';

/** cpu in millicores; every other resource in its base unit (bytes, devices). */
export type ResourceList = Record<string, number>;

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

// k8s:pkg/scheduler/util/pod_resources.go: the requests the scheduler assumes, for scoring only, for a
// container that asks for no cpu or memory.
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type QuantityList = Map<string, Quantity>;

export interface PodRequestOptions {
  /** Substitute the scheduler's defaults for a container's missing cpu/memory request (scoring). */
  nonMissingDefaults?: boolean;
  excludeOverhead?: boolean;
}

export function podRequests(pod: Pod, options: PodRequestOptions = {}): ResourceList {
  const requestsOf = (c: Container) => {
    const list = toQuantities(c.resources?.requests);
    if (options.nonMissingDefaults) {
      if (!list.has(CPU)) list.set(CPU, Quantity.fromMilli(DEFAULT_MILLI_CPU_REQUEST));
      if (!list.has(MEMORY)) list.set(MEMORY, Quantity.fromValue(DEFAULT_MEMORY_REQUEST));
    }
    return list;
  };
  const result: QuantityList = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(result, requestsOf(c));

  const sidecars: QuantityList = new Map();
  const initPeak: QuantityList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    let during: QuantityList;
    if (c.restartPolicy === 'Always') {
      addInto(result, requestsOf(c));
      addInto(sidecars, requestsOf(c));
      during = sidecars;
    } else {
      during = new Map();
      addInto(during, requestsOf(c));
      addInto(during, sidecars);
    }
    maxInto(initPeak, during);
  }
  maxInto(result, initPeak);
  if (!options.excludeOverhead) addInto(result, toQuantities(pod.spec?.overhead));
  return toNumbers(result);
}

/** Kubernetes' int64 view of a quantity: millicores for cpu, Value() (rounded up) for the rest. */
export function resourceAmount(name: string, q: Quantity): number {
  return name === CPU ? q.milliValue() : q.value();
}

export function toResourceList(list: Readonly<Record<string, unknown>> | undefined): ResourceList {
  return toNumbers(toQuantities(list as Record<string, string | number> | undefined));
}

/** Extended resources and other scalar resources: everything but cpu, memory, ephemeral-storage and pods. */
export function isScalarResource(name: string): boolean {
  return name !== CPU && name !== MEMORY && name !== EPHEMERAL_STORAGE && name !== PODS;
}

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

// k8s:pkg/apis/core/helper/qos/qos.go ComputePodQOS: only cpu and memory count; requests default from
// limits (API defaulting has already copied them when the pod was admitted).
export function podQOSClass(pod: Pod): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let isGuaranteed = true;
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    const req = computeResources(c.resources, 'requests');
    const lim = computeResources(c.resources, 'limits');
    for (const [name, q] of req)
      if (q.sign() > 0) requests.set(name, (requests.get(name) ?? Quantity.fromValue(0)).add(q));
    for (const [name, q] of lim)
      if (q.sign() > 0) limits.set(name, (limits.get(name) ?? Quantity.fromValue(0)).add(q));
    const limitedResources = [...lim.entries()].filter(([, q]) => q.sign() > 0).map(([n]) => n);
    if (!(limitedResources.includes(CPU) && limitedResources.includes(MEMORY))) isGuaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (isGuaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim?.cmp(req) !== 0) {
        isGuaranteed = false;
        break;
      }
    }
  }
  return isGuaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function computeResources(
  resources: ResourceRequirements | undefined,
  which: 'requests' | 'limits',
): QuantityList {
  const out: QuantityList = new Map();
  for (const [name, value] of Object.entries(resources?.[which] ?? {})) {
    if (name === CPU || name === MEMORY) out.set(name, Quantity.parse(value as string | number));
  }
  return out;
}

function toQuantities(list: Readonly<Record<string, string | number>> | undefined): QuantityList {
  const out: QuantityList = new Map();
  for (const [name, value] of Object.entries(list ?? {})) out.set(name, Quantity.parse(value));
  return out;
}

function toNumbers(list: QuantityList): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of list) out[name] = resourceAmount(name, q);
  return out;
}

function addInto(target: QuantityList, add: QuantityList): void {
  for (const [name, q] of add) target.set(name, target.has(name) ? (target.get(name) as Quantity).add(q) : q);
}

function maxInto(target: QuantityList, other: QuantityList): void {
  for (const [name, q] of other) {
    const current = target.get(name);
    if (!current || q.cmp(current) > 0) target.set(name, q);
  }
}
