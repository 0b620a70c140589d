import { expect } from 'chai';
import { invalid, required } from '../../src/api/field-errors';
import {
  fieldSegments,
  formatManifestProblem,
  goJson,
  type Manifest,
  ManifestError,
  parseManifests,
  problemFromApiError,
} from '../../src/api/manifests';
import { ApiError } from '../../src/api/store';

function refusal(text: string): string[] {
  try {
    parseManifests(text, 'app.yaml');
  } catch (error) {
    expect(error).to.be.instanceOf(ManifestError);
    return (error as ManifestError).problems.map(formatManifestProblem);
  }
  throw new Error('the manifests were accepted');
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx
      resources:
        requests: {cpu: 100m}
`;

describe('parseManifests', () => {
  it('reads every document, skipping empty ones, and numbers the rest from 1', () => {
    const manifests = parseManifests(
      `---\n---\n${POD}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n`,
      'app.yaml',
    );
    expect(manifests.map((m) => [m.object.kind, m.document, m.line])).to.deep.equal([
      ['Pod', 1, 3],
      ['ConfigMap', 2, 14],
    ]);
    expect(manifests[0].file).to.equal('app.yaml');
    expect(manifests[0].lineOf(['spec', 'containers', 0, 'resources', 'requests', 'cpu'])).to.equal(12);
    // A field the manifest does not have falls back to its nearest ancestor.
    expect(manifests[0].lineOf(['spec', 'containers', 0, 'ports', 0])).to.equal(9);
  });

  it('expands a List into its items, each with its own lines', () => {
    const manifests = parseManifests(
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: {name: a}',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: {name: b}',
        '',
      ].join('\n'),
      'list.yaml',
    );
    expect(manifests.map((m) => [m.object.metadata.name, m.document, m.lineOf(['metadata'])])).to.deep.equal([
      ['a', 1, 6],
      ['b', 1, 9],
    ]);
  });

  it('treats a List without items as empty', () => {
    expect(parseManifests('apiVersion: v1\nkind: List\n', 'list.yaml')).to.deep.equal([]);
  });

  it('gives an object without metadata an empty one', () => {
    const [m] = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n', 'cm.yaml');
    expect(m.object.metadata).to.deep.equal({});
  });

  // k8s:staging/src/k8s.io/kubectl/pkg/util/openapi/validation/validation.go getObjectKind and
  // k8s:staging/src/k8s.io/apimachinery/pkg/api/meta/errors.go NoKindMatchError.
  describe('what kubectl refuses before sending anything', () => {
    const cases: [string, string, string][] = [
      [
        'apiVersion missing',
        'kind: Pod\nmetadata: {name: a}\n',
        'app.yaml:1: document 1: error validating data: apiVersion not set',
      ],
      [
        'kind missing',
        'apiVersion: v1\nmetadata: {name: a}\n',
        'app.yaml:1: document 1: error validating data: kind not set',
      ],
      [
        'both missing',
        'metadata: {name: a}\n',
        'app.yaml:1: document 1: error validating data: [apiVersion not set, kind not set]',
      ],
      [
        'apiVersion not a string',
        'apiVersion: 1\nkind: Pod\n',
        "app.yaml:1: document 1: error validating data: apiVersion isn't string type",
      ],
      [
        'kind not a string',
        'apiVersion: v1\nkind: [Pod]\n',
        "app.yaml:1: document 1: error validating data: kind isn't string type",
      ],
      [
        'an apiVersion with two slashes',
        'apiVersion: a/b/v1\nkind: Pod\n',
        'app.yaml:1: document 1: error validating data: unexpected GroupVersion string: a/b/v1',
      ],
      [
        'a list document',
        '- a\n- b\n',
        'app.yaml:1: document 1: error validating data: invalid object to validate',
      ],
      [
        'a scalar document',
        'hello\n',
        'app.yaml:1: document 1: error validating data: invalid object to validate',
      ],
      [
        'an empty kind',
        'apiVersion: v1\nkind: ""\nmetadata: {name: a}\n',
        `app.yaml:2: document 1: Object 'Kind' is missing in '{"apiVersion":"v1","kind":"","metadata":{"name":"a"}}'`,
      ],
      [
        'an unknown kind',
        'apiVersion: v1\nkind: Deployment\nmetadata: {name: a}\n',
        'app.yaml:2: document 1: no matches for kind "Deployment" in version "v1"',
      ],
      [
        'a kind under another version',
        'apiVersion: scheduling.k8s.io/v1beta1\nkind: PriorityClass\n',
        'app.yaml:2: document 1: no matches for kind "PriorityClass" in version "scheduling.k8s.io/v1beta1"',
      ],
      [
        'metadata that is not a mapping',
        'apiVersion: v1\nkind: Pod\nmetadata: web\n',
        'app.yaml:3: document 1 (Pod): resource name may not be empty',
      ],
    ];
    for (const [name, text, want] of cases) {
      it(name, () => expect(refusal(text)).to.deep.equal([want]));
    }
  });

  it('reports the problems of every document, in order', () => {
    const text = 'kind: Pod\n---\napiVersion: v1\nkind: Foo\n---\napiVersion: v1\nkind: ConfigMap\n';
    expect(refusal(text)).to.deep.equal([
      'app.yaml:1: document 1: error validating data: apiVersion not set',
      'app.yaml:4: document 2: no matches for kind "Foo" in version "v1"',
    ]);
  });

  it('refuses a file that is not YAML with the line of the error', () => {
    expect(refusal('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n bad: 1\n')).to.deep.equal([
      'app.yaml:5: error converting YAML to JSON: bad indentation of a mapping entry',
    ]);
  });
});

describe('problemFromApiError', () => {
  const manifest = (): Manifest => parseManifests(POD, 'app.yaml')[0];

  it("reports each field of an Invalid refusal at its own line, in kubectl's words", () => {
    const causes = [
      invalid('spec.containers[0].resources.requests[cpu]', 'abc', 'bad'),
      required('spec.containers[0].image'),
      invalid('spec.containers[0].resources.requests[cpu]', 'abc', 'bad'),
    ];
    const error = new ApiError('Invalid', 'Pod "web" is invalid: [...]', causes);
    const problem = problemFromApiError(manifest(), error);
    expect(new ManifestError([problem]).problems.map(formatManifestProblem)).to.deep.equal([
      'app.yaml:10: document 1 (Pod default/web): The Pod "web" is invalid: spec.containers[0].resources.requests[cpu]: Invalid value: "abc": bad',
      'app.yaml:8: document 1 (Pod default/web): The Pod "web" is invalid: spec.containers[0].image: Required value',
    ]);
  });

  it('names the kind without its group, as kubectl prints the details of the refusal', () => {
    const [pc] = parseManifests(
      'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: High}\nvalue: 1\n',
      'pc.yaml',
    );
    const error = new ApiError('Invalid', 'PriorityClass.scheduling.k8s.io "High" is invalid: x', [
      invalid('metadata.name', 'High', 'bad'),
    ]);
    expect(formatManifestProblem(problemFromApiError(pc, error))).to.equal(
      'pc.yaml:3: document 1 (PriorityClass High): The PriorityClass "High" is invalid: metadata.name: Invalid value: "High": bad',
    );
  });

  it('points another refusal at the field it is about, or at the document', () => {
    const forbidden = new ApiError('Forbidden', 'pods "web" is forbidden: x', [], 'spec.containers');
    expect(formatManifestProblem(problemFromApiError(manifest(), forbidden))).to.equal(
      'app.yaml:6: document 1 (Pod default/web): pods "web" is forbidden: x',
    );
    const conflict = new ApiError('Conflict', 'the object has been modified');
    expect(problemFromApiError(manifest(), conflict).line).to.equal(1);
  });
});

describe('ManifestError', () => {
  it('lists one line per problem', () => {
    const error = new ManifestError([
      { file: 'a.yaml', line: 3, message: 'first' },
      { file: 'a.yaml', line: 9, document: 2, object: 'Pod default/web', message: 'second' },
    ]);
    expect(error.message).to.equal('a.yaml:3: first\na.yaml:9: document 2 (Pod default/web): second');
  });
});

describe('fieldSegments', () => {
  it('splits a field path into keys and indexes', () => {
    expect(fieldSegments('spec.containers[0].resources.requests[nvidia.com/gpu]')).to.deep.equal([
      'spec',
      'containers',
      0,
      'resources',
      'requests',
      'nvidia.com/gpu',
    ]);
    expect(fieldSegments('metadata.labels[kubernetes.io/metadata.name]')).to.deep.equal([
      'metadata',
      'labels',
      'kubernetes.io/metadata.name',
    ]);
  });
});

describe('goJson', () => {
  it("writes JSON as Go's encoding/json does: sorted keys, no spaces, HTML characters escaped", () => {
    expect(goJson({ b: 1, a: { d: [true, null], c: 'x<y>&z' } })).to.equal(
      '{"a":{"c":"x\\u003cy\\u003e\\u0026z","d":[true,null]},"b":1}',
    );
  });
});

describe('problemFromApiError for nodes', () => {
  it('finds the line of a taint that ValidateNode reports under metadata.taints', () => {
    const [node] = parseManifests(
      'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  taints:\n    - {key: a, effect: NoRun}\n',
      'node.yaml',
    );
    const error = new ApiError('Invalid', 'Node "n1" is invalid: x', [
      invalid('metadata.taints[0].effect', 'NoRun', 'bad'),
    ]);
    expect(problemFromApiError(node, error).line).to.equal(6);
  });
});
