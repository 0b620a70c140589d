// A field of an object as kubectl's custom columns print it, for steps that compare fields of objects they find
// by relation (the pod of a DaemonSet on a node) rather than by name.
import { fieldSegments } from '../api/manifests';

/** `<none>` when absent, JSON for lists and maps, the text of anything else. */
export function fieldText(obj: unknown, path: string): string {
  let value: unknown = obj;
  for (const segment of fieldSegments(path)) {
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  if (value === undefined || value === null) return '<none>';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
