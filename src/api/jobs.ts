// The Job kind in the API server: batch/v1 defaults (k8s:pkg/apis/batch/v1/defaults.go SetDefaults_Job), the
// registry strategy's generated selector and labels (k8s:pkg/registry/batch/job/strategy.go generateSelector) and
// validation (k8s:pkg/apis/batch/validation/validation.go ValidateJob, ValidateJobUpdate).
import type { Job } from 'kubernetes-types/batch/v1';
import type { KubernetesVersion } from '../sim/version';
import { type ApiServer, sameJson } from './apiserver';
import { type FieldError, invalid, notSupported, required } from './field-errors';
import { validateLabelSelector } from './labels';
import type { Stored } from './object';
import {
  defaultPodTemplate,
  RenderedValueError,
  registerTemplateResourceLists,
  renderLabelSelector,
  renderLabels,
  selectorMatches,
  selectorMismatch,
  validateNonnegative,
  validatePodTemplate,
} from './pod-templates';
import { isDNS1123Label } from './validation';

export type JobObject = Stored<Job>;

/** k8s:staging/src/k8s.io/api/batch/v1/types.go: the labels the generated selector relies on. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
/** The completion index of an Indexed Job's pod, as an annotation and a label. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;

export function registerJobApi(api: ApiServer, version: () => KubernetesVersion): void {
  api.addDefaulter('Job', (obj) => defaultJob(obj as JobObject));
  registerTemplateResourceLists(api, 'Job');
  api.addPreparer('Job', (obj) => {
    obj.status = {};
  });
  // SetDefaults_Job runs again whenever the Job is read back from storage: a Job without labels of its own then
  // gets its template's, which by now include the generated ones.
  api.addCanonicalizer('Job', (obj) => {
    const labels = (obj as JobObject).spec?.template?.metadata?.labels;
    if (labels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels };
  });
  api.addValidator('Job', (obj, old) => {
    const job = obj as JobObject;
    if (old)
      return [...validateJobSpec(job, version()), ...validateJobUpdate(job, old as JobObject, version())];
    // The strategy's Validate generates the selector first: only now is the Job's uid known.
    if (!job.spec?.manualSelector) generateSelector(job);
    return [
      ...validateGeneratedSelector(job, version()),
      ...validateJobSpec(job, version()),
      ...validateName(job),
    ];
  });
}

/** SetDefaults_Job (JobPodReplacementPolicy on) with the template's own defaults. */
export function defaultJob(job: JobObject): void {
  job.spec ??= { template: {} };
  const spec = job.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = { ...templateLabels };
  }
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodTemplate(spec.template);
}

/** generateSelector: the name and uid labels on the template, the uid in the selector. */
function generateSelector(job: JobObject): void {
  const spec = job.spec as NonNullable<JobObject['spec']>;
  spec.template.metadata ??= {};
  const labels = { ...(spec.template.metadata.labels ?? {}) };
  const name = job.metadata.name as string;
  const uid = job.metadata.uid as string;
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  spec.template.metadata.labels = labels;
  spec.selector ??= {};
  spec.selector.matchLabels = { ...(spec.selector.matchLabels ?? {}) };
  spec.selector.matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}

// validateGeneratedSelector: the generated labels are on the template and the selector selects them.
function validateGeneratedSelector(job: JobObject, v: KubernetesVersion): FieldError[] {
  const spec = job.spec;
  if (spec?.manualSelector || !spec?.selector) return [];
  const labels = spec.template?.metadata?.labels ?? {};
  const name = job.metadata.name as string;
  const uid = job.metadata.uid as string;
  const expected: Record<string, string> = {
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
  };
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(expected)) {
    // ValidateHasLabel
    const field = `spec.template.metadata.labels[${key}]`;
    if (!(key in labels)) errs.push(required(field, value));
    else if (labels[key] !== value) {
      errs.push(new RenderedValueError(field, renderLabels(labels, v), `must be '${value}'`));
    }
  }
  if (selectorMatches(spec.selector, expected) === false) {
    errs.push(
      new RenderedValueError(
        'spec.selector',
        renderLabelSelector(spec.selector, v),
        '`selector` not auto-generated',
      ),
    );
  }
  return errs;
}

// ValidateJob: an Indexed Job's pods are named by hostname `<job>-<index>`, which must be a DNS label.
function validateName(job: JobObject): FieldError[] {
  const spec = job.spec;
  if (spec?.completionMode !== 'Indexed' || !spec.completions || spec.completions <= 0) return [];
  const hostname = `${job.metadata.name}-${spec.completions - 1}`;
  if (isDNS1123Label(hostname).length === 0) return [];
  return [
    invalid(
      'metadata.name',
      job.metadata.name,
      `will not able to create pod with invalid DNS label: ${hostname}`,
    ),
  ];
}

/** ValidateJobSpec (pod failure policy, success policy and per-index backoff limits are not simulated). */
export function validateJobSpec(job: JobObject, v: KubernetesVersion): FieldError[] {
  const spec = job.spec;
  if (!spec) return [required('spec')];
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(spec.parallelism, 'spec.parallelism'));
  errs.push(...validateNonnegative(spec.completions, 'spec.completions'));
  errs.push(...validateNonnegative(spec.activeDeadlineSeconds, 'spec.activeDeadlineSeconds'));
  errs.push(...validateNonnegative(spec.backoffLimit, 'spec.backoffLimit'));
  errs.push(...validateNonnegative(spec.ttlSecondsAfterFinished, 'spec.ttlSecondsAfterFinished'));
  const mode = spec.completionMode;
  if (mode !== undefined) {
    if (!COMPLETION_MODES.includes(mode))
      errs.push(notSupported('spec.completionMode', mode, COMPLETION_MODES));
    if (mode === 'Indexed') {
      if (spec.completions === undefined) {
        errs.push(required('spec.completions', 'when completion mode is Indexed'));
      }
      if (spec.parallelism !== undefined && spec.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(
          invalid(
            'spec.parallelism',
            spec.parallelism,
            `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`,
          ),
        );
      }
    }
  }
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined && !POD_REPLACEMENT_POLICIES.includes(replacement)) {
    errs.push(notSupported('spec.podReplacementPolicy', replacement, POD_REPLACEMENT_POLICIES));
  }
  errs.push(...validatePodTemplate(spec.template, 'spec.template'));
  // The template's restartPolicy was defaulted to Always when empty, which a Job cannot use.
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errs.push(required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['OnFailure', 'Never']));
  }
  if (!spec.selector) errs.push(required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const labels = spec.template?.metadata?.labels;
  if (selectorMatches(spec.selector, labels) === false)
    errs.push(selectorMismatch('spec.template', labels, v));
  return errs;
}

// ValidateJobSpecUpdate: the selector, the template, the completion mode and (outside elastic Indexed Jobs) the
// completions cannot change.
function validateJobUpdate(job: JobObject, old: JobObject, v: KubernetesVersion): FieldError[] {
  const spec = job.spec ?? { template: {} };
  const before = old.spec ?? { template: {} };
  const errs: FieldError[] = [];
  const immutable = (field: string, rendered: string) =>
    errs.push(new RenderedValueError(field, rendered, 'field is immutable'));
  if (!sameJson(spec.selector, before.selector)) {
    immutable('spec.selector', renderLabelSelector(spec.selector, v));
  }
  if (!sameJson(spec.template, before.template)) {
    // Go prints the whole internal core.PodTemplateSpec here; kubespec prints the template's JSON instead.
    immutable('spec.template', JSON.stringify(spec.template));
  }
  if (spec.completionMode !== before.completionMode) {
    immutable('spec.completionMode', JSON.stringify(spec.completionMode ?? ''));
  }
  const elastic =
    spec.completionMode === 'Indexed' &&
    spec.completions === spec.parallelism &&
    before.completions === before.parallelism;
  if (spec.completions !== before.completions && !elastic) {
    immutable('spec.completions', String(spec.completions ?? 'null'));
  }
  return errs;
}
