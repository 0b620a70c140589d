// The cloud controller manager's service controller (k8s:staging/src/k8s.io/cloud-provider/controllers/
// service/controller.go syncLoadBalancerIfNeeded) with a simulated cloud: a LoadBalancer Service gets the
// cleanup finalizer, then a load balancer whose address goes into status.loadBalancer.ingress, with the
// EnsuringLoadBalancer / EnsuredLoadBalancer events; a Service that stops being one (or is deleted) has its load
// balancer deleted. Addresses come from a documentation range (RFC 5737 TEST-NET-3, 203.0.113.1 and up), lowest
// free first, or spec.loadBalancerIP when the Service asks for one. A Service with a loadBalancerClass belongs to
// another implementation and is left alone, as the cloud controller does.
import type { EventRecorder } from '../api/events';
import type { ServiceObject } from '../api/services';
import type { Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';

export const LOAD_BALANCER_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
const POOL_PREFIX = '203.0.113.';
const SOURCE = { component: 'service-controller' };

const wantsLoadBalancer = (svc: ServiceObject) =>
  svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;

export class CloudLoadBalancers implements Controller {
  readonly name = 'service-controller';
  private readonly assigned = new Map<string, string>();

  constructor(
    private readonly store: Store,
    loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
  ) {
    store.watch('Service', (type, obj) => {
      const svc = obj as ServiceObject;
      const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
      if (type === 'DELETED') {
        // Only a Service someone stripped of the finalizer goes before its load balancer.
        if (this.assigned.has(key)) this.deleteLoadBalancer(key, svc);
        return;
      }
      if (wantsLoadBalancer(svc) || this.assigned.has(key)) loop.enqueue(this, key);
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const svc = this.store.get('Service', namespace, name) as ServiceObject | undefined;
    if (!svc) return;
    // needsCleanup: a Service being deleted, or no longer of type LoadBalancer, that still holds the finalizer
    // has its load balancer deleted, and only then the finalizer removed, which lets the deletion finish.
    if (!wantsLoadBalancer(svc) || svc.metadata.deletionTimestamp) {
      if (!this.assigned.has(key) && !svc.metadata.finalizers?.includes(LOAD_BALANCER_CLEANUP_FINALIZER))
        return;
      if (this.assigned.has(key)) this.deleteLoadBalancer(key, svc);
      this.store.mutate<ServiceObject>('Service', namespace, name, (s) => {
        s.metadata.finalizers = (s.metadata.finalizers ?? []).filter(
          (f) => f !== LOAD_BALANCER_CLEANUP_FINALIZER,
        );
        if (s.metadata.finalizers.length === 0) delete s.metadata.finalizers;
        if (!s.metadata.deletionTimestamp) s.status = { ...(s.status ?? {}), loadBalancer: {} };
      });
      return;
    }
    if (this.assigned.has(key)) return;
    this.recorder.record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', SOURCE);
    const ip = svc.spec?.loadBalancerIP || this.freeAddress();
    this.assigned.set(key, ip);
    const updated = this.store.mutate<ServiceObject>('Service', namespace, name, (s) => {
      if (!s.metadata.finalizers?.includes(LOAD_BALANCER_CLEANUP_FINALIZER)) {
        s.metadata.finalizers = [...(s.metadata.finalizers ?? []), LOAD_BALANCER_CLEANUP_FINALIZER];
      }
      s.status = { ...(s.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    });
    if (updated)
      this.recorder.record(updated, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', SOURCE);
  }

  private deleteLoadBalancer(key: string, svc: ServiceObject): void {
    this.recorder.record(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer', SOURCE);
    this.assigned.delete(key);
    this.recorder.record(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer', SOURCE);
  }

  private freeAddress(): string {
    const taken = new Set(this.assigned.values());
    for (let host = 1; host < 255; host++) {
      if (!taken.has(`${POOL_PREFIX}${host}`)) return `${POOL_PREFIX}${host}`;
    }
    throw new Error(`the simulated cloud has no load balancer addresses left in ${POOL_PREFIX}0/24`);
  }
}
