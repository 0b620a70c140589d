import { expect } from 'chai';
import type { DeploymentObject, IntOrPercent, ReplicaSetObject } from '../../src/api/replica-sets';
import {
  DESIRED_REPLICAS_ANNOTATION,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  isSaturated,
  MAX_REPLICAS_ANNOTATION,
  maxUnavailable,
  newRSNewReplicas,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  replicaSetFraction,
  replicasAnnotationsNeedUpdate,
  resolveFenceposts,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  terminatingCount,
} from '../../src/controllers/deployment-util';

// Tables from k8s:pkg/controller/deployment/util/deployment_util_test.go.

function deployment(
  replicas: number,
  strategy: { type?: string; maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } = {},
): DeploymentObject {
  const type = strategy.type ?? 'RollingUpdate';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'nginx' } },
      template: {},
      strategy:
        type === 'RollingUpdate'
          ? { type, rollingUpdate: { maxSurge: strategy.maxSurge, maxUnavailable: strategy.maxUnavailable } }
          : { type },
    },
  } as DeploymentObject;
}

function replicaSet(replicas: number, annotations?: Record<string, string>, status = {}): ReplicaSetObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'nginx-abc', annotations },
    spec: { replicas, selector: {} },
    status: { replicas: 0, ...status },
  } as ReplicaSetObject;
}

describe('the Deployment controller utilities', () => {
  describe('ResolveFenceposts (TestResolveFenceposts)', () => {
    const table: [IntOrPercent | undefined, IntOrPercent | undefined, number, number, number, boolean][] = [
      ['0%', '0%', 0, 0, 1, false],
      ['39%', '39%', 10, 4, 3, false],
      ['oops', '39%', 10, 0, 0, true],
      ['55%', 'urg', 10, 0, 0, true],
      [undefined, '39%', 10, 0, 3, false],
      ['39%', undefined, 10, 4, 0, false],
      [undefined, undefined, 10, 0, 1, false],
    ];
    for (const [surge, unavailable, desired, wantSurge, wantUnavailable, error] of table) {
      it(`maxSurge ${surge}, maxUnavailable ${unavailable} of ${desired}`, () => {
        const got = resolveFenceposts(surge, unavailable, desired);
        if (error) expect(got).to.equal(undefined);
        else expect(got).to.deep.equal({ surge: wantSurge, unavailable: wantUnavailable });
      });
    }
  });

  describe('MaxUnavailable (TestMaxUnavailable)', () => {
    const table: [string, DeploymentObject, number][] = [
      ['less than replicas', deployment(10, { maxSurge: 1, maxUnavailable: 5 }), 5],
      ['equal replicas', deployment(10, { maxSurge: 1, maxUnavailable: 10 }), 10],
      ['greater than replicas', deployment(5, { maxSurge: 1, maxUnavailable: 10 }), 5],
      ['with replicas 0', deployment(0, { maxSurge: 1, maxUnavailable: 10 }), 0],
      ['with Recreate', deployment(1, { type: 'Recreate' }), 0],
      ['less than replicas with percents', deployment(10, { maxSurge: 1, maxUnavailable: '50%' }), 5],
      ['equal replicas with percents', deployment(10, { maxSurge: 1, maxUnavailable: '100%' }), 10],
      ['greater than replicas with percents', deployment(5, { maxSurge: 1, maxUnavailable: '100%' }), 5],
    ];
    for (const [name, d, want] of table) {
      it(name, () => expect(maxUnavailable(d)).to.equal(want));
    }
  });

  describe('NewRSNewReplicas (TestNewRSNewReplicas)', () => {
    const table: [string, string, number, number, number, number][] = [
      ['can not scale up - to newRSReplicas', 'RollingUpdate', 1, 5, 1, 5],
      ['scale up - to depReplicas', 'RollingUpdate', 6, 2, 10, 6],
      ['recreate - to depReplicas', 'Recreate', 3, 1, 1, 3],
    ];
    for (const [name, type, depReplicas, newRSReplicas, surge, want] of table) {
      it(name, () => {
        const d = deployment(depReplicas, { type, maxSurge: surge, maxUnavailable: 1 });
        expect(newRSNewReplicas(d, [replicaSet(5)], replicaSet(newRSReplicas))).to.equal(want);
      });
    }
  });

  describe('getReplicaSetFraction (TestGetReplicaSetFraction)', () => {
    const table: [string, number, number, number, number, Record<string, string> | undefined, number][] = [
      ['empty deployment always scales to 0', 0, 0, 0, 10, undefined, -10],
      ['unsynced deployment does not scale without max-replicas', 10, 0, 0, 5, undefined, 0],
      [
        'unsynced deployment does not scale with max-replicas 0',
        10,
        0,
        0,
        5,
        { [MAX_REPLICAS_ANNOTATION]: '0' },
        0,
      ],
      ['scale up by 1/5 from the status when max-replicas is missing', 120, 100, 0, 50, undefined, 10],
      [
        'scale up by 1/5 from the status when max-replicas is 0',
        120,
        100,
        0,
        50,
        { [MAX_REPLICAS_ANNOTATION]: '0' },
        10,
      ],
      ['scale up by 1/5', 120, 0, 0, 50, { [MAX_REPLICAS_ANNOTATION]: '100' }, 10],
      ['scale up by about 1/5 with maxSurge', 120, 0, 10, 50, { [MAX_REPLICAS_ANNOTATION]: '110' }, 9],
      ['scale down by 1/6', 10, 0, 0, 6, { [MAX_REPLICAS_ANNOTATION]: '12' }, -1],
      ['scale down by about 1/6 with maxSurge', 100, 0, 10, 50, { [MAX_REPLICAS_ANNOTATION]: '130' }, -8],
    ];
    for (const [name, replicas, statusReplicas, surge, rsReplicas, annotations, want] of table) {
      it(name, () => {
        const d = deployment(replicas, { maxSurge: surge, maxUnavailable: 1 });
        d.status = { replicas: statusReplicas };
        expect(replicaSetFraction(replicaSet(rsReplicas, annotations), d)).to.equal(want);
      });
    }
  });

  // TestGetReplicaCountForReplicaSets, the terminating part.
  describe('GetTerminatingReplicaCountForReplicaSets', () => {
    const rs1 = replicaSet(1, {}, { observedGeneration: 1, replicas: 2, terminatingReplicas: 3 });
    const rs2 = replicaSet(2, {}, { replicas: 3, terminatingReplicas: 1 });
    const unsynced = replicaSet(3, {}, { replicas: 0 });
    const dropped = replicaSet(1, {}, { observedGeneration: 1, replicas: 1 });
    it('sums what the sets report', () => expect(terminatingCount([rs1, rs2])).to.equal(4));
    it('counts a set its controller has not synced yet as 0', () => {
      expect(terminatingCount([unsynced])).to.equal(0);
      expect(terminatingCount([rs1, rs2, unsynced])).to.equal(4);
    });
    it('knows nothing when a synced set does not report it', () => {
      expect(terminatingCount([dropped])).to.equal(undefined);
      expect(terminatingCount([rs1, rs2, unsynced, dropped])).to.equal(undefined);
    });
  });

  describe('DeploymentComplete (TestDeploymentComplete)', () => {
    const table: [string, number[], boolean][] = [
      ['not complete: min but not all pods become available', [5, 5, 5, 4, 1, 0], false],
      ['not complete: min availability is not honored', [5, 5, 5, 3, 1, 0], false],
      ['complete', [5, 5, 5, 5, 0, 0], true],
      ['not complete: all pods are available but not updated', [5, 5, 4, 5, 0, 0], false],
      ['not complete: still running old pods', [1, 2, 1, 1, 0, 1], false],
      ['not complete: one replica deployment never comes up', [1, 1, 1, 0, 1, 1], false],
    ];
    for (const [name, [desired, current, updated, available, unavailable, surge], want] of table) {
      it(name, () => {
        const d = deployment(desired, { maxSurge: surge, maxUnavailable: unavailable });
        d.status = { replicas: current, updatedReplicas: updated, availableReplicas: available };
        expect(deploymentComplete(d, d.status)).to.equal(want);
      });
    }
  });

  describe('DeploymentProgressing (TestDeploymentProgressing)', () => {
    const status = ([replicas, updatedReplicas, readyReplicas, availableReplicas]: number[]) => ({
      replicas,
      updatedReplicas,
      readyReplicas,
      availableReplicas,
    });
    const table: [string, number[], number[], boolean][] = [
      ['progressing: updated pods', [10, 4, 4, 4], [10, 6, 4, 4], true],
      ['not progressing', [10, 4, 4, 4], [10, 4, 4, 4], false],
      ['progressing: old pods removed', [10, 4, 6, 6], [8, 4, 6, 6], true],
      ['not progressing: less new pods', [10, 7, 3, 3], [10, 6, 3, 3], false],
      ['progressing: less overall but more new pods', [10, 4, 7, 7], [8, 8, 5, 5], true],
      ['progressing: more ready pods', [10, 10, 9, 8], [10, 10, 10, 8], true],
      ['progressing: more available pods', [10, 10, 10, 9], [10, 10, 10, 10], true],
    ];
    for (const [name, before, after, want] of table) {
      it(name, () => {
        const d = deployment(10);
        d.status = status(before);
        expect(deploymentProgressing(d, status(after))).to.equal(want);
      });
    }
  });

  describe('DeploymentTimedOut (TestDeploymentTimedOut)', () => {
    const at = (min: number, sec: number) => Date.UTC(2016, 0, 1, 0, min, sec);
    const withCondition = (reason: string, deadline: number | undefined, from: number) => {
      const d = deployment(1);
      (d.spec as { progressDeadlineSeconds?: number }).progressDeadlineSeconds = deadline;
      const lastUpdateTime = new Date(from).toISOString().replace('.000Z', 'Z');
      d.status = { conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime }] };
      return d;
    };
    const table: [string, DeploymentObject, number, boolean][] = [
      ['nil progressDeadlineSeconds - no timeout', withCondition('', undefined, at(1, 9)), at(1, 20), false],
      [
        'infinite progressDeadlineSeconds - no timeout',
        withCondition('', 2 ** 31 - 1, at(1, 9)),
        at(1, 20),
        false,
      ],
      ['10s deadline, 11s since the last progress', withCondition('', 10, at(1, 9)), at(1, 20), true],
      ['10s deadline, 9s since the last progress', withCondition('', 10, at(1, 11)), at(1, 20), false],
      [
        'previous status was a complete deployment',
        withCondition('NewReplicaSetAvailable', undefined, 0),
        0,
        false,
      ],
    ];
    for (const [name, d, now, want] of table) {
      it(name, () => expect(deploymentTimedOut(d, d.status ?? {}, now)).to.equal(want));
    }
  });

  describe('annotations (TestAnnotationUtils, TestReplicasAnnotationsNeedUpdate)', () => {
    it('raises the revision and keeps the history within the length limit', () => {
      const d = deployment(1);
      (d.metadata.annotations as Record<string, string>)[REVISION_ANNOTATION] = '1';
      const rs = replicaSet(1, {});
      for (let i = 10; i < 20; i++) {
        const next = String(i + 1);
        setNewReplicaSetAnnotations(d, rs, next, true, 5);
        if (i >= 12) expect(rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION]).to.equal(`${i - 1},${i}`);
        expect(rs.metadata.annotations?.[REVISION_ANNOTATION]).to.equal(next);
      }
    });

    it('sets the replica annotations and then counts the set as saturated', () => {
      const d = deployment(1);
      const rs = replicaSet(1, {}, { availableReplicas: 1 });
      expect(setReplicasAnnotations(rs, 10, 11)).to.equal(true);
      expect(rs.metadata.annotations).to.include({
        [DESIRED_REPLICAS_ANNOTATION]: '10',
        [MAX_REPLICAS_ANNOTATION]: '11',
      });
      (rs.metadata.annotations as Record<string, string>)[DESIRED_REPLICAS_ANNOTATION] = '1';
      expect(isSaturated(d, rs)).to.equal(true);
    });

    const table: [string, Record<string, string> | undefined, boolean][] = [
      ['annotations nil', undefined, true],
      [
        'desiredReplicas update',
        { [DESIRED_REPLICAS_ANNOTATION]: '8', [MAX_REPLICAS_ANNOTATION]: '20' },
        true,
      ],
      ['maxReplicas update', { [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '16' }, true],
      ["needn't update", { [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '20' }, false],
    ];
    for (const [name, annotations, want] of table) {
      it(name, () =>
        expect(replicasAnnotationsNeedUpdate(replicaSet(1, annotations), 10, 20)).to.equal(want),
      );
    }
  });
});
