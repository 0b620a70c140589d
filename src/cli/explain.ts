// `kubespec explain pod/NAME`: what the simulated cluster decided about one pod and why, from the decision
// trace: each scheduling attempt node by node (which plugin and rule rejected it, with the facts the rules
// saw; the feasible nodes' scores), and the other rule decisions about the pod (admission, taint eviction).

import { dump } from 'js-yaml';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import { kindFromResourceName } from '../api/kinds';
import type { PodObject } from '../api/pods';
import type { Cluster } from '../cluster';
import { printKubectlEvents } from '../report/kubectl-printers';
import { formatGoDuration } from '../report/timeline';
import type { Decision } from '../rules/types';
import { describePod } from '../scenario/describe';
import { EPOCH } from '../sim/clock';
import type { NodeVerdict, RuleDecisionEntry, SchedulingAttemptEntry, TraceEntry } from '../sim/trace';
import { CliError } from './errors';
import { alignColumns } from './text-table';

export interface PodReference {
  namespace: string;
  name: string;
}

/** `pod/web`, `pod/prod/web` (also `pods/…`, `po/…`); `-n` gives the namespace of the first form. */
export function parsePodReference(text: string, namespace: string | undefined): PodReference {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new CliError([`error: name the pod as pod/NAME or pod/NAMESPACE/NAME, not "${text}"`]);
  }
  const kind = kindFromResourceName(parts[0]);
  // k8s:staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go (a resource mapping failure)
  if (!kind) throw new CliError([`error: the server doesn't have a resource type "${parts[0]}"`]);
  if (kind.kind !== 'Pod') throw new CliError([`error: explain tells about pods, not ${kind.resource}`]);
  if (parts.length === 3) {
    if (namespace !== undefined && namespace !== parts[1]) {
      throw new CliError([
        `error: the pod is named in namespace "${parts[1]}" but --namespace is "${namespace}"`,
      ]);
    }
    return { namespace: parts[1], name: parts[2] };
  }
  return { namespace: namespace ?? 'default', name: parts[1] };
}

export function explainPod(cluster: Cluster, ref: PodReference): string {
  const key = `${ref.namespace}/${ref.name}`;
  const entries = cluster.trace.entries.filter((e) => isAbout(e, key));
  const pod = cluster.get('Pod', ref.namespace, ref.name) as PodObject | undefined;
  // k8s:staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go NewNotFound, as kubectl prints it
  if (!pod && entries.length === 0)
    throw new CliError([`Error from server (NotFound): pods "${ref.name}" not found`]);

  const out = [pod ? describePod(pod, key) : `pod ${key} no longer exists`];
  if (cluster.trace.dropped > 0) {
    out.push(
      `(The trace was full: ${cluster.trace.dropped} later entries were dropped, so some decisions may be missing.)`,
    );
  }
  let attempt = 0;
  for (const entry of entries) {
    out.push('');
    if (entry.kind === 'scheduling') {
      attempt += 1;
      out.push(...schedulingAttempt(cluster, entry, attempt));
    } else out.push(...ruleDecision(cluster, entry));
  }
  if (entries.length === 0) out.push('', 'No decisions about this pod were traced.');
  const events = printKubectlEvents(podEvents(cluster, ref), cluster.clock.date());
  if (events)
    out.push(
      '',
      'Events:',
      ...events
        .trimEnd()
        .split('\n')
        .map((line) => `  ${line}`),
    );
  return `${out.join('\n')}\n`;
}

// Subjects name the pod first: `pod default/web` or `pod default/web on node n1`.
function isAbout(entry: TraceEntry, key: string): boolean {
  if (entry.kind === 'scheduling') return entry.pod === key;
  return entry.subject === `pod ${key}` || entry.subject.startsWith(`pod ${key} `);
}

function when(cluster: Cluster, time: number): string {
  return `${cluster.clock.timestamp(time)} (+${formatGoDuration(time - EPOCH)})`;
}

function schedulingAttempt(cluster: Cluster, entry: SchedulingAttemptEntry, n: number): string[] {
  const outcome =
    entry.outcome === 'bound'
      ? `bound to node ${entry.node}`
      : `unschedulable: ${entry.message}${entry.nominatedNode ? `; nominated node ${entry.nominatedNode} for preemption` : ''}`;
  const out = [`Scheduling attempt ${n} at ${when(cluster, entry.time)}: ${outcome}`];
  if (entry.verdicts.length === 0) return [...out, '  No node was evaluated.'];

  const summary = [['NODE', 'RESULT', 'PLUGIN', 'RULE', 'TOTAL']];
  for (const v of entry.verdicts) {
    summary.push([
      v.node,
      result(v, entry),
      v.rejected?.plugin ?? '',
      v.rejected?.rules.join(', ') ?? '',
      v.total === undefined ? '' : number(v.total),
    ]);
  }
  out.push(...alignColumns(summary, '  '));
  const feasible = entry.verdicts.filter((v) => !v.rejected && !v.skipped);
  if (feasible.length === 1 && !feasible[0].scores) {
    out.push('  One node passed the filters, so kube-scheduler did not score it.');
  }
  for (const v of entry.verdicts) out.push('', ...nodeDetails(v, entry));
  return out;
}

function result(v: NodeVerdict, entry: SchedulingAttemptEntry): string {
  if (v.skipped) return 'skipped';
  if (v.rejected) return 'rejected';
  if (entry.outcome === 'bound' && v.node === entry.node) return 'chosen';
  return 'passed';
}

function nodeDetails(v: NodeVerdict, entry: SchedulingAttemptEntry): string[] {
  if (v.skipped) return [`  node ${v.node}: not evaluated: ${v.skipped}`];
  if (v.rejected) {
    return [
      `  node ${v.node}: rejected by ${v.rejected.plugin} (${v.rejected.code})`,
      `    rule: ${v.rejected.rules.join(', ')}`,
      ...v.rejected.reasons.map((r) => `    reason: ${r}`),
      ...decisionFacts('filter facts', v.filterDecision),
    ];
  }
  const chosen = entry.outcome === 'bound' && v.node === entry.node;
  const out = [`  node ${v.node}: passed the filters${chosen ? '; chosen' : ''}`];
  if (v.scores) {
    const rows = [['PLUGIN', 'RAW', 'NORMALIZED', 'WEIGHT', 'SCORE', 'RULE']];
    for (const s of v.scores) {
      rows.push([
        s.plugin,
        number(s.raw),
        number(s.normalized),
        String(s.weight),
        number(s.weight * s.normalized),
        s.rules.join(', '),
      ]);
    }
    rows.push(['total', '', '', '', number(v.total ?? 0), '']);
    out.push(...alignColumns(rows, '    '));
  }
  out.push(...decisionFacts('filter facts', v.filterDecision));
  out.push(...decisionFacts('score facts', v.scoreDecision));
  return out;
}

function ruleDecision(cluster: Cluster, entry: RuleDecisionEntry): string[] {
  const out = [`${entry.decision.point} at ${when(cluster, entry.time)}: ${entry.outcome}`];
  if (entry.subject.includes(' on node ')) out.push(`  about: ${entry.subject}`);
  const fired = entry.decision.events.map((e) => [`${e.ruleSet}/${e.rule}`, e.type, flow(e.params)]);
  if (fired.length > 0) out.push('  fired:', ...alignColumns(fired, '    '));
  else out.push('  fired: no rule');
  out.push(...decisionFacts('facts', entry.decision, '  '));
  return out;
}

/** The facts a decision's rules looked at, with the params they asked them with. */
function decisionFacts(title: string, decision: Decision | undefined, indent = '    '): string[] {
  if (!decision || decision.facts.length === 0) return [];
  return [
    `${indent}${title}:`,
    ...decision.facts.map(
      (f) => `${indent}  ${f.fact}${f.params ? ` ${flow(f.params)}` : ''} = ${flow(f.value)}`,
    ),
  ];
}

function flow(value: unknown): string {
  return dump(value, { flowLevel: 0, lineWidth: -1, noRefs: true }).trimEnd();
}

function number(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));
}

function podEvents(cluster: Cluster, ref: PodReference): CoreEvent[] {
  return (cluster.store.list('Event', ref.namespace) as unknown as CoreEvent[]).filter(
    (e) => e.involvedObject?.kind === 'Pod' && e.involvedObject.name === ref.name,
  );
}
