import { expect } from 'chai';
import type { NodeSelector, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import {
  CompiledNodeSelector,
  NODE_AFFINITY_CONFLICT_REASON,
  type NodeView,
  nodeNamesFromRequiredAffinity,
  PreferredSchedulingTerms,
  preferredNodeAffinityScore,
  RequiredNodeAffinity,
  validateNodeAffinity,
  validateNodeSelector,
} from '../../src/api/node-affinity';

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for " +
  "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const node = (name: string, labels: Record<string, string> = {}): NodeView => ({ name, labels });

// A pod with a nodeSelector and, when `terms` is given (even null), required node affinity with those terms.
function podWith(spec: { nodeSelector?: Record<string, string>; terms?: NodeSelectorTerm[] | null }): Pod {
  const affinity =
    spec.terms === undefined
      ? undefined
      : {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: spec.terms as NodeSelectorTerm[],
            },
          },
        };
  return { spec: { containers: [], nodeSelector: spec.nodeSelector, affinity } };
}

const errorSummary = (errs: readonly { type: string; field: string; detail: string }[]) =>
  errs.map((e) => ({ type: e.type, field: e.field, detail: e.detail }));

describe('node affinity', () => {
  describe('CompiledNodeSelector', () => {
    // k8s:staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go
    // TestNodeSelectorMatch
    it('reports the parse errors of invalid field and label selectors', () => {
      const selector: NodeSelector = {
        nodeSelectorTerms: [
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1', 'host_2'] }] },
          {
            matchExpressions: [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }],
            matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }],
          },
          { matchExpressions: [{ key: 'invalid key', operator: 'In', values: ['label_value'] }] },
        ],
      };
      expect(errorSummary(new CompiledNodeSelector(selector).errors)).to.deep.equal([
        {
          type: 'Invalid value',
          field: 'nodeSelectorTerms[0].matchFields[0].values',
          detail: 'must have one element',
        },
        {
          type: 'Invalid value',
          field: 'nodeSelectorTerms[2].matchExpressions[0].key',
          detail: NAME_PART_MSG,
        },
      ]);
    });

    const term1: NodeSelectorTerm = {
      matchExpressions: [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }],
      matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }],
    };
    it('node matches field selector, but not labels', () => {
      expect(new CompiledNodeSelector({ nodeSelectorTerms: [term1] }).match(node('host_1'))).to.equal(false);
    });
    it('node matches field selector and label selector', () => {
      expect(
        new CompiledNodeSelector({ nodeSelectorTerms: [term1] }).match(
          node('host_1', { label_1: 'label_1_val' }),
        ),
      ).to.equal(true);
    });
    it('second term matches', () => {
      const selector: NodeSelector = {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }] },
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }] },
        ],
      };
      const compiled = new CompiledNodeSelector(selector);
      expect(compiled.errors).to.deep.equal([]);
      expect(compiled.match(node('host_1'))).to.equal(true);
    });

    it('a term that does not parse matches nothing, the others still do', () => {
      const compiled = new CompiledNodeSelector({
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] },
          { matchExpressions: [{ key: 'disk', operator: 'Exists' }] },
        ],
      });
      expect(compiled.match(node('n', { zone: 'a' }))).to.equal(false);
      expect(compiled.match(node('n', { disk: 'ssd' }))).to.equal(true);
    });
  });

  describe('labels.NewRequirement errors (nodeSelectorRequirementsAsSelector)', () => {
    // k8s:.../nodeaffinity/nodeaffinity_test.go TestNodeSelectorRequirementsAsSelector (error row), and the
    // rules of k8s:staging/src/k8s.io/apimachinery/pkg/labels/selector.go NewRequirement.
    const errorsOf = (term: NodeSelectorTerm) =>
      errorSummary(new CompiledNodeSelector({ nodeSelectorTerms: [term] }).errors);
    const path = 'nodeSelectorTerms[0].matchExpressions[0]';

    it('Exists with values', () => {
      expect(
        errorsOf({ matchExpressions: [{ key: 'foo', operator: 'Exists', values: ['bar', 'baz'] }] }),
      ).to.deep.equal([
        {
          type: 'Invalid value',
          field: `${path}.values`,
          detail: 'values set must be empty for exists and does not exist',
        },
      ]);
    });
    it('In without values', () => {
      expect(errorsOf({ matchExpressions: [{ key: 'foo', operator: 'In' }] })).to.deep.equal([
        {
          type: 'Invalid value',
          field: `${path}.values`,
          detail: "for 'in', 'notin' operators, values set can't be empty",
        },
      ]);
    });
    it('Gt with two values, and one not an integer', () => {
      expect(
        errorsOf({ matchExpressions: [{ key: 'foo', operator: 'Gt', values: ['1', 'x'] }] }),
      ).to.deep.equal([
        {
          type: 'Invalid value',
          field: `${path}.values`,
          detail: "for 'Gt', 'Lt' operators, exactly one value is required",
        },
        {
          type: 'Invalid value',
          field: `${path}.values[1]`,
          detail: "for 'Gt', 'Lt' operators, the value must be an integer",
        },
      ]);
    });
    it('an invalid label value is reported under values[i][key]', () => {
      expect(
        errorsOf({
          matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['invalid value: ___@#$%^'] }],
        }),
      ).to.deep.equal([{ type: 'Invalid value', field: `${path}.values[0][foo]`, detail: LABEL_VALUE_MSG }]);
    });
    it('an unknown operator, and field selectors other than In/NotIn', () => {
      expect(
        errorsOf({ matchExpressions: [{ key: 'foo', operator: 'Equals', values: ['x'] }] }),
      ).to.deep.equal([
        {
          type: 'Unsupported value',
          field: `${path}.operator`,
          detail: 'supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
        },
      ]);
      expect(errorsOf({ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] })).to.deep.equal([
        {
          type: 'Unsupported value',
          field: 'nodeSelectorTerms[0].matchFields[0].operator',
          detail: 'supported values: "In", "NotIn"',
        },
      ]);
    });
  });

  describe('RequiredNodeAffinity', () => {
    // k8s:.../nodeaffinity/nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms
    const expr = (key: string, operator: string, values?: string[]): NodeSelectorTerm => ({
      matchExpressions: [{ key, operator, values }],
    });
    const nameIs = (name: string): NodeSelectorTerm => ({
      matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }],
    });
    const cases: {
      name: string;
      pod: Pod;
      labels?: Record<string, string>;
      nodeName?: string;
      want: boolean;
    }[] = [
      { name: 'no selector', pod: podWith({}), want: true },
      { name: 'missing labels', pod: podWith({ nodeSelector: { foo: 'bar' } }), want: false },
      {
        name: 'same labels',
        pod: podWith({ nodeSelector: { foo: 'bar' } }),
        labels: { foo: 'bar' },
        want: true,
      },
      {
        name: 'node labels are superset',
        pod: podWith({ nodeSelector: { foo: 'bar' } }),
        labels: { foo: 'bar', baz: 'blah' },
        want: true,
      },
      {
        name: 'node labels are subset',
        pod: podWith({ nodeSelector: { foo: 'bar', baz: 'blah' } }),
        labels: { foo: 'bar' },
        want: false,
      },
      {
        name: 'In operator that matches the existing node',
        pod: podWith({ terms: [expr('foo', 'In', ['bar', 'value2'])] }),
        labels: { foo: 'bar' },
        want: true,
      },
      {
        name: 'Gt operator that matches the existing node',
        pod: podWith({ terms: [expr('kernel-version', 'Gt', ['0204'])] }),
        labels: { 'kernel-version': '0206' },
        want: true,
      },
      {
        name: 'NotIn operator that matches the existing node',
        pod: podWith({ terms: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }),
        labels: { 'mem-type': 'DDR3' },
        want: true,
      },
      {
        name: 'Exists operator that matches the existing node',
        pod: podWith({ terms: [expr('GPU', 'Exists')] }),
        labels: { GPU: 'NVIDIA-GRID-K1' },
        want: true,
      },
      {
        name: "affinity that doesn't match node's labels",
        pod: podWith({ terms: [expr('foo', 'In', ['value1', 'value2'])] }),
        labels: { foo: 'bar' },
        want: false,
      },
      {
        name: 'a nil []NodeSelectorTerm in affinity',
        pod: podWith({ terms: null }),
        labels: { foo: 'bar' },
        want: false,
      },
      {
        name: 'an empty []NodeSelectorTerm in affinity',
        pod: podWith({ terms: [] }),
        labels: { foo: 'bar' },
        want: false,
      },
      {
        name: 'empty MatchExpressions matches no objects',
        pod: podWith({ terms: [{ matchExpressions: [] }] }),
        labels: { foo: 'bar' },
        want: false,
      },
      { name: 'no Affinity', pod: podWith({}), labels: { foo: 'bar' }, want: true },
      {
        name: 'Affinity but nil NodeSelector',
        pod: { spec: { containers: [], affinity: { nodeAffinity: {} } } },
        labels: { foo: 'bar' },
        want: true,
      },
      {
        name: 'multiple matchExpressions ANDed that match',
        pod: podWith({
          terms: [
            {
              matchExpressions: [
                { key: 'GPU', operator: 'Exists' },
                { key: 'GPU', operator: 'NotIn', values: ['AMD', 'INTER'] },
              ],
            },
          ],
        }),
        labels: { GPU: 'NVIDIA-GRID-K1' },
        want: true,
      },
      {
        name: "multiple matchExpressions ANDed that don't match",
        pod: podWith({
          terms: [
            {
              matchExpressions: [
                { key: 'GPU', operator: 'Exists' },
                { key: 'GPU', operator: 'In', values: ['AMD', 'INTER'] },
              ],
            },
          ],
        }),
        labels: { GPU: 'NVIDIA-GRID-K1' },
        want: false,
      },
      {
        name: 'multiple NodeSelectorTerms ORed',
        pod: podWith({
          terms: [expr('foo', 'In', ['bar', 'value2']), expr('diffkey', 'In', ['wrong', 'value2'])],
        }),
        labels: { foo: 'bar' },
        want: true,
      },
      {
        name: 'Affinity and nodeSelector both satisfied',
        pod: podWith({ nodeSelector: { foo: 'bar' }, terms: [expr('foo', 'Exists')] }),
        labels: { foo: 'bar' },
        want: true,
      },
      {
        name: 'Affinity matches but nodeSelector is not satisfied',
        pod: podWith({ nodeSelector: { foo: 'bar' }, terms: [expr('foo', 'Exists')] }),
        labels: { foo: 'barrrrrr' },
        want: false,
      },
      {
        name: 'an invalid value in an Affinity term',
        pod: podWith({ terms: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }),
        labels: { foo: 'bar' },
        want: false,
      },
      {
        name: 'matchFields In that matches',
        pod: podWith({ terms: [nameIs('node_1')] }),
        nodeName: 'node_1',
        want: true,
      },
      {
        name: 'matchFields In that does not match',
        pod: podWith({ terms: [nameIs('node_1')] }),
        nodeName: 'node_2',
        want: false,
      },
      {
        name: 'two terms: matchFields does not match, matchExpressions matches',
        pod: podWith({ terms: [nameIs('node_1'), expr('foo', 'In', ['bar'])] }),
        nodeName: 'node_2',
        labels: { foo: 'bar' },
        want: true,
      },
      {
        name: 'one term: matchFields does not match, matchExpressions matches',
        pod: podWith({ terms: [{ ...nameIs('node_1'), ...expr('foo', 'In', ['bar']) }] }),
        nodeName: 'node_2',
        labels: { foo: 'bar' },
        want: false,
      },
      {
        name: 'one term: both matchFields and matchExpressions match',
        pod: podWith({ terms: [{ ...nameIs('node_1'), ...expr('foo', 'In', ['bar']) }] }),
        nodeName: 'node_1',
        labels: { foo: 'bar' },
        want: true,
      },
      {
        name: 'two terms: neither matches',
        pod: podWith({ terms: [nameIs('node_1'), expr('foo', 'In', ['not-match-to-bar'])] }),
        nodeName: 'node_2',
        labels: { foo: 'bar' },
        want: false,
      },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.want ? 'match' : 'no match'}`, () => {
        expect(new RequiredNodeAffinity(c.pod).match(node(c.nodeName ?? '', c.labels))).to.equal(c.want);
      });
    }

    it('Gt/Lt compare integers and need an integer label', () => {
      const gt = new RequiredNodeAffinity(podWith({ terms: [expr('cores', 'Gt', ['8'])] }));
      expect(gt.match(node('n', { cores: '16' }))).to.equal(true);
      expect(gt.match(node('n', { cores: '8' }))).to.equal(false);
      expect(gt.match(node('n', { cores: 'many' }))).to.equal(false);
      expect(gt.match(node('n'))).to.equal(false);
      expect(gt.match(node('n', { cores: '9223372036854775807' }))).to.equal(true);
      expect(gt.match(node('n', { cores: '9223372036854775808' }))).to.equal(false);
      const lt = new RequiredNodeAffinity(podWith({ terms: [expr('cores', 'Lt', ['8'])] }));
      expect(lt.match(node('n', { cores: '-3' }))).to.equal(true);
      expect(lt.match(node('n', { cores: '+3' }))).to.equal(true);
    });

    it('a negative Gt/Lt bound is not a valid label value, so the term never matches', () => {
      const lt = new RequiredNodeAffinity(podWith({ terms: [expr('cores', 'Lt', ['-1'])] }));
      expect(lt.match(node('n', { cores: '-5' }))).to.equal(false);
    });

    it('NotIn and DoesNotExist match nodes without the label; inherited names are not labels', () => {
      expect(
        new RequiredNodeAffinity(podWith({ terms: [expr('gpu', 'NotIn', ['a'])] })).match(node('n')),
      ).to.equal(true);
      expect(
        new RequiredNodeAffinity(podWith({ terms: [expr('gpu', 'DoesNotExist')] })).match(node('n')),
      ).to.equal(true);
      expect(
        new RequiredNodeAffinity(podWith({ terms: [expr('constructor', 'Exists')] })).match(node('n')),
      ).to.equal(false);
      expect(new RequiredNodeAffinity(podWith({ nodeSelector: { toString: '' } })).match(node('n'))).to.equal(
        false,
      );
    });

    it('matchFields NotIn excludes the named node', () => {
      const pod = podWith({
        terms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['a'] }] }],
      });
      expect(new RequiredNodeAffinity(pod).match(node('a'))).to.equal(false);
      expect(new RequiredNodeAffinity(pod).match(node('b'))).to.equal(true);
    });
  });

  describe('preferred terms', () => {
    // k8s:.../nodeaffinity/nodeaffinity_test.go TestPreferredSchedulingTermsScore
    it('reports the parse errors of invalid field and label selectors', () => {
      const terms: PreferredSchedulingTerm[] = [
        {
          weight: 1,
          preference: {
            matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1', 'host_2'] }],
          },
        },
        {
          weight: 1,
          preference: {
            matchExpressions: [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }],
            matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }],
          },
        },
        {
          weight: 1,
          preference: { matchExpressions: [{ key: 'invalid key', operator: 'In', values: ['label_value'] }] },
        },
      ];
      expect(errorSummary(new PreferredSchedulingTerms(terms).errors)).to.deep.equal([
        { type: 'Invalid value', field: '[0].matchFields[0].values', detail: 'must have one element' },
        { type: 'Invalid value', field: '[2].matchExpressions[0].key', detail: NAME_PART_MSG },
      ]);
    });
    it('invalid field selector but no weight, error not reported', () => {
      const terms: PreferredSchedulingTerm[] = [
        {
          weight: 0,
          preference: {
            matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1', 'host_2'] }],
          },
        },
      ];
      const compiled = new PreferredSchedulingTerms(terms);
      expect(compiled.errors).to.deep.equal([]);
      expect(compiled.score(node('host_1'))).to.equal(0);
    });
    it('first and third term match: 5 + 11 = 16', () => {
      const terms: PreferredSchedulingTerm[] = [
        {
          weight: 5,
          preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }] },
        },
        {
          weight: 7,
          preference: {
            matchExpressions: [{ key: 'unknown_label', operator: 'In', values: ['unknown_label_val'] }],
          },
        },
        {
          weight: 11,
          preference: { matchExpressions: [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }] },
        },
      ];
      expect(preferredNodeAffinityScore(terms, node('host_1', { label_1: 'label_1_val' }))).to.equal(16);
      expect(preferredNodeAffinityScore(terms, node('host_2', { label_1: 'label_1_val' }))).to.equal(11);
    });
    it('no terms score 0; empty preferences are skipped', () => {
      expect(preferredNodeAffinityScore(undefined, node('a'))).to.equal(0);
      expect(preferredNodeAffinityScore([{ weight: 50, preference: {} }], node('a'))).to.equal(0);
    });
  });

  describe('nodeNamesFromRequiredAffinity (NodeAffinity PreFilter)', () => {
    // k8s:pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go PreFilter
    const names = (...values: string[]) => ({ key: 'metadata.name', operator: 'In', values });

    it('no required affinity, or an empty term list: every node', () => {
      expect(nodeNamesFromRequiredAffinity(podWith({ nodeSelector: { a: 'b' } }))).to.equal(undefined);
      expect(nodeNamesFromRequiredAffinity(podWith({ terms: [] }))).to.equal(undefined);
    });
    it('a term without a node-name requirement admits every node', () => {
      const pod = podWith({
        terms: [{ matchFields: [names('a')] }, { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }],
      });
      expect(nodeNamesFromRequiredAffinity(pod)).to.equal(undefined);
    });
    it('NotIn does not narrow', () => {
      const pod = podWith({
        terms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['a'] }] }],
      });
      expect(nodeNamesFromRequiredAffinity(pod)).to.equal(undefined);
    });
    it('requirements in a term intersect, terms unite', () => {
      const pod = podWith({
        terms: [
          { matchFields: [names('node1', 'node2'), names('node2', 'node3')] },
          { matchFields: [names('node5')], matchExpressions: [{ key: 'zone', operator: 'Exists' }] },
        ],
      });
      expect([...(nodeNamesFromRequiredAffinity(pod) ?? [])].sort()).to.deep.equal(['node2', 'node5']);
    });
    it('conflicting terms give the empty set (pod affinity terms conflict)', () => {
      const pod = podWith({ terms: [{ matchFields: [names('node1'), names('node2')] }] });
      expect(nodeNamesFromRequiredAffinity(pod)?.size).to.equal(0);
      expect(NODE_AFFINITY_CONFLICT_REASON).to.equal('pod affinity terms conflict');
    });
  });

  describe('validateNodeAffinity', () => {
    // k8s:pkg/apis/core/validation/validation.go validateNodeAffinity, ValidateNodeSelector,
    // ValidateNodeSelectorRequirement, ValidateNodeFieldSelectorRequirement, ValidatePreferredSchedulingTerms
    const field = 'spec.affinity.nodeAffinity';
    const req = `${field}.requiredDuringSchedulingIgnoredDuringExecution`;
    const messages = (na: unknown) => validateNodeAffinity(na, field).map(String);
    const required = (...terms: unknown[]) => ({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
    });

    it('accepts a valid node affinity', () => {
      expect(
        messages({
          ...required(
            { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-1a'] }] },
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
            {
              matchExpressions: [
                { key: 'cores', operator: 'Gt', values: ['8'] },
                { key: 'spot', operator: 'DoesNotExist' },
              ],
            },
          ),
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
            },
          ],
        }),
      ).to.deep.equal([]);
    });

    it('requires at least one node selector term', () => {
      expect(messages(required())).to.deep.equal([
        `${req}.nodeSelectorTerms: Required value: must have at least one node selector term`,
      ]);
      expect(validateNodeSelector({}, 'x').map(String)).to.deep.equal([
        'x.nodeSelectorTerms: Required value: must have at least one node selector term',
      ]);
    });

    it('checks values against the operator', () => {
      expect(
        messages(
          required({
            matchExpressions: [
              { key: 'a', operator: 'In' },
              { key: 'b', operator: 'Exists', values: ['x'] },
              { key: 'c', operator: 'Lt', values: ['1', '2'] },
              { key: 'd', operator: 'Gt' },
            ],
          }),
        ),
      ).to.deep.equal([
        `${req}.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
        `${req}.nodeSelectorTerms[0].matchExpressions[1].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
        `${req}.nodeSelectorTerms[0].matchExpressions[2].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`,
        `${req}.nodeSelectorTerms[0].matchExpressions[3].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`,
      ]);
    });

    it('checks the operator, the key and the values of expressions', () => {
      expect(
        messages(
          required({ matchExpressions: [{ key: 'invalid key', operator: 'Equals', values: ['a b'] }] }),
        ),
      ).to.deep.equal([
        `${req}.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator`,
        `${req}.nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: "invalid key": ${NAME_PART_MSG}`,
        `${req}.nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "a b": ${LABEL_VALUE_MSG}`,
      ]);
    });

    it('checks field selector requirements', () => {
      expect(
        messages(
          required({
            matchFields: [
              { key: 'metadata.name', operator: 'In', values: ['host_1', 'host_2'] },
              { key: 'metadata.labels', operator: 'Exists' },
            ],
          }),
        ),
      ).to.deep.equal([
        `${req}.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when \`operator\` is 'In' or 'NotIn' for node field selector`,
        `${req}.nodeSelectorTerms[0].matchFields[0].values[0]: Invalid value: "host_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        `${req}.nodeSelectorTerms[0].matchFields[0].values[1]: Invalid value: "host_2": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        `${req}.nodeSelectorTerms[0].matchFields[1].operator: Invalid value: "Exists": not a valid selector operator`,
        `${req}.nodeSelectorTerms[0].matchFields[1].key: Invalid value: "metadata.labels": not a valid field selector key`,
      ]);
    });

    it('checks preferred weights, and allows invalid label values in preferences', () => {
      const pref = `${field}.preferredDuringSchedulingIgnoredDuringExecution`;
      expect(
        messages({
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 0,
              preference: { matchExpressions: [{ key: 'a', operator: 'In', values: ['not valid'] }] },
            },
            {
              weight: 101,
              preference: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
            },
            { preference: {} },
          ],
        }),
      ).to.deep.equal([
        `${pref}[0].weight: Invalid value: 0: must be in the range 1-100`,
        `${pref}[1].weight: Invalid value: 101: must be in the range 1-100`,
        `${pref}[1].preference.matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
        `${pref}[2].weight: Invalid value: 0: must be in the range 1-100`,
      ]);
    });

    it('allowInvalidLabelValue skips value checks in a required selector', () => {
      const selector = {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['not valid'] }] }],
      };
      expect(validateNodeSelector(selector, 'x', true)).to.deep.equal([]);
      expect(validateNodeSelector(selector, 'x')).to.have.length(1);
    });
  });
});
