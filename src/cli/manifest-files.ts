// Manifest arguments as `kubectl apply -f` takes them: a file, a directory (its .json, .yaml and .yml
// files in name order, not recursing) or `-` for standard input. Every file is read once, up front, so
// that a wrong path is reported before any simulation starts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors';

export interface ManifestFile {
  /** As errors name it: the path as given, or STDIN. */
  file: string;
  text: string;
}

// k8s:staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go FileExtensions
const MANIFEST_EXTENSIONS = /\.(json|ya?ml)$/;

export function readManifestFiles(paths: readonly string[], readStdin: () => string): ManifestFile[] {
  const missing = paths.filter((p) => p !== '-' && !exists(p));
  // k8s:staging/src/k8s.io/cli-runtime/pkg/resource/builder.go FilenameParam: `the path %q does not exist`
  if (missing.length > 0) throw new CliError(missing.map((p) => `error: the path "${p}" does not exist`));
  const files: ManifestFile[] = [];
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) throw new CliError(['error: "-" (standard input) may be given only once']);
      stdinRead = true;
      files.push({ file: 'STDIN', text: readStdin() });
    } else if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        const file = join(path, entry);
        if (MANIFEST_EXTENSIONS.test(entry) && statSync(file).isFile())
          files.push({ file, text: readFileSync(file, 'utf8') });
      }
    } else {
      files.push({ file: path, text: readFileSync(path, 'utf8') });
    }
  }
  return files;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
