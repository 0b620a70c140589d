// What keeps the kubelet from setting up a pod's ConfigMap, Secret and projected volumes: each volume plugin's
// SetUpAt fails while its object is missing (unless the source is optional) or lacks a key an item names
// (k8s:pkg/volume/configmap/configmap.go, k8s:pkg/volume/secret/secret.go, k8s:pkg/volume/projected/projected.go),
// and the operation executor words the failure as the FailedMount event shows it
// (k8s:pkg/volume/util/operationexecutor/operation_generator.go GenerateErrorDetailed). emptyDir and the
// other sources need nothing from the API.
import type { KeyToPath, Volume } from 'kubernetes-types/core/v1';
import type { PodObject } from '../api/pods';
import type { Store } from '../api/store';

export interface MissingVolumeSource {
  /** The pod's volume that cannot be set up. */
  volume: string;
  /** The FailedMount message: `MountVolume.SetUp failed for volume "config" : configmap "app-config" not found`. */
  message: string;
}

interface DataObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** The volumes of the pod whose ConfigMap or Secret is missing or incomplete, in the pod's volume order. */
export function missingVolumeSources(pod: PodObject, store: Store): MissingVolumeSource[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const missing: MissingVolumeSource[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    const error = setUpError(volume, namespace, store);
    if (error) {
      missing.push({
        volume: volume.name,
        message: `MountVolume.SetUp failed for volume "${volume.name}" : ${error}`,
      });
    }
  }
  return missing;
}

function setUpError(volume: Volume, namespace: string, store: Store): string | undefined {
  if (volume.configMap) {
    const { name = '', items, optional } = volume.configMap;
    return configMapError(store, namespace, name, items, optional);
  }
  if (volume.secret) {
    const { secretName = '', items, optional } = volume.secret;
    return secretError(store, namespace, secretName, items, optional);
  }
  if (volume.projected) {
    // collectData gathers every source's error; several read as an aggregate "[a, b]".
    const errors: string[] = [];
    for (const source of volume.projected.sources ?? []) {
      let error: string | undefined;
      if (source.configMap) {
        const { name = '', items, optional } = source.configMap;
        error = configMapError(store, namespace, name, items, optional);
      } else if (source.secret) {
        const { name = '', items, optional } = source.secret;
        error = secretError(store, namespace, name, items, optional);
      }
      if (error) errors.push(error);
    }
    if (errors.length === 0) return undefined;
    return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  }
  return undefined;
}

// The NotFound errors of the kubelet's object managers name the resource in the singular.
function configMapError(
  store: Store,
  namespace: string,
  name: string,
  items: readonly KeyToPath[] | undefined,
  optional: boolean | undefined,
): string | undefined {
  const cm = store.get('ConfigMap', namespace, name) as DataObject | undefined;
  if (!cm) return optional ? undefined : `configmap "${name}" not found`;
  const keys = new Set([...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})]);
  const absent = missingKey(items, keys, optional);
  return absent === undefined ? undefined : `configmap references non-existent config key: ${absent}`;
}

function secretError(
  store: Store,
  namespace: string,
  name: string,
  items: readonly KeyToPath[] | undefined,
  optional: boolean | undefined,
): string | undefined {
  const secret = store.get('Secret', namespace, name) as DataObject | undefined;
  if (!secret) return optional ? undefined : `secret "${name}" not found`;
  // The API server folds stringData into data on write.
  const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  const absent = missingKey(items, keys, optional);
  return absent === undefined ? undefined : `references non-existent secret key: ${absent}`;
}

// MakePayload: the first item naming a key the object lacks, unless the source is optional.
function missingKey(
  items: readonly KeyToPath[] | undefined,
  keys: ReadonlySet<string>,
  optional: boolean | undefined,
): string | undefined {
  if (optional) return undefined;
  return items?.find((item) => !keys.has(item.key))?.key;
}
