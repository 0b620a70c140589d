// The reconcile loop: controllers are woken by keys in a de-duplicated work queue (as client-go's
// workqueue) and by timers on the virtual clock. `runUntilQuiet` drains the queue at the current
// instant; `advance` moves the clock from timer to timer, draining the queue after each, so that
// "5 minutes pass" replays every backoff, grace period and heartbeat in order.
import { PriorityQueue } from '@datastructures-js/priority-queue';
import type { VirtualClock } from './clock';

export interface Controller {
  readonly name: string;
  reconcile(key: string): Promise<void>;
}

interface Timer {
  at: number;
  seq: number;
  controller: Controller;
  key: string;
}

export class NotSettledError extends Error {}

export class ReconcileLoop {
  private readonly queue = new Map<string, { controller: Controller; key: string }>();
  private readonly idle = new Map<string, { controller: Controller; key: string }>();
  // Ordered by (at, seq): timers due at the same instant fire in the order they were set.
  private readonly timers = new PriorityQueue<Timer>((a, b) => a.at - b.at || a.seq - b.seq);
  private readonly timerKeys = new Set<string>();
  private timerSeq = 0;
  /** Reconciles of one object in the current drain, to name what keeps changing when the loop spins. */
  private readonly churn = new Map<string, number>();

  constructor(
    private readonly clock: VirtualClock,
    /** Work items one drain may process before the loop is declared unsettled. */
    private readonly budget: () => number,
  ) {}

  enqueue(controller: Controller, key: string): void {
    const id = `${controller.name}\0${key}`;
    this.idle.delete(id);
    if (!this.queue.has(id)) this.queue.set(id, { controller, key });
  }

  /**
   * Wakes `controller` for `key` once nothing else is queued at this instant. For a controller whose sync costs
   * O(cluster) (a DaemonSet looks at every node) and that every pod change wakes: the changes of one instant
   * are seen by one sync, as a real controller's informer and work queue coalesce them, instead of one each.
   */
  enqueueWhenIdle(controller: Controller, key: string): void {
    const id = `${controller.name}\0${key}`;
    if (!this.queue.has(id) && !this.idle.has(id)) this.idle.set(id, { controller, key });
  }

  /** Wakes `controller` for `key` at virtual time `at` (ms since the Unix epoch). */
  schedule(controller: Controller, key: string, at: number): void {
    const when = Math.max(at, this.clock.now());
    const id = `${controller.name}\0${key}\0${when}`;
    if (this.timerKeys.has(id)) return;
    this.timerKeys.add(id);
    this.timers.enqueue({ at: when, seq: this.timerSeq++, controller, key });
  }

  /** The next timer's time, if any. */
  nextTimer(): number | undefined {
    return this.timers.front()?.at;
  }

  /** Work queued for now, not counting what waits for idleness. */
  pendingWork(): number {
    return this.queue.size;
  }

  async runUntilQuiet(): Promise<void> {
    this.fireDueTimers();
    const budget = this.budget();
    let processed = 0;
    this.churn.clear();
    while (this.queue.size > 0 || this.idle.size > 0) {
      const from = this.queue.size > 0 ? this.queue : this.idle;
      const [id, item] = from.entries().next().value as [string, { controller: Controller; key: string }];
      from.delete(id);
      processed += 1;
      if (processed > budget) throw this.notSettled(processed);
      const churnKey = `${item.key} (${item.controller.name})`;
      this.churn.set(churnKey, (this.churn.get(churnKey) ?? 0) + 1);
      await item.controller.reconcile(item.key);
      this.fireDueTimers();
    }
  }

  /** Moves the clock forward by `ms`, firing timers in time order and reconciling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    await this.runUntilQuiet();
    for (;;) {
      const next = this.timers.front();
      if (!next || next.at > target) break;
      this.clock.advanceTo(next.at);
      await this.runUntilQuiet();
    }
    this.clock.advanceTo(target);
    await this.runUntilQuiet();
  }

  private fireDueTimers(): void {
    const now = this.clock.now();
    for (let next = this.timers.front(); next && next.at <= now; next = this.timers.front()) {
      const timer = this.timers.dequeue() as Timer;
      this.timerKeys.delete(`${timer.controller.name}\0${timer.key}\0${timer.at}`);
      this.enqueue(timer.controller, timer.key);
    }
  }

  private notSettled(processed: number): NotSettledError {
    const top = [...this.churn.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([what, n]) => `${what} ×${n}`);
    return new NotSettledError(
      `the cluster did not settle at ${this.clock.timestamp()}: ${processed} reconciles without reaching a steady state; still changing: ${top.join(', ')}`,
    );
  }
}
