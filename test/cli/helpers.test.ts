// The command line's pure parts, in process: argument parsing, output rendering, schema summaries.
import { resolve } from 'node:path';
import { expect } from 'chai';
import { InvalidArgumentError } from 'commander';
import type { KubeObject } from '../../src/api/object';
import { CliError } from '../../src/cli/errors';
import { parsePodReference } from '../../src/cli/explain';
import { readManifestFiles } from '../../src/cli/manifest-files';
import { clusterCidrArgument } from '../../src/cli/options';
import { summariseSchema } from '../../src/cli/schema-summary';
import { renderList } from '../../src/cli/simulate';
import { alignColumns } from '../../src/cli/text-table';

const FIXTURES = resolve(__dirname, '../fixtures/cli');

function refusal(f: () => unknown): string[] {
  try {
    f();
  } catch (error) {
    if (error instanceof CliError) return [...error.lines];
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('cli helpers', () => {
  describe('parsePodReference', () => {
    it('takes pod/NAME in the namespace given by -n, default "default"', () => {
      expect(parsePodReference('pod/web', undefined)).to.deep.equal({ namespace: 'default', name: 'web' });
      expect(parsePodReference('pods/web', 'prod')).to.deep.equal({ namespace: 'prod', name: 'web' });
      expect(parsePodReference('po/prod/web', 'prod')).to.deep.equal({ namespace: 'prod', name: 'web' });
    });

    it('refuses other kinds, unknown types, bare names and a namespace given twice differently', () => {
      expect(refusal(() => parsePodReference('node/n1', undefined))).to.deep.equal([
        'error: explain tells about pods, not nodes',
      ]);
      expect(refusal(() => parsePodReference('widget/x', undefined))).to.deep.equal([
        `error: the server doesn't have a resource type "widget"`,
      ]);
      expect(refusal(() => parsePodReference('web', undefined))).to.deep.equal([
        'error: name the pod as pod/NAME or pod/NAMESPACE/NAME, not "web"',
      ]);
      expect(refusal(() => parsePodReference('pod/a/web', 'b'))).to.deep.equal([
        'error: the pod is named in namespace "a" but --namespace is "b"',
      ]);
    });
  });

  describe('clusterCidrArgument', () => {
    it('keeps the network address, dropping host bits as net.ParseCIDR does', () => {
      expect(clusterCidrArgument('10.244.0.0/16')).to.equal('10.244.0.0/16');
      expect(clusterCidrArgument('10.244.7.9/16')).to.equal('10.244.0.0/16');
      expect(clusterCidrArgument('192.168.1.0/24')).to.equal('192.168.1.0/24');
    });

    it('refuses what is not a CIDR, IPv6 (not simulated) and masks narrower than the /24 nodes get', () => {
      for (const bad of ['foo', '10.0.0.0', '10.0.0.256/16', '10.0.0.0/33', '010.0.0.0/16', 'fd00::/129']) {
        expect(() => clusterCidrArgument(bad), bad).to.throw(
          InvalidArgumentError,
          `invalid CIDR address: ${bad}`,
        );
      }
      expect(() => clusterCidrArgument('fd00::/48')).to.throw(
        InvalidArgumentError,
        'the simulated node IPAM allocates IPv4 pod addresses only',
      );
      expect(() => clusterCidrArgument('10.0.0.0/25')).to.throw(
        InvalidArgumentError,
        'Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family',
      );
    });
  });

  describe('renderList', () => {
    const items = [
      {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: {
          name: 'web',
          namespace: 'default',
          resourceVersion: '7',
          creationTimestamp: '2025-01-01T00:00:00Z',
        },
        spec: { containers: [{ name: 'app', image: 'nginx', args: ['true', 'a: b', 'line 1\nline 2', ''] }] },
      },
    ] as unknown as KubeObject[];

    // The quoting of go-yaml v2 as kubectl uses it: "" for strings that would read as another type,
    // '' for those that are not plain YAML, a literal block for several lines.
    it('prints YAML as kubectl: sorted keys, unindented list items, go-yaml quoting', () => {
      expect(renderList(items, 'yaml')).to.equal(
        [
          'apiVersion: v1',
          'items:',
          '- apiVersion: v1',
          '  kind: Pod',
          '  metadata:',
          '    creationTimestamp: "2025-01-01T00:00:00Z"',
          '    name: web',
          '    namespace: default',
          '    resourceVersion: "7"',
          '  spec:',
          '    containers:',
          '    - args:',
          '      - "true"',
          "      - 'a: b'",
          '      - |-',
          '        line 1',
          '        line 2',
          '      - ""',
          '      image: nginx',
          '      name: app',
          'kind: List',
          'metadata:',
          '  resourceVersion: ""',
          '',
        ].join('\n'),
      );
    });

    it('prints JSON with four-space indent and sorted keys', () => {
      const text = renderList(items, 'json');
      expect(text).to.match(
        /^{\n {4}"apiVersion": "v1",\n {4}"items": \[\n {8}{\n {12}"apiVersion": "v1",\n {12}"kind": "Pod",\n/,
      );
      expect(text).to.match(/"metadata": {\n {16}"creationTimestamp"/);
      expect(
        text.endsWith('    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'),
      ).to.equal(true);
    });
  });

  describe('readManifestFiles', () => {
    it('expands a directory to its manifest files in name order, once each, and names stdin STDIN', () => {
      const files = readManifestFiles([FIXTURES, '-'], () => 'kind: Pod');
      expect(files.map((f) => f.file.replace(`${FIXTURES}/`, ''))).to.deep.equal([
        'bad-manifest.yaml',
        'big-pod.yaml',
        'cluster.yaml',
        'maintenance.yaml',
        'packing.yaml',
        'STDIN',
      ]);
      expect(files[5].text).to.equal('kind: Pod');
    });

    it('names every missing path, as kubectl does', () => {
      expect(refusal(() => readManifestFiles(['a.yaml', FIXTURES, 'b.yaml'], () => ''))).to.deep.equal([
        'error: the path "a.yaml" does not exist',
        'error: the path "b.yaml" does not exist',
      ]);
    });
  });

  describe('summariseSchema', () => {
    it('writes required keys first, optional ones with ?, enums with |, ranges and lists', () => {
      expect(
        summariseSchema({
          type: 'object',
          required: ['resources'],
          properties: {
            note: { type: 'string' },
            resources: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'weight'],
                properties: {
                  name: { type: 'string' },
                  weight: { type: 'integer', minimum: 1, maximum: 100 },
                },
              },
            },
            effects: { type: 'array', items: { enum: ['NoSchedule', 'NoExecute'] } },
            after: { type: 'integer', minimum: 0 },
          },
        }),
      ).to.equal(
        '{resources: {name: string, weight: integer 1..100}[], note?: string, effects?: (NoSchedule|NoExecute)[], after?: integer ≥ 0}',
      );
    });
  });

  it('alignColumns pads every column but the last', () => {
    expect(
      alignColumns(
        [
          ['NODE', 'RESULT', 'RULE'],
          ['n1', 'chosen', ''],
          ['node-22', 'rejected', 'taint-toleration/untolerated-taint'],
        ],
        '  ',
      ),
    ).to.deep.equal([
      '  NODE     RESULT    RULE',
      '  n1       chosen',
      '  node-22  rejected  taint-toleration/untolerated-taint',
    ]);
  });
});
