// Which pods a NetworkPolicy selects and what its rules let through, as networking.k8s.io/v1 specifies them
// (k8s:staging/src/k8s.io/api/networking/v1/types.go, NetworkPolicySpec, NetworkPolicyPeer, NetworkPolicyPort;
// k8s-docs:concepts/services-networking/network-policies.md). Pure functions of the policy and the two ends of
// a connection: the filter (network-policy-filter.ts) decides isolation and unions the policies.
import type { ContainerPort } from 'kubernetes-types/core/v1';
import type {
  IPBlock,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from 'kubernetes-types/networking/v1';
import { contains, ipToBigInt, parseCidr } from '../api/cidr';
import { type Labels, selectorFromLabelSelector } from '../api/labels';
import type { NetworkPolicyObject } from '../api/network-policies';

/** The far end of a connection as a policy sees it: an address, and the pod behind it if any. */
export interface Peer {
  ip: string;
  /**
   * The pod that has this address, with its namespace's labels. Undefined for a node, the API server, a client
   * outside the cluster, and for hostNetwork pods, which pod and namespace selectors ignore.
   */
  pod?: { namespace: string; labels: Labels; namespaceLabels: Labels };
}

/** The port a connection arrives at on the destination (after kube-proxy's DNAT) and its protocol. */
export interface Target {
  port: number;
  protocol: string;
  /** The destination pod's container ports, against which named ports are resolved. */
  containerPorts: readonly ContainerPort[];
}

/** spec.podSelector, in the policy's own namespace; `{}` selects every pod of it. */
export function selectsPod(
  policy: NetworkPolicyObject,
  namespace: string,
  labels: Labels | undefined,
): boolean {
  if (policy.metadata.namespace !== namespace) return false;
  return selectorFromLabelSelector(policy.spec?.podSelector ?? {}).matches(labels);
}

/** Whether the policy isolates the pods it selects for this direction (its policyTypes, as defaulted). */
export function isolates(policy: NetworkPolicyObject, direction: 'Ingress' | 'Egress'): boolean {
  return (policy.spec?.policyTypes ?? ['Ingress']).includes(direction);
}

export function ipBlockContains(block: IPBlock, ip: string): boolean {
  const cidr = parseCidr(block.cidr);
  if (!cidr) return false;
  const address = ipToBigInt(ip);
  const family = ip.includes(':') ? 6 : 4;
  if (!contains(cidr, address, family)) return false;
  return !(block.except ?? []).some((text) => {
    const except = parseCidr(text);
    return except !== undefined && contains(except, address, family);
  });
}

/**
 * NetworkPolicyPeer: podSelector alone picks pods of the policy's namespace; namespaceSelector alone every pod
 * of the matching namespaces; both together the matching pods of the matching namespaces (one peer, an AND);
 * ipBlock an address range minus its exceptions, whatever is behind the address.
 */
export function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, remote: Peer): boolean {
  if (peer.ipBlock) return ipBlockContains(peer.ipBlock, remote.ip);
  const pod = remote.pod;
  if (!pod) return false;
  if (peer.namespaceSelector) {
    if (!selectorFromLabelSelector(peer.namespaceSelector).matches(pod.namespaceLabels)) return false;
  } else if (pod.namespace !== policyNamespace) return false;
  return !peer.podSelector || selectorFromLabelSelector(peer.podSelector).matches(pod.labels);
}

/**
 * NetworkPolicyPort: the protocol (TCP when omitted); no port means every port; a number, up to endPort when
 * given; a name, the destination pod's container port of that name and protocol.
 */
export function portMatches(port: NetworkPolicyPort, target: Target): boolean {
  const protocol = port.protocol ?? 'TCP';
  if (protocol !== target.protocol) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'string') {
    return target.containerPorts.some(
      (c) => c.name === port.port && (c.protocol ?? 'TCP') === protocol && c.containerPort === target.port,
    );
  }
  return target.port >= port.port && target.port <= (port.endPort ?? port.port);
}

/**
 * One rule: its peers (missing or empty: every peer) and its ports (missing or empty: every port) must both
 * match; a rule with both lists empty allows everything.
 */
export function ruleAllows(
  peers: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
  policyNamespace: string,
  remote: Peer,
  target: Target,
): boolean {
  const peerOk = !peers?.length || peers.some((p) => peerMatches(p, policyNamespace, remote));
  return peerOk && (!ports?.length || ports.some((p) => portMatches(p, target)));
}

export const ingressRuleAllows = (
  rule: NetworkPolicyIngressRule,
  namespace: string,
  from: Peer,
  target: Target,
) => ruleAllows(rule.from, rule.ports, namespace, from, target);

export const egressRuleAllows = (
  rule: NetworkPolicyEgressRule,
  namespace: string,
  to: Peer,
  target: Target,
) => ruleAllows(rule.to, rule.ports, namespace, to, target);
