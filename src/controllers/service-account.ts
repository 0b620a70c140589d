// The ServiceAccount controller (k8s:pkg/controller/serviceaccount/serviceaccounts_controller.go): every active
// namespace has a `default` ServiceAccount; it is created with the namespace and again if someone deletes it.
import type { ApiServer } from '../api/apiserver';
import type { KubeObject } from '../api/object';
import { DEFAULT_SERVICE_ACCOUNT } from '../api/service-accounts';
import { ApiError, type Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';

export class ServiceAccountController implements Controller {
  readonly name = 'serviceaccount';

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    loop: ReconcileLoop,
  ) {
    store.watch('Namespace', (type, obj) => {
      if (type !== 'DELETED') loop.enqueue(this, obj.metadata.name as string);
    });
    store.watch('ServiceAccount', (type, obj) => {
      if (type === 'DELETED' && obj.metadata.name === DEFAULT_SERVICE_ACCOUNT) {
        loop.enqueue(this, obj.metadata.namespace as string);
      }
    });
  }

  async reconcile(namespace: string): Promise<void> {
    await this.ensureDefault(namespace);
  }

  /** syncNamespace: a namespace that is not Active (gone, or being deleted) gets nothing. */
  async ensureDefault(namespace: string): Promise<void> {
    const ns = this.store.get('Namespace', undefined, namespace);
    if ((ns?.status as { phase?: string } | undefined)?.phase !== 'Active') return;
    if (this.store.get('ServiceAccount', namespace, DEFAULT_SERVICE_ACCOUNT)) return;
    const account: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace },
    };
    try {
      await this.api.create(account);
    } catch (error) {
      // Someone created it meanwhile, or the namespace started terminating: both end the sync.
      if (!(error instanceof ApiError)) throw error;
    }
  }
}
