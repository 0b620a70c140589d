import { expect } from 'chai';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import {
  countIntolerableTaintsPreferNoSchedule,
  findMatchingUntoleratedTaint,
  formatTaint,
  formatTaintForScheduler,
  parseTaintList,
  parseTaintRemoval,
  parseTaintSpec,
  TaintSyntaxError,
  toleratesTaint,
  tolerationsTolerateTaint,
  validateTaints,
  validateTolerations,
} from '../../src/api/taints';

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for " +
  "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const noScheduleOrNoExecute = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

// The v1.25–v1.33 TaintToleration Filter reason for a pod on a node, or undefined when the node fits.
function filterReason(tols: Toleration[], taints: Taint[], comparisonOperators = false): string | undefined {
  const taint = findMatchingUntoleratedTaint(taints, tols, noScheduleOrNoExecute, { comparisonOperators });
  return taint && `node(s) had untolerated taint ${formatTaintForScheduler(taint)}`;
}

describe('taints', () => {
  describe('toleratesTaint', () => {
    // k8s:staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint
    const cases: { name: string; tol: Toleration; taint: Taint; gate?: boolean; want: boolean }[] = [
      {
        name: 'same key and effect, Exists, taint without value',
        tol: { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
        taint: { key: 'foo', effect: 'NoSchedule' },
        want: true,
      },
      {
        name: 'same key and effect, Exists, taint with a value',
        tol: { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
        taint: { key: 'foo', value: 'bar', effect: 'NoSchedule' },
        want: true,
      },
      {
        name: 'empty key with Exists matches every key',
        tol: { key: '', operator: 'Exists', effect: 'NoSchedule' },
        taint: { key: 'foo', value: 'bar', effect: 'NoSchedule' },
        want: true,
      },
      {
        name: 'same key, effect and value with Equal',
        tol: { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
        taint: { key: 'foo', value: 'bar', effect: 'NoSchedule' },
        want: true,
      },
      {
        name: 'different values with Equal',
        tol: { key: 'foo', operator: 'Equal', value: 'value1', effect: 'NoSchedule' },
        taint: { key: 'foo', value: 'value2', effect: 'NoSchedule' },
        want: false,
      },
      {
        name: 'different effects',
        tol: { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
        taint: { key: 'foo', value: 'bar', effect: 'NoExecute' },
        want: false,
      },
      {
        name: 'Gt, taint value below the toleration value',
        tol: { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'NoSchedule' },
        taint: { key: 'node.kubernetes.io/sla', value: '800', effect: 'NoSchedule' },
        gate: true,
        want: false,
      },
      {
        name: 'Gt, taint value above the toleration value',
        tol: { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '750', effect: 'NoSchedule' },
        taint: { key: 'node.kubernetes.io/sla', value: '950', effect: 'NoSchedule' },
        gate: true,
        want: true,
      },
      {
        name: 'Lt, taint value above the toleration value',
        tol: { key: 'node.kubernetes.io/sla', operator: 'Lt', value: '800', effect: 'NoSchedule' },
        taint: { key: 'node.kubernetes.io/sla', value: '950', effect: 'NoSchedule' },
        gate: true,
        want: false,
      },
      {
        name: 'Lt, taint value below the toleration value',
        tol: { key: 'node.kubernetes.io/sla', operator: 'Lt', value: '950', effect: 'NoSchedule' },
        taint: { key: 'node.kubernetes.io/sla', value: '800', effect: 'NoSchedule' },
        gate: true,
        want: true,
      },
      {
        name: 'Gt with equal values is strict',
        tol: { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'NoSchedule' },
        taint: { key: 'node.kubernetes.io/sla', value: '950', effect: 'NoSchedule' },
        gate: true,
        want: false,
      },
      {
        name: 'Gt with a non-numeric taint value',
        tol: { key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'NoSchedule' },
        taint: { key: 'node.kubernetes.io/sla', value: 'high', effect: 'NoSchedule' },
        gate: true,
        want: false,
      },
      {
        name: 'Gt with negative values, taint below the threshold',
        tol: { key: 'test-key', operator: 'Gt', value: '-100', effect: 'NoSchedule' },
        taint: { key: 'test-key', value: '-200', effect: 'NoSchedule' },
        gate: true,
        want: false,
      },
      {
        name: 'Gt with a large int64 threshold',
        tol: { key: 'test-key', operator: 'Gt', value: '9223372036854775806', effect: 'NoSchedule' },
        taint: { key: 'test-key', value: '100', effect: 'NoSchedule' },
        gate: true,
        want: false,
      },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.want ? 'tolerated' : 'not tolerated'}`, () => {
        expect(toleratesTaint(c.tol, c.taint, { comparisonOperators: c.gate })).to.equal(c.want);
      });
    }

    it('Lt and Gt never tolerate while the comparison-operator gate is off', () => {
      const taint: Taint = { key: 'node.kubernetes.io/sla', value: '950', effect: 'NoSchedule' };
      expect(toleratesTaint({ key: taint.key, operator: 'Gt', value: '750' }, taint)).to.equal(false);
      expect(
        toleratesTaint({ key: taint.key, operator: 'Gt', value: '750' }, taint, {
          comparisonOperators: true,
        }),
      ).to.equal(true);
      expect(toleratesTaint({ key: taint.key, operator: 'Lt', value: '990' }, taint)).to.equal(false);
    });

    it('an empty operator means Equal, an empty effect every effect, an unknown operator nothing', () => {
      const taint: Taint = { key: 'foo', value: 'bar', effect: 'NoExecute' };
      expect(toleratesTaint({ key: 'foo', value: 'bar' }, taint)).to.equal(true);
      expect(toleratesTaint({ key: 'foo' }, taint)).to.equal(false);
      expect(
        toleratesTaint({ key: 'foo', operator: 'Exists' }, { key: 'foo', effect: 'PreferNoSchedule' }),
      ).to.equal(true);
      expect(toleratesTaint({ key: 'foo', operator: 'Matches', value: 'bar' }, taint)).to.equal(false);
    });
  });

  describe('numeric comparison (gate on)', () => {
    // k8s:staging/src/k8s.io/api/core/v1/toleration_test.go TestCompareNumericValues, through ToleratesTaint;
    // its two rows calling the private helper with Equal/Exists test a branch ToleratesTaint never reaches.
    const cases: [tolValue: string, taintValue: string, op: 'Gt' | 'Lt', want: boolean][] = [
      ['100', '200', 'Gt', true],
      ['200', '100', 'Gt', false],
      ['100', '100', 'Gt', false],
      ['-100', '-50', 'Gt', true],
      ['-50', '-100', 'Gt', false],
      ['0', '1', 'Gt', true],
      ['9223372036854775806', '9223372036854775807', 'Gt', true],
      ['200', '100', 'Lt', true],
      ['100', '200', 'Lt', false],
      ['100', '100', 'Lt', false],
      ['-50', '-100', 'Lt', true],
      ['-100', '-50', 'Lt', false],
      ['0', '-1', 'Lt', true],
      ['abc', '100', 'Gt', false],
      ['', '100', 'Gt', false],
      ['0100', '200', 'Gt', false],
      ['+100', '200', 'Gt', false],
      ['100.5', '200', 'Gt', false],
      ['-', '100', 'Gt', false],
      ['100', 'xyz', 'Gt', false],
      ['100', '', 'Gt', false],
      ['100', '0200', 'Gt', false],
      ['100', '+200', 'Lt', false],
      ['100', ' 200 ', 'Lt', false],
      ['0', '0', 'Gt', false],
      ['0', '0', 'Lt', false],
      ['0', '9223372036854775807', 'Gt', true],
      ['0', '-9223372036854775808', 'Lt', true],
    ];
    for (const [tolValue, taintValue, op, want] of cases) {
      it(`taint ${JSON.stringify(taintValue)} ${op} toleration ${JSON.stringify(tolValue)}: ${want}`, () => {
        const tol: Toleration = { key: 'k', operator: op, value: tolValue };
        expect(
          toleratesTaint(
            tol,
            { key: 'k', value: taintValue, effect: 'NoSchedule' },
            { comparisonOperators: true },
          ),
        ).to.equal(want);
      });
    }

    it('values outside int64 do not parse', () => {
      const tol: Toleration = { key: 'k', operator: 'Gt', value: '0' };
      const taint = (value: string): Taint => ({ key: 'k', value, effect: 'NoSchedule' });
      expect(toleratesTaint(tol, taint('9223372036854775808'), { comparisonOperators: true })).to.equal(
        false,
      );
      expect(
        toleratesTaint({ ...tol, operator: 'Lt' }, taint('-9223372036854775809'), {
          comparisonOperators: true,
        }),
      ).to.equal(false);
    });
  });

  describe('TaintToleration Filter (untolerated NoSchedule/NoExecute taint)', () => {
    // k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go TestTaintTolerationFilter
    const cases: { name: string; tols: Toleration[]; taints: Taint[]; want?: string }[] = [
      {
        name: 'no tolerations, a NoSchedule taint',
        tols: [],
        taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
        want: 'node(s) had untolerated taint {dedicated: user1}',
      },
      {
        name: 'toleration without operator matching key, value and effect',
        tols: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
        taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      },
      {
        name: 'toleration for another value',
        tols: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
        taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
        want: 'node(s) had untolerated taint {dedicated: user1}',
      },
      {
        name: 'Exists toleration',
        tols: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
        taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      },
      {
        name: 'several tolerations cover several taints',
        tols: [
          { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
          { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
        ],
        taints: [
          { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
          { key: 'foo', value: 'bar', effect: 'NoSchedule' },
        ],
      },
      {
        name: 'key and value match but the (non-empty) effect does not',
        tols: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
        taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
        want: 'node(s) had untolerated taint {foo: bar}',
      },
      {
        name: 'key and value match, toleration effect empty',
        tols: [{ key: 'foo', operator: 'Equal', value: 'bar' }],
        taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      },
      {
        name: 'unmatched toleration but the taint is PreferNoSchedule',
        tols: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
        taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
      },
      {
        name: 'no tolerations, a PreferNoSchedule taint',
        tols: [],
        taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
      },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.want ? 'rejected' : 'fits'}`, () => {
        expect(filterReason(c.tols, c.taints)).to.equal(c.want);
      });
    }

    // Reference section 2.6 rows F10–F15: the comparison-operator cases of the same table (v1.35 alpha gate).
    const sla = 'node.kubernetes.io/sla';
    it('F10: Gt 950 against 800 is rejected', () => {
      const tols: Toleration[] = [
        { key: 'node.example.com/priority-level', operator: 'Gt', value: '950', effect: 'NoSchedule' },
      ];
      const taints: Taint[] = [
        { key: 'node.example.com/priority-level', value: '800', effect: 'NoSchedule' },
      ];
      expect(filterReason(tols, taints, true)).to.equal(
        'node(s) had untolerated taint {node.example.com/priority-level: 800}',
      );
    });
    it('F11: Gt 750 against 950 fits', () => {
      const tols: Toleration[] = [{ key: sla, operator: 'Gt', value: '750' }];
      expect(filterReason(tols, [{ key: sla, value: '950', effect: 'NoSchedule' }], true)).to.equal(
        undefined,
      );
    });
    it('F12: Lt 800 against 950 is rejected', () => {
      const tols: Toleration[] = [{ key: sla, operator: 'Lt', value: '800', effect: 'NoSchedule' }];
      expect(filterReason(tols, [{ key: sla, value: '950', effect: 'NoSchedule' }], true)).to.equal(
        `node(s) had untolerated taint {${sla}: 950}`,
      );
    });
    it('F13: Lt 950 against 800 fits', () => {
      const tols: Toleration[] = [{ key: sla, operator: 'Lt', value: '950', effect: 'NoSchedule' }];
      expect(filterReason(tols, [{ key: sla, value: '800', effect: 'NoSchedule' }], true)).to.equal(
        undefined,
      );
    });
    it('F14: Gt against a non-numeric taint value is rejected', () => {
      const tols: Toleration[] = [{ key: sla, operator: 'Gt', value: '950', effect: 'NoSchedule' }];
      expect(filterReason(tols, [{ key: sla, value: 'high', effect: 'NoSchedule' }], true)).to.equal(
        `node(s) had untolerated taint {${sla}: high}`,
      );
    });
    it('F15: with the gate off, Gt/Lt tolerations tolerate nothing', () => {
      const tols: Toleration[] = [
        { key: sla, operator: 'Gt', value: '750', effect: 'NoSchedule' },
        { key: sla, operator: 'Lt', value: '990', effect: 'NoSchedule' },
      ];
      expect(filterReason(tols, [{ key: sla, value: '950', effect: 'NoSchedule' }])).to.equal(
        `node(s) had untolerated taint {${sla}: 950}`,
      );
    });

    it('reports the first untolerated taint in node order, skipping filtered-out ones', () => {
      const taints: Taint[] = [
        { key: 'soft', effect: 'PreferNoSchedule' },
        { key: 'ok', value: 'v', effect: 'NoSchedule' },
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      ];
      expect(filterReason([{ key: 'ok', operator: 'Exists' }], taints)).to.equal(
        'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
      );
      expect(findMatchingUntoleratedTaint(undefined, undefined, noScheduleOrNoExecute)).to.equal(undefined);
    });

    it('tolerationsTolerateTaint needs one tolerating toleration', () => {
      const taint: Taint = { key: 'a', value: 'x', effect: 'NoSchedule' };
      expect(tolerationsTolerateTaint(undefined, taint)).to.equal(false);
      expect(
        tolerationsTolerateTaint([{ key: 'b', operator: 'Exists' }, { operator: 'Exists' }], taint),
      ).to.equal(true);
    });
  });

  describe('countIntolerableTaintsPreferNoSchedule', () => {
    // k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go TestTaintTolerationScore:
    // the raw counts; the expected normalised scores (reverse, MaxNodeScore 100) are noted per case.
    const pns = (key: string, value: string): Taint => ({ key, value, effect: 'PreferNoSchedule' });
    it('tolerated taint counts 0, intolerable 1 (scores 100, 0)', () => {
      const tols: Toleration[] = [
        { key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' },
      ];
      expect(countIntolerableTaintsPreferNoSchedule([pns('foo', 'bar')], tols)).to.equal(0);
      expect(countIntolerableTaintsPreferNoSchedule([pns('foo', 'blah')], tols)).to.equal(1);
    });
    it('the number of tolerated taints does not matter (scores 100, 100, 100)', () => {
      const tols: Toleration[] = [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ];
      expect(countIntolerableTaintsPreferNoSchedule([], tols)).to.equal(0);
      expect(countIntolerableTaintsPreferNoSchedule([pns('cpu-type', 'arm64')], tols)).to.equal(0);
      expect(
        countIntolerableTaintsPreferNoSchedule([pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')], tols),
      ).to.equal(0);
    });
    it('the more intolerable taints, the higher the count (scores 100, 50, 0)', () => {
      const tols: Toleration[] = [
        { key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' },
      ];
      expect(countIntolerableTaintsPreferNoSchedule([], tols)).to.equal(0);
      expect(countIntolerableTaintsPreferNoSchedule([pns('cpu-type', 'arm64')], tols)).to.equal(1);
      expect(
        countIntolerableTaintsPreferNoSchedule([pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')], tols),
      ).to.equal(2);
    });
    it('only PreferNoSchedule taints and tolerations count (scores 100, 100, 0)', () => {
      const tols: Toleration[] = [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ];
      expect(countIntolerableTaintsPreferNoSchedule([], tols)).to.equal(0);
      expect(
        countIntolerableTaintsPreferNoSchedule(
          [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }],
          tols,
        ),
      ).to.equal(0);
      expect(
        countIntolerableTaintsPreferNoSchedule([pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')], tols),
      ).to.equal(2);
    });
    it('no tolerations: a PreferNoSchedule taint counts (scores 100, 0)', () => {
      expect(countIntolerableTaintsPreferNoSchedule([], [])).to.equal(0);
      expect(countIntolerableTaintsPreferNoSchedule([pns('cpu-type', 'arm64')], undefined)).to.equal(1);
    });
    it('an effect-less toleration tolerates PreferNoSchedule taints', () => {
      expect(
        countIntolerableTaintsPreferNoSchedule([pns('foo', 'bar')], [{ key: 'foo', operator: 'Exists' }]),
      ).to.equal(0);
    });
  });

  describe('kubectl taint syntax', () => {
    // k8s:staging/src/k8s.io/kubectl/pkg/cmd/taint/utils_test.go TestParseTaints
    it('refuses the invalid specs of TestParseTaints', () => {
      expect(() => parseTaintSpec('')).to.throw(
        TaintSyntaxError,
        'invalid taint spec: , name part must be non-empty',
      );
      expect(() => parseTaintSpec('foo=abc')).to.throw(
        TaintSyntaxError,
        `invalid taint spec: foo=abc, ${NAME_PART_MSG}`,
      );
      expect(() => parseTaintSpec('foo=abc=xyz:NoSchedule')).to.throw(
        TaintSyntaxError,
        /^invalid taint spec: foo=abc=xyz:NoSchedule$/,
      );
      expect(() => parseTaintSpec('foo=abc:xyz:NoSchedule')).to.throw(
        TaintSyntaxError,
        /^invalid taint spec: foo=abc:xyz:NoSchedule$/,
      );
      expect(() => parseTaintSpec('foo')).to.throw(TaintSyntaxError, /^invalid taint spec: foo$/);
      expect(() => parseTaintSpec('foo=abc:invalid_effect')).to.throw(
        TaintSyntaxError,
        /^invalid taint effect: invalid_effect, unsupported taint effect$/,
      );
      expect(() => parseTaintRemoval('foo:invalid_effect-')).to.throw(
        TaintSyntaxError,
        /^invalid taint effect: invalid_effect, unsupported taint effect$/,
      );
    });

    it('the empty spec fails both name-part checks, joined by "; "', () => {
      expect(() => parseTaintSpec('')).to.throw(
        `invalid taint spec: , name part must be non-empty; ${NAME_PART_MSG}`,
      );
    });

    it('adds new taints (key=value:Effect, key:Effect, key=:Effect)', () => {
      expect(
        parseTaintList(
          'foo=abc:NoSchedule,bar=abc:NoSchedule,baz:NoSchedule,qux:NoSchedule,foobar=:NoSchedule',
        ),
      ).to.deep.equal([
        { key: 'foo', value: 'abc', effect: 'NoSchedule' },
        { key: 'bar', value: 'abc', effect: 'NoSchedule' },
        { key: 'baz', effect: 'NoSchedule' },
        { key: 'qux', effect: 'NoSchedule' },
        { key: 'foobar', effect: 'NoSchedule' },
      ]);
    });

    it('deletes taints (key:Effect-, key=:Effect-, key-)', () => {
      expect(
        ['foo:NoSchedule-', 'bar:NoSchedule-', 'qux=:NoSchedule-', 'dedicated-'].map(parseTaintRemoval),
      ).to.deep.equal([
        { key: 'foo', effect: 'NoSchedule' },
        { key: 'bar', effect: 'NoSchedule' },
        { key: 'qux', effect: 'NoSchedule' },
        { key: 'dedicated' },
      ]);
      expect(parseTaintRemoval('dedicated:NoExecute')).to.deep.equal({
        key: 'dedicated',
        effect: 'NoExecute',
      });
      expect(parseTaintRemoval('example.com/gpu=ignored:PreferNoSchedule-')).to.deep.equal({
        key: 'example.com/gpu',
        effect: 'PreferNoSchedule',
      });
    });

    it('validates the value and the key of a spec', () => {
      expect(() => parseTaintSpec('dedicated=gpu team:NoSchedule')).to.throw(
        `invalid taint spec: dedicated=gpu team:NoSchedule, ${LABEL_VALUE_MSG}`,
      );
      expect(() => parseTaintSpec('/gpu:NoSchedule')).to.throw(
        'invalid taint spec: /gpu:NoSchedule, prefix part must be non-empty',
      );
    });

    it('refuses duplicate key and effect in a list, as parseTaints does', () => {
      expect(() => parseTaintList('dedicated=a:NoSchedule, dedicated=b:NoSchedule')).to.throw(
        TaintSyntaxError,
        /^duplicated taints with the same key and effect: \{dedicated b NoSchedule <nil>\}$/,
      );
      expect(parseTaintList('dedicated=a:NoSchedule, dedicated=a:NoExecute')).to.have.length(2);
    });

    it('a blank table cell holds no taints; stray items are still errors', () => {
      expect(parseTaintList('  ')).to.deep.equal([]);
      expect(() => parseTaintList('a:NoSchedule,,b:NoSchedule')).to.throw(
        TaintSyntaxError,
        /^invalid taint spec: , /,
      );
    });

    it('keeps well-known keys with a prefix', () => {
      expect(parseTaintSpec('node-role.kubernetes.io/control-plane:NoSchedule')).to.deep.equal({
        key: 'node-role.kubernetes.io/control-plane',
        effect: 'NoSchedule',
      });
    });
  });

  describe('formatting', () => {
    it('formatTaint follows Taint.ToString', () => {
      expect(formatTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })).to.equal(
        'dedicated=gpu:NoSchedule',
      );
      expect(formatTaint({ key: 'dedicated', value: '', effect: 'NoExecute' })).to.equal(
        'dedicated:NoExecute',
      );
      expect(formatTaint({ key: 'dedicated', value: 'gpu', effect: '' })).to.equal('dedicated=gpu:');
      expect(formatTaint({ key: 'dedicated', effect: '' })).to.equal('dedicated');
    });

    it('formatTaintForScheduler prints {key: value}, an empty value as {key: }', () => {
      expect(formatTaintForScheduler({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })).to.equal(
        '{dedicated: gpu}',
      );
      expect(
        formatTaintForScheduler({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }),
      ).to.equal('{node.kubernetes.io/unreachable: }');
    });
  });

  describe('validateTolerations', () => {
    // k8s:pkg/apis/core/validation/validation.go ValidateTolerations
    const messages = (tols: unknown, gate = false) =>
      validateTolerations(tols, 'spec.tolerations', { comparisonOperators: gate }).map(String);

    it('accepts well-formed tolerations', () => {
      expect(
        messages([
          { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
          { operator: 'Exists' },
          { key: 'foo', value: 'bar' },
        ]),
      ).to.deep.equal([]);
      expect(messages(undefined)).to.deep.equal([]);
    });

    it('an empty key needs operator Exists', () => {
      expect(messages([{ operator: 'Equal', value: 'x' }])).to.deep.equal([
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ]);
      expect(messages([{}])).to.deep.equal([
        'spec.tolerations[0].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ]);
    });

    it('tolerationSeconds needs effect NoExecute', () => {
      expect(
        messages([{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }]),
      ).to.deep.equal([
        'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      ]);
    });

    it('Exists takes no value; Equal needs a label value (reported under .operator)', () => {
      expect(messages([{ key: 'a', operator: 'Exists', value: 'x' }])).to.deep.equal([
        'spec.tolerations[0].operator: Invalid value: "x": value must be empty when `operator` is \'Exists\'',
      ]);
      expect(messages([{ key: 'a', operator: 'Equal', value: 'not valid' }])).to.deep.equal([
        `spec.tolerations[0].operator: Invalid value: "not valid": ${LABEL_VALUE_MSG}`,
      ]);
    });

    it('refuses unknown operators, and Lt/Gt unless the gate is on', () => {
      expect(messages([{ key: 'a', operator: 'In', value: 'x' }])).to.deep.equal([
        'spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"',
      ]);
      expect(messages([{ key: 'sla', operator: 'Gt', value: '950' }])).to.deep.equal([
        'spec.tolerations[0].operator: Unsupported value: "Gt": supported values: "Equal", "Exists"',
      ]);
      expect(messages([{ key: 'sla', operator: 'Gt', value: '950' }], true)).to.deep.equal([]);
    });

    it('checks the key and the effect', () => {
      expect(messages([{ key: 'bad key', operator: 'Exists', effect: 'NoRun' }])).to.deep.equal([
        `spec.tolerations[0].key: Invalid value: "bad key": ${NAME_PART_MSG}`,
        'spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ]);
    });
  });

  describe('validateTaints', () => {
    // k8s:pkg/apis/core/validation/validation.go validateNodeTaints
    const messages = (taints: unknown) => validateTaints(taints, 'spec.taints').map(String);

    it('accepts well-formed taints', () => {
      expect(
        messages([
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        ]),
      ).to.deep.equal([]);
    });

    it('requires a key and an effect', () => {
      expect(messages([{ value: 'x' }])).to.deep.equal([
        'spec.taints[0].key: Invalid value: "": name part must be non-empty',
        `spec.taints[0].key: Invalid value: "": ${NAME_PART_MSG}`,
        'spec.taints[0].effect: Required value',
      ]);
    });

    it('checks the value and the effect', () => {
      expect(messages([{ key: 'a', value: 'b c', effect: 'NoRun' }])).to.deep.equal([
        `spec.taints[0].value: Invalid value: "b c": ${LABEL_VALUE_MSG}`,
        'spec.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ]);
    });

    it('taints must be unique by key and effect', () => {
      const errs = validateTaints(
        [
          { key: 'a', value: '1', effect: 'NoSchedule' },
          { key: 'a', value: '2', effect: 'NoSchedule' },
        ],
        'spec.taints',
      );
      expect(errs).to.have.length(1);
      expect(errs[0].type).to.equal('Duplicate value');
      expect(errs[0].field).to.equal('spec.taints[1]');
      expect(errs[0].detail).to.equal('taints must be unique by key and effect pair');
    });
  });
});
