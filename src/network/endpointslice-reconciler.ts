// The EndpointSlice reconciler (k8s:staging/src/k8s.io/endpointslice/reconciler.go): given the endpoints a
// Service should have, grouped by the ports they serve, and the slices it has, which slices to create, update
// and delete. Existing slices keep their endpoints in place and are updated rather than replaced; new endpoints
// fill the slices being updated (fullest first), then one unchanged slice that can take them all, then new
// slices of at most 100 endpoints. A Service without endpoints keeps one empty placeholder slice. Kubernetes
// walks its sets in Go's random map order; here they are walked in the order of the selected pods.

import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { sameJson } from '../api/apiserver';
import type { Stored } from '../api/object';
import type { ServiceObject } from '../api/services';
import { HEADLESS_LABEL } from './endpoint-objects';

export type EndpointSliceObject = Stored<EndpointSlice>;

/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** discovery.LabelServiceName and LabelManagedBy, with the endpointslice controller's name. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const RESERVED_LABELS = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

export interface DesiredEndpoint {
  endpoint: Endpoint;
  ports: EndpointPort[];
}

export interface SlicePlan {
  create: EndpointSliceObject[];
  update: EndpointSliceObject[];
  delete: EndpointSliceObject[];
}

const portMapKey = (ports: readonly EndpointPort[] | null | undefined) => JSON.stringify(ports ?? []);

/** endpointset.go hashEndpoint: an endpoint is the same one if its addresses, hostname and target are. */
function endpointKey(e: Endpoint): string {
  return JSON.stringify([
    [...e.addresses].sort(),
    e.hostname ?? '',
    e.targetRef?.namespace,
    e.targetRef?.name,
  ]);
}

function ownerReference(service: ServiceObject): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    name: service.metadata.name as string,
    uid: service.metadata.uid as string,
    controller: true,
    blockOwnerDeletion: true,
  };
}

const ownedBy = (slice: EndpointSliceObject, service: ServiceObject) =>
  (slice.metadata.ownerReferences ?? []).some(
    (o) => o.uid === service.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1',
  );

/**
 * setEndpointSliceLabels: the Service's labels (its reserved ones skipped), the headless label for a Service
 * without a cluster IP, the service name and the managing controller; `updated` when the slice's own labels,
 * reserved ones aside, differ from the Service's.
 */
export function sliceLabels(
  slice: EndpointSliceObject | undefined,
  service: ServiceObject,
): { labels: Record<string, string>; updated: boolean } {
  const own = (labels: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !RESERVED_LABELS.has(k)));
  const labels = own(service.metadata.labels);
  const updated = !sameJson(own(slice?.metadata.labels), labels);
  const clusterIP = service.spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata.name as string;
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return { labels, updated };
}

function newSlice(service: ServiceObject, ports: EndpointPort[]): EndpointSliceObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      // getEndpointSlicePrefix: a Service name is a DNS label, so `<name>-` is always a valid prefix.
      generateName: `${service.metadata.name}-`,
      namespace: service.metadata.namespace,
      labels: sliceLabels(undefined, service).labels,
      ownerReferences: [ownerReference(service)],
    },
    addressType: 'IPv4',
    endpoints: [],
    ports,
  };
}

/** Reconcile for the IPv4 address type, the only one a single-stack cluster's pods have. */
export function planSlices(
  service: ServiceObject,
  desired: readonly DesiredEndpoint[],
  existing: readonly EndpointSliceObject[],
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const existingByPorts = new Map<string, EndpointSliceObject[]>();
  for (const slice of existing) {
    if (!ownedBy(slice, service)) {
      plan.delete.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }
  const desiredByPorts = new Map<string, { ports: EndpointPort[]; endpoints: Map<string, Endpoint> }>();
  for (const { endpoint, ports } of desired) {
    if (endpoint.addresses.length === 0) continue;
    const key = portMapKey(ports);
    let group = desiredByPorts.get(key);
    if (!group) {
      group = { ports, endpoints: new Map() };
      desiredByPorts.set(key, group);
    }
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }
  for (const [key, group] of desiredByPorts) {
    reconcileByPortMapping(service, existingByPorts.get(key) ?? [], group.endpoints, group.ports, plan);
  }
  for (const [key, slices] of existingByPorts) if (!desiredByPorts.has(key)) plan.delete.push(...slices);

  if (existing.length === plan.delete.length && plan.create.length === 0) {
    const placeholder = newSlice(service, []);
    if (plan.delete.length === 1 && isPlaceholder(plan.delete[0], placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }
  return finalize(service, plan);
}

function isPlaceholder(slice: EndpointSliceObject, placeholder: EndpointSliceObject): boolean {
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    sameJson(slice.metadata.labels ?? {}, placeholder.metadata.labels) &&
    sameJson(slice.metadata.ownerReferences ?? [], placeholder.metadata.ownerReferences) &&
    slice.addressType === placeholder.addressType &&
    (slice.endpoints ?? []).length === 0 &&
    (slice.ports ?? []).length === 0
  );
}

function reconcileByPortMapping(
  service: ServiceObject,
  slices: readonly EndpointSliceObject[],
  wanted: Map<string, Endpoint>,
  ports: EndpointPort[],
  plan: SlicePlan,
): void {
  const toUpdate: EndpointSliceObject[] = [];
  const unchanged: EndpointSliceObject[] = [];
  // 1. Keep the desired endpoints where they are, with their new state; drop the others.
  for (const slice of slices) {
    const kept: Endpoint[] = [];
    let changed = false;
    for (const endpoint of slice.endpoints ?? []) {
      const key = endpointKey(endpoint);
      const want = wanted.get(key);
      if (!want) continue;
      kept.push(want);
      if (!sameJson(want, endpoint)) changed = true;
      wanted.delete(key);
    }
    const { labels, updated } = sliceLabels(slice, service);
    if (changed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) plan.delete.push(slice);
      else
        toUpdate.push({
          ...structuredClone(slice),
          endpoints: kept,
          metadata: { ...structuredClone(slice.metadata), labels },
        });
    } else if (updated) {
      toUpdate.push({ ...structuredClone(slice), metadata: { ...structuredClone(slice.metadata), labels } });
    } else unchanged.push(slice);
  }
  const remaining = [...wanted.values()];
  // 2. Fill the slices being updated anyway, the fullest first.
  if (remaining.length > 0) {
    const fullestFirst = [...toUpdate].sort(
      (a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0),
    );
    for (const slice of fullestFirst) {
      while (remaining.length > 0 && (slice.endpoints as Endpoint[]).length < MAX_ENDPOINTS_PER_SLICE) {
        (slice.endpoints as Endpoint[]).push(remaining.shift() as Endpoint);
      }
    }
  }
  // 3. Then one unchanged slice that can take all the rest, else new slices.
  while (remaining.length > 0) {
    let target: EndpointSliceObject | undefined;
    if (remaining.length < MAX_ENDPOINTS_PER_SLICE && unchanged.length > 0) {
      const fit = sliceToFill(unchanged, remaining.length);
      if (fit) {
        unchanged.splice(unchanged.indexOf(fit), 1);
        target = structuredClone(fit);
        toUpdate.push(target);
      }
    }
    if (!target) {
      target = newSlice(service, ports);
      plan.create.push(target);
    }
    target.endpoints ??= [];
    const endpoints = target.endpoints;
    while (remaining.length > 0 && endpoints.length < MAX_ENDPOINTS_PER_SLICE) {
      endpoints.push(remaining.shift() as Endpoint);
    }
  }
  plan.update.push(...toUpdate);
}

/** getSliceToFill: the slice that would be closest to full with `count` more endpoints. */
function sliceToFill(slices: readonly EndpointSliceObject[], count: number): EndpointSliceObject | undefined {
  let closest = MAX_ENDPOINTS_PER_SLICE;
  let best: EndpointSliceObject | undefined;
  for (const slice of slices) {
    const diff = MAX_ENDPOINTS_PER_SLICE - (count + (slice.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closest) {
      closest = diff;
      best = slice;
      if (diff === 0) break;
    }
  }
  return best;
}

/** finalize: a slice that would be deleted is reused, under its name, for a slice that would be created. */
function finalize(service: ServiceObject, plan: SlicePlan): SlicePlan {
  const remaining = [...plan.delete];
  for (let i = 0; i < remaining.length && plan.create.length > 0; ) {
    const doomed = remaining[i];
    if (doomed.addressType === 'IPv4' && ownedBy(doomed, service)) {
      const created = plan.create.pop() as EndpointSliceObject;
      plan.update.push({ ...created, metadata: { ...created.metadata, name: doomed.metadata.name } });
      remaining.splice(i, 1);
    } else i++;
  }
  return { create: plan.create, update: plan.update, delete: remaining };
}
