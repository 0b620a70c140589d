import type { ObjectMeta } from 'kubernetes-types/meta/v1';

/** kubernetes-types marks server-owned fields read-only; the simulated API server owns them. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type Meta = Mutable<ObjectMeta>;

/** Any Kubernetes object as the store holds it: plain JSON, as `kubectl get -o json` shows it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  [field: string]: unknown;
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
}

/** How objects are named in steps and messages: `pod/web`, `node/n1`. */
export function displayRef(kind: string, name: string): string {
  return `${kind.toLowerCase()}/${name}`;
}

/** A kubernetes-types object as the store holds it: metadata present and server-owned fields writable. */
export type Stored<T> = Mutable<Omit<T, 'metadata'>> & { metadata: Meta } & KubeObject;
