import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import type { ServiceObject } from '../../src/api/services';
import { DECISION_POINTS } from '../../src/decision-points';
import type { Evaluator } from '../../src/rules/evaluate';
import { Policy } from '../../src/rules/policy';
import type { EngineKind } from '../../src/rules/types';

function pod(state: { ready?: boolean; terminating?: boolean; phase?: string; ip?: boolean }): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      ...(state.terminating ? { deletionTimestamp: '2025-01-01T00:00:30Z' } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status: {
      phase: state.phase ?? 'Running',
      ...(state.ip === false ? {} : { podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }] }),
      conditions: [{ type: 'Ready', status: state.ready === false ? 'False' : 'True' }],
    },
  };
}

const service = (publishNotReadyAddresses: boolean): ServiceObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', namespace: 'default' },
  spec: { publishNotReadyAddresses },
});

// k8s:staging/src/k8s.io/endpointslice/utils_test.go TestPodToEndpoint (conditions) and
// util/controller_utils_test.go TestShouldPodBeInEndpoints (which pods are in at all).
const cases: [string, Parameters<typeof pod>[0], boolean, unknown][] = [
  ['ready pod', {}, false, { ready: true, serving: true, terminating: false }],
  ['ready pod, publishNotReadyAddresses', {}, true, { ready: true, serving: true, terminating: false }],
  ['unready pod', { ready: false }, false, { ready: false, serving: false, terminating: false }],
  [
    'unready pod, publishNotReadyAddresses',
    { ready: false },
    true,
    { ready: true, serving: false, terminating: false },
  ],
  ['ready terminating pod', { terminating: true }, false, { ready: false, serving: true, terminating: true }],
  [
    'ready terminating pod, publishNotReadyAddresses',
    { terminating: true },
    true,
    { ready: true, serving: true, terminating: true },
  ],
  [
    'unready terminating pod',
    { ready: false, terminating: true },
    false,
    { ready: false, serving: false, terminating: true },
  ],
  ['failed pod', { phase: 'Failed' }, false, undefined],
  ['succeeded pod, publishNotReadyAddresses', { phase: 'Succeeded' }, true, undefined],
  ['pod without an IP', { ip: false, phase: 'Pending', ready: false }, true, undefined],
];

for (const engine of ['compiled', 'json-rules-engine'] as EngineKind[]) {
  describe(`the shipped service.endpoints rules (${engine})`, () => {
    let evaluator: Evaluator;
    before(() => {
      evaluator = Policy.load(DECISION_POINTS, { engine }).evaluator('service.endpoints');
    });
    for (const [name, state, publish, expected] of cases) {
      it(name, async () => {
        const decision = await evaluator.evaluate({ service: service(publish), pod: pod(state) });
        expect(decision.events.length, 'exactly one rule decides').to.be.at.most(1);
        expect(decision.events[0]?.params).to.deep.equal(expected);
      });
    }
  });
}
