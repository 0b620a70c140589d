import { expect } from 'chai';
import fc from 'fast-check';
import { FieldError } from '../../src/api/field-errors';
import { parseQuantity, Quantity, QuantityError, type QuantityFormat } from '../../src/api/quantity';

// Tables below are ported from k8s:staging/src/k8s.io/apimachinery/pkg/api/resource/quantity_test.go
// (and quantity_golden_test.go) unless a comment says otherwise. `dec(i, e, f)` is the Go tests'
// decQuantity(i, e, f): the value i × 10^e in format f.

const dec = (i: number | bigint, exp: number, format: QuantityFormat = 'DecimalSI') =>
  Quantity.fromScaled(i, exp, format);
const parse = (s: string) => Quantity.parse(s);

const MOST_POSITIVE = 2n ** 63n - 1n;
const MOST_NEGATIVE = -(2n ** 63n);

const FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const NUMERIC = 'unable to parse numeric part of quantity';
const SUFFIX = "unable to parse quantity's suffix";

function parseError(input: string): string {
  try {
    Quantity.parse(input);
  } catch (error) {
    expect(error, input).to.be.instanceOf(QuantityError);
    return (error as QuantityError).message;
  }
  throw new Error(`${JSON.stringify(input)} parsed unexpectedly`);
}

describe('Quantity', () => {
  describe('parse (TestQuantityParse)', () => {
    const table: Array<[string, Quantity]> = [
      ['0', dec(0, 0)],
      ['0n', dec(0, 0)],
      ['0u', dec(0, 0)],
      ['0m', dec(0, 0)],
      ['0Ki', dec(0, 0, 'BinarySI')],
      ['0k', dec(0, 0)],
      ['0Mi', dec(0, 0, 'BinarySI')],
      ['0M', dec(0, 0)],
      ['0Gi', dec(0, 0, 'BinarySI')],
      ['0G', dec(0, 0)],
      ['0Ti', dec(0, 0, 'BinarySI')],
      ['0T', dec(0, 0)],
      // Quantity less numbers are allowed
      ['1', dec(1, 0)],
      // Binary suffixes
      ['1Ki', dec(1024, 0, 'BinarySI')],
      ['8Ki', dec(8 * 1024, 0, 'BinarySI')],
      ['7Mi', dec(7 * 1024 ** 2, 0, 'BinarySI')],
      ['6Gi', dec(6 * 1024 ** 3, 0, 'BinarySI')],
      ['5Ti', dec(5 * 1024 ** 4, 0, 'BinarySI')],
      ['4Pi', dec(4 * 1024 ** 5, 0, 'BinarySI')],
      ['3Ei', dec(3n * 1024n ** 6n, 0, 'BinarySI')],
      ['10Ti', dec(10 * 1024 ** 4, 0, 'BinarySI')],
      ['100Ti', dec(100 * 1024 ** 4, 0, 'BinarySI')],
      // Decimal suffixes
      ['5n', dec(5, -9)],
      ['4u', dec(4, -6)],
      ['3m', dec(3, -3)],
      ['9', dec(9, 0)],
      ['8k', dec(8, 3)],
      ['50k', dec(5, 4)],
      ['7M', dec(7, 6)],
      ['6G', dec(6, 9)],
      ['5T', dec(5, 12)],
      ['40T', dec(4, 13)],
      ['300T', dec(3, 14)],
      ['2P', dec(2, 15)],
      ['1E', dec(1, 18)],
      // Decimal exponents
      ['1E-3', dec(1, -3, 'DecimalExponent')],
      ['1e3', dec(1, 3, 'DecimalExponent')],
      ['1E6', dec(1, 6, 'DecimalExponent')],
      ['1e9', dec(1, 9, 'DecimalExponent')],
      ['1E12', dec(1, 12, 'DecimalExponent')],
      ['1e15', dec(1, 15, 'DecimalExponent')],
      ['1E18', dec(1, 18, 'DecimalExponent')],
      // Nonstandard but still parsable
      ['1e14', dec(1, 14, 'DecimalExponent')],
      ['1e13', dec(1, 13, 'DecimalExponent')],
      ['100.035k', dec(100035, 0)],
      // Things that look like floating point
      ['0.001', dec(1, -3)],
      ['0.0005k', dec(5, -1)],
      ['0.005', dec(5, -3)],
      ['0.05', dec(5, -2)],
      ['0.5', dec(5, -1)],
      ['0.00050k', dec(5, -1)],
      ['0.00500', dec(5, -3)],
      ['0.05000', dec(5, -2)],
      ['0.50000', dec(5, -1)],
      ['0.5e0', dec(5, -1, 'DecimalExponent')],
      ['0.5e-1', dec(5, -2, 'DecimalExponent')],
      ['0.5e-2', dec(5, -3, 'DecimalExponent')],
      ['10.035M', dec(10035, 3)],
      ['1.2e3', dec(12, 2, 'DecimalExponent')],
      ['1.3E+6', dec(13, 5, 'DecimalExponent')],
      ['1.40e9', dec(14, 8, 'DecimalExponent')],
      ['1.53E12', dec(153, 10, 'DecimalExponent')],
      ['1.6e15', dec(16, 14, 'DecimalExponent')],
      ['1.7E18', dec(17, 17, 'DecimalExponent')],
      ['9.01', dec(901, -2)],
      ['8.1k', dec(81, 2)],
      ['7.123456M', dec(7123456, 0)],
      ['6.987654321G', dec(6987654321, 0)],
      ['5.444T', dec(5444, 9)],
      ['40.1T', dec(401, 11)],
      ['300.2T', dec(3002, 11)],
      ['2.5P', dec(25, 14)],
      ['1.01E', dec(101, 16)],
      // Things that saturate/round
      ['3.001n', dec(4, -9)],
      ['1.1E-9', dec(2, -9, 'DecimalExponent')],
      ['0.0000000001', dec(1, -9)],
      ['0.0000000005', dec(1, -9)],
      ['0.00000000050', dec(1, -9)],
      ['0.5e-9', dec(1, -9, 'DecimalExponent')],
      ['0.9n', dec(1, -9)],
      ['0.00000012345', dec(124, -9)],
      ['0.00000012354', dec(124, -9)],
      ['9Ei', dec(MOST_POSITIVE, 0, 'BinarySI')],
      ['9223372036854775807Ki', dec(MOST_POSITIVE, 0, 'BinarySI')],
      ['12E', dec(12, 18)],
      // We'll accept fractional binary stuff, too.
      ['100.035Ki', dec(10243584, -2, 'BinarySI')],
      ['0.5Mi', dec(0.5 * 1024 * 1024, 0, 'BinarySI')],
      ['0.05Gi', dec(536870912, -1, 'BinarySI')],
      ['0.025Ti', dec(274877906944, -1, 'BinarySI')],
      // Things written by trolls
      ['0.000000000001Ki', dec(2, -9)], // rounds up, changes format
      ['.001', dec(1, -3)],
      ['.0001k', dec(100, -3)],
      ['1.', dec(1, 0)],
      ['1.G', dec(1, 9)],
    ];

    for (const [input, expected] of table) {
      it(`${input} = ${expected} (${expected.format})`, () => {
        const got = parse(input);
        expect(got.cmp(expected)).to.equal(0);
        expect(got.format).to.equal(expected.format);

        const negated = parse(`-${input}`);
        expect(negated.cmp(dec(0, 0).sub(expected)), `-${input}`).to.equal(0);
        expect(negated.format, `-${input}`).to.equal(expected.format);

        const plus = parse(`+${input}`);
        expect(plus.cmp(expected), `+${input}`).to.equal(0);
        expect(plus.format, `+${input}`).to.equal(expected.format);
      });
    }

    it('rejects the invalid table with the error Kubernetes gives', () => {
      const invalid: Array<[string, string]> = [
        ['', FORMAT_WRONG],
        ['1.1.M', FORMAT_WRONG],
        ['1+1.0M', FORMAT_WRONG],
        ['0.1mi', SUFFIX],
        ['0.1am', FORMAT_WRONG],
        ['aoeu', FORMAT_WRONG],
        ['.5i', SUFFIX],
        ['1i', SUFFIX],
        ['-3.01i', SUFFIX],
        ['-3.01e-', SUFFIX],
        // an exponent outside the int32 scale is rejected rather than truncated (kubernetes#141203)
        ['1e4294967297', SUFFIX],
        // whitespace is not part of the grammar
        [' 1', FORMAT_WRONG],
        ['1 ', FORMAT_WRONG],
      ];
      for (const [input, message] of invalid)
        expect(parseError(input), JSON.stringify(input)).to.equal(message);
    });

    it('bounds the decimal exponent to [-MaxInt32, MaxInt32] (TestInterpretExponentInt32Bounds)', () => {
      expect(parse('1e2147483647').cmp(dec(1, 2147483647))).to.equal(0);
      expect(parse('1E-2147483647').isZero()).to.equal(false); // rounds up to 1n
      for (const input of ['1E2147483648', '1E-2147483648', '1E9223372036854775808', '1E6024865272343']) {
        expect(parseError(input), input).to.equal(SUFFIX);
      }
    });

    it('takes the inf.Dec path for a number without digits and fails it as numeric (quantity.go ParseQuantity)', () => {
      // "Ei" and "e-10" leave the int64 fast path (too little precision, scale below nano), and inf.Dec
      // cannot read an empty number; on the fast path the same empty number is a zero.
      expect(parseError('Ei')).to.equal(NUMERIC);
      expect(parseError('.e-10')).to.equal(NUMERIC);
      expect(parse('Ki').isZero()).to.equal(true);
      expect(parse('-.').isZero()).to.equal(true);
    });

    it('reads case-sensitive suffixes: 1K is invalid, 1k is 1000, 1M is not 1m', () => {
      // web:content/en/docs/concepts/configuration/manage-resources-containers.md "Meaning of memory"
      expect(parseError('1K')).to.equal(SUFFIX);
      expect(parse('1k').value()).to.equal(1000);
      expect(parse('1M').value()).to.equal(1_000_000);
      expect(parse('1m').milliValue()).to.equal(1);
      expect(parse('1M').cmp(parse('1m'))).to.equal(1);
      expect(parse('1Mi').value()).to.equal(1_048_576);
    });

    it('expresses roughly the same memory in the five spellings of the documentation', () => {
      // manage-resources-containers.md: 128974848, 129e6, 129M, 128974848000m, 123Mi
      const exact = ['128974848', '128974848000m', '123Mi'].map(parse);
      for (const q of exact) expect(q.cmp(exact[0]), q.toString()).to.equal(0);
      expect(parse('129e6').cmp(parse('129M'))).to.equal(0);
      expect(parse('129M').sub(parse('123Mi')).value()).to.equal(25_152);
      expect(exact.map(String)).to.deep.equal(['128974848', '128974848', '123Mi']);
      expect(parse('129e6').toString()).to.equal('129e6');
      expect(parse('129M').toString()).to.equal('129M');
    });

    it('reads JS numbers as the JSON numbers a YAML scalar becomes (UnmarshalJSON)', () => {
      expect(Quantity.parse(1).toString()).to.equal('1');
      expect(Quantity.parse(0.5).toString()).to.equal('500m');
      expect(Quantity.parse(0.1).milliValue()).to.equal(100);
      expect(Quantity.parse(1e9).toString()).to.equal('1G');
      expect(Quantity.parse(1.5e-7).toString()).to.equal('150e-9'); // JSON `1.5e-7`: DecimalExponent
      expect(Quantity.parse(1e21).cmp(dec(1, 21))).to.equal(0); // JSON `1e+21`
      expect(() => Quantity.parse(Number.NaN)).to.throw(QuantityError, FORMAT_WRONG);
    });
  });

  describe('toString (TestQuantityString)', () => {
    const table: Array<[Quantity, string, string]> = [
      [dec(1024 ** 3, 0, 'BinarySI'), '1Gi', '1024Mi'],
      [dec(300 * 1024 ** 2, 0, 'BinarySI'), '300Mi', '307200Ki'],
      [dec(6 * 1024, 0, 'BinarySI'), '6Ki', ''],
      [dec(1001 * 1024 ** 3, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
      [dec(1024 ** 4, 0, 'BinarySI'), '1Ti', '1024Gi'],
      [dec(5, 0, 'BinarySI'), '5', '5000m'],
      [dec(500, -3, 'BinarySI'), '500m', '0.5'],
      [dec(1, 9), '1G', '1000M'],
      [dec(1000, 6), '1G', '0.001T'],
      [dec(1000000, 3), '1G', ''],
      [dec(1000000000, 0), '1G', ''],
      [dec(1, -3), '1m', '1000u'],
      [dec(80, -3), '80m', ''],
      [dec(1080, -3), '1080m', '1.08'],
      [dec(108, -2), '1080m', '1080000000n'],
      [dec(10800, -4), '1080m', ''],
      [dec(300, 6), '300M', ''],
      [dec(1, 12), '1T', ''],
      // no DecimalSI suffix beyond E: the exponent form (kubernetes#140459)
      [dec(1, 18), '1E', ''],
      [dec(1, 21), '1e21', '1000E'],
      [dec(5, 21), '5e21', '5000E'],
      [dec(1, 24), '1e24', '1000000E'],
      // no BinarySI suffix beyond Ei: the exact decimal value
      [dec(1, 70, 'BinarySI'), '10e69', ''],
      [dec(2, 70, 'BinarySI'), '20e69', ''],
      [dec(1, 72, 'BinarySI'), '1e72', ''],
      [dec(1234567, 6), '1234567M', ''],
      [dec(1234567, -3, 'BinarySI'), '1234567m', ''],
      [dec(3, 3), '3k', ''],
      [dec(1025, 0, 'BinarySI'), '1025', ''],
      [dec(0, 0), '0', ''],
      [dec(0, 0, 'BinarySI'), '0', ''],
      [dec(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
      [dec(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
      [dec(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
      [dec(80, -3, 'DecimalExponent'), '80e-3', ''],
      [dec(300, 6, 'DecimalExponent'), '300e6', ''],
      [dec(1, 12, 'DecimalExponent'), '1e12', ''],
      [dec(1, 3, 'DecimalExponent'), '1e3', ''],
      [dec(3, 3, 'DecimalExponent'), '3e3', ''],
      [dec(0, 0, 'DecimalExponent'), '0', '00'],
      [dec(1, -9), '1n', ''],
      [dec(80, -9), '80n', ''],
      [dec(1080, -9), '1080n', ''],
      [dec(108, -8), '1080n', ''],
      [dec(10800, -10), '1080n', ''],
      [dec(1, -6), '1u', ''],
      [dec(80, -6), '80u', ''],
      [dec(1080, -6), '1080u', ''],
    ];

    for (const [q, expected, alternate] of table) {
      it(`${expected}${alternate ? ` (also from ${alternate})` : ''}`, () => {
        expect(q.toString()).to.equal(expected);
        expect(parse(expected).toString()).to.equal(expected);
        expect(parse(expected).cmp(q)).to.equal(0);
        if (alternate) expect(parse(alternate).toString()).to.equal(expected);
        if (!q.isZero()) expect(dec(0, 0).sub(q).toString()).to.equal(`-${expected}`);
      });
    }

    it('keeps a BinarySI value with no binary factor as a plain integer (TestBinarySIZeroExponentString)', () => {
      expect(dec(2000, 0, 'BinarySI').toString()).to.equal('2000');
      expect(dec(-2000, 0, 'BinarySI').toString()).to.equal('-2000');
    });

    it('writes a BinarySI value past Ei in full (TestBinarySIPastEiArithmeticRoundTrip)', () => {
      const q = dec(2n ** 70n, 0, 'BinarySI');
      expect(q.toString()).to.equal('1180591620717411303424');
      expect(parse(q.toString()).cmp(q)).to.equal(0);
    });

    it('falls back to the exponent below nano (TestQuantityStringBelowNano)', () => {
      expect(dec(1, -12).toString()).to.equal('1e-12');
      expect(dec(1, -10).toString()).to.equal('100e-12');
    });

    it('canonicalizes what it parses (TestQuantityParseEmit)', () => {
      const table: Array<[string, string]> = [
        ['1Ki', '1Ki'],
        ['1Mi', '1Mi'],
        ['1Gi', '1Gi'],
        ['1024Mi', '1Gi'],
        ['1000M', '1G'],
        ['.001Ki', '1024m'],
        ['.000001Ki', '1024u'],
        ['.000000001Ki', '1024n'],
        ['.000000000001Ki', '2n'],
      ];
      for (const [input, expected] of table) {
        expect(parse(input).toString(), input).to.equal(expected);
        expect(parse(`-${input}`).toString(), `-${input}`).to.equal(`-${expected}`);
      }
    });

    it('prints zero as 0 (TestQuantityParseZero, TestQuantityCanocicalizeZero)', () => {
      expect(parse('0').toString()).to.equal('0');
      expect(parse('1000m').sub(parse('1')).toString()).to.equal('0');
    });

    it('follows the examples of the Quantity documentation', () => {
      expect(parse('1.5').toString()).to.equal('1500m');
      expect(parse('1.5Gi').toString()).to.equal('1536Mi');
      expect(parse('1000m').toString()).to.equal('1');
    });

    it('keeps precision down to the nano, though the type comment still says 0.1m rounds up to 1m', () => {
      // quantity.go ParseQuantity rounds at Nano; only MilliValue() rounds 0.1m up to a whole milli-unit.
      expect(parse('0.1m').toString()).to.equal('100u');
      expect(parse('0.1m').milliValue()).to.equal(1);
    });

    // quantity_golden_test.go quantitySerializationCases: String() as parsed, and the canonical form the
    // same value takes once arithmetic has dropped the cached parse input (Add of zero).
    const golden: Array<[Quantity, string, string]> = [
      [parse('1'), '1', '1'],
      [parse('-1'), '-1', '-1'],
      [parse('1Ki'), '1Ki', '1Ki'],
      [parse('1024Mi'), '1Gi', '1Gi'],
      [parse('1000M'), '1G', '1G'],
      [parse('1e3'), '1e3', '1e3'],
      [parse('0.1'), '100m', '100m'],
      [Quantity.fromMilli(1441), '1441m', '1441m'],
      [parse('0.000000000000001'), '1n', '1n'],
      // ParseQuantity keeps an input with 3n fractional digits verbatim (kubernetes#138165, still open)
      [parse('1.441'), '1.441', '1441m'],
      [parse('1.000001'), '1.000001', '1000001u'],
      [parse('1.000000001'), '1.000000001', '1000000001n'],
      [parse('1.5'), '1500m', '1500m'],
      [parse('9223372036854775807'), '9223372036854775807', '9223372036854775807'],
      [Quantity.fromValue(MOST_NEGATIVE), '-9223372036854775808', '-9223372036854775808'],
      [parse('9223372036854775808'), '9223372036854775808', '9223372036854775808'],
      [parse('18446744073709551616'), '18446744073709551616', '18446744073709551616'],
      [dec(MOST_POSITIVE, 1), '92233720368547758070', '92233720368547758070'],
      [parse('1E'), '1E', '1E'],
      [parse('100E'), '100E', '100E'],
      [parse('1000E'), '1e21', '1e21'],
      [parse('1e100'), '10e99', '10e99'],
      [dec(1, 21), '1e21', '1e21'],
      [parse('8Ei'), '9223372036854775807', '9223372036854775807'],
      [parse('-20Ei'), '-9223372036854775807', '-9223372036854775807'],
      [parse('-9.5Gi'), '-9728Mi', '-9728Mi'],
      [parse('-9.5000000001Gi'), '-10200547328107374183n', '-10200547328107374183n'],
    ];
    for (const [q, asParsed, canonical] of golden) {
      it(`serializes ${asParsed}, and ${canonical} after adding zero (quantity_golden_test.go)`, () => {
        expect(q.toString()).to.equal(asParsed);
        expect(JSON.stringify({ q })).to.equal(JSON.stringify({ q: asParsed }));
        expect(q.add(Quantity.fromValue(0)).toString()).to.equal(canonical);
      });
    }

    it('reuses the input verbatim whenever the fast path judges it canonical (quantity.go ParseQuantity)', () => {
      expect(parse('+1').toString()).to.equal('+1');
      expect(parse('007').toString()).to.equal('007');
      expect(parse('1E-3').toString()).to.equal('1E-3');
      expect(parse('3Ki').toString()).to.equal('3Ki');
      expect(parse('2048Ki').toString()).to.equal('2Mi'); // a multiple of 8 is recomputed
    });
  });

  describe('cmp', () => {
    it('orders parsed quantities (TestQuantityCmp)', () => {
      const table: Array<[string, string, number]> = [
        ['0', '0', 0],
        ['100m', '50m', 1],
        ['50m', '100m', -1],
        ['10000T', '100Gi', 1],
      ];
      for (const [x, y, expected] of table) expect(parse(x).cmp(parse(y)), `${x} vs ${y}`).to.equal(expected);
    });

    it('orders across scales and past int64 (TestQuantityCmpInt64AndDec)', () => {
      const e18 = 10n ** 18n;
      const table: Array<[Quantity, Quantity, number]> = [
        [dec(901, -2), dec(901, -2), 0],
        [dec(90, -1), dec(901, -2), -1],
        [dec(901, -2), dec(900, -2), 1],
        [dec(0, 0), dec(0, 0), 0],
        [dec(0, 1), dec(0, -1), 0],
        [dec(0, -1), dec(0, 1), 0],
        [dec(800, -3), dec(1, 0), -1],
        [dec(800, -3), dec(79, -2), 1],
        [dec(MOST_POSITIVE, 0), dec(1, -1), 1],
        [dec(MOST_POSITIVE, 1), dec(1, 0), 1],
        [dec(MOST_POSITIVE, 1), dec(1, 1), 1],
        [dec(MOST_POSITIVE, 1), dec(0, 1), 1],
        [dec(MOST_POSITIVE, -16), dec(1, 3), -1],
        [dec(MOST_NEGATIVE, 0), dec(0, 0), -1],
        [dec(MOST_NEGATIVE, -18), dec(-1, 0), -1],
        [dec(MOST_NEGATIVE, -19), dec(-1, 0), 1],
        [dec(e18, -17), dec(1, 1), 0],
        [dec(e18, -17), dec(-10, 0), 1],
        [dec(-e18, -17), dec(-10, 0), 0],
        [dec(e18, -17), dec(1, 0), 1],
        [dec(e18 + 1n, -17), dec(1, 1), 1],
        [dec(e18 - 1n, -17), dec(1, 1), -1],
      ];
      for (const [a, b, expected] of table) {
        expect(a.cmp(b), `${a} vs ${b}`).to.equal(expected);
        expect(b.cmp(a), `${b} vs ${a}`).to.equal(-expected);
      }
    });

    it('compares huge exponents without expanding them', () => {
      expect(parse('1e2147483647').cmp(parse('1e2147483646'))).to.equal(1);
      expect(parse('-1e2147483647').cmp(parse('1'))).to.equal(-1);
    });
  });

  describe('add and sub', () => {
    it('keeps the suffix of the non-zero operand (TestQuantityAddZeroPreservesSuffix, ...SubZero...)', () => {
      const zero = parse('0');
      for (const text of ['100m', '1Gi']) {
        const value = parse(text);
        expect(value.add(zero).toString()).to.equal(text);
        expect(zero.add(value).toString()).to.equal(text);
        expect(value.sub(zero).toString()).to.equal(text);
        expect(zero.sub(value).toString()).to.equal(`-${text}`);
      }
    });

    it('adds (TestAdd)', () => {
      const table: Array<[Quantity, Quantity, Quantity]> = [
        [dec(10, 0), dec(1, 1), dec(20, 0)],
        [dec(10, 0), dec(1, 0, 'BinarySI'), dec(11, 0)],
        [dec(10, 0, 'BinarySI'), dec(1, 0), dec(11, 0, 'BinarySI')],
        [dec(0, 0), dec(50, 0), dec(50, 0)],
        [dec(50, 0), dec(0, 0), dec(50, 0)],
        [dec(0, 0), dec(0, 0), dec(0, 0)],
      ];
      for (const [a, b, expected] of table) {
        const sum = a.add(b);
        expect(sum.cmp(expected), `${a} + ${b}`).to.equal(0);
        expect(sum.format, `${a} + ${b}`).to.equal(expected.format);
      }
    });

    it('subtracts (TestSub)', () => {
      const table: Array<[Quantity, Quantity, Quantity]> = [
        [dec(10, 0), dec(1, 1), dec(0, 0)],
        [dec(10, 0), dec(1, 0, 'BinarySI'), dec(9, 0)],
        [dec(10, 0, 'BinarySI'), dec(1, 0), dec(9, 0, 'BinarySI')],
        [dec(0, 0), dec(50, 0), dec(-50, 0)],
        [dec(50, 0), dec(0, 0), dec(50, 0)],
        [dec(0, 0), dec(0, 0), dec(0, 0)],
      ];
      for (const [a, b, expected] of table) {
        const difference = a.sub(b);
        expect(difference.cmp(expected), `${a} - ${b}`).to.equal(0);
        expect(difference.format, `${a} - ${b}`).to.equal(expected.format);
      }
    });

    it('stays exact past int64 (TestNegAndSubAtMostNegative, TestZeroSubMostNegativeInheritsFormat)', () => {
      const mostNegative = Quantity.fromValue(MOST_NEGATIVE);
      expect(dec(0, 0).sub(mostNegative).toString()).to.equal('9223372036854775808');
      expect(dec(1, 0).sub(mostNegative).toString()).to.equal('9223372036854775809');
      expect(dec(10, 0).sub(mostNegative).toString()).to.equal('9223372036854775818');
      expect(dec(1, -3).sub(dec(MOST_NEGATIVE, -3)).toString()).to.equal('9223372036854775809m');
      const binary = dec(0, 0).sub(Quantity.fromValue(MOST_NEGATIVE, 'BinarySI'));
      expect(binary.format).to.equal('BinarySI');
      expect(binary.toString()).to.equal('8Ei');
      expect(binary.cmp(parse('9223372036854775808'))).to.equal(0);
    });

    it('cancels any series of additions by the same subtractions (TestAddSubRoundTripAcrossScales)', () => {
      const scaled = fc.tuple(fc.bigInt({ min: 0n, max: MOST_POSITIVE }), fc.integer({ min: -10, max: 10 }));
      fc.assert(
        fc.property(fc.array(scaled, { maxLength: 50 }), (terms) => {
          const quantities = terms.map(([value, scale]) => dec(value, scale));
          const sum = quantities.reduce((total, q) => total.add(q), dec(0, 0));
          return quantities.reduce((total, q) => total.sub(q), sum).isZero();
        }),
      );
    });
  });

  describe('value and milliValue', () => {
    it('rounds away from zero (TestNegativeValueRoundsAwayFromZero)', () => {
      const table: Array<[string, number, number]> = [
        ['-.484785E-7466', -1, -1],
        ['.484785E-7466', 1, 1],
        ['-.484785E-1', -1, -49],
        ['.484785E-1', 1, 49],
        ['-0.0005', -1, -1],
        ['0.0005', 1, 1],
        ['-1500m', -2, -1500],
        ['1500m', 2, 1500],
        ['-9.5000000001Gi', -10200547329, -10200547328108],
        ['9.5000000001Gi', 10200547329, 10200547328108],
        ['-1', -1, -1000],
        ['1', 1, 1000],
        ['0', 0, 0],
      ];
      for (const [input, value, milli] of table) {
        expect(parse(input).value(), input).to.equal(value);
        expect(parse(input).milliValue(), input).to.equal(milli);
      }
    });

    it('scales up and down (TestScaledValue)', () => {
      const table: Array<[number, number, number]> = [
        [-9, 0, 1],
        [-6, 0, 1],
        [-3, 0, 1],
        [0, 0, 1],
        [-9, -3, 1],
        [-6, -3, 1],
        [-3, -3, 1],
        [0, -3, 1000],
      ];
      for (const [from, to, expected] of table) {
        const q = dec(1, from);
        expect(to === 0 ? q.value() : q.milliValue(), `1e${from} at scale ${to}`).to.equal(expected);
      }
    });

    it('builds from milli-units (TestMilliNewSet)', () => {
      const table: Array<[number, QuantityFormat, string, boolean]> = [
        [1, 'DecimalSI', '1m', true],
        [1000, 'DecimalSI', '1', true],
        [1234000, 'DecimalSI', '1234', true],
        [1024, 'BinarySI', '1024m', false], // Format changes
        [1024 * 1024, 'BinarySI', '1048576m', false], // Format changes
      ];
      for (const [milli, format, expected, exact] of table) {
        const q = Quantity.fromMilli(milli, format);
        expect(q.toString()).to.equal(expected);
        if (exact) expect(parse(q.toString()).milliValue()).to.equal(milli);
      }
    });

    it('builds from values (TestNewSet)', () => {
      const table: Array<[number, QuantityFormat, string]> = [
        [1, 'DecimalSI', '1'],
        [1000, 'DecimalSI', '1k'],
        [1234000, 'DecimalSI', '1234k'],
        [1024, 'BinarySI', '1Ki'],
        [1024 * 1024, 'BinarySI', '1Mi'],
      ];
      for (const [value, format, expected] of table) {
        const q = Quantity.fromValue(value, format);
        expect(q.toString()).to.equal(expected);
        expect(parse(q.toString()).value()).to.equal(value);
      }
    });

    it('builds from scaled values (TestNewScaledSet)', () => {
      const table: Array<[number, number, string]> = [
        [1, -9, '1n'],
        [1000, -9, '1u'],
        [1, -6, '1u'],
        [1000, -6, '1m'],
        [1, -3, '1m'],
        [1000, -3, '1'],
        [1, 0, '1'],
        [0, -9, '0'],
        [0, -6, '0'],
        [0, -3, '0'],
        [0, 0, '0'],
      ];
      for (const [value, scale, expected] of table) {
        const q = dec(value, scale);
        expect(q.toString()).to.equal(expected);
        expect(parse(expected).cmp(q)).to.equal(0);
      }
    });

    it('reports values beyond a float as infinite rather than expanding them', () => {
      expect(parse('1e2147483647').value()).to.equal(Number.POSITIVE_INFINITY);
      expect(parse('-1e400').milliValue()).to.equal(Number.NEGATIVE_INFINITY);
    });
  });

  it('round-trips any value through its text (TestJSON)', () => {
    const format = fc.constantFrom<QuantityFormat>('DecimalSI', 'BinarySI', 'DecimalExponent');
    const value = fc.bigInt({ min: -MOST_POSITIVE, max: MOST_POSITIVE });
    fc.assert(
      fc.property(value, fc.integer({ min: -9, max: 3 }), format, (v, scale, f) => {
        const q = dec(v, scale, f);
        return parse(q.toString()).cmp(q) === 0;
      }),
    );
  });
});

describe('parseQuantity', () => {
  const field = 'spec.containers[0].resources.requests[cpu]';

  it('trims whitespace around a string as UnmarshalJSON does (TestJSONWhitespace)', () => {
    const table: Array<[unknown, string]> = [
      [' 1', '1'],
      ['1 ', '1'],
      [1, '1'],
      [10, '10'],
      [-1, '-1'],
      [' -1', '-1'],
      ['\u00a01\u3000', '1'],
    ];
    for (const [input, expected] of table) {
      const q = parseQuantity(input, field);
      expect(q, JSON.stringify(input)).to.be.instanceOf(Quantity);
      expect(String(q)).to.equal(expected);
    }
  });

  it('cannot trim characters JSON encodes as escapes', () => {
    // The raw JSON text of "1\t" is `"1\t"`: TrimSpace sees a backslash, not a tab.
    expect(String(parseQuantity('1\t', field))).to.equal(`${field}: Invalid value: "1\\t": ${FORMAT_WRONG}`);
  });

  it('returns a field error carrying the Kubernetes message', () => {
    const error = parseQuantity('1K', field);
    expect(error).to.be.instanceOf(FieldError);
    expect(String(error)).to.equal(`${field}: Invalid value: "1K": ${SUFFIX}`);
    expect(String(parseQuantity('Ei', field))).to.equal(`${field}: Invalid value: "Ei": ${NUMERIC}`);
  });

  it('fails values that are neither strings nor numbers the way their JSON text fails the grammar', () => {
    for (const input of [true, { cpu: 1 }, [1]]) {
      const error = parseQuantity(input, field);
      expect(error, JSON.stringify(input)).to.be.instanceOf(FieldError);
      expect((error as FieldError).detail).to.equal(FORMAT_WRONG);
    }
  });

  it('reads null as the zero quantity, as UnmarshalJSON("null") does', () => {
    const q = parseQuantity(null, field);
    expect(q).to.be.instanceOf(Quantity);
    expect((q as Quantity).isZero()).to.equal(true);
  });
});
