// The `kubelet.eviction` decision point: the eviction thresholds and settings of a node's kubelet
// (--eviction-hard, --eviction-soft, --eviction-soft-grace-period, --eviction-pressure-transition-period,
// --eviction-max-pod-grace-period). The eviction manager (./eviction-manager.ts) compares them with what it
// observes exactly as k8s:pkg/kubelet/eviction/eviction_manager.go synchronize does.
import { defineDecisionPoint } from '../rules/decision-point';
import type { KubernetesVersion } from '../sim/version';
import { DURATION_SCHEMA } from './restart-rules';

export interface EvictionContext {
  nodeName: string;
  labels: Readonly<Record<string, string>>;
  /** Bytes. */
  memoryCapacity: number;
  memoryAvailable: number;
  version: KubernetesVersion;
}

export const kubeletEviction = defineDecisionPoint<EvictionContext>({
  name: 'kubelet.eviction',
  askedBy:
    "a node's kubelet, at each pass of its eviction manager (every 10 seconds while its memory use matters)",
  description:
    "The eviction thresholds of the node's kubelet. `threshold {signal, quantity}` is a hard threshold (evict at once, " +
    'with a 1 second grace period); with `gracePeriod` it is a soft one (evict once it has been crossed for that long, ' +
    'with the grace period `settings.maxPodGracePeriodSeconds` allows). `quantity` is a quantity (100Mi) or a ' +
    'percentage of capacity (10%). `settings {pressureTransitionPeriod, maxPodGracePeriodSeconds}`: how long a pressure ' +
    'condition stays True after the last crossing, and the longest grace period of a soft eviction.',
  facts: {
    nodeName: { description: "The node's name.", compute: (c) => c.nodeName },
    nodeLabel: {
      description:
        "The value of the node's label given as params {key}, or null when the node has no such label.",
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key'],
        properties: { key: { type: 'string' } },
      },
      compute: (c, p) => c.labels[p.key as string] ?? null,
    },
    memoryCapacity: { description: "The node's memory capacity in bytes.", compute: (c) => c.memoryCapacity },
    memoryAvailable: {
      description:
        'memory.available as the kubelet observes it: capacity minus the working set of pods and system, in bytes.',
      compute: (c) => c.memoryAvailable,
    },
    kubernetesVersion: {
      description: 'The simulated cluster version: {major, minor}, e.g. {major: 1, minor: 35}.',
      compute: (c) => ({ major: c.version.major, minor: c.version.minor }),
    },
  },
  events: {
    threshold: {
      description: 'An eviction threshold: hard without gracePeriod, soft with it.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['signal', 'quantity'],
        properties: {
          signal: { enum: ['memory.available'] },
          quantity: {
            type: 'string',
            pattern: '^([0-9]+(\\.[0-9]+)?%|[0-9]+(\\.[0-9]+)?([KMGTPE]i?|[kmun])?)$',
          },
          gracePeriod: DURATION_SCHEMA,
        },
      },
    },
    settings: {
      description: 'The pressure transition period and the longest grace period of a soft eviction.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['pressureTransitionPeriod', 'maxPodGracePeriodSeconds'],
        properties: {
          pressureTransitionPeriod: DURATION_SCHEMA,
          maxPodGracePeriodSeconds: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
});
