// What scenarios ask about StatefulSets, DaemonSets and Jobs, answered from the cluster's state so that steps stay
// thin: the pods an object controls, the nodes a DaemonSet runs on, a Job's conditions, creation order.
import type { JobCondition } from 'kubernetes-types/batch/v1';
import { JOB_COMPLETION_INDEX, type JobObject } from '../api/jobs';
import type { PodObject } from '../api/pods';
import type { Cluster } from '../cluster';
import { targetNodeName } from '../controllers/daemon-pods';
import { controllerOf } from '../controllers/pod-control';
import type { ObjectRef } from './references';

/** The pods whose controller is the object, by name. */
export function podsControlledBy(cluster: Cluster, ref: ObjectRef): PodObject[] {
  const owner = cluster.get(ref.kind.kind, ref.namespace, ref.name);
  if (!owner) return [];
  return cluster
    .pods()
    .filter((p) => controllerOf(p)?.uid === owner.metadata.uid)
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}

/** The nodes a DaemonSet's pods that are not being deleted are bound to, sorted; undefined for a pending pod. */
export function daemonPodNodes(cluster: Cluster, ref: ObjectRef): (string | undefined)[] {
  return podsControlledBy(cluster, ref)
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.spec?.nodeName)
    .sort();
}

/** The node names of the cluster, sorted. */
export function nodeNames(cluster: Cluster): string[] {
  return cluster
    .nodes()
    .map((n) => n.metadata.name as string)
    .sort();
}

/** The pods of a DaemonSet pinned to a node, bound yet or not. */
export function daemonPodsOn(cluster: Cluster, ref: ObjectRef, node: string): PodObject[] {
  return podsControlledBy(cluster, ref).filter((p) => targetNodeName(p) === node);
}

/** The pods of a Job with this completion index. */
export function podsOfJobIndex(cluster: Cluster, ref: ObjectRef, index: number): PodObject[] {
  return podsControlledBy(cluster, ref).filter(
    (p) => p.metadata.annotations?.[JOB_COMPLETION_INDEX] === String(index),
  );
}

/** A condition of the Job, if it is True. */
export function trueJobCondition(job: JobObject | undefined, type: string): JobCondition | undefined {
  return job?.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/**
 * The names whose creation order differs from the order given, as `a (rv 7) before b (rv 5)`; never-created names
 * are reported as missing. Empty when the order holds.
 */
export function creationOrderProblems(
  cluster: Cluster,
  kind: string,
  namespace: string | undefined,
  names: readonly string[],
): string[] {
  const versions = names.map((n) => ({ name: n, rv: cluster.creations.createdAt(kind, namespace, n) }));
  const problems = versions.filter((v) => v.rv === undefined).map((v) => `${v.name} was never created`);
  for (let i = 1; i < versions.length; i++) {
    const [a, b] = [versions[i - 1], versions[i]];
    if (a.rv !== undefined && b.rv !== undefined && a.rv >= b.rv) {
      problems.push(
        `${b.name} (resourceVersion ${b.rv}) was created before ${a.name} (resourceVersion ${a.rv})`,
      );
    }
  }
  return problems;
}
