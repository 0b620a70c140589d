// kube-proxy's data path, as the iptables proxier programs it (k8s:pkg/proxy/iptables/proxier.go
// syncProxyRules, k8s:pkg/proxy/topology.go CategorizeEndpoints): a connection to a Service's cluster IP, to a
// node's NodePort, to a load balancer or external IP, is sent to one of the Service's endpoints, read from its
// EndpointSlices, on the endpoint's port. Ready endpoints are used; when none is ready, serving terminating ones
// are; with a Local traffic policy only those on the node the traffic arrives at. A Service with no usable
// endpoint at all rejects the connection; one whose endpoints are all elsewhere under a Local policy drops it.
// Among the candidates the choice is uniform (iptables' statistic match) from the cluster's seeded `backend`
// stream, and sessionAffinity ClientIP sends a client back to the endpoint it last reached until it has been
// idle for the affinity timeout (the `recent` match). Once translated, the connection goes through the
// cluster's packet filter (network policies): a connection it denies is dropped.
import type { Endpoint } from 'kubernetes-types/discovery/v1';
import type { NodeObject } from '../api/nodes';
import type { PodObject } from '../api/pods';
import { DEFAULT_AFFINITY_SECONDS, isHeadless, type ServiceObject } from '../api/services';
import type { Store } from '../api/store';
import type { SeededRandom } from '../sim/random';
import type { EndpointSliceObject } from './endpointslice-reconciler';
import { SERVICE_NAME_LABEL } from './endpointslice-reconciler';
import type { Packet, Verdict } from './network-policy-filter';

/** Where a connection comes from: a pod (its IP and node) or a machine outside the cluster. */
export interface Client {
  ip: string;
  /** The node whose kube-proxy sees the traffic first, for a pod. */
  node?: string;
  /** Inside the cluster (a pod): external traffic policies do not apply to it. */
  inCluster: boolean;
}

/** A client outside the cluster, from a documentation range (RFC 5737 TEST-NET-2). */
export const EXTERNAL_CLIENT_IP = '198.51.100.1';

export type ConnectionResult =
  | {
      outcome: 'reached';
      /** The endpoint's pod, or undefined for an endpoint that is no pod (the API server). */
      pod: { namespace: string; name: string } | undefined;
      ip: string;
      port: number;
      via: string;
    }
  | {
      outcome: 'refused' | 'timed out' | 'unresolved';
      reason: string;
      /** Dropped because a network policy denies it. */
      deniedByNetworkPolicy?: true;
    }
  | { outcome: 'left the cluster'; host: string; port: number };

interface Backend {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  node: string | undefined;
  pod: { namespace: string; name: string } | undefined;
}

interface Affinity {
  backend: string;
  lastSeen: number;
}

/**
 * Which endpoints a route may use: `internal` (to a cluster IP) follows internalTrafficPolicy on the client's
 * node, `external` (from outside to a node port) follows externalTrafficPolicy on that node, and `cluster` uses
 * every endpoint: the cloud load balancer only sends to nodes that have endpoints, and kube-proxy short-circuits
 * pods' traffic to node ports and external addresses to the cluster-wide endpoints.
 */
type Route = {
  service: ServiceObject;
  portIndex: number;
  traffic: 'internal' | 'external' | 'cluster';
  node?: string;
  via: string;
};

const ref = (svc: ServiceObject) => `${svc.metadata.namespace}/${svc.metadata.name}`;

/** What decides whether a translated connection may pass (the CNI plugin's network policy enforcement). */
export interface PacketFilter {
  admit(packet: Packet): Verdict;
}

export class KubeProxy {
  private readonly affinity = new Map<string, Affinity>();

  constructor(
    private readonly store: Store,
    private readonly random: SeededRandom,
    private readonly filter?: PacketFilter,
  ) {}

  /**
   * A connection to a Service by name, as a client resolving `name.namespace.svc` would make it: to the cluster
   * IP; to one of the ready pods' own addresses for a headless Service (no address translation, so on the
   * port asked for); out of the cluster for an ExternalName Service.
   */
  connectToService(client: Client, svc: ServiceObject, port: number, protocol = 'TCP'): ConnectionResult {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') {
      return { outcome: 'left the cluster', host: (spec.externalName ?? '').replace(/\.$/, ''), port };
    }
    if (!isHeadless(svc)) return this.connect(client, spec.clusterIP as string, port, protocol);
    const ready = this.slicesOf(svc).flatMap((s) =>
      (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false && e.addresses.length > 0),
    );
    if (ready.length === 0) {
      return {
        outcome: 'unresolved',
        reason: `headless service ${ref(svc)} has no ready endpoints, so its name does not resolve`,
      };
    }
    const chosen = ready[this.random.intn('backend', ready.length)];
    return this.connect(client, chosen.addresses[0], port, protocol);
  }

  connect(client: Client, address: string, port: number, protocol = 'TCP'): ConnectionResult {
    const route = this.route(client, address, port, protocol);
    if ('outcome' in route) return this.filtered(client, client.ip, route, protocol);
    const { service, portIndex, traffic, node, via } = route;
    const servicePort = (service.spec?.ports ?? [])[portIndex];
    const spec = service.spec ?? {};
    const local =
      (traffic === 'internal' && spec.internalTrafficPolicy === 'Local') ||
      (traffic === 'external' && spec.externalTrafficPolicy === 'Local');
    const all = this.backends(service, servicePort.name ?? '', servicePort.protocol ?? 'TCP');
    const ready = all.filter((b) => b.ready);
    const fallback = all.filter((b) => b.serving && b.terminating);
    if (ready.length === 0 && fallback.length === 0) {
      return {
        outcome: 'refused',
        reason: `service ${ref(service)} has no endpoints for port ${servicePort.port}/${servicePort.protocol}`,
      };
    }
    let candidates = ready.length > 0 ? ready : fallback;
    if (local) {
      const here = (b: Backend) => b.node === node;
      candidates = ready.some(here) ? ready.filter(here) : fallback.filter(here);
      if (candidates.length === 0) {
        return {
          outcome: 'timed out',
          reason: `service ${ref(service)} has a Local ${traffic} traffic policy and no endpoint on node ${node}: the packet is dropped`,
        };
      }
    }
    const chosen = this.choose(service, servicePort.name ?? '', client.ip, candidates);
    const result: ConnectionResult = {
      outcome: 'reached',
      pod: chosen.pod,
      ip: chosen.ip,
      port: chosen.port,
      via,
    };
    // The iptables proxier masquerades traffic that enters through a node port, a load balancer or an external
    // IP unless its externalTrafficPolicy is Local (the KUBE-EXT chains): the backend sees the node's address.
    const masqueraded = traffic !== 'internal' && spec.externalTrafficPolicy !== 'Local';
    const seen = masqueraded ? (this.nodeAddress(node ?? chosen.node) ?? client.ip) : client.ip;
    return this.filtered(client, seen, result, protocol);
  }

  private filtered(
    client: Client,
    seen: string,
    result: ConnectionResult,
    protocol: string,
  ): ConnectionResult {
    if (!this.filter || result.outcome !== 'reached') return result;
    const verdict = this.filter.admit({
      sourceIP: client.ip,
      seenSourceIP: seen,
      destinationIP: result.ip,
      port: result.port,
      protocol,
    });
    if (verdict.allowed) return result;
    return {
      outcome: 'timed out',
      reason: `the packet is dropped: ${verdict.reason}`,
      deniedByNetworkPolicy: true,
    };
  }

  private nodeAddress(name: string | undefined): string | undefined {
    const node = name ? (this.store.get('Node', undefined, name) as NodeObject | undefined) : undefined;
    return node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  }

  private route(client: Client, address: string, port: number, protocol: string): Route | ConnectionResult {
    const services = this.store.list('Service') as ServiceObject[];
    const portOf = (svc: ServiceObject, match: (p: { port: number; nodePort?: number }) => boolean) =>
      (svc.spec?.ports ?? []).findIndex((p) => match(p) && (p.protocol ?? 'TCP') === protocol);
    const noRule = (svc: ServiceObject, what: string): ConnectionResult => ({
      outcome: 'timed out',
      reason: `service ${ref(svc)} has no port ${port}/${protocol} on ${what}: no rule matches and the packet is dropped`,
    });
    for (const svc of services) {
      if (svc.spec?.type === 'ExternalName' || !svc.spec?.clusterIPs?.includes(address)) continue;
      const portIndex = portOf(svc, (p) => p.port === port);
      if (portIndex < 0) return noRule(svc, `its cluster IP ${address}`);
      return {
        service: svc,
        portIndex,
        traffic: 'internal',
        node: client.node,
        via: `cluster IP ${address}:${port}`,
      };
    }
    for (const svc of services) {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === address);
      if (!ingress && !(svc.spec?.externalIPs ?? []).includes(address)) continue;
      const portIndex = portOf(svc, (p) => p.port === port);
      if (portIndex < 0) return noRule(svc, address);
      const what = ingress ? 'load balancer' : 'external IP';
      return { service: svc, portIndex, traffic: 'cluster', via: `${what} ${address}:${port}` };
    }
    const node = (this.store.list('Node') as NodeObject[]).find((n) =>
      (n.status?.addresses ?? []).some((a) => a.type === 'InternalIP' && a.address === address),
    );
    if (node) {
      const name = node.metadata.name as string;
      for (const svc of services) {
        const portIndex = portOf(svc, (p) => p.nodePort === port);
        if (portIndex < 0) continue;
        const traffic = client.inCluster ? 'cluster' : 'external';
        return { service: svc, portIndex, traffic, node: name, via: `node port ${name}:${port}` };
      }
      return {
        outcome: 'refused',
        reason: `no service has node port ${port}/${protocol}: nothing listens on node ${name}`,
      };
    }
    const pod = (this.store.list('Pod') as PodObject[]).find((p) => p.status?.podIP === address);
    if (pod) {
      const target = { namespace: pod.metadata.namespace as string, name: pod.metadata.name as string };
      return { outcome: 'reached', pod: target, ip: address, port, via: `pod IP ${address}:${port}` };
    }
    return { outcome: 'timed out', reason: `nothing in the cluster has the address ${address}` };
  }

  private slicesOf(svc: ServiceObject): EndpointSliceObject[] {
    return (this.store.list('EndpointSlice', svc.metadata.namespace) as EndpointSliceObject[]).filter(
      (s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name && s.addressType === 'IPv4',
    );
  }

  /** The endpoints serving a service port: those whose slice has a port of that name and protocol. */
  private backends(svc: ServiceObject, portName: string, protocol: string): Backend[] {
    const backends: Backend[] = [];
    for (const slice of this.slicesOf(svc)) {
      const port = (slice.ports ?? []).find(
        (p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol,
      );
      if (!port?.port) continue;
      for (const e of slice.endpoints ?? []) backends.push(backend(e, port.port));
    }
    return backends;
  }

  private choose(svc: ServiceObject, portName: string, clientIP: string, candidates: Backend[]): Backend {
    const key = `${ref(svc)}:${portName}`;
    const now = this.store.clock.now();
    if (svc.spec?.sessionAffinity === 'ClientIP') {
      const timeout =
        (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000;
      const affinityKey = `${key}\0${clientIP}`;
      const previous = this.affinity.get(affinityKey);
      const kept =
        previous && now - previous.lastSeen <= timeout
          ? candidates.find((b) => `${b.ip}:${b.port}` === previous.backend)
          : undefined;
      const chosen = kept ?? candidates[this.random.intn('backend', candidates.length)];
      this.affinity.set(affinityKey, { backend: `${chosen.ip}:${chosen.port}`, lastSeen: now });
      return chosen;
    }
    return candidates[this.random.intn('backend', candidates.length)];
  }
}

// Slices written by other controllers may leave conditions out: a missing ready means ready, a missing
// serving means as ready, a missing terminating means not terminating (discovery/v1 EndpointConditions).
function backend(e: Endpoint, port: number): Backend {
  const ready = e.conditions?.ready ?? true;
  const ref = e.targetRef?.kind === 'Pod' ? e.targetRef : undefined;
  return {
    ip: e.addresses[0],
    port,
    ready,
    serving: e.conditions?.serving ?? ready,
    terminating: e.conditions?.terminating ?? false,
    node: e.nodeName,
    pod: ref ? { namespace: ref.namespace as string, name: ref.name as string } : undefined,
  };
}
