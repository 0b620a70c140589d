// What workload controllers ask about a pod's state (k8s:pkg/api/v1/pod/util.go IsPodReady, IsPodAvailable;
// k8s:pkg/controller/controller_utils.go IsPodActive, IsPodTerminating).
import type { PodObject } from '../api/pods';

/** The Ready condition is True. */
export function isPodReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became Ready, if it is. */
export function readySince(pod: PodObject): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  return ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : undefined;
}

/** Ready for at least minReadySeconds at `now`. */
export function isPodAvailable(pod: PodObject, minReadySeconds: number, now: number): boolean {
  const since = readySince(pod);
  if (since === undefined) return false;
  return minReadySeconds === 0 || since + minReadySeconds * 1000 <= now;
}

/** Neither finished nor being deleted. */
export function isPodActive(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Being deleted, and not finished yet. */
export function isPodTerminating(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded' && phase !== 'Failed';
}
