// How scenarios name objects: `web` (namespace default) or `prod/web`; kinds as kubectl takes them.
import { type KindInfo, kindFromResourceName } from '../api/kinds';

export interface ObjectRef {
  kind: KindInfo;
  namespace: string | undefined;
  name: string;
}

export function parseRef(kindWord: string, text: string): ObjectRef {
  const kind = kindFromResourceName(kindWord);
  if (!kind) throw new Error(`unknown kind "${kindWord}"`);
  const slash = text.indexOf('/');
  if (!kind.namespaced) return { kind, namespace: undefined, name: text };
  return slash < 0
    ? { kind, namespace: 'default', name: text }
    : { kind, namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** `pod/web` for namespace default, `pod/prod/web` elsewhere, `node/n1`: as the events table names objects. */
export function displayObject(kind: string, namespace: string | undefined, name: string): string {
  const k = kind.toLowerCase();
  return namespace && namespace !== 'default' ? `${k}/${namespace}/${name}` : `${k}/${name}`;
}
