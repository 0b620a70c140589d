// The taint-eviction controller (k8s:pkg/controller/tainteviction/taint_eviction.go): pods on a node with
// NoExecute taints are evicted as the taint.eviction rules decide — at once, after their tolerationSeconds,
// or never — and a scheduled eviction is cancelled when the taints go before it fires.
import type { EventRecorder } from '../api/events';
import type { NodeObject } from '../api/nodes';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import { setCondition } from '../scheduler/scheduler';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';

const SOURCE = { component: 'taint-eviction-controller' };

/** An eviction waiting for its time, as the controller's TimedWorkerQueue holds it. */
interface ScheduledEviction {
  fireAt: number;
  /** The pod as last seen, so that a cancellation can still name it once the pod is gone. */
  pod: PodObject;
}

export class TaintEvictionController implements Controller {
  readonly name = 'taint-eviction';
  private readonly scheduled = new Map<string, ScheduledEviction>();

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly rules: () => Evaluator,
    private readonly trace: DecisionTrace,
    private readonly deletePod: (pod: PodObject) => Promise<void>,
  ) {
    // NodeUpdated: only a change of the NoExecute taints matters.
    store.watch('Node', (type, obj, old) => {
      if (type === 'DELETED') return;
      const before = JSON.stringify(noExecute(old as NodeObject | undefined));
      if (JSON.stringify(noExecute(obj as NodeObject)) === before) return;
      for (const pod of store.list('Pod') as PodObject[]) {
        if (pod.spec?.nodeName === obj.metadata.name) loop.enqueue(this, keyOf(pod));
      }
    });
    // PodUpdated: a deletion, a new node or new tolerations.
    store.watch('Pod', (type, obj, old) => {
      const pod = obj as PodObject;
      const oldPod = old as PodObject | undefined;
      const moved = pod.spec?.nodeName !== oldPod?.spec?.nodeName;
      const tolerationsChanged =
        JSON.stringify(pod.spec?.tolerations) !== JSON.stringify(oldPod?.spec?.tolerations);
      if (type === 'DELETED' || (pod.spec?.nodeName && (moved || tolerationsChanged))) {
        loop.enqueue(this, keyOf(pod));
      }
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const pod = this.store.get('Pod', namespace, name) as PodObject | undefined;
    // handlePodUpdate: a pod deleted by someone else takes its pending eviction with it, with the event.
    if (!pod) return this.cancel(key);
    if (pod.metadata.deletionTimestamp) return;
    const now = this.store.clock.now();
    const existing = this.scheduled.get(key);
    if (existing && existing.fireAt <= now) {
      this.scheduled.delete(key);
      await this.evict(pod);
      return;
    }
    const node = pod.spec?.nodeName
      ? (this.store.get('Node', undefined, pod.spec.nodeName) as NodeObject | undefined)
      : undefined;
    const taints = noExecute(node);
    if (taints.length === 0) return this.cancel(key);
    const decision = await this.rules().evaluate({ tolerations: pod.spec?.tolerations ?? [], taints });
    const evict = decision.events.find((e) => e.type === 'evict');
    const after = evict ? Number(evict.params.after) : undefined;
    this.trace.add({
      kind: 'decision',
      time: now,
      subject: `pod ${key} on node ${node?.metadata.name}`,
      decision,
      outcome:
        after === undefined
          ? 'tolerates the taints for good'
          : after === 0
            ? 'evict now'
            : existing
              ? `evict at the time already scheduled, ${(existing.fireAt - now) / 1000}s from now`
              : `evict after ${after}s`,
    });
    if (after === undefined) return this.cancel(key);
    if (after === 0) {
      // processPodOnNode, taints not all tolerated: the pending eviction is cancelled, with its event, and
      // replaced by one that fires at once.
      this.cancel(key);
      await this.evict(pod);
      return;
    }
    // processPodOnNode: an eviction already scheduled keeps its firing time, whatever the new tolerationSeconds,
    // because its CreatedAt + minTolerationTime is before now + minTolerationTime (real time has moved on).
    if (existing) {
      existing.pod = pod;
      return;
    }
    const fireAt = now + after * 1000;
    this.scheduled.set(key, { fireAt, pod });
    this.loop.schedule(this, key, fireAt);
  }

  /** cancelWorkWithEvent: the event only when an eviction was pending. */
  private cancel(key: string): void {
    const existing = this.scheduled.get(key);
    if (!existing) return;
    this.scheduled.delete(key);
    this.recorder.record(
      existing.pod,
      'Normal',
      'TaintManagerEviction',
      `Cancelling deletion of Pod ${key}`,
      SOURCE,
    );
  }

  // deletePodHandler: the event first, then addConditionAndDeletePod.
  private async evict(pod: PodObject): Promise<void> {
    const key = keyOf(pod);
    this.recorder.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`, SOURCE);
    const marked = this.store.mutate<PodObject>(
      'Pod',
      pod.metadata.namespace,
      pod.metadata.name as string,
      (p) =>
        setCondition(p, {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint',
          lastTransitionTime: this.store.clock.timestamp(),
        }),
    );
    if (marked) await this.deletePod(marked);
  }
}

function noExecute(node: NodeObject | undefined) {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

function keyOf(pod: PodObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
