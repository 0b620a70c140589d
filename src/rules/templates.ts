// Event params may be templates: "node(s) had untolerated taint {{ taint }}" takes the value of the
// event's own param `taint` (typically a fact reference). A placeholder bound to a list expands the
// template into one string per item, which is how one rule reports several reasons.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Expands a template against the resolved params: a string, or a list when a placeholder is a list. */
export function expandTemplate(template: string, params: Readonly<Record<string, unknown>>): string[] {
  const names = templatePlaceholders(template);
  const listName = names.find((n) => Array.isArray(params[n]));
  const render = (item?: unknown) =>
    template.replace(PLACEHOLDER, (_, name: string) => display(name === listName ? item : params[name]));
  if (listName === undefined) return [render()];
  return (params[listName] as unknown[]).map((item) => render(item));
}

export function hasTemplate(value: unknown): value is string {
  return typeof value === 'string' && templatePlaceholders(value).length > 0;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
