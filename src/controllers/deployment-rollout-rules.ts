// The `deployment.rollout` decision point: one step of a RollingUpdate — how far to grow the new ReplicaSet
// and how far to shrink the old ones, given maxSurge and maxUnavailable. The controller (./deployment.ts) asks
// at every sync of a rolling Deployment, computes the counts below from the ReplicaSets' specs and statuses,
// and applies the events in Kubernetes' order: grow the new set first; only when it did not grow, clean up
// unhealthy old replicas and scale the old sets down (k8s:pkg/controller/deployment/rolling.go).
import type { DeploymentObject, ReplicaSetObject } from '../api/replica-sets';
import { defineDecisionPoint } from '../rules/decision-point';
import type { KubernetesVersion } from '../sim/version';
import {
  activeReplicaSets,
  desiredReplicas,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  replicaCount,
  specReplicas,
  statusCount,
} from './deployment-util';

export interface RolloutContext {
  desired: number;
  /** ResolveFenceposts' results, maxUnavailable capped at the desired count (MaxUnavailable). */
  maxSurge: number;
  maxUnavailable: number;
  /** The new ReplicaSet's spec.replicas and status.availableReplicas. */
  newReplicas: number;
  newAvailable: number;
  /** NewRSNewReplicas: the new set's size once grown as far as maxSurge allows. */
  newReplicasWithinSurge: number;
  /** Sums over the old ReplicaSets that still have replicas. */
  oldReplicas: number;
  oldAvailable: number;
  /** spec.replicas over all the Deployment's ReplicaSets. */
  totalReplicas: number;
  /** Available replicas of the new ReplicaSet and of the old ones that still have replicas. */
  availableReplicas: number;
  version: KubernetesVersion;
}

/** The facts of one rolling-update step of `d`, from its new ReplicaSet and its old ones. */
export function rolloutContext(
  d: DeploymentObject,
  newRS: ReplicaSetObject,
  oldRSs: readonly ReplicaSetObject[],
  version: KubernetesVersion,
): RolloutContext {
  const allRSs = [...oldRSs, newRS];
  const activeOld = activeReplicaSets([...oldRSs]);
  return {
    desired: desiredReplicas(d),
    maxSurge: maxSurge(d),
    maxUnavailable: maxUnavailable(d),
    newReplicas: specReplicas(newRS),
    newAvailable: newRS.status?.availableReplicas ?? 0,
    newReplicasWithinSurge: newRSNewReplicas(d, allRSs, newRS),
    oldReplicas: replicaCount(activeOld),
    oldAvailable: statusCount(activeOld, 'availableReplicas'),
    totalReplicas: replicaCount(allRSs),
    // scaleDownOldReplicaSetsForRollingUpdate counts the old sets that still have replicas, and the new one.
    availableReplicas: statusCount([...activeOld, newRS], 'availableReplicas'),
    version,
  };
}

const count = (description: string, compute: (c: RolloutContext) => number) => ({ description, compute });

export const deploymentRollout = defineDecisionPoint<RolloutContext>({
  name: 'deployment.rollout',
  askedBy: 'the Deployment controller, at each sync of a Deployment with the RollingUpdate strategy',
  description:
    'One step of a rolling update. `scaleNewReplicaSet {to}` sets the new ReplicaSet to that many replicas; when it ' +
    'changes it, the step ends there. Otherwise `cleanupUnhealthyOld {upTo}` removes replicas of the old ReplicaSets ' +
    'that are not available, oldest ReplicaSet first, at most `upTo` of them, and `scaleDownOld {by}` scales the old ' +
    'ReplicaSets down by `by` replicas in all, oldest first. No event: nothing changes in this step. The ' +
    'Deployment is synced again whenever one of its ReplicaSets changes (pods created, ready, available, gone).',
  facts: {
    desiredReplicas: count("The Deployment's spec.replicas.", (c) => c.desired),
    maxSurge: count(
      'maxSurge resolved against the desired count (percentages rounded up).',
      (c) => c.maxSurge,
    ),
    maxUnavailable: count(
      'maxUnavailable resolved against the desired count (percentages rounded down; 1 when both it and maxSurge come out 0).',
      (c) => c.maxUnavailable,
    ),
    minAvailable: count('desiredReplicas − maxUnavailable.', (c) => c.desired - c.maxUnavailable),
    newReplicas: count("The new ReplicaSet's spec.replicas.", (c) => c.newReplicas),
    newAvailableReplicas: count("The new ReplicaSet's available replicas.", (c) => c.newAvailable),
    newUnavailableReplicas: count(
      "The new ReplicaSet's replicas that are not available yet.",
      (c) => c.newReplicas - c.newAvailable,
    ),
    newReplicasWithinSurge: count(
      'The new ReplicaSet grown as far as desiredReplicas + maxSurge allows in total, never past desiredReplicas.',
      (c) => c.newReplicasWithinSurge,
    ),
    oldReplicas: count("The old ReplicaSets' replicas (spec).", (c) => c.oldReplicas),
    oldAvailableReplicas: count("The old ReplicaSets' available replicas.", (c) => c.oldAvailable),
    totalReplicas: count("All the Deployment's ReplicaSets' replicas (spec).", (c) => c.totalReplicas),
    availableReplicas: count(
      'The available replicas of the new ReplicaSet and of the old ReplicaSets that still have replicas.',
      (c) => c.availableReplicas,
    ),
    maxScaledDown: count(
      'totalReplicas − minAvailable − newUnavailableReplicas: how many old replicas may go without the new ones making up for them.',
      (c) => c.totalReplicas - (c.desired - c.maxUnavailable) - (c.newReplicas - c.newAvailable),
    ),
    availableAboveMinimum: count(
      'availableReplicas − minAvailable: how many available replicas may go.',
      (c) => c.availableReplicas - (c.desired - c.maxUnavailable),
    ),
    kubernetesVersion: {
      description: 'The simulated cluster version: {major, minor}, e.g. {major: 1, minor: 35}.',
      compute: (c) => ({ major: c.version.major, minor: c.version.minor }),
    },
  },
  events: {
    scaleNewReplicaSet: {
      description: 'Set the new ReplicaSet to `to` replicas.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['to'],
        properties: { to: { type: 'integer', minimum: 0 } },
      },
    },
    cleanupUnhealthyOld: {
      description: 'Scale the old ReplicaSets down by their unavailable replicas, at most `upTo` in all.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['upTo'],
        properties: { upTo: { type: 'integer', minimum: 0 } },
      },
    },
    scaleDownOld: {
      description: 'Scale the old ReplicaSets down by `by` replicas in all, oldest first.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['by'],
        properties: { by: { type: 'integer', minimum: 0 } },
      },
    },
  },
});
