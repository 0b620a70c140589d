// How PersistentVolumes and PersistentVolumeClaims match, shared by the PV controller and the scheduler's
// VolumeBinding plugin as Kubernetes shares it (k8s:staging/src/k8s.io/component-helpers/storage/volume/
// helpers.go, pv_helpers.go): the binding annotations, a claim's and a volume's class, access and volume
// modes, PV node affinity, and FindMatchingVolume with its "smallest volume that fits" rule.
import type { PersistentVolume, PersistentVolumeClaim, TopologySelectorTerm } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { selectorFromLabelSelector } from './labels';
import { CompiledNodeSelector } from './node-affinity';
import type { Stored } from './object';
import { Quantity } from './quantity';
import type { Store } from './store';

export type PersistentVolumeObject = Stored<PersistentVolume>;
export type PersistentVolumeClaimObject = Stored<PersistentVolumeClaim>;
export type StorageClassObject = Stored<StorageClass>;

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** k8s:staging/src/k8s.io/api/core/v1/annotation_key_constants.go BetaStorageClassAnnotation. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
/** A StorageClass with this provisioner cannot provision (NotSupportedProvisioner). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';
// k8s:pkg/apis/storage/v1/util/helpers.go IsDefaultStorageClassAnnotation, BetaIsDefaultStorageClassAnnotation.
const IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

/** GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName, else "". */
export function claimClass(claim: PersistentVolumeClaim): string {
  const annotations = claim.metadata?.annotations ?? {};
  if (BETA_STORAGE_CLASS_ANNOTATION in annotations) return annotations[BETA_STORAGE_CLASS_ANNOTATION];
  return claim.spec?.storageClassName ?? '';
}

/** PersistentVolumeClaimHasClass: a class was asked for, even the empty one ("no class"). */
export function claimHasClass(claim: PersistentVolumeClaim): boolean {
  const annotations = claim.metadata?.annotations ?? {};
  return BETA_STORAGE_CLASS_ANNOTATION in annotations || claim.spec?.storageClassName != null;
}

/** GetPersistentVolumeClass. */
export function volumeClass(volume: PersistentVolume): string {
  const annotations = volume.metadata?.annotations ?? {};
  if (BETA_STORAGE_CLASS_ANNOTATION in annotations) return annotations[BETA_STORAGE_CLASS_ANNOTATION];
  return volume.spec?.storageClassName ?? '';
}

/** IsDelayBindingMode: the claim's class exists and waits for its first consumer. */
export function isDelayBindingMode(claim: PersistentVolumeClaim, store: Store): boolean {
  const name = claimClass(claim);
  if (!name) return false;
  const cls = store.get('StorageClass', undefined, name) as StorageClassObject | undefined;
  return cls?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** util.GetDefaultClass (k8s:pkg/volume/util/storageclass.go): the newest default class, then by name. */
export function defaultStorageClass(store: Store): StorageClassObject | undefined {
  const defaults = (store.list('StorageClass') as StorageClassObject[]).filter((c) => {
    const a = c.metadata.annotations ?? {};
    return a[IS_DEFAULT_CLASS] === 'true' || a[BETA_IS_DEFAULT_CLASS] === 'true';
  });
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '');
    const tb = Date.parse(b.metadata.creationTimestamp ?? '');
    if (ta !== tb) return tb - ta;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}

/** The storage a claim requests or a volume offers, in bytes (0 when absent). */
export function storageOf(list: Readonly<Record<string, unknown>> | undefined): number {
  const raw = list?.storage;
  return raw === undefined ? 0 : Quantity.parse(raw as string | number).value();
}

/** CheckVolumeModeMismatches: a missing volumeMode means Filesystem on both sides. */
export function volumeModeMismatch(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (volume.spec?.volumeMode ?? 'Filesystem');
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function accessModesSatisfied(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  const offered = new Set(volume.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m) => offered.has(m));
}

/** IsVolumeBoundToClaim: pre-bound or bound to this claim (by name, and by UID when the ref has one). */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

const compiledAffinities = new WeakMap<object, CompiledNodeSelector>();

/** CheckNodeAffinity: a volume without required node affinity fits every node. */
export function volumeFitsNode(volume: PersistentVolume, labels: Readonly<Record<string, string>>): boolean {
  const required = volume.spec?.nodeAffinity?.required;
  if (!required) return true;
  let compiled = compiledAffinities.get(required);
  if (!compiled) {
    compiled = new CompiledNodeSelector(required);
    compiledAffinities.set(required, compiled);
  }
  // CheckNodeAffinity matches a Node that has only the labels, so matchFields see an empty name.
  return compiled.match({ name: '', labels });
}

/** The node label keys a volume's node affinity looks at. */
export function volumeAffinityKeys(volume: PersistentVolume): string[] {
  const keys: string[] = [];
  for (const term of volume.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) keys.push(e.key);
  }
  return keys;
}

/**
 * v1helper.MatchTopologySelectorTerms: no terms match every node; otherwise some term's expressions must all
 * find the node's label among their values.
 */
export function topologyFits(
  terms: readonly TopologySelectorTerm[] | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!terms?.length) return true;
  return terms.some((term) =>
    (term.matchLabelExpressions ?? []).every((e) => e.key in labels && e.values.includes(labels[e.key])),
  );
}

export interface MatchOptions {
  /** The scheduler path: only volumes whose node affinity admits these labels, and with the access modes. */
  nodeLabels?: Readonly<Record<string, string>>;
  /** Volumes another claim of the same pod has taken already. */
  excluded?: ReadonlySet<string>;
  /** The PV controller path for a WaitForFirstConsumer claim: only pre-bound volumes match. */
  delayBinding?: boolean;
}

/**
 * FindMatchingVolume (k8s:staging/src/k8s.io/component-helpers/storage/volume/pv_helpers.go): a volume pre-bound
 * to the claim wins at once (unless its node affinity excludes the node); otherwise the smallest Available volume
 * of the claim's class that is big enough, has the volume mode, matches the claim's selector and, on the scheduler
 * path, the node and the access modes. Ties keep the first volume met.
 */
export function findMatchingVolume(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  options: MatchOptions = {},
): PersistentVolume | undefined {
  const requested = storageOf(claim.spec?.resources?.requests);
  const requestedClass = claimClass(claim);
  const selector = claim.spec?.selector ? selectorFromLabelSelector(claim.spec.selector) : undefined;
  let smallest: PersistentVolume | undefined;
  let smallestSize = 0;
  for (const volume of volumes) {
    const name = volume.metadata?.name ?? '';
    if (options.excluded?.has(name)) continue;
    if (volume.spec?.claimRef && !isVolumeBoundToClaim(volume, claim)) continue;
    const size = storageOf(volume.spec?.capacity);
    if (size < requested) continue;
    if (volumeModeMismatch(claim, volume)) continue;
    if (volume.metadata?.deletionTimestamp) continue;
    const fitsNode = options.nodeLabels ? volumeFitsNode(volume, options.nodeLabels) : true;
    if (isVolumeBoundToClaim(volume, claim)) return fitsNode ? volume : undefined;
    if (!options.nodeLabels && options.delayBinding) continue;
    if (volume.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(volume.metadata?.labels ?? {})) continue;
    if (volumeClass(volume) !== requestedClass) continue;
    if (!fitsNode) continue;
    if (options.nodeLabels && !accessModesSatisfied(claim, volume)) continue;
    if (!smallest || smallestSize > size) {
      smallest = volume;
      smallestSize = size;
    }
  }
  return smallest;
}

const accessModeKey = (modes: readonly string[]) => [...new Set(modes)].sort().join(',');

/**
 * The PV controller's findBestMatchForClaim (k8s:pkg/controller/volume/persistentvolume/index.go findByClaim):
 * volumes are grouped by their set of access modes; the groups that offer every mode the claim asks for are
 * searched fewest modes first, so a claim gets the volume closest to what it asked for.
 */
export function findBestMatchForClaim(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  delayBinding: boolean,
): PersistentVolume | undefined {
  const groups = new Map<string, PersistentVolume[]>();
  for (const v of volumes) {
    const key = accessModeKey(v.spec?.accessModes ?? []);
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const wanted = claim.spec?.accessModes ?? [];
  const modeCount = (key: string) => (key ? key.split(',').length : 0);
  // Go's sort.Sort leaves groups with as many modes in map order; kubespec orders them by name.
  const candidates = [...groups.keys()]
    .filter((key) => {
      const offered = new Set(key ? key.split(',') : []);
      return wanted.every((m) => offered.has(m));
    })
    .sort((a, b) => modeCount(a) - modeCount(b) || (a < b ? -1 : 1));
  for (const key of candidates) {
    const group = groups.get(key) as PersistentVolume[];
    const found = findMatchingVolume(claim, group, { delayBinding });
    if (found) return found;
  }
  return undefined;
}
