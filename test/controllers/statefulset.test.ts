import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import type { StatefulSetObject } from '../../src/api/statefulsets';
import { Cluster } from '../../src/cluster';
import type { RevisionObject } from '../../src/controllers/controller-history';
import { claimName, ordinalOf } from '../../src/controllers/statefulset';
import { nodesFromTable } from '../../src/scenario/node-table';

// The StatefulSet controller through the cluster, after the cases of
// k8s:pkg/controller/statefulset/stateful_set_control_test.go (CreatesPods, ScalesUp, ScalesDown, ReplacesPods,
// RecreatesFailedPod, TestStatefulSetControlRollingUpdateWithPartition, TestStatefulSetControlOnDeleteUpdate,
// TestStatefulSetControlRollback, TestStatefulSetHistoryTruncation) and stateful_set_utils_test.go.

interface SetOptions {
  replicas?: number;
  image?: string;
  policy?: 'OrderedReady' | 'Parallel';
  strategy?: string;
  annotations?: Record<string, string>;
  historyLimit?: number;
}

function manifest(o: SetOptions = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'nginx',
      replicas: o.replicas ?? 3,
      podManagementPolicy: o.policy ?? 'OrderedReady',
      ...(o.strategy ? { updateStrategy: JSON.parse(o.strategy) } : {}),
      ...(o.historyLimit === undefined ? {} : { revisionHistoryLimit: o.historyLimit }),
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' }, annotations: o.annotations ?? {} },
        spec: { containers: [{ name: 'nginx', image: o.image ?? 'nginx:1.26' }] },
      },
    },
  });
}

async function cluster(): Promise<Cluster> {
  const c = await Cluster.create();
  for (const n of nodesFromTable([{ name: 'n1', cpu: '16', memory: '64Gi' }])) await c.create(n);
  return c;
}

const podNames = (c: Cluster) =>
  c
    .pods()
    .map((p) => p.metadata.name)
    .sort();
const set = (c: Cluster) => c.get('StatefulSet', 'default', 'web') as StatefulSetObject;
const images = (c: Cluster) =>
  Object.fromEntries(c.pods().map((p) => [p.metadata.name, (p as PodObject).spec?.containers[0].image]));
const revisions = (c: Cluster) =>
  (c.store.list('ControllerRevision') as RevisionObject[])
    .map((r) => [r.metadata.name, r.revision] as const)
    .sort((a, b) => a[1] - b[1]);

describe('the StatefulSet controller', () => {
  // stateful_set_utils_test.go TestGetParentNameAndOrdinal
  describe('ordinals', () => {
    const pod = (name: string) => ({ metadata: { name } }) as PodObject;
    it('reads the number after the last dash', () => {
      expect(ordinalOf(pod('foo-1'))).to.equal(1);
      expect(ordinalOf(pod('foo-bar-12'))).to.equal(12);
    });
    it('is -1 without a number', () => {
      expect(ordinalOf(pod('bar'))).to.equal(-1);
      expect(ordinalOf(pod('foo-'))).to.equal(-1);
      expect(ordinalOf(pod('foo-99999999999'))).to.equal(-1);
    });
    it('names claims <template>-<set>-<ordinal>', () =>
      expect(claimName('data', 'db', 2)).to.equal('data-db-2'));
  });

  it('CreatesPods: one at a time, each once its predecessor is running and ready', async () => {
    const c = await cluster();
    await c.applyManifests(manifest({ annotations: { 'kubespec.io/ready-after': '10s' } }), 'sts');
    await c.reconcile();
    expect(podNames(c)).to.deep.equal(['web-0']);
    await c.advance(10_000);
    expect(podNames(c)).to.deep.equal(['web-0', 'web-1']);
    await c.advance(20_000);
    expect(podNames(c)).to.deep.equal(['web-0', 'web-1', 'web-2']);
    expect(set(c).status).to.include({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
    });
  });

  it('Parallel creates every pod at once', async () => {
    const c = await cluster();
    await c.applyManifests(
      manifest({ policy: 'Parallel', annotations: { 'kubespec.io/ready-after': '1h' } }),
      'sts',
    );
    await c.reconcile();
    expect(podNames(c)).to.deep.equal(['web-0', 'web-1', 'web-2']);
    expect(set(c).status?.readyReplicas).to.equal(undefined);
  });

  it('ScalesDown: the highest ordinal first, each after the one above it is gone', async () => {
    const c = await cluster();
    const annotations = { 'kubespec.io/shutdown-after': '5s' };
    await c.applyManifests(manifest({ annotations }), 'sts');
    await c.advance(1000);
    await c.applyManifests(manifest({ replicas: 0, annotations }), 'sts');
    await c.reconcile();
    const terminating = () =>
      c
        .pods()
        .filter((p) => p.metadata.deletionTimestamp)
        .map((p) => p.metadata.name);
    expect(terminating()).to.deep.equal(['web-2']);
    await c.advance(5000);
    expect(terminating()).to.deep.equal(['web-1']);
    await c.advance(10_000);
    expect(podNames(c)).to.deep.equal([]);
  });

  it('ReplacesPods and RecreatesFailedPod: a deleted or failed pod comes back under its name', async () => {
    const c = await cluster();
    await c.applyManifests(manifest(), 'sts');
    await c.reconcile();
    const before = c.get('Pod', 'default', 'web-1')?.metadata.uid;
    await c.delete('Pod', 'default', 'web-1', { force: true });
    c.store.mutate<PodObject>('Pod', 'default', 'web-2', (p) => {
      p.status = { ...(p.status ?? {}), phase: 'Failed' };
    });
    await c.advance(1000);
    expect(podNames(c)).to.deep.equal(['web-0', 'web-1', 'web-2']);
    expect(c.get('Pod', 'default', 'web-1')?.metadata.uid).to.not.equal(before);
    expect((c.get('Pod', 'default', 'web-2') as PodObject).status?.phase).to.equal('Running');
    const messages = c.recorder.occurrences
      .filter((o) => o.object === 'statefulset/web')
      .map((o) => o.message);
    expect(messages).to.include('delete Pod web-2 in StatefulSet web successful');
  });

  it('gives each pod its identity, revision label and owner', async () => {
    const c = await cluster();
    await c.applyManifests(manifest({ replicas: 1 }), 'sts');
    await c.reconcile();
    const pod = c.get('Pod', 'default', 'web-0') as PodObject;
    const [revision] = revisions(c);
    expect(pod.metadata.labels).to.deep.equal({
      app: 'nginx',
      'controller-revision-hash': revision[0],
      'statefulset.kubernetes.io/pod-name': 'web-0',
      'apps.kubernetes.io/pod-index': '0',
    });
    expect(pod.spec?.hostname).to.equal('web-0');
    expect(pod.spec?.subdomain).to.equal('nginx');
    expect(pod.metadata.ownerReferences?.[0]).to.include({
      kind: 'StatefulSet',
      name: 'web',
      controller: true,
    });
    expect(set(c).status).to.include({
      currentRevision: revision[0],
      updateRevision: revision[0],
      collisionCount: 0,
    });
    expect(revision[0]).to.match(/^web-[bcdfg456789]+$/);
  });

  it('RollingUpdateWithPartition: only ordinals at or above the partition move to the new revision', async () => {
    const c = await cluster();
    await c.applyManifests(manifest(), 'sts');
    await c.reconcile();
    const strategy = '{"type":"RollingUpdate","rollingUpdate":{"partition":1}}';
    await c.applyManifests(manifest({ image: 'nginx:1.27', strategy }), 'sts');
    await c.advance(1000);
    expect(images(c)).to.deep.equal({ 'web-0': 'nginx:1.26', 'web-1': 'nginx:1.27', 'web-2': 'nginx:1.27' });
    const status = set(c).status;
    expect(status).to.include({ replicas: 3, currentReplicas: 1, updatedReplicas: 2 });
    expect(status?.currentRevision).to.not.equal(status?.updateRevision);
    await c.applyManifests(manifest({ image: 'nginx:1.27' }), 'sts');
    await c.advance(1000);
    expect(images(c)['web-0']).to.equal('nginx:1.27');
    expect(set(c).status?.currentRevision).to.equal(set(c).status?.updateRevision);
  });

  it('OnDeleteUpdate: pods keep their revision until they are deleted', async () => {
    const c = await cluster();
    const strategy = '{"type":"OnDelete"}';
    await c.applyManifests(manifest({ strategy }), 'sts');
    await c.reconcile();
    await c.applyManifests(manifest({ strategy, image: 'nginx:1.27' }), 'sts');
    await c.advance(1000);
    expect(images(c)).to.deep.equal({ 'web-0': 'nginx:1.26', 'web-1': 'nginx:1.26', 'web-2': 'nginx:1.26' });
    await c.delete('Pod', 'default', 'web-0', { force: true });
    await c.advance(1000);
    expect(images(c)['web-0']).to.equal('nginx:1.27');
    expect(set(c).status).to.include({ updatedReplicas: 1, currentReplicas: 2 });
  });

  it('Rollback: returning to an earlier template renumbers its revision instead of making a new one', async () => {
    const c = await cluster();
    await c.applyManifests(manifest(), 'sts');
    await c.reconcile();
    await c.applyManifests(manifest({ image: 'nginx:1.27' }), 'sts');
    await c.advance(1000);
    const [first, second] = revisions(c);
    expect([first[1], second[1]]).to.deep.equal([1, 2]);
    await c.applyManifests(manifest(), 'sts');
    await c.advance(1000);
    expect(revisions(c)).to.deep.equal([
      [second[0], 2],
      [first[0], 3],
    ]);
    expect(set(c).status?.updateRevision).to.equal(first[0]);
    expect(images(c)).to.deep.equal({ 'web-0': 'nginx:1.26', 'web-1': 'nginx:1.26', 'web-2': 'nginx:1.26' });
  });

  it('HistoryTruncation: revisions no pod uses go beyond revisionHistoryLimit, oldest first', async () => {
    const c = await cluster();
    for (const image of ['nginx:1.25', 'nginx:1.26', 'nginx:1.27', 'nginx:1.28']) {
      await c.applyManifests(manifest({ image, historyLimit: 1 }), 'sts');
      await c.advance(1000);
    }
    expect(revisions(c).map(([, n]) => n)).to.deep.equal([3, 4]);
  });
});
