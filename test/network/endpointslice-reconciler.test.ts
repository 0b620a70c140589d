import { expect } from 'chai';
import type { Endpoint } from 'kubernetes-types/discovery/v1';
import type { ServiceObject } from '../../src/api/services';
import {
  type DesiredEndpoint,
  type EndpointSliceObject,
  planSlices,
  sliceLabels,
} from '../../src/network/endpointslice-reconciler';

const service: ServiceObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'foo', namespace: 'default', uid: 'svc-uid', labels: { team: 'shop' } },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'foo' }, ports: [{ port: 80, protocol: 'TCP' }] },
};

const port = [{ name: '', port: 80, protocol: 'TCP' }];

function endpoint(i: number, ready = true): Endpoint {
  return {
    addresses: [`10.244.${Math.floor(i / 250)}.${i % 250}`],
    conditions: { ready, serving: ready, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: `pod${i}`, uid: `uid${i}` },
    nodeName: 'node-1',
  };
}

const desired = (n: number, ports = port): DesiredEndpoint[] =>
  Array.from({ length: n }, (_, i) => ({ endpoint: endpoint(i), ports }));

/** A slice as stored: named, owned by the Service, with the reconciler's labels. */
function stored(name: string, endpoints: Endpoint[], ports = port): EndpointSliceObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: 'default',
      generation: 1,
      labels: sliceLabels(undefined, service).labels,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: 'foo',
          uid: 'svc-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

// Cases of k8s:staging/src/k8s.io/endpointslice/reconciler_test.go.
describe('EndpointSlice reconciler', () => {
  it('creates one slice for one pod, labelled and owned by its Service (TestReconcile1Pod)', () => {
    const plan = planSlices(service, desired(1), []);
    expect(plan.update).to.deep.equal([]);
    expect(plan.delete).to.deep.equal([]);
    expect(plan.create).to.have.length(1);
    const [slice] = plan.create;
    expect(slice.metadata.generateName).to.equal('foo-');
    expect(slice.metadata.labels).to.deep.equal({
      team: 'shop',
      'kubernetes.io/service-name': 'foo',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata.ownerReferences?.[0]).to.include({
      kind: 'Service',
      uid: 'svc-uid',
      controller: true,
    });
    expect(slice.addressType).to.equal('IPv4');
    expect(slice.ports).to.deep.equal(port);
    expect(slice.endpoints).to.deep.equal([endpoint(0)]);
  });

  it('creates 3 slices for 250 pods, 100 per slice (TestReconcileManyPods)', () => {
    const plan = planSlices(service, desired(250), []);
    expect(plan.create.map((s) => s.endpoints?.length)).to.deep.equal([100, 100, 50]);
  });

  it('leaves a slice alone when nothing changed', () => {
    const plan = planSlices(service, desired(2), [stored('foo-abc', [endpoint(0), endpoint(1)])]);
    expect(plan).to.deep.equal({ create: [], update: [], delete: [] });
  });

  it('updates an endpoint in place, keeping the others where they are', () => {
    const changed = desired(3);
    changed[1] = { endpoint: endpoint(1, false), ports: port };
    const plan = planSlices(service, changed, [stored('foo-abc', [endpoint(0), endpoint(1), endpoint(2)])]);
    expect(plan.create).to.deep.equal([]);
    expect(plan.update).to.have.length(1);
    expect(plan.update[0].metadata.name).to.equal('foo-abc');
    expect(plan.update[0].endpoints?.map((e) => e.conditions?.ready)).to.deep.equal([true, false, true]);
  });

  it('fills the slice being updated with new endpoints before making a new one', () => {
    const plan = planSlices(service, desired(3), [stored('foo-abc', [endpoint(0), endpoint(9)])]);
    expect(plan.create).to.deep.equal([]);
    expect(plan.update[0].endpoints?.map((e) => e.targetRef?.name)).to.deep.equal(['pod0', 'pod1', 'pod2']);
  });

  it('fits the new endpoints into an unchanged slice that can take them all', () => {
    const full = stored(
      'foo-full',
      desired(100).map((d) => d.endpoint),
    );
    const small = stored('foo-small', [endpoint(100)]);
    const wanted = [...desired(101), { endpoint: endpoint(101), ports: port }];
    const plan = planSlices(service, wanted, [full, small]);
    expect(plan.create).to.deep.equal([]);
    expect(plan.update.map((s) => s.metadata.name)).to.deep.equal(['foo-small']);
    expect(plan.update[0].endpoints?.map((e) => e.targetRef?.name)).to.deep.equal(['pod100', 'pod101']);
  });

  it('keeps one empty placeholder slice for a Service without endpoints', () => {
    const first = planSlices(service, [], []);
    expect(first.create).to.have.length(1);
    expect(first.create[0].endpoints).to.deep.equal([]);
    expect(first.create[0].ports).to.deep.equal([]);
    // Stored empty lists come back as null.
    const placeholder = {
      ...stored('foo-ph', [], []),
      endpoints: null as unknown as Endpoint[],
      ports: undefined,
    };
    expect(planSlices(service, [], [placeholder])).to.deep.equal({ create: [], update: [], delete: [] });
  });

  it('reuses the name of a slice it would delete for one it would create (finalize)', () => {
    const placeholder = stored('foo-ph', [], []);
    const plan = planSlices(service, desired(1), [placeholder]);
    expect(plan.create).to.deep.equal([]);
    expect(plan.delete).to.deep.equal([]);
    expect(plan.update.map((s) => [s.metadata.name, s.endpoints?.length])).to.deep.equal([['foo-ph', 1]]);
  });

  it('groups endpoints by the ports they serve', () => {
    const named = [{ name: 'http', port: 8080, protocol: 'TCP' }];
    const wanted = [
      { endpoint: endpoint(0), ports: named },
      { endpoint: endpoint(1), ports: [] },
    ];
    const plan = planSlices(service, wanted, []);
    expect(plan.create.map((s) => [s.ports, s.endpoints?.length])).to.deep.equal([
      [named, 1],
      [[], 1],
    ]);
  });

  it('deletes slices another owner left behind', () => {
    const foreign = stored('foo-old', [endpoint(0)]);
    foreign.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'old-uid' }];
    const plan = planSlices(service, desired(1), [foreign]);
    expect(plan.delete.map((s) => s.metadata.name)).to.deep.equal(['foo-old']);
    expect(plan.create).to.have.length(1);
  });

  it('marks a headless Service and updates slices whose labels drifted from the Service', () => {
    const headless: ServiceObject = { ...service, spec: { ...service.spec, clusterIP: 'None' } };
    expect(sliceLabels(undefined, headless).labels['service.kubernetes.io/headless']).to.equal('');
    const relabelled: ServiceObject = {
      ...service,
      metadata: { ...service.metadata, labels: { team: 'ops' } },
    };
    const plan = planSlices(relabelled, desired(1), [stored('foo-abc', [endpoint(0)])]);
    expect(plan.update[0].metadata.labels?.team).to.equal('ops');
  });
});
