// Defaults (k8s:pkg/apis/networking/v1/defaults_test.go) and validation
// (k8s:pkg/apis/networking/validation/validation_test.go TestValidateNetworkPolicy) of NetworkPolicies.
import { expect } from 'chai';
import {
  defaultNetworkPolicy,
  type NetworkPolicyObject,
  validateNetworkPolicySpec,
} from '../../src/api/network-policies';
import { parseKubernetesVersion } from '../../src/sim/version';

const policy = (spec: Record<string, unknown>): NetworkPolicyObject =>
  ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'default' },
    spec: structuredClone(spec),
  }) as unknown as NetworkPolicyObject;

const defaulted = (spec: Record<string, unknown>) => {
  const np = policy(spec);
  defaultNetworkPolicy(np);
  return np.spec;
};

const errors = (spec: Record<string, unknown>, version = 'v1.35') => {
  const np = policy(spec);
  defaultNetworkPolicy(np);
  return validateNetworkPolicySpec(np, parseKubernetesVersion(version)).map(String);
};

describe('NetworkPolicy defaults', () => {
  it('policyTypes is Ingress, and Egress too when there are egress rules', () => {
    expect(defaulted({ podSelector: {} })?.policyTypes).to.deep.equal(['Ingress']);
    expect(defaulted({ podSelector: {}, egress: [{}] })?.policyTypes).to.deep.equal(['Ingress', 'Egress']);
    // An empty egress list is no rule: the policy isolates for ingress only.
    expect(defaulted({ podSelector: {}, egress: [] })?.policyTypes).to.deep.equal(['Ingress']);
    expect(defaulted({ podSelector: {}, policyTypes: ['Egress'] })?.policyTypes).to.deep.equal(['Egress']);
  });

  it('a port protocol is TCP, and an omitted podSelector is {}', () => {
    const spec = defaulted({
      ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP' }] }],
      egress: [{ ports: [{}] }],
    });
    expect(spec?.podSelector).to.deep.equal({});
    expect(spec?.ingress?.[0].ports).to.deep.equal([{ port: 80, protocol: 'TCP' }, { protocol: 'UDP' }]);
    expect(spec?.egress?.[0].ports).to.deep.equal([{ protocol: 'TCP' }]);
  });
});

describe('NetworkPolicy validation', () => {
  it('accepts the documented examples', () => {
    expect(
      errors({
        podSelector: { matchLabels: { role: 'db' } },
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
              { namespaceSelector: { matchLabels: { project: 'myproject' } }, podSelector: {} },
            ],
            ports: [{ protocol: 'TCP', port: 6379 }, { port: 32000, endPort: 32768 }, { port: 'http' }],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
      }),
    ).to.deep.equal([]);
  });

  it('refuses bad ports with the API server words', () => {
    expect(
      errors({
        podSelector: {},
        ingress: [{ ports: [{ port: 0 }, { endPort: 90 }, { port: 'HTTP' }, { port: 100, endPort: 70000 }] }],
      }),
    ).to.deep.equal([
      'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is not specified',
      'spec.ingress[0].ports[2].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.ingress[0].ports[2].port: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.ingress[0].ports[3].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });

  it('refuses peers without a selector or block, and bad blocks', () => {
    expect(
      errors({
        podSelector: {},
        egress: [
          {
            to: [
              {},
              { ipBlock: { cidr: '' } },
              { ipBlock: { cidr: '10.0.0.0' } },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8', '192.168.0.0/24', 'x'] } },
            ],
          },
        ],
      }),
    ).to.deep.equal([
      'spec.egress[0].to[0]: Required value: must specify a peer',
      'spec.egress[0].to[1].ipBlock.cidr: Required value',
      'spec.egress[0].to[2].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      'spec.egress[0].to[3].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
      'spec.egress[0].to[3].ipBlock.except[1]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr`',
      'spec.egress[0].to[3].ipBlock.except[2]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
  });

  it('refuses unknown policy types, and more than two as the release prints the list', () => {
    expect(errors({ podSelector: {}, policyTypes: ['Inbound'] })).to.deep.equal([
      'spec.policyTypes[0]: Unsupported value: "Inbound": supported values: "Ingress", "Egress"',
    ]);
    const three = { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] };
    expect(errors(three, 'v1.33')).to.deep.equal([
      'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes',
    ]);
    expect(errors(three, 'v1.35')).to.deep.equal([
      'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
    ]);
  });

  it('validates the selectors', () => {
    expect(
      errors({
        podSelector: { matchLabels: { 'bad key!': 'x' } },
        ingress: [{ from: [{ podSelector: {} }] }],
      }),
    ).to.have.length(1);
  });
});
