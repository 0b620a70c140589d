import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import { resourceMetrics } from '../../src/controllers/hpa-metrics';
import {
  type CalculatorSettings,
  MetricError,
  type PodMetrics,
  rawResourceReplicas,
  resourceReplicas,
} from '../../src/controllers/hpa-replica-calculator';

// Cases of k8s:pkg/controller/podautoscaler/replica_calculator_test.go, with one container per pod (Kubernetes'
// use two, which doubles every level and request alike) and its testing settings: tolerance 0.1, a cpu
// initialization period of 2 minutes and an initial readiness delay of 10 seconds.
const settings: CalculatorSettings = {
  tolerance: 0.1,
  cpuInitializationPeriod: 2 * 60_000,
  delayOfInitialReadinessStatus: 10_000,
};
const now = Date.UTC(2025, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
// coolCPUCreationTime: started long enough ago to be past the initialization period.
const cool = now - 3 * 60_000;

interface PodOptions {
  request?: string;
  ready?: boolean;
  start?: number;
  /** When the Ready condition last changed (default: at the start). */
  transition?: number;
  phase?: string;
  deleting?: boolean;
}

function pod(name: string, o: PodOptions = {}): PodObject {
  const start = o.start ?? cool;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      deletionTimestamp: o.deleting ? iso(now) : undefined,
    },
    spec: {
      containers: [
        {
          name: 'app',
          resources: o.request === undefined ? {} : { requests: { cpu: o.request, memory: o.request } },
        },
      ],
    },
    status: {
      phase: o.phase ?? 'Running',
      startTime: iso(start),
      conditions: [
        {
          type: 'Ready',
          status: (o.ready ?? true) ? 'True' : 'False',
          lastTransitionTime: iso(o.transition ?? start),
        },
      ],
    },
  };
}

function metrics(levels: Record<string, number>, window = 60_000): PodMetrics {
  return new Map(Object.entries(levels).map(([name, value]) => [name, { value, timestamp: now, window }]));
}

const cpu = (current: number, target: number, pods: PodObject[], m: PodMetrics) =>
  resourceReplicas(current, target, 'cpu', pods, m, settings, now);

describe('the HPA replica calculator (replica_calculator.go)', () => {
  const three = () => [pod('a', { request: '1' }), pod('b', { request: '1' }), pod('c', { request: '1' })];

  it('scales up in proportion to the utilization (TestReplicaCalcScaleUp)', () => {
    expect(cpu(3, 30, three(), metrics({ a: 300, b: 500, c: 700 }))).to.deep.equal({
      replicas: 5,
      utilization: 50,
      rawAverage: 500,
    });
  });

  it('counts an unready pod as using nothing on a scale up (TestReplicaCalcScaleUpUnreadyLessScale)', () => {
    const pods = [
      pod('a', { request: '1', ready: false }),
      pod('b', { request: '1' }),
      pod('c', { request: '1' }),
    ];
    expect(cpu(3, 30, pods, metrics({ a: 300, b: 500, c: 700 }))).to.deep.equal({
      replicas: 4,
      utilization: 60,
      rawAverage: 600,
    });
  });

  it('does not trust a warming pod’s cpu before a full window since it turned ready (TestReplicaCalcScaleUpHotCpuLessScale)', () => {
    const hot = now - 30_000;
    const pods = [
      pod('a', { request: '1', start: hot }),
      pod('b', { request: '1' }),
      pod('c', { request: '1' }),
    ];
    expect(cpu(3, 30, pods, metrics({ a: 300, b: 500, c: 700 })).replicas).to.equal(4);
  });

  it('does not scale when the unready pods would reverse the direction (TestReplicaCalcScaleUpUnreadyNoScale)', () => {
    const pods = [
      pod('a', { request: '1' }),
      pod('b', { request: '1', ready: false }),
      pod('c', { request: '1', ready: false }),
    ];
    expect(cpu(3, 30, pods, metrics({ a: 400, b: 500, c: 700 }))).to.deep.equal({
      replicas: 3,
      utilization: 40,
      rawAverage: 400,
    });
  });

  it('keeps a pod that was ready once, even unready after the initialization period', () => {
    const pods = [
      pod('a', { request: '1', ready: false, transition: cool + 60_000 }),
      pod('b', { request: '1' }),
      pod('c', { request: '1' }),
    ];
    expect(cpu(3, 30, pods, metrics({ a: 300, b: 500, c: 700 })).replicas).to.equal(5);
  });

  it('scales down in proportion (TestReplicaCalcScaleDown)', () => {
    const pods = ['a', 'b', 'c', 'd', 'e'].map((n) => pod(n, { request: '1' }));
    expect(cpu(5, 50, pods, metrics({ a: 100, b: 300, c: 500, d: 250, e: 250 }))).to.deep.equal({
      replicas: 3,
      utilization: 28,
      rawAverage: 280,
    });
  });

  it('leaves a ratio within the tolerance alone (TestReplicaCalcTolerance)', () => {
    const pods = [pod('a', { request: '0.9' }), pod('b', { request: '1.0' }), pod('c', { request: '1.1' })];
    expect(cpu(3, 100, pods, metrics({ a: 1010, b: 1030, c: 1020 }))).to.deep.equal({
      replicas: 3,
      utilization: 102,
      rawAverage: 1020,
    });
  });

  it('counts a pod without metrics as using its request on a scale down (TestReplicaCalcMissingMetrics)', () => {
    const pods = ['a', 'b', 'c', 'd'].map((n) => pod(n, { request: '1' }));
    expect(cpu(4, 100, pods, metrics({ a: 400, b: 95 }))).to.deep.equal({
      replicas: 3,
      utilization: 24,
      rawAverage: 247,
    });
  });

  it('counts a pod without metrics as using nothing on a scale up', () => {
    const pods = ['a', 'b', 'c', 'd'].map((n) => pod(n, { request: '1' }));
    // Without the missing pods: 100% of 50% → 4 pods; with them at 0: (1000+1000)/4000 = 50% → no change.
    expect(cpu(4, 50, pods, metrics({ a: 1000, b: 1000 })).replicas).to.equal(4);
  });

  it('ignores pods that are being deleted or failed, and waits for pending ones', () => {
    const pods = [
      pod('a', { request: '1' }),
      pod('b', { request: '1', deleting: true }),
      pod('c', { request: '1', phase: 'Failed' }),
      pod('d', { request: '1', phase: 'Pending' }),
    ];
    // a alone: 100% of 50% → ceil(2 × 1) = 2, the pending pod at 0 gives (1000)/2000 = 50%: no change.
    expect(cpu(2, 50, pods, metrics({ a: 1000, b: 5000, c: 5000 })).replicas).to.equal(2);
  });

  it('refuses a pod whose container has no request (calculateRequests)', () => {
    expect(() => cpu(1, 50, [pod('web-0')], metrics({ 'web-0': 100 })))
      .to.throw(MetricError)
      .with.property('message', 'missing request for cpu in container app of Pod web-0');
  });

  it('needs a metric of a ready pod', () => {
    expect(() => cpu(1, 50, [pod('a', { request: '1', ready: false })], metrics({ a: 100 })))
      .to.throw(MetricError)
      .with.property('message', 'did not receive metrics for targeted pods (pods might be unready)');
  });

  it('says when no metric matches a known pod (TestReplicaCalcDisjointResourcesMetrics)', () => {
    expect(() => cpu(1, 100, [pod('a', { request: '1' })], metrics({ 'an-older-pod-name': 100 })))
      .to.throw(MetricError)
      .with.property('message', 'no metrics returned matched known pods');
  });

  it('scales an AverageValue target on the average use per pod (GetRawResourceReplicas)', () => {
    const mi = 1024 * 1024 * 1000; // one Mi in milli-units
    const pods = [pod('a'), pod('b')];
    const m = metrics({ a: 900 * mi, b: 900 * mi });
    expect(rawResourceReplicas(2, 500 * mi, 'memory', pods, m, settings, now)).to.deep.equal({
      replicas: 4,
      rawAverage: 900 * mi,
    });
    // A missing pod uses exactly the target on a scale down: (100 + 500) / 2 = 300 → ceil(0.6 × 2) = 2.
    const down = rawResourceReplicas(2, 500 * mi, 'memory', pods, metrics({ a: 100 * mi }), settings, now);
    expect(down.replicas).to.equal(2);
  });
});

describe('the resource metrics of simulated pods (metrics-server)', () => {
  const annotated = (name: string, annotations: Record<string, string>, phase = 'Running'): PodObject => ({
    ...pod(name, { phase }),
    metadata: { name, namespace: 'default', annotations },
  });

  it('reports Running pods with a usage annotation, in milli-units', () => {
    const m = resourceMetrics(
      [
        annotated('a', { 'kubespec.io/cpu-usage': '250m' }),
        annotated('b', { 'kubespec.io/memory-usage': '1Gi' }),
        annotated('c', { 'kubespec.io/cpu-usage': '1' }, 'Pending'),
      ],
      'cpu',
      now,
    );
    expect([...m].map(([name, v]) => [name, v.value])).to.deep.equal([['a', 250]]);
  });

  it('reports nothing at all as the API does when no pod has a metric', () => {
    expect(() => resourceMetrics([annotated('a', {})], 'cpu', now))
      .to.throw(MetricError)
      .with.property('message', 'no metrics returned from resource metrics API');
  });
});
