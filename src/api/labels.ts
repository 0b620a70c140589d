// Label selectors with Kubernetes' exact semantics: kubectl's string form (labels.Parse), the API's
// LabelSelector (metav1.LabelSelectorAsSelector) and its validation. Source of truth:
// k8s:staging/src/k8s.io/apimachinery/pkg/labels/selector.go, .../apis/meta/v1/helpers.go and
// .../apis/meta/v1/validation/validation.go.
// Selectors are matched against every pod of a cluster, so each requirement is compiled once into a plain
// closure; matching does no parsing, sorting or regex work.

import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';
import { aggregate, type FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import { isQualifiedName, isValidLabelValue, validateLabels } from './validation';

/** selection.Operator values (k8s:staging/src/k8s.io/apimachinery/pkg/selection/operator.go). */
export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

// selector.go binaryOperators / unaryOperators, in Go's order: they appear verbatim in error messages.
const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const VALID_REQUIREMENT_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, 'exists', '!'];

/** A selector Kubernetes refuses to build; `message` is the error text Go returns. */
export class SelectorParseError extends Error {
  override name = 'SelectorParseError';
  constructor(
    message: string,
    /** The field errors behind the message when it comes from requirement validation. */
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/** field.Path.Child on a possibly nil path (undefined), as the parser passes it. */
const child = (path: string | undefined, name: string) => (path ? `${path}.${name}` : name);

// strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range.
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
function parseInt64(s: string): bigint | undefined {
  const start = s.startsWith('+') || s.startsWith('-') ? 1 : 0;
  if (s.length === start) return undefined;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * labels.NewRequirement: validates key, operator and values and returns the requirement, or throws a
 * SelectorParseError with the aggregated field errors. `path` is the field.Path option (undefined = nil path,
 * so errors name `key`, `values`, `values[0]`...). `values` null stands for Go's nil slice.
 */
export function newRequirement(
  key: string,
  operator: Operator,
  values: readonly string[] | null,
  path?: string,
): Requirement {
  const errs: FieldError[] = [];
  const keyErr = labelKeyError(key, child(path, 'key'));
  if (keyErr) errs.push(keyErr);
  const valuePath = child(path, 'values');
  const vals = values ?? [];
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) {
        errs.push(invalid(valuePath, values, "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1)
        errs.push(invalid(valuePath, values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) {
        errs.push(invalid(valuePath, values, 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) {
        errs.push(invalid(valuePath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
    default:
      // Reachable from untyped callers (rule files); Go reports the same.
      errs.push(notSupported(child(path, 'operator'), operator, VALID_REQUIREMENT_OPERATORS));
  }
  vals.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    // selector.go validateLabelValue: path.Key(k) on the value's index.
    if (msgs.length) errs.push(invalid(`${valuePath}[${i}][${key}]`, v, msgs.join('; ')));
  });
  if (errs.length) throw new SelectorParseError(aggregate(errs), errs);
  return { key, operator, values: [...vals] };
}

// selector.go validateLabelKey: all of IsLabelKey's messages in one field error.
function labelKeyError(key: string, field: string): FieldError | undefined {
  const msgs = isQualifiedName(key);
  return msgs.length ? invalid(field, key, msgs.join('; ')) : undefined;
}

export type Labels = Readonly<Record<string, string>>;
type LabelTest = (labels: Labels) => boolean;

// Requirement.Matches. A label is present when its value is a string: inherited Object.prototype members
// (`constructor`, `toString`) are not labels.
function compile({ key, operator, values }: Requirement): LabelTest {
  switch (operator) {
    case 'in':
    case '=':
    case '==': {
      if (values.length === 1) {
        const only = values[0];
        return (labels) => labels[key] === only;
      }
      const set = new Set(values);
      return (labels) => {
        const v = labels[key];
        return typeof v === 'string' && set.has(v);
      };
    }
    case 'notin':
    case '!=': {
      if (values.length === 1) {
        const only = values[0];
        return (labels) => labels[key] !== only;
      }
      const set = new Set(values);
      return (labels) => {
        const v = labels[key];
        return typeof v !== 'string' || !set.has(v);
      };
    }
    case 'exists':
      return (labels) => typeof labels[key] === 'string';
    case '!':
      return (labels) => typeof labels[key] !== 'string';
    case 'gt':
    case 'lt': {
      const bound = values.length === 1 ? parseInt64(values[0]) : undefined;
      if (bound === undefined) return () => false;
      const greater = operator === 'gt';
      return (labels) => {
        const v = labels[key];
        if (typeof v !== 'string') return false;
        const n = parseInt64(v);
        return n !== undefined && (greater ? n > bound : n < bound);
      };
    }
    default:
      return () => false;
  }
}

const OPERATOR_TEXT: Readonly<Record<Operator, string>> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

// Requirement.String: values in sorted order without touching the requirement (safeSort).
function requirementString({ key, operator, values }: Requirement): string {
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  const list = values.length === 1 ? values[0] : [...values].sort().join(',');
  const set = operator === 'in' || operator === 'notin';
  return `${key}${OPERATOR_TEXT[operator] ?? ''}${set ? `(${list})` : list}`;
}

const byKey = (a: Requirement, b: Requirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const NO_LABELS: Labels = Object.freeze({});

/** A label selector: the AND of its requirements (labels.Selector). */
export class Selector {
  private static readonly EVERYTHING = new Selector([], false);
  private static readonly NOTHING = new Selector([], true);
  private readonly tests: readonly LabelTest[];

  private constructor(
    /** Sorted by key, as internalSelector.Add leaves them. */
    readonly requirements: readonly Requirement[],
    private readonly matchesNothing: boolean,
  ) {
    this.tests = requirements.map(compile);
  }

  /** labels.Everything(): no requirements, matches every label set. */
  static everything(): Selector {
    return Selector.EVERYTHING;
  }

  /** labels.Nothing(): matches no label set, not even an empty one. */
  static nothing(): Selector {
    return Selector.NOTHING;
  }

  /** NewSelector().Add(requirements...): requirements sorted by key (stably). */
  static from(requirements: readonly Requirement[]): Selector {
    return requirements.length ? new Selector([...requirements].sort(byKey), false) : Selector.EVERYTHING;
  }

  matches(labels: Labels | undefined): boolean {
    if (this.matchesNothing) return false;
    const set = labels ?? NO_LABELS;
    for (const test of this.tests) if (!test(set)) return false;
    return true;
  }

  /** Empty(): true when the selector does not restrict anything (Nothing() is not empty). */
  isEmpty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  /** String(): the canonical form, e.g. `app=web,tier in (back,front)`; "" for Everything and Nothing. */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** labels.SelectorFromSet: one `=` requirement per label; nil or empty → Everything. Not validated, as in Go. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): Selector {
  if (!set) return Selector.everything();
  return Selector.from(Object.entries(set).map(([key, value]) => ({ key, operator: '=', values: [value] })));
}

const LABEL_SELECTOR_OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: null/undefined → Nothing, `{}` → Everything, otherwise matchLabels and
 * matchExpressions ANDed. Throws SelectorParseError with Go's message for an unknown operator or an invalid
 * requirement (the first one met; Go's map order is random, kubespec uses the manifest's).
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (!ls) return Selector.nothing();
  const matchLabels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return Selector.everything();
  const requirements = matchLabels.map(([key, value]) => newRequirement(key, '=', [value]));
  for (const expr of expressions) {
    // Manifests may omit required fields; Go sees their zero value "".
    const operator = expr.operator ?? '';
    const op = Object.hasOwn(LABEL_SELECTOR_OPERATORS, operator)
      ? LABEL_SELECTOR_OPERATORS[operator]
      : undefined;
    if (!op)
      throw new SelectorParseError(`${JSON.stringify(operator)} is not a valid label selector operator`);
    // `append([]string(nil), expr.Values...)` is nil when there are no values: errors show `null`.
    requirements.push(newRequirement(expr.key ?? '', op, expr.values?.length ? expr.values : null));
  }
  return Selector.from(requirements);
}

/**
 * metav1validation.ValidateLabelSelector (values validated, i.e. AllowInvalidLabelValueInSelector off, as on
 * create). `field` is the selector's path, e.g. `spec.selector`.
 */
export function validateLabelSelector(ls: LabelSelector | undefined, field: string): FieldError[] {
  if (!ls) return [];
  const errs = validateLabels(ls.matchLabels, child(field, 'matchLabels'));
  (ls.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateRequirement(expr, `${child(field, 'matchExpressions')}[${i}]`));
  });
  return errs;
}

// metav1validation.ValidateLabelSelectorRequirement
function validateRequirement(expr: LabelSelectorRequirement, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const key = expr.key ?? '';
  const values = expr.values ?? [];
  switch (expr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(required(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(
          forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
      }
      break;
    default:
      errs.push(invalid(`${field}.operator`, expr.operator ?? '', 'not a valid selector operator'));
  }
  for (const msg of isQualifiedName(key)) errs.push(invalid(`${field}.key`, key, msg));
  values.forEach((v, i) => {
    for (const msg of isValidLabelValue(v)) errs.push(invalid(`${field}.values[${i}]`, v, msg));
  });
  return errs;
}

// ---- labels.Parse: lexer and recursive-descent parser, ported token for token. ----

type Token =
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar';

interface ScannedItem {
  readonly tok: Token;
  readonly literal: string;
}

const STRING_TO_TOKEN: ReadonlyMap<string, Token> = new Map<string, Token>([
  [')', 'ClosedPar'],
  [',', 'Comma'],
  ['!', 'DoesNotExist'],
  ['==', 'DoubleEquals'],
  ['=', 'Equals'],
  ['>', 'GreaterThan'],
  ['in', 'In'],
  ['<', 'LessThan'],
  ['!=', 'NotEquals'],
  ['notin', 'NotIn'],
  ['(', 'OpenPar'],
]);

const isWhitespace = (ch: number) => ch === 32 || ch === 9 || ch === 13 || ch === 10;
// = ! ( ) , > <
const isSpecialSymbol = (ch: number) =>
  ch === 61 || ch === 33 || ch === 40 || ch === 41 || ch === 44 || ch === 62 || ch === 60;

// selector.go Lexer. read() yields 0 at the end of input, and also for a NUL character (consuming it), which
// Go's byte lexer treats the same way; every special symbol is itself a token, so Go's ErrorToken (a special
// symbol sequence that forms no token) cannot occur.
function scan(s: string): ScannedItem[] {
  let pos = 0;
  const read = () => (pos < s.length ? s.charCodeAt(pos++) : 0);

  const scanIdOrKeyword = (): ScannedItem => {
    let literal = '';
    for (;;) {
      const ch = read();
      if (ch === 0) break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        pos--;
        break;
      }
      literal += s[pos - 1];
    }
    const keyword = STRING_TO_TOKEN.get(literal);
    return { tok: keyword ?? 'Identifier', literal };
  };

  // The longest run of special symbols that is still a token: "!=" rather than "!" then "=".
  const scanSpecialSymbol = (): ScannedItem => {
    let buffer = '';
    let last: ScannedItem | undefined;
    for (;;) {
      const ch = read();
      if (ch === 0) break;
      if (!isSpecialSymbol(ch)) {
        pos--;
        break;
      }
      buffer += s[pos - 1];
      const tok = STRING_TO_TOKEN.get(buffer);
      if (!tok) {
        pos--;
        break;
      }
      last = { tok, literal: buffer };
    }
    return last as ScannedItem;
  };

  const items: ScannedItem[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    let item: ScannedItem;
    if (ch === 0) item = { tok: 'EndOfString', literal: '' };
    else {
      pos--;
      item = isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdOrKeyword();
    }
    items.push(item);
    if (item.tok === 'EndOfString') return items;
  }
}

/**
 * 'in' and 'notin' are operators only where an operator is expected (KeyAndOperator); anywhere else they are
 * identifiers, so `in=notin` is a valid selector.
 */
type ParserContext = 'KeyAndOperator' | 'Values';

class Parser {
  private position = 0;
  constructor(private readonly items: readonly ScannedItem[]) {}

  private lookahead(context: ParserContext): ScannedItem {
    return this.asContext(this.items[this.position], context);
  }

  private consume(context: ParserContext): ScannedItem {
    return this.asContext(this.items[this.position++], context);
  }

  private asContext(item: ScannedItem, context: ParserContext): ScannedItem {
    return context === 'Values' && (item.tok === 'In' || item.tok === 'NotIn')
      ? { tok: 'Identifier', literal: item.literal }
      : item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead('Values');
      switch (tok) {
        case 'Identifier':
        case 'DoesNotExist': {
          requirements.push(this.parseRequirementWrapped());
          const next = this.consume('Values');
          if (next.tok === 'EndOfString') return requirements;
          if (next.tok !== 'Comma') {
            throw new SelectorParseError(`found '${next.literal}', expected: ',' or 'end of string'`);
          }
          const after = this.lookahead('Values');
          if (after.tok !== 'Identifier' && after.tok !== 'DoesNotExist') {
            throw new SelectorParseError(`found '${after.literal}', expected: identifier after ','`);
          }
          break;
        }
        case 'EndOfString':
          return requirements;
        default:
          throw new SelectorParseError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirementWrapped(): Requirement {
    try {
      return this.parseRequirement();
    } catch (e) {
      if (!(e instanceof SelectorParseError)) throw e;
      throw new SelectorParseError(`unable to parse requirement: ${e.message}`, e.fieldErrors);
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred) return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // sets.String.List(): deduplicated and sorted.
    return newRequirement(key, operator, [...values].sort());
  }

  // parseKeyAndInferOperator: `!key` is DoesNotExist, a bare `key` before ',' or the end is Exists.
  private parseKeyAndInferOperator(): { key: string; operator?: Operator } {
    let operator: Operator | undefined;
    let item = this.consume('Values');
    if (item.tok === 'DoesNotExist') {
      operator = '!';
      item = this.consume('Values');
    }
    if (item.tok !== 'Identifier')
      throw new SelectorParseError(`found '${item.literal}', expected: identifier`);
    // The parser's path is nil here, which field.Path prints as "<nil>" (kubectl shows it too).
    const keyErr = labelKeyError(item.literal, '<nil>');
    if (keyErr) throw new SelectorParseError(keyErr.toString(), [keyErr]);
    const next = this.lookahead('Values').tok;
    if ((next === 'EndOfString' || next === 'Comma') && operator !== '!') operator = 'exists';
    return { key: item.literal, operator };
  }

  private parseOperator(): Operator {
    const { tok, literal } = this.consume('KeyAndOperator');
    switch (tok) {
      case 'In':
        return 'in';
      case 'Equals':
        return '=';
      case 'DoubleEquals':
        return '==';
      case 'GreaterThan':
        return 'gt';
      case 'LessThan':
        return 'lt';
      case 'NotIn':
        return 'notin';
      case 'NotEquals':
        return '!=';
      default:
        throw new SelectorParseError(`found '${literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  // parseValues: `(a,b)`; `()` is the single empty value.
  private parseValues(): Set<string> {
    const open = this.consume('Values');
    if (open.tok !== 'OpenPar') throw new SelectorParseError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead('Values');
    switch (tok) {
      case 'Identifier':
      case 'Comma': {
        const values = this.parseIdentifiersList();
        // Go reports the literal looked at before the list, not the one found here.
        if (this.consume('Values').tok !== 'ClosedPar') {
          throw new SelectorParseError(`found '${literal}', expected: ')'`);
        }
        return values;
      }
      case 'ClosedPar':
        this.consume('Values');
        return new Set(['']);
      default:
        throw new SelectorParseError(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  // parseIdentifiersList: comma-separated, possibly empty identifiers (`(,a)`, `(a,)`, `(a,,b)` hold "").
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume('Values');
      switch (tok) {
        case 'Identifier': {
          values.add(literal);
          const next = this.lookahead('Values');
          if (next.tok === 'ClosedPar') return values;
          if (next.tok !== 'Comma')
            throw new SelectorParseError(`found '${next.literal}', expected: ',' or ')'`);
          break;
        }
        case 'Comma': {
          if (values.size === 0) values.add('');
          const next = this.lookahead('Values').tok;
          if (next === 'ClosedPar') {
            values.add('');
            return values;
          }
          if (next === 'Comma') values.add('');
          break;
        }
        default:
          throw new SelectorParseError(`found '${literal}', expected: ',', or identifier`);
      }
    }
  }

  // parseExactValue: `key=` and `key=,` compare with the empty value.
  private parseExactValue(): Set<string> {
    const next = this.lookahead('Values').tok;
    if (next === 'EndOfString' || next === 'Comma') return new Set(['']);
    const { tok, literal } = this.consume('Values');
    if (tok === 'Identifier') return new Set([literal]);
    throw new SelectorParseError(`found '${literal}', expected: identifier`);
  }
}

/**
 * labels.Parse: kubectl's `-l` syntax (`a=b,c!=d`, `e in (f,g)`, `h notin (i)`, `j`, `!k`, `l>1`). Throws
 * SelectorParseError carrying Go's message. The empty string selects everything.
 */
export function parseSelector(text: string): Selector {
  return Selector.from(new Parser(scan(text)).parse());
}
