import { expect } from 'chai';
import type { KubeObject } from '../../src/api/object';
import type { PodObject } from '../../src/api/pods';
import { Store } from '../../src/api/store';
import { Cluster } from '../../src/cluster';
import { DECISION_POINTS } from '../../src/decision-points';
import { Policy } from '../../src/rules/policy';
import { SchedulingPolicy } from '../../src/scheduler/framework';
import { NodeInfo } from '../../src/scheduler/node-info';
import { buildPodInfo } from '../../src/scheduler/pod-info';
import { readPodVolumes, volumeConflicts, withVolumes } from '../../src/scheduler/volume-binding';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';
import { parseKubernetesVersion } from '../../src/sim/version';

// The VolumeBinding plugin's PreFilter and Filter, after the table of
// k8s:pkg/scheduler/framework/plugins/volumebinding/volume_binding_test.go TestVolumeBinding (makePod, makePVC,
// makePV and the wait-sc / immediate-sc classes of that file).

const store = () => new Store(new VirtualClock(), new SeededRandom(1));

const waitSC = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'wait-sc' },
  provisioner: '',
  volumeBindingMode: 'WaitForFirstConsumer',
} as KubeObject;
const immediateSC = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'immediate-sc' },
  provisioner: '',
  volumeBindingMode: 'Immediate',
} as KubeObject;

function makePod(...claims: string[]): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pod-a', namespace: 'default', uid: 'pod-a' },
    spec: {
      containers: [{ name: 'c', image: 'i' }],
      volumes: claims.map((claimName) => ({ name: claimName, persistentVolumeClaim: { claimName } })),
    },
  } as PodObject;
}

interface ClaimOptions {
  boundPV?: string;
  phase?: string;
  storage?: string;
}

function makePVC(name: string, className: string, o: ClaimOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      ...(o.boundPV ? { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } } : {}),
    },
    spec: {
      storageClassName: className,
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: o.storage ?? '1Gi' } },
      ...(o.boundPV ? { volumeName: o.boundPV } : {}),
    },
    status: { phase: o.phase ?? (o.boundPV ? 'Bound' : 'Pending') },
  };
}

function makePV(
  name: string,
  className: string,
  capacity: string,
  affinity?: Record<string, string[]>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      storageClassName: className,
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: capacity },
      ...(affinity
        ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: Object.entries(affinity).map(([key, values]) => ({
                      key,
                      operator: 'In',
                      values,
                    })),
                  },
                ],
              },
            },
          }
        : {}),
    },
    status: { phase: 'Available' },
  };
}

const policy = Policy.load(DECISION_POINTS);

/** The VolumeBinding (or VolumeZone) reasons the shipped rules give for the pod on a node with these labels. */
async function filterReasons(s: Store, pod: PodObject, labels: Record<string, string>): Promise<string[]> {
  const volumes = readPodVolumes(pod, s);
  if (!volumes) throw new Error('the pod has no claims');
  const info = withVolumes(buildPodInfo(pod), volumes);
  const sched = new SchedulingPolicy(
    policy.evaluator('scheduling.filter'),
    policy.evaluator('scheduling.score'),
    parseKubernetesVersion('v1.33'),
  );
  const node = new NodeInfo('node-a', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-a', labels },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  } as KubeObject as never);
  const outcome = await sched.filter(info, node);
  return outcome.status?.reasons ?? [];
}

function seed(objects: KubeObject[]): Store {
  const s = store();
  for (const o of objects) s.create(structuredClone(o));
  return s;
}

describe('VolumeBinding', () => {
  it('leaves a pod without claims as it is ("pod has not pvcs")', () => {
    expect(readPodVolumes(makePod(), store())).to.equal(undefined);
  });

  it('PreFilter: a missing claim fails the attempt ("PVC does not exist", "Part of PVCs do not exist")', () => {
    expect(readPodVolumes(makePod('pvc-a'), store())?.preFilterMessage).to.equal(
      'persistentvolumeclaim "pvc-a" not found',
    );
    const s = seed([waitSC, makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' })]);
    expect(readPodVolumes(makePod('pvc-a', 'pvc-b'), s)?.preFilterMessage).to.equal(
      'persistentvolumeclaim "pvc-b" not found',
    );
  });

  it('PreFilter: an unbound immediate claim fails the attempt ("immediate claims not bound")', () => {
    const s = seed([immediateSC, makePVC('pvc-a', 'immediate-sc')]);
    expect(readPodVolumes(makePod('pvc-a'), s)?.preFilterMessage).to.equal(
      'pod has unbound immediate PersistentVolumeClaims',
    );
  });

  it('PreFilter: a lost claim fails the attempt ("pv not found claim lost")', () => {
    const s = seed([waitSC, makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a', phase: 'Lost' })]);
    expect(readPodVolumes(makePod('pvc-a'), s)?.preFilterMessage).to.equal(
      'persistentvolumeclaim "pvc-a" bound to non-existent persistentvolume "pv-a"',
    );
  });

  it('Filter: all bound and fitting passes ("all bound")', async () => {
    const s = seed([
      waitSC,
      makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }),
      makePV('pv-a', 'wait-sc', '1Gi'),
    ]);
    expect(await filterReasons(s, makePod('pvc-a'), {})).to.deep.equal([]);
  });

  it('Filter: an unbound claim with no volume and no provisioner ("unbound claims no matches")', async () => {
    const s = seed([waitSC, makePVC('pvc-a', 'wait-sc')]);
    expect(await filterReasons(s, makePod('pvc-a'), {})).to.deep.equal([
      "node(s) didn't find available persistent volumes to bind",
    ]);
  });

  it('Filter: both reasons, node conflict first ("bound and unbound unsatisfied")', async () => {
    const s = seed([
      waitSC,
      makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }),
      makePVC('pvc-b', 'wait-sc'),
      makePV('pv-a', 'wait-sc', '1Gi', { foo: ['bar'] }),
    ]);
    expect(await filterReasons(s, makePod('pvc-a', 'pvc-b'), { foo: 'barbar' })).to.deep.equal([
      'node(s) had volume node affinity conflict',
      "node(s) didn't find available persistent volumes to bind",
    ]);
  });

  it('Filter: a claim bound to a volume that is gone ("pv not found")', async () => {
    const s = seed([waitSC, makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' })]);
    expect(await filterReasons(s, makePod('pvc-a'), {})).to.deep.equal([
      'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)',
    ]);
  });

  it('Filter: local volumes only on their nodes ("local volumes with close capacity are preferred")', async () => {
    const s = seed([
      waitSC,
      makePVC('pvc-a', 'wait-sc', { storage: '50Gi' }),
      makePV('pv-a-0', 'wait-sc', '200Gi', { 'kubernetes.io/hostname': ['node-a'] }),
      makePV('pv-b-0', 'wait-sc', '100Gi', { 'kubernetes.io/hostname': ['node-b'] }),
    ]);
    const pod = makePod('pvc-a');
    const on = (node: string) =>
      volumeConflicts(readPodVolumes(pod, s), { 'kubernetes.io/hostname': node }, node);
    expect(on('node-a').bindConflict).to.equal(false);
    expect(on('node-b').bindConflict).to.equal(false);
    expect(on('node-c').bindConflict).to.equal(true);
  });

  it('Filter: a provisioning class must reach the node through its allowed topologies', () => {
    const s = seed([
      {
        ...waitSC,
        provisioner: 'ebs.csi.aws.com',
        allowedTopologies: [
          { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a'] }] },
        ],
      } as KubeObject,
      makePVC('pvc-a', 'wait-sc'),
    ]);
    const volumes = readPodVolumes(makePod('pvc-a'), s);
    expect(volumeConflicts(volumes, { 'topology.kubernetes.io/zone': 'a' }, 'n1').bindConflict).to.equal(
      false,
    );
    expect(volumeConflicts(volumes, { 'topology.kubernetes.io/zone': 'b' }, 'n2').bindConflict).to.equal(
      true,
    );
  });

  it('VolumeZone: a bound volume labelled with a zone only fits nodes in it; nodes without zones take it', () => {
    const pv = makePV('pv-a', 'wait-sc', '1Gi');
    pv.metadata.labels = { 'topology.kubernetes.io/zone': 'a__b' };
    const s = seed([waitSC, makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }), pv]);
    const volumes = readPodVolumes(makePod('pvc-a'), s);
    const zone = (labels: Record<string, string>) => volumeConflicts(volumes, labels, undefined).zoneConflict;
    expect(zone({ 'topology.kubernetes.io/zone': 'b' })).to.equal(false);
    expect(zone({ 'topology.kubernetes.io/zone': 'c' })).to.equal(true);
    expect(zone({ 'topology.kubernetes.io/region': 'r' })).to.equal(true);
    expect(zone({})).to.equal(false);
  });

  it('puts the volume state in the class key and the labels it reads in the label keys', () => {
    const s = seed([
      waitSC,
      makePVC('pvc-a', 'wait-sc'),
      makePV('pv-a', 'wait-sc', '1Gi', { 'kubernetes.io/hostname': ['node-a'] }),
    ]);
    const pod = makePod('pvc-a');
    const base = buildPodInfo(pod);
    const first = withVolumes(base, readPodVolumes(pod, s) as NonNullable<ReturnType<typeof readPodVolumes>>);
    expect(first.labelKeys).to.include('kubernetes.io/hostname');
    expect(first.classId).to.not.equal(base.classId);
    const again = withVolumes(base, readPodVolumes(pod, s) as NonNullable<ReturnType<typeof readPodVolumes>>);
    expect(again.classId).to.equal(first.classId);
    s.mutate('PersistentVolume', undefined, 'pv-a', (v) => {
      v.metadata.labels = { changed: 'yes' };
    });
    const later = withVolumes(base, readPodVolumes(pod, s) as NonNullable<ReturnType<typeof readPodVolumes>>);
    expect(later.classId).to.not.equal(first.classId);
  });
});

describe('VolumeBinding PreBind', () => {
  async function waitingPod(): Promise<Cluster> {
    const c = await Cluster.create();
    await c.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
    } as KubeObject);
    await c.applyManifests(
      `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-path}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: local-path
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers: [{name: c, image: postgres}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]`,
      'm',
    );
    await c.reconcile();
    return c;
  }

  it('binds the pod at the first check one second after the claims were handed over', async () => {
    const c = await waitingPod();
    expect((c.get('Pod', 'default', 'db') as PodObject).spec?.nodeName).to.equal(undefined);
    expect(c.get('PersistentVolumeClaim', 'default', 'data')?.metadata.annotations).to.include({
      'volume.kubernetes.io/selected-node': 'n1',
    });
    await c.advance(999);
    expect((c.get('Pod', 'default', 'db') as PodObject).spec?.nodeName).to.equal(undefined);
    await c.advance(1);
    expect((c.get('Pod', 'default', 'db') as PodObject).spec?.nodeName).to.equal('n1');
  });

  it('fails the attempt with a scheduler error when the provisioning is given up', async () => {
    const c = await waitingPod();
    c.store.mutate('PersistentVolumeClaim', 'default', 'data', (claim) => {
      delete claim.metadata.annotations?.['volume.kubernetes.io/selected-node'];
    });
    await c.advance(1000);
    const condition = (c.get('Pod', 'default', 'db') as PodObject).status?.conditions?.find(
      (x) => x.type === 'PodScheduled',
    );
    expect(condition).to.include({
      status: 'False',
      reason: 'SchedulerError',
      message: 'running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "data"',
    });
  });
});
