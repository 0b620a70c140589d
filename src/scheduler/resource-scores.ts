// The resource-based scores of kube-scheduler's NodeResourcesFit and NodeResourcesBalancedAllocation
// plugins, in integer arithmetic exactly as Go computes them
// (k8s:pkg/scheduler/framework/plugins/noderesources/{resource_allocation,least_allocated,most_allocated,balanced_allocation}.go).
import { CPU, EPHEMERAL_STORAGE, isScalarResource, MEMORY } from '../api/pod-resources';
import type { NodeView } from './node-info';
import type { PodInfo } from './pod-info';

export const MAX_NODE_SCORE = 100;

export interface WeightedResource {
  name: string;
  weight: number;
}

interface Amounts {
  requested: number[];
  allocatable: number[];
}

/**
 * calculateResourceAllocatableRequest for each resource: allocatable and requested-including-the-pod. cpu and
 * memory use the non-zero requests unless `useRequested` (BalancedAllocation); an extended resource the pod
 * does not ask for is left out (0, 0).
 */
function amounts(pod: PodInfo, node: NodeView, resources: readonly string[], useRequested: boolean): Amounts {
  const requested: number[] = [];
  const allocatable: number[] = [];
  for (const name of resources) {
    const podRequest =
      !useRequested && (name === CPU || name === MEMORY) ? pod.nonZero[name] : (pod.requests[name] ?? 0);
    if (podRequest === 0 && isScalarResource(name)) {
      requested.push(0);
      allocatable.push(0);
      continue;
    }
    const onNode =
      name === EPHEMERAL_STORAGE || useRequested || !(name === CPU || name === MEMORY)
        ? (node.requested[name] ?? 0)
        : node.nonZeroRequested[name];
    allocatable.push(node.allocatable[name] ?? 0);
    requested.push(onNode + podRequest);
  }
  return { requested, allocatable };
}

const intDiv = (a: number, b: number) => Math.trunc(a / b);

function weightedScore(
  pod: PodInfo,
  node: NodeView,
  resources: readonly WeightedResource[],
  perResource: (requested: number, capacity: number) => number,
): number {
  const { requested, allocatable } = amounts(
    pod,
    node,
    resources.map((r) => r.name),
    false,
  );
  let nodeScore = 0;
  let weightSum = 0;
  resources.forEach((r, i) => {
    if (allocatable[i] === 0) return;
    nodeScore += perResource(requested[i], allocatable[i]) * r.weight;
    weightSum += r.weight;
  });
  return weightSum === 0 ? 0 : intDiv(nodeScore, weightSum);
}

/** LeastAllocated: favours nodes with more free capacity. */
export function leastAllocatedScore(
  pod: PodInfo,
  node: NodeView,
  resources: readonly WeightedResource[],
): number {
  return weightedScore(pod, node, resources, (requested, capacity) => {
    if (capacity === 0 || requested > capacity) return 0;
    return intDiv((capacity - requested) * MAX_NODE_SCORE, capacity);
  });
}

/** MostAllocated: favours fuller nodes (bin packing). */
export function mostAllocatedScore(
  pod: PodInfo,
  node: NodeView,
  resources: readonly WeightedResource[],
): number {
  return weightedScore(pod, node, resources, (requested, capacity) => {
    if (capacity === 0) return 0;
    // Pods without requests count at the defaults, so requested may exceed capacity.
    return intDiv(Math.min(requested, capacity) * MAX_NODE_SCORE, capacity);
  });
}

/**
 * BalancedAllocation: favours nodes whose resources would be used evenly: (1 − std of the usage fractions) ×
 * 100. A pod that requests none of the resources is not scored (PreScore skips best-effort pods).
 */
export function balancedAllocationScore(pod: PodInfo, node: NodeView, resources: readonly string[]): number {
  if (resources.every((name) => (pod.requests[name] ?? 0) === 0)) return 0;
  const { requested, allocatable } = amounts(pod, node, resources, true);
  const fractions: number[] = [];
  let total = 0;
  requested.forEach((req, i) => {
    if (allocatable[i] === 0) return;
    const fraction = Math.min(req / allocatable[i], 1);
    total += fraction;
    fractions.push(fraction);
  });
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) * (f - mean), 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/**
 * DefaultNormalizeScore (k8s:pkg/scheduler/framework/plugins/helper/normalize_score.go): scales to
 * 0..100 by the highest score; `reverse` turns it around; all zeros stay 0 (or 100 when reversed).
 */
export function normalizeScores(scores: number[], reverse: boolean): number[] {
  const max = scores.reduce((m, s) => Math.max(m, s), 0);
  return scores.map((s) => normalizeScore(s, max, reverse));
}

/** One score of DefaultNormalizeScore, given the highest score of all nodes (never below 0). */
export function normalizeScore(score: number, max: number, reverse: boolean): number {
  if (max === 0) return reverse ? MAX_NODE_SCORE : 0;
  const scaled = intDiv(MAX_NODE_SCORE * score, max);
  return reverse ? MAX_NODE_SCORE - scaled : scaled;
}
