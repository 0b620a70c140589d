import { expect } from 'chai';
import { NodeTree, zoneKey } from '../../src/scheduler/node-info';

const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';

// k8s:pkg/scheduler/backend/cache/node_tree_test.go allNodes.
const allLabels: Record<string, string>[] = [
  {},
  { [REGION]: 'region-1' },
  { [ZONE]: 'zone-2' },
  { [REGION]: 'region-1', [ZONE]: 'zone-2' },
  { [REGION]: 'region-1', [ZONE]: 'zone-2' },
  { [REGION]: 'region-1', [ZONE]: 'zone-3' },
  { [REGION]: 'region-2', [ZONE]: 'zone-2' },
  { [REGION]: 'region-2', [ZONE]: 'zone-2' },
  { [REGION]: 'region-2', [ZONE]: 'zone-2' },
  { [REGION]: 'region-2', [ZONE]: 'zone-2', [BETA_REGION]: 'region-2', [BETA_ZONE]: 'zone-2' },
  { [BETA_REGION]: 'region-2', [BETA_ZONE]: 'zone-3' },
];

/** newNodeTree(nodes): the tree after adding the given nodes of allNodes in order. */
function treeOf(indexes: number[]): NodeTree {
  const tree = new NodeTree();
  for (const i of indexes) tree.addNode(`node-${i}`, zoneKey(allLabels[i]));
  return tree;
}

describe('node tree', () => {
  describe('zoneKey', () => {
    // node_tree_test.go TestNodeTree_AddNode: the keys of the expected trees.
    const cases: [node: number, key: string][] = [
      [0, ''],
      [1, 'region-1:\x00:'],
      [2, ':\x00:zone-2'],
      [3, 'region-1:\x00:zone-2'],
      [5, 'region-1:\x00:zone-3'],
      [6, 'region-2:\x00:zone-2'],
      [9, 'region-2:\x00:zone-2'], // zone + region labels and the deprecated ones
      [10, 'region-2:\x00:zone-3'], // only the deprecated labels
    ];
    for (const [i, key] of cases) {
      it(`node-${i} → ${JSON.stringify(key)}`, () => {
        expect(zoneKey(allLabels[i])).to.equal(key);
      });
    }

    // k8s:staging/src/k8s.io/component-helpers/node/topology/helpers.go GetZoneKey reads the
    // failure-domain.beta labels first and falls back to the topology.kubernetes.io ones.
    it('prefers the failure-domain.beta labels when both are set', () => {
      const labels = {
        [REGION]: 'region-a',
        [ZONE]: 'zone-a',
        [BETA_REGION]: 'region-b',
        [BETA_ZONE]: 'zone-b',
      };
      expect(zoneKey(labels)).to.equal('region-b:\x00:zone-b');
    });
  });

  describe('NodeTree', () => {
    // node_tree_test.go TestNodeTree_List
    const cases: { name: string; nodes: number[]; want: string[] }[] = [
      { name: 'empty tree', nodes: [], want: [] },
      { name: 'one node', nodes: [0], want: ['node-0'] },
      { name: 'four nodes', nodes: [0, 1, 2, 3], want: ['node-0', 'node-1', 'node-2', 'node-3'] },
      {
        name: 'all nodes',
        nodes: [0, 1, 2, 3, 4, 5, 6, 7, 8],
        want: ['node-0', 'node-1', 'node-2', 'node-3', 'node-5', 'node-6', 'node-4', 'node-7', 'node-8'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(treeOf(c.nodes).list()).to.deep.equal(c.want);
      });
    }

    // node_tree_test.go TestNodeTreeMultiOperations: add and remove operations in order, then list().
    const operations: {
      name: string;
      add: number[];
      remove: number[];
      ops: ('add' | 'remove')[];
      want: string[];
    }[] = [
      {
        name: 'add and remove all nodes',
        add: [2, 3, 4, 5, 6, 7, 8],
        remove: [2, 3, 4, 5, 6, 7, 8],
        ops: ['add', 'add', 'add', 'remove', 'remove', 'remove'],
        want: [],
      },
      {
        name: 'add and remove some nodes',
        add: [2, 3, 4, 5, 6, 7, 8],
        remove: [2, 3, 4, 5, 6, 7, 8],
        ops: ['add', 'add', 'add', 'remove'],
        want: ['node-3', 'node-4'],
      },
      {
        name: 'remove three nodes',
        add: [2, 3, 4, 5, 6, 7, 8],
        remove: [2, 3, 4, 5, 6, 7, 8],
        ops: ['add', 'add', 'add', 'remove', 'remove', 'remove', 'add'],
        want: ['node-5'],
      },
      {
        name: 'add more nodes to an exhausted zone',
        add: [4, 5, 6, 7, 8, 3],
        remove: [],
        ops: ['add', 'add', 'add', 'add', 'add', 'add'],
        want: ['node-4', 'node-5', 'node-6', 'node-3', 'node-7', 'node-8'],
      },
      {
        name: 'remove zone and add new',
        add: [3, 4, 6, 7],
        remove: [3, 4],
        ops: ['add', 'add', 'remove', 'add', 'add', 'remove'],
        want: ['node-6', 'node-7'],
      },
    ];
    for (const c of operations) {
      it(c.name, () => {
        const tree = new NodeTree();
        let added = 0;
        let removed = 0;
        for (const op of c.ops) {
          if (op === 'add') {
            const i = c.add[added++];
            tree.addNode(`node-${i}`, zoneKey(allLabels[i]));
          } else tree.removeNode(`node-${c.remove[removed++]}`);
        }
        expect(tree.list()).to.deep.equal(c.want);
      });
    }

    // node_tree_test.go TestNodeTree_UpdateNode: a node whose zone changes moves to the end of its new zone.
    it('moves a node whose zone changes to the end of its new zone', () => {
      const tree = treeOf([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      tree.addNode('node-0', zoneKey({ [REGION]: 'region-1', [ZONE]: 'zone-2' }));
      expect(tree.list()).to.deep.equal([
        'node-1',
        'node-2',
        'node-3',
        'node-5',
        'node-6',
        'node-4',
        'node-7',
        'node-0',
        'node-8',
      ]);
    });
  });
});
