import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import { Cluster } from '../../src/cluster';
import { nodesFromTable } from '../../src/scenario/node-table';

// The pod garbage collector's orphan pass, after k8s:pkg/controller/podgc/gc_controller_test.go TestGCOrphaned
// ("deleted node", "quarantine", "pods on existing nodes are kept") with its 20s period and 40s quarantine.

async function clusterWithPods(): Promise<Cluster> {
  const c = await Cluster.create();
  for (const n of nodesFromTable([{ name: 'gone' }, { name: 'kept' }])) await c.create(n);
  await c.applyManifests(
    `
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: gone, containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeName: kept, containers: [{name: c, image: nginx}]}`,
    'pods',
  );
  await c.reconcile();
  return c;
}

describe('the pod garbage collector', () => {
  it('deletes the pods of a deleted node after the quarantine that follows the next pass', async () => {
    const c = await clusterWithPods();
    await c.advance(5000);
    await c.delete('Node', undefined, 'gone');
    // The pass at 20s sees the node missing; it is checked again 40s later.
    await c.advance(54_999);
    expect(c.get('Pod', 'default', 'a')).to.not.equal(undefined);
    await c.advance(1);
    expect(c.get('Pod', 'default', 'a')).to.equal(undefined);
    expect(c.get('Pod', 'default', 'b')).to.not.equal(undefined);
  });

  it('marks the pod Failed with the DisruptionTarget condition before it deletes it', async () => {
    const c = await clusterWithPods();
    await c.delete('Node', undefined, 'gone');
    await c.advance(60_000);
    const last = c.lastKnown('Pod', 'default', 'a') as PodObject;
    expect(last.status?.phase).to.equal('Failed');
    const condition = last.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
    expect(condition).to.include({
      status: 'True',
      reason: 'DeletionByPodGC',
      message: 'PodGC: node no longer exists',
    });
  });

  it('keeps the pods of a node that came back during the quarantine', async () => {
    const c = await clusterWithPods();
    await c.delete('Node', undefined, 'gone');
    await c.advance(10_000);
    for (const n of nodesFromTable([{ name: 'gone' }])) await c.create(n);
    await c.advance(60_000);
    expect(c.get('Pod', 'default', 'a')).to.not.equal(undefined);
  });

  it('collects a pod bound to a node that never existed', async () => {
    const c = await Cluster.create();
    await c.applyManifests(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: lost}\nspec: {nodeName: nowhere, containers: [{name: c, image: nginx}]}',
      'pod',
    );
    await c.advance(39_999);
    expect(c.get('Pod', 'default', 'lost')).to.not.equal(undefined);
    await c.advance(1);
    expect(c.get('Pod', 'default', 'lost')).to.equal(undefined);
  });
});
