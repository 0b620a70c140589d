// The pod-template-hash of a Deployment's ReplicaSets (k8s:pkg/controller/controller_utils.go ComputeHash):
// FNV-32a over the template, then over the collision count's eight little-endian bytes when the Deployment has
// one, and the decimal sum rendered with rand.SafeEncodeString
// (k8s:staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go).
//
// Kubernetes feeds the hash with go-spew's `%#v` dump of the Go struct v1.PodTemplateSpec
// (k8s:pkg/util/hash/hash.go DeepHashObject): every field of the struct in declaration order, including the
// zero-valued ones each release adds and resource.Quantity's private cache, so the same manifest hashes
// differently across kube-controller-manager versions and builds. kubespec cannot reproduce those bytes and
// hashes the template's canonical JSON instead: names have Kubernetes' shape (`web-7d9f4c8b6`, the same alphabet
// and length) and change exactly when the template changes, but their characters differ from a real cluster's.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { stableStringify } from '../rules/stable-json';

/** apps.DefaultDeploymentUniqueLabelKey. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** hash/fnv New32a: Write(bytes) then Sum32(). */
export function fnv32a(bytes: Iterable<number>, seed = FNV32_OFFSET): number {
  let hash = seed;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
  }
  return hash >>> 0;
}

// rand.SafeEncodeString: no vowels, nothing easily mistaken, so generated names spell no words.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character replaced by alphanums[code % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const c of s) out += ALPHANUMS[(c.codePointAt(0) as number) % ALPHANUMS.length];
  return out;
}

/** ComputeHash, over the template's canonical JSON (see the file comment). */
export function computeHash(template: PodTemplateSpec, collisionCount: number | undefined): string {
  let hash = fnv32a(Buffer.from(stableStringify(template), 'utf8'));
  if (collisionCount !== undefined) {
    // binary.LittleEndian.PutUint32 into an 8-byte slice: four value bytes, then four zeros.
    const bytes = [0, 8, 16, 24].map((shift) => (collisionCount >>> shift) & 0xff);
    hash = fnv32a([...bytes, 0, 0, 0, 0], hash);
  }
  return safeEncodeString(String(hash));
}
