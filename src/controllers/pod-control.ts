// What every workload controller does to make and own pods (k8s:pkg/controller/controller_utils.go
// RealPodControl, GetPodFromTemplate): a pod from the template's labels, annotations and spec, named
// `<owner>-` plus five random characters through generateName, with a controller ownerReference that
// blocks the owner's foreground deletion. Controllers create it through the API server like any client.

import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { ApiServer } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import { ApiError } from '../api/store';

/** The controller ownerReference an owner puts on what it creates (metav1.NewControllerRef). */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name as string,
    uid: owner.metadata.uid as string,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The owner that controls an object, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export interface PodFromTemplate {
  template: PodTemplateSpec;
  owner: KubeObject;
  /** A fixed name (StatefulSet ordinals); otherwise generateName `<prefix>`. */
  name?: string;
  generateNamePrefix?: string;
  /** Extra labels or annotations the controller adds (pod-template-hash, controller-revision-hash, …). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function podFromTemplate(p: PodFromTemplate): PodObject {
  const meta = p.template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(p.name ? { name: p.name } : { generateName: p.generateNamePrefix ?? `${p.owner.metadata.name}-` }),
      namespace: p.owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...(p.labels ?? {}) },
      ...(meta.annotations || p.annotations
        ? { annotations: { ...(meta.annotations ?? {}), ...(p.annotations ?? {}) } }
        : {}),
      ownerReferences: [controllerRef(p.owner)],
    },
    spec: structuredClone(p.template.spec ?? { containers: [] }),
  } as PodObject;
}

/** The controller's side of RealPodControl: where its events go and what they name as their source. */
export interface PodControl {
  api: ApiServer;
  recorder: EventRecorder;
  /** The event source component: `job-controller`, `daemonset-controller`, … */
  component: string;
}

/**
 * RealPodControl.CreatePods: creates the pod through the API server and records `SuccessfulCreate`
 * (`Created pod: <name>`) on the owner, or `FailedCreate` (`Error creating: <reason>`) when it is refused.
 */
export async function createPod(
  c: PodControl,
  owner: KubeObject,
  pod: PodObject,
): Promise<PodObject | undefined> {
  try {
    const created = (await c.api.create(pod)) as PodObject;
    c.recorder.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, {
      component: c.component,
    });
    return created;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    c.recorder.record(owner, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, {
      component: c.component,
    });
    return undefined;
  }
}

/** RealPodControl.DeletePod: `SuccessfulDelete` (`Deleted pod: <name>`); a pod already gone is no error. */
export async function deletePod(c: PodControl, owner: KubeObject, pod: PodObject): Promise<void> {
  const name = pod.metadata.name as string;
  try {
    await c.api.delete('Pod', pod.metadata.namespace, name);
  } catch (error) {
    if (error instanceof ApiError && error.reason === 'NotFound') return;
    if (!(error instanceof ApiError)) throw error;
    c.recorder.record(owner, 'Warning', 'FailedDelete', `Error deleting: ${error.message}`, {
      component: c.component,
    });
    return;
  }
  c.recorder.record(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`, { component: c.component });
}
