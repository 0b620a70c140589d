// Seeded randomness: every random choice the simulated cluster makes (tie-breaks between equal nodes,
// generated name suffixes, UIDs, backend choice) comes from here, so the same inputs give the same
// cluster bit for bit. Each purpose has its own stream, so that one more draw for, say, a UID does not
// shift the tie-breaks of an unrelated decision.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

export type RandomPurpose = 'uid' | 'name' | 'tie-break' | 'preemption' | 'backend';

const PURPOSE_SALT: Record<RandomPurpose, number> = {
  uid: 0x5eed01,
  name: 0x5eed02,
  'tie-break': 0x5eed03,
  preemption: 0x5eed04,
  backend: 0x5eed05,
};

// k8s:staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go: no vowels, no confusable characters.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class SeededRandom {
  private readonly streams = new Map<RandomPurpose, Generator>();

  constructor(readonly seed: number) {}

  /** An integer in [0, n). */
  intn(purpose: RandomPurpose, n: number): number {
    return uniformInt(this.stream(purpose), 0, n - 1);
  }

  /** rand.String(n) as Kubernetes' generateName uses it. */
  nameSuffix(length = 5): string {
    let out = '';
    for (let i = 0; i < length; i++) out += NAME_ALPHABET[this.intn('name', NAME_ALPHABET.length)];
    return out;
  }

  /** A version-4 UUID drawn from the seeded stream. */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 16; i++) hex.push(this.intn('uid', 256).toString(16).padStart(2, '0'));
    hex[6] = ((Number.parseInt(hex[6], 16) & 0x0f) | 0x40).toString(16).padStart(2, '0');
    hex[8] = ((Number.parseInt(hex[8], 16) & 0x3f) | 0x80).toString(16).padStart(2, '0');
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  private stream(purpose: RandomPurpose): Generator {
    let g = this.streams.get(purpose);
    if (!g) {
      g = xoroshiro128plus(Math.imul(this.seed ^ PURPOSE_SALT[purpose], 0x9e3779b1) | 0);
      // A 32-bit seed leaves xoroshiro's first outputs poorly mixed; skip them.
      for (let i = 0; i < 8; i++) g.next();
      this.streams.set(purpose, g);
    }
    return g;
  }
}
