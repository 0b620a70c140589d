import { expect } from 'chai';
import type { ContainerStatus, Event as CoreEvent, Node, Pod } from 'kubernetes-types/core/v1';
import {
  humanDuration,
  kubectlPodStatus,
  printEvents,
  printKubectlEvents,
  printNodes,
  printPodsWide,
  shortHumanDuration,
} from '../../src/report/kubectl-printers';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NS = 1e-6; // one nanosecond in milliseconds

const now = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

/** The cells of each data row: kubectl pads columns with at least three spaces. */
function cells(table: string): string[][] {
  const lines = table.split('\n');
  expect(lines[lines.length - 1]).to.equal('');
  return lines.slice(1, -1).map((line) => line.split(/ {3,}/));
}

function status(partial: Partial<ContainerStatus>): ContainerStatus {
  return { name: '', image: '', imageID: '', ready: false, restartCount: 0, ...partial };
}

function containers(n: number) {
  return Array.from({ length: n }, (_, i) => ({ name: `c${i}` }));
}

/** NAME READY STATUS RESTARTS AGE of printPod (the non-wide cells). */
function podCells(pod: Pod): string[] {
  return cells(printPodsWide([pod], now))[0].slice(0, 5);
}

describe('report/kubectl-printers', () => {
  // k8s:staging/src/k8s.io/apimachinery/pkg/util/duration/duration_test.go TestHumanDuration
  describe('humanDuration', () => {
    const cases: Array<[number, string]> = [
      [SECOND, '1s'],
      [70 * SECOND, '70s'],
      [190 * SECOND, '3m10s'],
      [70 * MINUTE, '70m'],
      [47 * HOUR, '47h'],
      [49 * HOUR, '2d1h'],
      [(8 * 24 + 2) * HOUR, '8d'],
      [367 * 24 * HOUR, '367d'],
      [(365 * 2 * 24 + 25) * HOUR, '2y1d'],
      [(365 * 8 * 24 + 2) * HOUR, '8y'],
    ];
    for (const [ms, want] of cases) it(`${ms}ms is ${want}`, () => expect(humanDuration(ms)).to.equal(want));

    // duration_test.go TestHumanDurationBoundaries
    const boundaries: Array<[number, string]> = [
      [-2 * SECOND, '<invalid>'],
      [-2 * SECOND + NS, '0s'],
      [0, '0s'],
      [SECOND - 1, '0s'],
      [2 * MINUTE - 1, '119s'],
      [2 * MINUTE, '2m'],
      [2 * MINUTE + SECOND, '2m1s'],
      [10 * MINUTE - 1, '9m59s'],
      [10 * MINUTE, '10m'],
      [10 * MINUTE + SECOND, '10m'],
      [3 * HOUR - 1, '179m'],
      [3 * HOUR, '3h'],
      [3 * HOUR + MINUTE, '3h1m'],
      [8 * HOUR - 1, '7h59m'],
      [8 * HOUR, '8h'],
      [8 * HOUR + 59 * MINUTE, '8h'],
      [2 * DAY - 1, '47h'],
      [2 * DAY, '2d'],
      [2 * DAY + HOUR, '2d1h'],
      [8 * DAY - 1, '7d23h'],
      [8 * DAY, '8d'],
      [8 * DAY + 23 * HOUR, '8d'],
      [2 * 365 * DAY - 1, '729d'],
      [2 * 365 * DAY, '2y'],
      [2 * 365 * DAY + 23 * HOUR, '2y'],
      [2 * 365 * DAY + 23 * HOUR + 59 * MINUTE, '2y'],
      [2 * 365 * DAY + DAY - 1, '2y'],
      [2 * 365 * DAY + DAY, '2y1d'],
      [3 * 365 * DAY, '3y'],
      [4 * 365 * DAY, '4y'],
      [5 * 365 * DAY, '5y'],
      [6 * 365 * DAY, '6y'],
      [7 * 365 * DAY, '7y'],
      [8 * 365 * DAY - 1, '7y364d'],
      [8 * 365 * DAY, '8y'],
      [8 * 365 * DAY + 364 * DAY, '8y'],
      [9 * 365 * DAY, '9y'],
    ];
    for (const [ms, want] of boundaries) {
      it(`boundary ${ms}ms is ${want}`, () => expect(humanDuration(ms)).to.equal(want));
    }
  });

  // duration_test.go TestShortHumanDurationBoundaries
  describe('shortHumanDuration', () => {
    const boundaries: Array<[number, string]> = [
      [-2 * SECOND, '<invalid>'],
      [-2 * SECOND + NS, '0s'],
      [0, '0s'],
      [SECOND - 1, '0s'],
      [SECOND, '1s'],
      [2 * SECOND - 1, '1s'],
      [MINUTE - 1, '59s'],
      [MINUTE, '1m'],
      [2 * MINUTE - 1, '1m'],
      [HOUR - 1, '59m'],
      [HOUR, '1h'],
      [2 * HOUR - 1, '1h'],
      [DAY - 1, '23h'],
      [DAY, '1d'],
      [2 * DAY - 1, '1d'],
      [365 * DAY - 1, '364d'],
      [365 * DAY, '1y'],
      [2 * 365 * DAY - 1, '1y'],
      [2 * 365 * DAY, '2y'],
    ];
    for (const [ms, want] of boundaries) {
      it(`boundary ${ms}ms is ${want}`, () => expect(shortHumanDuration(ms)).to.equal(want));
    }
  });

  // k8s:pkg/printers/internalversion/printers_test.go TestPrintPod (creationTimestamp unset: AGE <unknown>)
  describe('printPod STATUS, READY and RESTARTS (TestPrintPod)', () => {
    const deletionTimestamp = ago(10 * SECOND);
    const cases: Array<{ name: string; pod: Pod; want: string[] }> = [
      {
        name: 'test1: name, num of containers, restarts, container ready status',
        pod: {
          metadata: { name: 'test1' },
          spec: { containers: containers(2) },
          status: {
            phase: 'podPhase',
            containerStatuses: [
              status({ ready: true, restartCount: 3, state: { running: {} } }),
              status({ restartCount: 3 }),
            ],
          },
        },
        want: ['test1', '1/2', 'podPhase', '6', '<unknown>'],
      },
      {
        name: 'test2: container error overwrites pod phase',
        pod: {
          metadata: { name: 'test2' },
          spec: { containers: containers(2) },
          status: {
            phase: 'podPhase',
            containerStatuses: [
              status({ ready: true, restartCount: 3, state: { running: {} } }),
              status({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
            ],
          },
        },
        want: ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>'],
      },
      {
        name: 'test3: the first container overwrites the rest',
        pod: {
          metadata: { name: 'test3' },
          spec: { containers: containers(2) },
          status: {
            phase: 'podPhase',
            containerStatuses: [
              status({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
              status({
                state: { terminated: { reason: 'ContainerTerminatedReason', exitCode: 0 } },
                restartCount: 3,
              }),
            ],
          },
        },
        want: ['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>'],
      },
      {
        name: 'test4: ready is not enough for reporting running',
        pod: {
          metadata: { name: 'test4' },
          spec: { containers: containers(2) },
          status: {
            phase: 'podPhase',
            containerStatuses: [
              status({ ready: true, restartCount: 3, state: { running: {} } }),
              status({ ready: true, restartCount: 3 }),
            ],
          },
        },
        want: ['test4', '1/2', 'podPhase', '6', '<unknown>'],
      },
      {
        name: 'test5: status.reason wins over the phase',
        pod: {
          metadata: { name: 'test5' },
          spec: { containers: containers(2) },
          status: {
            reason: 'podReason',
            phase: 'podPhase',
            containerStatuses: [
              status({ ready: true, restartCount: 3, state: { running: {} } }),
              status({ ready: true, restartCount: 3 }),
            ],
          },
        },
        want: ['test5', '1/2', 'podReason', '6', '<unknown>'],
      },
      {
        name: 'test6: one running and one completed, without Ready condition',
        pod: {
          metadata: { name: 'test6' },
          spec: { containers: containers(2) },
          status: {
            phase: 'Running',
            containerStatuses: [
              status({
                ready: true,
                restartCount: 3,
                state: { terminated: { reason: 'Completed', exitCode: 0 } },
              }),
              status({ ready: true, restartCount: 3, state: { running: {} } }),
            ],
          },
        },
        want: ['test6', '1/2', 'NotReady', '6', '<unknown>'],
      },
      {
        name: 'test6: one running and one completed, with Ready condition',
        pod: {
          metadata: { name: 'test6' },
          spec: { containers: containers(2) },
          status: {
            phase: 'Running',
            containerStatuses: [
              status({
                ready: true,
                restartCount: 3,
                state: { terminated: { reason: 'Completed', exitCode: 0 } },
              }),
              status({ ready: true, restartCount: 3, state: { running: {} } }),
            ],
            conditions: [{ type: 'Ready', status: 'True', lastProbeTime: ago(0) }],
          },
        },
        want: ['test6', '1/2', 'Running', '6', '<unknown>'],
      },
      {
        name: 'test7: 1 init container restarting and 1 container not running',
        pod: {
          metadata: { name: 'test7' },
          spec: { initContainers: containers(1), containers: containers(1) },
          status: {
            phase: 'podPhase',
            initContainerStatuses: [
              status({
                restartCount: 3,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
            ],
            containerStatuses: [status({ state: { waiting: {} } })],
          },
        },
        want: ['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
      },
      {
        name: 'test8: 2 init containers, one restarting and the other not running',
        pod: {
          metadata: { name: 'test8' },
          spec: { initContainers: containers(2), containers: containers(1) },
          status: {
            phase: 'podPhase',
            initContainerStatuses: [
              status({
                restartCount: 3,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
              status({ state: { waiting: {} } }),
            ],
            containerStatuses: [status({ state: { waiting: {} } })],
          },
        },
        want: ['test8', '0/1', 'Init:0/2', '3 (10s ago)', '<unknown>'],
      },
      {
        name: 'test9: 2 init containers, one completed without restarts and the other restarting',
        pod: {
          metadata: { name: 'test9' },
          spec: { initContainers: containers(2), containers: containers(1) },
          status: {
            phase: 'podPhase',
            initContainerStatuses: [
              status({ state: { terminated: { exitCode: 0 } } }),
              status({
                restartCount: 3,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
            ],
            containerStatuses: [status({ state: { waiting: {} } })],
          },
        },
        want: ['test9', '0/1', 'Init:1/2', '3 (10s ago)', '<unknown>'],
      },
      {
        name: 'test10: 2 init containers, one completed with restarts and the other restarting',
        pod: {
          metadata: { name: 'test10' },
          spec: { initContainers: containers(2), containers: containers(1) },
          status: {
            phase: 'podPhase',
            initContainerStatuses: [
              status({
                restartCount: 2,
                state: { terminated: { exitCode: 0 } },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(2 * MINUTE) } },
              }),
              status({
                restartCount: 3,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
            ],
            containerStatuses: [status({ state: { waiting: {} } })],
          },
        },
        want: ['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
      },
      {
        name: 'test11: 1 init container completed with restarts and one container restarting',
        pod: {
          metadata: { name: 'test11' },
          spec: { initContainers: containers(1), containers: containers(1) },
          status: {
            phase: 'Running',
            initContainerStatuses: [
              status({
                restartCount: 2,
                state: { terminated: { exitCode: 0 } },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(2 * MINUTE) } },
              }),
            ],
            containerStatuses: [
              status({
                restartCount: 4,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(20 * SECOND) } },
              }),
            ],
          },
        },
        want: ['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>'],
      },
      {
        name: 'test12: 1 container that restarted 5d ago',
        pod: {
          metadata: { name: 'test12' },
          spec: { containers: containers(1) },
          status: {
            phase: 'Running',
            containerStatuses: [
              status({
                ready: true,
                restartCount: 3,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(5 * DAY) } },
              }),
            ],
          },
        },
        want: ['test12', '1/1', 'Running', '3 (5d ago)', '<unknown>'],
      },
      {
        name: 'test13: 2 containers, one never restarted and the other restarted 10d ago',
        pod: {
          metadata: { name: 'test13' },
          spec: { containers: containers(2) },
          status: {
            phase: 'Running',
            containerStatuses: [
              status({ ready: true, state: { running: {} } }),
              status({
                ready: true,
                restartCount: 3,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * DAY) } },
              }),
            ],
          },
        },
        want: ['test13', '2/2', 'Running', '3 (10d ago)', '<unknown>'],
      },
      {
        name: 'test14: 2 containers, one restarted 5d ago and the other 20d ago',
        pod: {
          metadata: { name: 'test14' },
          spec: { containers: containers(2) },
          status: {
            phase: 'Running',
            containerStatuses: [
              status({
                ready: true,
                restartCount: 6,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(5 * DAY) } },
              }),
              status({
                ready: true,
                restartCount: 3,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(20 * DAY) } },
              }),
            ],
          },
        },
        want: ['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>'],
      },
      {
        name: 'test15: PodScheduled condition with reason SchedulingGated',
        pod: {
          metadata: { name: 'test15' },
          spec: { containers: containers(2) },
          status: {
            phase: 'podPhase',
            conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
          },
        },
        want: ['test15', '0/2', 'SchedulingGated', '0', '<unknown>'],
      },
      {
        name: 'test16: succeeded',
        pod: {
          metadata: { name: 'test16' },
          spec: { containers: containers(1) },
          status: {
            phase: 'Succeeded',
            containerStatuses: [status({ state: { terminated: { reason: 'Completed', exitCode: 0 } } })],
          },
        },
        want: ['test16', '0/1', 'Completed', '0', '<unknown>'],
      },
      {
        name: 'test17: failed',
        pod: {
          metadata: { name: 'test17' },
          spec: { containers: containers(1) },
          status: {
            phase: 'Failed',
            containerStatuses: [status({ state: { terminated: { reason: 'Error', exitCode: 1 } } })],
          },
        },
        want: ['test17', '0/1', 'Error', '0', '<unknown>'],
      },
      {
        name: 'test18: succeeded with deletion',
        pod: {
          metadata: { name: 'test18', deletionTimestamp },
          spec: { containers: containers(1) },
          status: {
            phase: 'Succeeded',
            containerStatuses: [status({ state: { terminated: { reason: 'Completed', exitCode: 0 } } })],
          },
        },
        want: ['test18', '0/1', 'Completed', '0', '<unknown>'],
      },
      {
        name: 'test19: running with deletion',
        pod: {
          metadata: { name: 'test19', deletionTimestamp },
          spec: { containers: containers(1) },
          status: { phase: 'Running', containerStatuses: [status({ state: { running: {} } })] },
        },
        want: ['test19', '0/1', 'Terminating', '0', '<unknown>'],
      },
      {
        name: 'test20: pending with deletion',
        pod: {
          metadata: { name: 'test20', deletionTimestamp },
          spec: { containers: containers(1) },
          status: { phase: 'Pending' },
        },
        want: ['test20', '0/1', 'Terminating', '0', '<unknown>'],
      },
    ];
    for (const { name, pod, want } of cases) it(name, () => expect(podCells(pod)).to.deep.equal(want));
  });

  // printers_test.go TestPrintPodWithRestartableInitContainer
  describe('printPod with restartable init containers (TestPrintPodWithRestartableInitContainer)', () => {
    const sidecars = [
      { name: 'restartable-init-1', restartPolicy: 'Always' },
      { name: 'restartable-init-2', restartPolicy: 'Always' },
    ];
    const cases: Array<{ name: string; pod: Pod; want: string[] }> = [
      {
        name: 'the first running but not started',
        pod: {
          metadata: { name: 'test1' },
          spec: { initContainers: sidecars, containers: containers(1) },
          status: {
            phase: 'Pending',
            initContainerStatuses: [
              status({
                name: 'restartable-init-1',
                restartCount: 3,
                state: { running: {} },
                started: false,
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
              status({ name: 'restartable-init-2', state: { waiting: {} }, started: false }),
            ],
            containerStatuses: [status({ state: { waiting: {} } })],
            conditions: [{ type: 'Initialized', status: 'False' }],
          },
        },
        want: ['test1', '0/3', 'Init:0/2', '3 (10s ago)', '<unknown>'],
      },
      {
        name: 'the first started and the second running but not started',
        pod: {
          metadata: { name: 'test1' },
          spec: { initContainers: sidecars, containers: containers(1) },
          status: {
            phase: 'Pending',
            initContainerStatuses: [
              status({
                name: 'restartable-init-1',
                restartCount: 3,
                state: { running: {} },
                started: true,
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
              status({ name: 'restartable-init-2', state: { running: {} }, started: false }),
            ],
            containerStatuses: [status({ state: { waiting: {} } })],
            conditions: [{ type: 'Initialized', status: 'False' }],
          },
        },
        want: ['test1', '0/3', 'Init:1/2', '3 (10s ago)', '<unknown>'],
      },
      {
        name: 'both started and 1 container running',
        pod: {
          metadata: { name: 'test2' },
          spec: { initContainers: sidecars, containers: containers(1) },
          status: {
            phase: 'Running',
            initContainerStatuses: [
              status({
                name: 'restartable-init-1',
                restartCount: 3,
                state: { running: {} },
                started: true,
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
              status({ name: 'restartable-init-2', state: { running: {} }, started: true }),
            ],
            containerStatuses: [
              status({
                ready: true,
                restartCount: 4,
                state: { running: {} },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(20 * SECOND) } },
              }),
            ],
            conditions: [{ type: 'Initialized', status: 'True' }],
          },
        },
        want: ['test2', '1/3', 'Running', '7 (10s ago)', '<unknown>'],
      },
      {
        name: 'both completed with non-zero and 1 container completed',
        pod: {
          metadata: { name: 'test3' },
          spec: { initContainers: sidecars, containers: containers(1) },
          status: {
            phase: 'Succeeded',
            initContainerStatuses: [
              status({
                name: 'restartable-init-1',
                restartCount: 3,
                state: { terminated: { reason: 'Error', exitCode: 137 } },
                started: false,
                lastState: { terminated: { exitCode: 0, finishedAt: ago(10 * SECOND) } },
              }),
              status({
                name: 'restartable-init-2',
                state: { terminated: { reason: 'Error', exitCode: 137 } },
                started: false,
              }),
            ],
            containerStatuses: [
              status({
                restartCount: 4,
                state: { terminated: { reason: 'Completed', exitCode: 0 } },
                lastState: { terminated: { exitCode: 0, finishedAt: ago(20 * SECOND) } },
              }),
            ],
            conditions: [{ type: 'Initialized', status: 'True' }],
          },
        },
        want: ['test3', '0/3', 'Completed', '7 (10s ago)', '<unknown>'],
      },
      {
        name: 'statuses for non-existent init containers and containers',
        pod: {
          metadata: { name: 'test4' },
          spec: {
            initContainers: [
              { name: 'init1', image: 'initimage' },
              { name: 'sidecar1', image: 'sidecarimage', restartPolicy: 'Always' },
            ],
            containers: [{ name: 'container1', image: 'containerimage' }],
          },
          status: {
            phase: 'Running',
            initContainerStatuses: [
              status({ name: 'initinvalid' }),
              status({ name: 'init1' }),
              status({ name: 'sidecar1' }),
            ],
            containerStatuses: [status({ name: 'containerinvalid' }), status({ name: 'container1' })],
          },
        },
        want: ['test4', '0/2', 'Init:0/2', '0', '<unknown>'],
      },
    ];
    for (const { name, pod, want } of cases) it(name, () => expect(podCells(pod)).to.deep.equal(want));
  });

  // Branches of printPod that its unit tests do not reach, each following the printers.go code path.
  describe('printPod other states (printers.go printPod)', () => {
    const one = (
      state: ContainerStatus['state'],
      phase = 'Running',
      extra: Partial<ContainerStatus> = {},
    ): Pod => ({
      metadata: { name: 'p' },
      spec: { containers: containers(1) },
      status: { phase, containerStatuses: [status({ state, ...extra })] },
    });
    const withInit = (state: ContainerStatus['state']): Pod => ({
      metadata: { name: 'p' },
      spec: { initContainers: containers(1), containers: containers(1) },
      status: {
        phase: 'Pending',
        initContainerStatuses: [status({ state })],
        containerStatuses: [status({ state: { waiting: { reason: 'PodInitializing' } } })],
      },
    });
    const cases: Array<[string, Pod, string]> = [
      [
        'ContainerCreating',
        one({ waiting: { reason: 'ContainerCreating' } }, 'Pending'),
        'ContainerCreating',
      ],
      [
        'CrashLoopBackOff',
        one({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } }),
        'CrashLoopBackOff',
      ],
      ['OOMKilled', one({ terminated: { reason: 'OOMKilled', exitCode: 137 } }), 'OOMKilled'],
      [
        'terminated by a signal without reason',
        one({ terminated: { exitCode: 137, signal: 9 } }),
        'Signal:9',
      ],
      ['terminated with an exit code without reason', one({ terminated: { exitCode: 1 } }), 'ExitCode:1'],
      [
        'Init:CrashLoopBackOff',
        withInit({ waiting: { reason: 'CrashLoopBackOff' } }),
        'Init:CrashLoopBackOff',
      ],
      ['Init:Error', withInit({ terminated: { reason: 'Error', exitCode: 1 } }), 'Init:Error'],
      ['Init:Signal:9', withInit({ terminated: { exitCode: 137, signal: 9 } }), 'Init:Signal:9'],
      ['Init:ExitCode:2', withInit({ terminated: { exitCode: 2 } }), 'Init:ExitCode:2'],
      [
        'an init container waiting in PodInitializing counts as Init:0/1',
        withInit({ waiting: { reason: 'PodInitializing' } }),
        'Init:0/1',
      ],
      [
        'an init container done lets the containers speak',
        withInit({ terminated: { reason: 'Completed', exitCode: 0 } }),
        'PodInitializing',
      ],
      ['Running', one({ running: {} }, 'Running', { ready: true }), 'Running'],
    ];
    for (const [name, pod, want] of cases) it(name, () => expect(kubectlPodStatus(pod)).to.equal(want));

    it('shows Unknown for a pod being deleted from a lost node, NodeLost before', () => {
      const lost: Pod = {
        metadata: { name: 'p' },
        spec: { containers: containers(1) },
        status: { phase: 'Running', reason: 'NodeLost' },
      };
      expect(kubectlPodStatus(lost)).to.equal('NodeLost');
      expect(kubectlPodStatus({ ...lost, metadata: { name: 'p', deletionTimestamp: ago(0) } })).to.equal(
        'Unknown',
      );
    });

    it('shows a failed pod being deleted by its container state, not Terminating', () => {
      const pod = one({ terminated: { reason: 'Error', exitCode: 1 } }, 'Failed');
      expect(kubectlPodStatus({ ...pod, metadata: { name: 'p', deletionTimestamp: ago(0) } })).to.equal(
        'Error',
      );
    });

    it('prints the age from creationTimestamp and restarts without a termination time as a bare count', () => {
      const pod: Pod = {
        metadata: { name: 'p', creationTimestamp: ago(190 * SECOND) },
        spec: { containers: containers(1) },
        status: {
          phase: 'Running',
          containerStatuses: [status({ restartCount: 2, state: { running: {} } })],
        },
      };
      expect(podCells(pod)).to.deep.equal(['p', '0/1', 'Running', '2', '3m10s']);
    });
  });

  // printers_test.go TestPrintPodwide
  describe('printPodsWide wide columns (TestPrintPodwide)', () => {
    const gates = [
      { conditionType: 'condition1' },
      { conditionType: 'condition2' },
      { conditionType: 'condition3' },
    ];
    const gated = (podIPs: Array<{ ip: string }>): Pod => ({
      metadata: { name: 'test1' },
      spec: { containers: containers(2), nodeName: 'test1', readinessGates: gates },
      status: {
        conditions: [
          { type: 'condition1', status: 'False' },
          { type: 'condition2', status: 'True' },
        ],
        phase: 'podPhase',
        podIPs,
        containerStatuses: [
          status({ ready: true, restartCount: 3, state: { running: {} } }),
          status({ restartCount: 3 }),
        ],
        nominatedNodeName: 'node1',
      },
    });

    it('prints IP, node, nominated node and readiness gates', () => {
      expect(cells(printPodsWide([gated([{ ip: '1.1.1.1' }])], now))[0]).to.deep.equal([
        'test1',
        '1/2',
        'podPhase',
        '6',
        '<unknown>',
        '1.1.1.1',
        'test1',
        'node1',
        '1/3',
      ]);
    });

    it('prints the first of several pod IPs', () => {
      expect(cells(printPodsWide([gated([{ ip: '1.1.1.1' }, { ip: '2001:db8::' }])], now))[0][5]).to.equal(
        '1.1.1.1',
      );
    });

    it('prints <none> for an unbound pod without IP', () => {
      const pod: Pod = {
        metadata: { name: 'test2' },
        spec: { containers: containers(2), nodeName: '' },
        status: {
          phase: 'podPhase',
          containerStatuses: [
            status({ ready: true, restartCount: 3, state: { running: {} } }),
            status({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
          ],
        },
      };
      expect(cells(printPodsWide([pod], now))[0]).to.deep.equal([
        'test2',
        '1/2',
        'ContainerWaitingReason',
        '6',
        '<unknown>',
        '<none>',
        '<none>',
        '<none>',
        '<none>',
      ]);
    });
  });

  describe('table layout (cli-runtime tableprinter + tabwriter: minwidth 6, padding 3)', () => {
    const web: Pod = {
      metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(5 * MINUTE) },
      spec: { containers: containers(1), nodeName: 'node-1' },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.244.1.5' }],
        containerStatuses: [status({ ready: true, state: { running: {} } })],
      },
    };
    const db: Pod = {
      metadata: { name: 'db-0', namespace: 'prod', creationTimestamp: ago(190 * SECOND) },
      spec: { containers: containers(1), nodeName: 'node-2' },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.244.2.7' }],
        containerStatuses: [
          status({
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(30 * SECOND) } },
          }),
        ],
      },
    };

    it('aligns columns left with three spaces after the widest cell, header in upper case', () => {
      expect(printPodsWide([web, db], now)).to.equal(
        [
          'NAME    READY   STATUS             RESTARTS      AGE     IP           NODE     NOMINATED NODE   READINESS GATES',
          'web-1   1/1     Running            0             5m      10.244.1.5   node-1   <none>           <none>',
          'db-0    0/1     CrashLoopBackOff   5 (30s ago)   3m10s   10.244.2.7   node-2   <none>           <none>',
          '',
        ].join('\n'),
      );
    });

    it('puts NAMESPACE first with withNamespace', () => {
      expect(printPodsWide([web, db], now, { withNamespace: true }).split('\n').slice(0, 2)).to.deep.equal([
        'NAMESPACE   NAME    READY   STATUS             RESTARTS      AGE     IP           NODE     NOMINATED NODE   READINESS GATES',
        'default     web-1   1/1     Running            0             5m      10.244.1.5   node-1   <none>           <none>',
      ]);
    });

    it('prints nothing at all for an empty list, as kubectl prints no header without rows', () => {
      expect(printPodsWide([], now)).to.equal('');
      expect(printNodes([], now)).to.equal('');
      expect(printEvents([], now)).to.equal('');
      expect(printKubectlEvents([], now)).to.equal('');
    });

    it('pads headers to the widest cell in bytes, so a multi-byte cell widens its column', () => {
      const event: CoreEvent = {
        metadata: { name: 'e' },
        involvedObject: { kind: 'Pod', name: 'web' },
        reason: 'Überfall',
        type: 'Normal',
        message: 'm',
        lastTimestamp: ago(MINUTE),
      };
      // REASON is padded to 9 bytes; the cell is 8 characters wide, so the column is 9 + 3 wide.
      expect(printEvents([event], now)).to.equal(
        [
          'LAST SEEN   TYPE     REASON      OBJECT    MESSAGE',
          '60s         Normal   Überfall    pod/web   m',
          '',
        ].join('\n'),
      );
    });

    it('never pads the last column, so no line ends in spaces', () => {
      const event: CoreEvent = {
        metadata: { name: 'e' },
        involvedObject: { kind: 'Pod', name: 'web' },
        reason: 'Pulled',
        type: 'Normal',
        message: 'a message longer than its header',
        lastTimestamp: ago(MINUTE),
      };
      expect(printEvents([event], now)).to.equal(
        [
          'LAST SEEN   TYPE     REASON   OBJECT    MESSAGE',
          '60s         Normal   Pulled   pod/web   a message longer than its header',
          '',
        ].join('\n'),
      );
    });

    it('cuts a cell at its first line break with "..." and escapes terminal control characters', () => {
      const event: CoreEvent = {
        metadata: { name: 'e' },
        involvedObject: { kind: 'Pod', name: 'web' },
        reason: 'Bad\x1b',
        type: 'Warning',
        message: 'first line\nsecond line',
        lastTimestamp: ago(MINUTE),
      };
      expect(cells(printEvents([event], now))[0]).to.deep.equal([
        '60s',
        'Warning',
        'Bad^[',
        'pod/web',
        'first line...',
      ]);
    });
  });

  describe('printNodes', () => {
    const node = (name: string, extra: Partial<Node> = {}): Node => ({ metadata: { name }, ...extra });
    // printers_test.go TestPrintNodeStatus
    const statuses: Array<[Node, string]> = [
      [node('foo1', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }), 'Ready'],
      [
        node('foo2', {
          spec: { unschedulable: true },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }),
        'Ready,SchedulingDisabled',
      ],
      [
        node('foo3', {
          status: {
            conditions: [
              { type: 'Ready', status: 'True' },
              { type: 'Ready', status: 'True' },
            ],
          },
        }),
        'Ready',
      ],
      [node('foo4', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }), 'NotReady'],
      [
        node('foo5', {
          spec: { unschedulable: true },
          status: { conditions: [{ type: 'Ready', status: 'False' }] },
        }),
        'NotReady,SchedulingDisabled',
      ],
      [node('foo6', { status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }), 'Unknown'],
      [node('foo7', { status: { conditions: [{ type: '', status: '' }] } }), 'Unknown'],
      [
        node('foo8', {
          spec: { unschedulable: true },
          status: { conditions: [{ type: 'InvalidValue', status: 'True' }] },
        }),
        'Unknown,SchedulingDisabled',
      ],
      [
        node('foo9', { spec: { unschedulable: true }, status: { conditions: [{ type: '', status: '' }] } }),
        'Unknown,SchedulingDisabled',
      ],
    ];
    for (const [n, want] of statuses) {
      it(`${n.metadata?.name} is ${want} (TestPrintNodeStatus)`, () => {
        expect(cells(printNodes([n], now))[0]).to.deep.equal([
          n.metadata?.name,
          want,
          '<none>',
          '<unknown>',
          '',
        ]);
      });
    }

    it('shows a Ready condition with status Unknown as NotReady (printNode: anything but True)', () => {
      const n = node('lost', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
      expect(cells(printNodes([n], now))[0][1]).to.equal('NotReady');
    });

    // printers_test.go TestPrintNodeRole
    it('lists roles sorted from node-role.kubernetes.io/<role> and kubernetes.io/role (TestPrintNodeRole)', () => {
      const labels = {
        'node-role.kubernetes.io/master': '',
        'node-role.kubernetes.io/control-plane': '',
        'node-role.kubernetes.io/proxy': '',
        'kubernetes.io/role': 'node',
      };
      const rows = cells(
        printNodes(
          [
            node('foo9'),
            node('foo10', { metadata: { name: 'foo10', labels } }),
            node('foo11', { metadata: { name: 'foo11', labels: { 'kubernetes.io/role': 'node' } } }),
          ],
          now,
        ),
      );
      expect(rows.map((row) => row[2])).to.deep.equal(['<none>', 'control-plane,master,node,proxy', 'node']);
    });

    it('prints age and kubelet version with the exact layout', () => {
      const n = node('worker-1', {
        metadata: {
          name: 'worker-1',
          creationTimestamp: ago(3 * DAY),
          labels: { 'node-role.kubernetes.io/worker': '' },
        },
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          nodeInfo: { kubeletVersion: 'v1.30.0' } as never,
        },
      });
      expect(printNodes([n], now)).to.equal(
        ['NAME       STATUS   ROLES    AGE   VERSION', 'worker-1   Ready    worker   3d    v1.30.0', ''].join(
          '\n',
        ),
      );
    });
  });

  describe('printEvents (kubectl get events)', () => {
    const base: CoreEvent = {
      metadata: { name: 'event1' },
      source: { component: 'kubelet' },
      involvedObject: { kind: 'Pod', name: 'Pod Name', fieldPath: 'spec.containers{foo}' },
      reason: 'Event Reason',
      message: 'Message Data',
      type: 'Normal',
    };
    // printers_test.go TestPrintEvent: the LAST SEEN and OBJECT cells of its cases
    const cases: Array<[string, Partial<CoreEvent>, string]> = [
      ['basic event', { firstTimestamp: ago(3 * DAY), lastTimestamp: ago(2 * DAY), count: 6 }, '2d'],
      ['without FirstTimestamp', { eventTime: ago(3 * DAY), lastTimestamp: ago(3 * DAY), count: 1 }, '3d'],
      ['without LastTimestamp', { eventTime: ago(3 * DAY), firstTimestamp: ago(3 * DAY), count: 1 }, '3d'],
      ['without FirstTimestamp and LastTimestamp', { eventTime: ago(3 * DAY), count: 1 }, '3d'],
      [
        'series without timestamps and count',
        { eventTime: ago(3 * DAY), series: { count: 2, lastObservedTime: ago(2 * DAY) } },
        '2d',
      ],
      ['singleton without timestamps and count', { eventTime: ago(3 * DAY) }, '3d'],
    ];
    for (const [name, extra, lastSeen] of cases) {
      it(`${name} (TestPrintEvent)`, () => {
        expect(cells(printEvents([{ ...base, ...extra }], now))[0]).to.deep.equal([
          lastSeen,
          'Normal',
          'Event Reason',
          'pod/Pod Name',
          'Message Data',
        ]);
      });
    }

    it('lower-cases the kind and prints it alone without a name', () => {
      const event = { ...base, involvedObject: { kind: 'Node' }, lastTimestamp: ago(MINUTE) };
      expect(cells(printEvents([event], now))[0][3]).to.equal('node');
    });

    it('keeps the given order (TestPrintEventsResultSorted) and trims the message', () => {
      const at = (iso: string, message: string): CoreEvent => ({
        ...base,
        firstTimestamp: iso,
        lastTimestamp: iso,
        count: 1,
        message,
      });
      const events = [
        at('2014-01-15T00:00:00Z', 'Item 1'),
        at('1987-06-17T00:00:00Z', 'Item 2'),
        at('2002-12-25T00:00:00Z', ' Item 3\t '),
      ];
      expect(cells(printEvents(events, now)).map((row) => row[4])).to.deep.equal([
        'Item 1',
        'Item 2',
        'Item 3',
      ]);
    });
  });

  describe('printKubectlEvents (kubectl events)', () => {
    const scaled: CoreEvent = {
      metadata: { name: 'bar-000', namespace: 'foo' },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'bar', namespace: 'foo' },
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set bar-002 from 0 to 1',
      reportingComponent: 'deployment-controller',
      eventTime: ago(20 * MINUTE),
      series: { count: 3, lastObservedTime: ago(12 * MINUTE) },
    };

    // k8s:staging/src/k8s.io/kubectl/pkg/cmd/events/event_printer_test.go TestPrintObj (first case)
    it('shows a series as "12m (x3 over 20m)" and the kind as written', () => {
      expect(printKubectlEvents([scaled], now)).to.equal(
        [
          'LAST SEEN           TYPE     REASON              OBJECT           MESSAGE',
          '12m (x3 over 20m)   Normal   ScalingReplicaSet   Deployment/bar   Scaled up replica set bar-002 from 0 to 1',
          '',
        ].join('\n'),
      );
    });

    // event_printer_test.go TestPrintObj (escaping case)
    it('escapes terminal control characters', () => {
      const event: CoreEvent = {
        ...scaled,
        involvedObject: { kind: 'Deployment', name: 'bar\x1b' },
        type: 'test\x1b',
        reason: 'test\x1b',
        message: '\x1b',
        series: { count: 3, lastObservedTime: ago(MINUTE) },
      };
      expect(cells(printKubectlEvents([event], now))[0]).to.deep.equal([
        '60s (x3 over 20m)',
        'test^[',
        'test^[',
        'Deployment/bar^[',
        '^[',
      ]);
    });

    it('shows a repeated core event with its count and a singleton with its first time, oldest first', () => {
      const backOff: CoreEvent = {
        metadata: { name: 'web.1' },
        involvedObject: { kind: 'Pod', name: 'web' },
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container app in pod web_default(uid)',
        firstTimestamp: ago(10 * MINUTE),
        lastTimestamp: ago(5 * MINUTE),
        count: 4,
      };
      const scheduled: CoreEvent = {
        metadata: { name: 'web.0' },
        involvedObject: { kind: 'Pod', name: 'web' },
        type: 'Normal',
        reason: 'Scheduled',
        message: 'Successfully assigned default/web to node-1',
        firstTimestamp: ago(11 * MINUTE),
        lastTimestamp: ago(11 * MINUTE),
        count: 1,
      };
      const rows = cells(printKubectlEvents([backOff, scheduled], now));
      expect(rows.map((row) => row.slice(0, 4))).to.deep.equal([
        ['11m', 'Normal', 'Scheduled', 'Pod/web'],
        ['5m (x4 over 10m)', 'Warning', 'BackOff', 'Pod/web'],
      ]);
    });
  });
});
