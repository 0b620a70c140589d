// The `job.failure` decision point: when a Job has failed for good, and how long its replacement pods wait after
// failures. The mechanics follow k8s:pkg/controller/job/job_controller.go syncJob (the counts, the deadline, when to
// ask) and backoff_utils.go (the failures since the last success and their time); the shipped rules say what
// Kubernetes hard-codes: the backoff limit counts failed pods (restartPolicy Never) or container restarts
// (OnFailure), activeDeadlineSeconds ends the Job, and replacements wait 10 s doubling up to 10 minutes.
import { DURATION_SCHEMA } from '../node/restart-rules';
import { defineDecisionPoint } from '../rules/decision-point';

export interface JobFailureContext {
  /** status.failed with the pods that failed since the last sync. */
  failed: number;
  backoffLimit: number;
  restartPolicy: string;
  /** Container restarts of the Job's pods that are Pending or Running. */
  restartCount: number;
  activeDeadlineSeconds: number | null;
  /** Seconds since status.startTime (0 before the Job started). */
  activeSeconds: number;
  suspended: boolean;
  /** Failed pods since the last succeeded one. */
  failuresSinceSuccess: number;
}

export const jobFailure = defineDecisionPoint<JobFailureContext>({
  name: 'job.failure',
  askedBy: 'the Job controller, on each sync of a Job that has not finished',
  description:
    'Whether the Job has failed, and the back-off of the pods that replace failed ones. `fail {reason, message}`: the ' +
    'Job fails — its running pods are deleted, it gets the FailureTarget condition at once and the Failed condition ' +
    '(with a Warning event of that reason and message) once its pods are gone; the highest-priority `fail` counts. ' +
    '`backoff {initial, max}`: after n consecutive failed pods a replacement is created `initial` × 2^(n-1) (at most ' +
    '`max`) after the last failure. Without `backoff`, replacements are created at once.',
  facts: {
    failed: {
      description: 'Failed pods counted so far (status.failed and new ones).',
      compute: (c) => c.failed,
    },
    backoffLimit: { description: 'spec.backoffLimit (default 6).', compute: (c) => c.backoffLimit },
    restartPolicy: {
      description: "The pod template's restartPolicy: OnFailure or Never.",
      compute: (c) => c.restartPolicy,
    },
    restartCount: {
      description: 'The sum of container restart counts over the Job pods that are Pending or Running.',
      compute: (c) => c.restartCount,
    },
    activeDeadlineSeconds: {
      description: 'spec.activeDeadlineSeconds, or null.',
      compute: (c) => c.activeDeadlineSeconds,
    },
    activeSeconds: {
      description: 'How long the Job has been active: seconds since status.startTime (fractions kept).',
      compute: (c) => c.activeSeconds,
    },
    suspended: { description: 'spec.suspend.', compute: (c) => c.suspended },
    failuresSinceSuccess: {
      description:
        'Pods that failed since the last one that succeeded (what the replacement back-off counts).',
      compute: (c) => c.failuresSinceSuccess,
    },
  },
  events: {
    fail: {
      description: 'The Job fails with this condition reason and message.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['reason', 'message'],
        properties: { reason: { type: 'string', minLength: 1 }, message: { type: 'string' } },
      },
    },
    backoff: {
      description: 'The replacement back-off: the first wait and its cap, as durations (10s, 10m).',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['initial', 'max'],
        properties: { initial: DURATION_SCHEMA, max: DURATION_SCHEMA },
      },
    },
  },
});
