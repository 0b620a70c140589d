// Which checks run for a level and version, in which order, and how their verdicts become one message
// (k8s:staging/src/k8s.io/pod-security-admission/policy/registry.go and checks.go).

import type { PodSpec } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import * as baseline from './checks-baseline';
import * as restricted from './checks-restricted';
import type { Check, CheckPodFn, CheckResult, Level } from './helpers';

// Go registers the checks from each file's init(), and runs init() in file-name order: this is the order of
// check_*.go by name, and so the order of reasons in every message.
const CHECKS: readonly Check[] = [
  restricted.allowPrivilegeEscalation,
  baseline.appArmorProfile,
  baseline.capabilitiesBaseline,
  restricted.capabilitiesRestricted,
  baseline.hostNamespaces,
  baseline.hostPathVolumes,
  baseline.hostPorts,
  baseline.hostProbesAndHostLifecycle,
  baseline.privileged,
  baseline.procMount,
  restricted.restrictedVolumes,
  restricted.runAsNonRoot,
  restricted.runAsUser,
  baseline.seLinuxOptionsCheck,
  baseline.seccompProfileBaseline,
  restricted.seccompProfileRestricted,
  baseline.sysctls,
  baseline.windowsHostProcess,
];

/** The checks in force for one level at one policy minor, in evaluation order (checkRegistry.EvaluatePod). */
export function checksFor(level: Level, minor: number): Check[] {
  if (level === 'privileged') return [];
  const applies = (c: Check) => c.versions[0].minimum <= minor;
  const plainBaseline = CHECKS.filter((c) => c.level === 'baseline' && !c.overlap && applies(c));
  const rest =
    level === 'baseline'
      ? CHECKS.filter((c) => c.level === 'baseline' && c.overlap && applies(c))
      : CHECKS.filter((c) => c.level === 'restricted' && applies(c));
  return [...plainBaseline, ...rest];
}

/** The newest version of a check that applies at `minor` (inflateVersions). */
export function checkAt(check: Check, minor: number): CheckPodFn {
  let chosen = check.versions[0];
  for (const v of check.versions) if (v.minimum <= minor) chosen = v;
  return chosen.check;
}

/** AggregateCheckResult: the forbidden reasons and details, in check order. */
export interface AggregateResult {
  allowed: boolean;
  reasons: string[];
  details: string[];
}

export function evaluatePod(level: Level, minor: number, meta: ObjectMeta, spec: PodSpec): AggregateResult {
  const results: CheckResult[] = checksFor(level, minor).map((c) => checkAt(c, minor)(meta, spec));
  const failed = results.filter((r) => !r.allowed);
  return {
    allowed: failed.length === 0,
    reasons: failed.map((r) => r.forbiddenReason || 'unknown forbidden reason'),
    details: failed.map((r) => r.forbiddenDetail ?? ''),
  };
}

/** ForbiddenReason: `host namespaces, privileged` (what a namespace's existing pods are told). */
export function forbiddenReason(result: AggregateResult): string {
  return result.reasons.join(', ');
}

/** ForbiddenDetail: `host namespaces (hostNetwork), privileged (container "app" must not …)`. */
export function forbiddenDetail(result: AggregateResult): string {
  return result.reasons.map((r, i) => (result.details[i] ? `${r} (${result.details[i]})` : r)).join(', ');
}
