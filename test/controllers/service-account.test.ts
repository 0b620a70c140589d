import { expect } from 'chai';
import type { KubeObject } from '../../src/api/object';
import type { PodObject } from '../../src/api/pods';
import { Cluster } from '../../src/cluster';

// The ServiceAccount controller and admission plugin through the cluster, after
// k8s:pkg/controller/serviceaccount/serviceaccounts_controller_test.go (TestServiceAccountCreation) and
// k8s:plugin/pkg/admission/serviceaccount/admission_test.go.

const pod = (
  name: string,
  spec: Record<string, unknown> = {},
  namespace = 'default',
  annotations?: Record<string, string>,
) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  }) as KubeObject;

async function refusal(c: Cluster, obj: KubeObject): Promise<string> {
  try {
    await c.create(obj);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

const accounts = (c: Cluster) =>
  c.store.list('ServiceAccount').map((s) => `${s.metadata.namespace}/${s.metadata.name}`);

describe('the ServiceAccount controller', () => {
  it('has given the namespaces of a new cluster their default account', async () => {
    const c = await Cluster.create();
    expect(accounts(c)).to.deep.equal([
      'default/default',
      'kube-node-lease/default',
      'kube-public/default',
      'kube-system/default',
    ]);
    expect(c.get('ServiceAccount', 'default', 'default')).to.have.keys('apiVersion', 'kind', 'metadata');
  });

  it('creates the default account in a new namespace (TestServiceAccountCreation "new active namespace missing serviceaccounts")', async () => {
    const c = await Cluster.create();
    await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    expect(c.get('ServiceAccount', 'team', 'default')).to.equal(undefined);
    await c.reconcile();
    expect(c.get('ServiceAccount', 'team', 'default')).to.not.equal(undefined);
  });

  it('creates the default account again when it is deleted ("updated active namespace ... deleted serviceaccount")', async () => {
    const c = await Cluster.create();
    await c.delete('ServiceAccount', 'default', 'default');
    await c.reconcile();
    expect(c.get('ServiceAccount', 'default', 'default')).to.not.equal(undefined);
  });

  it('leaves a terminating namespace without an account ("deleted serviceaccount with inactive namespace")', async () => {
    const c = await Cluster.create();
    await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await c.reconcile();
    await c.delete('Namespace', undefined, 'team');
    await c.delete('ServiceAccount', 'team', 'default');
    await c.reconcile();
    expect(c.get('ServiceAccount', 'team', 'default')).to.equal(undefined);
  });
});

describe('the ServiceAccount admission plugin', () => {
  it('gives a pod that names no account the default one (TestAssignsDefaultServiceAccountAndToleratesMissingAPIToken)', async () => {
    const c = await Cluster.create();
    const created = (await c.create(pod('web'))) as PodObject;
    expect(created.spec).to.include({ serviceAccountName: 'default', serviceAccount: 'default' });
  });

  it('refuses a pod naming an account that does not exist (TestFetchesUncachedServiceAccount, not found)', async () => {
    const c = await Cluster.create();
    expect(await refusal(c, pod('web', { serviceAccountName: 'builder' }))).to.equal(
      'pods "web" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found',
    );
    expect(
      await refusal(c, {
        ...pod('', { serviceAccountName: 'builder' }),
        metadata: { generateName: 'web-', namespace: 'default' },
      }),
    ).to.equal(
      'pods "web-" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found',
    );
  });

  it('reads the deprecated serviceAccount field as the account name', async () => {
    const c = await Cluster.create();
    await c.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'legacy', namespace: 'default' },
    });
    const created = (await c.create(pod('web', { serviceAccount: 'legacy' }))) as PodObject;
    expect(created.spec).to.include({ serviceAccountName: 'legacy', serviceAccount: 'legacy' });
  });

  it('copies the account image pull secrets only into a pod that has none (TestAddImagePullSecrets)', async () => {
    const c = await Cluster.create();
    await c.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'deployer', namespace: 'default' },
      imagePullSecrets: [{ name: 'foo' }, { name: 'bar' }],
    } as KubeObject);
    const given = (await c.create(pod('a', { serviceAccountName: 'deployer' }))) as PodObject;
    expect(given.spec?.imagePullSecrets).to.deep.equal([{ name: 'foo' }, { name: 'bar' }]);
    const own = (await c.create(
      pod('b', { serviceAccountName: 'deployer', imagePullSecrets: [{ name: 'mine' }] }),
    )) as PodObject;
    expect(own.spec?.imagePullSecrets).to.deep.equal([{ name: 'mine' }]);
  });

  it('leaves mirror pods alone but forbids them accounts and secrets (TestRejectsMirrorPodWithServiceAccount, ...WithSecretVolumes)', async () => {
    const c = await Cluster.create();
    const mirror = { 'kubernetes.io/config.mirror': 'mirror' };
    const created = (await c.create(pod('static', {}, 'default', mirror))) as PodObject;
    expect(created.spec?.serviceAccountName).to.equal(undefined);
    expect(await refusal(c, pod('m1', { serviceAccountName: 'default' }, 'default', mirror))).to.equal(
      'pods "m1" is forbidden: a mirror pod may not reference service accounts',
    );
    expect(
      await refusal(
        c,
        pod('m2', { volumes: [{ name: 'v', secret: { secretName: 's' } }] }, 'default', mirror),
      ),
    ).to.equal('pods "m2" is forbidden: a mirror pod may not reference secrets');
  });

  it('checks the account before the pod priority, as kube-apiserver orders its plugins', async () => {
    const c = await Cluster.create();
    expect(
      await refusal(c, pod('web', { serviceAccountName: 'builder', priorityClassName: 'high' })),
    ).to.equal(
      'pods "web" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found',
    );
  });
});
