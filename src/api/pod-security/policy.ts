// A namespace's Pod Security policy from its labels (k8s:staging/src/k8s.io/pod-security-admission/api/helpers.go
// PolicyToEvaluate, api/constants.go). Without labels every mode is privileged:latest, the defaults of an
// AdmissionConfiguration that sets none.
import { type FieldError, invalid } from '../field-errors';
import type { Level } from './helpers';

export const ENFORCE_LEVEL_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';
export const AUDIT_LEVEL_LABEL = 'pod-security.kubernetes.io/audit';
export const AUDIT_VERSION_LABEL = 'pod-security.kubernetes.io/audit-version';
export const WARN_LEVEL_LABEL = 'pod-security.kubernetes.io/warn';
export const WARN_VERSION_LABEL = 'pod-security.kubernetes.io/warn-version';

/** A level and a policy version; `minor` undefined is `latest`. */
export interface LevelVersion {
  level: Level;
  minor: number | undefined;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

const PRIVILEGED_LATEST: LevelVersion = { level: 'privileged', minor: undefined };

/** LevelVersion.String(): `restricted:latest`, `baseline:v1.30`. */
export function levelVersionText(lv: LevelVersion): string {
  return `${lv.level}:${lv.minor === undefined ? 'latest' : `v1.${lv.minor}`}`;
}

/**
 * The policy minor the checks are evaluated at. `latest`, or a version newer than the simulated release,
 * means the newest checks that release's kube-apiserver carries (registry.go clamps to its maxVersion).
 */
export function effectiveMinor(lv: LevelVersion, clusterMinor: number): number {
  return lv.minor === undefined ? clusterMinor : Math.min(lv.minor, clusterMinor);
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && a.minor === b.minor;
}

const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];
const VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** True when the namespace has no Pod Security label at all: the fast path of every pod create. */
export function hasNoPodSecurityLabels(labels: Record<string, string> | undefined): boolean {
  if (!labels) return true;
  for (const key in labels) if (key.startsWith('pod-security.kubernetes.io/')) return false;
  return true;
}

/**
 * PolicyToEvaluate: an invalid level is restricted for enforce (fail closed) and privileged for audit and
 * warn (fail open); an invalid version is latest. The errors name the labels as field errors do.
 */
export function policyToEvaluate(labels: Record<string, string> | undefined): {
  policy: Policy;
  errors: FieldError[];
} {
  const policy: Policy = { enforce: PRIVILEGED_LATEST, audit: PRIVILEGED_LATEST, warn: PRIVILEGED_LATEST };
  const errors: FieldError[] = [];
  if (hasNoPodSecurityLabels(labels)) return { policy, errors };
  const path = (label: string) => `metadata.labels[${label}]`;
  const level = (label: string, failed: Level): Level | undefined => {
    const value = labels?.[label];
    if (value === undefined) return undefined;
    if ((LEVELS as readonly string[]).includes(value)) return value as Level;
    errors.push(invalid(path(label), value, `must be one of ${LEVELS.join(', ')}`));
    return failed;
  };
  const version = (label: string): number | undefined | null => {
    const value = labels?.[label];
    if (value === undefined) return null;
    if (value === 'latest') return undefined;
    const m = VERSION.exec(value);
    if (m) return Number(m[1]);
    errors.push(invalid(path(label), value, 'must be "latest" or "v1.x"'));
    return undefined;
  };
  const mode = (levelLabel: string, versionLabel: string, failed: Level): LevelVersion => {
    const l = level(levelLabel, failed) ?? 'privileged';
    const v = version(versionLabel);
    return { level: l, minor: v === null ? undefined : v };
  };
  policy.enforce = mode(ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL, 'restricted');
  policy.audit = mode(AUDIT_LEVEL_LABEL, AUDIT_VERSION_LABEL, 'privileged');
  policy.warn = mode(WARN_LEVEL_LABEL, WARN_VERSION_LABEL, 'privileged');
  // Since 1.26 (kubernetes/kubernetes#113491) an enforce label without a warn label also warns at the
  // enforce level, and at its version unless warn-version says otherwise.
  const has = (label: string) => labels?.[label] !== undefined;
  if (
    !has(WARN_LEVEL_LABEL) &&
    has(ENFORCE_LEVEL_LABEL) &&
    compareLevels(policy.enforce.level, policy.warn.level) > 0
  ) {
    policy.warn = {
      level: policy.enforce.level,
      minor: has(WARN_VERSION_LABEL) ? policy.warn.minor : policy.enforce.minor,
    };
  }
  return { policy, errors };
}

/** CompareLevels: -1 less strict, 0 same, 1 stricter. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}
