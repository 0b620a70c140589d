// The resource metrics API (metrics.k8s.io, served by metrics-server) as the HPA reads it
// (k8s:pkg/controller/podautoscaler/metrics/client.go resourceMetricsClient.GetResourceMetric, getPodMetrics).
// The usage is the kubelet's simulated one, from the pods' `kubespec.io/cpu-usage` and
// `kubespec.io/memory-usage` annotations (README, "Pods and nodes"). metrics-server reports only pods whose
// containers are running and were scraped: here, Running pods with a usage annotation for the resource; a pod
// without one has no metric, as a pod metrics-server has not scraped yet, and the HPA treats it as missing.
import type { PodObject } from '../api/pods';
import { Quantity } from '../api/quantity';
import { ANNOTATION, containerUsages } from '../node/workload';
import { MetricError, type PodMetrics } from './hpa-replica-calculator';

/** metrics-server's --metric-resolution: each sample covers the last 15 seconds. */
export const METRIC_WINDOW_MS = 15_000;

const USAGE_ANNOTATION: Readonly<Record<string, string>> = {
  cpu: ANNOTATION.cpuUsage,
  memory: ANNOTATION.memoryUsage,
};

function milli(text: string): number | undefined {
  try {
    const q = Quantity.parse(text);
    return q.sign() < 0 ? undefined : q.milliValue();
  } catch {
    return undefined;
  }
}

/** The pods' use of `resource` in milli-units (millicores, millibytes), sampled at `now`. */
export function resourceMetrics(pods: readonly PodObject[], resource: string, now: number): PodMetrics {
  const metrics: PodMetrics = new Map();
  const key = USAGE_ANNOTATION[resource];
  for (const pod of pods) {
    if (!key || pod.status?.phase !== 'Running') continue;
    const usages = containerUsages(pod, key, milli);
    if (!usages || usages.size === 0) continue;
    let value = 0;
    for (const v of usages.values()) value += v;
    metrics.set(pod.metadata.name as string, { value, timestamp: now, window: METRIC_WINDOW_MS });
  }
  if (metrics.size === 0) throw new MetricError('no metrics returned from resource metrics API');
  return metrics;
}
