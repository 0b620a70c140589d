import { expect } from 'chai';
import { ApiServer, LAST_APPLIED_ANNOTATION } from '../../src/api/apiserver';
import { registerNodeApi } from '../../src/api/nodes';
import type { KubeObject } from '../../src/api/object';
import { registerPodApi } from '../../src/api/pods';
import { ApiError, Store } from '../../src/api/store';
import { EPOCH, VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

async function newApi(): Promise<ApiServer> {
  const api = new ApiServer(new Store(new VirtualClock(), new SeededRandom(1)));
  registerPodApi(api, api.store);
  registerNodeApi(api, () => 'v1.33.0');
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return api;
}

const pod = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...metadata },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  }) as KubeObject;

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an ApiError');
}

/** Binds a pod the way the scheduler does: a subresource write that bypasses the update path. */
function bind(api: ApiServer, name: string, node: string): void {
  api.store.mutate('Pod', 'default', name, (p) => {
    (p.spec as { nodeName?: string }).nodeName = node;
    p.status = { ...(p.status as object), phase: 'Running' };
  });
}

describe('ApiServer', () => {
  describe('create', () => {
    it('puts a namespaced object without a namespace into default and drops a cluster-scoped one', async () => {
      const api = await newApi();
      expect((await api.create(pod('web'))).metadata.namespace).to.equal('default');
      const node = await api.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n1', namespace: 'x' },
      });
      expect(node.metadata.namespace).to.equal(undefined);
    });

    it('refuses to create what exists, as `kubectl create` learns', async () => {
      const api = await newApi();
      await api.create(pod('web'));
      const err = await refusal(api.create(pod('web')));
      expect([err.reason, err.message]).to.deep.equal(['AlreadyExists', 'pods "web" already exists']);
    });

    it('refuses a kind it does not serve', async () => {
      const api = await newApi();
      const err = await refusal(
        api.create({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'd' } }),
      );
      expect(err.reason).to.equal('BadRequest');
      expect(err.message).to.equal('no matches for kind "CronJob" in version "batch/v1"');
    });

    // NamespaceLifecycle (k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go).
    it('refuses an object for a namespace that does not exist', async () => {
      const api = await newApi();
      const err = await refusal(api.create(pod('web', {}, { namespace: 'prod' })));
      expect([err.reason, err.message, err.field]).to.deep.equal([
        'NotFound',
        'namespaces "prod" not found',
        'metadata.namespace',
      ]);
    });

    it('refuses new content in a namespace that is being deleted', async () => {
      const api = await newApi();
      await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'staging' } });
      await api.delete('Namespace', undefined, 'staging');
      const err = await refusal(api.create(pod('web', {}, { namespace: 'staging' })));
      expect(err.reason).to.equal('Forbidden');
      expect(err.message).to.equal(
        'pods "web" is forbidden: unable to create new content in namespace staging because it is being terminated',
      );
    });

    it('checks the name by the rule of the kind and reports every field error at once', async () => {
      const api = await newApi();
      const err = await refusal(api.create(pod('Web', { containers: [{ name: 'app' }] })));
      expect(err.reason).to.equal('Invalid');
      expect(err.causes.map((c) => c.toString())).to.deep.equal([
        `metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        'spec.containers[0].image: Required value',
      ]);
      expect(err.message).to.equal(
        `Pod "Web" is invalid: [${err.causes.map((c) => c.toString()).join(', ')}]`,
      );
    });

    it('names the group of a non-core kind in an Invalid refusal', async () => {
      const api = await newApi();
      const err = await refusal(
        api.create({
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'x_y' },
          value: 1,
        }),
      );
      expect(err.message).to.match(/^PriorityClass\.scheduling\.k8s\.io "x_y" is invalid: metadata\.name: /);
    });

    it('checks label keys and values and annotation keys', async () => {
      const api = await newApi();
      const err = await refusal(
        api.create(
          pod('web', {}, { labels: { 'app/x/y': 'ok', tier: '-front' }, annotations: { 'Bad Key': 'v' } }),
        ),
      );
      expect(err.causes.map((c) => c.field)).to.deep.equal([
        'metadata.labels',
        'metadata.labels',
        'metadata.annotations',
      ]);
      expect(err.causes[2].toString()).to.match(
        /^metadata\.annotations: Invalid value: "Bad Key": name part must/,
      );
    });

    it('names an object from its generateName and checks the prefix', async () => {
      const api = await newApi();
      const created = await api.create(pod('', {}, { name: undefined, generateName: 'web-' }));
      expect(created.metadata.name).to.match(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      const err = await refusal(api.create(pod('', {}, { name: undefined, generateName: 'Web-' })));
      expect(err.causes.map((c) => c.field)).to.deep.equal(['metadata.generateName', 'metadata.name']);
    });

    it('refuses an object with neither name nor generateName', async () => {
      const api = await newApi();
      const err = await refusal(api.create(pod('', {}, { name: undefined })));
      expect(err.causes.map((c) => c.toString())).to.deep.equal([
        'metadata.name: Required value: name or generateName is required',
      ]);
    });

    it('clears a deletionTimestamp given on create', async () => {
      const api = await newApi();
      const created = await api.create(pod('web', {}, { deletionTimestamp: '2025-01-01T00:00:00Z' }));
      expect(created.metadata.deletionTimestamp).to.equal(undefined);
    });
  });

  describe('namespaces', () => {
    it('labels a namespace with its name, adds the kubernetes finalizer and makes it Active', async () => {
      const api = await newApi();
      const ns = await api.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'prod', labels: { team: 'payments' } },
        spec: { finalizers: ['example.com/cleanup'] },
        status: { phase: 'Terminating' },
      });
      expect(ns.metadata.labels).to.deep.equal({ team: 'payments', 'kubernetes.io/metadata.name': 'prod' });
      expect(ns.spec).to.deep.equal({ finalizers: ['example.com/cleanup', 'kubernetes'] });
      expect(ns.status).to.deep.equal({ phase: 'Active' });
    });

    for (const name of ['default', 'kube-system', 'kube-public']) {
      it(`refuses to delete ${name}`, async () => {
        const api = await newApi();
        const err = await refusal(api.delete('Namespace', undefined, name));
        expect([err.reason, err.message]).to.deep.equal([
          'Forbidden',
          `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        ]);
      });
    }

    it('turns a deleted namespace Terminating and keeps it while its finalizer is there', async () => {
      const api = await newApi();
      api.store.clock.advanceTo(EPOCH + 5_000);
      await api.delete('Namespace', undefined, 'kube-node-lease');
      const ns = api.store.get('Namespace', undefined, 'kube-node-lease') as KubeObject;
      expect(ns.metadata.deletionTimestamp).to.equal('2025-01-01T00:00:05Z');
      expect(ns.status).to.deep.equal({ phase: 'Terminating' });
      await api.delete('Namespace', undefined, 'kube-node-lease');
      expect(api.store.get('Namespace', undefined, 'kube-node-lease')).to.not.equal(undefined);
    });

    it('removes a Terminating namespace whose finalizers are gone', async () => {
      const api = await newApi();
      await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } });
      await api.delete('Namespace', undefined, 'tmp');
      api.store.mutate('Namespace', undefined, 'tmp', (ns) => {
        ns.spec = { finalizers: [] };
      });
      await api.delete('Namespace', undefined, 'tmp');
      expect(api.store.get('Namespace', undefined, 'tmp')).to.equal(undefined);
    });
  });

  describe('decoding', () => {
    it('refuses the whole request at the first quantity that does not parse, in sorted key order', async () => {
      const api = await newApi();
      const err = await refusal(
        api.create(
          pod('web', {
            initContainers: [{ name: 'init', image: 'busybox', resources: { limits: { cpu: 'x' } } }],
            containers: [
              {
                name: 'app',
                image: 'nginx',
                resources: { requests: { memory: '1K' }, limits: { memory: 'y' } },
              },
            ],
          }),
        ),
      );
      expect(err.reason).to.equal('BadRequest');
      // limits comes before requests, containers before initContainers.
      expect(err.field).to.equal('spec.containers[0].resources.limits[memory]');
      expect(err.message).to.equal(
        `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      );
    });

    it('rounds quantities up to the milli and stores them in canonical form', async () => {
      const api = await newApi();
      const created = await api.create(
        pod('web', {
          containers: [
            {
              name: 'app',
              image: 'nginx',
              resources: { requests: { cpu: '100u', memory: '1024Mi' }, limits: { cpu: 0.5 } },
            },
          ],
        }),
      );
      expect(
        (created.spec as { containers: { resources: unknown }[] }).containers[0].resources,
      ).to.deep.equal({
        requests: { cpu: '1m', memory: '1Gi' },
        limits: { cpu: '500m' },
      });
    });
  });

  describe('apply', () => {
    it('creates an object with the manifest recorded as kubectl records it', async () => {
      const api = await newApi();
      const created = await api.apply(pod('web', {}, { labels: { app: 'web' } }));
      expect(created.metadata.annotations).to.deep.equal({
        [LAST_APPLIED_ANNOTATION]:
          '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.27","name":"app"}]}}\n',
      });
    });

    it('refuses a manifest without a name, as kubectl cannot look it up', async () => {
      const api = await newApi();
      const err = await refusal(api.apply(pod('', {}, { name: undefined, generateName: 'web-' })));
      expect([err.message, err.field]).to.deep.equal(['resource name may not be empty', 'metadata.name']);
    });

    it('writes nothing when the same manifest is applied again', async () => {
      const api = await newApi();
      await api.apply(
        pod('web', { containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: 0.5 } } }] }),
      );
      bind(api, 'web', 'n1');
      const before = api.store.get('Pod', 'default', 'web') as KubeObject;
      let changes = 0;
      api.store.watch('Pod', () => changes++);
      const after = await api.apply(
        pod('web', { containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: 0.5 } } }] }),
      );
      expect(after).to.equal(before);
      expect(changes).to.equal(0);
    });

    it('keeps what the server and the controllers set, and takes the labels of the manifest', async () => {
      const api = await newApi();
      await api.apply(pod('web', {}, { labels: { app: 'web', tier: 'front' } }));
      bind(api, 'web', 'n1');
      const updated = await api.apply(pod('web', {}, { labels: { app: 'web', release: 'stable' } }));
      expect(updated.metadata.labels).to.deep.equal({ app: 'web', release: 'stable' });
      expect(updated.spec).to.include({ nodeName: 'n1', priority: 0, schedulerName: 'default-scheduler' });
      expect(updated.status).to.include({ phase: 'Running' });
      expect(updated.metadata.generation).to.equal(1);
      expect(updated.metadata.resourceVersion).to.not.equal('1');
    });

    it('makes a new image a new generation', async () => {
      const api = await newApi();
      await api.apply(pod('web'));
      const updated = await api.apply(pod('web', { containers: [{ name: 'app', image: 'nginx:1.28' }] }));
      expect(updated.metadata.generation).to.equal(2);
    });

    it('refuses a change a running pod cannot take and leaves the pod as it was', async () => {
      const api = await newApi();
      await api.apply(pod('web'));
      const err = await refusal(api.apply(pod('web', { restartPolicy: 'Never' })));
      expect(err.causes.map((c) => c.toString())).to.deep.equal([
        'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ]);
      expect((api.store.get('Pod', 'default', 'web') as KubeObject).spec).to.include({
        restartPolicy: 'Always',
      });
    });

    it('merges a map field key by key and drops the keys the last apply had', async () => {
      const api = await newApi();
      const cm = (data: Record<string, string>) =>
        ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data }) as KubeObject;
      await api.apply(cm({ mode: 'fast', level: '3' }));
      // Someone else adds a key, which the next apply keeps.
      api.store.mutate('ConfigMap', 'default', 'settings', (c) => {
        c.data = { ...(c.data as object), owner: 'ops' };
      });
      const updated = await api.apply(cm({ mode: 'slow' }));
      expect(updated.data).to.deep.equal({ mode: 'slow', owner: 'ops' });
    });

    it('replaces a node taint list whole and keeps the node status', async () => {
      const api = await newApi();
      const node = (taints: unknown[]) =>
        ({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: 'n1' },
          spec: { taints },
          status: { capacity: { cpu: '8' } },
        }) as KubeObject;
      await api.apply(
        node([
          { key: 'a', effect: 'NoSchedule' },
          { key: 'b', effect: 'NoSchedule' },
        ]),
      );
      const updated = await api.apply({
        ...node([{ key: 'c', effect: 'NoExecute' }]),
        status: { capacity: { cpu: '2' } },
      });
      expect(updated.spec).to.deep.equal({ taints: [{ key: 'c', effect: 'NoExecute' }] });
      expect((updated.status as { capacity: unknown }).capacity).to.include({ cpu: '8' });
    });
  });

  // k8s:staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete and the pod strategy's
  // CheckGracefulDelete (k8s:pkg/registry/core/pod/strategy.go).
  describe('delete', () => {
    async function running(): Promise<ApiServer> {
      const api = await newApi();
      await api.create(pod('web', { terminationGracePeriodSeconds: 60 }));
      bind(api, 'web', 'n1');
      return api;
    }
    const stored = (api: ApiServer) => api.store.get('Pod', 'default', 'web');

    it('marks a pod on a node with its grace period and a new generation', async () => {
      const api = await running();
      api.store.clock.advanceTo(EPOCH + 10_000);
      await api.delete('Pod', 'default', 'web');
      expect(stored(api)?.metadata).to.include({
        deletionTimestamp: '2025-01-01T00:01:10Z',
        deletionGracePeriodSeconds: 60,
        generation: 2,
      });
    });

    it('removes at once a pod that never ran or has finished', async () => {
      const api = await newApi();
      await api.create(pod('pending'));
      await api.delete('Pod', 'default', 'pending');
      expect(api.store.get('Pod', 'default', 'pending')).to.equal(undefined);
      await api.create(pod('done'));
      api.store.mutate('Pod', 'default', 'done', (p) => {
        p.spec = { ...(p.spec as object), nodeName: 'n1' };
        p.status = { phase: 'Succeeded' };
      });
      await api.delete('Pod', 'default', 'done');
      expect(api.store.get('Pod', 'default', 'done')).to.equal(undefined);
    });

    it('removes at once when forced', async () => {
      const api = await running();
      await api.delete('Pod', 'default', 'web', { force: true });
      expect(stored(api)).to.equal(undefined);
    });

    it('only shortens the grace period of a pod already terminating, from its first deadline', async () => {
      const api = await running();
      await api.delete('Pod', 'default', 'web');
      api.store.clock.advanceTo(EPOCH + 20_000);
      await api.delete('Pod', 'default', 'web');
      await api.delete('Pod', 'default', 'web', { gracePeriodSeconds: 90 });
      expect(stored(api)?.metadata).to.include({ deletionTimestamp: '2025-01-01T00:01:00Z' });
      await api.delete('Pod', 'default', 'web', { gracePeriodSeconds: 30 });
      expect(stored(api)?.metadata).to.include({
        deletionTimestamp: '2025-01-01T00:00:30Z',
        deletionGracePeriodSeconds: 30,
        generation: 2,
      });
    });

    it('treats a negative grace period as one second', async () => {
      const api = await running();
      await api.delete('Pod', 'default', 'web', { gracePeriodSeconds: -5 });
      expect(stored(api)?.metadata.deletionGracePeriodSeconds).to.equal(1);
    });

    it('removes other kinds at once and refuses what does not exist', async () => {
      const api = await newApi();
      await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
      await api.delete('ConfigMap', undefined, 'c');
      expect(api.store.get('ConfigMap', 'default', 'c')).to.equal(undefined);
      const err = await refusal(api.delete('Pod', 'default', 'ghost'));
      expect([err.reason, err.message]).to.deep.equal(['NotFound', 'pods "ghost" not found']);
    });
  });
});
