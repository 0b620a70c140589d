// Two evaluators of the same rule JSON. json-rules-engine defines the semantics and gives the detailed
// trace; the compiled evaluator turns each rule into plain closures once, for the hot paths (the
// scheduler asks scheduling.filter for every pod × node class). test/rules/differential.test.ts holds
// them to identical decisions on generated rules and facts, and `--engine json-rules-engine` runs a
// whole simulation on the reference engine.
import { Engine } from 'json-rules-engine';
import type { AnyDecisionPoint } from './decision-point';
import { isFactReference } from './loader';
import { compileOperator } from './operators';
import { compilePath } from './paths';
import { stableStringify } from './stable-json';
import { expandTemplate, hasTemplate } from './templates';
import type {
  Condition,
  Decision,
  EngineKind,
  FactReference,
  FactValue,
  FiredEvent,
  LoadedRule,
  LoadedRuleSet,
  TopLevelCondition,
} from './types';

export interface Evaluator {
  readonly point: string;
  readonly rules: readonly LoadedRule[];
  evaluate(context: unknown): Promise<Decision>;
}

/** The rules of one decision point in evaluation order: priority (higher first), then file order. */
export function orderedRules(sets: readonly LoadedRuleSet[], point: string): LoadedRule[] {
  const rules: LoadedRule[] = [];
  for (const set of sets) if (set.decisionPoint === point) rules.push(...set.rules);
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map((x, order) => ({ ...x.rule, order }));
}

export function createEvaluator(
  kind: EngineKind,
  point: AnyDecisionPoint,
  rules: readonly LoadedRule[],
): Evaluator {
  return kind === 'compiled' ? new CompiledEvaluator(point, rules) : new ReferenceEvaluator(point, rules);
}

/** Expands templates and fixes the event order, the same for both evaluators. */
function finishEvent(rule: LoadedRule, params: Record<string, unknown>): FiredEvent {
  const finished: Record<string, unknown> = { ...params };
  for (const [key, value] of Object.entries(params)) {
    // Only the rule file's own strings are templates; a fact's value is data, even if it holds "{{ x }}".
    if (!hasTemplate(value) || rule.event.params[key] !== value) continue;
    const expanded = expandTemplate(value, params);
    finished[key] = expanded.length === 1 && !hasListPlaceholder(value, params) ? expanded[0] : expanded;
  }
  return {
    type: rule.event.type,
    params: finished,
    ruleSet: rule.ruleSet,
    rule: rule.name,
    priority: rule.priority,
  };
}

function hasListPlaceholder(template: string, params: Record<string, unknown>): boolean {
  return [...template.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].some((m) =>
    Array.isArray(params[m[1]]),
  );
}

// ---------------------------------------------------------------------------------------------------
// Compiled evaluator

interface Env {
  context: unknown;
  memo: Map<string, unknown>;
  facts: FactValue[];
}

type Test = (env: Env) => boolean;
type Getter = (env: Env) => unknown;

interface CompiledRule {
  rule: LoadedRule;
  test: Test;
  params: [string, Getter | { literal: unknown }][];
}

export class CompiledEvaluator implements Evaluator {
  readonly point: string;
  private readonly compiled: CompiledRule[];

  constructor(
    private readonly definition: AnyDecisionPoint,
    readonly rules: readonly LoadedRule[],
  ) {
    this.point = definition.name;
    this.compiled = rules.map((rule) => ({
      rule,
      test: this.compileTop(rule.conditions),
      params: Object.entries(rule.event.params).map(([key, value]) => [
        key,
        isFactReference(value) ? this.compileFact(value) : { literal: value },
      ]),
    }));
  }

  async evaluate(context: unknown): Promise<Decision> {
    return this.evaluateSync(context);
  }

  evaluateSync(context: unknown): Decision {
    const env: Env = { context, memo: new Map(), facts: [] };
    const events: FiredEvent[] = [];
    for (const c of this.compiled) {
      if (!c.test(env)) continue;
      const params: Record<string, unknown> = {};
      for (const [key, source] of c.params)
        params[key] = typeof source === 'function' ? source(env) : source.literal;
      events.push(finishEvent(c.rule, params));
    }
    return { point: this.point, events, facts: env.facts };
  }

  private compileTop(condition: TopLevelCondition): Test {
    return this.compileCondition(condition as Condition);
  }

  private compileCondition(condition: Condition): Test {
    if ('all' in condition) return this.compilePrioritized(condition.all, true);
    if ('any' in condition) return this.compilePrioritized(condition.any, false);
    if ('not' in condition) {
      const inner = this.compileCondition(condition.not);
      return (env) => !inner(env);
    }
    const left = this.compileFact(condition);
    const right: Getter = isFactReference(condition.value)
      ? this.compileFact(condition.value)
      : () => (condition as { value: unknown }).value;
    const operator = compileOperator(condition.operator);
    return (env) => operator(left(env), right(env));
  }

  // json-rules-engine's rule.js prioritizeAndRun: an empty `all` or `any` is true; otherwise the conditions
  // are grouped by priority (a fact condition without one takes its fact's, 1), groups run highest first,
  // and each group is evaluated in full (Promise.all) before `all`/`any` may stop. Stopping inside a group
  // would hide the error a later condition of the group throws (e.g. `in` on a non-array) from this side.
  private compilePrioritized(conditions: Condition[], every: boolean): Test {
    if (conditions.length === 0) return () => true;
    if (conditions.length === 1) return this.compileCondition(conditions[0]);
    const groups = new Map<number, Test[]>();
    for (const c of conditions) {
      const priority = c.priority || 1;
      groups.set(priority, [...(groups.get(priority) ?? []), this.compileCondition(c)]);
    }
    const ordered = [...groups.entries()].sort((a, b) => b[0] - a[0]).map(([, tests]) => tests);
    return (env) => {
      for (const tests of ordered) {
        let decided = false;
        for (const test of tests) if (test(env) !== every) decided = true;
        if (decided) return !every;
      }
      return every;
    };
  }

  private compileFact(ref: FactReference): Getter {
    const definition = this.definition.facts[ref.fact];
    if (!definition) throw new Error(`unknown fact ${ref.fact} at ${this.point}`);
    const params = ref.params ?? {};
    const key = `${ref.fact}\0${stableStringify(params)}`;
    const path = compilePath(ref.path);
    const get: Getter = (env) => {
      if (env.memo.has(key)) return env.memo.get(key);
      const value = definition.compute(env.context, params);
      env.memo.set(key, value);
      env.facts.push(
        Object.keys(params).length > 0 ? { fact: ref.fact, params, value } : { fact: ref.fact, value },
      );
      return value;
    };
    return path ? (env) => path(get(env)) : get;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reference evaluator: json-rules-engine itself

const CONTEXT_FACT = '__kubespecContext';

export class ReferenceEvaluator implements Evaluator {
  readonly point: string;
  private readonly engine: Engine;
  private readonly byName = new Map<string, LoadedRule>();

  constructor(
    definition: AnyDecisionPoint,
    readonly rules: readonly LoadedRule[],
  ) {
    this.point = definition.name;
    this.engine = new Engine([], { allowUndefinedFacts: false, replaceFactsInEventParams: true });
    for (const rule of rules) {
      const id = `${rule.ruleSet}/${rule.name}`;
      this.byName.set(id, rule);
      this.engine.addRule({
        name: id,
        priority: rule.priority,
        conditions: rule.conditions as never,
        event: { type: rule.event.type, params: rule.event.params },
      });
    }
    for (const [name, fact] of Object.entries(definition.facts)) {
      this.engine.addFact(name, async (params, almanac) => {
        const run = (await almanac.factValue(CONTEXT_FACT)) as RunState;
        const given = params as Record<string, unknown> | undefined;
        const value = fact.compute(run.context, given ?? {});
        run.facts.push(
          given && Object.keys(given).length > 0
            ? { fact: name, params: given, value }
            : { fact: name, value },
        );
        return value;
      });
    }
  }

  // json-rules-engine keeps the run status on the engine: a run that ends marks it FINISHED, and an
  // overlapping run then skips its remaining priority groups. A run that rejected even goes on evaluating
  // its lower-priority rules in the background and marks FINISHED later. So runs go one at a time, and
  // after a rejection the next waits until the abandoned run's promise chain (microtasks only) has drained.
  private idle: Promise<unknown> = Promise.resolve();

  evaluate(context: unknown): Promise<Decision> {
    const decision = this.idle.then(() => this.run(context));
    this.idle = decision.catch(() => new Promise((resolve) => setImmediate(resolve)));
    return decision;
  }

  private async run(context: unknown): Promise<Decision> {
    const run: RunState = { context, facts: [] };
    const { results } = await this.engine.run({ [CONTEXT_FACT]: run });
    const fired = results
      .map((r) => ({ result: r, rule: this.byName.get(r.name as string) as LoadedRule }))
      .sort((a, b) => a.rule.order - b.rule.order);
    const events = fired.map(({ result, rule }) =>
      finishEvent(rule, (result.event?.params ?? {}) as Record<string, unknown>),
    );
    return { point: this.point, events, facts: run.facts };
  }
}

interface RunState {
  context: unknown;
  facts: FactValue[];
}
