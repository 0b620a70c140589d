// Steps that check claims, volumes, namespaces and service accounts.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { PersistentVolumeClaimObject, PersistentVolumeObject } from '../src/api/persistent-volumes';
import type { PodObject } from '../src/api/pods';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

async function claimNamed(world: KubespecWorld, name: string) {
  const ref = parseRef('pvc', name);
  const claim = (await world.cluster()).get('PersistentVolumeClaim', ref.namespace, ref.name) as
    | PersistentVolumeClaimObject
    | undefined;
  expect(claim, `persistentvolumeclaim ${name} does not exist`).to.not.equal(undefined);
  return claim as PersistentVolumeClaimObject;
}

const described = (obj: object | undefined) => {
  const o = obj as { spec?: unknown; status?: unknown } | undefined;
  return JSON.stringify({ spec: o?.spec, status: o?.status });
};

Then(
  'claim {string} is bound to volume {string}',
  async function (this: KubespecWorld, name: string, volume: string) {
    const claim = await claimNamed(this, name);
    expect({ phase: claim.status?.phase, volume: claim.spec?.volumeName }, described(claim)).to.deep.equal({
      phase: 'Bound',
      volume,
    });
    const pv = (await this.cluster()).get('PersistentVolume', undefined, volume) as PersistentVolumeObject;
    expect(pv?.spec?.claimRef?.uid, `volume ${volume}: ${described(pv)}`).to.equal(claim.metadata.uid);
  },
);

Then('claim {string} is bound', async function (this: KubespecWorld, name: string) {
  const claim = await claimNamed(this, name);
  expect(claim.status?.phase, described(claim)).to.equal('Bound');
});

Then('claim {string} is pending', async function (this: KubespecWorld, name: string) {
  const claim = await claimNamed(this, name);
  expect({ phase: claim.status?.phase, volume: claim.spec?.volumeName }, described(claim)).to.deep.equal({
    phase: 'Pending',
    volume: undefined,
  });
});

Then('volume {string} has phase {string}', async function (this: KubespecWorld, name: string, phase: string) {
  const pv = (await this.cluster()).get('PersistentVolume', undefined, name) as
    | PersistentVolumeObject
    | undefined;
  expect(pv, `persistentvolume ${name} does not exist`).to.not.equal(undefined);
  expect(pv?.status?.phase, described(pv)).to.equal(phase);
});

Then('volume {string} no longer exists', async function (this: KubespecWorld, name: string) {
  const pv = (await this.cluster()).get('PersistentVolume', undefined, name);
  expect(pv, `persistentvolume ${name}: ${described(pv)}`).to.equal(undefined);
});

Then('there are no persistent volumes', async function (this: KubespecWorld) {
  const names = (await this.cluster()).store.list('PersistentVolume').map((v) => v.metadata.name);
  expect(names, 'kubectl get pv').to.deep.equal([]);
});

Then('there is no {kind} {string}', async function (this: KubespecWorld, kind: string, name: string) {
  const ref = parseRef(kind, name);
  const found = (await this.cluster()).get(ref.kind.kind, ref.namespace, ref.name);
  expect(found, `${kind} ${name}`).to.equal(undefined);
});

Then('namespace {string} no longer exists', async function (this: KubespecWorld, name: string) {
  const ns = (await this.cluster()).get('Namespace', undefined, name);
  expect(ns, `namespace ${name}: ${JSON.stringify(ns?.status)}`).to.equal(undefined);
});

Then(
  'pod {string} uses service account {string}',
  async function (this: KubespecWorld, name: string, account: string) {
    const ref = parseRef('pod', name);
    const pod = (await this.cluster()).get('Pod', ref.namespace, ref.name) as PodObject | undefined;
    expect(pod, `pod ${name} does not exist`).to.not.equal(undefined);
    expect(pod?.spec?.serviceAccountName).to.equal(account);
  },
);

Then(
  'namespace {string} has the service account {string}',
  async function (this: KubespecWorld, namespace: string, account: string) {
    const found = (await this.cluster()).get('ServiceAccount', namespace, account);
    expect(found, `serviceaccount ${namespace}/${account}`).to.not.equal(undefined);
  },
);
