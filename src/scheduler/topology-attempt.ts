// One scheduling attempt's InterPodAffinity and PodTopologySpread state (their PreFilter and PreScore), and the
// per-node facts it gives the rules. Those facts depend on other pods, not only on the pod and the node, so they
// are part of the node's class for this pod (`filterSignature`, `scoreSignature`): a cached answer is reused only
// for a node whose facts are the same. Pods that use neither plugin, with no pod of the cluster using pod
// affinity and no default spreading, get no attempt state at all.
import type { Selector } from '../api/labels';
import {
  type ClusterSnapshot,
  type InterPodAffinityFilterFacts,
  InterPodAffinityPreFilter,
  InterPodAffinityPreScore,
} from './inter-pod-affinity';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import { type SpreadViolation, TopologySpreadPreFilter, TopologySpreadPreScore } from './topology-spread';

export interface TopologyFilterFacts extends InterPodAffinityFilterFacts {
  topologySpreadViolation: SpreadViolation;
}

export interface TopologyScoreFacts {
  /** InterPodAffinity's raw score; null when its PreScore skipped. */
  interPodAffinityScore: number | null;
  /** PodTopologySpread's raw score; null when its PreScore skipped or the node is left out. */
  topologySpreadScore: number | null;
}

/** What an attempt reads of the cluster beyond the nodes. */
export interface AttemptCluster extends ClusterSnapshot {
  /** The scheduler cache's node of that name (the one the counts were taken from). */
  cachedNode(name: string): NodeInfo | undefined;
  /** Whether the pod may get system-default spreading (cheap); the selector itself is computed when needed. */
  mayHaveDefaultSelector: boolean;
  defaultSelector(): Selector;
}

const ALL_MATCH: TopologyFilterFacts = {
  podAffinityMatches: true,
  podAntiAffinityMatches: true,
  existingPodsAntiAffinityMatches: true,
  topologySpreadViolation: null,
};

export class TopologyAttempt {
  private readonly filterMemo = new Map<NodeInfo, { facts: TopologyFilterFacts; signature: string }>();
  private readonly scoreMemo = new Map<NodeInfo, { facts: TopologyScoreFacts; signature: string }>();
  private scoring: { affinity?: InterPodAffinityPreScore; spread?: TopologySpreadPreScore } | undefined;

  private constructor(
    private readonly pod: PodInfo,
    private readonly cluster: AttemptCluster,
    private readonly defaultSelector: () => Selector,
    private readonly affinity: InterPodAffinityPreFilter | undefined,
    private readonly spread: TopologySpreadPreFilter | undefined,
  ) {}

  /** The attempt's state, or undefined when neither plugin can have anything to say about the pod. */
  static start(pod: PodInfo, cluster: AttemptCluster): TopologyAttempt | undefined {
    const own = pod.podAffinity !== undefined || (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0;
    if (!own && cluster.podsWithAffinity === 0 && !cluster.mayHaveDefaultSelector) return undefined;
    let memo: Selector | undefined;
    const selector = () => {
      memo ??= cluster.defaultSelector();
      return memo;
    };
    return new TopologyAttempt(
      pod,
      cluster,
      selector,
      InterPodAffinityPreFilter.build(pod, cluster),
      TopologySpreadPreFilter.build(pod, cluster, selector),
    );
  }

  /** The filter facts for a node; undefined when both plugins skipped their filter for this pod. */
  filterFacts(node: NodeInfo): TopologyFilterFacts | undefined {
    return this.filterEntry(node)?.facts;
  }

  filterSignature(node: NodeInfo): string | undefined {
    return this.filterEntry(node)?.signature;
  }

  private filterEntry(node: NodeInfo): { facts: TopologyFilterFacts; signature: string } | undefined {
    if (!this.affinity && !this.spread) return undefined;
    const cached = this.cluster.cachedNode(node.name);
    const memo = node === cached ? this.filterMemo.get(node) : undefined;
    if (memo) return memo;
    const facts: TopologyFilterFacts = {
      ...(this.affinity?.facts(node, cached) ?? ALL_MATCH),
      topologySpreadViolation: this.spread?.violation(node, cached) ?? null,
    };
    const v = facts.topologySpreadViolation;
    const entry = {
      facts,
      signature:
        `${+facts.podAffinityMatches}${+facts.podAntiAffinityMatches}${+facts.existingPodsAntiAffinityMatches}` +
        (v ? `${+v.missingLabel}${v.topologyKey}` : ''),
    };
    if (node === cached) this.filterMemo.set(node, entry);
    return entry;
  }

  /** PreScore, over the nodes that passed the filters. */
  prepareScore(feasible: readonly NodeInfo[]): void {
    this.scoreMemo.clear();
    this.scoring = {
      affinity: InterPodAffinityPreScore.build(this.pod, this.cluster),
      spread: TopologySpreadPreScore.build(this.pod, feasible, this.cluster, this.defaultSelector),
    };
  }

  /** The score facts for a node; undefined when both plugins skipped scoring for this pod. */
  scoreFacts(node: NodeInfo): TopologyScoreFacts | undefined {
    return this.scoreEntry(node)?.facts;
  }

  scoreSignature(node: NodeInfo): string | undefined {
    return this.scoreEntry(node)?.signature;
  }

  private scoreEntry(node: NodeInfo): { facts: TopologyScoreFacts; signature: string } | undefined {
    const scoring = this.scoring;
    if (!scoring || (!scoring.affinity && !scoring.spread)) return undefined;
    let entry = this.scoreMemo.get(node);
    if (!entry) {
      const facts = {
        interPodAffinityScore: scoring.affinity?.score(node) ?? null,
        topologySpreadScore: scoring.spread?.score(node) ?? null,
      };
      entry = { facts, signature: `${facts.interPodAffinityScore}/${facts.topologySpreadScore}` };
      this.scoreMemo.set(node, entry);
    }
    return entry;
  }
}
