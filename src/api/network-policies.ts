// The NetworkPolicy kind (networking.k8s.io/v1) in the API server: the defaults of
// k8s:pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicyPort, SetDefaults_NetworkPolicy) and the
// validation of k8s:pkg/apis/networking/validation/validation.go (ValidateNetworkPolicySpec, …Port, …Peer,
// ValidateIPBlock), with the API server's words. Enforcement is src/network/network-policy-filter.ts.
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import type { KubernetesVersion } from '../sim/version';
import type { ApiServer } from './apiserver';
import { contains, parseCidr } from './cidr';
import { type FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import { validateLabelSelector } from './labels';
import type { Stored } from './object';
import { RenderedValueError, rendersJson } from './pod-templates';
import { portNameErrors } from './services';

export type NetworkPolicyObject = Stored<NetworkPolicy>;

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];
const PORT_RANGE_MESSAGE = 'must be between 1 and 65535, inclusive';
// apimachinery IsValidCIDRForLegacyField (k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go).
const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export function registerNetworkPolicyApi(api: ApiServer, version: () => KubernetesVersion): void {
  api.addDefaulter('NetworkPolicy', (obj) => defaultNetworkPolicy(obj as NetworkPolicyObject));
  api.addValidator('NetworkPolicy', (obj) =>
    validateNetworkPolicySpec(obj as NetworkPolicyObject, version()),
  );
}

export function defaultNetworkPolicy(np: NetworkPolicyObject): void {
  // podSelector is a struct, not a pointer, in Go: an omitted one decodes (and is stored) as `{}`.
  const spec = { ...(np.spec ?? {}) } as NonNullable<NetworkPolicy['spec']>;
  spec.podSelector ??= {};
  const defaultProtocol = (ports: NetworkPolicyPort[] | undefined) => {
    for (const p of ports ?? []) p.protocol ??= 'TCP';
  };
  for (const rule of spec.ingress ?? []) defaultProtocol(rule.ports);
  for (const rule of spec.egress ?? []) defaultProtocol(rule.ports);
  // "Any policy that does not specify policyTypes implies at least Ingress", Egress when it has egress rules.
  if ((spec.policyTypes ?? []).length === 0) {
    spec.policyTypes = (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  np.spec = spec;
}

export function validateNetworkPolicySpec(np: NetworkPolicyObject, v: KubernetesVersion): FieldError[] {
  const spec: Partial<NonNullable<NetworkPolicy['spec']>> = np.spec ?? {};
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  (spec.ingress ?? []).forEach((rule, i) => {
    const path = `spec.ingress[${i}]`;
    (rule.ports ?? []).forEach((p, j) => {
      errs.push(...validatePort(p, `${path}.ports[${j}]`));
    });
    (rule.from ?? []).forEach((peer, j) => {
      errs.push(...validatePeer(peer, `${path}.from[${j}]`));
    });
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const path = `spec.egress[${i}]`;
    (rule.ports ?? []).forEach((p, j) => {
      errs.push(...validatePort(p, `${path}.ports[${j}]`));
    });
    (rule.to ?? []).forEach((peer, j) => {
      errs.push(...validatePeer(peer, `${path}.to[${j}]`));
    });
  });
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    // field.Invalid(…, &spec.PolicyTypes, …): %#v of the slice up to v1.33, JSON from v1.34.
    const rendered = rendersJson(v)
      ? JSON.stringify(types)
      : `[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`;
    return [
      ...errs,
      new RenderedValueError('spec.policyTypes', rendered, 'may not specify more than two policyTypes'),
    ];
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return errs;
}

const isPortNumber = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

// ValidateNetworkPolicyPort
function validatePort(p: NetworkPolicyPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) {
    errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
  }
  if (p.port === undefined) {
    if (p.endPort !== undefined) {
      errs.push(invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is not specified'));
    }
  } else if (typeof p.port === 'number') {
    if (!isPortNumber(p.port)) errs.push(invalid(`${path}.port`, p.port, PORT_RANGE_MESSAGE));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) {
        errs.push(invalid(`${path}.endPort`, p.endPort, 'must be greater than or equal to `port`'));
      }
      if (!isPortNumber(p.endPort)) errs.push(invalid(`${path}.endPort`, p.endPort, PORT_RANGE_MESSAGE));
    }
  } else {
    if (p.endPort !== undefined) {
      errs.push(invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is non-numeric'));
    }
    for (const msg of portNameErrors(p.port)) errs.push(invalid(`${path}.port`, p.port, msg));
  }
  return errs;
}

// ValidateNetworkPolicyPeer
function validatePeer(peer: NetworkPolicyPeer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer.namespaceSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (peers === 0) errs.push(required(path, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock)
    errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

// ValidateIPBlock: the except blocks must be strict subsets of the cidr.
function validateIPBlock(block: { cidr?: string; except?: string[] }, path: string): FieldError[] {
  const cidr = block.cidr ?? '';
  if (!cidr) return [required(`${path}.cidr`)];
  const outer = parseCidr(cidr);
  if (!outer) return [invalid(`${path}.cidr`, cidr, CIDR_MESSAGE)];
  const errs: FieldError[] = [];
  (block.except ?? []).forEach((text, i) => {
    const inner = parseCidr(text);
    if (!inner) errs.push(invalid(`${path}.except[${i}]`, text, CIDR_MESSAGE));
    else if (inner.family !== outer.family || !contains(outer, inner.address) || outer.bits >= inner.bits) {
      errs.push(invalid(`${path}.except[${i}]`, text, 'must be a strict subset of `cidr`'));
    }
  });
  return errs;
}
