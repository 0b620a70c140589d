// The selector the system-default spreading constraints use for a pod (k8s:pkg/scheduler/framework/plugins/helper/spread.go
// DefaultSelector, GetPodServices): the selectors of the Services that select the pod, and of its controller when
// that is a ReplicationController, a ReplicaSet or a StatefulSet. Empty (no default spreading) for other pods.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import {
  type Labels,
  Selector,
  SelectorParseError,
  selectorFromLabelSelector,
  selectorFromSet,
} from '../api/labels';
import type { KubeObject } from '../api/object';
import type { Store } from '../api/store';

interface Owned {
  metadata: { namespace?: string; labels?: Labels; ownerReferences?: readonly OwnerRef[] };
}
interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  controller?: boolean;
}

/** Whether the pod may get a non-empty default selector, answered without listing anything. */
export function mayHaveDefaultSelector(pod: Owned, store: Store): boolean {
  if (controllerKind(pod) !== undefined) return true;
  // Only a Service with a selector can select the pod: the `kubernetes` Service every cluster has selects none.
  const services = store.list('Service', pod.metadata.namespace ?? 'default') as {
    spec?: { selector?: Labels };
  }[];
  return services.some((service) => service.spec?.selector);
}

export function defaultSelector(pod: Owned, store: Store): Selector {
  const namespace = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  let set: Record<string, string> = {};
  for (const service of store.list('Service', namespace) as { spec?: { selector?: Labels } }[]) {
    const selector = service.spec?.selector;
    // Services with nil selectors match nothing, not everything.
    if (!selector) continue;
    if (selectorFromSet(selector).matches(labels)) set = { ...set, ...selector };
  }
  const fromServices = selectorFromSet(set);
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  const kind = controllerKind(pod);
  if (!owner || !kind) return fromServices;
  const controller = store.get(kind, namespace, owner.name) as
    | (KubeObject & { spec?: { selector?: unknown } })
    | undefined;
  if (!controller) return fromServices;
  if (kind === 'ReplicationController') {
    return selectorFromSet({ ...set, ...((controller.spec?.selector as Labels | undefined) ?? {}) });
  }
  // ReplicaSet and StatefulSet: their selector's requirements are added, unless it matches nothing.
  let other: Selector;
  try {
    other = selectorFromLabelSelector(controller.spec?.selector as LabelSelector | undefined);
  } catch (error) {
    if (error instanceof SelectorParseError) return fromServices;
    throw error;
  }
  if (other === Selector.nothing()) return fromServices;
  return Selector.from([...fromServices.requirements, ...other.requirements]);
}

// The controller's group, version and kind must be exactly v1 ReplicationController, apps/v1 ReplicaSet or
// apps/v1 StatefulSet.
function controllerKind(pod: Owned): string | undefined {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!owner) return undefined;
  if (owner.apiVersion === 'v1' && owner.kind === 'ReplicationController') return owner.kind;
  if (owner.apiVersion === 'apps/v1' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet'))
    return owner.kind;
  return undefined;
}
