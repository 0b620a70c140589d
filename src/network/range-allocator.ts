// The allocation strategy Kubernetes uses for ClusterIPs and NodePorts (k8s:pkg/registry/core/service/
// allocator/bitmap.go randomScanStrategyWithOffset, k8s:pkg/registry/core/service/ipallocator/ipallocator.go
// allocateNextService): the range is split at an offset; dynamic allocation starts at a random place in the
// upper band and scans forward (wrapping) for a free value, falling back to the lower band only when the
// upper one is full, so that values users ask for by hand (usually low ones) rarely collide.
//
// Kubernetes draws the start from an unseeded generator; here it comes from a stream seeded by the cluster's
// seed, so the same scenario allocates the same values. A value is held by an owner for as long as the owner
// says it still holds it (`isHeld`), the way the IPAddress allocator checks its informer: a Service that was
// never stored (refused, or rolled back with its manifest file) or that was deleted frees its values without
// an explicit release.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded stream of integers, independent of the cluster's other random choices. */
export class RandomStream {
  private readonly generator: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number, salt: number) {
    this.generator = xoroshiro128plus(Math.imul(seed ^ salt, 0x9e3779b1) | 0);
    for (let i = 0; i < 8; i++) this.generator.next();
  }

  /** An integer in [0, n). */
  intn(n: number): number {
    return uniformInt(this.generator, 0, n - 1);
  }
}

export class BandedRange<Owner> {
  private readonly held = new Map<number, Owner>();

  constructor(
    /** Values are offsets 0 … size-1. */
    readonly size: number,
    /** Offsets below this form the lower band, used for dynamic allocation only when the upper is full. */
    readonly lowerBand: number,
    private readonly random: RandomStream,
    private readonly isHeld: (owner: Owner, offset: number) => boolean,
  ) {}

  has(offset: number): boolean {
    const owner = this.held.get(offset);
    if (owner === undefined) return false;
    if (this.isHeld(owner, offset)) return true;
    this.held.delete(offset);
    return false;
  }

  /** Reserves a given offset; false when it is taken. */
  take(offset: number, owner: Owner): boolean {
    if (this.has(offset)) return false;
    this.held.set(offset, owner);
    return true;
  }

  /** Reserves a free offset, upper band first; undefined when the range is full. */
  takeNext(owner: Owner): number | undefined {
    const upper = this.size - this.lowerBand;
    const found =
      (upper > 0 ? this.scan(this.lowerBand, upper) : undefined) ??
      (this.lowerBand > 0 ? this.scan(0, this.lowerBand) : undefined);
    if (found !== undefined) this.held.set(found, owner);
    return found;
  }

  private scan(first: number, count: number): number | undefined {
    const start = this.random.intn(count);
    for (let i = 0; i < count; i++) {
      const at = first + ((start + i) % count);
      if (!this.has(at)) return at;
    }
    return undefined;
  }
}

/**
 * calculateRangeOffset of both allocators: `min(max(min, size/step), max)`, 0 for ranges of at most `min`
 * values (k8s:pkg/registry/core/service/ipallocator/bitmap.go: 16, 256, 16; portallocator/allocator.go:
 * 16, 128, 32).
 */
export function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}
