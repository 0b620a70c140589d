// Steps that look at objects the way `kubectl get -o jsonpath` does, and at refusals of API calls and node
// tables.
import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { StoredEvent } from '../src/api/events';
import { fieldText } from '../src/scenario/fields';
import { nodesFromTable } from '../src/scenario/node-table';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

Then(
  '{kind} {string} has these fields:',
  async function (this: KubespecWorld, kind: string, name: string, table) {
    const ref = parseRef(kind, name);
    const obj = (await this.cluster()).get(ref.kind.kind, ref.namespace, ref.name);
    expect(obj, `${kind} ${name} does not exist`).to.not.equal(undefined);
    const rows = table.hashes() as { field: string; value: string }[];
    const actual = rows.map((row) => ({ field: row.field, value: fieldText(obj, row.field) }));
    expect(actual, `fields of ${kind} ${name}`).to.deep.equal(rows);
  },
);

Then('the namespaces are:', async function (this: KubespecWorld, table) {
  const withStatus = (table.raw()[0] as string[]).includes('status');
  const namespaces = (await this.cluster()).store.list('Namespace');
  const actual = namespaces.map((ns) => {
    const row: Record<string, string> = { name: ns.metadata.name ?? '' };
    if (withStatus) row.status = fieldText(ns, 'status.phase');
    return row;
  });
  const rows = table.hashes() as Record<string, string>[];
  expect(actual, 'kubectl get namespaces').to.deep.equal(rows);
});

Then(
  'the {string} event of {kind} {string} has these fields:',
  async function (this: KubespecWorld, reason: string, kind: string, name: string, table) {
    const ref = parseRef(kind, name);
    const events = (await this.cluster()).store.list('Event').filter((e) => {
      const involved = (e as unknown as StoredEvent).involvedObject;
      return (
        e.reason === reason &&
        involved.kind === ref.kind.kind &&
        involved.name === ref.name &&
        (involved.namespace ?? undefined) === ref.namespace
      );
    });
    expect(events, `${reason} events of ${kind} ${name}`).to.have.length(1);
    const rows = table.hashes() as { field: string; value: string }[];
    const actual = rows.map((row) => ({ field: row.field, value: fieldText(events[0], row.field) }));
    expect(actual, `fields of the ${reason} event`).to.deep.equal(rows);
  },
);

When('I try to delete {kind} {string}', async function (this: KubespecWorld, kind: string, name: string) {
  const ref = parseRef(kind, name);
  this.lastError = undefined;
  try {
    await (await this.cluster()).delete(ref.kind.kind, ref.namespace, ref.name);
  } catch (error) {
    this.lastError = error as Error;
  }
});

When('I try to add the nodes:', async function (this: KubespecWorld, table) {
  const cluster = await this.cluster();
  this.lastError = undefined;
  this.objectsBefore = cluster.allObjects().length;
  try {
    for (const node of nodesFromTable(table.hashes())) await cluster.create(node);
  } catch (error) {
    this.lastError = error as Error;
  }
});

Then('it is refused with:', function (this: KubespecWorld, expected: string) {
  expect(this.lastError, 'it was accepted').to.not.equal(undefined);
  expect(this.lastError?.message).to.equal(expected.trim());
});

// kubectl prints each warning of the API server's answer as `Warning: <text>` on stderr.
Then('the API server warned:', async function (this: KubespecWorld, expected: string) {
  const printed = (await this.cluster()).lastWarnings.map((w) => `Warning: ${w}`);
  expect(printed.join('\n'), 'the warnings of the last command').to.equal(expected.trim());
});

Then('the API server gave no warning', async function (this: KubespecWorld) {
  expect((await this.cluster()).lastWarnings, 'the warnings of the last command').to.deep.equal([]);
});
