// How a controller claims the objects its selector matches (k8s:pkg/controller/controller_ref_manager.go
// ClaimObject, ClaimPods, ClaimControllerRevisions, AdoptPod/ReleasePod, AdoptReplicaSet/ReleaseReplicaSet,
// AdoptControllerRevision/ReleaseControllerRevision): it keeps what it controls and still matches, releases what
// it controls but no longer matches (unless it is being deleted), and adopts matching orphans that are not being
// deleted by adding its controller reference — never while it is being deleted itself, and never what another
// controller owns. Adopting and releasing are metadata patches of the ownerReferences list, merged on uid. The
// ReplicaSet, Deployment, StatefulSet, DaemonSet and Job controllers all claim through here.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { type Selector, SelectorParseError, selectorFromLabelSelector } from '../api/labels';
import type { KubeObject } from '../api/object';
import type { Store } from '../api/store';
import { controllerOf, controllerRef } from './pod-control';

export interface Claim<T extends KubeObject> {
  store: Store;
  controller: KubeObject;
  /** The controller's selector, applied to an object's labels. */
  matches: (labels: Readonly<Record<string, string>> | undefined) => boolean;
  /** ClaimPods' filters: what else an object the selector matches must be to be claimed (isMemberOf). */
  filter?: (obj: T) => boolean;
  objects: readonly T[];
}

/** LabelSelectorAsSelector: undefined for a selector that does not parse (the sync gives up, as Kubernetes'). */
export function parseSelector(selector: LabelSelector | undefined): Selector | undefined {
  try {
    return selectorFromLabelSelector(selector);
  } catch (error) {
    if (error instanceof SelectorParseError) return undefined;
    throw error;
  }
}

/** ClaimObjects: the objects the controller owns once adoptions and releases are done. */
export function claimObjects<T extends KubeObject>(c: Claim<T>): T[] {
  const uid = c.controller.metadata.uid;
  const deleting = c.controller.metadata.deletionTimestamp !== undefined;
  const claimed: T[] = [];
  for (const obj of c.objects) {
    const ref = controllerOf(obj);
    const matches = c.matches(obj.metadata.labels) && (c.filter?.(obj) ?? true);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches) claimed.push(obj);
      else if (!deleting) release(c.store, obj, uid as string);
      continue;
    }
    if (deleting || !matches || obj.metadata.deletionTimestamp) continue;
    if (obj.metadata.namespace !== c.controller.metadata.namespace) continue;
    const adopted = adopt(c.store, obj, c.controller);
    if (adopted) claimed.push(adopted as T);
  }
  return claimed;
}

// AdoptPod / AdoptReplicaSet / AdoptControllerRevision: `{"metadata":{"ownerReferences":[<controllerRef>],"uid":…}}`.
export function adopt(store: Store, obj: KubeObject, controller: KubeObject): KubeObject | undefined {
  const ref = controllerRef(controller);
  return store.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name as string, (draft) => {
    const others = (draft.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
    draft.metadata.ownerReferences = [...others, ref];
  });
}

// ReleasePod / ReleaseReplicaSet / ReleaseControllerRevision: `{"metadata":{"ownerReferences":[{"$patch":"delete","uid":…}],…}}`.
function release(store: Store, obj: KubeObject, ownerUid: string): void {
  store.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name as string, (draft) => {
    removeOwnerReferences(draft, [ownerUid]);
  });
}

/** Drops the references to these owners (an emptied list disappears, as the JSON omits it). */
export function removeOwnerReferences(obj: KubeObject, ownerUids: readonly string[]): void {
  const kept = (obj.metadata.ownerReferences ?? []).filter((r) => !ownerUids.includes(r.uid));
  if (kept.length > 0) obj.metadata.ownerReferences = kept;
  else delete obj.metadata.ownerReferences;
}
