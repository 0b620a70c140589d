// Every decision point of the simulated cluster: what `kubespec rules --describe` lists and what a rules
// directory may contain (one sub-directory per decision point).
import { admission } from './api/admission-rules';
import { deploymentRollout } from './controllers/deployment-rollout-rules';
import { jobFailure } from './controllers/job-failure-rules';
import { nodeConditions } from './controllers/node-conditions-rules';
import { replicaSetScaleDown } from './controllers/scale-down-rules';
import { taintEviction } from './controllers/taint-eviction-rules';
import { serviceEndpoints } from './network/endpoints-rules';
import { kubeletEviction } from './node/eviction-rules';
import { kubeletRestart } from './node/restart-rules';
import type { AnyDecisionPoint } from './rules/decision-point';
import { schedulingFilter, schedulingScore } from './scheduler/decision-points';

export const DECISION_POINTS: ReadonlyMap<string, AnyDecisionPoint> = new Map(
  [
    admission,
    schedulingFilter,
    schedulingScore,
    taintEviction,
    kubeletRestart,
    kubeletEviction,
    nodeConditions,
    serviceEndpoints,
    replicaSetScaleDown,
    deploymentRollout,
    jobFailure,
  ].map((p) => [p.name, p as AnyDecisionPoint]),
);
