import { expect } from 'chai';
import { type EventOccurrence, EventRecorder, type StoredEvent } from '../../src/api/events';
import type { KubeObject } from '../../src/api/object';
import { ApiError, Store, type WatchEventType } from '../../src/api/store';
import { EPOCH, VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// k8s:staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go alphanums.
const NAME_SUFFIX = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;

function newStore(seed = 1): Store {
  return new Store(new VirtualClock(), new SeededRandom(seed));
}

const pod = (name: string, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});
const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} });
const configMap = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('Store', () => {
  describe('create', () => {
    it('fills in a seeded version-4 uid, an increasing resourceVersion and the creation time', () => {
      const store = newStore();
      const a = store.create(pod('a'));
      store.clock.advanceTo(EPOCH + 90_500);
      const b = store.create(node('n1'));
      expect(a.metadata.uid).to.match(UUID_V4);
      expect(b.metadata.uid).to.match(UUID_V4);
      expect(a.metadata.uid).to.not.equal(b.metadata.uid);
      expect(a.metadata.resourceVersion).to.equal('1');
      expect(b.metadata.resourceVersion).to.equal('2');
      expect(a.metadata.creationTimestamp).to.equal('2025-01-01T00:00:00Z');
      // metav1.Time has second precision.
      expect(b.metadata.creationTimestamp).to.equal('2025-01-01T00:01:30Z');
    });

    it('gives the same uids for the same seed and others for another seed', () => {
      const uids = (seed: number) => [newStore(seed).create(pod('a')).metadata.uid];
      expect(uids(7)).to.deep.equal(uids(7));
      expect(uids(7)).to.not.deep.equal(uids(8));
    });

    it('starts a pod at generation 1 and keeps no generation for kinds without one', () => {
      const store = newStore();
      expect(store.create(pod('a')).metadata.generation).to.equal(1);
      const n = node('n1');
      n.metadata.generation = 5;
      expect(store.create(n).metadata.generation).to.equal(undefined);
      expect(store.create(configMap('c')).metadata.generation).to.equal(undefined);
    });

    it('names an object with generateName as the prefix and five consonants or digits', () => {
      const store = newStore();
      const obj = pod('');
      obj.metadata.name = undefined;
      obj.metadata.generateName = 'web-';
      const created = store.create(obj);
      expect(created.metadata.name).to.match(/^web-/);
      expect((created.metadata.name as string).slice(4)).to.match(NAME_SUFFIX);
    });

    // k8s:staging/src/k8s.io/apiserver/pkg/storage/names/generate_test.go TestSimpleNameGenerator: the prefix is
    // cut to 58 characters so the name stays within 63.
    it('cuts a long generateName prefix to leave room for the suffix', () => {
      const name = newStore().generateName('Pod', 'default', 'x'.repeat(70));
      expect(name).to.have.length(63);
      expect(name.slice(0, 58)).to.equal('x'.repeat(58));
    });

    it('draws another suffix when the generated name is taken', () => {
      const taken = new SeededRandom(3).nameSuffix();
      const store = newStore(3);
      store.create(pod(`web-${taken}`));
      const generated = store.generateName('Pod', 'default', 'web-');
      expect(generated).to.not.equal(`web-${taken}`);
      expect(generated.slice(4)).to.match(NAME_SUFFIX);
    });

    it('refuses a second object of the same kind, namespace and name', () => {
      const store = newStore();
      store.create(pod('web'));
      const err = refusal(() => store.create(pod('web')));
      expect(err.reason).to.equal('AlreadyExists');
      expect(err.message).to.equal('pods "web" already exists');
      expect(err.field).to.equal('metadata.name');
      // Another namespace or another kind is another object.
      store.create(pod('web', 'prod'));
      store.create(configMap('web'));
    });

    it('names the group of a non-core resource in the refusal', () => {
      const store = newStore();
      const pc = (): KubeObject => ({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'high' },
        value: 1000,
      });
      store.create(pc());
      expect(refusal(() => store.create(pc())).message).to.equal(
        'priorityclasses.scheduling.k8s.io "high" already exists',
      );
    });
  });

  describe('get and list', () => {
    it('finds namespaced objects by namespace and cluster-scoped ones without', () => {
      const store = newStore();
      store.create(pod('web'));
      store.create(pod('web', 'prod'));
      store.create(node('n1'));
      expect(store.get('Pod', 'prod', 'web')?.metadata.namespace).to.equal('prod');
      expect(store.get('Pod', 'staging', 'web')).to.equal(undefined);
      expect(store.get('Node', undefined, 'n1')?.metadata.name).to.equal('n1');
      expect(store.list('Pod').map((p) => p.metadata.namespace)).to.deep.equal(['default', 'prod']);
      expect(store.list('Pod', 'prod')).to.have.length(1);
      expect(store.count('Pod')).to.equal(2);
      expect(store.list('Lease')).to.deep.equal([]);
    });
  });

  describe('update, mutate and remove', () => {
    it('keeps uid and creation time, bumps the resourceVersion and leaves generation to the caller', () => {
      const store = newStore();
      const created = store.create(pod('web'));
      store.clock.advanceTo(EPOCH + 60_000);
      const updated = store.mutate<KubeObject>('Pod', 'default', 'web', (p) => {
        (p.spec as { nodeName?: string }).nodeName = 'n1';
      }) as KubeObject;
      expect(updated.metadata.uid).to.equal(created.metadata.uid);
      expect(updated.metadata.creationTimestamp).to.equal('2025-01-01T00:00:00Z');
      expect(updated.metadata.resourceVersion).to.equal('2');
      // A binding is a subresource write: no new generation.
      expect(updated.metadata.generation).to.equal(1);
      // The stored object was replaced, not edited.
      expect((created.spec as { nodeName?: string }).nodeName).to.equal(undefined);
    });

    it('refuses to update what does not exist and mutates nothing that does not exist', () => {
      const store = newStore();
      const err = refusal(() => store.update(pod('ghost')));
      expect(err.reason).to.equal('NotFound');
      expect(err.message).to.equal('pods "ghost" not found');
      expect(store.mutate('Pod', 'default', 'ghost', () => {})).to.equal(undefined);
    });

    it('removes an object and returns its last state', () => {
      const store = newStore();
      store.create(pod('web'));
      expect(store.remove('Pod', 'default', 'web')?.metadata.name).to.equal('web');
      expect(store.get('Pod', 'default', 'web')).to.equal(undefined);
      expect(store.remove('Pod', 'default', 'web')).to.equal(undefined);
    });
  });

  describe('watch', () => {
    it('tells watchers of a kind, and watchers of everything, of each change with the old object', () => {
      const store = newStore();
      const seen: string[] = [];
      store.watch('Pod', (type, obj, old) =>
        seen.push(`${type} ${obj.metadata.resourceVersion} old=${old?.metadata.resourceVersion ?? '-'}`),
      );
      const all: WatchEventType[] = [];
      store.watchAll((type) => all.push(type));
      store.create(pod('web'));
      store.create(node('n1'));
      store.mutate('Pod', 'default', 'web', (p) => {
        p.metadata.labels = { app: 'web' };
      });
      store.remove('Pod', 'default', 'web');
      expect(seen).to.deep.equal(['ADDED 1 old=-', 'MODIFIED 3 old=1', 'DELETED 3 old=3']);
      expect(all).to.deep.equal(['ADDED', 'ADDED', 'MODIFIED', 'DELETED']);
    });
  });

  describe('transaction', () => {
    it('tells watchers nothing until the work has succeeded, then everything in order', async () => {
      const store = newStore();
      const seen: string[] = [];
      store.watch('ConfigMap', (type, obj) => seen.push(`${type} ${obj.metadata.name}`));
      const result = await store.transaction(async () => {
        store.create(configMap('a'));
        store.create(configMap('b'));
        expect(seen, 'during the transaction').to.deep.equal([]);
        return 'done';
      });
      expect(result).to.equal('done');
      expect(seen).to.deep.equal(['ADDED a', 'ADDED b']);
    });

    it('undoes every write of failed work: creations, updates, removals, their order and the versions', async () => {
      const store = newStore();
      store.create(configMap('first', { v: '1' }));
      store.create(configMap('second'));
      store.create(configMap('third'));
      const seen: string[] = [];
      store.watchAll((type, obj) => seen.push(`${type} ${obj.metadata.name}`));
      const failure = new Error('refused');
      let caught: unknown;
      try {
        await store.transaction(async () => {
          store.create(configMap('fourth'));
          store.mutate('ConfigMap', 'default', 'first', (c) => {
            c.data = { v: '2' };
          });
          store.remove('ConfigMap', 'default', 'second');
          throw failure;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.equal(failure);
      expect(seen).to.deep.equal([]);
      expect(store.list('ConfigMap').map((c) => c.metadata.name)).to.deep.equal(['first', 'second', 'third']);
      expect(store.get('ConfigMap', 'default', 'first')?.data).to.deep.equal({ v: '1' });
      // The refused writes used no resourceVersions.
      expect(store.create(configMap('after')).metadata.resourceVersion).to.equal('4');
    });

    it('joins an outer transaction, so a failure outside undoes the inner work too', async () => {
      const store = newStore();
      try {
        await store.transaction(async () => {
          await store.transaction(async () => {
            store.create(configMap('inner'));
          });
          throw new Error('outer fails');
        });
      } catch {
        // expected
      }
      expect(store.list('ConfigMap')).to.deep.equal([]);
    });
  });
});

// k8s:staging/src/k8s.io/client-go/tools/record/event.go makeEvent, events_cache.go EventCorrelator.
describe('EventRecorder', () => {
  const source = { component: 'default-scheduler' };

  function recorded() {
    const store = newStore();
    const recorder = new EventRecorder(store);
    const target = store.create(pod('web'));
    return { store, recorder, target };
  }

  it('stores an event about the object, with its source, count 1 and both timestamps', () => {
    const { store, recorder, target } = recorded();
    store.clock.advanceTo(EPOCH + 2_000);
    recorder.record(target, 'Warning', 'FailedScheduling', '0/1 nodes are available.', source);
    const [event] = store.list('Event') as StoredEvent[];
    expect(event.metadata.namespace).to.equal('default');
    // client-go names an event <object>.<unix nanoseconds in hex>.
    expect(event.metadata.name).to.equal(`web.${(BigInt(EPOCH + 2_000) * 1_000_000n).toString(16)}`);
    expect(event.involvedObject).to.deep.equal({
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web',
      namespace: 'default',
      uid: target.metadata.uid,
      resourceVersion: target.metadata.resourceVersion,
    });
    expect(event.type).to.equal('Warning');
    expect(event.reason).to.equal('FailedScheduling');
    expect(event.message).to.equal('0/1 nodes are available.');
    expect(event.source).to.deep.equal(source);
    expect(event.count).to.equal(1);
    expect(event.firstTimestamp).to.equal('2025-01-01T00:00:02Z');
    expect(event.lastTimestamp).to.equal('2025-01-01T00:00:02Z');
  });

  it('counts an identical event on the first one and moves its last timestamp', () => {
    const { store, recorder, target } = recorded();
    recorder.record(target, 'Warning', 'FailedScheduling', 'no room', source);
    store.clock.advanceTo(EPOCH + 330_000);
    recorder.record(target, 'Warning', 'FailedScheduling', 'no room', source);
    const events = store.list('Event') as StoredEvent[];
    expect(events).to.have.length(1);
    expect(events[0].count).to.equal(2);
    expect(events[0].firstTimestamp).to.equal('2025-01-01T00:00:00Z');
    expect(events[0].lastTimestamp).to.equal('2025-01-01T00:05:30Z');
    expect(recorder.occurrences.map((o) => o.time)).to.deep.equal([EPOCH, EPOCH + 330_000]);
  });

  it('keeps events apart that differ in message, reason, type or source', () => {
    const { store, recorder, target } = recorded();
    recorder.record(target, 'Warning', 'FailedScheduling', 'no room', source);
    recorder.record(target, 'Warning', 'FailedScheduling', 'no room at all', source);
    recorder.record(target, 'Normal', 'FailedScheduling', 'no room', source);
    recorder.record(target, 'Warning', 'Preempted', 'no room', source);
    recorder.record(target, 'Warning', 'FailedScheduling', 'no room', { component: 'other-scheduler' });
    expect(store.list('Event')).to.have.length(5);
  });

  it('files an event about a cluster-scoped object in the default namespace', () => {
    const { store, recorder } = recorded();
    const n1 = store.create(node('n1'));
    recorder.record(n1, 'Normal', 'CIDRNotAvailable', 'Node n1 status is now: CIDRNotAvailable', {
      component: 'cidrAllocator',
    });
    const [event] = store.list('Event') as StoredEvent[];
    expect(event.metadata.namespace).to.equal('default');
    expect(event.involvedObject.namespace).to.equal(undefined);
  });

  it('forgets the events of a refused transaction, in the store and in the timeline', async () => {
    const { store, recorder, target } = recorded();
    try {
      await store.transaction(async () => {
        recorder.record(target, 'Warning', 'FailedScheduling', 'no room', source);
        throw new Error('refused');
      });
    } catch {
      // expected
    }
    expect(store.list('Event')).to.deep.equal([]);
    expect(recorder.occurrences).to.deep.equal([]);
    recorder.record(target, 'Warning', 'FailedScheduling', 'no room', source);
    const expected: EventOccurrence = {
      time: EPOCH,
      type: 'Warning',
      reason: 'FailedScheduling',
      object: 'pod/web',
      namespace: 'default',
      message: 'no room',
      component: 'default-scheduler',
    };
    expect(recorder.occurrences).to.deep.equal([expected]);
    expect((store.list('Event') as StoredEvent[])[0].count).to.equal(1);
  });
});
