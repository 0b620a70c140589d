// `kubespec simulate`: apply the manifest files, let the cluster run, print every object as
// `kubectl get -o yaml|json` prints a list.
import { DEFAULT_SCALAR_STYLE_RULES, dump, SCALAR_STYLE, type ScalarStyleRule, visit } from 'js-yaml';
import type { KubeObject } from '../api/object';
import { Cluster } from '../cluster';
import { sortKeys } from '../rules/stable-json';
import type { ManifestFile } from './manifest-files';
import { clusterOptions, type SimulationOptions } from './options';

export type OutputFormat = 'yaml' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['yaml', 'json'];

/** Applies each file all or nothing, in order, then reconciles and lets `options.for` pass. */
export async function simulate(
  files: readonly ManifestFile[],
  options: SimulationOptions,
  trace: boolean,
): Promise<Cluster> {
  const cluster = await Cluster.create(clusterOptions(options, trace));
  for (const { file, text } of files) {
    try {
      await cluster.applyManifests(text, file);
    } finally {
      // kubectl prints the API server's warnings on stderr as they come, refused file or not.
      for (const warning of cluster.lastWarnings) process.stderr.write(`Warning: ${warning}\n`);
    }
  }
  await cluster.reconcile();
  if (options.for > 0) await cluster.advance(options.for);
  await cluster.reconcile();
  return cluster;
}

/**
 * The objects as one `List`, built in a single serialisation (a large cluster has tens of thousands of
 * objects), as `kubectl get -o json|yaml` prints several objects. kubectl gets them as unstructured maps,
 * so keys come out sorted (k8s:staging/src/k8s.io/kubectl/pkg/cmd/get/get.go); JSON is indented by four
 * spaces (k8s:staging/src/k8s.io/cli-runtime/pkg/printers/json.go); YAML goes through sigs.k8s.io/yaml
 * (printers/yaml.go), whose go-yaml emitter does not indent list items and quotes as below.
 */
export function renderList(items: readonly KubeObject[], format: OutputFormat): string {
  const list = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
  if (format === 'json') return `${JSON.stringify(list, sortKeys, 4)}\n`;
  return dump(list, {
    noRefs: true,
    lineWidth: -1,
    seqNoIndent: true,
    quoteStyle: 'single',
    scalarStyleRules: GO_YAML_SCALAR_STYLES,
    transform: (documents) =>
      visit(documents, (node) => {
        if (node.kind !== 'mapping') return;
        node.items.sort((a, b) =>
          compareKeys(a.key.kind === 'scalar' ? a.key.value : '', b.key.kind === 'scalar' ? b.key.value : ''),
        );
      }),
  });
}

// go-yaml v2's encoder (yaml.v2 encode.go stringv) double-quotes a string that would read back as another
// type ("true", "7", a timestamp, ""); its emitter single-quotes one that is not valid plain YAML ('a: b').
const doubleQuoteOtherTypes: ScalarStyleRule = (layout) => {
  if (layout.style !== SCALAR_STYLE.PLAIN || layout.node.tagged) return;
  if ((layout.allowedStylesMask & (1 << SCALAR_STYLE.PLAIN)) !== 0) return;
  const schema = layout.presenterOptions.schema;
  if (schema.resolveImplicitScalarTag(layout.node.value).tag.tagName !== schema.defaultScalarTag.tagName)
    layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
};

const GO_YAML_SCALAR_STYLES: readonly ScalarStyleRule[] = Object.entries(DEFAULT_SCALAR_STYLE_RULES).flatMap(
  ([name, rule]) => (name === 'quoteInvalidPlain' ? [doubleQuoteOtherTypes, rule] : [rule]),
);

// Go sorts map keys bytewise; for the ASCII keys of Kubernetes objects that is code-unit order.
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
