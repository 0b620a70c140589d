// The ServiceAccount admission plugin (k8s:plugin/pkg/admission/serviceaccount/admission.go) and the conversion
// of a pod's deprecated `serviceAccount` field (k8s:pkg/apis/core/v1/conversion.go Convert_v1_PodSpec_To_core_PodSpec
// and back). The kube-api-access projected token volume the plugin also mounts is not simulated.
import type { LocalObjectReference, ServiceAccount } from 'kubernetes-types/core/v1';
import type { ApiServer } from './apiserver';
import type { Stored } from './object';
import type { PodObject } from './pods';
import { ApiError, type Store } from './store';

export type ServiceAccountObject = Stored<ServiceAccount>;

/** DefaultServiceAccountName. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** k8s:pkg/apis/core/types.go MirrorPodAnnotationKey. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * Registers the plugin. `ensureDefault` is the ServiceAccount controller's sync of a namespace: the plugin retries
 * the lookup of a missing `default` account for about a second because the controller creates it, and in a live
 * cluster it has by then.
 */
export function registerServiceAccountAdmission(
  api: ApiServer,
  store: Store,
  ensureDefault: (namespace: string) => Promise<void>,
): void {
  api.addDefaulter('Pod', (obj) => {
    const spec = (obj as PodObject).spec;
    if (!spec) return;
    if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
    if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  });
  api.addAdmission('Pod', (obj) => admit(obj as PodObject, store, ensureDefault));
}

async function admit(
  pod: PodObject,
  store: Store,
  ensureDefault: (namespace: string) => Promise<void>,
): Promise<void> {
  const spec = pod.spec as NonNullable<PodObject['spec']>;
  const namespace = pod.metadata.namespace as string;
  const forbid = (reason: string) =>
    new ApiError(
      'Forbidden',
      `pods "${pod.metadata.name ?? pod.metadata.generateName ?? ''}" is forbidden: ${reason}`,
      [],
      'spec.serviceAccountName',
    );
  // Mirror pods are the kubelet's static pods: left as they are, and they may not use accounts or secrets.
  if (pod.metadata.annotations && MIRROR_POD_ANNOTATION in pod.metadata.annotations) {
    if (spec.serviceAccountName) throw forbid('a mirror pod may not reference service accounts');
    if ((spec.volumes ?? []).some((v) => v.secret)) throw forbid('a mirror pod may not reference secrets');
    return;
  }
  spec.serviceAccountName ||= DEFAULT_SERVICE_ACCOUNT;
  const name = spec.serviceAccountName;
  let account = store.get('ServiceAccount', namespace, name) as ServiceAccountObject | undefined;
  if (!account && name === DEFAULT_SERVICE_ACCOUNT) {
    await ensureDefault(namespace);
    account = store.get('ServiceAccount', namespace, name) as ServiceAccountObject | undefined;
  }
  // getServiceAccount answers with errors.NewNotFound(api.Resource("serviceaccount"), name).
  if (!account) {
    throw forbid(`error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`);
  }
  spec.serviceAccount = name;
  if (!spec.imagePullSecrets?.length && account.imagePullSecrets?.length) {
    spec.imagePullSecrets = account.imagePullSecrets.map((s): LocalObjectReference => ({ ...s }));
  }
}
