import { expect } from 'chai';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { computeHash, fnv32a, safeEncodeString } from '../../src/controllers/pod-template-hash';
import { stableStringify } from '../../src/rules/stable-json';

const template: PodTemplateSpec = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] },
};
const bytes = (s: string) => [...Buffer.from(s, 'utf8')];

describe('the pod-template-hash', () => {
  // Go's hash/fnv fnv_test.go golden32a.
  for (const [text, sum] of [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['ab', 0x4d2505ca],
    ['abc', 0x1a47e90b],
  ] as const) {
    it(`FNV-32a of "${text}" is 0x${sum.toString(16)}`, () => {
      expect(fnv32a(bytes(text))).to.equal(sum);
    });
  }

  it('continues a sum where another left off, as successive Writes do', () => {
    expect(fnv32a(bytes('bc'), fnv32a(bytes('a')))).to.equal(0x1a47e90b);
  });

  // rand.SafeEncodeString maps each character to alphanums[code % 27]; decimal digits land on 4-9 and b, c, d, f.
  it('encodes the ten digits as SafeEncodeString does', () => {
    expect(safeEncodeString('0123456789')).to.equal('456789bcdf');
  });

  it("reads a real cluster's hash back as a 32-bit sum (the docs' nginx-deployment-75675f5897)", () => {
    const decode = (hash: string) => Number([...hash].map((c) => '456789bcdf'.indexOf(c)).join(''));
    expect(decode('75675f5897')).to.equal(3123191453);
    expect(decode('75675f5897')).to.be.below(2 ** 32);
  });

  it('is the safe-encoded decimal FNV-32a of the template', () => {
    const sum = fnv32a(bytes(stableStringify(template)));
    expect(computeHash(template, undefined)).to.equal(safeEncodeString(String(sum)));
    expect(computeHash(template, undefined)).to.match(/^[456789bcdf]{1,10}$/);
  });

  it('adds the collision count as eight little-endian bytes', () => {
    const json = bytes(stableStringify(template));
    const sum = fnv32a([...json, 0x01, 0x02, 0, 0, 0, 0, 0, 0]);
    expect(computeHash(template, 0x0201)).to.equal(safeEncodeString(String(sum)));
  });

  // controller_utils_test.go TestComputeHash: another collision count gives another hash.
  it('differs with the collision count', () => {
    const empty: PodTemplateSpec = {};
    expect(computeHash(empty, 1)).to.not.equal(computeHash(empty, 2));
    expect(computeHash(empty, undefined)).to.not.equal(computeHash(empty, 2 ** 31 - 1));
    // A count of 0 is still hashed (the pointer is not nil).
    expect(computeHash(empty, undefined)).to.not.equal(computeHash(empty, 0));
  });

  it('changes with the template and only with it', () => {
    const same = structuredClone(template);
    const other = structuredClone(template);
    (other.spec?.containers[0] as { image: string }).image = 'nginx:1.27';
    expect(computeHash(same, undefined)).to.equal(computeHash(template, undefined));
    expect(computeHash(other, undefined)).to.not.equal(computeHash(template, undefined));
  });
});
