// Steps that check taint-related pod fields.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { PodObject } from '../src/api/pods';
import { describePod } from '../src/scenario/describe';
import { parseRef } from '../src/scenario/references';
import type { KubespecWorld } from './world';

const TOLERATION_COLUMNS = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] as const;

// Every toleration of the pod, in order, as `kubectl get pod -o yaml` lists them; a blank cell is an absent field.
Then('pod {string} has the tolerations:', async function (this: KubespecWorld, name: string, table) {
  const ref = parseRef('pod', name);
  const pod = (await this.cluster()).get('Pod', ref.namespace, ref.name) as PodObject | undefined;
  expect(pod, describePod(pod, `${ref.namespace}/${ref.name}`)).to.not.equal(undefined);
  const columns = Object.keys(table.hashes()[0] ?? {});
  const unknown = columns.filter((c) => !(TOLERATION_COLUMNS as readonly string[]).includes(c));
  expect(unknown, `unknown columns: use ${TOLERATION_COLUMNS.join(', ')}`).to.deep.equal([]);
  const actual = (pod?.spec?.tolerations ?? []).map((t) =>
    Object.fromEntries(columns.map((c) => [c, String(t[c as keyof typeof t] ?? '')])),
  );
  expect(actual, `tolerations of pod ${ref.namespace}/${ref.name}`).to.deep.equal(table.hashes());
});
