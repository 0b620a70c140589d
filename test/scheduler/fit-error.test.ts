import { expect } from 'chai';
import { type Diagnosis, fitErrorMessage } from '../../src/scheduler/fit-error';

// NodeToStatus(map, absent) in the Go tests maps to nodeReasons (the map) and absentReasons (the reasons of
// the absent-nodes status, which carries none in these cases).
const reasons = (entries: Record<string, string>): ReadonlyMap<string, readonly string[]> =>
  new Map(Object.entries(entries).map(([node, reason]) => [node, [reason]]));

describe('fitErrorMessage', () => {
  // k8s:pkg/scheduler/framework/types_test.go TestFitError_Error
  const cases: { name: string; diagnosis: Diagnosis; want: string }[] = [
    {
      name: 'nodes failed Prefilter plugin',
      diagnosis: {
        numAllNodes: 3,
        preFilterMessage: 'Node(s) failed PreFilter plugin FalsePreFilter',
        // Inserted by the framework; left out of the message because they would only repeat it.
        nodeReasons: reasons({
          node1: 'Node(s) failed PreFilter plugin FalsePreFilter',
          node2: 'Node(s) failed PreFilter plugin FalsePreFilter',
          node3: 'Node(s) failed PreFilter plugin FalsePreFilter',
        }),
      },
      want: '0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter.',
    },
    {
      name: 'nodes failed Prefilter plugin and the preemption also failed',
      diagnosis: {
        numAllNodes: 3,
        preFilterMessage: 'Node(s) failed PreFilter plugin FalsePreFilter',
        nodeReasons: reasons({
          node1: 'Node(s) failed PreFilter plugin FalsePreFilter',
          node2: 'Node(s) failed PreFilter plugin FalsePreFilter',
          node3: 'Node(s) failed PreFilter plugin FalsePreFilter',
        }),
        postFilterMessage: 'Error running PostFilter plugin FailedPostFilter',
      },
      want: '0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter. Error running PostFilter plugin FailedPostFilter',
    },
    {
      name: 'nodes failed one Filter plugin with an empty PostFilterMsg',
      diagnosis: {
        numAllNodes: 3,
        preFilterMessage: '',
        nodeReasons: reasons({
          node1: 'Node(s) failed Filter plugin FalseFilter-1',
          node2: 'Node(s) failed Filter plugin FalseFilter-1',
          node3: 'Node(s) failed Filter plugin FalseFilter-1',
        }),
      },
      want: '0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1.',
    },
    {
      name: 'nodes failed one Filter plugin with a non-empty PostFilterMsg',
      diagnosis: {
        numAllNodes: 3,
        preFilterMessage: '',
        nodeReasons: reasons({
          node1: 'Node(s) failed Filter plugin FalseFilter-1',
          node2: 'Node(s) failed Filter plugin FalseFilter-1',
          node3: 'Node(s) failed Filter plugin FalseFilter-1',
        }),
        postFilterMessage: 'Error running PostFilter plugin FailedPostFilter',
      },
      want: '0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter',
    },
    {
      name: 'nodes failed two Filter plugins with an empty PostFilterMsg',
      diagnosis: {
        numAllNodes: 3,
        preFilterMessage: '',
        nodeReasons: reasons({
          node1: 'Node(s) failed Filter plugin FalseFilter-1',
          node2: 'Node(s) failed Filter plugin FalseFilter-1',
          node3: 'Node(s) failed Filter plugin FalseFilter-2',
        }),
      },
      want: '0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1.',
    },
    {
      name: 'nodes failed two Filter plugins with a non-empty PostFilterMsg',
      diagnosis: {
        numAllNodes: 3,
        preFilterMessage: '',
        nodeReasons: reasons({
          node1: 'Node(s) failed Filter plugin FalseFilter-1',
          node2: 'Node(s) failed Filter plugin FalseFilter-1',
          node3: 'Node(s) failed Filter plugin FalseFilter-2',
        }),
        postFilterMessage: 'Error running PostFilter plugin FailedPostFilter',
      },
      want: '0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter',
    },
    {
      name: 'failed to Permit on node',
      diagnosis: { numAllNodes: 1, nodeReasons: reasons({ node1: 'Node failed Permit plugin Permit-1' }) },
      want: '0/1 nodes are available: 1 Node failed Permit plugin Permit-1.',
    },
    {
      name: 'failed to Reserve on node',
      diagnosis: { numAllNodes: 1, nodeReasons: reasons({ node1: 'Node failed Reserve plugin Reserve-1' }) },
      want: '0/1 nodes are available: 1 Node failed Reserve plugin Reserve-1.',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(fitErrorMessage(c.diagnosis)).to.equal(c.want);
    });
  }

  // k8s:pkg/scheduler/framework/types.go FitError.Error: nodes absent from NodeToStatus count with the reasons of
  // AbsentNodesStatus, once per absent node.
  it('counts the absent-nodes reasons once per node missing from the map', () => {
    const message = fitErrorMessage({
      numAllNodes: 4,
      nodeReasons: reasons({ node1: 'Insufficient cpu' }),
      absentReasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"],
    });
    expect(message).to.equal(
      "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
  });

  // FitError.Error: one node's status may carry several reasons; each one counts.
  it('counts every reason of a node that gave several', () => {
    const message = fitErrorMessage({
      numAllNodes: 2,
      nodeReasons: new Map([
        ['node1', ['Insufficient cpu', 'Insufficient memory']],
        ['node2', ['Insufficient memory']],
      ]),
    });
    expect(message).to.equal('0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.');
  });

  // sort.Strings on "<count> <reason>": byte order, so "10 ..." comes before "2 ...".
  it('sorts the rendered histogram entries as plain strings', () => {
    const nodeReasons = new Map<string, string[]>();
    for (let i = 0; i < 10; i++) nodeReasons.set(`a${i}`, ['Too many pods']);
    nodeReasons.set('b1', ['Insufficient cpu']);
    nodeReasons.set('b2', ['Insufficient cpu']);
    expect(fitErrorMessage({ numAllNodes: 12, nodeReasons })).to.equal(
      '0/12 nodes are available: 10 Too many pods, 2 Insufficient cpu.',
    );
  });
});
