// The restricted checks of the Pod Security Standards, each after its
// k8s:staging/src/k8s.io/pod-security-admission/policy/check_<id>.go: the same reasons, details and version
// tables. They run for restricted namespaces only, after the baseline checks.
import type { PodSpec } from 'kubernetes-types/core/v1';
import { validSeccomp } from './checks-baseline';
import {
  ALLOWED,
  type Check,
  type CheckPodFn,
  type CheckResult,
  containersNamed,
  containersWhere,
  forbidden,
  isWindowsPod,
  joinQuote,
  setters,
  sortedSet,
  visitContainers,
} from './helpers';

// Version 1.25 of several checks admits Windows pods, whose API validation refuses these Linux fields.
const skippingWindows =
  (check: CheckPodFn): CheckPodFn =>
  (meta, spec) =>
    isWindowsPod(spec) ? ALLOWED : check(meta, spec);

// check_allowPrivilegeEscalation.go
const allowPrivilegeEscalation_1_8: CheckPodFn = (_meta, spec) => {
  const bad: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext?.allowPrivilegeEscalation !== false) bad.push(c.name);
  });
  return bad.length > 0
    ? forbidden(
        'allowPrivilegeEscalation != false',
        `${containersNamed(bad)} must set securityContext.allowPrivilegeEscalation=false`,
      )
    : ALLOWED;
};

export const allowPrivilegeEscalation: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minimum: 8, check: allowPrivilegeEscalation_1_8 },
    { minimum: 25, check: skippingWindows(allowPrivilegeEscalation_1_8) },
  ],
};

// check_capabilities_restricted.go
const capabilitiesRestricted_1_22: CheckPodFn = (_meta, spec) => {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const caps: string[] = [];
  visitContainers(spec, (c) => {
    const capabilities = c.securityContext?.capabilities;
    if (!capabilities) {
      missingDropAll.push(c.name);
      return;
    }
    if (!(capabilities.drop ?? []).includes('ALL')) missingDropAll.push(c.name);
    const added = (capabilities.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) {
      addingForbidden.push(c.name);
      caps.push(...added);
    }
  });
  const details: string[] = [];
  if (missingDropAll.length > 0)
    details.push(`${containersNamed(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length > 0)
    details.push(
      `${containersNamed(addingForbidden)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`,
    );
  return details.length > 0 ? forbidden('unrestricted capabilities', details.join('; ')) : ALLOWED;
};

export const capabilitiesRestricted: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minimum: 22, check: capabilitiesRestricted_1_22 },
    { minimum: 25, check: skippingWindows(capabilitiesRestricted_1_22) },
  ],
};

// check_restrictedVolumes.go: only volume sources that stay inside the pod's own data, or PersistentVolumes.
const ALLOWED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

export const restrictedVolumes: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [
    {
      minimum: 0,
      check: (_meta, spec) => {
        const names = (spec.volumes ?? [])
          .filter((v) => !ALLOWED_VOLUME_SOURCES.some((source) => v[source] != null))
          .map((v) => v.name);
        if (names.length === 0) return ALLOWED;
        // fmt.Sprintf("volumes %q …", []string) prints Go's quoted slice: ["a" "b"].
        const quoted = sortedSet(names)
          .map((n) => JSON.stringify(n))
          .join(' ');
        return forbidden('restricted volume types', `volumes [${quoted}] have restricted types`);
      },
    },
  ],
};

// check_runAsNonRoot.go. The relaxation for pods in a user namespace (hostUsers: false) sat behind the
// UserNamespacesPodSecurityStandards feature gate, off by default, and is not simulated.
export const runAsNonRoot: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    {
      minimum: 0,
      check: (_meta, spec): CheckResult => {
        const setters: string[] = [];
        let podRunAsNonRoot = false;
        const podValue = spec.securityContext?.runAsNonRoot;
        if (podValue === false) setters.push('pod');
        else if (podValue === true) podRunAsNonRoot = true;
        const explicitlyBad: string[] = [];
        const implicitlyBad: string[] = [];
        visitContainers(spec, (c) => {
          const value = c.securityContext?.runAsNonRoot;
          if (value === false) explicitlyBad.push(c.name);
          else if (value === undefined && !podRunAsNonRoot) implicitlyBad.push(c.name);
        });
        if (explicitlyBad.length > 0) setters.push(containersNamed(explicitlyBad));
        if (setters.length > 0)
          return forbidden(
            'runAsNonRoot != true',
            `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`,
          );
        if (implicitlyBad.length > 0)
          return forbidden(
            'runAsNonRoot != true',
            `pod or ${containersNamed(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
          );
        return ALLOWED;
      },
    },
  ],
};

// check_runAsUser.go
export const runAsUser: Check = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    {
      minimum: 23,
      check: (_meta, spec) => {
        const who = setters(
          spec.securityContext?.runAsUser === 0,
          containersWhere(spec, (c) => c.securityContext?.runAsUser === 0),
        );
        return who.length > 0
          ? forbidden('runAsUser=0', `${who.join(' and ')} must not set runAsUser=0`)
          : ALLOWED;
      },
    },
  ],
};

// check_seccompProfile_restricted.go
const seccompProfileRestricted_1_19: CheckPodFn = (_meta, spec: PodSpec) => {
  const setters: string[] = [];
  const values: string[] = [];
  let podSeccompSet = false;
  const podProfile = spec.securityContext?.seccompProfile;
  if (podProfile) {
    if (!validSeccomp(podProfile.type)) {
      setters.push('pod');
      values.push(podProfile.type ?? '');
    } else {
      podSeccompSet = true;
    }
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(spec, (c) => {
    const profile = c.securityContext?.seccompProfile;
    if (profile) {
      if (!validSeccomp(profile.type)) {
        explicitlyBad.push(c.name);
        values.push(profile.type ?? '');
      }
    } else if (!podSeccompSet) {
      implicitlyBad.push(c.name);
    }
  });
  if (explicitlyBad.length > 0) setters.push(containersNamed(explicitlyBad));
  if (setters.length > 0)
    return forbidden(
      'seccompProfile',
      `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}`,
    );
  if (implicitlyBad.length > 0)
    return forbidden(
      'seccompProfile',
      `pod or ${containersNamed(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    );
  return ALLOWED;
};

export const seccompProfileRestricted: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimum: 19, check: seccompProfileRestricted_1_19 },
    { minimum: 25, check: skippingWindows(seccompProfileRestricted_1_19) },
  ],
};
