import { expect } from 'chai';
import type { ContainerStatus, PodCondition } from 'kubernetes-types/core/v1';
import type { PodObject } from '../../src/api/pods';
import {
  activePodsForRemoval,
  addCompletionIndexEnv,
  byDeletionPreference,
  completionIndexOf,
  finishedTime,
  firstPendingIndexes,
  formatIndexes,
  indexedGenerateName,
  nextBackoffRecord,
  parseIndexes,
  remainingBackoff,
} from '../../src/controllers/job-pods';

const T = Date.parse('2009-11-10T23:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const finishedAt = (phase: string, ms: number): PodObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {},
    status: { phase, containerStatuses: [{ state: { terminated: { finishedAt: iso(ms) } } }] },
  }) as unknown as PodObject;

const podWith = (
  meta: Record<string, unknown>,
  status: { containerStatuses?: ContainerStatus[]; conditions?: PodCondition[] },
) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, status }) as unknown as PodObject;

const indexed = (
  name: string,
  index: number | string | undefined,
  extra: Partial<PodObject> = {},
): PodObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      creationTimestamp: iso(T),
      annotations: index === undefined ? {} : { 'batch.kubernetes.io/job-completion-index': String(index) },
    },
    spec: { containers: [] },
    status: { phase: 'Pending' },
    ...extra,
  }) as PodObject;

describe('job pods', () => {
  // k8s:pkg/controller/job/backoff_utils_test.go TestNewBackoffRecord
  describe('nextBackoffRecord', () => {
    const empty = { failuresSinceSuccess: 0 };
    it('Empty backoff store and one new failure', () => {
      expect(nextBackoffRecord(empty, [], [finishedAt('Failed', T)])).to.deep.equal({
        failuresSinceSuccess: 1,
        lastFailureTime: T,
      });
    });
    it('Empty backoff store and two new failures', () => {
      expect(
        nextBackoffRecord(empty, [], [finishedAt('Failed', T), finishedAt('Failed', T - 1)]),
      ).to.deep.equal({
        failuresSinceSuccess: 2,
        lastFailureTime: T,
      });
    });
    it('Empty backoff store, two failures followed by success', () => {
      const failed = [finishedAt('Failed', T - 2), finishedAt('Failed', T - 1)];
      expect(nextBackoffRecord(empty, [finishedAt('Succeeded', T)], failed)).to.deep.equal(empty);
    });
    it('Empty backoff store, two failures, one success and two more failures', () => {
      const failed = [T, T - 4, T - 3, T - 1].map((t) => finishedAt('Failed', t));
      expect(nextBackoffRecord(empty, [finishedAt('Succeeded', T - 2)], failed)).to.deep.equal({
        failuresSinceSuccess: 2,
        lastFailureTime: T,
      });
    });
    it('Backoff store having failure count 2 and one new failure', () => {
      expect(nextBackoffRecord({ failuresSinceSuccess: 2 }, [], [finishedAt('Failed', T)])).to.deep.equal({
        failuresSinceSuccess: 3,
        lastFailureTime: T,
      });
    });
    it('Empty backoff store with success and failure at same timestamp', () => {
      expect(nextBackoffRecord(empty, [finishedAt('Succeeded', T)], [finishedAt('Failed', T)])).to.deep.equal(
        empty,
      );
    });
    it('Empty backoff store with no success/failure, and with one success', () => {
      expect(nextBackoffRecord(empty, [], [])).to.deep.equal(empty);
      expect(nextBackoffRecord(empty, [finishedAt('Succeeded', T)], [])).to.deep.equal(empty);
    });
  });

  // backoff_utils_test.go TestGetFinishedTime (the cases without sidecars)
  describe('finishedTime', () => {
    const terminated = (ms?: number): ContainerStatus =>
      ({
        name: 'c',
        state: { terminated: ms === undefined ? {} : { finishedAt: iso(ms) } },
      }) as ContainerStatus;
    const running = { name: 'c', state: { running: {} } } as ContainerStatus;
    it('Pod with multiple containers and all containers terminated', () => {
      const pod = podWith(
        {},
        { containerStatuses: [terminated(T - 1000), terminated(T), terminated(T - 2000)] },
      );
      expect(finishedTime(pod)).to.equal(T);
    });
    it('two containers terminated and one running: fallback to deletionTimestamp', () => {
      const pod = podWith(
        { deletionTimestamp: iso(T) },
        { containerStatuses: [terminated(T - 1000), running, terminated(T - 2000)] },
      );
      expect(finishedTime(pod)).to.equal(T);
    });
    it('fallback to deletionTimestamp, decremented by grace period', () => {
      const pod = podWith(
        { deletionTimestamp: iso(T), deletionGracePeriodSeconds: 30 },
        { containerStatuses: [running] },
      );
      expect(finishedTime(pod)).to.equal(T - 30_000);
    });
    it('fallback to PodReady.LastTransitionTime when status of the condition is False', () => {
      const pod = podWith(
        {},
        {
          containerStatuses: [terminated()],
          conditions: [{ type: 'Ready', status: 'False', reason: 'PodFailed', lastTransitionTime: iso(T) }],
        },
      );
      expect(finishedTime(pod)).to.equal(T);
    });
    it('skip fallback to PodReady.LastTransitionTime when status of the condition is True', () => {
      const pod = podWith(
        { deletionTimestamp: iso(T) },
        {
          containerStatuses: [terminated()],
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(T - 30_000) }],
        },
      );
      expect(finishedTime(pod)).to.equal(T);
    });
    it('fallback to creationTimestamp', () => {
      expect(
        finishedTime(podWith({ creationTimestamp: iso(T) }, { containerStatuses: [terminated()] })),
      ).to.equal(T);
    });
  });

  // backoff_utils_test.go TestGetRemainingBackoffTime (default 5s, max 700s)
  describe('remainingBackoff', () => {
    const at = (failures: number, elapsed: number) =>
      remainingBackoff({ failuresSinceSuccess: failures, lastFailureTime: T }, 5000, 700_000, T + elapsed);
    it('no failures', () =>
      expect(remainingBackoff({ failuresSinceSuccess: 0 }, 5000, 700_000, T)).to.equal(0));
    it('one failure; current time and failure time are same', () => expect(at(1, 0)).to.equal(5000));
    it('one failure; current time == 1 second + failure time', () => expect(at(1, 1000)).to.equal(4000));
    it('one failure; current time == expected backoff time', () => expect(at(1, 5000)).to.equal(0));
    it('one failure; current time == expected backoff time + 1 Second', () =>
      expect(at(1, 6000)).to.equal(0));
    it('three failures; current time and failure time are same', () => expect(at(3, 0)).to.equal(20_000));
    it('eight failures; backoff not exceeding maxBackoff', () => expect(at(8, 0)).to.equal(640_000));
    it('nine failures; backoff exceeding maxBackoff', () => expect(at(9, 0)).to.equal(700_000));
    it("Kubernetes' defaults: 10s doubling to 10m", () => {
      const steps = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
        remainingBackoff({ failuresSinceSuccess: n, lastFailureTime: T }, 10_000, 600_000, T),
      );
      expect(steps).to.deep.equal([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000]);
    });
  });

  // k8s:pkg/controller/job/indexed_job_utils.go orderedIntervals String / parseIndexesFromString
  describe('completion indexes', () => {
    it('prints intervals', () => {
      expect(formatIndexes(new Set([0, 1, 2, 4, 6, 7]))).to.equal('0-2,4,6-7');
      expect(formatIndexes(new Set([3]))).to.equal('3');
      expect(formatIndexes(new Set())).to.equal('');
    });
    it('parses intervals, dropping indexes beyond completions', () => {
      expect([...parseIndexes('0-2,4,6-7', 7)]).to.deep.equal([0, 1, 2, 4, 6]);
      expect([...parseIndexes('', 3)]).to.deep.equal([]);
    });
    it('reads a valid completion index only', () => {
      expect(completionIndexOf(indexed('a', 3))).to.equal(3);
      expect(completionIndexOf(indexed('a', 'x'))).to.equal(-1);
      expect(completionIndexOf(indexed('a', -1))).to.equal(-1);
      expect(completionIndexOf(indexed('a', undefined))).to.equal(-1);
    });
    // indexed_job_utils_test.go TestFirstPendingIndexes
    it('picks the lowest indexes neither succeeded nor active', () => {
      const active = [indexed('a', 1), indexed('b', 5)];
      expect(firstPendingIndexes(3, 10, new Set([0, 2, 3]), active)).to.deep.equal([4, 6, 7]);
      expect(firstPendingIndexes(5, 3, new Set([0]), [])).to.deep.equal([1, 2]);
      expect(firstPendingIndexes(2, 3, new Set([0, 1, 2]), [])).to.deep.equal([]);
    });
    // indexed_job_utils_test.go TestPodGenerateNameWithIndex
    it('names pods <job>-<index>-, cutting long job names', () => {
      expect(indexedGenerateName('job', 1)).to.equal('job-1-');
      expect(indexedGenerateName('a'.repeat(63), 1)).to.equal(`${'a'.repeat(55)}-1-`);
      expect(indexedGenerateName('a'.repeat(63), 11)).to.equal(`${'a'.repeat(54)}-11-`);
    });
    it('gives each container JOB_COMPLETION_INDEX once', () => {
      const template = {
        spec: {
          initContainers: [{ name: 'init' }],
          containers: [{ name: 'a', env: [{ name: 'JOB_COMPLETION_INDEX', value: '9' }] }, { name: 'b' }],
        },
      };
      addCompletionIndexEnv(template);
      expect(template.spec.containers[0].env).to.deep.equal([{ name: 'JOB_COMPLETION_INDEX', value: '9' }]);
      const ref = {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: {
          fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
        },
      };
      expect((template.spec.containers[1] as { env?: unknown[] }).env).to.deep.equal([ref]);
      expect((template.spec.initContainers[0] as { env?: unknown[] }).env).to.deep.equal([ref]);
    });
  });

  // k8s:pkg/controller/controller_utils_test.go TestSortingActivePods, and activePodsForRemoval of indexed Jobs
  describe('removal order', () => {
    const at = (name: string, phase: string, node: string | undefined, ready?: string, created = T) =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, creationTimestamp: iso(created) },
        spec: { containers: [], nodeName: node },
        status: {
          phase,
          conditions: ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: ready }] : [],
        },
      }) as PodObject;
    it('unscheduled, pending, running-not-ready, ready for less time, then ready for longer', () => {
      const pods = [
        at('ready-long', 'Running', 'n', iso(T - 60_000)),
        at('unscheduled', 'Pending', undefined),
        at('running', 'Running', 'n'),
        at('ready-short', 'Running', 'n', iso(T)),
        at('pending', 'Pending', 'n'),
        at('unknown', 'Unknown', 'n'),
      ];
      expect(pods.sort(byDeletionPreference).map((p) => p.metadata.name)).to.deep.equal([
        'unscheduled',
        'pending',
        'unknown',
        'running',
        'ready-short',
        'ready-long',
      ]);
    });
    it('removes the newer of two otherwise equal pods first', () => {
      const pods = [at('old', 'Running', 'n', undefined, T - 1000), at('new', 'Running', 'n', undefined, T)];
      expect(activePodsForRemoval(pods, 1, undefined).map((p) => p.metadata.name)).to.deep.equal(['new']);
    });
    it('removes the pods of an Indexed Job without a valid index and the extra pods of an index', () => {
      const pods = [
        indexed('a', 0),
        indexed('b', 7),
        indexed('c', 1),
        indexed('d', 1, { spec: { containers: [], nodeName: 'n' } }),
      ];
      expect(activePodsForRemoval(pods, 0, 3).map((p) => p.metadata.name)).to.deep.equal(['b', 'c']);
    });
  });
});
