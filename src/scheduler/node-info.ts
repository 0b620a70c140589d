// The scheduler's view of a node, kept up to date incrementally as pods are bound and removed
// (k8s:pkg/scheduler/framework/types.go NodeInfo). Everything a filter or score may depend on, except the
// node's name, is in `view`; nodes with equal views — counting only the labels a pod or the rules look
// at — form one class, and the rules are evaluated once per (pod class, node class).
import type { Taint } from 'kubernetes-types/core/v1';
import type { NodeObject } from '../api/nodes';
import { CPU, MEMORY, PODS, type ResourceList, toResourceList } from '../api/pod-resources';
import { stableStringify } from '../rules/stable-json';
import { classId } from './classes';
import type { HostPort, PodInfo } from './pod-info';

export interface NodeView {
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  unschedulable: boolean;
  allocatable: Readonly<ResourceList>;
  /** Sum of the effective requests of the pods on the node. */
  requested: Readonly<ResourceList>;
  /** Requests with the scheduler's defaults for missing cpu/memory (scoring). */
  nonZeroRequested: { cpu: number; memory: number };
  podCount: number;
  usedPorts: readonly HostPort[];
}

/** How many pods of the cluster have pod (anti-)affinity: pods without it skip InterPodAffinity at no cost. */
export interface AffinityTotals {
  podsWithAffinity: number;
  podsWithRequiredAntiAffinity: number;
}

export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  /** Pods with pod affinity or anti-affinity (k8s NodeInfo.PodsWithAffinity), and with required anti-affinity. */
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  private labels: Record<string, string> = {};
  private taints: Taint[] = [];
  private unschedulable = false;
  private allocatable: ResourceList = {};
  private requested: ResourceList = {};
  private nonZero = { cpu: 0, memory: 0 };
  private ports: HostPort[] = [];
  private cachedView: NodeView | undefined;
  /** Class ids per set of label keys that matter (see classIdFor). */
  private readonly idsByKeys = new Map<string, number>();
  private cachedBaseKey: string | undefined;
  private lastKeysId: string | undefined;
  private lastId: number | undefined;

  constructor(
    readonly name: string,
    public node: NodeObject | undefined,
    /** The scheduler cache's cluster-wide counts, kept by its own nodes (not by clones). */
    private readonly totals?: AffinityTotals,
  ) {
    if (node) this.setNode(node);
  }

  setNode(node: NodeObject): void {
    this.node = node;
    this.labels = { ...(node.metadata.labels ?? {}) };
    this.taints = [...(node.spec?.taints ?? [])];
    this.unschedulable = node.spec?.unschedulable === true;
    this.allocatable = toResourceList(node.status?.allocatable ?? node.status?.capacity);
    this.invalidate();
  }

  addPod(pod: PodInfo): void {
    if (this.pods.has(pod.key)) this.removePod(pod.key);
    this.pods.set(pod.key, pod);
    for (const [name, amount] of Object.entries(pod.requests))
      this.requested[name] = (this.requested[name] ?? 0) + amount;
    this.nonZero.cpu += pod.nonZero.cpu;
    this.nonZero.memory += pod.nonZero.memory;
    this.ports.push(...pod.hostPorts);
    this.countAffinity(pod, 1);
    this.invalidate();
  }

  private countAffinity(pod: PodInfo, delta: number): void {
    if (!pod.podAffinity) return;
    const anti = pod.podAffinity.requiredAntiAffinity.length > 0 ? delta : 0;
    this.podsWithAffinity += delta;
    this.podsWithRequiredAntiAffinity += anti;
    if (this.totals) {
      this.totals.podsWithAffinity += delta;
      this.totals.podsWithRequiredAntiAffinity += anti;
    }
  }

  removePod(key: string): void {
    const pod = this.pods.get(key);
    if (!pod) return;
    this.pods.delete(key);
    for (const [name, amount] of Object.entries(pod.requests))
      this.requested[name] = (this.requested[name] ?? 0) - amount;
    this.nonZero.cpu -= pod.nonZero.cpu;
    this.nonZero.memory -= pod.nonZero.memory;
    for (const hp of pod.hostPorts) {
      const i = this.ports.findIndex(
        (p) => p.port === hp.port && p.protocol === hp.protocol && p.ip === hp.ip,
      );
      if (i >= 0) this.ports.splice(i, 1);
    }
    this.countAffinity(pod, -1);
    this.invalidate();
  }

  /** A copy to try changes on (preemption's dry run, nominated pods) without touching the cache. */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name, this.node);
    for (const pod of this.pods.values()) copy.addPod(pod);
    return copy;
  }

  /** The node left the scheduler's cache: its pods no longer count in the cluster's totals. */
  detach(): void {
    if (!this.totals) return;
    this.totals.podsWithAffinity -= this.podsWithAffinity;
    this.totals.podsWithRequiredAntiAffinity -= this.podsWithRequiredAntiAffinity;
  }

  /** The node's labels, all of them (for the inter-pod facts, which compute per node what the rules see). */
  get allLabels(): Readonly<Record<string, string>> {
    return this.labels;
  }

  view(): NodeView {
    if (!this.cachedView) {
      this.cachedView = {
        labels: this.labels,
        taints: this.taints,
        unschedulable: this.unschedulable,
        allocatable: this.allocatable,
        requested: { ...this.requested },
        nonZeroRequested: { ...this.nonZero },
        podCount: this.pods.size,
        usedPorts: [...this.ports],
      };
    }
    return this.cachedView;
  }

  /**
   * The node's class as seen by a pod that can only tell nodes apart by the given label keys (sorted;
   * `keysId` names the set): nodes that differ only in other labels — every node has its own
   * kubernetes.io/hostname — are one class for it. Computed once per change of the node and key set.
   */
  classIdFor(keys: readonly string[], keysId: string): number {
    // Successive pods mostly ask with the same key set: remember the last answer.
    if (keysId === this.lastKeysId && this.lastId !== undefined) return this.lastId;
    let id = this.idsByKeys.get(keysId);
    if (id === undefined) {
      id = classId(`${this.baseKey()}\0${stableStringify(projectLabels(this.labels, keys))}`);
      this.idsByKeys.set(keysId, id);
    }
    this.lastKeysId = keysId;
    this.lastId = id;
    return id;
  }

  /** The view with only the given labels: what rules may see of the node when its class stands for it. */
  viewFor(keys: readonly string[]): NodeView {
    return { ...this.view(), labels: projectLabels(this.labels, keys) };
  }

  private baseKey(): string {
    if (this.cachedBaseKey === undefined) {
      const { labels: _ignored, ...rest } = this.view();
      this.cachedBaseKey = stableStringify(rest);
    }
    return this.cachedBaseKey;
  }

  allocatableOf(name: string): number {
    return this.allocatable[name] ?? 0;
  }

  get podCapacity(): number {
    return this.allocatable[PODS] ?? 0;
  }

  get cpuRequested(): number {
    return this.requested[CPU] ?? 0;
  }

  get memoryRequested(): number {
    return this.requested[MEMORY] ?? 0;
  }

  private invalidate(): void {
    this.cachedView = undefined;
    this.cachedBaseKey = undefined;
    this.idsByKeys.clear();
    this.lastId = undefined;
  }
}

export function projectLabels(
  labels: Readonly<Record<string, string>>,
  keys: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (k in labels) out[k] = labels[k];
  return out;
}

/** The zone a node is in, as kube-scheduler's node tree keys it (k8s:pkg/scheduler/backend/cache/node_tree.go). */
export function zoneKey(labels: Readonly<Record<string, string>>): string {
  // GetZoneKey (k8s:staging/src/k8s.io/component-helpers/node/topology/helpers.go) reads the beta labels first.
  const region =
    labels['failure-domain.beta.kubernetes.io/region'] ?? labels['topology.kubernetes.io/region'] ?? '';
  const zone =
    labels['failure-domain.beta.kubernetes.io/zone'] ?? labels['topology.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

/**
 * The order in which the scheduler visits nodes (k8s:pkg/scheduler/backend/cache/node_tree.go): zones in the
 * order they first appeared, nodes of a zone in the order they joined, listed round-robin across zones. A
 * node whose zone changes leaves its zone and joins the end of the new one; an emptied zone disappears.
 */
export class NodeTree {
  private readonly zones: string[] = [];
  private readonly tree = new Map<string, string[]>();
  private readonly zoneOf = new Map<string, string>();

  get size(): number {
    return this.zoneOf.size;
  }

  addNode(name: string, zone: string): void {
    const current = this.zoneOf.get(name);
    if (current === zone) return;
    if (current !== undefined) this.removeNode(name);
    const list = this.tree.get(zone);
    if (list) list.push(name);
    else {
      this.zones.push(zone);
      this.tree.set(zone, [name]);
    }
    this.zoneOf.set(name, zone);
  }

  removeNode(name: string): void {
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return;
    this.zoneOf.delete(name);
    const list = this.tree.get(zone) as string[];
    list.splice(list.indexOf(name), 1);
    if (list.length === 0) {
      this.tree.delete(zone);
      this.zones.splice(this.zones.indexOf(zone), 1);
    }
  }

  list(): string[] {
    const out: string[] = [];
    for (let i = 0; out.length < this.zoneOf.size; i++) {
      for (const zone of this.zones) {
        const list = this.tree.get(zone) as string[];
        if (i < list.length) out.push(list[i]);
      }
    }
    return out;
  }
}
