// Steps that set up and drive the cluster. Actions only make their API call, as kubectl does; the
// controllers act when the scenario says `When the cluster reconciles` or lets time pass.
import { Given, When } from '@cucumber/cucumber';
import { nodesFromTable } from '../src/scenario/node-table';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

Given('a Kubernetes {word} cluster', function (this: KubespecWorld, version: string) {
  this.configure(`"a Kubernetes ${version} cluster"`, () => {
    this.options.kubernetesVersion = version;
  });
});

Given('the random seed {int}', function (this: KubespecWorld, seed: number) {
  this.configure('the random seed', () => {
    this.options.seed = seed;
  });
});

Given('the rules in {string}', function (this: KubespecWorld, dir: string) {
  this.addRulesDirectory(dir);
});

Given('the rule set:', function (this: KubespecWorld, text: string) {
  this.addRuleText(text, 'the rule set of the scenario');
});

Given('the nodes:', async function (this: KubespecWorld, table) {
  const cluster = await this.cluster();
  for (const node of nodesFromTable(table.hashes())) await cluster.create(node);
});

Given('the manifests:', async function (this: KubespecWorld, text: string) {
  await (await this.cluster()).applyManifests(text, 'manifests');
});

When('I apply the manifests:', async function (this: KubespecWorld, text: string) {
  await (await this.cluster()).applyManifests(text, 'manifests');
});

When('I try to apply the manifests:', async function (this: KubespecWorld, text: string) {
  const cluster = await this.cluster();
  this.lastError = undefined;
  this.objectsBefore = cluster.allObjects().length;
  try {
    await cluster.applyManifests(text, 'manifests');
  } catch (error) {
    this.lastError = error as Error;
  }
});

When('the cluster reconciles', async function (this: KubespecWorld) {
  await (await this.cluster()).reconcile();
});

When('{duration} pass(es)', async function (this: KubespecWorld, ms: number) {
  await (await this.cluster()).advance(ms);
});

When('I delete {kind} {string}', async function (this: KubespecWorld, kind: string, name: string) {
  const ref = parseRef(kind, name);
  const cluster = await this.cluster();
  await cluster.delete(ref.kind.kind, ref.namespace, ref.name);
});

When('I force delete {kind} {string}', async function (this: KubespecWorld, kind: string, name: string) {
  const ref = parseRef(kind, name);
  const cluster = await this.cluster();
  await cluster.delete(ref.kind.kind, ref.namespace, ref.name, { force: true });
});

When(
  'I taint node {string} with {string}',
  async function (this: KubespecWorld, node: string, taint: string) {
    await (await this.cluster()).taintNode(node, taint);
  },
);

When(
  'I remove the taint {string} from node {string}',
  async function (this: KubespecWorld, taint: string, node: string) {
    await (await this.cluster()).untaintNode(node, taint);
  },
);

When('I cordon node {string}', async function (this: KubespecWorld, node: string) {
  await (await this.cluster()).setUnschedulable(node, true);
});

When('I uncordon node {string}', async function (this: KubespecWorld, node: string) {
  await (await this.cluster()).setUnschedulable(node, false);
});
