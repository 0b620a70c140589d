// The event timeline of a scenario in virtual time: what happened, in order, and how long after the
// scenario started. Entries at the same instant form one group so that bursts and back-off gaps
// (10s, 20s, 40s between restarts) stand out.
import { escapeHtml } from './html';

export interface TimelineEntry {
  time: Date;
  type: 'Normal' | 'Warning';
  reason: string;
  /** `pod/web` */
  object: string;
  message: string;
  count?: number;
}

const NS_PER_MS = 1_000_000n;

/** Go's fmtFrac: the fraction of v/10^prec without trailing zeros (and without the dot if it is 0). */
function fmtFrac(v: bigint, prec: number): { text: string; rest: bigint } {
  let digits = '';
  let print = false;
  let rest = v;
  for (let i = 0; i < prec; i++) {
    const digit = rest % 10n;
    print ||= digit !== 0n;
    if (print) digits = `${digit}${digits}`;
    rest /= 10n;
  }
  return { text: print ? `.${digits}` : '', rest };
}

/**
 * Go's time.Duration.String() (go:src/time/time.go Duration.format) for a duration in milliseconds,
 * fractions allowed down to the nanosecond: `0s`, `1.5s`, `1m20s`, `5m0s`, `1h0m0s`, `2.2ms`.
 */
export function formatGoDuration(ms: number): string {
  const nanos = BigInt(Math.round(ms * 1e6));
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let text: string;
  if (u < 1000n * NS_PER_MS) {
    // Below one second Go switches to the largest unit that keeps an integer part: ns, µs or ms.
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < NS_PER_MS) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const frac = fmtFrac(u, prec);
    text = `${frac.rest}${frac.text}${unit}`;
  } else {
    const frac = fmtFrac(u, 9);
    u = frac.rest;
    text = `${u % 60n}${frac.text}s`;
    u /= 60n;
    if (u > 0n) {
      text = `${u % 60n}m${text}`;
      u /= 60n;
      // Go stops at hours because days have different lengths.
      if (u > 0n) text = `${u}h${text}`;
    }
  }
  return neg ? `-${text}` : text;
}

/** Offset from the scenario start as `+1m30s`. */
function offset(time: Date, start: Date): string {
  const ms = time.getTime() - start.getTime();
  return ms < 0 ? formatGoDuration(ms) : `+${formatGoDuration(ms)}`;
}

/** UTC wall-clock time of the virtual clock: `12:01:30`, with milliseconds only when there are any. */
function clock(time: Date): string {
  const iso = time.toISOString();
  return time.getUTCMilliseconds() === 0 ? iso.slice(11, 19) : iso.slice(11, 23);
}

const FONT =
  "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:12px";
const CELL = 'padding:3px 8px;text-align:left;vertical-align:top';
const GROUP_BORDER = 'border-top:1px solid #c8ccd0';
const WARNING_ROW = 'background:#fff4e5';
const WARNING_TYPE = 'color:#b45309;font-weight:bold';

function entryCells(entry: TimelineEntry): string {
  const warning = entry.type === 'Warning';
  const type = warning
    ? `<span style="${WARNING_TYPE}">&#9888; Warning</span>`
    : '<span style="color:#57606a">Normal</span>';
  const count =
    entry.count !== undefined && entry.count > 1
      ? ` <span style="color:#57606a">(x${entry.count})</span>`
      : '';
  return (
    `<td style="${CELL}">${type}</td>` +
    `<td style="${CELL};font-weight:bold">${escapeHtml(entry.reason)}${count}</td>` +
    `<td style="${CELL}">${escapeHtml(entry.object)}</td>` +
    `<td style="${CELL};white-space:pre-wrap">${escapeHtml(entry.message)}</td>`
  );
}

/** Groups of entries at the same instant, in time order; ties keep the order given. */
function groupByInstant(entries: readonly TimelineEntry[]): TimelineEntry[][] {
  const sorted = [...entries].sort((a, b) => a.time.getTime() - b.time.getTime());
  const groups: TimelineEntry[][] = [];
  for (const entry of sorted) {
    const current = groups[groups.length - 1];
    if (current && current[0].time.getTime() === entry.time.getTime()) current.push(entry);
    else groups.push([entry]);
  }
  return groups;
}

/**
 * A self-contained HTML fragment (inline CSS only) listing the events in time order. Each instant
 * shows its offset from `start` (Go duration style), its virtual clock time and the gap since the
 * previous instant; Warning rows are highlighted.
 */
export function renderTimelineHtml(entries: TimelineEntry[], start: Date): string {
  if (entries.length === 0) {
    return `<div class="kubespec-timeline" style="${FONT}"><p>No events.</p></div>`;
  }
  const header = ['offset', 'time', 'since previous', 'type', 'reason', 'object', 'message']
    .map((name) => `<th style="${CELL};border-bottom:2px solid #8c959f">${name}</th>`)
    .join('');
  const rows: string[] = [];
  let previous: Date | undefined;
  for (const group of groupByInstant(entries)) {
    const time = group[0].time;
    const span = group.length > 1 ? ` rowspan="${group.length}"` : '';
    const gap = previous === undefined ? '' : `+${formatGoDuration(time.getTime() - previous.getTime())}`;
    const instant =
      `<td style="${CELL};font-weight:bold"${span}>${offset(time, start)}</td>` +
      `<td style="${CELL}"${span}><time datetime="${time.toISOString()}">${clock(time)}</time></td>` +
      `<td style="${CELL};color:#57606a"${span}>${gap}</td>`;
    group.forEach((entry, i) => {
      const styles = [i === 0 ? GROUP_BORDER : '', entry.type === 'Warning' ? WARNING_ROW : '']
        .filter(Boolean)
        .join(';');
      const style = styles ? ` style="${styles}"` : '';
      rows.push(`<tr${style}>${i === 0 ? instant : ''}${entryCells(entry)}</tr>`);
    });
    previous = time;
  }
  return (
    `<div class="kubespec-timeline" style="${FONT}">` +
    '<table style="border-collapse:collapse;width:100%">' +
    `<thead><tr>${header}</tr></thead>` +
    `<tbody>\n${rows.join('\n')}\n</tbody></table></div>`
  );
}
