// The HPA's replica count for one Resource metric (k8s:pkg/controller/podautoscaler/replica_calculator.go
// GetResourceReplicas, GetRawResourceReplicas via calcPlainMetricReplicas, groupPods, calculateRequests; and
// k8s:pkg/controller/podautoscaler/metrics/utilization.go). Pure: the pods, their metrics and the clock are
// given, so the unit tests can replay Kubernetes' replica_calculator_test.go cases.
import type { PodObject } from '../api/pods';
import { Quantity } from '../api/quantity';

/** One pod's metric as the resource metrics API gives it (metricsclient.PodMetric), values in milli-units. */
export interface PodMetric {
  value: number;
  /** When it was measured, ms since the epoch. */
  timestamp: number;
  /** Over how long, ms. */
  window: number;
}

export type PodMetrics = Map<string, PodMetric>;

/** How the calculation is tuned: kube-controller-manager's flags (--horizontal-pod-autoscaler-*). */
export interface CalculatorSettings {
  /** --horizontal-pod-autoscaler-tolerance (0.1): ratios within 1 ± tolerance change nothing. */
  tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5m). */
  cpuInitializationPeriod: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30s). */
  delayOfInitialReadinessStatus: number;
}

export const DEFAULT_CALCULATOR_SETTINGS: CalculatorSettings = {
  tolerance: 0.1,
  cpuInitializationPeriod: 5 * 60_000,
  delayOfInitialReadinessStatus: 30_000,
};

/** A calculation that cannot give a count; the message is the controller's error text. */
export class MetricError extends Error {}

export interface UtilizationResult {
  replicas: number;
  /** Percentage of the requests, truncated as Kubernetes' integer arithmetic does. */
  utilization: number;
  /** Average use per pod, milli-units. */
  rawAverage: number;
}

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/**
 * groupPods: deleted and failed pods are ignored; pending pods and, for cpu, pods not yet ready or still warming up
 * are unready; pods without a metric are missing; the rest count as ready.
 */
export function groupPods(
  pods: readonly PodObject[],
  metrics: PodMetrics,
  resource: string,
  settings: CalculatorSettings,
  now: number,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name as string;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu' && cpuUnready(pod, metric, settings, now)) {
      groups.unready.add(name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

// A cpu sample is not trusted while the pod may still be starting up: Kubernetes' comments say so line by line.
function cpuUnready(pod: PodObject, metric: PodMetric, settings: CalculatorSettings, now: number): boolean {
  const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
  if (!condition || startTime === undefined) return true;
  const transition = condition.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : 0;
  if (startTime + settings.cpuInitializationPeriod > now) {
    // Still within the initialisation period: unready, or no full window of metric since the last transition.
    return condition.status === 'False' || metric.timestamp < transition + metric.window;
  }
  // Afterwards: ignored only if unready and never ready since it started.
  return condition.status === 'False' && startTime + settings.delayOfInitialReadinessStatus > transition;
}

/**
 * calculateRequests: each pod's request for the resource, summed over its containers and restartable init
 * containers (sidecars); one container without a request makes the metric unusable.
 */
export function calculateRequests(pods: readonly PodObject[], resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const containers = [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    ];
    let sum = 0;
    for (const c of containers) {
      const request = c.resources?.requests?.[resource];
      if (request === undefined) {
        throw new MetricError(
          `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`,
        );
      }
      sum += Quantity.parse(request as string).milliValue();
    }
    requests.set(pod.metadata.name as string, sum);
  }
  return requests;
}

/** GetResourceUtilizationRatio: metrics of pods without a request are extraneous. */
export function utilizationRatio(
  metrics: PodMetrics,
  requests: Map<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [pod, metric] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new MetricError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return {
    ratio: utilization / targetUtilization,
    utilization,
    rawAverage: Math.trunc(metricsTotal / entries),
  };
}

const within = (ratio: number, tolerance: number) => 1 - tolerance <= ratio && ratio <= 1 + tolerance;

/** GetResourceReplicas: a Utilization target (percent of the pods' requests). */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  pods: readonly PodObject[],
  podMetrics: PodMetrics,
  settings: CalculatorSettings,
  now: number,
): UtilizationResult {
  if (pods.length === 0)
    throw new MetricError('no pods returned by selector while calculating replica count');
  const metrics = new Map(podMetrics);
  const groups = groupPods(pods, metrics, resource, settings, now);
  for (const name of [...groups.ignored, ...groups.unready]) metrics.delete(name);
  if (metrics.size === 0)
    throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = calculateRequests(pods, resource);
  const first = utilizationRatio(metrics, requests, targetUtilization);
  const result = (replicas: number) => ({
    replicas,
    utilization: first.utilization,
    rawAverage: first.rawAverage,
  });
  const usageRatio = first.ratio;
  const scaleUpWithUnready = groups.unready.size > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (within(usageRatio, settings.tolerance)) return result(currentReplicas);
    return result(Math.ceil(usageRatio * groups.readyPodCount));
  }
  if (groups.missing.size > 0) {
    // On a scale-down a missing pod counts as using its request (or the target, above 100%); on a scale-up,
    // nothing.
    const fallback = Math.max(100, targetUtilization);
    for (const name of groups.missing) {
      const value = usageRatio < 1 ? Math.trunc(((requests.get(name) ?? 0) * fallback) / 100) : 0;
      if (usageRatio !== 1) metrics.set(name, { value, timestamp: now, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const name of groups.unready) metrics.set(name, { value: 0, timestamp: now, window: 0 });
  }
  const newRatio = utilizationRatio(metrics, requests, targetUtilization).ratio;
  return result(conservative(currentReplicas, usageRatio, newRatio, metrics.size, settings.tolerance));
}

/** GetRawResourceReplicas through calcPlainMetricReplicas: an AverageValue target (milli-units per pod). */
export function rawResourceReplicas(
  currentReplicas: number,
  targetAverage: number,
  resource: string,
  pods: readonly PodObject[],
  podMetrics: PodMetrics,
  settings: CalculatorSettings,
  now: number,
): { replicas: number; rawAverage: number } {
  if (pods.length === 0)
    throw new MetricError('no pods returned by selector while calculating replica count');
  const metrics = new Map(podMetrics);
  const groups = groupPods(pods, metrics, resource, settings, now);
  for (const name of [...groups.ignored, ...groups.unready]) metrics.delete(name);
  if (metrics.size === 0)
    throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  const usage = (m: PodMetrics) => {
    let total = 0;
    for (const metric of m.values()) total += metric.value;
    const average = Math.trunc(total / m.size);
    return { ratio: average / targetAverage, average };
  };
  const first = usage(metrics);
  const usageRatio = first.ratio;
  const scaleUpWithUnready = groups.unready.size > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (within(usageRatio, settings.tolerance))
      return { replicas: currentReplicas, rawAverage: first.average };
    return { replicas: Math.ceil(usageRatio * groups.readyPodCount), rawAverage: first.average };
  }
  if (groups.missing.size > 0 && usageRatio !== 1) {
    // Missing pods use exactly the target on a scale-down, nothing on a scale-up.
    for (const name of groups.missing)
      metrics.set(name, { value: usageRatio < 1 ? targetAverage : 0, timestamp: now, window: 0 });
  }
  if (scaleUpWithUnready) {
    for (const name of groups.unready) metrics.set(name, { value: 0, timestamp: now, window: 0 });
  }
  const newRatio = usage(metrics).ratio;
  return {
    replicas: conservative(currentReplicas, usageRatio, newRatio, metrics.size, settings.tolerance),
    rawAverage: first.average,
  };
}

// The second pass: no change when it would be within tolerance, or when the assumptions about missing and
// unready pods reversed the direction of the scale, or the count of pods considered would.
function conservative(
  currentReplicas: number,
  usageRatio: number,
  newRatio: number,
  considered: number,
  tolerance: number,
): number {
  if (within(newRatio, tolerance) || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1))
    return currentReplicas;
  const replicas = Math.ceil(newRatio * considered);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas))
    return currentReplicas;
  return replicas;
}
