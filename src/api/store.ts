// The API server's storage: objects by kind and key, a global resourceVersion, and watches.
// Writes are synchronous; watchers (controllers' informers) are told of each change as it happens,
// or, inside a transaction, only once the transaction commits — a refused manifest file leaves
// nothing behind and wakes nobody.

import type { VirtualClock } from '../sim/clock';
import type { SeededRandom } from '../sim/random';
import type { FieldError } from './field-errors';
import { kindInfo, qualifiedResource } from './kinds';
import { type KubeObject, keyOf, objectKey } from './object';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Watcher = (type: WatchEventType, obj: KubeObject, old: KubeObject | undefined) => void;

export type ApiErrorReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'Forbidden'
  | 'Conflict'
  | 'BadRequest'
  | 'TooManyRequests'
  | 'InternalError';

/** A refusal worded as the API server words it (k8s.io/apimachinery/pkg/api/errors). */
export class ApiError extends Error {
  constructor(
    readonly reason: ApiErrorReason,
    message: string,
    /** The field errors of an Invalid error, so the manifest loader can point at their lines. */
    readonly causes: readonly FieldError[] = [],
    /** The field a refusal of another kind is about (`metadata.namespace`), for the same purpose. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** What a transaction restores if it fails: each touched kind as it was, and the version counter. */
interface Savepoint {
  kinds: Map<string, Map<string, KubeObject>>;
  resourceVersion: number;
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
  private savepoint: Savepoint | undefined;
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
    const meta = obj.metadata;
    if (!meta.name && meta.generateName)
      meta.name = this.generateName(obj.kind, meta.namespace, meta.generateName);
    const name = meta.name ?? '';
    if (this.get(obj.kind, meta.namespace, name)) {
      throw new ApiError(
        'AlreadyExists',
        `${qualifiedResource(obj.kind)} "${name}" already exists`,
        [],
        'metadata.name',
      );
    }
    // k8s:staging/src/k8s.io/apiserver/pkg/registry/rest/create.go BeforeCreate, FillObjectMetaSystemFields. The API
    // server assigns the uid before validation (a Job's generated selector names it); direct writes get one here.
    meta.uid ||= this.random.uuid();
    meta.resourceVersion = this.nextVersion();
    meta.creationTimestamp = this.clock.timestamp();
    if (kindInfo(obj.kind)?.generation) meta.generation = 1;
    else delete meta.generation;
    this.put(obj.kind, keyOf(obj), obj);
    this.notify('ADDED', obj, undefined);
    return obj;
  }

  /**
   * Replaces an object with a new version. The caller builds `next` from a copy (see `mutate`), never by
   * editing the stored object, so watchers can compare old and new. Like a write through a subresource
   * (status, binding), it leaves metadata.generation as `next` has it; the API server's update path bumps it.
   */
  update(next: KubeObject): KubeObject {
    const key = keyOf(next);
    const old = this.objects.get(next.kind)?.get(key);
    if (!old) {
      throw new ApiError('NotFound', `${qualifiedResource(next.kind)} "${next.metadata.name}" not found`);
    }
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    next.metadata.resourceVersion = this.nextVersion();
    // k8s:staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go ShouldDeleteDuringUpdate: an object
    // deleted without grace that only its finalizers kept goes with the update that removes the last one.
    if (
      old.metadata.deletionTimestamp &&
      old.metadata.deletionGracePeriodSeconds === 0 &&
      !next.metadata.finalizers?.length
    ) {
      this.save(next.kind);
      this.objects.get(next.kind)?.delete(key);
      this.notify('DELETED', next, old);
      return next;
    }
    this.put(next.kind, key, next);
    this.notify('MODIFIED', next, old);
    return next;
  }

  /**
   * Replaces the status of the stored object, as a write to the status subresource does; undefined if it is
   * gone. The new version shares everything but its status and metadata with the old one (stored objects are
   * never edited in place), which spares the deep copy `mutate` makes: the kubelet writes every pod's status
   * several times.
   */
  writeStatus<T extends KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    status: T['status'],
  ): T | undefined {
    const current = this.get(kind, namespace, name);
    if (!current) return undefined;
    return this.update({ ...current, metadata: { ...current.metadata }, status }) as T;
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
    this.save(kind);
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
   * Runs `work`; if it throws, every write it made is undone (objects, their order, the resourceVersion
   * counter) and no watcher hears of any. Used to apply a manifest file all or nothing. Nested calls join the
   * outer transaction.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.savepoint) return work();
    const savepoint: Savepoint = { kinds: new Map(), resourceVersion: this.resourceVersion };
    this.savepoint = savepoint;
    this.pending = [];
    try {
      const result = await work();
      const pending = this.pending;
      this.savepoint = undefined;
      this.pending = [];
      for (const n of pending) this.deliver(n);
      return result;
    } catch (error) {
      for (const [kind, objects] of savepoint.kinds) this.objects.set(kind, objects);
      this.resourceVersion = savepoint.resourceVersion;
      this.savepoint = undefined;
      this.pending = [];
      throw error;
    }
  }

  /** Inside a transaction, keeps a copy of a kind's objects before its first change. */
  private save(kind: string): void {
    if (this.savepoint && !this.savepoint.kinds.has(kind)) {
      this.savepoint.kinds.set(kind, new Map(this.objects.get(kind) ?? []));
    }
  }

  private put(kind: string, key: string, obj: KubeObject): void {
    this.save(kind);
    let byKey = this.objects.get(kind);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(kind, byKey);
    }
    byKey.set(key, obj);
  }

  private notify(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): void {
    if (this.savepoint) this.pending.push({ type, obj, old });
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
  /** `<prefix><5 random characters>`, a name no object of the kind has yet. */
  generateName(kind: string, namespace: string | undefined, prefix: string): string {
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (;;) {
      const name = base + this.random.nameSuffix();
      if (!this.get(kind, namespace, name)) return name;
    }
  }
}
