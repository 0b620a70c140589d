import { expect } from 'chai';
import fc from 'fast-check';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../src/api/object';
import { Store } from '../../src/api/store';
import { ControlledObjects } from '../../src/controllers/controlled-objects';
import { controllerOf } from '../../src/controllers/pod-control';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

// The index of objects by controller that every workload controller reads (k8s:pkg/controller/controller_utils.go
// PodControllerUIDIndex, OrphanPodIndexKeyForNamespace, FilterPodsByOwner) and the wake-ups it sorts as the
// controllers' addPod / updatePod / deletePod handlers do.

const store = () => new Store(new VirtualClock(), new SeededRandom(1));

const owner = (kind: string, name: string, uid: string): OwnerReference => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  name,
  uid,
  controller: true,
  blockOwnerDeletion: true,
});

function pod(name: string, namespace = 'default', ref?: OwnerReference, labels?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, ...(ref ? { ownerReferences: [ref] } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
  } as KubeObject;
}

const names = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata.name);

describe('the index of objects by controller', () => {
  it('gives an owner its objects, then the orphans of its namespace and no one else’s', () => {
    const s = store();
    const index = new ControlledObjects(s, 'Pod');
    const web = owner('ReplicaSet', 'web', 'uid-web');
    s.create(pod('web-1', 'default', web));
    s.create(pod('db-0', 'default', owner('StatefulSet', 'db', 'uid-db')));
    s.create(pod('stray', 'default'));
    s.create(pod('elsewhere', 'other'));
    s.create(pod('web-2', 'default', web));
    expect(names(index.controlledBy('uid-web'))).to.deep.equal(['web-1', 'web-2']);
    expect(names(index.ownedOrOrphaned('uid-web', 'default'))).to.deep.equal(['web-1', 'web-2', 'stray']);
    expect(names(index.ownedOrOrphaned('uid-none', 'other'))).to.deep.equal(['elsewhere']);
  });

  it('moves an object to its new controller when it is adopted or released, and forgets it when deleted', () => {
    const s = store();
    const index = new ControlledObjects(s, 'Pod');
    const ds = owner('DaemonSet', 'agent', 'uid-ds');
    s.create(pod('agent-x', 'default'));
    s.mutate('Pod', 'default', 'agent-x', (p) => {
      p.metadata.ownerReferences = [ds];
    });
    expect(names(index.controlledBy('uid-ds'))).to.deep.equal(['agent-x']);
    expect(names(index.ownedOrOrphaned('uid-other', 'default'))).to.deep.equal([]);
    s.mutate('Pod', 'default', 'agent-x', (p) => {
      delete p.metadata.ownerReferences;
    });
    expect(index.controlledBy('uid-ds')).to.deep.equal([]);
    expect(names(index.ownedOrOrphaned('uid-other', 'default'))).to.deep.equal(['agent-x']);
    s.remove('Pod', 'default', 'agent-x');
    expect(index.ownedOrOrphaned('uid-other', 'default')).to.deep.equal([]);
  });

  it('wakes the owners of the subscribed kind that controlled the object before or after the change', () => {
    const s = store();
    const index = new ControlledObjects(s, 'Pod');
    const told: string[] = [];
    index.onControlled('StatefulSet', (ref, namespace, type) =>
      told.push(`${type} ${namespace}/${ref.name}`),
    );
    index.onControlled('Job', (ref, _namespace, type) => told.push(`job ${type} ${ref.name}`));
    s.create(pod('web-0', 'default', owner('StatefulSet', 'web', 'uid-web')));
    s.create(pod('web-x', 'default', owner('ReplicaSet', 'web', 'uid-rs')));
    // Taken over by another set: both hear of it.
    s.mutate('Pod', 'default', 'web-0', (p) => {
      p.metadata.ownerReferences = [owner('StatefulSet', 'web2', 'uid-web2')];
    });
    s.remove('Pod', 'default', 'web-0');
    expect(told).to.deep.equal([
      'ADDED default/web',
      'MODIFIED default/web',
      'MODIFIED default/web2',
      'DELETED default/web2',
    ]);
  });

  it('offers an orphan when it appears, is released or relabelled, but not for its status or its deletion', () => {
    const s = store();
    const index = new ControlledObjects(s, 'Pod');
    const offered: string[] = [];
    index.onOrphan((p) => offered.push(`${p.metadata.name} ${JSON.stringify(p.metadata.labels ?? {})}`));
    s.create(pod('stray', 'default', undefined, { app: 'web' }));
    s.mutate('Pod', 'default', 'stray', (p) => {
      p.status = { phase: 'Running' };
    });
    s.mutate('Pod', 'default', 'stray', (p) => {
      p.metadata.labels = { app: 'db' };
    });
    s.create(pod('owned', 'default', owner('Job', 'pi', 'uid-pi'), { app: 'web' }));
    s.mutate('Pod', 'default', 'owned', (p) => {
      delete p.metadata.ownerReferences;
    });
    s.mutate('Pod', 'default', 'stray', (p) => {
      p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
      p.metadata.labels = { app: 'web' };
    });
    s.remove('Pod', 'default', 'stray');
    expect(offered).to.deep.equal(['stray {"app":"web"}', 'stray {"app":"db"}', 'owned {"app":"web"}']);
  });

  it('answers as a scan of every object would, whatever the sequence of creations, adoptions, releases and deletions', () => {
    const owners = [undefined, owner('ReplicaSet', 'a', 'uid-a'), owner('DaemonSet', 'b', 'uid-b')];
    const step = fc.record({
      pod: fc.integer({ min: 0, max: 5 }),
      namespace: fc.constantFrom('default', 'other'),
      owner: fc.integer({ min: 0, max: 2 }),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const s = store();
        const index = new ControlledObjects(s, 'Pod');
        for (const st of steps) {
          const name = `p${st.pod}`;
          const existing = s.list('Pod').find((p) => p.metadata.name === name);
          const namespace = existing?.metadata.namespace ?? st.namespace;
          if (st.remove) s.remove('Pod', namespace, name);
          else if (!existing) s.create(pod(name, namespace, owners[st.owner]));
          else
            s.mutate('Pod', namespace, name, (p) => {
              const ref = owners[st.owner];
              if (ref) p.metadata.ownerReferences = [ref];
              else delete p.metadata.ownerReferences;
            });
        }
        for (const uid of ['uid-a', 'uid-b', 'uid-none']) {
          for (const namespace of ['default', 'other']) {
            const expected = s
              .list('Pod')
              .filter(
                (p) =>
                  controllerOf(p)?.uid === uid || (!controllerOf(p) && p.metadata.namespace === namespace),
              );
            expect(names(index.ownedOrOrphaned(uid, namespace)).sort()).to.deep.equal(names(expected).sort());
          }
        }
      }),
    );
  });
});
