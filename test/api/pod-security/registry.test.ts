// The order and versions of the checks (k8s:staging/src/k8s.io/pod-security-admission/policy/registry_test.go,
// checks_test.go) and the namespace labels (api/helpers_test.go TestPolicyToEvaluate).
import { expect } from 'chai';
import { policyToEvaluate } from '../../../src/api/pod-security/policy';
import {
  checksFor,
  evaluatePod,
  forbiddenDetail,
  forbiddenReason,
} from '../../../src/api/pod-security/registry';

describe('Pod Security policy', () => {
  it('runs the plain baseline checks first, then the overlapping ones or the restricted ones', () => {
    expect(checksFor('baseline', 35).map((c) => c.id)).to.deep.equal([
      'appArmorProfile',
      'hostNamespaces',
      'hostPorts',
      'hostProbesAndHostLifecycle',
      'privileged',
      'procMount',
      'seLinuxOptions',
      'sysctls',
      'windowsHostProcess',
      'capabilities_baseline',
      'hostPathVolumes',
      'seccompProfile_baseline',
    ]);
    expect(
      checksFor('restricted', 35)
        .map((c) => c.id)
        .slice(9),
    ).to.deep.equal([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'restrictedVolumes',
      'runAsNonRoot',
      'runAsUser',
      'seccompProfile_restricted',
    ]);
    expect(checksFor('privileged', 35)).to.deep.equal([]);
  });

  it('leaves out checks newer than the policy version', () => {
    expect(checksFor('baseline', 33).map((c) => c.id)).to.not.include('hostProbesAndHostLifecycle');
    expect(checksFor('restricted', 22).map((c) => c.id)).to.not.include('runAsUser');
  });

  it('aggregates reasons with and without details (AggregateCheckResults)', () => {
    const result = evaluatePod(
      'baseline',
      35,
      {},
      {
        hostNetwork: true,
        containers: [{ name: 'app', securityContext: { privileged: true } }],
      },
    );
    expect(forbiddenReason(result)).to.equal('host namespaces, privileged');
    expect(forbiddenDetail(result)).to.equal(
      'host namespaces (hostNetwork), privileged (container "app" must not set securityContext.privileged=true)',
    );
  });

  it('reads the namespace labels, failing closed for enforce and open for warn', () => {
    const { policy, errors } = policyToEvaluate({
      'pod-security.kubernetes.io/enforce': 'bogus',
      'pod-security.kubernetes.io/warn': 'bogus',
      'pod-security.kubernetes.io/audit-version': 'v1.x',
    });
    expect(policy.enforce).to.deep.equal({ level: 'restricted', minor: undefined });
    expect(policy.warn).to.deep.equal({ level: 'privileged', minor: undefined });
    expect(errors.map(String)).to.deep.equal([
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "v1.x": must be "latest" or "v1.x"',
      'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "bogus": must be one of privileged, baseline, restricted',
    ]);
  });

  it('defaults warn to the enforce level and version unless warn is labelled', () => {
    const only = policyToEvaluate({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
    }).policy;
    expect(only.warn).to.deep.equal({ level: 'baseline', minor: 30 });
    const both = policyToEvaluate({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'baseline',
    }).policy;
    expect(both.warn).to.deep.equal({ level: 'baseline', minor: undefined });
  });
});
