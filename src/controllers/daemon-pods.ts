// Where a DaemonSet's pods go (k8s:pkg/controller/daemon/daemon_controller.go NodeShouldRunDaemonPod, predicates;
// k8s:pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations,
// ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName).
//
// This is mechanics, not a decision point: Kubernetes offers no way to configure it (no flag, no scheduler
// profile reaches the DaemonSet controller), it re-uses three fixed scheduler predicates (node name, required
// node affinity, NoSchedule/NoExecute taints) with Kubernetes' own matching, and what users do configure — the
// template's nodeSelector, affinity and tolerations — is already data in the manifest. Whether a pinned daemon
// pod then fits its node is decided by the scheduler, through the scheduling.filter rules.
import type { Affinity, PodSpec, PodTemplateSpec, Taint, Toleration } from 'kubernetes-types/core/v1';
import { RequiredNodeAffinity } from '../api/node-affinity';
import type { NodeObject } from '../api/nodes';
import type { PodObject } from '../api/pods';
import { findMatchingUntoleratedTaint } from '../api/taints';
import { REVISION_HASH_LABEL } from './controller-history';

/** extensions.DaemonSetTemplateGenerationKey: the template generation a pod was made from. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** The tolerations every daemon pod gets, in this order (AddOrUpdateDaemonPodTolerations). */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
/** Only for pods on the host network: their node's network need not be ready. */
const NETWORK_UNAVAILABLE: Toleration = {
  key: 'node.kubernetes.io/network-unavailable',
  operator: 'Exists',
  effect: 'NoSchedule',
};

/** AddOrUpdateDaemonPodTolerations: the daemon tolerations added, or replacing a toleration they match. */
export function addDaemonPodTolerations(spec: PodSpec): void {
  const wanted = spec.hostNetwork ? [...DAEMON_TOLERATIONS, NETWORK_UNAVAILABLE] : DAEMON_TOLERATIONS;
  for (const t of wanted) spec.tolerations = addOrUpdateToleration(spec.tolerations ?? [], t);
}

// k8s:pkg/apis/core/v1/helper/helpers.go AddOrUpdateTolerationInPodSpec: a toleration with the same key,
// operator, value and effect is replaced (dropping its tolerationSeconds); otherwise it is appended.
function addOrUpdateToleration(tolerations: readonly Toleration[], t: Toleration): Toleration[] {
  const same = (o: Toleration) =>
    (o.key ?? '') === (t.key ?? '') &&
    (o.effect ?? '') === (t.effect ?? '') &&
    (o.operator ?? '') === (t.operator ?? '') &&
    (o.value ?? '') === (t.value ?? '');
  if (!tolerations.some(same)) return [...tolerations, { ...t }];
  return tolerations.map((o) => (same(o) ? { ...t } : o));
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become `metadata.name In [node]`. */
export function pinToNode(affinity: Affinity | undefined, node: string): Affinity {
  const required = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
  };
  const out: Affinity = structuredClone(affinity ?? {});
  out.nodeAffinity = {
    ...(out.nodeAffinity ?? {}),
    requiredDuringSchedulingIgnoredDuringExecution: required,
  };
  return out;
}

/** GetTargetNodeName: the node the pod is bound to, or the one its affinity pins it to. */
export function targetNodeName(pod: PodObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const r of term.matchFields ?? []) {
      if (r.key === 'metadata.name' && r.operator === 'In')
        return r.values?.length === 1 ? r.values[0] : undefined;
    }
  }
  return undefined;
}

export interface Placement {
  /** A daemon pod should be created on the node if it has none. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. */
  shouldContinueRunning: boolean;
}

/**
 * The node-independent half of NodeShouldRunDaemonPod, computed once per DaemonSet: the template's node name,
 * its required node affinity and its tolerations with the daemon tolerations added (NewPod).
 */
export class DaemonPlacement {
  private readonly nodeName: string | undefined;
  private readonly affinity: RequiredNodeAffinity;
  private readonly tolerations: Toleration[];
  /** Stored nodes are never changed in place: a verdict holds for as long as the node object does. */
  private readonly verdicts = new WeakMap<NodeObject, Placement>();

  constructor(template: PodTemplateSpec | undefined) {
    const spec: PodSpec = structuredClone(template?.spec ?? { containers: [] });
    addDaemonPodTolerations(spec);
    this.nodeName = spec.nodeName || undefined;
    this.affinity = new RequiredNodeAffinity({ spec });
    this.tolerations = spec.tolerations ?? [];
  }

  /** NodeShouldRunDaemonPod for one node. */
  on(node: NodeObject): Placement {
    let verdict = this.verdicts.get(node);
    if (!verdict) {
      verdict = this.decide(node);
      this.verdicts.set(node, verdict);
    }
    return verdict;
  }

  private decide(node: NodeObject): Placement {
    const name = node.metadata.name as string;
    if (this.nodeName !== undefined && this.nodeName !== name) return NEVER;
    if (!this.affinity.match({ name, labels: node.metadata.labels ?? {} })) return NEVER;
    const taints: Taint[] = node.spec?.taints ?? [];
    const blocking = findMatchingUntoleratedTaint(
      taints,
      this.tolerations,
      (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule',
    );
    if (!blocking) return ALWAYS;
    // A pod already there may stay unless a NoExecute taint it does not tolerate would evict it anyway.
    const evicting = findMatchingUntoleratedTaint(taints, this.tolerations, (t) => t.effect === 'NoExecute');
    return { shouldRun: false, shouldContinueRunning: !evicting };
  }
}

const NEVER: Placement = { shouldRun: false, shouldContinueRunning: false };
const ALWAYS: Placement = { shouldRun: true, shouldContinueRunning: true };

/** IsPodUpdated: the pod carries the template's hash, or its template generation. */
export function isPodUpdated(pod: PodObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (
    (hash !== '' && labels[REVISION_HASH_LABEL] === hash) ||
    (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation)
  );
}
