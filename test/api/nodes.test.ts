import { expect } from 'chai';
import { ApiServer } from '../../src/api/apiserver';
import { DEFAULT_NODE_CAPACITY, type NodeObject, registerNodeApi } from '../../src/api/nodes';
import type { KubeObject } from '../../src/api/object';
import type { PodObject } from '../../src/api/pods';
import { ApiError, Store } from '../../src/api/store';
import { Cluster } from '../../src/cluster';
import { EPOCH, VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

function newApi(): ApiServer {
  const api = new ApiServer(new Store(new VirtualClock(), new SeededRandom(1)));
  registerNodeApi(api, () => 'v1.33.4');
  return api;
}

const node = (name: string, rest: Partial<NodeObject> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, ...rest }) as KubeObject;

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('nodes', () => {
  // k8s:pkg/kubelet/kubelet_node_status.go initialNode and k8s:pkg/kubelet/nodestatus/setters.go.
  describe('registration', () => {
    it('carries the labels, addresses, conditions and versions a kubelet reports', async () => {
      const api = newApi();
      api.store.clock.advanceTo(EPOCH + 3_000);
      const n = (await api.create(
        node('worker-1', { metadata: { name: 'worker-1', labels: { zone: 'a' } } }),
      )) as NodeObject;
      expect(n.metadata.labels).to.deep.equal({
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': 'worker-1',
        'kubernetes.io/os': 'linux',
        zone: 'a',
      });
      expect(n.status?.addresses).to.deep.equal([
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'Hostname', address: 'worker-1' },
      ]);
      expect(n.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).to.deep.equal([
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ]);
      expect(n.status?.conditions?.[3].lastHeartbeatTime).to.equal('2025-01-01T00:00:03Z');
      expect(n.status?.nodeInfo).to.include({
        kubeletVersion: 'v1.33.4',
        operatingSystem: 'linux',
        architecture: 'amd64',
      });
      expect(n.status?.daemonEndpoints).to.deep.equal({ kubeletEndpoint: { Port: 10250 } });
      expect(n.metadata.generation).to.equal(undefined);
    });

    it('lets the manifest override a kubelet label', async () => {
      const api = newApi();
      const n = await api.create(
        node('arm-1', { metadata: { name: 'arm-1', labels: { 'kubernetes.io/arch': 'arm64' } } }),
      );
      expect(n.metadata.labels?.['kubernetes.io/arch']).to.equal('arm64');
    });

    it('fills the capacity it is not given from the defaults, and allocatable from capacity', async () => {
      const api = newApi();
      const n = (await api.create(
        node('n1', {
          // A YAML number, as `cpu: 8` in a manifest gives.
          status: {
            capacity: { cpu: 8 as unknown as string, 'nvidia.com/gpu': '2' },
            allocatable: { cpu: '7500m' },
          },
        }),
      )) as NodeObject;
      expect(n.status?.capacity).to.deep.equal({ ...DEFAULT_NODE_CAPACITY, cpu: '8', 'nvidia.com/gpu': '2' });
      expect(n.status?.allocatable).to.deep.equal({
        ...DEFAULT_NODE_CAPACITY,
        cpu: '7500m',
        'nvidia.com/gpu': '2',
      });
    });

    it('gives each node the next address, and keeps a node as registered when it is applied again', async () => {
      const api = newApi();
      await api.create(node('n1'));
      await api.apply(node('n2', { metadata: { name: 'n2', labels: { disk: 'ssd' } } }));
      const reapplied = (await api.apply(
        node('n2', { metadata: { name: 'n2', labels: { disk: 'hdd' } } }),
      )) as NodeObject;
      const n3 = (await api.create(node('n3'))) as NodeObject;
      expect(reapplied.status?.addresses?.[0].address).to.equal('172.18.0.3');
      expect(reapplied.metadata.labels).to.include({ disk: 'hdd', 'kubernetes.io/hostname': 'n2' });
      expect(n3.status?.addresses?.[0].address).to.equal('172.18.0.4');
    });
  });

  // k8s:pkg/apis/core/validation/validation.go ValidateNode.
  describe('validation', () => {
    it('reports taint errors under metadata.taints, as Kubernetes does', async () => {
      const err = await refusal(
        newApi().create(
          node('n1', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoRun' }] } }),
        ),
      );
      expect(err.causes.map((c) => c.toString())).to.deep.equal([
        'metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ]);
    });

    it('wants whole pods and no negative capacity', async () => {
      const err = await refusal(
        newApi().create(node('n1', { status: { capacity: { pods: '110.5', cpu: '-1' } } })),
      );
      // Go walks the maps in random order; kubespec keeps the order of the node's resource list.
      expect(err.causes.map((c) => c.toString())).to.deep.equal([
        'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.capacity.pods: Invalid value: resource.Quantity{i:resource.int64Amount{value:1105, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer',
        'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.allocatable.pods: Invalid value: resource.Quantity{i:resource.int64Amount{value:1105, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer',
      ]);
    });

    it('refuses a capacity that does not parse before anything else', async () => {
      const err = await refusal(
        newApi().create(node('Bad_Name', { status: { capacity: { memory: '16GB' } } })),
      );
      expect([err.reason, err.field, err.message]).to.deep.equal([
        'BadRequest',
        'status.capacity[memory]',
        `Node in version "v1" cannot be handled as a Node: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ]);
    });
  });

  describe('in a running cluster', () => {
    it("gives each node a /24 of the cluster range and a running pod an address from its node's range", async () => {
      const cluster = await Cluster.create();
      await cluster.create(node('n1'));
      await cluster.create(node('n2'));
      await cluster.applyManifests(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  nodeName: n2\n  containers: [{name: app, image: nginx}]\n',
        'web.yaml',
      );
      await cluster.reconcile();
      const n2 = cluster.get('Node', undefined, 'n2') as NodeObject;
      const web = cluster.get('Pod', 'default', 'web') as PodObject;
      expect(n2.spec?.podCIDR).to.equal('10.244.1.0/24');
      expect(web.status).to.include({ phase: 'Running', podIP: '10.244.1.2', hostIP: '172.18.0.3' });
    });
  });
});
