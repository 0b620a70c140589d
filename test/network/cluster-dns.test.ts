import { expect } from 'chai';
import type { KubeObject } from '../../src/api/object';
import type { PodObject } from '../../src/api/pods';
import { Store } from '../../src/api/store';
import { ClusterDns } from '../../src/network/cluster-dns';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

// The objects of CoreDNS's plugin/kubernetes/handler_test.go: svc1 (cluster IP 10.0.0.1, port http/80), hdls1
// (headless, endpoints 172.0.0.2 and 172.0.0.3, port http/80), external (CNAME ext.interwebs.test).
function world(): { dns: ClusterDns; store: Store } {
  const store = new Store(new VirtualClock(), new SeededRandom(1));
  const create = (obj: Record<string, unknown>) => store.create(obj as unknown as KubeObject);
  create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'testns' } });
  const svc = (name: string, spec: Record<string, unknown>) =>
    create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'testns' }, spec });
  svc('svc1', {
    type: 'ClusterIP',
    clusterIP: '10.0.0.1',
    clusterIPs: ['10.0.0.1'],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  });
  svc('hdls1', {
    type: 'ClusterIP',
    clusterIP: 'None',
    clusterIPs: ['None'],
    ports: [{ name: 'http', port: 80 }],
  });
  svc('external', { type: 'ExternalName', externalName: 'ext.interwebs.test' });
  create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'hdls1-x', namespace: 'testns', labels: { 'kubernetes.io/service-name': 'hdls1' } },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['172.0.0.2'], conditions: { ready: true } },
      { addresses: ['172.0.0.3'], conditions: { ready: true } },
      { addresses: ['172.0.0.9'], conditions: { ready: false } },
      { addresses: ['172.0.0.4'], hostname: 'dup-name', conditions: { ready: true } },
    ],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  });
  return { dns: new ClusterDns(store), store };
}

const client = (spec: Record<string, unknown> = {}, namespace = 'testns'): PodObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c', namespace }, spec }) as unknown as PodObject;

describe('cluster DNS', () => {
  describe('answers of the kubernetes plugin (handler_test.go)', () => {
    const { dns } = world();
    const cases: [string, 'A' | 'SRV', unknown][] = [
      [
        'svc1.testns.svc.cluster.local',
        'A',
        [{ type: 'A', name: 'svc1.testns.svc.cluster.local', address: '10.0.0.1' }],
      ],
      [
        'hdls1.testns.svc.cluster.local',
        'A',
        ['172.0.0.2', '172.0.0.3', '172.0.0.4'].map((address) => ({
          type: 'A',
          name: 'hdls1.testns.svc.cluster.local',
          address,
        })),
      ],
      [
        '_http._tcp.svc1.testns.svc.cluster.local',
        'SRV',
        [
          {
            type: 'SRV',
            name: '_http._tcp.svc1.testns.svc.cluster.local',
            priority: 0,
            weight: 100,
            port: 80,
            target: 'svc1.testns.svc.cluster.local.',
          },
        ],
      ],
      [
        '_http._tcp.hdls1.testns.svc.cluster.local',
        'SRV',
        ['172-0-0-2', '172-0-0-3', 'dup-name'].map((host) => ({
          type: 'SRV',
          name: '_http._tcp.hdls1.testns.svc.cluster.local',
          priority: 0,
          weight: 33,
          port: 80,
          target: `${host}.hdls1.testns.svc.cluster.local.`,
        })),
      ],
      [
        'external.testns.svc.cluster.local',
        'A',
        [{ type: 'CNAME', name: 'external.testns.svc.cluster.local', target: 'ext.interwebs.test.' }],
      ],
      // An endpoint by its dashed address, or by its hostname.
      [
        '172-0-0-3.hdls1.testns.svc.cluster.local',
        'A',
        [{ type: 'A', name: '172-0-0-3.hdls1.testns.svc.cluster.local', address: '172.0.0.3' }],
      ],
      [
        'dup-name.hdls1.testns.svc.cluster.local',
        'A',
        [{ type: 'A', name: 'dup-name.hdls1.testns.svc.cluster.local', address: '172.0.0.4' }],
      ],
      // The bare zone, svc and pod, and a namespace: NODATA.
      ['cluster.local', 'A', []],
      ['svc.cluster.local', 'A', []],
      ['pod.cluster.local', 'A', []],
      ['testns.svc.cluster.local', 'A', []],
      // `pods insecure`: a dashed address in an existing namespace.
      [
        '10-20-0-101.testns.pod.cluster.local',
        'A',
        [{ type: 'A', name: '10-20-0-101.testns.pod.cluster.local', address: '10.20.0.101' }],
      ],
    ];
    for (const [name, type, expected] of cases) {
      it(`${type} ${name}`, () => {
        expect(dns.query(name, type)).to.deep.equal(expected);
      });
    }

    const missing = [
      'svc0.testns.svc.cluster.local',
      'svc1.nsnoexist.svc.cluster.local',
      '_https._tcp.svc1.testns.svc.cluster.local',
      '172-0-0-9.hdls1.testns.svc.cluster.local',
      'x.y.svc1.testns.svc.cluster.local',
      'svc1.testns.nothing.cluster.local',
      '10-20-0-101.nsnoexist.pod.cluster.local',
      'svc1.testns.svc.example.com',
    ];
    for (const name of missing) {
      it(`NXDOMAIN for ${name}`, () => {
        expect(String(dns.query(name, 'A'))).to.equal('Symbol(NXDOMAIN)');
      });
    }
  });

  describe('the resolver of a pod', () => {
    it('tries the search list first for a name with fewer than 5 dots', () => {
      const { dns } = world();
      const answer = dns.resolve(client(), 'svc1', 'A');
      expect(answer.rcode).to.equal('NOERROR');
      expect(answer.queried).to.deep.equal(['svc1.testns.svc.cluster.local']);
    });

    it('asks every search domain, then the name itself, before saying it does not exist', () => {
      const { dns } = world();
      const answer = dns.resolve(client(), 'nothing.here', 'A');
      expect(answer.rcode).to.equal('NXDOMAIN');
      expect(answer.queried).to.deep.equal([
        'nothing.here.testns.svc.cluster.local',
        'nothing.here.svc.cluster.local',
        'nothing.here.cluster.local',
        'nothing.here',
      ]);
    });

    it('asks an absolute name as it is', () => {
      const { dns } = world();
      expect(dns.resolve(client(), 'svc1.testns.svc.cluster.local.', 'A').queried).to.deep.equal([
        'svc1.testns.svc.cluster.local',
      ]);
    });

    it('honours the pod dnsConfig: its searches and its ndots', () => {
      const { dns } = world();
      const pod = client({
        dnsConfig: { searches: ['corp.example'], options: [{ name: 'ndots', value: '1' }] },
      });
      expect(dns.resolve(pod, 'a.b', 'A').queried).to.deep.equal([
        'a.b',
        'a.b.testns.svc.cluster.local',
        'a.b.svc.cluster.local',
        'a.b.cluster.local',
        'a.b.corp.example',
      ]);
    });

    it('keeps NODATA apart from NXDOMAIN', () => {
      const { dns } = world();
      expect(dns.resolve(client({}, 'default'), 'testns.svc.cluster.local.', 'A').rcode).to.equal('NOERROR');
    });

    it('asks nothing of the cluster DNS for a pod with dnsPolicy Default or on the host network', () => {
      const { dns } = world();
      for (const spec of [{ dnsPolicy: 'Default' }, { dnsPolicy: 'ClusterFirst', hostNetwork: true }]) {
        const answer = dns.resolve(client(spec), 'svc1', 'A');
        expect(answer).to.deep.equal({ rcode: 'NXDOMAIN', records: [], queried: [] });
      }
      const withHostNet = dns.resolve(
        client({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }),
        'svc1',
        'A',
      );
      expect(withHostNet.rcode).to.equal('NOERROR');
    });
  });
});
