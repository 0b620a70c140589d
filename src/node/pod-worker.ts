// One pod as its kubelet runs it: the containers' lives (started, ready, exited, waiting in back-off, stopping)
// in virtual time, and the API status they add up to, generated as k8s:pkg/kubelet/kubelet_pods.go
// generateAPIPodStatus does (getPhase, convertToAPIContainerStatuses) with the conditions of
// k8s:pkg/kubelet/status/generate.go.
import type { ContainerStatus, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import type { PodObject } from '../api/pods';
import { Quantity } from '../api/quantity';
import type { VirtualClock } from '../sim/clock';
import { Backoff } from './backoff';
import type { ContainerWorkload } from './workload';

export interface Termination {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface ContainerRun {
  readonly name: string;
  readonly index: number;
  readonly image: string;
  /** Memory limit in bytes; undefined when the container has none. */
  readonly memoryLimit: number | undefined;
  state: 'creating' | 'running' | 'backoff' | 'terminated';
  startedAt: number;
  containerID: string;
  restartCount: number;
  /** The run that ended last: lastState while running or waiting, state once terminated. */
  last?: Termination;
  /** The run before `last`: lastState once the container is terminated for good. */
  previous?: Termination;
  /** While in back-off: when the window closes, and its message. */
  restartAt?: number;
  backoffMessage?: string;
  backoff?: Backoff;
  /** While being stopped: when it exits, and with which code. */
  stopAt?: number;
  stopExitCode?: number;
}

export interface Eviction {
  reason: string;
  message: string;
  condition?: PodCondition;
}

export class PodWorker {
  readonly containers: ContainerRun[];
  started = false;
  startTime: number;
  podIP?: string;
  hostIP?: string;
  /** Set when the kubelet began killing the pod: the grace period in force and whether the API deleted it. */
  terminating?: { grace: number; deletion: boolean };
  /** The kubelet's own verdict on the pod (evicted, rejected): Failed with this reason and message. */
  eviction?: Eviction;
  /** No container will run again: the pod has reached its terminal phase. */
  finished = false;
  /** The back-off before the next try to mount volumes that could not be set up. */
  mountRetryMs?: number;
  /** The resourceVersion of the kubelet's last status write, so that its own write does not wake it. */
  lastWrite?: string;

  constructor(
    readonly key: string,
    readonly uid: string,
    readonly node: string,
    pod: PodObject,
    now: number,
  ) {
    this.startTime = now;
    this.containers = (pod.spec?.containers ?? []).map((c, index) => ({
      name: c.name,
      index,
      image: c.image ?? '',
      memoryLimit: memoryLimit(c.resources?.limits?.memory),
      state: 'creating',
      startedAt: now,
      containerID: '',
      restartCount: 0,
    }));
  }

  /** A fresh container instance: running from `now`, with its own id (containerd ids are 64 hex digits). */
  run(c: ContainerRun, now: number): void {
    if (c.state === 'backoff' || c.state === 'terminated') c.restartCount += 1;
    c.state = 'running';
    c.startedAt = now;
    c.restartAt = undefined;
    c.backoffMessage = undefined;
    const uidHex = this.uid.replace(/-/g, '');
    c.containerID = `containerd://${uidHex}${hex16(c.index)}${hex16(c.restartCount)}`;
  }

  exit(c: ContainerRun, exitCode: number, reason: string, at: number): Termination {
    const t = { exitCode, reason, startedAt: c.startedAt, finishedAt: at, containerID: c.containerID };
    c.previous = c.last;
    c.last = t;
    c.state = 'terminated';
    c.stopAt = undefined;
    return t;
  }

  backoffFor(c: ContainerRun, initial: number, max: number): Backoff {
    c.backoff ??= new Backoff(initial, max);
    return c.backoff;
  }

  usage(workloads: ReadonlyMap<string, ContainerWorkload>): number {
    let total = 0;
    for (const c of this.containers) if (c.state === 'running') total += workloads.get(c.name)?.memory ?? 0;
    return total;
  }

  allStopped(): boolean {
    return this.containers.every((c) => c.state === 'terminated' || c.state === 'backoff');
  }

  /** generateAPIPodStatus: the pod's status as the kubelet would post it now. */
  status(pod: PodObject, workloads: ReadonlyMap<string, ContainerWorkload>, clock: VirtualClock): PodStatus {
    const now = clock.now();
    const ts = (ms: number) => clock.timestamp(ms);
    const ready = (c: ContainerRun) =>
      c.state === 'running' &&
      !this.finished &&
      now >= c.startedAt + (workloads.get(c.name)?.readyAfter ?? 0);
    // A pod the kubelet refused never had containers.
    const statuses =
      !this.started && this.finished ? [] : this.containers.map((c) => containerStatus(c, ready(c), ts));
    const phase = this.phase();
    const old = pod.status ?? {};
    const status: PodStatus = {
      ...old,
      phase,
      conditions: this.conditions(pod, phase, statuses, ts(now)),
      hostIP: this.hostIP,
      hostIPs: this.hostIP ? [{ ip: this.hostIP }] : undefined,
      podIP: this.podIP,
      podIPs: this.podIP ? [{ ip: this.podIP }] : undefined,
      startTime: ts(this.startTime),
      containerStatuses: statuses.length > 0 ? statuses : undefined,
    };
    if (this.eviction) {
      status.reason = this.eviction.reason;
      status.message = this.eviction.message;
    }
    for (const k of Object.keys(status) as (keyof PodStatus)[]) if (status[k] === undefined) delete status[k];
    return status;
  }

  // getPhase, with the kubelet's terminal verdicts (eviction, a deleted pod's last phase) on top.
  private phase(): string {
    if (this.eviction) return 'Failed';
    if (!this.started || this.containers.some((c) => c.state === 'creating')) return 'Pending';
    if (!this.finished) return 'Running';
    return this.containers.every((c) => c.last?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }

  private conditions(
    pod: PodObject,
    phase: string,
    statuses: ContainerStatus[],
    now: string,
  ): PodCondition[] {
    const previous = pod.status?.conditions ?? [];
    const keep = (c: PodCondition): PodCondition => {
      const before = previous.find((p) => p.type === c.type);
      const lastTransitionTime = before && before.status === c.status ? before.lastTransitionTime : now;
      return { ...c, lastProbeTime: null as unknown as string, lastTransitionTime };
    };
    const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
    const readiness = (type: string): PodCondition => {
      if (phase === 'Succeeded') return { type, status: 'False', reason: 'PodCompleted' };
      if (unready.length > 0) {
        return {
          type,
          status: 'False',
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${unready.join(' ')}]`,
        };
      }
      return { type, status: 'True' };
    };
    const sandbox = this.started && !this.finished;
    const kubeletOwned = new Set([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ]);
    const scheduled = previous.find((c) => c.type === 'PodScheduled');
    const others = previous.filter(
      (c) => !kubeletOwned.has(c.type) && c.type !== this.eviction?.condition?.type,
    );
    const evictionCondition = this.eviction?.condition ? [keep(this.eviction.condition)] : [];
    return [
      ...others,
      ...evictionCondition,
      keep({ type: 'PodReadyToStartContainers', status: sandbox ? 'True' : 'False' }),
      keep({ type: 'Initialized', status: 'True' }),
      keep(readiness('Ready')),
      keep(readiness('ContainersReady')),
      scheduled ?? keep({ type: 'PodScheduled', status: 'True' }),
    ];
  }
}

function containerStatus(c: ContainerRun, ready: boolean, ts: (ms: number) => string): ContainerStatus {
  const terminated = (t: Termination) => ({
    exitCode: t.exitCode,
    reason: t.reason,
    startedAt: ts(t.startedAt),
    finishedAt: ts(t.finishedAt),
    containerID: t.containerID,
  });
  const base = { name: c.name, image: c.image, imageID: '', restartCount: c.restartCount };
  switch (c.state) {
    case 'creating':
      return {
        ...base,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        ready: false,
        started: false,
      };
    case 'running':
      return {
        ...base,
        containerID: c.containerID,
        state: { running: { startedAt: ts(c.startedAt) } },
        lastState: c.last ? { terminated: terminated(c.last) } : {},
        ready,
        started: true,
      };
    case 'backoff':
      return {
        ...base,
        containerID: c.last?.containerID,
        state: { waiting: { reason: 'CrashLoopBackOff', message: c.backoffMessage } },
        lastState: c.last ? { terminated: terminated(c.last) } : {},
        ready: false,
        started: false,
      };
    case 'terminated': {
      const t = c.last as Termination;
      return {
        ...base,
        containerID: t.containerID,
        state: { terminated: terminated(t) },
        lastState: c.previous ? { terminated: terminated(c.previous) } : {},
        ready: false,
        started: false,
      };
    }
  }
}

function memoryLimit(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : Quantity.parse(value).value();
}

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}
