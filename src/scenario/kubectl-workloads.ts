// What kubectl does to workloads on the client side, for steps and the command line: `kubectl scale` (the scale
// subresource sets spec.replicas), `kubectl set image`, `kubectl rollout undo` (k8s:staging/src/k8s.io/kubectl/
// pkg/polymorphichelpers/rollback.go DeploymentRollbacker) and `kubectl rollout status`
// (k8s:staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer).
import type { Container, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../api/apiserver';
import type { EventOccurrence } from '../api/events';
import { kindInfo } from '../api/kinds';
import { selectorFromLabelSelector } from '../api/labels';
import type { KubeObject } from '../api/object';
import type { DeploymentObject, ReplicaSetObject } from '../api/replica-sets';
import { ApiError, type Store } from '../api/store';
import {
  ANNOTATIONS_TO_SKIP,
  equalIgnoreHash,
  findNewReplicaSet,
  getDeploymentCondition,
  REASON,
  revision,
} from '../controllers/deployment-util';
import { controllerOf } from '../controllers/pod-control';
import { POD_TEMPLATE_HASH_LABEL } from '../controllers/pod-template-hash';

/** A refusal kubectl itself prints (`error: …`), before or instead of any API call. */
export class KubectlError extends Error {}

/** The kinds with a scale subresource. */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);

/** `kubectl scale <kind>/<name> --replicas=<n>`: spec.replicas through the scale subresource. */
export async function scale(
  api: ApiServer,
  kind: string,
  namespace: string | undefined,
  name: string,
  replicas: number,
): Promise<void> {
  if (replicas < 0) {
    throw new KubectlError(
      'The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0',
    );
  }
  // The API server has no scale subresource for other kinds.
  if (!SCALABLE.has(kind)) throw new ApiError('NotFound', 'the server could not find the requested resource');
  await api.patch(kind, namespace, name, (draft) => {
    (draft.spec as { replicas?: number }).replicas = replicas;
  });
}

/**
 * `kubectl set image <kind>/<name> <container>=<image>`: every container and init container of that name, or
 * all of them for `*`. Without a container name, the only container; naming one is required when there are
 * several (kubectl itself always wants `name=image`).
 */
export async function setImage(
  api: ApiServer,
  store: Store,
  kind: string,
  namespace: string | undefined,
  name: string,
  container: string | undefined,
  image: string,
): Promise<void> {
  const live = store.get(kind, kindInfo(kind)?.namespaced ? (namespace ?? 'default') : undefined, name);
  if (!live) throw new ApiError('NotFound', `${kindInfo(kind)?.resource ?? kind} "${name}" not found`);
  const spec = podSpecOf(live);
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  let target = container;
  if (target === undefined) {
    if (all.length !== 1) {
      const names = all.map((c) => c.name).join(', ');
      throw new KubectlError(
        `${kind.toLowerCase()} "${name}" has ${all.length} containers (${names}): name the container`,
      );
    }
    target = all[0].name;
  }
  if (!all.some((c) => target === '*' || c.name === target)) {
    throw new KubectlError(`unable to find container named "${target}"`);
  }
  await api.patch(live.kind, live.metadata.namespace, name, (draft) => {
    const s = podSpecOf(draft) as PodSpec;
    for (const c of [...(s.initContainers ?? []), ...(s.containers ?? [])] as Container[]) {
      if (target === '*' || c.name === target) c.image = image;
    }
  });
}

function podSpecOf(obj: KubeObject): PodSpec | undefined {
  if (obj.kind === 'Pod') return obj.spec as PodSpec | undefined;
  return (obj.spec as { template?: PodTemplateSpec } | undefined)?.template?.spec;
}

/** The ReplicaSets a Deployment selects and controls (deploymentutil.ListReplicaSets). */
export function replicaSetsOf(store: Store, d: DeploymentObject): ReplicaSetObject[] {
  const selector = selectorFromLabelSelector(d.spec?.selector);
  return (store.list('ReplicaSet', d.metadata.namespace) as ReplicaSetObject[]).filter(
    (rs) => selector.matches(rs.metadata.labels) && controllerOf(rs)?.uid === d.metadata.uid,
  );
}

/** The Deployment's current ReplicaSet, the one with its pod template. */
export function newReplicaSetOf(store: Store, d: DeploymentObject): ReplicaSetObject | undefined {
  return findNewReplicaSet(d, replicaSetsOf(store, d));
}

/**
 * `kubectl rollout undo deployment/<name> [--to-revision=N]`: the ReplicaSet of that revision (the previous one
 * by default) gives its template and annotations back to the Deployment. Returns kubectl's message.
 */
export async function rolloutUndo(
  api: ApiServer,
  store: Store,
  namespace: string | undefined,
  name: string,
  toRevision = 0,
): Promise<string> {
  const d = store.get('Deployment', namespace ?? 'default', name) as DeploymentObject | undefined;
  if (!d)
    throw new KubectlError(`failed to retrieve Deployment ${name}: deployments.apps "${name}" not found`);
  const target = revisionReplicaSet(d, replicaSetsOf(store, d), toRevision);
  if (d.spec?.paused) {
    throw new KubectlError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  }
  const ref = `deployment.apps/${name}`;
  if (equalIgnoreHash(target.spec?.template, d.spec?.template)) {
    return `${ref} skipped rollback (current template already matches revision ${toRevision})`;
  }
  const template = structuredClone(target.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(target.metadata.annotations ?? {})) {
    if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  }
  // A JSON patch replacing /spec/template and /metadata/annotations.
  await api.patch('Deployment', d.metadata.namespace, name, (draft) => {
    (draft.spec as { template: PodTemplateSpec }).template = template;
    draft.metadata.annotations = annotations;
  });
  return `${ref} rolled back`;
}

// deploymentRevision: the ReplicaSet of the revision asked for, or the second newest.
function revisionReplicaSet(
  d: DeploymentObject,
  sets: readonly ReplicaSetObject[],
  toRevision: number,
): ReplicaSetObject {
  let latest: { rs: ReplicaSetObject; rev: number } | undefined;
  let previous: { rs: ReplicaSetObject; rev: number } | undefined;
  for (const rs of sets) {
    const rev = revision(rs);
    if (rev === undefined) continue;
    if (toRevision > 0) {
      if (rev === toRevision) return rs;
      continue;
    }
    if ((latest?.rev ?? -1) < rev) {
      previous = latest;
      latest = { rs, rev };
    } else if ((previous?.rev ?? -1) < rev) {
      previous = { rs, rev };
    }
  }
  if (toRevision > 0) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  if (!previous) throw new KubectlError(`no rollout history found for deployment "${d.metadata.name}"`);
  return previous.rs;
}

export interface RolloutStatus {
  /** kubectl's line without its newline, `error: …` when it gives up. */
  message: string;
  done: boolean;
}

/** `kubectl rollout status deployment/<name>`: where the rollout stands, as kubectl words it (one poll). */
export function rolloutStatus(d: DeploymentObject): RolloutStatus {
  const name = d.metadata.name;
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { message: 'Waiting for deployment spec update to be observed...', done: false };
  }
  if (getDeploymentCondition(status, 'Progressing')?.reason === REASON.timedOut) {
    return { message: `error: deployment "${name}" exceeded its progress deadline`, done: false };
  }
  const replicas = d.spec?.replicas;
  const updated = status.updatedReplicas ?? 0;
  const waiting = `Waiting for deployment "${name}" rollout to finish: `;
  if (replicas !== undefined && updated < replicas) {
    return {
      message: `${waiting}${updated} out of ${replicas} new replicas have been updated...`,
      done: false,
    };
  }
  if ((status.replicas ?? 0) > updated) {
    return {
      message: `${waiting}${(status.replicas ?? 0) - updated} old replicas are pending termination...`,
      done: false,
    };
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return {
      message: `${waiting}${status.availableReplicas ?? 0} of ${updated} updated replicas are available...`,
      done: false,
    };
  }
  return { message: `deployment "${name}" successfully rolled out`, done: true };
}

/** A Deployment's ReplicaSets as `kubectl get rs` lists them, with their revision; newest revision first. */
export function replicaSetRows(store: Store, d: DeploymentObject): Record<string, string>[] {
  return replicaSetsOf(store, d)
    .map((rs) => ({ rs, rev: revision(rs) ?? 0 }))
    .sort((a, b) => b.rev - a.rev)
    .map(({ rs, rev }) => ({
      name: rs.metadata.name as string,
      revision: String(rev),
      desired: String(rs.spec?.replicas ?? 1),
      current: String(rs.status?.replicas ?? 0),
      ready: String(rs.status?.readyReplicas ?? 0),
      available: String(rs.status?.availableReplicas ?? 0),
    }));
}

export interface ScalingStep {
  /** Virtual time of the event, in milliseconds since the epoch. */
  time: number;
  revision: string;
  from: number;
  to: number;
}

const SCALED = /^Scaled (?:up|down) replica set (\S+) from (\d+) to (\d+)$/;

/**
 * The Deployment's ScalingReplicaSet events in order, each ReplicaSet named by its revision (as it was when it
 * was last seen): a rollout told without the pod-template-hashes.
 */
export function scalingSteps(
  occurrences: readonly EventOccurrence[],
  d: DeploymentObject,
  replicaSet: (name: string) => KubeObject | undefined,
): ScalingStep[] {
  const object = `deployment/${d.metadata.name}`;
  return occurrences
    .filter(
      (o) => o.reason === 'ScalingReplicaSet' && o.object === object && o.namespace === d.metadata.namespace,
    )
    .flatMap((o) => {
      const m = SCALED.exec(o.message);
      if (!m) return [];
      const rs = replicaSet(m[1]);
      const rev = rs ? String(revision(rs) ?? '?') : '?';
      return [{ time: o.time, revision: rev, from: Number(m[2]), to: Number(m[3]) }];
    });
}
