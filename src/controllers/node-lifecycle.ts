// The node lifecycle controller (k8s:pkg/controller/nodelifecycle/node_lifecycle_controller.go).
// - doNoScheduleTaintingPass, on every node change: a cordoned node carries node.kubernetes.io/unschedulable,
//   and the node.conditions rules turn its conditions into NoSchedule taints.
// - monitorNodeHealth, every 5 seconds (--node-monitor-period) while some node is unhealthy: a node whose kubelet
//   has not renewed its lease within the grace period has its conditions set to Unknown and its pods marked not
//   ready; NoExecute taints (not-ready, unreachable) are added per zone at the eviction rate, never while a zone
//   (or every zone) is fully down, and removed once the node is Ready again.
import type { NodeCondition, Taint } from 'kubernetes-types/core/v1';
import type { EventRecorder } from '../api/events';
import type { NodeObject } from '../api/nodes';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import { parseDuration } from '../sim/clock';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';
import type { KubernetesVersion } from '../sim/version';
import type { NodeConditionsContext } from './node-conditions-rules';

export const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';
/** The taints this controller derives from conditions (taintKeyToNodeConditionMap and the NoExecute templates). */
const CONDITION_TAINT_KEYS = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/network-unavailable',
]);
const NO_EXECUTE_KEYS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
const KUBELET_CONDITIONS = new Set(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
const SOURCE = { component: 'node-controller' };

const NODE_MONITOR_PERIOD = 5_000;
/** --node-eviction-rate 0.1: one node per 10 seconds per zone; --secondary-node-eviction-rate 0.01. */
const EVICTION_INTERVAL = 10_000;
const SECONDARY_EVICTION_INTERVAL = 100_000;
/** --unhealthy-zone-threshold and --large-cluster-size-threshold. */
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
const LARGE_CLUSTER_SIZE_THRESHOLD = 50;

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Where the controller learns when a node's kubelet last renewed its lease. */
export interface NodeHealth {
  /** undefined while the kubelet renews its lease. */
  lastLeaseRenewal(node: string): number | undefined;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  /** Nodes the monitor keeps looking at: silent, not Ready, or carrying a NoExecute condition taint. */
  private readonly watched = new Set<string>();
  /** Nodes waiting for their NoExecute taint, per zone, in the order they were found unhealthy. */
  private readonly taintQueue = new Map<string, string[]>();
  /** When each zone's rate limiter last let a node through. */
  private readonly lastTaint = new Map<string, number>();
  private readonly desiredBySignature = new Map<
    string,
    { key: string; signature: string; taints: Taint[] }
  >();

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly rules: () => Evaluator,
    private readonly version: () => KubernetesVersion,
    private readonly health: NodeHealth,
    private readonly trace: DecisionTrace,
  ) {
    store.watch('Node', (type, obj) => {
      const name = obj.metadata.name as string;
      if (type === 'DELETED') {
        this.watched.delete(name);
        this.desiredBySignature.delete(name);
        return;
      }
      loop.enqueue(this, name);
      const ready = readyStatus(obj as NodeObject);
      if (ready !== 'True' || this.watched.has(name)) this.healthChanged(name);
    });
  }

  /** A node's kubelet went silent or came back: the next monitor pass looks at it. */
  healthChanged(name: string): void {
    this.watched.add(name);
    this.schedulePass(this.nextTick(this.store.clock.now()));
  }

  async reconcile(key: string): Promise<void> {
    if (key === MONITOR) return this.monitor();
    await this.noScheduleTaintingPass(key);
  }

  // ---- NoSchedule taints -------------------------------------------------------------------------

  private async noScheduleTaintingPass(name: string): Promise<void> {
    const node = this.store.get('Node', undefined, name) as NodeObject | undefined;
    if (!node) return;
    const conditionTaints = (await this.desiredTaints(node)).filter((t) => t.effect === 'NoSchedule');
    const wanted: Taint[] = [...conditionTaints];
    if (node.spec?.unschedulable === true)
      wanted.push({ key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' });
    const owned = (t: Taint) =>
      t.effect === 'NoSchedule' && (CONDITION_TAINT_KEYS.has(t.key) || t.key === UNSCHEDULABLE_TAINT_KEY);
    const taints = node.spec?.taints ?? [];
    const kept = taints.filter((t) => !owned(t) || wanted.some((w) => w.key === t.key));
    const added = wanted.filter((w) => !taints.some((t) => owned(t) && t.key === w.key));
    if (added.length === 0 && kept.length === taints.length) return;
    const now = this.store.clock.timestamp();
    const next = [...kept, ...added.map((t) => ({ ...t, timeAdded: now }))];
    this.store.mutate<NodeObject>('Node', undefined, name, (n) => {
      n.spec = { ...(n.spec ?? {}), taints: next.length > 0 ? next : undefined };
    });
  }

  /** The taints the node.conditions rules want for the node's conditions (evaluated once per condition change). */
  private async desiredTaints(node: NodeObject): Promise<Taint[]> {
    const name = node.metadata.name as string;
    const conditions = conditionMap(node);
    const signature = JSON.stringify(conditions);
    const cached = this.desiredBySignature.get(name);
    if (cached?.signature === signature) return cached.taints;
    const decision = await this.rules().evaluate(this.context(node, conditions));
    const taints = decision.events
      .filter((e) => e.type === 'taint')
      .map((e) => ({ key: String(e.params.key), effect: String(e.params.effect) }));
    if (taints.length > 0) {
      this.trace.add({
        kind: 'decision',
        time: this.store.clock.now(),
        subject: `node ${name} (${Object.entries(conditions)
          .map(([t, s]) => `${t}=${s}`)
          .join(', ')})`,
        decision,
        outcome: `taints ${taints.map((t) => `${t.key}:${t.effect}`).join(', ')}`,
      });
    }
    this.desiredBySignature.set(name, { key: name, signature, taints });
    return taints;
  }

  private context(node: NodeObject, conditions: Record<string, string>): NodeConditionsContext {
    return {
      nodeName: node.metadata.name as string,
      labels: node.metadata.labels ?? {},
      conditions,
      version: this.version(),
    };
  }

  // ---- monitorNodeHealth ---------------------------------------------------------------------------

  private async monitor(): Promise<void> {
    const now = this.store.clock.now();
    let wakeAt: number | undefined;
    const soonest = (at: number) => {
      wakeAt = wakeAt === undefined ? at : Math.min(wakeAt, at);
    };
    for (const name of [...this.watched]) {
      const node = this.store.get('Node', undefined, name) as NodeObject | undefined;
      if (!node) {
        this.watched.delete(name);
        continue;
      }
      const renewed = this.health.lastLeaseRenewal(name);
      if (renewed !== undefined && readyStatus(node) !== 'Unknown') {
        // tryUpdateNodeHealth: the probe time is the pass that saw the last renewal.
        const probe = this.nextTick(renewed);
        const decision = await this.rules().evaluate(this.context(node, conditionMap(node)));
        const grace = decision.events.find((e) => e.type === 'monitorGracePeriod');
        const gracePeriod = grace ? parseDuration(String(grace.params.duration)) : Number.POSITIVE_INFINITY;
        if (now > probe + gracePeriod) this.markUnknown(node);
        else if (Number.isFinite(gracePeriod)) soonest(this.nextTick(probe + gracePeriod + 1));
      }
    }
    await this.taintBasedEviction(now, soonest);
    if (this.watched.size > 0) soonest(now + NODE_MONITOR_PERIOD);
    if (wakeAt !== undefined) this.schedulePass(wakeAt);
  }

  private markUnknown(node: NodeObject): void {
    const name = node.metadata.name as string;
    const now = this.store.clock.timestamp();
    const updated = this.store.mutate<NodeObject>('Node', undefined, name, (n) => {
      n.status = {
        ...(n.status ?? {}),
        conditions: (n.status?.conditions ?? []).map(
          (c): NodeCondition =>
            KUBELET_CONDITIONS.has(c.type)
              ? {
                  ...c,
                  status: 'Unknown',
                  reason: 'NodeStatusUnknown',
                  message: 'Kubelet stopped posting node status.',
                  lastTransitionTime: c.status === 'Unknown' ? c.lastTransitionTime : now,
                }
              : c,
        ),
      };
    });
    if (!updated) return;
    this.recorder.record(
      updated,
      'Normal',
      'NodeNotReady',
      `Node ${name} status is now: NodeNotReady`,
      SOURCE,
    );
    this.markPodsNotReady(name);
  }

  // k8s:pkg/controller/util/node/controller_utils.go MarkPodsNotReady.
  private markPodsNotReady(nodeName: string): void {
    const now = this.store.clock.timestamp();
    for (const pod of this.store.list('Pod') as PodObject[]) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const updated = this.store.mutate<PodObject>(
        'Pod',
        pod.metadata.namespace,
        pod.metadata.name as string,
        (p) => {
          p.status = {
            ...(p.status ?? {}),
            conditions: (p.status?.conditions ?? []).map((c) =>
              c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c,
            ),
          };
        },
      );
      if (updated) this.recorder.record(updated, 'Warning', 'NodeNotReady', 'Node is not ready', SOURCE);
    }
  }

  // processTaintBaseEviction, handleDisruption and doNoExecuteTaintingPass.
  private async taintBasedEviction(now: number, soonest: (at: number) => void): Promise<void> {
    const zones = this.zoneStates();
    const allDown = zones.size > 0 && [...zones.values()].every((z) => z.state === 'FullDisruption');
    for (const name of [...this.watched]) {
      const node = this.store.get('Node', undefined, name) as NodeObject | undefined;
      if (!node) continue;
      const zone = zoneOf(node);
      const queue = this.taintQueue.get(zone) ?? [];
      const wanted = (await this.desiredTaints(node)).filter((t) => t.effect === 'NoExecute');
      if (wanted.length === 0 || allDown) {
        // markNodeAsReachable: a Ready node (or every node, when all zones are down) loses its NoExecute taints.
        this.taintQueue.set(
          zone,
          queue.filter((n) => n !== name),
        );
        this.setNoExecute(node, []);
        if (wanted.length === 0 && this.health.lastLeaseRenewal(name) === undefined)
          this.watched.delete(name);
        continue;
      }
      const has = (node.spec?.taints ?? []).filter(
        (t) => t.effect === 'NoExecute' && NO_EXECUTE_KEYS.has(t.key),
      );
      if (has.length > 0) {
        // A node already tainted for the other condition is swapped at once.
        if (!has.every((t) => wanted.some((w) => w.key === t.key))) this.setNoExecute(node, wanted);
      } else if (!queue.includes(name)) queue.push(name);
      this.taintQueue.set(zone, queue);
    }
    for (const [zone, queue] of this.taintQueue) {
      const interval = this.evictionInterval(zones.get(zone));
      while (queue.length > 0 && interval !== undefined && !allDown) {
        const last = this.lastTaint.get(zone);
        const allowedAt = last === undefined ? now : last + interval;
        if (allowedAt > now) {
          soonest(allowedAt);
          break;
        }
        const name = queue.shift() as string;
        const node = this.store.get('Node', undefined, name) as NodeObject | undefined;
        if (!node) continue;
        const wanted = (await this.desiredTaints(node)).filter((t) => t.effect === 'NoExecute');
        if (wanted.length === 0) continue;
        this.lastTaint.set(zone, now);
        this.setNoExecute(node, wanted);
      }
    }
  }

  /** The rate limiter of a zone: undefined stops tainting (a partially disrupted small zone). */
  private evictionInterval(zone: { state: ZoneState; size: number } | undefined): number | undefined {
    if (zone?.state !== 'PartialDisruption') return EVICTION_INTERVAL;
    return zone.size > LARGE_CLUSTER_SIZE_THRESHOLD ? SECONDARY_EVICTION_INTERVAL : undefined;
  }

  // ComputeZoneState over every node of each zone.
  private zoneStates(): Map<string, { state: ZoneState; size: number }> {
    const counts = new Map<string, { ready: number; notReady: number }>();
    for (const node of this.store.list('Node') as NodeObject[]) {
      const zone = zoneOf(node);
      const c = counts.get(zone) ?? { ready: 0, notReady: 0 };
      if (readyStatus(node) === 'True') c.ready += 1;
      else c.notReady += 1;
      counts.set(zone, c);
    }
    const states = new Map<string, { state: ZoneState; size: number }>();
    for (const [zone, { ready, notReady }] of counts) {
      let state: ZoneState = 'Normal';
      if (ready === 0 && notReady > 0) state = 'FullDisruption';
      else if (notReady > 2 && notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD)
        state = 'PartialDisruption';
      states.set(zone, { state, size: ready + notReady });
    }
    return states;
  }

  private setNoExecute(node: NodeObject, wanted: readonly Taint[]): void {
    const taints = node.spec?.taints ?? [];
    const others = taints.filter((t) => !(t.effect === 'NoExecute' && NO_EXECUTE_KEYS.has(t.key)));
    const current = taints.filter((t) => t.effect === 'NoExecute' && NO_EXECUTE_KEYS.has(t.key));
    const kept = current.filter((t) => wanted.some((w) => w.key === t.key));
    const now = this.store.clock.timestamp();
    const added = wanted
      .filter((w) => !current.some((t) => t.key === w.key))
      .map((w) => ({ key: w.key, effect: 'NoExecute', timeAdded: now }));
    if (added.length === 0 && kept.length === current.length) return;
    const next = [...others, ...kept, ...added];
    this.store.mutate<NodeObject>('Node', undefined, node.metadata.name as string, (n) => {
      n.spec = { ...(n.spec ?? {}), taints: next.length > 0 ? next : undefined };
    });
  }

  /** Monitor passes happen every 5 seconds from the cluster's start. */
  private nextTick(at: number): number {
    const epoch = this.store.clock.now() - this.store.clock.elapsed();
    return epoch + Math.ceil((at - epoch) / NODE_MONITOR_PERIOD) * NODE_MONITOR_PERIOD;
  }

  private schedulePass(at: number): void {
    this.loop.schedule(this, MONITOR, at);
  }
}

const MONITOR = '\0monitor';

function readyStatus(node: NodeObject): string {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

function conditionMap(node: NodeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of node.status?.conditions ?? []) out[c.type] = c.status;
  return out;
}

/** GetZoneKey: region and zone; nodes without them share one zone. */
function zoneOf(node: NodeObject): string {
  const labels = node.metadata.labels ?? {};
  return `${labels['topology.kubernetes.io/region'] ?? ''}:\0:${labels['topology.kubernetes.io/zone'] ?? ''}`;
}
