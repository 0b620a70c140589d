// Steps about StatefulSets, DaemonSets and Jobs: whether a Job finished and how, where a DaemonSet runs, which
// pods a workload controls and in which order they were created, and the claims a StatefulSet made.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { JobObject } from '../src/api/jobs';
import { describePod } from '../src/scenario/describe';
import { fieldText } from '../src/scenario/fields';
import { parseRef } from '../src/scenario/references';
import {
  creationOrderProblems,
  daemonPodNodes,
  daemonPodsOn,
  nodeNames,
  podsControlledBy,
  podsOfJobIndex,
  trueJobCondition,
} from '../src/scenario/workload-kinds';
import type { KubespecWorld } from './world';

const names = (list: string) =>
  list.trim() === 'none'
    ? []
    : list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

async function job(world: KubespecWorld, name: string): Promise<JobObject> {
  const ref = parseRef('job', name);
  const found = (await world.cluster()).get('Job', ref.namespace, ref.name) as JobObject | undefined;
  expect(found, `job ${name} does not exist`).to.not.equal(undefined);
  return found as JobObject;
}

const conditionsOf = (j: JobObject) => JSON.stringify(j.status?.conditions ?? []);

Then('job {string} is complete', async function (this: KubespecWorld, name: string) {
  const j = await job(this, name);
  expect(trueJobCondition(j, 'Complete'), `conditions of job ${name}: ${conditionsOf(j)}`).to.not.equal(
    undefined,
  );
});

Then('job {string} is not complete', async function (this: KubespecWorld, name: string) {
  const j = await job(this, name);
  expect(trueJobCondition(j, 'Complete'), `conditions of job ${name}: ${conditionsOf(j)}`).to.equal(
    undefined,
  );
  expect(trueJobCondition(j, 'Failed'), `conditions of job ${name}: ${conditionsOf(j)}`).to.equal(undefined);
});

Then(
  'job {string} has failed with reason {string}',
  async function (this: KubespecWorld, name: string, reason: string) {
    const j = await job(this, name);
    expect(trueJobCondition(j, 'Failed')?.reason, `conditions of job ${name}: ${conditionsOf(j)}`).to.equal(
      reason,
    );
  },
);

// Every condition of the Job in order; columns any of type, status, reason, message.
Then('the conditions of job {string} are:', async function (this: KubespecWorld, name: string, table) {
  const j = await job(this, name);
  const wanted = table.hashes() as Record<string, string>[];
  const columns = Object.keys(wanted[0] ?? {});
  const actual = (j.status?.conditions ?? []).map((c) =>
    Object.fromEntries(
      columns.map((col) => [col, String((c as unknown as Record<string, unknown>)[col] ?? '')]),
    ),
  );
  expect(actual, `conditions of job ${name}`).to.deep.equal(wanted);
});

Then('pods {string} were created in that order', async function (this: KubespecWorld, list: string) {
  const refs = names(list).map((n) => parseRef('pod', n));
  const problems = creationOrderProblems(
    await this.cluster(),
    'Pod',
    refs[0]?.namespace,
    refs.map((r) => r.name),
  );
  expect(problems, 'creation order').to.deep.equal([]);
});

// The pods the object controls that still exist (terminating ones included), sorted by name; "none" for none.
Then(
  'the pods of {kind} {string} are {string}',
  async function (this: KubespecWorld, kind: string, name: string, list: string) {
    const pods = podsControlledBy(await this.cluster(), parseRef(kind, name)).map((p) => p.metadata.name);
    expect(pods, `pods of ${kind} ${name}`).to.deep.equal(names(list).sort());
  },
);

Then('pods {string} run image {string}', async function (this: KubespecWorld, list: string, image: string) {
  const cluster = await this.cluster();
  for (const name of names(list)) {
    const ref = parseRef('pod', name);
    const pod = cluster.get('Pod', ref.namespace, ref.name);
    const images = ((pod?.spec as { containers?: { image?: string }[] } | undefined)?.containers ?? []).map(
      (c) => c.image,
    );
    expect(images, `images of pod ${name}`).to.deep.equal([image]);
  }
});

Then('daemon set {string} runs a pod on every node', async function (this: KubespecWorld, name: string) {
  const cluster = await this.cluster();
  expect(daemonPodNodes(cluster, parseRef('ds', name)), `nodes of daemon set ${name}`).to.deep.equal(
    nodeNames(cluster),
  );
});

Then(
  'daemon set {string} runs a pod on nodes {string}',
  async function (this: KubespecWorld, name: string, list: string) {
    const nodes = daemonPodNodes(await this.cluster(), parseRef('ds', name));
    expect(nodes, `nodes of daemon set ${name}`).to.deep.equal(names(list).sort());
  },
);

Then(
  'node {string} runs no pod of daemon set {string}',
  async function (this: KubespecWorld, node: string, name: string) {
    const pods = daemonPodsOn(await this.cluster(), parseRef('ds', name), node);
    const seen = pods.map((p) => describePod(p, `${p.metadata.namespace}/${p.metadata.name}`));
    expect(seen, `pods of daemon set ${name} for node ${node}`).to.deep.equal([]);
  },
);

async function daemonPodFor(world: KubespecWorld, name: string, node: string) {
  const pods = daemonPodsOn(await world.cluster(), parseRef('ds', name), node).filter(
    (p) => !p.metadata.deletionTimestamp,
  );
  expect(pods, `pods of daemon set ${name} for node ${node}`).to.have.length(1);
  return pods[0];
}

Then(
  'the pod of daemon set {string} for node {string} has these fields:',
  async function (this: KubespecWorld, name: string, node: string, table) {
    const pod = await daemonPodFor(this, name, node);
    const rows = table.hashes() as { field: string; value: string }[];
    const actual = rows.map((row) => ({ field: row.field, value: fieldText(pod, row.field) }));
    expect(actual, `fields of pod ${pod.metadata.name}`).to.deep.equal(rows);
  },
);

Then(
  'the pod of daemon set {string} for node {string} is unschedulable with message {string}',
  async function (this: KubespecWorld, name: string, node: string, message: string) {
    const pod = await daemonPodFor(this, name, node);
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const seen = describePod(pod, `${pod.metadata.namespace}/${pod.metadata.name}`);
    expect({ status: scheduled?.status, reason: scheduled?.reason }, seen).to.deep.equal({
      status: 'False',
      reason: 'Unschedulable',
    });
    expect(scheduled?.message).to.equal(message);
  },
);

Then(
  'the pod of job {string} with index {int} has these fields:',
  async function (this: KubespecWorld, name: string, index: number, table) {
    const pods = podsOfJobIndex(await this.cluster(), parseRef('job', name), index);
    expect(pods, `pods of job ${name} with index ${index}`).to.have.length(1);
    const rows = table.hashes() as { field: string; value: string }[];
    const actual = rows.map((row) => ({ field: row.field, value: fieldText(pods[0], row.field) }));
    expect(actual, `fields of pod ${pods[0].metadata.name}`).to.deep.equal(rows);
  },
);

Then('claim {string} exists', async function (this: KubespecWorld, name: string) {
  const ref = parseRef('pvc', name);
  const claim = (await this.cluster()).get('PersistentVolumeClaim', ref.namespace, ref.name);
  expect(claim, `persistentvolumeclaim ${name}`).to.not.equal(undefined);
});
