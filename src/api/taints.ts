// Taints and tolerations with Kubernetes' exact semantics: kubectl's taint syntax, toleration matching,
// the scheduler's untolerated-taint search and PreferNoSchedule count, and the API server's validation.

import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { FieldError, invalid, notSupported, required } from './field-errors';
import { isQualifiedName, isValidLabelValue } from './validation';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

// k8s:pkg/apis/core/validation/validation.go validateTaintEffect lists them in this order.
const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export interface TolerationOptions {
  /** The alpha gate TaintTolerationComparisonOperators (v1.35, off by default): enables `Lt` and `Gt`. */
  comparisonOperators?: boolean;
}

/** A taint spec kubectl would refuse; the message is kubectl's. */
export class TaintSyntaxError extends Error {
  override name = 'TaintSyntaxError';
}

// k8s:staging/src/k8s.io/kubectl/pkg/cmd/taint/utils.go parseTaint: `key=value:effect`, `key:effect` or
// `key`; the value may be empty (`key=:effect`).
function parseTaint(spec: string): { key: string; value: string; effect: string } {
  const parts = spec.split(':');
  let key: string;
  let value = '';
  let effect = '';
  switch (parts.length) {
    case 1:
      key = parts[0];
      break;
    case 2: {
      effect = parts[1];
      if (!TAINT_EFFECTS.includes(effect)) {
        throw new TaintSyntaxError(`invalid taint effect: ${effect}, unsupported taint effect`);
      }
      const keyValue = parts[0].split('=');
      if (keyValue.length > 2) throw new TaintSyntaxError(`invalid taint spec: ${spec}`);
      key = keyValue[0];
      if (keyValue.length === 2) {
        value = keyValue[1];
        const errs = isValidLabelValue(value);
        if (errs.length) throw new TaintSyntaxError(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
      }
      break;
    }
    default:
      throw new TaintSyntaxError(`invalid taint spec: ${spec}`);
  }
  const errs = isQualifiedName(key);
  if (errs.length) throw new TaintSyntaxError(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
  return { key, value, effect };
}

/** One taint to add, as `kubectl taint nodes NODE key=value:Effect` takes it. */
export function parseTaintSpec(spec: string): Taint {
  const { key, value, effect } = parseTaint(spec);
  // k8s:.../kubectl/pkg/cmd/taint/utils.go parseTaints: the bare `key` form only removes.
  if (!effect) throw new TaintSyntaxError(`invalid taint spec: ${spec}`);
  // An empty value is omitted, as the API server's JSON shows it.
  return value ? { key, value, effect } : { key, effect };
}

/**
 * Comma-separated taints to add (a Gherkin table cell); whitespace around each spec is ignored and blank text
 * means no taints. Taints must be unique by key and effect, as kubectl's parseTaints demands.
 */
export function parseTaintList(text: string): Taint[] {
  if (!text.trim()) return [];
  const taints: Taint[] = [];
  for (const spec of text.split(',')) {
    const taint = parseTaintSpec(spec.trim());
    if (taints.some((t) => t.key === taint.key && t.effect === taint.effect)) {
      // Go's %v of a corev1.Taint value: `{key value effect <nil>}` (the nil is TimeAdded).
      throw new TaintSyntaxError(
        `duplicated taints with the same key and effect: {${taint.key} ${taint.value ?? ''} ${taint.effect} <nil>}`,
      );
    }
    taints.push(taint);
  }
  return taints;
}

/**
 * The taint a removal names: `key:Effect` (that effect only) or `key` (every effect), with or without the
 * trailing `-` of `kubectl taint nodes NODE key:Effect-`. A value (`key=value:Effect-`) is accepted and ignored.
 */
export function parseTaintRemoval(spec: string): { key: string; effect?: string } {
  const { key, effect } = parseTaint(spec.endsWith('-') ? spec.slice(0, -1) : spec);
  return effect ? { key, effect } : { key };
}

/** k8s:staging/src/k8s.io/api/core/v1/taint.go Taint.ToString. */
export function formatTaint(t: Taint): string {
  const value = t.value ?? '';
  if (!t.effect) return value ? `${t.key}=${value}:` : t.key;
  return value ? `${t.key}=${value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/**
 * The taint as TaintToleration's Filter printed it from v1.25 to v1.33:
 * `fmt.Sprintf("node(s) had untolerated taint {%s: %s}", taint.Key, taint.Value)`
 * (k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go), so an empty value gives `{key: }`.
 */
export function formatTaintForScheduler(t: Taint): string {
  return `{${t.key}: ${t.value ?? ''}}`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// k8s:staging/src/k8s.io/apimachinery/pkg/api/validate/content/decimal_int.go IsDecimalInteger (canonical form:
// no sign but `-`, no leading zero), then strconv.ParseInt's int64 range, as compareNumericValues requires.
function parseCanonicalInt64(s: string): bigint | undefined {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** k8s:staging/src/k8s.io/api/core/v1/toleration.go Toleration.ToleratesTaint. */
export function toleratesTaint(tol: Toleration, taint: Taint, opts?: TolerationOptions): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  switch (tol.operator ?? '') {
    case '':
    case 'Equal':
      return (tol.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Lt':
    case 'Gt': {
      if (!opts?.comparisonOperators) return false;
      // compareNumericValues: either side failing to parse means no match.
      const tolValue = parseCanonicalInt64(tol.value ?? '');
      const taintValue = parseCanonicalInt64(taint.value ?? '');
      if (tolValue === undefined || taintValue === undefined) return false;
      return tol.operator === 'Lt' ? taintValue < tolValue : taintValue > tolValue;
    }
    default:
      return false;
  }
}

/** k8s:staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go TolerationsTolerateTaint. */
export function tolerationsTolerateTaint(
  tols: readonly Toleration[] | undefined,
  taint: Taint,
  opts?: TolerationOptions,
): boolean {
  return (tols ?? []).some((tol) => toleratesTaint(tol, taint, opts));
}

/**
 * The first taint, in the node's order, that passes the filter and no toleration tolerates
 * (k8s:staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go FindMatchingUntoleratedTaint).
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tols: readonly Toleration[] | undefined,
  inclusionFilter: (t: Taint) => boolean,
  opts?: TolerationOptions,
): Taint | undefined {
  return (taints ?? []).find((t) => inclusionFilter(t) && !tolerationsTolerateTaint(tols, t, opts));
}

/**
 * TaintToleration's raw score: the node's PreferNoSchedule taints that the pod's PreferNoSchedule (or
 * effect-less) tolerations leave untolerated. Normalisation reverses it (fewer is better).
 * k8s:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go getAllTolerationPreferNoSchedule,
 * countIntolerableTaintsPreferNoSchedule.
 */
export function countIntolerableTaintsPreferNoSchedule(
  taints: readonly Taint[] | undefined,
  tols: readonly Toleration[] | undefined,
  opts?: TolerationOptions,
): number {
  const preferNoSchedule = (tols ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  let count = 0;
  for (const taint of taints ?? []) {
    if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(preferNoSchedule, taint, opts))
      count++;
  }
  return count;
}

const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const text = (x: unknown): string => (typeof x === 'string' ? x : '');
const record = (x: unknown): Record<string, unknown> =>
  x !== null && typeof x === 'object' ? (x as Record<string, unknown>) : {};

// k8s:staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabelName: one error
// per message.
function validateLabelName(key: string, field: string): FieldError[] {
  return isQualifiedName(key).map((msg) => invalid(field, key, msg));
}

// k8s:pkg/apis/core/validation/validation.go validateTaintEffect.
function validateTaintEffect(effect: string, allowEmpty: boolean, field: string): FieldError[] {
  if (!allowEmpty && !effect) return [required(field)];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(field, effect, TAINT_EFFECTS)];
}

/**
 * A pod's `spec.tolerations` as the API server checks them
 * (k8s:pkg/apis/core/validation/validation.go ValidateTolerations). With the comparison-operator gate on,
 * `Lt` and `Gt` are accepted; the gate's own value checks are not modelled.
 */
export function validateTolerations(tols: unknown, field: string, opts?: TolerationOptions): FieldError[] {
  const errs: FieldError[] = [];
  list(tols).forEach((raw, i) => {
    const tol = record(raw);
    const path = `${field}[${i}]`;
    const key = text(tol.key);
    const operator = text(tol.operator);
    const value = text(tol.value);
    const effect = text(tol.effect);
    if (key) errs.push(...validateLabelName(key, `${path}.key`));
    if (!key && operator !== 'Exists') {
      errs.push(
        invalid(
          `${path}.operator`,
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (tol.tolerationSeconds != null && effect !== 'NoExecute') {
      errs.push(
        invalid(`${path}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"),
      );
    }
    switch (operator) {
      case '':
      case 'Equal': {
        // Kubernetes reports a bad value under `.operator` and joins the messages with ";".
        const msgs = isValidLabelValue(value);
        if (msgs.length) errs.push(invalid(`${path}.operator`, value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value)
          errs.push(invalid(`${path}.operator`, value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        if (!(opts?.comparisonOperators && (operator === 'Lt' || operator === 'Gt'))) {
          errs.push(notSupported(`${path}.operator`, operator, ['Equal', 'Exists']));
        }
    }
    if (effect) errs.push(...validateTaintEffect(effect, true, `${path}.effect`));
  });
  return errs;
}

/** A node's `spec.taints` as the API server checks them (k8s:pkg/apis/core/validation/validation.go validateNodeTaints). */
export function validateTaints(taints: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list(taints).forEach((raw, i) => {
    const taint = record(raw);
    const path = `${field}[${i}]`;
    const key = text(taint.key);
    const value = text(taint.value);
    const effect = text(taint.effect);
    errs.push(...validateLabelName(key, `${path}.key`));
    const msgs = isValidLabelValue(value);
    if (msgs.length) errs.push(invalid(`${path}.value`, value, msgs.join(';')));
    errs.push(...validateTaintEffect(effect, false, `${path}.effect`));
    const id = JSON.stringify([effect, key]);
    if (seen.has(id)) {
      errs.push(new FieldError('Duplicate value', path, raw, 'taints must be unique by key and effect pair'));
    } else {
      seen.add(id);
    }
  });
  return errs;
}
