// PodTopologySpread's per-attempt state: the PreFilter counts behind its filter fact
// (k8s:pkg/scheduler/framework/plugins/podtopologyspread/filtering.go) and the PreScore counts behind its
// score fact (k8s:pkg/scheduler/framework/plugins/podtopologyspread/scoring.go).
import type { Selector } from '../api/labels';
import type { ClusterSnapshot } from './inter-pod-affinity';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import {
  countMatchingPods,
  HOSTNAME,
  hasAllTopologyKeys,
  nodeIncluded,
  type SpreadConstraint,
  spreadConstraints,
} from './spread-constraints';

/** The first DoNotSchedule constraint the node fails, or null. */
export type SpreadViolation = { topologyKey: string; missingLabel: boolean } | null;

export class TopologySpreadPreFilter {
  /** Per constraint: matching pods per domain of the eligible nodes (TpValueToMatchNum). */
  private readonly matchNum: Map<string, number>[];
  private readonly minMatch: number[];

  private constructor(
    private readonly pod: PodInfo,
    private readonly constraints: readonly SpreadConstraint[],
    nodes: readonly NodeInfo[],
  ) {
    this.matchNum = constraints.map(() => new Map());
    for (const node of nodes) {
      // Spreading counts only the nodes that have every topology key.
      if (!hasAllTopologyKeys(node.allLabels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeIncluded(c, pod, node)) return;
        const value = node.allLabels[c.topologyKey];
        const m = this.matchNum[i];
        m.set(value, (m.get(value) ?? 0) + countMatchingPods(node.pods.values(), c.selector, pod.namespace));
      });
    }
    this.minMatch = this.matchNum.map((m) => minimum(m.values()));
  }

  /** PreFilter; undefined when the pod has no DoNotSchedule constraint (the system defaults have none). */
  static build(
    pod: PodInfo,
    cluster: ClusterSnapshot,
    defaultSelector: () => Selector,
  ): TopologySpreadPreFilter | undefined {
    const constraints = spreadConstraints(pod, 'DoNotSchedule', defaultSelector);
    return constraints.length === 0
      ? undefined
      : new TopologySpreadPreFilter(pod, constraints, cluster.nodes);
  }

  /**
   * Filter: for each constraint, the node must have the topology label, and the skew — matching pods in its
   * domain, plus one if the pod matches itself, minus the global minimum — must not exceed maxSkew. A node
   * other than the cached one (nominated pods, preemption's dry run) replaces its contribution, as the
   * plugin's AddPod and RemovePod do.
   */
  violation(node: NodeInfo, cached: NodeInfo | undefined): SpreadViolation {
    const labels = node.allLabels;
    for (let i = 0; i < this.constraints.length; i++) {
      const c = this.constraints[i];
      const value = labels[c.topologyKey];
      if (value === undefined) return { topologyKey: c.topologyKey, missingLabel: true };
      let matchNum = this.matchNum[i].get(value) ?? 0;
      let minMatch = this.minMatch[i];
      if (node !== cached) {
        const delta = this.contribution(i, node) - (cached ? this.contribution(i, cached) : 0);
        if (delta !== 0) {
          matchNum += delta;
          minMatch = minimum(this.replaced(i, value, matchNum));
        }
      }
      // With fewer eligible domains than minDomains, the global minimum is taken as 0.
      if (this.matchNum[i].size < c.minDomains) minMatch = 0;
      const self = c.selector.matches(this.pod.labels) ? 1 : 0;
      if (matchNum + self - minMatch > c.maxSkew) return { topologyKey: c.topologyKey, missingLabel: false };
    }
    return null;
  }

  // preFilterState.updateWithPod: what the node adds to its domain's count for constraint i.
  private contribution(i: number, node: NodeInfo): number {
    const c = this.constraints[i];
    if (!hasAllTopologyKeys(node.allLabels, this.constraints) || !nodeIncluded(c, this.pod, node)) return 0;
    return countMatchingPods(node.pods.values(), c.selector, this.pod.namespace);
  }

  private *replaced(i: number, value: string, count: number): Iterable<number> {
    for (const [v, n] of this.matchNum[i]) yield v === value ? count : n;
  }
}

/** The criticalPaths minimum: math.MaxInt32 when there is no domain (minDomains then makes it 0). */
function minimum(values: Iterable<number>): number {
  let min = 2_147_483_647;
  for (const v of values) if (v < min) min = v;
  return min;
}

export class TopologySpreadPreScore {
  private readonly ignored = new Set<string>();
  /** Per constraint: matching pods per domain of the feasible nodes; empty for hostname (counted per node). */
  private readonly counts: Map<string, number>[];
  private readonly weights: number[];

  private constructor(
    private readonly pod: PodInfo,
    private readonly constraints: readonly SpreadConstraint[],
    feasible: readonly NodeInfo[],
    all: readonly NodeInfo[],
    requireAllTopologies: boolean,
  ) {
    // initPreScoreState: the domains of the feasible nodes, and their number for the normalizing weight.
    this.counts = constraints.map(() => new Map());
    for (const node of feasible) {
      if (requireAllTopologies && !hasAllTopologyKeys(node.allLabels, constraints)) {
        this.ignored.add(node.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME) return;
        const value = node.allLabels[c.topologyKey] ?? '';
        if (!this.counts[i].has(value)) this.counts[i].set(value, 0);
      });
    }
    this.weights = constraints.map((c, i) =>
      // topologyNormalizingWeight
      Math.log((c.topologyKey === HOSTNAME ? feasible.length - this.ignored.size : this.counts[i].size) + 2),
    );
    // PreScore: matching pods of every node, counted in the domains that have a feasible node.
    for (const node of all) {
      if (requireAllTopologies && !hasAllTopologyKeys(node.allLabels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeIncluded(c, pod, node)) return;
        const value = node.allLabels[c.topologyKey] ?? '';
        const current = this.counts[i].get(value);
        if (current === undefined) return;
        this.counts[i].set(value, current + countMatchingPods(node.pods.values(), c.selector, pod.namespace));
      });
    }
  }

  /** PreScore; undefined is its Skip (no ScheduleAnyway constraint, own or system default). */
  static build(
    pod: PodInfo,
    feasible: readonly NodeInfo[],
    cluster: ClusterSnapshot,
    defaultSelector: () => Selector,
  ): TopologySpreadPreScore | undefined {
    const constraints = spreadConstraints(pod, 'ScheduleAnyway', defaultSelector);
    if (constraints.length === 0 || feasible.length === 0) return undefined;
    // Only the pod's own constraints require every topology key: with the system defaults, nodes without a
    // zone label are still spread by hostname.
    const requireAll = (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0;
    return new TopologySpreadPreScore(pod, constraints, feasible, cluster.nodes, requireAll);
  }

  /** Score: null for a node left out of scoring (missing a topology key), which then scores 0. */
  score(node: NodeInfo): number | null {
    if (this.ignored.has(node.name)) return null;
    let score = 0;
    this.constraints.forEach((c, i) => {
      const value = node.allLabels[c.topologyKey];
      if (value === undefined) return;
      const count =
        c.topologyKey === HOSTNAME
          ? countMatchingPods(node.pods.values(), c.selector, this.pod.namespace)
          : (this.counts[i].get(value) ?? 0);
      // scoreForCount
      score += count * this.weights[i] + (c.maxSkew - 1);
    });
    // int64(math.Round(score)): scores are never negative, where Math.round and Go's rounding agree.
    return Math.round(score);
  }
}
