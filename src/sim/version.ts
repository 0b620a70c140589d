// The Kubernetes version the simulated cluster behaves as. Strings that changed between releases (see
// ../shared/k8s-reference.md section 11) are chosen by rules on the `kubernetesVersion` fact.

export interface KubernetesVersion {
  major: number;
  minor: number;
  /** As `kubectl version` prints it: v1.35.0 */
  gitVersion: string;
}

export const DEFAULT_KUBERNETES_VERSION = 'v1.35';
/** The oldest release whose version-dependent behaviour kubespec reproduces. */
export const OLDEST_SUPPORTED_MINOR = 33;

export function parseKubernetesVersion(text: string): KubernetesVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`invalid Kubernetes version "${text}": write it as v1.35 or 1.33.2`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 1 || minor < OLDEST_SUPPORTED_MINOR) {
    throw new Error(
      `Kubernetes version "${text}" is not supported: kubespec reproduces v1.${OLDEST_SUPPORTED_MINOR} and later`,
    );
  }
  return { major, minor, gitVersion: `v${major}.${minor}.${m[3] ?? '0'}` };
}
