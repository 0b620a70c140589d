// The kubelet's container events (reasons from k8s:pkg/kubelet/events/event.go), worded as the simulated
// version's kubelet words them. v1.33 changed "Created container app" to "Created container: app" (PR #130471);
// v1.35 dropped the container name from the created and started messages (PR #134043), and its image manager,
// checking that the pod may use a cached image (KubeletEnsureSecretPulledImages, beta), says so.
import type { KubernetesVersion } from '../sim/version';

export const REASON = {
  pulling: 'Pulling',
  pulled: 'Pulled',
  created: 'Created',
  started: 'Started',
  killing: 'Killing',
  backOff: 'BackOff',
  evicted: 'Evicted',
} as const;

// k8s:pkg/kubelet/images/image_manager.go EnsureImageExists.
export function imagePresentMessage(image: string, v: KubernetesVersion): string {
  return v.minor >= 35
    ? `Container image "${image}" already present on machine and can be accessed by the pod`
    : `Container image "${image}" already present on machine`;
}

export function pullingMessage(image: string): string {
  return `Pulling image "${image}"`;
}

// An image pull takes no virtual time, so the kubelet's measured durations are 0s; kubespec knows no image sizes.
export function pulledMessage(image: string): string {
  return `Successfully pulled image "${image}" in 0s (0s including waiting). Image size: 0 bytes.`;
}

// k8s:pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer.
export function createdMessage(container: string, v: KubernetesVersion): string {
  return v.minor >= 35 ? 'Container created' : `Created container: ${container}`;
}

export function startedMessage(container: string, v: KubernetesVersion): string {
  return v.minor >= 35 ? 'Container started' : `Started container ${container}`;
}

// kuberuntime_container.go killContainer.
export function killingMessage(container: string): string {
  return `Stopping container ${container}`;
}

/** format.Pod: `name_namespace(uid)`. */
export function formatPod(name: string, namespace: string, uid: string): string {
  return `${name}_${namespace}(${uid})`;
}
