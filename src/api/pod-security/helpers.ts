// What every Pod Security check shares (k8s:staging/src/k8s.io/pod-security-admission/policy/checks.go,
// helpers.go, visitor.go): the result shape, Go's quoting and plural helpers, and the container visit order.

import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

/** A check's verdict: allowed, or the short reason every message shows and the optional detail. */
export interface CheckResult {
  allowed: boolean;
  forbiddenReason?: string;
  forbiddenDetail?: string;
}

export type CheckPodFn = (meta: ObjectMeta, spec: PodSpec) => CheckResult;

export const ALLOWED: CheckResult = { allowed: true };

export function forbidden(reason: string, detail = ''): CheckResult {
  return { allowed: false, forbiddenReason: reason, forbiddenDetail: detail };
}

/** joinQuote: `"a", "b"`. */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `container "a"` / `containers "a", "b"`, the way most checks name the offenders. */
export function containersNamed(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** The names of the containers (in visit order) for which `bad` holds. */
export function containersWhere(spec: PodSpec, bad: (c: Container) => boolean): string[] {
  const names: string[] = [];
  visitContainers(spec, (c) => {
    if (bad(c)) names.push(c.name);
  });
  return names;
}

/** Who set a forbidden value, for `<setters joined by " and "> must not set …`: the pod first, then containers. */
export function setters(podSetsIt: boolean, containers: readonly string[]): string[] {
  const who = podSetsIt ? ['pod'] : [];
  if (containers.length > 0) who.push(containersNamed(containers));
  return who;
}

/** sets.NewString(...).List(): unique and sorted (Go compares bytes, as does `<` on ASCII). */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** visitContainers: init containers, then containers, then ephemeral containers. */
export function visitContainers(spec: PodSpec, visit: (c: Container) => void): void {
  for (const c of spec.initContainers ?? []) visit(c);
  for (const c of spec.containers ?? []) visit(c);
  for (const c of spec.ephemeralContainers ?? []) visit(c as Container);
}

/** The checks whose version 1.25 exempts Windows pods (`podSpec.OS.Name == windows`). */
export function isWindowsPod(spec: PodSpec): boolean {
  return spec.os?.name === 'windows';
}

export type Level = 'privileged' | 'baseline' | 'restricted';

/**
 * A check with its version table (checks.go Check): each version applies from its minimum policy minor
 * (1.x) until the next one. `overlap` marks a baseline check that a restricted check replaces.
 */
export interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  overlap?: boolean;
  versions: readonly { minimum: number; check: CheckPodFn }[];
}
