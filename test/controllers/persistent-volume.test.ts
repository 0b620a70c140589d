import { expect } from 'chai';
import type { PersistentVolumeClaimObject, PersistentVolumeObject } from '../../src/api/persistent-volumes';
import { Cluster } from '../../src/cluster';
import { RESYNC_PERIOD_MS } from '../../src/controllers/persistent-volume';

// The PV controller through the cluster: the cases of k8s:pkg/controller/volume/persistentvolume/binder_test.go
// (syncClaim, syncVolume), provision_test.go and delete_test.go that kubespec's volumes can reach.

async function cluster(manifests: string): Promise<Cluster> {
  const c = await Cluster.create();
  await c.applyManifests(manifests, 'manifests');
  await c.reconcile();
  return c;
}

const claimOf = (c: Cluster, name = 'data') =>
  c.get('PersistentVolumeClaim', 'default', name) as PersistentVolumeClaimObject;
const volumeOf = (c: Cluster, name: string) =>
  c.get('PersistentVolume', undefined, name) as PersistentVolumeObject;
const events = (c: Cluster) => c.recorder.occurrences.map((e) => [e.type, e.reason, e.object, e.message]);

const nfsVolume = (name: string, size: string, extra = '') => `
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  capacity: {storage: ${size}}
  accessModes: [ReadWriteOnce]
  nfs: {server: nfs.example.com, path: /exports/${name}}
${extra}
---`;

const claimYaml = (size: string, extra = '') => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: ${size}}}
${extra}`;

describe('the PersistentVolume controller', () => {
  it('binds a claim to the smallest available volume and marks both Bound (binder_test 1-3)', async () => {
    const c = await cluster(nfsVolume('big', '10Gi') + nfsVolume('small', '2Gi') + claimYaml('1Gi'));
    const claim = claimOf(c);
    expect(claim.spec?.volumeName).to.equal('small');
    expect(claim.metadata.annotations).to.include({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    expect(claim.status).to.deep.equal({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '2Gi' },
    });
    const small = volumeOf(c, 'small');
    expect(small.status?.phase).to.equal('Bound');
    expect(small.spec?.claimRef).to.include({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid: claim.metadata.uid,
    });
    expect(small.metadata.annotations).to.include({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(volumeOf(c, 'big').status?.phase).to.equal('Available');
  });

  it('leaves a claim no volume satisfies Pending with FailedBinding, and retries it every resync (binder_test 1-1)', async () => {
    const c = await cluster(claimYaml('1Gi'));
    expect(claimOf(c).status?.phase).to.equal('Pending');
    const failed = () =>
      c.store.list('Event').find((e) => e.reason === 'FailedBinding') as { count?: number } | undefined;
    expect(failed()?.count).to.equal(1);
    await c.advance(RESYNC_PERIOD_MS);
    expect(failed()?.count).to.equal(2);
    await c.applyManifests(nfsVolume('late', '1Gi').replace(/---$/, ''), 'more');
    await c.reconcile();
    expect(claimOf(c).status?.phase).to.equal('Pending');
    await c.advance(RESYNC_PERIOD_MS);
    expect(claimOf(c).spec?.volumeName).to.equal('late');
  });

  it('binds a claim to the volume a user pre-bound to it, though a smaller one fits (binder_test 1-5)', async () => {
    const c = await cluster(
      nfsVolume('small', '1Gi') +
        nfsVolume('reserved', '5Gi', '  claimRef: {namespace: default, name: data}') +
        claimYaml('1Gi'),
    );
    expect(claimOf(c).spec?.volumeName).to.equal('reserved');
    // A user's pre-binding is not the controller's.
    expect(volumeOf(c, 'reserved').metadata.annotations ?? {}).to.not.have.property(
      'pv.kubernetes.io/bound-by-controller',
    );
  });

  it('binds a claim naming a volume, and refuses one that does not satisfy it (binder_test 2-x)', async () => {
    const c = await cluster(nfsVolume('wanted', '5Gi') + claimYaml('1Gi', '  volumeName: wanted'));
    expect(claimOf(c).status?.phase).to.equal('Bound');
    expect(volumeOf(c, 'wanted').spec?.claimRef?.name).to.equal('data');

    const d = await cluster(
      nfsVolume('wanted', '5Gi', '  storageClassName: gold') + claimYaml('1Gi', '  volumeName: wanted'),
    );
    expect(claimOf(d).status?.phase).to.equal('Pending');
    expect(events(d)).to.deep.include([
      'Warning',
      'VolumeMismatch',
      'persistentvolumeclaim/data',
      'Cannot bind to requested volume "wanted": storageClassName does not match',
    ]);
  });

  it('reports a claim naming a volume bound to another claim', async () => {
    const c = await cluster(
      nfsVolume('taken', '5Gi', '  claimRef: {namespace: default, name: other, uid: some-uid}') +
        claimYaml('1Gi', '  volumeName: taken'),
    );
    expect(claimOf(c).status?.phase).to.equal('Pending');
    expect(events(c)).to.deep.include([
      'Warning',
      'FailedBinding',
      'persistentvolumeclaim/data',
      'volume "taken" already bound to a different claim.',
    ]);
  });

  it('marks a bound claim whose volume is deleted Lost, once (binder_test 3-2)', async () => {
    const c = await cluster(nfsVolume('pv-1', '1Gi') + claimYaml('1Gi'));
    c.store.remove('PersistentVolume', undefined, 'pv-1');
    await c.reconcile();
    await c.advance(RESYNC_PERIOD_MS);
    expect(claimOf(c).status?.phase).to.equal('Lost');
    const lost = c.store.list('Event').filter((e) => e.reason === 'ClaimLost') as {
      message?: string;
      count?: number;
    }[];
    expect(lost.map((e) => [e.message, e.count])).to.deep.equal([
      ['Bound claim has lost its PersistentVolume. Data on the volume is lost!', 1],
    ]);
  });

  describe('reclaiming', () => {
    it('releases a Retain volume whose claim is deleted, and keeps it (delete_test 8-1)', async () => {
      const c = await cluster(
        nfsVolume('pv-1', '1Gi', '  persistentVolumeReclaimPolicy: Retain') + claimYaml('1Gi'),
      );
      await c.delete('PersistentVolumeClaim', 'default', 'data');
      await c.reconcile();
      await c.advance(RESYNC_PERIOD_MS);
      const pv = volumeOf(c, 'pv-1');
      expect(pv.status?.phase).to.equal('Released');
      expect(pv.spec?.claimRef?.name).to.equal('data');
    });

    it('deletes a Delete hostPath volume under /tmp', async () => {
      const c = await cluster(`
apiVersion: v1
kind: PersistentVolume
metadata: {name: scratch}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Delete
  hostPath: {path: /tmp/scratch}
---${claimYaml('1Gi')}`);
      await c.delete('PersistentVolumeClaim', 'default', 'data');
      await c.reconcile();
      expect(volumeOf(c, 'scratch')).to.equal(undefined);
    });

    it('fails a Delete volume no plugin can delete, with one event however often it retries (delete_test 8-4)', async () => {
      const c = await cluster(
        nfsVolume('pv-1', '1Gi', '  persistentVolumeReclaimPolicy: Delete') + claimYaml('1Gi'),
      );
      await c.delete('PersistentVolumeClaim', 'default', 'data');
      await c.reconcile();
      await c.advance(3 * RESYNC_PERIOD_MS);
      const pv = volumeOf(c, 'pv-1');
      const message =
        'error getting deleter volume plugin for volume "pv-1": no deletable volume plugin matched';
      expect(pv.status).to.include({ phase: 'Failed', message });
      expect(events(c).filter((e) => e[1] === 'VolumeFailedDelete')).to.deep.equal([
        ['Warning', 'VolumeFailedDelete', 'persistentvolume/pv-1', message],
      ]);
    });
  });

  describe('provisioning', () => {
    const gp3 = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: gp3}
provisioner: kubernetes.io/aws-ebs
reclaimPolicy: Delete
---`;
    const gp3Claim = claimYaml('20Gi').replace('storageClassName: ""', 'storageClassName: gp3');

    it('asks the class provisioner (migrated in-tree names go to their CSI driver) and binds what it creates', async () => {
      const c = await cluster(gp3 + gp3Claim);
      const claim = claimOf(c);
      const name = `pvc-${claim.metadata.uid}`;
      expect(claim.spec?.volumeName).to.equal(name);
      expect(claim.metadata.annotations).to.include({
        'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
        'volume.beta.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
      });
      const pv = volumeOf(c, name);
      expect(pv.metadata.annotations).to.deep.equal({ 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' });
      expect(pv.spec).to.deep.include({
        capacity: { storage: '20Gi' },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'gp3',
        csi: { driver: 'ebs.csi.aws.com', volumeHandle: name },
      });
      expect(events(c).map((e) => e[1])).to.include.members([
        'ExternalProvisioning',
        'Provisioning',
        'ProvisioningSucceeded',
      ]);
      expect(events(c)).to.deep.include([
        'Normal',
        'ProvisioningSucceeded',
        'persistentvolumeclaim/data',
        `Successfully provisioned volume ${name}`,
      ]);
    });

    it('has the provisioner delete the volume it made when the claim goes', async () => {
      const c = await cluster(gp3 + gp3Claim);
      await c.delete('PersistentVolumeClaim', 'default', 'data');
      await c.reconcile();
      expect(c.store.list('PersistentVolume')).to.deep.equal([]);
    });

    it('gives a claim without a class the default class once one exists (RetroactiveDefaultStorageClass)', async () => {
      const c = await cluster(claimYaml('1Gi').replace('  storageClassName: ""\n', ''));
      expect(claimOf(c).spec?.storageClassName).to.equal(undefined);
      await c.applyManifests(
        gp3.replace(
          'metadata: {name: gp3}',
          'metadata: {name: gp3, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}',
        ),
        'class',
      );
      await c.advance(RESYNC_PERIOD_MS);
      expect(claimOf(c).spec?.storageClassName).to.equal('gp3');
      expect(claimOf(c).status?.phase).to.equal('Bound');
    });

    it('waits for the first consumer, naming the pod that waits to be scheduled', async () => {
      const c = await cluster(
        gp3.replace('reclaimPolicy: Delete', 'volumeBindingMode: WaitForFirstConsumer') + gp3Claim,
      );
      expect(events(c)).to.deep.equal([
        [
          'Normal',
          'WaitForFirstConsumer',
          'persistentvolumeclaim/data',
          'waiting for first consumer to be created before binding',
        ],
      ]);
      // No node: the pod cannot be scheduled, and the claim names it at its next sync.
      await c.applyManifests(
        `
apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers: [{name: c, image: postgres}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]`,
        'pod',
      );
      await c.advance(RESYNC_PERIOD_MS);
      expect(events(c)).to.deep.include([
        'Normal',
        'WaitForPodScheduled',
        'persistentvolumeclaim/data',
        'waiting for pod db to be scheduled',
      ]);
      expect(claimOf(c).status?.phase).to.equal('Pending');
    });
  });
});
