// Steps about ReplicaSets, ReplicationControllers and Deployments: kubectl's scale, set image, label, rollout
// undo and rollout status, cascading deletion, a watch of pods during a rollout, and what the controllers own.
import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { PropagationPolicy } from '../src/api/apiserver';
import { kindFromResourceName } from '../src/api/kinds';
import { parseSelector } from '../src/api/labels';
import type { DeploymentObject, ReplicaSetObject } from '../src/api/replica-sets';
import type { Cluster } from '../src/cluster';
import { controllerOf } from '../src/controllers/pod-control';
import { formatGoDuration } from '../src/report/timeline';
import {
  newReplicaSetOf,
  replicaSetRows,
  replicaSetsOf,
  rolloutStatus,
  rolloutUndo,
  scale,
  scalingSteps,
  setImage,
} from '../src/scenario/kubectl-workloads';
import { PodWatch } from '../src/scenario/pod-watch';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

const watches = new WeakMap<KubespecWorld, PodWatch>();
const POLICIES: readonly PropagationPolicy[] = ['Background', 'Foreground', 'Orphan'];

async function deployment(world: KubespecWorld, name: string): Promise<DeploymentObject> {
  const ref = parseRef('deployment', name);
  const d = (await world.cluster()).get('Deployment', ref.namespace, ref.name) as
    | DeploymentObject
    | undefined;
  expect(d, `deployment ${name} does not exist`).to.not.equal(undefined);
  return d as DeploymentObject;
}

async function attempt(world: KubespecWorld, action: () => Promise<unknown>): Promise<void> {
  world.lastError = undefined;
  try {
    await action();
  } catch (error) {
    world.lastError = error as Error;
  }
}

When(
  'I scale {kind} {string} to {int} replica(s)',
  async function (this: KubespecWorld, kind: string, name: string, n: number) {
    const ref = parseRef(kind, name);
    await scale((await this.cluster()).api, ref.kind.kind, ref.namespace, ref.name, n);
  },
);

const setImageOf = async (
  world: KubespecWorld,
  kind: string,
  name: string,
  container: string | undefined,
  image: string,
) => {
  const ref = parseRef(kind, name);
  const cluster = await world.cluster();
  await setImage(cluster.api, cluster.store, ref.kind.kind, ref.namespace, ref.name, container, image);
};

When(
  'I set the image of {kind} {string} to {string}',
  async function (this: KubespecWorld, kind: string, name: string, image: string) {
    await setImageOf(this, kind, name, undefined, image);
  },
);

When(
  'I set the image of container {string} of {kind} {string} to {string}',
  async function (this: KubespecWorld, container: string, kind: string, name: string, image: string) {
    await setImageOf(this, kind, name, container, image);
  },
);

When(
  'I try to set the image of container {string} of {kind} {string} to {string}',
  async function (this: KubespecWorld, container: string, kind: string, name: string, image: string) {
    await attempt(this, () => setImageOf(this, kind, name, container, image));
  },
);

When(
  'I label {kind} {string} with {string}',
  async function (this: KubespecWorld, kind: string, name: string, label: string) {
    const ref = parseRef(kind, name);
    const [key, value] = label.endsWith('-') ? [label.slice(0, -1), undefined] : label.split('=');
    const cluster = await this.cluster();
    await cluster.asClient(() =>
      cluster.api.patch(ref.kind.kind, ref.namespace, ref.name, (draft) => {
        const labels = { ...(draft.metadata.labels ?? {}) };
        if (value === undefined) delete labels[key];
        else labels[key] = value;
        draft.metadata.labels = labels;
      }),
    );
  },
);

const undo = async (world: KubespecWorld, name: string, toRevision?: number) => {
  const ref = parseRef('deployment', name);
  const cluster = await world.cluster();
  return rolloutUndo(cluster.api, cluster.store, ref.namespace, ref.name, toRevision);
};

When('I undo the rollout of deployment {string}', async function (this: KubespecWorld, name: string) {
  await undo(this, name);
});

When(
  'I undo the rollout of deployment {string} to revision {int}',
  async function (this: KubespecWorld, name: string, rev: number) {
    await undo(this, name, rev);
  },
);

When('I try to undo the rollout of deployment {string}', async function (this: KubespecWorld, name: string) {
  await attempt(this, () => undo(this, name));
});

When(
  'I delete {kind} {string} with propagation {string}',
  async function (this: KubespecWorld, kind: string, name: string, policy: string) {
    expect(POLICIES, 'propagation policy').to.include(policy);
    const ref = parseRef(kind, name);
    await (await this.cluster()).delete(ref.kind.kind, ref.namespace, ref.name, {
      propagationPolicy: policy as PropagationPolicy,
    });
  },
);

When('I watch pods matching {string}', async function (this: KubespecWorld, selector: string) {
  watches.set(this, new PodWatch((await this.cluster()).store, parseSelector(selector)));
});

function watchOf(world: KubespecWorld): PodWatch {
  const watch = watches.get(world);
  expect(watch, 'no "When I watch pods matching ..." step came before').to.not.equal(undefined);
  return watch as PodWatch;
}

const at = (cluster: Cluster, time: number) =>
  `+${formatGoDuration(time - (cluster.clock.now() - cluster.clock.elapsed()))}`;

Then('at most {int} watched pod(s) existed at once', async function (this: KubespecWorld, n: number) {
  const { time, count } = watchOf(this).mostExisting;
  expect(count, `${count} watched pods existed at ${at(await this.cluster(), time)}`).to.be.at.most(n);
});

Then(
  'at least {int} watched pod(s) were/was available at all times',
  async function (this: KubespecWorld, n: number) {
    const { time, count } = watchOf(this).fewestAvailable;
    expect(
      count,
      `only ${count} watched pods were available at ${at(await this.cluster(), time)}`,
    ).to.be.at.least(n);
  },
);

Then('at the peak {int} watched pods existed at once', async function (this: KubespecWorld, n: number) {
  const { time, count } = watchOf(this).mostExisting;
  expect(count, `the most watched pods existed at ${at(await this.cluster(), time)}`).to.equal(n);
});

Then(
  'at most {int} watched pod(s) existed at once, not counting terminating pods',
  async function (this: KubespecWorld, n: number) {
    const { time, count } = watchOf(this).mostActive;
    const when = at(await this.cluster(), time);
    expect(count, `${count} watched pods were neither terminating nor finished at ${when}`).to.be.at.most(n);
  },
);

Then(
  '{int} pod(s) matching {string} is/are running',
  async function (this: KubespecWorld, n: number, selector: string) {
    const matching = parseSelector(selector);
    const pods = (await this.cluster()).pods().filter((p) => matching.matches(p.metadata.labels));
    const running = pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
    const seen = pods.map(
      (p) => `${p.metadata.name} ${p.metadata.deletionTimestamp ? 'Terminating' : p.status?.phase}`,
    );
    expect(running.length, `pods matching ${selector}: ${seen.join(', ') || 'none'}`).to.equal(n);
  },
);

Then(
  'deployment {string} has {int} available replica(s)',
  async function (this: KubespecWorld, name: string, n: number) {
    const d = await deployment(this, name);
    expect(
      d.status?.availableReplicas ?? 0,
      `status of deployment ${name}: ${JSON.stringify(d.status)}`,
    ).to.equal(n);
  },
);

Then('the rollout of deployment {string} is complete', async function (this: KubespecWorld, name: string) {
  const status = rolloutStatus(await deployment(this, name));
  expect(status.done, status.message).to.equal(true);
});

Then(
  'the rollout status of deployment {string} is {string}',
  async function (this: KubespecWorld, name: string, message: string) {
    expect(rolloutStatus(await deployment(this, name)).message).to.equal(message);
  },
);

Then(
  'deployment {string} has {int} replica set(s)',
  async function (this: KubespecWorld, name: string, n: number) {
    const cluster = await this.cluster();
    const names = replicaSetsOf(cluster.store, await deployment(this, name)).map((rs) => rs.metadata.name);
    expect(names, `replica sets of deployment ${name}`).to.have.length(n);
  },
);

Then(
  'the new replica set of deployment {string} has {int} ready replica(s)',
  async function (this: KubespecWorld, name: string, n: number) {
    const rs = newReplicaSetOf((await this.cluster()).store, await deployment(this, name));
    expect(rs, `deployment ${name} has no replica set with its template`).to.not.equal(undefined);
    expect((rs as ReplicaSetObject).status?.readyReplicas ?? 0, JSON.stringify(rs?.status)).to.equal(n);
  },
);

Then(
  'the replica sets of deployment {string} are:',
  async function (this: KubespecWorld, name: string, table) {
    const wanted = table.hashes() as Record<string, string>[];
    const columns = Object.keys(wanted[0] ?? {});
    const rows = replicaSetRows((await this.cluster()).store, await deployment(this, name));
    const actual = rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));
    expect(actual, `kubectl get rs (deployment ${name})`).to.deep.equal(wanted);
  },
);

Then(
  '{kind} {string} is controlled by {kind} {string}',
  async function (this: KubespecWorld, kind: string, name: string, ownerKind: string, owner: string) {
    const ref = parseRef(kind, name);
    const ownerRef = parseRef(ownerKind, owner);
    const cluster = await this.cluster();
    const obj = cluster.get(ref.kind.kind, ref.namespace, ref.name);
    const expected = cluster.get(ownerRef.kind.kind, ownerRef.namespace, ownerRef.name);
    const controller = obj ? controllerOf(obj) : undefined;
    expect(
      controller,
      `${kind} ${name}: ownerReferences ${JSON.stringify(obj?.metadata.ownerReferences)}`,
    ).to.include({
      kind: ownerRef.kind.kind,
      name: ownerRef.name,
      uid: expected?.metadata.uid,
    });
  },
);

Then('{kind} {string} has no controller', async function (this: KubespecWorld, kind: string, name: string) {
  const ref = parseRef(kind, name);
  const obj = (await this.cluster()).get(ref.kind.kind, ref.namespace, ref.name);
  expect(obj, `${kind} ${name} does not exist`).to.not.equal(undefined);
  expect(obj?.metadata.ownerReferences, `ownerReferences of ${kind} ${name}`).to.equal(undefined);
});

Then(
  'there is/are {int} {word} matching {string}',
  async function (this: KubespecWorld, n: number, resource: string, selector: string) {
    const kind = kindFromResourceName(resource);
    expect(kind, `unknown kind "${resource}"`).to.not.equal(undefined);
    const matching = parseSelector(selector);
    const found = (await this.cluster()).store
      .list(kind?.kind as string)
      .filter((o) => matching.matches(o.metadata.labels))
      .map((o) => `${o.metadata.name}${o.metadata.deletionTimestamp ? ' (terminating)' : ''}`);
    expect(found, `${resource} matching ${selector}`).to.have.length(n);
  },
);

Then(
  'the {word} matching {string} have no controller',
  async function (this: KubespecWorld, resource: string, selector: string) {
    const kind = kindFromResourceName(resource);
    expect(kind, `unknown kind "${resource}"`).to.not.equal(undefined);
    const matching = parseSelector(selector);
    const owned = (await this.cluster()).store
      .list(kind?.kind as string)
      .filter((o) => matching.matches(o.metadata.labels) && controllerOf(o))
      .map((o) => `${o.metadata.name} (controlled by ${controllerOf(o)?.kind} ${controllerOf(o)?.name})`);
    expect(owned, `${resource} matching ${selector} that have a controller`).to.deep.equal([]);
  },
);

Then(
  'deployment {string} scaled its replica sets as follows:',
  async function (this: KubespecWorld, name: string, table) {
    const cluster = await this.cluster();
    const d = await deployment(this, name);
    const wanted = table.hashes() as Record<string, string>[];
    const columns = Object.keys(wanted[0] ?? {});
    const steps = scalingSteps(cluster.recorder.occurrences, d, (rs) =>
      cluster.lastKnown('ReplicaSet', d.metadata.namespace, rs),
    );
    const actual = steps.map((step) => {
      const row: Record<string, string> = {
        time: at(cluster, step.time),
        revision: step.revision,
        from: String(step.from),
        to: String(step.to),
      };
      return Object.fromEntries(columns.map((c) => [c, row[c]]));
    });
    expect(actual, `ScalingReplicaSet events of deployment ${name}`).to.deep.equal(wanted);
  },
);
