// How a plugin's raw scores become 0–100 across the nodes being scored (a plugin's NormalizeScore).
import type { Normalization } from './framework';
import { normalizeScore } from './resource-scores';

const MAX_NODE_SCORE = 100;

/** The lowest and highest raw score a plugin gave among the nodes it scored. */
export interface ScoreRange {
  min: number;
  max: number;
}

export function normalizedScore(raw: number, range: ScoreRange, mode: Normalization): number {
  switch (mode) {
    case 'none':
      return raw;
    // DefaultNormalizeScore (k8s:pkg/scheduler/framework/plugins/helper/normalize_score.go); the maximum is
    // never taken below 0.
    case 'max':
      return normalizeScore(raw, Math.max(range.max, 0), false);
    case 'reverse':
      return normalizeScore(raw, Math.max(range.max, 0), true);
    // InterPodAffinity (k8s:pkg/scheduler/framework/plugins/interpodaffinity/scoring.go NormalizeScore):
    // MaxNodeScore * (score - min) / (max - min) in floating point, truncated; 0 when all scores are equal.
    case 'minMax': {
      const diff = range.max - range.min;
      return diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((raw - range.min) / diff)) : 0;
    }
    // PodTopologySpread (k8s:pkg/scheduler/framework/plugins/podtopologyspread/scoring.go NormalizeScore):
    // fewer matching pods score higher, MaxNodeScore * (max + min - score) / max in integers; 100 when the
    // maximum is 0.
    case 'spread': {
      const max = Math.max(range.max, 0);
      return max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + range.min - raw)) / max);
    }
  }
}
