import { expect } from 'chai';
import type { Container } from 'kubernetes-types/core/v1';
import type { NodeObject } from '../../src/api/nodes';
import type { PodObject } from '../../src/api/pods';
import { NodeInfo } from '../../src/scheduler/node-info';
import { buildPodInfo } from '../../src/scheduler/pod-info';
import {
  balancedAllocationScore,
  leastAllocatedScore,
  mostAllocatedScore,
  normalizeScores,
  type WeightedResource,
} from '../../src/scheduler/resource-scores';

type Requests = Record<string, string>;

let podCount = 0;

// st.MakePod(): every Req(...) adds one container with those requests; a bare pod has no containers at all.
function pod(requests: Requests[], nodeName?: string): PodObject {
  podCount += 1;
  const containers: Container[] = requests.map((r, i) => ({
    name: `c${i}`,
    image: 'pause',
    resources: { requests: r },
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${podCount}`, namespace: 'default', uid: `uid-${podCount}` },
    spec: { containers, nodeName },
  };
}

// st.MakeNode().Capacity(...) / noderesources makeNode: capacity and allocatable alike.
function node(name: string, capacity: Requests = {}): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { capacity: { ...capacity }, allocatable: { ...capacity } },
  };
}

/** A NodeInfo per node, with the existing pods added to the node their spec.nodeName names (cache.NewSnapshot). */
function snapshot(nodes: NodeObject[], existing: PodObject[] = []): NodeInfo[] {
  return nodes.map((n) => {
    const info = new NodeInfo(n.metadata.name as string, n);
    for (const p of existing) if (p.spec?.nodeName === n.metadata.name) info.addPod(buildPodInfo(p));
    return info;
  });
}

const defaultResources: WeightedResource[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
// k8s:pkg/scheduler/framework/plugins/noderesources/test_util.go
const extendedRes = 'abc.com/xyz';
const extendedResourceSet: WeightedResource[] = [...defaultResources, { name: extendedRes, weight: 1 }];

interface ScoreCase {
  name: string;
  pod: PodObject;
  nodes: NodeObject[];
  existing?: PodObject[];
  resources: WeightedResource[];
  want: number[];
}

function runScoreCases(
  cases: ScoreCase[],
  score: (p: ReturnType<typeof buildPodInfo>, n: NodeInfo, r: WeightedResource[]) => number,
): void {
  for (const c of cases) {
    it(c.name, () => {
      const info = buildPodInfo(c.pod);
      const got = snapshot(c.nodes, c.existing).map((n) => score(info, n, c.resources));
      expect(got).to.deep.equal(c.want);
    });
  }
}

describe('resource scores', () => {
  describe('leastAllocatedScore', () => {
    // k8s:pkg/scheduler/framework/plugins/noderesources/least_allocated_test.go TestLeastAllocatedScoringStrategy
    // (the cases that validate scoring-strategy arguments are left out: the weights come from rules here).
    const cases: ScoreCase[] = [
      {
        name: 'nothing scheduled, nothing requested',
        pod: pod([]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '4000', memory: '10000' }),
        ],
        resources: defaultResources,
        want: [100, 100],
      },
      {
        name: 'nothing scheduled, resources requested, differently sized nodes',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000' }),
        ],
        resources: defaultResources,
        want: [37, 50],
      },
      {
        name: 'no resources requested, pods scheduled',
        pod: pod([]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '4000', memory: '10000' }),
        ],
        existing: [pod([], 'node1'), pod([], 'node1'), pod([], 'node2'), pod([], 'node2')],
        resources: defaultResources,
        want: [100, 100],
      },
      {
        name: 'no resources requested, pods scheduled with resources',
        pod: pod([]),
        nodes: [
          node('node1', { cpu: '10000', memory: '20000' }),
          node('node2', { cpu: '10000', memory: '20000' }),
        ],
        existing: [
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '0' }], 'node2'),
          pod([{ cpu: '3000', memory: '5000' }], 'node2'),
        ],
        resources: defaultResources,
        want: [70, 57],
      },
      {
        name: 'resources requested, pods scheduled with resources',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '10000', memory: '20000' }),
          node('node2', { cpu: '10000', memory: '20000' }),
        ],
        existing: [
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '5000' }], 'node2'),
        ],
        resources: defaultResources,
        want: [57, 45],
      },
      {
        name: 'resources requested, pods scheduled with resources, differently sized nodes',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '10000', memory: '20000' }),
          node('node2', { cpu: '10000', memory: '50000' }),
        ],
        existing: [
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '5000' }], 'node2'),
        ],
        resources: defaultResources,
        want: [57, 60],
      },
      {
        name: 'requested resources exceed node capacity',
        pod: pod([{ cpu: '3000', memory: '0' }]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '4000', memory: '10000' }),
        ],
        existing: [
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '5000' }], 'node2'),
        ],
        resources: defaultResources,
        want: [50, 25],
      },
      {
        name: 'zero node resources, pods scheduled with resources',
        pod: pod([]),
        nodes: [node('node1'), node('node2')],
        existing: [
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '5000' }], 'node2'),
        ],
        resources: defaultResources,
        want: [0, 0],
      },
      {
        name: 'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000' }),
        ],
        resources: [
          { name: 'memory', weight: 2 },
          { name: 'cpu', weight: 1 },
        ],
        want: [41, 50],
      },
      {
        name: 'bypass extended resource if the pod does not request',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '6000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
        ],
        resources: extendedResourceSet,
        want: [50, 50],
      },
      {
        name: 'honor extended resource if the pod requests',
        pod: pod([{ cpu: '3000', memory: '5000', [extendedRes]: '2' }]),
        nodes: [
          node('node1', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
          node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '10' }),
        ],
        resources: extendedResourceSet,
        want: [50, 60],
      },
      {
        name: "if the node doesn't have a resource",
        pod: pod([{ cpu: '3000', memory: '4000' }]),
        nodes: [
          node('node1', { cpu: '6000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
        ],
        resources: [
          { name: extendedRes, weight: 2 },
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 1 },
        ],
        want: [55, 55],
      },
    ];
    runScoreCases(cases, (p, n, r) => leastAllocatedScore(p, n.view(), r));

    // least_allocated.go via resource_allocation.go: a container without cpu/memory requests counts at
    // DefaultMilliCPURequest (100m) / DefaultMemoryRequest (200Mi), on the node and for the incoming pod.
    it('scores containers without requests at the scheduler defaults', () => {
      const [info] = snapshot([node('node1', { cpu: '1', memory: '1000Mi' })], [pod([{}], 'node1')]);
      // cpu: (1000 - 200) * 100 / 1000 = 80; memory: (1000Mi - 400Mi) * 100 / 1000Mi = 60 → 70.
      expect(leastAllocatedScore(buildPodInfo(pod([{}])), info.view(), defaultResources)).to.equal(70);
    });
  });

  describe('mostAllocatedScore', () => {
    // k8s:pkg/scheduler/framework/plugins/noderesources/most_allocated_test.go TestMostAllocatedScoringStrategy
    // (argument-validation cases left out).
    const cases: ScoreCase[] = [
      {
        name: 'nothing scheduled, nothing requested',
        pod: pod([]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '4000', memory: '10000' }),
        ],
        resources: defaultResources,
        want: [0, 0],
      },
      {
        name: 'nothing scheduled, resources requested, differently sized nodes',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000' }),
        ],
        resources: defaultResources,
        want: [62, 50],
      },
      {
        name: 'no resources requested, pods scheduled with resources',
        pod: pod([]),
        nodes: [
          node('node1', { cpu: '10000', memory: '20000' }),
          node('node2', { cpu: '10000', memory: '20000' }),
        ],
        existing: [
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '0' }], 'node2'),
          pod([{ cpu: '3000', memory: '5000' }], 'node2'),
        ],
        resources: defaultResources,
        want: [30, 42],
      },
      {
        name: 'resources requested, pods scheduled with resources',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '10000', memory: '20000' }),
          node('node2', { cpu: '10000', memory: '20000' }),
        ],
        existing: [
          pod([{ cpu: '3000', memory: '0' }], 'node1'),
          pod([{ cpu: '3000', memory: '5000' }], 'node2'),
        ],
        resources: defaultResources,
        want: [42, 55],
      },
      {
        name: 'resources requested equal node capacity',
        pod: pod([
          { cpu: '2000', memory: '4000' },
          { cpu: '3000', memory: '5000' },
        ]),
        nodes: [
          node('node1', { cpu: '5000', memory: '10000' }),
          node('node2', { cpu: '10000', memory: '9000' }),
        ],
        resources: defaultResources,
        want: [95, 75],
      },
      {
        name: 'nothing scheduled, resources requested, differently sized nodes (memory weighted 2)',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '4000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000' }),
        ],
        resources: [
          { name: 'memory', weight: 2 },
          { name: 'cpu', weight: 1 },
        ],
        want: [58, 50],
      },
      {
        name: 'no resources requested, pods scheduled, nonzero request for resource',
        pod: pod([{}]),
        nodes: [
          node('node1', { cpu: '250m', memory: '1000Mi' }),
          node('node2', { cpu: '250m', memory: '1000Mi' }),
        ],
        existing: [pod([{}], 'node1'), pod([{}], 'node1')],
        resources: defaultResources,
        want: [80, 30],
      },
      {
        name: 'bypass extended resource if the pod does not request',
        pod: pod([
          { cpu: '1000', memory: '2000' },
          { cpu: '2000', memory: '3000' },
        ]),
        nodes: [
          node('node1', { cpu: '6000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
        ],
        resources: extendedResourceSet,
        want: [50, 50],
      },
      {
        name: 'honor extended resource if the pod request',
        pod: pod([{ cpu: '3000', memory: '5000', [extendedRes]: '2' }]),
        nodes: [
          node('node1', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
          node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '10' }),
        ],
        resources: extendedResourceSet,
        want: [50, 40],
      },
      {
        name: "if the node doesn't have a resource",
        pod: pod([{ cpu: '3000', memory: '4000' }]),
        nodes: [
          node('node1', { cpu: '6000', memory: '10000' }),
          node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
        ],
        resources: [
          { name: extendedRes, weight: 2 },
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 1 },
        ],
        want: [45, 45],
      },
    ];
    runScoreCases(cases, (p, n, r) => mostAllocatedScore(p, n.view(), r));
  });

  describe('balancedAllocationScore', () => {
    // k8s:pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go TestNodeResourcesBalancedAllocation
    // (the DRA cases are left out: no ResourceSlices here). Nodes come from test_util.go makeNode(milliCPU, memory).
    const cpuAndMemory = (nodeName?: string) =>
      pod(
        [
          { cpu: '1000m', memory: '2000' },
          { cpu: '2000m', memory: '3000' },
        ],
        nodeName,
      );
    const cpuOnly = (nodeName?: string) =>
      pod(
        [
          { cpu: '1000m', memory: '0' },
          { cpu: '2000m', memory: '0' },
        ],
        nodeName,
      );
    const cpuAndMemoryAndGPU = (nodeName?: string) =>
      pod(
        [
          { cpu: '1000m', memory: '2000' },
          { cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' },
        ],
        nodeName,
      );
    const makeNode = (name: string, milliCPU: number, memory: number, scalar: Requests = {}) =>
      node(name, { ...scalar, cpu: `${milliCPU}m`, memory: `${memory}` });
    const cpuMem = ['cpu', 'memory'];
    const withGPU = ['cpu', 'memory', 'nvidia.com/gpu'];
    const gpu8 = { 'nvidia.com/gpu': '8' };

    const cases: {
      name: string;
      pod: PodObject;
      nodes: NodeObject[];
      existing?: PodObject[];
      resources: string[];
      want: number[];
    }[] = [
      {
        name: 'nothing scheduled, resources requested, differently sized nodes',
        pod: cpuAndMemory(),
        nodes: [makeNode('node1', 4000, 10000), makeNode('node2', 6000, 10000)],
        resources: cpuMem,
        want: [87, 100],
      },
      {
        name: 'resources requested, pods scheduled with resources',
        pod: cpuAndMemory(),
        nodes: [makeNode('node1', 10000, 20000), makeNode('node2', 10000, 20000)],
        existing: [cpuOnly('node1'), cpuAndMemory('node2')],
        resources: cpuMem,
        want: [82, 95],
      },
      {
        name: 'resources requested, pods scheduled with resources, differently sized nodes',
        pod: cpuAndMemory(),
        nodes: [makeNode('node1', 10000, 20000), makeNode('node2', 10000, 50000)],
        existing: [cpuOnly('node1'), cpuAndMemory('node2')],
        resources: cpuMem,
        want: [82, 80],
      },
      {
        name: 'requested resources at node capacity',
        pod: cpuOnly(),
        nodes: [makeNode('node1', 6000, 10000), makeNode('node2', 6000, 10000)],
        existing: [cpuOnly('node1'), cpuAndMemory('node2')],
        resources: cpuMem,
        want: [50, 75],
      },
      {
        name: 'include scalar resource on a node for balanced resource allocation',
        pod: pod([{ memory: '0', 'nvidia.com/gpu': '1' }]),
        nodes: [makeNode('node1', 3500, 40000, gpu8), makeNode('node2', 3500, 40000, gpu8)],
        existing: [cpuAndMemory('node2'), cpuAndMemoryAndGPU('node1')],
        resources: withGPU,
        want: [70, 65],
      },
      {
        name: 'node without the scalar resource should skip the scalar resource',
        pod: cpuAndMemory(),
        nodes: [makeNode('node1', 3500, 40000, gpu8), makeNode('node2', 3500, 40000)],
        resources: withGPU,
        want: [63, 63],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const info = buildPodInfo(c.pod);
        const got = snapshot(c.nodes, c.existing).map((n) =>
          balancedAllocationScore(info, n.view(), c.resources),
        );
        expect(got).to.deep.equal(c.want);
      });
    }

    // Same table, "nothing scheduled, nothing requested, skip in PreScore": a best-effort pod is not scored.
    it('does not score a pod that requests none of the resources', () => {
      const [n1] = snapshot([makeNode('node1', 4000, 10000)]);
      expect(balancedAllocationScore(buildPodInfo(pod([])), n1.view(), cpuMem)).to.equal(0);
    });

    // balanced_allocation.go uses the real requests (useRequested), not the scheduler's non-zero defaults.
    it('uses real requests, not the defaults for containers without requests', () => {
      const [n1] = snapshot([makeNode('node1', 4000, 10000)], [pod([{}], 'node1')]);
      // cpu 1000m/4000m = .25, memory 0/10000 = 0 → std .125 → 87.
      expect(balancedAllocationScore(buildPodInfo(pod([{ cpu: '1000m' }])), n1.view(), cpuMem)).to.equal(87);
    });
  });

  describe('normalizeScores', () => {
    // k8s:pkg/scheduler/framework/plugins/helper/normalize_score_test.go TestDefaultNormalizeScore
    const cases: { reverse: boolean; scores: number[]; want: number[] }[] = [
      { reverse: false, scores: [1, 2, 3, 4], want: [25, 50, 75, 100] },
      { reverse: true, scores: [1, 2, 3, 4], want: [75, 50, 25, 0] },
      { reverse: false, scores: [1000, 10, 20, 30], want: [100, 1, 2, 3] },
      { reverse: true, scores: [1000, 10, 20, 30], want: [0, 99, 98, 97] },
      { reverse: false, scores: [1, 1, 1, 1], want: [100, 100, 100, 100] },
      { reverse: false, scores: [1000, 1, 1, 1], want: [100, 0, 0, 0] },
      { reverse: true, scores: [0, 1, 1, 1], want: [100, 0, 0, 0] },
    ];
    cases.forEach((c, i) => {
      it(`case_${i}: ${c.reverse ? 'reverse ' : ''}[${c.scores.join(', ')}]`, () => {
        expect(normalizeScores(c.scores, c.reverse)).to.deep.equal(c.want);
      });
    });

    // normalize_score.go DefaultNormalizeScore: with a maximum of 0 the scores stay 0, or become 100 reversed.
    it('leaves all-zero scores at 0, and makes them 100 when reversed', () => {
      expect(normalizeScores([0, 0, 0], false)).to.deep.equal([0, 0, 0]);
      expect(normalizeScores([0, 0, 0], true)).to.deep.equal([100, 100, 100]);
    });
  });
});
