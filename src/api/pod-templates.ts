// Pod templates inside workload objects (StatefulSet, DaemonSet, Job). The API server defaults a template as it
// defaults a pod (SetDefaults_PodSpec and SetDefaults_Container run on every nested PodSpec), validates it with
// ValidatePodTemplateSpec (k8s:pkg/apis/core/validation/validation.go), and refuses a selector that does not
// select the template's labels (k8s:pkg/apis/apps/validation/validation.go, pkg/apis/batch/validation).
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KubernetesVersion } from '../sim/version';
import { type ApiServer, registerResourceLists } from './apiserver';
import { FieldError, forbidden, invalid } from './field-errors';
import { SelectorParseError, selectorFromLabelSelector } from './labels';
import { defaultPod, type PodObject, validatePodSpec } from './pods';
import { isQualifiedName, validateLabels } from './validation';

/** SetDefaults_PodSpec and SetDefaults_Container on a template's spec (restartPolicy Always when empty). */
export function defaultPodTemplate(template: PodTemplateSpec | undefined): void {
  if (!template) return;
  const pod = { spec: template.spec ?? { containers: [] } } as PodObject;
  defaultPod(pod);
  template.spec = pod.spec;
}

/**
 * ValidatePodTemplateSpec at `path` (e.g. `spec.template`). Labels are reported at `<path>.labels`, not
 * `<path>.metadata.labels`, as Kubernetes reports them.
 */
export function validatePodTemplate(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const meta = template?.metadata ?? {};
  const errs = validateLabels(meta.labels, `${path}.labels`);
  for (const key of Object.keys(meta.annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(`${path}.annotations`, key, msg));
  }
  const spec = template?.spec;
  const asPod = { spec: spec ? { ...spec, ephemeralContainers: undefined } : undefined } as PodObject;
  errs.push(...validatePodSpec(asPod).map((e) => atPath(e, `${path}.spec`)));
  if (spec?.ephemeralContainers?.length) {
    errs.push(
      forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'),
    );
  }
  return errs;
}

/** The same error reported under another path: `spec.x` of a pod is `spec.template.spec.x` of a workload. */
function atPath(e: FieldError, specPath: string): FieldError {
  const field = e.field === 'spec' ? specPath : e.field.replace(/^spec(?=[.[])/, specPath);
  return Object.assign(Object.create(Object.getPrototypeOf(e)) as FieldError, e, { field });
}

/** The ResourceLists of a workload's template, decoded and stored as the pod's own (registerResourceLists). */
export function registerTemplateResourceLists(api: ApiServer, kind: string): void {
  const containerLists = (list: string) =>
    ['requests', 'limits'].map((which) => ['spec', 'template', 'spec', list, '*', 'resources', which]);
  registerResourceLists(api, kind, [
    ...containerLists('initContainers'),
    ...containerLists('containers'),
    ['spec', 'template', 'spec', 'overhead'],
    ['spec', 'template', 'spec', 'resources', 'limits'],
    ['spec', 'template', 'spec', 'resources', 'requests'],
  ]);
}

/** ValidateNonnegativeField. */
export function validateNonnegative(value: number | undefined, field: string): FieldError[] {
  return value !== undefined && value < 0
    ? [invalid(field, value, 'must be greater than or equal to 0')]
    : [];
}

/**
 * An Invalid value whose bad value is a map or struct: its rendering (kept as `value`) depends on the release.
 * Up to v1.33 field.ErrorBody prints it with Go's %#v; from v1.34 as JSON (kubernetes/kubernetes#132314).
 */
export class RenderedValueError extends FieldError {
  constructor(
    field: string,
    rendered: string,
    detail: string,
    type: 'Invalid value' | 'Unsupported value' = 'Invalid value',
  ) {
    super(type, field, rendered, detail);
  }

  override body(): string {
    return `${this.type}: ${this.value}${this.detail ? `: ${this.detail}` : ''}`;
  }
}

/** Whether the release renders map and struct values of field errors as JSON (v1.34 and later). */
export const rendersJson = (v: KubernetesVersion) => v.major > 1 || v.minor >= 34;
const goQuote = (s: string) => JSON.stringify(s);
const sortedEntries = (m: Readonly<Record<string, string>>) =>
  Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function goStringMap(m: Readonly<Record<string, string>> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  return `map[string]string{${sortedEntries(m)
    .map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`)
    .join(', ')}}`;
}

/** encoding/json of a map[string]string: keys sorted, no spaces. */
function jsonStringMap(m: Readonly<Record<string, string>>): string {
  return `{${sortedEntries(m)
    .map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`)
    .join(',')}}`;
}

/** A map[string]string value (a template's labels) as the release prints it. */
export function renderLabels(
  labels: Readonly<Record<string, string>> | undefined,
  v: KubernetesVersion,
): string {
  if (rendersJson(v)) return labels ? jsonStringMap(labels) : 'null';
  return goStringMap(labels);
}

/** A *metav1.LabelSelector value as the release prints it (the pointer is dereferenced first). */
export function renderLabelSelector(selector: LabelSelector | undefined, v: KubernetesVersion): string {
  if (!selector) return 'null';
  const expressions = selector.matchExpressions ?? [];
  if (rendersJson(v)) {
    const parts: string[] = [];
    if (selector.matchLabels && Object.keys(selector.matchLabels).length > 0) {
      parts.push(`"matchLabels":${jsonStringMap(selector.matchLabels)}`);
    }
    if (expressions.length > 0) parts.push(`"matchExpressions":${JSON.stringify(expressions)}`);
    return `{${parts.join(',')}}`;
  }
  const goExpressions =
    selector.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${expressions
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${
                e.values ? `[]string{${e.values.map(goQuote).join(', ')}}` : '[]string(nil)'
              }}`,
          )
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${goExpressions}}`;
}

/** A selector with neither matchLabels nor matchExpressions, which selects everything. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0;
}

/** Whether a LabelSelector selects the labels; undefined when it does not parse (validation reports that). */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean | undefined {
  try {
    return selectorFromLabelSelector(selector).matches(labels ?? {});
  } catch (error) {
    if (error instanceof SelectorParseError) return undefined;
    throw error;
  }
}

/** `<path>.metadata.labels: Invalid value: …: \`selector\` does not match template \`labels\``. */
export function selectorMismatch(
  templatePath: string,
  labels: Readonly<Record<string, string>> | undefined,
  v: KubernetesVersion,
): FieldError {
  return new RenderedValueError(
    `${templatePath}.metadata.labels`,
    renderLabels(labels, v),
    '`selector` does not match template `labels`',
  );
}
