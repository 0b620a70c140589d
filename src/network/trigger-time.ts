// The endpoints.kubernetes.io/last-change-trigger-time annotation (k8s:staging/src/k8s.io/endpointslice/util/
// trigger_time_tracker.go): when the change that made the controller rewrite a Service's endpoints happened.
// For a Service seen for the first time it is the Service's creation; later, the earliest of the changes since
// the last sync: a pod's Ready condition transition, or the Service's creation if that changed.
import type { PodObject } from '../api/pods';
import type { ServiceObject } from '../api/services';

interface ServiceState {
  service: string;
  pods: Map<string, string>;
}

/** RFC 3339 timestamps of second precision compare as strings. */
const earliest = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The annotation's value for this sync, or undefined when it must be removed. */
  compute(key: string, service: ServiceObject, pods: readonly PodObject[]): string | undefined {
    const before = this.states.get(key);
    let changed: string | undefined;
    const podTimes = new Map<string, string>();
    for (const pod of pods) {
      const time = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
      if (!time) continue;
      const name = pod.metadata.name as string;
      podTimes.set(name, time);
      const last = before?.pods.get(name);
      if (last === undefined || time > last) changed = earliest(changed, time);
    }
    const created = service.metadata.creationTimestamp as string;
    if (before === undefined || created > before.service) changed = earliest(changed, created);
    this.states.set(key, { service: created, pods: podTimes });
    return before === undefined ? created : changed;
  }

  forget(key: string): void {
    this.states.delete(key);
  }
}
