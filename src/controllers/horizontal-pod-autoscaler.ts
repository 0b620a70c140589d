// The horizontal pod autoscaler controller (k8s:pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler,
// computeReplicasForMetrics, computeStatusForResourceMetricGeneric, setCondition, setStatus). Every HPA is synced
// 15 seconds after it is created and every 15 seconds after each sync (--horizontal-pod-autoscaler-sync-period:
// the controller's queue adds every request with that delay, so an update of the HPA waits for the next sync
// too). A sync reads the target's scale subresource, asks the resource metrics of the pods its selector
// matches, proposes a count per metric (./hpa-replica-calculator.ts), normalises the highest
// (./hpa-behavior.ts), scales the target and writes the status, conditions and events.
import type {
  HorizontalPodAutoscalerCondition,
  HorizontalPodAutoscalerStatus,
  MetricSpec,
  MetricStatus,
} from 'kubernetes-types/autoscaling/v2';
import type { ApiServer } from '../api/apiserver';
import { sameJson } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import type { HorizontalPodAutoscalerObject } from '../api/horizontal-pod-autoscalers';
import { kindInfo, qualifiedResource } from '../api/kinds';
import { type Selector, selectorFromSet } from '../api/labels';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import { Quantity } from '../api/quantity';
import { ApiError, type Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import { parseSelector } from './controller-ref-manager';
import {
  type AutoscalerMemory,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  storeScaleEvent,
} from './hpa-behavior';
import { resourceMetrics } from './hpa-metrics';
import {
  type CalculatorSettings,
  DEFAULT_CALCULATOR_SETTINGS,
  MetricError,
  rawResourceReplicas,
  resourceReplicas,
} from './hpa-replica-calculator';

/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;
const SOURCE = { component: 'horizontal-pod-autoscaler' };

/** The kinds with a scale subresource, by group (the target's apiVersion names the group). */
const SCALABLE: Readonly<Record<string, readonly string[]>> = {
  '': ['ReplicationController'],
  apps: ['Deployment', 'ReplicaSet', 'StatefulSet'],
};

type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

interface Proposal {
  replicas: number;
  metric: string;
  status: MetricStatus;
}

/** A metric that gave no count: the ScalingActive condition it would set, and the error. */
class InvalidMetric extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = 'horizontal-pod-autoscaler';
  private readonly memory = new Map<string, AutoscalerMemory>();

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
    private readonly settings: CalculatorSettings = DEFAULT_CALCULATOR_SETTINGS,
  ) {
    store.watch('HorizontalPodAutoscaler', (type, obj) => {
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      if (type === 'ADDED') this.loop.schedule(this, key, this.store.clock.now() + HPA_SYNC_PERIOD_MS);
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const hpa = this.store.get('HorizontalPodAutoscaler', namespace, name) as
      | HorizontalPodAutoscalerObject
      | undefined;
    if (!hpa) {
      this.memory.delete(key);
      return;
    }
    await new Sync(this, structuredClone(hpa), this.memoryOf(key)).run();
    this.loop.schedule(this, key, this.store.clock.now() + HPA_SYNC_PERIOD_MS);
  }

  private memoryOf(key: string): AutoscalerMemory {
    let m = this.memory.get(key);
    if (!m) {
      m = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
      this.memory.set(key, m);
    }
    return m;
  }

  /** For Sync: the collaborators it needs. */
  get deps() {
    return { store: this.store, api: this.api, recorder: this.recorder, settings: this.settings };
  }
}

/** One reconcileAutoscaler: works on a copy of the HPA and writes its status once at the end. */
class Sync {
  private readonly status: HorizontalPodAutoscalerStatus;
  private readonly original: HorizontalPodAutoscalerStatus;
  private readonly now: number;

  constructor(
    private readonly controller: HorizontalPodAutoscalerController,
    private readonly hpa: HorizontalPodAutoscalerObject,
    private readonly memory: AutoscalerMemory,
  ) {
    this.original = structuredClone(hpa.status ?? { desiredReplicas: 0 });
    this.status = structuredClone(this.original);
    this.now = controller.deps.store.clock.now();
  }

  async run(): Promise<void> {
    const spec = this.hpa.spec;
    if (!spec) return;
    const target = this.scaleTarget();
    if (target instanceof ApiError) {
      this.event('Warning', 'FailedGetScale', target.message);
      this.setCondition(
        'AbleToScale',
        'False',
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${target.message}`,
      );
      this.writeStatus();
      return;
    }
    this.setCondition(
      'AbleToScale',
      'True',
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
    );
    const currentReplicas = specReplicas(target);
    // recordInitialRecommendation: the current size is the first recommendation.
    if (this.memory.recommendations.length === 0)
      this.memory.recommendations.push({ recommendation: currentReplicas, timestamp: this.now });

    const minReplicas = spec.minReplicas ?? 1;
    const maxReplicas = spec.maxReplicas;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;
    let metricStatuses: MetricStatus[] | undefined;
    if (currentReplicas === 0 && minReplicas !== 0) {
      desiredReplicas = 0;
      rescale = false;
      this.setCondition(
        'ScalingActive',
        'False',
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
      );
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = this.computeReplicasForMetrics(target, currentReplicas, spec.metrics ?? []);
      metricStatuses = computed.statuses;
      if (computed.error && computed.replicas === -1) {
        // setCurrentReplicasAndMetricsInStatus: the desired count stays what it was.
        this.status.currentReplicas = currentReplicas;
        this.status.currentMetrics = metricStatuses;
        this.writeStatus();
        this.event('Warning', 'FailedComputeMetricsReplicas', computed.error);
        return;
      }
      let rescaleMetric = '';
      if (computed.replicas > desiredReplicas) {
        desiredReplicas = computed.replicas;
        rescaleMetric = computed.metric;
      }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const args = { currentReplicas, desiredReplicas, minReplicas, maxReplicas, now: this.now };
      const normalized = spec.behavior
        ? normalizeDesiredReplicasWithBehaviors(this.memory, spec.behavior, args)
        : normalizeDesiredReplicas(this.memory, args);
      this.setCondition('AbleToScale', 'True', normalized.ableToScale.reason, normalized.ableToScale.message);
      const limited = normalized.limited;
      this.setCondition('ScalingLimited', limited.status, limited.reason, limited.message);
      desiredReplicas = normalized.desiredReplicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      const failure = await this.updateScale(target, desiredReplicas);
      if (failure) {
        this.event(
          'Warning',
          'FailedRescale',
          `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${failure}`,
        );
        this.setCondition(
          'AbleToScale',
          'False',
          'FailedUpdateScale',
          `the HPA controller was unable to update the target scale: ${failure}`,
        );
        this.writeStatus();
        return;
      }
      this.setCondition(
        'AbleToScale',
        'True',
        'SucceededRescale',
        `the HPA controller was able to update the target scale to ${desiredReplicas}`,
      );
      this.event('Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      storeScaleEvent(this.memory, spec.behavior, currentReplicas, desiredReplicas, this.now);
    } else {
      desiredReplicas = currentReplicas;
    }
    // setStatus
    this.status.currentReplicas = currentReplicas;
    this.status.desiredReplicas = desiredReplicas;
    this.status.currentMetrics = metricStatuses;
    if (rescale) this.status.lastScaleTime = this.controller.deps.store.clock.timestamp(this.now);
    this.writeStatus();
  }

  // The scale subresource of the target: RESTMapping of its group and kind, then a GET of the object.
  private scaleTarget(): KubeObject | ApiError {
    const ref = this.hpa.spec?.scaleTargetRef ?? { kind: '', name: '' };
    const group = groupOf(ref.apiVersion ?? '');
    const info = kindInfo(ref.kind);
    if (!info || groupOf(info.apiVersion) !== group)
      return new ApiError('NotFound', `no matches for kind "${ref.kind}" in group "${group}"`);
    if (!SCALABLE[group]?.includes(ref.kind))
      return new ApiError('NotFound', 'the server could not find the requested resource');
    const obj = this.controller.deps.store.get(ref.kind, this.hpa.metadata.namespace, ref.name);
    if (!obj) return new ApiError('NotFound', `${qualifiedResource(ref.kind)} "${ref.name}" not found`);
    return obj;
  }

  private async updateScale(target: KubeObject, replicas: number): Promise<string | undefined> {
    try {
      await this.controller.deps.api.patch(
        target.kind,
        target.metadata.namespace,
        target.metadata.name as string,
        (draft) => {
          (draft.spec as { replicas?: number }).replicas = replicas;
        },
      );
      return undefined;
    } catch (error) {
      if (error instanceof ApiError) return error.message;
      throw error;
    }
  }

  // computeReplicasForMetrics: the highest proposal; all metrics invalid, or some invalid while the valid ones
  // would scale down, gives no count.
  private computeReplicasForMetrics(
    target: KubeObject,
    specReplicas: number,
    specs: readonly MetricSpec[],
  ): { replicas: number; metric: string; statuses: MetricStatus[]; error?: string } {
    const selector = scaleSelector(target);
    if (!selector) {
      this.event('Warning', 'SelectorRequired', 'selector is required');
      this.setCondition(
        'ScalingActive',
        'False',
        'InvalidSelector',
        "the HPA target's scale is missing a selector",
      );
      return { replicas: -1, metric: '', statuses: [], error: 'selector is required' };
    }
    const pods = (this.controller.deps.store.list('Pod', this.hpa.metadata.namespace) as PodObject[]).filter(
      (p) => selector.matches(p.metadata.labels),
    );
    let replicas = 0;
    let metric = '';
    let invalid = 0;
    let first: InvalidMetric | undefined;
    const statuses: MetricStatus[] = [];
    for (const spec of specs) {
      try {
        const proposal = this.computeReplicasForMetric(spec, specReplicas, pods);
        statuses.push(proposal.status);
        if (replicas === 0 || proposal.replicas > replicas) {
          replicas = proposal.replicas;
          metric = proposal.metric;
        }
      } catch (error) {
        if (!(error instanceof InvalidMetric)) throw error;
        // The status of a metric that failed stays Go's zero value.
        statuses.push({ type: '' });
        first ??= error;
        invalid++;
      }
    }
    const error = first
      ? `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.message}`
      : undefined;
    if (first && (invalid >= specs.length || replicas < specReplicas)) {
      this.setCondition(
        'ScalingActive',
        'False',
        first.reason,
        `the HPA was unable to compute the replica count: ${first.message}`,
      );
      return { replicas: -1, metric: '', statuses, error };
    }
    this.setCondition(
      'ScalingActive',
      'True',
      'ValidMetricFound',
      `the HPA was able to successfully calculate a replica count from ${metric}`,
    );
    return { replicas, metric, statuses, error };
  }

  // computeStatusForResourceMetric: only Resource metrics are simulated (metrics-server has no others).
  private computeReplicasForMetric(spec: MetricSpec, current: number, pods: readonly PodObject[]): Proposal {
    if (spec.type !== 'Resource' || !spec.resource) {
      const reason = `FailedGet${spec.type}Metric`;
      const message = `kubespec simulates no ${spec.type} metrics, only Resource metrics (cpu and memory)`;
      this.event('Warning', reason, message);
      throw new InvalidMetric(reason, message);
    }
    const { name: resource, target } = spec.resource;
    const { settings, store } = this.controller.deps;
    try {
      const metrics = (() => {
        try {
          return resourceMetrics(pods, resource, this.now);
        } catch (error) {
          if (error instanceof MetricError)
            throw new MetricError(`unable to get metrics for resource ${resource}: ${error.message}`);
          throw error;
        }
      })();
      const now = store.clock.now();
      if (target.averageValue !== undefined) {
        const average = Quantity.parse(target.averageValue as string).milliValue();
        const r = rawResourceReplicas(current, average, resource, pods, metrics, settings, now);
        return {
          replicas: r.replicas,
          metric: `${resource} resource`,
          status: {
            type: 'Resource',
            resource: {
              name: resource,
              current: { averageValue: Quantity.fromMilli(r.rawAverage).toString() },
            },
          },
        };
      }
      if (target.averageUtilization === undefined) {
        throw new MetricError(
          'invalid resource metric source: neither a utilization target nor a value target was set',
        );
      }
      const r = resourceReplicas(current, target.averageUtilization, resource, pods, metrics, settings, now);
      return {
        replicas: r.replicas,
        metric: `${resource} resource utilization (percentage of request)`,
        status: {
          type: 'Resource',
          resource: {
            name: resource,
            current: {
              averageUtilization: r.utilization,
              averageValue: Quantity.fromMilli(r.rawAverage).toString(),
            },
          },
        },
      };
    } catch (error) {
      if (!(error instanceof MetricError)) throw error;
      // getUnableComputeReplicaCountCondition records the event as it builds the condition.
      const message = `failed to get ${resource} utilization: ${error.message}`;
      this.event('Warning', 'FailedGetResourceMetric', message);
      throw new InvalidMetric('FailedGetResourceMetric', message);
    }
  }

  // setCondition: the transition time moves only when the status does.
  private setCondition(type: ConditionType, status: 'True' | 'False', reason: string, message: string): void {
    this.status.conditions ??= [];
    const conditions = this.status.conditions;
    let c: HorizontalPodAutoscalerCondition | undefined = conditions.find((x) => x.type === type);
    if (!c) {
      c = { type, status: '' };
      conditions.push(c);
    }
    if (c.status !== status) c.lastTransitionTime = this.controller.deps.store.clock.timestamp(this.now);
    c.status = status;
    c.reason = reason;
    c.message = message;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.controller.deps.recorder.record(this.hpa, type, reason, message, SOURCE);
  }

  // updateStatusIfNeeded
  private writeStatus(): void {
    const status = JSON.parse(JSON.stringify(this.status)) as HorizontalPodAutoscalerStatus;
    if (sameJson(status, this.original)) return;
    const { store } = this.controller.deps;
    store.mutate<HorizontalPodAutoscalerObject>(
      'HorizontalPodAutoscaler',
      this.hpa.metadata.namespace,
      this.hpa.metadata.name as string,
      (h) => {
        h.status = status;
      },
    );
  }
}

/** The group of an apiVersion: `apps` of `apps/v1`, "" of `v1`. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** scale.spec.replicas: the target's spec.replicas (the API server defaults it to 1). */
function specReplicas(target: KubeObject): number {
  return (target.spec as { replicas?: number } | undefined)?.replicas ?? 1;
}

/** scale.status.selector: the target's pod selector; undefined when it has none (or it does not parse). */
function scaleSelector(target: KubeObject): Selector | undefined {
  const spec = target.spec as { selector?: unknown } | undefined;
  if (target.kind === 'ReplicationController') {
    const set = spec?.selector as Record<string, string> | undefined;
    return set && Object.keys(set).length > 0 ? selectorFromSet(set) : undefined;
  }
  const selector = parseSelector(spec?.selector as Parameters<typeof parseSelector>[0]);
  return selector && selector.toString() !== '' ? selector : undefined;
}
