// Steps that check Kubernetes Events and refused input.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { StoredEvent } from '../src/api/events';
import { displayObject } from '../src/scenario/references';
import type { KubespecWorld } from './world';

Then('the events include:', async function (this: KubespecWorld, table) {
  const events = (await this.cluster()).store.list('Event') as StoredEvent[];
  const rows = events.map((e) => ({
    type: e.type ?? '',
    reason: e.reason ?? '',
    object: displayObject(
      e.involvedObject.kind ?? '',
      e.involvedObject.namespace,
      e.involvedObject.name ?? '',
    ),
    message: e.message ?? '',
    count: String(e.count ?? 1),
  }));
  for (const wanted of table.hashes() as Record<string, string>[]) {
    const columns = Object.keys(wanted);
    const found = rows.some((row) => columns.every((c) => row[c as keyof typeof row] === wanted[c]));
    const seen = rows.map((r) => columns.map((c) => r[c as keyof typeof r]).join(' | ')).join('\n  ');
    expect(found, `no event ${JSON.stringify(wanted)}; the events are:\n  ${seen}`).to.equal(true);
  }
});

Then('the manifests are refused with:', function (this: KubespecWorld, expected: string) {
  expect(this.lastError, 'the manifests were accepted').to.not.equal(undefined);
  expect(this.lastError?.message).to.equal(expected.trim());
});

Then('nothing of the refused manifests was applied', async function (this: KubespecWorld) {
  expect(this.lastError, 'the manifests were accepted').to.not.equal(undefined);
  const objects = (await this.cluster()).allObjects().length;
  expect(objects, 'objects in the cluster').to.equal(this.objectsBefore);
});
