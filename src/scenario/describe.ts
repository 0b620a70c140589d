// One-line descriptions of what the cluster did, for assertion failures: a scenario that fails should say
// where the pod is instead, or why it is pending.
import type { PodObject } from '../api/pods';

export function describePod(pod: PodObject | undefined, ref: string): string {
  if (!pod) return `pod ${ref} does not exist`;
  const where = pod.spec?.nodeName ? `on node ${pod.spec.nodeName}` : 'not scheduled';
  const phase = pod.status?.phase ?? 'Pending';
  const terminating = pod.metadata.deletionTimestamp ? ', terminating' : '';
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const why = scheduled?.status === 'False' && scheduled.message ? ` (${scheduled.message})` : '';
  return `pod ${ref} is ${phase}${terminating}, ${where}${why}`;
}
