// nodeSelector and node affinity with Kubernetes' exact semantics: the scheduler's compiled selectors
// (k8s:staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go), the NodeAffinity
// plugin's node-name narrowing, and the API server's validation of node affinity.

import type {
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PreferredSchedulingTerm,
} from 'kubernetes-types/core/v1';
import { type FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './validation';

/** What node matching looks at: the node's name (for `matchFields`) and its labels. */
export interface NodeView {
  name: string;
  labels: Readonly<Record<string, string>>;
}

type Labels = Readonly<Record<string, string>>;
type LabelTest = (labels: Labels) => boolean;
type NameTest = (name: string) => boolean;

const NODE_NAME_FIELD = 'metadata.name';
// k8s:.../nodeaffinity/nodeaffinity.go validSelectorOperators.
const LABEL_OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

// k8s:pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go errReasonConflict.
export const NODE_AFFINITY_CONFLICT_REASON = 'pod affinity terms conflict';

// A label lookup that ignores what plain objects inherit (`constructor`, `__proto__`): labels are strings.
const label = (labels: Labels, key: string): string | undefined => {
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range; leading zeros are fine ("0204").
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

// k8s:staging/src/k8s.io/apimachinery/pkg/labels/selector.go NewRequirement (validation) and
// Requirement.Matches, for the operators node affinity maps onto.
function compileExpression(
  req: NodeSelectorRequirement,
  path: string,
  errs: FieldError[],
): LabelTest | undefined {
  const { key, operator } = req;
  if (!LABEL_OPERATORS.includes(operator)) {
    // nodeSelectorRequirementsAsSelector rejects the operator before building a requirement.
    errs.push(notSupported(`${path}.operator`, operator, LABEL_OPERATORS));
    return undefined;
  }
  const values = req.values ?? [];
  const before = errs.length;
  const keyMsgs = isQualifiedName(key);
  if (keyMsgs.length) errs.push(invalid(`${path}.key`, key, keyMsgs.join('; ')));
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (!values.length) {
        errs.push(
          invalid(`${path}.values`, req.values, "for 'in', 'notin' operators, values set can't be empty"),
        );
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length) {
        errs.push(
          invalid(`${path}.values`, values, 'values set must be empty for exists and does not exist'),
        );
      }
      break;
    default:
      if (values.length !== 1) {
        errs.push(
          invalid(`${path}.values`, req.values, "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalid(`${path}.values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    // validateLabelValue reports at path.Key(key) under the value's index.
    if (msgs.length) errs.push(invalid(`${path}.values[${i}][${key}]`, v, msgs.join('; ')));
  });
  if (errs.length > before) return undefined;

  const set = new Set(values);
  switch (operator) {
    case 'In':
      return (l) => {
        const v = label(l, key);
        return v !== undefined && set.has(v);
      };
    case 'NotIn':
      return (l) => {
        const v = label(l, key);
        return v === undefined || !set.has(v);
      };
    case 'Exists':
      return (l) => label(l, key) !== undefined;
    case 'DoesNotExist':
      return (l) => label(l, key) === undefined;
    default: {
      const bound = parseInt64(values[0]) as bigint;
      const greater = operator === 'Gt';
      return (l) => {
        const v = label(l, key);
        const n = v === undefined ? undefined : parseInt64(v);
        if (n === undefined) return false;
        return greater ? n > bound : n < bound;
      };
    }
  }
}

// k8s:.../nodeaffinity/nodeaffinity.go nodeSelectorRequirementsAsFieldSelector. The only node field is
// metadata.name; fields.Set.Get of any other key is "".
function compileField(req: NodeSelectorRequirement, path: string, errs: FieldError[]): NameTest | undefined {
  const values = req.values ?? [];
  if (req.operator !== 'In' && req.operator !== 'NotIn') {
    errs.push(notSupported(`${path}.operator`, req.operator, ['In', 'NotIn']));
    return undefined;
  }
  if (values.length !== 1) {
    errs.push(invalid(`${path}.values`, req.values, 'must have one element'));
    return undefined;
  }
  const [want] = values;
  const isName = req.key === NODE_NAME_FIELD;
  return req.operator === 'In'
    ? (name) => (isName ? name : '') === want
    : (name) => (isName ? name : '') !== want;
}

class CompiledTerm {
  private readonly expressions: LabelTest[] = [];
  private readonly fields: NameTest[] = [];
  readonly errors: FieldError[] = [];

  // k8s:.../nodeaffinity/nodeaffinity.go newNodeSelectorTerm.
  constructor(term: NodeSelectorTerm, path: string) {
    (term.matchExpressions ?? []).forEach((req, i) => {
      const test = compileExpression(req, `${path}.matchExpressions[${i}]`, this.errors);
      if (test) this.expressions.push(test);
    });
    (term.matchFields ?? []).forEach((req, i) => {
      const test = compileField(req, `${path}.matchFields[${i}]`, this.errors);
      if (test) this.fields.push(test);
    });
  }

  // nodeSelectorTerm.match: a term with parse errors never matches; fields are skipped for a nameless node.
  match(node: NodeView): boolean {
    if (this.errors.length) return false;
    for (const test of this.expressions) if (!test(node.labels)) return false;
    if (node.name) for (const test of this.fields) if (!test(node.name)) return false;
    return true;
  }
}

const isEmptyTerm = (t: NodeSelectorTerm): boolean => !t.matchExpressions?.length && !t.matchFields?.length;

/**
 * A NodeSelector compiled once (k8s:.../nodeaffinity/nodeaffinity.go LazyErrorNodeSelector): terms are ORed,
 * inside a term everything is ANDed, an empty term and an empty term list match nothing, and a term that does
 * not parse never matches. `errors` holds the parse errors NewNodeSelector would report, paths relative to the
 * selector (`nodeSelectorTerms[0].matchFields[0].values`).
 */
export class CompiledNodeSelector {
  private readonly terms: CompiledTerm[];
  readonly errors: readonly FieldError[];

  constructor(selector: NodeSelector) {
    // A nil term list, like an empty one, matches nothing.
    this.terms = (selector.nodeSelectorTerms ?? [])
      .map((term, i) => (isEmptyTerm(term) ? undefined : new CompiledTerm(term, `nodeSelectorTerms[${i}]`)))
      .filter((t): t is CompiledTerm => t !== undefined);
    this.errors = this.terms.flatMap((t) => t.errors);
  }

  match(node: NodeView): boolean {
    return this.terms.some((t) => t.match(node));
  }
}

/**
 * A pod's hard node constraints, `spec.nodeSelector` AND required node affinity, compiled once per pod
 * (k8s:.../nodeaffinity/nodeaffinity.go GetRequiredNodeAffinity, RequiredNodeAffinity.Match). Parse errors
 * are ignored as the scheduler ignores them: such terms simply match no node.
 */
export class RequiredNodeAffinity {
  private readonly nodeSelector: ReadonlyArray<readonly [string, string]>;
  private readonly affinity: CompiledNodeSelector | undefined;

  constructor(pod: Pod) {
    this.nodeSelector = Object.entries(pod.spec?.nodeSelector ?? {});
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    // A required selector whose term list is nil or empty matches nothing, unlike an absent one.
    this.affinity = required ? new CompiledNodeSelector(required) : undefined;
  }

  match(node: NodeView): boolean {
    for (const [key, value] of this.nodeSelector) if (label(node.labels, key) !== value) return false;
    return this.affinity ? this.affinity.match(node) : true;
  }
}

/**
 * Preferred terms compiled once (k8s:.../nodeaffinity/nodeaffinity.go NewPreferredSchedulingTerms): terms of
 * weight 0 or without requirements are skipped unparsed. When `errors` is not empty the scheduler's PreScore
 * fails with them instead of scoring; `score` then counts only the terms that parsed.
 */
export class PreferredSchedulingTerms {
  private readonly terms: { term: CompiledTerm; weight: number }[] = [];
  readonly errors: readonly FieldError[];

  constructor(terms: readonly PreferredSchedulingTerm[]) {
    const errors: FieldError[] = [];
    terms.forEach((t, i) => {
      if (!t.weight || isEmptyTerm(t.preference)) return;
      const term = new CompiledTerm(t.preference, `[${i}]`);
      if (term.errors.length) errors.push(...term.errors);
      else this.terms.push({ term, weight: t.weight });
    });
    this.errors = errors;
  }

  /** The sum of the weights of the terms the node matches (PreferredSchedulingTerms.Score). */
  score(node: NodeView): number {
    let sum = 0;
    for (const { term, weight } of this.terms) if (term.match(node)) sum += weight;
    return sum;
  }
}

// Pods are not mutated in place, so a pod's preferred terms compile once however many nodes they score.
const compiledPreferred = new WeakMap<readonly PreferredSchedulingTerm[], PreferredSchedulingTerms>();

/** NodeAffinity's raw score for a node: the sum of the weights of the preferred terms it matches. */
export function preferredNodeAffinityScore(
  terms: readonly PreferredSchedulingTerm[] | undefined,
  node: NodeView,
): number {
  if (!terms?.length) return 0;
  let compiled = compiledPreferred.get(terms);
  if (!compiled) {
    compiled = new PreferredSchedulingTerms(terms);
    compiledPreferred.set(terms, compiled);
  }
  return compiled.score(node);
}

/**
 * The node names NodeAffinity's PreFilter narrows the candidates to
 * (k8s:pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go PreFilter): when every required term
 * has a `metadata.name In` field requirement, the union over terms of each term's intersected names.
 * `undefined` means every node stays a candidate; an empty set means the terms conflict and the pod is
 * unschedulable with NODE_AFFINITY_CONFLICT_REASON.
 */
export function nodeNamesFromRequiredAffinity(pod: Pod): Set<string> | undefined {
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    let termNames: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== NODE_NAME_FIELD || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => values.has(n))) : values;
    }
    // A term without a node-name requirement admits every node, and terms are ORed.
    if (!termNames) return undefined;
    for (const n of termNames) names.add(n);
  }
  return names;
}

const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const text = (x: unknown): string => (typeof x === 'string' ? x : '');
const record = (x: unknown): Record<string, unknown> =>
  x !== null && typeof x === 'object' ? (x as Record<string, unknown>) : {};

// k8s:pkg/apis/core/validation/validation.go ValidateNodeSelectorRequirement.
function validateRequirement(raw: unknown, allowInvalidLabelValue: boolean, path: string): FieldError[] {
  const req = record(raw);
  const operator = text(req.operator);
  const key = text(req.key);
  const values = list(req.values).map(text);
  const errs: FieldError[] = [];
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (!values.length)
        errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length) {
        errs.push(
          forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
      }
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) {
        errs.push(
          required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"),
        );
      }
      break;
    default:
      errs.push(invalid(`${path}.operator`, operator, 'not a valid selector operator'));
  }
  errs.push(...isQualifiedName(key).map((msg) => invalid(`${path}.key`, key, msg)));
  if (!allowInvalidLabelValue) {
    values.forEach((v, i) => {
      errs.push(...isValidLabelValue(v).map((msg) => invalid(`${path}.values[${i}]`, v, msg)));
    });
  }
  return errs;
}

// k8s:pkg/apis/core/validation/validation.go ValidateNodeFieldSelectorRequirement; metadata.name values are
// checked with ValidateNodeName (a DNS-1123 subdomain).
function validateFieldRequirement(raw: unknown, path: string): FieldError[] {
  const req = record(raw);
  const operator = text(req.operator);
  const key = text(req.key);
  const values = list(req.values).map(text);
  const errs: FieldError[] = [];
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length !== 1) {
      errs.push(
        required(
          `${path}.values`,
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
    }
  } else {
    errs.push(invalid(`${path}.operator`, operator, 'not a valid selector operator'));
  }
  if (key !== NODE_NAME_FIELD) {
    errs.push(invalid(`${path}.key`, key, 'not a valid field selector key'));
  } else {
    values.forEach((v, i) => {
      errs.push(...isDNS1123Subdomain(v).map((msg) => invalid(`${path}.values[${i}]`, v, msg)));
    });
  }
  return errs;
}

// k8s:pkg/apis/core/validation/validation.go ValidateNodeSelectorTerm.
function validateTerm(raw: unknown, allowInvalidLabelValue: boolean, path: string): FieldError[] {
  const term = record(raw);
  return [
    ...list(term.matchExpressions).flatMap((r, j) =>
      validateRequirement(r, allowInvalidLabelValue, `${path}.matchExpressions[${j}]`),
    ),
    ...list(term.matchFields).flatMap((r, j) => validateFieldRequirement(r, `${path}.matchFields[${j}]`)),
  ];
}

/**
 * A NodeSelector (required node affinity) as the API server checks it
 * (k8s:pkg/apis/core/validation/validation.go ValidateNodeSelector). `allowInvalidLabelValue` is the update
 * leniency for pods that already had such values.
 */
export function validateNodeSelector(
  selector: unknown,
  field: string,
  allowInvalidLabelValue = false,
): FieldError[] {
  const terms = list(record(selector).nodeSelectorTerms);
  const termsPath = `${field}.nodeSelectorTerms`;
  if (!terms.length) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((term, i) => validateTerm(term, allowInvalidLabelValue, `${termsPath}[${i}]`));
}

/**
 * A pod's `spec.affinity.nodeAffinity` as the API server checks it (validateNodeAffinity and
 * ValidatePreferredSchedulingTerms in k8s:pkg/apis/core/validation/validation.go); `field` is the node
 * affinity's own path, e.g. `spec.affinity.nodeAffinity`.
 */
export function validateNodeAffinity(nodeAffinity: unknown, field: string): FieldError[] {
  const na = record(nodeAffinity);
  const errs: FieldError[] = [];
  if (na.requiredDuringSchedulingIgnoredDuringExecution != null) {
    errs.push(
      ...validateNodeSelector(
        na.requiredDuringSchedulingIgnoredDuringExecution,
        `${field}.requiredDuringSchedulingIgnoredDuringExecution`,
      ),
    );
  }
  const preferredPath = `${field}.preferredDuringSchedulingIgnoredDuringExecution`;
  list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
    const term = record(raw);
    const weight = typeof term.weight === 'number' ? term.weight : 0;
    if (weight <= 0 || weight > 100) {
      errs.push(invalid(`${preferredPath}[${i}].weight`, weight, 'must be in the range 1-100'));
    }
    // Invalid label values are always allowed in preferences: such a term only ever fails to match.
    errs.push(...validateTerm(term.preference, true, `${preferredPath}[${i}].preference`));
  });
  return errs;
}
