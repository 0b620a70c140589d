// The DaemonSet kind in the API server: apps/v1 defaults (k8s:pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet),
// the registry strategy's template generation (k8s:pkg/registry/apps/daemonset/strategy.go, kept in the
// `deprecated.daemonset.template.generation` annotation as apps/v1 conversion keeps it) and validation
// (k8s:pkg/apis/apps/validation/validation.go ValidateDaemonSet, ValidateDaemonSetUpdate).
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { KubernetesVersion } from '../sim/version';
import { type ApiServer, sameJson } from './apiserver';
import { type FieldError, forbidden, notSupported, required } from './field-errors';
import { validateLabelSelector } from './labels';
import type { Stored } from './object';
import {
  defaultPodTemplate,
  isEmptySelector,
  RenderedValueError,
  registerTemplateResourceLists,
  renderLabelSelector,
  rendersJson,
  selectorMatches,
  selectorMismatch,
  validateNonnegative,
  validatePodTemplate,
} from './pod-templates';

export type DaemonSetObject = Stored<DaemonSet>;

/** apps.DeprecatedTemplateGeneration: the template generation, bumped by each change of the template. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export function registerDaemonSetApi(api: ApiServer, version: () => KubernetesVersion): void {
  api.addDefaulter('DaemonSet', (obj) => defaultDaemonSet(obj as DaemonSetObject));
  registerTemplateResourceLists(api, 'DaemonSet');
  // PrepareForCreate: no status, template generation 1.
  api.addPreparer('DaemonSet', (obj) => {
    obj.status = {};
    obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: '1' };
  });
  api.addValidator('DaemonSet', (obj, old) => {
    const ds = obj as DaemonSetObject;
    if (!old) return validateDaemonSetSpec(ds, version());
    // PrepareForUpdate (the simulated API server runs it here, where the old object is known): a changed
    // template is a new template generation.
    const before = old as DaemonSetObject;
    const generation = Number(before.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '1');
    const changed = !sameJson(ds.spec?.template, before.spec?.template);
    ds.metadata.annotations = {
      ...(ds.metadata.annotations ?? {}),
      [TEMPLATE_GENERATION_ANNOTATION]: String(changed ? generation + 1 : generation),
    };
    return [...validateDaemonSetSpec(ds, version()), ...validateSelectorUnchanged(ds, before, version())];
  });
}

/** SetDefaults_DaemonSet, with the pod template's own defaults. */
export function defaultDaemonSet(ds: DaemonSetObject): void {
  ds.spec ??= { selector: undefined as never, template: {} };
  const spec = ds.spec;
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ||= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSetSpec(ds: DaemonSetObject, v: KubernetesVersion): FieldError[] {
  const spec = ds.spec;
  if (!spec) return [required('spec')];
  const errs = validateLabelSelector(spec.selector, 'spec.selector');
  // LabelSelectorAsSelector: a missing selector selects nothing, so it cannot match the template either.
  const labels = spec.template?.metadata?.labels;
  if (selectorMatches(spec.selector, labels) === false)
    errs.push(selectorMismatch('spec.template', labels, v));
  if (spec.selector && isEmptySelector(spec.selector)) {
    errs.push(
      new RenderedValueError(
        'spec.selector',
        renderLabelSelector(spec.selector, v),
        'empty selector is invalid for daemonset',
      ),
    );
  }
  errs.push(...validatePodTemplate(spec.template, 'spec.template'));
  const restartPolicy = spec.template?.spec?.restartPolicy;
  if (restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy ?? '', ['Always']));
  }
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(
      forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in DaemonSet is not Supported',
      ),
    );
  }
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateUpdateStrategy(spec.updateStrategy, v));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

type Strategy = NonNullable<NonNullable<DaemonSet['spec']>['updateStrategy']>;
type IntOrString = number | string;

// ValidateDaemonSetUpdateStrategy and ValidateRollingUpdateDaemonSet.
function validateUpdateStrategy(strategy: Strategy | undefined, v: KubernetesVersion): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (strategy?.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const rolling = strategy.rollingUpdate;
      if (!rolling) return [required(`${path}.rollingUpdate`)];
      const unavailable = rolling.maxUnavailable as IntOrString | undefined;
      const surge = rolling.maxSurge as IntOrString | undefined;
      const errs = [
        ...validateIntOrPercent(unavailable, `${path}.rollingUpdate.maxUnavailable`, v),
        ...validateIntOrPercent(surge, `${path}.rollingUpdate.maxSurge`, v),
      ];
      const hasUnavailable = intOrPercentValue(unavailable) !== 0;
      const hasSurge = intOrPercentValue(surge) !== 0;
      if (hasUnavailable && hasSurge) {
        errs.push(
          new RenderedValueError(
            `${path}.rollingUpdate.maxSurge`,
            renderIntOrString(surge, v),
            'may not be set when maxUnavailable is non-zero',
          ),
        );
      } else if (!hasUnavailable && !hasSurge) {
        errs.push(required(`${path}.rollingUpdate.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      }
      return errs;
    }
    default:
      return [
        new RenderedValueError(
          path,
          renderStrategy(strategy?.type ?? '', v),
          'supported values: "RollingUpdate", "OnDelete"',
          'Unsupported value',
        ),
      ];
  }
}

const PERCENT = /^[0-9]+%$/;

// ValidatePositiveIntOrPercent and IsNotMoreThan100Percent.
function validateIntOrPercent(
  value: IntOrString | undefined,
  field: string,
  v: KubernetesVersion,
): FieldError[] {
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) {
      return [
        new RenderedValueError(
          field,
          renderIntOrString(value, v),
          "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ),
      ];
    }
    if (Number.parseInt(value, 10) > 100) {
      return [new RenderedValueError(field, renderIntOrString(value, v), 'must not be greater than 100%')];
    }
    return [];
  }
  return validateNonnegative(value, field);
}

function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'string') return PERCENT.test(value) ? Number.parseInt(value, 10) : 0;
  return value ?? 0;
}

// intstr.IntOrString: %#v of the struct up to v1.33, its JSON (a number or a string) from v1.34.
function renderIntOrString(value: IntOrString | undefined, v: KubernetesVersion): string {
  if (rendersJson(v)) return JSON.stringify(value ?? 0);
  return typeof value === 'string'
    ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(value)}}`
    : `intstr.IntOrString{Type:0, IntVal:${value ?? 0}, StrVal:""}`;
}

function renderStrategy(type: string, v: KubernetesVersion): string {
  if (rendersJson(v)) return `{"Type":${JSON.stringify(type)},"RollingUpdate":null}`;
  return `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(type)}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}`;
}

// The apps/v1 strategy's ValidateUpdate: the selector is immutable.
function validateSelectorUnchanged(
  ds: DaemonSetObject,
  old: DaemonSetObject,
  v: KubernetesVersion,
): FieldError[] {
  if (sameJson(ds.spec?.selector, old.spec?.selector)) return [];
  return [
    new RenderedValueError('spec.selector', renderLabelSelector(ds.spec?.selector, v), 'field is immutable'),
  ];
}
