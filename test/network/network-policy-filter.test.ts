// The filter's isolation, union and both-direction logic, and what it writes into the decision trace.
import { expect } from 'chai';
import type { KubeObject } from '../../src/api/object';
import { Store } from '../../src/api/store';
import {
  NETWORK_POLICY_POINT,
  NetworkPolicyFilter,
  type Packet,
} from '../../src/network/network-policy-filter';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';
import { DecisionTrace, type RuleDecisionEntry } from '../../src/sim/trace';

function setup(policies: Record<string, unknown>[]) {
  const store = new Store(new VirtualClock(), new SeededRandom(1));
  const trace = new DecisionTrace(true);
  const add = (o: Record<string, unknown>) => store.create(o as KubeObject);
  add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', labels: { team: 'x' } } });
  add({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] },
  });
  const pod = (name: string, ip: string, extra: Record<string, unknown> = {}) =>
    add({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'x', labels: { app: name } },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }], ...extra },
      status: { phase: 'Running', podIP: ip },
    });
  pod('a', '10.244.0.2');
  pod('b', '10.244.0.3');
  pod('agent', '10.244.0.4', { hostNetwork: true });
  for (const [i, spec] of policies.entries())
    add({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace: 'x' },
      spec,
    });
  return { filter: new NetworkPolicyFilter(store, trace), trace };
}

const packet = (from: string, to: string, port = 80): Packet => ({
  sourceIP: from,
  seenSourceIP: from,
  destinationIP: to,
  port,
  protocol: 'TCP',
});
const decisions = (trace: DecisionTrace) =>
  trace.entries.filter(
    (e): e is RuleDecisionEntry => e.kind === 'decision' && e.decision.point === NETWORK_POLICY_POINT,
  );

describe('NetworkPolicyFilter', () => {
  it('lets everything through, and traces nothing, while no policy selects the pods', () => {
    const { filter, trace } = setup([
      { podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Ingress'] },
    ]);
    expect(filter.admit(packet('10.244.0.3', '10.244.0.2'))).to.deep.equal({ allowed: true });
    expect(decisions(trace)).to.deep.equal([]);
  });

  it('names every policy rule that allows a connection', () => {
    const { filter, trace } = setup([
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] },
      { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress'], ingress: [{ from: [] }, {}] },
    ]);
    expect(filter.admit(packet('10.244.0.3', '10.244.0.2')).allowed).to.equal(true);
    const [entry] = decisions(trace);
    expect(entry.subject).to.equal('pod x/a ingress from 10.244.0.3 (pod x/b) on port 80/TCP');
    expect(entry.outcome).to.equal(
      'allowed by network policy x/p0 ingress[0], x/p1 ingress[0], x/p1 ingress[1]',
    );
  });

  it('says which policies isolate a pod when none of their rules allows the connection', () => {
    const { filter, trace } = setup([{ podSelector: {}, policyTypes: ['Ingress'], ingress: [] }]);
    const verdict = filter.admit(packet('10.244.0.3', '10.244.0.2'));
    expect(verdict).to.deep.equal({
      allowed: false,
      reason:
        'ingress of pod x/a is isolated by network policy x/p0 and no rule of it allows from 10.244.0.3 (pod x/b) on port 80/TCP',
    });
    expect(decisions(trace).map((e) => e.outcome)).to.deep.equal([
      `denied: ${verdict.allowed ? '' : verdict.reason}`,
    ]);
  });

  // "should support denying of egress traffic on the client side (even if the server explicitly allows this
  // traffic)" (k8s:test/e2e/network/netpol/network_policy.go).
  it('denies on the source side even when the destination allows', () => {
    const { filter } = setup([
      { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress'], ingress: [{}] },
      { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'], egress: [] },
    ]);
    const verdict = filter.admit(packet('10.244.0.3', '10.244.0.2'));
    expect(verdict.allowed).to.equal(false);
    expect(verdict.allowed || verdict.reason).to.match(/^egress of pod x\/b is isolated/);
  });

  it('lets a hostNetwork pod reach pods on its own node, as the node itself, through a deny-all', () => {
    const { filter } = setup([{ podSelector: {}, policyTypes: ['Ingress'], ingress: [] }]);
    expect(filter.admit(packet('10.244.0.4', '10.244.0.2')).allowed).to.equal(true);
    expect(filter.admit(packet('10.244.0.3', '10.244.0.2')).allowed).to.equal(false);
  });

  it('judges a masqueraded connection by the address the destination sees', () => {
    const { filter } = setup([
      {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '198.51.100.0/24' } }] }],
      },
    ]);
    expect(filter.admit(packet('198.51.100.1', '10.244.0.2')).allowed).to.equal(true);
    const masqueraded = { ...packet('198.51.100.1', '10.244.0.2'), seenSourceIP: '172.18.0.2' };
    expect(filter.admit(masqueraded).allowed).to.equal(false);
  });
});
