import { expect } from 'chai';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../src/api/object';
import { Store } from '../../src/api/store';
import { claimObjects } from '../../src/controllers/controller-ref-manager';
import { controllerOf } from '../../src/controllers/pod-control';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

// ClaimObjects as every workload controller uses it, after k8s:pkg/controller/controller_ref_manager_test.go
// (TestClaimPods: adopt, release, ignore another controller's pods, no adoption while being deleted, filters).

function setup(controllerMeta: Partial<KubeObject['metadata']> = {}) {
  const store = new Store(new VirtualClock(), new SeededRandom(1));
  const controller = store.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', ...controllerMeta },
    spec: {},
  });
  const pod = (name: string, labels: Record<string, string>, meta: Partial<KubeObject['metadata']> = {}) =>
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels, ...meta },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
  const claim = (objects: KubeObject[], filter?: (obj: KubeObject) => boolean) =>
    claimObjects({
      store,
      controller,
      matches: (labels) => labels?.app === 'web',
      filter,
      objects: objects.map((o) => store.get('Pod', o.metadata.namespace, o.metadata.name as string) ?? o),
    }).map((o) => o.metadata.name);
  const ownRef: OwnerReference = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: 'web',
    uid: controller.metadata.uid as string,
    controller: true,
    blockOwnerDeletion: true,
  };
  const refOf = (name: string) => store.get('Pod', 'default', name)?.metadata.ownerReferences;
  return { store, controller, pod, claim, ownRef, refOf };
}

describe('claiming objects by selector', () => {
  it('adopts a matching orphan with a blocking controller reference', () => {
    const { pod, claim, ownRef, refOf } = setup();
    const orphan = pod('web-0', { app: 'web' });
    expect(claim([orphan])).to.deep.equal(['web-0']);
    expect(refOf('web-0')).to.deep.equal([ownRef]);
  });

  it('keeps what it owns and still matches, and releases only its own reference from what stopped matching', () => {
    const { pod, claim, ownRef, refOf } = setup();
    const other: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', uid: 'uid-cfg' };
    const kept = pod('web-0', { app: 'web' }, { ownerReferences: [ownRef] });
    const relabelled = pod('web-1', { app: 'debug' }, { ownerReferences: [other, ownRef] });
    const alone = pod('web-2', { app: 'debug' }, { ownerReferences: [ownRef] });
    expect(claim([kept, relabelled, alone])).to.deep.equal(['web-0']);
    expect(refOf('web-0')).to.deep.equal([ownRef]);
    expect(refOf('web-1')).to.deep.equal([other]);
    expect(refOf('web-2')).to.equal(undefined);
  });

  it('never touches what another controller owns, matching or not', () => {
    const { pod, claim, ownRef, refOf } = setup();
    const theirs: OwnerReference = { ...ownRef, name: 'web2', uid: 'uid-web2' };
    const matching = pod('web-0', { app: 'web' }, { ownerReferences: [theirs] });
    const notMatching = pod('web-1', { app: 'debug' }, { ownerReferences: [theirs] });
    expect(claim([matching, notMatching])).to.deep.equal([]);
    expect(refOf('web-0')).to.deep.equal([theirs]);
    expect(refOf('web-1')).to.deep.equal([theirs]);
  });

  it('neither adopts nor releases while being deleted, but still claims what it owns and matches', () => {
    const { pod, claim, ownRef, refOf } = setup({ deletionTimestamp: '2025-01-01T00:00:00Z' });
    const orphan = pod('web-0', { app: 'web' });
    const kept = pod('web-1', { app: 'web' }, { ownerReferences: [ownRef] });
    const stale = pod('web-2', { app: 'debug' }, { ownerReferences: [ownRef] });
    expect(claim([orphan, kept, stale])).to.deep.equal(['web-1']);
    expect(refOf('web-0')).to.equal(undefined);
    expect(refOf('web-2')).to.deep.equal([ownRef]);
  });

  it('does not adopt an orphan that is being deleted, nor one of another namespace', () => {
    const { store, pod, claim, refOf } = setup();
    const deleting = pod('web-0', { app: 'web' }, { deletionTimestamp: '2025-01-01T00:00:00Z' });
    const foreign = store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'other', labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
    expect(claim([deleting, foreign])).to.deep.equal([]);
    expect(refOf('web-0')).to.equal(undefined);
    expect(controllerOf(store.get('Pod', 'other', 'web-1') as KubeObject)).to.equal(undefined);
  });

  it('claims only what the filters accept too: an orphan is not adopted, its own is released (isMemberOf)', () => {
    const { pod, claim, ownRef, refOf } = setup();
    const member = (obj: KubeObject) => /^web-[0-9]+$/.test(obj.metadata.name ?? '');
    const orphan = pod('web-debug', { app: 'web' });
    const owned = pod('web-canary', { app: 'web' }, { ownerReferences: [ownRef] });
    const replica = pod('web-0', { app: 'web' });
    expect(claim([orphan, owned, replica], member)).to.deep.equal(['web-0']);
    expect(refOf('web-debug')).to.equal(undefined);
    expect(refOf('web-canary')).to.equal(undefined);
    expect(refOf('web-0')).to.deep.equal([ownRef]);
  });
});
