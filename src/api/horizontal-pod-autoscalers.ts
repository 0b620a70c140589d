// The HorizontalPodAutoscaler kind (autoscaling/v2) in the API server: defaults
// (k8s:pkg/apis/autoscaling/v2/defaults.go SetDefaults_HorizontalPodAutoscaler, GenerateHPAScaleUpRules,
// GenerateHPAScaleDownRules) and validation (k8s:pkg/apis/autoscaling/validation/validation.go
// ValidateHorizontalPodAutoscaler, validateMetricSpec, validateBehavior), with a fresh status on create and the
// status kept on update (k8s:pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go).
import type {
  HorizontalPodAutoscaler,
  HPAScalingPolicy,
  HPAScalingRules,
  MetricSpec,
  MetricTarget,
} from 'kubernetes-types/autoscaling/v2';
import type { ApiServer } from './apiserver';
import { type FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import type { Stored } from './object';
import { Quantity } from './quantity';

export type HorizontalPodAutoscalerObject = Stored<HorizontalPodAutoscaler>;

/** autoscaling.DefaultCPUUtilization: the target of an HPA that names no metric. */
const DEFAULT_CPU_UTILIZATION = 80;
/** MaxPeriodSeconds and MaxStabilizationWindowSeconds of the validation package. */
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

// defaultHPAScaleUpRules: the scale-up rate the controller had before behaviors (4 pods or double per 15 s).
const DEFAULT_SCALE_UP: Required<HPAScalingRules> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
// defaultHPAScaleDownRules leaves the window unset: the controller then uses its
// --horizontal-pod-autoscaler-downscale-stabilization flag (5 minutes).
const DEFAULT_SCALE_DOWN: HPAScalingRules = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

export function registerHorizontalPodAutoscalerApi(api: ApiServer): void {
  api.addDefaulter('HorizontalPodAutoscaler', (obj) =>
    defaultHorizontalPodAutoscaler(obj as HorizontalPodAutoscalerObject),
  );
  api.addPreparer('HorizontalPodAutoscaler', (obj) => {
    obj.status = { desiredReplicas: 0 };
  });
  api.addValidator('HorizontalPodAutoscaler', (obj) =>
    validateHorizontalPodAutoscalerSpec(obj as HorizontalPodAutoscalerObject),
  );
}

export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscalerObject): void {
  hpa.spec ??= { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } };
  const spec = hpa.spec;
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
        },
      },
    ];
  }
  // SetDefaults_HorizontalPodAutoscalerBehavior: only a behavior that is given is filled in; without one the
  // controller keeps its pre-behavior algorithm.
  if (spec.behavior) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, DEFAULT_SCALE_UP);
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, DEFAULT_SCALE_DOWN);
  }
}

// copyHPAScalingRules: every field the user set wins over the default.
function withDefaults(given: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  const out: HPAScalingRules = structuredClone(defaults);
  if (given?.selectPolicy !== undefined) out.selectPolicy = given.selectPolicy;
  if (given?.stabilizationWindowSeconds !== undefined)
    out.stabilizationWindowSeconds = given.stabilizationWindowSeconds;
  if (given?.policies !== undefined) out.policies = given.policies;
  return out;
}

/** validateHorizontalPodAutoscalerSpec (HPAScaleToZero off: minReplicas at least 1). */
function validateHorizontalPodAutoscalerSpec(hpa: HorizontalPodAutoscalerObject): FieldError[] {
  const spec = hpa.spec;
  const errs: FieldError[] = [];
  const min = spec?.minReplicas;
  const max = spec?.maxReplicas ?? 0;
  if (min !== undefined && min < 1)
    errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min)
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateReference(spec?.scaleTargetRef, 'spec.scaleTargetRef'));
  (spec?.metrics ?? []).forEach((m, i) => {
    errs.push(...validateMetricSpec(m, `spec.metrics[${i}]`));
  });
  if (spec?.behavior) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}

// ValidateCrossVersionObjectReference: kind and name are path segments (IsValidPathSegmentName).
function validateReference(ref: { kind?: string; name?: string } | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name'] as const) {
    const value = ref?.[key] ?? '';
    if (value === '') errs.push(required(`${path}.${key}`));
    else errs.push(...pathSegmentErrors(value, `${path}.${key}`));
  }
  return errs;
}

// k8s:staging/src/k8s.io/apimachinery/pkg/api/validation/path/name.go IsValidPathSegmentName.
function pathSegmentErrors(value: string, field: string): FieldError[] {
  if (value === '.' || value === '..') return [invalid(field, value, `may not be '${value}'`)];
  const errs: FieldError[] = [];
  for (const bad of ['/', '%']) {
    if (value.includes(bad)) errs.push(invalid(field, value, `may not contain '${bad}'`));
  }
  return errs;
}

const SOURCE_FIELDS: Readonly<Record<string, keyof MetricSpec>> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
const SOURCE_TYPES = Object.keys(SOURCE_FIELDS).sort();

/** validateMetricSpec: the type, the one source it names, and that source's target. */
function validateMetricSpec(spec: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = spec.type ?? '';
  if (type === '') errs.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!SOURCE_FIELDS[type]) errs.push(notSupported(`${path}.type`, type, SOURCE_TYPES));
  const present = (['object', 'external', 'pods', 'resource', 'containerResource'] as const).filter(
    (f) => spec[f] !== undefined && spec[f] !== null,
  );
  if (present[0] === 'resource' && spec.resource) {
    const r = spec.resource;
    if (!r.name) errs.push(required(`${path}.resource.name`, 'must specify a resource name'));
    errs.push(...validateResourceTarget(r.target ?? ({} as MetricTarget), `${path}.resource.target`));
  }
  const expected = SOURCE_FIELDS[type];
  if (expected) {
    if (spec[expected] === undefined || spec[expected] === null)
      errs.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
  } else if (type !== '') {
    // The switch's default case reports the type a second time.
    errs.push(notSupported(`${path}.type`, type, SOURCE_TYPES));
  }
  if (present.length !== 1) {
    for (const f of present.filter((f) => f !== expected))
      errs.push(forbidden(`${path}.${f}`, 'must populate the given metric source only'));
  }
  return errs;
}

// validateMetricTarget plus validateResourceSource's checks on it.
function validateResourceTarget(t: MetricTarget, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!t.type) errs.push(required(`${path}.type`, 'must specify a metric target type'));
  if (t.type !== 'Utilization' && t.type !== 'Value' && t.type !== 'AverageValue')
    errs.push(invalid(`${path}.type`, t.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  for (const key of ['value', 'averageValue'] as const) {
    const q = t[key];
    if (q !== undefined && !isPositive(q))
      errs.push(invalid(`${path}.${key}`, String(q), 'must be positive'));
  }
  if (t.averageUtilization !== undefined && t.averageUtilization < 1)
    errs.push(invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  if (t.averageUtilization === undefined && t.averageValue === undefined)
    errs.push(
      required(`${path}.averageUtilization`, 'must set either a target raw value or a target utilization'),
    );
  if (t.averageUtilization !== undefined && t.averageValue !== undefined)
    errs.push(
      forbidden(`${path}.averageValue`, 'may not set both a target raw value and a target utilization'),
    );
  return errs;
}

function isPositive(q: unknown): boolean {
  try {
    return Quantity.parse(q as string | number).sign() === 1;
  } catch {
    return false;
  }
}

const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

/** validateScalingRules and validateScalingPolicy. */
function validateScalingRules(rules: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && window < 0)
    errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS)
    errs.push(
      invalid(
        `${path}.stabilizationWindowSeconds`,
        window,
        `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`,
      ),
    );
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy))
    errs.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p: HPAScalingPolicy, i) => {
    const at = `${path}.policies[${i}]`;
    if (!POLICY_TYPES.includes(p.type)) errs.push(notSupported(`${at}.type`, p.type ?? '', POLICY_TYPES));
    if (!(p.value > 0)) errs.push(invalid(`${at}.value`, p.value ?? 0, 'must be greater than zero'));
    if (!(p.periodSeconds > 0))
      errs.push(invalid(`${at}.periodSeconds`, p.periodSeconds ?? 0, 'must be greater than zero'));
    if (p.periodSeconds > MAX_PERIOD_SECONDS)
      errs.push(
        invalid(
          `${at}.periodSeconds`,
          p.periodSeconds,
          `must be less than or equal to ${MAX_PERIOD_SECONDS}`,
        ),
      );
  });
  return errs;
}
