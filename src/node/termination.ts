// How long a container takes to stop once the kubelet kills it (k8s:pkg/kubelet/kuberuntime/
// kuberuntime_container.go killContainer, k8s:pkg/kubelet/pod_workers.go calculateEffectiveGracePeriod): the
// preStop hook runs for at most the grace period, the grace period shrinks by the whole seconds the hook took, the
// container gets SIGTERM with at least 2 seconds left (minimumGracePeriodInSeconds), then SIGKILL.
import type { Container } from 'kubernetes-types/core/v1';

export const MINIMUM_GRACE_PERIOD_SECONDS = 2;
/** Exit code of a process killed by SIGKILL: 128 + 9. */
export const SIGKILL_EXIT_CODE = 137;

export interface StopPlan {
  /** ms after the kill starts: when the container exits. */
  exitAfter: number;
  /** The container handled SIGTERM itself (exit 0) or was killed (137). */
  exitCode: number;
}

/** calculateEffectiveGracePeriod: the pod worker never passes less than 1 second down. */
export function effectiveGracePeriod(seconds: number): number {
  return Math.max(1, seconds);
}

/**
 * How long the preStop hook runs, in ms: a `sleep` action for its seconds, an exec hook whose command is
 * `sleep N` (directly or through `sh -c`) for N seconds, any other hook at once.
 */
export function preStopDuration(container: Container): number | undefined {
  const hook = container.lifecycle?.preStop;
  if (!hook) return undefined;
  if (hook.sleep) return hook.sleep.seconds * 1000;
  const command = hook.exec?.command ?? [];
  const text =
    command.length >= 3 && /(^|\/)(ba)?sh$/.test(command[0]) && command[1] === '-c'
      ? command[2]
      : command.join(' ');
  const m = /^(?:\/bin\/)?sleep\s+([0-9]+(?:\.[0-9]+)?)s?\s*$/.exec(text.trim());
  return m ? Number(m[1]) * 1000 : 0;
}

/**
 * The stop of one container killed with `graceSeconds`: `shutdownAfter` is how long it takes to exit after
 * SIGTERM (undefined: it ignores SIGTERM).
 */
export function planStop(
  container: Container,
  graceSeconds: number,
  shutdownAfter: number | undefined,
): StopPlan {
  let grace = graceSeconds;
  let hook = 0;
  const hookDuration = preStopDuration(container);
  if (hookDuration !== undefined && grace > 0) {
    // executePreStopHook waits for the hook or the grace period, and returns the whole seconds that passed.
    hook = Math.min(hookDuration, grace * 1000);
    grace -= Math.floor(hook / 1000);
  }
  if (grace < MINIMUM_GRACE_PERIOD_SECONDS) grace = MINIMUM_GRACE_PERIOD_SECONDS;
  const window = grace * 1000;
  if (shutdownAfter !== undefined && shutdownAfter <= window)
    return { exitAfter: hook + shutdownAfter, exitCode: 0 };
  return { exitAfter: hook + window, exitCode: SIGKILL_EXIT_CODE };
}
