import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import { compareRanked, type RankedPod, rankPod } from '../../src/controllers/pod-ranking';
import { POD_DELETION_COST } from '../../src/controllers/scale-down-rules';
import { DECISION_POINTS } from '../../src/decision-points';
import type { Evaluator } from '../../src/rules/evaluate';
import { DEFAULT_RULES_DIR } from '../../src/rules/loader';
import { Policy } from '../../src/rules/policy';
import { DecisionTrace } from '../../src/sim/trace';
import { parseKubernetesVersion } from '../../src/sim/version';

// k8s:pkg/controller/controller_utils_test.go TestSortingActivePodsWithRanks, through the shipped
// rules/replicaset.scale-down and the comparison of their sort keys.

const now = Date.UTC(2025, 0, 1, 12, 0, 0);
const hours = (n: number) => now - n * 3_600_000;
const then1Month = Date.UTC(2024, 11, 1, 12, 0, 0);
const stamp = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z');

function pod(
  name: string,
  node: string,
  phase: string,
  ready: boolean,
  restarts: number,
  readySince: number | undefined,
  created: number | undefined,
  annotations?: Record<string, string>,
): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: stamp(created), annotations },
    spec: { nodeName: node || undefined, containers: [] },
    status: {
      phase,
      conditions: ready
        ? [{ type: 'Ready', status: 'True', lastTransitionTime: stamp(readySince) }]
        : undefined,
      containerStatuses: ready
        ? [{ name: 'c', restartCount: restarts, ready: true, image: '', imageID: '' }]
        : undefined,
    },
  } as PodObject;
}

const unscheduledPod = pod('unscheduled', '', 'Pending', false, 0, undefined, undefined);
const scheduledPendingPod = pod('pending', 'node', 'Pending', false, 0, undefined, undefined);
const unknownPhasePod = pod('unknown-phase', 'node', 'Unknown', false, 0, undefined, undefined);
const runningNotReadyPod = pod('not-ready', 'node', 'Running', false, 0, undefined, undefined);
const runningReadyNoLastTransitionTimePod = pod(
  'ready-no-ltt',
  'node',
  'Running',
  true,
  0,
  undefined,
  undefined,
);
const runningReadyNow = pod('ready-now', 'node', 'Running', true, 0, now, now);
const runningReadyThen = pod('ready-then', 'node', 'Running', true, 0, then1Month, then1Month);
const runningReadyNowHighRestarts = pod('ready-high-restarts', 'node', 'Running', true, 9001, now, now);
const runningReadyNowCreatedThen = pod('ready-now-created-then', 'node', 'Running', true, 0, now, then1Month);
const lowPodDeletionCost = pod('low-deletion-cost', 'node', 'Running', true, 0, now, then1Month, {
  [POD_DELETION_COST]: '10',
});
const highPodDeletionCost = pod('high-deletion-cost', 'node', 'Running', true, 0, now, then1Month, {
  [POD_DELETION_COST]: '100',
});
const unscheduled5Hours = pod('unscheduled-5-hours', '', 'Pending', false, 0, hours(5), hours(5));
const unscheduled8Hours = pod('unscheduled-10-hours', '', 'Pending', false, 0, hours(8), hours(8));
const ready2Hours = pod('ready-2-hours', '', 'Running', true, 0, hours(2), then1Month);
const ready5Hours = pod('ready-5-hours', '', 'Running', true, 0, hours(5), then1Month);
const ready10Hours = pod('ready-10-hours', '', 'Running', true, 0, hours(8), then1Month);

const shipped = Policy.load(DECISION_POINTS);
const ranking = (rules: Evaluator) => (p: PodObject, rank: number) =>
  rankPod(p, rank, {
    now,
    version: parseKubernetesVersion('v1.35'),
    rules,
    trace: new DecisionTrace(false),
    owner: 'replicaset default/test',
  });
const rank = ranking(shipped.evaluator('replicaset.scale-down'));

describe('the scale-down order (ActivePodsWithRanks)', () => {
  const equal: [PodObject, PodObject?][] = [
    [unscheduledPod],
    [scheduledPendingPod],
    [unknownPhasePod],
    [runningNotReadyPod],
    [runningReadyNowCreatedThen],
    [runningReadyNow],
    [runningReadyThen],
    [runningReadyNowHighRestarts],
    [unscheduled5Hours, unscheduled8Hours],
    [ready5Hours, ready10Hours],
  ];
  for (const [p1, p2 = p1] of equal) {
    it(`ranks ${p1.metadata.name} and ${p2.metadata.name} equal`, async () => {
      const [a, b] = [await rank(p1, 1), await rank(p2, 1)];
      expect(compareRanked(a, b)).to.equal(0);
      expect(compareRanked(b, a)).to.equal(0);
    });
  }

  const lesser: [PodObject, number, PodObject, number][] = [
    [unscheduledPod, 1, scheduledPendingPod, 2],
    [unscheduledPod, 2, scheduledPendingPod, 1],
    [scheduledPendingPod, 1, unknownPhasePod, 2],
    [unknownPhasePod, 1, runningNotReadyPod, 2],
    [runningNotReadyPod, 1, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNoLastTransitionTimePod, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNow, 1, runningReadyThen, 1],
    [runningReadyNow, 2, runningReadyThen, 1],
    [runningReadyNowHighRestarts, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNowHighRestarts, 1],
    [runningReadyNow, 1, runningReadyNowCreatedThen, 1],
    [runningReadyNowCreatedThen, 2, runningReadyNow, 1],
    [lowPodDeletionCost, 2, highPodDeletionCost, 1],
    [ready2Hours, 1, ready5Hours, 1],
  ];
  const check = async (first: RankedPod, second: RankedPod) => {
    expect(
      compareRanked(first, second),
      `${first.pod.metadata.name} before ${second.pod.metadata.name}`,
    ).to.be.below(0);
    expect(compareRanked(second, first)).to.be.above(0);
  };
  for (const [p1, r1, p2, r2] of lesser) {
    it(`deletes ${p1.metadata.name} (rank ${r1}) before ${p2.metadata.name} (rank ${r2})`, async () => {
      await check(await rank(p1, r1), await rank(p2, r2));
    });
  }

  // The table's case with PodDeletionCost off: here, the policy without that criterion.
  it('follows a policy that drops the deletion cost: the more doubled-up pod goes first', async () => {
    const text = readFileSync(
      join(DEFAULT_RULES_DIR, 'replicaset.scale-down', 'active-pods-with-ranks.yaml'),
      'utf8',
    );
    const withoutCost = text.replace(/ {4}- name: lower-deletion-cost-first\n(?: {6}.*\n)+/, '');
    expect(withoutCost).to.not.include('deletionCost');
    const policy = shipped.withRuleText(withoutCost, 'without deletion cost');
    const rankWithout = ranking(policy.evaluator('replicaset.scale-down'));
    await check(await rankWithout(highPodDeletionCost, 2), await rankWithout(lowPodDeletionCost, 1));
  });
});
