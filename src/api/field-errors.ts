// Field-level validation errors rendered exactly as apimachinery renders them
// (k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go), so that a refused
// manifest reads like the API server's answer.

export type FieldErrorType =
  | 'Not found'
  | 'Required value'
  | 'Duplicate value'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Forbidden'
  | 'Too long'
  | 'Too many'
  | 'Internal error';

/** Types whose rendering omits the bad value (ErrorBody's first cases). */
const VALUELESS: ReadonlySet<FieldErrorType> = new Set([
  'Required value',
  'Forbidden',
  'Too long',
  'Internal error',
]);

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    /** JSON path as Kubernetes prints it: `spec.containers[0].resources.requests[cpu]`. */
    readonly field: string,
    readonly value: unknown,
    readonly detail: string,
  ) {}

  /** `field: Type: value: detail`, as field.Error.Error(). */
  toString(): string {
    return `${this.field}: ${this.body()}`;
  }

  /** ErrorBody(): the message without the field name. */
  body(): string {
    let s: string = this.type;
    if (!VALUELESS.has(this.type)) s += `: ${renderGoValue(this.value)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }
}

/** Go's %q for strings, %v for numbers and booleans, "null" for nil. */
export function renderGoValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

export const invalid = (field: string, value: unknown, detail: string) =>
  new FieldError('Invalid value', field, value, detail);
export const required = (field: string, detail = '') => new FieldError('Required value', field, '', detail);
export const forbidden = (field: string, detail: string) => new FieldError('Forbidden', field, '', detail);
export const duplicate = (field: string, value: unknown) =>
  new FieldError('Duplicate value', field, value, '');
export const notFound = (field: string, value: unknown) => new FieldError('Not found', field, value, '');
export const notSupported = (field: string, value: unknown, valid: readonly string[]) =>
  new FieldError(
    'Unsupported value',
    field,
    value,
    valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
  );

/** ErrorList.ToAggregate().Error(): duplicates dropped, one error bare, several as `[a, b]`. */
export function aggregate(errors: readonly FieldError[]): string {
  const messages = [...new Set(errors.map((e) => e.toString()))];
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}
