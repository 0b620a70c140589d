// ResourceList arithmetic as the quota system does it (k8s:staging/src/k8s.io/apiserver/pkg/quota/v1/resources.go):
// exact quantities keyed by resource name, so that messages print them as Quantity.String() does.
import { Quantity } from './quantity';

export type QuotaList = Map<string, Quantity>;

/** Reads a stored ResourceList (`{cpu: "500m"}`). */
export function quotaList(list: Readonly<Record<string, unknown>> | undefined): QuotaList {
  const out: QuotaList = new Map();
  for (const [name, value] of Object.entries(list ?? {}))
    out.set(name, Quantity.parse(value as string | number));
  return out;
}

/** The stored form: canonical texts, keys sorted as Go's JSON encoding of a map sorts them. */
export function toStored(list: QuotaList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...list.keys()].sort()) out[name] = (list.get(name) as Quantity).toString();
  return out;
}

/** Add: every key of either list, summed where both have it. */
export function addLists(a: QuotaList, b: QuotaList): QuotaList {
  const out: QuotaList = new Map(a);
  for (const [name, q] of b) out.set(name, out.has(name) ? (out.get(name) as Quantity).add(q) : q);
  return out;
}

/** Subtract: every key of either list; a key only in b becomes its negation. */
export function subtractLists(a: QuotaList, b: QuotaList): QuotaList {
  const out: QuotaList = new Map(a);
  for (const [name, q] of b) out.set(name, (out.get(name) ?? Quantity.fromValue(0)).sub(q));
  return out;
}

/** Mask: only the named keys. */
export function mask(list: QuotaList, names: Iterable<string>): QuotaList {
  const out: QuotaList = new Map();
  for (const name of names) {
    const q = list.get(name);
    if (q) out.set(name, q);
  }
  return out;
}

/** LessThanOrEqual: whether every key of a that b also has is within b, and the keys that are not. */
export function lessThanOrEqual(a: QuotaList, b: QuotaList): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [name, q] of a) {
    const limit = b.get(name);
    if (limit && q.cmp(limit) > 0) exceeded.push(name);
  }
  return { allowed: exceeded.length === 0, exceeded };
}

/** RemoveZeros. */
export function removeZeros(list: QuotaList): QuotaList {
  return new Map([...list].filter(([, q]) => !q.isZero()));
}

/** prettyPrint (k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go): `a=1,b=2m`, sorted. */
export function prettyPrint(list: QuotaList): string {
  return [...list.keys()]
    .sort()
    .map((name) => `${name}=${(list.get(name) as Quantity).toString()}`)
    .join(',');
}
