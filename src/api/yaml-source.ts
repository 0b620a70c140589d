// Multi-document YAML with source positions. js-yaml's event stream carries offsets, so one parse gives
// both the values and, for every JSON path, the line it came from: error messages can then name the
// file and line of the offending field.
import {
  boolYaml11Tag,
  CORE_SCHEMA,
  constructFromEvents,
  EVENT_ID,
  type Event,
  getScalarValue,
  intYaml11Tag,
  mergeTag,
  parseEvents,
  YAMLException,
} from 'js-yaml';

export interface YamlDocument {
  /** The document's value (null for an empty document). */
  value: unknown;
  /** 1-based position of the document's first node. */
  line: number;
  /** 0-based document index within the file. */
  index: number;
  /** Line of a field by JSON path segments; falls back to the nearest ancestor. */
  lineOf(path: readonly (string | number)[]): number;
}

export class YamlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: invalid YAML: ${reason}`);
  }
}

interface Frame {
  kind: 'map' | 'seq';
  path: string;
  /** Next sequence index, or for a map whether the next scalar is a key. */
  index: number;
  expectKey: boolean;
  key: string;
}

// kubectl reads manifests with sigs.k8s.io/yaml, i.e. go-yaml v2: YAML 1.1 booleans (yes, on, y, ...),
// YAML 1.1 integers (0777 is octal, 1_000 is 1000) and `<<` merge keys, while timestamps stay strings.
const KUBERNETES_YAML = CORE_SCHEMA.withTags(boolYaml11Tag, intYaml11Tag, mergeTag);

export interface YamlOptions {
  /** Read as kubectl reads manifests (go-yaml v2) rather than as plain YAML 1.2. */
  kubernetes?: boolean;
}

export function parseYamlDocuments(source: string, file: string, options: YamlOptions = {}): YamlDocument[] {
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(source, { filename: file });
    values = constructFromEvents(events, {
      source,
      filename: file,
      ...(options.kubernetes ? { schema: KUBERNETES_YAML } : {}),
    });
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = (error as YAMLException & { mark?: { line: number } }).mark;
      throw new YamlSyntaxError(file, (mark?.line ?? 0) + 1, error.reason);
    }
    throw error;
  }
  const lineStarts = lineStartOffsets(source);
  const lineAt = (offset: number) => lineOfOffset(lineStarts, offset);
  const documents: YamlDocument[] = [];
  let lines = new Map<string, number>();
  let stack: Frame[] = [];
  let docLine = 1;

  // A node's path is its parent's path plus the pending key or index; it is recorded when the node starts.
  const place = (start: number): string | undefined => {
    const top = stack[stack.length - 1];
    let path: string;
    if (!top) path = '';
    else if (top.kind === 'seq') path = `${top.path}/${top.index++}`;
    else path = `${top.path}/${escapeSegment(top.key)}`;
    if (start >= 0 && !lines.has(path)) lines.set(path, lineAt(start));
    if (!top && start >= 0 && documents.length < values.length) docLine = lineAt(start);
    return path;
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        lines = new Map();
        stack = [];
        docLine = 1;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const top = stack[stack.length - 1];
        if (top?.kind === 'map' && top.expectKey) {
          // Complex keys are not used by Kubernetes manifests; treat the whole key as opaque.
          stack.push({
            kind: event.type === EVENT_ID.MAPPING ? 'map' : 'seq',
            path: '\0',
            index: 0,
            expectKey: true,
            key: '',
          });
          break;
        }
        const path = place(event.start) ?? '';
        if (top?.kind === 'map') top.expectKey = true;
        stack.push({
          kind: event.type === EVENT_ID.MAPPING ? 'map' : 'seq',
          path,
          index: 0,
          expectKey: true,
          key: '',
        });
        break;
      }
      case EVENT_ID.SCALAR: {
        const top = stack[stack.length - 1];
        if (top?.kind === 'map' && top.expectKey) {
          top.key = getScalarValue(source, event);
          top.expectKey = false;
          lines.set(`${top.path}/${escapeSegment(top.key)}`, lineAt(event.valueStart));
          break;
        }
        place(event.valueStart);
        if (top?.kind === 'map') top.expectKey = true;
        break;
      }
      case EVENT_ID.ALIAS: {
        const top = stack[stack.length - 1];
        if (top?.kind === 'map' && top.expectKey) top.expectKey = false;
        else {
          place(event.anchorStart);
          if (top?.kind === 'map') top.expectKey = true;
        }
        break;
      }
      case EVENT_ID.POP: {
        if (stack.length > 0) {
          stack.pop();
          break;
        }
        // The document itself closed.
        const index = documents.length;
        const docLines = lines;
        const line = docLines.get('') ?? docLine;
        documents.push({
          value: values[index] ?? null,
          line,
          index,
          lineOf: (path) => lookupLine(docLines, path, line),
        });
        break;
      }
    }
  }
  return documents;
}

function lookupLine(
  lines: Map<string, number>,
  path: readonly (string | number)[],
  fallback: number,
): number {
  for (let n = path.length; n >= 0; n--) {
    const key = path
      .slice(0, n)
      .map((s) => `/${escapeSegment(String(s))}`)
      .join('');
    const line = lines.get(key);
    if (line !== undefined) return line;
  }
  return fallback;
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function lineStartOffsets(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOfOffset(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
