// Counts per topology pair (label key and value), as InterPodAffinity's PreFilter keeps them
// (k8s:pkg/scheduler/framework/plugins/interpodaffinity/filtering.go topologyToMatchedTermCount): an entry
// that falls back to zero is removed, so `size` is the number of pairs with a non-zero count.
// A filter may run on a copy of a node with pods added or removed (nominated pods, preemption's dry run):
// `withNode` gives the counts as AddPod/RemovePod would leave them, without copying the whole map.
import type { Labels } from '../api/labels';

export const pairKey = (key: string, value: string): string => `${key}\0${value}`;

export interface PairCounts {
  get(key: string, value: string): number;
  readonly size: number;
}

export class TopologyCounts implements PairCounts {
  readonly map = new Map<string, number>();

  /** topologyToMatchedTermCount.update: counts only for a node that has the key. */
  update(labels: Labels, key: string, value: number): void {
    const v = labels[key];
    if (v === undefined) return;
    const pair = pairKey(key, v);
    const n = (this.map.get(pair) ?? 0) + value;
    if (n === 0) this.map.delete(pair);
    else this.map.set(pair, n);
  }

  get(key: string, value: string): number {
    return this.map.get(pairKey(key, value)) ?? 0;
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * These counts with one node's contribution replaced: `delta` is what the node's current pods add minus
   * what its pods added when the counts were taken.
   */
  withDelta(delta: TopologyCounts): PairCounts {
    if (delta.size === 0) return this;
    let size = this.map.size;
    for (const [pair, d] of delta.map) {
      const before = this.map.get(pair) ?? 0;
      if (before !== 0 && before + d === 0) size -= 1;
      if (before === 0 && d !== 0) size += 1;
    }
    return {
      get: (key, value) => {
        const pair = pairKey(key, value);
        return (this.map.get(pair) ?? 0) + (delta.map.get(pair) ?? 0);
      },
      size,
    };
  }
}
