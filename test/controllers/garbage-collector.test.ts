import { expect } from 'chai';
import type { KubeObject } from '../../src/api/object';
import { Cluster } from '../../src/cluster';

// Cascading deletion through the API server's DELETE and the garbage collector, after
// k8s:pkg/controller/garbagecollector/garbagecollector_test.go (TestDependentsRace, attemptToDeleteItem cases) and
// k8s:staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store_test.go (TestStoreDeleteWithOrphanDependents,
// TestStoreDeletionPropagation, TestGracefulStoreHandleFinalizers).

async function clusterWithReplicaSet(shutdownAfter = '0s'): Promise<Cluster> {
  const c = await Cluster.create();
  await c.applyManifests(
    `
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {capacity: {cpu: "4", memory: 8Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {kubespec.io/shutdown-after: ${shutdownAfter}}
    spec:
      containers: [{name: app, image: nginx}]`,
    'rs',
  );
  await c.reconcile();
  return c;
}

const webPods = (c: Cluster) => c.pods().filter((p) => p.metadata.labels?.app === 'web');

async function configMap(
  c: Cluster,
  name: string,
  extra: Partial<KubeObject['metadata']> = {},
): Promise<KubeObject> {
  return c.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', ...extra },
  });
}

const ownedBy = (owner: KubeObject, blockOwnerDeletion = true) => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name as string,
  uid: owner.metadata.uid as string,
  blockOwnerDeletion,
});

describe('the garbage collector', () => {
  it('deletes the dependents of an owner deleted in the background', async () => {
    const c = await clusterWithReplicaSet();
    expect(webPods(c)).to.have.length(2);
    await c.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Background' });
    expect(c.get('ReplicaSet', 'default', 'web')).to.equal(undefined);
    await c.reconcile();
    expect(webPods(c)).to.deep.equal([]);
  });

  it('keeps an owner deleted in the foreground until its blocking dependents are gone', async () => {
    const c = await clusterWithReplicaSet('10s');
    await c.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    const marked = c.get('ReplicaSet', 'default', 'web');
    expect(marked?.metadata.finalizers).to.deep.equal(['foregroundDeletion']);
    expect(marked?.metadata.deletionGracePeriodSeconds).to.equal(0);
    expect(marked?.metadata.deletionTimestamp).to.equal('2025-01-01T00:00:00Z');
    await c.reconcile();
    expect(webPods(c).map((p) => Boolean(p.metadata.deletionTimestamp))).to.deep.equal([true, true]);
    expect(webPods(c)).to.have.length(2, 'the pods are still shutting down');
    expect(c.get('ReplicaSet', 'default', 'web')).to.not.equal(undefined);
    await c.advance(10_000);
    expect(webPods(c)).to.deep.equal([]);
    expect(c.get('ReplicaSet', 'default', 'web')).to.equal(undefined);
  });

  it('lets a foreground deletion go at once when no dependent blocks it, and collects those after', async () => {
    const c = await clusterWithReplicaSet('10s');
    const owner = await configMap(c, 'owner');
    const pod = webPods(c)[0];
    c.store.mutate('Pod', 'default', pod.metadata.name as string, (p) => {
      p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), ownedBy(owner, false)];
    });
    await c.delete('ConfigMap', 'default', 'owner', { propagationPolicy: 'Foreground' });
    await c.reconcile();
    expect(c.get('ConfigMap', 'default', 'owner')).to.equal(undefined);
    // The pod still has its ReplicaSet, a solid owner: only the dangling reference goes.
    const after = c.get('Pod', 'default', pod.metadata.name as string);
    expect(after?.metadata.ownerReferences?.map((r) => r.kind)).to.deep.equal(['ReplicaSet']);
    expect(after?.metadata.deletionTimestamp).to.equal(undefined);
  });

  it('removes the owner from its dependents when it is deleted with orphan', async () => {
    const c = await clusterWithReplicaSet();
    await c.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Orphan' });
    await c.reconcile();
    expect(c.get('ReplicaSet', 'default', 'web')).to.equal(undefined);
    const pods = webPods(c);
    expect(pods).to.have.length(2);
    expect(pods.map((p) => p.metadata.ownerReferences)).to.deep.equal([undefined, undefined]);
    expect(pods.map((p) => p.metadata.deletionTimestamp)).to.deep.equal([undefined, undefined]);
  });

  it('orphans by default for a ReplicationController deleted without a policy (the v1 API default)', async () => {
    const c = await clusterWithReplicaSet();
    await c.applyManifests(
      `
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 1
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: app, image: nginx}]`,
      'rc',
    );
    await c.reconcile();
    await c.api.delete('ReplicationController', 'default', 'legacy');
    await c.reconcile();
    const legacy = c.pods().filter((p) => p.metadata.labels?.app === 'legacy');
    expect(legacy).to.have.length(1);
    expect(legacy[0].metadata.ownerReferences).to.equal(undefined);
  });

  it('deletes an object whose only owner does not exist', async () => {
    const c = await clusterWithReplicaSet();
    await configMap(c, 'orphan', {
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'no-such-uid' }],
    });
    await c.reconcile();
    expect(c.get('ConfigMap', 'default', 'orphan')).to.equal(undefined);
  });

  it('only drops the dangling reference of an object that still has an owner', async () => {
    const c = await clusterWithReplicaSet();
    const owner = await configMap(c, 'owner');
    await configMap(c, 'dependent', {
      ownerReferences: [
        ownedBy(owner),
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'no-such-uid' },
      ],
    });
    await c.reconcile();
    expect(
      c.get('ConfigMap', 'default', 'dependent')?.metadata.ownerReferences?.map((r) => r.name),
    ).to.deep.equal(['owner']);
  });

  it('keeps an object with a finalizer of its own until the finalizer is removed', async () => {
    const c = await clusterWithReplicaSet();
    await configMap(c, 'kept', { finalizers: ['example.com/keep'] });
    await c.delete('ConfigMap', 'default', 'kept');
    const kept = c.get('ConfigMap', 'default', 'kept');
    expect(kept?.metadata.deletionTimestamp).to.equal('2025-01-01T00:00:00Z');
    expect(kept?.metadata.finalizers).to.deep.equal(['example.com/keep']);
    c.store.mutate('ConfigMap', 'default', 'kept', (draft) => {
      delete draft.metadata.finalizers;
    });
    expect(c.get('ConfigMap', 'default', 'kept')).to.equal(undefined);
  });

  it('switches from foreground to background when deleted again in the background', async () => {
    const c = await clusterWithReplicaSet('10s');
    await c.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    await c.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Background' });
    expect(c.get('ReplicaSet', 'default', 'web')).to.equal(undefined);
  });
});
