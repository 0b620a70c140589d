// The differential test that licenses the compiled evaluator: on generated rules and facts it must give
// exactly the events json-rules-engine 7.3.1 gives (ReferenceEvaluator), and throw where it throws. The
// rules go through the RuleLoader first, so every generated rule is one a policy author could write.
import { expect } from 'chai';
import fc from 'fast-check';
import type { KubeObject } from '../../src/api/object';
import { DECISION_POINTS } from '../../src/decision-points';
import { type AnyDecisionPoint, defineDecisionPoint } from '../../src/rules/decision-point';
import {
  CompiledEvaluator,
  type Evaluator,
  orderedRules,
  ReferenceEvaluator,
} from '../../src/rules/evaluate';
import { DEFAULT_RULES_DIR, RuleLoader } from '../../src/rules/loader';
import type { FiredEvent, LoadedRule, LoadedRuleSet } from '../../src/rules/types';
import { schedulingContext, TAINTS, toleration } from '../support/scheduling-contexts';

type Outcome = { events: FiredEvent[] } | { error: Error };

async function outcome(evaluator: Evaluator, context: unknown): Promise<Outcome> {
  try {
    return { events: (await evaluator.evaluate(context)).events };
  } catch (error) {
    return { error: error as Error };
  }
}

interface Pair {
  compiled: Evaluator;
  reference: Evaluator;
}

const pairOf = (point: AnyDecisionPoint, rules: readonly LoadedRule[]): Pair => ({
  compiled: new CompiledEvaluator(point, rules),
  reference: new ReferenceEvaluator(point, rules),
});

/** Runs both evaluators; returns the reference outcome after asserting the compiled one agrees. */
async function expectSameOutcome(pair: Pair, context: unknown): Promise<Outcome> {
  const reference = await outcome(pair.reference, context);
  const compiled = await outcome(pair.compiled, context);
  const where = () =>
    JSON.stringify({ rules: pair.reference.rules.map((r) => [r.conditions, r.event]), context });
  if ('error' in reference) {
    expect(
      compiled,
      `json-rules-engine threw ${reference.error.message}; compiled did not: ${where()}`,
    ).to.have.property('error');
    // Which of several failing conditions throws first may differ; the kind of failure may not.
    expect((compiled as { error: Error }).error.constructor.name, where()).to.equal(
      reference.error.constructor.name,
    );
  } else {
    if ('error' in compiled)
      expect.fail(`compiled threw ${compiled.error.message}; json-rules-engine did not: ${where()}`);
    expect(compiled.events, where()).to.deep.equal(reference.events);
  }
  return reference;
}

// ---------------------------------------------------------------------------------------------------
// Generated rules over a probe decision point whose facts return generated values

interface ProbeContext {
  values: Record<string, unknown>;
  picks: Record<string, unknown>;
}

const PICK_KEYS = ['x', 'y', 'z'];

const probe = defineDecisionPoint<ProbeContext>({
  name: 'probe',
  askedBy: 'the differential test',
  description: 'Facts that return whatever the test generated.',
  facts: {
    a: { description: 'values.a', compute: (c) => c.values.a },
    b: { description: 'values.b', compute: (c) => c.values.b },
    c: { description: 'values.c', compute: (c) => c.values.c },
    pick: {
      description: 'picks[params.key]',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key'],
        properties: { key: { enum: PICK_KEYS } },
      },
      compute: (c, p) => c.picks[p.key as string],
    },
  },
  events: { fire: { description: 'Any params.', params: { type: 'object' } } },
});

const BASE_OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
];
const DECORATORS = ['not', 'someFact', 'everyFact', 'someValue', 'everyValue', 'swap'];
const PATHS = [
  '$',
  '$.a',
  '$.a.b',
  '$.list[0]',
  '$.list[1]',
  '$.length',
  '$[0]',
  '$[1]',
  '$.a.length',
  '$.b.length',
  '$.b[0]',
];

// A small pool, so that equal values, numeric strings against numbers and substrings actually meet.
const scalar = fc.oneof(
  fc.constantFrom<unknown>(
    0,
    1,
    2,
    -1,
    0.5,
    '',
    '',
    '0',
    '1',
    '2',
    'a',
    'b',
    'ab',
    '{{ x }}',
    true,
    false,
    null,
  ),
  fc.integer({ min: -3, max: 3 }),
  fc.string({ maxLength: 3 }),
);

const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'list', 'length', '0'), tie('json'), { maxKeys: 3 }),
  ),
}));

const path = fc.option(fc.constantFrom(...PATHS), { nil: undefined });
const withoutUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const factRef = fc.oneof(
  fc.record({ fact: fc.constantFrom('a', 'b', 'c'), path }).map(withoutUndefined),
  fc
    .record({ fact: fc.constant('pick'), params: fc.record({ key: fc.constantFrom(...PICK_KEYS) }), path })
    .map(withoutUndefined),
);

// Mostly undecorated: `in` on a non-list and someValue: on a non-list throw, and one throwing condition
// sinks the whole evaluation, so a uniform mix would leave few evaluations that complete.
const decorators = fc.oneof(
  { arbitrary: fc.constant([]), weight: 8 },
  { arbitrary: fc.array(fc.constantFrom(...DECORATORS), { minLength: 1, maxLength: 2 }), weight: 3 },
);
const operator = fc
  .tuple(decorators, fc.constantFrom(...BASE_OPERATORS))
  .map(([d, base]) => [...d, base].join(':'));

const priority = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 3 });

// Operators that index into their value (in, notIn, someValue:, everyValue:) get mostly lists, for the
// same reason; the other values still reach them now and then.
const wantsList = (op: string) => /(^|:)(in|notIn)$|someValue:|everyValue:/.test(op);
const leaf = fc
  .tuple(factRef, operator, priority)
  .chain(([ref, op, p]) =>
    (wantsList(op)
      ? fc.oneof({ arbitrary: fc.array(scalar, { maxLength: 3 }), weight: 8 }, json, factRef)
      : fc.oneof(json, factRef)
    ).map((value) => withoutUndefined({ ...ref, operator: op, value, priority: p })),
  );

const { condition } = fc.letrec<{ condition: unknown }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie('condition'), { maxLength: 3 }), priority }).map(withoutUndefined),
    fc.record({ any: fc.array(tie('condition'), { maxLength: 3 }), priority }).map(withoutUndefined),
    fc.record({ not: tie('condition'), priority }).map(withoutUndefined),
  ),
}));

const topLevel = fc.oneof(
  fc.record({ all: fc.array(condition, { maxLength: 3 }) }),
  fc.record({ any: fc.array(condition, { maxLength: 3 }) }),
  fc.record({ not: condition }),
);

// A literal "{{ x }}" is a template the loader checks; templates come from the chain below.
const literalParam = json.filter((v) => !JSON.stringify(v ?? null).includes('{{'));

// Params: literals and fact references (lists among them), plus a template over some of them.
const eventParams = fc
  .dictionary(fc.constantFrom('m', 'x', 'y', 'z'), fc.oneof(literalParam, factRef, factRef), { maxKeys: 3 })
  .chain((params) =>
    fc
      .option(
        fc
          .array(
            fc.oneof(
              fc.constantFrom('Insufficient ', ' and ', '!'),
              fc.constantFrom(...Object.keys(params), 't'),
            ),
            { minLength: 1, maxLength: 4 },
          )
          .map((parts) => parts.map((p) => (p in params || p === 't' ? `{{ ${p} }}` : p)).join('')),
        { nil: undefined },
      )
      .map((t) => (t === undefined ? params : { ...params, t })),
  );

const rule = fc
  .record({ conditions: topLevel, params: eventParams, priority })
  .map(({ conditions, params, priority: p }) => ({ conditions, params, priority: p }));

const ruleSets = fc.array(fc.record({ priority, rules: fc.array(rule, { minLength: 1, maxLength: 4 }) }), {
  minLength: 1,
  maxLength: 2,
});

const probeContext = fc.record({
  values: fc.record({ a: json, b: json, c: json }, { requiredKeys: [] }),
  picks: fc.record({ x: json, y: json, z: json }, { requiredKeys: [] }),
});

type GeneratedSets = {
  priority?: number;
  rules: { conditions: unknown; params: object; priority?: number }[];
}[];

function ruleText(sets: GeneratedSets): string {
  // JSON is YAML: the loader parses, schema-checks and fact-checks what was generated.
  return sets
    .map((set, s) =>
      JSON.stringify({
        apiVersion: 'kubespec.io/v1',
        kind: 'RuleSet',
        metadata: { name: `set-${s}` },
        spec: withoutUndefined({
          decisionPoint: 'probe',
          priority: set.priority,
          rules: set.rules.map((r, i) =>
            withoutUndefined({
              name: `rule-${i}`,
              priority: r.priority,
              conditions: r.conditions,
              event: { type: 'fire', params: r.params },
            }),
          ),
        }),
      }),
    )
    .join('\n---\n');
}

describe('CompiledEvaluator against json-rules-engine', function () {
  this.timeout(30_000);

  const loader = new RuleLoader(new Map([['probe', probe as AnyDecisionPoint]]));
  const load = (sets: GeneratedSets): LoadedRule[] =>
    orderedRules(loader.loadText([], { file: 'generated', text: ruleText(sets) }), 'probe');

  it('gives identical events, and throws where json-rules-engine throws, on generated rules and facts', async () => {
    // Outcomes per evaluation (thrown or not) and per rule of the evaluations that completed.
    const seen = { evaluations: 0, thrown: 0, rules: 0, fired: 0 };
    await fc.assert(
      fc.asyncProperty(
        ruleSets,
        fc.array(probeContext, { minLength: 1, maxLength: 4 }),
        async (sets, contexts) => {
          const rules = load(sets);
          const pair = pairOf(probe, rules);
          for (const context of contexts) {
            const reference = await expectSameOutcome(pair, context);
            seen.evaluations += 1;
            if ('error' in reference) seen.thrown += 1;
            else {
              seen.rules += rules.length;
              seen.fired += reference.events.length;
            }
          }
        },
      ),
      { numRuns: 1000, seed: 20250101 },
    );
    // The generators must reach every kind of outcome, or the agreement above says little.
    const stats = JSON.stringify(seen);
    expect(seen.thrown, stats).to.be.within(seen.evaluations / 50, seen.evaluations / 2);
    expect(seen.fired, stats).to.be.within(seen.rules / 5, (seen.rules * 4) / 5);
  });

  describe('cases the generators found or that json-rules-engine documents', () => {
    const rulesOf = (conditions: unknown, params: Record<string, unknown> = {}) =>
      load([{ rules: [{ conditions, params }] }]);
    const context = (values: Record<string, unknown>, picks: Record<string, unknown> = {}) => ({
      values,
      picks,
    });

    it('evaluates a whole priority group before `all` gives up, so a later `in` on a non-array throws', async () => {
      const rules = rulesOf({
        all: [
          { fact: 'a', operator: 'equal', value: 1 },
          { fact: 'b', operator: 'in', value: 5 },
        ],
      });
      const reference = await expectSameOutcome(pairOf(probe, rules), context({ a: 2, b: 1 }));
      expect(reference).to.have.property('error').that.is.instanceOf(TypeError);
    });

    it('runs higher-priority conditions first and skips lower groups once `all` is decided', async () => {
      const rules = rulesOf({
        all: [
          { fact: 'b', operator: 'in', value: 5 },
          { fact: 'a', operator: 'equal', value: 1, priority: 2 },
        ],
      });
      expect(await expectSameOutcome(pairOf(probe, rules), context({ a: 2, b: 1 }))).to.deep.equal({
        events: [],
      });
    });

    it('skips lower groups once `any` is decided', async () => {
      const rules = rulesOf({
        any: [
          { fact: 'b', operator: 'someValue:equal', value: 'not a list' },
          { fact: 'a', operator: 'equal', value: 2, priority: 3 },
        ],
      });
      const reference = await expectSameOutcome(pairOf(probe, rules), context({ a: 2 }));
      expect(reference).to.have.property('events').with.length(1);
    });

    it('stops a path at a falsy value, as jsonpath-plus does: `$.s.length` of "" is undefined', async () => {
      const rules = rulesOf({ all: [] }, { n: { fact: 'a', path: '$.s.length' } });
      const reference = await expectSameOutcome(pairOf(probe, rules), context({ a: { s: '' } }));
      expect((reference as { events: FiredEvent[] }).events[0].params).to.deep.equal({ n: undefined });
    });

    it('expands templates of the rule file only, not a fact value that looks like one', async () => {
      const rules = rulesOf({ all: [] }, { m: { fact: 'a' }, x: 'X', t: '{{ m }}/{{ x }}' });
      const reference = await expectSameOutcome(pairOf(probe, rules), context({ a: '{{ x }}' }));
      expect((reference as { events: FiredEvent[] }).events[0].params).to.deep.equal({
        m: '{{ x }}',
        x: 'X',
        t: '{{ x }}/X',
      });
    });

    it('expands a template over a list param into one string per item', async () => {
      const rules = rulesOf({ all: [] }, { r: { fact: 'a' }, reason: 'Insufficient {{ r }}' });
      const reference = await expectSameOutcome(pairOf(probe, rules), context({ a: ['cpu', 'memory'] }));
      expect((reference as { events: FiredEvent[] }).events[0].params.reason).to.deep.equal([
        'Insufficient cpu',
        'Insufficient memory',
      ]);
    });

    // Three rule sets of priorities 3, 2, 1: set-0 fires only for a = 1, the others always.
    const threeGroups = (set0: unknown) =>
      orderedRules(
        loader.loadText([], {
          file: 'generated',
          text: ruleText([
            { priority: 3, rules: [{ conditions: set0, params: {} }] },
            { priority: 2, rules: [{ conditions: { all: [] }, params: {} }] },
            { priority: 1, rules: [{ conditions: { all: [] }, params: {} }] },
          ]),
        }),
        'probe',
      );
    const firedSets = (o: Outcome) => ('events' in o ? o.events.map((e) => e.ruleSet) : o.error.message);

    it('decides overlapping json-rules-engine evaluations as it decides each alone', async () => {
      // For a = 2 the first condition group ends set-0 early, so that run finishes before the a = 1 run.
      const pair = pairOf(
        probe,
        threeGroups({
          all: [
            { fact: 'a', operator: 'equal', value: 1, priority: 3 },
            {
              all: [
                { not: { fact: 'a', operator: 'equal', value: 2 } },
                { fact: 'a', operator: 'equal', value: 1 },
              ],
            },
          ],
        }),
      );
      const [two, one] = await Promise.all([
        outcome(pair.reference, context({ a: 2 })),
        outcome(pair.reference, context({ a: 1 })),
      ]);
      expect(firedSets(two)).to.deep.equal(['set-1', 'set-2']);
      expect(firedSets(one)).to.deep.equal(['set-0', 'set-1', 'set-2']);
    });

    it('decides a json-rules-engine evaluation after one that threw as it decides it alone', async () => {
      const pair = pairOf(probe, threeGroups({ all: [{ fact: 'a', operator: 'in', value: { fact: 'b' } }] }));
      expect(firedSets(await expectSameOutcome(pair, context({ a: 1 })))).to.equal(
        "Cannot read properties of undefined (reading 'indexOf')",
      );
      expect(firedSets(await expectSameOutcome(pair, context({ a: 1, b: [1] })))).to.deep.equal([
        'set-0',
        'set-1',
        'set-2',
      ]);
    });

    it('orders events by rule priority, then file order, across rule sets', async () => {
      const rules = orderedRules(
        loader.loadText([], {
          file: 'generated',
          text: ruleText([
            { rules: [{ conditions: { all: [] }, params: { n: 1 } }] },
            {
              priority: 2,
              rules: [
                { conditions: { all: [] }, params: { n: 2 } },
                { conditions: { all: [] }, params: { n: 3 }, priority: 3 },
              ],
            },
          ]),
        }),
        'probe',
      );
      const reference = (await expectSameOutcome(pairOf(probe, rules), context({}))) as {
        events: FiredEvent[];
      };
      expect(reference.events.map((e) => [e.ruleSet, e.rule, e.priority, e.params.n])).to.deep.equal([
        ['set-1', 'rule-1', 3, 3],
        ['set-1', 'rule-0', 2, 2],
        ['set-0', 'rule-0', 1, 1],
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// The shipped rules on generated clusters

describe('the shipped rules on both evaluators', function () {
  this.timeout(30_000);
  let sets: LoadedRuleSet[];
  before(() => {
    sets = new RuleLoader(DECISION_POINTS).loadDirectories([DEFAULT_RULES_DIR]);
  });
  const pairFor = (name: string) => {
    return pairOf(DECISION_POINTS.get(name) as AnyDecisionPoint, orderedRules(sets, name));
  };

  it('scheduling.filter decides alike on generated pods and nodes', async () => {
    const pair = pairFor('scheduling.filter');
    const plugins = new Set<unknown>();
    let fits = 0;
    await fc.assert(
      fc.asyncProperty(schedulingContext, async (context) => {
        const reference = await expectSameOutcome(pair, context);
        expect(reference, 'the shipped rules never throw').to.have.property('events');
        const events = (reference as { events: FiredEvent[] }).events;
        if (events.length === 0) fits += 1;
        for (const e of events) plugins.add(e.params.plugin);
      }),
      { numRuns: 400, seed: 7 },
    );
    expect(fits).to.be.greaterThan(0);
    expect([...plugins].sort()).to.deep.equal([
      'NodeAffinity',
      'NodeName',
      'NodePorts',
      'NodeResourcesFit',
      'NodeUnschedulable',
      'TaintToleration',
    ]);
  });

  it('scheduling.score decides alike on generated pods and nodes', async () => {
    const pair = pairFor('scheduling.score');
    await fc.assert(
      fc.asyncProperty(schedulingContext, async (context) => {
        const reference = await expectSameOutcome(pair, context);
        expect(reference).to.have.property('events').with.length(4);
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it('taint.eviction decides alike on generated tolerations and NoExecute taints', async () => {
    const pair = pairFor('taint.eviction');
    const afters = new Set<unknown>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          tolerations: fc.array(toleration, { maxLength: 4 }),
          taints: fc.subarray(TAINTS.filter((t) => t.effect === 'NoExecute')),
        }),
        async (context) => {
          const reference = await expectSameOutcome(pair, context);
          for (const e of (reference as { events: FiredEvent[] }).events) afters.add(e.params.after);
        },
      ),
      { numRuns: 400, seed: 9 },
    );
    expect([...afters]).to.include.members([0, 30, 300]);
  });

  it('admission decides alike on generated objects', async () => {
    const pair = pairFor('admission');
    let added = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          kind: fc.constantFrom('Pod', 'Node', 'Service'),
          tolerations: fc.array(toleration, { maxLength: 3 }),
        }),
        async ({ kind, tolerations }) => {
          const object: KubeObject = {
            apiVersion: 'v1',
            kind,
            metadata: { name: 'o', namespace: 'default' },
            spec: { tolerations },
          };
          const reference = await expectSameOutcome(pair, { object });
          added += (reference as { events: FiredEvent[] }).events.length;
        },
      ),
      { numRuns: 300, seed: 10 },
    );
    expect(added).to.be.greaterThan(0);
  });
});
