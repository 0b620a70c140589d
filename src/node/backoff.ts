// client-go's flowcontrol.Backoff as the kubelet uses it for crashing containers
// (k8s:staging/src/k8s.io/client-go/util/flowcontrol/backoff.go, without jitter: the kubelet builds it with
// flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff) in k8s:pkg/kubelet/kubelet.go). One entry per
// container; the window doubles on each restart up to the cap, and an entry not updated for twice the cap
// starts again from the initial period.

interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initial: number,
    private readonly max: number,
  ) {}

  /** Next: the first restart opens a window of `initial`; each further one doubles it up to `max`. */
  next(id: string, eventTime: number, now: number): void {
    const entry = this.entries.get(id);
    if (!entry || this.hasExpired(eventTime, entry.lastUpdate)) {
      this.entries.set(id, { backoff: this.initial, lastUpdate: now });
      return;
    }
    entry.backoff = Math.min(entry.backoff * 2, this.max);
    entry.lastUpdate = now;
  }

  /** IsInBackOffSince: whether less than the current window has passed since `eventTime`. */
  isInBackOffSince(id: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(id);
    if (!entry || this.hasExpired(eventTime, entry.lastUpdate)) return false;
    return now - eventTime < entry.backoff;
  }

  /** Get: the current window (0 when there is none). */
  get(id: string): number {
    return this.entries.get(id)?.backoff ?? 0;
  }

  // hasExpired: a container that ran for twice the cap since its last restart is considered stable.
  private hasExpired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > this.max * 2;
  }
}
