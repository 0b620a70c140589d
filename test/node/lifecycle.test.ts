import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import { Backoff } from '../../src/node/backoff';
import { rankForMemoryPressure, thresholdBytes } from '../../src/node/eviction-manager';
import { planStop, preStopDuration } from '../../src/node/termination';
import { containerWorkloads, validateWorkloadAnnotations } from '../../src/node/workload';

const Mi = 1024 * 1024;

describe('kubelet lifecycle mechanics', () => {
  // k8s:staging/src/k8s.io/client-go/util/flowcontrol/backoff_test.go TestSlowBackoff / TestBackoffReset.
  describe('Backoff', () => {
    it('doubles from the initial period up to the cap', () => {
      const b = new Backoff(10_000, 300_000);
      const seen: number[] = [];
      for (let i = 0; i < 7; i++) {
        b.next('c', 0, 0);
        seen.push(b.get('c'));
      }
      expect(seen).to.deep.equal([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    });

    it('starts again from the initial period once an entry is older than twice the cap', () => {
      const b = new Backoff(10_000, 300_000);
      b.next('c', 0, 0);
      b.next('c', 0, 0);
      expect(b.get('c')).to.equal(20_000);
      expect(b.isInBackOffSince('c', 600_001, 600_001)).to.equal(false);
      b.next('c', 600_001, 600_001);
      expect(b.get('c')).to.equal(10_000);
    });

    it('holds an event back only while the window is open', () => {
      const b = new Backoff(10_000, 300_000);
      b.next('c', 1_000, 1_000);
      expect(b.isInBackOffSince('c', 2_000, 11_999)).to.equal(true);
      expect(b.isInBackOffSince('c', 2_000, 12_000)).to.equal(false);
    });
  });

  describe('planStop', () => {
    const c = { name: 'app' };
    it('lets a container that exits on SIGTERM go at once', () => {
      expect(planStop(c, 30, 0)).to.deep.equal({ exitAfter: 0, exitCode: 0 });
    });
    it('kills a container that ignores SIGTERM at the end of the grace period', () => {
      expect(planStop(c, 30, undefined)).to.deep.equal({ exitAfter: 30_000, exitCode: 137 });
    });
    it('gives at least 2 seconds after SIGTERM, even after a preStop hook that used the grace period', () => {
      const hooked = { name: 'app', lifecycle: { preStop: { sleep: { seconds: 60 } } } };
      expect(planStop(hooked, 10, undefined)).to.deep.equal({ exitAfter: 12_000, exitCode: 137 });
    });
    it('reads sleep commands of exec hooks', () => {
      expect(
        preStopDuration({
          name: 'a',
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } },
        }),
      ).to.equal(5_000);
      expect(
        preStopDuration({
          name: 'a',
          lifecycle: { preStop: { exec: { command: ['nginx', '-s', 'quit'] } } },
        }),
      ).to.equal(0);
    });
  });

  // k8s:pkg/kubelet/eviction/helpers_test.go TestOrderedByExceedsRequestMemory, TestOrderedByPriority, TestOrderedbyMemory.
  describe('rankForMemoryPressure', () => {
    it('puts pods above their requests first, then lower priority, then the larger excess', () => {
      const pods = [
        { key: 'below', usage: 100 * Mi, request: 200 * Mi, priority: 0 },
        { key: 'high', usage: 300 * Mi, request: 100 * Mi, priority: 10 },
        { key: 'small-excess', usage: 150 * Mi, request: 100 * Mi, priority: 0 },
        { key: 'big-excess', usage: 400 * Mi, request: 100 * Mi, priority: 0 },
      ];
      expect(rankForMemoryPressure(pods).map((p) => p.key)).to.deep.equal([
        'big-excess',
        'small-excess',
        'high',
        'below',
      ]);
    });
  });

  it('reads percentage thresholds of the capacity', () => {
    expect(thresholdBytes('10%', 1000 * Mi)).to.equal(100 * Mi);
    expect(thresholdBytes('100Mi', 0)).to.equal(100 * Mi);
  });

  describe('workload annotations', () => {
    const pod = (annotations: Record<string, string>): PodObject =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', annotations },
        spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] },
      }) as PodObject;

    it('splits the pod memory among containers without their own annotation', () => {
      const w = containerWorkloads(
        pod({ 'kubespec.io/memory-usage': '300Mi', 'kubespec.io/memory-usage.sidecar': '100Mi' }),
      );
      expect(w.get('app')?.memory).to.equal(200 * Mi);
      expect(w.get('sidecar')?.memory).to.equal(100 * Mi);
    });

    it('refuses unreadable values, unknown containers and unknown keys', () => {
      const errs = validateWorkloadAnnotations(
        pod({
          'kubespec.io/exit-code': '300',
          'kubespec.io/ready-after.db': '1s',
          'kubespec.io/colour': 'red',
        }),
      ).map(String);
      expect(errs).to.have.length(3);
      expect(errs[0]).to.equal(
        'metadata.annotations[kubespec.io/exit-code]: Invalid value: "300": must be an exit code between 0 and 255',
      );
    });
  });
});
