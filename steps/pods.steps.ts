// Steps that check pods.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { parseSelector } from '../src/api/labels';
import type { PodObject } from '../src/api/pods';
import { describePod } from '../src/scenario/describe';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

async function findPod(
  world: KubespecWorld,
  name: string,
): Promise<{ pod: PodObject | undefined; ref: string }> {
  const ref = parseRef('pod', name);
  const pod = (await world.cluster()).get('Pod', ref.namespace, ref.name) as PodObject | undefined;
  return { pod, ref: `${ref.namespace}/${ref.name}` };
}

Then(
  'pod {string} is scheduled on node {string}',
  async function (this: KubespecWorld, name: string, node: string) {
    const { pod, ref } = await findPod(this, name);
    expect(pod?.spec?.nodeName, describePod(pod, ref)).to.equal(node);
  },
);

Then('pod {string} is not scheduled', async function (this: KubespecWorld, name: string) {
  const { pod, ref } = await findPod(this, name);
  expect(pod, describePod(pod, ref)).to.not.equal(undefined);
  expect(pod?.spec?.nodeName, describePod(pod, ref)).to.equal(undefined);
});

Then(
  'pod {string} is unschedulable with message {string}',
  async function (this: KubespecWorld, name: string, message: string) {
    const { pod, ref } = await findPod(this, name);
    const condition = pod?.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(condition?.status, describePod(pod, ref)).to.equal('False');
    expect(condition?.reason, describePod(pod, ref)).to.equal('Unschedulable');
    expect(condition?.message).to.equal(message);
  },
);

Then('pod {string} has phase {string}', async function (this: KubespecWorld, name: string, phase: string) {
  const { pod, ref } = await findPod(this, name);
  expect(pod?.status?.phase, describePod(pod, ref)).to.equal(phase);
});

Then('pod {string} is terminating', async function (this: KubespecWorld, name: string) {
  const { pod, ref } = await findPod(this, name);
  expect(pod?.metadata.deletionTimestamp, describePod(pod, ref)).to.be.a('string');
});

Then('pod {string} no longer exists', async function (this: KubespecWorld, name: string) {
  const { pod, ref } = await findPod(this, name);
  expect(pod, describePod(pod, ref)).to.equal(undefined);
});

Then(
  'pod {string} is nominated to node {string}',
  async function (this: KubespecWorld, name: string, node: string) {
    const { pod, ref } = await findPod(this, name);
    expect(pod?.status?.nominatedNodeName, describePod(pod, ref)).to.equal(node);
  },
);

Then(
  'pod {string} has condition {string} with reason {string}',
  async function (this: KubespecWorld, name: string, type: string, reason: string) {
    const { pod, ref } = await findPod(this, name);
    const condition = pod?.status?.conditions?.find((c) => c.type === type);
    expect(
      condition?.status,
      `${describePod(pod, ref)}; conditions: ${JSON.stringify(pod?.status?.conditions)}`,
    ).to.equal('True');
    expect(condition?.reason).to.equal(reason);
  },
);

Then(
  'pod {string} tolerates {string} for {int} seconds',
  async function (this: KubespecWorld, name: string, taint: string, seconds: number) {
    const { pod, ref } = await findPod(this, name);
    const [key, effect] = taint.split(':');
    const toleration = pod?.spec?.tolerations?.find((t) => t.key === key && t.effect === effect);
    expect(
      toleration,
      `${describePod(pod, ref)}; tolerations: ${JSON.stringify(pod?.spec?.tolerations)}`,
    ).to.not.equal(undefined);
    expect(toleration?.tolerationSeconds).to.equal(seconds);
  },
);

Then(
  'no pod matching {string} runs on node {string}',
  async function (this: KubespecWorld, selector: string, node: string) {
    const matching = parseSelector(selector);
    const found = (await this.cluster())
      .pods()
      .filter((p) => p.spec?.nodeName === node && matching.matches(p.metadata.labels))
      .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(found, `pods matching ${selector} on ${node}`).to.deep.equal([]);
  },
);

Then('the pods are placed as follows:', async function (this: KubespecWorld, table) {
  const cluster = await this.cluster();
  const actual = table.hashes().map((row: { pod: string; node: string }) => {
    const ref = parseRef('pod', row.pod);
    const pod = cluster.get('Pod', ref.namespace, ref.name) as PodObject | undefined;
    return { pod: row.pod, node: pod?.spec?.nodeName ?? '<none>' };
  });
  expect(actual).to.deep.equal(table.hashes());
});
