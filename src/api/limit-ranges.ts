// The LimitRange kind (v1) in the API server: its ResourceLists, SetDefaults_LimitRangeItem
// (k8s:pkg/apis/core/v1/defaults.go) and ValidateLimitRange (k8s:pkg/apis/core/validation/validation.go).
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1';
import { type ApiServer, registerResourceLists } from './apiserver';
import { duplicate, FieldError, forbidden, invalid, required } from './field-errors';
import type { Stored } from './object';
import { goQuantityRepr, validateResourceName as validateContainerResourceName } from './pods';
import { Quantity } from './quantity';
import { isQualifiedName } from './validation';

export type LimitRangeObject = Stored<LimitRange>;
type Item = { -readonly [K in keyof LimitRangeItem]: LimitRangeItem[K] };
type Lists = Record<string, string>;

const LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

export function registerLimitRangeApi(api: ApiServer): void {
  api.addDefaulter('LimitRange', (obj) => {
    for (const item of ((obj as LimitRangeObject).spec?.limits ?? []) as Item[]) defaultLimitRangeItem(item);
  });
  registerResourceLists(
    api,
    'LimitRange',
    LISTS.map((list) => ['spec', 'limits', '*', list]),
  );
  api.addValidator('LimitRange', (obj) => validateLimitRange(obj as LimitRangeObject));
}

/**
 * SetDefaults_LimitRangeItem: for a Container item, the default limit falls back to the max, and the default
 * request to the default limit, then to the min. So `max: {cpu: 1}` alone gives every container a 1 cpu limit
 * and request.
 */
export function defaultLimitRangeItem(item: Item): void {
  if (item.type !== 'Container') return;
  item.default ??= {};
  item.defaultRequest ??= {};
  const defaults = item.default as Lists;
  const defaultRequest = item.defaultRequest as Lists;
  for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in defaults)) defaults[k] = v as string;
  for (const [k, v] of Object.entries(defaults)) if (!(k in defaultRequest)) defaultRequest[k] = v;
  for (const [k, v] of Object.entries(item.min ?? {}))
    if (!(k in defaultRequest)) defaultRequest[k] = v as string;
}

const STANDARD_LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

/** A value Go prints without quotes (core.LimitType and core.ResourceName are fmt.Stringers, Quantity `%v`). */
class GoValueError extends FieldError {
  constructor(field: string, text: string, detail: string) {
    super('Invalid value', field, text, detail);
  }
  override body(): string {
    return `${this.type}: ${this.value}: ${this.detail}`;
  }
}

// k8s:pkg/apis/core/helper/helpers.go standardResources: the names a non-container limit may use.
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'storage',
  'pods',
  'requests.storage',
]);

function validateResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => new GoValueError(field, name, m));
  if (
    errs.length === 0 &&
    !name.includes('/') &&
    !STANDARD_RESOURCES.has(name) &&
    !name.startsWith('hugepages-')
  )
    errs.push(new GoValueError(field, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

const ONE = Quantity.fromValue(1);
const MAX_MILLI = 2 ** 63 / 1000;

export function validateLimitRange(lr: LimitRangeObject): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (lr.spec?.limits ?? []).forEach((limit, i) => {
    const path = `spec.limits[${i}]`;
    const type = limit.type ?? '';
    const typeErrs = isQualifiedName(type).map((m) => invalid(`${path}.type`, type, m));
    if (typeErrs.length === 0 && !type.includes('/') && !STANDARD_LIMIT_TYPES.includes(type))
      typeErrs.push(invalid(`${path}.type`, type, 'must be a standard limit type or fully qualified'));
    errs.push(...typeErrs);
    if (seen.has(type)) errs.push(duplicate(`${path}.type`, type));
    seen.add(type);
    const nameCheck = (name: string, field: string) =>
      type === 'Pod' || type === 'Container'
        ? validateContainerResourceName(name, field)
        : validateResourceName(name, field);
    const raw = new Map<string, unknown>();
    const read = (list: 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio') => {
      const out = new Map<string, Quantity>();
      for (const [k, v] of Object.entries((limit[list] ?? {}) as Lists).sort(([a], [b]) =>
        a < b ? -1 : 1,
      )) {
        errs.push(...nameCheck(k, `${path}.${list}[${k}]`));
        out.set(k, Quantity.parse(v));
        raw.set(`${list}/${k}`, v);
      }
      return out;
    };
    const max = read('max');
    const min = read('min');
    let defaults = new Map<string, Quantity>();
    let defaultRequests = new Map<string, Quantity>();
    if (type === 'Pod') {
      if (Object.keys(limit.default ?? {}).length > 0)
        errs.push(forbidden(`${path}.default`, "may not be specified when `type` is 'Pod'"));
      if (Object.keys(limit.defaultRequest ?? {}).length > 0)
        errs.push(forbidden(`${path}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    } else {
      defaults = read('default');
      defaultRequests = read('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage'))
      errs.push(
        required(
          `${path}.limits`,
          'either minimum or maximum storage value is required, but neither was provided',
        ),
      );
    const ratios = read('maxLimitRequestRatio');
    const keys = [
      ...new Set([
        ...max.keys(),
        ...min.keys(),
        ...defaults.keys(),
        ...defaultRequests.keys(),
        ...ratios.keys(),
      ]),
    ].sort();
    for (const k of keys) {
      const [mn, mx, df, dr, ratio] = [
        min.get(k),
        max.get(k),
        defaults.get(k),
        defaultRequests.get(k),
        ratios.get(k),
      ];
      // The value is a resource.Quantity, which Go prints as `%#v` (its String has a pointer receiver).
      const bad = (list: string, from: string, detail: string) =>
        errs.push(new GoValueError(`${path}.${list}[${k}]`, goQuantityRepr(raw.get(`${from}/${k}`)), detail));
      if (mn && mx && mn.cmp(mx) > 0) bad('min', 'min', `min value ${mn} is greater than max value ${mx}`);
      if (dr && mn && mn.cmp(dr) > 0)
        bad(
          'defaultRequest',
          'defaultRequest',
          `min value ${mn} is greater than default request value ${dr}`,
        );
      if (dr && mx && dr.cmp(mx) > 0)
        bad(
          'defaultRequest',
          'defaultRequest',
          `default request value ${dr} is greater than max value ${mx}`,
        );
      if (dr && df && dr.cmp(df) > 0)
        bad(
          'defaultRequest',
          'defaultRequest',
          `default request value ${dr} is greater than default limit value ${df}`,
        );
      if (df && mn && mn.cmp(df) > 0)
        bad('default', 'min', `min value ${mn} is greater than default value ${df}`);
      if (df && mx && df.cmp(mx) > 0)
        bad('default', 'max', `default value ${df} is greater than max value ${mx}`);
      if (ratio && ratio.cmp(ONE) < 0)
        bad('maxLimitRequestRatio', 'maxLimitRequestRatio', `ratio ${ratio} is less than 1`);
      if (ratio && mn && mx) {
        const milli = ratio.value() < MAX_MILLI && mn.value() < MAX_MILLI && mx.value() < MAX_MILLI;
        const ratioValue = milli ? ratio.milliValue() / 1000 : ratio.value();
        const limitRatio = milli ? mx.milliValue() / mn.milliValue() : mx.value() / mn.value();
        if (ratioValue > limitRatio)
          bad(
            'maxLimitRequestRatio',
            'maxLimitRequestRatio',
            `ratio ${ratio} is greater than max/min = ${limitRatio.toFixed(6)}`,
          );
      }
      const overcommit = (!k.includes('/') || k.includes('kubernetes.io/')) && !k.startsWith('hugepages-');
      if (!overcommit && df && dr && df.cmp(dr) !== 0)
        bad(
          'defaultRequest',
          'defaultRequest',
          `default value ${df} must equal to defaultRequest value ${dr} in ${k}`,
        );
    }
  });
  return errs;
}
