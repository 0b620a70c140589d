// What an object costs a ResourceQuota: the quota evaluators of k8s:pkg/quota/v1/evaluator/core (pods.go,
// services.go, persistent_volume_claims.go, registry.go) and the object-count evaluator of
// k8s:staging/src/k8s.io/apiserver/pkg/quota/v1/generic/evaluator.go. Shared by the quota admission plugin and
// the resource quota controller, so both charge the same usage.
import type {
  Container,
  Pod,
  PodAffinityTerm,
  ScopedResourceSelectorRequirement,
} from 'kubernetes-types/core/v1';
import { knownKinds, qualifiedResource } from './kinds';
import type { KubeObject } from './object';
import { podQOSClass } from './pod-resources';
import { Quantity } from './quantity';
import { addLists, type QuotaList, quotaList } from './quota-lists';
import { isQualifiedName } from './validation';

export interface QuotaEvaluator {
  kind: string;
  /** MatchingResources: the names of `input` this evaluator charges. */
  matchingResources(input: readonly string[]): string[];
  /** Usage of one object at `now` (ms). */
  usage(obj: KubeObject, now: number): QuotaList;
  /** Whether the object matches one scope selector of a quota. */
  matchesScope(selector: ScopedResourceSelectorRequirement, obj: KubeObject): boolean;
  /** Constraints: a reason to refuse the object outright, or undefined. */
  constraints(required: readonly string[], obj: KubeObject): string | undefined;
}

const one = () => Quantity.fromValue(1);

// ---- pods (k8s:pkg/quota/v1/evaluator/core/pods.go)

const POD_RESOURCES = new Set([
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
]);

// "it was a mistake, but if a quota tracks cpu or memory related resources, the incoming pod is required to have
// those values set" (validationSet).
const VALIDATION_SET = new Set([
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
]);

const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
// helper.IsExtendedResourceName: not native, not `requests.`-prefixed, and `requests.<name>` is a qualified name.
const isExtended = (name: string) =>
  !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
const isExtendedForQuota = (name: string) => !isNative(name) && name.startsWith('requests.');

/** podComputeUsageHelper: what a set of requests and limits charges, `pods` included. */
export function podComputeUsage(requests: QuotaList, limits: QuotaList): QuotaList {
  const result: QuotaList = new Map([['pods', one()]]);
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    const request = requests.get(name);
    if (request) {
      result.set(name, request);
      result.set(`requests.${name}`, request);
    }
    const limit = limits.get(name);
    if (limit) result.set(`limits.${name}`, limit);
  }
  for (const [name, request] of requests) {
    if (name.startsWith('hugepages-')) {
      result.set(name, request);
      result.set(`requests.${name}`, request);
    }
    if (isExtended(name)) result.set(`requests.${name}`, request);
  }
  return result;
}

/**
 * PodRequests / PodLimits (k8s:staging/src/k8s.io/component-helpers/resource/helpers.go) in exact quantities:
 * containers and sidecars summed, the largest ordinary init container (with the sidecars started before it)
 * if larger; overhead added to every request, and to a limit only where the pod has one.
 */
export function podAggregate(pod: Pod, which: 'requests' | 'limits', withOverhead = true): QuotaList {
  const of = (c: Container) => quotaList(c.resources?.[which]);
  let result: QuotaList = new Map();
  for (const c of pod.spec?.containers ?? []) result = addLists(result, of(c));
  let sidecars: QuotaList = new Map();
  const initPeak: QuotaList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    let during: QuotaList;
    if (c.restartPolicy === 'Always') {
      result = addLists(result, of(c));
      sidecars = addLists(sidecars, of(c));
      during = sidecars;
    } else {
      during = addLists(of(c), sidecars);
    }
    for (const [name, q] of during) {
      const current = initPeak.get(name);
      if (!current || q.cmp(current) > 0) initPeak.set(name, q);
    }
  }
  for (const [name, q] of initPeak) {
    const current = result.get(name);
    if (!current || q.cmp(current) > 0) result.set(name, q);
  }
  for (const [name, q] of withOverhead ? quotaList(pod.spec?.overhead) : []) {
    const current = result.get(name);
    if (which === 'requests') result.set(name, current ? current.add(q) : q);
    else if (current) result.set(name, current.add(q));
  }
  return result;
}

/**
 * QuotaV1Pod: a pod stops being charged for compute once it is Succeeded or Failed, or once its deletion's grace
 * period has passed (a pod stuck terminating on a lost node).
 */
export function podCountsForCompute(pod: Pod, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata ?? {};
  if (deletionTimestamp && deletionGracePeriodSeconds !== undefined) {
    if (now > Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

/** PodUsageFunc: count/pods always (objects in storage), compute only while the pod counts. */
export function podUsage(pod: Pod, now: number): QuotaList {
  const result: QuotaList = new Map([['count/pods', one()]]);
  if (!podCountsForCompute(pod, now)) return result;
  return addLists(result, podComputeUsage(podAggregate(pod, 'requests'), podAggregate(pod, 'limits')));
}

/** Constraints: with a quota on cpu or memory, every container must declare what the quota tracks. */
export function podConstraints(required: readonly string[], pod: Pod): string | undefined {
  const requiredSet = required.filter((r) => VALIDATION_SET.has(r));
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const declared = podComputeUsage(quotaList(c.resources?.requests), quotaList(c.resources?.limits));
    for (const name of requiredSet) {
      if (declared.has(name)) continue;
      if (!missing.has(name)) missing.set(name, new Set());
      missing.get(name)?.add(c.name);
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()]
    .sort()
    .map((name) => `${name} for: ${[...(missing.get(name) as Set<string>)].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

const crossNamespace = (t: PodAffinityTerm | undefined) =>
  !!t && ((t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined);

function usesCrossNamespacePodAffinity(pod: Pod): boolean {
  const { podAffinity, podAntiAffinity } = pod.spec?.affinity ?? {};
  return [podAffinity, podAntiAffinity].some(
    (a) =>
      (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(crossNamespace) ||
      (a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).some((w) =>
        crossNamespace(w.podAffinityTerm),
      ),
  );
}

/** podMatchesScopeFunc. */
export function podMatchesScope(selector: ScopedResourceSelectorRequirement, pod: Pod): boolean {
  const terminating = (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
  switch (selector.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return podQOSClass(pod) === 'BestEffort';
    case 'NotBestEffort':
      return podQOSClass(pod) !== 'BestEffort';
    case 'PriorityClass':
      return priorityClassMatches(selector, pod.spec?.priorityClassName ?? '');
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespacePodAffinity(pod);
    default:
      return false;
  }
}

// podMatchesSelector: the selector is a label selector on the one label `PriorityClass=<name>` (none without a
// class); `Exists` is checked directly.
function priorityClassMatches(selector: ScopedResourceSelectorRequirement, className: string): boolean {
  const values = selector.values ?? [];
  switch (selector.operator) {
    case 'Exists':
      return className !== '';
    case 'DoesNotExist':
      return className === '';
    case 'In':
      return className !== '' && values.includes(className);
    case 'NotIn':
      return className === '' || !values.includes(className);
    default:
      return false;
  }
}

const podEvaluator: QuotaEvaluator = {
  kind: 'Pod',
  matchingResources: (input) =>
    input.filter(
      (r) =>
        POD_RESOURCES.has(r) ||
        r.startsWith('hugepages-') ||
        r.startsWith('requests.hugepages-') ||
        isExtendedForQuota(r),
    ),
  usage: (obj, now) => podUsage(obj as Pod, now),
  matchesScope: (selector, obj) => podMatchesScope(selector, obj as Pod),
  constraints: (required, obj) => podConstraints(required, obj as Pod),
};

// ---- services (k8s:pkg/quota/v1/evaluator/core/services.go)

const SERVICE_RESOURCES = new Set([
  'count/services',
  'services',
  'services.nodeports',
  'services.loadbalancers',
]);

interface ServiceLike {
  spec?: {
    type?: string;
    ports?: { port?: number; nodePort?: number }[];
    allocateLoadBalancerNodePorts?: boolean;
  };
}

/** Service usage: one service, its node ports (the intent: every port, or only explicit ones without allocation). */
export function serviceUsage(svc: ServiceLike): QuotaList {
  const result: QuotaList = new Map([
    ['count/services', one()],
    ['services', one()],
  ]);
  const ports = svc.spec?.ports ?? [];
  if (svc.spec?.type === 'NodePort') result.set('services.nodeports', Quantity.fromValue(ports.length));
  if (svc.spec?.type === 'LoadBalancer') {
    const counted =
      svc.spec.allocateLoadBalancerNodePorts === false
        ? ports.filter((p) => p.nodePort).length
        : ports.length;
    result.set('services.nodeports', Quantity.fromValue(counted));
    result.set('services.loadbalancers', one());
  }
  return result;
}

const noScope = () => false;
const noConstraints = () => undefined;

const serviceEvaluator: QuotaEvaluator = {
  kind: 'Service',
  matchingResources: (input) => input.filter((r) => SERVICE_RESOURCES.has(r)),
  usage: (obj) => serviceUsage(obj as ServiceLike),
  matchesScope: noScope,
  constraints: noConstraints,
};

// ---- persistent volume claims (k8s:pkg/quota/v1/evaluator/core/persistent_volume_claims.go)

const PVC_RESOURCES = new Set(['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage']);
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

interface ClaimLike {
  spec?: { storageClassName?: string; resources?: { requests?: Record<string, string> } };
}

export function claimUsage(pvc: ClaimLike): QuotaList {
  const result: QuotaList = new Map([
    ['count/persistentvolumeclaims', one()],
    ['persistentvolumeclaims', one()],
  ]);
  const className = pvc.spec?.storageClassName ?? '';
  if (className) result.set(`${className}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, one());
  const storage = pvc.spec?.resources?.requests?.storage;
  if (storage !== undefined) {
    const q = Quantity.parse(storage);
    result.set('requests.storage', q);
    if (className) result.set(`${className}${STORAGE_CLASS_SUFFIX}requests.storage`, q);
  }
  return result;
}

const claimEvaluator: QuotaEvaluator = {
  kind: 'PersistentVolumeClaim',
  matchingResources: (input) =>
    input.filter(
      (r) =>
        PVC_RESOURCES.has(r) ||
        (r.includes(STORAGE_CLASS_SUFFIX) &&
          (r.endsWith('/persistentvolumeclaims') || r.endsWith('/requests.storage'))),
    ),
  usage: (obj) => claimUsage(obj as ClaimLike),
  matchesScope: noScope,
  constraints: noConstraints,
};

// ---- object counts (generic.NewObjectCountEvaluator), with the legacy names of registry.go

const LEGACY_ALIASES: Record<string, string> = {
  ConfigMap: 'configmaps',
  ResourceQuota: 'resourcequotas',
  ReplicationController: 'replicationcontrollers',
  Secret: 'secrets',
};

function objectCountEvaluator(kind: string): QuotaEvaluator {
  const names = [`count/${qualifiedResource(kind)}`, ...(LEGACY_ALIASES[kind] ? [LEGACY_ALIASES[kind]] : [])];
  return {
    kind,
    matchingResources: (input) => input.filter((r) => names.includes(r)),
    usage: () => new Map(names.map((n) => [n, one()])),
    matchesScope: noScope,
    constraints: noConstraints,
  };
}

const SPECIAL: readonly QuotaEvaluator[] = [podEvaluator, serviceEvaluator, claimEvaluator];

/** Every evaluator: the three with special logic, and an object count for every other namespaced kind. */
export const QUOTA_EVALUATORS: readonly QuotaEvaluator[] = [
  ...SPECIAL,
  ...knownKinds()
    .filter((k) => k.namespaced && k.kind !== 'Event' && !SPECIAL.some((e) => e.kind === k.kind))
    .map((k) => objectCountEvaluator(k.kind)),
];

export function evaluatorFor(kind: string): QuotaEvaluator | undefined {
  return QUOTA_EVALUATORS.find((e) => e.kind === kind);
}

export interface QuotaScopeSpec {
  scopes?: readonly string[];
  scopeSelector?: { matchExpressions?: readonly ScopedResourceSelectorRequirement[] };
}

/** getScopeSelectorsFromQuota: each scope as an Exists requirement, then the scopeSelector's expressions. */
export function scopeSelectors(spec: QuotaScopeSpec | undefined): ScopedResourceSelectorRequirement[] {
  return [
    ...(spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })),
    ...(spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

/** generic.Matches: the quota limits something this evaluator charges, and the object is in every scope. */
export function quotaMatches(
  evaluator: QuotaEvaluator,
  hard: readonly string[],
  spec: QuotaScopeSpec | undefined,
  obj: KubeObject,
): boolean {
  if (evaluator.matchingResources(hard).length === 0) return false;
  return scopeSelectors(spec).every((s) => evaluator.matchesScope(s, obj));
}
