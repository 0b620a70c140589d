// The decision trace as a report attachment: every scheduling attempt with the verdict on each node, and
// every other rule decision with the rules that fired and the facts they saw. A self-contained HTML
// fragment (one scoped <style>, no scripts); <details> keep long traces browsable.
import type { Decision, FactValue } from '../rules/types';
import type { NodeVerdict, RuleDecisionEntry, SchedulingAttemptEntry, TraceEntry } from '../sim/trace';
import { escapeHtml } from './html';
import { formatGoDuration } from './timeline';

/** Node rows shown per scheduling attempt; the others are counted by verdict in one row. */
export const MAX_NODE_ROWS = 20;
/** Of a long node list, the best-scored nodes shown besides the chosen one: what it won against. */
const BEST_SCORED_ROWS = 5;
/**
 * Scheduling attempts start open while the trace is this short. Rule decisions always start closed: their
 * summary line already says what was decided, and every pod's admission adds one.
 */
const OPEN_UP_TO_ENTRIES = 12;
const MAX_VALUE_CHARS = 240;
/** Past this size, later entries are only counted, so that a huge scenario keeps a loadable report. */
const MAX_HTML_CHARS = 2_000_000;

const STYLE = `
.kt{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;color:#1f2328}
.kt p{margin:4px 0}
.kt .muted{color:#57606a}
.kt details.entry{border:1px solid #d0d7de;border-radius:6px;margin:6px 0}
.kt details.entry>summary{cursor:pointer;padding:5px 10px;background:#f6f8fa;border-radius:6px}
.kt details.entry[open]>summary{border-bottom:1px solid #d0d7de;border-radius:6px 6px 0 0}
.kt .body{padding:6px 10px}
.kt .time{font-weight:bold;margin-right:6px}
.kt .badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-weight:bold;margin-right:6px}
.kt .bound{background:#2b8a3e}.kt .unschedulable{background:#c92a2a}.kt .rule{background:#6741d9}
.kt table{border-collapse:collapse;margin:4px 0}
.kt th,.kt td{padding:3px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #eaeef2}
.kt th{border-bottom:2px solid #8c959f}
.kt td.num,.kt th.num{text-align:right}
.kt table.inner td,.kt table.inner th{padding:1px 6px;border-bottom:none}
.kt tr.chosen>td{background:#dafbe1;font-weight:bold}
.kt tr.chosen>td:first-child{box-shadow:inset 3px 0 #2b8a3e}
.kt tr.rejected>td:first-child{color:#8b1a1a}
.kt .message{white-space:pre-wrap;color:#8b1a1a}
.kt h4{margin:8px 0 2px;font-size:12px}
.kt th .rules{font-weight:normal;font-size:11px}
`;

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function json(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A value as compact JSON, cut at MAX_VALUE_CHARS (the whole value is in the tooltip). */
function valueHtml(value: unknown): string {
  const text = json(value);
  const chars = Array.from(text);
  if (chars.length <= MAX_VALUE_CHARS) return escapeHtml(text);
  return `<span title="${escapeHtml(text)}">${escapeHtml(chars.slice(0, MAX_VALUE_CHARS - 1).join(''))}…</span>`;
}

function offset(time: number, start: Date): string {
  const ms = time - start.getTime();
  return ms < 0 ? formatGoDuration(ms) : `+${formatGoDuration(ms)}`;
}

function factsTable(facts: readonly FactValue[]): string {
  if (facts.length === 0) return '<p class="muted">no facts were needed</p>';
  const rows = facts.map(
    (f) =>
      `<tr><td>${escapeHtml(f.fact)}</td><td>${f.params === undefined ? '' : valueHtml(f.params)}</td>` +
      `<td>${valueHtml(f.value)}</td></tr>`,
  );
  return `<table class="inner"><tr><th>fact</th><th>params</th><th>value</th></tr>${rows.join('')}</table>`;
}

function firedTable(decision: Decision): string {
  if (decision.events.length === 0) return '<p class="muted">no rule fired</p>';
  const rows = decision.events.map(
    (e) =>
      `<tr><td>${escapeHtml(`${e.ruleSet}/${e.rule}`)}</td><td>${escapeHtml(e.type)}</td>` +
      `<td>${valueHtml(e.params)}</td></tr>`,
  );
  return `<table class="inner"><tr><th>rule</th><th>event</th><th>params</th></tr>${rows.join('')}</table>`;
}

function verdictGroup(verdict: NodeVerdict): string {
  if (verdict.rejected)
    return `rejected by ${verdict.rejected.plugin}: ${verdict.rejected.reasons.join(', ')}`;
  if (verdict.skipped !== undefined) return `not evaluated (${verdict.skipped})`;
  return 'passed the filters';
}

/** `2 passed the filters; 1 rejected by TaintToleration: …`, largest group first. */
function countByGroup(verdicts: readonly NodeVerdict[]): string {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(verdictGroup(v), (counts.get(verdictGroup(v)) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([group, n]) => `${n} ${group}`)
    .join('; ');
}

function isChosen(entry: SchedulingAttemptEntry, verdict: NodeVerdict): boolean {
  return entry.outcome === 'bound' && verdict.node === entry.node && !verdict.rejected && !verdict.skipped;
}

/**
 * The rows worth showing when there are too many: the chosen node, the best-scored nodes, one node of each
 * kind of verdict, then the first ones evaluated; shown in evaluation order.
 */
function pickRows(entry: SchedulingAttemptEntry): number[] {
  const verdicts = entry.verdicts;
  if (verdicts.length <= MAX_NODE_ROWS) return verdicts.map((_, i) => i);
  const picked = new Set<number>();
  const pick = (i: number) => {
    if (picked.size < MAX_NODE_ROWS) picked.add(i);
  };
  verdicts.forEach((v, i) => {
    if (isChosen(entry, v) || v.node === entry.nominatedNode) pick(i);
  });
  const scored = verdicts.map((v, i) => ({ v, i })).filter(({ v }) => v.total !== undefined);
  scored.sort((a, b) => (b.v.total ?? 0) - (a.v.total ?? 0) || a.i - b.i);
  for (const { i } of scored.slice(0, BEST_SCORED_ROWS)) pick(i);
  const groupsSeen = new Set<string>();
  verdicts.forEach((v, i) => {
    const group = verdictGroup(v);
    if (!groupsSeen.has(group)) {
      groupsSeen.add(group);
      pick(i);
    }
  });
  verdicts.forEach((_, i) => {
    pick(i);
  });
  return [...picked].sort((a, b) => a - b);
}

/** The plugins that scored any shown node, in first-seen order, with the rules that gave their scores. */
function scoreColumns(verdicts: readonly NodeVerdict[]): { plugin: string; rules: string[] }[] {
  const columns = new Map<string, Set<string>>();
  for (const v of verdicts) {
    for (const s of v.scores ?? []) {
      const rules = columns.get(s.plugin) ?? new Set<string>();
      for (const rule of s.rules) rules.add(rule);
      columns.set(s.plugin, rules);
    }
  }
  return [...columns].map(([plugin, rules]) => ({ plugin, rules: [...rules] }));
}

/** Why a node got no scores, across the score columns and the total. */
function verdictText(verdict: NodeVerdict): string {
  if (verdict.skipped !== undefined)
    return `<span class="muted">not evaluated: ${escapeHtml(verdict.skipped)}</span>`;
  const rejected = verdict.rejected;
  if (!rejected) return 'passed the filters <span class="muted">(not scored)</span>';
  return (
    `rejected by <b>${escapeHtml(rejected.plugin)}</b>: ${escapeHtml(rejected.reasons.join(', '))} ` +
    `<span class="muted">(${escapeHtml(rejected.code)}; rule ${escapeHtml(rejected.rules.join(', '))})</span>`
  );
}

function scoreCell(verdict: NodeVerdict, plugin: string): string {
  const score = verdict.scores?.find((s) => s.plugin === plugin);
  if (!score) return '<td></td>';
  return (
    `<td class="num"><b>${score.normalized * score.weight}</b>` +
    `<div class="muted">${score.raw} → ${score.normalized} ×${score.weight}</div></td>`
  );
}

function nodeRow(entry: SchedulingAttemptEntry, verdict: NodeVerdict, plugins: readonly string[]): string {
  const chosen = isChosen(entry, verdict);
  const cls = chosen ? ' class="chosen"' : verdict.rejected ? ' class="rejected"' : '';
  const name = chosen
    ? `✔ ${escapeHtml(verdict.node)} <span class="muted">(chosen)</span>`
    : escapeHtml(verdict.node);
  const cells = verdict.scores
    ? plugins.map((plugin) => scoreCell(verdict, plugin)).join('') +
      `<td class="num"><b>${verdict.total ?? ''}</b></td>`
    : `<td colspan="${plugins.length + 1}">${verdictText(verdict)}</td>`;
  return `<tr${cls}><td>${name}</td>${cells}</tr>`;
}

function nodeFacts(verdict: NodeVerdict): string {
  const parts = [`<h4>node ${escapeHtml(verdict.node)}</h4>`];
  if (verdict.filterDecision)
    parts.push(`<div class="muted">filter</div>${factsTable(verdict.filterDecision.facts)}`);
  if (verdict.scoreDecision)
    parts.push(`<div class="muted">score</div>${factsTable(verdict.scoreDecision.facts)}`);
  return parts.length > 1 ? parts.join('') : '';
}

function nodesTable(
  entry: SchedulingAttemptEntry,
  shown: readonly NodeVerdict[],
  hidden: readonly NodeVerdict[],
): string {
  const columns = scoreColumns(shown);
  const plugins = columns.map((c) => c.plugin);
  const header = columns
    .map(
      (c) =>
        `<th class="num">${escapeHtml(c.plugin)}<div class="muted rules">${escapeHtml(c.rules.join(', '))}</div></th>`,
    )
    .join('');
  const rows = shown.map((v) => nodeRow(entry, v, plugins));
  if (hidden.length > 0) {
    rows.push(
      `<tr><td colspan="${plugins.length + 2}" class="muted">${hidden.length} more nodes not shown: ` +
        `${escapeHtml(countByGroup(hidden))}</td></tr>`,
    );
  }
  const legend =
    columns.length > 0 ? '<p class="muted">score cells: weighted score (raw → normalized ×weight)</p>' : '';
  return (
    `${legend}<table><thead><tr><th>node</th>${header}<th class="num">${columns.length > 0 ? 'total' : ''}</th></tr>` +
    `</thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function schedulingBody(entry: SchedulingAttemptEntry): string {
  const parts: string[] = [];
  if (entry.outcome === 'unschedulable' && entry.message !== undefined)
    parts.push(`<p class="message">${escapeHtml(entry.message)}</p>`);
  if (entry.nominatedNode) parts.push(`<p>nominated node: <b>${escapeHtml(entry.nominatedNode)}</b></p>`);
  const verdicts = entry.verdicts;
  if (verdicts.length === 0) {
    parts.push('<p class="muted">no node was evaluated</p>');
    return parts.join('');
  }
  parts.push(`<p>${plural(verdicts.length, 'node')}: ${escapeHtml(countByGroup(verdicts))}</p>`);
  const picked = new Set(pickRows(entry));
  const shown = verdicts.filter((_, i) => picked.has(i));
  const hidden = verdicts.filter((_, i) => !picked.has(i));
  parts.push(nodesTable(entry, shown, hidden));
  const facts = shown.map(nodeFacts).join('');
  if (facts) parts.push(`<details><summary>facts the rules saw, node by node</summary>${facts}</details>`);
  return parts.join('');
}

function schedulingEntry(entry: SchedulingAttemptEntry, start: Date, open: boolean): string {
  const headline =
    entry.outcome === 'bound'
      ? `<span class="badge bound">Scheduled</span>pod <b>${escapeHtml(entry.pod)}</b> → node <b>${escapeHtml(entry.node ?? '')}</b>`
      : `<span class="badge unschedulable">FailedScheduling</span>pod <b>${escapeHtml(entry.pod)}</b>`;
  return (
    `<details class="entry"${open ? ' open' : ''}><summary><span class="time">${offset(entry.time, start)}</span>` +
    `${headline}</summary><div class="body">${schedulingBody(entry)}</div></details>`
  );
}

function decisionEntry(entry: RuleDecisionEntry, start: Date): string {
  return (
    `<details class="entry"><summary><span class="time">${offset(entry.time, start)}</span>` +
    `<span class="badge rule">${escapeHtml(entry.decision.point)}</span>${escapeHtml(entry.subject)}: ` +
    `<b>${escapeHtml(entry.outcome)}</b></summary><div class="body">` +
    `<h4>fired rules</h4>${firedTable(entry.decision)}<h4>facts</h4>${factsTable(entry.decision.facts)}` +
    '</div></details>'
  );
}

function headline(entries: readonly TraceEntry[]): string {
  const attempts = entries.filter((e) => e.kind === 'scheduling');
  const bound = attempts.filter((e) => e.outcome === 'bound').length;
  const decisions = entries.length - attempts.length;
  return (
    `<p>${plural(attempts.length, 'scheduling attempt')} (${bound} bound, ${attempts.length - bound} ` +
    `unschedulable), ${plural(decisions, 'other rule decision')}</p>`
  );
}

/** The trace in time order (ties keep their order), each entry's time as an offset from `start`. */
export function renderTraceHtml(entries: TraceEntry[], start: Date): string {
  const sorted = [...entries].sort((a, b) => a.time - b.time);
  const open = sorted.length <= OPEN_UP_TO_ENTRIES;
  const parts = [`<div class="kt"><style>${STYLE}</style>`];
  if (sorted.length === 0) {
    parts.push('<p>No decisions were traced.</p></div>');
    return parts.join('');
  }
  parts.push(headline(sorted));
  let size = 0;
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i];
    const html =
      entry.kind === 'scheduling' ? schedulingEntry(entry, start, open) : decisionEntry(entry, start);
    if (size + html.length > MAX_HTML_CHARS) {
      parts.push(
        `<p class="muted">${sorted.length - i} later entries not shown: the trace is too long for the report.</p>`,
      );
      break;
    }
    size += html.length;
    parts.push(html);
  }
  parts.push('</div>');
  return parts.join('\n');
}
