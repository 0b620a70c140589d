import { expect } from 'chai';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import {
  newRequirement,
  type Operator,
  parseSelector,
  type Requirement,
  Selector,
  SelectorParseError,
  selectorFromLabelSelector,
  selectorFromSet,
  validateLabelSelector,
} from '../../src/api/labels';

const req = (key: string, operator: Operator, ...values: string[]): Requirement => ({
  key,
  operator,
  values,
});

function parseError(text: string): string {
  try {
    parseSelector(text);
  } catch (e) {
    expect(e).to.be.instanceOf(SelectorParseError);
    return (e as SelectorParseError).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

function requirementError(
  key: string,
  op: Operator,
  values: string[] | null,
): SelectorParseError | undefined {
  try {
    newRequirement(key, op, values);
    return undefined;
  } catch (e) {
    expect(e).to.be.instanceOf(SelectorParseError);
    return e as SelectorParseError;
  }
}

const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for " +
  "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('labels', () => {
  describe('parseSelector', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestSelectorParse
    it('parses the good strings of TestSelectorParse and prints them back without spaces', () => {
      const good = ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'];
      for (const text of good) expect(parseSelector(text).toString()).to.equal(text.replaceAll(' ', ''));
    });

    it('refuses the bad strings of TestSelectorParse with Go’s messages', () => {
      // '|' is identifier text, so the value `a||y` is what fails.
      expect(parseError('x=a||y=b')).to.equal(
        `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_MSG}`,
      );
      expect(parseError('x==a==b')).to.equal("found '==', expected: ',' or 'end of string'");
      expect(parseError('!x=a')).to.equal("found '=', expected: ',' or 'end of string'");
      expect(parseError('x<a')).to.equal(
        'unable to parse requirement: values[0]: Invalid value: "a": ' +
          "for 'Gt', 'Lt' operators, the value must be an integer",
      );
    });

    // selector_test.go TestDeterministicParse
    it('sorts requirements by key', () => {
      expect(parseSelector('x=a,a=x').toString()).to.equal(parseSelector('a=x,x=a').toString());
      expect(parseSelector('x=a,a=x').toString()).to.equal('a=x,x=a');
    });

    // selector_test.go TestSetSelectorParser, valid rows with their expected requirements
    it('builds the requirements of TestSetSelectorParser', () => {
      const rows: [string, Requirement[]][] = [
        ['', []],
        ['\rx', [req('x', 'exists')]],
        ['this-is-a-dns.domain.com/key-with-dash', [req('this-is-a-dns.domain.com/key-with-dash', 'exists')]],
        [
          'this-is-another-dns.domain.com/key-with-dash in (so,what)',
          [req('this-is-another-dns.domain.com/key-with-dash', 'in', 'so', 'what')],
        ],
        [
          '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
          [req('0.1.2.domain/99', 'notin', '10.10.100.1', 'tick.tack.clock')],
        ],
        ['foo  in\t (abc)', [req('foo', 'in', 'abc')]],
        ['x notin\n (abc)', [req('x', 'notin', 'abc')]],
        ['x  notin\t\t\t(abc,def)', [req('x', 'notin', 'abc', 'def')]],
        ['x in (abc,def)', [req('x', 'in', 'abc', 'def')]],
        ['x in (abc,)', [req('x', 'in', '', 'abc')]],
        ['x in ()', [req('x', 'in', '')]],
        [
          'x notin (abc,,def),bar,z in (),w',
          [req('bar', 'exists'), req('w', 'exists'), req('x', 'notin', '', 'abc', 'def'), req('z', 'in', '')],
        ],
        ['x,y in (a)', [req('x', 'exists'), req('y', 'in', 'a')]],
        ['x=a', [req('x', '=', 'a')]],
        ['x>1', [req('x', 'gt', '1')]],
        ['x<7', [req('x', 'lt', '7')]],
        ['x=a,y!=b', [req('x', '=', 'a'), req('y', '!=', 'b')]],
        ['x=a,y!=b,z in (h,i,j)', [req('x', '=', 'a'), req('y', '!=', 'b'), req('z', 'in', 'h', 'i', 'j')]],
        ['x notin ( )', [req('x', 'notin', '')]],
        ['x notin (, a)', [req('x', 'notin', '', 'a')]],
        ['a ', [req('a', 'exists')]],
        // operator 'in' inside list of identifiers
        ['a in (x,y,notin, z,in)', [req('a', 'in', 'in', 'notin', 'x', 'y', 'z')]],
      ];
      for (const [text, requirements] of rows) {
        expect(parseSelector(text).requirements, JSON.stringify(text)).to.deep.equal(requirements);
      }
    });

    // selector_test.go TestSetSelectorParser, invalid rows; the messages are the Go parser's
    it('refuses the invalid rows of TestSetSelectorParser', () => {
      const rows: [string, string][] = [
        ['x,,y', "found ',', expected: identifier after ','"],
        [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
        [
          'x nott in (y)',
          "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt",
        ],
        ['a in (xyz),', "found '', expected: identifier after ','"],
        ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
        ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
        ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
        ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
        ['(', "found '(', expected: !, identifier, or 'end of string'"],
      ];
      for (const [text, message] of rows) expect(parseError(text), JSON.stringify(text)).to.equal(message);
    });

    it('reports the remaining parser errors with their Go wording', () => {
      expect(parseError('x in y')).to.equal("unable to parse requirement: found 'y' expected: '('");
      expect(parseError('x=(')).to.equal("unable to parse requirement: found '(', expected: identifier");
      expect(parseError('!')).to.equal("unable to parse requirement: found '', expected: identifier");
      expect(parseError('x in (a,=)')).to.equal(
        "unable to parse requirement: found '=', expected: ',', or identifier",
      );
    });

    it('refuses invalid keys and values with the field errors of NewRequirement', () => {
      // The parser's nil field.Path prints as "<nil>", as kubectl shows it.
      expect(parseError('app-=web')).to.equal(
        `unable to parse requirement: <nil>: Invalid value: "app-": ${NAME_PART_MSG}`,
      );
      expect(parseError('app=web-')).to.equal(
        `unable to parse requirement: values[0][app]: Invalid value: "web-": ${LABEL_VALUE_MSG}`,
      );
    });

    // selector_test.go TestLexer and TestLexerSequence, observed through the parser
    it('lexes the longest operator and treats other characters as identifier text', () => {
      expect(parseSelector('x!=a').requirements).to.deep.equal([req('x', '!=', 'a')]);
      expect(parseSelector('x==a').requirements).to.deep.equal([req('x', '==', 'a')]);
      expect(parseSelector('key>2').requirements).to.deep.equal([req('key', 'gt', '2')]);
      expect(parseSelector('key<1').requirements).to.deep.equal([req('key', 'lt', '1')]);
      expect(parseSelector('key in ( value1, value2 )').requirements).to.deep.equal([
        req('key', 'in', 'value1', 'value2'),
      ]);
      expect(parseSelector('!key').requirements).to.deep.equal([req('key', '!')]);
      expect(parseError('x=~')).to.equal(
        `unable to parse requirement: values[0][x]: Invalid value: "~": ${LABEL_VALUE_MSG}`,
      );
    });

    it('uses in and notin as keys and values where no operator is expected', () => {
      expect(parseSelector('in=notin').requirements).to.deep.equal([req('in', '=', 'notin')]);
      expect(parseSelector('notin in (in)').requirements).to.deep.equal([req('notin', 'in', 'in')]);
    });

    // selector.go Lexer.read returns 0 both at the end and for a NUL byte: NUL ends an identifier, and where
    // a token should start it ends the input.
    it('treats a NUL character as Go’s byte lexer does', () => {
      expect(parseSelector('x\u0000').toString()).to.equal('x');
      expect(parseSelector('a\u0000,b').toString()).to.equal('a,b');
      expect(parseError('a, \u0000b')).to.equal("found '', expected: identifier after ','");
    });
  });

  describe('Selector.matches', () => {
    const matches = (text: string, labels: Record<string, string>) => parseSelector(text).matches(labels);

    // selector_test.go TestSelectorMatches
    it('matches as TestSelectorMatches expects', () => {
      expect(matches('', { x: 'y' })).to.equal(true);
      expect(matches('x=y', { x: 'y' })).to.equal(true);
      expect(matches('x=y,z=w', { x: 'y', z: 'w' })).to.equal(true);
      expect(matches('x!=y,z!=w', { x: 'z', z: 'a' })).to.equal(true);
      expect(matches('notin=in', { notin: 'in' })).to.equal(true);
      expect(matches('x', { x: 'z' })).to.equal(true);
      expect(matches('!x', { y: 'z' })).to.equal(true);
      expect(matches('x>1', { x: '2' })).to.equal(true);
      expect(matches('x<1', { x: '0' })).to.equal(true);
      expect(matches('x=z', {})).to.equal(false);
      expect(matches('x=y', { x: 'z' })).to.equal(false);
      expect(matches('x=y,z=w', { x: 'w', z: 'w' })).to.equal(false);
      expect(matches('x!=y,z!=w', { x: 'z', z: 'w' })).to.equal(false);
      expect(matches('x', { y: 'z' })).to.equal(false);
      expect(matches('!x', { x: 'z' })).to.equal(false);
      expect(matches('x>1', { x: '0' })).to.equal(false);
      expect(matches('x<1', { x: '2' })).to.equal(false);

      const labelset = { foo: 'bar', baz: 'blah' };
      expect(matches('foo=bar', labelset)).to.equal(true);
      expect(matches('baz=blah', labelset)).to.equal(true);
      expect(matches('foo=bar,baz=blah', labelset)).to.equal(true);
      expect(matches('foo=blah', labelset)).to.equal(false);
      expect(matches('baz=bar', labelset)).to.equal(false);
      expect(matches('foo=bar,foobar=bar,baz=blah', labelset)).to.equal(false);
    });

    // selector_test.go TestRequirementSelectorMatching (the row with a zero Requirement has no TS equivalent)
    it('matches as TestRequirementSelectorMatching expects', () => {
      const rows: [Record<string, string>, Requirement[], boolean][] = [
        [{ x: 'foo', y: 'baz' }, [req('x', 'in', 'foo'), req('y', 'notin', 'alpha')], true],
        [{ x: 'foo', y: 'baz' }, [req('x', 'in', 'foo'), req('y', 'in', 'alpha')], false],
        [{ y: '' }, [req('x', 'notin', ''), req('y', 'exists')], true],
        [{ y: '' }, [req('x', '!'), req('y', 'exists')], true],
        [{ y: '' }, [req('x', 'notin', ''), req('y', '!')], false],
        [{ y: 'baz' }, [req('x', 'in', '')], false],
        [{ z: '2' }, [req('z', 'gt', '1')], true],
        [{ z: 'v2' }, [req('z', 'gt', '1')], false],
      ];
      for (const [labels, requirements, expected] of rows) {
        const selector = Selector.from(requirements.map((r) => newRequirement(r.key, r.operator, r.values)));
        expect(selector.matches(labels), `${selector} on ${JSON.stringify(labels)}`).to.equal(expected);
      }
    });

    it('matches multi-value sets and the empty value', () => {
      expect(matches('tier in (back,front)', { tier: 'front' })).to.equal(true);
      expect(matches('tier in (back,front)', { tier: 'db' })).to.equal(false);
      expect(matches('tier notin (back,front)', { tier: 'db' })).to.equal(true);
      expect(matches('tier notin (back,front)', {})).to.equal(true);
      expect(matches('tier notin (back,front)', { tier: 'back' })).to.equal(false);
      expect(matches('x=', { x: '' })).to.equal(true);
      expect(matches('x=', {})).to.equal(false);
      expect(matches('x!=', {})).to.equal(true);
    });

    it('compares gt and lt as 64-bit integers and never matches a non-integer label', () => {
      expect(matches('x<1', { x: '-5' })).to.equal(true);
      expect(matches('x>0', { x: '+1' })).to.equal(true);
      expect(matches('x<9223372036854775807', { x: '9223372036854775806' })).to.equal(true);
      expect(matches('x>1', { x: '9223372036854775808' })).to.equal(false);
      expect(matches('x<1', { x: '' })).to.equal(false);
      expect(matches('x<1', { x: ' 0' })).to.equal(false);
      expect(matches('x<1', {})).to.equal(false);
    });

    it('does not take Object.prototype members for labels', () => {
      expect(matches('constructor', {})).to.equal(false);
      expect(matches('!toString', {})).to.equal(true);
      expect(matches('constructor', { constructor: 'x' })).to.equal(true);
    });

    it('treats missing labels as an empty set', () => {
      expect(parseSelector('!x').matches(undefined)).to.equal(true);
      expect(parseSelector('x').matches(undefined)).to.equal(false);
    });
  });

  describe('Selector.everything and Selector.nothing', () => {
    // selector_test.go TestEverything
    it('everything matches all and is empty', () => {
      expect(Selector.everything().matches({ x: 'y' })).to.equal(true);
      expect(Selector.everything().isEmpty()).to.equal(true);
      expect(Selector.everything().toString()).to.equal('');
    });

    it('nothing matches nothing, not even no labels, and is not empty', () => {
      expect(Selector.nothing().matches({})).to.equal(false);
      expect(Selector.nothing().matches(undefined)).to.equal(false);
      expect(Selector.nothing().isEmpty()).to.equal(false);
      expect(Selector.nothing().toString()).to.equal('');
    });
  });

  describe('toString', () => {
    // selector_test.go TestToString (valid rows; Go's internalSelector literals are unsorted, as Selector.from
    // sorts, the rows are already in key order)
    it('prints the rows of TestToString', () => {
      const rows: [Requirement[], string][] = [
        [
          [req('x', 'in', 'abc', 'def'), req('y', 'notin', 'jkl'), req('z', 'exists')],
          'x in (abc,def),y notin (jkl),z',
        ],
        [
          [req('x', 'notin', 'abc', 'def'), req('y', '!=', 'jkl'), req('z', '!')],
          'x notin (abc,def),y!=jkl,!z',
        ],
        [
          [req('x', 'notin', 'abc'), req('y', 'in', 'jkl', 'mno'), req('z', 'notin', '')],
          'x notin (abc),y in (jkl,mno),z notin ()',
        ],
        [
          [req('x', '=', 'abc'), req('y', '==', 'jkl'), req('z', '!=', 'a'), req('z', 'exists')],
          'x=abc,y==jkl,z!=a,z',
        ],
        [[req('x', 'gt', '2'), req('y', 'lt', '8'), req('z', 'exists')], 'x>2,y<8,z'],
      ];
      for (const [requirements, text] of rows) expect(Selector.from(requirements).toString()).to.equal(text);
    });

    // selector.go safeSort: printing sorts values without reordering the requirement
    it('sorts values when printing only', () => {
      const selector = Selector.from([req('x', 'in', 'b', 'a')]);
      expect(selector.toString()).to.equal('x in (a,b)');
      expect(selector.requirements[0].values).to.deep.equal(['b', 'a']);
    });
  });

  describe('newRequirement', () => {
    // selector_test.go TestRequirementConstructor (success flags, and the field paths of the newer WantErr table)
    it('accepts and refuses the cases of TestRequirementConstructor', () => {
      const good: [string, Operator, string[] | null][] = [
        ['x', 'in', ['foo']],
        ['x', 'notin', ['foo']],
        ['x', 'exists', null],
        ['x', '!', null],
        ['1foo', 'in', ['bar']],
        ['1234', 'in', ['bar']],
        ['y', 'gt', ['1']],
        ['z', 'lt', ['6']],
      ];
      for (const [key, op, values] of good)
        expect(requirementError(key, op, values), key).to.equal(undefined);

      const bad: [string, Operator, string[] | null, string][] = [
        ['x1', 'in', null, 'values'],
        ['x2', 'notin', [], 'values'],
        ['x5', '=', ['bar', 'foo'], 'values'],
        ['x8', 'exists', ['foo'], 'values'],
        ['x13', 'gt', [], 'values'],
        ['x14', 'gt', ['bar'], 'values[0]'],
        ['x15', 'lt', ['bar'], 'values[0]'],
        [a(254), 'exists', null, 'key'],
        ['x16', '=', [a(254)], 'values[0][x16]'],
        ['x17', '=', ['a b'], 'values[0][x17]'],
        ['x18', 'unsupportedOp' as Operator, null, 'operator'],
      ];
      for (const [key, op, values, field] of bad) {
        const err = requirementError(key, op, values);
        expect(
          err?.fieldErrors.map((e) => e.field),
          key,
        ).to.deep.equal([field]);
      }
    });

    it("renders Go's messages, nil values as null", () => {
      expect(requirementError('x', 'in', null)?.message).to.equal(
        "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
      );
      expect(requirementError('x', '=', ['a', 'b'])?.message).to.equal(
        'values: Invalid value: ["a","b"]: exact-match compatibility requires one single value',
      );
      expect(requirementError('x', 'exists', ['a'])?.message).to.equal(
        'values: Invalid value: ["a"]: values set must be empty for exists and does not exist',
      );
      expect(requirementError('x', 'gt', [])?.message).to.equal(
        "values: Invalid value: []: for 'Gt', 'Lt' operators, exactly one value is required",
      );
      expect(requirementError('x', 'nope' as Operator, null)?.message).to.equal(
        'operator: Unsupported value: "nope": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", ' +
          '"exists", "!"',
      );
    });

    it('puts the field path option in front', () => {
      const err = (() => {
        try {
          newRequirement('x', 'in', null, 'spec.selector');
        } catch (e) {
          return e as SelectorParseError;
        }
      })();
      expect(err?.fieldErrors.map((e) => e.field)).to.deep.equal(['spec.selector.values']);
    });
  });

  describe('selectorFromSet', () => {
    // selector_test.go TestSetMatches, TestNilMapIsValid, TestSetIsEmpty
    it('matches as TestSetMatches expects', () => {
      const labelset = { foo: 'bar', baz: 'blah' };
      expect(selectorFromSet({}).matches(labelset)).to.equal(true);
      expect(selectorFromSet({ foo: 'bar' }).matches(labelset)).to.equal(true);
      expect(selectorFromSet({ baz: 'blah' }).matches(labelset)).to.equal(true);
      expect(selectorFromSet({ foo: 'bar', baz: 'blah' }).matches(labelset)).to.equal(true);
      expect(selectorFromSet({ foo: 'bar', other: 'x' }).matches(labelset)).to.equal(false);
    });

    it('is empty for a nil or empty set', () => {
      expect(selectorFromSet(undefined).isEmpty()).to.equal(true);
      expect(selectorFromSet({}).isEmpty()).to.equal(true);
      expect(selectorFromSet({ b: '2', a: '1' }).toString()).to.equal('a=1,b=2');
    });
  });

  describe('selectorFromLabelSelector', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers_test.go TestLabelSelectorAsSelector
    it('converts the cases of TestLabelSelectorAsSelector', () => {
      const matchLabels = { foo: 'bar' };
      const matchExpressions = [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }];
      expect(selectorFromLabelSelector(null)).to.equal(Selector.nothing());
      expect(selectorFromLabelSelector(undefined)).to.equal(Selector.nothing());
      expect(selectorFromLabelSelector({})).to.equal(Selector.everything());
      expect(selectorFromLabelSelector({ matchLabels }).toString()).to.equal('foo=bar');
      expect(selectorFromLabelSelector({ matchExpressions }).toString()).to.equal('baz in (norf,qux)');
      expect(selectorFromLabelSelector({ matchLabels, matchExpressions }).toString()).to.equal(
        'baz in (norf,qux),foo=bar',
      );
      expect(() =>
        selectorFromLabelSelector({
          matchExpressions: [{ key: 'baz', operator: 'Exists', values: ['qux', 'norf'] }],
        }),
      ).to.throw(SelectorParseError, 'values set must be empty for exists and does not exist');
    });

    it('does not change its input', () => {
      const ls: LabelSelector = {
        matchExpressions: [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }],
      };
      selectorFromLabelSelector(ls);
      expect(ls).to.deep.equal({
        matchExpressions: [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }],
      });
    });

    it('ANDs matchLabels and matchExpressions when matching', () => {
      const selector = selectorFromLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
        ],
      });
      expect(selector.matches({ app: 'web', zone: 'a' })).to.equal(true);
      expect(selector.matches({ app: 'web', zone: 'a', tier: 'db' })).to.equal(false);
      expect(selector.matches({ app: 'web', zone: 'a', canary: 'true' })).to.equal(false);
      expect(selector.matches({ app: 'web' })).to.equal(false);
    });

    // Message from PR #112472 ("label selector", no longer "pod selector")
    it('refuses an unknown operator', () => {
      expect(() =>
        selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Seriously' }] }),
      ).to.throw(SelectorParseError, /^"Seriously" is not a valid label selector operator$/);
    });

    // The exact error of an In expression with neither key nor values, as descheduler's
    // ValidateRemovePodsViolatingInterPodAntiAffinityArgs test records it from LabelSelectorAsSelector.
    it('aggregates the errors of one requirement', () => {
      expect(() =>
        selectorFromLabelSelector({
          matchExpressions: [{ operator: 'In' } as { key: string; operator: string }],
        }),
      ).to.throw(
        SelectorParseError,
        `[key: Invalid value: "": name part must be non-empty; ${NAME_PART_MSG}, values: Invalid value: null: ` +
          "for 'in', 'notin' operators, values set can't be empty]",
      );
    });
  });

  describe('validateLabelSelector', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation_test.go TestValidateLabelSelector
    it('accepts the success cases of TestValidateLabelSelector', () => {
      const cases: LabelSelector[] = [
        {
          matchLabels: { id: 'app2', id2: 'app3' },
          matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar1', 'bar2'] }],
        },
        { matchExpressions: [{ key: 'key2', operator: 'In', values: ['value1', 'value2'] }] },
        { matchLabels: { id: 'app2' } },
        {
          matchLabels: { id: 'app2', id2: 'app3' },
          matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['bar1', 'bar2'] }],
        },
        { matchLabels: { id: 'app2' }, matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
        { matchLabels: { id: 'app2' }, matchExpressions: [{ key: 'foo', operator: 'DoesNotExist' }] },
      ];
      for (const ls of cases) expect(validateLabelSelector(ls, 'field')).to.deep.equal([]);
      expect(validateLabelSelector(undefined, 'field')).to.deep.equal([]);
    });

    it('refuses the error cases of TestValidateLabelSelector', () => {
      const ok = [{ key: 'foo', operator: 'In', values: ['bar1', 'bar2'] }];
      const cases: [LabelSelector, string][] = [
        [
          { matchLabels: { 'ids^=@': 'app2', id2: 'app3' }, matchExpressions: ok },
          'name part must consist of',
        ],
        [
          { matchLabels: { 'only/one/slas': 'app2', id2: 'app3' }, matchExpressions: ok },
          'a valid label key must',
        ],
        [
          { matchLabels: { only: 'app2', good: 'app3=@' }, matchExpressions: ok },
          'a valid label must be an empty',
        ],
        [{ matchLabels: { only: 'app2', good: a(64) }, matchExpressions: ok }, 'must be no more than'],
        [
          { matchExpressions: [{ key: 'foo', operator: 'In', values: [] }] },
          "must be specified when `operator` is 'In' or 'NotIn'",
        ],
        [
          { matchExpressions: [{ key: 'foo', operator: 'NotIn', values: [] }] },
          "must be specified when `operator` is 'In' or 'NotIn'",
        ],
        [
          { matchExpressions: [{ key: 'foo', operator: 'Exists', values: ['bar1', 'bar2'] }] },
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ],
        [
          { matchExpressions: [{ key: 'foo', operator: 'DoesNotExist', values: ['bar1', 'bar2'] }] },
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ],
        [
          { matchExpressions: [{ key: 'foo', operator: 'Out', values: ['bar1', 'bar2'] }] },
          'not a valid selector operator',
        ],
        [
          { matchExpressions: [{ key: 'foo^=@', operator: 'In', values: ['bar1', 'bar2'] }] },
          'name part must consist of',
        ],
      ];
      for (const [ls, expected] of cases) {
        const errs = validateLabelSelector(ls, 'field');
        expect(errs, JSON.stringify(ls)).to.not.be.empty;
        expect(errs[0].detail).to.contain(expected);
      }
    });

    it('names each field as the API server does', () => {
      const errs = validateLabelSelector(
        {
          matchLabels: { app: 'web!' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: [] },
            { key: 'zone', operator: 'Exists', values: ['a'] },
            { key: 'x', operator: 'Gt', values: ['1'] },
            { key: 'y', operator: 'In', values: ['ok', 'not ok'] },
          ],
        },
        'spec.selector',
      );
      expect(errs.map(String)).to.deep.equal([
        `spec.selector.matchLabels: Invalid value: "web!": ${LABEL_VALUE_MSG}`,
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
        `spec.selector.matchExpressions[3].values[1]: Invalid value: "not ok": ${LABEL_VALUE_MSG}`,
      ]);
    });
  });
});

function a(n: number): string {
  return 'a'.repeat(n);
}
