// Kubernetes Events as the API server stores them, recorded like client-go's EventRecorder: an event
// identical to a recent one (same source, object, type, reason and message) bumps that event's count and
// lastTimestamp instead of creating another (k8s:staging/src/k8s.io/client-go/tools/record/events_cache.go
// EventCorrelator, getEventKey). Every occurrence is also kept in order, for the report's timeline; it is
// taken from the store's committed changes, so an event written by a refused manifest file leaves no trace.
import type { Event as CoreEvent, EventSource } from 'kubernetes-types/core/v1';
import type { KubeObject, Stored } from './object';
import type { Store } from './store';

export type EventType = 'Normal' | 'Warning';

export interface EventOccurrence {
  time: number;
  type: EventType;
  reason: string;
  /** `pod/web`, `node/n1`; namespaced objects of another namespace than default as `pod/prod/web`. */
  object: string;
  namespace?: string;
  message: string;
  component: string;
}

export type StoredEvent = Stored<CoreEvent>;

export class EventRecorder {
  private readonly latest = new Map<string, string>();
  readonly occurrences: EventOccurrence[] = [];
  private sequence = 0;

  constructor(private readonly store: Store) {
    store.watch('Event', (type, obj, old) => {
      const event = obj as StoredEvent;
      const counted =
        type === 'ADDED' || (type === 'MODIFIED' && (event.count ?? 1) > ((old as StoredEvent)?.count ?? 1));
      if (counted) this.occurrences.push(occurrenceOf(event, store.clock.now()));
    });
  }

  record(involved: KubeObject, type: EventType, reason: string, message: string, source: EventSource): void {
    const clock = this.store.clock;
    const namespace = involved.metadata.namespace ?? 'default';
    const key = [
      source.component,
      source.host ?? '',
      involved.kind,
      involved.metadata.namespace ?? '',
      involved.metadata.name,
      involved.apiVersion,
      involved.metadata.uid,
      type,
      reason,
      message,
    ].join('\0');
    const existingName = this.latest.get(key);
    if (existingName && this.store.get('Event', namespace, existingName)) {
      this.store.mutate<StoredEvent>('Event', namespace, existingName, (e) => {
        e.count = (e.count ?? 1) + 1;
        e.lastTimestamp = clock.timestamp();
      });
      return;
    }
    // client-go names events <object>.<unix nanoseconds in hex>; the sequence keeps same-instant events apart.
    const nanos = BigInt(clock.now()) * 1_000_000n + BigInt(this.sequence++);
    const name = `${involved.metadata.name}.${nanos.toString(16)}`;
    const event: StoredEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      source,
      firstTimestamp: clock.timestamp(),
      lastTimestamp: clock.timestamp(),
      count: 1,
      type,
      reportingComponent: source.component ?? '',
      reportingInstance: source.host ?? '',
    };
    this.store.create(event);
    this.latest.set(key, name);
  }
}

function occurrenceOf(event: StoredEvent, time: number): EventOccurrence {
  const involved = event.involvedObject;
  return {
    time,
    type: event.type as EventType,
    reason: event.reason ?? '',
    object: `${(involved.kind ?? '').toLowerCase()}/${involved.name}`,
    namespace: involved.namespace,
    message: event.message ?? '',
    component: event.source?.component ?? '',
  };
}
