// The PodDisruptionBudget kind (policy/v1) in the API server. policy/v1 has no defaults for the spec
// (SetDefaults_PodDisruptionBudgetSpec's minAvailable=1 was policy/v1beta1 only); the strategy clears the
// status on create (k8s:pkg/registry/policy/poddisruptionbudget/strategy.go PrepareForCreate) and validation is
// k8s:pkg/apis/policy/validation/validation.go ValidatePodDisruptionBudgetSpec. Spec updates are allowed.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KubernetesVersion } from '../sim/version';
import type { ApiServer } from './apiserver';
import { type FieldError, notSupported } from './field-errors';
import { validateLabelSelector } from './labels';
import type { Stored } from './object';
import { RenderedValueError, renderLabelSelector, rendersJson } from './pod-templates';
import { type IntOrPercent, PERCENT, renderIntOrString, validatePositiveIntOrPercent } from './replica-sets';

export type PodDisruptionBudgetObject = Stored<PodDisruptionBudget>;

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

export function registerPodDisruptionBudgetApi(api: ApiServer, version: () => KubernetesVersion): void {
  api.addPreparer('PodDisruptionBudget', (obj) => {
    obj.status = {};
  });
  api.addValidator('PodDisruptionBudget', (obj) =>
    validatePodDisruptionBudgetSpec(obj as PodDisruptionBudgetObject, version()),
  );
}

export function validatePodDisruptionBudgetSpec(
  pdb: PodDisruptionBudgetObject,
  v: KubernetesVersion,
): FieldError[] {
  const spec = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(
      new RenderedValueError(
        'spec',
        renderSpec(pdb, v),
        'minAvailable and maxUnavailable cannot be both set',
      ),
    );
  }
  for (const field of ['minAvailable', 'maxUnavailable'] as const) {
    const value = spec[field];
    if (value === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(value, `spec.${field}`, v));
    // IsNotMoreThan100Percent.
    if (typeof value === 'string' && PERCENT.test(value) && Number.parseInt(value, 10) > 100) {
      errs.push(
        new RenderedValueError(`spec.${field}`, renderIntOrString(value, v), 'must not be greater than 100%'),
      );
    }
  }
  errs.push(...validateLabelSelector(spec.selector ?? undefined, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !UNHEALTHY_POD_EVICTION_POLICIES.includes(policy)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

// The internal policy.PodDisruptionBudgetSpec has no JSON tags: from v1.34 its Go field names are the keys;
// up to v1.33 %#v prints set pointers as addresses, which differ from run to run (shown as 0xc000000000).
function renderSpec(pdb: PodDisruptionBudgetObject, v: KubernetesVersion): string {
  const spec = pdb.spec ?? {};
  if (rendersJson(v)) {
    const intOr = (x: IntOrPercent | undefined) => (x === undefined ? 'null' : JSON.stringify(x));
    const selector = spec.selector ? renderLabelSelector(spec.selector, v) : 'null';
    const policy = spec.unhealthyPodEvictionPolicy ? JSON.stringify(spec.unhealthyPodEvictionPolicy) : 'null';
    return `{"MinAvailable":${intOr(spec.minAvailable)},"Selector":${selector},"MaxUnavailable":${intOr(spec.maxUnavailable)},"UnhealthyPodEvictionPolicy":${policy}}`;
  }
  const ptr = (type: string, set: boolean) => `(*${type})(${set ? '0xc000000000' : 'nil'})`;
  return `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr('intstr.IntOrString', spec.minAvailable !== undefined)}, Selector:${ptr('v1.LabelSelector', Boolean(spec.selector))}, MaxUnavailable:${ptr('intstr.IntOrString', spec.maxUnavailable !== undefined)}, UnhealthyPodEvictionPolicy:${ptr('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy !== undefined)}}`;
}
