import { expect } from 'chai';
import { NodeTableError, nodesFromTable, parseLabels } from '../../src/scenario/node-table';

function refusal(rows: Record<string, string>[]): string {
  try {
    nodesFromTable(rows);
  } catch (error) {
    expect(error).to.be.instanceOf(NodeTableError);
    return (error as Error).message;
  }
  throw new Error('the table was accepted');
}

describe('nodesFromTable', () => {
  it('turns a row into a Node with capacity, allocatable, labels, taints and the cordon', () => {
    const [node] = nodesFromTable([
      {
        name: ' gpu-1 ',
        cpu: '16',
        memory: '64Gi',
        pods: '32',
        'ephemeral-storage': '',
        'nvidia.com/gpu': '4',
        'hugepages-2Mi': '1Gi',
        labels: 'accelerator=nvidia, zone = a',
        taints: 'dedicated=gpu:NoSchedule, maintenance:NoExecute',
        unschedulable: 'true',
      },
    ]);
    expect(node).to.deep.equal({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'gpu-1', labels: { accelerator: 'nvidia', zone: 'a' } },
      spec: {
        taints: [
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key: 'maintenance', effect: 'NoExecute' },
        ],
        unschedulable: true,
      },
      status: {
        capacity: { cpu: '16', memory: '64Gi', pods: '32', 'nvidia.com/gpu': '4', 'hugepages-2Mi': '1Gi' },
        allocatable: { cpu: '16', memory: '64Gi', pods: '32', 'nvidia.com/gpu': '4', 'hugepages-2Mi': '1Gi' },
      },
    });
  });

  it('leaves out what a row does not say', () => {
    const [node] = nodesFromTable([{ name: 'n1', labels: '', taints: '', unschedulable: 'false' }]);
    expect(node.spec).to.deep.equal({});
    expect(node.metadata.labels).to.deep.equal({});
    expect(node.status).to.deep.equal({ capacity: {}, allocatable: {} });
  });

  it('refuses a column it does not know', () => {
    expect(refusal([{ name: 'n1', cpus: '4' }])).to.equal(
      'unknown column "cpus": use name, cpu, memory, pods, ephemeral-storage, labels, taints, unschedulable or an extended resource such as nvidia.com/gpu',
    );
  });

  it('refuses a row without a name', () => {
    expect(refusal([{ name: 'n1' }, { name: ' ' }])).to.equal('row 2: the name column is required');
  });

  it('refuses a quantity that does not parse, naming the row and the column', () => {
    expect(refusal([{ name: 'n1', memory: '512K' }])).to.equal(
      "row 1 (node n1): memory: unable to parse quantity's suffix",
    );
    expect(refusal([{ name: 'n1', 'example.com/foo': 'many' }])).to.equal(
      "row 1 (node n1): example.com/foo: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  // k8s:staging/src/k8s.io/kubectl/pkg/cmd/taint/utils.go parseTaints.
  it('refuses taints as kubectl taint does', () => {
    expect(refusal([{ name: 'n1', taints: 'dedicated=gpu:Never' }])).to.equal(
      'row 1 (node n1): taints: invalid taint effect: Never, unsupported taint effect',
    );
    expect(refusal([{ name: 'n1', taints: 'a:NoSchedule,a=b:NoSchedule' }])).to.equal(
      'row 1 (node n1): taints: duplicated taints with the same key and effect: {a b NoSchedule <nil>}',
    );
  });

  it('refuses an unschedulable that is not true or false', () => {
    expect(refusal([{ name: 'n1', unschedulable: 'yes' }])).to.equal(
      'row 1 (node n1): unschedulable must be true or false, not "yes"',
    );
  });
});

describe('parseLabels', () => {
  it('reads key=value pairs, allowing empty values', () => {
    expect(parseLabels('a=1, b=,c = 3')).to.deep.equal({ a: '1', b: '', c: '3' });
    expect(parseLabels('')).to.deep.equal({});
  });

  it('refuses a pair without =', () => {
    expect(() => parseLabels('gpu', 'row 3')).to.throw(
      NodeTableError,
      'row 3: label "gpu" must be written key=value',
    );
  });
});
