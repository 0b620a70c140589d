// The disruption controller (k8s:pkg/controller/disruption/disruption.go): for each PodDisruptionBudget, the
// pods its selector matches, how many are expected (disruption-status.ts), how many are healthy, and the
// status the eviction API relies on. A change of a pod wakes the budgets that select it; a budget whose
// evicted pods are not deleted yet is looked at again when their entries expire. On an error (a pod whose
// controller has no scale under a percentage or maxUnavailable) the budget fails safe: no disruption allowed.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { sameJson } from '../api/apiserver';
import type { PodDisruptionBudgetObject } from '../api/disruption-budgets';
import type { EventRecorder } from '../api/events';
import { selectorFromLabelSelector } from '../api/labels';
import { type KubeObject, keyOf } from '../api/object';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import {
  budgetStatus,
  buildDisruptedPodMap,
  countHealthyPods,
  expectedPodCount,
  failSafeStatus,
  type ScaleFinder,
} from './disruption-status';
import { controllerOf } from './pod-control';

const SOURCE = { component: 'controllermanager' };

/** The pods a budget selects: policy/v1 lets an empty selector match every pod of the namespace. */
export function budgetSelects(pdb: KubeObject, pod: KubeObject): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  try {
    return selectorFromLabelSelector((pdb.spec as { selector?: LabelSelector })?.selector).matches(
      pod.metadata.labels,
    );
  } catch {
    return false;
  }
}

export class DisruptionController implements Controller {
  readonly name = 'disruption-controller';

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
  ) {
    store.watch('PodDisruptionBudget', (_type, obj) => loop.enqueue(this, keyOf(obj)));
    store.watch('Pod', (_type, obj, old) => {
      for (const pod of old ? [obj, old] : [obj]) {
        for (const pdb of store.list('PodDisruptionBudget', pod.metadata.namespace)) {
          if (budgetSelects(pdb, pod)) loop.enqueue(this, keyOf(pdb));
        }
      }
    });
  }

  // sync / trySync.
  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const pdb = this.store.get('PodDisruptionBudget', namespace, name) as
      | PodDisruptionBudgetObject
      | undefined;
    if (!pdb) return;
    const clock = this.store.clock;
    const pods = (this.store.list('Pod', namespace) as PodObject[]).filter((p) => budgetSelects(pdb, p));
    if (pods.length === 0) this.recorder.record(pdb, 'Normal', 'NoPods', 'No matching pods found', SOURCE);
    let counts: ReturnType<typeof expectedPodCount>;
    try {
      counts = expectedPodCount(pdb, pods, this.scaleOf);
    } catch (error) {
      const message = (error as Error).message;
      this.recorder.record(
        pdb,
        'Warning',
        'CalculateExpectedPodCountFailed',
        `Failed to calculate the number of expected pods: ${message}`,
        SOURCE,
      );
      this.write(pdb, failSafeStatus(pdb, message, clock.timestamp()));
      return;
    }
    if (counts.unmanagedPods.length > 0) {
      this.recorder.record(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${goSelectorString(pdb.spec?.selector ?? undefined)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
        SOURCE,
      );
    }
    const now = clock.now();
    const { disrupted, recheckAt, notDeleted } = buildDisruptedPodMap(pods, pdb, now);
    for (const pod of notDeleted) {
      const p = pods.find((x) => x.metadata.name === pod) as PodObject;
      this.recorder.record(
        p,
        'Warning',
        'NotDeleted',
        `Pod was expected by PDB ${namespace}/${name} to be deleted but it wasn't`,
        SOURCE,
      );
    }
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    const status = budgetStatus(
      pdb,
      { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedCount: counts.expectedCount },
      disrupted,
      (ms) => clock.timestamp(ms),
    );
    this.write(pdb, status);
    if (recheckAt !== undefined) this.loop.schedule(this, key, recheckAt);
  }

  // updatePdbStatus writes only when something changed (a condition's timestamp alone is no change).
  private write(pdb: PodDisruptionBudgetObject, status: PodDisruptionBudgetObject['status']): void {
    if (sameJson(status, pdb.status)) return;
    this.store.mutate('PodDisruptionBudget', pdb.metadata.namespace, pdb.metadata.name as string, (draft) => {
      draft.status = status;
    });
  }

  // The finders: a ReplicationController, a Deployment through its ReplicaSet, a ReplicaSet of its own, a
  // StatefulSet (finders()), each by the controller reference's uid; no other kind of this simulation has a
  // scale subresource (getScaleController), so a Job's or DaemonSet's pod has no expected scale.
  private readonly scaleOf: ScaleFinder = (pod) => {
    const ref = controllerOf(pod);
    if (!ref) return undefined;
    const ns = pod.metadata.namespace;
    const owned = (kind: string, r: { kind: string; name: string; uid: string }) => {
      if (r.kind !== kind) return undefined;
      const obj = this.store.get(kind, ns, r.name);
      return obj?.metadata.uid === r.uid ? obj : undefined;
    };
    const scale = (obj: KubeObject) => ({
      uid: obj.metadata.uid as string,
      scale: (obj.spec as { replicas?: number })?.replicas ?? 1,
    });
    for (const kind of ['ReplicationController', 'StatefulSet']) {
      const obj = owned(kind, ref);
      if (obj) return scale(obj);
    }
    const rs = owned('ReplicaSet', ref);
    if (!rs) return undefined;
    const rsRef = controllerOf(rs);
    if (rsRef?.kind !== 'Deployment') return scale(rs);
    const deployment = owned('Deployment', rsRef);
    return deployment ? scale(deployment) : undefined;
  };
}

// %v of a *metav1.LabelSelector: its generated String() method.
function goSelectorString(selector: LabelSelector | undefined): string {
  if (!selector) return 'nil';
  const labels = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}: ${v},`)
    .join('');
  const expressions = (selector.matchExpressions ?? [])
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`,
    )
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}
