// Resource quantities (`cpu: 500m`, `memory: 1.5Gi`) with the semantics of resource.Quantity
// (k8s:staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go, suffix.go, amount.go, math.go):
// fixed-point decimals that never pass through a float, parsed leniently, written canonically in the
// format family they were read in. A value is `unscaled × 10^exp`, both exact (bigint and an integer).

import { type FieldError, invalid } from './field-errors';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A string Kubernetes refuses as a quantity; the message is Kubernetes' own, byte for byte. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

// k8s quantity.go: splitREString, ErrFormatWrong, ErrNumeric, ErrSuffix.
const ERR_FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const ERR_NUMERIC = 'unable to parse numeric part of quantity';
const ERR_SUFFIX = "unable to parse quantity's suffix";

// k8s suffix.go newSuffixer: decimal suffixes as powers of 10, binary ones as powers of 2.
const DECIMAL_SUFFIXES = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const BINARY_SUFFIXES = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);
const DECIMAL_SUFFIX_BY_EXPONENT = new Map([...DECIMAL_SUFFIXES].map(([s, e]) => [e, s]));
/** Index = power of 1024; 0 has no suffix. */
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const SUFFIX_CHARS = 'eEinumkKMGTP';
/** k8s math.go maxInt64Factors: more digits than this leave the int64 fast path. */
const MAX_INT64_FACTORS = 18;
const NANO = -9;
/** k8s math.go maxAllowed: BinarySI values are capped here at parse time. */
const MAX_INT64 = 2n ** 63n - 1n;
const MAX_INT32 = 2 ** 31 - 1;
/** Past 10^400 a JS number is Infinity anyway; stop before building such a bigint. */
const MAX_NUMBER_DIGITS = 400;

/**
 * Immutable exact quantity. Arithmetic is exact at any size; `value()` and `milliValue()` return JS numbers,
 * which are exact only up to 2^53 (Kubernetes' int64 results overflow past 2^63 instead).
 */
export class Quantity {
  readonly #unscaled: bigint;
  readonly #exp: number;
  /** ParseQuantity keeps the input when it judges it canonical already; String() then returns it verbatim. */
  #text: string | undefined;

  private constructor(
    unscaled: bigint,
    exp: number,
    readonly format: QuantityFormat,
    text?: string,
  ) {
    let u = unscaled;
    let e = u === 0n ? 0 : exp;
    while (u !== 0n && u % 10n === 0n) {
      u /= 10n;
      e++;
    }
    this.#unscaled = u;
    this.#exp = e;
    this.#text = text;
  }

  /**
   * ParseQuantity (k8s quantity.go). A number is read as the JSON number a YAML `cpu: 0.5` becomes, which is
   * what UnmarshalJSON parses; JS prints numbers with the same digits and exponent thresholds as Go's
   * encoding/json, so `String(n)` is that JSON text.
   */
  static parse(input: string | number): Quantity {
    const str = typeof input === 'number' ? String(input) : input;
    if (str === '') throw new QuantityError(ERR_FORMAT_WRONG);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);

    const { positive, value, num, denom, suffix } = scan(str);
    const { base, exponent, format: suffixFormat } = interpretSuffix(suffix);
    let format = suffixFormat;

    // The int64 fast path: exact, and the only path that may keep the input as the canonical text.
    const precision =
      base === 10
        ? MAX_INT64_FACTORS - (num.length + denom.length)
        : denom === ''
          ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1
          : -1;
    const fastScale = (base === 10 ? exponent : 0) - denom.length;
    if (precision >= 0 && fastScale >= NANO) {
      const shifted = num + denom;
      const digits = BigInt(shifted);
      const magnitude = base === 2 ? digits << BigInt(exponent) : digits;
      const canonical =
        base === 2
          ? (digits & 7n) !== 0n
          : fastScale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
      return new Quantity(positive ? magnitude : -magnitude, fastScale, format, canonical ? str : undefined);
    }

    // Otherwise inf.Dec: any size, but rounded up to the nano and, for BinarySI, capped at int64.
    if (!/[0-9]/.test(value)) throw new QuantityError(ERR_NUMERIC);
    let magnitude = BigInt(num + denom);
    let exp = -denom.length;
    if (base === 10) exp += exponent;
    else magnitude <<= BigInt(exponent);
    // Round non-zero values up to the nano, "if you want some resources, you should get some resources".
    if (magnitude !== 0n && exp < NANO) {
      magnitude = divideAwayFromZero(magnitude, NANO - exp);
      exp = NANO;
    }
    if (format === 'BinarySI' && compare(magnitude, exp, MAX_INT64, 0) > 0) {
      magnitude = MAX_INT64;
      exp = 0;
    }
    if (format === 'BinarySI' && magnitude !== 0n && compare(magnitude, exp, 1n, 0) < 0) format = 'DecimalSI';
    return new Quantity(positive ? magnitude : -magnitude, exp, format);
  }

  /** NewScaledQuantity with a chosen format: `value × 10^scale`. */
  static fromScaled(value: number | bigint, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), scale, format);
  }

  /** NewQuantity. */
  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return Quantity.fromScaled(value, 0, format);
  }

  /** NewMilliQuantity. */
  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return Quantity.fromScaled(milli, -3, format);
  }

  /** Value: rounded to an integer away from zero. */
  value(): number {
    return this.#scaledValue(0);
  }

  /** MilliValue: thousandths, rounded to an integer away from zero. */
  milliValue(): number {
    return this.#scaledValue(-3);
  }

  /** Add: a zero receiver takes the format of the addend. */
  add(y: Quantity): Quantity {
    return this.#combine(y, y.#unscaled);
  }

  /** Sub: a zero receiver takes the format of the subtrahend. */
  sub(y: Quantity): Quantity {
    return this.#combine(y, -y.#unscaled);
  }

  cmp(y: Quantity): -1 | 0 | 1 {
    return compare(this.#unscaled, this.#exp, y.#unscaled, y.#exp);
  }

  isZero(): boolean {
    return this.#unscaled === 0n;
  }

  sign(): -1 | 0 | 1 {
    return signOf(this.#unscaled);
  }

  /** String(): the cached parse input, else CanonicalizeBytes. */
  toString(): string {
    this.#text ??= this.#canonicalize();
    return this.#text;
  }

  /** MarshalJSON writes the same text. */
  toJSON(): string {
    return this.toString();
  }

  #combine(y: Quantity, yUnscaled: bigint): Quantity {
    const format = this.isZero() ? y.format : this.format;
    if (this.isZero()) return new Quantity(yUnscaled, y.#exp, format);
    if (yUnscaled === 0n) return new Quantity(this.#unscaled, this.#exp, format);
    const exp = Math.min(this.#exp, y.#exp);
    const sum = this.#unscaled * 10n ** BigInt(this.#exp - exp) + yUnscaled * 10n ** BigInt(y.#exp - exp);
    return new Quantity(sum, exp, format);
  }

  // k8s quantity.go ScaledValue / scale_int.go scaledValue: ceil(q / 10^scale) away from zero.
  #scaledValue(scale: number): number {
    const shift = this.#exp - scale;
    if (this.#unscaled === 0n) return 0;
    if (shift < 0) return Number(divideAwayFromZero(this.#unscaled, -shift));
    if (shift > MAX_NUMBER_DIGITS) return this.sign() * Number.POSITIVE_INFINITY;
    return Number(this.#unscaled * 10n ** BigInt(shift));
  }

  // k8s quantity.go CanonicalizeBytes: no precision lost, no fractional digits, the largest suffix. BinarySI
  // falls back to DecimalSI for non-integers and values within ±1024, and a suffix that does not exist
  // (beyond E or Ei, below n) falls back to the exponent form (kubernetes/kubernetes#140459).
  #canonicalize(): string {
    if (this.isZero()) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      if (compare(abs(this.#unscaled), this.#exp, 1024n, 0) < 0 || this.#exp < 0) {
        format = 'DecimalSI';
      } else {
        let mantissa = this.#unscaled * 10n ** BigInt(this.#exp);
        let power = 0;
        while (mantissa % 1024n === 0n) {
          mantissa /= 1024n;
          power++;
        }
        if (power < BINARY_SUFFIX_BY_POWER.length) return `${mantissa}${BINARY_SUFFIX_BY_POWER[power]}`;
        format = 'DecimalExponent';
      }
    }
    // AsCanonicalBytes: the exponent goes down to a multiple of 3.
    const extra = ((this.#exp % 3) + 3) % 3;
    const mantissa = this.#unscaled * 10n ** BigInt(extra);
    const exponent = this.#exp - extra;
    const siSuffix = format === 'DecimalSI' ? DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) : undefined;
    if (siSuffix !== undefined) return `${mantissa}${siSuffix}`;
    return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  }
}

// UnmarshalJSON applies strings.TrimSpace to the raw JSON text, where the encoder has already escaped
// \t \n \v \f \r and U+2028/U+2029; only the unicode.IsSpace characters left unescaped can be trimmed.
const JSON_VISIBLE_GO_SPACE =
  /^[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+|[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+$/g;

/**
 * Reads a manifest value the way Quantity.UnmarshalJSON reads its JSON: a number or a string, surrounding
 * whitespace trimmed, `null` the zero quantity. Anything else fails the grammar, as its JSON text would.
 */
export function parseQuantity(input: unknown, field: string): Quantity | FieldError {
  if (input === null) return Quantity.fromValue(0);
  const text = typeof input === 'string' ? input.replace(JSON_VISIBLE_GO_SPACE, '') : input;
  try {
    if (typeof text !== 'string' && typeof text !== 'number') throw new QuantityError(ERR_FORMAT_WRONG);
    return Quantity.parse(text);
  } catch (error) {
    if (error instanceof QuantityError) return invalid(field, input, error.message);
    throw error;
  }
}

interface Scanned {
  positive: boolean;
  /** The signed number as written, for the decimal path's digit check. */
  value: string;
  /** Integer digits without leading zeros, `0` when none are left. */
  num: string;
  denom: string;
  suffix: string;
}

// k8s quantity.go parseQuantityString: a permissive scanner; the suffix is judged later.
function scan(str: string): Scanned {
  const end = str.length;
  let positive = true;
  let pos = 0;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos === end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  let i = skipDigits(str, pos);
  if (i === end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;

  let denom = '';
  if (str[pos] === '.') {
    i = skipDigits(str, pos + 1);
    denom = str.slice(pos + 1, i);
    if (i === end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }

  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  if (skipDigits(str, pos) !== end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

function skipDigits(str: string, from: number): number {
  let i = from;
  while (i < str.length && str[i] >= '0' && str[i] <= '9') i++;
  return i;
}

// k8s suffix.go interpret. The exponent must fit [-MaxInt32, MaxInt32] (kubernetes/kubernetes#141203).
function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES.get(suffix);
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) <= MAX_INT32) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

function signOf(n: bigint): -1 | 0 | 1 {
  return n > 0n ? 1 : n < 0n ? -1 : 0;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** `n / 10^places`, a remainder pushing the result away from zero (inf.RoundUp, negativeScaleInt64). */
function divideAwayFromZero(n: bigint, places: number): bigint {
  if (places >= abs(n).toString().length) return BigInt(signOf(n));
  const divisor = 10n ** BigInt(places);
  const quotient = n / divisor;
  return n % divisor === 0n ? quotient : quotient + BigInt(signOf(n));
}

/** Compares `a × 10^ae` with `b × 10^be` without building powers larger than the operands' own digits. */
function compare(a: bigint, ae: number, b: bigint, be: number): -1 | 0 | 1 {
  const sa = signOf(a);
  const sb = signOf(b);
  if (sa !== sb) return sa > sb ? 1 : -1;
  if (sa === 0) return 0;
  const magnitudeA = abs(a).toString().length + ae;
  const magnitudeB = abs(b).toString().length + be;
  if (magnitudeA !== magnitudeB) return magnitudeA > magnitudeB === (sa === 1) ? 1 : -1;
  const exp = Math.min(ae, be);
  return signOf(a * 10n ** BigInt(ae - exp) - b * 10n ** BigInt(be - exp));
}
