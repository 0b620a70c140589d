import { expect } from 'chai';
import { selectorFromLabelSelector } from '../../src/api/labels';
import type { NodeObject } from '../../src/api/nodes';
import { CPU, MEMORY } from '../../src/api/pod-resources';
import type { PodObject } from '../../src/api/pods';
import type { FilterStatus, StatusCode } from '../../src/scheduler/framework';
import { NodeInfo } from '../../src/scheduler/node-info';
import { buildPodInfo, type PodInfo } from '../../src/scheduler/pod-info';
import {
  type BudgetView,
  filterPodsWithPDBViolation,
  type PreemptionHost,
  type PreemptionResult,
  preempt,
} from '../../src/scheduler/preemption';
import { EPOCH } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

// k8s:pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go fixtures.
const negPriority = -100;
const lowPriority = 0;
const midPriority = 100;
const highPriority = 1000;
const veryHighPriority = 10000;
type Res = Record<string, string>;
const smallRes: Res = { cpu: '100m', memory: '100' };
const mediumRes: Res = { cpu: '200m', memory: '200' };
const largeRes: Res = { cpu: '300m', memory: '300' };
const veryLargeRes: Res = { cpu: '500m', memory: '500' };
const onePodRes: Res = { pods: '1' };
const nodeRes: Res = { cpu: '200m', memory: '400' };
// epochTime1..6 are nanoseconds apart in Go; milliseconds keep their order here.
const epochTime = (n = 0) => new Date(n).toISOString();

interface PodSpec {
  priority?: number;
  req?: Res;
  node?: string;
  startTime?: string;
  preemptionPolicy?: string;
  nominatedNodeName?: string;
  /** Terminating with DisruptionTarget=True reason PreemptionByScheduler. */
  preemptedVictim?: boolean;
  terminating?: boolean;
  labels?: Record<string, string>;
}

// st.MakePod(): Req() adds a container; without it the pod has none.
function makePod(name: string, s: PodSpec = {}): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: name,
      ...(s.labels ? { labels: s.labels } : {}),
      ...(s.terminating || s.preemptedVictim ? { deletionTimestamp: epochTime(1) } : {}),
    },
    spec: {
      containers: s.req ? [{ name: 'c', image: 'pause', resources: { requests: s.req } }] : [],
      priority: s.priority ?? 0,
      ...(s.preemptionPolicy ? { preemptionPolicy: s.preemptionPolicy } : {}),
      ...(s.node ? { nodeName: s.node } : {}),
    },
    status: {
      ...(s.startTime ? { startTime: s.startTime } : {}),
      ...(s.nominatedNodeName ? { nominatedNodeName: s.nominatedNodeName } : {}),
      ...(s.preemptedVictim
        ? {
            conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }],
          }
        : {}),
    },
  };
}

// st.MakeNode().Capacity(...): capacity and allocatable, pods 32 unless given.
function makeNode(name: string, capacity: Res = {}): NodeObject {
  const resources = { pods: '32', ...capacity };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { capacity: resources, allocatable: resources },
  };
}

/** internalcache.NewSnapshot: each pod lands on the node its spec.nodeName names. */
function snapshot(nodes: NodeObject[], pods: PodObject[]): NodeInfo[] {
  return nodes.map((n) => {
    const info = new NodeInfo(n.metadata.name as string, n);
    for (const p of pods) if (p.spec?.nodeName === n.metadata.name) info.addPod(buildPodInfo(p));
    return info;
  });
}

// The NodeResourcesFit filter (k8s:pkg/scheduler/framework/plugins/noderesources/fit.go fitsRequest), the only
// filter the Go tests register: pod count first, then cpu and memory requests against what is left.
function fitFilter(pod: PodInfo, node: NodeInfo): FilterStatus | null {
  const reasons: string[] = [];
  if (node.pods.size + 1 > node.podCapacity) reasons.push('Too many pods');
  const view = node.view();
  for (const name of [CPU, MEMORY]) {
    const request = pod.requests[name] ?? 0;
    if (request > 0 && request > view.allocatable[name] - (view.requested[name] ?? 0)) {
      reasons.push(`Insufficient ${name}`);
    }
  }
  return reasons.length === 0
    ? null
    : { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons, rules: ['test/fit'] };
}

function host(pods: PodObject[], budgets: BudgetView[] = []): PreemptionHost {
  const byKey = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const pod = (info: PodInfo) => byKey.get(info.key);
  return {
    filter: async (p, n) => fitFilter(p, n),
    random: new SeededRandom(4),
    // k8s:pkg/scheduler/util/utils.go GetPodStartTime: a pod without status.startTime counts as started now.
    startTime: (info) => {
      const started = pod(info)?.status?.startTime;
      return started ? Date.parse(started) : EPOCH;
    },
    terminatingByPreemption: (info) => {
      const p = pod(info);
      return Boolean(
        p?.metadata.deletionTimestamp &&
          p.status?.conditions?.some(
            (c) =>
              c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler',
          ),
      );
    },
    budgets: () => budgets,
  };
}

const status = (code: StatusCode): FilterStatus => ({ plugin: 'Fake', code, reasons: [], rules: [] });

/** framework.NewNodeToStatus(map, UnschedulableAndUnresolvable): nodes missing from the map are unresolvable. */
function statuses(entries: Record<string, StatusCode>): Map<string, FilterStatus> {
  return new Map(Object.entries(entries).map(([n, code]) => [n, status(code)]));
}

const allUnschedulable = (nodes: NodeObject[]) =>
  statuses(Object.fromEntries(nodes.map((n) => [n.metadata.name as string, 'Unschedulable'])));

async function run(
  preemptor: PodObject,
  nodes: NodeObject[],
  pods: PodObject[],
  nodeStatuses: Map<string, FilterStatus> = allUnschedulable(nodes),
  budgets: BudgetView[] = [],
): Promise<PreemptionResult> {
  return preempt(
    buildPodInfo(preemptor),
    snapshot(nodes, pods),
    nodeStatuses,
    preemptor.status?.nominatedNodeName,
    host([preemptor, ...pods], budgets),
  );
}

const victimNames = (r: PreemptionResult) => r.victims.map((v) => v.name).sort();

describe('preempt', () => {
  describe('PostFilter (TestPostFilter)', () => {
    // k8s:.../defaultpreemption/default_preemption_test.go TestPostFilter (the extender, PDB, TestPlugin-error
    // and pod-group cases need features the simulator lacks).
    it('pod with higher priority can be made schedulable', async () => {
      const result = await run(
        makePod('p', { priority: highPriority }),
        [makeNode('node1', onePodRes)],
        [makePod('p1', { node: 'node1' })],
      );
      expect(result).to.deep.include({ message: '', nominatedNode: 'node1' });
      expect(victimNames(result)).to.deep.equal(['p1']);
    });

    it('pod with tied priority is still unschedulable', async () => {
      const result = await run(
        makePod('p'),
        [makeNode('node1', onePodRes)],
        [makePod('p1', { node: 'node1' })],
      );
      expect(result.message).to.equal(
        'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
      );
      expect(result.nominatedNode).to.equal(undefined);
    });

    it('preemption should respect filteredNodesStatuses', async () => {
      const result = await run(
        makePod('p', { priority: highPriority }),
        [makeNode('node1', onePodRes)],
        [makePod('p1', { node: 'node1' })],
        statuses({ node1: 'UnschedulableAndUnresolvable' }),
      );
      expect(result.message).to.equal(
        'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
      );
    });

    it('preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable', async () => {
      const result = await run(
        makePod('p', { priority: highPriority }),
        [makeNode('node1', onePodRes)],
        [makePod('p1', { node: 'node1' })],
        statuses({}),
      );
      expect(result.message).to.equal(
        'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
      );
    });

    it('pod can be made schedulable on one node', async () => {
      const result = await run(
        makePod('p', { priority: midPriority }),
        [makeNode('node1', onePodRes), makeNode('node2', onePodRes)],
        [
          makePod('p1', { priority: highPriority, node: 'node1' }),
          makePod('p2', { priority: lowPriority, node: 'node2' }),
        ],
      );
      expect(result.nominatedNode).to.equal('node2');
      expect(victimNames(result)).to.deep.equal(['p2']);
    });

    // Without PodDisruptionBudgets both nodes violate none, so the lowest highest victim priority decides.
    it('pod can be made schedulable on minHighestPriority node (PDBs left out)', async () => {
      const result = await run(
        makePod('p', { priority: veryHighPriority }),
        [makeNode('node1', onePodRes), makeNode('node2', onePodRes)],
        [
          makePod('p1', { priority: highPriority, node: 'node1' }),
          makePod('p2', { priority: lowPriority, node: 'node1' }),
          makePod('p3', { priority: midPriority, node: 'node2' }),
        ],
      );
      expect(result.nominatedNode).to.equal('node2');
    });

    it('no candidate nodes found, no enough resource after removing low priority pods', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, req: largeRes }),
        [makeNode('node1', nodeRes), makeNode('node2', nodeRes)],
        [makePod('p1', { node: 'node1' }), makePod('p2', { node: 'node2' })],
      );
      expect(result.message).to.equal('preemption: 0/2 nodes are available: 2 Insufficient cpu.');
      expect(result.victims).to.deep.equal([]);
    });

    it('no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, req: largeRes }),
        [makeNode('node1', onePodRes), makeNode('node2', nodeRes), makeNode('node3', onePodRes)],
        [
          makePod('p1', { node: 'node1', priority: highPriority }),
          makePod('p2', { node: 'node2' }),
          makePod('p3', { node: 'node3', priority: highPriority }),
        ],
      );
      expect(result.message).to.equal(
        'preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.',
      );
    });

    it('no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes without enough CPU', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, req: largeRes }),
        ['node1', 'node2', 'node3', 'node4'].map((n) => makeNode(n, nodeRes)),
        [makePod('p1', { node: 'node1' }), makePod('p2', { node: 'node2' })],
        statuses({ node1: 'Unschedulable', node2: 'Unschedulable', node4: 'UnschedulableAndUnresolvable' }),
      );
      expect(result.message).to.equal(
        'preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.',
      );
    });

    // TestPreempt "basic preemption logic".
    it('basic preemption logic', async () => {
      const nodes = ['node1', 'node2', 'node3'].map((n) => makeNode(n, veryLargeRes));
      const result = await run(
        makePod('p', { priority: highPriority, req: veryLargeRes, preemptionPolicy: 'PreemptLowerPriority' }),
        nodes,
        [
          makePod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes }),
          makePod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes }),
          makePod('p2.1', { node: 'node2', priority: highPriority, req: largeRes }),
          makePod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes }),
        ],
      );
      expect(result.nominatedNode).to.equal('node1');
      expect(victimNames(result)).to.deep.equal(['p1.1', 'p1.2']);
    });
  });

  describe('PodEligibleToPreemptOthers', () => {
    // k8s:.../defaultpreemption/default_preemption_test.go TestPodEligibleToPreemptOthers, driven through preempt:
    // an eligible pod goes on to the dry run, an ineligible one gets the PostFilter message at once.
    const node1 = [makeNode('node1', onePodRes)];

    it("Pod with 'PreemptNever' preemption policy", async () => {
      const result = await run(
        makePod('p_with_preempt_never_policy', { priority: highPriority, preemptionPolicy: 'Never' }),
        node1,
        [makePod('p1', { node: 'node1' })],
      );
      expect(result.message).to.equal('preemption: not eligible due to preemptionPolicy=Never.');
      expect(result.victims).to.deep.equal([]);
    });

    it('Pod without nominated node', async () => {
      const result = await run(makePod('p_without_nominated_node', { priority: highPriority }), node1, [
        makePod('p1', { node: 'node1' }),
      ]);
      expect(result.nominatedNode).to.equal('node1');
    });

    // nominatedNodeStatus nil in Go has code Success, i.e. anything but UnschedulableAndUnresolvable.
    it('preemption victim pod terminating, as indicated by the dedicated DisruptionTarget condition', async () => {
      const result = await run(
        makePod('p_with_nominated_node', { priority: highPriority, nominatedNodeName: 'node1' }),
        node1,
        [makePod('p1', { node: 'node1', priority: lowPriority, preemptedVictim: true })],
      );
      expect(result.message).to.equal(
        'preemption: not eligible due to a terminating pod on the nominated node.',
      );
    });

    it('non-victim Pods terminating', async () => {
      const result = await run(
        makePod('p_with_nominated_node', { priority: highPriority, nominatedNodeName: 'node1' }),
        node1,
        [makePod('p1', { node: 'node1', priority: lowPriority, terminating: true })],
      );
      expect(result.message).to.equal('');
      expect(result.nominatedNode).to.equal('node1');
    });

    it('Pod with nominated node whose status is UnschedulableAndUnresolvable', async () => {
      const result = await run(
        makePod('p_with_nominated_node', { priority: highPriority, nominatedNodeName: 'node1' }),
        node1,
        [makePod('p1', { node: 'node1', priority: lowPriority, terminating: true })],
        statuses({ node1: 'UnschedulableAndUnresolvable' }),
      );
      expect(result.message).to.equal(
        'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
      );
    });

    // k8s:pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go PodEligibleToPreemptOthers:
    // an UnschedulableAndUnresolvable nominated node is preempted for again, whatever terminates on it.
    it('preempts again when the nominated node became UnschedulableAndUnresolvable, despite its terminating victim', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, nominatedNodeName: 'node1' }),
        [makeNode('node1', onePodRes), makeNode('node2', onePodRes)],
        [
          makePod('p1', { node: 'node1', priority: lowPriority, preemptedVictim: true }),
          makePod('p2', { node: 'node2', priority: lowPriority }),
        ],
        statuses({ node1: 'UnschedulableAndUnresolvable', node2: 'Unschedulable' }),
      );
      expect(result.nominatedNode).to.equal('node2');
    });

    // k8s:pkg/scheduler/framework/preemption/preemption.go Preempt: nominatedNodeStatus := m.Get(NominatedNodeName),
    // and NodeToStatus.Get gives the absent-nodes status (UnschedulableAndUnresolvable) for a node not in the map.
    it('treats a nominated node missing from the statuses as UnschedulableAndUnresolvable', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, nominatedNodeName: 'node1' }),
        [makeNode('node1', onePodRes), makeNode('node2', onePodRes)],
        [
          makePod('p1', { node: 'node1', priority: lowPriority, preemptedVictim: true }),
          makePod('p2', { node: 'node2', priority: lowPriority }),
        ],
        statuses({ node2: 'Unschedulable' }),
      );
      expect(result.nominatedNode).to.equal('node2');
    });
  });

  describe('SelectVictimsOnNode (TestDryRunPreemption)', () => {
    // k8s:.../defaultpreemption/default_preemption_test.go TestDryRunPreemption: nodes have veryLargeRes; the
    // candidates are checked one node at a time (preempt returns the chosen one). PDB, pod-affinity, topology
    // spread and candidate-limit cases need features the simulator lacks.
    const nodeWith = (name: string) => makeNode(name, veryLargeRes);

    it('a pod that fits on both nodes when lower priority pods are preempted', async () => {
      const pods = [
        makePod('p1', { node: 'node1', priority: midPriority, req: largeRes }),
        makePod('p2', { node: 'node2', priority: midPriority, req: largeRes }),
      ];
      const p = makePod('p', { priority: highPriority, req: largeRes });
      expect(victimNames(await run(p, [nodeWith('node1')], pods))).to.deep.equal(['p1']);
      expect(victimNames(await run(p, [nodeWith('node2')], pods))).to.deep.equal(['p2']);
    });

    it('a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen', async () => {
      const result = await run(
        makePod('p', { priority: lowPriority, req: largeRes }),
        [nodeWith('node1'), nodeWith('node2')],
        [
          makePod('p1', { node: 'node1', priority: midPriority, req: largeRes }),
          makePod('p2', { node: 'node2', priority: midPriority, req: largeRes }),
        ],
      );
      expect(result.message).to.equal(
        'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
      );
    });

    it('medium priority pod is preempted, but lower priority one stays as it is small', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, req: largeRes }),
        [nodeWith('node1')],
        [
          makePod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes }),
          makePod('p1.2', { node: 'node1', priority: midPriority, req: largeRes }),
        ],
      );
      expect(victimNames(result)).to.deep.equal(['p1.2']);
    });

    it('mixed priority pods are preempted', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, req: largeRes }),
        [nodeWith('node1'), nodeWith('node2')],
        [
          makePod('p1.1', { node: 'node1', priority: midPriority, req: smallRes }),
          makePod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes }),
          makePod('p1.3', { node: 'node1', priority: midPriority, req: mediumRes }),
          makePod('p1.4', { node: 'node1', priority: highPriority, req: smallRes }),
          makePod('p2', { node: 'node2', priority: highPriority, req: largeRes }),
        ],
      );
      expect(result.nominatedNode).to.equal('node1');
      expect(victimNames(result)).to.deep.equal(['p1.2', 'p1.3']);
    });

    it('mixed priority pods are preempted, pick later StartTime one when priorities are equal', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, req: largeRes }),
        [nodeWith('node1'), nodeWith('node2')],
        [
          makePod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes, startTime: epochTime(5) }),
          makePod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes, startTime: epochTime(4) }),
          makePod('p1.3', { node: 'node1', priority: midPriority, req: mediumRes, startTime: epochTime(3) }),
          makePod('p1.4', { node: 'node1', priority: highPriority, req: smallRes, startTime: epochTime(2) }),
          makePod('p2', { node: 'node2', priority: highPriority, req: largeRes, startTime: epochTime(1) }),
        ],
      );
      expect(result.nominatedNode).to.equal('node1');
      expect(victimNames(result)).to.deep.equal(['p1.1', 'p1.3']);
    });

    // SelectVictimsOnNode: when the pod still does not fit with every eligible pod gone, the node's filter
    // status becomes the dry-run reason for that node.
    it('reports the filter reason of a node where removing every lower-priority pod is not enough', async () => {
      const result = await run(
        makePod('p', { priority: highPriority, req: { cpu: '600m', memory: '600' } }),
        [nodeWith('node1')],
        [makePod('p1', { node: 'node1', priority: lowPriority, req: smallRes })],
      );
      expect(result.message).to.equal(
        'preemption: 0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.',
      );
    });
  });

  describe('pickOneNodeForPreemption (TestSelectBestCandidate)', () => {
    // k8s:.../defaultpreemption/default_preemption_test.go TestSelectBestCandidate: nodes have veryLargeRes.
    const cases: { name: string; nodes: string[]; pod: PodObject; pods: PodObject[]; expected: string[] }[] =
      [
        {
          name: 'a pod that fits on both nodes when lower priority pods are preempted',
          nodes: ['node1', 'node2'],
          pod: makePod('p', { priority: highPriority, req: largeRes }),
          pods: [
            makePod('p1', { node: 'node1', priority: midPriority, req: largeRes, startTime: epochTime() }),
            makePod('p2', { node: 'node2', priority: midPriority, req: largeRes, startTime: epochTime() }),
          ],
          expected: ['node1', 'node2'],
        },
        {
          name: 'node with min highest priority pod is picked',
          nodes: ['node1', 'node2', 'node3'],
          pod: makePod('p', { priority: highPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', { node: 'node1', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p1.2', { node: 'node1', priority: midPriority, req: largeRes, startTime: epochTime() }),
            makePod('p2.1', { node: 'node2', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p2.2', { node: 'node2', priority: lowPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.1', { node: 'node3', priority: lowPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.2', { node: 'node3', priority: lowPriority, req: mediumRes, startTime: epochTime() }),
          ],
          expected: ['node3'],
        },
        {
          name: 'when highest priorities are the same, minimum sum of priorities is picked',
          nodes: ['node1', 'node2', 'node3'],
          pod: makePod('p', { priority: highPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', { node: 'node1', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p1.2', { node: 'node1', priority: midPriority, req: largeRes, startTime: epochTime() }),
            makePod('p2.1', { node: 'node2', priority: midPriority, req: largeRes, startTime: epochTime() }),
            makePod('p2.2', { node: 'node2', priority: lowPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.2', { node: 'node3', priority: midPriority, req: mediumRes, startTime: epochTime() }),
          ],
          expected: ['node2'],
        },
        {
          name: 'when highest priority and sum are the same, minimum number of pods is picked',
          nodes: ['node1', 'node2', 'node3'],
          pod: makePod('p', { priority: highPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', { node: 'node1', priority: midPriority, req: smallRes, startTime: epochTime() }),
            makePod('p1.2', { node: 'node1', priority: negPriority, req: smallRes, startTime: epochTime() }),
            makePod('p1.3', { node: 'node1', priority: midPriority, req: smallRes, startTime: epochTime() }),
            makePod('p1.4', { node: 'node1', priority: negPriority, req: smallRes, startTime: epochTime() }),
            makePod('p2.1', { node: 'node2', priority: midPriority, req: largeRes, startTime: epochTime() }),
            makePod('p2.2', { node: 'node2', priority: negPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.2', { node: 'node3', priority: negPriority, req: smallRes, startTime: epochTime() }),
            makePod('p3.3', { node: 'node3', priority: lowPriority, req: smallRes, startTime: epochTime() }),
          ],
          expected: ['node2'],
        },
        {
          name: 'sum of adjusted priorities is considered',
          nodes: ['node1', 'node2', 'node3'],
          pod: makePod('p', { priority: highPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', { node: 'node1', priority: midPriority, req: smallRes, startTime: epochTime() }),
            makePod('p1.2', { node: 'node1', priority: negPriority, req: smallRes, startTime: epochTime() }),
            makePod('p1.3', { node: 'node1', priority: negPriority, req: smallRes, startTime: epochTime() }),
            makePod('p2.1', { node: 'node2', priority: midPriority, req: largeRes, startTime: epochTime() }),
            makePod('p2.2', { node: 'node2', priority: negPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.2', { node: 'node3', priority: negPriority, req: smallRes, startTime: epochTime() }),
            makePod('p3.3', { node: 'node3', priority: lowPriority, req: smallRes, startTime: epochTime() }),
          ],
          expected: ['node2'],
        },
        {
          name: 'non-overlapping lowest high priority, sum priorities, and number of pods',
          nodes: ['node1', 'node2', 'node3', 'node4'],
          pod: makePod('p', { priority: veryHighPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', { node: 'node1', priority: midPriority, req: smallRes, startTime: epochTime() }),
            makePod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes, startTime: epochTime() }),
            makePod('p1.3', { node: 'node1', priority: lowPriority, req: smallRes, startTime: epochTime() }),
            makePod('p2.1', { node: 'node2', priority: highPriority, req: largeRes, startTime: epochTime() }),
            makePod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p3.2', { node: 'node3', priority: lowPriority, req: smallRes, startTime: epochTime() }),
            makePod('p3.3', { node: 'node3', priority: lowPriority, req: smallRes, startTime: epochTime() }),
            makePod('p3.4', { node: 'node3', priority: lowPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p4.1', { node: 'node4', priority: midPriority, req: mediumRes, startTime: epochTime() }),
            makePod('p4.2', { node: 'node4', priority: midPriority, req: smallRes, startTime: epochTime() }),
            makePod('p4.3', { node: 'node4', priority: midPriority, req: smallRes, startTime: epochTime() }),
            makePod('p4.4', { node: 'node4', priority: negPriority, req: smallRes, startTime: epochTime() }),
          ],
          expected: ['node1'],
        },
        {
          name: "same priority, same number of victims, different start time for each node's pod",
          nodes: ['node1', 'node2', 'node3'],
          pod: makePod('p', { priority: highPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', {
              node: 'node1',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(2),
            }),
            makePod('p1.2', {
              node: 'node1',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(2),
            }),
            makePod('p2.1', {
              node: 'node2',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(3),
            }),
            makePod('p2.2', {
              node: 'node2',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(3),
            }),
            makePod('p3.1', {
              node: 'node3',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(1),
            }),
            makePod('p3.2', {
              node: 'node3',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(1),
            }),
          ],
          expected: ['node2'],
        },
        {
          name: 'same priority, same number of victims, different start time for all pods',
          nodes: ['node1', 'node2', 'node3'],
          pod: makePod('p', { priority: highPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', {
              node: 'node1',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(4),
            }),
            makePod('p1.2', {
              node: 'node1',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(2),
            }),
            makePod('p2.1', {
              node: 'node2',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(5),
            }),
            makePod('p2.2', {
              node: 'node2',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(1),
            }),
            makePod('p3.1', {
              node: 'node3',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(3),
            }),
            makePod('p3.2', {
              node: 'node3',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(6),
            }),
          ],
          expected: ['node3'],
        },
        {
          name: 'different priority, same number of victims, different start time for all pods',
          nodes: ['node1', 'node2', 'node3'],
          pod: makePod('p', { priority: highPriority, req: veryLargeRes }),
          pods: [
            makePod('p1.1', {
              node: 'node1',
              priority: lowPriority,
              req: mediumRes,
              startTime: epochTime(4),
            }),
            makePod('p1.2', {
              node: 'node1',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(2),
            }),
            makePod('p2.1', {
              node: 'node2',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(6),
            }),
            makePod('p2.2', {
              node: 'node2',
              priority: lowPriority,
              req: mediumRes,
              startTime: epochTime(1),
            }),
            makePod('p3.1', {
              node: 'node3',
              priority: lowPriority,
              req: mediumRes,
              startTime: epochTime(3),
            }),
            makePod('p3.2', {
              node: 'node3',
              priority: midPriority,
              req: mediumRes,
              startTime: epochTime(5),
            }),
          ],
          expected: ['node2'],
        },
      ];
    for (const c of cases) {
      it(c.name, async () => {
        const result = await run(
          c.pod,
          c.nodes.map((n) => makeNode(n, veryLargeRes)),
          c.pods,
        );
        expect(c.expected).to.include(result.nominatedNode);
      });
    }
  });
});

// st.MakePDB-like budgets of the Go tests: namespace default, selector app=foo.
function fooBudget(disruptionsAllowed: number, disruptedPods: string[] = []): BudgetView {
  return {
    namespace: 'default',
    selector: selectorFromLabelSelector({ matchLabels: { app: 'foo' } }),
    disruptionsAllowed,
    disruptedPods: new Set(disruptedPods),
  };
}

describe('PodDisruptionBudgets in preemption', () => {
  // k8s:.../defaultpreemption/default_preemption_test.go TestDryRunPreemption, the "preemption with violation
  // of ... pdb" cases: p1 and p2 (app=foo) are the victims, in that order.
  const foo = { labels: { app: 'foo' } };
  const victims = () => [buildPodInfo(makePod('p1', foo)), buildPodInfo(makePod('p2', foo))];
  const names = (pods: PodInfo[]) => pods.map((p) => p.name);
  const cases: [string, BudgetView, string[]][] = [
    ['preemption with violation of same pdb', fooBudget(1), ['p2']],
    ['the victim does not belong to DisruptedPods', fooBudget(1, ['p3']), ['p2']],
    ['the victim belongs to DisruptedPods', fooBudget(1, ['p1']), []],
    ['the victim belongs to DisruptedPods and DisruptionsAllowed is 0', fooBudget(0, ['p1']), ['p2']],
  ];
  for (const [name, budget, violating] of cases) {
    it(name, () => {
      expect(names(filterPodsWithPDBViolation(victims(), [budget]).violating)).to.deep.equal(violating);
    });
  }

  it('a budget with an empty selector protects no pod', () => {
    const empty = { ...fooBudget(0), selector: selectorFromLabelSelector({}) };
    expect(filterPodsWithPDBViolation(victims(), [empty]).violating).to.deep.equal([]);
  });

  // TestSelectBestCandidate's ordering, first criterion: the node whose victims violate no budget wins even
  // when its victim has the higher priority.
  it('picks the node whose victims violate no budget', async () => {
    const result = await run(
      makePod('p', { priority: highPriority, req: mediumRes }),
      [makeNode('node1', nodeRes), makeNode('node2', nodeRes)],
      [
        makePod('p1', { ...foo, node: 'node1', priority: lowPriority, req: mediumRes }),
        makePod('p2', { node: 'node2', priority: midPriority, req: mediumRes }),
      ],
      undefined,
      [fooBudget(0)],
    );
    expect(result.nominatedNode).to.equal('node2');
    expect(victimNames(result)).to.deep.equal(['p2']);
  });
});
