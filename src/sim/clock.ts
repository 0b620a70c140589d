// Virtual time. Nothing in the simulation reads the wall clock: a scenario's "5 minutes" pass in
// microseconds, and the same scenario always sees the same timestamps.

/** Where every simulated cluster's clock starts. */
export const EPOCH = Date.parse('2025-01-01T00:00:00Z');

export class VirtualClock {
  private nowMs = EPOCH;
  private formattedSecond = Number.NaN;
  private formatted = '';

  /** Milliseconds since the Unix epoch, in virtual time. */
  now(): number {
    return this.nowMs;
  }

  /** Milliseconds since the cluster started. */
  elapsed(): number {
    return this.nowMs - EPOCH;
  }

  date(): Date {
    return new Date(this.nowMs);
  }

  /** RFC 3339 with second precision, as metav1.Time serialises. */
  timestamp(ms = this.nowMs): string {
    const second = Math.floor(ms / 1000);
    // Most writes at one instant share their timestamp: format each second once.
    if (second !== this.formattedSecond) {
      this.formattedSecond = second;
      this.formatted = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    }
    return this.formatted;
  }

  /** RFC 3339 with microseconds, as metav1.MicroTime serialises (event times, lease renewals). */
  microTimestamp(ms = this.nowMs): string {
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  }

  advanceTo(ms: number): void {
    if (ms < this.nowMs) throw new Error(`virtual time cannot go back (${ms} < ${this.nowMs})`);
    this.nowMs = ms;
  }
}

/** Parses `30s`, `5m`, `1h30m`, `1.5s`, `250ms` (Go's time.ParseDuration units h, m, s, ms). */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of trimmed.matchAll(re)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (consumed !== trimmed.length || consumed === 0) {
    throw new Error(`invalid duration "${text}": use a number with a unit, e.g. 30s, 5m, 1h30m`);
  }
  return Math.round(total);
}
