// Manifest files: multi-document YAML of Kubernetes objects (a `kind: List` expands to its items).
// Each problem is reported with file, line, document and field, in the API server's or kubectl's words.
import { kindInfo } from './kinds';
import type { KubeObject } from './object';
import type { ApiError } from './store';
import { parseYamlDocuments, type YamlDocument, YamlSyntaxError } from './yaml-source';

export interface Manifest {
  object: KubeObject;
  file: string;
  /** 1-based document number within the file, as shown in errors. */
  document: number;
  line: number;
  /** Line of a field, by its path within this object. */
  lineOf(path: readonly (string | number)[]): number;
}

export interface ManifestProblem {
  file: string;
  line: number;
  document?: number;
  /** `Pod default/web`, when the object could be identified. */
  object?: string;
  message: string;
}

export class ManifestError extends Error {
  constructor(readonly problems: ManifestProblem[]) {
    super(problems.map(formatManifestProblem).join('\n'));
  }
}

export function formatManifestProblem(p: ManifestProblem): string {
  const where = p.document !== undefined ? ` document ${p.document}${p.object ? ` (${p.object})` : ''}:` : '';
  return `${p.file}:${p.line}:${where} ${p.message}`;
}

/** Parses and checks the shape of every document; throws ManifestError listing all problems. */
export function parseManifests(text: string, file: string): Manifest[] {
  let documents: YamlDocument[];
  try {
    documents = parseYamlDocuments(text, file);
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      throw new ManifestError([
        { file, line: error.line, message: `error converting YAML to JSON: ${error.reason}` },
      ]);
    }
    throw error;
  }
  const manifests: Manifest[] = [];
  const problems: ManifestProblem[] = [];
  let number = 0;
  for (const doc of documents) {
    if (doc.value === null || doc.value === undefined) continue;
    number += 1;
    const at = (path: (string | number)[], message: string) =>
      problems.push({ file, line: doc.lineOf(path), document: number, message });
    if (typeof doc.value !== 'object' || Array.isArray(doc.value)) {
      at(
        [],
        'error unmarshaling JSON: a manifest document must be a YAML mapping with apiVersion, kind and metadata',
      );
      continue;
    }
    const value = doc.value as Record<string, unknown>;
    if (value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        const lineOf = (path: readonly (string | number)[]) => doc.lineOf(['items', i, ...path]);
        checkShape(item, file, number, lineOf, problems, manifests);
      });
      continue;
    }
    checkShape(value, file, number, doc.lineOf, problems, manifests);
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return manifests;
}

function checkShape(
  value: unknown,
  file: string,
  document: number,
  lineOf: (path: readonly (string | number)[]) => number,
  problems: ManifestProblem[],
  out: Manifest[],
): void {
  const at = (path: (string | number)[], message: string) =>
    problems.push({ file, line: lineOf(path), document, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    at([], 'error unmarshaling JSON: an object must be a YAML mapping');
    return;
  }
  const obj = value as Record<string, unknown>;
  // kubectl's decoder errors (k8s:staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json/meta.go).
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    at(['apiVersion'], 'error validating data: apiVersion not set');
    return;
  }
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    at(['kind'], 'error validating data: kind not set');
    return;
  }
  const info = kindInfo(obj.kind);
  if (!info || info.apiVersion !== obj.apiVersion) {
    at(['kind'], `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
    return;
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null)) {
    at(['metadata'], 'error unmarshaling JSON: metadata must be a mapping');
    return;
  }
  obj.metadata ??= {};
  out.push({ object: obj as unknown as KubeObject, file, document, line: lineOf([]), lineOf });
}

/** Describes an API refusal of one manifest, pointing at the first offending field's line. */
export function problemFromApiError(manifest: Manifest, error: ApiError): ManifestProblem {
  const obj = manifest.object;
  const info = kindInfo(obj.kind);
  const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
  const ref = info?.namespaced
    ? `${obj.kind} ${obj.metadata.namespace ?? 'default'}/${name}`
    : `${obj.kind} ${name}`;
  const first = error.causes[0];
  const line = first ? manifest.lineOf(fieldSegments(first.field)) : manifest.line;
  // kubectl prefixes Invalid errors with "The " (k8s:staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go).
  const message = error.reason === 'Invalid' ? `The ${error.message}` : error.message;
  return { file: manifest.file, line, document: manifest.document, object: ref, message };
}

/** `spec.containers[0].resources.requests[cpu]` → ['spec', 'containers', 0, 'resources', 'requests', 'cpu'] */
export function fieldSegments(field: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) segments.push(m[1]);
    else segments.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return segments;
}
