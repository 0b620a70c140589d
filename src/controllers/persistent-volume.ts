// The PersistentVolume controller (k8s:pkg/controller/volume/persistentvolume/pv_controller.go,
// pv_controller_base.go): it binds each claim to the smallest available volume that satisfies it, or asks the
// claim's StorageClass provisioner for one; a WaitForFirstConsumer claim waits until the scheduler has chosen a
// node for its first pod; a deleted claim releases its volume, which its reclaim policy then keeps (Retain) or
// deletes (Delete). Claims and volumes are synced again every 15 seconds (--pvclaimbinder-sync-period), so the
// events of a waiting claim repeat.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../api/apiserver';
import { sameJson } from '../api/apiserver';
import type { EventRecorder, EventType } from '../api/events';
import type { KubeObject } from '../api/object';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  accessModesSatisfied,
  claimClass,
  claimHasClass,
  defaultStorageClass,
  findBestMatchForClaim,
  isDelayBindingMode,
  isVolumeBoundToClaim,
  type PersistentVolumeClaimObject,
  type PersistentVolumeObject,
  type StorageClassObject,
  storageOf,
  volumeClass,
  volumeModeMismatch,
} from '../api/persistent-volumes';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import { bindVolumeToClaim } from '../scheduler/volume-binding';
import { EPOCH } from '../sim/clock';
import type { Controller, ReconcileLoop } from '../sim/loop';

export const PV_CONTROLLER = 'persistentvolume-controller';
const SOURCE = { component: PV_CONTROLLER };
export const RESYNC_PERIOD_MS = 15_000;

/**
 * In-tree provisioners migrated to CSI drivers (k8s:staging/src/k8s.io/csi-translation-lib/plugins): a class
 * naming one is provisioned by the driver.
 */
export const MIGRATED_PROVISIONERS: Readonly<Record<string, string>> = {
  'kubernetes.io/aws-ebs': 'ebs.csi.aws.com',
  'kubernetes.io/gce-pd': 'pd.csi.storage.gke.io',
  'kubernetes.io/azure-disk': 'disk.csi.azure.com',
  'kubernetes.io/azure-file': 'file.csi.azure.com',
  'kubernetes.io/cinder': 'cinder.csi.openstack.org',
  'kubernetes.io/vsphere-volume': 'csi.vsphere.vmware.com',
  'kubernetes.io/portworx-volume': 'pxd.portworx.com',
};

type Claim = PersistentVolumeClaimObject;
type Volume = PersistentVolumeObject;

export class PersistentVolumeController implements Controller {
  readonly name = PV_CONTROLLER;
  /** claim key → pods naming it (the podIndexer by PVC). */
  private readonly podsByClaim = new Map<string, Set<string>>();
  private resyncAt: number | undefined;

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    private readonly loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
  ) {
    store.watch('PersistentVolumeClaim', (type, obj) => {
      const claim = obj as Claim;
      // deleteClaim: the volume bound to the claim is synced, to be released.
      if (type === 'DELETED') {
        if (claim.spec?.volumeName) loop.enqueue(this, `volume:${claim.spec.volumeName}`);
      } else loop.enqueue(this, `claim:${claim.metadata.namespace}/${claim.metadata.name}`);
      this.scheduleResync();
    });
    store.watch('PersistentVolume', (type, obj) => {
      const volume = obj as Volume;
      // deleteVolume: its claim is synced, to notice it is lost.
      if (type === 'DELETED') {
        const ref = volume.spec?.claimRef;
        if (ref) loop.enqueue(this, `claim:${ref.namespace}/${ref.name}`);
      } else loop.enqueue(this, `volume:${volume.metadata.name}`);
      this.scheduleResync();
    });
    store.watch('Pod', (type, obj, old) =>
      this.indexPod(type === 'DELETED', obj as PodObject, old as PodObject),
    );
  }

  async reconcile(key: string): Promise<void> {
    if (key === 'resync') {
      this.resyncAt = undefined;
      this.resync();
      return;
    }
    const [what, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (what === 'claim') {
      const [namespace, claimName] = name.split('/');
      const claim = this.store.get('PersistentVolumeClaim', namespace, claimName) as Claim | undefined;
      if (claim) await this.syncClaim(claim);
    } else {
      const volume = this.store.get('PersistentVolume', undefined, name) as Volume | undefined;
      if (volume) await this.syncVolume(volume);
    }
  }

  // ---- resync and the pod index ----------------------------------------------------------------

  // The resync ticks count from the controller's start; they run while there are claims or volumes.
  private scheduleResync(): void {
    if (this.resyncAt !== undefined) return;
    const now = this.store.clock.now();
    this.resyncAt = EPOCH + (Math.floor((now - EPOCH) / RESYNC_PERIOD_MS) + 1) * RESYNC_PERIOD_MS;
    this.loop.schedule(this, 'resync', this.resyncAt);
  }

  private resync(): void {
    const claims = this.store.list('PersistentVolumeClaim');
    const volumes = this.store.list('PersistentVolume');
    for (const c of claims) this.loop.enqueue(this, `claim:${c.metadata.namespace}/${c.metadata.name}`);
    for (const v of volumes) this.loop.enqueue(this, `volume:${v.metadata.name}`);
    if (claims.length + volumes.length > 0) this.scheduleResync();
  }

  private indexPod(deleted: boolean, pod: PodObject, old: PodObject | undefined): void {
    if (!pod.spec?.volumes && !old?.spec?.volumes) return;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    for (const v of old?.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim)
        this.podsByClaim.get(`${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`)?.delete(key);
    }
    if (deleted) return;
    for (const v of pod.spec?.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const claimKey = `${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`;
      let pods = this.podsByClaim.get(claimKey);
      if (!pods) {
        pods = new Set();
        this.podsByClaim.set(claimKey, pods);
      }
      pods.add(key);
    }
  }

  /** The live pods naming a claim, in the order they appeared (findPodsByPVCKey without terminated pods). */
  private activePodsOf(claim: Claim): PodObject[] {
    const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
    const pods: PodObject[] = [];
    for (const podKey of this.podsByClaim.get(key) ?? []) {
      const [ns, name] = podKey.split('/');
      const pod = this.store.get('Pod', ns, name) as PodObject | undefined;
      const phase = pod?.status?.phase;
      if (pod && phase !== 'Succeeded' && phase !== 'Failed') pods.push(pod);
    }
    return pods;
  }

  // ---- claims ----------------------------------------------------------------------------------

  private async syncClaim(claim: Claim): Promise<void> {
    if (ANN_BIND_COMPLETED in (claim.metadata.annotations ?? {})) await this.syncBoundClaim(claim);
    else await this.syncUnboundClaim(claim);
  }

  private async syncUnboundClaim(claim: Claim): Promise<void> {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) {
      const delayBinding = isDelayBindingMode(claim, this.store);
      const volumes = this.store.list('PersistentVolume') as Volume[];
      const volume = findBestMatchForClaim(claim, volumes, delayBinding);
      if (volume) {
        this.bind(volume as Volume, claim);
        return;
      }
      if (this.assignDefaultStorageClass(claim)) return;
      if (delayBinding && !(ANN_SELECTED_NODE in (claim.metadata.annotations ?? {}))) {
        this.emitWaitingForConsumer(claim);
      } else if (claimClass(claim) !== '') {
        // The provisioning goes on asynchronously; the claim's status is left as it is.
        this.provisionClaim(claim);
        return;
      } else {
        this.event(
          claim,
          'Normal',
          'FailedBinding',
          'no persistent volumes available for this claim and no storage class is set',
        );
      }
      this.updateClaimStatus(claim, 'Pending', undefined);
      return;
    }
    // The user asked for a specific volume.
    const volume = this.store.get('PersistentVolume', undefined, volumeName) as Volume | undefined;
    if (!volume) {
      this.updateClaimStatus(claim, 'Pending', undefined);
    } else if (!volume.spec?.claimRef) {
      const mismatch = unsatisfied(volume, claim);
      if (mismatch) {
        this.event(
          claim,
          'Warning',
          'VolumeMismatch',
          `Cannot bind to requested volume "${volumeName}": ${mismatch}`,
        );
        this.updateClaimStatus(claim, 'Pending', undefined);
      } else this.bind(volume, claim);
    } else if (isVolumeBoundToClaim(volume, claim)) {
      this.bind(volume, claim);
    } else {
      this.event(
        claim,
        'Warning',
        'FailedBinding',
        `volume "${volumeName}" already bound to a different claim.`,
      );
      if (!(ANN_BOUND_BY_CONTROLLER in (claim.metadata.annotations ?? {}))) {
        this.updateClaimStatus(claim, 'Pending', undefined);
      }
    }
  }

  private async syncBoundClaim(claim: Claim): Promise<void> {
    const volumeName = claim.spec?.volumeName;
    const lost = (reason: string, message: string) => {
      if (claim.status?.phase === 'Lost') return;
      const updated = this.updateClaimStatus(claim, 'Lost', undefined);
      this.event(updated ?? claim, 'Warning', reason, message);
    };
    if (!volumeName) {
      lost('ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = this.store.get('PersistentVolume', undefined, volumeName) as Volume | undefined;
    if (!volume) {
      lost('ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    } else if (!volume.spec?.claimRef || volume.spec.claimRef.uid === claim.metadata.uid) {
      this.bind(volume, claim);
    } else {
      lost('ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    }
  }

  // emitEventForUnboundDelayBindingClaim.
  private emitWaitingForConsumer(claim: Claim): void {
    const waiting = this.activePodsOf(claim)
      .filter((p) => !p.spec?.nodeName)
      .map((p) => p.metadata.name as string);
    if (waiting.length === 0) {
      this.event(
        claim,
        'Normal',
        'WaitForFirstConsumer',
        'waiting for first consumer to be created before binding',
      );
    } else if (waiting.length === 1) {
      this.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${waiting[0]} to be scheduled`);
    } else {
      this.event(
        claim,
        'Normal',
        'WaitForPodScheduled',
        `waiting for pods ${waiting.join(',')} to be scheduled`,
      );
    }
  }

  // assignDefaultStorageClass (RetroactiveDefaultStorageClass): a claim that asked for no class gets the
  // default one once there is one.
  private assignDefaultStorageClass(claim: Claim): boolean {
    if (claimHasClass(claim)) return false;
    const cls = defaultStorageClass(this.store);
    if (!cls) return false;
    this.store.mutate<Claim>(
      'PersistentVolumeClaim',
      claim.metadata.namespace,
      claim.metadata.name as string,
      (c) => {
        c.spec = { ...(c.spec ?? {}), storageClassName: cls.metadata.name };
      },
    );
    return true;
  }

  // provisionClaim + provisionClaimOperationExternal: an external provisioner (every CSI driver, and the
  // in-tree ones migrated to CSI) is asked through the claim's annotations.
  private provisionClaim(claim: Claim): void {
    const className = claimClass(claim);
    const cls = this.store.get('StorageClass', undefined, className) as StorageClassObject | undefined;
    if (!cls) {
      this.event(
        claim,
        'Warning',
        'ProvisioningFailed',
        `storageclass.storage.k8s.io "${className}" not found`,
      );
      return;
    }
    const provisioner = MIGRATED_PROVISIONERS[cls.provisioner] ?? cls.provisioner;
    // No in-tree plugin provisions any more: a kubernetes.io/ name that is not migrated matches none.
    if (provisioner.startsWith('kubernetes.io/')) {
      this.event(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`);
      return;
    }
    const annotations = claim.metadata.annotations ?? {};
    let current: KubeObject = claim;
    if (
      annotations[ANN_STORAGE_PROVISIONER] !== provisioner ||
      annotations[ANN_BETA_STORAGE_PROVISIONER] !== provisioner
    ) {
      current =
        this.store.mutate<Claim>(
          'PersistentVolumeClaim',
          claim.metadata.namespace,
          claim.metadata.name as string,
          (c) => {
            c.metadata.annotations = {
              ...(c.metadata.annotations ?? {}),
              [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
              [ANN_STORAGE_PROVISIONER]: provisioner,
            };
          },
        ) ?? claim;
    }
    this.event(
      current,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  // bind: the volume first (claimRef, then phase Bound), then the claim (volumeName and annotations, then
  // phase Bound with the volume's access modes and capacity).
  private bind(volume: Volume, claim: Claim): void {
    let current = volume;
    const next = structuredClone(volume);
    if (bindVolumeToClaim(next, claim)) current = this.store.update(next) as Volume;
    current = this.updateVolumePhase(current, 'Bound', '') ?? current;
    const claimed = structuredClone(claim);
    let dirty = false;
    const annotations = { ...(claimed.metadata.annotations ?? {}) };
    if (claimed.spec?.volumeName !== current.metadata.name) {
      claimed.spec = { ...(claimed.spec ?? {}), volumeName: current.metadata.name };
      annotations[ANN_BOUND_BY_CONTROLLER] ??= 'yes';
      dirty = true;
    }
    if (!(ANN_BIND_COMPLETED in annotations)) {
      annotations[ANN_BIND_COMPLETED] = 'yes';
      dirty = true;
    }
    claimed.metadata.annotations = annotations;
    const bound = dirty ? (this.store.update(claimed) as Claim) : claim;
    this.updateClaimStatus(bound, 'Bound', current);
  }

  /** updateClaimStatus: phase, and the volume's access modes and (when becoming bound) capacity. */
  private updateClaimStatus(claim: Claim, phase: string, volume: Volume | undefined): Claim | undefined {
    const status = structuredClone(claim.status ?? {});
    const before = structuredClone(status);
    const becoming = status.phase !== phase;
    status.phase = phase;
    if (!volume) {
      delete status.accessModes;
      delete status.capacity;
    } else {
      status.accessModes = volume.spec?.accessModes;
      if (becoming && storageOf(status.capacity) !== storageOf(volume.spec?.capacity)) {
        status.capacity = volume.spec?.capacity;
      }
    }
    if (sameJson(status, before)) return claim;
    return this.store.mutate<Claim>(
      'PersistentVolumeClaim',
      claim.metadata.namespace,
      claim.metadata.name as string,
      (c) => {
        c.status = status;
      },
    );
  }

  // ---- volumes ---------------------------------------------------------------------------------

  private async syncVolume(volume: Volume): Promise<void> {
    const ref = volume.spec?.claimRef;
    if (!ref?.uid) {
      // Unused, or reserved for a claim that has not bound yet: either way Available.
      this.updateVolumePhase(volume, 'Available', '');
      return;
    }
    let claim = this.store.get('PersistentVolumeClaim', ref.namespace, ref.name as string) as
      | Claim
      | undefined;
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      let released: Volume = volume;
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
        released = this.updateVolumePhase(volume, 'Released', '') ?? volume;
      }
      await this.reclaimVolume(released);
      return;
    }
    if (!claim.spec?.volumeName) {
      if (volumeModeMismatch(claim, volume)) {
        this.event(
          volume,
          'Warning',
          'VolumeMismatch',
          `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`,
        );
        this.event(
          claim,
          'Warning',
          'VolumeMismatch',
          `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`,
        );
        return;
      }
      // A volume provisioned or pre-bound for the claim: the claim's sync finishes the binding.
      this.loop.enqueue(this, `claim:${claim.metadata.namespace}/${claim.metadata.name}`);
      return;
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      this.updateVolumePhase(volume, 'Bound', '');
      return;
    }
    // The claim is bound to another volume.
    const annotations = volume.metadata.annotations ?? {};
    if (
      ANN_DYNAMICALLY_PROVISIONED in annotations &&
      volume.spec?.persistentVolumeReclaimPolicy === 'Delete'
    ) {
      let released: Volume = volume;
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
        released = this.updateVolumePhase(volume, 'Released', '') ?? volume;
      }
      await this.reclaimVolume(released);
      return;
    }
    this.unbindVolume(volume);
  }

  // unbindVolume: a binding the controller made is undone; a user's pre-binding only loses the claim's UID.
  private unbindVolume(volume: Volume): void {
    const next = structuredClone(volume);
    const annotations = { ...(next.metadata.annotations ?? {}) };
    if (ANN_BOUND_BY_CONTROLLER in annotations) {
      if (next.spec) delete next.spec.claimRef;
      delete annotations[ANN_BOUND_BY_CONTROLLER];
      next.metadata.annotations = Object.keys(annotations).length > 0 ? annotations : undefined;
    } else if (next.spec?.claimRef) {
      next.spec.claimRef = { ...next.spec.claimRef, uid: undefined };
      delete next.spec.claimRef.uid;
    }
    const saved = this.store.update(next) as Volume;
    this.updateVolumePhase(saved, 'Available', '');
  }

  /** updateVolumePhase (status subresource: lastPhaseTransitionTime moves with the phase). */
  private updateVolumePhase(volume: Volume, phase: string, message: string): Volume | undefined {
    if (volume.status?.phase === phase) return volume;
    const now = this.store.clock.timestamp();
    return this.store.mutate<Volume>('PersistentVolume', undefined, volume.metadata.name as string, (v) => {
      v.status = { ...(v.status ?? {}), phase, lastPhaseTransitionTime: now };
      if (message) v.status.message = message;
      else delete v.status.message;
    });
  }

  // updateVolumePhaseWithEvent: the event only when the phase changes.
  private failVolume(volume: Volume, reason: string, message: string): void {
    if (volume.status?.phase === 'Failed') return;
    const failed = this.updateVolumePhase(volume, 'Failed', message);
    this.event(failed ?? volume, 'Warning', reason, message);
  }

  // reclaimVolume.
  private async reclaimVolume(volume: Volume): Promise<void> {
    switch (volume.spec?.persistentVolumeReclaimPolicy) {
      case 'Retain':
        return;
      case 'Recycle':
        this.recycleVolume(volume);
        return;
      case 'Delete':
        await this.deleteVolume(volume);
        return;
      default:
        this.failVolume(
          volume,
          'VolumeUnknownReclaimPolicy',
          'Volume has unrecognized PersistentVolumeReclaimPolicy',
        );
    }
  }

  // recycleVolumeOperation: the deprecated scrub of NFS and hostPath volumes, done by a recycler pod that
  // kubespec does not run.
  private recycleVolume(volume: Volume): void {
    if (!this.isVolumeReleased(volume)) return;
    if (!volume.spec?.nfs && !volume.spec?.hostPath) {
      this.failVolume(volume, 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
      return;
    }
    this.event(volume, 'Normal', 'VolumeRecycled', 'Volume recycled');
    this.unbindVolume(volume);
  }

  // deleteVolumeOperation + doDeleteVolume: a volume of an external provisioner (annotated by it, or a CSI
  // volume) is deleted by that provisioner; an in-tree volume needs a deleter plugin, which only hostPath has
  // (for paths under /tmp).
  private async deleteVolume(volume: Volume): Promise<void> {
    if (!this.isVolumeReleased(volume)) return;
    const provisionedBy = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
    if ((provisionedBy && !provisionedBy.startsWith('kubernetes.io/')) || volume.spec?.csi) return;
    const name = volume.metadata.name as string;
    const hostPath = volume.spec?.hostPath?.path;
    if (hostPath === undefined) {
      const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      this.failVolume(volume, 'VolumeFailedDelete', message);
      return;
    }
    if (!/\/tmp\/.+/.test(hostPath)) {
      this.failVolume(
        volume,
        'VolumeFailedDelete',
        `host_path deleter only supports /tmp/.+ but received provided ${hostPath}`,
      );
      return;
    }
    await this.api.delete('PersistentVolume', undefined, name);
  }

  // isVolumeReleased: bound to a claim that is gone, or that is bound to another volume.
  private isVolumeReleased(volume: Volume): boolean {
    const ref = volume.spec?.claimRef;
    if (!ref?.uid) return false;
    const claim = this.store.get('PersistentVolumeClaim', ref.namespace, ref.name as string) as
      | Claim
      | undefined;
    if (claim && claim.metadata.uid === ref.uid) {
      return Boolean(claim.spec?.volumeName) && claim.spec?.volumeName !== volume.metadata.name;
    }
    return true;
  }

  private event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.recorder.record(obj, type, reason, message, SOURCE);
  }
}

// checkVolumeSatisfyClaim: what keeps a requested volume from a claim, or undefined.
function unsatisfied(volume: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (volume.metadata?.deletionTimestamp)
    return `the volume is marked for deletion "${volume.metadata.name}"`;
  if (storageOf(volume.spec?.capacity) < storageOf(claim.spec?.resources?.requests))
    return 'requested PV is too small';
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, volume)) return 'incompatible volumeMode';
  if (!accessModesSatisfied(claim, volume)) return 'incompatible accessMode';
  return undefined;
}
