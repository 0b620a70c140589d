import { expect } from 'chai';
import { ApiError } from '../../src/api/store';
import { Cluster } from '../../src/cluster';

// The ReplicaSet controller through the cluster, after k8s:pkg/controller/replicaset/replica_set_test.go
// (TestSlowStartBatch, TestSyncReplicaSetDormancy's failed creations, calculateStatus' fullyLabeledReplicas).

async function cluster(): Promise<Cluster> {
  const c = await Cluster.create();
  await c.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    status: { capacity: { cpu: '16', memory: '64Gi', pods: '110' } },
  });
  return c;
}

const replicaSet = (replicas: number, templateLabels = '{app: web, tier: frontend}') => `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: ${templateLabels}}
    spec:
      containers: [{name: app, image: nginx}]`;

describe('the ReplicaSet controller', () => {
  it('creates pods in slow-start batches of 1, 2, 4, … and stops after the batch that failed', async () => {
    const c = await cluster();
    // What each sync did: its creation attempts, then `|` when it writes the status.
    const log: string[] = [];
    c.api.addAdmission('Pod', () => {
      const refuse = c.pods().length >= 4;
      log.push(refuse ? 'fail' : 'ok');
      if (refuse) throw new ApiError('Forbidden', 'pods "web-" is forbidden: exceeded quota: pods');
    });
    c.store.watch('ReplicaSet', (type, obj, old) => {
      if (type === 'MODIFIED' && obj.status !== old?.status) log.push('|');
    });
    await c.applyManifests(replicaSet(10), 'rs');
    await c.reconcile();
    // Batches of 1 and 2 succeed; the batch of 4 is tried in full and fails after one success; no batch of 3.
    expect(log.slice(0, 8).join(' ')).to.equal('ok ok ok ok fail fail fail |');
    expect(c.pods()).to.have.length(4);
    const failed = c.recorder.occurrences.filter((o) => o.reason === 'FailedCreate');
    expect(failed[0].message).to.equal('Error creating: pods "web-" is forbidden: exceeded quota: pods');
    // A later sync starts again with a batch of one.
    expect(log.slice(8, 10).join(' ')).to.equal('fail |');
  });

  it('counts the adopted pods that lack a template label as replicas but not as fully labeled', async () => {
    const c = await cluster();
    await c.applyManifests(
      `
apiVersion: v1
kind: Pod
metadata: {name: stray, labels: {app: web}}
spec:
  containers: [{name: app, image: nginx}]`,
      'pod',
    );
    await c.applyManifests(replicaSet(3), 'rs');
    await c.reconcile();
    expect(c.get('ReplicaSet', 'default', 'web')?.status).to.deep.include({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 3,
      availableReplicas: 3,
    });
  });

  it('creates no pod while it is being deleted in the foreground', async () => {
    const c = await cluster();
    await c.applyManifests(replicaSet(2), 'rs');
    await c.reconcile();
    await c.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    const names = c.pods().map((p) => p.metadata.name);
    await c.reconcile();
    expect(c.pods().filter((p) => !names.includes(p.metadata.name))).to.deep.equal([]);
  });

  it('leaves terminatingReplicas out of the status before v1.35', async () => {
    const c = await Cluster.create({ kubernetesVersion: 'v1.34' });
    await c.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { capacity: { cpu: '16', memory: '64Gi', pods: '110' } },
    });
    await c.applyManifests(replicaSet(1), 'rs');
    await c.reconcile();
    expect(c.get('ReplicaSet', 'default', 'web')?.status).to.deep.equal({
      replicas: 1,
      fullyLabeledReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
    });
  });
});
