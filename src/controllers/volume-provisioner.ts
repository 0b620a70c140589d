// The external provisioners of the cluster's StorageClasses, simulated as CSI drivers whose
// external-provisioner sidecar is installed and answers at once (sig-storage-lib-external-provisioner
// controller.go: shouldProvision, provisionClaimOperation, shouldDelete): a claim the PV controller annotated
// for a provisioner gets a volume named pvc-<claim UID> sized as requested and pre-bound to the claim; a
// released volume it provisioned with reclaim policy Delete is deleted. A class annotated
// `kubespec.io/provisioned-topology: <node label key>` pins each volume provisioned for a scheduled pod to
// the selected node's value of that label, as a topology-aware driver does; without it volumes fit every node.
import type { PersistentVolume } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../api/apiserver';
import type { EventRecorder } from '../api/events';
import type { KubeObject } from '../api/object';
import {
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  type PersistentVolumeClaimObject,
  type PersistentVolumeObject,
  type StorageClassObject,
} from '../api/persistent-volumes';
import { ApiError, type Store } from '../api/store';
import type { Controller, ReconcileLoop } from '../sim/loop';
import { MIGRATED_PROVISIONERS } from './persistent-volume';

/** The StorageClass annotation naming the node label a provisioned volume is pinned to. */
export const PROVISIONED_TOPOLOGY_ANNOTATION = 'kubespec.io/provisioned-topology';

export class VolumeProvisioners implements Controller {
  readonly name = 'external-provisioner';

  constructor(
    private readonly store: Store,
    private readonly api: ApiServer,
    loop: ReconcileLoop,
    private readonly recorder: EventRecorder,
  ) {
    store.watch('PersistentVolumeClaim', (type, obj) => {
      const claim = obj as PersistentVolumeClaimObject;
      if (
        type !== 'DELETED' &&
        claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] &&
        !claim.spec?.volumeName
      ) {
        loop.enqueue(this, `claim:${claim.metadata.namespace}/${claim.metadata.name}`);
      }
    });
    store.watch('PersistentVolume', (type, obj) => {
      const volume = obj as PersistentVolumeObject;
      if (type !== 'DELETED' && volume.status?.phase === 'Released')
        loop.enqueue(this, `volume:${volume.metadata.name}`);
    });
  }

  async reconcile(key: string): Promise<void> {
    const name = key.slice(key.indexOf(':') + 1);
    if (key.startsWith('claim:')) await this.provision(name);
    else await this.deleteReleased(name);
  }

  private async provision(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const claim = this.store.get('PersistentVolumeClaim', namespace, name) as
      | PersistentVolumeClaimObject
      | undefined;
    if (!claim || claim.spec?.volumeName) return;
    const provisioner = claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] as string;
    const cls = this.store.get('StorageClass', undefined, claimClass(claim)) as
      | StorageClassObject
      | undefined;
    if (!cls || (MIGRATED_PROVISIONERS[cls.provisioner] ?? cls.provisioner) !== provisioner) return;
    const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    // shouldProvision: a claim waiting for its first consumer is provisioned once the scheduler chose a node.
    if (cls.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) return;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (this.store.get('PersistentVolume', undefined, pvName)) return;
    const source = { component: provisioner };
    this.recorder.record(
      claim,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${namespace}/${name}"`,
      source,
    );
    const volume: PersistentVolume & KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: provisioner } },
      spec: {
        accessModes: claim.spec?.accessModes,
        capacity: { storage: claim.spec?.resources?.requests?.storage as string },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name,
          namespace,
          resourceVersion: claim.metadata.resourceVersion,
          uid: claim.metadata.uid,
        },
        csi: { driver: provisioner, volumeHandle: pvName },
        persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
        storageClassName: cls.metadata.name,
        volumeMode: claim.spec?.volumeMode,
        ...(cls.mountOptions ? { mountOptions: cls.mountOptions } : {}),
        ...this.nodeAffinity(cls, selectedNode),
      },
    };
    try {
      await this.api.create(volume);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.recorder.record(
        claim,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${cls.metadata.name}": ${error.message}`,
        source,
      );
      return;
    }
    this.recorder.record(
      claim,
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${pvName}`,
      source,
    );
  }

  private nodeAffinity(cls: StorageClassObject, selectedNode: string | undefined) {
    const key = cls.metadata.annotations?.[PROVISIONED_TOPOLOGY_ANNOTATION];
    const value =
      key && selectedNode
        ? this.store.get('Node', undefined, selectedNode)?.metadata.labels?.[key]
        : undefined;
    if (!key || value === undefined) return {};
    return {
      nodeAffinity: {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values: [value] }] }] },
      },
    };
  }

  // shouldDelete: the provisioner's own released volumes whose policy is Delete.
  private async deleteReleased(name: string): Promise<void> {
    const volume = this.store.get('PersistentVolume', undefined, name) as PersistentVolumeObject | undefined;
    const phase = volume?.status?.phase;
    if (!volume || phase !== 'Released' || volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    const provisionedBy = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
    if (
      !provisionedBy ||
      provisionedBy.startsWith('kubernetes.io/') ||
      volume.spec?.csi?.driver !== provisionedBy
    ) {
      return;
    }
    await this.api.delete('PersistentVolume', undefined, name);
  }
}
