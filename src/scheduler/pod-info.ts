// What the scheduler needs to know of a pod, computed once when the pod enters the queue
// (k8s:pkg/scheduler/framework/types.go PodInfo, plus the PreFilter state of the default plugins).
// `classKey` identifies pods that every filter and score would treat the same way, so the rules are
// evaluated once per class, not once per pod.
import type { NodeAffinity, PreferredSchedulingTerm, Toleration } from 'kubernetes-types/core/v1';
import type { Labels } from '../api/labels';
import { nodeNamesFromRequiredAffinity, RequiredNodeAffinity } from '../api/node-affinity';
import { CPU, MEMORY, podRequests, type ResourceList } from '../api/pod-resources';
import type { PodObject } from '../api/pods';
import { stableStringify } from '../rules/stable-json';
import { type PodAffinityTerms, podAffinityTerms } from './affinity-terms';
import { classId } from './classes';
import type { TopologyAttempt } from './topology-attempt';
import type { PodVolumes } from './volume-binding';

export interface HostPort {
  port: number;
  protocol: string;
  ip: string;
}

export interface PodInfo {
  /** namespace/name */
  key: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Labels;
  /** metadata.deletionTimestamp is set: PodTopologySpread does not count the pod. */
  terminating: boolean;
  /** Its pod affinity and anti-affinity terms; undefined when it has neither (the common case). */
  podAffinity: PodAffinityTerms | undefined;
  priority: number;
  preemptionPolicy: string;
  /** Effective requests (PodRequests): cpu in millicores, the rest in base units. */
  requests: Readonly<ResourceList>;
  /** Requests with the scheduler's defaults for missing cpu/memory, for scoring. */
  nonZero: { cpu: number; memory: number };
  tolerations: readonly Toleration[];
  requiredAffinity: RequiredNodeAffinity;
  preferredAffinity: readonly PreferredSchedulingTerm[];
  hostPorts: readonly HostPort[];
  /** NodeAffinity PreFilter: the only nodes the pod may go to, when its terms pin node names. */
  preFilterNodeNames: ReadonlySet<string> | undefined;
  /** The node label keys the pod's nodeSelector and node affinity look at, sorted. */
  labelKeys: readonly string[];
  /** True when a filter's answer depends on the node's name (spec.nodeName, matchFields), not only its labels. */
  nameDependent: boolean;
  classKey: string;
  /** classKey as a small integer (see classes.ts). */
  classId: number;
  /** InterPodAffinity and PodTopologySpread state of this attempt (topology-attempt.ts); absent when neither applies. */
  topology?: TopologyAttempt;
  /** The pod's claims as the volume filters see them in this attempt (volume-binding.ts); absent without claims. */
  volumes?: PodVolumes;
  pod: PodObject;
}

export function buildPodInfo(pod: PodObject): PodInfo {
  const spec = pod.spec ?? { containers: [] };
  const requests = podRequests(pod);
  const withDefaults = podRequests(pod, { nonMissingDefaults: true });
  const hostPorts: HostPort[] = [];
  for (const c of spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort)
        hostPorts.push({ port: p.hostPort, protocol: p.protocol ?? 'TCP', ip: p.hostIP || '0.0.0.0' });
    }
  }
  const nodeAffinity = spec.affinity?.nodeAffinity;
  const nameDependent =
    Boolean(spec.nodeName) ||
    (nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).some(
      (t) => (t.matchFields ?? []).length > 0,
    );
  const tolerations = spec.tolerations ?? [];
  const preferredAffinity = nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const nonZero = { cpu: withDefaults[CPU] ?? 0, memory: withDefaults[MEMORY] ?? 0 };
  const priority = spec.priority ?? 0;
  const preemptionPolicy = spec.preemptionPolicy ?? 'PreemptLowerPriority';
  const classKey = stableStringify({
    requests,
    nonZero,
    tolerations,
    nodeSelector: spec.nodeSelector,
    nodeAffinity,
    hostPorts,
    priority,
    preemptionPolicy,
    // Absent for most pods, so their key is unchanged; the facts these feed are part of the node's class.
    podAffinity: spec.affinity?.podAffinity,
    podAntiAffinity: spec.affinity?.podAntiAffinity,
    topologySpreadConstraints: spec.topologySpreadConstraints,
  });
  return {
    key: `${pod.metadata.namespace}/${pod.metadata.name}`,
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
    labels: pod.metadata.labels ?? {},
    terminating: Boolean(pod.metadata.deletionTimestamp),
    podAffinity: podAffinityTerms(pod),
    priority,
    preemptionPolicy,
    requests,
    nonZero,
    tolerations,
    requiredAffinity: new RequiredNodeAffinity(pod),
    preferredAffinity,
    hostPorts,
    preFilterNodeNames: nodeNamesFromRequiredAffinity(pod),
    labelKeys: labelKeysOf(spec.nodeSelector, nodeAffinity),
    nameDependent,
    classKey,
    classId: classId(classKey),
    pod,
  };
}

function labelKeysOf(
  nodeSelector: Readonly<Record<string, string>> | undefined,
  affinity: NodeAffinity | undefined,
): string[] {
  const keys = new Set(Object.keys(nodeSelector ?? {}));
  for (const term of affinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) keys.add(e.key);
  }
  for (const t of affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    for (const e of t.preference?.matchExpressions ?? []) keys.add(e.key);
  }
  return [...keys].sort();
}
