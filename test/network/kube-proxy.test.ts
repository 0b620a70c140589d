import { expect } from 'chai';
import type { Endpoint } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../src/api/object';
import { Store } from '../../src/api/store';
import {
  type Client,
  type ConnectionResult,
  EXTERNAL_CLIENT_IP,
  KubeProxy,
} from '../../src/network/kube-proxy';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

type Conditions = { ready?: boolean; serving?: boolean; terminating?: boolean };

function setup(spec: Record<string, unknown>, endpoints: [name: string, node: string, Conditions][]) {
  const clock = new VirtualClock();
  const store = new Store(clock, new SeededRandom(1));
  store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      internalTrafficPolicy: 'Cluster',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }],
      ...spec,
    },
  } as KubeObject);
  for (const [i, node] of ['n1', 'n2'].entries()) {
    store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: node },
      status: { addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 2}` }] },
    } as KubeObject);
  }
  const list: Endpoint[] = endpoints.map(([name, node, conditions], i) => ({
    addresses: [`10.244.0.${i + 2}`],
    conditions,
    nodeName: node,
    targetRef: { kind: 'Pod', namespace: 'default', name },
  }));
  store.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: list,
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  } as KubeObject);
  return { clock, store, proxy: new KubeProxy(store, new SeededRandom(1)) };
}

const fromPodOn = (node: string): Client => ({ ip: '10.244.9.9', node, inCluster: true });
const outside: Client = { ip: EXTERNAL_CLIENT_IP, inCluster: false };
const ready: Conditions = { ready: true, serving: true, terminating: false };
const notReady: Conditions = { ready: false, serving: false, terminating: false };
const servingTerminating: Conditions = { ready: false, serving: true, terminating: true };
const gone: Conditions = { ready: false, serving: false, terminating: true };

function reached(results: ConnectionResult[]): string[] {
  return [
    ...new Set(results.map((r) => (r.outcome === 'reached' ? (r.pod?.name ?? r.ip) : r.outcome))),
  ].sort();
}

function many(proxy: KubeProxy, client: Client, address: string, port: number, n = 60) {
  return Array.from({ length: n }, () => proxy.connect(client, address, port));
}

// The cases of k8s:pkg/proxy/topology_test.go TestCategorizeEndpoints, through the data path.
describe('kube-proxy', () => {
  it('uses only ready endpoints when some are ready', () => {
    const { proxy } = setup({}, [
      ['a', 'n1', ready],
      ['b', 'n2', notReady],
      ['c', 'n2', servingTerminating],
    ]);
    expect(reached(many(proxy, fromPodOn('n1'), '10.96.0.10', 80))).to.deep.equal(['a']);
  });

  it('falls back to serving terminating endpoints when none is ready', () => {
    const { proxy } = setup({}, [
      ['a', 'n1', notReady],
      ['b', 'n2', servingTerminating],
      ['c', 'n2', gone],
    ]);
    expect(reached(many(proxy, fromPodOn('n1'), '10.96.0.10', 80))).to.deep.equal(['b']);
  });

  it('rejects the connection when no endpoint is usable at all', () => {
    const { proxy } = setup({}, [
      ['a', 'n1', notReady],
      ['c', 'n2', gone],
    ]);
    const result = proxy.connect(fromPodOn('n1'), '10.96.0.10', 80);
    expect(result).to.deep.equal({
      outcome: 'refused',
      reason: 'service default/web has no endpoints for port 80/TCP',
    });
  });

  it('reads missing conditions as ready, not terminating', () => {
    const { proxy } = setup({}, [['a', 'n1', {}]]);
    expect(reached(many(proxy, fromPodOn('n1'), '10.96.0.10', 80, 5))).to.deep.equal(['a']);
  });

  it('reaches the target port and spreads connections over every ready endpoint', () => {
    const { proxy } = setup({}, [
      ['a', 'n1', ready],
      ['b', 'n2', ready],
    ]);
    const results = many(proxy, fromPodOn('n1'), '10.96.0.10', 80, 400);
    expect(reached(results)).to.deep.equal(['a', 'b']);
    const toA = results.filter((r) => r.outcome === 'reached' && r.pod?.name === 'a').length;
    expect(toA).to.be.within(160, 240);
    expect(results.every((r) => r.outcome === 'reached' && r.port === 8080)).to.equal(true);
  });

  describe('internalTrafficPolicy Local', () => {
    it('keeps traffic on the client node', () => {
      const { proxy } = setup({ internalTrafficPolicy: 'Local' }, [
        ['a', 'n1', ready],
        ['b', 'n2', ready],
      ]);
      expect(reached(many(proxy, fromPodOn('n2'), '10.96.0.10', 80))).to.deep.equal(['b']);
    });

    it('drops traffic from a node without a local endpoint', () => {
      const { proxy } = setup({ internalTrafficPolicy: 'Local' }, [['a', 'n1', ready]]);
      expect(proxy.connect(fromPodOn('n2'), '10.96.0.10', 80).outcome).to.equal('timed out');
    });

    it('uses a local serving terminating endpoint rather than a remote ready one', () => {
      const { proxy } = setup({ internalTrafficPolicy: 'Local' }, [
        ['a', 'n1', servingTerminating],
        ['b', 'n2', ready],
      ]);
      expect(reached(many(proxy, fromPodOn('n1'), '10.96.0.10', 80))).to.deep.equal(['a']);
    });
  });

  describe('node ports', () => {
    it('takes external traffic on any node to any endpoint with the Cluster policy', () => {
      const { proxy } = setup({ type: 'NodePort', externalTrafficPolicy: 'Cluster' }, [['a', 'n1', ready]]);
      expect(reached(many(proxy, outside, '172.18.0.3', 30080, 5))).to.deep.equal(['a']);
    });

    it("drops external traffic at a node without an endpoint with the Local policy, but not a pod's", () => {
      const { proxy } = setup({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [['a', 'n1', ready]]);
      expect(proxy.connect(outside, '172.18.0.3', 30080).outcome).to.equal('timed out');
      expect(reached(many(proxy, outside, '172.18.0.2', 30080, 5))).to.deep.equal(['a']);
      expect(reached(many(proxy, fromPodOn('n2'), '172.18.0.3', 30080, 5))).to.deep.equal(['a']);
    });

    it('refuses a node port nothing listens on', () => {
      const { proxy } = setup({ type: 'NodePort' }, [['a', 'n1', ready]]);
      expect(proxy.connect(outside, '172.18.0.2', 30999)).to.deep.equal({
        outcome: 'refused',
        reason: 'no service has node port 30999/TCP: nothing listens on node n1',
      });
    });
  });

  it('drops a connection to a port the Service does not have', () => {
    const { proxy } = setup({}, [['a', 'n1', ready]]);
    expect(proxy.connect(fromPodOn('n1'), '10.96.0.10', 443).outcome).to.equal('timed out');
    expect(proxy.connect(fromPodOn('n1'), '10.96.0.10', 80, 'UDP').outcome).to.equal('timed out');
  });

  describe('sessionAffinity ClientIP', () => {
    const affinity = (timeoutSeconds: number) => ({
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds } },
    });

    it('sends a client back to the same endpoint, each client on its own', () => {
      const { proxy } = setup(affinity(10800), [
        ['a', 'n1', ready],
        ['b', 'n1', ready],
        ['c', 'n1', ready],
      ]);
      expect(reached(many(proxy, fromPodOn('n1'), '10.96.0.10', 80, 30))).to.have.length(1);
      const perClient = Array.from({ length: 30 }, (_, i) =>
        proxy.connect({ ip: `10.244.5.${i}`, node: 'n1', inCluster: true }, '10.96.0.10', 80),
      );
      expect(reached(perClient)).to.deep.equal(['a', 'b', 'c']);
    });

    it('forgets a client that stayed away longer than the timeout', () => {
      const { proxy, clock } = setup(affinity(60), [
        ['a', 'n1', ready],
        ['b', 'n1', ready],
        ['c', 'n1', ready],
      ]);
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        clock.advanceTo(clock.now() + 61_000);
        const r = proxy.connect(fromPodOn('n1'), '10.96.0.10', 80);
        if (r.outcome === 'reached') seen.add(r.pod?.name ?? '');
      }
      expect([...seen].sort()).to.deep.equal(['a', 'b', 'c']);
    });
  });
});
