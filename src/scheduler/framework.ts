// Runs the scheduling.filter and scheduling.score decision points for (pod, node) pairs, once per class:
// pods with equal scheduling views and nodes with equal views get the same answer, so a class's answer is
// computed by the rules once and reused (DESIGN.md, Speed). Name-dependent pods (matchFields, nodeName)
// are evaluated per node name.
import type { Evaluator } from '../rules/evaluate';
import type { Decision, LoadedRule } from '../rules/types';
import type { KubernetesVersion } from '../sim/version';
import { classId } from './classes';
import type { SchedulingContext } from './decision-points';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';

/** How a plugin's raw scores are normalised across the nodes (see normalize.ts). */
export type Normalization = 'none' | 'max' | 'reverse' | 'minMax' | 'spread';

export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  plugin: string;
  code: StatusCode;
  reasons: string[];
  /** ruleSet/rule of the rules that rejected. */
  rules: string[];
}

export interface FilterOutcome {
  status: FilterStatus | null;
  decision: Decision;
}

export interface PluginScore {
  plugin: string;
  weight: number;
  normalize: Normalization;
  raw: number;
  rules: string[];
}

export interface ScoreOutcome {
  plugins: PluginScore[];
  decision: Decision;
}

/** Beyond this many cached answers the cache starts over (a very heterogeneous cluster). */
const CACHE_LIMIT = 500_000;

/** Answers per pod class and node class, or per node name for name-dependent pods. */
class ClassCache<T> {
  private readonly byClass = new Map<number, Map<number, T>>();
  private readonly byName = new Map<string, T>();
  private size = 0;

  /** The answers for one pod class, keyed by node class id: what the scheduler's loops read. */
  table(pod: PodInfo): Map<number, T> | undefined {
    return pod.nameDependent ? undefined : this.byClass.get(pod.classId);
  }

  get(pod: PodInfo, nodeClass: number, node: NodeInfo): T | undefined {
    return pod.nameDependent
      ? this.byName.get(`${pod.classId}/${nodeClass}/${node.name}`)
      : this.byClass.get(pod.classId)?.get(nodeClass);
  }

  set(pod: PodInfo, nodeClass: number, node: NodeInfo, value: T): void {
    if (this.size >= CACHE_LIMIT) {
      this.byClass.clear();
      this.byName.clear();
      this.size = 0;
    }
    this.size += 1;
    if (pod.nameDependent) {
      this.byName.set(`${pod.classId}/${nodeClass}/${node.name}`, value);
      return;
    }
    let table = this.byClass.get(pod.classId);
    if (!table) {
      table = new Map();
      this.byClass.set(pod.classId, table);
    }
    table.set(nodeClass, value);
  }
}

export class SchedulingPolicy {
  private readonly filters = new ClassCache<FilterOutcome>();
  private readonly scores = new ClassCache<ScoreOutcome>();
  /** Label keys the rules themselves read (nodeLabel facts): they matter for every pod. */
  private readonly ruleLabelKeys: readonly string[];
  private readonly keysByPodClass = new Map<number, { keys: readonly string[]; id: string }>();
  /** Rule evaluations actually run (cache misses), for the benchmark and the trace. */
  evaluations = 0;

  constructor(
    private readonly filterRules: Evaluator,
    private readonly scoreRules: Evaluator,
    private readonly version: KubernetesVersion,
    /** Off only to measure what the class cache buys (the benchmark's ablation). */
    private readonly cacheByClass = true,
  ) {
    this.ruleLabelKeys = [
      ...new Set([...labelKeysRead(filterRules.rules), ...labelKeysRead(scoreRules.rules)]),
    ];
  }

  /**
   * The class of a node for a pod: nodes that differ only in labels neither the pod's constraints nor the
   * rules look at are one class (every node has its own kubernetes.io/hostname label).
   */
  nodeClass(pod: PodInfo, node: NodeInfo): number {
    const { keys, id } = this.labelKeys(pod);
    const base = node.classIdFor(keys, id);
    // InterPodAffinity and PodTopologySpread facts depend on the node's domains: they are part of its class.
    const signature = pod.topology?.filterSignature(node);
    return signature === undefined ? base : classId(`${base}\u0001filter\u0001${signature}`);
  }

  /** The class of a feasible node when scoring: as nodeClass, with this attempt's per-node score facts. */
  scoreClass(pod: PodInfo, node: NodeInfo): number {
    const { keys, id } = this.labelKeys(pod);
    const base = node.classIdFor(keys, id);
    const signature = pod.topology?.scoreSignature(node);
    return signature === undefined ? base : classId(`${base}\u0001score\u0001${signature}`);
  }

  /** The cached answers for a pod, by nodeClass(), read without waiting: most pairs are answered here. */
  filterTable(pod: PodInfo): Map<number, FilterOutcome> | undefined {
    return this.cacheByClass ? this.filters.table(pod) : undefined;
  }

  async filter(pod: PodInfo, node: NodeInfo): Promise<FilterOutcome> {
    const nodeClass = this.nodeClass(pod, node);
    const cached = this.cacheByClass ? this.filters.get(pod, nodeClass, node) : undefined;
    if (cached) return cached;
    this.evaluations += 1;
    const decision = await this.filterRules.evaluate(this.context(pod, node, 'filter'));
    const outcome = { status: statusOf(decision), decision };
    if (this.cacheByClass) this.filters.set(pod, nodeClass, node, outcome);
    return outcome;
  }

  scoreTable(pod: PodInfo): Map<number, ScoreOutcome> | undefined {
    return this.cacheByClass ? this.scores.table(pod) : undefined;
  }

  async score(pod: PodInfo, node: NodeInfo): Promise<ScoreOutcome> {
    const nodeClass = this.scoreClass(pod, node);
    const cached = this.cacheByClass ? this.scores.get(pod, nodeClass, node) : undefined;
    if (cached) return cached;
    this.evaluations += 1;
    const decision = await this.scoreRules.evaluate(this.context(pod, node, 'score'));
    const outcome = { plugins: pluginScores(decision), decision };
    if (this.cacheByClass) this.scores.set(pod, nodeClass, node, outcome);
    return outcome;
  }

  private labelKeys(pod: PodInfo): { keys: readonly string[]; id: string } {
    let entry = this.keysByPodClass.get(pod.classId);
    if (!entry) {
      const keys = [...new Set([...pod.labelKeys, ...this.ruleLabelKeys])].sort();
      entry = { keys, id: keys.join('\0') };
      this.keysByPodClass.set(pod.classId, entry);
    }
    return entry;
  }

  // The rules see only the labels that can make a difference, so that a class's answer is sound for every
  // node of the class.
  private context(pod: PodInfo, node: NodeInfo, phase: 'filter' | 'score'): SchedulingContext {
    const topology = phase === 'filter' ? pod.topology?.filterFacts(node) : pod.topology?.scoreFacts(node);
    return {
      pod,
      node: node.viewFor(this.labelKeys(pod).keys),
      nodeName: pod.nameDependent ? node.name : undefined,
      version: this.version,
      ...(topology ? { topology } : {}),
    };
  }
}

/** The label keys rules read through the nodeLabel fact, in conditions and event params. */
function labelKeysRead(rules: readonly LoadedRule[]): string[] {
  const keys: string[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.fact === 'nodeLabel' && typeof (o.params as { key?: unknown } | undefined)?.key === 'string') {
        keys.push((o.params as { key: string }).key);
      }
      for (const v of Object.values(o)) visit(v);
    }
  };
  for (const rule of rules) {
    visit(rule.conditions);
    visit(rule.event.params);
  }
  return keys;
}

/** The first plugin (highest priority) that rejected, with every reason its rules gave. */
function statusOf(decision: Decision): FilterStatus | null {
  const rejects = decision.events.filter((e) => e.type === 'reject');
  if (rejects.length === 0) return null;
  const plugin = String(rejects[0].params.plugin);
  const mine = rejects.filter((e) => e.params.plugin === plugin);
  const reasons = mine.flatMap((e) => {
    const r = e.params.reason;
    return Array.isArray(r) ? r.map(String) : [String(r)];
  });
  return {
    plugin,
    code: (rejects[0].params.code as StatusCode | undefined) ?? 'Unschedulable',
    reasons,
    rules: mine.map((e) => `${e.ruleSet}/${e.rule}`),
  };
}

/** Raw scores summed per plugin; weight and normalisation from the plugin's first (highest-priority) rule. */
function pluginScores(decision: Decision): PluginScore[] {
  const byPlugin = new Map<string, PluginScore>();
  for (const e of decision.events) {
    if (e.type !== 'score') continue;
    const plugin = String(e.params.plugin);
    const value = Number(e.params.value ?? 0);
    const existing = byPlugin.get(plugin);
    if (existing) {
      existing.raw += value;
      existing.rules.push(`${e.ruleSet}/${e.rule}`);
    } else {
      byPlugin.set(plugin, {
        plugin,
        weight: Number(e.params.weight),
        normalize: (e.params.normalize as PluginScore['normalize'] | undefined) ?? 'none',
        raw: value,
        rules: [`${e.ruleSet}/${e.rule}`],
      });
    }
  }
  return [...byPlugin.values()];
}

// k8s:pkg/scheduler/schedule_one.go numFeasibleNodesToFind.
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage >= 100) return numAllNodes;
  if (percentage <= 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
      percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
}
