// The policy in force: the rule sets of every decision point, loaded from the rules directories (and any
// rule sets a scenario adds), with one evaluator per decision point, built once.
import type { AnyDecisionPoint } from './decision-point';
import { createEvaluator, type Evaluator, orderedRules } from './evaluate';
import { DEFAULT_RULES_DIR, RuleLoader } from './loader';
import type { EngineKind, LoadedRuleSet } from './types';

export interface PolicyOptions {
  /** Rules directories, later ones overriding earlier ones by rule-set name. Default: the shipped rules/. */
  rulesDirs?: readonly string[];
  engine?: EngineKind;
}

export class Policy {
  private readonly evaluators = new Map<string, Evaluator>();

  private constructor(
    readonly points: ReadonlyMap<string, AnyDecisionPoint>,
    readonly ruleSets: readonly LoadedRuleSet[],
    readonly engine: EngineKind,
    private readonly loader: RuleLoader,
  ) {
    for (const point of points.values()) {
      this.evaluators.set(point.name, createEvaluator(engine, point, orderedRules(ruleSets, point.name)));
    }
  }

  static load(points: ReadonlyMap<string, AnyDecisionPoint>, options: PolicyOptions = {}): Policy {
    const loader = new RuleLoader(points);
    const sets = loader.loadDirectories(options.rulesDirs ?? [DEFAULT_RULES_DIR]);
    return new Policy(points, sets, options.engine ?? 'compiled', loader);
  }

  /** This policy with rule sets from text layered on top (a scenario's "Given the rule set:"). */
  withRuleText(text: string, label: string): Policy {
    const sets = this.loader.loadText(this.ruleSets, { file: label, text });
    return new Policy(this.points, sets, this.engine, this.loader);
  }

  evaluator(point: string): Evaluator {
    const e = this.evaluators.get(point);
    if (!e) throw new Error(`no decision point ${point}`);
    return e;
  }
}
