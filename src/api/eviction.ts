// The pods/eviction subresource (k8s:pkg/registry/core/pod/storage/eviction.go): a pod that is not running
// yet, has finished or is already being deleted goes at once; otherwise the one PodDisruptionBudget that
// selects it must allow a disruption, which the eviction takes (checkAndDecrement: disruptionsAllowed − 1 and
// the pod in status.disruptedPods, so the disruption controller stops counting it before it is gone). The
// pod gets the DisruptionTarget condition and is deleted gracefully.

import type { ApiServer, DeleteOptions } from './apiserver';
import type { PodDisruptionBudgetObject } from './disruption-budgets';
import { selectorFromLabelSelector } from './labels';
import type { PodObject } from './pods';
import { ApiError, type Store } from './store';

/** A cause of a refusal (metav1.StatusCause), e.g. which budget refused and why. */
export interface StatusCause {
  type: string;
  message: string;
}

/** 429 TooManyRequests with the details' causes (errors.NewTooManyRequests). */
export class TooManyRequestsError extends ApiError {
  constructor(
    message: string,
    readonly statusCauses: readonly StatusCause[],
  ) {
    super('TooManyRequests', message);
  }
}

const REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';
/** MaxDisruptedPodSize. */
const MAX_DISRUPTED_POD_SIZE = 2000;

/** What checkAndDecrement decides for a budget: refuse with an error, or the budget's next status. */
export function checkAndDecrement(
  pdb: PodDisruptionBudgetObject,
  podName: string,
  timestamp: string,
): { error: ApiError } | { status: NonNullable<PodDisruptionBudgetObject['status']> } {
  const status = structuredClone(pdb.status ?? {}) as NonNullable<PodDisruptionBudgetObject['status']>;
  const name = pdb.metadata.name as string;
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) {
    return {
      error: new TooManyRequestsError(REFUSED, [
        {
          type: DISRUPTION_BUDGET_CAUSE,
          message: `The disruption budget ${name} is still being processed by the server.`,
        },
      ]),
    };
  }
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0) return { error: forbidden(name, 'pdb disruptions allowed is negative') };
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    return {
      error: forbidden(
        name,
        'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
      ),
    };
  }
  if (allowed === 0) {
    return {
      error: new TooManyRequestsError(REFUSED, [
        {
          type: DISRUPTION_BUDGET_CAUSE,
          message: `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
        },
      ]),
    };
  }
  status.disruptionsAllowed = allowed - 1;
  if (status.disruptionsAllowed === 0) {
    // UpdateDisruptionAllowedCondition, done by the API server as it takes the last allowed disruption.
    const condition = status.conditions?.find((c) => c.type === 'DisruptionAllowed');
    if (condition && condition.status !== 'False') {
      condition.status = 'False';
      condition.reason = 'InsufficientPods';
      condition.lastTransitionTime = timestamp;
    }
  }
  status.disruptedPods = { ...(status.disruptedPods ?? {}), [podName]: timestamp };
  return { status };
}

function forbidden(name: string, reason: string): ApiError {
  return new ApiError('Forbidden', `poddisruptionbudgets.policy "${name}" is forbidden: ${reason}`);
}

/** canIgnorePDB: no budget protects a pod that is pending, finished, or already being deleted. */
export function canIgnoreBudget(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Pending' ||
    pod.metadata.deletionTimestamp !== undefined
  );
}

/** The budgets of the pod's namespace that select it (an empty selector selects every pod in policy/v1). */
export function budgetsFor(store: Store, pod: PodObject): PodDisruptionBudgetObject[] {
  return (store.list('PodDisruptionBudget', pod.metadata.namespace) as PodDisruptionBudgetObject[]).filter(
    (pdb) => {
      try {
        return selectorFromLabelSelector(pdb.spec?.selector).matches(pod.metadata.labels);
      } catch {
        return false;
      }
    },
  );
}

export class EvictionApi {
  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
  ) {}

  /** POST pods/NAME/eviction. */
  async evict(namespace: string, name: string, options: DeleteOptions = {}): Promise<void> {
    const pod = this.store.get('Pod', namespace, name) as PodObject | undefined;
    if (!pod) throw new ApiError('NotFound', `pods "${name}" not found`);
    if (!canIgnoreBudget(pod)) this.guard(pod);
    this.markDisruptionTarget(pod);
    await this.api.delete('Pod', namespace, name, options);
  }

  // The PDB part of EvictionREST.Create.
  private guard(pod: PodObject): void {
    const pdbs = budgetsFor(this.store, pod);
    if (pdbs.length > 1) {
      throw new ApiError(
        'InternalError',
        'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      );
    }
    if (pdbs.length === 0) return;
    const pdb = pdbs[0];
    const status: Partial<NonNullable<PodDisruptionBudgetObject['status']>> = pdb.status ?? {};
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (!ready) {
      // An unready pod does not count as healthy: evicting it costs the budget nothing when the budget is met
      // (IfHealthyBudget, the default) or always (AlwaysAllow).
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return;
      const desired = status.desiredHealthy ?? 0;
      if ((status.currentHealthy ?? 0) >= desired && desired > 0) return;
    }
    const decision = checkAndDecrement(pdb, pod.metadata.name as string, this.store.clock.timestamp());
    if ('error' in decision) throw decision.error;
    this.store.mutate('PodDisruptionBudget', pdb.metadata.namespace, pdb.metadata.name as string, (draft) => {
      draft.status = decision.status;
    });
  }

  // addConditionAndDeletePod: DisruptionTarget, reason EvictionByEvictionAPI, its time kept when already True.
  private markDisruptionTarget(pod: PodObject): void {
    const now = this.store.clock.timestamp();
    this.store.mutate<PodObject>('Pod', pod.metadata.namespace, pod.metadata.name as string, (p) => {
      const conditions = p.status?.conditions ?? [];
      const existing = conditions.find((c) => c.type === 'DisruptionTarget');
      const next = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'EvictionByEvictionAPI',
        message: 'Eviction API: evicting',
        lastTransitionTime: existing?.status === 'True' ? existing.lastTransitionTime : now,
      };
      p.status = {
        ...(p.status ?? {}),
        conditions: [...conditions.filter((c) => c.type !== 'DisruptionTarget'), next],
      };
    });
  }
}
