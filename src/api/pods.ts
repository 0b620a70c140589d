// Pods at the API server: defaulting (k8s:pkg/apis/core/v1/defaults.go SetDefaults_Pod, SetDefaults_PodSpec,
// SetDefaults_Container), the registry strategy (k8s:pkg/registry/core/pod/strategy.go), the Priority
// admission plugin (k8s:plugin/pkg/admission/priority/admission.go) with the PriorityClass rules it and
// k8s:pkg/apis/scheduling/validation/validation.go enforce, and the part of validation
// (k8s:pkg/apis/core/validation/validation.go ValidatePodCreate, ValidatePodUpdate) that the fields kubespec
// simulates need, in the order Kubernetes checks them.
import type { Container, ContainerPort, Pod, Toleration } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import {
  type ApiServer,
  canonicalizeResourceLists,
  type ResourceListPath,
  registerResourceLists,
  sameJson,
} from './apiserver';
import { duplicate, FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import { qualifiedResource } from './kinds';
import { validateNodeAffinity } from './node-affinity';
import type { KubeObject, Stored } from './object';
import { podQOSClass } from './pod-resources';
import { Quantity } from './quantity';
import { ApiError, type Store } from './store';
import { validateTolerations } from './taints';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, validateLabels } from './validation';

export type PodObject = Stored<Pod>;
type PriorityClassObject = Stored<PriorityClass>;

// k8s:pkg/apis/scheduling/types.go: the built-in classes every cluster has.
export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: 2_000_000_000,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    preemptionPolicy: 'PreemptLowerPriority',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: 2_000_001_000,
    description: 'Used for system critical pods that must not be moved from their current node.',
    preemptionPolicy: 'PreemptLowerPriority',
  },
];

/** k8s:pkg/apis/scheduling/types.go HighestUserDefinablePriority. */
const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

const POD_RESOURCE_LISTS: readonly ResourceListPath[] = [
  ['spec', 'containers', '*', 'resources', 'limits'],
  ['spec', 'containers', '*', 'resources', 'requests'],
  ['spec', 'initContainers', '*', 'resources', 'limits'],
  ['spec', 'initContainers', '*', 'resources', 'requests'],
  ['spec', 'ephemeralContainers', '*', 'resources', 'limits'],
  ['spec', 'ephemeralContainers', '*', 'resources', 'requests'],
  ['spec', 'overhead'],
  ['spec', 'resources', 'limits'],
  ['spec', 'resources', 'requests'],
];

export function registerPodApi(api: ApiServer, store: Store): void {
  api.addDefaulter('Pod', (obj) => defaultPod(obj as PodObject));
  registerResourceLists(api, 'Pod', POD_RESOURCE_LISTS);
  api.addAdmission('Pod', (obj) => admitPriority(obj as PodObject, store));
  api.addPreparer('Pod', (obj) => preparePodForCreate(obj as PodObject));
  api.addValidator('Pod', (obj, old) =>
    old ? validatePodUpdate(obj as PodObject, old as PodObject) : validatePod(obj as PodObject),
  );

  api.addDefaulter('PriorityClass', (obj) => {
    (obj as PriorityClassObject).preemptionPolicy ??= 'PreemptLowerPriority';
  });
  api.addAdmission('PriorityClass', (obj) => admitPriorityClass(obj as PriorityClassObject, store));
  api.addValidator('PriorityClass', (obj, old) =>
    validatePriorityClass(obj as PriorityClassObject, old as PriorityClassObject | undefined),
  );
}

export function defaultPod(pod: PodObject): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;
  // Go defaults an empty string like a missing one; pointers only when nil.
  spec.restartPolicy ||= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ||= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
}

// PrepareForCreate: a new pod is Pending, with its QoS class.
function preparePodForCreate(pod: PodObject): void {
  pod.status = { phase: 'Pending', qosClass: podQOSClass(pod) };
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= imagePullPolicyFor(c.image);
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // ContainerPort.protocol is defaulted declaratively (`+default="TCP"` in k8s:staging/src/k8s.io/api/core/v1/types.go).
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  // SetDefaults_Pod: a limit without a request makes the request equal to the limit.
  if (c.resources?.limits) {
    c.resources.requests ??= {};
    for (const [name, value] of Object.entries(c.resources.limits)) {
      if (!(name in c.resources.requests)) c.resources.requests[name] = value;
    }
  }
}

// SetDefaults_Container: `Always` when the image's tag is latest, which it is when the reference names neither
// tag nor digest (k8s:pkg/util/parsers/parsers.go ParseImageName); an unparsable reference has no tag.
function imagePullPolicyFor(image: string | undefined): string {
  const m = IMAGE_REFERENCE.exec(image ?? '');
  if (!m) return 'IfNotPresent';
  const [, tag, digest] = m;
  return tag === 'latest' || (!tag && !digest) ? 'Always' : 'IfNotPresent';
}

// github.com/distribution/reference regexp.go ReferenceRegexp: [domain[:port]/]path[:tag][@digest], the path
// in lower case.
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*` +
    '(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$',
);

function priorityClasses(store: Store): PriorityClass[] {
  return store.list('PriorityClass') as unknown as PriorityClass[];
}

// getDefaultPriorityClass: with several global defaults (a race), the lowest value wins.
function globalDefault(store: Store): PriorityClass | undefined {
  return priorityClasses(store)
    .filter((c) => c.globalDefault)
    .reduce<PriorityClass | undefined>((low, c) => (low && low.value <= c.value ? low : c), undefined);
}

function admitPriority(pod: PodObject, store: Store): void {
  const spec = pod.spec as NonNullable<Pod['spec']>;
  const name = pod.metadata.name ?? pod.metadata.generateName ?? '';
  const forbid = (reason: string, field: string) =>
    new ApiError('Forbidden', `pods "${name}" is forbidden: ${reason}`, [], field);
  let priority = 0;
  let preemptionPolicy = 'PreemptLowerPriority';
  if (spec.priorityClassName) {
    const pc = priorityClasses(store).find((c) => c.metadata?.name === spec.priorityClassName);
    if (!pc) {
      throw forbid(
        `no PriorityClass with name ${spec.priorityClassName} was found`,
        'spec.priorityClassName',
      );
    }
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy ?? preemptionPolicy;
  } else {
    const pc = globalDefault(store);
    if (pc) {
      spec.priorityClassName = pc.metadata?.name;
      priority = pc.value;
      preemptionPolicy = pc.preemptionPolicy ?? preemptionPolicy;
    }
  }
  if (spec.priority !== undefined && spec.priority !== priority) {
    throw forbid(
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      'spec.priority',
    );
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== preemptionPolicy) {
    throw forbid(
      `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      'spec.preemptionPolicy',
    );
  }
  spec.priority = priority;
  spec.preemptionPolicy = preemptionPolicy;
}

// The plugin's Validate for PriorityClasses: one global default at most.
function admitPriorityClass(pc: PriorityClassObject, store: Store): void {
  if (!pc.globalDefault) return;
  const current = globalDefault(store);
  if (current && current.metadata?.name !== pc.metadata.name) {
    throw new ApiError(
      'Forbidden',
      `${qualifiedResource('PriorityClass')} "${pc.metadata.name}" is forbidden: PriorityClass ${current.metadata?.name} is already marked as default. Only one default can exist`,
      [],
      'globalDefault',
    );
  }
}

// k8s:pkg/apis/scheduling/validation/validation.go ValidatePriorityClass, ValidatePriorityClassUpdate.
function validatePriorityClass(pc: PriorityClassObject, old: PriorityClassObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata.name ?? '';
  if (name.startsWith('system-')) {
    const problem = knownSystemPriorityClassProblem(name, pc.value ?? 0, pc.globalDefault ?? false);
    if (problem) {
      errs.push(
        forbidden(
          'metadata.name',
          `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`,
        ),
      );
    }
  } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(
      forbidden(
        'value',
        `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
      ),
    );
  }
  errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, 'preemptionPolicy'));
  if (old) {
    if (pc.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
    if (pc.preemptionPolicy !== old.preemptionPolicy) {
      errs.push(invalid('preemptionPolicy', pc.preemptionPolicy, 'field is immutable'));
    }
  }
  return errs;
}

// k8s:pkg/apis/scheduling/v1/helpers.go IsKnownSystemPriorityClass.
function knownSystemPriorityClassProblem(
  name: string,
  value: number,
  isDefault: boolean,
): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.metadata?.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if ((known.globalDefault ?? false) !== isDefault) {
    return `globalDefault of ${name} PriorityClass must be ${known.globalDefault ?? false}`;
  }
  return undefined;
}

function validatePreemptionPolicy(policy: string | undefined, field: string): FieldError[] {
  if (policy === undefined || policy === 'PreemptLowerPriority' || policy === 'Never') return [];
  if (policy === '') return [required(field)];
  return [notSupported(field, policy, ['PreemptLowerPriority', 'Never'])];
}

// Defaulting has filled these in, so only a value outside the list can be wrong.
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
// sets.List(supportedPortProtocols): sorted.
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_INT32 = 2 ** 31 - 1;

/** ValidatePodCreate without the object metadata, which the API server checks for every kind. */
export function validatePod(pod: PodObject): FieldError[] {
  const errs = validatePodSpec(pod);
  const spec = pod.spec;
  if (spec?.ephemeralContainers?.length) {
    errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  }
  if (spec?.nodeName && spec.schedulingGates?.length) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

// validatePodMetadataAndSpec: ValidatePodSpec, then the checks only a Pod (not a template) gets. Workload
// templates (k8s:pkg/apis/core/validation/validation.go ValidatePodTemplateSpec) use it on their spec.
export function validatePodSpec(pod: PodObject): FieldError[] {
  const spec = pod.spec;
  if (!spec) return [required('spec')];
  const errs: FieldError[] = [];
  errs.push(...validateContainers(spec.containers, 'spec.containers', new Set()));
  const regularNames = new Set((spec.containers ?? []).map((c) => c.name));
  errs.push(...validateContainers(spec.initContainers, 'spec.initContainers', regularNames, true));
  if (!RESTART_POLICIES.includes(spec.restartPolicy ?? '')) {
    errs.push(notSupported('spec.restartPolicy', spec.restartPolicy, RESTART_POLICIES));
  }
  if (!DNS_POLICIES.includes(spec.dnsPolicy ?? '')) {
    errs.push(notSupported('spec.dnsPolicy', spec.dnsPolicy, DNS_POLICIES));
  }
  errs.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  if (spec.affinity?.nodeAffinity) {
    errs.push(...validateNodeAffinity(spec.affinity.nodeAffinity, 'spec.affinity.nodeAffinity'));
  }
  const subdomainField = (field: string, value: string | undefined) =>
    value ? isDNS1123Subdomain(value).map((msg) => invalid(field, value, msg)) : [];
  errs.push(...subdomainField('spec.serviceAccountName', spec.serviceAccountName));
  errs.push(...subdomainField('spec.nodeName', spec.nodeName));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(
      invalid('spec.activeDeadlineSeconds', deadline, `must be between 1 and ${MAX_INT32}, inclusive`),
    );
  }
  for (const field of ['hostname', 'subdomain'] as const) {
    const value = spec[field];
    if (value) errs.push(...isDNS1123Label(value).map((msg) => invalid(`spec.${field}`, value, msg)));
  }
  if (spec.tolerations?.length) errs.push(...validateTolerations(spec.tolerations, 'spec.tolerations'));
  errs.push(...subdomainField('spec.priorityClassName', spec.priorityClassName));
  // validateOverhead reuses the container check on a ResourceRequirements holding only limits.
  if (spec.overhead) errs.push(...validateResources({ limits: spec.overhead }, 'spec.overhead'));
  // validateContainersOnlyForPod.
  for (const [list, base] of [
    [spec.containers, 'spec.containers'],
    [spec.initContainers, 'spec.initContainers'],
  ] as const) {
    (list ?? []).forEach((c, i) => {
      if (c.image && c.image.trim() !== c.image) {
        errs.push(invalid(`${base}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

// validateContainers / validateInitContainers: each container's common checks, then the rules of its list.
// Names are unique across regular and init containers.
function validateContainers(
  list: Container[] | undefined,
  base: string,
  otherNames: ReadonlySet<string>,
  init = false,
): FieldError[] {
  if (!init && (!list || list.length === 0)) return [required(base)];
  const errs: FieldError[] = [];
  const names = new Set(otherNames);
  (list ?? []).forEach((c, i) => {
    const path = `${base}[${i}]`;
    errs.push(...validateContainerCommon(c, path));
    if (init && c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      errs.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    if (names.has(c.name)) errs.push(duplicate(`${path}.name`, c.name));
    else if (c.name || !init) names.add(c.name);
    if (!init && c.restartPolicy !== undefined) {
      errs.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
    }
  });
  return errs;
}

function validateContainerCommon(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${path}.name`));
  else for (const msg of isDNS1123Label(c.name)) errs.push(invalid(`${path}.name`, c.name, msg));
  if (!c.image) errs.push(required(`${path}.image`));
  const tmp = c.terminationMessagePolicy as string;
  if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validatePorts(c.ports, `${path}.ports`));
  if (!PULL_POLICIES.includes(c.imagePullPolicy as string)) {
    errs.push(notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  }
  errs.push(...validateResources(c.resources ?? {}, `${path}.resources`));
  return errs;
}

// validateContainerPorts; validation.IsValidPortNum says "must be between 1 and 65535, inclusive".
function validatePorts(ports: ContainerPort[] | undefined, base: string): FieldError[] {
  const errs: FieldError[] = [];
  const portRange = 'must be between 1 and 65535, inclusive';
  (ports ?? []).forEach((p, i) => {
    const path = `${base}[${i}]`;
    if (!p.containerPort) errs.push(required(`${path}.containerPort`));
    else if (!(p.containerPort >= 1 && p.containerPort <= 65535)) {
      errs.push(invalid(`${path}.containerPort`, p.containerPort, portRange));
    }
    if (p.hostPort && !(p.hostPort >= 1 && p.hostPort <= 65535)) {
      errs.push(invalid(`${path}.hostPort`, p.hostPort, portRange));
    }
    if (!PROTOCOLS.includes(p.protocol as string)) {
      errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    }
  });
  return errs;
}

// k8s:pkg/apis/core/helper/helpers.go: the names a container may ask for, and which ones may be overcommitted.
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  ...STANDARD_CONTAINER_RESOURCES,
  'pods',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string) =>
  !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
const isOvercommitAllowed = (name: string) => isNative(name) && !isHugePages(name);
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const isIntegerResource = (name: string) => INTEGER_RESOURCES.has(name) || isExtended(name);

/**
 * An Invalid value Go prints without quotes: a core.ResourceName (a fmt.Stringer) or a struct (`%#v`). The
 * value is kept as the text Go prints.
 */
class UnquotedValueError extends FieldError {
  constructor(field: string, text: string, detail: string) {
    super('Invalid value', field, text, detail);
  }

  override body(): string {
    return `${this.type}: ${this.value}: ${this.detail}`;
  }
}

// validateContainerResourceName (via validateResourceName).
export function validateResourceName(name: string, field: string): FieldError[] {
  const bad = (detail: string) => new UnquotedValueError(field, name, detail);
  const errs = isQualifiedName(name).map(bad);
  if (errs.length > 0) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(bad('must be a standard resource type or fully qualified'));
    }
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(bad('must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(bad("doesn't follow extended resource name standard"));
  }
  return errs;
}

// validateResourceRequirements: limits, then requests (checked against their limits). Decoding has already
// refused every value that is not a quantity.
function validateResources(
  resources: { limits?: Record<string, unknown>; requests?: Record<string, unknown> },
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const limits = new Map<string, Quantity>();
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  for (const [name, raw] of Object.entries(resources.limits ?? {})) {
    errs.push(...validateResourceName(name, `${limPath}[${name}]`));
    errs.push(...validateResourceQuantityValue(name, raw, `${limPath}[${name}]`));
    limits.set(name, Quantity.parse(raw as string | number));
  }
  for (const [name, raw] of Object.entries(resources.requests ?? {})) {
    const q = Quantity.parse(raw as string | number);
    const field = `${reqPath}[${name}]`;
    errs.push(...validateResourceName(name, field));
    errs.push(...validateResourceQuantityValue(name, raw, field));
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(
          invalid(
            reqPath,
            q.toString(),
            `must be less than or equal to ${name} limit of ${limit.toString()}`,
          ),
        );
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

/** ValidateResourceQuantityValue: not negative, and whole for integer resources (pods, extended resources). */
export function validateResourceQuantityValue(name: string, raw: unknown, field: string): FieldError[] {
  const q = Quantity.parse(raw as string | number);
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(invalid(field, q.toString(), 'must be greater than or equal to 0'));
  if (isIntegerResource(name) && q.milliValue() % 1000 !== 0) {
    errs.push(new UnquotedValueError(field, goQuantityRepr(raw), 'must be an integer'));
  }
  return errs;
}

/**
 * `%#v` of the resource.Quantity ParseQuantity builds for `raw` (the validation passes the Quantity value, which
 * is no fmt.Stringer): its int64Amount as parsed, and the input text when ParseQuantity judged it canonical.
 * Values too large for the int64 path are shown as Go would without the pointer address, which Go varies.
 */
export function goQuantityRepr(raw: unknown): string {
  const str = String(raw);
  const m = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(str) as RegExpExecArray;
  const [, sign, intDigits, denom = '', suffix] = m;
  const num = intDigits === '' ? '0' : intDigits;
  const q = Quantity.parse(str);
  const shifted = num + denom;
  const decimal = q.format !== 'BinarySI';
  const exponent = decimal ? decimalExponent(suffix) : 0;
  const scale = exponent - denom.length;
  const binaryShift = decimal ? 0n : BigInt(binaryPower(suffix));
  let value = BigInt(shifted) << binaryShift;
  if (sign === '-') value = -value;
  const canonical = decimal
    ? scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0'
    : binaryPower(suffix) % 10 === 0 && (BigInt(shifted) & 7n) !== 0n;
  const s = canonical ? str : '';
  return `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${decimal ? scale : 0}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(s)}, Format:${JSON.stringify(q.format)}}`;
}

function decimalExponent(suffix: string): number {
  const e = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  if (e) return Number(e[1]);
  return { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }[suffix] ?? 0;
}

function binaryPower(suffix: string): number {
  return { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }[suffix] ?? 0;
}

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/**
 * ValidatePodUpdate: the pod must still be valid, and its spec may change only in the updatable fields.
 * Kubernetes follows the refusal with a diff of the two specs (go-cmp output, which is deliberately unstable);
 * kubespec leaves the diff out.
 */
export function validatePodUpdate(pod: PodObject, old: PodObject): FieldError[] {
  const errs = validatePodSpec(pod);
  const spec = pod.spec as NonNullable<Pod['spec']>;
  const oldSpec = old.spec as NonNullable<Pod['spec']>;
  for (const [which, base] of [
    ['containers', 'spec.containers'],
    ['initContainers', 'spec.initContainers'],
  ] as const) {
    const now = spec[which] ?? [];
    if (now.length !== (oldSpec[which] ?? []).length) {
      return [...errs, forbidden(base, 'pod updates may not add or remove containers')];
    }
    now.forEach((c, i) => {
      if (!c.image) errs.push(required(`${base}[${i}].image`));
    });
  }
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > MAX_INT32) {
      return [
        ...errs,
        invalid('spec.activeDeadlineSeconds', deadline, `must be between 0 and ${MAX_INT32}, inclusive`),
      ];
    }
    if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds < deadline) {
      return [
        ...errs,
        invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value'),
      ];
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined) {
    errs.push(
      invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'),
    );
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations ?? [], oldSpec.tolerations ?? []));
  const oldGates = new Set((oldSpec.schedulingGates ?? []).map((g) => g.name));
  (spec.schedulingGates ?? []).forEach((g, i) => {
    if (!oldGates.has(g.name)) {
      errs.push(
        forbidden(
          `spec.schedulingGates[${i}].name`,
          `only deletion is allowed, but found new scheduling gate '${g.name}'`,
        ),
      );
    }
  });
  const next = comparableSpec(pod);
  const before = comparableSpec(old);
  if (sameJson(next, before)) return errs;
  next.containers = (next.containers ?? []).map((c, i) => ({ ...c, image: before.containers?.[i]?.image }));
  next.initContainers = next.initContainers?.map((c, i) => ({
    ...c,
    image: before.initContainers?.[i]?.image,
  }));
  next.activeDeadlineSeconds = before.activeDeadlineSeconds;
  next.schedulingGates = before.schedulingGates;
  next.tolerations = before.tolerations;
  const beforeGrace = before.terminationGracePeriodSeconds;
  if (beforeGrace !== undefined && beforeGrace < 0 && next.terminationGracePeriodSeconds === 1) {
    next.terminationGracePeriodSeconds = beforeGrace;
  }
  if (!sameJson(next, before)) {
    errs.push(
      forbidden(
        'spec',
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`,
      ),
    );
  }
  return errs;
}

/** The spec with its quantities in canonical form: Semantic.DeepEqual compares quantities by value. */
function comparableSpec(pod: PodObject): NonNullable<Pod['spec']> {
  const copy = structuredClone(pod) as KubeObject;
  canonicalizeResourceLists(copy, POD_RESOURCE_LISTS);
  return copy.spec as NonNullable<Pod['spec']>;
}

// validateOnlyAddedTolerations: every old toleration must still be there, its tolerationSeconds aside.
function validateOnlyAddedTolerations(now: Toleration[], old: Toleration[]): FieldError[] {
  for (const t of old) {
    const kept = now.some((n) => sameJson({ ...t, tolerationSeconds: n.tolerationSeconds }, n));
    if (!kept) {
      return [
        forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'),
      ];
    }
  }
  return validateTolerations(now, 'spec.tolerations');
}
