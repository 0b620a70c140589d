// The decision trace: which rules decided what, with which facts. Scenarios attach it to the report;
// `kubespec explain` prints it. Large simulations turn it off (it would hold one entry per pod × node).
import type { Decision } from '../rules/types';

export interface NodeVerdict {
  node: string;
  /** The rejecting plugin and its reasons, or undefined when the node passed the filters. */
  rejected?: { plugin: string; code: string; reasons: string[]; rules: string[] };
  /** Not evaluated: cut away by a PreFilter, or not reached because enough feasible nodes were found. */
  skipped?: string;
  scores?: { plugin: string; raw: number; normalized: number; weight: number; rules: string[] }[];
  total?: number;
  filterDecision?: Decision;
  scoreDecision?: Decision;
}

export interface SchedulingAttemptEntry {
  kind: 'scheduling';
  time: number;
  pod: string;
  outcome: 'bound' | 'unschedulable';
  node?: string;
  message?: string;
  nominatedNode?: string;
  verdicts: NodeVerdict[];
}

export interface RuleDecisionEntry {
  kind: 'decision';
  time: number;
  /** What was decided about: `pod default/web`, `pod default/web on node n1`. */
  subject: string;
  decision: Decision;
  /** What the mechanics did with it, in words. */
  outcome: string;
}

export type TraceEntry = SchedulingAttemptEntry | RuleDecisionEntry;

export class DecisionTrace {
  readonly entries: TraceEntry[] = [];
  dropped = 0;

  constructor(
    public enabled: boolean,
    private readonly limit = 10_000,
  ) {}

  add(entry: TraceEntry): void {
    if (!this.enabled) return;
    if (this.entries.length >= this.limit) {
      this.dropped += 1;
      return;
    }
    this.entries.push(entry);
  }
}
