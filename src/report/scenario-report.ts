// What a scenario's report attachments show, read from the cluster's store: the cluster picture's view,
// `kubectl get pods -o wide`, `kubectl events` and the event timeline. Pure reads, nothing is changed.
import type { StoredEvent } from '../api/events';
import type { NodeObject } from '../api/nodes';
import { CPU, MEMORY, PODS, podRequests, toResourceList } from '../api/pod-resources';
import type { PodObject } from '../api/pods';
import { formatTaint } from '../api/taints';
import type { Cluster } from '../cluster';
import { serviceViews } from '../network/views';
import { displayObject } from '../scenario/references';
import { EPOCH } from '../sim/clock';
import type { ClusterView, NodeView, PodBox } from './cluster-svg';
import { kubectlPodStatus, printKubectlEvents, printPodsWide } from './kubectl-printers';
import type { TimelineEntry } from './timeline';

/** When every scenario's virtual clock started: the zero of the timeline's offsets. */
export const SCENARIO_START = new Date(EPOCH);

// A pod that has finished holds no resources: the scheduler's informer never sees it
// (k8s:pkg/scheduler/scheduler.go newPodInformer, field selector status.phase!=Succeeded,status.phase!=Failed).
function isTerminal(pod: PodObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function podBox(pod: PodObject): PodBox {
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    phase: pod.status?.phase ?? '',
    status: kubectlPodStatus(pod),
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    terminating: pod.metadata.deletionTimestamp !== undefined,
  };
}

function readiness(node: NodeObject): NodeView['ready'] {
  // The last condition of a type wins, as in kubectl's node printer.
  let ready: string | undefined;
  for (const condition of node.status?.conditions ?? []) {
    if (condition.type === 'Ready') ready = condition.status;
  }
  return ready === 'True' || ready === 'False' ? ready : 'Unknown';
}

function nodeView(node: NodeObject, pods: readonly PodObject[]): NodeView {
  const allocatable = toResourceList(node.status?.allocatable ?? node.status?.capacity);
  const holding = pods.filter((pod) => !isTerminal(pod));
  const requested = { cpu: 0, memory: 0 };
  for (const pod of holding) {
    const requests = podRequests(pod);
    requested.cpu += requests[CPU] ?? 0;
    requested.memory += requests[MEMORY] ?? 0;
  }
  return {
    name: node.metadata.name ?? '',
    ready: readiness(node),
    unschedulable: node.spec?.unschedulable === true,
    labels: { ...(node.metadata.labels ?? {}) },
    taints: (node.spec?.taints ?? []).map(formatTaint),
    conditions: (node.status?.conditions ?? [])
      .filter((c) => c.type.endsWith('Pressure') && c.status === 'True')
      .map((c) => c.type),
    cpu: { requestedMilli: requested.cpu, allocatableMilli: allocatable[CPU] ?? 0 },
    memory: { requestedBytes: requested.memory, allocatableBytes: allocatable[MEMORY] ?? 0 },
    pods: { count: holding.length, allocatable: allocatable[PODS] ?? 0 },
    podBoxes: pods.map(podBox),
  };
}

/** Nodes in creation order with the pods bound to them; pods bound to no node in the pending lane. */
export function clusterView(cluster: Cluster): ClusterView {
  const byNode = new Map<string, PodObject[]>();
  const pendingPods: PodBox[] = [];
  for (const pod of cluster.pods()) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) {
      pendingPods.push(podBox(pod));
      continue;
    }
    const onNode = byNode.get(nodeName) ?? [];
    onNode.push(pod);
    byNode.set(nodeName, onNode);
  }
  const nodes = cluster.nodes().map((node) => nodeView(node, byNode.get(node.metadata.name ?? '') ?? []));
  return { nodes, pendingPods, services: serviceViews(cluster.store) };
}

/**
 * `kubectl get pods -o wide`, with the NAMESPACE column of `-A` once pods live in more than one namespace;
 * kubectl's notice when there is none (k8s:staging/src/k8s.io/kubectl/pkg/cmd/get/get.go Run).
 */
export function podsTable(cluster: Cluster): string {
  const pods = cluster.pods();
  if (pods.length === 0) return 'No resources found in default namespace.\n';
  const namespaces = new Set(pods.map((pod) => pod.metadata.namespace));
  return printPodsWide(pods, cluster.clock.date(), { withNamespace: namespaces.size > 1 });
}

/**
 * `kubectl events` at the scenario's end; kubectl's notice when there is none
 * (k8s:staging/src/k8s.io/kubectl/pkg/cmd/events/events.go Run).
 */
export function eventsTable(cluster: Cluster): string {
  const events = cluster.store.list('Event') as StoredEvent[];
  if (events.length === 0) return 'No events found in default namespace.\n';
  return printKubectlEvents(events, cluster.clock.date());
}

/** Every event occurrence in time order, repeats included (the stored Events only keep a count). */
export function timelineEntries(cluster: Cluster): TimelineEntry[] {
  return cluster.recorder.occurrences.map((occurrence) => {
    const slash = occurrence.object.indexOf('/');
    return {
      time: new Date(occurrence.time),
      type: occurrence.type,
      reason: occurrence.reason,
      object: displayObject(
        occurrence.object.slice(0, slash),
        occurrence.namespace,
        occurrence.object.slice(slash + 1),
      ),
      message: occurrence.message,
    };
  });
}
