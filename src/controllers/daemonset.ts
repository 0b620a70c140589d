// The DaemonSet controller (k8s:pkg/controller/daemon/daemon_controller.go syncDaemonSet, manage,
// podsShouldBeOnNode, updateDaemonSetStatus; update.go rollingUpdate, constructHistory, cleanupHistory): one pod
// per node that should run one (./daemon-pods.ts), pinned to its node by node affinity and bound by the default
// scheduler; pods on nodes that should not run one are deleted; a changed template rolls out node by node within
// maxUnavailable (RollingUpdate) or when pods are deleted (OnDelete). Each sync claims its pods and its
// ControllerRevisions with its selector: orphans that match are adopted, its own that stopped matching released
// (getDaemonPods, controlledHistories).
import type { NodeCondition, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../api/apiserver';
import { sameJson } from '../api/apiserver';
import { type DaemonSetObject, TEMPLATE_GENERATION_ANNOTATION } from '../api/daemonsets';
import type { EventRecorder } from '../api/events';
import type { NodeObject } from '../api/nodes';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { ControlledObjects } from './controlled-objects';
import {
  createRevision,
  deleteRevision,
  REVISION_HASH_LABEL,
  type RevisionObject,
  revisionHash,
  sortRevisions,
} from './controller-history';
import { claimObjects, parseSelector } from './controller-ref-manager';
import {
  addDaemonPodTolerations,
  DaemonPlacement,
  isPodUpdated,
  pinToNode,
  TEMPLATE_GENERATION_LABEL,
  targetNodeName,
} from './daemon-pods';
import { createPod, deletePod, type PodControl, podFromTemplate } from './pod-control';
import { isPodAvailable, isPodReady, readySince } from './pod-states';

/** BurstReplicas: pods created or deleted by one sync at most. */
const BURST_REPLICAS = 250;
// NewDaemonSetsController's failedPodsBackoff (k8s:cmd/kube-controller-manager/app/apps.go): 1s doubling to 15m.
const FAILED_POD_BACKOFF = { initial: 1_000, max: 15 * 60_000 };

const COMPONENT = 'daemonset-controller';

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private readonly control: PodControl;
  private readonly placements = new WeakMap<PodTemplateSpec, DaemonPlacement>();
  private byNodeOfSync: Map<string, PodObject[]> | undefined;
  private readonly failedPodsBackoff = new Map<string, { delay: number; lastUpdate: number }>();

  constructor(
    private readonly store: Store,
    api: ApiServer,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly pods: ControlledObjects<PodObject>,
    private readonly revisions: ControlledObjects<RevisionObject>,
  ) {
    this.control = { api, recorder, component: COMPONENT };
    store.watch('DaemonSet', (_type, obj) => loop.enqueue(this, keyOf(obj)));
    // addPod, updatePod, deletePod: the pod's DaemonSet, or for an orphan every DaemonSet of its namespace that
    // selects it. A sync looks at every node: the pod changes of one instant are taken together.
    pods.onControlled('DaemonSet', (owner, namespace) =>
      loop.enqueueWhenIdle(this, `${namespace}/${owner.name}`),
    );
    pods.onOrphan((pod) => {
      for (const ds of this.store.list('DaemonSet', pod.metadata.namespace)) {
        const selector = parseSelector((ds as DaemonSetObject).spec?.selector);
        if (selector && !selector.isEmpty() && selector.matches(pod.metadata.labels)) {
          loop.enqueueWhenIdle(this, keyOf(ds));
        }
      }
    });
    store.watch('Node', (type, obj, old) =>
      this.nodeChanged(type, obj as NodeObject, old as NodeObject | undefined),
    );
  }

  // addNode / updateNode: only the DaemonSets whose verdict on the node changed are synced. Nodes that go away
  // are not watched: their pods are the pod garbage collector's.
  private nodeChanged(type: string, node: NodeObject, old: NodeObject | undefined): void {
    if (type === 'DELETED') return;
    const sets = this.store.list('DaemonSet') as DaemonSetObject[];
    if (sets.length === 0) return;
    if (type === 'MODIFIED' && old && ignorableNodeUpdate(old, node)) return;
    for (const ds of sets) {
      const placement = this.placementOf(ds);
      const now = placement.on(node);
      if (type === 'ADDED') {
        if (now.shouldRun) this.loop.enqueue(this, keyOf(ds));
        continue;
      }
      const before = placement.on(old as NodeObject);
      if (before.shouldRun !== now.shouldRun || before.shouldContinueRunning !== now.shouldContinueRunning) {
        this.loop.enqueue(this, keyOf(ds));
      }
    }
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const ds = this.store.get('DaemonSet', namespace, name) as DaemonSetObject | undefined;
    if (!ds?.spec || ds.metadata.deletionTimestamp) return;
    const selector = ds.spec.selector;
    if (
      selector &&
      Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0
    ) {
      this.recorder.record(
        ds,
        'Warning',
        'SelectingAll',
        'This daemon set is selecting all pods. A non-empty selector is required.',
        { component: COMPONENT },
      );
      return;
    }
    // getDaemonPods: a selector that does not parse stops the sync.
    if (!parseSelector(selector)) return;
    this.byNodeOfSync = undefined;
    const nodes = this.store.list('Node') as NodeObject[];
    const placement = this.placementOf(ds);
    const { current, old } = await this.constructHistory(ds);
    const hash = current.metadata.labels?.[REVISION_HASH_LABEL] as string;
    const changed = await this.manage(ds, nodes, placement, hash);
    // The rolling update waits until the pods manage created or deleted have been observed (expectations): a
    // later sync, here the one those pod changes trigger.
    if (!changed && ds.spec.updateStrategy?.type === 'RollingUpdate') {
      await this.rollingUpdate(ds, nodes, placement, hash);
    }
    await this.cleanupHistory(ds, old);
    this.writeStatus(ds, nodes, placement, hash);
  }

  /** The placement of a template, kept while the DaemonSet object (and so its template) is the same. */
  private placementOf(ds: DaemonSetObject): DaemonPlacement {
    const template = ds.spec?.template as PodTemplateSpec;
    let placement = this.placements.get(template);
    if (!placement) {
      placement = new DaemonPlacement(template);
      this.placements.set(template, placement);
    }
    return placement;
  }

  // getDaemonPods and controlledHistories: ClaimPods and ClaimControllerRevisions over the DaemonSet's own
  // objects and the orphans of its namespace.
  private claim<T extends KubeObject>(ds: DaemonSetObject, index: ControlledObjects<T>): T[] {
    const selector = parseSelector(ds.spec?.selector);
    if (!selector) return [];
    return claimObjects({
      store: this.store,
      controller: ds,
      matches: (labels) => selector.matches(labels),
      objects: index.ownedOrOrphaned(ds.metadata.uid as string, ds.metadata.namespace as string),
    });
  }

  // getNodesToDaemonPods: the claimed pods by target node, read once per sync and again only after the sync
  // changed them.
  private podsByNode(ds: DaemonSetObject): Map<string, PodObject[]> {
    if (this.byNodeOfSync) return this.byNodeOfSync;
    const byNode = new Map<string, PodObject[]>();
    this.byNodeOfSync = byNode;
    for (const pod of this.claim(ds, this.pods)) {
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      const list = byNode.get(node);
      if (list) list.push(pod);
      else byNode.set(node, [pod]);
    }
    return byNode;
  }

  // manage: create the missing pods and delete the ones that should not be there.
  private async manage(
    ds: DaemonSetObject,
    nodes: NodeObject[],
    placement: DaemonPlacement,
    hash: string,
  ): Promise<boolean> {
    const byNode = this.podsByNode(ds);
    const create: string[] = [];
    const remove: PodObject[] = [];
    for (const node of nodes) {
      const verdict = placement.on(node);
      const name = node.metadata.name as string;
      const pods = byNode.get(name) ?? [];
      if (verdict.shouldRun && pods.length === 0) create.push(name);
      else if (verdict.shouldContinueRunning) {
        const excess = this.excessOnNode(ds, name, pods, hash, verdict.shouldRun);
        remove.push(...excess.remove);
        if (excess.create) create.push(name);
      } else remove.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
    }
    // getUnscheduledPodsWithoutNode: pods pinned to a node that no longer exists, never scheduled.
    const existing = new Set(nodes.map((n) => n.metadata.name));
    for (const [node, pods] of byNode) {
      if (!existing.has(node)) remove.push(...pods.filter((p) => !p.spec?.nodeName));
    }
    await this.syncNodes(ds, create, remove, hash);
    return create.length + remove.length > 0;
  }

  // podsShouldBeOnNode, shouldContinueRunning: a finished pod is deleted (a failed one within the failed-pods
  // back-off), and without surge only the oldest running pod stays.
  private excessOnNode(
    ds: DaemonSetObject,
    node: string,
    pods: PodObject[],
    hash: string,
    shouldRun: boolean,
  ): { remove: PodObject[]; create: boolean } {
    const remove: PodObject[] = [];
    const running: PodObject[] = [];
    const now = this.store.clock.now();
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const phase = pod.status?.phase;
      const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (phase === 'Failed') {
        const backoffKey = `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${node}`;
        const delay = this.inBackoff(backoffKey, now);
        if (delay !== undefined) {
          this.loop.schedule(this, keyOf(ds), now + delay);
          continue;
        }
        this.event(
          ds,
          'Warning',
          'FailedDaemonPod',
          `Found failed daemon pod ${ref} on node ${node}, will try to kill it`,
        );
        remove.push(pod);
      } else if (phase === 'Succeeded') {
        this.event(
          ds,
          'Normal',
          'SucceededDaemonPod',
          `Found succeeded daemon pod ${ref} on node ${node}, will try to delete it`,
        );
        remove.push(pod);
      } else running.push(pod);
    }
    running.sort(byCreationTimestampAndPhase);
    if (surgeCount(ds, 1) === 0) {
      if (running.length > 1) remove.push(...running.slice(1));
      return { remove, create: false };
    }
    // With surge a node may keep two pods: the oldest old one while it is ready and the oldest new one is not
    // yet available. The rest go; when neither is ready only the new one stays.
    if (running.length <= 1) return { remove, create: running.length === 0 && shouldRun };
    let oldestNew: PodObject | undefined;
    let oldestOld: PodObject | undefined;
    for (const pod of running) {
      const updated = pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;
      if (updated && !oldestNew) oldestNew = pod;
      else if (!updated && !oldestOld) oldestOld = pod;
      else remove.push(pod);
    }
    if (oldestNew && oldestOld) {
      const minReady = ds.spec?.minReadySeconds ?? 0;
      if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now)) remove.push(oldestOld);
    }
    return { remove, create: false };
  }

  // syncNodes: at most BurstReplicas creations and deletions per sync; each new pod is pinned to its node.
  private async syncNodes(
    ds: DaemonSetObject,
    nodes: string[],
    remove: PodObject[],
    hash: string,
  ): Promise<void> {
    const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
    const template = structuredClone(ds.spec?.template ?? {});
    template.spec ??= { containers: [] };
    addDaemonPodTolerations(template.spec);
    const labels: Record<string, string> = { [REVISION_HASH_LABEL]: hash };
    if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
    for (const node of nodes.slice(0, BURST_REPLICAS)) {
      const pod = podFromTemplate({ template, owner: ds, labels });
      (pod.spec as NonNullable<PodObject['spec']>).affinity = pinToNode(pod.spec?.affinity, node);
      await createPod(this.control, ds, pod);
    }
    for (const pod of remove.slice(0, BURST_REPLICAS)) await deletePod(this.control, ds, pod);
    if (nodes.length + remove.length > 0) this.byNodeOfSync = undefined;
  }

  // rollingUpdate: the nodes in the node list's order (Go walks its node-to-pods map in random order), the nodes
  // that should run a pod included even without one.
  private async rollingUpdate(
    ds: DaemonSetObject,
    nodes: NodeObject[],
    placement: DaemonPlacement,
    hash: string,
  ) {
    const byNode = this.podsByNode(ds);
    const ordered = new Map<string, PodObject[]>();
    const runs = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata.name as string;
      const shouldRun = placement.on(node).shouldRun;
      if (shouldRun) runs.add(name);
      if (shouldRun || byNode.has(name)) ordered.set(name, byNode.get(name) ?? []);
    }
    for (const [name, pods] of byNode) if (!ordered.has(name)) ordered.set(name, pods);
    const maxSurge = surgeCount(ds, runs.size);
    if (maxSurge > 0) await this.surgingUpdate(ds, ordered, runs, hash, maxSurge);
    else await this.replacingUpdate(ds, ordered, hash, unavailableCount(ds, runs.size));
  }

  // Without surge: old pods that are not available are replaced at once; available ones while fewer than
  // maxUnavailable of the nodes are unavailable.
  private async replacingUpdate(
    ds: DaemonSetObject,
    byNode: Map<string, PodObject[]>,
    hash: string,
    maxUnavailable: number,
  ) {
    const now = this.store.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
    let unavailable = 0;
    const replace: PodObject[] = [];
    const candidates: PodObject[] = [];
    for (const [, pods] of byNode) {
      const { newPod, oldPod, ok } = podsOnNode(pods, hash, generation);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) {
        unavailable += 1;
        continue;
      }
      if (newPod) {
        if (!isPodAvailable(newPod, minReady, now)) unavailable += 1;
        continue;
      }
      const old = oldPod as PodObject;
      if (!isPodAvailable(old, minReady, now)) {
        replace.push(old);
        unavailable += 1;
      } else if (unavailable < maxUnavailable) candidates.push(old);
    }
    const room = Math.min(Math.max(maxUnavailable - unavailable, 0), candidates.length);
    await this.syncNodes(ds, [], [...replace, ...candidates.slice(0, room)], hash);
  }

  // With surge: a new pod is created next to an old one (at once when the old one is not available, otherwise
  // while fewer than maxSurge new pods are not yet available); the old pod goes once the new one is available.
  private async surgingUpdate(
    ds: DaemonSetObject,
    byNode: Map<string, PodObject[]>,
    runs: Set<string>,
    hash: string,
    maxSurge: number,
  ) {
    const now = this.store.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
    let surging = 0;
    const remove: PodObject[] = [];
    const allowed: string[] = [];
    const candidates: string[] = [];
    for (const [node, pods] of byNode) {
      const { newPod, oldPod, ok } = podsOnNode(pods, hash, generation);
      if (!ok) {
        surging += 1;
        continue;
      }
      if (!oldPod || !runs.has(node)) continue;
      if (newPod) {
        if (isPodAvailable(newPod, minReady, now)) remove.push(oldPod);
        else surging += 1;
      } else if (!isPodAvailable(oldPod, minReady, now)) allowed.push(node);
      else if (surging < maxSurge) candidates.push(node);
    }
    const room = Math.min(Math.max(maxSurge - surging, 0), candidates.length);
    await this.syncNodes(ds, [...allowed, ...candidates.slice(0, room)], remove, hash);
  }

  // constructHistory: the revision matching the template (created if new, renumbered as the newest if old).
  private async constructHistory(
    ds: DaemonSetObject,
  ): Promise<{ current: RevisionObject; old: RevisionObject[] }> {
    const data = templatePatch(ds);
    const all = sortRevisions(this.claim(ds, this.revisions));
    const matching = all.filter((r) => sameJson(r.data, data));
    const old = all.filter((r) => !matching.includes(r));
    const currentRevision = Math.max(0, ...old.map((r) => r.revision)) + 1;
    if (matching.length === 0) {
      const template = ds.spec?.template ?? {};
      const { revision } = await createRevision(this.control.api, {
        owner: ds,
        labels: (hash) => ({ ...(template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash }),
        data,
        revision: currentRevision,
        hash: (count) => revisionHash(template, count),
        collisionCount: ds.status?.collisionCount ?? 0,
      });
      return { current: revision, old };
    }
    // dedupCurHistories: the newest of equal revisions is kept.
    const current = matching[matching.length - 1];
    for (const extra of matching.slice(0, -1)) await deleteRevision(this.control.api, extra);
    if (current.revision < currentRevision) {
      const renumbered = this.store.mutate<RevisionObject>(
        'ControllerRevision',
        current.metadata.namespace,
        current.metadata.name as string,
        (r) => {
          r.revision = currentRevision;
        },
      );
      return { current: renumbered ?? current, old };
    }
    return { current, old };
  }

  // cleanupHistory: old revisions no pod uses are deleted, oldest first, down to revisionHistoryLimit.
  private async cleanupHistory(ds: DaemonSetObject, old: RevisionObject[]): Promise<void> {
    const toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
    if (toKill <= 0) return;
    const liveHashes = new Set(
      [...this.podsByNode(ds).values()].flat().map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]),
    );
    let left = toKill;
    for (const r of old) {
      if (left <= 0) break;
      if (liveHashes.has(r.metadata.labels?.[REVISION_HASH_LABEL])) continue;
      await deleteRevision(this.control.api, r);
      left -= 1;
    }
  }

  // updateDaemonSetStatus: counted per node from the oldest of its pods.
  private writeStatus(
    ds: DaemonSetObject,
    nodes: NodeObject[],
    placement: DaemonPlacement,
    hash: string,
  ): void {
    const byNode = this.podsByNode(ds);
    const now = this.store.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const node of nodes) {
      const pods = byNode.get(node.metadata.name as string) ?? [];
      if (!placement.on(node).shouldRun) {
        if (pods.length > 0) misscheduled += 1;
        continue;
      }
      desired += 1;
      if (pods.length === 0) continue;
      current += 1;
      const pod = [...pods].sort(byCreationTimestampAndPhase)[0];
      if (isPodReady(pod)) {
        ready += 1;
        if (isPodAvailable(pod, minReady, now)) available += 1;
        else this.wakeWhenAvailable(ds, pod, minReady);
      }
      if (isPodUpdated(pod, hash, generation)) updated += 1;
    }
    const status = {
      ...(ds.status ?? {}),
      observedGeneration: ds.metadata.generation,
      desiredNumberScheduled: desired,
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
    };
    // numberAvailable, numberUnavailable and updatedNumberScheduled are omitted when 0.
    for (const key of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled'] as const) {
      if (!status[key]) delete status[key];
    }
    if (sameJson(status, ds.status)) return;
    this.store.mutate<DaemonSetObject>(
      'DaemonSet',
      ds.metadata.namespace,
      ds.metadata.name as string,
      (d) => {
        d.status = status;
      },
    );
  }

  private wakeWhenAvailable(ds: DaemonSetObject, pod: PodObject, minReady: number): void {
    const since = readySince(pod);
    if (since !== undefined) this.loop.schedule(this, keyOf(ds), since + minReady * 1000);
  }

  // flowcontrol.Backoff IsInBackOffSinceUpdate, then Next: the current window while in back-off; otherwise the
  // window opens (or doubles, up to the cap; an entry idle for twice the cap starts over).
  private inBackoff(key: string, now: number): number | undefined {
    const entry = this.failedPodsBackoff.get(key);
    const expired = !entry || now - entry.lastUpdate > FAILED_POD_BACKOFF.max * 2;
    // The set is looked at again a whole window later, as enqueueDaemonSetAfter(ds, Get(key)) does.
    if (entry && !expired && now - entry.lastUpdate < entry.delay) return entry.delay;
    const delay = expired ? FAILED_POD_BACKOFF.initial : Math.min(entry.delay * 2, FAILED_POD_BACKOFF.max);
    this.failedPodsBackoff.set(key, { delay, lastUpdate: now });
    return undefined;
  }

  private event(ds: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.record(ds, type, reason, message, { component: COMPONENT });
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

/** getPatch: the template as a patch that replaces it. */
function templatePatch(ds: DaemonSetObject): unknown {
  return { spec: { template: { ...structuredClone(ds.spec?.template ?? {}), $patch: 'replace' } } };
}

// findUpdatedPodsOnNode: at most one new and one old pod, ignoring those being deleted.
function podsOnNode(pods: PodObject[], hash: string, generation: string | undefined) {
  let newPod: PodObject | undefined;
  let oldPod: PodObject | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { newPod, oldPod, ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { newPod, oldPod, ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

// UnavailableCount and SurgeCount: scaled against the nodes that should run a pod, percentages rounded up.
function scaled(value: number | string | undefined, desired: number): number {
  return typeof value === 'string' ? Math.ceil((Number.parseInt(value, 10) * desired) / 100) : (value ?? 0);
}

/** SurgeCount: 0 unless a RollingUpdate asks for surge. */
function surgeCount(ds: DaemonSetObject, desired: number): number {
  const strategy = ds.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') return 0;
  return scaled(strategy.rollingUpdate?.maxSurge as number | string | undefined, desired);
}

// updatedDesiredNodeCounts: with neither unavailability nor surge allowed, one node at a time still moves.
function unavailableCount(ds: DaemonSetObject, desired: number): number {
  const unavailable = scaled(
    ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable as number | string | undefined,
    desired,
  );
  return desired > 0 && unavailable === 0 && surgeCount(ds, desired) === 0 ? 1 : unavailable;
}

/** podByCreationTimestampAndPhase: scheduled pods first, then the oldest, then by name. */
function byCreationTimestampAndPhase(a: PodObject, b: PodObject): number {
  const aBound = a.spec?.nodeName ? 0 : 1;
  const bBound = b.spec?.nodeName ? 0 : 1;
  if (aBound !== bBound) return aBound - bBound;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '');
  const tb = Date.parse(b.metadata.creationTimestamp ?? '');
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

// shouldIgnoreNodeUpdate: a change of anything but the node's conditions (and its resourceVersion), or of which
// of its conditions are True, may change where daemon pods go.
function ignorableNodeUpdate(old: NodeObject, node: NodeObject): boolean {
  const trueTypes = (conditions: NodeCondition[] | undefined) =>
    (conditions ?? [])
      .filter((c) => c.status === 'True')
      .map((c) => c.type)
      .sort()
      .join(',');
  if (trueTypes(old.status?.conditions) !== trueTypes(node.status?.conditions)) return false;
  const strip = (n: NodeObject) => ({
    ...n,
    metadata: { ...n.metadata, resourceVersion: undefined },
    status: { ...(n.status ?? {}), conditions: undefined },
  });
  return sameJson(strip(old), strip(node));
}
