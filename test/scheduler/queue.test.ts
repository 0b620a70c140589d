import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import { buildPodInfo, type PodInfo } from '../../src/scheduler/pod-info';
import { MAX_IN_UNSCHEDULABLE_MS, SchedulingQueue } from '../../src/scheduler/queue';
import { EPOCH } from '../../src/sim/clock';

// k8s:pkg/scheduler/backend/queue/scheduling_queue_test.go priorities.
const lowPriority = 0;
const midPriority = 100;
const highPriority = 1000;
const second = 1000;

function podInfo(name: string, priority = 0, namespace = 'ns1'): PodInfo {
  const pod: PodObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `${namespace}-${name}` },
    spec: { containers: [{ name: 'c', image: 'pause' }], priority },
  };
  return buildPodInfo(pod);
}

/** A queue on a fake clock (testingclock.NewFakeClock) that tests step by hand. */
function fakeClockQueue() {
  const clock = { now: EPOCH };
  const queue = new SchedulingQueue(() => clock.now, EPOCH);
  const step = (ms: number) => {
    clock.now += ms;
  };
  return { clock, queue, step };
}

/** Pop() then AddUnschedulableIfNotPresent(): the pod was tried and found unschedulable. */
function popAndFail(queue: SchedulingQueue, expectedKey: string): void {
  const qp = queue.pop();
  expect(qp?.info.key, 'popped pod').to.equal(expectedKey);
  queue.addUnschedulable(qp as NonNullable<typeof qp>);
}

function popAll(queue: SchedulingQueue): string[] {
  const keys: string[] = [];
  for (let qp = queue.pop(); qp; qp = queue.pop()) keys.push(qp.info.key);
  return keys;
}

describe('SchedulingQueue', () => {
  // TestPriorityQueue_Add: the highest priority pops first (PrioritySort).
  it('pops pods by descending priority', () => {
    const { queue } = fakeClockQueue();
    queue.add(podInfo('mpp', (lowPriority + highPriority) / 2, 'ns2'));
    queue.add(podInfo('up', lowPriority));
    queue.add(podInfo('hpp', highPriority));
    expect(popAll(queue)).to.deep.equal(['ns1/hpp', 'ns2/mpp', 'ns1/up']);
  });

  // k8s:pkg/scheduler/framework/plugins/queuesort/priority_sort.go Less: equal priorities pop in the order they
  // entered the queue (TestPodTimestamp "add two pod to activeQ and sort them by the timestamp").
  it('pops pods of equal priority in the order they were queued', () => {
    const { queue, step } = fakeClockQueue();
    queue.add(podInfo('test-pod-2', 0, 'ns2'));
    step(second);
    queue.add(podInfo('test-pod-1', 0, 'ns1'));
    expect(popAll(queue)).to.deep.equal(['ns2/test-pod-2', 'ns1/test-pod-1']);
  });

  it('forgets a removed pod', () => {
    const { queue } = fakeClockQueue();
    queue.add(podInfo('a'));
    queue.remove('ns1/a');
    expect(queue.has('ns1/a')).to.equal(false);
    expect(queue.pop()).to.equal(undefined);
  });

  // TestBackOffFlow (SchedulerPopFromBackoffQ off: the backoff is exactly calculateBackoffDuration): 1s doubling
  // per attempt up to podMaxBackoffDuration 10s. A cluster event moves the pod to the backoff queue; a flush before
  // the backoff is over keeps it there, one after moves it to the active queue. The queue's own flush runs on
  // one-second ticks from the scheduler's start (scheduling_queue.go Run), so it wakes at the first tick at or
  // after the expiry.
  const tick = (t: number) => EPOCH + Math.ceil((t - EPOCH) / second) * second;
  describe('TestBackOffFlow', () => {
    const { queue, clock, step } = fakeClockQueue();
    queue.add(podInfo('test-pod', 0, 'test-ns'));
    const steps = [1, 2, 4, 8, 10, 10, 10].map((s) => s * second);
    steps.forEach((wantBackoff, i) => {
      it(`step ${i}: backoff ${wantBackoff / second}s`, () => {
        const timestamp = clock.now;
        popAndFail(queue, 'test-ns/test-pod');
        queue.moveAllToActiveOrBackoff();
        expect(queue.activeCount(), 'in the backoff queue, not active').to.equal(0);
        expect(queue.nextFlush(), 'backoff expiry').to.equal(tick(timestamp + wantBackoff));

        step(1);
        queue.flush();
        expect(queue.activeCount(), 'still backing off after an early flush').to.equal(0);
        expect(queue.nextFlush()).to.equal(tick(timestamp + wantBackoff));

        step(wantBackoff);
        queue.flush();
        expect(queue.activeCount(), 'moved out of the backoff queue after the timeout').to.equal(1);
        expect(queue.nextFlush()).to.equal(undefined);
      });
    });
  });

  // TestHighPriorityBackoff: an unschedulable high-priority pod backs off and does not block the others.
  it('does not let a backing-off high-priority pod block lower-priority pods', () => {
    const { queue } = fakeClockQueue();
    queue.add(podInfo('test-midpod', midPriority));
    queue.add(podInfo('test-highpod', highPriority));
    popAndFail(queue, 'ns1/test-highpod');
    queue.moveAllToActiveOrBackoff();
    expect(queue.pop()?.info.key).to.equal('ns1/test-midpod');
  });

  // TestRecentlyTriedPodsGoBack: AddUnschedulableIfNotPresent refreshes the pod's timestamp, so a pod that was just
  // tried goes behind the pods of equal priority that have been waiting.
  it('puts a recently tried pod behind the pods of equal priority (TestRecentlyTriedPodsGoBack)', () => {
    const { queue, step } = fakeClockQueue();
    for (let i = 0; i < 5; i++) queue.add(podInfo(`test-pod-${i}`, highPriority));
    step(1);
    popAndFail(queue, 'ns1/test-pod-0');
    step(second); // DefaultPodInitialBackoffDuration
    queue.moveAllToActiveOrBackoff();
    expect(popAll(queue)).to.deep.equal([
      'ns1/test-pod-1',
      'ns1/test-pod-2',
      'ns1/test-pod-3',
      'ns1/test-pod-4',
      'ns1/test-pod-0',
    ]);
  });

  // TestPodFailedSchedulingMultipleTimesDoesNotBlockNewerPod: a pod found unschedulable again goes behind a pod
  // that was queued while it was being tried.
  it('does not let a pod that failed several times block a newer pod', () => {
    const { queue, step } = fakeClockQueue();
    queue.add(podInfo('test-pod-unscheduled', highPriority));
    popAndFail(queue, 'ns1/test-pod-unscheduled');
    step(2 * second); // DefaultPodInitialBackoffDuration + 1s
    queue.moveAllToActiveOrBackoff();
    const tried = queue.pop();
    expect(tried?.info.key).to.equal('ns1/test-pod-unscheduled');

    queue.add(podInfo('test-newer-pod', highPriority));
    queue.addUnschedulable(tried as NonNullable<typeof tried>);
    step(2 * second); // the second backoff, 2s
    queue.moveAllToActiveOrBackoff();
    expect(queue.pop()?.info.key).to.equal('ns1/test-newer-pod');
  });

  // TestMoveAllToActiveOrBackoffQueue_PreEnqueueChecks "nil PreEnqueueCheck": every unschedulable pod moves; those
  // still backing off wait in the backoff queue until their backoff completes.
  it('moves every unschedulable pod to the backoff queue, then to the active queue', () => {
    const { queue, step } = fakeClockQueue();
    for (let i = 0; i < 5; i++) queue.add(podInfo(`p${i}`, i));
    for (let i = 4; i >= 0; i--) popAndFail(queue, `ns1/p${i}`);
    queue.moveAllToActiveOrBackoff();
    expect(queue.activeCount()).to.equal(0);
    step(2 * 10 * second); // 2 * podMaxBackoffDuration
    queue.flush();
    expect(popAll(queue)).to.deep.equal(['ns1/p4', 'ns1/p3', 'ns1/p2', 'ns1/p1', 'ns1/p0']);
  });

  // TestPodTimestamp "add two pod to unschedulablePods then move them to activeQ": once the backoff is over, a
  // cluster event moves the pods straight to the active queue.
  it('moves pods whose backoff is over straight to the active queue', () => {
    const { queue, step } = fakeClockQueue();
    queue.add(podInfo('test-pod-1'));
    popAndFail(queue, 'ns1/test-pod-1');
    step(2 * second);
    queue.moveAllToActiveOrBackoff();
    expect(queue.activeCount()).to.equal(1);
    expect(queue.nextFlush()).to.equal(undefined);
  });

  it('leaves unschedulable pods alone until a cluster event or the leftover flush', () => {
    const { queue, step } = fakeClockQueue();
    queue.add(podInfo('a'));
    popAndFail(queue, 'ns1/a');
    step(10 * second);
    queue.flush();
    expect(queue.activeCount()).to.equal(0);
    expect(queue.has('ns1/a')).to.equal(true);
  });

  describe('flushUnschedulablePodsLeftover', () => {
    // TestHighPriorityFlushUnschedulablePodsLeftover: after DefaultPodMaxInUnschedulablePodsDuration (5 minutes)
    // the unschedulable pods go back to the active queue without any cluster event, in priority order.
    it('moves pods unschedulable for longer than 5 minutes back, by priority', () => {
      const { queue, step } = fakeClockQueue();
      expect(MAX_IN_UNSCHEDULABLE_MS).to.equal(5 * 60 * second);
      queue.add(podInfo('test-highpod', highPriority));
      popAndFail(queue, 'ns1/test-highpod');
      queue.add(podInfo('test-midpod', midPriority));
      popAndFail(queue, 'ns1/test-midpod');
      step(MAX_IN_UNSCHEDULABLE_MS + second);
      queue.flush();
      expect(popAll(queue)).to.deep.equal(['ns1/test-highpod', 'ns1/test-midpod']);
    });

    // TestPriorityQueue_initPodMaxInUnschedulablePodsDuration: the flushed pods queue by the time they were last
    // found unschedulable (QueuedPodInfo.Timestamp), the older first.
    it('queues the flushed pods by the time they last failed', () => {
      const { queue, step } = fakeClockQueue();
      queue.add(podInfo('test-pod-1', 0, 'ns1'));
      step(second);
      queue.add(podInfo('test-pod-2', 0, 'ns2'));
      const pod1 = queue.pop();
      const pod2 = queue.pop();
      expect([pod1?.info.key, pod2?.info.key]).to.deep.equal(['ns1/test-pod-1', 'ns2/test-pod-2']);
      queue.addUnschedulable(pod2 as NonNullable<typeof pod2>);
      step(second);
      queue.addUnschedulable(pod1 as NonNullable<typeof pod1>);
      step(MAX_IN_UNSCHEDULABLE_MS + second);
      queue.flush();
      expect(popAll(queue)).to.deep.equal(['ns2/test-pod-2', 'ns1/test-pod-1']);
    });

    // k8s:pkg/scheduler/backend/queue/scheduling_queue.go flushUnschedulablePodsLeftover:
    // currentTime.Sub(lastScheduleTime) > podMaxInUnschedulablePodsDuration — strictly longer than 5 minutes.
    it('keeps a pod unschedulable for exactly 5 minutes', () => {
      const { queue, step } = fakeClockQueue();
      queue.add(podInfo('a'));
      popAndFail(queue, 'ns1/a');
      step(MAX_IN_UNSCHEDULABLE_MS);
      queue.flush();
      expect(queue.activeCount()).to.equal(0);
      step(1);
      queue.flush();
      expect(queue.activeCount()).to.equal(1);
    });
  });
});
