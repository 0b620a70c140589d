// The kubelets of all nodes. Each pod bound to a node gets a pod worker (./pod-worker.ts) that runs its
// containers in virtual time as k8s:pkg/kubelet/kubelet.go SyncPod / SyncTerminatingPod do: admission, start
// (image, create, start events), exits and restarts with the crash-loop back-off of kuberuntime_manager.go
// doBackOff, OOM kills, graceful termination, and the final delete of the status manager
// (k8s:pkg/kubelet/status/status_manager.go). Work is per pod and per change: a pod is synced when it changes or
// when one of its own timers fires, never by scanning the others.
import type { Pod } from 'kubernetes-types/core/v1';
import { sameJson } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import type { NodeObject } from '../api/nodes';
import type { KubeObject } from '../api/object';
import { podQOSClass } from '../api/pod-resources';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import { tolerationsTolerateTaint } from '../api/taints';
import { formatGoDuration } from '../report/timeline';
import type { Evaluator } from '../rules/evaluate';
import { parseDuration } from '../sim/clock';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';
import type { KubernetesVersion } from '../sim/version';
import {
  createdMessage,
  formatPod,
  imagePresentMessage,
  killingMessage,
  pulledMessage,
  pullingMessage,
  REASON,
  startedMessage,
} from './kubelet-events';
import { PodIPAllocator } from './pod-ips';
import { type ContainerRun, type Eviction, PodWorker } from './pod-worker';
import type { RestartContext } from './restart-rules';
import { effectiveGracePeriod, planStop, SIGKILL_EXIT_CODE } from './termination';
import { missingVolumeSources } from './volume-mounts';
import { type ContainerWorkload, containerWorkloads } from './workload';

/** Exit code and reason the runtime reports for a container the kernel's OOM killer stopped. */
const OOM_KILLED = { exitCode: SIGKILL_EXIT_CODE, reason: 'OOMKilled' };
/** Transitions one sync may apply before it yields, so that a container that dies as it starts cannot hang it. */
const MAX_TRANSITIONS_PER_SYNC = 100;

export interface KubeletHooks {
  /** The memory the pods of a node use changed (the eviction manager looks again). */
  usageChanged(node: string): void;
  /** Whether the node's eviction manager reports MemoryPressure, for admission. */
  underMemoryPressure(node: string): boolean;
}

export class Kubelets implements Controller {
  readonly name = 'kubelet';
  private readonly ips = new PodIPAllocator();
  private readonly workers = new Map<string, PodWorker>();
  /** The pods bound to each node. */
  private readonly podsByNode = new Map<string, Set<string>>();
  /** Nodes whose kubelet stopped responding, with the time of its last lease renewal. */
  private readonly silent = new Map<string, number>();
  /** Pods the API no longer has, as last seen, so that their containers can still be stopped by name. */
  private readonly gone = new Map<string, PodObject>();
  hooks: KubeletHooks = { usageChanged: () => {}, underMemoryPressure: () => false };

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly version: () => KubernetesVersion,
    private readonly restartRules: () => Evaluator,
    private readonly trace: DecisionTrace,
  ) {
    store.watch('Pod', (type, obj, old) => {
      const pod = obj as PodObject;
      const node = pod.spec?.nodeName;
      if (!node) return;
      const key = keyOf(pod);
      if (type === 'DELETED') {
        if (this.workers.has(key)) {
          this.gone.set(key, pod);
          this.loop.enqueue(this, key);
        } else this.podsByNode.get(node)?.delete(key);
        return;
      }
      // The kubelet's own status write is no news to it.
      if (this.workers.get(key)?.lastWrite === pod.metadata.resourceVersion) return;
      if (old && (old as PodObject).spec?.nodeName === node && sameWorkload(pod, old as PodObject)) {
        if (!pod.metadata.deletionTimestamp && !(old as PodObject).metadata.deletionTimestamp) {
          if (this.workers.has(key)) return;
        }
      }
      let keys = this.podsByNode.get(node);
      if (!keys) {
        keys = new Set();
        this.podsByNode.set(node, keys);
      }
      keys.add(key);
      this.loop.enqueue(this, key);
    });
  }

  // ---- the node's kubelet as a whole -------------------------------------------------------------

  /** A node got its pod range: start the pods that were waiting for it. */
  nodeReady(nodeName: string): void {
    this.wakeAll(nodeName);
  }

  podsOn(nodeName: string): readonly string[] {
    return [...(this.podsByNode.get(nodeName) ?? [])];
  }

  worker(key: string): PodWorker | undefined {
    return this.workers.get(key);
  }

  /**
   * The kubelet stops reaching the API server (a partition, a crash): its lease is not renewed after the last
   * renewal, which happens every 10 seconds from the cluster's start (k8s:pkg/kubelet/nodelease renewInterval).
   */
  stopResponding(nodeName: string): void {
    if (this.silent.has(nodeName)) return;
    const epoch = this.store.clock.now() - this.store.clock.elapsed();
    const since = this.store.clock.elapsed();
    this.silent.set(nodeName, epoch + Math.floor(since / LEASE_RENEW_INTERVAL) * LEASE_RENEW_INTERVAL);
  }

  /** Back in touch: it posts its node status at once and catches up with its pods. */
  resumeResponding(nodeName: string): void {
    if (!this.silent.delete(nodeName)) return;
    this.postReady(nodeName, true);
    this.wakeAll(nodeName);
    this.hooks.usageChanged(nodeName);
  }

  /** undefined while the kubelet renews its lease; otherwise the time of its last renewal. */
  lastLeaseRenewal(nodeName: string): number | undefined {
    return this.silent.get(nodeName);
  }

  responding(nodeName: string): boolean {
    return !this.silent.has(nodeName);
  }

  /**
   * The kubelet's Ready condition (k8s:pkg/kubelet/nodestatus/setters.go ReadyCondition): a runtime whose network
   * plugin is not ready makes it False.
   */
  postReady(nodeName: string, ready: boolean): void {
    const message = ready
      ? 'kubelet is posting ready status'
      : 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
    this.postCondition(
      nodeName,
      'Ready',
      ready ? 'True' : 'False',
      ready ? 'KubeletReady' : 'KubeletNotReady',
      message,
      ready ? 'NodeReady' : 'NodeNotReady',
    );
  }

  /** setters.go MemoryPressureCondition, as the eviction manager reports it. */
  postMemoryPressure(nodeName: string, pressure: boolean): void {
    this.postCondition(
      nodeName,
      'MemoryPressure',
      pressure ? 'True' : 'False',
      pressure ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory',
      pressure ? 'kubelet has insufficient memory available' : 'kubelet has sufficient memory available',
      pressure ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory',
    );
  }

  private postCondition(
    nodeName: string,
    type: string,
    status: string,
    reason: string,
    message: string,
    event: string,
  ): void {
    if (!this.responding(nodeName)) return;
    const node = this.store.get('Node', undefined, nodeName) as NodeObject | undefined;
    if (!node) return;
    const now = this.store.clock.timestamp();
    const current = node.status?.conditions?.find((c) => c.type === type);
    if (current?.status === status && current.reason === reason) return;
    const updated = this.store.mutate<NodeObject>('Node', undefined, nodeName, (n) => {
      const conditions = (n.status?.conditions ?? []).map((c) => {
        // A kubelet that was silent reposts every condition it owns with a fresh heartbeat.
        const fresh = c.status === 'Unknown' && type === 'Ready' ? kubeletDefault(c.type) : undefined;
        if (c.type === type)
          return {
            ...c,
            status,
            reason,
            message,
            lastHeartbeatTime: now,
            lastTransitionTime: c.status === status ? c.lastTransitionTime : now,
          };
        if (fresh) return { ...c, ...fresh, lastHeartbeatTime: now, lastTransitionTime: now };
        return c;
      });
      n.status = { ...(n.status ?? {}), conditions };
    });
    if (updated && current?.status !== status) {
      this.recorder.record(updated, 'Normal', event, `Node ${nodeName} status is now: ${event}`, {
        component: 'kubelet',
        host: nodeName,
      });
    }
  }

  private wakeAll(nodeName: string): void {
    for (const key of this.podsByNode.get(nodeName) ?? []) this.loop.enqueue(this, key);
  }

  // ---- pods ----------------------------------------------------------------------------------------

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const pod = this.store.get('Pod', namespace, name) as PodObject | undefined;
    let worker = this.workers.get(key);
    if (worker && (!pod || pod.metadata.uid !== worker.uid)) {
      if (!this.responding(worker.node) && !pod) return; // it learns of the removal once it is back
      this.forget(worker);
      worker = undefined;
    }
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || !this.responding(nodeName)) return;
    if (!worker) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return;
      if (pod.metadata.deletionTimestamp) {
        // Nothing was started: there is nothing to stop before the kubelet's final delete.
        this.store.remove('Pod', namespace, name);
        return;
      }
      worker = new PodWorker(key, pod.metadata.uid as string, nodeName, pod, this.store.clock.now());
      this.workers.set(key, worker);
    }
    await this.sync(worker, pod);
  }

  private async sync(w: PodWorker, pod: PodObject): Promise<void> {
    const workloads = containerWorkloads(pod);
    const usageBefore = w.usage(workloads);
    if (!w.started && !w.finished) {
      const admitted = this.admit(w, pod);
      if (!admitted) {
        this.write(w, pod, workloads);
        if (w.finished) this.workers.delete(w.key);
        return;
      }
      if (!pod.metadata.deletionTimestamp && !this.volumesMounted(w, pod)) {
        this.write(w, pod, workloads);
        return;
      }
      this.start(w, pod);
    }
    if (pod.metadata.deletionTimestamp && !w.finished) {
      const grace = effectiveGracePeriod(pod.metadata.deletionGracePeriodSeconds ?? 0);
      if (!w.terminating || grace < w.terminating.grace) this.kill(w, pod, workloads, grace, true);
    }
    let transitions = 0;
    for (let next = this.due(w, workloads); next; next = this.due(w, workloads)) {
      if (++transitions > MAX_TRANSITIONS_PER_SYNC) {
        this.loop.enqueue(this, w.key);
        break;
      }
      await this.apply(w, pod, next.container, next.kind, next.at, workloads);
    }
    if (!w.finished && w.started && w.containers.every((c) => c.state === 'terminated')) this.finish(w);
    const live = this.write(w, pod, workloads);
    this.scheduleWake(w, workloads);
    if (w.usage(workloads) !== usageBefore || w.finished) this.hooks.usageChanged(w.node);
    if (!w.finished) return;
    this.workers.delete(w.key);
    if (w.terminating?.deletion && live) {
      this.podsByNode.get(w.node)?.delete(w.key);
      this.store.remove('Pod', pod.metadata.namespace, pod.metadata.name as string);
    }
  }

  /** What happens next to one of the pod's containers, if it is due by now. */
  private due(
    w: PodWorker,
    workloads: ReadonlyMap<string, ContainerWorkload>,
  ): { container: ContainerRun; kind: 'exit' | 'oom' | 'stop' | 'restart'; at: number } | undefined {
    const now = this.store.clock.now();
    let best: { container: ContainerRun; kind: 'exit' | 'oom' | 'stop' | 'restart'; at: number } | undefined;
    const consider = (container: ContainerRun, kind: 'exit' | 'oom' | 'stop' | 'restart', at: number) => {
      if (at <= now && (!best || at < best.at)) best = { container, kind, at };
    };
    for (const c of w.containers) {
      const load = workloads.get(c.name);
      if (c.state === 'running') {
        if (c.stopAt !== undefined) consider(c, 'stop', c.stopAt);
        else {
          if (c.memoryLimit !== undefined && (load?.memory ?? 0) > c.memoryLimit) consider(c, 'oom', now);
          if (load?.exitAfter !== undefined) consider(c, 'exit', c.startedAt + load.exitAfter);
        }
      } else if (c.state === 'backoff' && c.restartAt !== undefined) consider(c, 'restart', c.restartAt);
    }
    return best;
  }

  private async apply(
    w: PodWorker,
    pod: PodObject,
    c: ContainerRun,
    kind: 'exit' | 'oom' | 'stop' | 'restart',
    at: number,
    workloads: ReadonlyMap<string, ContainerWorkload>,
  ): Promise<void> {
    switch (kind) {
      case 'stop':
        w.exit(c, c.stopExitCode ?? 0, c.stopExitCode === 0 ? 'Completed' : 'Error', at);
        return;
      case 'restart':
        // doBackOff once the window has passed: the back-off grows, and the container starts again.
        c.backoff?.next(c.name, c.last?.finishedAt ?? at, this.store.clock.now());
        this.startContainer(w, pod, c);
        return;
      case 'oom':
        w.exit(c, OOM_KILLED.exitCode, OOM_KILLED.reason, at);
        break;
      case 'exit': {
        const code = workloads.get(c.name)?.exitCode ?? 0;
        w.exit(c, code, code === 0 ? 'Completed' : 'Error', at);
        break;
      }
    }
    await this.afterExit(w, pod, c);
  }

  // computePodActions and doBackOff: whether and when an exited container starts again.
  private async afterExit(w: PodWorker, pod: PodObject, c: ContainerRun): Promise<void> {
    const last = c.last;
    if (!last || w.terminating) return;
    const context: RestartContext = {
      restartPolicy: pod.spec?.restartPolicy ?? 'Always',
      containerName: c.name,
      exitCode: last.exitCode,
      reason: last.reason,
      restartCount: c.restartCount,
      ranForSeconds: Math.floor((last.finishedAt - last.startedAt) / 1000),
      version: this.version(),
    };
    const decision = await this.restartRules().evaluate(context);
    const restart = decision.events.some((e) => e.type === 'restart');
    const backoff = decision.events.find((e) => e.type === 'backoff');
    const now = this.store.clock.now();
    let outcome: string;
    if (!restart) {
      outcome = 'not restarted';
    } else if (!backoff) {
      outcome = 'restarted at once';
      this.startContainer(w, pod, c);
    } else {
      const b = w.backoffFor(
        c,
        parseDuration(String(backoff.params.initial)),
        parseDuration(String(backoff.params.max)),
      );
      if (b.isInBackOffSince(c.name, last.finishedAt, now)) {
        c.state = 'backoff';
        c.restartAt = last.finishedAt + b.get(c.name);
        const podRef = formatPod(pod.metadata.name as string, pod.metadata.namespace as string, w.uid);
        c.backoffMessage = `back-off ${formatGoDuration(b.get(c.name))} restarting failed container=${c.name} pod=${podRef}`;
        this.event(
          w,
          pod,
          'Warning',
          REASON.backOff,
          `Back-off restarting failed container ${c.name} in pod ${podRef}`,
        );
        outcome = `restart after the back-off, at ${this.store.clock.timestamp(c.restartAt)}`;
      } else {
        b.next(c.name, last.finishedAt, now);
        this.startContainer(w, pod, c);
        outcome = 'restarted at once';
      }
    }
    this.trace.add({
      kind: 'decision',
      time: now,
      subject: `container ${c.name} of pod ${w.key} (${last.reason}, exit code ${last.exitCode})`,
      decision,
      outcome,
    });
  }

  // ---- admission, start, kill ------------------------------------------------------------------

  // k8s:pkg/kubelet/kubelet.go HandlePodAdditions (canAdmitPod) and the eviction manager's Admit
  // (k8s:pkg/kubelet/eviction/eviction_manager.go): under memory pressure only BestEffort pods that tolerate it
  // are refused; a node without its pod range keeps the pod ContainerCreating.
  private admit(w: PodWorker, pod: PodObject): boolean {
    const node = this.store.get('Node', undefined, w.node) as NodeObject | undefined;
    if (!node) return false;
    w.hostIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (this.hooks.underMemoryPressure(w.node) && podQOSClass(pod as Pod) === 'BestEffort') {
      const tolerated = tolerationsTolerateTaint(pod.spec?.tolerations ?? [], {
        key: 'node.kubernetes.io/memory-pressure',
        effect: 'NoSchedule',
      });
      if (!tolerated) {
        const message = 'The node had condition: [MemoryPressure]. ';
        this.event(w, pod, 'Warning', REASON.evicted, message);
        w.eviction = { reason: 'Evicted', message: `Pod was rejected: ${message}` };
        w.finished = true;
        return false;
      }
    }
    return node.spec?.podCIDR !== undefined;
  }

  // The volume manager (k8s:pkg/kubelet/volumemanager): a ConfigMap or Secret volume whose object is missing
  // keeps the pod ContainerCreating with a FailedMount event, retried with the operation executor's
  // exponential back-off (k8s:pkg/util/goroutinemap/exponentialbackoff: 500 ms doubling, at most 2m2s).
  private volumesMounted(w: PodWorker, pod: PodObject): boolean {
    const missing = missingVolumeSources(pod, this.store);
    if (missing.length === 0) return true;
    for (const m of missing) this.event(w, pod, 'Warning', 'FailedMount', m.message);
    w.mountRetryMs = Math.min((w.mountRetryMs ?? MOUNT_RETRY_INITIAL_MS / 2) * 2, MOUNT_RETRY_MAX_MS);
    this.loop.schedule(this, w.key, this.store.clock.now() + w.mountRetryMs);
    return false;
  }

  private start(w: PodWorker, pod: PodObject): void {
    const node = this.store.get('Node', undefined, w.node) as NodeObject;
    w.started = true;
    w.podIP = this.ips.allocate(w.node, node.spec?.podCIDR as string);
    for (const c of w.containers) this.startContainer(w, pod, c);
  }

  // startContainer: the image (treated as cached: kubespec pulls in no time), create, start.
  private startContainer(w: PodWorker, pod: PodObject, c: ContainerRun): void {
    const v = this.version();
    const spec = pod.spec?.containers?.[c.index];
    if (spec?.imagePullPolicy === 'Always') {
      this.event(w, pod, 'Normal', REASON.pulling, pullingMessage(c.image));
      this.event(w, pod, 'Normal', REASON.pulled, pulledMessage(c.image));
    } else {
      this.event(w, pod, 'Normal', REASON.pulled, imagePresentMessage(c.image, v));
    }
    this.event(w, pod, 'Normal', REASON.created, createdMessage(c.name, v));
    w.run(c, this.store.clock.now());
    this.event(w, pod, 'Normal', REASON.started, startedMessage(c.name, v));
  }

  /** killPod with `grace` seconds: every running container is told to stop (Killing), the rest stay as they are. */
  private kill(
    w: PodWorker,
    pod: PodObject,
    workloads: ReadonlyMap<string, ContainerWorkload>,
    grace: number,
    deletion: boolean,
  ): void {
    const now = this.store.clock.now();
    w.terminating = { grace, deletion: deletion || (w.terminating?.deletion ?? false) };
    for (const c of w.containers) {
      if (c.state === 'backoff') {
        c.state = 'terminated';
        c.restartAt = undefined;
      }
      if (c.state === 'creating') c.state = 'terminated';
      if (c.state !== 'running') continue;
      const spec = pod.spec?.containers?.[c.index] ?? { name: c.name };
      this.event(w, pod, 'Normal', REASON.killing, killingMessage(c.name));
      const plan = planStop(spec, grace, workloads.get(c.name)?.shutdownAfter);
      const at = now + plan.exitAfter;
      if (c.stopAt === undefined || at < c.stopAt) {
        c.stopAt = at;
        c.stopExitCode = plan.exitCode;
      }
    }
  }

  /** The eviction manager's evictPod: the Evicted event, the pod's verdict, and a kill with its grace period. */
  async evict(key: string, eviction: Eviction, graceSeconds: number): Promise<boolean> {
    const w = this.workers.get(key);
    const [namespace, name] = key.split('/');
    const pod = this.store.get('Pod', namespace, name) as PodObject | undefined;
    if (!w || !pod || w.finished) return false;
    this.event(w, pod, 'Warning', REASON.evicted, eviction.message);
    w.eviction = eviction;
    this.kill(w, pod, containerWorkloads(pod), effectiveGracePeriod(graceSeconds), false);
    await this.sync(w, pod);
    return true;
  }

  private finish(w: PodWorker): void {
    w.finished = true;
    this.ips.release(w.node, w.podIP);
  }

  /** The API removed the pod (force delete): its containers are stopped without a status to write. */
  private forget(w: PodWorker): void {
    this.workers.delete(w.key);
    this.podsByNode.get(w.node)?.delete(w.key);
    const last = this.gone.get(w.key);
    this.gone.delete(w.key);
    if (!w.finished && last) {
      for (const c of w.containers) {
        if (c.state === 'running' && c.stopAt === undefined)
          this.event(w, last, 'Normal', REASON.killing, killingMessage(c.name));
      }
    }
    if (!w.finished) this.finish(w);
    this.hooks.usageChanged(w.node);
  }

  /** Posts the status if it changed; false when the pod is gone. */
  private write(w: PodWorker, pod: PodObject, workloads: ReadonlyMap<string, ContainerWorkload>): boolean {
    const current = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name as string) as
      | PodObject
      | undefined;
    if (!current || current.metadata.uid !== w.uid) return false;
    const status = w.status(current, workloads, this.store.clock);
    if (sameJson(status, current.status)) return true;
    const written = this.store.writeStatus<PodObject>(
      'Pod',
      pod.metadata.namespace,
      pod.metadata.name as string,
      status,
    );
    w.lastWrite = written?.metadata.resourceVersion;
    return written !== undefined;
  }

  private scheduleWake(w: PodWorker, workloads: ReadonlyMap<string, ContainerWorkload>): void {
    if (w.finished) return;
    const now = this.store.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const c of w.containers) {
      const load = workloads.get(c.name);
      if (c.state === 'running') {
        if (c.stopAt !== undefined) next = Math.min(next, c.stopAt);
        else if (load?.exitAfter !== undefined) next = Math.min(next, c.startedAt + load.exitAfter);
        const readyAt = c.startedAt + (load?.readyAfter ?? 0);
        if (readyAt > now) next = Math.min(next, readyAt);
      } else if (c.state === 'backoff' && c.restartAt !== undefined) next = Math.min(next, c.restartAt);
    }
    if (Number.isFinite(next)) this.loop.schedule(this, w.key, next);
  }

  private event(
    w: PodWorker,
    pod: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): void {
    this.recorder.record(pod, type, reason, message, { component: 'kubelet', host: w.node });
  }
}

const MOUNT_RETRY_INITIAL_MS = 500;
const MOUNT_RETRY_MAX_MS = 2 * 60_000 + 2_000;

/** The kubelet's lease renewal interval: a quarter of the 40 second lease duration. */
export const LEASE_RENEW_INTERVAL = 10_000;

function kubeletDefault(type: string): { status: string; reason: string; message: string } | undefined {
  switch (type) {
    case 'MemoryPressure':
      return {
        status: 'False',
        reason: 'KubeletHasSufficientMemory',
        message: 'kubelet has sufficient memory available',
      };
    case 'DiskPressure':
      return { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' };
    case 'PIDPressure':
      return {
        status: 'False',
        reason: 'KubeletHasSufficientPID',
        message: 'kubelet has sufficient PID available',
      };
    default:
      return undefined;
  }
}

function keyOf(pod: PodObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** Whether two versions of a pod run the same way: same annotations (the workload) and spec. */
function sameWorkload(a: PodObject, b: PodObject): boolean {
  return (
    a.metadata.annotations === b.metadata.annotations ||
    JSON.stringify(a.metadata.annotations) === JSON.stringify(b.metadata.annotations)
  );
}
