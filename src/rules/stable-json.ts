/** JSON with object keys sorted, so equal values give equal strings (cache keys, fact params). */
export function stableStringify(value: unknown): string {
  // The native serialiser with a replacer that reorders only unsorted objects is about twice as fast as
  // building the string by hand, and most objects (parsed manifests, rule JSON) are sorted already.
  return JSON.stringify(value, sortKeys) ?? 'undefined';
}

/**
 * A JSON.stringify replacer that writes object keys in sorted order, as Go writes a map's: bytewise, which for
 * the ASCII keys of Kubernetes objects is the code-unit order of JavaScript's sort.
 */
export function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] <= keys[i];
  if (sorted) return value;
  const copy: Record<string, unknown> = {};
  for (const key of keys.sort()) copy[key] = (value as Record<string, unknown>)[key];
  return copy;
}
