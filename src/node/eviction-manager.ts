// Each node's eviction manager (k8s:pkg/kubelet/eviction/eviction_manager.go synchronize, helpers.go): it observes
// memory.available (capacity minus the working set of the pods and of the system), compares it with the
// thresholds of the kubelet.eviction rules, reports MemoryPressure (held for the pressure transition period after
// the last crossing), and while a threshold is met evicts one pod per pass, ranked as rankMemoryPressure ranks
// them. Passes run every 10 seconds (monitoringInterval) from the node's last pass, but only while memory matters:
// a node nobody's usage changed has no timer; after an eviction the next pass comes once the pod's containers are
// gone, at the next 1 second poll (waitForPodsCleanup, podCleanupPollFreq, at most podCleanupTimeout 30s).
import type { PodCondition } from 'kubernetes-types/core/v1';
import type { EventRecorder } from '../api/events';
import type { NodeObject } from '../api/nodes';
import { MEMORY, podRequests } from '../api/pod-resources';
import type { PodObject } from '../api/pods';
import { Quantity } from '../api/quantity';
import type { Store } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import { parseDuration } from '../sim/clock';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';
import type { KubernetesVersion } from '../sim/version';
import type { EvictionContext } from './eviction-rules';
import type { Kubelets } from './kubelet';
import { containerWorkloads, systemMemoryUsage } from './workload';

const MONITORING_INTERVAL = 10_000;
const POD_CLEANUP_POLL = 1_000;
const POD_CLEANUP_TIMEOUT = 30_000;
/** k8s:pkg/kubelet/eviction/eviction_manager.go immediateEvictionGracePeriodSeconds. */
const IMMEDIATE_EVICTION_GRACE_SECONDS = 1;
/** k8s:pkg/apis/scheduling/types.go SystemCriticalPriority: such pods are never evicted for pressure. */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

export interface Threshold {
  signal: string;
  /** As the rule gave it: 100Mi or 10%. */
  quantity: string;
  /** ms; undefined for a hard threshold. */
  gracePeriod?: number;
}

interface NodeState {
  /** The last pass: the 10 second rhythm continues from it. */
  anchor: number;
  firstObserved: Map<string, number>;
  pressureLastObserved?: number;
  pressure: boolean;
  /** After an eviction: no pass before the evicted pod is cleaned up. */
  holdUntil: number;
}

/** A candidate for eviction with what rankMemoryPressure compares. */
export interface Candidate {
  key: string;
  usage: number;
  request: number;
  priority: number;
}

/** rankMemoryPressure: usage above requests first, then lower priority, then the larger excess; stable. */
export function rankForMemoryPressure<T extends Candidate>(pods: readonly T[]): T[] {
  return [...pods].sort((a, b) => {
    const exceedsA = a.usage > a.request;
    const exceedsB = b.usage > b.request;
    if (exceedsA !== exceedsB) return exceedsA ? -1 : 1;
    if (a.priority !== b.priority) return a.priority - b.priority;
    return b.usage - b.request - (a.usage - a.request);
  });
}

/** GetThresholdQuantity: a percentage is of the capacity, in whole bytes. */
export function thresholdBytes(quantity: string, capacity: number): number {
  if (quantity.endsWith('%')) return Math.floor((capacity * Number(quantity.slice(0, -1))) / 100);
  return Quantity.parse(quantity).value();
}

function thresholdDisplay(quantity: string, capacity: number): string {
  if (quantity.endsWith('%'))
    return Quantity.fromValue(thresholdBytes(quantity, capacity), 'BinarySI').toString();
  return Quantity.parse(quantity).toString();
}

const bytesText = (n: number) => Quantity.fromValue(n, 'BinarySI').toString();

export class EvictionManagers implements Controller {
  readonly name = 'eviction-manager';
  private readonly nodes = new Map<string, NodeState>();

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly kubelets: Kubelets,
    private readonly rules: () => Evaluator,
    private readonly version: () => KubernetesVersion,
    private readonly trace: DecisionTrace,
  ) {
    kubelets.hooks = {
      usageChanged: (node) => this.wake(node),
      underMemoryPressure: (node) => this.nodes.get(node)?.pressure ?? false,
    };
    store.watch('Node', (type, obj, old) => {
      const name = obj.metadata.name as string;
      if (type === 'DELETED') {
        this.nodes.delete(name);
        return;
      }
      const before = old?.metadata.annotations?.['kubespec.io/system-memory-usage'];
      if (obj.metadata.annotations?.['kubespec.io/system-memory-usage'] !== before) this.wake(name);
    });
  }

  /** Something changed the node's memory use: the next pass of its rhythm looks at it. */
  wake(nodeName: string): void {
    const state = this.state(nodeName);
    const now = this.store.clock.now();
    const periods = Math.max(0, Math.ceil((now - state.anchor) / MONITORING_INTERVAL));
    this.loop.schedule(
      this,
      nodeName,
      Math.max(state.holdUntil, state.anchor + periods * MONITORING_INTERVAL),
    );
  }

  private state(nodeName: string): NodeState {
    let state = this.nodes.get(nodeName);
    if (!state) {
      state = {
        anchor: this.store.clock.now() - this.store.clock.elapsed(),
        firstObserved: new Map(),
        pressure: false,
        holdUntil: 0,
      };
      this.nodes.set(nodeName, state);
    }
    return state;
  }

  async reconcile(nodeName: string): Promise<void> {
    const node = this.store.get('Node', undefined, nodeName) as NodeObject | undefined;
    if (!node || !this.kubelets.responding(nodeName)) return;
    const state = this.state(nodeName);
    const now = this.store.clock.now();
    if (now < state.holdUntil) return;
    state.anchor = now;
    const capacity = Quantity.parse(node.status?.capacity?.memory ?? '0').value();
    const pods = this.activePods(nodeName);
    const used = systemMemoryUsage(node.metadata.annotations) + pods.reduce((sum, p) => sum + p.usage, 0);
    const available = capacity - used;
    const context: EvictionContext = {
      nodeName,
      labels: node.metadata.labels ?? {},
      memoryCapacity: capacity,
      memoryAvailable: available,
      version: this.version(),
    };
    const decision = await this.rules().evaluate(context);
    const thresholds: Threshold[] = decision.events
      .filter((e) => e.type === 'threshold')
      .map((e) => ({
        signal: String(e.params.signal),
        quantity: String(e.params.quantity),
        gracePeriod:
          e.params.gracePeriod === undefined ? undefined : parseDuration(String(e.params.gracePeriod)),
      }));
    const settings = decision.events.find((e) => e.type === 'settings')?.params;
    const transition = settings ? parseDuration(String(settings.pressureTransitionPeriod)) : 0;
    const maxPodGrace = settings ? Number(settings.maxPodGracePeriodSeconds) : 0;

    // thresholdsMet, thresholdsFirstObservedAt, nodeConditionsObservedSince, thresholdsMetGracePeriod.
    const id = (t: Threshold) =>
      `${t.signal}<${t.quantity}${t.gracePeriod === undefined ? '' : ` for ${t.gracePeriod}`}`;
    const met = thresholds.filter((t) => available < thresholdBytes(t.quantity, capacity));
    const firstObserved = new Map<string, number>();
    for (const t of met) firstObserved.set(id(t), state.firstObserved.get(id(t)) ?? now);
    state.firstObserved = firstObserved;
    if (met.length > 0) state.pressureLastObserved = now;
    const pressure =
      state.pressureLastObserved !== undefined && now - state.pressureLastObserved < transition;
    if (pressure !== state.pressure) {
      state.pressure = pressure;
      this.kubelets.postMemoryPressure(nodeName, pressure);
    }
    const enforced = met
      .filter((t) => now - (firstObserved.get(id(t)) as number) >= (t.gracePeriod ?? 0))
      .sort((a, b) => Number(a.gracePeriod !== undefined) - Number(b.gracePeriod !== undefined));

    let next: number | undefined = met.length > 0 || pressure ? now + MONITORING_INTERVAL : undefined;
    let outcome = met.length === 0 ? 'no threshold met' : 'thresholds met, within their grace periods';
    if (enforced.length > 0) {
      const threshold = enforced[0];
      this.recorder.record(node, 'Warning', 'EvictionThresholdMet', `Attempting to reclaim ${MEMORY}`, {
        component: 'kubelet',
        host: nodeName,
      });
      const message0 =
        `The node was low on resource: ${MEMORY}. ` +
        `Threshold quantity: ${thresholdDisplay(threshold.quantity, capacity)}, available: ${bytesText(available)}. `;
      outcome = 'no pod could be evicted';
      for (const candidate of rankForMemoryPressure(pods)) {
        if (candidate.priority >= SYSTEM_CRITICAL_PRIORITY) continue;
        const message = message0 + containerMessages(candidate.pod);
        const condition: PodCondition = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'TerminationByKubelet',
          message,
          lastTransitionTime: this.store.clock.timestamp(),
        };
        const grace =
          threshold.gracePeriod === undefined
            ? IMMEDIATE_EVICTION_GRACE_SECONDS
            : Math.min(maxPodGrace, candidate.pod.spec?.terminationGracePeriodSeconds ?? maxPodGrace);
        if (!(await this.kubelets.evict(candidate.key, { reason: 'Evicted', message, condition }, grace)))
          continue;
        outcome = `evicted pod ${candidate.key}`;
        next = this.afterCleanup(candidate.key, now);
        state.holdUntil = next;
        break;
      }
    }
    if (met.length > 0) {
      this.trace.add({
        kind: 'decision',
        time: now,
        subject: `node ${nodeName} (memory.available ${bytesText(available)})`,
        decision,
        outcome,
      });
    }
    if (next !== undefined) this.loop.schedule(this, nodeName, next);
  }

  /** waitForPodsCleanup: the first 1 second poll at which the evicted pod's containers are all gone. */
  private afterCleanup(key: string, now: number): number {
    const worker = this.kubelets.worker(key);
    const stops = (worker?.containers ?? []).map((c) => c.stopAt ?? now);
    const done = Math.max(now, ...stops);
    const polls = Math.max(1, Math.ceil((done - now) / POD_CLEANUP_POLL));
    return now + Math.min(POD_CLEANUP_TIMEOUT, polls * POD_CLEANUP_POLL);
  }

  // The kubelet's active pods (filterOutInactivePods) with their usage, requests and priority, in the order
  // they were bound to the node (ties in the ranking keep it).
  private activePods(nodeName: string): (Candidate & { pod: PodObject })[] {
    const out: (Candidate & { pod: PodObject })[] = [];
    for (const key of this.kubelets.podsOn(nodeName)) {
      const worker = this.kubelets.worker(key);
      if (!worker?.started || worker.finished || worker.eviction) continue;
      const [namespace, name] = key.split('/');
      const pod = this.store.get('Pod', namespace, name) as PodObject | undefined;
      if (!pod) continue;
      out.push({
        key,
        pod,
        usage: worker.usage(containerWorkloads(pod)),
        request: podRequests(pod)[MEMORY] ?? 0,
        priority: pod.spec?.priority ?? 0,
      });
    }
    return out;
  }
}

// evictionMessage: one sentence per container using more than it requested, in the pod's container order.
function containerMessages(pod: PodObject): string {
  const workloads = containerWorkloads(pod);
  let text = '';
  for (const c of pod.spec?.containers ?? []) {
    const usage = workloads.get(c.name)?.memory ?? 0;
    const requested = c.resources?.requests?.memory;
    const request = requested === undefined ? Quantity.fromValue(0) : Quantity.parse(requested);
    if (Quantity.fromValue(usage).cmp(request) > 0) {
      text += `Container ${c.name} was using ${bytesText(usage)}, request is ${request.toString()}, has larger consumption of ${MEMORY}. `;
    }
  }
  return text;
}
