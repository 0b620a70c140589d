// Each Pod Security check against cases adapted from its Kubernetes test,
// k8s:staging/src/k8s.io/pod-security-admission/policy/check_<id>_test.go (the "multiple containers" tables
// and their expected reason and detail), plus the version boundaries of each check's version table.
import { expect } from 'chai';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import * as baseline from '../../../src/api/pod-security/checks-baseline';
import * as restricted from '../../../src/api/pod-security/checks-restricted';
import type { Check } from '../../../src/api/pod-security/helpers';
import { checkAt } from '../../../src/api/pod-security/registry';

const LATEST = 35;
const run = (check: Check, spec: PodSpec, meta: ObjectMeta = {}, minor = LATEST) =>
  checkAt(check, minor)(meta, spec);
const c = (
  name: string,
  securityContext?: Container['securityContext'],
  extra: Partial<Container> = {},
): Container => ({
  name,
  ...(securityContext ? { securityContext } : {}),
  ...extra,
});
const refused = (reason: string, detail: string) => ({
  allowed: false,
  forbiddenReason: reason,
  forbiddenDetail: detail,
});

describe('Pod Security checks', () => {
  it('hostNamespaces lists the namespaces in sorted order (TestHostNamespaces)', () => {
    expect(
      run(baseline.hostNamespaces, { containers: [], hostNetwork: true, hostPID: true, hostIPC: true }),
    ).to.deep.equal(refused('host namespaces', 'hostIPC, hostNetwork, hostPID'));
    expect(run(baseline.hostNamespaces, { containers: [], hostNetwork: false }).allowed).to.equal(true);
  });

  it('privileged names every privileged container (TestPrivileged "multiple containers")', () => {
    const spec = {
      containers: [
        c('a'),
        c('b', {}),
        c('c', { privileged: false }),
        c('d', { privileged: true }),
        c('e', { privileged: true }),
      ],
    };
    expect(run(baseline.privileged, spec)).to.deep.equal(
      refused('privileged', 'containers "d", "e" must not set securityContext.privileged=true'),
    );
  });

  it('capabilities_baseline refuses capabilities beyond the default set (TestCapabilitiesBaseline)', () => {
    const spec = {
      containers: [
        c('a', { capabilities: { add: ['FOO', 'BAR'] } }),
        c('b', { capabilities: { add: ['BAR', 'BAZ'] } }),
        c('c', { capabilities: { add: ['CHOWN'] } }),
      ],
    };
    expect(run(baseline.capabilitiesBaseline, spec)).to.deep.equal(
      refused(
        'non-default capabilities',
        'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
      ),
    );
  });

  it('capabilities_restricted wants drop ALL and at most NET_BIND_SERVICE (TestCapabilitiesRestricted)', () => {
    const spec = {
      containers: [
        c('a'),
        c('b', {}),
        c('c', { capabilities: { drop: ['ALL'], add: ['BAR', 'BAZ'] } }),
        c('d', { capabilities: { drop: ['ALL'], add: ['FOO', 'NET_BIND_SERVICE'] } }),
        c('e', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }),
      ],
    };
    expect(run(restricted.capabilitiesRestricted, spec)).to.deep.equal(
      refused(
        'unrestricted capabilities',
        'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "c", "d" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
      ),
    );
  });

  it('capabilities_restricted, allowPrivilegeEscalation and seccompProfile_restricted admit Windows pods from 1.25', () => {
    const windows: PodSpec = { os: { name: 'windows' }, containers: [c('a')] };
    for (const check of [
      restricted.capabilitiesRestricted,
      restricted.allowPrivilegeEscalation,
      restricted.seccompProfileRestricted,
    ]) {
      expect(run(check, windows, {}, 25).allowed, check.id).to.equal(true);
      expect(run(check, windows, {}, 24).allowed, check.id).to.equal(false);
    }
  });

  it('hostPathVolumes names the hostPath volumes (TestHostPathVolumes)', () => {
    const spec = {
      containers: [],
      volumes: [
        { name: 'a', hostPath: { path: '/a' } },
        { name: 'b', hostPath: { path: '/b' } },
        { name: 'c', emptyDir: {} },
      ],
    };
    expect(run(baseline.hostPathVolumes, spec)).to.deep.equal(
      refused('hostPath volumes', 'volumes "a", "b"'),
    );
  });

  it('hostPorts lists the ports as sorted strings (TestHostPort)', () => {
    const spec = {
      containers: [
        c('a', undefined, { ports: [{ containerPort: 80, hostPort: 0 }] }),
        c('b', undefined, {
          ports: [
            { containerPort: 80, hostPort: 20 },
            { containerPort: 81, hostPort: 10000 },
          ],
        }),
        c('c', undefined, { ports: [{ containerPort: 80, hostPort: 20 }] }),
      ],
    };
    expect(run(baseline.hostPorts, spec)).to.deep.equal(
      refused('hostPort', 'containers "b", "c" use hostPorts 10000, 20'),
    );
  });

  it('hostProbesAndHostLifecycle refuses probe and handler hosts, from policy 1.34 (TestHostProbesAndHostLifecycle)', () => {
    const spec = {
      containers: [
        c('a', undefined, { livenessProbe: { httpGet: { host: 'evil.com', port: 80 } } }),
        c('b', undefined, { lifecycle: { preStop: { tcpSocket: { host: '10.0.0.1', port: 80 } } } }),
        c('c', undefined, { readinessProbe: { httpGet: { port: 80 } } }),
      ],
    };
    expect(run(baseline.hostProbesAndHostLifecycle, spec)).to.deep.equal(
      refused(
        'probe or lifecycle host',
        'containers "a", "b" use probe or lifecycle hosts "10.0.0.1", "evil.com"',
      ),
    );
  });

  it('appArmorProfile refuses Unconfined fields and unknown annotations (TestCheckAppArmor_Forbidden, TestAppArmorProfile)', () => {
    expect(
      run(baseline.appArmorProfile, {
        containers: [],
        securityContext: { appArmorProfile: { type: 'Unconfined' } },
      }),
    ).to.deep.equal(
      refused('forbidden AppArmor profile', 'pod must not set AppArmor profile type to "Unconfined"'),
    );
    const prefix = 'container.apparmor.security.beta.kubernetes.io/';
    const annotations = {
      [prefix]: 'bogus',
      [`${prefix}a`]: '',
      [`${prefix}b`]: 'runtime/default',
      [`${prefix}c`]: 'localhost/',
      [`${prefix}d`]: 'localhost/foo',
      [`${prefix}e`]: 'unconfined',
      [`${prefix}f`]: 'unknown',
    };
    expect(run(baseline.appArmorProfile, { containers: [] }, { annotations })).to.deep.equal(
      refused(
        'forbidden AppArmor profiles',
        `annotations must not set AppArmor profile type to "${prefix}="bogus"", "${prefix}e="unconfined"", "${prefix}f="unknown""`,
      ),
    );
  });

  it('seLinuxOptions reports types, user and role (TestSELinuxOptions)', () => {
    expect(
      run(baseline.seLinuxOptionsCheck, {
        containers: [],
        securityContext: { seLinuxOptions: { user: 'bad' } },
      }),
    ).to.deep.equal(
      refused('seLinuxOptions', 'pod set forbidden securityContext.seLinuxOptions: user may not be set'),
    );
    const spec = {
      securityContext: { seLinuxOptions: { type: 'foo' } },
      containers: [
        c('a', { seLinuxOptions: { type: 'bar', role: 'r' } }),
        c('b', { seLinuxOptions: { type: 'container_t' } }),
      ],
    };
    expect(run(baseline.seLinuxOptionsCheck, spec)).to.deep.equal(
      refused(
        'seLinuxOptions',
        'pod and container "a" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; role may not be set',
      ),
    );
  });

  it('seLinuxOptions allows container_engine_t from policy 1.31', () => {
    const spec = { containers: [c('a', { seLinuxOptions: { type: 'container_engine_t' } })] };
    expect(run(baseline.seLinuxOptionsCheck, spec, {}, 31).allowed).to.equal(true);
    expect(run(baseline.seLinuxOptionsCheck, spec, {}, 30).allowed).to.equal(false);
  });

  it('procMount refuses anything but Default (TestProcMount)', () => {
    const spec = { containers: [c('a', { procMount: 'Default' }), c('b', { procMount: 'Unmasked' })] };
    expect(run(baseline.procMount, spec)).to.deep.equal(
      refused('procMount', 'container "b" must not set securityContext.procMount to "Unmasked"'),
    );
  });

  it('seccompProfile_baseline refuses Unconfined, and annotations before 1.19 (TestSeccompProfileBaseline)', () => {
    const spec = {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [
        c('a', { seccompProfile: { type: 'Unconfined' } }),
        c('b', { seccompProfile: { type: 'RuntimeDefault' } }),
      ],
    };
    expect(run(baseline.seccompProfileBaseline, spec)).to.deep.equal(
      refused(
        'seccompProfile',
        'pod and container "a" must not set securityContext.seccompProfile.type to "Unconfined"',
      ),
    );
    const annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' };
    expect(run(baseline.seccompProfileBaseline, { containers: [] }, { annotations }, 18)).to.deep.equal(
      refused('seccompProfile', 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"'),
    );
  });

  it('seccompProfile_restricted requires a profile on the pod or every container (TestSeccompProfileRestricted)', () => {
    const spec = { containers: [c('a'), c('b', { seccompProfile: { type: 'Localhost' } }), c('c', {})] };
    expect(run(restricted.seccompProfileRestricted, spec)).to.deep.equal(
      refused(
        'seccompProfile',
        'pod or containers "a", "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      ),
    );
    expect(
      run(restricted.seccompProfileRestricted, {
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [c('a')],
      }).allowed,
    ).to.equal(true);
  });

  it('sysctls refuses unsafe names, the safe set growing by version (TestSysctls)', () => {
    const spec = {
      containers: [],
      securityContext: {
        sysctls: [
          { name: 'a', value: '1' },
          { name: 'kernel.shm_rmid_forced', value: '0' },
          { name: 'b', value: '1' },
        ],
      },
    };
    expect(run(baseline.sysctls, spec)).to.deep.equal(refused('forbidden sysctls', 'a, b'));
    const rmem = {
      containers: [],
      securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }] },
    };
    expect(run(baseline.sysctls, rmem, {}, 32).allowed).to.equal(true);
    expect(run(baseline.sysctls, rmem, {}, 31).allowed).to.equal(false);
  });

  it('windowsHostProcess names the pod and the containers (TestWindowsHostProcess)', () => {
    const spec = {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [
        c('a', { windowsOptions: { hostProcess: true } }),
        c('b', { windowsOptions: { hostProcess: false } }),
      ],
    };
    expect(run(baseline.windowsHostProcess, spec)).to.deep.equal(
      refused(
        'hostProcess',
        'pod and container "a" must not set securityContext.windowsOptions.hostProcess=true',
      ),
    );
  });

  it('allowPrivilegeEscalation requires false on every container (TestAllowPrivilegeEscalation_1_25)', () => {
    const spec = {
      containers: [
        c('a'),
        c('b', {}),
        c('c', { allowPrivilegeEscalation: true }),
        c('d', { allowPrivilegeEscalation: false }),
      ],
    };
    expect(run(restricted.allowPrivilegeEscalation, spec)).to.deep.equal(
      refused(
        'allowPrivilegeEscalation != false',
        'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
      ),
    );
  });

  it('restrictedVolumes prints the names as a Go quoted slice (TestRestrictedVolumes)', () => {
    const spec = {
      containers: [],
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'c', nfs: { server: 's', path: '/' } },
        { name: 'b', hostPath: { path: '/' } },
        { name: 'd', persistentVolumeClaim: { claimName: 'x' } },
      ],
    };
    expect(run(restricted.restrictedVolumes, spec)).to.deep.equal(
      refused('restricted volume types', 'volumes ["b" "c"] have restricted types'),
    );
  });

  it('runAsNonRoot tells explicit false apart from unset (TestRunAsNonRoot)', () => {
    const explicit = {
      securityContext: { runAsNonRoot: false },
      containers: [c('a', { runAsNonRoot: false }), c('b')],
    };
    expect(run(restricted.runAsNonRoot, explicit)).to.deep.equal(
      refused(
        'runAsNonRoot != true',
        'pod and container "a" must not set securityContext.runAsNonRoot=false',
      ),
    );
    const unset = { containers: [c('a'), c('b', {}), c('c', { runAsNonRoot: true })] };
    expect(run(restricted.runAsNonRoot, unset)).to.deep.equal(
      refused(
        'runAsNonRoot != true',
        'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
      ),
    );
    expect(
      run(restricted.runAsNonRoot, { securityContext: { runAsNonRoot: true }, containers: [c('a')] }).allowed,
    ).to.equal(true);
  });

  it('runAsUser refuses user 0 on the pod or a container, from policy 1.23 (TestRunAsUser)', () => {
    const spec = {
      securityContext: { runAsUser: 0 },
      containers: [c('a', { runAsUser: 0 }), c('b', { runAsUser: 1000 })],
    };
    expect(run(restricted.runAsUser, spec)).to.deep.equal(
      refused('runAsUser=0', 'pod and container "a" must not set runAsUser=0'),
    );
  });

  it('visits init containers before containers (visitor.go)', () => {
    const spec = {
      initContainers: [c('init', { privileged: true })],
      containers: [c('app', { privileged: true })],
    };
    expect(run(baseline.privileged, spec).forbiddenDetail).to.equal(
      'containers "init", "app" must not set securityContext.privileged=true',
    );
  });
});
