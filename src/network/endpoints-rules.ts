// The `service.endpoints` decision point: whether a pod a Service selects is one of its endpoints, and with
// which conditions. The mechanics (k8s:pkg/controller/endpoint, k8s:staging/src/k8s.io/endpointslice) only ask
// about pods in the Service's namespace whose labels match its selector; the shipped rules follow
// ShouldPodBeInEndpoints and podToEndpoint.
import type { PodObject } from '../api/pods';
import type { ServiceObject } from '../api/services';
import { defineDecisionPoint } from '../rules/decision-point';

export interface EndpointsContext {
  service: ServiceObject;
  pod: PodObject;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export const serviceEndpoints = defineDecisionPoint<EndpointsContext>({
  name: 'service.endpoints',
  askedBy: 'the endpoints and EndpointSlice controllers, for each pod a Service selects',
  description:
    'Whether a pod the Service selects (same namespace, labels matching its selector) is one of its endpoints. ' +
    'No event: it is not. `endpoint {ready, serving, terminating}`: it is, with these EndpointSlice conditions; the ' +
    'Endpoints object lists it under addresses when ready, under notReadyAddresses when not ready and not ' +
    'terminating, and leaves it out when terminating and not ready. kube-proxy sends traffic to ready endpoints, and ' +
    'to serving terminating ones when no endpoint is ready. When several rules fire, the highest priority wins.',
  facts: {
    podReady: { description: "The pod's Ready condition is True.", compute: (c) => isPodReady(c.pod) },
    terminating: {
      description: 'The pod is being deleted (it has a deletionTimestamp).',
      compute: (c) => c.pod.metadata.deletionTimestamp !== undefined,
    },
    terminal: {
      description: 'The pod has finished: its phase is Succeeded or Failed.',
      compute: (c) => c.pod.status?.phase === 'Succeeded' || c.pod.status?.phase === 'Failed',
    },
    hasIP: {
      description: 'The pod has an IP address (its kubelet has started it).',
      compute: (c) => Boolean(c.pod.status?.podIP || c.pod.status?.podIPs?.length),
    },
    podPhase: { description: "The pod's status.phase.", compute: (c) => c.pod.status?.phase ?? '' },
    podLabels: { description: "The pod's labels.", compute: (c) => c.pod.metadata.labels ?? {} },
    publishNotReadyAddresses: {
      description: "The Service's spec.publishNotReadyAddresses.",
      compute: (c) => c.service.spec?.publishNotReadyAddresses === true,
    },
    serviceType: { description: "The Service's spec.type.", compute: (c) => c.service.spec?.type ?? '' },
    serviceAnnotations: {
      description: "The Service's annotations.",
      compute: (c) => c.service.metadata.annotations ?? {},
    },
  },
  events: {
    endpoint: {
      description: 'The pod is an endpoint with these conditions.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['ready', 'serving', 'terminating'],
        properties: {
          ready: { type: 'boolean' },
          serving: { type: 'boolean' },
          terminating: { type: 'boolean' },
        },
      },
    },
  },
});
