// A pod's inter-pod affinity terms, parsed once when its PodInfo is built, and how a term matches a pod
// (k8s:pkg/scheduler/framework/types.go AffinityTerm, newAffinityTerm, getNamespacesFromPodAffinityTerm,
// AffinityTerm.Matches). matchLabelKeys and mismatchLabelKeys are merged into the label selector with the
// pod's own label values, as the API server does on create (k8s:pkg/registry/core/pod/strategy.go
// applyMatchLabelKeysAndMismatchLabelKeys).
import type { PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { type Labels, Selector, SelectorParseError, selectorFromLabelSelector } from '../api/labels';

export interface AffinityTerm {
  /** Namespaces named by the term, or the pod's own when the term names none and has no namespaceSelector. */
  namespaces: ReadonlySet<string>;
  /** labels.Nothing() when the term has no namespaceSelector; Everything for `{}`. */
  namespaceSelector: Selector;
  selector: Selector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** The pod affinity and anti-affinity of a pod that has either (NodeInfo's PodsWithAffinity). */
export interface PodAffinityTerms {
  requiredAffinity: readonly AffinityTerm[];
  requiredAntiAffinity: readonly AffinityTerm[];
  preferredAffinity: readonly WeightedAffinityTerm[];
  preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

interface PodLike {
  metadata: { namespace?: string; labels?: Labels };
  spec?: {
    affinity?: {
      podAffinity?: {
        requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
        preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
      };
      podAntiAffinity?: {
        requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
        preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
      };
    };
  };
}

/** The pod's terms, or undefined when it has neither podAffinity nor podAntiAffinity. */
export function podAffinityTerms(pod: PodLike): PodAffinityTerms | undefined {
  const affinity = pod.spec?.affinity;
  if (!affinity?.podAffinity && !affinity?.podAntiAffinity) return undefined;
  const required = (terms: PodAffinityTerm[] | undefined) => (terms ?? []).flatMap((t) => parsed(pod, t));
  const preferred = (terms: WeightedPodAffinityTerm[] | undefined) =>
    (terms ?? []).flatMap((t) => parsed(pod, t.podAffinityTerm).map((a) => ({ ...a, weight: t.weight })));
  return {
    requiredAffinity: required(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: required(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: preferred(affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: preferred(
      affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
  };
}

// A term whose selector does not parse is dropped (the API server refuses such pods before they get here).
function parsed(pod: PodLike, term: PodAffinityTerm): AffinityTerm[] {
  const namespace = pod.metadata.namespace ?? 'default';
  try {
    return [
      {
        namespaces: new Set(
          (term.namespaces ?? []).length === 0 && !term.namespaceSelector ? [namespace] : term.namespaces,
        ),
        namespaceSelector: selectorFromLabelSelector(term.namespaceSelector),
        selector: selectorFromLabelSelector(withLabelKeys(term, pod.metadata.labels ?? {})),
        topologyKey: term.topologyKey,
      },
    ];
  } catch (error) {
    if (error instanceof SelectorParseError) return [];
    throw error;
  }
}

function withLabelKeys(term: PodAffinityTerm, labels: Labels): LabelSelector | undefined {
  const selector = term.labelSelector;
  const match = term.matchLabelKeys ?? [];
  const mismatch = term.mismatchLabelKeys ?? [];
  // A nil selector matches nothing: the keys are not applied to it.
  if (!selector || match.length + mismatch.length === 0) return selector;
  const expressions = [...(selector.matchExpressions ?? [])];
  for (const key of match)
    if (key in labels) expressions.push({ key, operator: 'In', values: [labels[key]] });
  for (const key of mismatch)
    if (key in labels) expressions.push({ key, operator: 'NotIn', values: [labels[key]] });
  return { ...selector, matchExpressions: expressions };
}

/** AffinityTerm.Matches: the pod's namespace is one of the term's (by name or by label) and its labels match. */
export function termMatches(
  term: AffinityTerm,
  pod: { namespace: string; labels: Labels },
  namespaceLabels: Labels | undefined,
): boolean {
  if (term.namespaces.has(pod.namespace) || term.namespaceSelector.matches(namespaceLabels)) {
    return term.selector.matches(pod.labels);
  }
  return false;
}

/**
 * InterPodAffinity's mergeAffinityTermNamespacesIfNotEmpty for the incoming pod's terms: a non-empty
 * namespaceSelector is replaced by the names of the namespaces it selects now.
 */
export function resolveNamespaces<T extends AffinityTerm>(
  term: T,
  namespacesSelectedBy: (selector: Selector) => readonly string[],
): T {
  if (term.namespaceSelector.isEmpty()) return term;
  return {
    ...term,
    namespaces: new Set([...term.namespaces, ...namespacesSelectedBy(term.namespaceSelector)]),
    namespaceSelector: Selector.nothing(),
  };
}
