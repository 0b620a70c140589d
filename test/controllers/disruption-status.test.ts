import { expect } from 'chai';
import type { PodDisruptionBudgetObject } from '../../src/api/disruption-budgets';
import { checkAndDecrement } from '../../src/api/eviction';
import type { PodObject } from '../../src/api/pods';
import {
  budgetStatus,
  countHealthyPods,
  expectedPodCount,
  type ScaleFinder,
} from '../../src/controllers/disruption-status';

// k8s:pkg/controller/disruption/disruption_test.go (TestNoSelector, TestUnavailable, TestIntegerMaxUnavailable,
// TestReplicaSet, TestMultipleControllers, TestTotalUnmanagedPods) and
// k8s:pkg/registry/core/pod/storage/eviction_test.go (TestEviction's "matching pdbs with no disruptions allowed").
const now = Date.UTC(2025, 0, 1);
const stamp = (ms: number) => new Date(ms).toISOString();

function pod(name: string, ready: boolean, owner?: string): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: owner
        ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }]
        : undefined,
    },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  } as PodObject;
}

function pdb(spec: Record<string, unknown>, status: Record<string, unknown> = {}): PodDisruptionBudgetObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'foo', namespace: 'default', generation: 1 },
    spec,
    status,
  } as unknown as PodDisruptionBudgetObject;
}

const scales =
  (scale: Record<string, number>): ScaleFinder =>
  (p) => {
    const uid = p.metadata.ownerReferences?.[0]?.uid;
    return uid && uid in scale ? { uid, scale: scale[uid] } : undefined;
  };

describe('disruption controller status', () => {
  it('integer minAvailable counts the pods that exist (TestUnavailable)', () => {
    const pods = [pod('a', true), pod('b', true), pod('c', true), pod('d', false)];
    const counts = expectedPodCount(pdb({ minAvailable: 3 }), pods, scales({}));
    expect(counts).to.deep.equal({ expectedCount: 4, desiredHealthy: 3, unmanagedPods: [] });
    const status = budgetStatus(
      pdb({}),
      { ...counts, currentHealthy: countHealthyPods(pods, new Map(), now) },
      new Map(),
      () => stamp(now),
    );
    expect(status.disruptionsAllowed).to.equal(0);
    expect(status.conditions?.[0]).to.include({ status: 'False', reason: 'InsufficientPods' });
  });

  it('a percentage is taken of the controllers’ scale, each controller once (TestReplicaSet, TestMultipleControllers)', () => {
    const pods = [pod('a', true, 'rs1'), pod('b', true, 'rs1'), pod('c', true, 'rs2')];
    const counts = expectedPodCount(pdb({ minAvailable: '50%' }), pods, scales({ rs1: 4, rs2: 3 }));
    expect(counts).to.deep.equal({ expectedCount: 7, desiredHealthy: 4, unmanagedPods: [] });
  });

  it('maxUnavailable is rounded up against the scale (TestIntegerMaxUnavailable with a percentage)', () => {
    const pods = [pod('a', true, 'rs1')];
    expect(expectedPodCount(pdb({ maxUnavailable: '30%' }), pods, scales({ rs1: 5 }))).to.deep.equal({
      expectedCount: 5,
      desiredHealthy: 3,
      unmanagedPods: [],
    });
  });

  it('unmanaged pods are listed and left out of the scale (TestTotalUnmanagedPods)', () => {
    const counts = expectedPodCount(pdb({ maxUnavailable: 1 }), [pod('a', true)], scales({}));
    expect(counts).to.deep.equal({ expectedCount: 0, desiredHealthy: 0, unmanagedPods: ['a'] });
  });

  it('a pod whose controller has no scale is an error', () => {
    expect(() =>
      expectedPodCount(pdb({ minAvailable: '50%' }), [pod('a', true, 'job')], scales({})),
    ).to.throw('found no controllers for pod "a"');
  });

  it('a pod the eviction API is deleting is not healthy for two minutes', () => {
    const pods = [pod('a', true), pod('b', true)];
    const disrupted = new Map([['a', now - 60_000]]);
    expect(countHealthyPods(pods, disrupted, now)).to.equal(1);
    expect(countHealthyPods(pods, disrupted, now + 61_000)).to.equal(2);
  });
});

describe('eviction checkAndDecrement', () => {
  it('refuses with the budget’s numbers when no disruption is allowed', () => {
    const decision = checkAndDecrement(
      pdb({}, { observedGeneration: 1, disruptionsAllowed: 0, desiredHealthy: 2, currentHealthy: 2 }),
      'a',
      stamp(now),
    );
    expect('error' in decision && decision.error.message).to.equal(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    expect(
      'error' in decision && (decision.error as unknown as { statusCauses: unknown }).statusCauses,
    ).to.deep.equal([
      {
        type: 'DisruptionBudget',
        message: 'The disruption budget foo needs 2 healthy pods and has 2 currently',
      },
    ]);
  });

  it('refuses while the budget’s generation is not observed yet', () => {
    const decision = checkAndDecrement(
      pdb({}, { observedGeneration: 0, disruptionsAllowed: 1 }),
      'a',
      stamp(now),
    );
    expect('error' in decision && decision.error.reason).to.equal('TooManyRequests');
  });

  it('takes one disruption and records the pod as disrupted', () => {
    const decision = checkAndDecrement(
      pdb({}, { observedGeneration: 1, disruptionsAllowed: 2 }),
      'a',
      stamp(now),
    );
    expect('status' in decision && decision.status).to.deep.include({
      disruptionsAllowed: 1,
      disruptedPods: { a: stamp(now) },
    });
  });
});
