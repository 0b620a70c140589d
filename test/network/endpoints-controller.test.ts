import { expect } from 'chai';
import type { EndpointSubset } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../src/api/object';
import type { PodObject } from '../../src/api/pods';
import type { ServiceObject } from '../../src/api/services';
import { Store } from '../../src/api/store';
import { DECISION_POINTS } from '../../src/decision-points';
import { EndpointsController } from '../../src/network/endpoints-controller';
import type { EndpointSliceObject } from '../../src/network/endpointslice-reconciler';
import { endpointRows } from '../../src/network/views';
import type { Evaluator } from '../../src/rules/evaluate';
import { Policy } from '../../src/rules/policy';
import { VirtualClock } from '../../src/sim/clock';
import { type Controller, ReconcileLoop } from '../../src/sim/loop';
import { SeededRandom } from '../../src/sim/random';
import { DecisionTrace } from '../../src/sim/trace';

let nextIP = 2;

/** A pod as its kubelet reports it once started: Running, Ready, with an address on node n1. */
const pod = (name: string, labels: Record<string, string>, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
  status: {
    phase: 'Running',
    podIP: `10.244.0.${nextIP}`,
    podIPs: [{ ip: `10.244.0.${nextIP++}` }],
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }],
  },
});

const service = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.0.10',
    selector: { app: 'web' },
    ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
    ...spec,
  },
});

/** The controller alone on a store, deciding with the shipped rules (or a policy the test gives). */
function harness(policy = Policy.load(DECISION_POINTS)) {
  const clock = new VirtualClock();
  const store = new Store(clock, new SeededRandom(1));
  const loop = new ReconcileLoop(clock, () => 100_000);
  const trace = new DecisionTrace(true);
  new EndpointsController(store, loop, () => policy.evaluator('service.endpoints'), trace);
  store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  const setStatus = (name: string, change: (p: PodObject) => void) => {
    store.mutate<PodObject>('Pod', 'default', name, change);
  };
  const endpoints = (name: string) =>
    (store.get('Endpoints', 'default', name)?.subsets as EndpointSubset[] | undefined) ?? [];
  const slices = (name: string) =>
    (store.list('EndpointSlice', 'default') as EndpointSliceObject[]).filter(
      (s) => s.metadata.labels?.['kubernetes.io/service-name'] === name,
    );
  return { clock, store, loop, trace, setStatus, endpoints, slices, reconcile: () => loop.runUntilQuiet() };
}

const notReady = (p: PodObject) => {
  for (const cond of p.status?.conditions ?? []) {
    cond.status = 'False';
    cond.lastTransitionTime = '2025-01-01T00:01:00Z';
  }
};

const terminating = (p: PodObject) => {
  p.metadata.deletionTimestamp = '2025-01-01T00:00:30Z';
};

describe('endpoints controllers', () => {
  it('lists a not-ready pod under notReadyAddresses and as a not-ready, not-serving endpoint', async () => {
    const h = harness();
    h.store.create(pod('web-1', { app: 'web' }));
    h.store.create(pod('web-2', { app: 'web' }));
    h.store.create(service('web', {}));
    await h.reconcile();
    h.setStatus('web-2', notReady);
    await h.reconcile();
    const [subset] = h.endpoints('web');
    expect(subset.addresses?.map((a) => a.targetRef?.name)).to.deep.equal(['web-1']);
    expect(subset.notReadyAddresses?.map((a) => a.targetRef?.name)).to.deep.equal(['web-2']);
    expect(endpointRows(h.store, h.store.get('Service', 'default', 'web') as ServiceObject)).to.deep.equal([
      { pod: 'web-1', ready: true, serving: true, terminating: false },
      { pod: 'web-2', ready: false, serving: false, terminating: false },
    ]);
    // The trigger time is the Ready transition of the pod that changed.
    expect(h.store.get('Endpoints', 'default', 'web')?.metadata.annotations).to.deep.equal({
      'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:01:00Z',
    });
  });

  it('keeps a terminating pod out of Endpoints but in the slice as serving and terminating', async () => {
    const h = harness();
    h.store.create(pod('web-1', { app: 'web' }));
    h.store.create(service('web', {}));
    await h.reconcile();
    h.setStatus('web-1', terminating);
    await h.reconcile();
    expect(h.endpoints('web')).to.deep.equal([]);
    expect(h.slices('web')[0].endpoints?.[0].conditions).to.deep.equal({
      ready: false,
      serving: true,
      terminating: true,
    });
  });

  it('with publishNotReadyAddresses, lists not-ready and terminating pods as ready', async () => {
    const h = harness();
    h.store.create(pod('db-0', { app: 'web' }));
    h.store.create(pod('db-1', { app: 'web' }));
    h.store.create(service('peers', { clusterIP: 'None', publishNotReadyAddresses: true }));
    await h.reconcile();
    h.setStatus('db-0', notReady);
    h.setStatus('db-1', terminating);
    await h.reconcile();
    const [subset] = h.endpoints('peers');
    expect(subset.addresses?.map((a) => a.targetRef?.name)).to.deep.equal(['db-0', 'db-1']);
    expect(subset.notReadyAddresses).to.equal(undefined);
    expect(h.slices('peers')[0].endpoints?.map((e) => e.conditions)).to.deep.equal([
      { ready: true, serving: false, terminating: false },
      { ready: true, serving: true, terminating: true },
    ]);
    expect(h.store.get('Endpoints', 'default', 'peers')?.metadata.labels).to.deep.equal({
      'service.kubernetes.io/headless': '',
    });
  });

  it('leaves out a pod that has finished, keeping an empty placeholder slice', async () => {
    const h = harness();
    h.store.create(pod('job', { app: 'web' }));
    h.store.create(service('web', {}));
    await h.reconcile();
    h.setStatus('job', (p) => {
      p.status = { ...p.status, phase: 'Succeeded' };
    });
    await h.reconcile();
    expect(h.endpoints('web')).to.deep.equal([]);
    const [slice] = h.slices('web');
    expect(slice.endpoints).to.equal(null);
    expect(slice.ports).to.equal(null);
    expect(slice.metadata.generation).to.equal(2);
  });

  it('follows the policy in force: a rule set that drops not-ready pods altogether', async () => {
    const policy = Policy.load(DECISION_POINTS).withRuleText(
      `apiVersion: kubespec.io/v1
kind: RuleSet
metadata: {name: endpoint-conditions}
spec:
  decisionPoint: service.endpoints
  rules:
    - name: only-ready
      conditions:
        all:
          - { fact: podReady, operator: equal, value: true }
          - { fact: hasIP, operator: equal, value: true }
      event: { type: endpoint, params: { ready: true, serving: true, terminating: false } }
`,
      'test',
    );
    const h = harness(policy);
    h.store.create(pod('web-1', { app: 'web' }));
    h.store.create(pod('web-2', { app: 'web' }));
    h.store.create(service('web', {}));
    await h.reconcile();
    h.setStatus('web-2', notReady);
    await h.reconcile();
    expect(h.endpoints('web')[0].notReadyAddresses).to.equal(undefined);
    expect(h.slices('web')[0].endpoints?.map((e) => e.targetRef?.name)).to.deep.equal(['web-1']);
  });

  it('traces a decision once per pod and Service version, not at every reconcile', async () => {
    const h = harness();
    h.store.create(pod('web-1', { app: 'web' }));
    h.store.create(service('web', {}));
    await h.reconcile();
    const subjects = () => h.trace.entries.map((e) => (e.kind === 'decision' ? e.subject : ''));
    expect(subjects()).to.deep.equal(['pod default/web-1 for service default/web']);
    h.store.create(pod('other', { app: 'other' }));
    h.store.create(pod('web-2', { app: 'web' }));
    await h.reconcile();
    expect(subjects()).to.deep.equal([
      'pod default/web-1 for service default/web',
      'pod default/web-2 for service default/web',
    ]);
  });

  it('removes the Endpoints and EndpointSlices of a deleted Service', async () => {
    const h = harness();
    h.store.create(pod('web-1', { app: 'web' }));
    h.store.create(service('web', {}));
    await h.reconcile();
    expect(h.slices('web')).to.have.length(1);
    h.store.remove('Service', 'default', 'web');
    await h.reconcile();
    expect(h.store.get('Endpoints', 'default', 'web')).to.equal(undefined);
    expect(h.slices('web')).to.deep.equal([]);
  });

  it('splits more than 100 endpoints over slices and truncates Endpoints at 1000 addresses', async () => {
    const h = harness();
    h.store.create(service('web', {}));
    for (let i = 0; i < 1001; i++) {
      const p = pod(`web-${i}`, { app: 'web' });
      const ip = `10.${Math.floor(i / 250)}.${i % 250}.7`;
      p.status = { ...(p.status as object), podIP: ip, podIPs: [{ ip }] };
      h.store.create(p);
    }
    await h.reconcile();
    const sizes = h.slices('web').map((s) => s.endpoints?.length ?? 0);
    expect(sizes).to.have.length(11);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(1001);
    expect(Math.max(...sizes)).to.equal(100);
    const annotations = h.store.get('Endpoints', 'default', 'web')?.metadata.annotations;
    expect(annotations?.['endpoints.kubernetes.io/over-capacity']).to.equal('truncated');
    expect(h.endpoints('web')[0].addresses).to.have.length(1000);
  });
});

describe('endpoints controller indexing', () => {
  class RecordingLoop {
    readonly keys: string[] = [];
    enqueue(_controller: Controller, key: string): void {
      this.keys.push(key);
    }
  }

  function setup() {
    const store = new Store(new VirtualClock(), new SeededRandom(1));
    const loop = new RecordingLoop();
    const rules = {
      point: 'service.endpoints',
      rules: [],
      evaluate: async () => ({}),
    } as unknown as Evaluator;
    new EndpointsController(store, loop as unknown as ReconcileLoop, () => rules, new DecisionTrace(false));
    return { store, loop };
  }

  it('wakes for no pod change in a namespace without selecting Services', () => {
    const { store, loop } = setup();
    store.create(service('web', { selector: { app: 'web' } }));
    store.create({
      ...service('ext', { type: 'ExternalName' }),
      metadata: { name: 'ext', namespace: 'default' },
    });
    loop.keys.length = 0;
    store.create(pod('web-1', { app: 'web' }, 'prod'));
    store.mutate('Pod', 'prod', 'web-1', (p) => {
      p.status = { podIP: '10.244.0.9' };
    });
    store.remove('Pod', 'prod', 'web-1');
    expect(loop.keys).to.deep.equal([]);
  });

  it('wakes only the Services whose selector matched the pod before or after the change', () => {
    const { store, loop } = setup();
    store.create(service('web', { selector: { app: 'web' } }));
    store.create({
      ...service('api', { selector: { app: 'api' } }),
      metadata: { name: 'api', namespace: 'default' },
    });
    loop.keys.length = 0;
    store.create(pod('p', { app: 'web' }));
    store.mutate('Pod', 'default', 'p', (p) => {
      p.metadata.labels = { app: 'api' };
    });
    store.mutate('Pod', 'default', 'p', (p) => {
      p.metadata.annotations = { note: 'nothing endpoints care about' };
    });
    expect(loop.keys).to.deep.equal(['default/web', 'default/web', 'default/api']);
  });
});
