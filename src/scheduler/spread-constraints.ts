// PodTopologySpread's constraints as the plugin reads them (k8s:pkg/scheduler/framework/plugins/podtopologyspread/common.go
// filterTopologySpreadConstraints, buildDefaultConstraints, matchNodeInclusionPolicies, countPodsMatchSelector):
// the pod's own, or the system defaults for pods a Service or a controller selects.
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import {
  type Labels,
  Selector,
  SelectorParseError,
  selectorFromLabelSelector,
  selectorFromSet,
} from '../api/labels';
import { findMatchingUntoleratedTaint } from '../api/taints';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';

export const HOSTNAME = 'kubernetes.io/hostname';
export const ZONE = 'topology.kubernetes.io/zone';

export type Action = 'DoNotSchedule' | 'ScheduleAnyway';

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

// systemDefaultConstraints (k8s:pkg/scheduler/framework/plugins/podtopologyspread/plugin.go).
const SYSTEM_DEFAULTS: readonly { topologyKey: string; maxSkew: number; action: Action }[] = [
  { topologyKey: HOSTNAME, maxSkew: 3, action: 'ScheduleAnyway' },
  { topologyKey: ZONE, maxSkew: 5, action: 'ScheduleAnyway' },
];

/**
 * The pod's constraints for one action; `defaultSelector` (helper.DefaultSelector) is asked only for a pod
 * without constraints of its own, and an empty one means no defaults apply.
 */
export function spreadConstraints(
  pod: PodInfo,
  action: Action,
  defaultSelector: () => Selector,
): SpreadConstraint[] {
  const own = pod.pod.spec?.topologySpreadConstraints ?? [];
  if (own.length > 0) return own.filter((c) => c.whenUnsatisfiable === action).flatMap((c) => parse(c, pod));
  const defaults = SYSTEM_DEFAULTS.filter((c) => c.action === action);
  if (defaults.length === 0) return [];
  const selector = defaultSelector();
  if (selector.isEmpty()) return [];
  return defaults.map((c) => ({
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    minDomains: 1,
    nodeAffinityPolicy: 'Honor',
    nodeTaintsPolicy: 'Ignore',
  }));
}

// A constraint whose selector does not parse is dropped (the API server refuses such pods).
function parse(c: TopologySpreadConstraint, pod: PodInfo): SpreadConstraint[] {
  let selector: Selector;
  try {
    selector = selectorFromLabelSelector(c.labelSelector);
  } catch (error) {
    if (error instanceof SelectorParseError) return [];
    throw error;
  }
  // matchLabelKeys: the pod's values of those keys are ANDed to the selector (mergeLabelSetWithSelector),
  // unless the selector matches nothing.
  const matchLabels: Record<string, string> = {};
  for (const key of c.matchLabelKeys ?? []) if (key in pod.labels) matchLabels[key] = pod.labels[key];
  if (Object.keys(matchLabels).length > 0 && selector !== Selector.nothing()) {
    selector = Selector.from([...selectorFromSet(matchLabels).requirements, ...selector.requirements]);
  }
  return [
    {
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      // Honor and Ignore are the defaults when the fields are nil.
      nodeAffinityPolicy: c.nodeAffinityPolicy === 'Ignore' ? 'Ignore' : 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy === 'Honor' ? 'Honor' : 'Ignore',
    },
  ];
}

/** nodeLabelsMatchSpreadConstraints: the node has every constraint's topology key. */
export function hasAllTopologyKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => c.topologyKey in labels);
}

/** matchNodeInclusionPolicies: whether the node's domain counts for the constraint. */
export function nodeIncluded(c: SpreadConstraint, pod: PodInfo, node: NodeInfo): boolean {
  if (
    c.nodeAffinityPolicy === 'Honor' &&
    !pod.requiredAffinity.match({ name: node.name, labels: node.allLabels })
  )
    return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    const taints = node.node?.spec?.taints ?? [];
    const doNotSchedule = (t: { effect: string }) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
    if (findMatchingUntoleratedTaint(taints, pod.tolerations, doNotSchedule)) return false;
  }
  return true;
}

/** countPodsMatchSelector: pods of the namespace the selector matches, terminating ones left out. */
export function countMatchingPods(pods: Iterable<PodInfo>, selector: Selector, namespace: string): number {
  if (selector.isEmpty()) return 0;
  let count = 0;
  for (const p of pods) {
    if (p.terminating || p.namespace !== namespace) continue;
    if (selector.matches(p.labels)) count += 1;
  }
  return count;
}
