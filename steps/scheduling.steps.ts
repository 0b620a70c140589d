// Steps that check what the scheduler did: events it did not record, ties among equal nodes, preemption and
// nomination. A preempted pod is gone by the time a scenario looks (the simulated kubelet removes a
// terminating pod at once); the cluster keeps the last state of deleted objects for such questions.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { StoredEvent } from '../src/api/events';
import type { PodObject } from '../src/api/pods';
import type { Cluster } from '../src/cluster';
import { describePod } from '../src/scenario/describe';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

function podEvents(cluster: Cluster, namespace: string | undefined, name: string): StoredEvent[] {
  return (cluster.store.list('Event') as StoredEvent[]).filter(
    (e) =>
      e.involvedObject.kind === 'Pod' &&
      e.involvedObject.namespace === namespace &&
      e.involvedObject.name === name,
  );
}

Then(
  'no {string} event was recorded for pod {string}',
  async function (this: KubespecWorld, reason: string, name: string) {
    const ref = parseRef('pod', name);
    const events = podEvents(await this.cluster(), ref.namespace, ref.name);
    const found = events.filter((e) => e.reason === reason).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(found, `${reason} events of pod ${ref.namespace}/${ref.name}`).to.deep.equal([]);
  },
);

// "node-1, node-2, node-3": where kube-scheduler picks at random among equally good nodes.
Then(
  'pod {string} is scheduled on one of the nodes {string}',
  async function (this: KubespecWorld, name: string, list: string) {
    const ref = parseRef('pod', name);
    const pod = (await this.cluster()).get('Pod', ref.namespace, ref.name) as PodObject | undefined;
    const nodes = list.split(',').map((n) => n.trim());
    expect(nodes, describePod(pod, `${ref.namespace}/${ref.name}`)).to.include(pod?.spec?.nodeName);
  },
);

// The Preempted event names the preemptor by uid, which the scenario cannot know: it is looked up.
Then(
  'pod {string} was preempted by pod {string} on node {string}',
  async function (this: KubespecWorld, victim: string, preemptor: string, node: string) {
    const cluster = await this.cluster();
    const v = parseRef('pod', victim);
    const p = parseRef('pod', preemptor);
    const by = cluster.get('Pod', p.namespace, p.name) as PodObject | undefined;
    expect(by, `pod ${p.namespace}/${p.name} does not exist`).to.not.equal(undefined);
    const events = podEvents(cluster, v.namespace, v.name).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(events, `events of pod ${v.namespace}/${v.name}`).to.include(
      `Normal Preempted: Preempted by pod ${by?.metadata.uid} on node ${node}`,
    );
  },
);

Then(
  'pod {string} was deleted with condition {string} reason {string}',
  async function (this: KubespecWorld, name: string, type: string, reason: string) {
    const cluster = await this.cluster();
    const ref = parseRef('pod', name);
    const key = `${ref.namespace}/${ref.name}`;
    const current = cluster.get('Pod', ref.namespace, ref.name) as PodObject | undefined;
    const last = current?.metadata.deletionTimestamp
      ? current
      : current
        ? undefined
        : (cluster.lastKnown('Pod', ref.namespace, ref.name) as PodObject | undefined);
    expect(last, `${describePod(current, key)}, and was not deleted`).to.not.equal(undefined);
    const condition = last?.status?.conditions?.find((c) => c.type === type);
    expect(condition, `conditions of pod ${key}: ${JSON.stringify(last?.status?.conditions)}`).to.include({
      status: 'True',
      reason,
    });
  },
);

// The nomination lasts only until the victims are gone, which in kubespec is within the same reconcile, so
// the scheduler's trace of its attempts is what shows it.
Then(
  'pod {string} was nominated to node {string}',
  async function (this: KubespecWorld, name: string, node: string) {
    const ref = parseRef('pod', name);
    const key = `${ref.namespace}/${ref.name}`;
    const nominations = (await this.cluster()).trace.entries.flatMap((e) =>
      e.kind === 'scheduling' && e.pod === key && e.nominatedNode ? [e.nominatedNode] : [],
    );
    expect(nominations, `nodes pod ${key} was nominated to`).to.include(node);
  },
);
