// The baseline checks of the Pod Security Standards, each after its
// k8s:staging/src/k8s.io/pod-security-admission/policy/check_<id>.go: the same reasons, details and version
// tables. They run for baseline and restricted namespaces (those marked `overlap` for baseline only).
import type { Container, PodSpec, Probe } from 'kubernetes-types/core/v1';
import {
  ALLOWED,
  type Check,
  containersNamed,
  containersWhere,
  forbidden,
  joinQuote,
  pluralize,
  setters,
  sortedSet,
  visitContainers,
} from './helpers';

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

// check_appArmorProfile.go: the appArmorProfile fields (RuntimeDefault or Localhost) and the deprecated
// annotations (runtime/default, localhost/*, empty).
export const appArmorProfile: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [
    {
      minimum: 0,
      check: (meta, spec) => {
        const allowedType = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
        const badValues: string[] = [];
        const podProfile = spec.securityContext?.appArmorProfile;
        const podSetsIt = podProfile !== undefined && !allowedType(podProfile.type);
        if (podSetsIt) badValues.push(podProfile?.type ?? '');
        const badContainers: string[] = [];
        visitContainers(spec, (c) => {
          const profile = c.securityContext?.appArmorProfile;
          if (profile && !allowedType(profile.type)) {
            badContainers.push(c.name);
            badValues.push(profile.type ?? '');
          }
        });
        const who = setters(podSetsIt, badContainers);
        const annotations: string[] = [];
        for (const [key, value] of Object.entries(meta.annotations ?? {})) {
          const allowed = value === '' || value === 'runtime/default' || value.startsWith('localhost/');
          if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowed)
            annotations.push(`${key}=${goQuote(value)}`);
        }
        const values = sortedSet(badValues);
        if (annotations.length > 0) {
          values.push(...sortedSet(annotations));
          who.push(pluralize('annotation', 'annotations', annotations.length));
        }
        if (who.length === 0) return ALLOWED;
        return forbidden(
          pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
          `${who.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
        );
      },
    },
  ],
};

// check_hostNamespaces.go
export const hostNamespaces: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const used = (['hostIPC', 'hostNetwork', 'hostPID'] as const).filter((k) => spec[k] === true);
        return used.length > 0 ? forbidden('host namespaces', used.join(', ')) : ALLOWED;
      },
    },
  ],
};

// check_hostPorts.go
export const hostPorts: Check = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const badContainers: string[] = [];
        const ports: string[] = [];
        visitContainers(spec, (c) => {
          const used = (c.ports ?? []).filter((p) => (p.hostPort ?? 0) !== 0);
          if (used.length === 0) return;
          badContainers.push(c.name);
          for (const p of used) ports.push(String(p.hostPort));
        });
        if (badContainers.length === 0) return ALLOWED;
        const unique = sortedSet(ports);
        return forbidden(
          'hostPort',
          `${containersNamed(badContainers)} ${pluralize('uses', 'use', badContainers.length)} ${pluralize('hostPort', 'hostPorts', unique.length)} ${unique.join(', ')}`,
        );
      },
    },
  ],
};

// check_hostProbesAndhostLifecycle.go: policy 1.34 and later.
export const hostProbesAndHostLifecycle: Check = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [
    {
      minimum: 34,
      check: (_meta, spec) => {
        const badContainers = new Set<string>();
        const hosts: string[] = [];
        const hostsOf = (handler: Probe | undefined) =>
          [handler?.httpGet?.host, handler?.tcpSocket?.host].filter((h): h is string => !!h);
        visitContainers(spec, (c: Container) => {
          const handlers = [
            c.livenessProbe,
            c.readinessProbe,
            c.startupProbe,
            c.lifecycle?.postStart,
            c.lifecycle?.preStop,
          ];
          for (const handler of handlers) {
            const found = hostsOf(handler as Probe | undefined);
            if (found.length === 0) continue;
            badContainers.add(c.name);
            hosts.push(...found);
          }
        });
        if (badContainers.size === 0) return ALLOWED;
        const names = sortedSet(badContainers);
        const unique = sortedSet(hosts);
        return forbidden(
          'probe or lifecycle host',
          `${containersNamed(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', unique.length)} ${joinQuote(unique)}`,
        );
      },
    },
  ],
};

// check_privileged.go
export const privileged: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const bad: string[] = [];
        visitContainers(spec, (c) => {
          if (c.securityContext?.privileged === true) bad.push(c.name);
        });
        return bad.length > 0
          ? forbidden('privileged', `${containersNamed(bad)} must not set securityContext.privileged=true`)
          : ALLOWED;
      },
    },
  ],
};

// check_procMount.go. The relaxation for pods in a user namespace (hostUsers: false) sat behind the
// UserNamespacesPodSecurityStandards feature gate, off by default, and is not simulated.
export const procMount: Check = {
  id: 'procMount',
  level: 'baseline',
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const bad: string[] = [];
        const types: string[] = [];
        visitContainers(spec, (c) => {
          const type = c.securityContext?.procMount;
          if (type === undefined || type === 'Default') return;
          bad.push(c.name);
          types.push(type);
        });
        return bad.length > 0
          ? forbidden(
              'procMount',
              `${containersNamed(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
            )
          : ALLOWED;
      },
    },
  ],
};

// check_seLinuxOptions.go: container_engine_t is allowed from policy 1.31.
const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

function seLinuxOptions(allowedTypes: ReadonlySet<string>) {
  return (_meta: unknown, spec: PodSpec) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (opts: { type?: string; user?: string; role?: string }) => {
      let ok = true;
      if (!allowedTypes.has(opts.type ?? '')) {
        ok = false;
        badTypes.push(opts.type ?? '');
      }
      if (opts.user) {
        ok = false;
        setUser = true;
      }
      if (opts.role) {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const podOpts = spec.securityContext?.seLinuxOptions;
    const podSetsIt = podOpts !== undefined && !valid(podOpts);
    const who = setters(
      podSetsIt,
      containersWhere(spec, (c) => {
        const opts = c.securityContext?.seLinuxOptions;
        return opts !== undefined && !valid(opts);
      }),
    );
    if (who.length === 0) return ALLOWED;
    const data: string[] = [];
    const types = sortedSet(badTypes);
    if (types.length > 0) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return forbidden(
      'seLinuxOptions',
      `${who.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
    );
  };
}

export const seLinuxOptionsCheck: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimum: 0, check: seLinuxOptions(SELINUX_TYPES_1_0) },
    { minimum: 31, check: seLinuxOptions(SELINUX_TYPES_1_31) },
  ],
};

// check_sysctls.go: the safe set grows in policy 1.27, 1.29 and 1.32.
const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

function sysctlsAllowing(names: readonly string[]) {
  const allowed = new Set(names);
  return (_meta: unknown, spec: PodSpec) => {
    const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !allowed.has(n));
    return bad.length > 0 ? forbidden('forbidden sysctls', bad.join(', ')) : ALLOWED;
  };
}

export const sysctls: Check = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minimum: 0, check: sysctlsAllowing(SYSCTLS_1_0) },
    { minimum: 27, check: sysctlsAllowing(SYSCTLS_1_27) },
    { minimum: 29, check: sysctlsAllowing(SYSCTLS_1_29) },
    { minimum: 32, check: sysctlsAllowing(SYSCTLS_1_32) },
  ],
};

// check_windowsHostProcess.go
export const windowsHostProcess: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const who = setters(
          spec.securityContext?.windowsOptions?.hostProcess === true,
          containersWhere(spec, (c) => c.securityContext?.windowsOptions?.hostProcess === true),
        );
        return who.length > 0
          ? forbidden(
              'hostProcess',
              `${who.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
            )
          : ALLOWED;
      },
    },
  ],
};

// check_capabilities_baseline.go (overlapped by capabilities_restricted).
const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const capabilitiesBaseline: Check = {
  id: 'capabilities_baseline',
  level: 'baseline',
  overlap: true,
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const bad: string[] = [];
        const caps: string[] = [];
        visitContainers(spec, (c) => {
          const added = (c.securityContext?.capabilities?.add ?? []).filter(
            (cap) => !DEFAULT_CAPABILITIES.has(cap),
          );
          if (added.length === 0) return;
          bad.push(c.name);
          caps.push(...added);
        });
        return bad.length > 0
          ? forbidden(
              'non-default capabilities',
              `${containersNamed(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`,
            )
          : ALLOWED;
      },
    },
  ],
};

// check_hostPathVolumes.go (overlapped by restrictedVolumes).
export const hostPathVolumes: Check = {
  id: 'hostPathVolumes',
  level: 'baseline',
  overlap: true,
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const names = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
        return names.length > 0
          ? forbidden(
              'hostPath volumes',
              `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`,
            )
          : ALLOWED;
      },
    },
  ],
};

// check_seccompProfile_baseline.go (overlapped by seccompProfile_restricted): the alpha annotations before
// policy 1.19, the seccompProfile fields since.
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export const validSeccomp = (type: string | undefined): boolean =>
  type === 'Localhost' || type === 'RuntimeDefault';

export const seccompProfileBaseline: Check = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  overlap: true,
  versions: [
    {
      minimum: 0,
      check: (meta, spec) => {
        const annotations = meta.annotations ?? {};
        const valid = (v: string) =>
          v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
        const bad: string[] = [];
        const podValue = annotations[SECCOMP_POD_ANNOTATION];
        if (podValue !== undefined && !valid(podValue))
          bad.push(`${SECCOMP_POD_ANNOTATION}=${goQuote(podValue)}`);
        visitContainers(spec, (c) => {
          const key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name;
          const value = annotations[key];
          if (value !== undefined && !valid(value)) bad.push(`${key}=${goQuote(value)}`);
        });
        const unique = sortedSet(bad);
        return unique.length > 0
          ? forbidden(
              'seccompProfile',
              `forbidden ${pluralize('annotation', 'annotations', unique.length)} ${unique.join(', ')}`,
            )
          : ALLOWED;
      },
    },
    {
      minimum: 19,
      check: (_meta, spec) => {
        const values: string[] = [];
        const podType = spec.securityContext?.seccompProfile?.type;
        const podSetsIt = spec.securityContext?.seccompProfile !== undefined && !validSeccomp(podType);
        if (podSetsIt) values.push(podType ?? '');
        const bad: string[] = [];
        visitContainers(spec, (c) => {
          const profile = c.securityContext?.seccompProfile;
          if (profile && !validSeccomp(profile.type)) {
            bad.push(c.name);
            values.push(profile.type ?? '');
          }
        });
        const who = setters(podSetsIt, bad);
        return who.length > 0
          ? forbidden(
              'seccompProfile',
              `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}`,
            )
          : ALLOWED;
      },
    },
  ],
};

/** Go's %q for the plain strings annotations hold. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}
