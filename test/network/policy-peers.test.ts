// Peer and port matching, adapted from the truth tables of the upstream network policy e2e suite
// (k8s:test/e2e/network/netpol/network_policy.go): namespaces x, y, z labelled with kubernetes.io/metadata.name,
// pods a, b, c labelled pod=<name>. Each case names the e2e test it follows.
import { expect } from 'chai';
import type { NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import type { NetworkPolicyObject } from '../../src/api/network-policies';
import {
  ipBlockContains,
  isolates,
  type Peer,
  peerMatches,
  portMatches,
  ruleAllows,
  selectsPod,
  type Target,
} from '../../src/network/policy-peers';

const NS_LABEL = 'kubernetes.io/metadata.name';
const pod = (namespace: string, name: string, ip = '10.244.0.9'): Peer => ({
  ip,
  pod: { namespace, labels: { pod: name }, namespaceLabels: { [NS_LABEL]: namespace } },
});
const tcp = (port: number): Target => ({ port, protocol: 'TCP', containerPorts: [] });

const policy = (spec: NetworkPolicyObject['spec']): NetworkPolicyObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'x' },
  spec,
});

describe('network policy peers', () => {
  it('an empty podSelector selects every pod of the policy namespace, and only of it', () => {
    const np = policy({ podSelector: {} });
    expect(selectsPod(np, 'x', { pod: 'a' })).to.equal(true);
    expect(selectsPod(np, 'x', undefined)).to.equal(true);
    expect(selectsPod(np, 'y', { pod: 'a' })).to.equal(false);
  });

  it('policyTypes decide the directions a policy isolates', () => {
    expect(isolates(policy({ podSelector: {}, policyTypes: ['Ingress'] }), 'Egress')).to.equal(false);
    expect(isolates(policy({ podSelector: {}, policyTypes: ['Egress'] }), 'Egress')).to.equal(true);
    expect(isolates(policy({ podSelector: {}, policyTypes: ['Egress'] }), 'Ingress')).to.equal(false);
  });

  // "should enforce policy to allow traffic from pods within server namespace based on PodSelector"
  it('a podSelector alone matches pods of the policy namespace only', () => {
    const peer: NetworkPolicyPeer = { podSelector: { matchLabels: { pod: 'b' } } };
    expect(peerMatches(peer, 'x', pod('x', 'b'))).to.equal(true);
    expect(peerMatches(peer, 'x', pod('x', 'c'))).to.equal(false);
    expect(peerMatches(peer, 'x', pod('y', 'b'))).to.equal(false);
  });

  // "should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector"
  it('a namespaceSelector alone matches every pod of the selected namespaces', () => {
    const peer: NetworkPolicyPeer = { namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } } };
    expect(peerMatches(peer, 'x', pod('y', 'a'))).to.equal(true);
    expect(peerMatches(peer, 'x', pod('x', 'b'))).to.equal(false);
    expect(peerMatches(peer, 'x', pod('z', 'a'))).to.equal(false);
  });

  // "should enforce policy to allow ingress traffic from pods in all namespaces"
  it('an empty namespaceSelector matches pods of every namespace', () => {
    const peer: NetworkPolicyPeer = { namespaceSelector: {} };
    for (const ns of ['x', 'y', 'z']) expect(peerMatches(peer, 'x', pod(ns, 'a')), ns).to.equal(true);
  });

  // "should enforce policy based on PodSelector and NamespaceSelector"
  it('both selectors in one peer must both match', () => {
    const peer: NetworkPolicyPeer = {
      namespaceSelector: { matchExpressions: [{ key: NS_LABEL, operator: 'NotIn', values: ['x'] }] },
      podSelector: { matchLabels: { pod: 'b' } },
    };
    expect(peerMatches(peer, 'x', pod('y', 'b'))).to.equal(true);
    expect(peerMatches(peer, 'x', pod('z', 'b'))).to.equal(true);
    expect(peerMatches(peer, 'x', pod('x', 'b'))).to.equal(false);
    expect(peerMatches(peer, 'x', pod('y', 'a'))).to.equal(false);
  });

  // "should enforce policy based on PodSelector or NamespaceSelector"
  it('the same selectors as two peers allow either', () => {
    const peers: NetworkPolicyPeer[] = [
      { namespaceSelector: { matchExpressions: [{ key: NS_LABEL, operator: 'NotIn', values: ['x'] }] } },
      { podSelector: { matchLabels: { pod: 'b' } } },
    ];
    const allows = (p: Peer) => ruleAllows(peers, undefined, 'x', p, tcp(80));
    expect(allows(pod('x', 'b'))).to.equal(true);
    expect(allows(pod('y', 'a'))).to.equal(true);
    expect(allows(pod('x', 'c'))).to.equal(false);
    expect(allows(pod('x', 'a'))).to.equal(false);
  });

  it('pod and namespace selectors never match an address without a pod (a node, a client outside)', () => {
    expect(peerMatches({ podSelector: {} }, 'x', { ip: '172.18.0.2' })).to.equal(false);
    expect(peerMatches({ namespaceSelector: {} }, 'x', { ip: '198.51.100.1' })).to.equal(false);
  });

  // "should allow egress access to server in CIDR block" and "should enforce except clause while egress access
  // to server in CIDR block": the block applies to pod addresses too.
  it('an ipBlock matches its range minus the exceptions, pods included', () => {
    const block = { cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] };
    expect(ipBlockContains(block, '10.244.0.9')).to.equal(true);
    expect(ipBlockContains(block, '10.244.1.9')).to.equal(false);
    expect(ipBlockContains(block, '10.245.0.1')).to.equal(false);
    expect(peerMatches({ ipBlock: block }, 'x', pod('y', 'a', '10.244.2.3'))).to.equal(true);
    expect(ipBlockContains({ cidr: '0.0.0.0/0' }, '198.51.100.1')).to.equal(true);
    expect(ipBlockContains({ cidr: '2001:db8::/32' }, '198.51.100.1')).to.equal(false);
  });

  // "should support allow-all policy": an empty rule (no from, no ports) allows everything.
  it('missing or empty peers and ports mean every peer and every port', () => {
    expect(ruleAllows(undefined, undefined, 'x', { ip: '198.51.100.1' }, tcp(1))).to.equal(true);
    expect(ruleAllows([], [], 'x', pod('z', 'c'), { ...tcp(53), protocol: 'UDP' })).to.equal(true);
  });
});

describe('network policy ports', () => {
  const http: Target = {
    port: 8080,
    protocol: 'TCP',
    containerPorts: [
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 8080, protocol: 'UDP' },
    ],
  };

  // "should enforce policy based on Ports"
  it('a number matches that port and protocol only', () => {
    expect(portMatches({ port: 8080, protocol: 'TCP' }, http)).to.equal(true);
    expect(portMatches({ port: 81, protocol: 'TCP' }, http)).to.equal(false);
    expect(portMatches({ port: 8080, protocol: 'UDP' }, http)).to.equal(false);
  });

  it('an omitted protocol is TCP', () => {
    expect(portMatches({ port: 8080 }, http)).to.equal(true);
    expect(portMatches({ port: 8080 }, { ...http, protocol: 'UDP' })).to.equal(false);
  });

  // "should enforce ingress policy allowing any port traffic to a server on a specific protocol"
  it('a protocol without a port matches every port of it', () => {
    expect(portMatches({ protocol: 'TCP' }, tcp(31000))).to.equal(true);
    expect(portMatches({ protocol: 'UDP' }, tcp(31000))).to.equal(false);
  });

  // "should allow ingress access on one named port": the name is the destination's container port.
  it('a name matches the destination container port of that name and protocol', () => {
    const named = (p: NetworkPolicyPort, target: Target) => portMatches(p, target);
    expect(named({ port: 'http', protocol: 'TCP' }, http)).to.equal(true);
    expect(named({ port: 'http', protocol: 'TCP' }, { ...http, port: 9090 })).to.equal(false);
    expect(named({ port: 'dns', protocol: 'TCP' }, http)).to.equal(false);
    expect(named({ port: 'dns', protocol: 'UDP' }, { ...http, protocol: 'UDP' })).to.equal(true);
    expect(named({ port: 'http', protocol: 'TCP' }, tcp(8080))).to.equal(false);
  });

  // NetworkPolicyPort.endPort (k8s:staging/src/k8s.io/api/networking/v1/types.go): port..endPort inclusive.
  it('endPort makes an inclusive range', () => {
    const range: NetworkPolicyPort = { port: 8000, endPort: 8080, protocol: 'TCP' };
    expect(portMatches(range, tcp(8000))).to.equal(true);
    expect(portMatches(range, tcp(8080))).to.equal(true);
    expect(portMatches(range, tcp(7999))).to.equal(false);
    expect(portMatches(range, tcp(8081))).to.equal(false);
  });
});
