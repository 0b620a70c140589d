import { expect } from 'chai';
import type { JobObject } from '../../src/api/jobs';
import type { PodObject } from '../../src/api/pods';
import { Cluster } from '../../src/cluster';
import type { JobFailureContext } from '../../src/controllers/job-failure-rules';
import { DECISION_POINTS } from '../../src/decision-points';
import { Policy } from '../../src/rules/policy';
import type { EngineKind } from '../../src/rules/types';
import { nodesFromTable } from '../../src/scenario/node-table';

// The Job controller and its job.failure rules, after k8s:pkg/controller/job/job_controller_test.go
// (TestControllerSyncJob: "job finish", "too many job failures", "WQ job finishing", "suspending a job",
// "resuming a suspended job"; TestSyncJobPastDeadline; TestPastDeadlineJobFinished; TestJobBackoffForOnFailure;
// TestJobBackoffOnRestartPolicyNever).

const base: JobFailureContext = {
  failed: 0,
  backoffLimit: 6,
  restartPolicy: 'Never',
  restartCount: 0,
  activeDeadlineSeconds: null,
  activeSeconds: 0,
  suspended: false,
  failuresSinceSuccess: 0,
};

for (const engine of ['compiled', 'json-rules-engine'] as EngineKind[]) {
  describe(`the job.failure rules (${engine})`, () => {
    const evaluator = Policy.load(DECISION_POINTS, { engine }).evaluator('job.failure');
    const fail = async (c: Partial<JobFailureContext>) => {
      const decision = await evaluator.evaluate({ ...base, ...c });
      return decision.events.find((e) => e.type === 'fail')?.params.reason;
    };

    // TestJobBackoffOnRestartPolicyNever: the Job fails when more pods failed than the limit allows.
    it('fails the Job once failed pods exceed backoffLimit', async () => {
      expect(await fail({ failed: 6 })).to.equal(undefined);
      expect(await fail({ failed: 7 })).to.equal('BackoffLimitExceeded');
      expect(await fail({ failed: 1, backoffLimit: 0 })).to.equal('BackoffLimitExceeded');
    });

    // TestJobBackoffForOnFailure: restarts of running and pending pods count, against backoffLimit.
    it('counts container restarts under OnFailure', async () => {
      const onFailure = { restartPolicy: 'OnFailure' };
      expect(await fail({ ...onFailure, restartCount: 5 })).to.equal(undefined);
      expect(await fail({ ...onFailure, restartCount: 6 })).to.equal('BackoffLimitExceeded');
      expect(await fail({ ...onFailure, backoffLimit: 0, restartCount: 0 })).to.equal(undefined);
      expect(await fail({ ...onFailure, backoffLimit: 0, restartCount: 1 })).to.equal('BackoffLimitExceeded');
      expect(await fail({ restartCount: 10 })).to.equal(undefined);
    });

    // TestSyncJobPastDeadline
    it('fails the Job at its active deadline, unless suspended', async () => {
      const deadline = { activeDeadlineSeconds: 10 };
      expect(await fail({ ...deadline, activeSeconds: 9.999 })).to.equal(undefined);
      expect(await fail({ ...deadline, activeSeconds: 10 })).to.equal('DeadlineExceeded');
      expect(await fail({ ...deadline, activeSeconds: 15, suspended: true })).to.equal(undefined);
      expect(await fail({ activeSeconds: 1e9 })).to.equal(undefined);
    });

    it('reports the backoff limit before the deadline when both are reached', async () => {
      expect(await fail({ failed: 7, activeDeadlineSeconds: 1, activeSeconds: 5 })).to.equal(
        'BackoffLimitExceeded',
      );
    });

    it('gives the messages Kubernetes gives', async () => {
      const messages = async (c: Partial<JobFailureContext>) =>
        (await evaluator.evaluate({ ...base, ...c })).events.find((e) => e.type === 'fail')?.params.message;
      expect(await messages({ failed: 7 })).to.equal('Job has reached the specified backoff limit');
      expect(await messages({ activeDeadlineSeconds: 1, activeSeconds: 1 })).to.equal(
        'Job was active longer than specified deadline',
      );
    });

    it('backs replacements off by 10s doubling to 10m', async () => {
      const decision = await evaluator.evaluate(base);
      expect(decision.events.find((e) => e.type === 'backoff')?.params).to.deep.equal({
        initial: '10s',
        max: '10m',
      });
    });
  });
}

function manifest(spec: Record<string, unknown>, annotations: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'foobar' },
    spec: {
      ...spec,
      template: {
        metadata: { annotations },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] },
      },
    },
  });
}

async function cluster(): Promise<Cluster> {
  const c = await Cluster.create();
  for (const n of nodesFromTable([{ name: 'n1', cpu: '32', memory: '64Gi' }])) await c.create(n);
  return c;
}

const job = (c: Cluster) => c.lastKnown('Job', 'default', 'foobar') as JobObject;
const conditions = (c: Cluster) => (job(c).status?.conditions ?? []).map((x) => [x.type, x.status, x.reason]);
const activePods = (c: Cluster) =>
  c.pods().filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

describe('the Job controller', () => {
  it('job finish: counts the succeeded pods and completes', async () => {
    const c = await cluster();
    await c.applyManifests(
      manifest({ completions: 5, parallelism: 2 }, { 'kubespec.io/exit-after': '10s' }),
      'job',
    );
    await c.reconcile();
    expect(job(c).status).to.include({ active: 2, ready: 0, terminating: 0 });
    await c.advance(60_000);
    expect(job(c).status).to.include({ succeeded: 5, ready: 0, terminating: 0 });
    expect(job(c).status?.active).to.equal(undefined);
    expect(conditions(c)).to.deep.equal([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
  });

  it('WQ job finishing: without completions, the first success stops new pods and the Job ends with the rest', async () => {
    const c = await cluster();
    await c.applyManifests(manifest({ parallelism: 3 }), 'job');
    await c.reconcile();
    const [first, ...rest] = c.pods();
    await c.annotate('Pod', 'default', first.metadata.name as string, 'kubespec.io/exit-after', '0s');
    await c.advance(5000);
    expect(c.pods()).to.have.length(3);
    expect(conditions(c)).to.deep.equal([]);
    for (const p of rest)
      await c.annotate('Pod', 'default', p.metadata.name as string, 'kubespec.io/exit-after', '0s');
    await c.advance(5000);
    expect(job(c).status?.succeeded).to.equal(3);
    expect(conditions(c).map(([type]) => type)).to.deep.equal(['SuccessCriteriaMet', 'Complete']);
  });

  it('too many job failures: the last failed pod is counted and the Job fails', async () => {
    const c = await cluster();
    await c.applyManifests(
      manifest({ backoffLimit: 1 }, { 'kubespec.io/exit-after': '1s', 'kubespec.io/exit-code': '3' }),
      'job',
    );
    await c.advance(60_000);
    expect(job(c).status?.failed).to.equal(2);
    expect(conditions(c)).to.deep.equal([
      ['FailureTarget', 'True', 'BackoffLimitExceeded'],
      ['Failed', 'True', 'BackoffLimitExceeded'],
    ]);
  });

  it('counts a pod deleted before it finished as failed, and replaces it after the back-off', async () => {
    const c = await cluster();
    await c.applyManifests(manifest({}), 'job');
    await c.reconcile();
    const [pod] = c.pods();
    await c.delete('Pod', 'default', pod.metadata.name as string, { force: true });
    await c.advance(2000);
    expect(job(c).status?.failed).to.equal(1);
    expect(activePods(c)).to.have.length(0);
    await c.advance(8000);
    expect(activePods(c)).to.have.length(1);
    expect(activePods(c)[0].metadata.uid).to.not.equal(pod.metadata.uid);
  });

  it('suspending a job deletes its active pods; resuming starts it again', async () => {
    const c = await cluster();
    await c.applyManifests(manifest({ parallelism: 2, completions: 4 }), 'job');
    await c.reconcile();
    await c.applyManifests(manifest({ parallelism: 2, completions: 4, suspend: true }), 'job');
    await c.advance(2000);
    expect(activePods(c)).to.have.length(0);
    expect(conditions(c)).to.deep.equal([['Suspended', 'True', 'JobSuspended']]);
    await c.applyManifests(manifest({ parallelism: 2, completions: 4, suspend: false }), 'job');
    await c.advance(2000);
    expect(activePods(c)).to.have.length(2);
    expect(conditions(c)).to.deep.equal([['Suspended', 'False', 'JobResumed']]);
    const reasons = c.recorder.occurrences.filter((o) => o.object === 'job/foobar').map((o) => o.reason);
    expect(reasons).to.include.members(['Suspended', 'Resumed', 'SuccessfulDelete']);
  });

  it('PastDeadlineJobFinished: the deadline fails a running Job even with backoff left', async () => {
    const c = await cluster();
    await c.applyManifests(manifest({ activeDeadlineSeconds: 10, completions: 3, parallelism: 2 }), 'job');
    await c.advance(9000);
    expect(conditions(c)).to.deep.equal([]);
    await c.advance(1000);
    expect(conditions(c)).to.deep.equal([['FailureTarget', 'True', 'DeadlineExceeded']]);
    // The terminal condition waits for the deleted pods, seen a batch period after they are gone.
    await c.advance(1000);
    expect(conditions(c)).to.deep.equal([
      ['FailureTarget', 'True', 'DeadlineExceeded'],
      ['Failed', 'True', 'DeadlineExceeded'],
    ]);
    expect(job(c).status?.failed).to.equal(2);
  });

  it('retries a failed index of an Indexed Job with the same index', async () => {
    const c = await cluster();
    await c.applyManifests(manifest({ completionMode: 'Indexed', completions: 2, parallelism: 2 }), 'job');
    await c.reconcile();
    const index1 = c
      .pods()
      .find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '1');
    c.store.mutate<PodObject>('Pod', 'default', index1?.metadata.name as string, (p) => {
      p.status = { ...(p.status ?? {}), phase: 'Failed' };
    });
    await c.advance(11_000);
    const indexes = activePods(c).map((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index']);
    expect(indexes.sort()).to.deep.equal(['0', '1']);
    expect(activePods(c).find((p) => p.spec?.hostname === 'foobar-1')?.metadata.generateName).to.equal(
      'foobar-1-',
    );
  });

  it('deletes a finished Job with ttlSecondsAfterFinished after the TTL, in the foreground', async () => {
    const c = await cluster();
    await c.applyManifests(
      manifest({ ttlSecondsAfterFinished: 30 }, { 'kubespec.io/exit-after': '1s' }),
      'job',
    );
    await c.advance(2000);
    expect(conditions(c).map(([type]) => type)).to.include('Complete');
    await c.advance(29_999);
    expect(c.get('Job', 'default', 'foobar')).to.not.equal(undefined);
    await c.advance(1);
    expect(c.get('Job', 'default', 'foobar')).to.equal(undefined);
    expect(c.pods()).to.deep.equal([]);
  });
});
