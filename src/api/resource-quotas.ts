// The ResourceQuota kind (v1) in the API server: its ResourceLists, the strategy that leaves status to the quota
// controller (k8s:pkg/registry/core/resourcequota/strategy.go PrepareForCreate clears it) and
// ValidateResourceQuota / ValidateResourceQuotaUpdate (k8s:pkg/apis/core/validation/validation.go).
import { type ApiServer, registerResourceLists } from './apiserver';
import { FieldError, invalid, required } from './field-errors';
import { validateResourceQuantityValue } from './pods';
import type { ResourceQuotaObject } from './quota-admission';
import { isQualifiedName } from './validation';

export function registerResourceQuotaApi(api: ApiServer): void {
  registerResourceLists(api, 'ResourceQuota', [
    ['spec', 'hard'],
    ['status', 'hard'],
    ['status', 'used'],
  ]);
  api.addPreparer('ResourceQuota', (obj) => {
    obj.status = {};
  });
  api.addValidator('ResourceQuota', (obj, old) => {
    const quota = obj as ResourceQuotaObject;
    const errs = validateResourceQuotaSpec(quota);
    if (old) errs.push(...validateScopesUnchanged(quota, old as ResourceQuotaObject));
    return errs;
  });
}

// k8s:pkg/apis/core/helper/helpers.go standardQuotaResources, and the hugepages names it accepts.
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD_RESOURCES = new Set([...STANDARD_QUOTA_RESOURCES, 'storage']);
const isStandardQuotaResource = (name: string) =>
  STANDARD_QUOTA_RESOURCES.has(name) ||
  name.startsWith('hugepages-') ||
  name.startsWith('requests.hugepages-');

const SCOPES = [
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
];
// IsResourceQuotaScopeValidForResource: scoped quotas limit pods only; BestEffort pods ask for no compute.
const POD_COMPUTE = new Set([
  'cpu',
  'memory',
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
]);
function scopeValidFor(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (SCOPES.includes(scope)) return resource === 'pods' || POD_COMPUTE.has(resource);
  return true;
}

/** A value Go prints without quotes (a core.ResourceName is a fmt.Stringer; slices print as `%#v`). */
class GoValueError extends FieldError {
  constructor(field: string, text: string, detail: string) {
    super('Invalid value', field, text, detail);
  }
  override body(): string {
    return `${this.type}: ${this.value}: ${this.detail}`;
  }
}

const goScopes = (scopes: readonly string[]) =>
  `[]core.ResourceQuotaScope{${scopes.map((s) => JSON.stringify(s)).join(', ')}}`;

// ValidateResourceQuotaResourceName: a qualified name, standard or fully qualified, and a quota resource.
function validateQuotaResourceName(name: string, field: string): FieldError[] {
  const bad = (detail: string) => new GoValueError(field, name, detail);
  const errs = isQualifiedName(name).map(bad);
  if (errs.length > 0 || name.includes('/')) return errs;
  if (
    !STANDARD_RESOURCES.has(name) &&
    !name.startsWith('hugepages-') &&
    !name.startsWith('requests.hugepages-')
  )
    errs.push(bad('must be a standard resource type or fully qualified'));
  if (!isStandardQuotaResource(name)) errs.push(bad('must be a standard resource for quota'));
  return errs;
}

export function validateResourceQuotaSpec(quota: ResourceQuotaObject): FieldError[] {
  const spec = quota.spec ?? {};
  const errs: FieldError[] = [];
  // Go ranges over the map in random order; kubespec takes the keys sorted.
  const hard = Object.keys(spec.hard ?? {}).sort();
  for (const name of hard) {
    const field = `spec.hard[${name}]`;
    errs.push(...validateQuotaResourceName(name, field));
    errs.push(...validateResourceQuantityValue(name, spec.hard?.[name], field));
  }
  const scopes = spec.scopes ?? [];
  const scopeSet = new Set<string>();
  for (const scope of scopes) {
    if (!SCOPES.includes(scope))
      errs.push(new GoValueError('spec.scopes', goScopes(scopes), 'unsupported scope'));
    for (const name of hard) {
      if (isStandardQuotaResource(name) && !scopeValidFor(scope, name))
        errs.push(new GoValueError('spec.scopes', goScopes(scopes), 'unsupported scope applied to resource'));
    }
    scopeSet.add(scope);
  }
  if (conflicting(scopeSet))
    errs.push(new GoValueError('spec.scopes', goScopes(scopes), 'conflicting scopes'));
  errs.push(...validateScopeSelector(quota, hard));
  return errs;
}

const conflicting = (set: ReadonlySet<string>) =>
  (set.has('BestEffort') && set.has('NotBestEffort')) ||
  (set.has('Terminating') && set.has('NotTerminating'));

// validateScopedResourceSelectorRequirement, for the parts whose rendering kubespec can reproduce.
function validateScopeSelector(quota: ResourceQuotaObject, hard: readonly string[]): FieldError[] {
  const expressions = quota.spec?.scopeSelector?.matchExpressions ?? [];
  const errs: FieldError[] = [];
  const path = 'spec.scopeSelector.matchExpressions';
  const scopeSet = new Set<string>();
  for (const req of expressions) {
    if (!SCOPES.includes(req.scopeName))
      errs.push(new GoValueError(`${path}.scopeName`, req.scopeName, 'unsupported scope'));
    for (const name of hard) {
      if (isStandardQuotaResource(name) && !scopeValidFor(req.scopeName, name))
        errs.push(invalid(path, req.scopeName, 'unsupported scope applied to resource'));
    }
    if (req.scopeName !== 'PriorityClass' && SCOPES.includes(req.scopeName) && req.operator !== 'Exists') {
      errs.push(
        new GoValueError(
          `${path}.operator`,
          req.operator,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    const values = req.values ?? [];
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (values.length === 0)
        errs.push(
          required(
            `${path}.values`,
            "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
          ),
        );
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (values.length > 0)
        errs.push(
          new GoValueError(
            `${path}.values`,
            `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`,
            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
          ),
        );
    } else {
      errs.push(new GoValueError(`${path}.operator`, req.operator, 'not a valid selector operator'));
    }
    scopeSet.add(req.scopeName);
  }
  if (conflicting(scopeSet)) errs.push(invalid(path, 'scopeSelector', 'conflicting scopes'));
  return errs;
}

// ValidateResourceQuotaUpdate: the scopes may not change.
function validateScopesUnchanged(quota: ResourceQuotaObject, old: ResourceQuotaObject): FieldError[] {
  const now = new Set(quota.spec?.scopes ?? []);
  const before = new Set(old.spec?.scopes ?? []);
  const same = now.size === before.size && [...now].every((s) => before.has(s));
  return same
    ? []
    : [new GoValueError('spec.scopes', goScopes(quota.spec?.scopes ?? []), 'field is immutable')];
}
