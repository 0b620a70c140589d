// Read-only views of a Service's endpoints and of kube-proxy and DNS results, in the words scenarios, reports
// and failure messages use.
import type { EndpointAddress, EndpointSubset } from 'kubernetes-types/core/v1';
import type { PodObject } from '../api/pods';
import type { ServiceObject } from '../api/services';
import type { Store } from '../api/store';
import type { ServiceView } from '../report/cluster-svg';
import type { DnsAnswer, DnsRecord } from './cluster-dns';
import { managedSelector } from './endpoints-controller';
import { type EndpointSliceObject, SERVICE_NAME_LABEL } from './endpointslice-reconciler';
import { type Client, type ConnectionResult, EXTERNAL_CLIENT_IP } from './kube-proxy';

export interface EndpointRow {
  /** The pod's name, `namespace/name` outside the Service's namespace, or the address of a non-pod endpoint. */
  pod: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export function slicesOf(store: Store, svc: ServiceObject): EndpointSliceObject[] {
  return (store.list('EndpointSlice', svc.metadata.namespace) as EndpointSliceObject[]).filter(
    (s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name,
  );
}

/**
 * Every endpoint of the Service's EndpointSlices, once per pod, in slice order. Endpoints in a slice without
 * ports (pods that have none of the Service's named ports) serve nothing and are left out, unless the Service
 * itself has no ports (a headless Service).
 */
export function endpointRows(store: Store, svc: ServiceObject): EndpointRow[] {
  const rows = new Map<string, EndpointRow>();
  const portless = (svc.spec?.ports ?? []).length === 0;
  for (const slice of slicesOf(store, svc)) {
    if (!portless && (slice.ports ?? []).length === 0) continue;
    for (const e of slice.endpoints ?? []) {
      const ref = e.targetRef;
      const pod = ref?.name
        ? ref.namespace === svc.metadata.namespace
          ? ref.name
          : `${ref.namespace}/${ref.name}`
        : e.addresses[0];
      const ready = e.conditions?.ready ?? true;
      rows.set(pod, {
        pod,
        ready,
        serving: e.conditions?.serving ?? ready,
        terminating: e.conditions?.terminating ?? false,
      });
    }
  }
  return [...rows.values()];
}

/** The pods (or addresses) of the Service's ready endpoints, sorted. */
export function readyEndpoints(store: Store, svc: ServiceObject): string[] {
  return endpointRows(store, svc)
    .filter((r) => r.ready)
    .map((r) => r.pod)
    .sort();
}

/** The legacy Endpoints object's ready and not-ready addresses, by pod name, sorted. */
export function endpointsAddresses(
  store: Store,
  svc: ServiceObject,
): { ready: string[]; notReady: string[] } {
  const endpoints = store.get('Endpoints', svc.metadata.namespace, svc.metadata.name as string);
  const subsets = (endpoints?.subsets as EndpointSubset[] | undefined) ?? [];
  const names = (addresses: EndpointAddress[] | undefined) =>
    (addresses ?? []).map((a) => a.targetRef?.name ?? a.ip);
  const unique = (list: string[]) => [...new Set(list)].sort();
  return {
    ready: unique(subsets.flatMap((s) => names(s.addresses))),
    notReady: unique(subsets.flatMap((s) => names(s.notReadyAddresses))),
  };
}

/** The connection's source when a pod connects: its IP and its node's kube-proxy. */
export function podClient(pod: PodObject): Client {
  const ip = pod.status?.podIP;
  if (!ip) {
    throw new Error(
      `pod ${pod.metadata.namespace}/${pod.metadata.name} has no IP address (phase ${pod.status?.phase ?? 'Pending'}): it cannot connect`,
    );
  }
  return { ip, node: pod.spec?.nodeName, inCluster: true };
}

export const EXTERNAL_CLIENT: Client = { ip: EXTERNAL_CLIENT_IP, inCluster: false };

export function describeConnection(result: ConnectionResult): string {
  switch (result.outcome) {
    case 'reached': {
      const target = result.pod ? `pod ${result.pod.namespace}/${result.pod.name}` : 'a non-pod endpoint';
      return `reached ${target} at ${result.ip}:${result.port} (via ${result.via})`;
    }
    case 'left the cluster':
      return `left the cluster for ${result.host}:${result.port}`;
    default:
      return `${result.outcome}: ${result.reason}`;
  }
}

function describeRecord(r: DnsRecord): string {
  if (r.type === 'A') return `A ${r.address}`;
  if (r.type === 'CNAME') return `CNAME ${r.target}`;
  return `SRV ${r.priority} ${r.weight} ${r.port} ${r.target}`;
}

export function describeAnswer(answer: DnsAnswer): string {
  const asked = `asked ${answer.queried.join(', ') || 'no cluster DNS (the pod does not use it)'}`;
  if (answer.rcode === 'NXDOMAIN') return `NXDOMAIN (${asked})`;
  if (answer.records.length === 0) return `no records (${asked})`;
  return `${answer.records.map(describeRecord).join('; ')} (${asked})`;
}

/** The Services of the cluster picture: those that select pods, and DNS aliases. */
export function serviceViews(store: Store): ServiceView[] {
  const views: ServiceView[] = [];
  for (const svc of store.list('Service') as ServiceObject[]) {
    const spec = svc.spec ?? {};
    if (spec.type !== 'ExternalName' && !managedSelector(svc)) continue;
    const ports = (spec.ports ?? []).map(
      (p) =>
        `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}→${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`,
    );
    const view: ServiceView = {
      namespace: svc.metadata.namespace as string,
      name: svc.metadata.name as string,
      type: spec.type ?? 'ClusterIP',
      address: (spec.type === 'ExternalName' ? spec.externalName : spec.clusterIP) ?? '',
      ports,
      endpoints: endpointRows(store, svc).map((r) => ({
        pod: r.pod,
        state: r.terminating ? 'terminating' : r.ready ? 'ready' : 'not ready',
      })),
    };
    if (spec.type === 'LoadBalancer')
      view.external = svc.status?.loadBalancer?.ingress?.[0]?.ip ?? '<pending>';
    views.push(view);
  }
  return views;
}
