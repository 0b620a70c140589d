import { expect } from 'chai';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateGenerateName,
  validateLabels,
  validateObjectName,
} from '../../src/api/validation';

const a = (n: number) => 'a'.repeat(n);

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end " +
  "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic " +
  "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation " +
  "is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for " +
  "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function expectAll(fn: (v: string) => string[], good: string[], bad: string[]) {
  for (const v of good) expect(fn(v), `expected ${JSON.stringify(v)} to be valid`).to.deep.equal([]);
  for (const v of bad) expect(fn(v), `expected ${JSON.stringify(v)} to be invalid`).to.not.be.empty;
}

describe('validation', () => {
  describe('isDNS1123Label', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go TestIsDNS1123Label
    it('accepts and refuses the values of TestIsDNS1123Label', () => {
      expectAll(
        isDNS1123Label,
        ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', a(63)],
        [
          ...['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1'],
          ...['_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2'],
          ...[' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', a(64)],
        ],
      );
    });

    it("gives Go's messages: regex, dots of a would-be subdomain, and length", () => {
      expect(isDNS1123Label('My_Name')).to.deep.equal([DNS1123_LABEL_MSG]);
      expect(isDNS1123Label('my.name')).to.deep.equal(['must not contain dots']);
      expect(isDNS1123Label(a(64))).to.deep.equal(['must be no more than 63 characters']);
      expect(isDNS1123Label(`${a(63)}.b`)).to.deep.equal([
        'must be no more than 63 characters',
        'must not contain dots',
      ]);
    });
  });

  describe('isDNS1123Subdomain', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go TestIsDNS1123Subdomain
    it('accepts and refuses the values of TestIsDNS1123Subdomain', () => {
      expectAll(
        isDNS1123Subdomain,
        [
          ...['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2'],
          ...[
            'a.a',
            'ab.a',
            'abc.a',
            'a1.a',
            'a-1.a',
            'a--1--2--b.a',
            'a.1',
            'ab.1',
            'abc.1',
            'a1.1',
            'a-1.1',
          ],
          ...['a--1--2--b.1', '0.a', '01.a', '012.a', '1a.a', '1-a.a', '1--a--b--2', '0.1', '01.1', '012.1'],
          ...[
            '1a.1',
            '1-a.1',
            '1--a--b--2.1',
            'a.b.c.d.e',
            'aa.bb.cc.dd.ee',
            '1.2.3.4.5',
            '11.22.33.44.55',
            a(253),
          ],
        ],
        [
          ...['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1'],
          ...['_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2'],
          ...[' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A'],
          ...['A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A'],
          ...['A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee'],
          ...['a@b', 'a,b', 'a_b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', a(254)],
        ],
      );
    });

    it('reports length before the pattern, as Go does', () => {
      expect(isDNS1123Subdomain('A'.repeat(254))).to.deep.equal([
        'must be no more than 253 characters',
        DNS1123_SUBDOMAIN_MSG,
      ]);
    });

    it("counts length in UTF-8 bytes, like Go's len()", () => {
      // 127 two-byte characters are 254 bytes.
      expect(isDNS1123Subdomain('é'.repeat(127))[0]).to.equal('must be no more than 253 characters');
      expect(isDNS1123Subdomain('é'.repeat(126))).to.deep.equal([DNS1123_SUBDOMAIN_MSG]);
    });
  });

  describe('isDNS1035Label', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go TestIsDNS1035Label
    it('accepts and refuses the values of TestIsDNS1035Label', () => {
      expectAll(
        isDNS1035Label,
        ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', a(63)],
        [
          ...['0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A'],
          ...['-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2'],
          ...['.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', a(64)],
        ],
      );
    });

    it("gives Go's message", () => {
      expect(isDNS1035Label('1web')).to.deep.equal([DNS1035_LABEL_MSG]);
    });
  });

  describe('isQualifiedName', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go TestIsQualifiedName
    // (also content/kube_test.go TestIsLabelKey)
    it('accepts and refuses the values of TestIsQualifiedName', () => {
      expectAll(
        isQualifiedName,
        [
          ...[
            'simple',
            'now-with-dashes',
            '1-starts-with-num',
            '1234',
            'simple/simple',
            'now-with-dashes/simple',
          ],
          ...['now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple'],
          ...['1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123'],
          ...[
            'example.com/Uppercase_Is_OK_123',
            'requests.storage-foo',
            a(63),
            `${a(253)}/${'b'.repeat(63)}`,
          ],
        ],
        [
          ...['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash'],
          ...['Example.com/abc', 'example_com/abc', 'example.com/', '/simple', a(64), `${a(254)}/abc`],
        ],
      );
    });

    it("gives content.IsLabelKey's messages for each part", () => {
      expect(isQualifiedName('only/one/slash')).to.deep.equal([
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with " +
          "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
          "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' " +
          "(e.g. 'example.com/MyName')",
      ]);
      expect(isQualifiedName('/simple')).to.deep.equal(['prefix part must be non-empty']);
      expect(isQualifiedName('example.com/')).to.deep.equal(['name part must be non-empty', NAME_PART_MSG]);
      expect(isQualifiedName('Example.com/abc')).to.deep.equal([`prefix part ${DNS1123_SUBDOMAIN_MSG}`]);
      expect(isQualifiedName(a(64))).to.deep.equal(['name part must be no more than 63 characters']);
      expect(isQualifiedName('cantendwithadash-')).to.deep.equal([NAME_PART_MSG]);
    });
  });

  describe('isValidLabelValue', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go TestIsValidLabelValue
    it('accepts and refuses the values of TestIsValidLabelValue', () => {
      expectAll(
        isValidLabelValue,
        ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', a(63), ''],
        [
          ...['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad'],
          ...['-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', a(64)],
        ],
      );
    });

    it("gives Go's messages", () => {
      expect(isValidLabelValue('bad,value')).to.deep.equal([LABEL_VALUE_MSG]);
      expect(isValidLabelValue(a(64))).to.deep.equal(['must be no more than 63 characters']);
    });
  });

  describe('validateLabels', () => {
    // k8s:staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation_test.go TestValidateLabels
    it('accepts the success cases of TestValidateLabels', () => {
      const keys = [
        ...[
          'simple',
          'now-with-dashes',
          '1-starts-with-num',
          '1234',
          'simple/simple',
          'now-with-dashes/simple',
        ],
        ...['now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple'],
        ...['1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'UpperCaseAreOK123'],
      ];
      for (const key of keys) expect(validateLabels({ [key]: 'bar' }, 'field')).to.deep.equal([]);
      expect(validateLabels({ goodvalue: '123_-.BaR' }, 'field')).to.deep.equal([]);
      expect(validateLabels(undefined, 'field')).to.deep.equal([]);
    });

    it('refuses the error cases of TestValidateLabels with exactly one error each', () => {
      // The upstream table expects "a qualified name must consist of" for only/one/slash; since the rule moved
      // to content.IsLabelKey the message says "a valid label key must consist of".
      const cases: [Record<string, string>, string][] = [
        [{ 'nospecialchars^=@': 'bar' }, 'name part must consist of'],
        [{ 'cantendwithadash-': 'bar' }, 'name part must consist of'],
        [{ 'only/one/slash': 'bar' }, 'a valid label key must consist of'],
        [{ [a(254)]: 'bar' }, 'must be no more than'],
        [{ toolongvalue: a(64) }, 'must be no more than'],
        [{ backslashesinvalue: 'some\\bad\\value' }, 'a valid label must be an empty string or consist of'],
        [{ nocommasallowed: 'bad,value' }, 'a valid label must be an empty string or consist of'],
        [{ strangecharsinvalue: '?#$notsogood' }, 'a valid label must be an empty string or consist of'],
      ];
      for (const [labels, expected] of cases) {
        const errs = validateLabels(labels, 'field');
        expect(errs, JSON.stringify(labels)).to.have.length(1);
        expect(errs[0].detail).to.contain(expected);
      }
    });

    it('reports keys and values under the map path with the offending string as value', () => {
      const errs = validateLabels({ app: 'web', 'bad key': 'ok', tier: 'front end' }, 'metadata.labels');
      expect(errs.map(String)).to.deep.equal([
        `metadata.labels: Invalid value: "bad key": ${NAME_PART_MSG}`,
        `metadata.labels: Invalid value: "front end": ${LABEL_VALUE_MSG}`,
      ]);
    });
  });

  describe('validateObjectName', () => {
    // Reference §10: `The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label ...`
    it('uses DNS-1035 labels for Services', () => {
      expect(validateObjectName('1web', 'Service').map(String)).to.deep.equal([
        `metadata.name: Invalid value: "1web": ${DNS1035_LABEL_MSG}`,
      ]);
      expect(validateObjectName('web', 'Service')).to.deep.equal([]);
    });

    it('uses DNS-1123 labels for Namespaces', () => {
      expect(validateObjectName('team.a', 'Namespace').map(String)).to.deep.equal([
        'metadata.name: Invalid value: "team.a": must not contain dots',
      ]);
      expect(validateObjectName('1team', 'Namespace')).to.deep.equal([]);
    });

    it('uses DNS-1123 subdomains for everything else', () => {
      for (const kind of ['Pod', 'Node', 'Deployment', 'ConfigMap']) {
        expect(validateObjectName('web-1.example', kind)).to.deep.equal([]);
        expect(validateObjectName('Web_1', kind).map(String)).to.deep.equal([
          `metadata.name: Invalid value: "Web_1": ${DNS1123_SUBDOMAIN_MSG}`,
        ]);
      }
      expect(validateObjectName(a(254), 'Pod').map((e) => e.detail)).to.deep.equal([
        'must be no more than 253 characters',
      ]);
    });

    // k8s:pkg/apis/rbac/validation/validation.go ValidateRBACName → path.IsValidPathSegmentName
    it('uses path segment names for RBAC kinds', () => {
      expect(validateObjectName('system:node-reader', 'ClusterRole')).to.deep.equal([]);
      expect(validateObjectName('a/b%c', 'Role').map((e) => e.detail)).to.deep.equal([
        "may not contain '/'",
        "may not contain '%'",
      ]);
      expect(validateObjectName('..', 'RoleBinding').map((e) => e.detail)).to.deep.equal(["may not be '..'"]);
    });

    it('requires a name', () => {
      expect(validateObjectName('', 'Pod').map(String)).to.deep.equal([
        'metadata.name: Required value: name or generateName is required',
      ]);
    });

    it('takes another field path', () => {
      expect(validateObjectName('A', 'Pod', 'spec.nodeName').map((e) => e.field)).to.deep.equal([
        'spec.nodeName',
      ]);
    });
  });

  describe('validateGenerateName', () => {
    it('allows the trailing dash of a prefix', () => {
      expect(validateGenerateName('web-', 'Pod')).to.deep.equal([]);
      expect(validateGenerateName('web-', 'Service')).to.deep.equal([]);
      expect(validateGenerateName('team-', 'Namespace')).to.deep.equal([]);
      expect(validateGenerateName('', 'Pod')).to.deep.equal([]);
    });

    it('still applies the rule to the rest of the prefix', () => {
      expect(validateGenerateName('Web-', 'Pod').map(String)).to.deep.equal([
        `metadata.generateName: Invalid value: "Web-": ${DNS1123_SUBDOMAIN_MSG}`,
      ]);
      expect(validateGenerateName('1web-', 'Service').map((e) => e.detail)).to.deep.equal([
        DNS1035_LABEL_MSG,
      ]);
    });

    // k8s:.../api/validation/generic.go maskTrailingDash drops the last two characters: the character before
    // the dash is never checked.
    it("keeps maskTrailingDash's quirk", () => {
      expect(validateGenerateName('team.-', 'Namespace')).to.deep.equal([]);
      expect(validateGenerateName('web_-', 'Pod')).to.deep.equal([]);
      expect(validateGenerateName('-', 'Pod').map((e) => e.detail)).to.deep.equal([DNS1123_SUBDOMAIN_MSG]);
    });

    it('does not mask anything for RBAC kinds', () => {
      expect(validateGenerateName('.', 'Role').map((e) => e.detail)).to.deep.equal(["may not be '.'"]);
    });
  });
});
