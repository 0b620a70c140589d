// Steps that check nodes.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { NodeObject } from '../src/api/nodes';
import { formatTaint } from '../src/api/taints';
import type { KubespecWorld } from './world';

async function findNode(world: KubespecWorld, name: string): Promise<NodeObject> {
  const node = (await world.cluster()).get('Node', undefined, name) as NodeObject | undefined;
  expect(node, `node ${name} does not exist`).to.not.equal(undefined);
  return node as NodeObject;
}

Then('node {string} runs {int} pod(s)', async function (this: KubespecWorld, name: string, count: number) {
  await findNode(this, name);
  const pods = (await this.cluster())
    .pods()
    .filter(
      (p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    )
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  expect(pods, `pods on node ${name}`).to.have.length(count);
});

Then('node {string} has taint {string}', async function (this: KubespecWorld, name: string, taint: string) {
  const node = await findNode(this, name);
  const taints = (node.spec?.taints ?? []).map(formatTaint);
  expect(taints, `taints of node ${name}`).to.include(taint);
});

Then(
  'node {string} has no taint {string}',
  async function (this: KubespecWorld, name: string, taint: string) {
    const node = await findNode(this, name);
    const taints = (node.spec?.taints ?? []).map(formatTaint);
    expect(taints, `taints of node ${name}`).to.not.include(taint);
  },
);
