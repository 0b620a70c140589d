// Name, label key and label value validation returning Kubernetes' own detail strings, so that a refused
// manifest reads exactly like the API server's answer. Sources:
// k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go (DNS rules, MaxLenError, RegexError),
// k8s:staging/src/k8s.io/apimachinery/pkg/api/validate/content/{dns,kube}.go (the current home of the rules)
// and k8s:staging/src/k8s.io/apimachinery/pkg/api/validation/generic.go (name rules per kind).
// The checks are hand-written character loops, as in the newest content/kube.go, because they run for every
// label of every object; they accept exactly what the Go regexes accept.

import { type FieldError, invalid, required } from './field-errors';

const DNS1123_LABEL_MAX_LENGTH = 63;
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const DNS1035_LABEL_MAX_LENGTH = 63;
const LABEL_KEY_NAME_MAX_LENGTH = 63;
const LABEL_VALUE_MAX_LENGTH = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;

const DNS1123_LABEL_ERR_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_ERR_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_ERR_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const LABEL_KEY_ERR_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_ERR_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

// k8s:.../util/validation/validation.go MaxLenError. The apimachinery `content` package after v1.35 says
// "bytes" instead of "characters"; kubespec follows the v1.35 wording (reference §0, §10).
function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

// k8s:.../util/validation/validation.go RegexError: each example is followed by "', " and joined with
// " or ", which is where the double space before "or" comes from.
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const EMPTY_ERROR = 'must be non-empty';

/** Go's len() counts UTF-8 bytes; a UTF-16 unit is at most 3 of them, so the exact count is rarely needed. */
function longerThan(value: string, max: number): boolean {
  if (value.length > max) return true;
  if (value.length * 3 <= max) return false;
  return Buffer.byteLength(value, 'utf8') > max;
}

const isLowerAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isLower = (c: number) => c >= 97 && c <= 122;
const isAlnum = (c: number) => isLowerAlnum(c) || (c >= 65 && c <= 90);
const DASH = 45;
const DOT = 46;
const UNDERSCORE = 95;

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?` over value[start, end). */
function matchesDNS1123Label(value: string, start = 0, end = value.length): boolean {
  if (end <= start || !isLowerAlnum(value.charCodeAt(start)) || !isLowerAlnum(value.charCodeAt(end - 1))) {
    return false;
  }
  for (let i = start + 1; i < end - 1; i++) {
    const c = value.charCodeAt(i);
    if (!isLowerAlnum(c) && c !== DASH) return false;
  }
  return true;
}

/** DNS-1123 labels joined by single dots. */
function matchesDNS1123Subdomain(value: string): boolean {
  let start = 0;
  for (;;) {
    const dot = value.indexOf('.', start);
    const end = dot === -1 ? value.length : dot;
    if (!matchesDNS1123Label(value, start, end)) return false;
    if (dot === -1) return true;
    start = dot + 1;
  }
}

/** `[a-z]([-a-z0-9]*[a-z0-9])?` */
function matchesDNS1035Label(value: string): boolean {
  const n = value.length;
  if (n === 0 || !isLower(value.charCodeAt(0)) || !isLowerAlnum(value.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = value.charCodeAt(i);
    if (!isLowerAlnum(c) && c !== DASH) return false;
  }
  return true;
}

/** `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: k8s:.../api/validate/content/kube.go isValidLabelKeyName. */
function matchesLabelKeyName(value: string): boolean {
  const n = value.length;
  if (n === 0 || !isAlnum(value.charCodeAt(0)) || !isAlnum(value.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = value.charCodeAt(i);
    if (!isAlnum(c) && c !== DASH && c !== UNDERSCORE && c !== DOT) return false;
  }
  return true;
}

/** IsDNS1123Label: lowercase RFC 1123 label (Namespace names, container names). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_LABEL_MAX_LENGTH)) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!matchesDNS1123Label(value)) {
    // A valid subdomain that is not a valid label can only be failing because of its dots.
    if (matchesDNS1123Subdomain(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain: lowercase RFC 1123 subdomain (most object names, label key prefixes). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_SUBDOMAIN_MAX_LENGTH)) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!matchesDNS1123Subdomain(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** IsDNS1035Label: like a DNS-1123 label but starting with a letter (Service names). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1035_LABEL_MAX_LENGTH)) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!matchesDNS1035Label(value)) {
    errs.push(regexError(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

/** IsQualifiedName (= content.IsLabelKey): `[prefix/]name`, the prefix a DNS subdomain. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const slash = value.indexOf('/');
  let name = value;
  if (slash !== -1) {
    if (value.indexOf('/', slash + 1) !== -1) {
      return [
        `a valid label key ${regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}` +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ];
    }
    const prefix = value.slice(0, slash);
    name = value.slice(slash + 1);
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (longerThan(name, LABEL_KEY_NAME_MAX_LENGTH))
    errs.push(`name part ${maxLenError(LABEL_KEY_NAME_MAX_LENGTH)}`);
  if (!matchesLabelKeyName(name)) {
    errs.push(`name part ${regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** IsValidLabelValue (= content.IsLabelValue): empty, or a label key name of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, LABEL_VALUE_MAX_LENGTH)) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (value.length > 0 && !matchesLabelKeyName(value)) {
    errs.push(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/**
 * k8s:staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabels: key and value
 * errors both carry the map's own path (`metadata.labels`), with the offending key or value as the bad value.
 * Go walks the map in random order; kubespec keeps the manifest's order.
 */
export function validateLabels(
  labels: Readonly<Record<string, string>> | undefined,
  field: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels) return errs;
  for (const [key, value] of Object.entries(labels)) {
    for (const msg of isQualifiedName(key)) errs.push(invalid(field, key, msg));
    for (const msg of isValidLabelValue(value)) errs.push(invalid(field, value, msg));
  }
  return errs;
}

/** A ValidateNameFunc: `prefix` is true for a generateName, which may end in '-'. */
type NameRule = (name: string, prefix: boolean) => string[];

// k8s:.../api/validation/generic.go maskTrailingDash. Go cuts the last *two* characters before appending
// "a" (so "ab-" is checked as "aa"); that quirk decides which prefixes pass and is kept. Newer releases guard
// the single "-", which the old code would have sliced out of range.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

const nameIsDNSSubdomain: NameRule = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
const nameIsDNSLabel: NameRule = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
const nameIsDNS1035Label: NameRule = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

// k8s:staging/src/k8s.io/apimachinery/pkg/api/validation/path/name.go IsValidPathSegmentName. RBAC's
// ValidateRBACName (k8s:pkg/apis/rbac/validation/validation.go) uses it for names and prefixes alike.
const pathSegmentName: NameRule = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
};

// k8s:pkg/apis/core/validation/validation.go: ValidateNamespaceName is NameIsDNSLabel, ValidateServiceName
// NameIsDNS1035Label (the RelaxedServiceNameValidation alpha gate is off by default); StatefulSets NameIsDNSLabel
// (k8s:pkg/apis/apps/validation/validation.go ValidateStatefulSetName: the name is each pod's hostname); Pods,
// Nodes, ConfigMaps, Secrets, the other workloads and the rest use NameIsDNSSubdomain.
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  Namespace: nameIsDNSLabel,
  StatefulSet: nameIsDNSLabel,
  Service: nameIsDNS1035Label,
  Role: pathSegmentName,
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
};

const nameRuleFor = (kind: string): NameRule => NAME_RULES[kind] ?? nameIsDNSSubdomain;

/**
 * metadata.name of a `kind` object, as ValidateObjectMetaAccessor checks it (after any generateName has been
 * expanded): required, then the kind's name rule.
 */
export function validateObjectName(name: string, kind: string, field = 'metadata.name'): FieldError[] {
  if (!name) return [required(field, 'name or generateName is required')];
  return nameRuleFor(kind)(name, false).map((msg) => invalid(field, name, msg));
}

/**
 * metadata.generateName of a `kind` object, as ValidateObjectMetaAccessor checks it: the kind's name rule with
 * a trailing '-' allowed (maskTrailingDash). An empty generateName is not checked.
 */
export function validateGenerateName(
  generateName: string,
  kind: string,
  field = 'metadata.generateName',
): FieldError[] {
  if (!generateName) return [];
  return nameRuleFor(kind)(generateName, true).map((msg) => invalid(field, generateName, msg));
}
