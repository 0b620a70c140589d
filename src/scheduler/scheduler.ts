// kube-scheduler: takes pending pods from its queue one at a time, filters and scores the nodes through
// the rules, binds the pod to the best node or reports why it cannot (k8s:pkg/scheduler/schedule_one.go).
import type { PodCondition } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudgetObject } from '../api/disruption-budgets';
import type { EventRecorder } from '../api/events';
import { type Selector, selectorFromLabelSelector } from '../api/labels';
import type { NodeObject } from '../api/nodes';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { SeededRandom } from '../sim/random';
import type { DecisionTrace, NodeVerdict } from '../sim/trace';
import { defaultSelector, mayHaveDefaultSelector } from './default-spread-selector';
import { fitErrorMessage } from './fit-error';
import {
  type FilterOutcome,
  type FilterStatus,
  type Normalization,
  numFeasibleNodesToFind,
  type PluginScore,
  type SchedulingPolicy,
  type ScoreOutcome,
} from './framework';
import { type AffinityTotals, NodeInfo, NodeTree, zoneKey } from './node-info';
import { normalizedScore, type ScoreRange } from './normalize';
import { buildPodInfo, type PodInfo } from './pod-info';
import { type BudgetView, preempt } from './preemption';
import { type QueuedPod, SchedulingQueue } from './queue';
import { TopologyAttempt } from './topology-attempt';
import {
  BIND_POLL_MS,
  BIND_TIMEOUT_MS,
  bindPodVolumes,
  checkBindings,
  type PendingBinding,
  readPodVolumes,
  volumeChangeMayHelp,
  withVolumes,
} from './volume-binding';

export const SCHEDULER_NAME = 'default-scheduler';
const SOURCE = { component: SCHEDULER_NAME };
// k8s:pkg/scheduler/framework/runtime/framework.go: the reason for nodes a PreFilter cut away.
const PREFILTER_NODE_AFFINITY = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
// k8s:pkg/scheduler/schedule_one.go ErrNoNodesAvailable.
const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
/** The loop key on which a pod whose volumes are being bound is checked again. */
const PREBIND = 'prebind/';
/** The plugins whose verdicts depend on other pods. */
const POD_PLUGINS = new Set(['InterPodAffinity', 'PodTopologySpread']);

export interface SchedulerOptions {
  /** 0 = kube-scheduler's adaptive default. */
  percentageOfNodesToScore: number;
  /** Told the wall-clock duration of every scheduling attempt (the benchmark's latency figures). */
  observeAttempt?: (pod: string, milliseconds: number) => void;
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  private readonly nodes = new Map<string, NodeInfo>();
  /** Cluster-wide counts of pods with pod affinity, kept by the cache's nodes. */
  private readonly affinityTotals: AffinityTotals = { podsWithAffinity: 0, podsWithRequiredAntiAffinity: 0 };
  /** Pending pods that InterPodAffinity or PodTopologySpread rejected: another pod's binding may help them. */
  private readonly waitingForPods = new Set<string>();
  private readonly tree = new NodeTree();
  /** The PodInfo of a pod being bound, reused when the informer sees it bound (the scheduler cache's assume). */
  private readonly assumed = new Map<string, PodInfo>();
  private ordered: NodeInfo[] | undefined;
  private readonly queue: SchedulingQueue;
  private nextStartNodeIndex = 0;
  /** Pods nominated to a node by preemption, which other pods must leave room for. */
  private readonly nominated = new Map<string, { node: string; info: PodInfo }>();
  /** Pods holding their place on a node while PreBind waits for the PV controller to bind their claims. */
  private readonly waitingForVolumes = new Map<
    string,
    { qp: QueuedPod; pod: PodInfo; verdicts: NodeVerdict[]; pending: PendingBinding; deadline: number }
  >();

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly policy: () => SchedulingPolicy,
    private readonly random: SeededRandom,
    private readonly trace: DecisionTrace,
    private readonly options: SchedulerOptions,
    private readonly onPreempt: (victim: PodObject, preemptor: PodInfo, node: string) => Promise<void>,
  ) {
    this.queue = new SchedulingQueue(() => store.clock.now(), store.clock.now());
    store.watch('Node', (type, obj, old) =>
      this.onNode(type, obj as NodeObject, old as NodeObject | undefined),
    );
    store.watch('Pod', (type, obj, old) => this.onPod(type, obj as PodObject, old as PodObject | undefined));
    // VolumeBinding's cluster events: claims, volumes and classes may make pods with claims schedulable.
    for (const kind of ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass']) {
      store.watch(kind, (type, obj, old) => {
        if (volumeChangeMayHelp(type, obj, old)) this.wake();
      });
    }
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith(PREBIND)) return this.finishVolumeBinding(key.slice(PREBIND.length));
    if (key === 'flush') this.queue.flush();
    const qp = this.queue.pop();
    if (qp) {
      const observe = this.options.observeAttempt;
      const started = observe ? performance.now() : 0;
      await this.scheduleOne(qp);
      observe?.(qp.info.key, performance.now() - started);
    }
    if (this.queue.hasPoppable()) this.loop.enqueue(this, 'schedule');
    const next = this.queue.nextFlush();
    if (next !== undefined) this.loop.schedule(this, 'flush', next);
  }

  // ---- informers -------------------------------------------------------------------------------

  private onNode(type: string, node: NodeObject, old: NodeObject | undefined): void {
    const name = node.metadata.name as string;
    if (type === 'DELETED') {
      this.nodes.get(name)?.detach();
      this.nodes.delete(name);
      this.tree.removeNode(name);
      this.ordered = undefined;
      return;
    }
    const info = this.nodes.get(name);
    if (info) info.setNode(node);
    else this.nodes.set(name, new NodeInfo(name, node, this.affinityTotals));
    const zone = zoneKey(node.metadata.labels ?? {});
    if (zoneKey(old?.metadata.labels ?? {}) !== zone || type === 'ADDED') {
      this.tree.addNode(name, zone);
      this.ordered = undefined;
    }
    if (type === 'ADDED' || schedulingRelevantChange(node, old)) this.wake();
  }

  private onPod(type: string, pod: PodObject, old: PodObject | undefined): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const nodeName = pod.spec?.nodeName;
    const oldNode = old?.spec?.nodeName;
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (oldNode && (type === 'DELETED' || terminal || oldNode !== nodeName)) {
      this.nodes.get(oldNode)?.removePod(key);
      this.wake();
    }
    if (type === 'DELETED') {
      this.queue.remove(key);
      this.nominated.delete(key);
      this.waitingForPods.delete(key);
      return;
    }
    if (nodeName) {
      this.queue.remove(key);
      this.nominated.delete(key);
      this.waitingForPods.delete(key);
      const node = this.nodes.get(nodeName);
      // A bound pod's requests do not change: status updates leave the node's accounting alone, unless its
      // labels change or it starts terminating (what the inter-pod plugins look at).
      const known = node?.pods.get(key);
      if (terminal || !node || (known && known.uid === pod.metadata.uid && !podPluginsChange(known, pod)))
        return;
      const assumed = this.assumed.get(key);
      this.assumed.delete(key);
      node.addPod(assumed && assumed.uid === pod.metadata.uid && !known ? assumed : buildPodInfo(pod));
      // InterPodAffinity's and PodTopologySpread's cluster events: an assigned pod added or relabelled.
      if (this.waitingForPods.size > 0) this.wake((k) => this.waitingForPods.has(k));
      return;
    }
    const mine = (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME;
    if (!mine || terminal || pod.metadata.deletionTimestamp) return;
    if (type === 'ADDED' || specChanged(pod, old)) {
      this.queue.add(buildPodInfo(pod));
      this.loop.enqueue(this, 'schedule');
    }
  }

  /** The cluster changed in a way that may let pending pods fit. */
  private wake(which?: (key: string) => boolean): void {
    this.queue.moveAllToActiveOrBackoff(which);
    if (this.queue.hasPoppable()) this.loop.enqueue(this, 'schedule');
    const next = this.queue.nextFlush();
    if (next !== undefined) this.loop.schedule(this, 'flush', next);
  }

  // ---- the scheduling cycle --------------------------------------------------------------------

  private nodeList(): NodeInfo[] {
    this.ordered ??= this.tree.list().map((name) => this.nodes.get(name) as NodeInfo);
    return this.ordered;
  }

  private async scheduleOne(qp: QueuedPod): Promise<void> {
    const current = this.store.get('Pod', qp.info.namespace, qp.info.name) as PodObject | undefined;
    if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp) return;
    // The claims' state is read once per attempt; pods without claims are scheduled as they were queued.
    const volumes = readPodVolumes(current, this.store);
    const all = this.nodeList();
    const pod = this.withTopology(volumes ? withVolumes(qp.info, volumes) : qp.info);
    const verdicts: NodeVerdict[] = [];
    if (all.length === 0) {
      await this.fail(qp, current, NO_NODES_AVAILABLE, undefined, verdicts);
      return;
    }

    // NodeAffinity PreFilter: pods pinned to node names only look at those nodes.
    let candidates = all;
    if (pod.preFilterNodeNames) {
      if (pod.preFilterNodeNames.size === 0) {
        const post = await preempt(
          pod,
          all,
          new Map(),
          current.status?.nominatedNodeName,
          this.preemptionHost(),
        );
        const message = fitErrorMessage({
          numAllNodes: all.length,
          nodeReasons: new Map(),
          preFilterMessage: 'pod affinity terms conflict',
          postFilterMessage: post.message,
        });
        await this.fail(qp, current, message, undefined, verdicts);
        return;
      }
      const names = pod.preFilterNodeNames;
      candidates = all.filter((n) => names.has(n.name));
      for (const n of all)
        if (!names.has(n.name)) verdicts.push({ node: n.name, skipped: 'PreFilter NodeAffinity' });
    }

    // VolumeBinding's PreFilter: a claim missing or not bound yet fails the attempt on every node.
    if (volumes?.preFilterMessage) {
      const post = await preempt(
        pod,
        all,
        new Map(),
        current.status?.nominatedNodeName,
        this.preemptionHost(),
      );
      const message = fitErrorMessage({
        numAllNodes: all.length,
        nodeReasons: new Map(),
        preFilterMessage: volumes.preFilterMessage,
        postFilterMessage: post.message,
      });
      await this.fail(qp, current, message, undefined, verdicts);
      return;
    }

    const statuses = new Map<string, FilterStatus>();
    const feasible: NodeInfo[] = [];
    // A pod nominated by an earlier preemption tries its nominated node first.
    const nominatedName = current.status?.nominatedNodeName;
    const nominatedNode = nominatedName ? candidates.find((n) => n.name === nominatedName) : undefined;
    if (nominatedNode) {
      const status = await this.filterWithNominated(pod, nominatedNode, verdicts);
      if (!status) {
        await this.reserveVolumesAndBind(qp, pod, nominatedNode.name, verdicts);
        return;
      }
    }
    if (candidates.length > 0) {
      const toFind = numFeasibleNodesToFind(candidates.length, this.options.percentageOfNodesToScore);
      const start = this.nextStartNodeIndex % candidates.length;
      let processed = 0;
      for (let i = 0; i < candidates.length && feasible.length < toFind; i++) {
        const node = candidates[(start + i) % candidates.length];
        processed += 1;
        // Most nodes are answered from the class table; awaiting each of them would cost a microtask per node.
        let status = this.filterFromTable(pod, node, verdicts);
        if (status === undefined) status = await this.filterWithNominated(pod, node, verdicts);
        if (status) statuses.set(node.name, status);
        else feasible.push(node);
      }
      this.nextStartNodeIndex = (start + processed) % candidates.length;
    }

    if (feasible.length === 0) {
      if ([...statuses.values()].some((s) => POD_PLUGINS.has(s.plugin))) this.waitingForPods.add(pod.key);
      const nodeReasons = new Map([...statuses].map(([name, s]) => [name, s.reasons]));
      const post = await preempt(pod, all, statuses, nominatedName, this.preemptionHost());
      const message = fitErrorMessage({
        numAllNodes: all.length,
        nodeReasons,
        absentReasons: [PREFILTER_NODE_AFFINITY],
        postFilterMessage: post.message,
      });
      if (post.nominatedNode) await this.nominate(pod, post.nominatedNode, post.victims);
      await this.fail(qp, current, message, post.nominatedNode, verdicts);
      return;
    }
    const host = feasible.length === 1 ? feasible[0].name : await this.selectHost(pod, feasible, verdicts);
    await this.reserveVolumesAndBind(qp, pod, host, verdicts);
  }

  /** The pod for this attempt, with InterPodAffinity's and PodTopologySpread's state when either applies. */
  private withTopology(pod: PodInfo): PodInfo {
    const store = this.store;
    const topology = TopologyAttempt.start(pod, {
      nodes: this.nodeList(),
      podsWithAffinity: this.affinityTotals.podsWithAffinity,
      podsWithRequiredAntiAffinity: this.affinityTotals.podsWithRequiredAntiAffinity,
      namespaceLabels: (namespace) => store.get('Namespace', undefined, namespace)?.metadata.labels,
      namespacesSelectedBy: (selector) =>
        store
          .list('Namespace')
          .filter((ns) => selector.matches(ns.metadata.labels))
          .map((ns) => ns.metadata.name as string),
      cachedNode: (name) => this.nodes.get(name),
      mayHaveDefaultSelector: mayHaveDefaultSelector(pod.pod, store),
      defaultSelector: () => defaultSelector(pod.pod, store),
    });
    return topology ? { ...pod, topology } : pod;
  }

  private async filterWithNominated(
    pod: PodInfo,
    node: NodeInfo,
    verdicts: NodeVerdict[],
  ): Promise<FilterStatus | null> {
    const cached = this.filterFromTable(pod, node, verdicts);
    if (cached !== undefined) return cached;
    const outcome = await this.policy().filter(pod, this.withNominatedPods(pod, node));
    this.recordFilter(node, outcome, verdicts);
    return outcome.status;
  }

  /** The filter status the pod's class table already holds for the node's class; undefined when it has none. */
  private filterFromTable(
    pod: PodInfo,
    node: NodeInfo,
    verdicts: NodeVerdict[],
  ): FilterStatus | null | undefined {
    const policy = this.policy();
    const outcome = policy.filterTable(pod)?.get(policy.nodeClass(pod, this.withNominatedPods(pod, node)));
    if (!outcome) return undefined;
    this.recordFilter(node, outcome, verdicts);
    return outcome.status;
  }

  private recordFilter(node: NodeInfo, outcome: FilterOutcome, verdicts: NodeVerdict[]): void {
    if (!this.trace.enabled) return;
    verdicts.push({
      node: node.name,
      rejected: outcome.status ?? undefined,
      filterDecision: outcome.decision,
    });
  }

  // RunFilterPluginsWithNominatedPods: pods nominated to the node with at least this pod's priority
  // count as already there.
  private withNominatedPods(pod: PodInfo, node: NodeInfo): NodeInfo {
    if (this.nominated.size === 0) return node;
    let view: NodeInfo | undefined;
    for (const [key, n] of this.nominated) {
      if (n.node !== node.name || key === pod.key || n.info.priority < pod.priority) continue;
      view ??= node.clone();
      view.addPod(n.info);
    }
    return view ?? node;
  }

  private async selectHost(pod: PodInfo, feasible: NodeInfo[], verdicts: NodeVerdict[]): Promise<string> {
    const policy = this.policy();
    const table = policy.scoreTable(pod);
    const n = feasible.length;
    // PreScore of InterPodAffinity and PodTopologySpread, over the feasible nodes.
    pod.topology?.prepareScore(feasible);
    // Nodes of one class share one outcome: raw scores, maxima and totals are worked out once per class.
    const classOf = new Int32Array(n);
    const byClass = new Map<number, ScoreOutcome>();
    for (let i = 0; i < n; i++) {
      const node = feasible[i];
      // A name-dependent pod's answers differ per node, so each node is its own class here.
      const id = pod.nameDependent ? -(i + 1) : policy.scoreClass(pod, node);
      classOf[i] = id;
      if (byClass.has(id)) continue;
      byClass.set(id, table?.get(id) ?? (await policy.score(pod, node)));
    }
    const plugins: { weight: number; normalize: Normalization; range: ScoreRange }[] = [];
    const byName = new Map<string, number>();
    for (const o of byClass.values()) {
      for (const p of o.plugins) {
        let k = byName.get(p.plugin);
        if (k === undefined) {
          k = plugins.length;
          byName.set(p.plugin, k);
          plugins.push({ weight: p.weight, normalize: p.normalize, range: { min: p.raw, max: p.raw } });
        }
        const { range } = plugins[k];
        if (p.raw > range.max) range.max = p.raw;
        if (p.raw < range.min) range.min = p.raw;
      }
    }
    const normalized = (p: PluginScore) => {
      const { normalize, range } = plugins[byName.get(p.plugin) as number];
      return normalizedScore(p.raw, range, normalize);
    };
    // A plugin a node's rules did not score contributes 0, as a missing score would.
    const totals = new Map<number, number>();
    let best = Number.NEGATIVE_INFINITY;
    for (const [id, o] of byClass) {
      let total = 0;
      for (const p of o.plugins) total += plugins[byName.get(p.plugin) as number].weight * normalized(p);
      totals.set(id, total);
      if (total > best) best = total;
    }
    // selectHost: the highest total, a tie broken uniformly at random with the seeded generator (the same
    // distribution as kube-scheduler's reservoir sampling, with one draw).
    const tied: number[] = [];
    for (let i = 0; i < n; i++) if (totals.get(classOf[i]) === best) tied.push(i);
    const selected = tied.length === 1 ? tied[0] : tied[this.random.intn('tie-break', tied.length)];
    if (this.trace.enabled) {
      feasible.forEach((node, i) => {
        const verdict = verdicts.find((v) => v.node === node.name && !v.rejected);
        const outcome = byClass.get(classOf[i]);
        if (!verdict || !outcome) return;
        verdict.total = totals.get(classOf[i]);
        verdict.scoreDecision = outcome.decision;
        verdict.scores = outcome.plugins.map((p) => ({
          plugin: p.plugin,
          raw: p.raw,
          normalized: normalized(p),
          weight: p.weight,
          rules: p.rules,
        }));
      });
    }
    return feasible[selected].name;
  }

  // ---- outcomes --------------------------------------------------------------------------------

  // VolumeBinding's Reserve and PreBind (k8s:pkg/scheduler/framework/plugins/volumebinding/volume_binding.go):
  // the chosen volumes and provisioning requests are written, the pod holds its place on the node, and it is
  // bound once the PV controller has bound every claim, checked every second up to the bind timeout.
  private async reserveVolumesAndBind(
    qp: QueuedPod,
    pod: PodInfo,
    host: string,
    verdicts: NodeVerdict[],
  ): Promise<void> {
    const node = this.nodes.get(host) as NodeInfo;
    const labels = node.node?.metadata.labels ?? {};
    const pending = bindPodVolumes(pod.volumes, { name: host, labels }, this.store);
    // The attempt's state is not kept with the pod.
    const { topology: _attempt, ...bare } = pod;
    pod = bare;
    if (!pending) {
      await this.bind(pod, host, verdicts);
      return;
    }
    node.addPod(pod);
    const now = this.store.clock.now();
    this.waitingForVolumes.set(pod.key, { qp, pod, verdicts, pending, deadline: now + BIND_TIMEOUT_MS });
    this.loop.schedule(this, `${PREBIND}${pod.key}`, now + BIND_POLL_MS);
  }

  private async finishVolumeBinding(key: string): Promise<void> {
    const waiting = this.waitingForVolumes.get(key);
    if (!waiting) return;
    const { pod, pending } = waiting;
    const current = this.store.get('Pod', pod.namespace, pod.name) as PodObject | undefined;
    const live = current?.metadata.uid === pod.uid ? current : undefined;
    const result = checkBindings(pending, live, this.store);
    const now = this.store.clock.now();
    if (result === false && now < waiting.deadline) {
      this.loop.schedule(this, `${PREBIND}${key}`, now + BIND_POLL_MS);
      return;
    }
    this.waitingForVolumes.delete(key);
    if (result === true) {
      await this.bind(pod, pending.node, waiting.verdicts);
      this.assumed.delete(key);
      return;
    }
    this.nodes.get(pending.node)?.removePod(key);
    this.wake();
    if (!live) return;
    const error = result === false ? 'context deadline exceeded' : result;
    const message = `running PreBind plugin "VolumeBinding": binding volumes: ${error}`;
    await this.fail(waiting.qp, live, message, undefined, waiting.verdicts, 'SchedulerError');
  }

  private async bind(info: PodInfo, node: string, verdicts: NodeVerdict[]): Promise<void> {
    const now = this.store.clock.timestamp();
    this.assumed.set(info.key, info);
    const current = this.store.get('Pod', info.namespace, info.name) as PodObject | undefined;
    if (!current) return;
    // Copies only what the binding changes (stored objects are never edited in place): a deep copy of every
    // pod costs more than the rest of binding it.
    const p: PodObject = {
      ...current,
      metadata: { ...current.metadata },
      spec: { ...(current.spec as NonNullable<PodObject['spec']>), nodeName: node },
      status: { ...current.status },
    };
    delete p.status?.nominatedNodeName;
    // The binding subresource marks the pod scheduled (k8s:pkg/registry/core/pod/storage/storage.go assignPod).
    setCondition(p, {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null as unknown as string,
      lastTransitionTime: now,
    });
    const bound = this.store.update(p) as PodObject;
    this.recorder.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${info.namespace}/${info.name} to ${node}`,
      SOURCE,
    );
    this.trace.add({
      kind: 'scheduling',
      time: this.store.clock.now(),
      pod: info.key,
      outcome: 'bound',
      node,
      verdicts,
    });
  }

  private async fail(
    qp: QueuedPod,
    pod: PodObject,
    message: string,
    nominatedNode: string | undefined,
    verdicts: NodeVerdict[],
    /** SchedulerError when a plugin failed rather than rejected (handleSchedulingFailure). */
    reason = 'Unschedulable',
  ): Promise<void> {
    const now = this.store.clock.timestamp();
    const updated = this.store.mutate<PodObject>('Pod', qp.info.namespace, qp.info.name, (p) => {
      p.status ??= {};
      if (nominatedNode) p.status.nominatedNodeName = nominatedNode;
      setCondition(p, {
        type: 'PodScheduled',
        status: 'False',
        reason,
        message,
        lastProbeTime: null as unknown as string,
        lastTransitionTime: now,
      });
    });
    this.recorder.record(updated ?? pod, 'Warning', 'FailedScheduling', message, SOURCE);
    this.queue.addUnschedulable(qp);
    this.trace.add({
      kind: 'scheduling',
      time: this.store.clock.now(),
      pod: qp.info.key,
      outcome: 'unschedulable',
      message,
      nominatedNode,
      verdicts,
    });
  }

  private async nominate(info: PodInfo, node: string, victims: PodInfo[]): Promise<void> {
    this.nominated.set(info.key, { node, info });
    // Lower-priority pods nominated to the same node lose their nomination.
    for (const [key, n] of [...this.nominated]) {
      if (n.node === node && n.info.priority < info.priority) {
        this.nominated.delete(key);
        this.store.mutate<PodObject>('Pod', n.info.namespace, n.info.name, (p) => {
          if (p.status) delete p.status.nominatedNodeName;
        });
      }
    }
    for (const victim of victims) {
      const v = this.store.get('Pod', victim.namespace, victim.name) as PodObject | undefined;
      if (v) await this.onPreempt(v, info, node);
    }
  }

  private preemptionHost() {
    return {
      filter: async (pod: PodInfo, node: NodeInfo) =>
        (await this.policy().filter(pod, this.withNominatedPods(pod, node))).status,
      random: this.random,
      startTime: (pod: PodInfo) => {
        const p = this.store.get('Pod', pod.namespace, pod.name) as PodObject | undefined;
        return p?.status?.startTime ? Date.parse(p.status.startTime) : this.store.clock.now();
      },
      terminatingByPreemption: (pod: PodInfo) => {
        const p = this.store.get('Pod', pod.namespace, pod.name) as PodObject | undefined;
        return Boolean(
          p?.metadata.deletionTimestamp &&
            p.status?.conditions?.some(
              (c) =>
                c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler',
            ),
        );
      },
      budgets: () => disruptionBudgetViews(this.store),
    };
  }
}

// The PodDisruptionBudgets preemption weighs (k8s:pkg/scheduler/framework/plugins/defaultpreemption getPodDisruptionBudgets).
function disruptionBudgetViews(store: Store): BudgetView[] {
  return (store.list('PodDisruptionBudget') as PodDisruptionBudgetObject[]).map((pdb) => {
    let selector: Selector | undefined;
    try {
      selector = selectorFromLabelSelector(pdb.spec?.selector);
    } catch {
      selector = undefined;
    }
    return {
      namespace: pdb.metadata.namespace as string,
      selector,
      disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
      disruptedPods: new Set(Object.keys(pdb.status?.disruptedPods ?? {})),
    };
  });
}

/** Sets a pod condition; lastTransitionTime only moves when the status flips (podutil.UpdatePodCondition). */
export function setCondition(pod: PodObject, condition: PodCondition): void {
  pod.status ??= {};
  const conditions = [...(pod.status.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === condition.type);
  if (i < 0) conditions.push(condition);
  else {
    const old = conditions[i];
    conditions[i] = {
      ...condition,
      lastTransitionTime:
        old.status === condition.status ? old.lastTransitionTime : condition.lastTransitionTime,
    };
  }
  pod.status.conditions = conditions;
}

/** Whether a bound pod changed in what InterPodAffinity and PodTopologySpread look at. */
function podPluginsChange(known: PodInfo, pod: PodObject): boolean {
  if (known.terminating !== Boolean(pod.metadata.deletionTimestamp)) return true;
  const labels = pod.metadata.labels ?? {};
  const keys = Object.keys(labels);
  return keys.length !== Object.keys(known.labels).length || keys.some((k) => known.labels[k] !== labels[k]);
}

function schedulingRelevantChange(node: NodeObject, old: NodeObject | undefined): boolean {
  if (!old) return true;
  return (
    JSON.stringify(node.metadata.labels) !== JSON.stringify(old.metadata.labels) ||
    JSON.stringify(node.spec) !== JSON.stringify(old.spec) ||
    JSON.stringify(node.status?.allocatable) !== JSON.stringify(old.status?.allocatable) ||
    JSON.stringify(node.status?.conditions?.map((c) => [c.type, c.status])) !==
      JSON.stringify(old.status?.conditions?.map((c) => [c.type, c.status]))
  );
}

function specChanged(pod: KubeObject, old: KubeObject | undefined): boolean {
  return !old || JSON.stringify(pod.spec) !== JSON.stringify(old.spec);
}
