// kubectl rollout status for Deployments, ported from
// k8s:staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status_test.go TestDeploymentStatusViewerStatus
// (kubectl ends its messages with "\n"; kubespec returns them without it).
import { expect } from 'chai';
import type { DeploymentObject } from '../../src/api/replica-sets';
import { rolloutStatus } from '../../src/scenario/kubectl-workloads';

interface Case {
  name: string;
  generation: number;
  specReplicas: number;
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    availableReplicas: number;
  };
  msg: string;
  done: boolean;
}

const cases: Case[] = [
  {
    name: 'test1',
    generation: 0,
    specReplicas: 1,
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 0, availableReplicas: 1 },
    msg: 'Waiting for deployment "foo" rollout to finish: 0 out of 1 new replicas have been updated...',
    done: false,
  },
  {
    name: 'test2',
    generation: 1,
    specReplicas: 1,
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 1, availableReplicas: 2 },
    msg: 'Waiting for deployment "foo" rollout to finish: 1 old replicas are pending termination...',
    done: false,
  },
  {
    name: 'test3',
    generation: 1,
    specReplicas: 2,
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 1 },
    msg: 'Waiting for deployment "foo" rollout to finish: 1 of 2 updated replicas are available...',
    done: false,
  },
  {
    name: 'test4',
    generation: 1,
    specReplicas: 2,
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
    msg: 'deployment "foo" successfully rolled out',
    done: true,
  },
  {
    name: 'test5',
    generation: 2,
    specReplicas: 2,
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
    msg: 'Waiting for deployment spec update to be observed...',
    done: false,
  },
];

describe('rolloutStatus (kubectl rollout status deployment)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'foo', namespace: 'bar', generation: c.generation },
        spec: { replicas: c.specReplicas },
        status: c.status,
      } as unknown as DeploymentObject;
      expect(rolloutStatus(d)).to.deep.equal({ message: c.msg, done: c.done });
    });
  }

  it('reports a rollout that exceeded its progress deadline', () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'foo', namespace: 'bar', generation: 1 },
      spec: { replicas: 2 },
      status: {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 1,
        availableReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      },
    } as unknown as DeploymentObject;
    expect(rolloutStatus(d)).to.deep.equal({
      message: 'error: deployment "foo" exceeded its progress deadline',
      done: false,
    });
  });
});
