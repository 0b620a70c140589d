// `kubespec rules check` (validate rule directories as the cluster would load them) and
// `kubespec rules describe` (the policy author's reference: every decision point, its facts and events).
import { relative } from 'node:path';
import type { AnyDecisionPoint } from '../rules/decision-point';
import { DEFAULT_RULES_DIR, RuleLoader } from '../rules/loader';
import { formatProblem, RuleLoadError } from '../rules/problems';
import { CliError } from './errors';
import { summariseSchema } from './schema-summary';

export interface CheckReport {
  /** `ok: N rule sets, M rules in DIR` for each directory without problems. */
  passed: string[];
  /** `file:line: path: message` for every problem found. */
  problems: string[];
}

/** Checks each directory on its own (an override directory need hold only the rule sets it replaces). */
export function checkRuleDirectories(
  points: ReadonlyMap<string, AnyDecisionPoint>,
  dirs: readonly string[],
): CheckReport {
  const loader = new RuleLoader(points);
  const report: CheckReport = { passed: [], problems: [] };
  for (const dir of dirs.length > 0 ? dirs : [shownDefaultDir()]) {
    try {
      const sets = loader.loadDirectories([dir]);
      const rules = sets.reduce((n, set) => n + set.rules.length, 0);
      report.passed.push(`ok: ${count(sets.length, 'rule set')}, ${count(rules, 'rule')} in ${dir}`);
    } catch (error) {
      if (!(error instanceof RuleLoadError)) throw error;
      report.problems.push(...error.problems.map(formatProblem));
    }
  }
  return report;
}

// `rules` from the repository, the absolute path from anywhere else.
function shownDefaultDir(): string {
  const shown = relative(process.cwd(), DEFAULT_RULES_DIR);
  return shown === '' || shown.startsWith('..') ? DEFAULT_RULES_DIR : shown;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const WIDTH = 100;

/** Every decision point, or only the one named. */
export function describeDecisionPoints(
  points: ReadonlyMap<string, AnyDecisionPoint>,
  only: string | undefined,
): string {
  if (only !== undefined && !points.has(only)) {
    throw new CliError([
      `error: unknown decision point "${only}" (known: ${[...points.keys()].sort().join(', ')})`,
    ]);
  }
  const shown = [...points.values()].filter((p) => only === undefined || p.name === only);
  const out: string[] = [];
  if (only === undefined) {
    out.push(
      ...wrap(
        'Each decision point asks the rule sets in rules/<decision point>/*.yaml. A rule combines the facts below ' +
          '(`fact`, with `params` where shown) and fires one of the events (`event.type`, `event.params`).',
        '',
      ),
      '',
    );
  }
  for (const point of shown) {
    out.push(
      `${point.name}`,
      `  asked by ${point.askedBy}`,
      ...wrap(point.description, '  '),
      '',
      '  Facts:',
    );
    for (const [name, fact] of Object.entries(point.facts)) {
      out.push(`    ${name}${fact.params ? ` params ${summariseSchema(fact.params)}` : ''}`);
      out.push(...wrap(fact.description, '      '));
    }
    out.push('', '  Events:');
    for (const [name, event] of Object.entries(point.events)) {
      out.push(`    ${name} params ${summariseSchema(event.params)}`);
      out.push(...wrap(event.description, '      '));
    }
    out.push('');
  }
  return out.join('\n');
}

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}
