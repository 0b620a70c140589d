// How the HPA turns the metrics' proposal into the replica count it sets
// (k8s:pkg/controller/podautoscaler/horizontal.go): with a `behavior`, normalizeDesiredReplicasWithBehaviors
// (stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
// calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors, storeScaleEvent); without one,
// the algorithm from before behaviors (normalizeDesiredReplicas: the highest recommendation of the last 5
// minutes, at most double or 4 pods up per sync). Pure functions over the per-HPA memory the controller keeps,
// with time passed in, so horizontal_test.go's cases replay in unit tests.
import type { HorizontalPodAutoscalerBehavior, HPAScalingRules } from 'kubernetes-types/autoscaling/v2';

export interface Recommendation {
  recommendation: number;
  timestamp: number;
}

export interface ScaleEvent {
  replicaChange: number;
  timestamp: number;
  /** Older than the longest policy period when last looked at: its slot is reused by the next event. */
  outdated: boolean;
}

/** What the controller remembers of one HPA between syncs (a.recommendations, scaleUpEvents, scaleDownEvents). */
export interface AutoscalerMemory {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export interface Condition {
  reason: string;
  message: string;
}

export interface Normalized {
  desiredReplicas: number;
  /** AbleToScale (status True) after stabilization. */
  ableToScale: Condition;
  /** ScalingLimited: True when the rate or the bounds changed the stabilized count. */
  limited: Condition & { status: 'True' | 'False' };
}

export interface NormalizeArgs {
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  now: number;
}

/** --horizontal-pod-autoscaler-downscale-stabilization (5m). */
export const DOWNSCALE_STABILISATION_WINDOW_MS = 5 * 60_000;
// scaleUpLimitFactor and scaleUpLimitMinimum of the pre-behavior algorithm.
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

const READY_FOR_NEW_SCALE: Condition = {
  reason: 'ReadyForNewScale',
  message: 'recommended size matches current size',
};

function limitedBy(desired: number, stabilized: number, c: Condition): Normalized['limited'] {
  return { ...c, status: desired === stabilized ? 'False' : 'True' };
}

/** normalizeDesiredReplicas: for an HPA without a behavior. */
export function normalizeDesiredReplicas(memory: AutoscalerMemory, args: NormalizeArgs): Normalized {
  const stabilized = stabilizeRecommendation(memory, args.desiredReplicas, args.now);
  const ableToScale =
    stabilized !== args.desiredReplicas
      ? {
          reason: 'ScaleDownStabilized',
          message:
            'recent recommendations were higher than current one, applying the highest recent recommendation',
        }
      : READY_FOR_NEW_SCALE;
  const [desiredReplicas, condition] = convertDesiredReplicasWithRules(
    args.currentReplicas,
    stabilized,
    args.minReplicas,
    args.maxReplicas,
  );
  return { desiredReplicas, ableToScale, limited: limitedBy(desiredReplicas, stabilized, condition) };
}

// stabilizeRecommendation: the highest recommendation not older than the window; the new one takes the slot of
// an expired one, or is appended.
function stabilizeRecommendation(memory: AutoscalerMemory, desired: number, now: number): number {
  let max = desired;
  let oldIndex = -1;
  const cutoff = now - DOWNSCALE_STABILISATION_WINDOW_MS;
  memory.recommendations.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldIndex = i;
    else if (rec.recommendation > max) max = rec.recommendation;
  });
  const sample = { recommendation: desired, timestamp: now };
  if (oldIndex >= 0) memory.recommendations[oldIndex] = sample;
  else memory.recommendations.push(sample);
  return max;
}

function convertDesiredReplicasWithRules(
  current: number,
  desired: number,
  min: number,
  max: number,
): [number, Condition] {
  const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
  const [maximumAllowed, limit]: [number, Condition] =
    max > scaleUpLimit
      ? [
          scaleUpLimit,
          {
            reason: 'ScaleUpLimit',
            message: 'the desired replica count is increasing faster than the maximum scale rate',
          },
        ]
      : [
          max,
          {
            reason: 'TooManyReplicas',
            message: 'the desired replica count is more than the maximum replica count',
          },
        ];
  if (desired < min)
    return [
      min,
      {
        reason: 'TooFewReplicas',
        message: 'the desired replica count is less than the minimum replica count',
      },
    ];
  if (desired > maximumAllowed) return [maximumAllowed, limit];
  return [desired, WITHIN_RANGE];
}

const WITHIN_RANGE: Condition = {
  reason: 'DesiredWithinRange',
  message: 'the desired count is within the acceptable range',
};

/** normalizeDesiredReplicasWithBehaviors: the behavior has been defaulted by the API server. */
export function normalizeDesiredReplicasWithBehaviors(
  memory: AutoscalerMemory,
  behavior: HorizontalPodAutoscalerBehavior,
  args: NormalizeArgs,
): Normalized {
  const scaleUp = behavior.scaleUp ?? {};
  // maybeInitScaleDownStabilizationWindow: an unset scale-down window is the controller's flag.
  const scaleDown: HPAScalingRules = {
    ...behavior.scaleDown,
    stabilizationWindowSeconds:
      behavior.scaleDown?.stabilizationWindowSeconds ?? DOWNSCALE_STABILISATION_WINDOW_MS / 1000,
  };
  const { recommendation: stabilized, condition } = stabilizeWithBehaviors(memory, scaleUp, scaleDown, args);
  const ableToScale = stabilized !== args.desiredReplicas ? condition : READY_FOR_NEW_SCALE;
  const [desiredReplicas, limit] = convertWithBehaviorRate(memory, scaleUp, scaleDown, {
    ...args,
    desiredReplicas: stabilized,
  });
  return { desiredReplicas, ableToScale, limited: limitedBy(desiredReplicas, stabilized, limit) };
}

// stabilizeRecommendationWithBehaviors: the lowest recommendation within the scale-up window bounds a scale
// up, the highest within the scale-down window bounds a scale down. Times compare strictly, as time.After does.
function stabilizeWithBehaviors(
  memory: AutoscalerMemory,
  scaleUp: HPAScalingRules,
  scaleDown: HPAScalingRules,
  args: NormalizeArgs,
): { recommendation: number; condition: Condition } {
  let up = args.desiredReplicas;
  let down = args.desiredReplicas;
  const upCutoff = args.now - (scaleUp.stabilizationWindowSeconds ?? 0) * 1000;
  const downCutoff = args.now - (scaleDown.stabilizationWindowSeconds ?? 0) * 1000;
  let oldIndex = -1;
  memory.recommendations.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) up = Math.min(rec.recommendation, up);
    if (rec.timestamp > downCutoff) down = Math.max(rec.recommendation, down);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
  });
  let recommendation = args.currentReplicas;
  if (recommendation < up) recommendation = up;
  if (recommendation > down) recommendation = down;
  const sample = { recommendation: args.desiredReplicas, timestamp: args.now };
  if (oldIndex >= 0) memory.recommendations[oldIndex] = sample;
  else memory.recommendations.push(sample);
  const condition =
    args.desiredReplicas >= args.currentReplicas
      ? {
          reason: 'ScaleUpStabilized',
          message:
            'recent recommendations were lower than current one, applying the lowest recent recommendation',
        }
      : {
          reason: 'ScaleDownStabilized',
          message:
            'recent recommendations were higher than current one, applying the highest recent recommendation',
        };
  return { recommendation, condition };
}

// convertDesiredReplicasWithBehaviorRate: the policies' rate limit, then the bounds.
function convertWithBehaviorRate(
  memory: AutoscalerMemory,
  scaleUp: HPAScalingRules,
  scaleDown: HPAScalingRules,
  args: NormalizeArgs,
): [number, Condition] {
  const { currentReplicas: current, desiredReplicas: desired, now } = args;
  if (desired > current) {
    const limit = Math.max(
      scaleUpLimit(current, memory.scaleUpEvents, memory.scaleDownEvents, scaleUp, now),
      current,
    );
    const [maximumAllowed, condition]: [number, Condition] =
      args.maxReplicas > limit
        ? [
            limit,
            {
              reason: 'ScaleUpLimit',
              message: 'the desired replica count is increasing faster than the maximum scale rate',
            },
          ]
        : [
            args.maxReplicas,
            {
              reason: 'TooManyReplicas',
              message: 'the desired replica count is more than the maximum replica count',
            },
          ];
    if (desired > maximumAllowed) return [maximumAllowed, condition];
  } else if (desired < current) {
    const limit = Math.min(
      scaleDownLimit(current, memory.scaleUpEvents, memory.scaleDownEvents, scaleDown, now),
      current,
    );
    const [minimumAllowed, condition]: [number, Condition] =
      args.minReplicas < limit
        ? [
            limit,
            {
              reason: 'ScaleDownLimit',
              message: 'the desired replica count is decreasing faster than the maximum scale rate',
            },
          ]
        : [
            args.minReplicas,
            {
              reason: 'TooFewReplicas',
              message: 'the desired replica count is less than the minimum replica count',
            },
          ];
    if (desired < minimumAllowed) return [minimumAllowed, condition];
  }
  return [desired, WITHIN_RANGE];
}

// getReplicasChangePerPeriod: the changes of events strictly newer than the period.
function changeInPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.timestamp > cutoff ? sum + e.replicaChange : sum), 0);
}

/** calculateScaleUpLimitWithScalingRules: each policy's limit from the replicas at the start of its period. */
export function scaleUpLimit(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: HPAScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const min = rules.selectPolicy === 'Min';
  let result = min ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies ?? []) {
    const start =
      current -
      changeInPeriod(policy.periodSeconds, upEvents, now) +
      changeInPeriod(policy.periodSeconds, downEvents, now);
    // A percentage rounds up, or a small workload could never grow.
    const proposed =
      policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = min ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimit(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: HPAScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const min = rules.selectPolicy === 'Min';
  let result = min ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies ?? []) {
    const start =
      current -
      changeInPeriod(policy.periodSeconds, upEvents, now) +
      changeInPeriod(policy.periodSeconds, downEvents, now);
    // int32(float64(start) * (1 - value/100)): truncated.
    const proposed =
      policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = min ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** storeScaleEvent: only an HPA with a behavior remembers its scale events. */
export function storeScaleEvent(
  memory: AutoscalerMemory,
  behavior: HorizontalPodAutoscalerBehavior | undefined,
  previous: number,
  next: number,
  now: number,
): void {
  if (!behavior) return;
  const up = next > previous;
  const events = up ? memory.scaleUpEvents : memory.scaleDownEvents;
  const rules = (up ? behavior.scaleUp : behavior.scaleDown) ?? {};
  const longest = Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds));
  // markScaleEventsOutdated
  for (const e of events) if (e.timestamp < now - longest * 1000) e.outdated = true;
  const event = { replicaChange: Math.abs(next - previous), timestamp: now, outdated: false };
  const reuse = events.findIndex((e) => e.outdated);
  if (reuse >= 0) events[reuse] = event;
  else events.push(event);
}
