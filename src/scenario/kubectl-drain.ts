// `kubectl drain` as a client of the simulated cluster (k8s:staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go,
// k8s:staging/src/k8s.io/kubectl/pkg/drain/drain.go and filters.go). The drain cordons the node, sorts its pods
// through kubectl's filters (mirror pods skipped; DaemonSet pods, pods with emptyDir volumes and pods without a
// controller refuse the drain unless --ignore-daemonsets, --delete-emptydir-data or --force), then evicts each
// pod; an eviction a disruption budget refuses (429) is tried again every 5 seconds of virtual time, so the
// drain goes on while the scenario lets time pass, until every evicted pod is gone or --timeout is reached.
import type { PodObject } from '../api/pods';
import { ApiError } from '../api/store';
import type { Cluster } from '../cluster';
import { controllerOf } from '../controllers/pod-control';
import { formatGoDuration } from '../report/timeline';
import type { Controller } from '../sim/loop';

/** kubectl's retry interval after a 429 from the eviction API. */
export const EVICTION_RETRY_MS = 5_000;

export interface DrainFlags {
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  force: boolean;
  /** --timeout in ms; 0 is kubectl's default, wait forever. */
  timeoutMs: number;
}

const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
const UNMANAGED_FATAL = 'Pods declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** Parses the flags a scenario may give: `--ignore-daemonsets --delete-emptydir-data --force --timeout=2m`. */
export function parseDrainFlags(text: string): DrainFlags {
  const flags: DrainFlags = {
    ignoreDaemonSets: false,
    deleteEmptyDirData: false,
    force: false,
    timeoutMs: 0,
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (word === '--ignore-daemonsets') flags.ignoreDaemonSets = true;
    else if (word === '--delete-emptydir-data') flags.deleteEmptyDirData = true;
    else if (word === '--force') flags.force = true;
    else if (word.startsWith('--timeout=')) flags.timeoutMs = parseDuration(word.slice('--timeout='.length));
    else throw new Error(`kubespec does not simulate the drain flag ${JSON.stringify(word)}`);
  }
  return flags;
}

function parseDuration(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000 };
  const parts = [...text.matchAll(/(\d+)([hms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`invalid --timeout ${JSON.stringify(text)}: use a Go duration such as 90s or 2m`);
  }
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

/** PodDeleteStatus: whether the pod is evicted, and the warning or error it adds to kubectl's report. */
interface Verdict {
  delete: boolean;
  warning?: string;
  error?: string;
}

/** GetPodsForDeletion's filters, in kubectl's order; the first that keeps a pod decides. */
export function drainVerdict(
  pod: PodObject,
  flags: DrainFlags,
  daemonSetExists: (name: string) => boolean,
): Verdict {
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  let verdict: Verdict = { delete: true };
  const ref = controllerOf(pod);
  // daemonSetFilter
  if (ref?.kind === 'DaemonSet' && !finished) {
    if (!daemonSetExists(ref.name)) {
      const notFound = `daemonsets.apps ${JSON.stringify(ref.name)} not found`;
      if (!flags.force) return { delete: false, error: notFound };
      verdict = { delete: true, warning: notFound };
    } else if (!flags.ignoreDaemonSets) {
      return { delete: false, error: DAEMONSET_FATAL };
    } else {
      return { delete: false, warning: DAEMONSET_WARNING };
    }
  }
  // mirrorPodFilter
  if (pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return { delete: false };
  // localStorageFilter
  if ((pod.spec?.volumes ?? []).some((v) => v.emptyDir) && !finished) {
    if (!flags.deleteEmptyDirData) return { delete: false, error: LOCAL_STORAGE_FATAL };
    verdict = { delete: true, warning: LOCAL_STORAGE_WARNING };
  }
  // unreplicatedFilter
  if (!finished && !ref) {
    if (!flags.force) return { delete: false, error: UNMANAGED_FATAL };
    verdict = { delete: true, warning: UNMANAGED_WARNING };
  }
  return verdict;
}

interface Evicting {
  namespace: string;
  name: string;
  uid: string;
  /** When the next eviction attempt is due; undefined once the eviction was accepted. */
  nextAttempt: number | undefined;
  failed?: string;
}

/** One `kubectl drain NODE`, running in virtual time. */
export class Drain implements Controller {
  readonly name: string;
  /** What kubectl printed, stdout and stderr interleaved as a terminal shows them. */
  readonly output: string[] = [];
  private readonly pods: Evicting[] = [];
  private readonly startedAt: number;
  /** Set when the drain has ended: true when the node was drained. */
  private ended: boolean | undefined;

  private constructor(
    private readonly cluster: Cluster,
    readonly node: string,
    private readonly flags: DrainFlags,
  ) {
    this.name = `kubectl-drain/${node}`;
    this.startedAt = cluster.clock.now();
    cluster.store.watch('Pod', (type, obj) => {
      if (type === 'DELETED') this.podGone(obj as PodObject);
    });
  }

  static async start(cluster: Cluster, node: string, flags: DrainFlags): Promise<Drain> {
    const drain = new Drain(cluster, node, flags);
    await drain.run();
    return drain;
  }

  get complete(): boolean {
    return this.ended === true;
  }

  get failed(): boolean {
    return this.ended === false;
  }

  /** Pods the drain still waits for: evictions refused so far, or evicted pods not gone yet. */
  waitingOn(): string[] {
    return this.pods.filter((p) => !p.failed && this.exists(p)).map((p) => p.name);
  }

  private async run(): Promise<void> {
    const node = this.cluster.get('Node', undefined, this.node);
    if (!node) throw new ApiError('NotFound', `nodes "${this.node}" not found`);
    const cordoned = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
    if (!cordoned) await this.cluster.setUnschedulable(this.node, true);
    this.output.push(`node/${this.node} ${cordoned ? 'already cordoned' : 'cordoned'}`);
    const onNode = this.cluster
      .pods()
      .filter((p) => p.spec?.nodeName === this.node)
      .sort((a, b) => key(a).localeCompare(key(b)));
    const errors = new Map<string, string[]>();
    const warnings = new Map<string, string[]>();
    const toEvict: PodObject[] = [];
    for (const pod of onNode) {
      const verdict = drainVerdict(pod, this.flags, (name) =>
        Boolean(this.cluster.get('DaemonSet', pod.metadata.namespace, name)),
      );
      if (verdict.error) append(errors, verdict.error, key(pod));
      if (verdict.warning) append(warnings, verdict.warning, key(pod));
      if (verdict.delete) toEvict.push(pod);
    }
    // Go's map order makes kubectl's order of several messages random; kubespec keeps the first-seen order.
    if (errors.size > 0) {
      const lines = [...errors].map(([msg, pods]) => `cannot delete ${msg}: ${pods.join(', ')}`);
      const joined = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
      this.fail(joined, lines);
      return;
    }
    if (warnings.size > 0) {
      this.output.push(
        `Warning: ${[...warnings].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`).join('; ')}`,
      );
    }
    for (const pod of toEvict) {
      this.pods.push({
        namespace: pod.metadata.namespace as string,
        name: pod.metadata.name as string,
        uid: pod.metadata.uid as string,
        nextAttempt: this.cluster.clock.now(),
      });
    }
    await this.reconcile();
  }

  // One pass of evictPods' goroutines: every pod whose retry is due tries again.
  async reconcile(): Promise<void> {
    if (this.ended !== undefined) return;
    const now = this.cluster.clock.now();
    for (const p of this.pods) {
      if (p.failed || p.nextAttempt === undefined || p.nextAttempt > now) continue;
      if (this.flags.timeoutMs > 0 && now >= this.startedAt + this.flags.timeoutMs) {
        p.failed = `error when evicting pods/${JSON.stringify(p.name)} -n ${JSON.stringify(p.namespace)}: global timeout reached: ${formatGoDuration(this.flags.timeoutMs)}`;
        continue;
      }
      const live = this.cluster.get('Pod', p.namespace, p.name);
      if (!live || live.metadata.uid !== p.uid) {
        p.nextAttempt = undefined;
        continue;
      }
      this.output.push(`evicting pod ${p.namespace}/${p.name}`);
      try {
        await this.cluster.evictions.evict(p.namespace, p.name);
        p.nextAttempt = undefined;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.reason === 'NotFound') {
          p.nextAttempt = undefined;
        } else if (error.reason === 'TooManyRequests') {
          this.output.push(
            `error when evicting pods/${JSON.stringify(p.name)} -n ${JSON.stringify(p.namespace)} (will retry after 5s): ${error.message}`,
          );
          p.nextAttempt = now + EVICTION_RETRY_MS;
          this.cluster.loop.schedule(this, this.node, p.nextAttempt);
        } else {
          p.failed = `error when evicting pods/${JSON.stringify(p.name)} -n ${JSON.stringify(p.namespace)}: ${error.message}`;
        }
      }
    }
    this.settle();
  }

  private podGone(pod: PodObject): void {
    const p = this.pods.find((x) => x.uid === pod.metadata.uid);
    if (!p || this.ended !== undefined || p.nextAttempt !== undefined) return;
    // OnPodDeletionOrEvictionFinished, once waitForDelete sees the pod gone.
    this.output.push(`pod/${p.name} evicted`);
    this.settle();
  }

  // evictPods returns when every goroutine has: then the node is drained, or the errors are reported.
  private settle(): void {
    if (this.ended !== undefined) return;
    const busy = this.pods.some((p) => !p.failed && (p.nextAttempt !== undefined || this.exists(p)));
    if (busy) return;
    const failures = this.pods.filter((p) => p.failed).map((p) => p.failed as string);
    if (failures.length === 0) {
      this.ended = true;
      this.output.push(`node/${this.node} drained`);
      return;
    }
    const joined = failures.length === 1 ? failures[0] : `[${failures.join(', ')}]`;
    const pending = this.pods.filter((p) => this.exists(p));
    if (pending.length > 0) {
      this.output.push(
        `There are pending pods in node ${JSON.stringify(this.node)} when an error occurred: ${joined}`,
      );
      for (const p of pending) this.output.push(`pod/${p.name}`);
    }
    this.fail(joined, failures);
  }

  // RunDrain's report of a node it could not drain, then the command's error (each error on its own line).
  private fail(joined: string, lines: readonly string[]): void {
    this.ended = false;
    this.output.push(
      `error: unable to drain node ${JSON.stringify(this.node)} due to error: ${joined}, continuing command...`,
      'There are pending nodes to be drained:',
      ` ${this.node}`,
      ...lines,
    );
  }

  private exists(p: Evicting): boolean {
    return this.cluster.get('Pod', p.namespace, p.name)?.metadata.uid === p.uid;
  }
}

const key = (pod: PodObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;

function append(map: Map<string, string[]>, message: string, pod: string): void {
  map.set(message, [...(map.get(message) ?? []), pod]);
}
