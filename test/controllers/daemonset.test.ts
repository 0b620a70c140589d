import { expect } from 'chai';
import type { DaemonSetObject } from '../../src/api/daemonsets';
import type { PodObject } from '../../src/api/pods';
import { Cluster } from '../../src/cluster';
import type { RevisionObject } from '../../src/controllers/controller-history';
import { targetNodeName } from '../../src/controllers/daemon-pods';
import { nodesFromTable } from '../../src/scenario/node-table';

// The DaemonSet controller through the cluster, after the cases of
// k8s:pkg/controller/daemon/daemon_controller_test.go (TestSimpleDaemonSetLaunchesPods, TestNodeAffinityDaemonLaunchesPods,
// TestDaemonKillFailedPods, TestNumberReadyStatus, TestNodeDaemonDoesNotLaunchPodWithTaintedNode, TestUpdateNode)
// and update_test.go (TestDaemonSetUpdatesPods, TestDaemonSetUpdatesNoTemplateChanged, TestGetUnavailableNumbers).

function manifest(image = 'fluentd:1.16', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'foo' },
    spec: {
      selector: { matchLabels: { name: 'simple-daemon' } },
      template: {
        metadata: { labels: { name: 'simple-daemon' }, annotations: { 'kubespec.io/ready-after': '10s' } },
        spec: { containers: [{ name: 'foo', image }] },
      },
      ...extra,
    },
  });
}

async function cluster(nodes: Record<string, string>[]): Promise<Cluster> {
  const c = await Cluster.create();
  for (const n of nodesFromTable(nodes)) await c.create(n);
  return c;
}

const five = [1, 2, 3, 4, 5].map((i) => ({ name: `node-${i}` }));
const ds = (c: Cluster) => c.get('DaemonSet', 'default', 'foo') as DaemonSetObject;
const nodesOfPods = (c: Cluster) =>
  c
    .pods()
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => targetNodeName(p))
    .sort();
const images = (c: Cluster) => c.pods().map((p) => (p as PodObject).spec?.containers[0].image);

describe('the DaemonSet controller', () => {
  it('SimpleDaemonSetLaunchesPods: one pod per node, pinned and bound', async () => {
    const c = await cluster(five);
    await c.applyManifests(manifest(), 'ds');
    await c.reconcile();
    expect(nodesOfPods(c)).to.deep.equal(['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    expect(c.pods().every((p) => p.spec?.nodeName === targetNodeName(p))).to.equal(true);
    const events = c.recorder.occurrences.filter((o) => o.object === 'daemonset/foo');
    expect(events.map((o) => o.reason)).to.deep.equal(Array(5).fill('SuccessfulCreate'));
    const created = c.pods().map((p) => `Created pod: ${p.metadata.name}`);
    expect(events.map((o) => o.message).sort()).to.deep.equal(created.sort());
    expect(
      c.pods().every((p) => /^foo-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(p.metadata.name ?? '')),
    ).to.equal(true);
  });

  it('NumberReadyStatus: counts ready and available pods, and the nodes that should run one', async () => {
    const c = await cluster(five);
    await c.applyManifests(manifest(), 'ds');
    await c.reconcile();
    expect(ds(c).status).to.deep.equal({
      observedGeneration: 1,
      desiredNumberScheduled: 5,
      currentNumberScheduled: 5,
      numberMisscheduled: 0,
      numberReady: 0,
      updatedNumberScheduled: 5,
      numberUnavailable: 5,
    });
    await c.advance(10_000);
    expect(ds(c).status).to.include({ numberReady: 5, numberAvailable: 5 });
    expect(ds(c).status?.numberUnavailable).to.equal(undefined);
  });

  it('NodeAffinityDaemonLaunchesPods and TestUpdateNode: a node that gains the label gets its pod', async () => {
    const c = await cluster([{ name: 'a', labels: 'pool=x' }, { name: 'b' }]);
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['x'] }] }],
        },
      },
    };
    const m = JSON.parse(manifest());
    m.spec.template.spec.affinity = affinity;
    await c.applyManifests(JSON.stringify(m), 'ds');
    await c.reconcile();
    expect(nodesOfPods(c)).to.deep.equal(['a']);
    c.store.mutate('Node', undefined, 'b', (n) => {
      n.metadata.labels = { ...(n.metadata.labels ?? {}), pool: 'x' };
    });
    await c.reconcile();
    expect(nodesOfPods(c)).to.deep.equal(['a', 'b']);
    // Its pod keeps the template's affinity terms out of the pinned ones.
    const pod = c.pods().find((p) => p.spec?.nodeName === 'b') as PodObject;
    expect(
      pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    ).to.deep.equal([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }]);
  });

  it('DaemonKillFailedPods: a failed pod is deleted with an event and replaced', async () => {
    const c = await cluster([{ name: 'node-1' }]);
    await c.applyManifests(manifest(), 'ds');
    await c.reconcile();
    const failed = c.pods()[0];
    c.store.mutate<PodObject>('Pod', 'default', failed.metadata.name as string, (p) => {
      p.status = { ...(p.status ?? {}), phase: 'Failed' };
    });
    await c.reconcile();
    const events = c.recorder.occurrences
      .filter((o) => o.object === 'daemonset/foo')
      .map((o) => [o.reason, o.message]);
    expect(events).to.deep.include([
      'FailedDaemonPod',
      `Found failed daemon pod default/${failed.metadata.name} on node node-1, will try to kill it`,
    ]);
    expect(c.pods().map((p) => p.metadata.uid)).to.not.include(failed.metadata.uid);
    expect(nodesOfPods(c)).to.deep.equal(['node-1']);
  });

  it('does not launch a pod on a node with an untolerated NoSchedule taint, and counts one already there', async () => {
    const c = await cluster([{ name: 'tainted' }, { name: 'plain' }]);
    await c.applyManifests(manifest(), 'ds');
    await c.reconcile();
    await c.taintNode('tainted', 'dedicated=gpu:NoSchedule');
    await c.reconcile();
    expect(nodesOfPods(c)).to.deep.equal(['plain', 'tainted']);
    expect(ds(c).status).to.include({
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberMisscheduled: 1,
    });
  });

  it('DaemonSetUpdatesPods: with maxUnavailable 2, two nodes at a time', async () => {
    const c = await cluster(five);
    await c.applyManifests(
      manifest('fluentd:1.16', { updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }),
      'ds',
    );
    await c.advance(10_000);
    await c.applyManifests(
      manifest('fluentd:1.17', { updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }),
      'ds',
    );
    await c.reconcile();
    expect(images(c).filter((i) => i === 'fluentd:1.17')).to.have.length(2);
    await c.advance(10_000);
    expect(images(c).filter((i) => i === 'fluentd:1.17')).to.have.length(4);
    await c.advance(10_000);
    expect(images(c)).to.deep.equal(Array(5).fill('fluentd:1.17'));
    expect(ds(c).metadata.annotations?.['deprecated.daemonset.template.generation']).to.equal('2');
  });

  it('DaemonSetUpdatesSomeOldPodsNotReady with surge: the new pod starts beside the old one, which then goes', async () => {
    const c = await cluster([{ name: 'node-1' }, { name: 'node-2' }]);
    const strategy = { updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } };
    await c.applyManifests(manifest('fluentd:1.16', strategy), 'ds');
    await c.advance(10_000);
    await c.applyManifests(manifest('fluentd:1.17', strategy), 'ds');
    await c.reconcile();
    expect(images(c).sort()).to.deep.equal(['fluentd:1.16', 'fluentd:1.16', 'fluentd:1.17']);
    await c.advance(10_000);
    // The first new pod is available: its old neighbour goes and the second node surges.
    expect(images(c).sort()).to.deep.equal(['fluentd:1.16', 'fluentd:1.17', 'fluentd:1.17']);
    expect(nodesOfPods(c)).to.deep.equal(['node-1', 'node-2', 'node-2']);
    await c.advance(10_000);
    expect(images(c)).to.deep.equal(['fluentd:1.17', 'fluentd:1.17']);
  });

  it('DaemonSetUpdatesNoTemplateChanged: a change outside the template rolls nothing', async () => {
    const c = await cluster(five);
    await c.applyManifests(manifest(), 'ds');
    await c.advance(10_000);
    const before = c.pods().map((p) => p.metadata.uid);
    await c.applyManifests(manifest('fluentd:1.16', { minReadySeconds: 5 }), 'ds');
    await c.advance(10_000);
    expect(c.pods().map((p) => p.metadata.uid)).to.deep.equal(before);
    expect(ds(c).metadata.annotations?.['deprecated.daemonset.template.generation']).to.equal('1');
    expect(ds(c).metadata.generation).to.equal(2);
  });

  it('keeps one ControllerRevision per template, renumbers a template that comes back, and labels it by hash', async () => {
    const c = await cluster([{ name: 'node-1' }]);
    for (const image of ['fluentd:1.16', 'fluentd:1.17', 'fluentd:1.16']) {
      await c.applyManifests(manifest(image), 'ds');
      await c.advance(20_000);
    }
    const revisions = (c.store.list('ControllerRevision') as RevisionObject[]).map((r) => ({
      revision: r.revision,
      hash: r.metadata.labels?.['controller-revision-hash'],
      name: r.metadata.name,
    }));
    expect(revisions.map((r) => r.revision).sort()).to.deep.equal([2, 3]);
    for (const r of revisions) expect(r.name).to.equal(`foo-${r.hash}`);
    const current = revisions.find((r) => r.revision === 3);
    expect(c.pods()[0].metadata.labels?.['controller-revision-hash']).to.equal(current?.hash);
  });
});
