// Pods at the API server: defaulting (k8s:pkg/apis/core/v1/defaults.go SetDefaults_Pod, SetDefaults_PodSpec,
// SetDefaults_Container), the Priority admission plugin (k8s:plugin/pkg/admission/priority/admission.go)
// and the part of validation (k8s:pkg/apis/core/validation/validation.go ValidatePodCreate) that the fields
// kubespec simulates need.
import type { Container, ContainerPort, Pod } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { ApiServer } from './apiserver';
import { duplicate, type FieldError, invalid, notSupported, required } from './field-errors';
import { validateNodeAffinity } from './node-affinity';
import type { Stored } from './object';
import { podQOSClass } from './pod-resources';
import { parseQuantity, Quantity } from './quantity';
import { ApiError, type Store } from './store';
import { validateTolerations } from './taints';
import { isDNS1123Label, isQualifiedName, validateLabels } from './validation';

export type PodObject = Stored<Pod>;

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

export function registerPodApi(api: ApiServer, store: Store): void {
  api.addDefaulter('Pod', (obj) => defaultPod(obj as PodObject));
  api.addAdmission('Pod', (obj) => admitPriority(obj as PodObject, store));
  api.addValidator('Pod', (obj) => validatePod(obj as PodObject));
}

export function defaultPod(pod: PodObject): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
  // The registry's PrepareForCreate: a new pod is Pending, with its QoS class.
  pod.status = { phase: 'Pending', qosClass: safeQOS(pod) };
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= imagePullPolicyFor(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  // SetDefaults_Pod: a limit without a request makes the request equal to the limit.
  if (c.resources?.limits) {
    c.resources.requests ??= {};
    for (const [name, value] of Object.entries(c.resources.limits)) {
      if (!(name in c.resources.requests)) c.resources.requests[name] = value;
    }
  }
}

// SetDefaults_Container: `Always` for the latest tag or no tag, `IfNotPresent` otherwise.
function imagePullPolicyFor(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function safeQOS(pod: PodObject): string | undefined {
  try {
    return podQOSClass(pod);
  } catch {
    return undefined; // invalid quantities; validation will refuse the pod
  }
}

function admitPriority(pod: PodObject, store: Store): void {
  const spec = pod.spec as NonNullable<Pod['spec']>;
  const name = pod.metadata.name ?? pod.metadata.generateName ?? '';
  const forbidden = (reason: string) => new ApiError('Forbidden', `pods "${name}" is forbidden: ${reason}`);
  let priority = 0;
  let preemptionPolicy = 'PreemptLowerPriority';
  const classes = [
    ...SYSTEM_PRIORITY_CLASSES,
    ...(store.list('PriorityClass') as unknown as PriorityClass[]),
  ];
  if (spec.priorityClassName) {
    const pc = classes.find((c) => c.metadata?.name === spec.priorityClassName);
    if (!pc) throw forbidden(`no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy ?? preemptionPolicy;
  } else {
    const globalDefault = classes.find((c) => c.globalDefault);
    if (globalDefault) {
      spec.priorityClassName = globalDefault.metadata?.name;
      priority = globalDefault.value;
      preemptionPolicy = globalDefault.preemptionPolicy ?? preemptionPolicy;
    }
  }
  if (spec.priority !== undefined && spec.priority !== priority) {
    throw forbidden(
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== preemptionPolicy) {
    throw forbidden(
      `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  spec.preemptionPolicy = preemptionPolicy;
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);

export function validatePod(pod: PodObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = pod.spec;
  errs.push(...validateLabels(pod.metadata.labels, 'metadata.labels'));
  if (!spec) return [...errs, required('spec')];
  if (!spec.containers || spec.containers.length === 0) errs.push(required('spec.containers'));
  const names = new Set<string>();
  const check = (list: Container[] | undefined, base: string) => {
    (list ?? []).forEach((c, i) => {
      errs.push(...validateContainer(c, `${base}[${i}]`, names));
    });
  };
  check(spec.initContainers, 'spec.initContainers');
  check(spec.containers, 'spec.containers');
  if (spec.restartPolicy && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(notSupported('spec.restartPolicy', spec.restartPolicy, RESTART_POLICIES));
  }
  errs.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  errs.push(...validateTolerations(spec.tolerations, 'spec.tolerations'));
  if (spec.affinity?.nodeAffinity) {
    errs.push(...validateNodeAffinity(spec.affinity.nodeAffinity, 'spec.affinity.nodeAffinity'));
  }
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    errs.push(
      invalid(
        'spec.terminationGracePeriodSeconds',
        spec.terminationGracePeriodSeconds,
        'must be greater than or equal to 0',
      ),
    );
  }
  for (const [name, value] of Object.entries(spec.overhead ?? {})) {
    const q = parseQuantity(value, `spec.overhead[${name}]`);
    if (!(q instanceof Quantity)) errs.push(q);
  }
  return errs;
}

function validateContainer(c: Container, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${path}.name`));
  else {
    for (const msg of isDNS1123Label(c.name)) errs.push(invalid(`${path}.name`, c.name, msg));
    if (names.has(c.name)) errs.push(duplicate(`${path}.name`, c.name));
    names.add(c.name);
  }
  if (!c.image) errs.push(required(`${path}.image`));
  (c.ports ?? []).forEach((p, i) => {
    errs.push(...validatePort(p, `${path}.ports[${i}]`));
  });
  errs.push(...validateResources(c, path));
  return errs;
}

// validation.IsValidPortNum: "must be between 1 and 65535, inclusive".
function validatePort(p: ContainerPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const portRange = 'must be between 1 and 65535, inclusive';
  if (p.containerPort === undefined) errs.push(required(`${path}.containerPort`));
  else if (!(p.containerPort >= 1 && p.containerPort <= 65535)) {
    errs.push(invalid(`${path}.containerPort`, p.containerPort, portRange));
  }
  if (p.hostPort !== undefined && p.hostPort !== 0 && !(p.hostPort >= 1 && p.hostPort <= 65535)) {
    errs.push(invalid(`${path}.hostPort`, p.hostPort, portRange));
  }
  if (p.protocol && !PROTOCOLS.includes(p.protocol))
    errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
  return errs;
}

// ValidateResourceRequirements: valid names and quantities, nothing negative, requests ≤ limits.
function validateResources(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const parsed: Record<'limits' | 'requests', Map<string, Quantity>> = {
    limits: new Map(),
    requests: new Map(),
  };
  for (const which of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(c.resources?.[which] ?? {})) {
      const field = `${path}.resources.${which}[${name}]`;
      if (!STANDARD_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
        const nameErrs = isQualifiedName(name);
        if (nameErrs.length > 0 || !name.includes('/')) {
          errs.push(invalid(field, name, 'must be a standard resource type or fully qualified'));
          continue;
        }
      }
      const q = parseQuantity(value, field);
      if (!(q instanceof Quantity)) {
        errs.push(q);
        continue;
      }
      if (q.sign() < 0) errs.push(invalid(field, q.toString(), 'must be greater than or equal to 0'));
      parsed[which].set(name, q);
    }
  }
  for (const [name, request] of parsed.requests) {
    const limit = parsed.limits.get(name);
    if (limit && request.cmp(limit) > 0) {
      errs.push(
        invalid(
          `${path}.resources.requests`,
          request.toString(),
          `must be less than or equal to ${name} limit of ${limit.toString()}`,
        ),
      );
    }
  }
  return errs;
}
