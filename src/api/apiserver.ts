// The API server's request path for writes coming from users and controllers: decoding, defaulting,
// admission (NamespaceLifecycle first), the registry strategy (PrepareForCreate / PrepareForUpdate, generated
// names, validation, Canonicalize), then storage. Status updates by controllers go to the store directly, as
// they would through the status subresource. `apply` is `kubectl apply` (client-side): a create carrying the
// last-applied-configuration annotation, or a three-way merge with the live object.
import { aggregate, type FieldError, invalid as invalidField } from './field-errors';
import { type KindInfo, kindInfo, qualifiedKind, qualifiedResource } from './kinds';
import { goJson } from './manifests';
import type { KubeObject } from './object';
import { parseQuantity, Quantity } from './quantity';
import { ApiError, type Store } from './store';
import { isQualifiedName, validateGenerateName, validateLabels, validateObjectName } from './validation';

/** SetDefaults_<Kind>: run on every decoded object, created or updated. */
export type Defaulter = (obj: KubeObject) => void;
/** The first field the decoder cannot read into its Go type, with the decoder's reason. */
export type DecodeCheck = (obj: KubeObject) => FieldError | undefined;
/** The strategy's validation; `old` is the stored object on an update. */
export type Validator = (obj: KubeObject, old: KubeObject | undefined) => FieldError[];
/** A mutating admission step on create; it may refuse the object by throwing an ApiError. */
export type AdmissionStep = (obj: KubeObject) => Promise<void> | void;
/** A validating admission step on create, after validation: it sees the generated name and may only refuse. */
export type ValidatingAdmissionStep = (obj: KubeObject) => void;
/** A validating admission step on update, after validation: sees the stored object too, may only refuse. */
export type ValidatingUpdateAdmissionStep = (obj: KubeObject, old: KubeObject) => void;
/** A strategy hook without a verdict: PrepareForCreate, or Canonicalize just before storage. */
export type Preparer = (obj: KubeObject) => void;

/** What happens to an object's dependents (`kubectl delete --cascade=background|foreground|orphan`). */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  /** Overrides the pod's terminationGracePeriodSeconds (`kubectl delete --grace-period`). */
  gracePeriodSeconds?: number;
  /** `--grace-period=0 --force`: remove the object at once. */
  force?: boolean;
  /** Unset: the kind's default (Orphan for ReplicationControllers and batch/v1 Jobs, else Background). */
  propagationPolicy?: PropagationPolicy;
}

/** The garbage collector's finalizers (k8s:staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go). */
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

// Kinds whose registry strategy keeps the pre-garbage-collector default of orphaning dependents
// (DefaultGarbageCollectionPolicy in k8s:pkg/registry/core/replicationcontroller/strategy.go and
// k8s:pkg/registry/batch/job/strategy.go, for their v1 APIs).
const ORPHAN_BY_DEFAULT = new Set(['ReplicationController', 'Job']);

// The namespaces NamespaceLifecycle refuses to delete
// (k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go).
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** k8s:staging/src/k8s.io/api/core/v1/annotation_key_constants.go LastAppliedConfigAnnotation. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export class ApiServer {
  private readonly decodeChecks = new Map<string, DecodeCheck[]>();
  private readonly defaulters = new Map<string, Defaulter[]>();
  private readonly admission = new Map<string, AdmissionStep[]>();
  private readonly validatingAdmission = new Map<string, ValidatingAdmissionStep[]>();
  private readonly validatingUpdateAdmission = new Map<string, ValidatingUpdateAdmissionStep[]>();
  /** The warnings of the requests a client (kubectl) is making now; controllers' requests have none. */
  private clientWarnings: string[] | undefined;
  private readonly preparers = new Map<string, Preparer[]>();
  private readonly validators = new Map<string, Validator[]>();
  private readonly canonicalizers = new Map<string, Preparer[]>();

  constructor(readonly store: Store) {
    registerNamespaceStrategy(this);
  }

  addDecodeCheck(kind: string, fn: DecodeCheck): void {
    add(this.decodeChecks, kind, fn);
  }

  addDefaulter(kind: string, fn: Defaulter): void {
    add(this.defaulters, kind, fn);
  }

  addAdmission(kind: string, fn: AdmissionStep): void {
    add(this.admission, kind, fn);
  }

  /**
   * Validating admission (LimitRanger's Validate, ResourceQuota): run by the registry's createValidation after
   * BeforeCreate, so a refusal names the generated name (k8s:staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Create).
   */
  addValidatingAdmission(kind: string, fn: ValidatingAdmissionStep): void {
    add(this.validatingAdmission, kind, fn);
  }

  /** Validating admission on update (PodSecurity on a namespace's labels or a pod's images). */
  addValidatingUpdateAdmission(kind: string, fn: ValidatingUpdateAdmissionStep): void {
    add(this.validatingUpdateAdmission, kind, fn);
  }

  /**
   * An admission warning (admission.Attributes AddWarning), returned to the client in a `Warning` header.
   * Only requests made through `asClient` collect them: a controller's client would only log them.
   */
  warn(message: string): void {
    this.clientWarnings?.push(message);
  }

  /** Runs a client's requests (one kubectl command); the warnings the server sends back go to `warnings`. */
  async asClient<T>(warnings: string[], requests: () => Promise<T>): Promise<T> {
    const outer = this.clientWarnings;
    this.clientWarnings = warnings;
    try {
      return await requests();
    } finally {
      this.clientWarnings = outer;
    }
  }

  /** PrepareForCreate: fields the server sets on a new object (a pod's status, a namespace's finalizer). */
  addPreparer(kind: string, fn: Preparer): void {
    add(this.preparers, kind, fn);
  }

  addValidator(kind: string, fn: Validator): void {
    add(this.validators, kind, fn);
  }

  /** Canonicalize: the object's stored form, after validation (quantities as the API serialises them). */
  addCanonicalizer(kind: string, fn: Preparer): void {
    add(this.canonicalizers, kind, fn);
  }

  /** POST: decode, default, admit, prepare, name, validate, store. */
  async create(obj: KubeObject): Promise<KubeObject> {
    const info = this.resolve(obj);
    this.decode(obj, info);
    obj.metadata ??= {};
    if (info.namespaced) obj.metadata.namespace ||= 'default';
    else delete obj.metadata.namespace;
    this.run(this.defaulters, obj);
    if (info.namespaced) this.checkNamespaceAcceptsCreates(info, obj);
    for (const step of this.admission.get(obj.kind) ?? []) await step(obj);
    // k8s:staging/src/k8s.io/apiserver/pkg/registry/rest/create.go BeforeCreate.
    delete obj.metadata.deletionTimestamp;
    delete obj.metadata.deletionGracePeriodSeconds;
    this.run(this.preparers, obj);
    // FillObjectMetaSystemFields: the uid exists before validation (a Job's generated selector and labels use it).
    obj.metadata.uid = this.store.random.uuid();
    const { name, generateName } = obj.metadata;
    if (!name && generateName) {
      obj.metadata.name = this.store.generateName(obj.kind, obj.metadata.namespace, generateName);
    }
    const errors = [...validateObjectMeta(obj), ...this.validate(obj, undefined)];
    if (errors.length > 0) throw invalid(obj, errors);
    this.run(this.canonicalizers, obj);
    this.run(this.validatingAdmission, obj);
    return this.store.create(obj);
  }

  /**
   * `kubectl apply` (client-side, k8s:staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go): a new object is
   * created with the manifest recorded in the last-applied-configuration annotation; an existing one gets a
   * three-way merge of that record, the manifest and the live object, so fields the server or controllers
   * set (nodeName, priority, added tolerations, status) survive, and fields dropped from the manifest go.
   * An apply that changes nothing writes nothing.
   */
  async apply(manifest: KubeObject): Promise<KubeObject> {
    const info = this.resolve(manifest);
    manifest.metadata ??= {};
    if (info.namespaced) manifest.metadata.namespace ||= 'default';
    const { name, namespace } = manifest.metadata;
    // kubectl GETs the object by name before anything else; client-go refuses an empty name.
    if (!name) throw new ApiError('BadRequest', 'resource name may not be empty', [], 'metadata.name');
    const modified = withLastApplied(manifest);
    const live = this.store.get(manifest.kind, info.namespaced ? namespace : undefined, name);
    if (!live) return this.create(modified);
    const lastApplied = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    const original = lastApplied ? (JSON.parse(lastApplied) as Record<string, unknown>) : undefined;
    const merged = mergeObject(live, modified, original, []) as KubeObject;
    return this.update(merged, live);
  }

  /**
   * A client's PATCH of a live object (`kubectl scale`, `kubectl set image`, a controller resizing its
   * ReplicaSet): `change` edits a copy of the stored object, which then takes the update path.
   */
  async patch(
    kind: string,
    namespace: string | undefined,
    name: string,
    change: (draft: KubeObject) => void,
  ): Promise<KubeObject> {
    const ns = kindInfo(kind)?.namespaced ? (namespace ?? 'default') : undefined;
    const live = this.store.get(kind, ns, name);
    if (!live) throw new ApiError('NotFound', `${qualifiedResource(kind)} "${name}" not found`);
    const next = structuredClone(live);
    change(next);
    return this.update(next, live);
  }

  /** PUT of a whole object, the way PATCH ends once the patch is applied: decode, default, prepare, validate. */
  private async update(next: KubeObject, live: KubeObject): Promise<KubeObject> {
    const info = this.resolve(next);
    this.decode(next, info);
    this.run(this.defaulters, next);
    // PrepareForUpdate of every strategy with a status subresource: status is not the user's to write.
    if (info.statusSubresource) next.status = structuredClone(live.status);
    const errors = [...validateObjectMeta(next), ...this.validate(next, live)];
    if (errors.length > 0) throw invalid(next, errors);
    this.run(this.canonicalizers, next);
    for (const step of this.validatingUpdateAdmission.get(next.kind) ?? []) step(next, live);
    // k8s:pkg/registry/core/pod/strategy.go updatePodGeneration: only a spec change is a new generation; a
    // Deployment's annotations count too, as they are copied to its ReplicaSets
    // (k8s:pkg/registry/apps/deployment/strategy.go PrepareForUpdate).
    const annotationsMatter = next.kind === 'Deployment';
    const changed =
      !sameJson(next.spec, live.spec) ||
      (annotationsMatter && !sameJson(next.metadata.annotations, live.metadata.annotations));
    if (info.generation && changed) {
      next.metadata.generation = (live.metadata.generation ?? 1) + 1;
    }
    // k8s:staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go GuaranteedUpdate: identical bytes are no write.
    if (sameJson(next, live)) return live;
    return this.store.update(next);
  }

  /**
   * DELETE (k8s:staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete, pod strategy
   * CheckGracefulDelete). A pod on a node is deleted gracefully: it gets a deletionTimestamp and its kubelet
   * removes it; a pod never scheduled, or already finished, goes at once. A second delete may only shorten
   * the grace period. A namespace turns Terminating (k8s:pkg/registry/core/namespace/storage/storage.go).
   * The propagation policy becomes the garbage collector's `orphan` or `foregroundDeletion` finalizer, and
   * an object with finalizers stays, marked as being deleted, until they are removed
   * (k8s:staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Delete).
   */
  async delete(
    kind: string,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<void> {
    const info = kindInfo(kind);
    const ns = info?.namespaced ? (namespace ?? 'default') : undefined;
    const obj = this.store.get(kind, ns, name);
    if (!obj) throw new ApiError('NotFound', `${qualifiedResource(kind)} "${name}" not found`);
    if (kind === 'Namespace') return this.deleteNamespace(obj);
    const finalizers = finalizersForGarbageCollection(obj, options.propagationPolicy);
    if (kind !== 'Pod') return this.deleteWithoutGrace(obj, finalizers);
    // Negative values are treated as 1s on the delete path.
    let requested = options.force ? 0 : options.gracePeriodSeconds;
    if (requested !== undefined && requested < 0) requested = 1;
    const clock = this.store.clock;
    const meta = obj.metadata;
    if (meta.deletionTimestamp) {
      const current = meta.deletionGracePeriodSeconds;
      if (!current || requested === 0) return this.deleteWithoutGrace(obj, finalizers);
      // Graceful deletion already pending: not even the finalizers change.
      if (requested === undefined || requested >= current) return;
      const shortened = Date.parse(meta.deletionTimestamp) - current * 1000 + requested * 1000;
      this.store.mutate(kind, ns, name, (draft) => {
        draft.metadata.deletionTimestamp = clock.timestamp(shortened);
        draft.metadata.deletionGracePeriodSeconds = requested;
        setFinalizers(draft, finalizers);
      });
      return;
    }
    const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    let grace = requested ?? spec?.terminationGracePeriodSeconds ?? 0;
    if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    if (grace < 0) grace = 1;
    if (grace === 0) return this.deleteWithoutGrace(obj, finalizers);
    this.store.mutate(kind, ns, name, (draft) => {
      draft.metadata.deletionTimestamp = clock.timestamp(clock.now() + grace * 1000);
      draft.metadata.deletionGracePeriodSeconds = grace;
      // The first graceful deletion is a new generation: controllers must notice the object is going.
      if (draft.metadata.generation) draft.metadata.generation += 1;
      setFinalizers(draft, finalizers);
    });
  }

  // updateForGracefulDeletionAndFinalizers, then the actual delete: without finalizers the object goes; with
  // them it is marked as deleting (markAsDeleting) and stays until the last one is removed.
  private deleteWithoutGrace(obj: KubeObject, finalizers: readonly string[] | undefined): void {
    const { namespace, name } = obj.metadata;
    if (!finalizers?.length) {
      this.store.remove(obj.kind, namespace, name as string);
      return;
    }
    const now = this.store.clock.now();
    const meta = obj.metadata;
    const marked = meta.deletionTimestamp !== undefined && Date.parse(meta.deletionTimestamp) <= now;
    if (marked && meta.deletionGracePeriodSeconds === 0 && finalizers === meta.finalizers) return;
    this.store.mutate(obj.kind, namespace, name as string, (draft) => {
      setFinalizers(draft, finalizers);
      if (!draft.metadata.deletionTimestamp && draft.metadata.generation) draft.metadata.generation += 1;
      if (!marked) draft.metadata.deletionTimestamp = this.store.clock.timestamp(now);
      draft.metadata.deletionGracePeriodSeconds = 0;
    });
  }

  private deleteNamespace(ns: KubeObject): void {
    const name = ns.metadata.name as string;
    if (IMMORTAL_NAMESPACES.has(name)) {
      throw new ApiError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    if (!ns.metadata.deletionTimestamp) {
      const now = this.store.clock.timestamp();
      this.store.mutate('Namespace', undefined, name, (draft) => {
        draft.metadata.deletionTimestamp = now;
        draft.status = { ...(draft.status as object), phase: 'Terminating' };
      });
      return;
    }
    // The namespace controller empties the namespace and then removes the `kubernetes` finalizer.
    const finalizers = (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    if (finalizers.length === 0) this.store.remove('Namespace', undefined, name);
  }

  private resolve(obj: KubeObject): KindInfo {
    const info = kindInfo(obj.kind);
    // k8s:staging/src/k8s.io/apimachinery/pkg/api/meta/errors.go NoKindMatchError.
    if (!info || info.apiVersion !== obj.apiVersion) {
      throw new ApiError('BadRequest', `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
    }
    return info;
  }

  // k8s:staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError.
  private decode(obj: KubeObject, info: KindInfo): void {
    for (const check of this.decodeChecks.get(obj.kind) ?? []) {
      const failure = check(obj);
      if (!failure) continue;
      const version = info.apiVersion.slice(info.apiVersion.indexOf('/') + 1);
      throw new ApiError(
        'BadRequest',
        `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: ${failure.detail}`,
        [],
        failure.field,
      );
    }
  }

  private validate(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
    return (this.validators.get(obj.kind) ?? []).flatMap((v) => v(obj, old));
  }

  private run(hooks: Map<string, Preparer[]>, obj: KubeObject): void {
    for (const fn of hooks.get(obj.kind) ?? []) fn(obj);
  }

  // NamespaceLifecycle admission.
  private checkNamespaceAcceptsCreates(info: KindInfo, obj: KubeObject): void {
    const namespace = obj.metadata.namespace as string;
    const ns = this.store.get('Namespace', undefined, namespace);
    if (!ns) {
      throw new ApiError('NotFound', `namespaces "${namespace}" not found`, [], 'metadata.namespace');
    }
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        'Forbidden',
        `${qualifiedResource(info.kind)} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        [],
        'metadata.namespace',
      );
    }
  }
}

/**
 * deletionFinalizersForGarbageCollection with shouldOrphanDependents and shouldDeleteDependents: an explicit
 * policy wins, then a GC finalizer the object already has, then the kind's default. Returns the object's own
 * list when nothing changes.
 */
function finalizersForGarbageCollection(
  obj: KubeObject,
  policy: PropagationPolicy | undefined,
): readonly string[] | undefined {
  const current = obj.metadata.finalizers;
  const firstGcFinalizer = current?.find(
    (f) => f === FINALIZER_ORPHAN_DEPENDENTS || f === FINALIZER_DELETE_DEPENDENTS,
  );
  const orphan = policy
    ? policy === 'Orphan'
    : firstGcFinalizer
      ? firstGcFinalizer === FINALIZER_ORPHAN_DEPENDENTS
      : ORPHAN_BY_DEFAULT.has(obj.kind);
  const foreground = policy ? policy === 'Foreground' : firstGcFinalizer === FINALIZER_DELETE_DEPENDENTS;
  const next = (current ?? []).filter(
    (f) => f !== FINALIZER_ORPHAN_DEPENDENTS && f !== FINALIZER_DELETE_DEPENDENTS,
  );
  if (orphan) next.push(FINALIZER_ORPHAN_DEPENDENTS);
  if (foreground) next.push(FINALIZER_DELETE_DEPENDENTS);
  const same = next.length === (current?.length ?? 0) && next.every((f) => current?.includes(f));
  return same ? current : next;
}

function setFinalizers(obj: KubeObject, finalizers: readonly string[] | undefined): void {
  if (finalizers?.length) obj.metadata.finalizers = [...finalizers];
  else delete obj.metadata.finalizers;
}

function add<T>(map: Map<string, T[]>, kind: string, fn: T): void {
  map.set(kind, [...(map.get(kind) ?? []), fn]);
}

/** StatusError for a refused object: `Pod "web" is invalid: <field errors>` (errors.NewInvalid). */
export function invalid(obj: KubeObject, errors: readonly FieldError[]): ApiError {
  const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
  return new ApiError(
    'Invalid',
    `${qualifiedKind(obj.kind)} "${name}" is invalid: ${aggregate(errors)}`,
    errors,
  );
}

/**
 * The part of ValidateObjectMetaAccessor (k8s:staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go)
 * the simulation needs: generateName and name by the kind's rule, labels, annotation keys. The namespace has
 * been checked by NamespaceLifecycle already.
 */
function validateObjectMeta(obj: KubeObject): FieldError[] {
  const { name, generateName, labels, annotations } = obj.metadata;
  const errs: FieldError[] = [];
  if (generateName) errs.push(...validateGenerateName(generateName, obj.kind));
  errs.push(...validateObjectName(name ?? '', obj.kind));
  errs.push(...validateLabels(labels, 'metadata.labels'));
  // ValidateAnnotations: keys are qualified names, compared case-insensitively.
  for (const key of Object.keys(annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase()))
      errs.push(invalidField('metadata.annotations', key, msg));
  }
  return errs;
}

// k8s:pkg/apis/core/v1/defaults.go SetDefaults_Namespace and k8s:pkg/registry/core/namespace/strategy.go
// PrepareForCreate: the name label, phase Active and the `kubernetes` finalizer.
function registerNamespaceStrategy(api: ApiServer): void {
  api.addDefaulter('Namespace', (ns) => {
    if (ns.metadata.name) {
      ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
    }
  });
  api.addPreparer('Namespace', (ns) => {
    ns.status = { phase: 'Active' };
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if (!spec.finalizers?.includes('kubernetes'))
      spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
    ns.spec = spec;
  });
}

/**
 * kubectl's GetModifiedConfiguration: the manifest, serialised without the annotation (which leaves an empty
 * `annotations: {}` behind), becomes the annotation.
 */
function withLastApplied(manifest: KubeObject): KubeObject {
  const annotations = { ...(manifest.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const recorded = { ...manifest, metadata: { ...manifest.metadata, annotations } };
  const modified = structuredClone(recorded);
  modified.metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: `${goJson(recorded)}\n` };
  return modified;
}

// Strategic merge patch list semantics: lists named here merge item by item on the key
// (`patchMergeKey` in k8s:staging/src/k8s.io/api/core/v1/types.go); every other list is replaced whole.
// A rule is matched against the end of the list's path.
const MERGE_KEYS: readonly [path: string, key: string][] = [
  ['containers.ports', 'containerPort'],
  ['initContainers.ports', 'containerPort'],
  ['containers.env', 'name'],
  ['initContainers.env', 'name'],
  ['containers.volumeMounts', 'mountPath'],
  ['initContainers.volumeMounts', 'mountPath'],
  ['containers.volumeDevices', 'devicePath'],
  ['initContainers.volumeDevices', 'devicePath'],
  ['containers', 'name'],
  ['initContainers', 'name'],
  ['ephemeralContainers', 'name'],
  ['spec.volumes', 'name'],
  ['spec.imagePullSecrets', 'name'],
  ['spec.hostAliases', 'ip'],
  ['spec.topologySpreadConstraints', 'topologyKey'],
  ['spec.resourceClaims', 'name'],
  ['spec.schedulingGates', 'name'],
  ['metadata.ownerReferences', 'uid'],
  ['status.conditions', 'type'],
  ['status.addresses', 'type'],
];

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

function mergeKeyFor(path: readonly string[]): string | undefined {
  const dotted = path.join('.');
  return MERGE_KEYS.find(([suffix]) => dotted === suffix || dotted.endsWith(`.${suffix}`))?.[1];
}

/**
 * k8s:staging/src/k8s.io/apimachinery/pkg/util/strategicpatch CreateThreeWayMergePatch applied to `current`:
 * what the manifest (`modified`) says wins, fields the last apply had and this one dropped go, the rest of the
 * live object stays. A null in the manifest deletes the field.
 */
function mergeObject(current: Json, modified: Json, original: Json | undefined, path: string[]): Json {
  const out: Json = structuredClone(current);
  for (const [key, value] of Object.entries(modified)) {
    if (value === null) delete out[key];
    else out[key] = mergeValue(current[key], value, original?.[key], [...path, key]);
  }
  for (const key of Object.keys(original ?? {})) if (!(key in modified)) delete out[key];
  return out;
}

function mergeValue(current: unknown, modified: unknown, original: unknown, path: string[]): unknown {
  if (isRecord(current) && isRecord(modified)) {
    return mergeObject(current, modified, isRecord(original) ? original : undefined, path);
  }
  const key = mergeKeyFor(path);
  if (key && Array.isArray(current) && Array.isArray(modified) && modified.every(isRecord)) {
    return mergeList(current, modified, Array.isArray(original) ? original : [], key, path);
  }
  return structuredClone(modified);
}

// Live items keep their place; items the manifest adds follow; items only the last apply had are dropped.
function mergeList(current: unknown[], modified: Json[], original: unknown[], key: string, path: string[]) {
  const id = (item: unknown) => JSON.stringify(isRecord(item) ? item[key] : undefined);
  const wanted = new Map(modified.map((item) => [id(item), item]));
  const before = new Map(original.filter(isRecord).map((item) => [id(item), item]));
  const out: unknown[] = [];
  const placed = new Set<string>();
  for (const item of current) {
    const k = id(item);
    const next = wanted.get(k);
    if (next) {
      out.push(mergeValue(item, next, before.get(k), path));
      placed.add(k);
    } else if (!before.has(k)) {
      out.push(item);
    }
  }
  for (const item of modified) if (!placed.has(id(item))) out.push(structuredClone(item));
  return out;
}

/** Deep equality of JSON values, blind to key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
  return keys.every((k) => sameJson(a[k], b[k]));
}

/** Where a kind keeps ResourceLists (`cpu: 500m` maps); `*` stands for every index of a list. */
export type ResourceListPath = readonly string[];

/**
 * The life of a kind's ResourceLists in the API server: decoding (a bad quantity fails the whole request, as
 * Quantity.UnmarshalJSON does), SetDefaults_ResourceList (k8s:pkg/apis/core/v1/defaults.go: rounded up to the
 * milli) and the stored form, which is the canonical text Quantity.MarshalJSON writes (`0.5` is stored as
 * `500m`, `1024Mi` as `1Gi`).
 */
export function registerResourceLists(
  api: ApiServer,
  kind: string,
  paths: readonly ResourceListPath[],
): void {
  api.addDecodeCheck(kind, (obj) => firstUndecodableQuantity(obj, paths));
  api.addDefaulter(kind, (obj) => {
    for (const { list } of resourceLists(obj, paths)) {
      for (const [name, value] of Object.entries(list)) {
        const q = Quantity.parse(value as string | number);
        if (SUB_MILLI.test(q.toString()))
          list[name] = Quantity.fromMilli(q.milliValue(), q.format).toString();
      }
    }
  });
  api.addCanonicalizer(kind, (obj) => canonicalizeResourceLists(obj, paths));
}

/** Replaces every quantity of the kind's ResourceLists by its canonical text. */
export function canonicalizeResourceLists(obj: KubeObject, paths: readonly ResourceListPath[]): void {
  for (const { list } of resourceLists(obj, paths)) {
    for (const [name, value] of Object.entries(list))
      list[name] = Quantity.parse(value as string | number).toString();
  }
}

/** Canonical texts finer than a milli: `100u`, `5n`, `1e-6`. */
const SUB_MILLI = /(?:[0-9][un]|e-[0-9]+)$/;

interface ResourceListAt {
  path: (string | number)[];
  list: Record<string, unknown>;
}

function resourceLists(obj: KubeObject, paths: readonly ResourceListPath[]): ResourceListAt[] {
  const found: ResourceListAt[] = [];
  const walk = (value: unknown, pattern: ResourceListPath, path: (string | number)[]) => {
    if (pattern.length === 0) {
      if (isRecord(value)) found.push({ path, list: value });
      return;
    }
    const [head, ...rest] = pattern;
    if (head === '*') {
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          walk(item, rest, [...path, i]);
        });
      }
    } else if (isRecord(value)) {
      walk(value[head], rest, [...path, head]);
    }
  };
  for (const pattern of paths) walk(obj, pattern, []);
  return found;
}

// The request body kubectl sends has its keys sorted (Go maps), and decoding stops at the first bad value.
function firstUndecodableQuantity(
  obj: KubeObject,
  paths: readonly ResourceListPath[],
): FieldError | undefined {
  const entries = resourceLists(obj, paths).flatMap(({ path, list }) =>
    Object.keys(list).map((name) => ({ path: [...path, name], value: list[name] })),
  );
  entries.sort((a, b) => comparePaths(a.path, b.path));
  for (const { path, value } of entries) {
    const q = parseQuantity(value, formatFieldPath(path));
    if (!(q instanceof Quantity)) return q;
  }
  return undefined;
}

function comparePaths(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') return (a[i] as number) - (b[i] as number);
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return a.length - b.length;
}

/** field.Path rendering: `spec.containers[0].resources.requests[cpu]` (the last segment is a map key). */
function formatFieldPath(path: readonly (string | number)[]): string {
  return path
    .map((seg, i) => {
      if (typeof seg === 'number') return `[${seg}]`;
      if (i === path.length - 1) return `[${seg}]`;
      return i === 0 ? seg : `.${seg}`;
    })
    .join('');
}
