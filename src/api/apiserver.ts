// The API server's request path for writes coming from users and controllers: namespace lifecycle,
// defaulting, mutating admission, validation, then storage. Status updates by controllers go to the
// store directly, as they would through the status subresource.
import { aggregate, type FieldError, required } from './field-errors';
import { kindInfo } from './kinds';
import type { KubeObject } from './object';
import { ApiError, type Store } from './store';
import { validateObjectName } from './validation';

export type Defaulter = (obj: KubeObject) => void;

export interface DeleteOptions {
  /** Overrides the pod's terminationGracePeriodSeconds (`kubectl delete --grace-period`). */
  gracePeriodSeconds?: number;
  /** `--grace-period=0 --force`: remove the object at once. */
  force?: boolean;
}
export type Validator = (obj: KubeObject, old: KubeObject | undefined) => FieldError[];
/** A mutating admission step; it may refuse the object by throwing an ApiError. */
export type AdmissionStep = (obj: KubeObject) => Promise<void> | void;

// The namespaces NamespaceLifecycle refuses to delete
// (k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go).
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export class ApiServer {
  private readonly defaulters = new Map<string, Defaulter[]>();
  private readonly validators = new Map<string, Validator[]>();
  private readonly admission = new Map<string, AdmissionStep[]>();

  constructor(readonly store: Store) {}

  addDefaulter(kind: string, fn: Defaulter): void {
    this.defaulters.set(kind, [...(this.defaulters.get(kind) ?? []), fn]);
  }

  addValidator(kind: string, fn: Validator): void {
    this.validators.set(kind, [...(this.validators.get(kind) ?? []), fn]);
  }

  addAdmission(kind: string, fn: AdmissionStep): void {
    this.admission.set(kind, [...(this.admission.get(kind) ?? []), fn]);
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    const info = kindInfo(obj.kind);
    if (!info)
      throw new ApiError('BadRequest', `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
    obj.metadata ??= {};
    if (info.namespaced) {
      obj.metadata.namespace ??= 'default';
      this.checkNamespaceAcceptsCreates(info.resource, obj);
    } else {
      delete obj.metadata.namespace;
    }
    for (const d of this.defaulters.get(obj.kind) ?? []) d(obj);
    const nameErrors = this.validateName(obj);
    if (nameErrors.length > 0) throw invalid(obj, nameErrors);
    for (const step of this.admission.get(obj.kind) ?? []) await step(obj);
    const errors = (this.validators.get(obj.kind) ?? []).flatMap((v) => v(obj, undefined));
    if (errors.length > 0) throw invalid(obj, errors);
    return this.store.create(obj);
  }

  /** `kubectl apply`: creates the object, or replaces what the manifest says of an existing one. */
  async apply(obj: KubeObject): Promise<KubeObject> {
    const info = kindInfo(obj.kind);
    const namespace = info?.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
    const existing = obj.metadata?.name ? this.store.get(obj.kind, namespace, obj.metadata.name) : undefined;
    if (!existing) return this.create(obj);
    const next = structuredClone(existing);
    for (const [field, value] of Object.entries(obj)) {
      if (field === 'metadata' || field === 'status') continue;
      next[field] = value;
    }
    next.metadata.labels = obj.metadata.labels;
    next.metadata.annotations = obj.metadata.annotations;
    for (const d of this.defaulters.get(obj.kind) ?? []) d(next);
    const errors = (this.validators.get(obj.kind) ?? []).flatMap((v) => v(next, existing));
    if (errors.length > 0) throw invalid(next, errors);
    return this.store.update(next);
  }

  /**
   * DELETE. Pods on a node are deleted gracefully: they get a deletionTimestamp and their kubelet removes
   * them; a pod never scheduled, or already finished, goes at once (pod strategy CheckGracefulDelete).
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
    if (!obj) throw new ApiError('NotFound', `${info?.resource ?? kind} "${name}" not found`);
    if (kind === 'Namespace' && IMMORTAL_NAMESPACES.has(name)) {
      throw new ApiError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    if (kind !== 'Pod') {
      this.store.remove(kind, ns, name);
      return;
    }
    const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    let grace = options.force ? 0 : (options.gracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? 30);
    if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    if (grace === 0) {
      this.store.remove(kind, ns, name);
      return;
    }
    const clock = this.store.clock;
    const current = obj.metadata.deletionGracePeriodSeconds;
    if (current !== undefined && current <= grace) return; // already terminating at least as soon
    this.store.mutate(kind, ns, name, (draft) => {
      draft.metadata.deletionTimestamp = clock.timestamp(clock.now() + grace * 1000);
      draft.metadata.deletionGracePeriodSeconds = grace;
    });
  }

  private validateName(obj: KubeObject): FieldError[] {
    const { name, generateName } = obj.metadata;
    if (!name && !generateName) {
      return [required('metadata.name', 'name or generateName is required')];
    }
    return name ? validateObjectName(name, obj.kind) : [];
  }

  private checkNamespaceAcceptsCreates(resource: string, obj: KubeObject): void {
    const namespace = obj.metadata.namespace as string;
    const ns = this.store.get('Namespace', undefined, namespace);
    if (!ns) throw new ApiError('NotFound', `namespaces "${namespace}" not found`);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        'Forbidden',
        `${resource} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }
}

/** StatusError for a refused object: `Pod "web" is invalid: <field errors>`. */
export function invalid(obj: KubeObject, errors: readonly FieldError[]): ApiError {
  const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
  return new ApiError('Invalid', `${obj.kind} "${name}" is invalid: ${aggregate(errors)}`, errors);
}
