// Manifest files: multi-document YAML of Kubernetes objects (a `kind: List` expands to its items).
// Each problem is reported with file, line, document and field, in the API server's or kubectl's words.
import { stableStringify } from '../rules/stable-json';
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
  /**
   * A refusal with several field errors: each with the line of its field. kubectl prints them one per line
   * under "The Pod "web" is invalid:"; a ManifestError reports each as a problem of its own.
   */
  causes?: readonly { line: number; message: string }[];
}

export class ManifestError extends Error {
  readonly problems: readonly ManifestProblem[];

  constructor(problems: readonly ManifestProblem[]) {
    const flat = problems.flatMap(({ causes, ...p }) =>
      causes ? causes.map((c) => ({ ...p, line: c.line, message: c.message })) : [p],
    );
    super(flat.map(formatManifestProblem).join('\n'));
    this.problems = flat;
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
    documents = parseYamlDocuments(text, file, { kubernetes: true });
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
    const value = doc.value as Record<string, unknown>;
    // kubectl's resource builder flattens a List into its items (an absent list is an empty one).
    if (isMapping(value) && value.kind === 'List' && (value.items == null || Array.isArray(value.items))) {
      ((value.items ?? []) as unknown[]).forEach((item, i) => {
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

const isMapping = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

// kubectl checks apiVersion and kind before it decodes anything
// (k8s:staging/src/k8s.io/kubectl/pkg/util/openapi/validation/validation.go GetObjectKind, wrapped by
// k8s:staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go ValidateSchema). kubectl then suggests
// --validate=false, which kubespec does not have, so that hint is left out.
function objectKindErrors(obj: unknown): string[] {
  if (!isMapping(obj)) return ['invalid object to validate'];
  const errs: string[] = [];
  if (obj.apiVersion == null) errs.push('apiVersion not set');
  else if (typeof obj.apiVersion !== 'string') errs.push("apiVersion isn't string type");
  else if ((obj.apiVersion.match(/\//g) ?? []).length > 1) {
    // schema.ParseGroupVersion
    errs.push(`unexpected GroupVersion string: ${obj.apiVersion}`);
  }
  if (obj.kind == null) errs.push('kind not set');
  else if (typeof obj.kind !== 'string') errs.push("kind isn't string type");
  return errs;
}

function checkShape(
  value: unknown,
  file: string,
  document: number,
  lineOf: (path: readonly (string | number)[]) => number,
  problems: ManifestProblem[],
  out: Manifest[],
): void {
  const at = (path: (string | number)[], message: string, object?: string) =>
    problems.push({ file, line: lineOf(path), document, object, message });
  const kindErrors = objectKindErrors(value);
  if (kindErrors.length > 0) {
    const message = kindErrors.length === 1 ? kindErrors[0] : `[${kindErrors.join(', ')}]`;
    at([], `error validating data: ${message}`);
    return;
  }
  const obj = value as Record<string, unknown> & { apiVersion: string; kind: string };
  if (obj.kind === '') {
    // runtime.NewMissingKindErr from the unstructured decoder.
    at(['kind'], `Object 'Kind' is missing in '${goJson(obj)}'`);
    return;
  }
  const info = kindInfo(obj.kind);
  if (!info || info.apiVersion !== obj.apiVersion) {
    at(['kind'], `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
    return;
  }
  if (obj.metadata !== undefined && obj.metadata !== null && !isMapping(obj.metadata)) {
    // The unstructured object then has no name, and kubectl's GET by name fails in client-go.
    at(['metadata'], 'resource name may not be empty', obj.kind);
    return;
  }
  obj.metadata ??= {};
  out.push({ object: obj as unknown as KubeObject, file, document, line: lineOf([]), lineOf });
}

/** Describes an API refusal of one manifest, pointing at the offending field's line. */
export function problemFromApiError(manifest: Manifest, error: ApiError): ManifestProblem {
  const obj = manifest.object;
  const info = kindInfo(obj.kind);
  const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
  const ref = info?.namespaced
    ? `${obj.kind} ${obj.metadata.namespace || 'default'}/${name}`
    : `${obj.kind} ${name}`;
  // ValidateNode names a node's taints `metadata.taints`; in the manifest they are under spec.
  const located = (field: string) =>
    obj.kind === 'Node' ? field.replace(/^metadata\.taints\b/, 'spec.taints') : field;
  const lineOf = (field: string | undefined) =>
    field ? manifest.lineOf(fieldSegments(located(field))) : manifest.line;
  const problem = { file: manifest.file, document: manifest.document, object: ref };
  if (error.reason === 'Invalid' && error.causes.length > 0) {
    // kubectl's checkErr: `The <Kind> "<name>" is invalid: ` and the causes, duplicates dropped
    // (k8s:staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go). Details name the kind without its group.
    const prefix = `The ${obj.kind} "${name}" is invalid: `;
    const seen = new Set<string>();
    const causes = error.causes.flatMap((cause) => {
      const text = cause.toString();
      if (seen.has(text)) return [];
      seen.add(text);
      return [{ line: lineOf(cause.field), message: prefix + text }];
    });
    return { ...problem, line: causes[0].line, message: causes[0].message, causes };
  }
  return { ...problem, line: lineOf(error.field), message: error.message };
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

/**
 * JSON as Go's encoding/json writes a decoded manifest (kubectl's unstructured objects): keys sorted, no
 * spaces, and <, >, &, U+2028 and U+2029 escaped.
 */
export function goJson(value: unknown): string {
  return stableStringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
