// The kinds the simulated API server serves, with what `kubectl api-resources` says of them and what their
// registry strategies (k8s:pkg/registry/<group>/<kind>/strategy.go) decide about generation and status.

export interface KindInfo {
  kind: string;
  apiVersion: string;
  /** Lower-case plural resource name, as API errors print it: pods "web" not found. */
  resource: string;
  namespaced: boolean;
  /** The strategy keeps metadata.generation (PrepareForCreate sets 1, spec changes bump it). */
  generation?: boolean;
  /** Status is written through the status subresource: an update of the object keeps the stored status. */
  statusSubresource?: boolean;
}

const KINDS: readonly KindInfo[] = [
  { kind: 'Namespace', apiVersion: 'v1', resource: 'namespaces', namespaced: false, statusSubresource: true },
  { kind: 'Node', apiVersion: 'v1', resource: 'nodes', namespaced: false, statusSubresource: true },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    resource: 'pods',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
  { kind: 'Event', apiVersion: 'v1', resource: 'events', namespaced: true },
  { kind: 'ConfigMap', apiVersion: 'v1', resource: 'configmaps', namespaced: true },
  { kind: 'Secret', apiVersion: 'v1', resource: 'secrets', namespaced: true },
  { kind: 'ServiceAccount', apiVersion: 'v1', resource: 'serviceaccounts', namespaced: true },
  { kind: 'Service', apiVersion: 'v1', resource: 'services', namespaced: true, statusSubresource: true },
  { kind: 'Endpoints', apiVersion: 'v1', resource: 'endpoints', namespaced: true },
  // k8s:pkg/registry/core/resourcequota/strategy.go: status written by the quota controller and admission.
  {
    kind: 'ResourceQuota',
    apiVersion: 'v1',
    resource: 'resourcequotas',
    namespaced: true,
    statusSubresource: true,
  },
  { kind: 'LimitRange', apiVersion: 'v1', resource: 'limitranges', namespaced: true },
  {
    kind: 'PriorityClass',
    apiVersion: 'scheduling.k8s.io/v1',
    resource: 'priorityclasses',
    namespaced: false,
  },
  // k8s:pkg/registry/discovery/endpointslice/strategy.go: a new slice is generation 1, each change bumps it.
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    resource: 'endpointslices',
    namespaced: true,
    generation: true,
  },
  { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', resource: 'leases', namespaced: true },
  {
    kind: 'PersistentVolume',
    apiVersion: 'v1',
    resource: 'persistentvolumes',
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    resource: 'persistentvolumeclaims',
    namespaced: true,
    statusSubresource: true,
  },
  { kind: 'StorageClass', apiVersion: 'storage.k8s.io/v1', resource: 'storageclasses', namespaced: false },
  // Workload controllers (k8s:pkg/registry/apps/*/strategy.go, batch/job/strategy.go): generation and a
  // status subresource.
  {
    kind: 'ReplicationController',
    apiVersion: 'v1',
    resource: 'replicationcontrollers',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
  {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    resource: 'replicasets',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    resource: 'deployments',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
  {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    resource: 'statefulsets',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
  {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    resource: 'daemonsets',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
  {
    kind: 'Job',
    apiVersion: 'batch/v1',
    resource: 'jobs',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
  { kind: 'ControllerRevision', apiVersion: 'apps/v1', resource: 'controllerrevisions', namespaced: true },
  // k8s:pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go: status written by the controller only.
  {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v2',
    resource: 'horizontalpodautoscalers',
    namespaced: true,
    statusSubresource: true,
  },
  // k8s:pkg/registry/networking/networkpolicy/strategy.go: generation; no status since v1.28.
  {
    kind: 'NetworkPolicy',
    apiVersion: 'networking.k8s.io/v1',
    resource: 'networkpolicies',
    namespaced: true,
    generation: true,
  },
  // k8s:pkg/registry/policy/poddisruptionbudget/strategy.go: generation, status written by the disruption
  // controller and the eviction subresource.
  {
    kind: 'PodDisruptionBudget',
    apiVersion: 'policy/v1',
    resource: 'poddisruptionbudgets',
    namespaced: true,
    generation: true,
    statusSubresource: true,
  },
];

const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: string): KindInfo | undefined {
  return BY_KIND.get(kind);
}

export function knownKinds(): readonly KindInfo[] {
  return KINDS;
}

function group(info: KindInfo): string {
  const slash = info.apiVersion.indexOf('/');
  return slash < 0 ? '' : info.apiVersion.slice(0, slash);
}

/**
 * schema.GroupResource.String(): `pods`, `priorityclasses.scheduling.k8s.io`, as NotFound, AlreadyExists and
 * Forbidden errors name a resource (k8s:staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go).
 */
export function qualifiedResource(kind: string): string {
  const info = kindInfo(kind);
  if (!info) return kind;
  const g = group(info);
  return g ? `${info.resource}.${g}` : info.resource;
}

/** schema.GroupKind.String(): `Pod`, `PriorityClass.scheduling.k8s.io`, as Invalid errors name a kind. */
export function qualifiedKind(kind: string): string {
  const info = kindInfo(kind);
  const g = info ? group(info) : '';
  return g ? `${kind}.${g}` : kind;
}

/** Resolves a kind written the way kubectl accepts it on the command line (pod, pods, Pod). */
export function kindFromResourceName(name: string): KindInfo | undefined {
  const lower = name.toLowerCase();
  return KINDS.find(
    (k) => k.kind.toLowerCase() === lower || k.resource === lower || SHORT_NAMES[lower] === k.kind,
  );
}

const SHORT_NAMES: Record<string, string> = {
  no: 'Node',
  ns: 'Namespace',
  po: 'Pod',
  ev: 'Event',
  cm: 'ConfigMap',
  sa: 'ServiceAccount',
  pc: 'PriorityClass',
  svc: 'Service',
  ep: 'Endpoints',
  pv: 'PersistentVolume',
  pvc: 'PersistentVolumeClaim',
  sc: 'StorageClass',
  rc: 'ReplicationController',
  rs: 'ReplicaSet',
  deploy: 'Deployment',
  sts: 'StatefulSet',
  ds: 'DaemonSet',
  hpa: 'HorizontalPodAutoscaler',
  pdb: 'PodDisruptionBudget',
  netpol: 'NetworkPolicy',
  quota: 'ResourceQuota',
  limits: 'LimitRange',
};
