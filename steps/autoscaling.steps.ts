// Steps about load and the HorizontalPodAutoscaler: the cpu and memory pods use (the kubelet's simulated usage,
// which the resource metrics API reports), what the autoscaler wants and its conditions.
import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { HorizontalPodAutoscalerObject } from '../src/api/horizontal-pod-autoscalers';
import { parseSelector } from '../src/api/labels';
import { ANNOTATION } from '../src/node/workload';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

const USAGE: Readonly<Record<string, string>> = { cpu: ANNOTATION.cpuUsage, memory: ANNOTATION.memoryUsage };

function usageAnnotation(resource: string): string {
  const key = USAGE[resource];
  if (!key) throw new Error(`unknown resource "${resource}": use cpu or memory`);
  return key;
}

When(
  'pod {string} starts using {word} of cpu',
  async function (this: KubespecWorld, name: string, quantity: string) {
    const ref = parseRef('pod', name);
    await (await this.cluster()).annotate('Pod', ref.namespace, ref.name, ANNOTATION.cpuUsage, quantity);
  },
);

// Only the pods there are now: a pod created later reports no usage until it is given one (or its template
// carries the annotation).
When(
  'the pods matching {string} use {word} of {word} each',
  async function (this: KubespecWorld, selector: string, quantity: string, resource: string) {
    const key = usageAnnotation(resource);
    const cluster = await this.cluster();
    const matching = parseSelector(selector);
    const pods = cluster.pods().filter((p) => matching.matches(p.metadata.labels));
    expect(pods, `pods matching ${selector}`).to.not.be.empty;
    for (const p of pods)
      await cluster.annotate('Pod', p.metadata.namespace, p.metadata.name as string, key, quantity);
  },
);

async function autoscaler(world: KubespecWorld, name: string): Promise<HorizontalPodAutoscalerObject> {
  const ref = parseRef('hpa', name);
  const hpa = (await world.cluster()).get('HorizontalPodAutoscaler', ref.namespace, ref.name);
  expect(hpa, `horizontal pod autoscaler ${name} does not exist`).to.not.equal(undefined);
  return hpa as HorizontalPodAutoscalerObject;
}

Then(
  'horizontal pod autoscaler {string} wants {int} replica(s)',
  async function (this: KubespecWorld, name: string, n: number) {
    const hpa = await autoscaler(this, name);
    expect(hpa.status?.desiredReplicas, `status of hpa ${name}: ${JSON.stringify(hpa.status)}`).to.equal(n);
  },
);

Then(
  'the conditions of horizontal pod autoscaler {string} are:',
  async function (this: KubespecWorld, name: string, table) {
    const hpa = await autoscaler(this, name);
    const wanted = table.hashes() as Record<string, string>[];
    const columns = Object.keys(wanted[0] ?? {});
    const actual = (hpa.status?.conditions ?? []).map((c) =>
      Object.fromEntries(
        columns.map((col) => [col, String((c as unknown as Record<string, unknown>)[col] ?? '')]),
      ),
    );
    expect(actual, `conditions of hpa ${name}`).to.deep.equal(wanted);
  },
);
