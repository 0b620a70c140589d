// PersistentVolumes, PersistentVolumeClaims and StorageClasses at the API server: defaulting
// (k8s:pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume, SetDefaults_PersistentVolumeClaim,
// SetDefaults_HostPathVolumeSource; k8s:pkg/apis/storage/v1/defaults.go SetDefaults_StorageClass), the registry
// strategies (k8s:pkg/registry/core/persistentvolume/strategy.go, persistentvolumeclaim/strategy.go), the
// DefaultStorageClass admission plugin (k8s:plugin/pkg/admission/storage/storageclass/setdefault/admission.go)
// and the validation of k8s:pkg/apis/core/validation/validation.go (ValidatePersistentVolumeSpec,
// ValidatePersistentVolumeClaimSpec and their updates) and k8s:pkg/apis/storage/validation/validation.go.
import { type ApiServer, registerResourceLists, sameJson } from './apiserver';
import { FieldError, forbidden, invalid, notSupported, required } from './field-errors';
import { validateLabelSelector } from './labels';
import { validateNodeSelector } from './node-affinity';
import type { KubeObject } from './object';
import {
  claimHasClass,
  defaultStorageClass,
  type PersistentVolumeClaimObject,
  type PersistentVolumeObject,
  type StorageClassObject,
} from './persistent-volumes';
import { Quantity } from './quantity';
import type { Store } from './store';
import { isDNS1123Subdomain, isQualifiedName } from './validation';

// sets.List of the supported values: sorted.
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const PV_RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const CLASS_RECLAIM_POLICIES = ['Delete', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

// The volume sources of a PersistentVolumeSpec in the order ValidatePersistentVolumeSpec counts them, with the
// field name its "may not specify more than 1 volume type" error uses (flexVolume is counted without one).
const PV_SOURCES: readonly (readonly [source: string, errorField: string | undefined])[] = [
  ['hostPath', 'hostPath'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['nfs', 'nfs'],
  ['rbd', 'rbd'],
  ['quobyte', 'quobyte'],
  ['cephfs', 'cephFS'],
  ['iscsi', 'iscsi'],
  ['cinder', 'cinder'],
  ['fc', 'fc'],
  ['flexVolume', undefined],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['scaleIO', 'scaleIO'],
  ['local', 'local'],
  ['storageos', 'storageos'],
  ['csi', 'csi'],
];

export function registerVolumeApi(api: ApiServer, store: Store): void {
  registerResourceLists(api, 'PersistentVolume', [['spec', 'capacity']]);
  api.addDefaulter('PersistentVolume', (obj) => defaultVolume(obj as PersistentVolumeObject));
  // PrepareForCreate: the status is the server's; with PersistentVolumeLastPhaseTransitionTime (GA in v1.31)
  // a new volume is Pending from now.
  api.addPreparer('PersistentVolume', (obj) => {
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: store.clock.timestamp() };
  });
  api.addValidator('PersistentVolume', (obj, old) => {
    const pv = obj as PersistentVolumeObject;
    const errs = validateVolume(pv);
    return old ? [...errs, ...validateVolumeUpdate(pv, old as PersistentVolumeObject)] : errs;
  });

  registerResourceLists(api, 'PersistentVolumeClaim', [
    ['spec', 'resources', 'requests'],
    ['spec', 'resources', 'limits'],
  ]);
  api.addDefaulter('PersistentVolumeClaim', (obj) => {
    const pvc = obj as PersistentVolumeClaimObject;
    pvc.spec ??= {};
    pvc.spec.volumeMode ??= 'Filesystem';
  });
  api.addAdmission('PersistentVolumeClaim', (obj) => admitDefaultStorageClass(obj, store));
  // PrepareForCreate clears the status; reads default its phase to Pending.
  api.addPreparer('PersistentVolumeClaim', (obj) => {
    obj.status = { phase: 'Pending' };
  });
  api.addValidator('PersistentVolumeClaim', (obj, old) => {
    const pvc = obj as PersistentVolumeClaimObject;
    const errs = validateClaimSpec(pvc);
    return old ? [...errs, ...validateClaimUpdate(pvc, old as PersistentVolumeClaimObject)] : errs;
  });

  api.addDefaulter('StorageClass', (obj) => {
    const sc = obj as StorageClassObject;
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  });
  api.addValidator('StorageClass', (obj, old) => {
    const sc = obj as StorageClassObject;
    const errs = validateStorageClass(sc);
    return old ? [...errs, ...validateStorageClassUpdate(sc, old as StorageClassObject)] : errs;
  });
}

function defaultVolume(pv: PersistentVolumeObject): void {
  pv.spec ??= {};
  pv.spec.persistentVolumeReclaimPolicy ||= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  if (pv.spec.hostPath) pv.spec.hostPath.type ??= '';
}

// DefaultStorageClass: a claim that asks for no class at all (not even "") gets the default one, if any.
function admitDefaultStorageClass(obj: KubeObject, store: Store): void {
  const pvc = obj as PersistentVolumeClaimObject;
  if (claimHasClass(pvc)) return;
  const cls = defaultStorageClass(store);
  if (!cls) return;
  pvc.spec = { ...(pvc.spec ?? {}), storageClassName: cls.metadata.name };
}

function validateAccessModes(
  modes: readonly string[] | undefined,
  field: string,
  detail: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!modes?.length) errs.push(required(field, detail));
  let once = false;
  let other = false;
  for (const mode of modes ?? []) {
    if (!ACCESS_MODES.includes(mode)) errs.push(notSupported(field, mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') once = true;
    else if (ACCESS_MODES.includes(mode)) other = true;
  }
  if (once && other) errs.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

// ValidatePositiveQuantityValue.
function positive(raw: unknown, field: string): FieldError[] {
  const q = Quantity.parse(raw as string | number);
  return q.sign() <= 0 ? [invalid(field, q.toString(), 'must be greater than zero')] : [];
}

const className = (value: string | undefined, field: string): FieldError[] =>
  value ? isDNS1123Subdomain(value).map((msg) => invalid(field, value, msg)) : [];

function validateVolume(pv: PersistentVolumeObject): FieldError[] {
  const spec = (pv.spec ?? {}) as Record<string, unknown> & NonNullable<PersistentVolumeObject['spec']>;
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes', '');
  const capacity = spec.capacity;
  const keys = Object.keys(capacity ?? {});
  if (keys.length === 0) {
    errs.push(required('spec.capacity'));
    const map = capacity ? 'core.ResourceList{}' : 'core.ResourceList(nil)';
    errs.push(new GoValueError('Unsupported value', 'spec.capacity', map, 'supported values: "storage"'));
  }
  for (const [name, raw] of Object.entries(capacity ?? {}))
    errs.push(...positive(raw, `spec.capacity[${name}]`));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !PV_RECLAIM_POLICIES.includes(policy)) {
    errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, PV_RECLAIM_POLICIES));
  }
  const affinity = spec.nodeAffinity;
  if (affinity) {
    if (affinity.required)
      errs.push(...validateNodeSelector(affinity.required, 'spec.nodeAffinity.required'));
    else errs.push(required('spec.nodeAffinity.required', 'must specify required node constraints'));
  }
  let sources = 0;
  for (const [source, errorField] of PV_SOURCES) {
    const value = spec[source] as Record<string, unknown> | undefined;
    if (value == null) continue;
    if (sources > 0 && errorField) {
      errs.push(forbidden(`spec.${errorField}`, 'may not specify more than 1 volume type'));
      continue;
    }
    sources += 1;
    errs.push(...validateSource(source, value));
    if (source === 'local' && !affinity) {
      errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
    }
  }
  if (sources === 0) errs.push(required('spec', 'must specify a volume type'));
  errs.push(...className(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  }
  return errs;
}

/** A field error whose bad value Go prints with %#v (a map); the value is kept as the text Go prints. */
class GoValueError extends FieldError {
  override body(): string {
    return `${this.type}: ${this.value}: ${this.detail}`;
  }
}

// The required fields of the sources kubespec's scenarios use (validateHostPathVolumeSource,
// validateLocalVolumeSource, validateNFSVolumeSource, validateCSIPersistentVolumeSource).
function validateSource(source: string, value: Record<string, unknown>): FieldError[] {
  const path = `spec.${source}`;
  const str = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : '');
  switch (source) {
    case 'hostPath':
    case 'local':
      return str('path') ? [] : [required(`${path}.path`)];
    case 'nfs': {
      const errs = str('server') ? [] : [required(`${path}.server`)];
      if (!str('path')) errs.push(required(`${path}.path`));
      else if (!str('path').startsWith('/'))
        errs.push(invalid(`${path}.path`, str('path'), 'must be an absolute path'));
      return errs;
    }
    case 'csi': {
      const errs: FieldError[] = [];
      if (!str('driver')) errs.push(required(`${path}.driver`));
      if (!str('volumeHandle')) errs.push(required(`${path}.volumeHandle`));
      return errs;
    }
    default:
      return [];
  }
}

// ValidatePersistentVolumeUpdate: the source and the volume mode are fixed at creation. Kubernetes follows the
// source refusal with a go-cmp diff, which is deliberately unstable; kubespec leaves it out.
function validateVolumeUpdate(pv: PersistentVolumeObject, old: PersistentVolumeObject): FieldError[] {
  const errs: FieldError[] = [];
  const sourceOf = (v: PersistentVolumeObject) =>
    Object.fromEntries(PV_SOURCES.map(([s]) => [s, (v.spec as Record<string, unknown> | undefined)?.[s]]));
  if (!sameJson(sourceOf(pv), sourceOf(old))) {
    errs.push(
      forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'),
    );
  }
  if (pv.spec?.volumeMode !== old.spec?.volumeMode) {
    errs.push(invalid('volumeMode', pv.spec?.volumeMode, 'field is immutable'));
  }
  return errs;
}

function validateClaimSpec(pvc: PersistentVolumeClaimObject): FieldError[] {
  const spec = pvc.spec ?? {};
  const errs = validateAccessModes(
    spec.accessModes,
    'spec.accessModes',
    'at least 1 access mode is required',
  );
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(required('spec.resources[storage]'));
  else errs.push(...positive(storage, 'spec.resources[storage]'));
  errs.push(...className(spec.storageClassName ?? undefined, 'spec.storageClassName'));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  }
  return errs;
}

// ValidatePersistentVolumeClaimUpdate: the PV controller may set volumeName once, a claim without a class may
// get one (RetroactiveDefaultStorageClass), a bound claim may grow; everything else in the spec is fixed. The
// go-cmp diff Kubernetes appends to the refusal is left out, as for pods.
function validateClaimUpdate(
  pvc: PersistentVolumeClaimObject,
  old: PersistentVolumeClaimObject,
): FieldError[] {
  const errs: FieldError[] = [];
  const next = structuredClone(pvc.spec ?? {});
  const before = structuredClone(old.spec ?? {});
  if (!before.volumeName) before.volumeName = next.volumeName;
  if (before.storageClassName == null && next.storageClassName != null)
    before.storageClassName = next.storageClassName;
  if (pvc.status?.phase === 'Bound' && next.resources?.requests) {
    next.resources.requests.storage = before.resources?.requests?.storage as string;
  }
  const canonical = (spec: typeof next) => ({
    ...spec,
    resources: spec.resources && {
      ...spec.resources,
      requests: canonicalList(spec.resources.requests),
      limits: canonicalList(spec.resources.limits),
    },
  });
  if (!sameJson(canonical(next), canonical(before))) {
    errs.push(
      forbidden(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    );
  }
  const size = (raw: unknown) => (raw === undefined ? undefined : Quantity.parse(raw as string | number));
  const newSize = size(pvc.spec?.resources?.requests?.storage);
  const oldSize = size(old.spec?.resources?.requests?.storage);
  const statusSize = size(old.status?.capacity?.storage) ?? Quantity.parse(0);
  // RecoverVolumeExpansionFailure (on by default): a claim may shrink back, but not to its actual size or below.
  if (newSize && oldSize && newSize.cmp(oldSize) < 0 && newSize.cmp(statusSize) <= 0) {
    errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  if (pvc.spec?.volumeMode !== old.spec?.volumeMode) {
    errs.push(invalid('volumeMode', pvc.spec?.volumeMode, 'field is immutable'));
  }
  return errs;
}

function canonicalList(list: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(
    Object.entries(list).map(([k, v]) => [k, Quantity.parse(v as string | number).toString()]),
  );
}

function validateStorageClass(sc: StorageClassObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc.provisioner) errs.push(required('provisioner'));
  else
    for (const msg of isQualifiedName(sc.provisioner.toLowerCase()))
      errs.push(invalid('provisioner', sc.provisioner, msg));
  const policy = sc.reclaimPolicy;
  if (policy && !CLASS_RECLAIM_POLICIES.includes(policy)) {
    errs.push(notSupported('reclaimPolicy', policy, CLASS_RECLAIM_POLICIES));
  }
  const mode = sc.volumeBindingMode;
  if (!mode) errs.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(mode)) errs.push(notSupported('volumeBindingMode', mode, BINDING_MODES));
  return errs;
}

// ValidateStorageClassUpdate.
function validateStorageClassUpdate(sc: StorageClassObject, old: StorageClassObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!sameJson(sc.parameters ?? {}, old.parameters ?? {})) {
    errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  }
  if (sc.provisioner !== old.provisioner)
    errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) {
    errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  }
  if (sc.volumeBindingMode !== old.volumeBindingMode) {
    errs.push(invalid('volumeBindingMode', sc.volumeBindingMode, 'field is immutable'));
  }
  return errs;
}
