// The scheduler's VolumeBinding and VolumeZone plugins (k8s:pkg/scheduler/framework/plugins/volumebinding/
// volume_binding.go, binder.go; k8s:pkg/scheduler/framework/plugins/volumezone/volume_zone.go). What a pod's
// claims need is read from the store once per scheduling attempt (PreFilter); the per-node part (FindPodVolumes:
// node affinity of bound volumes, a matching or provisionable volume for each WaitForFirstConsumer claim) is a
// fact of the scheduling.filter rules. The state the Filter depends on becomes part of the pod's class key and
// the node labels it reads part of the pod's label keys, so answers cached per class stay sound; a pod without
// claims is left untouched. Reserve and PreBind write the chosen bindings (a PV's claimRef, a claim's
// selected-node annotation) and the pod is bound once the PV controller has bound every claim.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { sameJson } from '../api/apiserver';
import type { KubeObject } from '../api/object';
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  claimClass,
  findMatchingVolume,
  isDelayBindingMode,
  isVolumeBoundToClaim,
  NOT_SUPPORTED_PROVISIONER,
  type PersistentVolumeClaimObject,
  type PersistentVolumeObject,
  type StorageClassObject,
  storageOf,
  topologyFits,
  volumeAffinityKeys,
  volumeClass,
  volumeFitsNode,
} from '../api/persistent-volumes';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';
import { stableStringify } from '../rules/stable-json';
import { classId } from './classes';
import type { PodInfo } from './pod-info';

/** How long PreBind waits for the PV controller (VolumeBindingArgs bindTimeoutSeconds default). */
export const BIND_TIMEOUT_MS = 600_000;
/** BindPodVolumes polls the claims every second, the first time one second after the API updates. */
export const BIND_POLL_MS = 1_000;

// k8s:pkg/scheduler/framework/plugins/volumezone/volume_zone.go topologyLabels.
const TOPOLOGY_LABELS = [
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
];
const GA_LABEL: Readonly<Record<string, string>> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
};

interface ClaimToBind {
  claim: PersistentVolumeClaim;
  selectedNode: string | undefined;
  /** The volumes of the claim's class (pvCache.ListPVs). */
  volumes: PersistentVolume[];
  storageClass: StorageClassObject;
}

/** The volume state of a pod for one scheduling attempt. */
export interface PodVolumes {
  /** A PreFilter failure: the whole attempt fails with it (UnschedulableAndUnresolvable). */
  preFilterMessage?: string;
  /** The volumes of the bound claims, in volume order; null for a claim whose volume is gone. */
  bound: (PersistentVolume | null)[];
  /** Unbound WaitForFirstConsumer claims, smallest request first (findMatchingVolumes' byPVCSize). */
  toBind: ClaimToBind[];
  /** VolumeZone: the zone and region labels of the bound volumes, values split on "__". */
  zones: { key: string; values: readonly string[] }[];
}

export interface VolumeConflicts {
  nodeConflict: boolean;
  bindConflict: boolean;
  boundVolumeMissing: boolean;
  zoneConflict: boolean;
}

const NO_CONFLICTS: VolumeConflicts = Object.freeze({
  nodeConflict: false,
  bindConflict: false,
  boundVolumeMissing: false,
  zoneConflict: false,
});

/** The claim names of a pod's persistentVolumeClaim volumes, in order. */
export function claimNames(pod: PodObject): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) names.push(v.persistentVolumeClaim.claimName);
  }
  return names;
}

const isFullyBound = (pvc: PersistentVolumeClaim) =>
  Boolean(pvc.spec?.volumeName) && ANN_BIND_COMPLETED in (pvc.metadata?.annotations ?? {});

/**
 * PreFilter (podHasPVCs, GetPodVolumeClaims): every claim must exist, not be lost or going away, and claims
 * that bind at once must be bound already; the rest is sorted into bound and WaitForFirstConsumer claims.
 */
export function readPodVolumes(pod: PodObject, store: Store): PodVolumes | undefined {
  const names = claimNames(pod);
  if (names.length === 0) return undefined;
  const namespace = pod.metadata.namespace ?? 'default';
  const claims: PersistentVolumeClaimObject[] = [];
  for (const name of names) {
    const pvc = store.get('PersistentVolumeClaim', namespace, name) as
      | PersistentVolumeClaimObject
      | undefined;
    const fail = (preFilterMessage: string): PodVolumes => ({
      preFilterMessage,
      bound: [],
      toBind: [],
      zones: [],
    });
    if (!pvc) return fail(`persistentvolumeclaim "${name}" not found`);
    if (pvc.status?.phase === 'Lost') {
      return fail(
        `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"`,
      );
    }
    if (pvc.metadata.deletionTimestamp) return fail(`persistentvolumeclaim "${name}" is being deleted`);
    claims.push(pvc);
  }
  const result: PodVolumes = { bound: [], toBind: [], zones: [] };
  let unboundImmediate = false;
  for (const pvc of claims) {
    if (isFullyBound(pvc)) {
      const pv = store.get('PersistentVolume', undefined, pvc.spec?.volumeName as string) as
        | PersistentVolumeObject
        | undefined;
      result.bound.push(pv ?? null);
      if (pv) result.zones.push(...zoneLabels(pv));
    } else if (isDelayBindingMode(pvc, store) && !pvc.spec?.volumeName) {
      const cls = claimClass(pvc);
      result.toBind.push({
        claim: pvc,
        selectedNode: pvc.metadata.annotations?.[ANN_SELECTED_NODE],
        volumes: (store.list('PersistentVolume') as PersistentVolumeObject[]).filter(
          (v) => volumeClass(v) === cls,
        ),
        storageClass: store.get('StorageClass', undefined, cls) as StorageClassObject,
      });
    } else {
      unboundImmediate = true;
    }
  }
  if (unboundImmediate) {
    return {
      preFilterMessage: 'pod has unbound immediate PersistentVolumeClaims',
      bound: [],
      toBind: [],
      zones: [],
    };
  }
  // sort.Sort(byPVCSize): by requested storage; kubespec keeps the volume order among equals.
  result.toBind.sort(
    (a, b) => storageOf(a.claim.spec?.resources?.requests) - storageOf(b.claim.spec?.resources?.requests),
  );
  return result;
}

// volume_zone.go getPVbyPod: the PV's zone and region labels; a multi-zone value lists zones joined by "__".
function zoneLabels(pv: PersistentVolume): { key: string; values: string[] }[] {
  const labels = pv.metadata?.labels ?? {};
  return TOPOLOGY_LABELS.filter((k) => k in labels).map((key) => ({ key, values: labels[key].split('__') }));
}

/**
 * The pod as the filters see it for this attempt: its volume state joins the class key, and the node labels
 * that state looks at join the label keys. A claim already given a node makes the answer depend on node names.
 */
export function withVolumes(info: PodInfo, volumes: PodVolumes): PodInfo {
  const keys = new Set(info.labelKeys);
  for (const pv of volumes.bound) if (pv) for (const k of volumeAffinityKeys(pv)) keys.add(k);
  for (const c of volumes.toBind) {
    for (const pv of c.volumes) for (const k of volumeAffinityKeys(pv)) keys.add(k);
    for (const term of c.storageClass.allowedTopologies ?? []) {
      for (const e of term.matchLabelExpressions ?? []) keys.add(e.key);
    }
  }
  if (volumes.zones.length > 0) for (const k of TOPOLOGY_LABELS) keys.add(k);
  const state = stableStringify({
    bound: volumes.bound.map((pv) => (pv ? { affinity: pv.spec?.nodeAffinity ?? null } : null)),
    zones: volumes.zones,
    toBind: volumes.toBind.map((c) => ({
      claim: { uid: c.claim.metadata?.uid, version: c.claim.metadata?.resourceVersion },
      volumes: c.volumes.map((v) => [v.metadata?.name, v.metadata?.resourceVersion]),
      storageClass: [c.storageClass.metadata.name, c.storageClass.metadata.resourceVersion],
    })),
  });
  const classKey = `${info.classKey}\0${state}`;
  return {
    ...info,
    volumes,
    labelKeys: [...keys].sort(),
    nameDependent: info.nameDependent || volumes.toBind.some((c) => c.selectedNode !== undefined),
    classKey,
    classId: classId(classKey),
  };
}

interface NodeFit {
  conflicts: VolumeConflicts;
  /** Claim → the volume it would bind to on the node (StaticBindings). */
  staticBindings: Map<PersistentVolumeClaim, PersistentVolume>;
  /** Claims the node would get provisioned (DynamicProvisions). */
  provisions: PersistentVolumeClaim[];
}

// FindPodVolumes (binder.go) for one node, plus VolumeZone's Filter.
function fitOnNode(
  volumes: PodVolumes,
  labels: Readonly<Record<string, string>>,
  nodeName: string | undefined,
): NodeFit {
  const staticBindings = new Map<PersistentVolumeClaim, PersistentVolume>();
  const provisions: PersistentVolumeClaim[] = [];
  let nodeConflict = false;
  let boundVolumeMissing = false;
  // checkBoundClaims stops at the first volume that is gone or does not fit.
  for (const pv of volumes.bound) {
    if (!pv) {
      boundVolumeMissing = true;
      break;
    }
    if (!volumeFitsNode(pv, labels)) {
      nodeConflict = true;
      break;
    }
  }
  let bindConflict = false;
  if (volumes.toBind.length > 0) {
    const toMatch: ClaimToBind[] = [];
    const toProvision: ClaimToBind[] = [];
    let otherNode = false;
    for (const c of volumes.toBind) {
      if (c.selectedNode === undefined) toMatch.push(c);
      else if (c.selectedNode !== nodeName) otherNode = true;
      else toProvision.push(c);
    }
    if (otherNode) bindConflict = true;
    else {
      const chosen = new Set<string>();
      for (const c of toMatch) {
        const pv = findMatchingVolume(c.claim, c.volumes, { nodeLabels: labels, excluded: chosen });
        if (pv) {
          chosen.add(pv.metadata?.name ?? '');
          staticBindings.set(c.claim, pv);
        } else toProvision.push(c);
      }
      // checkVolumeProvisions: the class must provision, and provision where the node is.
      for (const c of toProvision) {
        const provisioner = c.storageClass.provisioner;
        if (!provisioner || provisioner === NOT_SUPPORTED_PROVISIONER) bindConflict = true;
        else if (!topologyFits(c.storageClass.allowedTopologies, labels)) bindConflict = true;
        else provisions.push(c.claim);
        if (bindConflict) break;
      }
    }
  }
  return {
    conflicts: {
      nodeConflict,
      bindConflict,
      boundVolumeMissing,
      zoneConflict: zoneConflict(volumes.zones, labels),
    },
    staticBindings,
    provisions,
  };
}

// volume_zone.go Filter: a node with no zone or region label accepts every volume.
function zoneConflict(zones: PodVolumes['zones'], labels: Readonly<Record<string, string>>): boolean {
  if (zones.length === 0 || !TOPOLOGY_LABELS.some((k) => k in labels)) return false;
  return zones.some(({ key, values }) => {
    const value = labels[key] ?? labels[GA_LABEL[key] ?? key];
    return value === undefined || !values.includes(value);
  });
}

/** The `volumeBinding` fact: why the node cannot give the pod its volumes, all false when it can. */
export function volumeConflicts(
  volumes: PodVolumes | undefined,
  labels: Readonly<Record<string, string>>,
  nodeName: string | undefined,
): VolumeConflicts {
  return volumes ? fitOnNode(volumes, labels, nodeName).conflicts : NO_CONFLICTS;
}

/** What PreBind waits for: the claims the scheduler bound or had provisioned for the pod. */
export interface PendingBinding {
  namespace: string;
  node: string;
  /** Claim name → the volume the scheduler pre-bound it to. */
  staticBindings: Map<string, string>;
  provisions: string[];
}

/**
 * Reserve + the API part of PreBind (AssumePodVolumes, bindAPIUpdate): each chosen volume gets the claim in its
 * claimRef, each claim to provision the node in its selected-node annotation. Undefined when every claim is
 * bound already and the pod can be bound at once.
 */
export function bindPodVolumes(
  volumes: PodVolumes | undefined,
  node: { name: string; labels: Readonly<Record<string, string>> },
  store: Store,
): PendingBinding | undefined {
  if (!volumes || volumes.toBind.length === 0) return undefined;
  const fit = fitOnNode(volumes, node.labels, node.name);
  const namespace = volumes.toBind[0].claim.metadata?.namespace ?? 'default';
  const pending: PendingBinding = { namespace, node: node.name, staticBindings: new Map(), provisions: [] };
  for (const [claim, pv] of fit.staticBindings) {
    const name = pv.metadata?.name as string;
    store.mutate<PersistentVolumeObject>('PersistentVolume', undefined, name, (v) => {
      bindVolumeToClaim(v, claim);
    });
    pending.staticBindings.set(claim.metadata?.name as string, name);
  }
  for (const claim of fit.provisions) {
    const name = claim.metadata?.name as string;
    store.mutate<PersistentVolumeClaimObject>('PersistentVolumeClaim', namespace, name, (c) => {
      c.metadata.annotations = { ...(c.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: node.name };
    });
    pending.provisions.push(name);
  }
  return pending;
}

/**
 * GetBindVolumeToClaim (k8s:staging/src/k8s.io/component-helpers/storage/volume/pv_helpers.go): the claim goes
 * into the volume's claimRef, marked bound by the controller unless the user had pre-bound it. True if changed.
 */
export function bindVolumeToClaim(volume: PersistentVolumeObject, claim: PersistentVolumeClaim): boolean {
  let dirty = false;
  const setByController = !isVolumeBoundToClaim(volume, claim);
  const ref = volume.spec?.claimRef;
  const meta = claim.metadata ?? {};
  if (!ref || ref.name !== meta.name || ref.namespace !== meta.namespace || ref.uid !== meta.uid) {
    volume.spec = {
      ...(volume.spec ?? {}),
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: 'v1',
        resourceVersion: meta.resourceVersion,
      },
    };
    dirty = true;
  }
  const annotations = volume.metadata.annotations ?? {};
  if (setByController && !(ANN_BOUND_BY_CONTROLLER in annotations)) {
    volume.metadata.annotations = { ...annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
    dirty = true;
  }
  return dirty;
}

/**
 * checkBindings: true once every claim is fully bound; a string when binding failed and the pod must be
 * scheduled again.
 */
export function checkBindings(
  pending: PendingBinding,
  pod: PodObject | undefined,
  store: Store,
): true | false | string {
  if (!pod) return 'pod does not exist any more';
  const claim = (name: string) =>
    store.get('PersistentVolumeClaim', pending.namespace, name) as PersistentVolumeClaimObject | undefined;
  const node = store.get('Node', undefined, pending.node);
  const nodeLabels = node?.metadata.labels ?? {};
  let done = true;
  for (const [claimName, pvName] of pending.staticBindings) {
    const pv = store.get('PersistentVolume', undefined, pvName) as PersistentVolumeObject | undefined;
    const pvc = claim(claimName);
    // The assume caches' errNotFound (k8s:.../volumebinding/assume_cache.go).
    if (!pv) return `failed to check binding: could not find v1.PersistentVolume "${pvName}"`;
    if (!pvc) {
      return `failed to check binding: could not find v1.PersistentVolumeClaim "${pending.namespace}/${claimName}"`;
    }
    if (!volumeFitsNode(pv, nodeLabels)) {
      return `pv "${pvName}" node affinity doesn't match node "${pending.node}": no matching NodeSelectorTerms`;
    }
    if (!pv.spec?.claimRef?.uid) return `ClaimRef got reset for pv "${pvName}"`;
    if (!isFullyBound(pvc)) done = false;
  }
  for (const claimName of pending.provisions) {
    const pvc = claim(claimName);
    if (!pvc) {
      return `failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${pending.namespace}/${claimName}"`;
    }
    if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] !== pending.node) {
      return `provisioning failed for PVC "${claimName}"`;
    }
    if (pvc.spec?.volumeName) {
      const pv = store.get('PersistentVolume', undefined, pvc.spec.volumeName) as
        | PersistentVolumeObject
        | undefined;
      if (!pv) {
        done = false;
        continue;
      }
      if (!volumeFitsNode(pv, nodeLabels)) {
        return `pv "${pv.metadata.name}" node affinity doesn't match node "${pending.node}": no matching NodeSelectorTerms`;
      }
    }
    if (!isFullyBound(pvc)) done = false;
  }
  return done;
}

/**
 * Whether a change of a claim, volume or class may let a pod with claims fit now (the VolumeBinding plugin's
 * cluster events, narrowed to the changes that matter: a new object, a claim or volume changing phase or
 * binding, a claim losing its selected node, a class's allowed topologies).
 */
export function volumeChangeMayHelp(type: string, obj: KubeObject, old: KubeObject | undefined): boolean {
  if (type === 'ADDED') return true;
  if (type !== 'MODIFIED' || !old) return false;
  const phase = (o: KubeObject) => (o.status as { phase?: string } | undefined)?.phase;
  const spec = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>;
  switch (obj.kind) {
    case 'PersistentVolumeClaim':
      return (
        phase(obj) !== phase(old) ||
        spec(obj).volumeName !== spec(old).volumeName ||
        obj.metadata.annotations?.[ANN_SELECTED_NODE] !== old.metadata.annotations?.[ANN_SELECTED_NODE]
      );
    case 'PersistentVolume':
      return phase(obj) !== phase(old) || !sameJson(spec(obj).claimRef, spec(old).claimRef);
    default:
      return !sameJson(obj.allowedTopologies, old.allowedTopologies);
  }
}
