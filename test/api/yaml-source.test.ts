import { expect } from 'chai';
import { parseYamlDocuments, YamlSyntaxError } from '../../src/api/yaml-source';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

function syntaxError(source: string): YamlSyntaxError {
  try {
    parseYamlDocuments(source, 'manifests.yaml');
  } catch (error) {
    if (error instanceof YamlSyntaxError) return error;
    throw error;
  }
  expect.fail('expected a YamlSyntaxError');
}

describe('parseYamlDocuments', () => {
  describe('lines of fields', () => {
    const source = yaml(
      '# A pod and a service.', // 1
      'apiVersion: v1', // 2
      'kind: Pod', // 3
      'metadata:', // 4
      '  name: web', // 5
      '  labels: {app: web, "tier": \'front\'}', // 6
      'spec:', // 7
      '  containers:', // 8
      '    - name: nginx # the server', // 9
      '      image: nginx:1.27', // 10
      '      ports: [{containerPort: 80}, {containerPort: 443,', // 11
      '        hostPort: 8443}]', // 12
      '    -', // 13
      '      name: sidecar', // 14
      '---', // 15
      'apiVersion: v1', // 16
      'kind: Service', // 17
      'metadata:', // 18
      '  "name": web', // 19
      "  'annotations':", // 20
      '    example.com/owner~team: platform', // 21
    );
    const [pod, service] = parseYamlDocuments(source, 'manifests.yaml');

    it('parses every document with its index and the line of its first node', () => {
      expect([pod.index, pod.line, service.index, service.line]).to.deep.equal([0, 2, 1, 16]);
      expect(pod.value).to.deep.include({ kind: 'Pod' });
      expect((service.value as { metadata: unknown }).metadata).to.deep.equal({
        name: 'web',
        annotations: { 'example.com/owner~team': 'platform' },
      });
    });

    it('gives the line of the key for block mappings', () => {
      expect(pod.lineOf(['kind'])).to.equal(3);
      expect(pod.lineOf(['metadata'])).to.equal(4);
      expect(pod.lineOf(['metadata', 'name'])).to.equal(5);
      expect(pod.lineOf(['spec', 'containers', 0, 'image'])).to.equal(10);
    });

    it('gives lines inside flow mappings and sequences, across line breaks', () => {
      expect(pod.lineOf(['metadata', 'labels', 'app'])).to.equal(6);
      expect(pod.lineOf(['metadata', 'labels', 'tier'])).to.equal(6);
      expect(pod.lineOf(['spec', 'containers', 0, 'ports', 0, 'containerPort'])).to.equal(11);
      expect(pod.lineOf(['spec', 'containers', 0, 'ports', 1])).to.equal(11);
      expect(pod.lineOf(['spec', 'containers', 0, 'ports', 1, 'hostPort'])).to.equal(12);
    });

    it('gives a sequence item the line where its node starts', () => {
      expect(pod.lineOf(['spec', 'containers', 0])).to.equal(9);
      expect(pod.lineOf(['spec', 'containers', 1])).to.equal(14);
      expect(pod.lineOf(['spec', 'containers', 1, 'name'])).to.equal(14);
    });

    it('finds quoted keys and keys with / and ~ in them', () => {
      expect(service.lineOf(['metadata', 'name'])).to.equal(19);
      expect(service.lineOf(['metadata', 'annotations'])).to.equal(20);
      expect(service.lineOf(['metadata', 'annotations', 'example.com/owner~team'])).to.equal(21);
    });

    it('falls back to the nearest ancestor for a field that is not there, and to the document for none', () => {
      expect(pod.lineOf(['spec', 'containers', 0, 'resources', 'limits'])).to.equal(9);
      expect(pod.lineOf(['status', 'phase'])).to.equal(2);
      expect(pod.lineOf([])).to.equal(2);
      expect(service.lineOf(['spec'])).to.equal(16);
    });
  });

  it('keeps empty documents, as null, and counts them', () => {
    const docs = parseYamlDocuments(
      yaml('---', '# nothing but a comment', '---', '---', 'kind: ConfigMap', '---'),
      'f.yaml',
    );
    // A `---` at the very end opens one more, empty, document.
    expect(docs.map((d) => d.value)).to.deep.equal([null, null, { kind: 'ConfigMap' }, null]);
    expect(docs.map((d) => d.index)).to.deep.equal([0, 1, 2, 3]);
    expect(docs[2].line).to.equal(5);
    expect(parseYamlDocuments('', 'f.yaml')).to.deep.equal([]);
    expect(parseYamlDocuments('---\n', 'f.yaml').map((d) => d.value)).to.deep.equal([null]);
  });

  it('gives the lines of a List and of its items', () => {
    const [list] = parseYamlDocuments(
      yaml(
        'apiVersion: v1', // 1
        'kind: List', // 2
        'items:', // 3
        '- apiVersion: v1', // 4
        '  kind: Pod', // 5
        '  metadata:', // 6
        '    name: a', // 7
        '- {apiVersion: v1, kind: Pod,', // 8
        '   metadata: {name: b}}', // 9
      ),
      'list.yaml',
    );
    expect(list.lineOf(['items', 0])).to.equal(4);
    expect(list.lineOf(['items', 0, 'metadata', 'name'])).to.equal(7);
    expect(list.lineOf(['items', 1])).to.equal(8);
    expect(list.lineOf(['items', 1, 'kind'])).to.equal(8);
    expect(list.lineOf(['items', 1, 'metadata', 'name'])).to.equal(9);
    expect(list.lineOf(['items', 2, 'kind'])).to.equal(3);
  });

  it('starts a document on the line of `--- {...}` and keeps counting after `...`', () => {
    const docs = parseYamlDocuments(
      yaml('--- {a: 1,', '  b: 2}', '...', '--- plain', '---', '- x'),
      'f.yaml',
    );
    expect(docs.map((d) => [d.value, d.line])).to.deep.equal([
      [{ a: 1, b: 2 }, 1],
      ['plain', 4],
      [['x'], 6],
    ]);
    expect(docs[0].lineOf(['b'])).to.equal(2);
  });

  it('gives the line of a block scalar by its key, and lines after it correctly', () => {
    const [doc] = parseYamlDocuments(
      yaml('data:', '  script: |', '    echo one', '    echo two', '  after: 1'),
      'f.yaml',
    );
    expect(doc.value).to.deep.equal({ data: { script: 'echo one\necho two\n', after: 1 } });
    expect(doc.lineOf(['data', 'script'])).to.equal(2);
    expect(doc.lineOf(['data', 'after'])).to.equal(5);
  });

  it('counts lines of CRLF text', () => {
    const [doc] = parseYamlDocuments('a: 1\r\nb:\r\n  c: 2\r\n', 'f.yaml');
    expect(doc.lineOf(['b', 'c'])).to.equal(3);
  });

  it('gives an alias the line where it is used', () => {
    const [doc] = parseYamlDocuments(yaml('base: &labels {app: web}', 'copy: *labels'), 'f.yaml');
    expect(doc.value).to.deep.equal({ base: { app: 'web' }, copy: { app: 'web' } });
    expect(doc.lineOf(['copy'])).to.equal(2);
  });

  describe('syntax errors', () => {
    it('name the file and the line, in the first document', () => {
      const error = syntaxError(yaml('kind: Pod', 'metadata:', '  name: web', ' namespace: prod'));
      expect([error.file, error.line, error.reason]).to.deep.equal([
        'manifests.yaml',
        4,
        'bad indentation of a mapping entry',
      ]);
      expect(error.message).to.equal('manifests.yaml:4: invalid YAML: bad indentation of a mapping entry');
    });

    it('count lines from the top of the file in a later document', () => {
      const error = syntaxError(yaml('kind: Pod', '---', 'kind: Service', 'spec:', '  ports: [80, 443}'));
      expect([error.line, error.reason]).to.deep.equal([5, 'missed comma between flow collection entries']);
    });

    it('report a key given twice', () => {
      const error = syntaxError(yaml('metadata:', '  name: a', '  name: b'));
      expect([error.line, error.reason]).to.deep.equal([3, 'duplicated mapping key']);
    });

    it('report an unterminated flow sequence where the next line fails to continue it', () => {
      const error = syntaxError(yaml('ports: [80, 443', 'x: 1'));
      expect([error.line, error.reason]).to.deep.equal([2, 'deficient indentation']);
    });

    it('report a quoted string left open at the end of the text', () => {
      const error = syntaxError('a: "open');
      expect([error.line, error.reason]).to.deep.equal([
        1,
        'unexpected end of the stream within a double quoted scalar',
      ]);
    });
  });
});

describe('manifests read as kubectl reads them (go-yaml v2)', () => {
  const value = (text: string) => parseYamlDocuments(text, 'm.yaml', { kubernetes: true })[0].value;

  it('takes YAML 1.1 booleans and integers', () => {
    expect(value('a: yes\nb: off\nc: y\nd: 0777\ne: 1_000\nf: "yes"\n')).to.deep.equal({
      a: true,
      b: false,
      c: true,
      d: 511,
      e: 1000,
      f: 'yes',
    });
  });

  it('applies merge keys and keeps timestamps as strings', () => {
    expect(value('base: &b {x: 1}\nm:\n  <<: *b\n  z: 2\nt: 2025-01-01\n')).to.deep.equal({
      base: { x: 1 },
      m: { x: 1, z: 2 },
      t: '2025-01-01',
    });
  });

  it('reads plain YAML 1.2 when not asked to read a manifest', () => {
    expect(parseYamlDocuments('a: yes\n', 'r.yaml')[0].value).to.deep.equal({ a: 'yes' });
  });
});
