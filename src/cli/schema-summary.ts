// One-line summaries of the JSON Schemas of fact and event params, for `kubespec rules describe`:
// `{effects: (NoSchedule|PreferNoSchedule|NoExecute)[]}`, optional keys marked with `?`.

type SchemaNode = Record<string, unknown>;

export function summariseSchema(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'any';
  const s = schema as SchemaNode;
  if (Array.isArray(s.enum))
    return s.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('|');
  if ('const' in s) return JSON.stringify(s.const);
  switch (s.type) {
    case 'object':
      return objectSummary(s);
    case 'array': {
      const item = summariseSchema(s.items);
      return `${item.includes('|') ? `(${item})` : item}[]`;
    }
    case 'integer':
    case 'number':
      return `${s.type}${range(s.minimum, s.maximum)}`;
    case 'string':
    case 'boolean':
    case 'null':
      return s.type;
    default:
      return 'any';
  }
}

function objectSummary(s: SchemaNode): string {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set((s.required ?? []) as string[]);
  const names = Object.keys(properties);
  if (names.length === 0) return 'object';
  // Required keys first, as a rule author has to write them.
  const ordered = [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))];
  return `{${ordered.map((n) => `${n}${required.has(n) ? '' : '?'}: ${summariseSchema(properties[n])}`).join(', ')}}`;
}

function range(minimum: unknown, maximum: unknown): string {
  const min = typeof minimum === 'number' ? minimum : undefined;
  const max = typeof maximum === 'number' ? maximum : undefined;
  if (min !== undefined && max !== undefined) return ` ${min}..${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}
