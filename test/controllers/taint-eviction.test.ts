import { expect } from 'chai';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import type { EventOccurrence } from '../../src/api/events';
import type { PodObject } from '../../src/api/pods';
import { Cluster } from '../../src/cluster';
import { matchingTolerations, minTolerationSeconds } from '../../src/controllers/taint-eviction-rules';
import { DECISION_POINTS } from '../../src/decision-points';
import { Policy } from '../../src/rules/policy';
import type { EngineKind } from '../../src/rules/types';
import { nodesFromTable } from '../../src/scenario/node-table';
import { EPOCH } from '../../src/sim/clock';

// k8s:pkg/controller/tainteviction/taint_eviction_test.go createNoExecuteTaint and addToleration.
const taint = (i: number): Taint => ({ key: `testTaint${i}`, value: `test${i}`, effect: 'NoExecute' });
const toleration = (i: number, seconds?: number): Toleration => ({
  key: `testTaint${i}`,
  value: `test${i}`,
  effect: 'NoExecute',
  ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
});
const seconds = (tolerationSeconds?: number): Toleration =>
  tolerationSeconds === undefined ? {} : { tolerationSeconds };

describe('taint eviction', () => {
  // k8s:pkg/apis/core/v1/helper/helpers.go GetMatchingTolerations, through the cases of taint_eviction_test.go.
  describe('matchingTolerations', () => {
    it('tolerates a node without NoExecute taints, with no toleration used', () => {
      expect(matchingTolerations([], [toleration(1, 100)])).to.deep.equal([]);
    });

    it('does not tolerate a taint when the pod has no tolerations (TestCreatePod "schedule on tainted Node")', () => {
      expect(matchingTolerations([taint(1)], [])).to.equal(undefined);
    });

    it('uses the toleration of the taint (TestCreatePod "finite toleration")', () => {
      expect(matchingTolerations([taint(1)], [toleration(1, 100)])).to.deep.equal([toleration(1, 100)]);
    });

    it('ignores a toleration of another taint (TestCreatePod "infinite invalid toleration")', () => {
      expect(matchingTolerations([taint(1)], [toleration(2)])).to.equal(undefined);
    });

    it('needs every taint tolerated (TestUpdateNode "Only one added taint tolerated")', () => {
      expect(matchingTolerations([taint(1), taint(2)], [toleration(1, 100)])).to.equal(undefined);
    });

    it('uses one toleration per taint, in taint order (TestUpdateNode "multiple tolerations")', () => {
      const used = matchingTolerations([taint(2), taint(1)], [toleration(1, 1), toleration(2, 100)]);
      expect(used).to.deep.equal([toleration(2, 100), toleration(1, 1)]);
    });

    it('uses the first toleration that matches a taint, not the shortest', () => {
      const long: Toleration = {
        key: 'testTaint1',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 600,
      };
      const short: Toleration = { ...long, tolerationSeconds: 60 };
      expect(matchingTolerations([taint(1)], [long, short])).to.deep.equal([long]);
    });

    it('follows TestUpdateNodeWithMultipleTaints: forever for taint1, 60 s for taint2', () => {
      const tolerations: Toleration[] = [
        { key: 'testTaint1', operator: 'Exists', effect: 'NoExecute' },
        { key: 'testTaint2', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      ];
      const single = matchingTolerations([taint(1)], tolerations);
      const double = matchingTolerations([taint(1), taint(2)], tolerations);
      expect(single && minTolerationSeconds(single)).to.equal(null);
      expect(double && minTolerationSeconds(double)).to.equal(60);
    });
  });

  // k8s:pkg/controller/tainteviction/taint_eviction.go getMinTolerationTime; null stands for its -1 (forever).
  describe('minTolerationSeconds', () => {
    // TestGetMinTolerationTime.
    const table: [string, Toleration[], number | null][] = [
      ['no tolerations: evict now', [], 0],
      ['one without tolerationSeconds: forever', [seconds()], null],
      ['1 s and 2 s: 1 s', [seconds(1), seconds(2)], 1],
      ['1 s and forever: 1 s', [seconds(1), seconds()], 1],
      ['forever and 1 s: 1 s', [seconds(), seconds(1)], 1],
    ];
    for (const [name, tolerations, expected] of table) {
      it(name, () => expect(minTolerationSeconds(tolerations)).to.equal(expected));
    }

    it('treats 0 or a negative tolerationSeconds as now, whatever comes after', () => {
      expect(minTolerationSeconds([seconds(30), seconds(0), seconds(10)])).to.equal(0);
      expect(minTolerationSeconds([seconds(), seconds(-5)])).to.equal(0);
    });
  });

  for (const engine of ['compiled', 'json-rules-engine'] as EngineKind[]) {
    describe(`the shipped taint.eviction rules (${engine})`, () => {
      const policy = Policy.load(DECISION_POINTS, { engine });
      const evictAfter = async (tolerations: Toleration[], taints: Taint[]) => {
        const decision = await policy.evaluator('taint.eviction').evaluate({ tolerations, taints });
        const evict = decision.events.filter((e) => e.type === 'evict');
        expect(evict.length, JSON.stringify(decision.events)).to.be.at.most(1);
        return evict[0]?.params.after;
      };

      // TestCreatePod and TestUpdateNodeWithMultiplePods: what happens to each pod on the tainted node.
      it('evicts a pod that does not tolerate a taint at once', async () => {
        expect(await evictAfter([], [taint(1)])).to.equal(0);
        expect(await evictAfter([toleration(2)], [taint(1)])).to.equal(0);
        expect(await evictAfter([toleration(1, 1)], [taint(1), taint(2)])).to.equal(0);
      });

      it('evicts a pod that tolerates the taints after its smallest tolerationSeconds', async () => {
        expect(await evictAfter([toleration(1, 100)], [taint(1)])).to.equal(100);
        expect(await evictAfter([toleration(1, 1), toleration(2, 100)], [taint(1), taint(2)])).to.equal(1);
      });

      it('leaves a pod that tolerates the taints for ever', async () => {
        expect(await evictAfter([toleration(1)], [taint(1)])).to.equal(undefined);
      });

      it('evicts at once for tolerationSeconds 0', async () => {
        expect(await evictAfter([toleration(1, 0)], [taint(1)])).to.equal(0);
      });
    });
  }

  describe('the controller in a cluster', () => {
    let cluster: Cluster;

    beforeEach(async () => {
      cluster = await Cluster.create({ trace: false });
      for (const node of nodesFromTable([{ name: 'node1', cpu: '4', memory: '8Gi' }]))
        await cluster.create(node);
    });

    const createPod = async (name: string, tolerations: Toleration[] = [], nodeName?: string) => {
      await cluster.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { nodeName, tolerations, containers: [{ name: 'app', image: 'nginx' }] },
      });
    };
    const pod = (name: string) => cluster.get('Pod', 'default', name) as PodObject | undefined;
    const evictionEvents = (): Pick<EventOccurrence, 'time' | 'object' | 'message'>[] =>
      cluster.recorder.occurrences
        .filter((e) => e.reason === 'TaintManagerEviction')
        .map(({ time, object, message }) => ({ time, object, message }));
    const at = (s: number) => EPOCH + s * 1000;

    it('evicts at exactly the taint time plus tolerationSeconds (TestUpdateNodeWithMultiplePods)', async () => {
      await createPod('pod1');
      await createPod('pod2', [toleration(1, 1)]);
      await createPod('pod3', [toleration(1)]);
      await cluster.reconcile();
      await cluster.advance(10_000);
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      expect(pod('pod1')).to.equal(undefined);
      await cluster.advance(999);
      expect(pod('pod2')?.status?.phase).to.equal('Running');
      await cluster.advance(1);
      expect(pod('pod2')).to.equal(undefined);
      await cluster.advance(3_600_000);
      expect(pod('pod3')?.status?.phase).to.equal('Running');
      expect(evictionEvents()).to.deep.equal([
        { time: at(10), object: 'pod/pod1', message: 'Marking for deletion Pod default/pod1' },
        { time: at(11), object: 'pod/pod2', message: 'Marking for deletion Pod default/pod2' },
      ]);
    });

    it('evicts every pod at once when a taint is tolerated by none (TestUpdateNodeWithMultiplePods)', async () => {
      await createPod('pod1');
      await createPod('pod2', [toleration(1, 1)]);
      await createPod('pod3', [toleration(1)]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.taintNode('node1', 'testTaint2=test2:NoExecute');
      await cluster.reconcile();
      expect(cluster.pods()).to.deep.equal([]);
      expect(evictionEvents().map((e) => e.time)).to.deep.equal([at(0), at(0), at(0)]);
    });

    it('marks the pod DisruptionTarget before deleting it gracefully (addConditionAndDeletePod)', async () => {
      await createPod('web');
      await cluster.reconcile();
      const seen: PodObject[] = [];
      cluster.store.watch('Pod', (type, obj) => {
        if (type === 'MODIFIED' && obj.metadata.deletionTimestamp)
          seen.push(structuredClone(obj) as PodObject);
      });
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      // The first change carrying a deletionTimestamp is the graceful DELETE; the kubelet's terminal status follows.
      expect(seen.length).to.be.at.least(1);
      expect(seen[0].metadata.deletionGracePeriodSeconds).to.equal(30);
      const condition = seen[0].status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      expect(condition).to.deep.include({
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
      });
      expect(pod('web')).to.equal(undefined);
    });

    it('cancels the eviction when the taint goes before it fires (TestUpdateNode "Taint removed")', async () => {
      await createPod('web', [toleration(1, 60)]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      await cluster.advance(59_000);
      await cluster.untaintNode('node1', 'testTaint1:NoExecute');
      await cluster.reconcile();
      await cluster.advance(3_600_000);
      expect(pod('web')?.status?.phase).to.equal('Running');
      expect(evictionEvents()).to.deep.equal([
        { time: at(59), object: 'pod/web', message: 'Cancelling deletion of Pod default/web' },
      ]);
    });

    it('keeps the start time of a scheduled eviction when another tolerated taint comes', async () => {
      await createPod('web', [
        { key: 'testTaint1', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
        { key: 'testTaint2', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 100 },
      ]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      await cluster.advance(30_000);
      await cluster.taintNode('node1', 'testTaint2=test2:NoExecute');
      await cluster.reconcile();
      await cluster.advance(29_999);
      expect(pod('web')).to.not.equal(undefined);
      await cluster.advance(1);
      expect(pod('web')).to.equal(undefined);
      expect(evictionEvents().map((e) => e.time)).to.deep.equal([at(60)]);
    });

    // processPodOnNode returns when CreatedAt + minTolerationTime is before now + minTolerationTime.
    it('keeps the scheduled time when a later taint is tolerated for less', async () => {
      await createPod('web', [
        { key: 'testTaint1', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
        { key: 'testTaint2', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      ]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      await cluster.advance(30_000);
      await cluster.taintNode('node1', 'testTaint2=test2:NoExecute');
      await cluster.reconcile();
      await cluster.advance(29_999);
      expect(pod('web')).to.not.equal(undefined);
      await cluster.advance(1);
      expect(evictionEvents().map((e) => e.time)).to.deep.equal([at(60)]);
    });

    it('does not lengthen a scheduled eviction when the toleration grows (TestUpdatePod)', async () => {
      await createPod('web', [toleration(1, 1)]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      cluster.store.mutate<PodObject>('Pod', 'default', 'web', (p) => {
        p.spec = { ...p.spec, containers: p.spec?.containers ?? [], tolerations: [toleration(1, 100)] };
      });
      await cluster.reconcile();
      await cluster.advance(1_000);
      expect(pod('web')).to.equal(undefined);
      expect(evictionEvents().map((e) => e.time)).to.deep.equal([at(1)]);
    });

    it('replaces a scheduled eviction by one at once when the toleration goes (TestUpdatePod)', async () => {
      await createPod('web', [toleration(1, 100)]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      await cluster.advance(5_000);
      cluster.store.mutate<PodObject>('Pod', 'default', 'web', (p) => {
        p.spec = { ...p.spec, containers: p.spec?.containers ?? [], tolerations: [] };
      });
      await cluster.reconcile();
      expect(pod('web')).to.equal(undefined);
      expect(evictionEvents()).to.deep.equal([
        { time: at(5), object: 'pod/web', message: 'Cancelling deletion of Pod default/web' },
        { time: at(5), object: 'pod/web', message: 'Marking for deletion Pod default/web' },
      ]);
    });

    it('follows TestUpdateNodeWithMultipleTaints: a forever taint, a timed one, then the forever one alone', async () => {
      await createPod('web', [
        { key: 'testTaint1', operator: 'Exists', effect: 'NoExecute' },
        { key: 'testTaint2', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      ]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      expect(evictionEvents()).to.deep.equal([]);
      await cluster.taintNode('node1', 'testTaint2=test2:NoExecute');
      await cluster.reconcile();
      await cluster.advance(10_000);
      await cluster.untaintNode('node1', 'testTaint2:NoExecute');
      await cluster.reconcile();
      await cluster.advance(3_600_000);
      expect(pod('web')?.status?.phase).to.equal('Running');
      expect(evictionEvents()).to.deep.equal([
        { time: at(10), object: 'pod/web', message: 'Cancelling deletion of Pod default/web' },
      ]);
    });

    it('cancels, with the event, the eviction of a pod deleted before it fires (handlePodUpdate)', async () => {
      await createPod('web', [toleration(1, 60)]);
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      await cluster.advance(20_000);
      await cluster.delete('Pod', 'default', 'web');
      await cluster.reconcile();
      await cluster.advance(60_000);
      expect(evictionEvents()).to.deep.equal([
        { time: at(20), object: 'pod/web', message: 'Cancelling deletion of Pod default/web' },
      ]);
    });

    it('evicts a pod bound to a node created with the taint (TestCreateNode)', async () => {
      await createPod('pod1', [], 'node2');
      await cluster.reconcile();
      for (const node of nodesFromTable([{ name: 'node2', taints: 'testTaint1=test1:NoExecute' }])) {
        await cluster.create(node);
      }
      await cluster.reconcile();
      expect(pod('pod1')).to.equal(undefined);
    });

    it('evicts a pod created on an already tainted node (TestEventualConsistency)', async () => {
      await cluster.taintNode('node1', 'testTaint1=test1:NoExecute');
      await cluster.reconcile();
      await createPod('pod2', [toleration(1, 100)], 'node1');
      await createPod('pod3', [], 'node1');
      await cluster.reconcile();
      expect(pod('pod3')).to.equal(undefined);
      await cluster.advance(99_999);
      expect(pod('pod2')).to.not.equal(undefined);
      await cluster.advance(1);
      expect(pod('pod2')).to.equal(undefined);
    });

    it('leaves pods alone on a node with NoSchedule taints only (TestFilterNoExecuteTaints)', async () => {
      await createPod('web');
      await cluster.reconcile();
      await cluster.taintNode('node1', 'testTaint1=test1:NoSchedule');
      await cluster.reconcile();
      await cluster.advance(3_600_000);
      expect(pod('web')?.status?.phase).to.equal('Running');
      expect(evictionEvents()).to.deep.equal([]);
    });
  });
});
