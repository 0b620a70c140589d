// InterPodAffinity's per-attempt state: the PreFilter counts behind its three filter facts
// (k8s:pkg/scheduler/framework/plugins/interpodaffinity/filtering.go) and the PreScore topology scores
// behind its score fact (k8s:pkg/scheduler/framework/plugins/interpodaffinity/scoring.go).
import type { Labels, Selector } from '../api/labels';
import {
  type AffinityTerm,
  resolveNamespaces,
  termMatches,
  type WeightedAffinityTerm,
} from './affinity-terms';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import { type PairCounts, TopologyCounts } from './topology-counts';

/** What the per-attempt states read of the cluster: the scheduler cache's nodes and the namespaces. */
export interface ClusterSnapshot {
  nodes: readonly NodeInfo[];
  /** Pods of the cluster with pod affinity or anti-affinity, and with required anti-affinity. */
  podsWithAffinity: number;
  podsWithRequiredAntiAffinity: number;
  namespaceLabels(namespace: string): Labels | undefined;
  namespacesSelectedBy(selector: Selector): readonly string[];
}

export interface InterPodAffinityFilterFacts {
  podAffinityMatches: boolean;
  podAntiAffinityMatches: boolean;
  existingPodsAntiAffinityMatches: boolean;
}

interface Counts {
  existingAntiAffinity: TopologyCounts;
  affinity: TopologyCounts;
  antiAffinity: TopologyCounts;
}

const newCounts = (): Counts => ({
  existingAntiAffinity: new TopologyCounts(),
  affinity: new TopologyCounts(),
  antiAffinity: new TopologyCounts(),
});

/** podMatchesAllAffinityTerms: the incoming pod's terms have their namespaces resolved, so no namespace labels. */
function matchesAllTerms(terms: readonly AffinityTerm[], pod: PodInfo): boolean {
  if (terms.length === 0) return false;
  return terms.every((t) => termMatches(t, pod, undefined));
}

export class InterPodAffinityPreFilter {
  private constructor(
    private readonly pod: PodInfo,
    private readonly affinityTerms: readonly AffinityTerm[],
    private readonly antiAffinityTerms: readonly AffinityTerm[],
    private readonly namespaceLabels: Labels | undefined,
    private readonly counts: Counts,
  ) {}

  /** PreFilter; undefined is its Skip (no required terms, and no existing pod's anti-affinity matches the pod). */
  static build(pod: PodInfo, cluster: ClusterSnapshot): InterPodAffinityPreFilter | undefined {
    const resolve = <T extends AffinityTerm>(t: T) => resolveNamespaces(t, cluster.namespacesSelectedBy);
    const affinityTerms = (pod.podAffinity?.requiredAffinity ?? []).map(resolve);
    const antiAffinityTerms = (pod.podAffinity?.requiredAntiAffinity ?? []).map(resolve);
    const own = affinityTerms.length + antiAffinityTerms.length > 0;
    if (!own && cluster.podsWithRequiredAntiAffinity === 0) return undefined;
    const state = new InterPodAffinityPreFilter(
      pod,
      affinityTerms,
      antiAffinityTerms,
      cluster.namespaceLabels(pod.namespace),
      newCounts(),
    );
    for (const node of cluster.nodes) {
      if (!own && node.podsWithRequiredAntiAffinity === 0) continue;
      state.addPods(state.counts, node, 1);
    }
    if (state.counts.existingAntiAffinity.size === 0 && !own) return undefined;
    return state;
  }

  // preFilterState.updateWithPod, for every pod of the node.
  private addPods(counts: Counts, node: NodeInfo, multiplier: number): void {
    const labels = node.allLabels;
    for (const p of node.pods.values()) {
      for (const t of p.podAffinity?.requiredAntiAffinity ?? []) {
        if (termMatches(t, this.pod, this.namespaceLabels))
          counts.existingAntiAffinity.update(labels, t.topologyKey, multiplier);
      }
      if (matchesAllTerms(this.affinityTerms, p)) {
        for (const t of this.affinityTerms) counts.affinity.update(labels, t.topologyKey, multiplier);
      }
      for (const t of this.antiAffinityTerms) {
        if (termMatches(t, p, undefined)) counts.antiAffinity.update(labels, t.topologyKey, multiplier);
      }
    }
  }

  /**
   * The filter's three checks for a node. `cached` is the scheduler cache's node of that name, which the
   * counts were taken from; a different `node` (with nominated pods, or preemption's victims removed)
   * replaces its contribution, as the plugin's AddPod and RemovePod do.
   */
  facts(node: NodeInfo, cached: NodeInfo | undefined): InterPodAffinityFilterFacts {
    let counts: { [K in keyof Counts]: PairCounts } = this.counts;
    if (node !== cached) {
      const delta = newCounts();
      this.addPods(delta, node, 1);
      if (cached) this.addPods(delta, cached, -1);
      counts = {
        existingAntiAffinity: this.counts.existingAntiAffinity.withDelta(delta.existingAntiAffinity),
        affinity: this.counts.affinity.withDelta(delta.affinity),
        antiAffinity: this.counts.antiAffinity.withDelta(delta.antiAffinity),
      };
    }
    const labels = node.allLabels;
    return {
      podAffinityMatches: this.satisfiesAffinity(counts.affinity, labels),
      podAntiAffinityMatches: satisfiesAntiAffinity(this.antiAffinityTerms, counts.antiAffinity, labels),
      existingPodsAntiAffinityMatches: satisfiesExistingAntiAffinity(counts.existingAntiAffinity, labels),
    };
  }

  // satisfyPodAffinity, with the exception for the first pod of a group that has affinity to itself.
  private satisfiesAffinity(counts: PairCounts, labels: Labels): boolean {
    let podsExist = true;
    for (const t of this.affinityTerms) {
      const value = labels[t.topologyKey];
      // All topology labels must exist on the node.
      if (value === undefined) return false;
      if (counts.get(t.topologyKey, value) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    return counts.size === 0 && matchesAllTerms(this.affinityTerms, this.pod);
  }
}

function satisfiesAntiAffinity(terms: readonly AffinityTerm[], counts: PairCounts, labels: Labels): boolean {
  if (counts.size === 0) return true;
  for (const t of terms) {
    const value = labels[t.topologyKey];
    if (value !== undefined && counts.get(t.topologyKey, value) > 0) return false;
  }
  return true;
}

function satisfiesExistingAntiAffinity(counts: PairCounts, labels: Labels): boolean {
  if (counts.size === 0) return true;
  for (const [key, value] of Object.entries(labels)) if (counts.get(key, value) > 0) return false;
  return true;
}

/** HardPodAffinityWeight's default (k8s:pkg/scheduler/apis/config/v1/defaults.go). */
const HARD_POD_AFFINITY_WEIGHT = 1;

/** PreScore's topologyScore: per topology key and value, the summed weights of the matching terms. */
export class InterPodAffinityPreScore {
  private readonly topologyScore = new Map<string, Map<string, number>>();

  private constructor(
    private readonly pod: PodInfo,
    private readonly preferredAffinity: readonly WeightedAffinityTerm[],
    private readonly preferredAntiAffinity: readonly WeightedAffinityTerm[],
    private readonly namespaceLabels: Labels | undefined,
  ) {}

  /** PreScore; undefined is its Skip (no term of the pod or of an existing pod matched anywhere). */
  static build(pod: PodInfo, cluster: ClusterSnapshot): InterPodAffinityPreScore | undefined {
    const resolve = <T extends AffinityTerm>(t: T) => resolveNamespaces(t, cluster.namespacesSelectedBy);
    const preferredAffinity = (pod.podAffinity?.preferredAffinity ?? []).map(resolve);
    const preferredAntiAffinity = (pod.podAffinity?.preferredAntiAffinity ?? []).map(resolve);
    const hasConstraints = preferredAffinity.length + preferredAntiAffinity.length > 0;
    // Unless the pod has preferred terms, only pods with affinity matter.
    if (!hasConstraints && cluster.podsWithAffinity === 0) return undefined;
    const state = new InterPodAffinityPreScore(
      pod,
      preferredAffinity,
      preferredAntiAffinity,
      cluster.namespaceLabels(pod.namespace),
    );
    for (const node of cluster.nodes) {
      if (!hasConstraints && node.podsWithAffinity === 0) continue;
      const labels = node.allLabels;
      if (Object.keys(labels).length === 0) continue;
      for (const p of node.pods.values()) {
        if (hasConstraints || p.podAffinity) state.processExistingPod(p, labels);
      }
    }
    return state.topologyScore.size === 0 ? undefined : state;
  }

  private processExistingPod(existing: PodInfo, labels: Labels): void {
    const terms = existing.podAffinity;
    this.processTerms(this.preferredAffinity, existing, undefined, labels, 1);
    this.processTerms(this.preferredAntiAffinity, existing, undefined, labels, -1);
    for (const t of terms?.requiredAffinity ?? [])
      this.processTerm(t, HARD_POD_AFFINITY_WEIGHT, this.pod, this.namespaceLabels, labels, 1);
    this.processTerms(terms?.preferredAffinity ?? [], this.pod, this.namespaceLabels, labels, 1);
    this.processTerms(terms?.preferredAntiAffinity ?? [], this.pod, this.namespaceLabels, labels, -1);
  }

  private processTerms(
    terms: readonly WeightedAffinityTerm[],
    pod: PodInfo,
    namespaceLabels: Labels | undefined,
    labels: Labels,
    multiplier: number,
  ): void {
    for (const t of terms) this.processTerm(t, t.weight, pod, namespaceLabels, labels, multiplier);
  }

  private processTerm(
    term: AffinityTerm,
    weight: number,
    pod: PodInfo,
    namespaceLabels: Labels | undefined,
    labels: Labels,
    multiplier: number,
  ): void {
    if (!termMatches(term, pod, namespaceLabels)) return;
    const value = labels[term.topologyKey];
    if (value === undefined) return;
    let byValue = this.topologyScore.get(term.topologyKey);
    if (!byValue) {
      byValue = new Map();
      this.topologyScore.set(term.topologyKey, byValue);
    }
    byValue.set(value, (byValue.get(value) ?? 0) + weight * multiplier);
  }

  /** Score: the summed weights of the node's topology domains (normalised by min and max across nodes). */
  score(node: NodeInfo): number {
    let score = 0;
    const labels = node.allLabels;
    for (const [key, byValue] of this.topologyScore) {
      const value = labels[key];
      if (value !== undefined) score += byValue.get(value) ?? 0;
    }
    return score;
  }
}
