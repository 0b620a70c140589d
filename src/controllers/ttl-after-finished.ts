// The TTL-after-finished controller (k8s:pkg/controller/ttlafterfinished/ttlafterfinished_controller.go): a
// finished Job with spec.ttlSecondsAfterFinished is deleted that many seconds after its Complete or Failed
// condition, in the foreground: the garbage collector deletes its pods before the Job goes.
import type { ApiServer } from '../api/apiserver';
import type { JobObject } from '../api/jobs';
import { ApiError, type Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';

export class TTLAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished';

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    private readonly loop: ReconcileLoop,
  ) {
    store.watch('Job', (type, obj) => {
      if (type !== 'DELETED' && needsCleanup(obj as JobObject)) loop.enqueue(this, keyOf(obj as JobObject));
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const job = this.store.get('Job', namespace, name) as JobObject | undefined;
    if (!job || !needsCleanup(job)) return;
    const expireAt = (finishTime(job) as number) + (job.spec?.ttlSecondsAfterFinished as number) * 1000;
    if (this.store.clock.now() < expireAt) {
      this.loop.schedule(this, key, expireAt);
      return;
    }
    try {
      await this.api.delete('Job', namespace, name, { propagationPolicy: 'Foreground' });
    } catch (error) {
      if (!(error instanceof ApiError && error.reason === 'NotFound')) throw error;
    }
  }
}

function keyOf(job: JobObject): string {
  return `${job.metadata.namespace}/${job.metadata.name}`;
}

/** needsCleanup: a TTL is set, the Job is not being deleted, and it has finished. */
function needsCleanup(job: JobObject): boolean {
  return (
    job.spec?.ttlSecondsAfterFinished !== undefined &&
    !job.metadata.deletionTimestamp &&
    finishTime(job) !== undefined
  );
}

/** jobFinishTime: when the Complete or Failed condition turned True. */
function finishTime(job: JobObject): number | undefined {
  const done = job.status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return done?.lastTransitionTime ? Date.parse(done.lastTransitionTime) : undefined;
}
