import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import { DECISION_POINTS } from '../../src/decision-points';
import { orderedRules } from '../../src/rules/evaluate';
import { DEFAULT_RULES_DIR, RuleLoader } from '../../src/rules/loader';
import { Policy } from '../../src/rules/policy';
import { RuleLoadError, type RuleProblem } from '../../src/rules/problems';
import type { LoadedRuleSet } from '../../src/rules/types';
import { NodeInfo } from '../../src/scheduler/node-info';
import { buildPodInfo } from '../../src/scheduler/pod-info';
import { parseKubernetesVersion } from '../../src/sim/version';

// Problems name files relative to the working directory; mocha runs from the repository root.
const FIXTURES = 'test/fixtures/rules';
const fixture = (name: string) => join(FIXTURES, name);

// The decision points grow with the project; the messages list whatever they define, sorted.
const SCHEDULING_FILTER_FACTS = Object.keys(DECISION_POINTS.get('scheduling.filter')?.facts ?? {})
  .sort()
  .join(', ');
const KNOWN_POINTS = [...DECISION_POINTS.keys()].sort().join(', ');
const UNKNOWN_OPERATOR =
  'use one of equal, notEqual, in, notIn, contains, doesNotContain, lessThan, lessThanInclusive, greaterThan, ' +
  'greaterThanInclusive, optionally prefixed by decorators (not:, someFact:, everyFact:, someValue:, everyValue:, swap:)';

function problemsOf(load: () => unknown): RuleProblem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof RuleLoadError) return error.problems;
    throw error;
  }
  expect.fail('expected a RuleLoadError');
}

describe('RuleLoader', () => {
  const loader = new RuleLoader(DECISION_POINTS);
  const problemsIn = (name: string) => problemsOf(() => loader.loadDirectories([fixture(name)]));
  const file = (name: string, point: string, yaml: string) => `${fixture(name)}/${point}/${yaml}`;

  describe('errors, each with file, line and field path', () => {
    it('reports invalid YAML at the line of the error: a key given twice', () => {
      expect(problemsIn('invalid-yaml')).to.deep.equal([
        {
          file: file('invalid-yaml', 'scheduling.filter', 'broken.yaml'),
          line: 15,
          path: '',
          message: 'invalid YAML: duplicated mapping key',
        },
      ]);
    });

    // Kept out of the fixture files, which the project's formatter parses too.
    it('reports a YAML syntax error in rule text at its line', () => {
      const text =
        'apiVersion: kubespec.io/v1\nkind: RuleSet\nspec:\n  rules:\n    - conditions: { all: [ }\n';
      expect(problemsOf(() => loader.loadText([], { file: 'scenario docstring', text }))).to.deep.equal([
        {
          file: 'scenario docstring',
          line: 5,
          path: '',
          message: 'invalid YAML: missed comma between flow collection entries',
        },
      ]);
    });

    it('reports a wrong apiVersion and kind together', () => {
      const f = file('wrong-kind', 'scheduling.filter', 'wrong.yaml');
      expect(problemsIn('wrong-kind')).to.deep.equal([
        { file: f, line: 1, path: 'apiVersion', message: 'must be "kubespec.io/v1"' },
        { file: f, line: 2, path: 'kind', message: 'must be "RuleSet"' },
      ]);
    });

    it('reports a missing metadata.name at its parent', () => {
      expect(problemsIn('missing-name')).to.deep.equal([
        {
          file: file('missing-name', 'scheduling.filter', 'nameless.yaml'),
          line: 3,
          path: 'metadata.name',
          message: 'Required value',
        },
      ]);
    });

    it('reports names that are not DNS labels', () => {
      const f = file('invalid-names', 'scheduling.filter', 'names.yaml');
      expect(problemsIn('invalid-names')).to.deep.equal([
        {
          file: f,
          line: 4,
          path: 'metadata.name',
          message: `invalid name "Node_Ports": lower-case letters, digits and '-'`,
        },
        {
          file: f,
          line: 8,
          path: 'spec.rules[0].name',
          message: `invalid name "Port In Use": lower-case letters, digits and '-'`,
        },
      ]);
    });

    it('reports an unknown top-level field', () => {
      expect(problemsIn('unknown-field')).to.deep.equal([
        {
          file: file('unknown-field', 'scheduling.filter', 'extra.yaml'),
          line: 8,
          path: 'status',
          message: 'unknown field "status"',
        },
      ]);
    });

    it('reports a directory that names no decision point', () => {
      expect(problemsIn('unknown-point-directory')).to.deep.equal([
        {
          file: `${fixture('unknown-point-directory')}/scheduling.filterz`,
          line: 0,
          path: '',
          message: `unknown decision point "scheduling.filterz" (known: ${KNOWN_POINTS})`,
        },
      ]);
    });

    it('reports a rules directory that does not exist', () => {
      expect(problemsIn('no-such-directory')).to.deep.equal([
        { file: fixture('no-such-directory'), line: 0, path: '', message: 'rules directory not found' },
      ]);
    });

    it('reports an unknown spec.decisionPoint', () => {
      expect(problemsIn('unknown-point-spec')).to.deep.equal([
        {
          file: file('unknown-point-spec', 'scheduling.filter', 'typo.yaml'),
          line: 6,
          path: 'spec.decisionPoint',
          message: `unknown decision point "scheduling.filtre" (known: ${KNOWN_POINTS})`,
        },
      ]);
    });

    it('reports a decisionPoint that is not the directory the file is in', () => {
      expect(problemsIn('point-mismatch')).to.deep.equal([
        {
          file: file('point-mismatch', 'scheduling.filter', 'elsewhere.yaml'),
          line: 6,
          path: 'spec.decisionPoint',
          message: 'is "scheduling.score" but the file is in the directory of scheduling.filter',
        },
      ]);
    });

    it('reports a rule set name used twice in one directory, at the second, naming the first file', () => {
      expect(problemsIn('duplicate-sets')).to.deep.equal([
        {
          file: file('duplicate-sets', 'scheduling.filter', 'b.yaml'),
          line: 13,
          path: 'metadata.name',
          message: `RuleSet "twice" is defined twice for scheduling.filter (also in ${file('duplicate-sets', 'scheduling.filter', 'a.yaml')})`,
        },
      ]);
    });

    it('reports a rule name used twice in one set', () => {
      expect(problemsIn('duplicate-rules')).to.deep.equal([
        {
          file: file('duplicate-rules', 'scheduling.filter', 'rules.yaml'),
          line: 11,
          path: 'spec.rules[1].name',
          message: 'duplicate rule name "cordoned"',
        },
      ]);
    });

    it('reports an unknown fact and lists the facts of the decision point', () => {
      expect(problemsIn('unknown-fact')).to.deep.equal([
        {
          file: file('unknown-fact', 'scheduling.filter', 'facts.yaml'),
          line: 14,
          path: 'spec.rules[0].conditions.all[1].fact',
          message: `unknown fact "podTolerates" for scheduling.filter (facts: ${SCHEDULING_FILTER_FACTS})`,
        },
      ]);
    });

    it('reports params on a fact without params, and params its schema refuses', () => {
      const f = file('fact-params', 'scheduling.filter', 'params.yaml');
      expect(problemsIn('fact-params')).to.deep.equal([
        {
          file: f,
          line: 12,
          path: 'spec.rules[0].conditions.all[0].params',
          message: 'fact "nodeUnschedulable" takes no params',
        },
        {
          file: f,
          line: 21,
          path: 'spec.rules[1].conditions.all[0].params.effects[1]',
          message: 'must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"',
        },
        {
          file: f,
          line: 25,
          path: 'spec.rules[1].conditions.all[1].params.key',
          message: 'Required value',
        },
      ]);
    });

    it('checks fact references the way json-rules-engine reads them: own names only, any `fact` value', () => {
      const f = file('fact-references', 'scheduling.filter', 'references.yaml');
      expect(problemsIn('fact-references')).to.deep.equal([
        {
          file: f,
          line: 11,
          path: 'spec.rules[0].conditions.all[0].fact',
          message: `unknown fact "toString" for scheduling.filter (facts: ${SCHEDULING_FILTER_FACTS})`,
        },
        {
          file: f,
          line: 20,
          path: 'spec.rules[1].conditions.all[0].value.fact',
          message: `unknown fact "5" for scheduling.filter (facts: ${SCHEDULING_FILTER_FACTS})`,
        },
        {
          file: f,
          line: 24,
          path: 'spec.rules[1].event.params.plugin.params',
          message: 'fact "nodeFree" takes no params',
        },
      ]);
    });

    it('reports an unknown operator and an unknown decorator, quoting them', () => {
      const f = file('operators', 'scheduling.filter', 'operators.yaml');
      expect(problemsIn('operators')).to.deep.equal([
        {
          file: f,
          line: 12,
          path: 'spec.rules[0].conditions.all[0].operator',
          message: `unknown operator "equals": ${UNKNOWN_OPERATOR}`,
        },
        {
          file: f,
          line: 19,
          path: 'spec.rules[1].conditions.any[0].operator',
          message: `unknown operator "anyFact:equal": ${UNKNOWN_OPERATOR}`,
        },
      ]);
    });

    it('reports an unsupported path of a condition and of a fact reference in its value', () => {
      expect(problemsIn('paths')).to.deep.equal([
        {
          file: file('paths', 'scheduling.filter', 'condition-path.yaml'),
          line: 12,
          path: 'spec.rules[0].conditions.all[0].path',
          message: 'unsupported path "$..cpu": use $.field, $.a.b or $.list[0]',
        },
        {
          file: file('paths', 'scheduling.filter', 'value-path.yaml'),
          line: 14,
          path: 'spec.rules[0].conditions.all[0].value.path',
          message: `unsupported path "$['cpu']": use $.field, $.a.b or $.list[0]`,
        },
      ]);
    });

    it('reports an event type the decision point does not accept, inherited names too', () => {
      expect(problemsIn('event-type')).to.deep.equal([
        {
          file: file('event-type', 'taint.eviction', 'events.yaml'),
          line: 11,
          path: 'spec.rules[0].event.type',
          message: 'unsupported event type "delete" for taint.eviction (supported: evict)',
        },
        {
          file: file('event-type', 'taint.eviction', 'events.yaml'),
          line: 15,
          path: 'spec.rules[1].event.type',
          message: 'unsupported event type "constructor" for taint.eviction (supported: evict)',
        },
      ]);
    });

    it('reports missing and invalid event params: reject without reason, a fractional score weight', () => {
      const reject = file('event-params', 'scheduling.filter', 'reject.yaml');
      const score = file('event-params', 'scheduling.score', 'score.yaml');
      expect(problemsIn('event-params')).to.deep.equal([
        { file: reject, line: 12, path: 'spec.rules[0].event.params.reason', message: 'Required value' },
        {
          file: reject,
          line: 14,
          path: 'spec.rules[0].event.params.code',
          message: 'must be one of "Unschedulable", "UnschedulableAndUnresolvable"',
        },
        { file: score, line: 16, path: 'spec.rules[0].event.params.extra', message: 'unknown field "extra"' },
        { file: score, line: 14, path: 'spec.rules[0].event.params.weight', message: 'must be integer' },
      ]);
    });

    it('reports a template that refers to a param the event does not have', () => {
      expect(problemsIn('templates')).to.deep.equal([
        {
          file: file('templates', 'scheduling.filter', 'templates.yaml'),
          line: 19,
          path: 'spec.rules[0].event.params.reason',
          message: 'template refers to "{{ resources }}" but the event has no param "resources"',
        },
      ]);
    });

    it('reports a condition with neither all/any/not nor fact, and a fact condition at the top', () => {
      const f = file('conditions', 'scheduling.filter', 'conditions.yaml');
      expect(problemsIn('conditions')).to.deep.equal([
        { file: f, line: 16, path: 'spec.rules[1].conditions.fact', message: 'unknown field "fact"' },
        { file: f, line: 17, path: 'spec.rules[1].conditions.operator', message: 'unknown field "operator"' },
        { file: f, line: 18, path: 'spec.rules[1].conditions.value', message: 'unknown field "value"' },
        {
          file: f,
          line: 11,
          path: 'spec.rules[0].conditions.all[0]',
          message:
            'a condition must have exactly one of "all", "any", "not", or "fact" with "operator" and "value"',
        },
      ]);
    });

    it('formats every problem as file:line: path: message, one per line', () => {
      const error = (() => {
        try {
          loader.loadDirectories([fixture('wrong-kind'), fixture('no-such-directory')]);
        } catch (e) {
          return e as Error;
        }
      })();
      const f = file('wrong-kind', 'scheduling.filter', 'wrong.yaml');
      expect(error?.message).to.equal(
        [
          `${f}:1: apiVersion: must be "kubespec.io/v1"`,
          `${f}:2: kind: must be "RuleSet"`,
          `${fixture('no-such-directory')}:0: rules directory not found`,
        ].join('\n'),
      );
    });
  });

  describe('layering', () => {
    const byName = (sets: readonly LoadedRuleSet[]) =>
      Object.fromEntries(sets.map((s) => [s.name, { file: s.file, rules: s.rules.map((r) => r.name) }]));

    it('replaces a rule set by one of the same name from a later directory and keeps the rest', () => {
      const sets = loader.loadDirectories([fixture('layers/base'), fixture('layers/override')]);
      expect(byName(sets)).to.deep.equal({
        keep: { file: file('layers/base', 'scheduling.filter', 'keep.yaml'), rules: ['host-port-in-use'] },
        replace: { file: file('layers/override', 'scheduling.filter', 'replace.yaml'), rules: ['cordoned'] },
        added: { file: file('layers/override', 'scheduling.filter', 'added.yaml'), rules: ['too-many-pods'] },
      });
      // The replacing set brings its own priority (5), which orders its rule first.
      expect(
        orderedRules(sets, 'scheduling.filter').map((r) => `${r.ruleSet}/${r.name}@${r.priority}`),
      ).to.deep.equal(['replace/cordoned@5', 'keep/host-port-in-use@1', 'added/too-many-pods@1']);
    });

    it('layers rule text over a base; its problems carry the label and the line within the text', () => {
      const base = loader.loadDirectories([fixture('layers/base')]);
      const text = [
        'apiVersion: kubespec.io/v1',
        'kind: RuleSet',
        'metadata:',
        '  name: keep',
        'spec:',
        '  decisionPoint: scheduling.filter',
        '  rules:',
        '    - name: from-text',
        '      conditions: { all: [] }',
        '      event: { type: reject, params: { plugin: NodePorts, reason: text } }',
      ].join('\n');
      const sets = loader.loadText(base, { file: 'scenario docstring', text });
      expect(byName(sets)).to.deep.equal({
        keep: { file: 'scenario docstring', rules: ['from-text'] },
        replace: {
          file: file('layers/base', 'scheduling.filter', 'replace.yaml'),
          rules: ['cordoned', 'other-node'],
        },
      });
      expect(
        problemsOf(() =>
          loader.loadText(base, { file: 'scenario docstring', text: text.replace('reject', 'refuse') }),
        ),
      ).to.deep.equal([
        {
          file: 'scenario docstring',
          line: 10,
          path: 'spec.rules[0].event.type',
          message: 'unsupported event type "refuse" for scheduling.filter (supported: reject)',
        },
      ]);
    });

    it('switches a shipped rule set off with an empty `rules: []` of the same name', async () => {
      const cordoned = new NodeInfo('n1', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n1' },
        spec: { unschedulable: true },
        status: { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } },
      });
      const pod = buildPodInfo({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      });
      const context = {
        pod,
        node: cordoned.view(),
        nodeName: undefined,
        version: parseKubernetesVersion('v1.35'),
      };
      const reasons = async (policy: Policy) =>
        (await policy.evaluator('scheduling.filter').evaluate(context)).events.map((e) => e.params.reason);

      expect(await reasons(Policy.load(DECISION_POINTS))).to.deep.equal(['node(s) were unschedulable']);
      const layered = Policy.load(DECISION_POINTS, {
        rulesDirs: [DEFAULT_RULES_DIR, fixture('layers/disable-cordon')],
      });
      expect(layered.ruleSets.find((s) => s.name === 'node-unschedulable')?.rules).to.deep.equal([]);
      expect(await reasons(layered)).to.deep.equal([]);
    });

    it('loads the shipped rules without problems, each rule at the line of its `- name:`', () => {
      const sets = loader.loadDirectories([DEFAULT_RULES_DIR]);
      expect(sets).to.not.be.empty;
      for (const set of sets) {
        expect(set.file).to.equal(`rules/${set.decisionPoint}/${basename(set.file)}`);
        const lines = readFileSync(set.file, 'utf8').split('\n');
        for (const rule of set.rules)
          expect(lines[rule.line - 1]).to.match(new RegExp(`^ *- name: ${rule.name}$`));
      }
    });
  });
});
