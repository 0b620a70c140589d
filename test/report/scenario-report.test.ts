import { expect } from 'chai';
import type { NodeObject } from '../../src/api/nodes';
import type { PodObject } from '../../src/api/pods';
import { Cluster } from '../../src/cluster';
import {
  clusterView,
  eventsTable,
  podsTable,
  SCENARIO_START,
  timelineEntries,
} from '../../src/report/scenario-report';
import { nodesFromTable } from '../../src/scenario/node-table';

const GI = 2 ** 30;

async function clusterWith(nodes: Record<string, string>[], manifests?: string): Promise<Cluster> {
  const cluster = await Cluster.create();
  for (const node of nodesFromTable(nodes)) await cluster.create(node);
  if (manifests) await cluster.applyManifests(manifests, 'test.yaml');
  await cluster.reconcile();
  return cluster;
}

function pod(name: string, requests: string, extra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: {name: ${name}}`,
    'spec:',
    `  containers: [{name: app, image: nginx, resources: {requests: ${requests}}}]`,
    extra,
  ].join('\n');
}

describe('clusterView', () => {
  it('shows each node with its pods, taints and requested against allocatable resources', async () => {
    const cluster = await clusterWith(
      [
        { name: 'n1', cpu: '4', memory: '8Gi', pods: '10', labels: 'disk=ssd', taints: '' },
        { name: 'n2', cpu: '2', memory: '4Gi', pods: '110', labels: '', taints: 'dedicated=gpu:NoSchedule' },
      ],
      [pod('web', '{cpu: 500m, memory: 1Gi}'), pod('api', '{cpu: 250m, memory: 512Mi}')].join('\n---\n'),
    );
    const view = clusterView(cluster);
    expect(view.nodes.map((n) => n.name)).to.deep.equal(['n1', 'n2']);
    const [n1, n2] = view.nodes;
    expect(n1.ready).to.equal('True');
    expect(n1.unschedulable).to.equal(false);
    expect(n1.labels).to.include({ disk: 'ssd', 'kubernetes.io/hostname': 'n1' });
    expect(n1.cpu).to.deep.equal({ requestedMilli: 750, allocatableMilli: 4000 });
    expect(n1.memory).to.deep.equal({ requestedBytes: 1.5 * GI, allocatableBytes: 8 * GI });
    expect(n1.pods).to.deep.equal({ count: 2, allocatable: 10 });
    expect(n1.podBoxes).to.deep.equal([
      {
        namespace: 'default',
        name: 'web',
        phase: 'Running',
        status: 'Running',
        ready: true,
        terminating: false,
      },
      {
        namespace: 'default',
        name: 'api',
        phase: 'Running',
        status: 'Running',
        ready: true,
        terminating: false,
      },
    ]);
    expect(n2.taints).to.deep.equal(['dedicated=gpu:NoSchedule']);
    expect(n2.cpu).to.deep.equal({ requestedMilli: 0, allocatableMilli: 2000 });
    expect(n2.pods).to.deep.equal({ count: 0, allocatable: 110 });
    expect(n2.podBoxes).to.deep.equal([]);
    expect(view.pendingPods).to.deep.equal([]);
  });

  it('puts pods bound to no node in the pending lane with kubectl status Pending', async () => {
    const cluster = await clusterWith(
      [{ name: 'small', cpu: '1', memory: '1Gi' }],
      [pod('fits', '{cpu: 100m}'), pod('huge', '{memory: 12Gi}')].join('\n---\n'),
    );
    const view = clusterView(cluster);
    expect(view.pendingPods).to.deep.equal([
      {
        namespace: 'default',
        name: 'huge',
        phase: 'Pending',
        status: 'Pending',
        ready: false,
        terminating: false,
      },
    ]);
    expect(view.nodes[0].podBoxes.map((p) => p.name)).to.deep.equal(['fits']);
    // The pending pod's request is nobody's: the node only carries what is bound to it.
    expect(view.nodes[0].memory.requestedBytes).to.equal(0);
  });

  it('leaves finished pods out of the requested resources and the pod count, but still shows them', async () => {
    const cluster = await clusterWith(
      [{ name: 'n1', cpu: '4', memory: '8Gi' }],
      [pod('job', '{cpu: "1", memory: 1Gi}'), pod('web', '{cpu: 500m}')].join('\n---\n'),
    );
    cluster.store.mutate<PodObject>('Pod', 'default', 'job', (p) => {
      p.status = { ...p.status, phase: 'Succeeded' };
    });
    const [n1] = clusterView(cluster).nodes;
    expect(n1.cpu.requestedMilli).to.equal(500);
    expect(n1.memory.requestedBytes).to.equal(0);
    expect(n1.pods.count).to.equal(1);
    expect(n1.podBoxes.map((p) => [p.name, p.phase])).to.deep.equal([
      ['job', 'Succeeded'],
      ['web', 'Running'],
    ]);
  });

  it('marks a cordoned node, its readiness and only the pressure conditions that are True', async () => {
    const cluster = await clusterWith([
      { name: 'n1', cpu: '4', memory: '8Gi', unschedulable: 'true' },
      { name: 'n2', cpu: '4', memory: '8Gi' },
    ]);
    cluster.store.mutate<NodeObject>('Node', undefined, 'n2', (node) => {
      node.status = {
        ...node.status,
        conditions: (node.status?.conditions ?? []).map((c) =>
          c.type === 'Ready' || c.type === 'MemoryPressure'
            ? { ...c, status: c.type === 'Ready' ? 'False' : 'True' }
            : c,
        ),
      };
    });
    const [n1, n2] = clusterView(cluster).nodes;
    expect(n1.unschedulable).to.equal(true);
    expect(n1.ready).to.equal('True');
    expect(n1.conditions).to.deep.equal([]);
    expect(n2.ready).to.equal('False');
    expect(n2.conditions).to.deep.equal(['MemoryPressure']);
  });

  it('calls a node without a Ready condition Unknown', async () => {
    const cluster = await clusterWith([{ name: 'n1' }]);
    cluster.store.mutate<NodeObject>('Node', undefined, 'n1', (node) => {
      node.status = { ...node.status, conditions: [] };
    });
    expect(clusterView(cluster).nodes[0].ready).to.equal('Unknown');
  });
});

describe('podsTable', () => {
  it('prints kubectl get pods -o wide without a NAMESPACE column when one namespace has pods', async () => {
    const cluster = await clusterWith([{ name: 'n1' }], pod('web', '{cpu: 100m}'));
    const lines = podsTable(cluster).split('\n');
    expect(lines[0]).to.match(
      /^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/,
    );
    expect(lines[1]).to.match(/^web +1\/1 +Running +0 +0s +10\.244\.\d+\.\d+ +n1 +<none> +<none>$/);
  });

  it('adds the NAMESPACE column once pods live in more than one namespace', async () => {
    const cluster = await clusterWith(
      [{ name: 'n1' }],
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}',
        pod('web', '{cpu: 100m}'),
        pod('web', '{cpu: 100m}').replace('{name: web}', '{name: web, namespace: prod}'),
      ].join('\n---\n'),
    );
    const lines = podsTable(cluster).split('\n');
    expect(lines[0]).to.match(/^NAMESPACE +NAME +READY/);
    expect(lines[1]).to.match(/^default +web /);
    expect(lines[2]).to.match(/^prod +web /);
  });

  it('says what kubectl says when there are no pods', async () => {
    const cluster = await clusterWith([{ name: 'n1' }]);
    expect(podsTable(cluster)).to.equal('No resources found in default namespace.\n');
  });
});

describe('eventsTable', () => {
  it('prints kubectl events, oldest first', async () => {
    const cluster = await clusterWith([{ name: 'n1', cpu: '1' }], pod('web', '{cpu: 100m}'));
    await cluster.advance(90_000);
    await cluster.applyManifests(pod('big', '{cpu: "2"}'), 'later.yaml');
    await cluster.reconcile();
    const lines = eventsTable(cluster).trimEnd().split('\n');
    expect(lines[0]).to.match(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(lines[1]).to.match(/^90s +Normal +Scheduled +Pod\/web +Successfully assigned default\/web to n1$/);
    // The kubelet's events of web come next; the FailedScheduling of big, 90 s later, comes last.
    expect(lines[lines.length - 1]).to.match(
      /^0s +Warning +FailedScheduling +Pod\/big +0\/1 nodes are available: 1 Insufficient cpu\./,
    );
  });

  it('says what kubectl says when there are no events', async () => {
    const cluster = await clusterWith([{ name: 'n1' }]);
    expect(eventsTable(cluster)).to.equal('No events found in default namespace.\n');
  });
});

describe('timelineEntries', () => {
  it('lists every event occurrence in the order it happened, repeats included', async () => {
    const cluster = await clusterWith(
      [{ name: 'n1', cpu: '1' }],
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}',
        pod('web', '{cpu: 100m}').replace('{name: web}', '{name: web, namespace: prod}'),
      ].join('\n---\n'),
    );
    const node = cluster.get('Node', undefined, 'n1') as NodeObject;
    const source = { component: 'test' };
    await cluster.advance(90_000);
    cluster.recorder.record(node, 'Warning', 'Flapping', 'the same message', source);
    await cluster.advance(30_000);
    cluster.recorder.record(node, 'Warning', 'Flapping', 'the same message', source);

    // The kubelet's container events are left aside: this is about order and repeats.
    const kubelet = new Set(['Pulling', 'Pulled', 'Created', 'Started']);
    const entries = timelineEntries(cluster).filter((e) => !kubelet.has(e.reason));
    expect(entries).to.deep.equal([
      {
        time: SCENARIO_START,
        type: 'Normal',
        reason: 'Scheduled',
        object: 'pod/prod/web',
        message: 'Successfully assigned prod/web to n1',
      },
      {
        time: new Date(SCENARIO_START.getTime() + 90_000),
        type: 'Warning',
        reason: 'Flapping',
        object: 'node/n1',
        message: 'the same message',
      },
      {
        time: new Date(SCENARIO_START.getTime() + 120_000),
        type: 'Warning',
        reason: 'Flapping',
        object: 'node/n1',
        message: 'the same message',
      },
    ]);
    // The stored Events fold the repeat into a count; the timeline keeps each occurrence.
    const flapping = cluster.store.list('Event').filter((e) => e.reason === 'Flapping');
    expect(flapping).to.have.length(1);
    expect(flapping[0].count).to.equal(2);
  });

  it('starts the timeline at the virtual clock epoch', () => {
    expect(SCENARIO_START.toISOString()).to.equal('2025-01-01T00:00:00.000Z');
  });
});
