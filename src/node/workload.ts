// What a manifest cannot say about a simulated workload, said by annotations on the pod (documented in the
// README under "Pods and nodes"): when its containers exit and with which code, how much memory and cpu they
// use, when they turn ready and how long they take to stop after SIGTERM. The API server refuses a pod whose
// annotation it cannot read, so that a typo fails the scenario instead of silently doing nothing.
import type { Container } from 'kubernetes-types/core/v1';
import { type FieldError, invalid } from '../api/field-errors';
import type { PodObject } from '../api/pods';
import { Quantity } from '../api/quantity';
import { parseDuration } from '../sim/clock';

export const ANNOTATION = {
  exitAfter: 'kubespec.io/exit-after',
  exitCode: 'kubespec.io/exit-code',
  memoryUsage: 'kubespec.io/memory-usage',
  cpuUsage: 'kubespec.io/cpu-usage',
  readyAfter: 'kubespec.io/ready-after',
  shutdownAfter: 'kubespec.io/shutdown-after',
  systemMemoryUsage: 'kubespec.io/system-memory-usage',
} as const;

/** How one container of the pod behaves each time it starts. */
export interface ContainerWorkload {
  /** ms after each start; undefined: runs until stopped. */
  exitAfter?: number;
  exitCode: number;
  /** Working set in bytes. */
  memory: number;
  /** ms after each start; 0: ready as soon as it runs. */
  readyAfter: number;
  /** ms from SIGTERM to exit; undefined ("never"): only the kill stops it. */
  shutdownAfter?: number;
}

const DURATION_HINT = 'must be a duration such as 30s, 5m or 1h30m';

function duration(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

function bytes(text: string): number | undefined {
  try {
    const q = Quantity.parse(text);
    return q.sign() < 0 ? undefined : q.value();
  } catch {
    return undefined;
  }
}

function annotationsOf(pod: PodObject): Record<string, string> {
  return pod.metadata.annotations ?? {};
}

/** Validation of the kubespec.io annotations of a pod, as the API server's field errors. */
export function validateWorkloadAnnotations(pod: PodObject): FieldError[] {
  const errs: FieldError[] = [];
  const containers = new Set((pod.spec?.containers ?? []).map((c) => c.name));
  const field = (key: string) => `metadata.annotations[${key}]`;
  for (const [key, value] of Object.entries(annotationsOf(pod))) {
    if (!key.startsWith('kubespec.io/')) continue;
    const [base, container] = splitContainer(key);
    if (container !== undefined && !containers.has(container)) {
      errs.push(invalid(field(key), value, `pod has no container named "${container}"`));
      continue;
    }
    switch (base) {
      case ANNOTATION.exitAfter:
      case ANNOTATION.readyAfter:
        if (duration(value) === undefined) errs.push(invalid(field(key), value, DURATION_HINT));
        break;
      case ANNOTATION.shutdownAfter:
        if (value !== 'never' && duration(value) === undefined)
          errs.push(invalid(field(key), value, `${DURATION_HINT}, or never`));
        break;
      case ANNOTATION.exitCode:
        if (!/^[0-9]+$/.test(value) || Number(value) > 255)
          errs.push(invalid(field(key), value, 'must be an exit code between 0 and 255'));
        break;
      case ANNOTATION.memoryUsage:
      case ANNOTATION.cpuUsage:
        if (bytes(value) === undefined)
          errs.push(invalid(field(key), value, 'must be a quantity such as 512Mi'));
        break;
      default:
        errs.push(invalid(field(key), value, `unknown kubespec.io annotation: use ${knownList()}`));
    }
  }
  return errs;
}

function knownList(): string {
  return Object.values(ANNOTATION)
    .filter((a) => a !== ANNOTATION.systemMemoryUsage)
    .join(', ');
}

/** `kubespec.io/memory-usage.app` → [`kubespec.io/memory-usage`, `app`]. */
function splitContainer(key: string): [string, string | undefined] {
  for (const base of Object.values(ANNOTATION)) {
    if (key === base) return [base, undefined];
    if (key.startsWith(`${base}.`)) return [base, key.slice(base.length + 1)];
  }
  return [key, undefined];
}

/** A container's value of an annotation: its own (`<key>.<container>`) or the pod's. */
function valueFor(pod: PodObject, key: string, container: string): string | undefined {
  const a = annotationsOf(pod);
  return a[`${key}.${container}`] ?? a[key];
}

/**
 * Each container's use of a resource given by a usage annotation (`kubespec.io/memory-usage`,
 * `kubespec.io/cpu-usage`), in the unit `amount` reads: a container's own annotation, else its share of what
 * the pod-wide annotation leaves after the containers that have their own, split evenly. Undefined when the pod
 * has no annotation for it at all (the HPA's metrics tell that apart from a use of 0).
 */
export function containerUsages(
  pod: PodObject,
  key: string,
  amount: (text: string) => number | undefined = bytes,
): Map<string, number> | undefined {
  const a = annotationsOf(pod);
  const containers: Container[] = pod.spec?.containers ?? [];
  const own = new Map<string, number>();
  for (const c of containers) {
    const value = a[`${key}.${c.name}`];
    if (value !== undefined) own.set(c.name, amount(value) ?? 0);
  }
  const podTotal = a[key] === undefined ? undefined : (amount(a[key]) ?? 0);
  if (podTotal === undefined && own.size === 0) return undefined;
  const explicit = [...own.values()].reduce((s, v) => s + v, 0);
  const rest = containers.length - own.size;
  const share = podTotal === undefined || rest === 0 ? 0 : Math.max(0, podTotal - explicit) / rest;
  return new Map(containers.map((c) => [c.name, Math.floor(own.get(c.name) ?? share)]));
}

/** Each container's workload; memory as `containerUsages` splits `kubespec.io/memory-usage`. */
export function containerWorkloads(pod: PodObject): Map<string, ContainerWorkload> {
  const containers: Container[] = pod.spec?.containers ?? [];
  const memory = containerUsages(pod, ANNOTATION.memoryUsage);
  const out = new Map<string, ContainerWorkload>();
  for (const c of containers) {
    const exitAfter = valueFor(pod, ANNOTATION.exitAfter, c.name);
    const shutdown = valueFor(pod, ANNOTATION.shutdownAfter, c.name);
    const ready = valueFor(pod, ANNOTATION.readyAfter, c.name);
    out.set(c.name, {
      exitAfter: exitAfter === undefined ? undefined : duration(exitAfter),
      exitCode: Number(valueFor(pod, ANNOTATION.exitCode, c.name) ?? 0),
      memory: memory?.get(c.name) ?? 0,
      readyAfter: ready === undefined ? 0 : (duration(ready) ?? 0),
      shutdownAfter: shutdown === 'never' ? undefined : shutdown === undefined ? 0 : duration(shutdown),
    });
  }
  return out;
}

/** The node's own use of memory outside pods (`kubespec.io/system-memory-usage` on the Node), in bytes. */
export function systemMemoryUsage(annotations: Record<string, string> | undefined): number {
  const value = annotations?.[ANNOTATION.systemMemoryUsage];
  return value === undefined ? 0 : (bytes(value) ?? 0);
}
