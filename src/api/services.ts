// Services at the API server: defaulting (k8s:pkg/apis/core/v1/defaults.go SetDefaults_Service), the service
// REST storage's allocation of ClusterIPs and NodePorts (k8s:pkg/registry/core/service/storage/storage.go
// beginCreate/beginUpdate and alloc.go), the strategy (k8s:pkg/registry/core/service/strategy.go) and validation
// (k8s:pkg/apis/core/validation/validation.go ValidateService, ValidateServiceUpdate). As in Kubernetes, values
// are allocated before the object is validated, so a refused port or address is reported even when other
// fields are wrong too.
import { isIP } from 'node:net';
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { RandomStream } from '../network/range-allocator';
import {
  AllocationError,
  DEFAULT_NODE_PORT_RANGE,
  DEFAULT_SERVICE_CIDR,
  NodePortAllocator,
  ServiceIPAllocator,
} from '../network/service-allocators';
import { type ApiServer, invalid as invalidObject } from './apiserver';
import { duplicate, FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import type { Stored } from './object';
import { ApiError, type Store } from './store';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, validateLabels } from './validation';

export type ServiceObject = Stored<Service>;

/** k8s:pkg/apis/core/types.go ClusterIPNone */
export const CLUSTER_IP_NONE = 'None';
/** k8s:pkg/apis/core/types.go DefaultClientIPServiceAffinitySeconds and MaxClientIPServiceAffinitySeconds. */
export const DEFAULT_AFFINITY_SECONDS = 10800;
const MAX_AFFINITY_SECONDS = 86400;

// Salts of the allocators' random streams, so that neither shifts the other nor any other random choice.
const CLUSTER_IP_SALT = 0x5e7c01;
const NODE_PORT_SALT = 0x5e7c02;

export interface ServiceApiOptions {
  serviceCIDR?: string;
  seed: number;
}

export interface ServiceAllocators {
  clusterIPs: ServiceIPAllocator<ServiceObject>;
  nodePorts: NodePortAllocator<ServiceObject>;
}

export const isHeadless = (svc: ServiceObject) =>
  svc.spec?.clusterIPs?.length === 1 && svc.spec.clusterIPs[0] === CLUSTER_IP_NONE;

/** apiservice.ExternallyAccessible (k8s:pkg/api/service/util.go). */
const externallyAccessible = (spec: NonNullable<Service['spec']>) =>
  spec.type === 'LoadBalancer' ||
  spec.type === 'NodePort' ||
  (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);

/** apiservice.NeedsHealthCheck */
const needsHealthCheck = (spec: NonNullable<Service['spec']>) =>
  spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

const needsNodePort = (spec: NonNullable<Service['spec']>) =>
  spec.type === 'NodePort' || spec.type === 'LoadBalancer';

/**
 * Registers the Service kind with the API server and returns its allocators. A value stays allocated while a
 * stored Service holds it, or while the Service asking for it is being created or updated.
 */
export function registerServiceApi(
  api: ApiServer,
  store: Store,
  options: ServiceApiOptions,
): ServiceAllocators {
  let inFlight: ServiceObject | undefined;
  const stored = (owner: ServiceObject) => {
    if (owner === inFlight) return owner;
    const { namespace, name, uid } = owner.metadata;
    const live =
      uid && name ? (store.get('Service', namespace, name) as ServiceObject | undefined) : undefined;
    return live?.metadata.uid === uid ? live : undefined;
  };
  const allocators: ServiceAllocators = {
    clusterIPs: new ServiceIPAllocator(
      options.serviceCIDR ?? DEFAULT_SERVICE_CIDR,
      new RandomStream(options.seed, CLUSTER_IP_SALT),
      (owner, ip) => stored(owner)?.spec?.clusterIPs?.includes(ip) ?? false,
    ),
    nodePorts: new NodePortAllocator(
      DEFAULT_NODE_PORT_RANGE.base,
      DEFAULT_NODE_PORT_RANGE.size,
      new RandomStream(options.seed, NODE_PORT_SALT),
      (owner, port) => {
        const spec = stored(owner)?.spec;
        return spec?.healthCheckNodePort === port || (spec?.ports ?? []).some((p) => p.nodePort === port);
      },
    ),
  };
  const allocating = (svc: ServiceObject, work: () => void) => {
    inFlight = svc;
    try {
      work();
    } finally {
      inFlight = undefined;
    }
  };

  api.addDecodeCheck('Service', (obj) => undecodable(obj as ServiceObject));
  api.addDefaulter('Service', (obj) => defaultService(obj as ServiceObject));
  // beginCreate runs after mutating admission (NamespaceLifecycle) and before the strategy and validation.
  api.addAdmission('Service', (obj) =>
    allocating(obj as ServiceObject, () => allocateOnCreate(obj as ServiceObject, allocators)),
  );
  api.addPreparer('Service', (obj) => {
    obj.status = { loadBalancer: {} };
  });
  api.addValidator('Service', (obj, old) => {
    const svc = obj as ServiceObject;
    if (!old) return validateService(svc);
    // An update has no beginUpdate hook of its own: allocation and the strategy's PrepareForUpdate run here,
    // before validation, in the order the service storage runs them.
    const before = old as ServiceObject;
    allocating(svc, () => allocateOnUpdate(svc, before, allocators));
    dropTypeDependentFields(svc, before);
    return [...validateClusterIPsUpdate(svc, before), ...validateService(svc)];
  });
  return allocators;
}

// ---- decoding and defaulting ------------------------------------------------------------------

const INT32_FIELDS = ['port', 'nodePort'] as const;

// The JSON decoder stops at the first value it cannot read: a selector value that is not a string (a
// set-based selector has no place in a Service), then a ServicePort field that is not an int32.
function undecodable(svc: ServiceObject): FieldError | undefined {
  const selector = svc.spec?.selector as Record<string, unknown> | undefined;
  for (const value of Object.values(selector ?? {})) {
    // A null decodes as the empty string.
    if (typeof value === 'string' || value === null) continue;
    return new FieldError(
      'Invalid value',
      'spec.selector',
      value,
      `json: cannot unmarshal ${goJsonType(value)} into Go struct field ServiceSpec.spec.selector of type string`,
    );
  }
  const ports = svc.spec?.ports;
  if (!Array.isArray(ports)) return undefined;
  for (const [i, p] of ports.entries()) {
    for (const field of INT32_FIELDS) {
      const value = (p as unknown as Record<string, unknown>)[field];
      if (value === undefined || value === null || isInt32(value)) continue;
      const what = typeof value === 'number' ? `number ${value}` : goJsonType(value);
      return new FieldError(
        'Invalid value',
        `spec.ports[${i}].${field}`,
        value,
        `json: cannot unmarshal ${what} into Go struct field ServicePort.spec.ports.${field} of type int32`,
      );
    }
  }
  return undefined;
}

const isInt32 = (v: unknown) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31;

function goJsonType(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** SetDefaults_Service (v1.35). */
export function defaultService(svc: ServiceObject): void {
  svc.spec ??= {};
  const spec = svc.spec;
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_AFFINITY_SECONDS } };
  }
  spec.type ||= 'ClusterIP';
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    // LoadBalancerIPMode (GA in v1.32): an ingress IP without a mode is a VIP.
    for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
      if (ingress.ip && !ingress.ipMode) ingress.ipMode = 'VIP';
    }
  }
}

// ---- allocation -------------------------------------------------------------------------------

/** errors.NewInternalError: the API server's answer when a range is exhausted. */
function internalError(message: string): ApiError {
  return new ApiError('InternalError', `Internal error occurred: ${message}`);
}

function allocateOnCreate(svc: ServiceObject, allocators: ServiceAllocators): void {
  const spec = svc.spec ?? {};
  svc.spec = spec;
  // normalizeClusterIPs on create: a client that only sets the singular field gets the plural one.
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  initIPFamilyFields(svc, undefined);
  allocateClusterIPs(svc, allocators);
  allocateNodePorts(svc, undefined, allocators);
}

// alloc.go initIPFamilyFields, on a single-stack IPv4 cluster.
function initIPFamilyFields(svc: ServiceObject, old: ServiceObject | undefined): void {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return;
  const selectorless = Object.keys(spec.selector ?? {}).length === 0;
  if (!spec.ipFamilyPolicy) {
    if (old?.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    else if (spec.clusterIP === CLUSTER_IP_NONE && selectorless) spec.ipFamilyPolicy = 'RequireDualStack';
    else spec.ipFamilyPolicy = 'SingleStack';
  }
  const loose = validateClusterIPsRelatedFields(svc);
  if (loose.length > 0) throw invalidObject(svc, loose);

  const errs: FieldError[] = [];
  const clusterIPs = spec.clusterIPs ?? [];
  spec.ipFamilies ??= [];
  const families = spec.ipFamilies;
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (clusterIPs.length === 2) {
      errs.push(
        invalid(
          'spec.ipFamilyPolicy',
          spec.ipFamilyPolicy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
        ),
      );
    }
    if (families.length === 2) {
      errs.push(
        invalid(
          'spec.ipFamilyPolicy',
          spec.ipFamilyPolicy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
        ),
      );
    }
  }
  for (const [i, ip] of clusterIPs.entries()) {
    if (ip === CLUSTER_IP_NONE) break;
    if (i < families.length) continue;
    const family = isIP(ip) === 6 ? 'IPv6' : 'IPv4';
    if (family === 'IPv6') {
      errs.push(invalid(`spec.clusterIPs[${i}]`, clusterIPs, `${family} is not configured on this cluster`));
    } else families.push(family);
  }
  if (errs.length > 0) throw invalidObject(svc, errs);

  // Headless and selectorless: families are allowed beyond what the cluster has.
  if (spec.clusterIP === CLUSTER_IP_NONE && selectorless) {
    if (families.length === 0) families.push('IPv4');
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') {
      families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    }
    return;
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') {
    errs.push(
      invalid(
        'spec.ipFamilyPolicy',
        spec.ipFamilyPolicy,
        'this cluster is not configured for dual-stack services',
      ),
    );
  }
  families.forEach((family, i) => {
    if (family !== 'IPv4')
      errs.push(invalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
  });
  if (errs.length > 0) throw invalidObject(svc, errs);
  if (families.length === 0) families.push('IPv4');
}

// alloc.go allocClusterIPs / allocIPs
function allocateClusterIPs(svc: ServiceObject, { clusterIPs: allocator }: ServiceAllocators): void {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName' || spec.clusterIPs?.[0] === CLUSTER_IP_NONE) return;
  spec.clusterIPs ??= [];
  const clusterIPs = spec.clusterIPs;
  (spec.ipFamilies ?? []).forEach((_family, i) => {
    if (i >= clusterIPs.length) clusterIPs.push('');
    const wanted = clusterIPs[i];
    if (wanted === '') {
      try {
        clusterIPs[i] = allocator.allocateNext(svc);
      } catch (error) {
        if (error instanceof AllocationError)
          throw internalError(`failed to allocate a serviceIP: ${error.message}`);
        throw error;
      }
    } else {
      try {
        allocator.allocate(wanted, svc);
      } catch (error) {
        if (!(error instanceof AllocationError)) throw error;
        throw invalidObject(svc, [
          invalid('spec.clusterIPs', [...clusterIPs], `failed to allocate IP ${wanted}: ${error.message}`),
        ]);
      }
    }
    if (i === 0) spec.clusterIP = clusterIPs[0];
  });
}

function nodePortError(svc: ServiceObject, i: number, port: number, error: unknown): never {
  if (!(error instanceof AllocationError)) throw error;
  throw invalidObject(svc, [invalid(`spec.ports[${i}].nodePort`, port, error.message)]);
}

function nextNodePort(svc: ServiceObject, { nodePorts }: ServiceAllocators): number {
  try {
    return nodePorts.allocateNext(svc);
  } catch (error) {
    if (error instanceof AllocationError)
      throw internalError(`failed to allocate a nodePort: ${error.message}`);
    throw error;
  }
}

// alloc.go initNodePorts (create) and updateNodePorts (update: ports the old Service held are kept), then the
// health check node port of a LoadBalancer with externalTrafficPolicy Local.
function allocateNodePorts(
  svc: ServiceObject,
  old: ServiceObject | undefined,
  allocators: ServiceAllocators,
) {
  const spec = svc.spec ?? {};
  const ports: ServicePort[] = spec.ports ?? [];
  if (needsNodePort(spec)) {
    const allocate = spec.type === 'NodePort' || spec.allocateLoadBalancerNodePorts !== false;
    const held = new Set((old?.spec?.ports ?? []).map((p) => p.nodePort).filter(Boolean));
    const byServicePort = new Map<number, number>();
    ports.forEach((p, i) => {
      if (!p.nodePort && !allocate) return;
      if (old) {
        if (p.nodePort) {
          if (!held.has(p.nodePort)) {
            try {
              allocators.nodePorts.allocate(p.nodePort, svc);
            } catch (error) {
              nodePortError(svc, i, p.nodePort, error);
            }
            held.add(p.nodePort);
          }
        } else p.nodePort = nextNodePort(svc, allocators);
        return;
      }
      const assigned = byServicePort.get(p.port);
      if (assigned === undefined) {
        // The first port of the list with this port number and a nodePort: the user's choice for all of them.
        const requested = ports.find((q) => q.port === p.port && q.nodePort)?.nodePort;
        if (requested) {
          try {
            allocators.nodePorts.allocate(requested, svc);
          } catch (error) {
            nodePortError(svc, i, requested, error);
          }
          p.nodePort = requested;
        } else p.nodePort = nextNodePort(svc, allocators);
        byServicePort.set(p.port, p.nodePort);
      } else if (p.nodePort !== assigned) {
        if (!p.nodePort) p.nodePort = assigned;
        else {
          try {
            allocators.nodePorts.allocate(p.nodePort, svc);
          } catch (error) {
            nodePortError(svc, i, p.nodePort, error);
          }
        }
      }
    });
  }
  if (!needsHealthCheck(spec) || (old && needsHealthCheck(old.spec ?? {}))) return;
  const requested = spec.healthCheckNodePort;
  if (requested) {
    try {
      allocators.nodePorts.allocate(requested, svc);
    } catch (error) {
      if (!(error instanceof AllocationError)) throw error;
      throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${error.message}`);
    }
  } else {
    try {
      spec.healthCheckNodePort = allocators.nodePorts.allocateNext(svc);
    } catch (error) {
      if (!(error instanceof AllocationError)) throw error;
      throw internalError(`failed to allocate a HealthCheck NodePort 0: ${error.message}`);
    }
  }
}

// storage.go beginUpdate: patchAllocatedValues, normalizeClusterIPs, allocateUpdate.
function allocateOnUpdate(svc: ServiceObject, old: ServiceObject, allocators: ServiceAllocators): void {
  const spec = svc.spec ?? {};
  svc.spec = spec;
  const oldSpec = old.spec ?? {};
  if (oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName') {
    if (!spec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!spec.clusterIPs?.length && oldSpec.clusterIPs?.length) spec.clusterIPs = [...oldSpec.clusterIPs];
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const oldByName = new Map((oldSpec.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    const inBoth = new Set(
      (spec.ports ?? [])
        .map((p) => p.nodePort)
        .filter((n) => (oldSpec.ports ?? []).some((o) => o.nodePort === n)),
    );
    for (const p of spec.ports ?? []) {
      const before = oldByName.get(p.name ?? '');
      if (!p.nodePort && before && !inBoth.has(before)) p.nodePort = before;
    }
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !spec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
  normalizeClusterIPsOnUpdate(spec, oldSpec);
  initIPFamilyFields(svc, old);
  // ExternalName → a type with a cluster IP gets its addresses now; the reverse releases them once stored.
  if (oldSpec.type === 'ExternalName' && spec.type !== 'ExternalName') allocateClusterIPs(svc, allocators);
  allocateNodePorts(svc, old, allocators);
}

// storage.go normalizeClusterIPs, update: the singular field leads when only it was changed or cleared.
function normalizeClusterIPsOnUpdate(
  spec: NonNullable<Service['spec']>,
  oldSpec: NonNullable<Service['spec']>,
) {
  const sameIPs = () => JSON.stringify(spec.clusterIPs ?? []) === JSON.stringify(oldSpec.clusterIPs ?? []);
  if (oldSpec.clusterIPs?.length && !spec.clusterIPs?.length && oldSpec.clusterIP === spec.clusterIP) {
    spec.clusterIPs = oldSpec.clusterIPs;
  }
  if (oldSpec.clusterIP === spec.clusterIP) return;
  if (oldSpec.clusterIP && !spec.clusterIP) {
    if (sameIPs()) delete spec.clusterIPs;
  } else if (sameIPs()) spec.clusterIPs = [spec.clusterIP as string];
}

// strategy.go dropTypeDependentFields: what no longer applies after a type change, unless the user set it.
function dropTypeDependentFields(svc: ServiceObject, old: ServiceObject): void {
  const spec = svc.spec ?? {};
  const oldSpec = old.spec ?? {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (oldSpec.type !== 'ExternalName' && spec.type === 'ExternalName') {
    if (same(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  const nodePorts = (s: typeof spec) => (s.ports ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePort(oldSpec) && !needsNodePort(spec) && same(nodePorts(spec), nodePorts(oldSpec))) {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (
    needsHealthCheck(oldSpec) &&
    !needsHealthCheck(spec) &&
    spec.healthCheckNodePort === oldSpec.healthCheckNodePort
  ) {
    delete spec.healthCheckNodePort;
  }
  if (spec.type !== 'LoadBalancer') delete spec.allocateLoadBalancerNodePorts;
  if (
    externallyAccessible(oldSpec) &&
    !externallyAccessible(spec) &&
    spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy
  ) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer') svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
}

// ---- validation -------------------------------------------------------------------------------

const SESSION_AFFINITIES = ['ClientIP', 'None'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PORT_RANGE_MESSAGE = 'must be between 1 and 65535, inclusive';
const INVALID_IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** ValidateService, in the order Kubernetes reports its errors (metadata is checked by the API server). */
export function validateService(svc: ServiceObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const ports: ServicePort[] = spec.ports ?? [];
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && headless) {
    errs.push(
      invalid('spec.clusterIPs[0]', CLUSTER_IP_NONE, `may not be set to 'None' for ${spec.type} services`),
    );
  }
  if (spec.type === 'ExternalName') {
    if ((spec.clusterIPs?.length ?? 0) > 0) {
      errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
    if ((spec.ipFamilies?.length ?? 0) > 0) {
      errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    }
    if (spec.ipFamilyPolicy)
      errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    // A trailing dot marks the CNAME as fully qualified.
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname) {
      for (const msg of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, msg));
    } else errs.push(required('spec.externalName'));
  }

  const names = new Set<string>();
  ports.forEach((p, i) => {
    errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`));
  });
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));

  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) {
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  }
  if (spec.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinity(spec.sessionAffinityConfig));
  else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPsRelatedFields(svc));

  (spec.externalIPs ?? []).forEach((ip, i) => {
    errs.push(...validateExternalIP(ip, `spec.externalIPs[${i}]`));
  });

  if (!spec.type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));

  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) {
        errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
      }
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const servicePorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    // The duplicate is reported as the internal ServicePort key {Protocol, Port}, the other fields zero.
    const value = {
      Name: '',
      Protocol: p.protocol,
      AppProtocol: null,
      Port: p.port,
      TargetPort: 0,
      NodePort: 0,
    };
    if (servicePorts.has(key)) errs.push(duplicate(`spec.ports[${i}]`, value));
    servicePorts.add(key);
  });

  const sourceRanges = spec.loadBalancerSourceRanges ?? [];
  if (sourceRanges.length > 0) {
    if (spec.type !== 'LoadBalancer') {
      errs.push(forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    }
    sourceRanges.forEach((range, i) => {
      const value = range.trim();
      if (!isCIDR(value)) {
        errs.push(
          invalid(
            `spec.LoadBalancerSourceRanges[${i}]`,
            value,
            'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
          ),
        );
      }
    });
  }
  if (spec.allocateLoadBalancerNodePorts != null && spec.type !== 'LoadBalancer') {
    errs.push(
      forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"),
    );
  }
  // Go names this field without its `spec.` prefix.
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) {
    errs.push(required('allocateLoadBalancerNodePorts'));
  }
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}

function validateServicePort(
  p: ServicePort,
  requireName: boolean,
  names: Set<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(`${path}.name`));
  else if (p.name) {
    for (const msg of isDNS1123Label(p.name)) errs.push(invalid(`${path}.name`, p.name, msg));
    if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
    else names.add(p.name);
  }
  if (!isPortNumber(p.port)) errs.push(invalid(`${path}.port`, p.port ?? 0, PORT_RANGE_MESSAGE));
  if (!p.protocol) errs.push(required(`${path}.protocol`));
  else if (!PORT_PROTOCOLS.includes(p.protocol)) {
    errs.push(notSupported(`${path}.protocol`, p.protocol, PORT_PROTOCOLS));
  }
  // ValidatePortNumOrName
  const target = p.targetPort;
  if (typeof target === 'string') {
    for (const msg of portNameErrors(target)) errs.push(invalid(`${path}.targetPort`, target, msg));
  } else if (!isPortNumber(target)) errs.push(invalid(`${path}.targetPort`, target ?? 0, PORT_RANGE_MESSAGE));
  if (p.appProtocol !== undefined) {
    for (const msg of isQualifiedName(p.appProtocol))
      errs.push(invalid(`${path}.appProtocol`, p.appProtocol, msg));
  }
  return errs;
}

const isPortNumber = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

/** validation.IsValidPortName (k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go). */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

function validateClientIPAffinity(
  config: NonNullable<Service['spec']>['sessionAffinityConfig'],
): FieldError[] {
  const why = 'when session affinity type is ClientIP';
  const path = 'spec.sessionAffinityConfig';
  if (!config) return [required(path, why)];
  if (!config.clientIP) return [required(`${path}.clientIP`, why)];
  const timeout = config.clientIP.timeoutSeconds;
  if (timeout == null) return [required(`${path}.clientIP.timeoutSeconds`, why)];
  if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
    return [
      invalid(
        `${path}.clientIP.timeoutSeconds`,
        timeout,
        `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`,
      ),
    ];
  }
  return [];
}

/** ValidateServiceClusterIPsRelatedFields */
function validateClusterIPsRelatedFields(svc: ServiceObject): FieldError[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIPs = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (clusterIPs.length === 0) errs.push(required('spec.clusterIPs'));
    else if (clusterIPs[0] !== spec.clusterIP) {
      errs.push(invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
    }
  } else if (clusterIPs.length > 0) {
    errs.push(invalid('spec.clusterIPs', clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((family, i) => {
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(`spec.ipFamilies[${i}]`, family, IP_FAMILIES));
    if (seen.has(family)) errs.push(duplicate(`spec.ipFamilies[${i}]`, family));
    seen.add(family);
  });
  if (spec.ipFamilyPolicy && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === CLUSTER_IP_NONE) {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errs.push(invalid('spec.clusterIPs', clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    if (!isIP(ip)) {
      invalidIPs = true;
      errs.push(invalid(`spec.clusterIPs[${i}]`, ip, INVALID_IP_MESSAGE));
    }
  });
  if (clusterIPs.length > 2)
    errs.push(invalid('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (clusterIPs.length > 1 && isIP(clusterIPs[0]) === isIP(clusterIPs[1])) {
    errs.push(invalid('spec.clusterIPs', clusterIPs, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(svc)) {
    clusterIPs.forEach((ip, i) => {
      const family = spec.ipFamilies?.[i];
      if (family === 'IPv4' && isIP(ip) === 6) {
        errs.push(
          invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``),
        );
      }
      if (family === 'IPv6' && isIP(ip) !== 6) {
        errs.push(
          invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``),
        );
      }
    });
  }
  return errs;
}

// validateUpgradeDowngradeClusterIPs and validateUpgradeDowngradeIPFamilies, for what a single-stack cluster
// can see: the primary address and family never change.
function validateClusterIPsUpdate(svc: ServiceObject, old: ServiceObject): FieldError[] {
  const spec = svc.spec ?? {};
  const oldSpec = old.spec ?? {};
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  const oldIPs = oldSpec.clusterIPs ?? [];
  if (!(isHeadless(svc) && isHeadless(old))) {
    if (ips.length === oldIPs.length) {
      oldIPs.forEach((ip, i) => {
        if (ip !== ips[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, ips, 'may not change once set'));
      });
    } else if (ips.length === 0) {
      errs.push(invalid('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
    } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
      errs.push(invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
    }
  }
  const families = spec.ipFamilies ?? [];
  const oldFamilies = oldSpec.ipFamilies ?? [];
  if (isHeadless(svc) === isHeadless(old) && !isHeadless(svc) && families.length === oldFamilies.length) {
    oldFamilies.forEach((family, i) => {
      if (family !== families[i])
        errs.push(invalid('spec.ipFamilies[0]', families, 'may not change once set'));
    });
  }
  return errs;
}

// validateServiceExternalTrafficPolicy and validateServiceInternalTrafficFieldsValue
function validateTrafficPolicies(spec: NonNullable<Service['spec']>): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) {
      errs.push(
        invalid(
          'spec.externalTrafficPolicy',
          spec.externalTrafficPolicy,
          'may only be set for externally-accessible services',
        ),
      );
    }
  } else if (!spec.externalTrafficPolicy) errs.push(required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (!needsHealthCheck(spec)) {
    if (spec.healthCheckNodePort) {
      errs.push(
        invalid(
          'spec.healthCheckNodePort',
          spec.healthCheckNodePort,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      );
    }
  } else if (!spec.healthCheckNodePort) errs.push(required('spec.healthCheckNodePort'));
  else if (!isPortNumber(spec.healthCheckNodePort)) {
    errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, PORT_RANGE_MESSAGE));
  }
  if (spec.internalTrafficPolicy == null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type ?? '')) {
      errs.push(required('spec.internalTrafficPolicy'));
    }
  } else if (!TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  return errs;
}

// IsValidIPForLegacyField, then ValidateNonSpecialIP, for IPv4 addresses.
function validateExternalIP(ip: string, path: string): FieldError[] {
  if (!isIP(ip)) return [invalid(path, ip, INVALID_IP_MESSAGE)];
  if (isIP(ip) !== 4) return [];
  const [a, b, c] = ip.split('.').map(Number);
  const errs: FieldError[] = [];
  if (ip === '0.0.0.0') errs.push(invalid(path, ip, `may not be unspecified (${ip})`));
  if (a === 127) errs.push(invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (a === 169 && b === 254) {
    errs.push(invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (a === 224 && b === 0 && c === 0) {
    errs.push(invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}

function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const max = isIP(ip) === 4 ? 32 : isIP(ip) === 6 ? 128 : -1;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}
