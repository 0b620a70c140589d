// Steps of the pod and node lifecycle: nodes that fail and come back, workloads that change their memory use, and
// checks of container states, restarts, evictions, node conditions and the exact time of each event.
import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { ContainerStatus } from 'kubernetes-types/core/v1';
import type { NodeObject } from '../src/api/nodes';
import type { PodObject } from '../src/api/pods';
import { ANNOTATION } from '../src/node/workload';
import { formatGoDuration } from '../src/report/timeline';
import { describePod } from '../src/scenario/describe';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

When('node {string} stops responding', async function (this: KubespecWorld, node: string) {
  (await this.cluster()).stopNode(node);
});

When('node {string} comes back', async function (this: KubespecWorld, node: string) {
  (await this.cluster()).resumeNode(node);
});

When('node {string} becomes not ready', async function (this: KubespecWorld, node: string) {
  (await this.cluster()).setNodeReady(node, false);
});

When('node {string} becomes ready', async function (this: KubespecWorld, node: string) {
  (await this.cluster()).setNodeReady(node, true);
});

When(
  'pod {string} starts using {word} of memory',
  async function (this: KubespecWorld, name: string, quantity: string) {
    const ref = parseRef('pod', name);
    await (await this.cluster()).annotate('Pod', ref.namespace, ref.name, ANNOTATION.memoryUsage, quantity);
  },
);

When(
  'the system of node {string} starts using {word} of memory',
  async function (this: KubespecWorld, node: string, quantity: string) {
    await (await this.cluster()).annotate('Node', undefined, node, ANNOTATION.systemMemoryUsage, quantity);
  },
);

async function lastKnownPod(
  world: KubespecWorld,
  name: string,
): Promise<{ pod: PodObject | undefined; ref: string }> {
  const ref = parseRef('pod', name);
  const pod = (await world.cluster()).lastKnown('Pod', ref.namespace, ref.name) as PodObject | undefined;
  return { pod, ref: `${ref.namespace}/${ref.name}` };
}

async function containerOf(world: KubespecWorld, container: string, name: string): Promise<ContainerStatus> {
  const { pod, ref } = await lastKnownPod(world, name);
  const status = pod?.status?.containerStatuses?.find((c) => c.name === container);
  expect(status, `${describePod(pod, ref)}; container ${container}: no status`).to.not.equal(undefined);
  return status as ContainerStatus;
}

Then(
  'container {string} of pod {string} is waiting with reason {string}',
  async function (this: KubespecWorld, container: string, pod: string, reason: string) {
    const status = await containerOf(this, container, pod);
    expect(status.state?.waiting?.reason, `state ${JSON.stringify(status.state)}`).to.equal(reason);
  },
);

// The pod's uid, which a scenario cannot know, reads `<uid>`.
Then(
  'container {string} of pod {string} is waiting with message {string}',
  async function (this: KubespecWorld, container: string, pod: string, message: string) {
    const status = await containerOf(this, container, pod);
    const uid = (await lastKnownPod(this, pod)).pod?.metadata.uid ?? '<none>';
    expect(
      status.state?.waiting?.message?.replaceAll(uid, '<uid>'),
      `state ${JSON.stringify(status.state)}`,
    ).to.equal(message);
  },
);

Then(
  'container {string} of pod {string} is running',
  async function (this: KubespecWorld, container: string, pod: string) {
    const status = await containerOf(this, container, pod);
    expect(status.state?.running, `state ${JSON.stringify(status.state)}`).to.not.equal(undefined);
  },
);

Then(
  'container {string} of pod {string} has restarted {int} time(s)',
  async function (this: KubespecWorld, container: string, pod: string, count: number) {
    const status = await containerOf(this, container, pod);
    expect(status.restartCount, 'restartCount').to.equal(count);
  },
);

// The current state if the container is terminated, else the last termination (lastState).
Then(
  'container {string} of pod {string} was terminated with reason {string}',
  async function (this: KubespecWorld, container: string, pod: string, reason: string) {
    const status = await containerOf(this, container, pod);
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    expect(
      terminated?.reason,
      `state ${JSON.stringify(status.state)}, lastState ${JSON.stringify(status.lastState)}`,
    ).to.equal(reason);
  },
);

Then(
  'container {string} of pod {string} was terminated with exit code {int}',
  async function (this: KubespecWorld, container: string, pod: string, code: number) {
    const status = await containerOf(this, container, pod);
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    expect(
      terminated?.exitCode,
      `state ${JSON.stringify(status.state)}, lastState ${JSON.stringify(status.lastState)}`,
    ).to.equal(code);
  },
);

Then('pod {string} is ready', async function (this: KubespecWorld, name: string) {
  const { pod, ref } = await lastKnownPod(this, name);
  const ready = pod?.status?.conditions?.find((c) => c.type === 'Ready');
  expect(ready?.status, `${describePod(pod, ref)}; Ready ${JSON.stringify(ready)}`).to.equal('True');
});

Then('pod {string} is not ready', async function (this: KubespecWorld, name: string) {
  const { pod, ref } = await lastKnownPod(this, name);
  const ready = pod?.status?.conditions?.find((c) => c.type === 'Ready');
  expect(ready?.status, `${describePod(pod, ref)}; Ready ${JSON.stringify(ready)}`).to.equal('False');
});

Then(
  'pod {string} was evicted with message {string}',
  async function (this: KubespecWorld, name: string, message: string) {
    const { pod, ref } = await lastKnownPod(this, name);
    expect(pod?.status?.phase, describePod(pod, ref)).to.equal('Failed');
    expect(pod?.status?.reason, 'status.reason').to.equal('Evicted');
    expect(pod?.status?.message, 'status.message').to.equal(message);
  },
);

Then('pod {string} has QoS class {string}', async function (this: KubespecWorld, name: string, qos: string) {
  const { pod, ref } = await lastKnownPod(this, name);
  expect(pod?.status?.qosClass, describePod(pod, ref)).to.equal(qos);
});

Then(
  'pod {string} ended with phase {string}',
  async function (this: KubespecWorld, name: string, phase: string) {
    const { pod, ref } = await lastKnownPod(this, name);
    expect(pod?.status?.phase, describePod(pod, ref)).to.equal(phase);
  },
);

Then(
  'node {string} has condition {string} set to {string}',
  async function (this: KubespecWorld, name: string, type: string, status: string) {
    const node = (await this.cluster()).get('Node', undefined, name) as NodeObject | undefined;
    expect(node, `node ${name} does not exist`).to.not.equal(undefined);
    const condition = node?.status?.conditions?.find((c) => c.type === type);
    expect(
      condition?.status,
      `conditions of node ${name}: ${JSON.stringify(node?.status?.conditions)}`,
    ).to.equal(status);
  },
);

// Every event occurrence of the object in time order, each at its offset from the scenario's start (`+1m20s`);
// the object's uid, which a scenario cannot know, reads `<uid>` in messages.
async function eventsOf(world: KubespecWorld, kind: string, name: string, columns: string[]) {
  const cluster = await world.cluster();
  const ref = parseRef(kind, name);
  const object = `${ref.kind.kind.toLowerCase()}/${ref.name}`;
  const start = cluster.clock.now() - cluster.clock.elapsed();
  const uid = cluster.lastKnown(ref.kind.kind, ref.namespace, ref.name)?.metadata.uid ?? '<none>';
  return cluster.recorder.occurrences
    .filter((o) => o.object === object && o.namespace === ref.namespace)
    .map((o) => {
      const row: Record<string, string> = {
        time: `+${formatGoDuration(o.time - start)}`,
        type: o.type,
        reason: o.reason,
        message: o.message.replaceAll(uid, '<uid>'),
      };
      return Object.fromEntries(columns.map((c) => [c, row[c]]));
    });
}

Then(
  'the events of {kind} {string} were:',
  async function (this: KubespecWorld, kind: string, name: string, table) {
    const wanted = table.hashes() as Record<string, string>[];
    expect(await eventsOf(this, kind, name, Object.keys(wanted[0] ?? {}))).to.deep.equal(wanted);
  },
);

Then(
  'the events of {kind} {string} end with:',
  async function (this: KubespecWorld, kind: string, name: string, table) {
    const wanted = table.hashes() as Record<string, string>[];
    const actual = await eventsOf(this, kind, name, Object.keys(wanted[0] ?? {}));
    expect(actual.slice(-wanted.length)).to.deep.equal(wanted);
  },
);
