import { expect } from 'chai';
import type { NamespaceCondition } from 'kubernetes-types/core/v1';
import { Cluster } from '../../src/cluster';
import { NAMESPACE_DELETION_GRACE_PERIOD_MS } from '../../src/controllers/namespace';

// The namespace controller through the cluster, after k8s:pkg/controller/namespace/deletion/
// namespaced_resources_deleter_test.go (TestDeleteNamespace*, the estimates) and status_condition_utils_test.go.

async function clusterWithStaging(podAnnotations = '{kubespec.io/shutdown-after: 20s}'): Promise<Cluster> {
  const c = await Cluster.create();
  await c.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
  });
  await c.applyManifests(
    `
apiVersion: v1
kind: Namespace
metadata: {name: staging}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: staging}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: staging, annotations: ${podAnnotations}}
spec:
  containers: [{name: app, image: nginx}]`,
    'staging',
  );
  await c.reconcile();
  return c;
}

const conditions = (c: Cluster) =>
  (
    (c.get('Namespace', undefined, 'staging')?.status as { conditions?: NamespaceCondition[] })?.conditions ??
    []
  ).map((x) => [x.type, x.status, x.reason, x.message]);

describe('the namespace controller', () => {
  it('does nothing before the deletion grace period', async () => {
    const c = await clusterWithStaging();
    await c.delete('Namespace', undefined, 'staging');
    await c.advance(NAMESPACE_DELETION_GRACE_PERIOD_MS - 1);
    expect(c.get('ConfigMap', 'staging', 'settings')).to.not.equal(undefined);
    expect(c.get('Pod', 'staging', 'web')?.metadata.deletionTimestamp).to.equal(undefined);
  });

  it('deletes the content, reports what is left, and removes the namespace once it is empty', async () => {
    const c = await clusterWithStaging();
    await c.delete('Namespace', undefined, 'staging');
    await c.advance(NAMESPACE_DELETION_GRACE_PERIOD_MS);
    expect(c.get('ConfigMap', 'staging', 'settings')).to.equal(undefined);
    expect(c.get('ServiceAccount', 'staging', 'default')).to.equal(undefined);
    expect(c.get('Pod', 'staging', 'web')?.metadata.deletionTimestamp).to.be.a('string');
    expect(conditions(c)).to.deep.equal([
      [
        'NamespaceDeletionDiscoveryFailure',
        'False',
        'ResourcesDiscovered',
        'All resources successfully discovered',
      ],
      [
        'NamespaceDeletionGroupVersionParsingFailure',
        'False',
        'ParsedGroupVersions',
        'All legacy kube types successfully parsed',
      ],
      [
        'NamespaceDeletionContentFailure',
        'False',
        'ContentDeleted',
        'All content successfully deleted, may be waiting on finalization',
      ],
      [
        'NamespaceContentRemaining',
        'True',
        'SomeResourcesRemain',
        'Some resources are remaining: pods. has 1 resource instances',
      ],
      ['NamespaceFinalizersRemaining', 'False', 'ContentRemoved', 'All content successfully removed'],
    ]);
    // The pod stops 20s after SIGTERM; the controller's next pass then finds the namespace empty.
    await c.advance(20_000);
    expect(c.get('Pod', 'staging', 'web')).to.equal(undefined);
    await c.advance(10_000);
    expect(c.get('Namespace', undefined, 'staging')).to.equal(undefined);
    expect(c.lastKnown('Namespace', undefined, 'staging')?.spec).to.deep.equal({ finalizers: [] });
  });

  it('reports a content failure for pods still there after their grace period (unexpected items remain)', async () => {
    const c = await clusterWithStaging('{kubespec.io/shutdown-after: never}');
    await c.delete('Namespace', undefined, 'staging');
    // The node stops answering: its pods can no longer be removed.
    c.stopNode('n1');
    await c.advance(60_000);
    const failure = conditions(c).find((x) => x[0] === 'NamespaceDeletionContentFailure');
    expect(failure).to.deep.equal([
      'NamespaceDeletionContentFailure',
      'True',
      'ContentDeletionFailed',
      'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: staging for gvr: /v1, Resource=pods',
    ]);
    expect(c.get('Namespace', undefined, 'staging')?.status).to.include({ phase: 'Terminating' });
  });

  it('leaves a namespace alone that is not being deleted', async () => {
    const c = await clusterWithStaging();
    await c.advance(60_000);
    expect(c.get('ConfigMap', 'staging', 'settings')).to.not.equal(undefined);
    expect(conditions(c)).to.deep.equal([]);
  });
});
