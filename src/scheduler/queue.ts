// kube-scheduler's scheduling queue (k8s:pkg/scheduler/backend/queue/scheduling_queue.go): an active queue
// ordered by priority then arrival (PrioritySort), a backoff queue for pods that failed recently
// (1s doubling to 10s), and the unschedulable pods, which go back when the cluster changes or after
// five minutes at the latest. With nothing active, a pod still backing off is tried at once
// (SchedulerPopFromBackoffQ, beta and on by default since v1.33).
import { PriorityQueue } from '@datastructures-js/priority-queue';
import type { PodInfo } from './pod-info';

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;
// The queue's periodic flushes (scheduling_queue.go Run): completed backoffs every second, pods left
// unschedulable for more than five minutes every 30 seconds, on ticks counted from the scheduler's start.
const BACKOFF_FLUSH_PERIOD_MS = 1_000;
const UNSCHEDULABLE_FLUSH_PERIOD_MS = 30_000;

export interface QueuedPod {
  info: PodInfo;
  /** When the pod entered the queue (PrioritySort's tie-break). */
  timestamp: number;
  attempts: number;
  /** When the last attempt failed. */
  failedAt: number;
  seq: number;
}

export class SchedulingQueue {
  private readonly active = new PriorityQueue<QueuedPod>(
    (a, b) => b.info.priority - a.info.priority || a.timestamp - b.timestamp || a.seq - b.seq,
  );
  private readonly inActive = new Map<string, QueuedPod>();
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  private seq = 0;

  constructor(
    private readonly now: () => number,
    /** When the scheduler started: the flush ticks count from here. */
    private readonly started: number,
  ) {}

  add(info: PodInfo): void {
    if (this.has(info.key)) {
      this.update(info);
      return;
    }
    this.pushActive({ info, timestamp: this.now(), attempts: 0, failedAt: 0, seq: this.seq++ });
  }

  /** A pending pod changed: it is tried again at once (as the queue does for an updated unschedulable pod). */
  update(info: PodInfo): void {
    const existing = this.take(info.key);
    if (!existing) {
      this.add(info);
      return;
    }
    this.pushActive({ ...existing, info });
  }

  remove(key: string): void {
    this.take(key);
  }

  has(key: string): boolean {
    return this.inActive.has(key) || this.backoff.has(key) || this.unschedulable.has(key);
  }

  pop(): QueuedPod | undefined {
    while (!this.active.isEmpty()) {
      const qp = this.active.dequeue() as QueuedPod;
      if (this.inActive.get(qp.info.key) === qp) {
        this.inActive.delete(qp.info.key);
        return qp;
      }
    }
    return this.popBackoff();
  }

  activeCount(): number {
    return this.inActive.size;
  }

  /** Whether `pop` has a pod to give: an active one, or one backing off while nothing is active. */
  hasPoppable(): boolean {
    return this.inActive.size > 0 || this.backoff.size > 0;
  }

  // k8s:pkg/scheduler/backend/queue/active_queue.go unlockedPop: an empty activeQ pops the backoffQ's head, the
  // pod whose backoff ends first, ties ordered as the activeQ orders them (backoff_queue.go
  // lessBackoffCompletedWithPriority), so the scheduler never idles while a pod waits out its backoff.
  private popBackoff(): QueuedPod | undefined {
    let head: QueuedPod | undefined;
    for (const qp of this.backoff.values()) {
      if (
        !head ||
        (this.backoffExpiry(qp) - this.backoffExpiry(head) ||
          head.info.priority - qp.info.priority ||
          qp.timestamp - head.timestamp ||
          qp.seq - head.seq) < 0
      )
        head = qp;
    }
    if (head) this.backoff.delete(head.info.key);
    return head;
  }

  /** After a failed attempt; the pod's queue time is refreshed (AddUnschedulableIfNotPresent). */
  addUnschedulable(qp: QueuedPod): void {
    const now = this.now();
    this.unschedulable.set(qp.info.key, { ...qp, attempts: qp.attempts + 1, failedAt: now, timestamp: now });
  }

  /** The cluster changed in a way that may help: every unschedulable pod is retried, after its backoff. */
  moveAllToActiveOrBackoff(which: (key: string) => boolean = () => true): void {
    for (const qp of [...this.unschedulable.values()]) {
      if (!which(qp.info.key)) continue;
      this.unschedulable.delete(qp.info.key);
      if (this.backoffExpiry(qp) <= this.now()) this.pushActive(qp);
      else this.backoff.set(qp.info.key, qp);
    }
  }

  /** Moves pods whose backoff is over, and pods unschedulable for too long, back to the active queue. */
  flush(): void {
    const now = this.now();
    for (const qp of [...this.backoff.values()]) {
      if (this.backoffExpiry(qp) <= now) {
        this.backoff.delete(qp.info.key);
        this.pushActive(qp);
      }
    }
    for (const qp of [...this.unschedulable.values()]) {
      // flushUnschedulablePodsLeftover: strictly longer than the limit.
      if (now - qp.failedAt > MAX_IN_UNSCHEDULABLE_MS) {
        this.unschedulable.delete(qp.info.key);
        if (this.backoffExpiry(qp) <= now) this.pushActive(qp);
        else this.backoff.set(qp.info.key, qp);
      }
    }
  }

  /** The next flush tick at which `flush` would move something. */
  nextFlush(): number | undefined {
    let next = Number.POSITIVE_INFINITY;
    for (const qp of this.backoff.values()) {
      next = Math.min(next, this.tickAtOrAfter(this.backoffExpiry(qp), BACKOFF_FLUSH_PERIOD_MS));
    }
    for (const qp of this.unschedulable.values()) {
      next = Math.min(
        next,
        this.tickAtOrAfter(qp.failedAt + MAX_IN_UNSCHEDULABLE_MS + 1, UNSCHEDULABLE_FLUSH_PERIOD_MS),
      );
    }
    return Number.isFinite(next) ? next : undefined;
  }

  private tickAtOrAfter(time: number, period: number): number {
    return this.started + Math.ceil((time - this.started) / period) * period;
  }

  // k8s:.../scheduling_queue.go calculateBackoffDuration: 1s doubled per attempt beyond the first, at most 10s.
  private backoffExpiry(qp: QueuedPod): number {
    let duration = INITIAL_BACKOFF_MS;
    for (let i = 1; i < qp.attempts; i++) {
      duration *= 2;
      if (duration >= MAX_BACKOFF_MS) {
        duration = MAX_BACKOFF_MS;
        break;
      }
    }
    return qp.failedAt + duration;
  }

  private pushActive(qp: QueuedPod): void {
    const entry = { ...qp, seq: this.seq++ };
    this.inActive.set(qp.info.key, entry);
    this.active.enqueue(entry);
  }

  private take(key: string): QueuedPod | undefined {
    const qp = this.inActive.get(key) ?? this.backoff.get(key) ?? this.unschedulable.get(key);
    this.inActive.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    return qp;
  }
}
