import { expect } from 'chai';
import type { KubeObject } from '../../src/api/object';
import { Cluster } from '../../src/cluster';
import {
  createRevision,
  nextRevision,
  type RevisionObject,
  revisionHash,
  revisionName,
  sortRevisions,
} from '../../src/controllers/controller-history';

// After k8s:pkg/controller/history/controller_history_test.go (TestSortControllerRevisions,
// TestCreateControllerRevision's collision cases) and k8s:pkg/controller/controller_utils_test.go TestComputeHash.

const revision = (name: string, n: number, created = '2025-01-01T00:00:00Z') =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name, creationTimestamp: created },
    data: {},
    revision: n,
  }) as RevisionObject;

describe('controller history', () => {
  describe('revisionHash', () => {
    it('encodes FNV-32a of the JSON with the safe alphabet', () => {
      expect(revisionHash({ a: 1 })).to.match(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    });
    it('ignores key order but not values', () => {
      expect(revisionHash({ a: 1, b: 2 })).to.equal(revisionHash({ b: 2, a: 1 }));
      expect(revisionHash({ a: 1 })).to.not.equal(revisionHash({ a: 2 }));
    });
    // TestComputeHash: a different collision count gives a different hash.
    it('changes with the collision count', () => {
      const hashes = new Set([undefined, 1, 2, 3].map((n) => revisionHash({ image: 'nginx' }, n)));
      expect(hashes.size).to.equal(4);
      expect(revisionHash({ image: 'nginx' }, 0)).to.equal(revisionHash({ image: 'nginx' }));
    });
  });

  it('names revisions <parent>-<hash>, cutting the parent at 223 characters', () => {
    expect(revisionName('web', 'abc')).to.equal('web-abc');
    expect(revisionName('x'.repeat(250), 'h')).to.equal(`${'x'.repeat(223)}-h`);
  });

  // TestSortControllerRevisions
  it('sorts by revision, then creation time, then name', () => {
    const sorted = sortRevisions([
      revision('c', 2),
      revision('b', 1, '2025-01-01T00:00:02Z'),
      revision('a', 1, '2025-01-01T00:00:02Z'),
      revision('d', 1, '2025-01-01T00:00:01Z'),
    ]);
    expect(sorted.map((r) => r.metadata.name)).to.deep.equal(['d', 'a', 'b', 'c']);
    expect(nextRevision(sorted)).to.equal(3);
    expect(nextRevision([])).to.equal(1);
  });

  describe('createRevision', () => {
    const owner = async (c: Cluster) =>
      (await c.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'owner', annotations: { note: 'copied' } },
      })) as KubeObject;
    const request = (o: KubeObject, data: unknown, hash: (n: number) => string) => ({
      owner: o,
      labels: (h: string) => ({ app: 'web', 'controller-revision-hash': h }),
      data,
      revision: 1,
      hash,
      collisionCount: 0,
    });

    it('stores the revision with the owner as controller, its annotations and labels', async () => {
      const c = await Cluster.create();
      const o = await owner(c);
      const { revision: r, collisionCount } = await createRevision(
        c.api,
        request(o, { x: 1 }, () => 'h1'),
      );
      expect(collisionCount).to.equal(0);
      expect(r.metadata.name).to.equal('owner-h1');
      expect(r.metadata.labels).to.deep.equal({ app: 'web', 'controller-revision-hash': 'h1' });
      expect(r.metadata.annotations).to.deep.equal({ note: 'copied' });
      expect(r.metadata.ownerReferences?.[0]).to.include({ uid: o.metadata.uid, controller: true });
    });

    it('returns an existing revision with the same data', async () => {
      const c = await Cluster.create();
      const o = await owner(c);
      const first = await createRevision(
        c.api,
        request(o, { x: 1 }, () => 'h1'),
      );
      const again = await createRevision(
        c.api,
        request(o, { x: 1 }, () => 'h1'),
      );
      expect(again.revision.metadata.uid).to.equal(first.revision.metadata.uid);
    });

    it('bumps the collision count when the name is taken by other data', async () => {
      const c = await Cluster.create();
      const o = await owner(c);
      await createRevision(
        c.api,
        request(o, { x: 1 }, () => 'same'),
      );
      const hash = (n: number) => (n === 0 ? 'same' : `other${n}`);
      const { revision: r, collisionCount } = await createRevision(c.api, request(o, { x: 2 }, hash));
      expect(collisionCount).to.equal(1);
      expect(r.metadata.name).to.equal('owner-other1');
    });
  });
});
