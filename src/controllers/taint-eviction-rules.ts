// The `taint.eviction` decision point: what the taint-eviction controller does with a pod on a node that
// has NoExecute taints. Facts follow k8s:pkg/controller/tainteviction/taint_eviction.go processPodOnNode.
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { formatTaint, toleratesTaint } from '../api/taints';
import { defineDecisionPoint } from '../rules/decision-point';

export interface TaintEvictionContext {
  tolerations: readonly Toleration[];
  /** The node's NoExecute taints. */
  taints: readonly Taint[];
}

/**
 * GetMatchingTolerations (k8s:pkg/apis/core/v1/helper/helpers.go): the first toleration of each taint, or
 * undefined when some taint is not tolerated.
 */
export function matchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((tol) => toleratesTaint(tol, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

/** getMinTolerationTime in seconds: null when every used toleration is forever, 0 for any ≤ 0. */
export function minTolerationSeconds(used: readonly Toleration[]): number | null {
  if (used.length === 0) return 0;
  let min: number | null = null;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = min === null ? t.tolerationSeconds : Math.min(min, t.tolerationSeconds);
  }
  return min;
}

export const taintEviction = defineDecisionPoint<TaintEvictionContext>({
  name: 'taint.eviction',
  askedBy: 'the taint-eviction controller, for each pod on a node with NoExecute taints',
  description:
    'Whether and when a pod on a NoExecute-tainted node is evicted. No event: the pod stays, and an eviction already scheduled is ' +
    'cancelled. `evict {after}`: deleted after that many seconds; an eviction already scheduled keeps its time, except that ' +
    '`after: 0` replaces it and deletes the pod at once. An eviction is also cancelled when the taints go.',
  facts: {
    untoleratedTaint: {
      description:
        'The first NoExecute taint of the node the pod does not tolerate, or null: {key, value, effect, text}.',
      compute: (c) => {
        const t = c.taints.find((taint) => !c.tolerations.some((tol) => toleratesTaint(tol, taint)));
        return t ? { key: t.key, value: t.value ?? '', effect: t.effect, text: formatTaint(t) } : null;
      },
    },
    minTolerationSeconds: {
      description:
        "The smallest tolerationSeconds among the tolerations matching the node's NoExecute taints (first match per taint): null when they tolerate forever, 0 when any is ≤ 0.",
      compute: (c) => {
        const used = matchingTolerations(c.taints, c.tolerations);
        return used ? minTolerationSeconds(used) : 0;
      },
    },
    noExecuteTaints: {
      description: "The node's NoExecute taints, as key=value:NoExecute strings.",
      compute: (c) => c.taints.map(formatTaint),
    },
  },
  events: {
    evict: {
      description: 'Delete the pod `after` seconds from now (0: at once); a pending eviction keeps its time.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['after'],
        properties: { after: { type: 'integer', minimum: 0 } },
      },
    },
  },
});
