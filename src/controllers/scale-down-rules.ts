// The `replicaset.scale-down` decision point: which pods a ReplicaSet or ReplicationController deletes first
// when it has too many. The rules give each pod a sort key, criterion by criterion (k8s:pkg/controller/
// controller_utils.go ActivePodsWithRanks.Less in rules/replicaset.scale-down/); the mechanics (./pod-ranking.ts)
// evaluate them once per pod and compare the keys.
import type { PodObject } from '../api/pods';
import { defineDecisionPoint } from '../rules/decision-point';
import type { KubernetesVersion } from '../sim/version';
import { isPodReady, readySince } from './pod-states';

export interface ScaleDownContext {
  pod: PodObject;
  /** Active pods of the ReplicaSet and of the other ReplicaSets of its owner on the pod's node. */
  podsOnSameNode: number;
  version: KubernetesVersion;
}

/** core.PodDeletionCost. */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

// podPhaseToOrdinal; a phase it does not list (Succeeded, Failed: never active) counts as 0.
const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * k8s:pkg/apis/core/helper/helpers.go GetDeletionCostFromPodAnnotations: an int32 without a plus sign or
 * leading zeros; anything else (which the API server refuses on a pod) counts as 0.
 */
export function deletionCost(pod: PodObject): number {
  const value = pod.metadata.annotations?.[POD_DELETION_COST];
  if (value === undefined || !/^(?:0|-?[1-9][0-9]*|-0[0-9]*)$/.test(value)) return 0;
  const n = Number(value);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** The highest restart count of the pod's containers (maxContainerRestarts). */
export function maxContainerRestarts(pod: PodObject): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

const keyParam = {
  type: 'object',
  additionalProperties: false,
  required: ['key'],
  properties: { key: { type: 'string' } },
};

export const replicaSetScaleDown = defineDecisionPoint<ScaleDownContext>({
  name: 'replicaset.scale-down',
  askedBy:
    'the ReplicaSet and ReplicationController controllers, once for each active pod, when they delete some but not all of their pods',
  description:
    'The order in which a ReplicaSet deletes its pods when it scales down. Each `sortKey {position, value, order, scale}` ' +
    'is one criterion: pods are compared on the criterion with the lowest position first, the next one only breaks ' +
    'ties. `order: ascending` deletes pods with the smaller value first (false before true), `descending` the larger ' +
    'first; a pod without a value (null) goes first either way. `scale: logarithmic` compares a time (milliseconds ' +
    "since the epoch) by the power-of-two bucket of its age, pods' UIDs deciding between different times in one " +
    'bucket, as LogarithmicScaleDown does. Pods equal on every criterion keep the order in which they were created.',
  facts: {
    scheduled: { description: 'The pod is bound to a node.', compute: (c) => Boolean(c.pod.spec?.nodeName) },
    phase: { description: "The pod's status.phase.", compute: (c) => c.pod.status?.phase ?? '' },
    phaseOrdinal: {
      description: 'Pending 0, Unknown 1, Running 2 (any other phase 0).',
      compute: (c) => PHASE_ORDINAL[c.pod.status?.phase ?? ''] ?? 0,
    },
    ready: { description: 'The Ready condition is True.', compute: (c) => isPodReady(c.pod) },
    deletionCost: {
      description: `The ${POD_DELETION_COST} annotation as an integer (0 when absent or invalid).`,
      compute: (c) => deletionCost(c.pod),
    },
    podsOnSameNode: {
      description:
        "Active pods of the ReplicaSet's owner's ReplicaSets (or of the ReplicaSet alone when it has no owner) on the pod's node; for a ReplicaSet without an owner Kubernetes finds no related pods, so 0.",
      compute: (c) => c.podsOnSameNode,
    },
    readyTime: {
      description:
        'When the pod became Ready (milliseconds since the epoch, second precision), or null when it is not ready.',
      compute: (c) => (isPodReady(c.pod) ? (readySince(c.pod) ?? null) : null),
    },
    maxRestarts: {
      description: 'The highest restart count among its containers.',
      compute: (c) => maxContainerRestarts(c.pod),
    },
    creationTime: {
      description: 'metadata.creationTimestamp in milliseconds since the epoch.',
      compute: (c) => Date.parse(c.pod.metadata.creationTimestamp ?? '') || null,
    },
    uid: { description: "The pod's metadata.uid.", compute: (c) => c.pod.metadata.uid ?? '' },
    label: {
      description: 'The value of the pod label given as params {key}, or null.',
      params: keyParam,
      compute: (c, p) => c.pod.metadata.labels?.[p.key as string] ?? null,
    },
    annotation: {
      description: 'The value of the pod annotation given as params {key}, or null.',
      params: keyParam,
      compute: (c, p) => c.pod.metadata.annotations?.[p.key as string] ?? null,
    },
    kubernetesVersion: {
      description: 'The simulated cluster version: {major, minor}, e.g. {major: 1, minor: 35}.',
      compute: (c) => ({ major: c.version.major, minor: c.version.minor }),
    },
  },
  events: {
    sortKey: {
      description: 'One criterion of the deletion order and the pod’s value for it.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['position', 'value', 'order'],
        properties: {
          position: { type: 'integer', minimum: 1 },
          value: { type: ['number', 'boolean', 'string', 'null'] },
          order: { enum: ['ascending', 'descending'] },
          scale: { enum: ['linear', 'logarithmic'] },
        },
      },
    },
  },
});
