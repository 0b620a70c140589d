// NetworkPolicy enforcement on the simulated data path, as k8s-docs:concepts/services-networking/network-policies.md
// specifies it: a pod is isolated for a direction once some policy of its namespace selects it with that policy
// type, and then accepts only what the rules of those policies allow, taken together (policies are additive);
// a connection needs both the source's egress and the destination's ingress to allow it. kube-proxy asks after
// its DNAT, so a connection through a Service is judged against the backend pod and its target port.
//
// What kubespec chooses where the specification leaves it open: a denied connection is dropped (it times out),
// as Calico, Cilium and most CNI plugins do; traffic from the host network namespace of a pod's own node
// (hostNetwork pods) is always let in, as the specification requires, and hostNetwork pods are neither selected
// by policies nor matched by pod or namespace selectors (the documented "cannot distinguish" behaviour); a
// source masqueraded by kube-proxy is seen from its node's address; DNS lookups are answered by the simulated
// resolver, not by a pod, so policies do not apply to them.
import type { ContainerPort } from 'kubernetes-types/core/v1';
import type { NetworkPolicyObject } from '../api/network-policies';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { FiredEvent } from '../rules/types';
import type { DecisionTrace } from '../sim/trace';
import {
  egressRuleAllows,
  ingressRuleAllows,
  isolates,
  type Peer,
  selectsPod,
  type Target,
} from './policy-peers';

export const NETWORK_POLICY_POINT = 'network.policy';

/** One connection after kube-proxy's address translation. */
export interface Packet {
  /** The address the packet left from (a pod's IP, or a client outside the cluster). */
  sourceIP: string;
  /** The address the destination sees it from: the source's node when kube-proxy masqueraded it. */
  seenSourceIP: string;
  destinationIP: string;
  port: number;
  protocol: string;
}

export type Verdict = { allowed: true } | { allowed: false; reason: string };

type Direction = 'Ingress' | 'Egress';

const refOf = (o: { metadata: { namespace?: string; name?: string } }) =>
  `${o.metadata.namespace}/${o.metadata.name}`;

export class NetworkPolicyFilter {
  constructor(
    private readonly store: Store,
    private readonly trace: DecisionTrace,
  ) {}

  admit(packet: Packet): Verdict {
    const source = this.podAt(packet.sourceIP);
    const destination = this.podAt(packet.destinationIP);
    const target = (pod: PodObject | undefined): Target => ({
      port: packet.port,
      protocol: packet.protocol,
      containerPorts: containerPorts(pod),
    });
    if (source && !source.spec?.hostNetwork) {
      const to = this.peer(packet.destinationIP, destination);
      const verdict = this.judge(source, 'Egress', to, target(destination), packet);
      if (!verdict.allowed) return verdict;
    }
    if (destination && !destination.spec?.hostNetwork) {
      // "Traffic to and from the node where a Pod is running is always allowed."
      if (source?.spec?.hostNetwork && source.spec.nodeName === destination.spec?.nodeName) {
        return { allowed: true };
      }
      // A hostNetwork pod's traffic is "the same as all other traffic from the node IP".
      const seenIP = source?.spec?.hostNetwork ? this.nodeIP(source) : packet.seenSourceIP;
      const seen = seenIP === packet.sourceIP ? source : this.podAt(seenIP);
      const from = this.peer(seenIP, seen);
      return this.judge(destination, 'Ingress', from, target(destination), packet);
    }
    return { allowed: true };
  }

  private judge(pod: PodObject, direction: Direction, remote: Peer, target: Target, packet: Packet): Verdict {
    const namespace = pod.metadata.namespace as string;
    const isolating = (this.store.list('NetworkPolicy', namespace) as NetworkPolicyObject[]).filter(
      (np) => isolates(np, direction) && selectsPod(np, namespace, pod.metadata.labels),
    );
    if (isolating.length === 0) return { allowed: true };
    const allowing: FiredEvent[] = [];
    for (const np of isolating) {
      const rules = direction === 'Ingress' ? (np.spec?.ingress ?? []) : (np.spec?.egress ?? []);
      rules.forEach((rule, i) => {
        const allows =
          direction === 'Ingress'
            ? ingressRuleAllows(rule, namespace, remote, target)
            : egressRuleAllows(rule, namespace, remote, target);
        if (!allows) return;
        const name = `${direction.toLowerCase()}[${i}]`;
        allowing.push({ type: 'allow', params: { direction }, ruleSet: refOf(np), rule: name, priority: 0 });
      });
    }
    const other = `${remote.ip}${this.describePod(remote.ip)}`;
    const where = `${target.port}/${target.protocol}`;
    const subject =
      direction === 'Ingress'
        ? `pod ${refOf(pod)} ingress from ${other} on port ${where}`
        : `pod ${refOf(pod)} egress to ${other} on port ${where}`;
    const policies = isolating.map(refOf).join(', ');
    const why = `${direction.toLowerCase()} of pod ${refOf(pod)} is isolated by network policy ${policies} and no rule of ${isolating.length > 1 ? 'them' : 'it'} allows ${direction === 'Ingress' ? 'from' : 'to'} ${other} on port ${where}`;
    const outcome =
      allowing.length > 0
        ? `allowed by network policy ${allowing.map((e) => `${e.ruleSet} ${e.rule}`).join(', ')}`
        : `denied: ${why}`;
    this.trace.add({
      kind: 'decision',
      time: this.store.clock.now(),
      subject,
      decision: {
        point: NETWORK_POLICY_POINT,
        events: allowing,
        facts: [
          { fact: 'isolatingPolicies', value: isolating.map(refOf) },
          { fact: direction === 'Ingress' ? 'source' : 'destination', value: other },
          { fact: 'port', value: where },
          ...(packet.seenSourceIP !== packet.sourceIP && direction === 'Ingress'
            ? [{ fact: 'masqueradedFrom', value: packet.sourceIP }]
            : []),
        ],
      },
      outcome,
    });
    return allowing.length > 0 ? { allowed: true } : { allowed: false, reason: why };
  }

  /** The pod that has this address. */
  private podAt(ip: string): PodObject | undefined {
    return (this.store.list('Pod') as PodObject[]).find((p) => p.status?.podIP === ip);
  }

  private nodeIP(pod: PodObject): string {
    const node = this.store.get('Node', undefined, pod.spec?.nodeName ?? '');
    const addresses = (node?.status as { addresses?: { type: string; address: string }[] } | undefined)
      ?.addresses;
    return addresses?.find((a) => a.type === 'InternalIP')?.address ?? (pod.status?.podIP as string);
  }

  private peer(ip: string, pod: PodObject | undefined): Peer {
    if (!pod || pod.spec?.hostNetwork) return { ip };
    const namespace = pod.metadata.namespace as string;
    const ns = this.store.get('Namespace', undefined, namespace);
    return {
      ip,
      pod: { namespace, labels: pod.metadata.labels ?? {}, namespaceLabels: ns?.metadata.labels ?? {} },
    };
  }

  private describePod(ip: string): string {
    const pod = this.podAt(ip);
    return pod ? ` (pod ${refOf(pod)})` : '';
  }
}

function containerPorts(pod: PodObject | undefined): ContainerPort[] {
  return (pod?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
}
