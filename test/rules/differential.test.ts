// The differential test that licenses the compiled evaluator: on generated rules and facts it must give
// exactly the events json-rules-engine 7.3.1 gives (ReferenceEvaluator), and throw where it throws. The
// rules go through the RuleLoader first, so every generated rule is one a policy author could write.
import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import type { KubeObject } from '../../src/api/object';
import type { PodObject } from '../../src/api/pods';
import type { DeploymentObject, IntOrPercent, ReplicaSetObject } from '../../src/api/replica-sets';
import type { ServiceObject } from '../../src/api/services';
import {
  rolloutContext as buildRolloutContext,
  type RolloutContext,
} from '../../src/controllers/deployment-rollout-rules';
import type { JobFailureContext } from '../../src/controllers/job-failure-rules';
import type { NodeConditionsContext } from '../../src/controllers/node-conditions-rules';
import type { ScaleDownContext } from '../../src/controllers/scale-down-rules';
import { DECISION_POINTS } from '../../src/decision-points';
import type { EndpointsContext } from '../../src/network/endpoints-rules';
import type { EvictionContext } from '../../src/node/eviction-rules';
import type { RestartContext } from '../../src/node/restart-rules';
import { type AnyDecisionPoint, defineDecisionPoint } from '../../src/rules/decision-point';
import {
  CompiledEvaluator,
  type Evaluator,
  orderedRules,
  ReferenceEvaluator,
} from '../../src/rules/evaluate';
import { DEFAULT_RULES_DIR, RuleLoader } from '../../src/rules/loader';
import type { FiredEvent, LoadedRule, LoadedRuleSet } from '../../src/rules/types';
import { parseKubernetesVersion } from '../../src/sim/version';
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
// The shipped rules on generated clusters: one property per decision point (one per directory under rules/),
// over contexts of the shape the cluster's own code builds for that point.

const VERSIONS = ['v1.33', 'v1.34', 'v1.35'].map(parseKubernetesVersion);
const version = fc.constantFrom(...VERSIONS);

const MI = 2 ** 20;
const GI = 2 ** 30;
const BASE_TIME = Date.parse('2025-06-01T12:00:00Z');
/** A timestamp `seconds` before BASE_TIME, as the API server writes it (second precision). */
const timestampBefore = (seconds: number) =>
  new Date(BASE_TIME - seconds * 1000).toISOString().replace('.000Z', 'Z');

const nodeLabels = (nodeName: string) =>
  fc
    .record(
      {
        'topology.kubernetes.io/zone': fc.constantFrom('europe-west1-b', 'europe-west1-c'),
        'node.kubernetes.io/instance-type': fc.constantFrom('e2-standard-4', 'n2-highmem-8'),
        'node-role.kubernetes.io/control-plane': fc.constant(''),
      },
      { requiredKeys: [] },
    )
    .map((labels): Record<string, string> => ({ 'kubernetes.io/hostname': nodeName, ...labels }));

/** The ids of the rules that fired, `ruleSet/rule`. */
const firedRules = (events: readonly FiredEvent[]) => events.map((e) => `${e.ruleSet}/${e.rule}`);

describe('the shipped rules on both evaluators', function () {
  this.timeout(30_000);
  let sets: LoadedRuleSet[];
  before(() => {
    sets = new RuleLoader(DECISION_POINTS).loadDirectories([DEFAULT_RULES_DIR]);
  });
  const pairFor = (name: string) => {
    return pairOf(DECISION_POINTS.get(name) as AnyDecisionPoint, orderedRules(sets, name));
  };

  /** The decision points that have a test below: every directory under rules/ must be one of them. */
  const tested = new Set<string>();
  const decidesAlike = (point: string, on: string, test: () => Promise<void>) => {
    tested.add(point);
    it(`${point} decides alike on ${on}`, test);
  };

  /**
   * Checks that both evaluators decide alike on `numRuns` generated contexts, that the shipped rules never throw,
   * and that the contexts exercised the rules: every shipped rule of the point fired in some run, and every rule
   * with conditions also failed to fire in another (but for those listed in `alwaysFires`, whose conditions hold
   * for every context the cluster can build). `each` sees every context with the events it gave.
   */
  async function checkShipped<C>(
    point: string,
    contexts: fc.Arbitrary<C>,
    options: { numRuns: number; seed: number; alwaysFires?: readonly string[] },
    each: (context: C, events: FiredEvent[]) => void = () => {},
  ): Promise<void> {
    const rules = orderedRules(sets, point);
    expect(rules, `no shipped rules for ${point}`).to.not.be.empty;
    const pair = pairOf(DECISION_POINTS.get(point) as AnyDecisionPoint, rules);
    const fired = new Map<string, number>();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(contexts, async (context) => {
        const reference = await expectSameOutcome(pair, context);
        expect(reference, 'the shipped rules never throw').to.have.property('events');
        const events = (reference as { events: FiredEvent[] }).events;
        runs += 1;
        for (const id of new Set(firedRules(events))) fired.set(id, (fired.get(id) ?? 0) + 1);
        each(context, events);
      }),
      { numRuns: options.numRuns, seed: options.seed },
    );
    const stats = JSON.stringify({ runs, fired: Object.fromEntries(fired) });
    const unconditional = (r: LoadedRule) => JSON.stringify(r.conditions) === '{"all":[]}';
    for (const r of rules) {
      const id = `${r.ruleSet}/${r.name}`;
      const n = fired.get(id) ?? 0;
      expect(n, `rule ${id} never fired: ${stats}`).to.be.greaterThan(0);
      if (options.alwaysFires?.includes(id))
        expect(n, `rule ${id} did not always fire: ${stats}`).to.equal(runs);
      else if (!unconditional(r)) expect(n, `rule ${id} fired in every run: ${stats}`).to.be.lessThan(runs);
    }
    for (const id of options.alwaysFires ?? [])
      expect(rules.map((r) => `${r.ruleSet}/${r.name}`)).to.include(id);
  }

  it('has a test below for every decision point that has shipped rules', () => {
    const directories = readdirSync(DEFAULT_RULES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(directories).to.not.be.empty;
    expect([...tested].sort(), 'decision points tested against rules/ directories').to.deep.equal(
      directories.sort(),
    );
  });

  decidesAlike('scheduling.filter', 'generated pods and nodes', async () => {
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
      { numRuns: 1000, seed: 7 },
    );
    expect(fits).to.be.greaterThan(0);
    expect([...plugins].sort()).to.deep.equal([
      'InterPodAffinity',
      'NodeAffinity',
      'NodeName',
      'NodePorts',
      'NodeResourcesFit',
      'NodeUnschedulable',
      'PodTopologySpread',
      'TaintToleration',
    ]);
  });

  decidesAlike('scheduling.score', 'generated pods and nodes', async () => {
    const pair = pairFor('scheduling.score');
    const plugins = new Set<unknown>();
    await fc.assert(
      fc.asyncProperty(schedulingContext, async (context) => {
        const reference = await expectSameOutcome(pair, context);
        // The inter-pod plugins score only when their PreScore did not skip (a fact that is not null).
        const scored = [context.topology?.interPodAffinityScore, context.topology?.topologySpreadScore];
        const expected = 4 + scored.filter((v) => v !== undefined && v !== null).length;
        expect(reference).to.have.property('events').with.length(expected);
        for (const e of (reference as { events: FiredEvent[] }).events) plugins.add(e.params.plugin);
      }),
      { numRuns: 300, seed: 8 },
    );
    expect(plugins).to.include('InterPodAffinity').and.to.include('PodTopologySpread');
  });

  decidesAlike('taint.eviction', 'generated tolerations and NoExecute taints', async () => {
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

  decidesAlike('admission', 'generated objects', async () => {
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

  // What the kubelet asks when a container exits (Kubelets.afterExit): an exit code and the reason it gives it
  // (Completed for 0, OOMKilled for an OOM kill, Error otherwise, 137 and 143 when it was stopped).
  const restartContext: fc.Arbitrary<RestartContext> = fc
    .record({
      restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never'),
      containerName: fc.constantFrom('app', 'sidecar', 'worker'),
      exit: fc.constantFrom(
        { exitCode: 0, reason: 'Completed' },
        { exitCode: 1, reason: 'Error' },
        { exitCode: 2, reason: 'Error' },
        { exitCode: 137, reason: 'OOMKilled' },
        { exitCode: 137, reason: 'Error' },
        { exitCode: 143, reason: 'Error' },
      ),
      restartCount: fc.integer({ min: 0, max: 12 }),
      ranForSeconds: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 7200 })),
      version,
    })
    .map(({ exit, ...c }) => ({ ...c, ...exit }));

  decidesAlike('kubelet.restart', 'generated container exits', async () => {
    const decisions = new Set<string>();
    await checkShipped('kubelet.restart', restartContext, { numRuns: 300, seed: 11 }, (c, events) => {
      const restarted = events.some((e) => e.type === 'restart');
      decisions.add(`${c.restartPolicy}/${c.exitCode === 0 ? 'success' : 'failure'}: ${restarted}`);
      expect(events.filter((e) => e.type === 'backoff')).to.have.length(1);
    });
    expect([...decisions].sort()).to.deep.equal([
      'Always/failure: true',
      'Always/success: true',
      'Never/failure: false',
      'Never/success: false',
      'OnFailure/failure: true',
      'OnFailure/success: false',
    ]);
  });

  // What a node's eviction manager asks at each pass (EvictionManagers.reconcile): memory.available is the
  // capacity minus the working set of pods and system, which can exceed the capacity.
  const evictionContext: fc.Arbitrary<EvictionContext> = fc
    .record({
      nodeName: fc.constantFrom('node-1', 'node-2', 'node-3'),
      capacityGi: fc.constantFrom(1, 2, 4, 8, 16),
      usedShare: fc.oneof(
        fc.double({ min: 0, max: 1.05, noNaN: true }),
        fc.double({ min: 0.9, max: 1.02, noNaN: true }),
      ),
      version,
    })
    .chain(({ nodeName, capacityGi, usedShare, version: v }) =>
      nodeLabels(nodeName).map((labels) => ({
        nodeName,
        labels,
        memoryCapacity: capacityGi * GI,
        memoryAvailable: capacityGi * GI - Math.round(capacityGi * GI * usedShare),
        version: v,
      })),
    );

  decidesAlike('kubelet.eviction', 'generated nodes and memory use', async () => {
    const types = new Set<string>();
    const available = { below100Mi: 0, above100Mi: 0 };
    await checkShipped('kubelet.eviction', evictionContext, { numRuns: 200, seed: 12 }, (c, events) => {
      // The shipped rules are unconditional: every pass gets the 100Mi hard threshold and the settings.
      types.add(
        events
          .map((e) => e.type)
          .sort()
          .join(),
      );
      if (c.memoryAvailable < 100 * MI) available.below100Mi += 1;
      else available.above100Mi += 1;
    });
    expect([...types]).to.deep.equal(['settings,threshold']);
    // Passes on either side of the threshold, so that the context varies where it matters to the cluster.
    expect(available.below100Mi, JSON.stringify(available)).to.be.greaterThan(10);
    expect(available.above100Mi, JSON.stringify(available)).to.be.greaterThan(10);
  });

  // What the node lifecycle controller asks (NodeLifecycleController.context): the node's conditions as
  // type → status. A kubelet that reports posts Ready and the three pressures; one that went silent has them all
  // Unknown (markUnknown); a node it has not reported for yet has none. NetworkUnavailable comes from the
  // network plugin, when there is one.
  const nodeConditionsContext: fc.Arbitrary<NodeConditionsContext> = fc
    .record({
      nodeName: fc.constantFrom('node-1', 'node-2', 'node-3'),
      kubelet: fc.constantFrom('reporting', 'reporting', 'reporting', 'silent', 'new'),
      ready: fc.constantFrom('True', 'True', 'False'),
      pressures: fc.record({
        MemoryPressure: fc.constantFrom('False', 'False', 'True'),
        DiskPressure: fc.constantFrom('False', 'False', 'True'),
        PIDPressure: fc.constantFrom('False', 'False', 'True'),
      }),
      network: fc.option(fc.constantFrom('False', 'False', 'True'), { nil: undefined }),
      version,
    })
    .chain(({ nodeName, kubelet, ready, pressures, network, version: v }) =>
      nodeLabels(nodeName).map((labels) => {
        const kubeletConditions: Record<string, string> =
          kubelet === 'new'
            ? {}
            : kubelet === 'silent'
              ? {
                  Ready: 'Unknown',
                  MemoryPressure: 'Unknown',
                  DiskPressure: 'Unknown',
                  PIDPressure: 'Unknown',
                }
              : { Ready: ready, ...pressures };
        const conditions =
          network === undefined ? kubeletConditions : { NetworkUnavailable: network, ...kubeletConditions };
        return { nodeName, labels, conditions, version: v };
      }),
    );

  decidesAlike('node.conditions', 'generated node conditions', async () => {
    let untainted = 0;
    await checkShipped(
      'node.conditions',
      nodeConditionsContext,
      // Every version kubespec simulates (v1.33 and later) has the 50s grace period.
      { numRuns: 400, seed: 13, alwaysFires: ['node-monitor-grace-period/since-v1-32'] },
      (_c, events) => {
        if (!events.some((e) => e.type === 'taint')) untainted += 1;
      },
    );
    expect(untainted).to.be.greaterThan(0);
  });

  // What the endpoints controllers ask for each pod a Service selects (EndpointsController.decide): the
  // Service, and a pod of its namespace and selector at some point of its life, possibly being deleted.
  const POD_STATES = {
    unscheduled: { phase: 'Pending', ip: false, ready: undefined },
    starting: { phase: 'Pending', ip: true, ready: 'False' },
    'running, not ready': { phase: 'Running', ip: true, ready: 'False' },
    'running, ready': { phase: 'Running', ip: true, ready: 'True' },
    succeeded: { phase: 'Succeeded', ip: true, ready: 'False' },
    failed: { phase: 'Failed', ip: true, ready: 'False' },
  } as const;
  const endpointsContext: fc.Arbitrary<EndpointsContext> = fc
    .record({
      serviceType: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
      publishNotReadyAddresses: fc.option(fc.boolean(), { nil: undefined, freq: 2 }),
      annotations: fc.option(fc.constant({ 'service.kubernetes.io/topology-mode': 'Auto' }), {
        nil: undefined,
      }),
      state: fc.constantFrom(...(Object.keys(POD_STATES) as (keyof typeof POD_STATES)[])),
      podIPs: fc.boolean(),
      terminating: fc.boolean(),
    })
    .map((g) => {
      const state = POD_STATES[g.state];
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: withoutUndefined({ name: 'web', namespace: 'default', annotations: g.annotations }),
        spec: withoutUndefined({
          type: g.serviceType,
          selector: { app: 'web' },
          ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
          publishNotReadyAddresses: g.publishNotReadyAddresses,
        }),
      } as ServiceObject;
      const status = withoutUndefined({
        phase: state.phase,
        podIP: state.ip ? '10.244.1.7' : undefined,
        podIPs: state.ip && g.podIPs ? [{ ip: '10.244.1.7' }] : undefined,
        conditions:
          state.ready === undefined
            ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }]
            : [
                { type: 'PodScheduled', status: 'True' },
                { type: 'Ready', status: state.ready },
              ],
      });
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: withoutUndefined({
          name: 'web-0',
          namespace: 'default',
          labels: { app: 'web' },
          deletionTimestamp: g.terminating ? timestampBefore(5) : undefined,
        }),
        spec: withoutUndefined({
          nodeName: state.phase === 'Pending' && !state.ip ? undefined : 'node-1',
          containers: [{ name: 'web', image: 'nginx' }],
        }),
        status,
      } as PodObject;
      return { service, pod };
    });

  decidesAlike('service.endpoints', 'generated Services and pods', async () => {
    const conditions = new Set<string>();
    await checkShipped('service.endpoints', endpointsContext, { numRuns: 400, seed: 14 }, (_c, events) => {
      expect(events.length).to.be.at.most(1);
      const p = events[0]?.params;
      conditions.add(p ? `ready ${p.ready}, serving ${p.serving}, terminating ${p.terminating}` : 'none');
    });
    // No endpoint, and every combination of conditions the rules can give.
    expect([...conditions].sort()).to.deep.equal([
      'none',
      'ready false, serving false, terminating false',
      'ready false, serving false, terminating true',
      'ready false, serving true, terminating true',
      'ready true, serving false, terminating false',
      'ready true, serving false, terminating true',
      'ready true, serving true, terminating false',
      'ready true, serving true, terminating true',
    ]);
  });

  // What a ReplicaSet that scales down asks once per active pod (rankPod): the pod, and how many active pods of
  // its owner share its node.
  const scaleDownContext: fc.Arbitrary<ScaleDownContext> = fc
    .record({
      scheduled: fc.boolean(),
      phase: fc.constantFrom('Pending', 'Running', 'Running', 'Unknown'),
      readyForSeconds: fc.option(fc.integer({ min: 0, max: 30 * 86400 }), { nil: undefined }),
      deletionCost: fc.option(
        fc.constantFrom('-100', '0', '5', '1000', '2147483647', '2147483648', '007', '+5', 'high'),
        { nil: undefined },
      ),
      restarts: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 3 }),
      ageSeconds: fc.integer({ min: 1, max: 60 * 86400 }),
      uid: fc.uuid(),
      podsOnSameNode: fc.integer({ min: 0, max: 5 }),
      version,
    })
    .map((g) => {
      // Only a Running pod on a node can be Ready, and not for longer than it exists.
      const phase = g.scheduled ? g.phase : 'Pending';
      const readySeconds =
        g.scheduled && phase === 'Running' && g.readyForSeconds !== undefined
          ? Math.min(g.readyForSeconds, g.ageSeconds)
          : undefined;
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: withoutUndefined({
          name: `web-${g.uid.slice(0, 5)}`,
          namespace: 'default',
          uid: g.uid,
          labels: { app: 'web', 'pod-template-hash': '5d8c7b9f4' },
          annotations:
            g.deletionCost === undefined
              ? undefined
              : { 'controller.kubernetes.io/pod-deletion-cost': g.deletionCost },
          creationTimestamp: timestampBefore(g.ageSeconds),
        }),
        spec: withoutUndefined({
          nodeName: g.scheduled ? 'node-1' : undefined,
          containers: g.restarts.map((_, i) => ({ name: `c${i}`, image: 'nginx' })),
        }),
        status: {
          phase,
          conditions: [
            {
              type: 'Ready',
              status: readySeconds === undefined ? 'False' : 'True',
              lastTransitionTime: timestampBefore(readySeconds ?? g.ageSeconds),
            },
          ],
          containerStatuses: g.scheduled
            ? g.restarts.map((restartCount, i) => ({
                name: `c${i}`,
                image: 'nginx',
                imageID: '',
                ready: readySeconds !== undefined,
                restartCount,
              }))
            : undefined,
        },
      } as PodObject;
      return { pod, podsOnSameNode: g.scheduled ? g.podsOnSameNode : 0, version: g.version };
    });

  decidesAlike('replicaset.scale-down', 'generated active pods', async () => {
    const values = new Map<unknown, Set<unknown>>();
    await checkShipped(
      'replicaset.scale-down',
      scaleDownContext,
      { numRuns: 300, seed: 15 },
      (_c, events) => {
        expect(events.map((e) => e.params.position)).to.have.members([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        for (const e of events) {
          const seen = values.get(e.params.position) ?? new Set();
          // Ready times differ from pod to pod: what matters is that some pods have one and some not.
          seen.add(e.params.position === 6 && e.params.value !== null ? 'a time' : e.params.value);
          values.set(e.params.position, seen);
        }
      },
    );
    const seen = (position: number) => [...(values.get(position) ?? [])];
    expect(seen(1)).to.have.members([false, true]);
    expect(seen(2)).to.have.members([0, 1, 2]);
    expect(seen(3)).to.have.members([false, true]);
    expect(seen(4)).to.have.members([-100, 0, 5, 1000, 2147483647]);
    expect(seen(6)).to.have.members([null, 'a time']);
    expect(seen(7).length).to.be.greaterThan(5);
    expect(seen(9).length).to.be.greaterThan(100);
  });

  // What the Deployment controller asks at each sync of a rolling update (rolloutRolling), with the counts
  // computed by the functions it computes them with, from a Deployment, its new ReplicaSet and its old ones.
  const replicaSetCounts = fc
    .integer({ min: 0, max: 12 })
    .chain((replicas) => fc.integer({ min: 0, max: replicas }).map((available) => ({ replicas, available })));
  const fencepost = fc.constantFrom<IntOrPercent>(0, 1, 2, '25%', '50%', '100%');
  const rolloutContext: fc.Arbitrary<RolloutContext> = fc
    .record({
      desired: fc.integer({ min: 0, max: 10 }),
      rollingUpdate: fc
        .record({ maxSurge: fencepost, maxUnavailable: fencepost })
        // Validation refuses both 0.
        .filter((r) => r.maxSurge !== 0 || r.maxUnavailable !== 0),
      newRS: replicaSetCounts,
      oldRSs: fc.array(replicaSetCounts, { maxLength: 3 }),
      version,
    })
    .map((g) => {
      const replicaSet = (name: string, i: number, counts: { replicas: number; available: number }) =>
        ({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name, namespace: 'default', creationTimestamp: timestampBefore(3600 * (10 - i)) },
          spec: { replicas: counts.replicas, selector: { matchLabels: { app: 'web' } }, template: {} },
          status: {
            replicas: counts.replicas,
            readyReplicas: counts.available,
            availableReplicas: counts.available,
          },
        }) as ReplicaSetObject;
      const d = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas: g.desired,
          selector: { matchLabels: { app: 'web' } },
          template: {},
          strategy: { type: 'RollingUpdate', rollingUpdate: g.rollingUpdate },
        },
      } as DeploymentObject;
      const oldRSs = g.oldRSs.map((counts, i) => replicaSet(`web-old${i}`, i, counts));
      const newRS = replicaSet('web-new', g.oldRSs.length, g.newRS);
      // The facts exactly as the Deployment controller computes them for its rolling-update step.
      return buildRolloutContext(d, newRS, oldRSs, g.version);
    });

  decidesAlike('deployment.rollout', 'generated rolling updates', async () => {
    const steps = new Set<string>();
    await checkShipped('deployment.rollout', rolloutContext, { numRuns: 400, seed: 16 }, (c, events) => {
      const step = events.map((e) =>
        e.type === 'scaleNewReplicaSet'
          ? `scaleNewReplicaSet ${Number(e.params.to) < c.newReplicas ? 'down' : Number(e.params.to) > c.newReplicas ? 'up' : 'unchanged'}`
          : e.type,
      );
      steps.add(step.join(', ') || 'no step');
    });
    expect([...steps]).to.include.members([
      'no step',
      'scaleNewReplicaSet up',
      'scaleNewReplicaSet down',
      'scaleNewReplicaSet unchanged',
      'cleanupUnhealthyOld',
      'cleanupUnhealthyOld, scaleDownOld',
      'scaleNewReplicaSet up, cleanupUnhealthyOld, scaleDownOld',
    ]);
  });

  // What the Job controller asks at each sync of an unfinished Job (JobController.failureContext): counts of
  // failed pods and of container restarts (none under restartPolicy Never, where the Job replaces pods), and how
  // long it has been active, in milliseconds since a startTime of second precision.
  const jobFailureContext: fc.Arbitrary<JobFailureContext> = fc
    .record({
      restartPolicy: fc.constantFrom('Never', 'OnFailure'),
      backoffLimit: fc.constantFrom(0, 1, 3, 6),
      failed: fc.integer({ min: 0, max: 8 }),
      restarts: fc.integer({ min: 0, max: 8 }),
      sinceSuccess: fc.integer({ min: 0, max: 8 }),
      activeDeadlineSeconds: fc.option(fc.constantFrom(10, 60, 600), { nil: null }),
      activeSeconds: fc.oneof(
        fc.integer({ min: 0, max: 900_000 }).map((ms) => ms / 1000),
        fc.constantFrom(0, 10, 60, 600),
      ),
      suspended: fc.boolean(),
    })
    .map((g) => ({
      failed: g.failed,
      backoffLimit: g.backoffLimit,
      restartPolicy: g.restartPolicy,
      restartCount: g.restartPolicy === 'OnFailure' ? g.restarts : 0,
      activeDeadlineSeconds: g.activeDeadlineSeconds,
      activeSeconds: g.activeSeconds,
      suspended: g.suspended,
      failuresSinceSuccess: Math.min(g.failed, g.sinceSuccess),
    }));

  decidesAlike('job.failure', 'generated Job states', async () => {
    const failures = new Set<string>();
    await checkShipped('job.failure', jobFailureContext, { numRuns: 400, seed: 17 }, (_c, events) => {
      failures.add(firedRules(events.filter((e) => e.type === 'fail')).join(', ') || 'none');
    });
    // Each way to fail alone, none, and both limits with the deadline, in the order of their priorities.
    expect([...failures]).to.include.members([
      'none',
      'backoff-limit/failed-pods',
      'backoff-limit/container-restarts',
      'active-deadline/deadline-exceeded',
      'backoff-limit/failed-pods, backoff-limit/container-restarts, active-deadline/deadline-exceeded',
    ]);
  });
});
