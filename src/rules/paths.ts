// The subset of JSONPath the rule schema allows ($.a.b, $.list[0]), resolved as json-rules-engine
// resolves it (jsonpath-plus with wrap: false): a missing step gives undefined; a path on a value
// that is not an object gives the value itself (almanac.factValue skips the path then).

export type CompiledPath = (value: unknown) => unknown;

export function compilePath(path: string | undefined): CompiledPath | undefined {
  if (!path) return undefined;
  const segments: (string | number)[] = [];
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) {
    segments.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return (value) => {
    if (value === null || typeof value !== 'object') return value;
    let current: unknown = value;
    for (const s of segments) {
      // jsonpath-plus (_trace: `val && Object.hasOwn(val, loc)`) walks any own property, including array and
      // string indexes and `length`, but stops at every falsy value: `$.s.length` of "" is undefined, not 0.
      if (!current || !Object.hasOwn(Object(current), s)) return undefined;
      current = (current as Record<string | number, unknown>)[s];
    }
    return current;
  };
}
