// The order in which objects were created, as the resourceVersion each creation was stored at: objects created at
// the same virtual instant (a StatefulSet's pods, one sync apart) have equal creation timestamps but never equal
// versions. Only the latest creation of each name is kept, so a pod made again (a rolling update) counts anew.
import type { Store } from './store';

export class CreationLog {
  private readonly versions = new Map<string, number>();

  constructor(store: Store) {
    store.watchAll((type, obj) => {
      if (type !== 'ADDED' || obj.kind === 'Event') return;
      this.versions.set(
        entryKey(obj.kind, obj.metadata.namespace, obj.metadata.name as string),
        Number(obj.metadata.resourceVersion),
      );
    });
  }

  /** The resourceVersion the object's latest creation got, or undefined if it was never created. */
  createdAt(kind: string, namespace: string | undefined, name: string): number | undefined {
    return this.versions.get(entryKey(kind, namespace, name));
  }
}

function entryKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}
