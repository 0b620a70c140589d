// The kinds the simulated API server serves, with what `kubectl api-resources` says of them.
// (k8s: `kubectl api-resources`; name rules are in validation.ts.)

export interface KindInfo {
  kind: string;
  apiVersion: string;
  /** Lower-case plural resource name, as API errors print it: pods "web" not found. */
  resource: string;
  namespaced: boolean;
}

const KINDS: readonly KindInfo[] = [
  { kind: 'Namespace', apiVersion: 'v1', resource: 'namespaces', namespaced: false },
  { kind: 'Node', apiVersion: 'v1', resource: 'nodes', namespaced: false },
  { kind: 'Pod', apiVersion: 'v1', resource: 'pods', namespaced: true },
  { kind: 'Event', apiVersion: 'v1', resource: 'events', namespaced: true },
  { kind: 'ConfigMap', apiVersion: 'v1', resource: 'configmaps', namespaced: true },
  { kind: 'Secret', apiVersion: 'v1', resource: 'secrets', namespaced: true },
  { kind: 'ServiceAccount', apiVersion: 'v1', resource: 'serviceaccounts', namespaced: true },
  {
    kind: 'PriorityClass',
    apiVersion: 'scheduling.k8s.io/v1',
    resource: 'priorityclasses',
    namespaced: false,
  },
  { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', resource: 'leases', namespaced: true },
];

const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: string): KindInfo | undefined {
  return BY_KIND.get(kind);
}

export function knownKinds(): readonly KindInfo[] {
  return KINDS;
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
};
