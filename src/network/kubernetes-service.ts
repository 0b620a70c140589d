// The API server's own Service, `kubernetes` in namespace default, at the first address of the service range
// (k8s:pkg/controlplane/controller/kubernetesservice/controller.go createPortAndServiceSpec), with the
// Endpoints and EndpointSlice the API server's endpoint reconciler keeps pointing at its own address
// (k8s:pkg/controlplane/reconcilers/lease.go, endpointsadapter.go endpointSliceFromEndpoints).
import type { ApiServer } from '../api/apiserver';
import type { KubeObject } from '../api/object';
import type { Store } from '../api/store';
import { SERVICE_NAME_LABEL } from './endpointslice-reconciler';

/**
 * Where the simulated API server listens: the first address of the nodes' network (nodes get 172.18.0.2 and
 * up), port 6443 as kubeadm configures it.
 */
export const APISERVER_ADDRESS = '172.18.0.1';
export const APISERVER_PORT = 6443;

export async function createKubernetesService(
  api: ApiServer,
  store: Store,
  clusterIP: string,
): Promise<void> {
  await api.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT }],
      clusterIP,
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  });
  const port = { name: 'https', port: APISERVER_PORT, protocol: 'TCP' };
  const endpoints: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [{ addresses: [{ ip: APISERVER_ADDRESS }], ports: [port] }],
  };
  store.create(endpoints);
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [APISERVER_ADDRESS], conditions: { ready: true } }],
    ports: [port],
  };
  store.create(slice);
}
