import { expect } from 'chai';
import type { HPAScalingRules } from 'kubernetes-types/autoscaling/v2';
import {
  defaultHorizontalPodAutoscaler,
  type HorizontalPodAutoscalerObject,
} from '../../src/api/horizontal-pod-autoscalers';
import {
  type AutoscalerMemory,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  type ScaleEvent,
  storeScaleEvent,
} from '../../src/controllers/hpa-behavior';

// Cases of k8s:pkg/controller/podautoscaler/horizontal_test.go (TestScalingWithRules, TestStoreScaleEvents,
// TestNormalizeDesiredReplicasWithBehavior, TestScaleUpLimit of the pre-behavior path), run on the pure
// normalisation with the clock passed in.
const now = Date.UTC(2025, 0, 1, 12, 0, 0);
const seconds = (n: number) => now - n * 1000;
const empty = (): AutoscalerMemory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

/** generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow), as the Go test builds them. */
function rules(
  pods: number,
  podsPeriod: number,
  percent: number,
  percentPeriod: number,
  window = 0,
): HPAScalingRules {
  const policies = [];
  if (pods) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { policies, selectPolicy: 'Max', stabilizationWindowSeconds: window };
}

/** The API server's defaults for a behavior given as {} (GenerateHPAScaleUpRules, GenerateHPAScaleDownRules). */
function defaultBehavior() {
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: 'web' }, behavior: {} },
  } as HorizontalPodAutoscalerObject;
  defaultHorizontalPodAutoscaler(hpa);
  return hpa.spec?.behavior ?? {};
}

describe('the HPA behavior (normalizeDesiredReplicasWithBehaviors)', () => {
  const scale = (
    behavior: Parameters<typeof normalizeDesiredReplicasWithBehaviors>[1],
    currentReplicas: number,
    desiredReplicas: number,
    min = 1,
    max = 1000,
    memory = empty(),
  ) =>
    normalizeDesiredReplicasWithBehaviors(memory, behavior, {
      currentReplicas,
      desiredReplicas,
      minReplicas: min,
      maxReplicas: max,
      now,
    });

  it('defaults a given behavior as the API server does', () => {
    expect(defaultBehavior()).to.deep.equal({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it('scales up at most 100% or 4 pods per period by default ("scaleUp with default behavior")', () => {
    const r = scale(defaultBehavior(), 10, 50);
    expect(r.desiredReplicas).to.equal(20);
    expect(r.limited).to.deep.include({ status: 'True', reason: 'ScaleUpLimit' });
    expect(scale(defaultBehavior(), 1, 50).desiredReplicas).to.equal(5);
  });

  it('takes the policy that allows the most change ("scaleUp with pods policy larger than percent policy")', () => {
    expect(
      scale({ scaleUp: rules(100, 60, 100, 60), scaleDown: rules(0, 0, 100, 60) }, 10, 500).desiredReplicas,
    ).to.equal(110);
    expect(
      scale({ scaleUp: rules(2, 60, 100, 60), scaleDown: rules(0, 0, 100, 60) }, 10, 500).desiredReplicas,
    ).to.equal(20);
  });

  it('or the least with selectPolicy Min, and none with Disabled', () => {
    const min = { ...rules(2, 60, 100, 60), selectPolicy: 'Min' };
    expect(scale({ scaleUp: min, scaleDown: rules(0, 0, 100, 60) }, 10, 500).desiredReplicas).to.equal(12);
    const disabled = { ...rules(2, 60, 100, 60), selectPolicy: 'Disabled' };
    const r = scale({ scaleUp: disabled, scaleDown: rules(0, 0, 100, 60) }, 10, 500);
    expect(r.desiredReplicas).to.equal(10);
    expect(r.limited).to.deep.include({ status: 'True', reason: 'ScaleUpLimit' });
  });

  it('stops at maxReplicas ("scaleUp with spec MaxReplicas limitation with large pod policy")', () => {
    const r = scale({ scaleUp: rules(100, 60, 0, 0), scaleDown: rules(0, 0, 100, 60) }, 10, 50, 1, 25);
    expect(r.desiredReplicas).to.equal(25);
    expect(r.limited).to.deep.equal({
      status: 'True',
      reason: 'TooManyReplicas',
      message: 'the desired replica count is more than the maximum replica count',
    });
  });

  it('counts the changes of the period already made ("scaleUp with currentReplicas limitation")', () => {
    const memory = empty();
    memory.scaleUpEvents.push({ replicaChange: 4, timestamp: seconds(10), outdated: false });
    // The period started at 6 replicas: 6 + 4 = 10, no more now.
    expect(
      scale({ scaleUp: rules(4, 15, 0, 0), scaleDown: rules(0, 0, 100, 15) }, 10, 20, 1, 1000, memory)
        .desiredReplicas,
    ).to.equal(10);
    // An event exactly one period old no longer counts (time.After is strict).
    memory.scaleUpEvents[0].timestamp = seconds(15);
    expect(
      scale({ scaleUp: rules(4, 15, 0, 0), scaleDown: rules(0, 0, 100, 15) }, 10, 20, 1, 1000, memory)
        .desiredReplicas,
    ).to.equal(14);
  });

  it('scales down as far as the percentage allows ("scaleDown with pods policy larger than percent policy")', () => {
    const r = scale({ scaleUp: rules(4, 15, 100, 15), scaleDown: rules(20, 60, 1, 60) }, 100, 2);
    expect(r.desiredReplicas).to.equal(80);
    expect(r.limited).to.deep.include({ status: 'True', reason: 'ScaleDownLimit' });
  });

  it('never below minReplicas ("scaleDown with spec MinReplicas=nil limitation")', () => {
    const r = scale({ scaleUp: rules(4, 15, 100, 15), scaleDown: rules(0, 0, 100, 15) }, 5, 1, 3);
    expect(r.desiredReplicas).to.equal(3);
    expect(r.limited).to.deep.include({ status: 'True', reason: 'TooFewReplicas' });
  });

  it('keeps the highest recommendation of the scale-down window', () => {
    const memory = empty();
    memory.recommendations.push(
      { recommendation: 5, timestamp: seconds(200) },
      { recommendation: 4, timestamp: seconds(100) },
    );
    const behavior = { scaleUp: rules(4, 15, 100, 15), scaleDown: rules(0, 0, 100, 15, 300) };
    const r = scale(behavior, 5, 2, 1, 1000, memory);
    expect(r.desiredReplicas).to.equal(5);
    expect(r.ableToScale.reason).to.equal('ScaleDownStabilized');
    // The new recommendation is remembered beside the others (none is older than both windows).
    expect(memory.recommendations.map((x) => x.recommendation)).to.deep.equal([5, 4, 2]);
  });

  it('lets a recommendation exactly one window old go, and reuses its slot', () => {
    const memory = empty();
    memory.recommendations.push(
      { recommendation: 5, timestamp: seconds(300) },
      { recommendation: 3, timestamp: seconds(100) },
    );
    const behavior = { scaleUp: rules(4, 15, 100, 15), scaleDown: rules(0, 0, 100, 15, 300) };
    expect(scale(behavior, 5, 2, 1, 1000, memory).desiredReplicas).to.equal(3);
    memory.recommendations[0].timestamp = seconds(301);
    scale(behavior, 3, 2, 1, 1000, memory);
    expect(memory.recommendations.map((x) => x.recommendation)).to.deep.equal([2, 3, 2]);
  });

  it('uses the controller’s 5 minutes when the scale-down window is not set (maybeInitScaleDownStabilizationWindow)', () => {
    const memory = empty();
    memory.recommendations.push({ recommendation: 5, timestamp: seconds(299) });
    expect(scale(defaultBehavior(), 5, 1, 1, 1000, memory).desiredReplicas).to.equal(5);
  });

  it('holds a scale up back by the lowest recommendation of the scale-up window', () => {
    const memory = empty();
    memory.recommendations.push({ recommendation: 4, timestamp: seconds(30) });
    const behavior = { scaleUp: rules(4, 15, 100, 15, 60), scaleDown: rules(0, 0, 100, 15, 300) };
    const r = scale(behavior, 3, 8, 1, 1000, memory);
    expect(r.desiredReplicas).to.equal(4);
    expect(r.ableToScale).to.deep.equal({
      reason: 'ScaleUpStabilized',
      message:
        'recent recommendations were lower than current one, applying the lowest recent recommendation',
    });
  });
});

describe('the HPA scale events (storeScaleEvent, TestStoreScaleEvents)', () => {
  const behavior = { scaleUp: rules(4, 15, 100, 60), scaleDown: rules(0, 0, 100, 15) };

  it('reuses the slot of an event older than the longest policy period', () => {
    const memory = empty();
    const old: ScaleEvent = { replicaChange: 2, timestamp: seconds(61), outdated: false };
    const recent: ScaleEvent = { replicaChange: 3, timestamp: seconds(30), outdated: false };
    memory.scaleUpEvents.push(old, recent);
    storeScaleEvent(memory, behavior, 5, 9, now);
    expect(memory.scaleUpEvents).to.deep.equal([
      { replicaChange: 4, timestamp: now, outdated: false },
      { replicaChange: 3, timestamp: seconds(30), outdated: false },
    ]);
    storeScaleEvent(memory, behavior, 9, 7, now);
    expect(memory.scaleDownEvents).to.deep.equal([{ replicaChange: 2, timestamp: now, outdated: false }]);
  });

  it('remembers nothing for an HPA without a behavior', () => {
    const memory = empty();
    storeScaleEvent(memory, undefined, 5, 9, now);
    expect(memory.scaleUpEvents).to.deep.equal([]);
  });
});

describe('the HPA without a behavior (normalizeDesiredReplicas)', () => {
  const scale = (currentReplicas: number, desiredReplicas: number, min = 1, max = 100, memory = empty()) =>
    normalizeDesiredReplicas(memory, {
      currentReplicas,
      desiredReplicas,
      minReplicas: min,
      maxReplicas: max,
      now,
    });

  it('grows at most to double or 4 pods per sync (calculateScaleUpLimit)', () => {
    expect(scale(1, 10).desiredReplicas).to.equal(4);
    const r = scale(3, 10);
    expect(r.desiredReplicas).to.equal(6);
    expect(r.limited).to.deep.equal({
      status: 'True',
      reason: 'ScaleUpLimit',
      message: 'the desired replica count is increasing faster than the maximum scale rate',
    });
  });

  it('shrinks to the highest recommendation of the last 5 minutes', () => {
    const memory = empty();
    memory.recommendations.push(
      { recommendation: 6, timestamp: seconds(299) },
      { recommendation: 8, timestamp: seconds(301) },
    );
    const r = scale(8, 2, 1, 100, memory);
    expect(r.desiredReplicas).to.equal(6);
    expect(r.ableToScale.reason).to.equal('ScaleDownStabilized');
    expect(memory.recommendations.map((x) => x.recommendation)).to.deep.equal([6, 2]);
  });

  it('never below the minimum', () => {
    const r = scale(3, 1, 2);
    expect(r.desiredReplicas).to.equal(2);
    expect(r.limited).to.deep.equal({
      status: 'True',
      reason: 'TooFewReplicas',
      message: 'the desired replica count is less than the minimum replica count',
    });
  });
});
