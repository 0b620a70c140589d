import { expect } from 'chai';
import { type RandomPurpose, SeededRandom } from '../../src/sim/random';

// k8s:staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go alphanums
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const draws = (r: SeededRandom, purpose: RandomPurpose, n = 20) =>
  Array.from({ length: n }, () => r.intn(purpose, 1000));

describe('SeededRandom', () => {
  it('gives the same sequences for the same seed', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    expect(draws(a, 'tie-break')).to.deep.equal(draws(b, 'tie-break'));
    expect([a.nameSuffix(), a.nameSuffix(), a.uuid()]).to.deep.equal([
      b.nameSuffix(),
      b.nameSuffix(),
      b.uuid(),
    ]);
  });

  it('gives other sequences for another seed', () => {
    expect(draws(new SeededRandom(7), 'tie-break')).to.not.deep.equal(
      draws(new SeededRandom(8), 'tie-break'),
    );
    expect(draws(new SeededRandom(0), 'uid')).to.not.deep.equal(draws(new SeededRandom(2 ** 31), 'uid'));
  });

  it('keeps purposes apart: drawing for one does not shift another', () => {
    const quiet = new SeededRandom(42);
    const busy = new SeededRandom(42);
    for (let i = 0; i < 25; i++) busy.uuid();
    draws(busy, 'preemption', 7);
    busy.intn('backend', 3);
    expect(draws(busy, 'tie-break')).to.deep.equal(draws(quiet, 'tie-break'));
    expect(busy.nameSuffix()).to.equal(quiet.nameSuffix());
  });

  it('gives streams of different purposes different values', () => {
    const purposes: RandomPurpose[] = ['uid', 'name', 'tie-break', 'preemption', 'backend'];
    const firsts = purposes.map((p) => draws(new SeededRandom(1), p).join(','));
    expect(new Set(firsts).size).to.equal(purposes.length);
  });

  it('draws integers in [0, n), each of them', () => {
    const r = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const v = r.intn('tie-break', 6);
      expect(v).to.be.within(0, 5);
      seen.add(v);
    }
    expect([...seen].sort()).to.deep.equal([0, 1, 2, 3, 4, 5]);
  });

  it('builds name suffixes of Kubernetes rand.String: five characters from its alphabet, all of it used', () => {
    const r = new SeededRandom(11);
    const used = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const suffix = r.nameSuffix();
      expect(suffix).to.match(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      for (const ch of suffix) used.add(ch);
    }
    expect([...used].sort().join('')).to.equal([...ALPHABET].sort().join(''));
    expect(r.nameSuffix(10)).to.have.length(10);
  });

  it('makes version-4 UUIDs (RFC 4122 variant), all different', () => {
    const r = new SeededRandom(5);
    const uuids = Array.from({ length: 500 }, () => r.uuid());
    for (const u of uuids)
      expect(u).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(uuids).size).to.equal(uuids.length);
    // Every variant nibble turns up, so the variant bits are set, not the whole nibble.
    expect(new Set(uuids.map((u) => u[19])).size).to.equal(4);
  });
});
