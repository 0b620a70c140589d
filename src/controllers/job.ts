// The Job controller (k8s:pkg/controller/job/job_controller.go syncJob, manageJob, trackJobStatusAndRemoveFinalizers):
// it runs the Job's pods — up to parallelism at a time, until completions of them succeeded, one per index for an
// Indexed Job — counts the ones that finished, and asks the job.failure rules whether the Job has failed and how
// long replacements of failed pods wait. A finishing Job gets FailureTarget or SuccessCriteriaMet first and its
// terminal Failed or Complete condition once no pod of it is still terminating (v1.31 and later).
//
// Each sync claims the Job's pods with its selector (getPodsForJob): the orphans it matches are adopted, its pods
// that stopped matching released. The API server generates that selector from the Job's uid
// (`batch.kubernetes.io/controller-uid`) unless `manualSelector` is true, so only a Job with a selector of its own
// adopts pods it did not create.
//
// Kubernetes keeps a finalizer on each pod until it is counted; kubespec keeps the counted pods' uids in the
// controller instead, and counts a pod that disappears uncounted as its finalizer would let it be counted.
import type { JobCondition } from 'kubernetes-types/batch/v1';
import type { ApiServer } from '../api/apiserver';
import { sameJson } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import { JOB_COMPLETION_INDEX, type JobObject } from '../api/jobs';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import { parseDuration } from '../sim/clock';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';
import type { ControlledObjects } from './controlled-objects';
import { claimObjects, parseSelector } from './controller-ref-manager';
import type { JobFailureContext } from './job-failure-rules';
import {
  activePodsForRemoval,
  addCompletionIndexEnv,
  type BackoffRecord,
  completionIndexOf,
  firstPendingIndexes,
  formatIndexes,
  indexedGenerateName,
  nextBackoffRecord,
  parseIndexes,
  remainingBackoff,
} from './job-pods';
import { createPod, deletePod, type PodControl, podFromTemplate } from './pod-control';
import { isPodActive, isPodReady, isPodTerminating } from './pod-states';

/** syncJobBatchPeriod: pod changes are looked at a second later, in one sync. */
const SYNC_BATCH_PERIOD = 1000;
/** MaxPodCreateDeletePerSync. */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const COMPONENT = 'job-controller';

type JobStatus = NonNullable<JobObject['status']>;

/** What the controller remembers of a Job between syncs (Kubernetes keeps it in finalizers and its backoff store). */
interface JobMemory {
  counted: Set<string>;
  /** Pods removed from the store before they were counted. */
  gone: Map<string, PodObject>;
  backoff: BackoffRecord;
}

export class JobController implements Controller {
  readonly name = 'job';
  private readonly control: PodControl;
  private readonly memory = new Map<string, JobMemory>();
  /** The time of the batched sync already waiting for each Job. */
  private readonly batched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    api: ApiServer,
    private readonly loop: ReconcileLoop,
    recorder: EventRecorder,
    private readonly rules: () => Evaluator,
    private readonly trace: DecisionTrace,
    private readonly pods: ControlledObjects<PodObject>,
  ) {
    this.control = { api, recorder, component: COMPONENT };
    // addJob, deleteJob and spec updates sync at once; the controller's own status writes are no news.
    store.watch('Job', (type, obj, old) => {
      const changed =
        type !== 'MODIFIED' ||
        obj.metadata.generation !== old?.metadata.generation ||
        obj.metadata.deletionTimestamp !== old?.metadata.deletionTimestamp;
      if (changed) loop.enqueue(this, keyOf(obj));
    });
    // addPod, updatePod, deletePod: the pod's Job, or for an orphan every Job of its namespace that selects it
    // (getPodJobs), each in a batched sync.
    pods.onControlled('Job', (owner, namespace, type, obj) => {
      const key = `${namespace}/${owner.name}`;
      const pod = obj as PodObject;
      if (type === 'DELETED') this.rememberGone(key, owner.uid, pod);
      this.enqueueBatched(key);
    });
    pods.onOrphan((pod) => {
      for (const job of store.list('Job', pod.metadata.namespace)) {
        const selector = parseSelector((job as JobObject).spec?.selector);
        if (selector && !selector.isEmpty() && selector.matches(pod.metadata.labels)) {
          this.enqueueBatched(keyOf(job));
        }
      }
    });
  }

  // getPodsForJob: ClaimPods over the Job's pods and the orphans of its namespace. Kubernetes also puts its
  // tracking finalizer on the pods it adopts; here an adopted pod is counted like any other (see above).
  private claimPods(job: JobObject): PodObject[] | undefined {
    const selector = parseSelector(job.spec?.selector);
    if (!selector) return undefined;
    return claimObjects({
      store: this.store,
      controller: job,
      matches: (labels) => selector.matches(labels),
      objects: this.pods.ownedOrOrphaned(job.metadata.uid as string, job.metadata.namespace as string),
    });
  }

  private enqueueBatched(key: string): void {
    const at = this.store.clock.now() + SYNC_BATCH_PERIOD;
    const pending = this.batched.get(key);
    if (pending !== undefined && pending <= at) return;
    this.batched.set(key, at);
    this.loop.schedule(this, key, at);
  }

  private rememberGone(key: string, uid: string, pod: PodObject): void {
    const memory = this.memory.get(key);
    if (!memory || memory.counted.has(pod.metadata.uid as string)) return;
    const job = this.store.get('Job', pod.metadata.namespace, key.split('/')[1]);
    if (job?.metadata.uid !== uid) return;
    // The finalizer would have kept the pod with a deletion timestamp: it finished when it was deleted.
    const deleted = pod.metadata.deletionTimestamp
      ? pod
      : {
          ...pod,
          metadata: {
            ...pod.metadata,
            deletionTimestamp: this.store.clock.timestamp(),
            deletionGracePeriodSeconds: 0,
          },
        };
    memory.gone.set(pod.metadata.uid as string, deleted);
  }

  async reconcile(key: string): Promise<void> {
    const now = this.store.clock.now();
    if ((this.batched.get(key) ?? Number.POSITIVE_INFINITY) <= now) this.batched.delete(key);
    const [namespace, name] = key.split('/');
    const job = this.store.get('Job', namespace, name) as JobObject | undefined;
    if (!job?.spec || isFinished(job)) {
      this.memory.delete(key);
      return;
    }
    let memory = this.memory.get(key);
    if (!memory) {
      memory = { counted: new Set(), gone: new Map(), backoff: { failuresSinceSuccess: 0 } };
      this.memory.set(key, memory);
    }
    await this.sync(key, job, memory, now);
  }

  // syncJob
  private async sync(key: string, job: JobObject, memory: JobMemory, now: number): Promise<void> {
    const spec = job.spec as NonNullable<JobObject['spec']>;
    const status: JobStatus = structuredClone(job.status ?? {});
    status.uncountedTerminatedPods ??= {};
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions;
    const claimed = this.claimPods(job);
    if (!claimed) return;
    const pods = [...claimed, ...memory.gone.values()];
    const live = pods.filter((p) => !memory.gone.has(p.metadata.uid as string));
    const active = live.filter(isPodActive);
    let ready = active.filter(isPodReady).length;
    // CountTerminatingPods: being deleted, not finished yet.
    let terminating = live.filter(isPodTerminating).length;
    const validIndex = (p: PodObject) =>
      !indexed || (completionIndexOf(p) >= 0 && completionIndexOf(p) < (completions ?? 0));
    const uncounted = (p: PodObject) => !memory.counted.has(p.metadata.uid as string) && validIndex(p);
    const newSucceeded = pods.filter((p) => uncounted(p) && p.status?.phase === 'Succeeded');
    const newFailed = pods.filter((p) => uncounted(p) && isPodFailed(p, job));
    let succeeded = (status.succeeded ?? 0) + newSucceeded.length;
    const failed = (status.failed ?? 0) + newFailed.length;
    const suspended = spec.suspend === true;
    if (!status.startTime && !suspended) status.startTime = this.store.clock.timestamp(now);
    const backoff = nextBackoffRecord(memory.backoff, newSucceeded, newFailed);

    const stamp = this.store.clock.timestamp(now);
    const decision = await this.rules().evaluate(
      this.failureContext(job, status, live, failed, backoff, now),
    );
    let finished: JobCondition | undefined = findCondition(status, 'SuccessCriteriaMet');
    if (!finished) {
      const target = findCondition(status, 'FailureTarget');
      const fail = decision.events.find((e) => e.type === 'fail');
      if (target?.status === 'True') finished = condition('Failed', target.reason, target.message, stamp);
      else if (fail) {
        finished = condition('FailureTarget', String(fail.params.reason), String(fail.params.message), stamp);
        this.traceDecision(key, decision, `fails: ${fail.params.reason}`, now);
      } else if (spec.activeDeadlineSeconds !== undefined && !suspended && status.startTime) {
        this.loop.schedule(this, key, Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000);
      }
    }
    let succeededIndexes: Set<number> | undefined;
    if (indexed) {
      succeededIndexes = parseIndexes(status.completedIndexes, completions ?? 0);
      for (const p of pods)
        if (p.status?.phase === 'Succeeded' && validIndex(p)) succeededIndexes.add(completionIndexOf(p));
      succeeded = succeededIndexes.size;
    }

    let activeCount = active.length;
    const changes: JobCondition[] = [];
    if (finished) {
      // deleteActivePods: a finished Job keeps no running pod.
      for (const pod of active) {
        await deletePod(this.control, job, pod);
        if (isPodReady(pod)) ready -= 1;
      }
      terminating += active.length;
      activeCount = 0;
    } else {
      if (!job.metadata.deletionTimestamp) {
        activeCount = await this.manage(
          job,
          active,
          succeeded,
          succeededIndexes,
          backoff,
          decision,
          now,
          (removed) => {
            terminating += removed.length;
            ready -= removed.filter(isPodReady).length;
          },
        );
      }
      const complete =
        completions === undefined
          ? succeeded > 0 && activeCount === 0
          : succeeded >= completions && activeCount === 0;
      if (complete) {
        finished = condition(
          'SuccessCriteriaMet',
          'CompletionsReached',
          'Reached expected number of succeeded pods',
          stamp,
        );
      } else changes.push(...this.suspendConditions(job, status, now));
    }

    // trackJobStatusAndRemoveFinalizers: the finished pods are counted; once the Job has failed, every pod not yet
    // counted counts as failed.
    for (const p of newSucceeded) memory.counted.add(p.metadata.uid as string);
    for (const p of newFailed) memory.counted.add(p.metadata.uid as string);
    let failedCount = failed;
    if (finished && finished.type !== 'SuccessCriteriaMet') {
      for (const p of pods) {
        const uid = p.metadata.uid as string;
        if (memory.counted.has(uid) || p.status?.phase === 'Succeeded' || !validIndex(p)) continue;
        memory.counted.add(uid);
        failedCount += 1;
      }
    }
    for (const uid of memory.counted) memory.gone.delete(uid);
    memory.backoff = backoff;
    status.succeeded = succeeded;
    status.failed = failedCount;
    status.active = activeCount;
    status.ready = ready;
    status.terminating = terminating;
    if (succeededIndexes) status.completedIndexes = formatIndexes(succeededIndexes);
    status.conditions = mergeConditions(status.conditions ?? [], changes);

    let final: JobCondition | undefined;
    if (finished?.type === 'FailureTarget') {
      status.conditions = [...status.conditions, finished];
      final = condition('Failed', finished.reason, finished.message, stamp);
    } else if (finished?.type === 'SuccessCriteriaMet') {
      if (!findCondition(status, 'SuccessCriteriaMet')) status.conditions = [...status.conditions, finished];
      final = condition('Complete', finished.reason, finished.message, stamp);
    } else final = finished;
    // enactJobFinished: the terminal condition waits for the Job's terminating pods.
    const done = final !== undefined && terminating === 0;
    if (done && final) {
      status.conditions = mergeConditions(status.conditions, [final]);
      if (final.type === 'Complete') status.completionTime = final.lastTransitionTime;
    }
    this.writeStatus(job, status);
    if (done && final) this.recordFinished(job, final, status);
  }

  private failureContext(
    job: JobObject,
    status: JobStatus,
    pods: readonly PodObject[],
    failed: number,
    backoff: BackoffRecord,
    now: number,
  ): JobFailureContext {
    const spec = job.spec as NonNullable<JobObject['spec']>;
    let restartCount = 0;
    for (const p of pods) {
      if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
      for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
        restartCount += s.restartCount ?? 0;
      }
    }
    return {
      failed,
      backoffLimit: spec.backoffLimit ?? 6,
      restartPolicy: spec.template.spec?.restartPolicy ?? '',
      restartCount,
      activeDeadlineSeconds: spec.activeDeadlineSeconds ?? null,
      activeSeconds: status.startTime ? (now - Date.parse(status.startTime)) / 1000 : 0,
      suspended: spec.suspend === true,
      failuresSinceSuccess: backoff.failuresSinceSuccess,
    };
  }

  // manageJob: the number of active pods the Job should have; returns the active count after deletions or
  // creations.
  private async manage(
    job: JobObject,
    active: PodObject[],
    succeeded: number,
    succeededIndexes: Set<number> | undefined,
    backoff: BackoffRecord,
    decision: Awaited<ReturnType<Evaluator['evaluate']>>,
    now: number,
    removed: (pods: PodObject[]) => void,
  ): Promise<number> {
    const spec = job.spec as NonNullable<JobObject['spec']>;
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions;
    const key = keyOf(job);
    if (spec.suspend) {
      for (const pod of active) await deletePod(this.control, job, pod);
      removed(active);
      return 0;
    }
    let want: number;
    if (completions === undefined) want = succeeded > 0 ? active.length : parallelism;
    else want = Math.max(0, Math.min(completions - succeeded, parallelism));
    const indexes = spec.completionMode === 'Indexed' ? completions : undefined;
    const toDelete = activePodsForRemoval(active, Math.max(active.length - want, 0), indexes).slice(
      0,
      MAX_POD_CREATE_DELETE_PER_SYNC,
    );
    if (toDelete.length > 0) {
      for (const pod of toDelete) await deletePod(this.control, job, pod);
      removed(toDelete);
      return active.length - toDelete.length;
    }
    let diff = want - active.length;
    if (diff <= 0) return active.length;
    const rule = decision.events.find((e) => e.type === 'backoff');
    const remaining = rule
      ? remainingBackoff(
          backoff,
          parseDuration(String(rule.params.initial)),
          parseDuration(String(rule.params.max)),
          now,
        )
      : 0;
    if (remaining > 0) {
      // enqueueSyncJobWithDelay, at least the batch period; manageJob then reports no active pod.
      this.loop.schedule(this, key, now + Math.max(remaining, SYNC_BATCH_PERIOD));
      this.traceDecision(key, decision, `replacement pods wait ${remaining / 1000}s`, now);
      return 0;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    const template = structuredClone(spec.template);
    let toCreate: (number | undefined)[] = new Array(diff).fill(undefined);
    if (succeededIndexes && completions !== undefined) {
      addCompletionIndexEnv(template);
      toCreate = firstPendingIndexes(diff, completions, succeededIndexes, active);
    }
    let created = 0;
    for (const index of toCreate) {
      const pod =
        index === undefined
          ? podFromTemplate({ template, owner: job })
          : podFromTemplate({
              template,
              owner: job,
              generateNamePrefix: indexedGenerateName(job.metadata.name as string, index),
              annotations: { [JOB_COMPLETION_INDEX]: String(index) },
              labels: { [JOB_COMPLETION_INDEX]: String(index) },
            });
      if (index !== undefined)
        (pod.spec as NonNullable<PodObject['spec']>).hostname = `${job.metadata.name}-${index}`;
      if (await createPod(this.control, job, pod)) created += 1;
    }
    return active.length + created;
  }

  // The Suspended condition and its events, as syncJob keeps them while the Job is not finished.
  private suspendConditions(job: JobObject, status: JobStatus, now: number): JobCondition[] {
    const suspended = job.spec?.suspend === true;
    const existing = findCondition(status, 'Suspended');
    if (suspended) {
      if (existing?.status === 'True') return [];
      this.event(job, 'Normal', 'Suspended', 'Job suspended');
      return [condition('Suspended', 'JobSuspended', 'Job suspended', this.store.clock.timestamp(now))];
    }
    if (!existing || existing.status === 'False') return [];
    this.event(job, 'Normal', 'Resumed', 'Job resumed');
    // A resumed Job's active deadline counts from now.
    status.startTime = this.store.clock.timestamp(now);
    return [
      {
        ...condition('Suspended', 'JobResumed', 'Job resumed', this.store.clock.timestamp(now)),
        status: 'False',
      },
    ];
  }

  private writeStatus(job: JobObject, status: JobStatus): void {
    const stored = withoutZeroCounts(status);
    if (sameJson(stored, job.status)) return;
    this.store.mutate<JobObject>('Job', job.metadata.namespace, job.metadata.name as string, (j) => {
      j.status = stored;
    });
  }

  // recordJobFinished
  private recordFinished(job: JobObject, final: JobCondition, status: JobStatus): void {
    if (final.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && (status.succeeded ?? 0) > completions) {
        this.event(
          job,
          'Warning',
          'TooManySucceededPods',
          'Too many succeeded pods running after completion count reached',
        );
      }
      this.event(job, 'Normal', 'Completed', 'Job completed');
    } else this.event(job, 'Warning', final.reason ?? '', final.message ?? '');
  }

  private event(job: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const current = this.store.get('Job', job.metadata.namespace, job.metadata.name as string) ?? job;
    this.control.recorder.record(current, type, reason, message, { component: COMPONENT });
  }

  private traceDecision(
    key: string,
    decision: Awaited<ReturnType<Evaluator['evaluate']>>,
    outcome: string,
    now: number,
  ) {
    this.trace.add({ kind: 'decision', time: now, subject: `job ${key}`, decision, outcome });
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

/** IsJobFinished: a True Complete or Failed condition. */
function isFinished(job: JobObject): boolean {
  return (job.status?.conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
function isPodFailed(pod: PodObject, job: JobObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (job.spec?.podReplacementPolicy === 'Failed') return false;
  return pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

function findCondition(status: JobStatus, type: string): JobCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

function condition(
  type: string,
  reason: string | undefined,
  message: string | undefined,
  at: string,
): JobCondition {
  return { type, status: 'True', lastProbeTime: at, lastTransitionTime: at, reason, message };
}

// ensureJobConditionStatus: a condition of the same type is replaced when its status, reason or message changed;
// a new one is appended unless it is False.
function mergeConditions(list: JobCondition[], changes: readonly JobCondition[]): JobCondition[] {
  const out = [...list];
  for (const c of changes) {
    const i = out.findIndex((o) => o.type === c.type);
    if (i >= 0) {
      const o = out[i];
      if (o.status !== c.status || o.reason !== c.reason || o.message !== c.message) out[i] = c;
    } else if (c.status !== 'False') out.push(c);
  }
  return out;
}

/** The status as batch/v1 serialises it: active, succeeded and failed are omitted at 0, an empty index list too. */
function withoutZeroCounts(status: JobStatus): JobStatus {
  const out: JobStatus = { ...status };
  for (const key of ['active', 'succeeded', 'failed'] as const) if (!out[key]) delete out[key];
  if (!out.completedIndexes) delete out.completedIndexes;
  if (out.conditions?.length === 0) delete out.conditions;
  return out;
}
