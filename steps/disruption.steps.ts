// Steps about voluntary disruptions: the Eviction API and `kubectl drain` (src/scenario/kubectl-drain.ts).
// A drain keeps running in virtual time after its step: refused evictions are retried every 5 seconds while
// the scenario lets time pass, and the Then steps look at where it stands.
import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { TooManyRequestsError } from '../src/api/eviction';
import { Drain, parseDrainFlags } from '../src/scenario/kubectl-drain';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

const drains = new WeakMap<KubespecWorld, Map<string, Drain>>();

async function startDrain(world: KubespecWorld, node: string, flags: string): Promise<void> {
  const drain = await Drain.start(await world.cluster(), node, parseDrainFlags(flags));
  const map = drains.get(world) ?? new Map<string, Drain>();
  map.set(node, drain);
  drains.set(world, map);
}

function drainOf(world: KubespecWorld, node: string): Drain {
  const drain = drains.get(world)?.get(node);
  if (!drain) throw new Error(`node "${node}" was not drained in this scenario`);
  return drain;
}

When('I drain node {string}', async function (this: KubespecWorld, node: string) {
  await startDrain(this, node, '');
});

When(
  'I drain node {string} with {string}',
  async function (this: KubespecWorld, node: string, flags: string) {
    await startDrain(this, node, flags);
  },
);

async function evict(world: KubespecWorld, name: string): Promise<void> {
  const ref = parseRef('pod', name);
  await (await world.cluster()).evictions.evict(ref.namespace as string, ref.name);
}

When('I evict pod {string}', async function (this: KubespecWorld, name: string) {
  await evict(this, name);
});

// The refusal as the API returns it: the Status message, then each of its causes on a line of its own.
When('I try to evict pod {string}', async function (this: KubespecWorld, name: string) {
  this.lastError = undefined;
  try {
    await evict(this, name);
  } catch (error) {
    const causes = error instanceof TooManyRequestsError ? error.statusCauses.map((c) => c.message) : [];
    this.lastError = new Error([(error as Error).message, ...causes].join('\n'));
  }
});

Then('the drain of node {string} is complete', function (this: KubespecWorld, node: string) {
  const drain = drainOf(this, node);
  expect(
    drain.complete,
    `drain of ${node}, still waiting on ${drain.waitingOn().join(', ')}:\n${drain.output.join('\n')}`,
  ).to.equal(true);
});

Then(
  'the drain of node {string} is still waiting on pod(s) {string}',
  function (this: KubespecWorld, node: string, pods: string) {
    const drain = drainOf(this, node);
    expect(
      drain.complete || drain.failed,
      `the drain of ${node} has ended:\n${drain.output.join('\n')}`,
    ).to.equal(false);
    const wanted = pods.split(',').map((p) => p.trim());
    expect(drain.waitingOn(), `pods the drain of ${node} waits on`).to.deep.equal(wanted);
  },
);

Then(
  'the drain of node {string} is still waiting on {int} pod(s)',
  function (this: KubespecWorld, node: string, count: number) {
    const drain = drainOf(this, node);
    expect(
      drain.complete || drain.failed,
      `the drain of ${node} has ended:\n${drain.output.join('\n')}`,
    ).to.equal(false);
    expect(drain.waitingOn(), `pods the drain of ${node} waits on`).to.have.length(count);
  },
);

Then('the drain of node {string} failed with:', function (this: KubespecWorld, node: string, text: string) {
  const drain = drainOf(this, node);
  expect(drain.failed, `the drain of ${node} has not failed:\n${drain.output.join('\n')}`).to.equal(true);
  const start = drain.output.findIndex((line) => line.startsWith('error: unable to drain node'));
  expect(drain.output.slice(start).join('\n')).to.equal(text.trim());
});

Then('the drain of node {string} printed:', function (this: KubespecWorld, node: string, text: string) {
  expect(drainOf(this, node).output.join('\n')).to.equal(text.trim());
});
