import { expect } from 'chai';
import { numFeasibleNodesToFind } from '../../src/scheduler/framework';

describe('numFeasibleNodesToFind', () => {
  // k8s:pkg/scheduler/schedule_one_test.go TestNumFeasibleNodesToFind. The profile's percentageOfNodesToScore
  // overrides the global one; the function takes the one in force (0 = unset, the adaptive default).
  const cases: {
    name: string;
    globalPercentage?: number;
    profilePercentage?: number;
    numAllNodes: number;
    want: number;
  }[] = [
    { name: 'not set percentageOfNodesToScore and nodes number not more than 50', numAllNodes: 10, want: 10 },
    {
      name: 'set profile percentageOfNodesToScore and nodes number not more than 50',
      profilePercentage: 40,
      numAllNodes: 10,
      want: 10,
    },
    { name: 'not set percentageOfNodesToScore and nodes number more than 50', numAllNodes: 1000, want: 420 },
    {
      name: 'set profile percentageOfNodesToScore and nodes number more than 50',
      profilePercentage: 40,
      numAllNodes: 1000,
      want: 400,
    },
    {
      name: 'set global and profile percentageOfNodesToScore and nodes number more than 50',
      globalPercentage: 100,
      profilePercentage: 40,
      numAllNodes: 1000,
      want: 400,
    },
    {
      name: 'set global percentageOfNodesToScore and nodes number more than 50',
      globalPercentage: 40,
      numAllNodes: 1000,
      want: 400,
    },
    {
      name: 'not set profile percentageOfNodesToScore and nodes number more than 50*125',
      numAllNodes: 6000,
      want: 300,
    },
    {
      name: 'set profile percentageOfNodesToScore and nodes number more than 50*125',
      profilePercentage: 40,
      numAllNodes: 6000,
      want: 2400,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const percentage = c.profilePercentage ?? c.globalPercentage ?? 0;
      expect(numFeasibleNodesToFind(c.numAllNodes, percentage)).to.equal(c.want);
    });
  }

  // /work/shared/k8s-reference.md 1.6 (k8s:pkg/scheduler/schedule_one.go numFeasibleNodesToFind).
  const examples: [nodes: number, want: number][] = [
    [100, 100], // 50% of 100 = 50, raised to minFeasibleNodesToFind
    [1000, 420], // 50 - 1000/125 = 42%
    [5000, 500], // 50 - 40 = 10%
    [6000, 300], // 50 - 48 = 2%, raised to minFeasibleNodesPercentageToFind 5%
  ];
  for (const [nodes, want] of examples) {
    it(`adaptive default: ${nodes} nodes → ${want}`, () => {
      expect(numFeasibleNodesToFind(nodes, 0)).to.equal(want);
    });
  }

  it('evaluates every node below minFeasibleNodesToFind, whatever the percentage', () => {
    expect(numFeasibleNodesToFind(99, 1)).to.equal(99);
  });

  it('never asks for fewer than minFeasibleNodesToFind once there are that many nodes', () => {
    // 150 * 10% = 15 → 100.
    expect(numFeasibleNodesToFind(150, 10)).to.equal(100);
  });

  it('evaluates every node at 100 percent', () => {
    expect(numFeasibleNodesToFind(5000, 100)).to.equal(5000);
  });

  it('rounds the product down as Go integer division does', () => {
    // 333 * 31 / 100 = 103.23 → 103.
    expect(numFeasibleNodesToFind(333, 31)).to.equal(103);
  });
});
