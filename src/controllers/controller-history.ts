// ControllerRevisions, the template history of StatefulSets and DaemonSets (k8s:pkg/controller/history/
// controller_history.go; hashes as k8s:pkg/controller/controller_utils.go ComputeHash). Kubernetes hashes Go's
// spew dump of the template; kubespec hashes its JSON with the same FNV-32a and the same encoding, so hashes
// look like Kubernetes' (`web-7c8f9d6b5`) and change exactly when the template does, but are not the same values.
import type { ApiServer } from '../api/apiserver';
import type { KubeObject } from '../api/object';
import { ApiError } from '../api/store';
import { stableStringify } from '../rules/stable-json';
import { controllerRef } from './pod-control';

/** apps.ControllerRevisionHashLabelKey: the revision (StatefulSet) or template hash (DaemonSet) of a pod. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

export interface RevisionObject extends KubeObject {
  data: unknown;
  revision: number;
}

// k8s:staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go SafeEncodeString.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-32a of the value's JSON (and of the collision count, when there was one), safe-encoded. */
export function revisionHash(value: unknown, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const write = (bytes: Iterable<number>) => {
    for (const b of bytes) {
      hash ^= b;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  write(Buffer.from(stableStringify(value), 'utf8'));
  // The collision count is hashed as its four little-endian bytes.
  if (collisionCount) write([0, 8, 16, 24].map((shift) => (collisionCount >>> shift) & 0xff));
  return [...String(hash >>> 0)].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

/** ControllerRevisionName: `<parent>-<hash>`, the parent's name cut to 223 characters. */
export function revisionName(parent: string, hash: string): string {
  return `${parent.length > 223 ? parent.slice(0, 223) : parent}-${hash}`;
}

/** SortControllerRevisions: by revision number, then creation time, then name. */
export function sortRevisions<T extends RevisionObject>(revisions: T[]): T[] {
  return revisions.sort(
    (a, b) =>
      a.revision - b.revision ||
      Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '') ||
      ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1),
  );
}

/** The number the next revision gets: one more than the newest. */
export function nextRevision(sorted: readonly RevisionObject[]): number {
  return sorted.length === 0 ? 1 : sorted[sorted.length - 1].revision + 1;
}

export interface NewRevision {
  owner: KubeObject;
  /** The revision's labels, given the hash that names it. */
  labels: (hash: string) => Record<string, string>;
  data: unknown;
  revision: number;
  /** The hash naming the revision; a clash with another revision's data is retried with a bumped count. */
  hash: (collisionCount: number) => string;
  collisionCount: number;
}

/**
 * CreateControllerRevision: stores the revision under `<owner>-<hash>`; an existing revision with the same data
 * is the one wanted, one with other data is a hash collision, retried with the next collision count.
 */
export async function createRevision(
  api: ApiServer,
  r: NewRevision,
): Promise<{ revision: RevisionObject; collisionCount: number }> {
  let collisionCount = r.collisionCount;
  for (;;) {
    const hash = r.hash(collisionCount);
    const name = revisionName(r.owner.metadata.name as string, hash);
    const existing = api.store.get('ControllerRevision', r.owner.metadata.namespace, name) as
      | RevisionObject
      | undefined;
    if (existing) {
      if (stableStringify(existing.data) === stableStringify(r.data))
        return { revision: existing, collisionCount };
      collisionCount += 1;
      continue;
    }
    const annotations = r.owner.metadata.annotations;
    const created = await api.create({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: r.owner.metadata.namespace,
        labels: r.labels(hash),
        ...(annotations ? { annotations: { ...annotations } } : {}),
        ownerReferences: [controllerRef(r.owner)],
      },
      data: structuredClone(r.data),
      revision: r.revision,
    });
    return { revision: created as RevisionObject, collisionCount };
  }
}

/** Deletes a revision that may already be gone. */
export async function deleteRevision(api: ApiServer, revision: RevisionObject): Promise<void> {
  try {
    await api.delete('ControllerRevision', revision.metadata.namespace, revision.metadata.name as string);
  } catch (error) {
    if (!(error instanceof ApiError && error.reason === 'NotFound')) throw error;
  }
}
