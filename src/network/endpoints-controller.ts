// The endpoints and EndpointSlice controllers of kube-controller-manager as one reconciler per Service
// (k8s:pkg/controller/endpoint/endpoints_controller.go syncService, k8s:pkg/controller/endpointslice/
// endpointslice_controller.go syncService): the pods a Service selects are asked about at the
// `service.endpoints` decision point, and the answers are written as the Service's Endpoints object and its
// EndpointSlices. Services without a selector and ExternalName Services get nothing from here.
//
// Pods are indexed by namespace and Services with a selector by namespace, and each Service keeps the set of
// pods it selects, so a pod change costs a look at its own namespace's selecting Services only, and nothing
// when there is none.
import { sameJson } from '../api/apiserver';
import { type Selector, selectorFromSet } from '../api/labels';
import type { NodeObject } from '../api/nodes';
import type { KubeObject } from '../api/object';
import type { PodObject } from '../api/pods';
import type { ServiceObject } from '../api/services';
import type { Store, WatchEventType } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import type { Controller, ReconcileLoop } from '../sim/loop';
import type { DecisionTrace } from '../sim/trace';
import {
  type EndpointConditions,
  endpointsSubsets,
  findPort,
  HEADLESS_LABEL,
  MAX_ENDPOINTS_CAPACITY,
  OVER_CAPACITY_ANNOTATION,
  type SelectedPod,
  sliceEndpoint,
  slicePorts,
} from './endpoint-objects';
import { isPodReady } from './endpoints-rules';
import { type EndpointSliceObject, planSlices, SERVICE_NAME_LABEL } from './endpointslice-reconciler';
import { TriggerTimeTracker } from './trigger-time';

/** v1.EndpointsLastChangeTriggerTime */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

interface CachedDecision {
  pod: PodObject;
  service: ServiceObject;
  evaluator: Evaluator;
  endpoint: EndpointConditions | undefined;
}

/** The Service's selector, when the controllers manage its endpoints. */
export function managedSelector(svc: ServiceObject): Selector | undefined {
  const selector = svc.spec?.selector;
  if (svc.spec?.type === 'ExternalName' || !selector || Object.keys(selector).length === 0) return undefined;
  return selectorFromSet(selector);
}

// podEndpointsChanged: what of a pod can change its endpoint besides its labels.
function endpointRelevantChange(old: PodObject, pod: PodObject): boolean {
  return (
    old.status?.podIP !== pod.status?.podIP ||
    old.status?.phase !== pod.status?.phase ||
    isPodReady(old) !== isPodReady(pod) ||
    old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp ||
    old.spec?.nodeName !== pod.spec?.nodeName ||
    old.spec?.hostname !== pod.spec?.hostname ||
    old.spec?.subdomain !== pod.spec?.subdomain
  );
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  private readonly selectors = new Map<string, Map<string, Selector>>();
  private readonly podsByNamespace = new Map<string, Set<string>>();
  private readonly members = new Map<string, Set<string>>();
  private readonly decisions = new Map<string, Map<string, CachedDecision>>();
  private readonly slicesByService = new Map<string, Set<string>>();
  private readonly triggers = new TriggerTimeTracker();
  /** Keys of this controller waiting in the loop's queue. */
  private readonly queued = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly loop: ReconcileLoop,
    private readonly rules: () => Evaluator,
    private readonly trace: DecisionTrace,
  ) {
    store.watch('Service', (type, obj) => this.serviceChanged(type, obj as ServiceObject));
    store.watch('Pod', (type, obj, old) => this.podChanged(type, obj as PodObject, old as PodObject));
    store.watch('EndpointSlice', (type, obj) => this.sliceChanged(type, obj as EndpointSliceObject));
  }

  private serviceChanged(type: WatchEventType, svc: ServiceObject): void {
    const namespace = svc.metadata.namespace as string;
    const name = svc.metadata.name as string;
    const key = `${namespace}/${name}`;
    const selector = type === 'DELETED' ? undefined : managedSelector(svc);
    let selecting = this.selectors.get(namespace);
    const previous = selecting?.get(name);
    if (!selector) {
      selecting?.delete(name);
      this.members.delete(key);
    } else if (previous?.toString() !== selector.toString()) {
      if (!selecting) {
        selecting = new Map();
        this.selectors.set(namespace, selecting);
      }
      selecting.set(name, selector);
      const members = new Set<string>();
      for (const podName of this.podsByNamespace.get(namespace) ?? []) {
        const pod = this.store.get('Pod', namespace, podName) as PodObject | undefined;
        if (selector.matches(pod?.metadata.labels)) members.add(podName);
      }
      this.members.set(key, members);
    }
    this.enqueue(key);
  }

  private podChanged(type: WatchEventType, pod: PodObject, old: PodObject | undefined): void {
    const namespace = pod.metadata.namespace as string;
    const name = pod.metadata.name as string;
    if (type !== 'MODIFIED') {
      let names = this.podsByNamespace.get(namespace);
      if (!names) {
        names = new Set();
        this.podsByNamespace.set(namespace, names);
      }
      if (type === 'ADDED') names.add(name);
      else names.delete(name);
    }
    const selecting = this.selectors.get(namespace);
    if (!selecting || selecting.size === 0) return;
    for (const [serviceName, selector] of selecting) {
      const key = `${namespace}/${serviceName}`;
      const members = this.members.get(key) as Set<string>;
      const was = members.has(name);
      const is = type !== 'DELETED' && selector.matches(pod.metadata.labels);
      if (is) members.add(name);
      else members.delete(name);
      if (was !== is || (is && (type === 'ADDED' || endpointRelevantChange(old as PodObject, pod)))) {
        this.enqueue(key);
      }
    }
  }

  private enqueue(key: string): void {
    this.queued.add(key);
    this.loop.enqueue(this, key);
  }

  private sliceChanged(type: WatchEventType, slice: EndpointSliceObject): void {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service) return;
    const key = `${slice.metadata.namespace}/${service}`;
    let names = this.slicesByService.get(key);
    if (type === 'DELETED') {
      names?.delete(slice.metadata.name as string);
      return;
    }
    if (!names) {
      names = new Set();
      this.slicesByService.set(key, names);
    }
    names.add(slice.metadata.name as string);
  }

  async reconcile(key: string): Promise<void> {
    this.queued.delete(key);
    // The other controllers go first: like a real controller whose syncs take longer than the changes they
    // read, a Service's endpoints are rewritten once the instant's other work is done, with all of its changes
    // at once, instead of once per pod as 10000 pods start. (Only this controller yields, so it cannot starve.)
    if (this.loop.pendingWork() > this.queued.size) {
      this.enqueue(key);
      return;
    }
    const [namespace, name] = key.split('/');
    const svc = this.store.get('Service', namespace, name) as ServiceObject | undefined;
    if (!svc) {
      // The Service is gone: its Endpoints go with it, and its slices with their owner (garbage collector).
      this.store.remove('Endpoints', namespace, name);
      for (const slice of this.existingSlices(key))
        this.store.remove('EndpointSlice', namespace, slice.metadata.name as string);
      this.triggers.forget(key);
      this.decisions.delete(key);
      return;
    }
    if (!managedSelector(svc)) return;
    const pods: PodObject[] = [];
    for (const podName of this.members.get(key) ?? []) {
      const pod = this.store.get('Pod', namespace, podName) as PodObject | undefined;
      if (pod) pods.push(pod);
    }
    const selected: SelectedPod[] = [];
    for (const pod of pods) {
      const node = pod.spec?.nodeName
        ? (this.store.get('Node', undefined, pod.spec.nodeName) as NodeObject | undefined)
        : undefined;
      selected.push({ pod, node, endpoint: await this.decide(key, svc, pod) });
    }
    const trigger = this.triggers.compute(key, svc, pods);
    this.writeEndpoints(svc, selected, trigger);
    this.writeSlices(key, svc, selected, trigger);
  }

  private async decide(
    key: string,
    service: ServiceObject,
    pod: PodObject,
  ): Promise<EndpointConditions | undefined> {
    let cache = this.decisions.get(key);
    if (!cache) {
      cache = new Map();
      this.decisions.set(key, cache);
    }
    const evaluator = this.rules();
    const podName = pod.metadata.name as string;
    const hit = cache.get(podName);
    if (hit && hit.pod === pod && hit.service === service && hit.evaluator === evaluator) return hit.endpoint;
    const decision = await evaluator.evaluate({ service, pod });
    const event = decision.events.find((e) => e.type === 'endpoint');
    const endpoint = event
      ? {
          ready: event.params.ready === true,
          serving: event.params.serving === true,
          terminating: event.params.terminating === true,
        }
      : undefined;
    cache.set(podName, { pod, service, evaluator, endpoint });
    this.trace.add({
      kind: 'decision',
      time: this.store.clock.now(),
      subject: `pod ${pod.metadata.namespace}/${podName} for service ${key}`,
      decision,
      outcome: describeOutcome(key, service, pod, endpoint),
    });
    return endpoint;
  }

  private writeEndpoints(
    svc: ServiceObject,
    selected: readonly SelectedPod[],
    trigger: string | undefined,
  ): void {
    const namespace = svc.metadata.namespace as string;
    const name = svc.metadata.name as string;
    const { subsets, truncated } = endpointsSubsets(svc, selected);
    const current = this.store.get('Endpoints', namespace, name);
    const serviceLabels = svc.metadata.labels ?? {};
    if (current) {
      const { [HEADLESS_LABEL]: _headless, ...labels } = current.metadata.labels ?? {};
      const currentSubsets = (current.subsets as typeof subsets | undefined) ?? [];
      const count = currentSubsets.reduce(
        (n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0),
        0,
      );
      const capacityNoted =
        count <= MAX_ENDPOINTS_CAPACITY &&
        current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === undefined;
      if (sameJson(currentSubsets, subsets) && sameJson(labels, serviceLabels) && capacityNoted) return;
    }
    const next: KubeObject = current
      ? structuredClone(current)
      : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    if (subsets.length > 0) next.subsets = subsets;
    else delete next.subsets;
    const labels: Record<string, string> = { ...serviceLabels };
    if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
    next.metadata.labels = labels;
    const annotations = { ...(next.metadata.annotations ?? {}) };
    setOrDelete(annotations, TRIGGER_TIME_ANNOTATION, trigger);
    setOrDelete(annotations, OVER_CAPACITY_ANNOTATION, truncated ? 'truncated' : undefined);
    next.metadata.annotations = annotations;
    dropEmptyMaps(next);
    if (current) this.store.update(next);
    else this.store.create(next);
  }

  private writeSlices(
    key: string,
    svc: ServiceObject,
    selected: readonly SelectedPod[],
    trigger: string | undefined,
  ): void {
    const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
    // A pod on a node that does not exist is left out, unless the Service publishes not-ready addresses.
    const desired = selected
      .filter((s) => s.endpoint && (s.node || !s.pod.spec?.nodeName || publishNotReady))
      .map((s) => ({ endpoint: sliceEndpoint(s, svc), ports: slicePorts(s.pod, svc) }));
    const plan = planSlices(svc, desired, this.existingSlices(key));
    for (const slice of plan.create) this.store.create(storedSlice(slice, trigger));
    for (const slice of plan.update) {
      const live = this.store.get('EndpointSlice', slice.metadata.namespace, slice.metadata.name as string);
      if (!live) continue;
      const next = storedSlice(slice, trigger);
      // The endpointslice strategy bumps the generation of every update that changes more than metadata.
      next.metadata.generation = (live.metadata.generation ?? 1) + 1;
      this.store.update(next);
    }
    for (const slice of plan.delete) {
      this.store.remove('EndpointSlice', slice.metadata.namespace, slice.metadata.name as string);
    }
  }

  private existingSlices(key: string): EndpointSliceObject[] {
    const namespace = key.slice(0, key.indexOf('/'));
    const slices: EndpointSliceObject[] = [];
    for (const name of this.slicesByService.get(key) ?? []) {
      const slice = this.store.get('EndpointSlice', namespace, name) as EndpointSliceObject | undefined;
      if (slice) slices.push(slice);
    }
    return slices;
  }
}

const isServiceIPSet = (svc: ServiceObject) => Boolean(svc.spec?.clusterIP) && svc.spec?.clusterIP !== 'None';

function setOrDelete(map: Record<string, string>, key: string, value: string | undefined): void {
  if (value === undefined) delete map[key];
  else map[key] = value;
}

/** Empty maps are omitted when an object is serialised (`omitempty`). */
function dropEmptyMaps(obj: KubeObject): void {
  if (Object.keys(obj.metadata.labels ?? {}).length === 0) delete obj.metadata.labels;
  if (Object.keys(obj.metadata.annotations ?? {}).length === 0) delete obj.metadata.annotations;
}

/**
 * An EndpointSlice as the API server stores it: empty lists come back from storage as null (the fields have no
 * omitempty), and addTriggerTimeAnnotation has set or cleared the trigger time.
 */
function storedSlice(slice: EndpointSliceObject, trigger: string | undefined): EndpointSliceObject {
  const next = structuredClone(slice);
  const annotations = { ...(next.metadata.annotations ?? {}) };
  setOrDelete(annotations, TRIGGER_TIME_ANNOTATION, trigger);
  next.metadata.annotations = annotations;
  dropEmptyMaps(next);
  if ((next.endpoints ?? []).length === 0) next.endpoints = null as unknown as [];
  if ((next.ports ?? []).length === 0) next.ports = null as unknown as [];
  return next;
}

function describeOutcome(
  key: string,
  service: ServiceObject,
  pod: PodObject,
  endpoint: EndpointConditions | undefined,
): string {
  if (!endpoint) return `not an endpoint of service ${key}`;
  const state = endpoint.ready ? 'ready' : endpoint.terminating ? 'terminating, not ready' : 'not ready';
  const parts = [
    `${state} endpoint of service ${key} (ready: ${endpoint.ready}, serving: ${endpoint.serving}, terminating: ${endpoint.terminating})`,
  ];
  for (const port of service.spec?.ports ?? []) {
    if (findPort(pod, port) === undefined) {
      parts.push(
        `not for port ${port.port}: no container port named "${port.targetPort}" with protocol ${port.protocol}`,
      );
    }
  }
  return parts.join('; ');
}
