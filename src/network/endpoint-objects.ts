// What the endpoint controllers write for one pod of a Service: its address in the legacy Endpoints object
// (k8s:pkg/controller/endpoint/endpoints_controller.go podToEndpointAddressForService, addEndpointSubset,
// RepackSubsets from k8s:pkg/api/v1/endpoints/util.go, truncateEndpoints) and its entry in an EndpointSlice
// (k8s:staging/src/k8s.io/endpointslice/utils.go podToEndpoint, getEndpointPorts, FindPort).
import type { EndpointAddress, EndpointPort, EndpointSubset, ServicePort } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort as SlicePort } from 'kubernetes-types/discovery/v1';
import type { NodeObject } from '../api/nodes';
import type { PodObject } from '../api/pods';
import type { ServiceObject } from '../api/services';

/** What the service.endpoints rules decided for a pod. */
export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface SelectedPod {
  pod: PodObject;
  node: NodeObject | undefined;
  /** Undefined: the pod is not an endpoint. */
  endpoint: EndpointConditions | undefined;
}

/** The Endpoints controller's cap on addresses (maxCapacity) and the annotation that says it was hit. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * FindPort: a numeric targetPort as is; a named one is the container port of that name and the service port's
 * protocol, in the containers, then in the sidecars (init containers that always restart).
 */
export function findPort(pod: PodObject, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target;
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    const port = container.ports?.find((p) => p.name === target && p.protocol === servicePort.protocol);
    if (port) return port.containerPort;
  }
  return undefined;
}

/** ShouldSetHostname: the pod names the Service as its subdomain and has a hostname. */
function hostnameFor(pod: PodObject, service: ServiceObject): string | undefined {
  const spec = pod.spec;
  return spec?.hostname && spec.subdomain === service.metadata.name ? spec.hostname : undefined;
}

function ipv4Addresses(pod: PodObject): string[] {
  const ips = pod.status?.podIPs?.map((p) => p.ip ?? '') ?? [pod.status?.podIP ?? ''];
  return ips.filter((ip) => ip !== '' && !ip.includes(':'));
}

const targetRef = (pod: PodObject) => ({
  kind: 'Pod',
  name: pod.metadata.name as string,
  namespace: pod.metadata.namespace as string,
  uid: pod.metadata.uid as string,
});

// ---- EndpointSlice --------------------------------------------------------------------------

/** podToEndpoint, with the conditions the rules decided. */
export function sliceEndpoint(selected: SelectedPod, service: ServiceObject): Endpoint {
  const { pod, node, endpoint } = selected;
  const conditions = endpoint as EndpointConditions;
  const out: Endpoint = {
    addresses: ipv4Addresses(pod),
    conditions: { ready: conditions.ready, serving: conditions.serving, terminating: conditions.terminating },
    targetRef: targetRef(pod),
  };
  if (pod.spec?.nodeName) out.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) out.zone = zone;
  const hostname = hostnameFor(pod, service);
  if (hostname) out.hostname = hostname;
  return out;
}

/** getEndpointPorts: the service ports the pod serves, with the container port each one reaches. */
export function slicePorts(pod: PodObject, service: ServiceObject): SlicePort[] {
  const ports: SlicePort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    const entry: SlicePort = { name: servicePort.name ?? '', port, protocol: servicePort.protocol };
    if (servicePort.appProtocol) entry.appProtocol = servicePort.appProtocol;
    ports.push(entry);
  }
  return ports;
}

// ---- Endpoints ------------------------------------------------------------------------------

interface RawAddress {
  address: EndpointAddress;
  ready: boolean;
  /** Undefined: a headless Service without ports. */
  port: EndpointPort | undefined;
}

/**
 * The subsets of the legacy Endpoints object, repacked into the canonical layout, and whether they had to be
 * truncated to MAX_ENDPOINTS_CAPACITY addresses.
 */
export function endpointsSubsets(
  service: ServiceObject,
  selected: readonly SelectedPod[],
): { subsets: EndpointSubset[]; truncated: boolean } {
  const raw: RawAddress[] = [];
  const servicePorts = service.spec?.ports ?? [];
  const headless = service.spec?.clusterIP === 'None';
  for (const { pod, endpoint } of selected) {
    // A terminating pod is left out unless the rules still call it ready (publishNotReadyAddresses).
    if (!endpoint || (endpoint.terminating && !endpoint.ready)) continue;
    const ip = ipv4Addresses(pod)[0];
    if (!ip) continue;
    const address: EndpointAddress = { ip, nodeName: pod.spec?.nodeName ?? '', targetRef: targetRef(pod) };
    const hostname = hostnameFor(pod, service);
    if (hostname) address.hostname = hostname;
    if (servicePorts.length === 0) {
      if (headless) raw.push({ address, ready: endpoint.ready, port: undefined });
      continue;
    }
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      const entry: EndpointPort = { port, protocol: servicePort.protocol };
      if (servicePort.name) entry.name = servicePort.name;
      if (servicePort.appProtocol) entry.appProtocol = servicePort.appProtocol;
      raw.push({ address, ready: endpoint.ready, port: entry });
    }
  }
  const subsets = repackSubsets(raw);
  return { subsets, truncated: truncateSubsets(subsets) };
}

const addressKey = (a: EndpointAddress) => `${a.ip}\0${a.targetRef?.uid ?? ''}`;

/** LessEndpointAddress: by IP (bytewise), then by the target's UID. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * RepackSubsets: addresses grouped by the exact set of ports they serve; an address not ready on a port is
 * not ready there even if another entry says it is. Kubernetes orders ports and subsets by a hash of their Go
 * representation; here they keep the order of the Service's ports.
 */
function repackSubsets(raw: readonly RawAddress[]): EndpointSubset[] {
  const byPort = new Map<string, { port: EndpointPort | undefined; addresses: Map<string, RawAddress> }>();
  for (const entry of raw) {
    const portKey = entry.port
      ? JSON.stringify([entry.port.name, entry.port.port, entry.port.protocol])
      : '-';
    let group = byPort.get(portKey);
    if (!group) {
      group = { port: entry.port, addresses: new Map() };
      byPort.set(portKey, group);
    }
    const key = addressKey(entry.address);
    const seen = group.addresses.get(key);
    if (!seen || seen.ready) group.addresses.set(key, entry);
  }
  const bySet = new Map<string, { entries: RawAddress[]; ports: EndpointPort[] }>();
  for (const { port, addresses } of byPort.values()) {
    const entries = [...addresses.values()].sort((a, b) => compareAddresses(a.address, b.address));
    const setKey = entries.map((e) => `${addressKey(e.address)}\0${e.ready}`).join('\n');
    let subset = bySet.get(setKey);
    if (!subset) {
      subset = { entries, ports: [] };
      bySet.set(setKey, subset);
    }
    if (port) subset.ports.push(port);
  }
  return [...bySet.values()].map(({ entries, ports }) => {
    const subset: EndpointSubset = {};
    const ready = entries.filter((e) => e.ready).map((e) => e.address);
    const notReady = entries.filter((e) => !e.ready).map((e) => e.address);
    if (ready.length > 0) subset.addresses = ready;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    if (ports.length > 0) subset.ports = ports;
    return subset;
  });
}

/**
 * truncateEndpoints: beyond MAX_ENDPOINTS_CAPACITY addresses, not-ready ones are cut first, each subset keeping
 * its share (rounded down); if the ready ones alone are too many, they are cut the same way and every
 * not-ready one goes.
 */
function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady;
  const total = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = (truncateReady ? s.addresses : s.notReadyAddresses)?.length ?? 0;
    const toBeAdded = Math.min(Math.floor((inSubset / total) * max), canBeAdded);
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses.length;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses.length;
    }
    if (s.addresses?.length === 0) delete s.addresses;
    if (s.notReadyAddresses?.length === 0) delete s.notReadyAddresses;
  }
  return true;
}
