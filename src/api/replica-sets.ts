// The ReplicaSet, ReplicationController and Deployment kinds in the API server: defaults
// (k8s:pkg/apis/apps/v1/defaults.go SetDefaults_ReplicaSet, SetDefaults_Deployment;
// k8s:pkg/apis/core/v1/defaults.go SetDefaults_ReplicationController) and validation
// (k8s:pkg/apis/apps/validation/validation.go ValidateReplicaSetSpec, ValidateDeploymentSpec,
// ValidatePodTemplateSpecForReplicaSet; k8s:pkg/apis/core/validation/validation.go
// ValidateReplicationControllerSpec), with the selector immutable on update in apps/v1
// (k8s:pkg/registry/apps/replicaset/strategy.go, deployment/strategy.go ValidateUpdate).
import type { Deployment, DeploymentStrategy, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec, ReplicationController } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KubernetesVersion } from '../sim/version';
import { type ApiServer, sameJson } from './apiserver';
import { type FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import { selectorFromSet, validateLabelSelector } from './labels';
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

export type ReplicaSetObject = Stored<ReplicaSet>;
export type ReplicationControllerObject = Stored<ReplicationController>;
export type DeploymentObject = Stored<Deployment>;
/** A rolling update's maxSurge or maxUnavailable: a count or a percentage string. */
export type IntOrPercent = number | string;

export function registerReplicaSetApi(api: ApiServer, version: () => KubernetesVersion): void {
  api.addDefaulter('ReplicaSet', (obj) => {
    const rs = obj as ReplicaSetObject;
    rs.spec ??= { selector: undefined as never };
    rs.spec.replicas ??= 1;
    defaultPodTemplate(rs.spec.template);
  });
  api.addDefaulter('ReplicationController', (obj) =>
    defaultReplicationController(obj as ReplicationControllerObject),
  );
  api.addDefaulter('Deployment', (obj) => defaultDeployment(obj as DeploymentObject));
  for (const kind of ['ReplicaSet', 'ReplicationController', 'Deployment']) {
    registerTemplateResourceLists(api, kind);
    api.addPreparer(kind, (obj) => {
      obj.status = {};
    });
  }
  api.addValidator('ReplicaSet', (obj, old) => {
    const spec = (obj as ReplicaSetObject).spec;
    const errs = validateReplicaSetLikeSpec(spec, 'ReplicaSet', version());
    return old
      ? [...errs, ...immutableSelector(spec?.selector, (old as ReplicaSetObject).spec?.selector, version())]
      : errs;
  });
  api.addValidator('Deployment', (obj, old) => {
    const spec = (obj as DeploymentObject).spec;
    const errs = validateDeploymentSpec(obj as DeploymentObject, version());
    return old
      ? [...errs, ...immutableSelector(spec?.selector, (old as DeploymentObject).spec?.selector, version())]
      : errs;
  });
  api.addValidator('ReplicationController', (obj) =>
    validateReplicationControllerSpec(obj as ReplicationControllerObject, version()),
  );
}

// SetDefaults_ReplicationController: an empty selector, and empty labels, are the template's labels.
function defaultReplicationController(rc: ReplicationControllerObject): void {
  rc.spec ??= {};
  const labels = rc.spec.template?.metadata?.labels;
  if (labels) {
    if (Object.keys(rc.spec.selector ?? {}).length === 0) rc.spec.selector = { ...labels };
    if (Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...labels };
  }
  rc.spec.replicas ??= 1;
  defaultPodTemplate(rc.spec.template);
}

/** SetDefaults_Deployment: 1 replica, RollingUpdate 25%/25%, 10 old ReplicaSets kept, 600s to progress. */
export function defaultDeployment(d: DeploymentObject): void {
  d.spec ??= { selector: undefined as never, template: {} };
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  const strategy = spec.strategy;
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate ??= {};
    strategy.rollingUpdate.maxUnavailable ??= '25%';
    strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

interface ReplicaSetLikeSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

/** ValidateReplicaSetSpec; ValidateDeploymentSpec starts the same way. */
function validateReplicaSetLikeSpec(
  spec: ReplicaSetLikeSpec | undefined,
  kind: string,
  v: KubernetesVersion,
  minReadySecondsFirst = true,
): FieldError[] {
  const errs: FieldError[] = [...validateNonnegative(spec?.replicas, 'spec.replicas')];
  if (minReadySecondsFirst) errs.push(...validateNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  const selector = spec?.selector;
  if (!selector) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    // The message says "deployment" for ReplicaSets too: both share the check.
    if (isEmptySelector(selector)) {
      errs.push(
        new RenderedValueError(
          'spec.selector',
          renderLabelSelector(selector, v),
          'empty selector is invalid for deployment',
        ),
      );
    }
  }
  const labels = spec?.template?.metadata?.labels;
  const matches = selectorMatches(selector, labels);
  if (matches === undefined) {
    errs.push(
      new RenderedValueError('spec.selector', renderLabelSelector(selector, v), 'invalid label selector'),
    );
    return errs;
  }
  // LabelSelectorAsSelector: a missing selector selects nothing (so the labels do not match), an empty one
  // everything (not checked).
  if (!matches && !(selector && isEmptySelector(selector)))
    errs.push(selectorMismatch('spec.template', labels, v));
  errs.push(...templateForReplicas(spec?.template, kind));
  return errs;
}

// The rest of ValidatePodTemplateSpecForReplicaSet / ValidatePodTemplateSpecForRC: the template as a pod
// template, restartPolicy Always, no activeDeadlineSeconds.
function templateForReplicas(template: PodTemplateSpec | undefined, kind: string): FieldError[] {
  if (!template) return [required('spec.template')];
  const errs = validatePodTemplate(template, 'spec.template');
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline !== undefined) {
    errs.push(
      invalid(
        'spec.template.spec.activeDeadlineSeconds',
        deadline,
        `activeDeadlineSeconds in ${kind} is not Supported`,
      ),
    );
  }
  return errs;
}

/** ValidateDeploymentSpec. */
function validateDeploymentSpec(d: DeploymentObject, v: KubernetesVersion): FieldError[] {
  const spec = d.spec;
  const errs = validateReplicaSetLikeSpec(spec, 'Deployment', v, false);
  errs.push(...validateStrategy(spec?.strategy, v));
  errs.push(...validateNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  if (spec?.revisionHistoryLimit !== undefined) {
    errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  }
  const deadline = spec?.progressDeadlineSeconds;
  if (deadline !== undefined) {
    errs.push(...validateNonnegative(deadline, 'spec.progressDeadlineSeconds'));
    if (deadline <= (spec?.minReadySeconds ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

// ValidateDeploymentStrategy and ValidateRollingUpdateDeployment.
function validateStrategy(strategy: DeploymentStrategy | undefined, v: KubernetesVersion): FieldError[] {
  const type = strategy?.type ?? '';
  const rolling = strategy?.rollingUpdate;
  if (type === 'Recreate') {
    return rolling
      ? [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")]
      : [];
  }
  if (type !== 'RollingUpdate') {
    return [
      new RenderedValueError(
        'spec.strategy',
        renderStrategy(type, rolling, v),
        'supported values: "Recreate", "RollingUpdate"',
        'Unsupported value',
      ),
    ];
  }
  if (!rolling) return [required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
  const path = 'spec.strategy.rollingUpdate';
  const errs = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.maxUnavailable`, v),
    ...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.maxSurge`, v),
  ];
  if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
    errs.push(
      new RenderedValueError(
        `${path}.maxUnavailable`,
        renderIntOrString(rolling.maxUnavailable, v),
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  }
  const unavailable = rolling.maxUnavailable;
  if (
    typeof unavailable === 'string' &&
    PERCENT.test(unavailable) &&
    Number.parseInt(unavailable, 10) > 100
  ) {
    errs.push(
      new RenderedValueError(
        `${path}.maxUnavailable`,
        renderIntOrString(unavailable, v),
        'must not be greater than 100%',
      ),
    );
  }
  return errs;
}

export const PERCENT = /^[0-9]+%$/;
const PERCENT_MESSAGE =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

// ValidatePositiveIntOrPercent: a percentage string, or a non-negative count.
export function validatePositiveIntOrPercent(
  value: IntOrPercent | undefined,
  field: string,
  v: KubernetesVersion,
): FieldError[] {
  if (typeof value === 'string') {
    return PERCENT.test(value)
      ? []
      : [new RenderedValueError(field, renderIntOrString(value, v), PERCENT_MESSAGE)];
  }
  return validateNonnegative(value ?? 0, field);
}

// getIntOrPercentValue: a percentage's number, a count itself; an unparsable string counts as 0.
function intOrPercentValue(value: IntOrPercent | undefined): number {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  const n = Number.parseInt(value.replace(/%$/, ''), 10);
  return Number.isNaN(n) ? 0 : n;
}

/** An intstr.IntOrString value: its JSON form, or Go's %#v of the struct up to v1.33. */
export function renderIntOrString(value: IntOrPercent | undefined, v: KubernetesVersion): string {
  const isString = typeof value === 'string';
  if (rendersJson(v)) return JSON.stringify(value ?? 0);
  return `intstr.IntOrString{Type:${isString ? 1 : 0}, IntVal:${isString ? 0 : (value ?? 0)}, StrVal:${JSON.stringify(isString ? value : '')}}`;
}

// The internal apps.DeploymentStrategy prints with its Go field names in either rendering.
function renderStrategy(
  type: string,
  rolling: DeploymentStrategy['rollingUpdate'] | undefined,
  v: KubernetesVersion,
): string {
  if (rendersJson(v)) {
    const r = rolling
      ? `{"MaxUnavailable":${JSON.stringify(rolling.maxUnavailable ?? null)},"MaxSurge":${JSON.stringify(rolling.maxSurge ?? null)}}`
      : 'null';
    return `{"Type":${JSON.stringify(type)},"RollingUpdate":${r}}`;
  }
  // %#v prints a set pointer as its address, which differs from run to run: kubespec cannot reproduce it.
  const r = rolling
    ? '(*apps.RollingUpdateDeployment)(0xc000000000)'
    : '(*apps.RollingUpdateDeployment)(nil)';
  return `apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${r}}`;
}

function immutableSelector(
  selector: LabelSelector | undefined,
  old: LabelSelector | undefined,
  v: KubernetesVersion,
): FieldError[] {
  if (sameJson(selector, old)) return [];
  return [new RenderedValueError('spec.selector', renderLabelSelector(selector, v), 'field is immutable')];
}

/** ValidateReplicationControllerSpec: minReadySeconds, a non-empty selector, replicas, the template. */
function validateReplicationControllerSpec(
  rc: ReplicationControllerObject,
  v: KubernetesVersion,
): FieldError[] {
  const spec = rc.spec;
  const errs = validateNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds');
  const selector = spec?.selector ?? {};
  const empty = Object.keys(selector).length === 0;
  if (empty) errs.push(required('spec.selector'));
  errs.push(...validateNonnegative(spec?.replicas, 'spec.replicas'));
  if (!spec?.template) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = spec.template.metadata?.labels;
  if (!empty && !selectorFromSet(selector).matches(labels))
    errs.push(selectorMismatch('spec.template', labels, v));
  errs.push(...templateForReplicas(spec.template, 'ReplicationController'));
  return errs;
}
