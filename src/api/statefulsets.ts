// The StatefulSet kind in the API server: apps/v1 defaults (k8s:pkg/apis/apps/v1/defaults.go
// SetDefaults_StatefulSet) and validation (k8s:pkg/apis/apps/validation/validation.go ValidateStatefulSet,
// ValidateStatefulSetUpdate).

import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KubernetesVersion } from '../sim/version';
import { type ApiServer, sameJson } from './apiserver';
import { type FieldError, forbidden, invalid, notSupported, required } from './field-errors';
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
} from './pod-templates';
import { isQualifiedName, validateLabels } from './validation';

export type StatefulSetObject = Stored<StatefulSet>;

const POD_MANAGEMENT_POLICIES = ['OrderedReady', 'Parallel'];
const RETENTION_POLICIES = ['Retain', 'Delete'];

export function registerStatefulSetApi(api: ApiServer, version: () => KubernetesVersion): void {
  api.addDefaulter('StatefulSet', (obj) => defaultStatefulSet(obj as StatefulSetObject));
  registerTemplateResourceLists(api, 'StatefulSet');
  api.addPreparer('StatefulSet', (obj) => {
    obj.status = {};
  });
  api.addValidator('StatefulSet', (obj, old) => {
    const set = obj as StatefulSetObject;
    const errs = validateStatefulSetSpec(set, version());
    return old ? [...errs, ...validateStatefulSetUpdate(set, old as StatefulSetObject)] : errs;
  });
}

/** SetDefaults_StatefulSet, with the nested defaults of the pod template and the claim templates. */
export function defaultStatefulSet(set: StatefulSetObject): void {
  set.spec ??= { selector: undefined as never, serviceName: '', template: {} };
  const spec = set.spec;
  spec.podManagementPolicy ||= 'OrderedReady';
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) {
    spec.updateStrategy.type = 'RollingUpdate';
    spec.updateStrategy.rollingUpdate ??= {};
  }
  if (spec.updateStrategy.type === 'RollingUpdate' && spec.updateStrategy.rollingUpdate) {
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
  for (const claim of spec.volumeClaimTemplates ?? []) defaultClaimTemplate(claim);
}

// A claim template is a whole PersistentVolumeClaim: it gets its kind, SetDefaults_PersistentVolumeClaimSpec and
// the Pending phase SetDefaults_PersistentVolumeClaim gives every claim.
function defaultClaimTemplate(claim: PersistentVolumeClaim): void {
  const c = claim as { apiVersion?: string; kind?: string; spec?: { volumeMode?: string }; status?: object };
  c.apiVersion ||= 'v1';
  c.kind ||= 'PersistentVolumeClaim';
  c.spec ??= {};
  c.spec.volumeMode ??= 'Filesystem';
  c.status = { phase: 'Pending', ...(c.status ?? {}) };
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSetSpec(set: StatefulSetObject, v: KubernetesVersion): FieldError[] {
  const spec = set.spec;
  if (!spec) return [required('spec')];
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy ?? '';
  if (!policy) errs.push(required('spec.podManagementPolicy'));
  else if (!POD_MANAGEMENT_POLICIES.includes(policy)) {
    errs.push(invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(set, v));
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    for (const which of ['whenDeleted', 'whenScaled'] as const) {
      if (!RETENTION_POLICIES.includes(retention[which] ?? '')) {
        errs.push(
          notSupported(
            `spec.persistentVolumeClaimRetentionPolicy.${which}`,
            retention[which],
            RETENTION_POLICIES,
          ),
        );
      }
    }
  }
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (spec.ordinals) errs.push(...validateNonnegative(spec.ordinals.start, 'spec.ordinals.start'));
  const selector = spec.selector;
  if (!selector) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptySelector(selector)) {
      errs.push(
        new RenderedValueError(
          'spec.selector',
          renderLabelSelector(selector, v),
          'empty selector is invalid for statefulset',
        ),
      );
    }
  }
  // ValidatePodTemplateSpecForStatefulSet: the selector, the labels and annotations; the pod spec itself is not
  // validated (its volumes would refer to the claim templates).
  // LabelSelectorAsSelector: a missing selector selects nothing, an empty one everything.
  const labels = spec.template?.metadata?.labels;
  const matches = selectorMatches(selector, labels);
  const everything = selector !== undefined && isEmptySelector(selector);
  if (matches === undefined) {
    errs.push(new RenderedValueError('spec.selector', renderLabelSelector(selector, v), ''));
  } else if (!matches && !everything) {
    errs.push(selectorMismatch('spec.template', labels, v));
  }
  errs.push(...validateLabels(labels, 'spec.template.labels'));
  for (const key of Object.keys(spec.template?.metadata?.annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) {
      errs.push(invalid('spec.template.annotations', key, msg));
    }
  }
  const restartPolicy = spec.template?.spec?.restartPolicy;
  if (restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy ?? '', ['Always']));
  }
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(
      forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in StatefulSet is not Supported',
      ),
    );
  }
  return errs;
}

function validateUpdateStrategy(set: StatefulSetObject, v: KubernetesVersion): FieldError[] {
  const strategy = set.spec?.updateStrategy ?? {};
  const rolling = strategy.rollingUpdate;
  switch (strategy.type ?? '') {
    case '':
      return [required('spec.updateStrategy')];
    case 'OnDelete':
      return rolling
        ? [
            new RenderedValueError(
              'spec.updateStrategy.rollingUpdate',
              renderRollingUpdate(rolling, v),
              "only allowed for updateStrategy 'RollingUpdate'",
            ),
          ]
        : [];
    case 'RollingUpdate':
      return rolling
        ? validateNonnegative(rolling.partition, 'spec.updateStrategy.rollingUpdate.partition')
        : [];
    default:
      return [
        new RenderedValueError(
          'spec.updateStrategy',
          renderStrategy(strategy.type ?? '', rolling, v),
          "must be 'RollingUpdate' or 'OnDelete'",
        ),
      ];
  }
}

// The internal apps types print with their Go field names, in either rendering.
type RollingUpdate = NonNullable<
  NonNullable<NonNullable<StatefulSet['spec']>['updateStrategy']>['rollingUpdate']
>;

function renderRollingUpdate(r: RollingUpdate, v: KubernetesVersion): string {
  const partition = r.partition ?? 0;
  if (rendersJson(v)) return `{"Partition":${partition},"MaxUnavailable":null}`;
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${partition}, MaxUnavailable:(*intstr.IntOrString)(nil)}`;
}

function renderStrategy(type: string, r: RollingUpdate | undefined, v: KubernetesVersion): string {
  if (rendersJson(v)) {
    return `{"Type":${JSON.stringify(type)},"RollingUpdate":${r ? renderRollingUpdate(r, v) : 'null'}}`;
  }
  const rolling = r
    ? `(*apps.RollingUpdateStatefulSetStrategy)(${renderRollingUpdate(r, v)})`
    : '(*apps.RollingUpdateStatefulSetStrategy)(nil)';
  return `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${rolling}}`;
}

const UPDATABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
];

/** ValidateStatefulSetUpdate: only some fields of the spec may change. */
function validateStatefulSetUpdate(set: StatefulSetObject, old: StatefulSetObject): FieldError[] {
  const rest = (s: StatefulSetObject) => {
    const copy: Record<string, unknown> = { ...(s.spec ?? {}) };
    for (const key of [...UPDATABLE, 'minReadySeconds']) delete copy[key];
    return copy;
  };
  if (sameJson(rest(set), rest(old))) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}
