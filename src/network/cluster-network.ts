// Services and networking of the simulated cluster in one place: the Service and NetworkPolicy APIs, the
// Service allocators, the endpoints and EndpointSlice controllers, the cloud load balancer controller,
// kube-proxy's data path with network policy enforcement after it, and the cluster DNS. Only the controllers
// watch the store; kube-proxy, the policy filter and DNS read it when asked.
import type { ApiServer } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import { registerNetworkPolicyApi } from '../api/network-policies';
import { registerServiceApi, type ServiceAllocators } from '../api/services';
import type { Store } from '../api/store';
import type { Evaluator } from '../rules/evaluate';
import type { ReconcileLoop } from '../sim/loop';
import type { SeededRandom } from '../sim/random';
import type { DecisionTrace } from '../sim/trace';
import type { KubernetesVersion } from '../sim/version';
import { CloudLoadBalancers } from './cloud-load-balancer';
import { ClusterDns } from './cluster-dns';
import { EndpointsController } from './endpoints-controller';
import { KubeProxy } from './kube-proxy';
import { createKubernetesService } from './kubernetes-service';
import { NetworkPolicyFilter } from './network-policy-filter';

export interface NetworkParts {
  store: Store;
  api: ApiServer;
  loop: ReconcileLoop;
  recorder: EventRecorder;
  trace: DecisionTrace;
  random: SeededRandom;
  version: () => KubernetesVersion;
  /** The service.endpoints evaluator of the policy in force. */
  endpointRules: () => Evaluator;
  /** Default 10.96.0.0/12. */
  serviceCIDR?: string;
}

export class ClusterNetwork {
  readonly allocators: ServiceAllocators;
  readonly proxy: KubeProxy;
  readonly dns: ClusterDns;

  constructor(private readonly parts: NetworkParts) {
    const { store, api, loop, recorder, trace, random } = parts;
    this.allocators = registerServiceApi(api, store, { serviceCIDR: parts.serviceCIDR, seed: random.seed });
    new EndpointsController(store, loop, parts.endpointRules, trace);
    new CloudLoadBalancers(store, loop, recorder);
    registerNetworkPolicyApi(api, parts.version);
    this.proxy = new KubeProxy(store, random, new NetworkPolicyFilter(store, trace));
    this.dns = new ClusterDns(store);
  }

  /** What the API server creates when it starts: the `kubernetes` Service and its endpoints. */
  async bootstrap(): Promise<void> {
    const { api, store } = this.parts;
    await createKubernetesService(api, store, this.allocators.clusterIPs.firstAddress());
  }
}
