// The cluster DNS add-on as CoreDNS's kubernetes plugin answers for the zone cluster.local
// (coredns:plugin/kubernetes/parse.go parseRequest, kubernetes.go findServices/findPods, in `pods insecure`
// mode as kubeadm configures it; the schema is github.com/kubernetes/dns docs/specification.md), and the
// resolver of a pod that asks it: the search list and ndots:5 of a ClusterFirst pod's resolv.conf
// (k8s:pkg/kubelet/network/dns/dns.go). Names outside cluster.local would go to the upstream resolver, which
// the simulation does not have: they do not exist. CoreDNS's loadbalance plugin shuffles the records of an
// answer; here they come in endpoint order.
import { isIP } from 'node:net';
import type { PodObject } from '../api/pods';
import { isHeadless, type ServiceObject } from '../api/services';
import type { Store } from '../api/store';
import { type EndpointSliceObject, SERVICE_NAME_LABEL } from './endpointslice-reconciler';

export const CLUSTER_DOMAIN = 'cluster.local';
const NDOTS = 5;

export type DnsRecord =
  | { type: 'A'; name: string; address: string }
  | { type: 'CNAME'; name: string; target: string }
  | { type: 'SRV'; name: string; priority: number; weight: number; port: number; target: string };

export interface DnsAnswer {
  /** NOERROR with no records is NODATA: the name exists, without records of that type. */
  rcode: 'NOERROR' | 'NXDOMAIN';
  records: DnsRecord[];
  /** The fully qualified names the resolver asked, in order. */
  queried: string[];
}

/** A service record before it becomes an answer: an address or a name, and the port it serves. */
interface Found {
  host: string;
  port: number;
  /** The name the record is about, without the zone: `web.prod.svc`, `10-244-1-2.web.prod.svc`. */
  owner: string;
}

interface Request {
  kind: 'svc' | 'pod';
  namespace: string;
  service: string;
  endpoint: string;
  port: string;
  protocol: string;
}

const NXDOMAIN = Symbol('NXDOMAIN');
type Lookup = Found[] | typeof NXDOMAIN;

const fold = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class ClusterDns {
  constructor(private readonly store: Store) {}

  /** What `getent hosts` (type A) or an SRV lookup from the pod would get. */
  resolve(pod: PodObject, name: string, type: 'A' | 'SRV'): DnsAnswer {
    const queried: string[] = [];
    let nodata = false;
    for (const fqdn of this.candidates(pod, name)) {
      queried.push(fqdn);
      const answer = this.query(fqdn, type);
      if (answer === NXDOMAIN) continue;
      if (answer.length > 0) return { rcode: 'NOERROR', records: answer, queried };
      nodata = true;
    }
    return { rcode: nodata ? 'NOERROR' : 'NXDOMAIN', records: [], queried };
  }

  // resolv.conf of a ClusterFirst pod: `search <ns>.svc.cluster.local svc.cluster.local cluster.local`, the
  // pod's dnsConfig searches after them, `options ndots:5`. A pod with dnsPolicy Default (or ClusterFirst on
  // the host network) uses the node's resolver, which does not serve the cluster domain.
  private candidates(pod: PodObject, name: string): string[] {
    const spec: Partial<NonNullable<PodObject['spec']>> = pod.spec ?? {};
    const policy = spec.dnsPolicy ?? 'ClusterFirst';
    const clusterDns =
      policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !spec.hostNetwork);
    if (!clusterDns) return [];
    const trimmed = name.toLowerCase();
    if (trimmed.endsWith('.')) return [trimmed.slice(0, -1)];
    const ndotsOption = spec.dnsConfig?.options?.find((o) => o.name === 'ndots')?.value;
    const ndots = ndotsOption === undefined ? NDOTS : Number(ndotsOption);
    const namespace = pod.metadata.namespace as string;
    const search = [
      `${namespace}.svc.${CLUSTER_DOMAIN}`,
      `svc.${CLUSTER_DOMAIN}`,
      CLUSTER_DOMAIN,
      ...(spec.dnsConfig?.searches ?? []),
    ];
    const searched = search.map((domain) => `${trimmed}.${domain}`);
    const dots = trimmed.split('.').length - 1;
    return dots >= ndots ? [trimmed, ...searched] : [...searched, trimmed];
  }

  /** One query to CoreDNS: the records, an empty list for NODATA, or NXDOMAIN. */
  query(fqdn: string, type: 'A' | 'SRV'): DnsRecord[] | typeof NXDOMAIN {
    const found = this.records(fqdn);
    if (found === NXDOMAIN) return NXDOMAIN;
    if (type === 'SRV') return srvRecords(fqdn, found);
    const records: DnsRecord[] = [];
    for (const f of found) {
      if (isIP(f.host)) records.push({ type: 'A', name: fqdn, address: f.host });
      else {
        records.push({ type: 'CNAME', name: fqdn, target: f.host });
        // A target inside the zone is answered too; one outside would need the upstream resolver.
        const target = f.host.replace(/\.$/, '');
        if (target.endsWith(`.${CLUSTER_DOMAIN}`)) {
          const more = this.query(target, 'A');
          if (more !== NXDOMAIN) records.push(...more);
        }
      }
    }
    // Records of several ports of one Service repeat an address; a DNS answer holds each once.
    return records.filter((r, i) => records.findIndex((o) => JSON.stringify(o) === JSON.stringify(r)) === i);
  }

  private records(fqdn: string): Lookup {
    const zone = `.${CLUSTER_DOMAIN}`;
    if (fqdn !== CLUSTER_DOMAIN && !fqdn.endsWith(zone)) return NXDOMAIN;
    const base = fqdn === CLUSTER_DOMAIN ? '' : fqdn.slice(0, -zone.length);
    if (base === '' || base === 'svc' || base === 'pod') return [];
    const request = parseRequest(base);
    if (!request) return NXDOMAIN;
    if (!this.store.get('Namespace', undefined, request.namespace)) return NXDOMAIN;
    if (!request.service) return [];
    return request.kind === 'pod' ? findPod(request) : this.findServices(request);
  }

  private findServices(r: Request): Lookup {
    const found: Found[] = [];
    let exists = false;
    const services = (this.store.list('Service', r.namespace) as ServiceObject[]).filter((s) =>
      fold(s.metadata.name as string, r.service),
    );
    for (const svc of services) {
      const spec = svc.spec ?? {};
      const owner = `${svc.metadata.name}.${svc.metadata.namespace}.svc`;
      if (spec.type === 'ExternalName') {
        // An ExternalName whose value is an address is not a CNAME and answers nothing.
        if (r.endpoint || isIP(spec.externalName ?? '')) continue;
        found.push({ host: `${(spec.externalName ?? '').replace(/\.$/, '')}.`, port: 0, owner });
        exists = true;
        continue;
      }
      if (isHeadless(svc) || r.endpoint) {
        for (const e of this.readyEndpoints(svc)) {
          if (r.endpoint && !fold(r.endpoint, e.hostname)) continue;
          for (const p of e.ports) {
            if (!matches(r.port, p.name, r.protocol, p.protocol)) continue;
            found.push({ host: e.address, port: p.port, owner: `${e.hostname}.${owner}` });
            exists = true;
          }
        }
        continue;
      }
      for (const p of spec.ports ?? []) {
        if (!matches(r.port, p.name ?? '', r.protocol, p.protocol ?? 'TCP')) continue;
        exists = true;
        for (const ip of spec.clusterIPs ?? []) found.push({ host: ip, port: p.port, owner });
      }
    }
    return exists ? found : NXDOMAIN;
  }

  // object/endpoint.go EndpointSliceToEndpoints: ready (or unspecified) endpoints, with every port of their
  // slice; a slice without ports gets one sentinel port so that its addresses still answer A queries.
  private readyEndpoints(svc: ServiceObject) {
    const slices = (this.store.list('EndpointSlice', svc.metadata.namespace) as EndpointSliceObject[]).filter(
      (s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name,
    );
    return slices.flatMap((slice) => {
      const ports = (slice.ports ?? []).map((p) => ({
        name: p.name ?? '',
        protocol: p.protocol ?? 'TCP',
        port: p.port ?? 0,
      }));
      const withSentinel = ports.length > 0 ? ports : [{ name: '', protocol: '', port: -1 }];
      return (slice.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false)
        .flatMap((e) =>
          e.addresses.map((address) => ({
            address,
            // endpointHostname: the endpoint's hostname, else its address with dashes.
            hostname: e.hostname ?? address.replace(/[.:]/g, '-'),
            ports: withSentinel,
          })),
        );
    });
  }
}

/** matchPortAndProtocol: an empty request part matches anything; names compare case-insensitively. */
function matches(port: string, portName: string, protocol: string, portProtocol: string): boolean {
  return (port === '' || fold(port, portName)) && (protocol === '' || fold(protocol, portProtocol));
}

const stripUnderscore = (s: string) => (s.startsWith('_') ? s.slice(1) : s);

/**
 * parseRequest: from the right, `svc|pod`, the namespace, the service; then one more label is an endpoint and
 * two more are `_port._protocol`. Anything longer is answered NXDOMAIN.
 */
function parseRequest(base: string): Request | undefined {
  const segs = base.split('.');
  let last = segs.length - 1;
  const kind = segs[last];
  if (kind !== 'svc' && kind !== 'pod') return undefined;
  const r: Request = {
    kind,
    namespace: segs[last - 1] ?? '',
    service: '',
    endpoint: '',
    port: '',
    protocol: '',
  };
  last -= 2;
  if (last < 0) return r;
  r.service = segs[last];
  last -= 1;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = stripUnderscore(segs[1]);
    r.port = stripUnderscore(segs[0]);
  } else if (last > 1) return undefined;
  return r;
}

// findPods in `pods insecure` mode: `1-2-3-4.<namespace>.pod` answers 1.2.3.4 without looking for the pod.
function findPod(r: Request): Lookup {
  const name = r.service;
  const ip =
    name.split('-').length === 4 && !name.includes('--')
      ? name.replaceAll('-', '.')
      : name.replaceAll('-', ':');
  if (!isIP(ip)) return NXDOMAIN;
  return [{ host: ip, port: 0, owner: `${name}.${r.namespace}.pod` }];
}

// backend_lookup.go SRV: one record per service record, priority 0, weights sharing 100 (rounded down), the
// target a name in the zone (the service, or an endpoint of a headless service).
function srvRecords(fqdn: string, found: readonly Found[]): DnsRecord[] {
  const unique = found.filter(
    (f, i) => found.findIndex((o) => o.owner === f.owner && o.port === f.port) === i && f.port > 0,
  );
  const weight = Math.floor(100 / Math.max(1, unique.length));
  return unique.map((f) => ({
    type: 'SRV',
    name: fqdn,
    priority: 0,
    weight,
    port: f.port,
    target: isIP(f.host) ? `${f.owner}.${CLUSTER_DOMAIN}.` : f.host,
  }));
}
