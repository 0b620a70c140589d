// The API server's storage: objects by kind and key, a global resourceVersion, and watches.
// Writes are synchronous; watchers (controllers' informers) are told of each change as it happens,
// or, inside a transaction, only once the transaction commits — a refused manifest file leaves
// nothing behind and wakes nobody.

import type { VirtualClock } from '../sim/clock';
import type { SeededRandom } from '../sim/random';
import type { FieldError } from './field-errors';
import { kindInfo } from './kinds';
import { type KubeObject, keyOf, objectKey } from './object';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Watcher = (type: WatchEventType, obj: KubeObject, old: KubeObject | undefined) => void;

export type ApiErrorReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'Forbidden'
  | 'Conflict'
  | 'BadRequest';

/** A refusal worded as the API server words it (k8s.io/apimachinery/pkg/api/errors). */
export class ApiError extends Error {
  constructor(
    readonly reason: ApiErrorReason,
    message: string,
    /** The field errors of an Invalid error, so the manifest loader can point at their lines. */
    readonly causes: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

interface JournalEntry {
  kind: string;
  key: string;
  previous: KubeObject | undefined;
}

interface Notification {
  type: WatchEventType;
  obj: KubeObject;
  old: KubeObject | undefined;
}

export class Store {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Map<string, Watcher[]>();
  private readonly anyWatchers: Watcher[] = [];
  private resourceVersion = 0;
  private journal: JournalEntry[] | undefined;
  private pending: Notification[] = [];

  constructor(
    readonly clock: VirtualClock,
    readonly random: SeededRandom,
  ) {}

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(kind)?.get(objectKey(namespace, name));
  }

  /** Objects of a kind, in creation order; optionally only one namespace's. */
  list(kind: string, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(kind)?.values() ?? [])];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  count(kind: string): number {
    return this.objects.get(kind)?.size ?? 0;
  }

  /** Stores a new object, filling in the metadata the API server owns. */
  create(obj: KubeObject): KubeObject {
    const info = kindInfo(obj.kind);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName)
      meta.name = this.generateName(obj.kind, meta.namespace, meta.generateName);
    const name = meta.name ?? '';
    if (this.get(obj.kind, meta.namespace, name)) {
      throw new ApiError('AlreadyExists', `${info?.resource ?? obj.kind} "${name}" already exists`);
    }
    meta.uid = this.random.uuid();
    meta.resourceVersion = this.nextVersion();
    meta.creationTimestamp = this.clock.timestamp();
    if ('spec' in obj && meta.generation === undefined) meta.generation = 1;
    this.put(obj.kind, keyOf(obj), obj);
    this.notify('ADDED', obj, undefined);
    return obj;
  }

  /**
   * Replaces an object with a new version. The caller builds `next` from a copy (see `mutate`), never by
   * editing the stored object, so watchers can compare old and new.
   */
  update(next: KubeObject): KubeObject {
    const key = keyOf(next);
    const old = this.objects.get(next.kind)?.get(key);
    if (!old) {
      const info = kindInfo(next.kind);
      throw new ApiError('NotFound', `${info?.resource ?? next.kind} "${next.metadata.name}" not found`);
    }
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    next.metadata.resourceVersion = this.nextVersion();
    if ('spec' in next && JSON.stringify(next.spec) !== JSON.stringify(old.spec)) {
      next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
    this.put(next.kind, key, next);
    this.notify('MODIFIED', next, old);
    return next;
  }

  /** Copies the stored object, lets `change` edit the copy, and stores it; undefined if it is gone. */
  mutate<T extends KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    change: (draft: T) => void,
  ): T | undefined {
    const current = this.get(kind, namespace, name);
    if (!current) return undefined;
    const draft = structuredClone(current) as T;
    change(draft);
    return this.update(draft) as T;
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = objectKey(namespace, name);
    const old = this.objects.get(kind)?.get(key);
    if (!old) return undefined;
    this.journal?.push({ kind, key, previous: old });
    this.objects.get(kind)?.delete(key);
    this.notify('DELETED', old, old);
    return old;
  }

  watch(kind: string, watcher: Watcher): void {
    const list = this.watchers.get(kind) ?? [];
    list.push(watcher);
    this.watchers.set(kind, list);
  }

  /** Every change of every kind (the loop uses it to spot objects that never settle). */
  watchAll(watcher: Watcher): void {
    this.anyWatchers.push(watcher);
  }

  /**
   * Runs `work`; if it throws, every write it made is undone and no watcher hears of any. Used to apply a
   * manifest file all or nothing.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.journal) return work();
    const journal: JournalEntry[] = [];
    this.journal = journal;
    this.pending = [];
    try {
      const result = await work();
      const pending = this.pending;
      this.journal = undefined;
      this.pending = [];
      for (const n of pending) this.deliver(n);
      return result;
    } catch (error) {
      for (const entry of journal.reverse()) {
        if (entry.previous) this.objects.get(entry.kind)?.set(entry.key, entry.previous);
        else this.objects.get(entry.kind)?.delete(entry.key);
      }
      this.journal = undefined;
      this.pending = [];
      throw error;
    }
  }

  private put(kind: string, key: string, obj: KubeObject): void {
    let byKey = this.objects.get(kind);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(kind, byKey);
    }
    this.journal?.push({ kind, key, previous: byKey.get(key) });
    byKey.set(key, obj);
  }

  private notify(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): void {
    if (this.journal) this.pending.push({ type, obj, old });
    else this.deliver({ type, obj, old });
  }

  private deliver(n: Notification): void {
    for (const w of this.watchers.get(n.obj.kind) ?? []) w(n.type, n.obj, n.old);
    for (const w of this.anyWatchers) w(n.type, n.obj, n.old);
  }

  private nextVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  // k8s:staging/src/k8s.io/apiserver/pkg/storage/names/generate.go: the prefix is cut to leave room
  // for 5 random characters within the 63-character limit; a clash is retried like the API server's
  // generateName retry.
  private generateName(kind: string, namespace: string | undefined, prefix: string): string {
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (;;) {
      const name = base + this.random.nameSuffix();
      if (!this.get(kind, namespace, name)) return name;
    }
  }
}
