import { expect } from 'chai';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { ApiServer } from '../../src/api/apiserver';
import type { KubeObject } from '../../src/api/object';
import {
  claimClass,
  defaultStorageClass,
  findBestMatchForClaim,
  findMatchingVolume,
  isDelayBindingMode,
  topologyFits,
  volumeFitsNode,
} from '../../src/api/persistent-volumes';
import { ApiError, Store } from '../../src/api/store';
import { registerVolumeApi } from '../../src/api/volumes';
import { VirtualClock } from '../../src/sim/clock';
import { SeededRandom } from '../../src/sim/random';

type Modes = NonNullable<PersistentVolume['spec']>['accessModes'];

function volume(
  name: string,
  size: string,
  modes: Modes,
  extra: Partial<PersistentVolume> = {},
): PersistentVolume {
  return {
    ...extra,
    metadata: { name, ...(extra.metadata ?? {}) },
    spec: {
      capacity: { storage: size },
      accessModes: modes,
      gcePersistentDisk: { pdName: name },
      ...extra.spec,
    },
    status: { phase: 'Available' },
  };
}

function claim(size: string, modes: Modes, change: (c: PersistentVolumeClaim) => void = () => {}) {
  const c: PersistentVolumeClaim = {
    metadata: { name: 'claim01', namespace: 'myns', uid: 'claim-uid' },
    spec: { accessModes: modes, resources: { requests: { storage: size } } },
  };
  change(c);
  return c;
}

const RWO_ROX: Modes = ['ReadWriteOnce', 'ReadOnlyMany'];
const RWO_ROX_RWX: Modes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'];

describe('matching claims to volumes', () => {
  // k8s:pkg/controller/volume/persistentvolume/index_test.go createTestVolumes, every volume Available.
  const testVolumes = (): PersistentVolume[] => [
    volume('gce003', '10G', RWO_ROX),
    volume('gce004', '20G', RWO_ROX, { spec: { claimRef: { uid: 'def456' } } }),
    volume('nfs002', '5G', RWO_ROX_RWX),
    volume('gce001', '1G', RWO_ROX, { spec: { claimRef: { uid: 'abc123' } } }),
    volume('nfs003', '10G', RWO_ROX_RWX),
    volume('gce002', '5G', RWO_ROX),
    volume('nfs001', '1G', RWO_ROX_RWX),
    volume('gce0022', '20000G', ['ReadWriteOnce'], { metadata: { labels: { 'should-exist': 'true' } } }),
    volume('gce0023', '10000G', ['ReadWriteOnce'], {
      metadata: { labels: { 'should-exist': 'true' } },
      spec: { storageClassName: 'silver' },
    }),
    volume('gce0024', '100G', ['ReadWriteOnce'], { spec: { storageClassName: 'silver' } }),
    volume('gce0025', '50G', ['ReadWriteOnce'], { spec: { storageClassName: 'gold' } }),
  ];
  const match = (c: PersistentVolumeClaim) => findBestMatchForClaim(c, testVolumes(), false)?.metadata?.name;

  // TestMatchVolume.
  it('gives an 8G claim the 10G disk (successful-match-gce-10)', () => {
    expect(match(claim('8G', RWO_ROX))).to.equal('gce003');
  });

  it('gives a claim for three modes the smallest volume with all three (successful-match-nfs-5)', () => {
    expect(match(claim('5G', RWO_ROX_RWX))).to.equal('nfs002');
  });

  it('skips a bound volume of the right size (successful-skip-1g-bound-volume)', () => {
    expect(match(claim('1G', RWO_ROX))).to.equal('gce002');
  });

  it('finds nothing too big (successful-no-match)', () => {
    expect(match(claim('999G', RWO_ROX))).to.equal(undefined);
  });

  it('finds nothing when no volume has the selected labels (successful-no-match-due-to-label)', () => {
    const c = claim('999G', RWO_ROX, (x) => {
      (x.spec as NonNullable<typeof x.spec>).selector = { matchLabels: { 'should-not-exist': 'true' } };
    });
    expect(match(c)).to.equal(undefined);
  });

  it('finds the labelled volume big enough (successful-match-due-with-constraint-and-label-selector)', () => {
    const c = claim('20000G', ['ReadWriteOnce'], (x) => {
      (x.spec as NonNullable<typeof x.spec>).selector = { matchLabels: { 'should-exist': 'true' } };
    });
    expect(match(c)).to.equal('gce0022');
  });

  it('stays within the claim class (successful-match-with-class, successful-match-with-class-and-labels)', () => {
    const silver = (labels: boolean) =>
      claim('1G', ['ReadWriteOnce'], (x) => {
        const spec = x.spec as NonNullable<typeof x.spec>;
        spec.storageClassName = 'silver';
        if (labels) spec.selector = { matchLabels: { 'should-exist': 'true' } };
      });
    expect(match(silver(true))).to.equal('gce0023');
    expect(match(silver(false))).to.equal('gce0024');
  });

  // TestMatchingWithBoundVolumes.
  it('skips the bound one of two equal volumes', () => {
    const volumes = [
      volume('gce001', '1G', RWO_ROX, { spec: { claimRef: { uid: 'abc123' } } }),
      volume('gce002', '1G', RWO_ROX),
    ];
    expect(findBestMatchForClaim(claim('1G', RWO_ROX), volumes, false)?.metadata?.name).to.equal('gce002');
  });

  // TestFindingVolumeWithDifferentAccessModes.
  it('prefers the volume offering the fewest modes beyond those asked for', () => {
    const gce = volume('gce', '10G', RWO_ROX);
    const ebs = volume('ebs', '10G', ['ReadWriteOnce']);
    const nfs = volume('nfs', '10G', RWO_ROX_RWX);
    const pick = (modes: Modes) =>
      findBestMatchForClaim(claim('1G', modes), [gce, ebs, nfs], false)?.metadata?.name;
    expect(pick(['ReadWriteOnce'])).to.equal('ebs');
    expect(pick(RWO_ROX)).to.equal('gce');
    expect(pick(['ReadWriteMany', 'ReadWriteOnce', 'ReadOnlyMany'])).to.equal('nfs');
    expect(pick(['ReadWriteMany'])).to.equal('nfs');
    (ebs.spec as NonNullable<PersistentVolume['spec']>).claimRef = {};
    expect(pick(['ReadWriteOnce'])).to.equal('gce');
    (gce.spec as NonNullable<PersistentVolume['spec']>).claimRef = {};
    expect(pick(['ReadWriteOnce'])).to.equal('nfs');
    delete (gce.spec as NonNullable<PersistentVolume['spec']>).claimRef;
    expect(pick(['ReadOnlyMany'])).to.equal('gce');
  });

  // TestFindingPreboundVolumes.
  it('takes a volume pre-bound to the claim before any smaller one, unless it cannot serve the claim', () => {
    const c = claim('1Gi', ['ReadWriteOnce']);
    const ref = { kind: 'PersistentVolumeClaim', name: 'claim01', namespace: 'myns', uid: 'claim-uid' };
    const host = (name: string, size: string) => ({
      ...volume(name, size, ['ReadWriteOnce']),
      spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/x' } },
    });
    const pv1 = host('pv1', '1Gi');
    const pv5 = host('pv5', '5Gi');
    const pv8 = host('pv8', '8Gi');
    const badSize = host('pvBadSize', '1Mi');
    const badMode = {
      ...host('pvBadMode', '1Gi'),
      spec: { ...host('x', '1Gi').spec, accessModes: ['ReadOnlyMany'] },
    };
    const all = () => [pv1, pv5, pv8, badSize, badMode] as PersistentVolume[];
    const pick = () => findBestMatchForClaim(c, all(), false)?.metadata?.name;
    expect(pick()).to.equal('pv1');
    pv1.spec = { ...pv1.spec, claimRef: { name: 'foo', namespace: 'bar' } } as typeof pv1.spec;
    expect(pick()).to.equal('pv5');
    delete (pv1.spec as { claimRef?: unknown }).claimRef;
    pv8.spec = { ...pv8.spec, claimRef: ref } as typeof pv8.spec;
    expect(pick()).to.equal('pv8');
    delete (pv8.spec as { claimRef?: unknown }).claimRef;
    badSize.spec = { ...badSize.spec, claimRef: ref } as typeof badSize.spec;
    expect(pick()).to.equal('pv1');
    delete (badSize.spec as { claimRef?: unknown }).claimRef;
    badMode.spec = { ...badMode.spec, claimRef: ref } as typeof badMode.spec;
    expect(pick()).to.equal('pv1');
  });

  it('leaves unbound volumes to the scheduler for a WaitForFirstConsumer claim, but takes a pre-bound one', () => {
    const c = claim('1G', ['ReadWriteOnce']);
    const free = volume('free', '1G', ['ReadWriteOnce']);
    expect(findMatchingVolume(c, [free], { delayBinding: true })).to.equal(undefined);
    const prebound = volume('prebound', '5G', ['ReadWriteOnce'], {
      spec: { claimRef: { name: 'claim01', namespace: 'myns' } },
    });
    expect(findMatchingVolume(c, [free, prebound], { delayBinding: true })?.metadata?.name).to.equal(
      'prebound',
    );
  });

  it('on the scheduler path checks node affinity and access modes, and skips excluded volumes', () => {
    const affinity = (node: string) => ({
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
          ],
        },
      },
    });
    const a = volume('a', '10G', ['ReadWriteOnce'], { spec: affinity('node-a') });
    const b = volume('b', '5G', ['ReadWriteOnce'], { spec: affinity('node-b') });
    const c = claim('1G', ['ReadWriteOnce']);
    const on = (node: string, excluded: string[] = []) =>
      findMatchingVolume(c, [a, b], {
        nodeLabels: { 'kubernetes.io/hostname': node },
        excluded: new Set(excluded),
      })?.metadata?.name;
    expect(on('node-a')).to.equal('a');
    expect(on('node-b')).to.equal('b');
    expect(on('node-b', ['b'])).to.equal(undefined);
    expect(on('node-c')).to.equal(undefined);
    const rwx = claim('1G', ['ReadWriteMany']);
    expect(findMatchingVolume(rwx, [a], { nodeLabels: { 'kubernetes.io/hostname': 'node-a' } })).to.equal(
      undefined,
    );
  });

  it('reads the class from the beta annotation before spec.storageClassName', () => {
    const c = claim('1G', ['ReadWriteOnce'], (x) => {
      x.metadata = { ...x.metadata, annotations: { 'volume.beta.kubernetes.io/storage-class': 'gold' } };
      (x.spec as NonNullable<typeof x.spec>).storageClassName = 'silver';
    });
    expect(claimClass(c)).to.equal('gold');
  });

  it('matches volume node affinity and class topologies against node labels', () => {
    const v = volume('v', '1G', ['ReadWriteOnce'], {
      spec: {
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] },
                ],
              },
            ],
          },
        },
      },
    });
    expect(volumeFitsNode(v, { 'topology.kubernetes.io/zone': 'b' })).to.equal(true);
    expect(volumeFitsNode(v, { 'topology.kubernetes.io/zone': 'c' })).to.equal(false);
    expect(volumeFitsNode(volume('any', '1G', ['ReadWriteOnce']), {})).to.equal(true);
    const terms = [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a'] }] }];
    expect(topologyFits(terms, { 'topology.kubernetes.io/zone': 'a' })).to.equal(true);
    expect(topologyFits(terms, {})).to.equal(false);
    expect(topologyFits(undefined, {})).to.equal(true);
  });
});

describe('the volume kinds at the API server', () => {
  let api: ApiServer;
  let store: Store;

  beforeEach(async () => {
    store = new Store(new VirtualClock(), new SeededRandom(1));
    api = new ApiServer(store);
    registerVolumeApi(api, store);
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  });

  const refused = async (obj: KubeObject): Promise<string> => {
    try {
      await api.create(obj);
    } catch (error) {
      expect(error).to.be.instanceOf(ApiError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  const pv = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-1' },
    spec,
  });
  const pvc = (spec: Record<string, unknown>, name = 'data'): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec,
  });
  const storageClass = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: 'ebs.csi.aws.com',
    ...extra,
  });

  it('defaults a volume: Retain, Filesystem, an empty hostPath type, and Pending since its creation', async () => {
    const created = await api.create(
      pv({
        capacity: { storage: '1024Mi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/mnt/data' },
      }),
    );
    expect(created.spec).to.deep.include({
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
    });
    expect((created.spec as { hostPath: unknown }).hostPath).to.deep.equal({ path: '/mnt/data', type: '' });
    expect((created.spec as { capacity: unknown }).capacity).to.deep.equal({ storage: '1Gi' });
    expect(created.status).to.deep.equal({
      phase: 'Pending',
      lastPhaseTransitionTime: '2025-01-01T00:00:00Z',
    });
  });

  it('refuses a volume without modes, capacity or source as ValidatePersistentVolumeSpec does', async () => {
    expect(await refused(pv({}))).to.equal(
      'PersistentVolume "pv-1" is invalid: [spec.accessModes: Required value, spec.capacity: Required value, spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage", spec: Required value: must specify a volume type]',
    );
  });

  it('refuses two sources, a local volume without node affinity, and unknown policies and modes', async () => {
    const base = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
    expect(
      await refused(pv({ ...base, hostPath: { path: '/a' }, nfs: { server: 's', path: '/b' } })),
    ).to.equal(
      'PersistentVolume "pv-1" is invalid: spec.nfs: Forbidden: may not specify more than 1 volume type',
    );
    expect(await refused(pv({ ...base, local: { path: '/mnt/disks/1' } }))).to.equal(
      'PersistentVolume "pv-1" is invalid: spec.nodeAffinity: Required value: Local volume requires node affinity',
    );
    expect(
      await refused(pv({ ...base, persistentVolumeReclaimPolicy: 'Keep', nfs: { server: 's', path: '/b' } })),
    ).to.equal(
      'PersistentVolume "pv-1" is invalid: spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
    );
    expect(
      await refused(
        pv({ ...base, accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'], nfs: { server: 's', path: '/b' } }),
      ),
    ).to.equal(
      'PersistentVolume "pv-1" is invalid: spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
    );
    expect(
      await refused(pv({ ...base, capacity: { storage: '0' }, nfs: { server: 's', path: 'b' } })),
    ).to.equal(
      'PersistentVolume "pv-1" is invalid: [spec.capacity[storage]: Invalid value: "0": must be greater than zero, spec.nfs.path: Invalid value: "b": must be an absolute path]',
    );
  });

  it('keeps a volume source and mode as created', async () => {
    await api.create(
      pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], nfs: { server: 's', path: '/a' } }),
    );
    const next = structuredClone(store.get('PersistentVolume', undefined, 'pv-1') as KubeObject);
    (next.spec as { nfs: { path: string } }).nfs.path = '/b';
    let message = '';
    try {
      await api.apply(next);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.equal(
      'PersistentVolume "pv-1" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
    );
  });

  it('defaults a claim to Filesystem and Pending, and refuses one without access modes or storage', async () => {
    const created = await api.create(
      pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } }),
    );
    expect(created.spec).to.deep.include({ volumeMode: 'Filesystem' });
    expect(created.status).to.deep.equal({ phase: 'Pending' });
    expect(await refused(pvc({}, 'empty'))).to.equal(
      'PersistentVolumeClaim "empty" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
    );
    expect(
      await refused(
        pvc({ accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '1Gi' } } }, 'odd'),
      ),
    ).to.equal(
      'PersistentVolumeClaim "odd" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    );
  });

  it('keeps a claim spec fixed except for a bound claim growing', async () => {
    await api.create(pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } }));
    const change = async (edit: (spec: Record<string, unknown>) => void) => {
      const next = structuredClone(store.get('PersistentVolumeClaim', 'default', 'data') as KubeObject);
      edit(next.spec as Record<string, unknown>);
      try {
        await api.apply(next);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await change((s) => (s.accessModes = ['ReadWriteMany']))).to.equal(
      'PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    );
    // A claim that named no class may get one (the retroactive default class).
    expect(await change((s) => (s.storageClassName = 'standard'))).to.equal('accepted');
    store.mutate('PersistentVolumeClaim', 'default', 'data', (c) => {
      c.status = { phase: 'Bound', capacity: { storage: '5Gi' } };
    });
    expect(
      await change((s) => ((s.resources as { requests: Record<string, string> }).requests.storage = '10Gi')),
    ).to.equal('accepted');
  });

  it('gives a claim naming no class the default class, the newest when there are several', async () => {
    await api.create(
      storageClass('old', {
        metadata: { name: 'old', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      }),
    );
    store.clock.advanceTo(store.clock.now() + 1000);
    await api.create(
      storageClass('new', {
        metadata: {
          name: 'new',
          annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' },
        },
      }),
    );
    expect(defaultStorageClass(store)?.metadata.name).to.equal('new');
    const created = await api.create(
      pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }),
    );
    expect((created.spec as { storageClassName: string }).storageClassName).to.equal('new');
    const noClass = await api.create(
      pvc(
        { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        'static',
      ),
    );
    expect((noClass.spec as { storageClassName: string }).storageClassName).to.equal('');
  });

  it('defaults a StorageClass to Delete and Immediate and refuses changes to what it provisions', async () => {
    const created = await api.create(storageClass('gp3', { parameters: { type: 'gp3' } }));
    expect(created).to.deep.include({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(
      isDelayBindingMode(
        claim('1G', ['ReadWriteOnce'], (c) => {
          (c.spec as NonNullable<typeof c.spec>).storageClassName = 'gp3';
        }),
        store,
      ),
    ).to.equal(false);
    const next = structuredClone(created);
    next.parameters = { type: 'io2' };
    next.reclaimPolicy = 'Retain';
    let message = '';
    try {
      await api.apply(next);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.equal(
      'StorageClass.storage.k8s.io "gp3" is invalid: [parameters: Forbidden: updates to parameters are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.]',
    );
    expect(await refused(storageClass('bad', { provisioner: '', volumeBindingMode: 'Later' }))).to.equal(
      'StorageClass.storage.k8s.io "bad" is invalid: [provisioner: Required value, volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"]',
    );
  });
});
