// The `kubelet.restart` decision point: what the kubelet does when a container exits. The mechanics follow
// k8s:pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions decides whether to start the container
// again, doBackOff holds it back while its crash-loop window is open); the rules say whether to restart it and
// how the window grows.
import { defineDecisionPoint } from '../rules/decision-point';
import type { KubernetesVersion } from '../sim/version';

export interface RestartContext {
  restartPolicy: string;
  containerName: string;
  exitCode: number;
  /** Completed, Error or OOMKilled. */
  reason: string;
  restartCount: number;
  /** How long the container ran before it exited, in seconds. */
  ranForSeconds: number;
  version: KubernetesVersion;
}

/** Go duration text such as 10s, 5m or 1m30s. */
export const DURATION_SCHEMA = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' };

export const kubeletRestart = defineDecisionPoint<RestartContext>({
  name: 'kubelet.restart',
  askedBy: 'the kubelet, each time a container of a pod that is not being deleted exits',
  description:
    'Whether an exited container is started again, and the crash-loop back-off that holds it back. `restart`: start it ' +
    'again (at once the first time, then when the back-off window has passed); no `restart`: it stays terminated, and ' +
    'once no container will run again the pod ends Succeeded or Failed. `backoff {initial, max}`: the window starts at ' +
    '`initial` and doubles on each restart up to `max`; a container that ran for twice `max` starts again from `initial`. ' +
    'Without `backoff` a container restarts at once every time.',
  facts: {
    restartPolicy: {
      description: "The pod's spec.restartPolicy: Always, OnFailure or Never.",
      compute: (c) => c.restartPolicy,
    },
    containerName: { description: 'The name of the container that exited.', compute: (c) => c.containerName },
    exitCode: { description: 'Its exit code (137 when it was OOM-killed).', compute: (c) => c.exitCode },
    reason: { description: 'Completed (exit 0), Error or OOMKilled.', compute: (c) => c.reason },
    restartCount: { description: 'How many times it was restarted before.', compute: (c) => c.restartCount },
    ranForSeconds: {
      description: 'How long it ran before it exited, in seconds.',
      compute: (c) => c.ranForSeconds,
    },
    kubernetesVersion: {
      description: 'The simulated cluster version: {major, minor}, e.g. {major: 1, minor: 35}.',
      compute: (c) => ({ major: c.version.major, minor: c.version.minor }),
    },
  },
  events: {
    restart: {
      description: 'Start the container again.',
      params: { type: 'object', additionalProperties: false, properties: {} },
    },
    backoff: {
      description: 'The crash-loop back-off: the first window and its cap, as durations (10s, 5m).',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['initial', 'max'],
        properties: { initial: DURATION_SCHEMA, max: DURATION_SCHEMA },
      },
    },
  },
});
