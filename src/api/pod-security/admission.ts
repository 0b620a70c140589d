// The PodSecurity admission plugin (k8s:staging/src/k8s.io/pod-security-admission/admission/admission.go, as
// k8s:plugin/pkg/admission/security/podsecurity/admission.go runs it in kube-apiserver): pods are refused by the
// namespace's enforce level and warned about at its warn level; objects with a pod template (workloads) are
// only warned about; changing a namespace's enforce level warns about the pods already there. The audit mode
// is parsed and validated but records nothing: kubespec has no audit log. No AdmissionConfiguration is
// simulated, so there are no exemptions and the defaults are privileged:latest.
import type { Container, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { ApiServer } from '../apiserver';
import { invalid } from '../apiserver';
import type { KubeObject } from '../object';
import { ApiError, type Store } from '../store';
import {
  compareLevels,
  effectiveMinor,
  hasNoPodSecurityLabels,
  type LevelVersion,
  levelVersionText,
  type Policy,
  policyToEvaluate,
  sameLevelVersion,
} from './policy';
import { evaluatePod, forbiddenDetail, forbiddenReason } from './registry';

/**
 * DefaultPodSpecExtractor: where each workload kind keeps its pod template (CronJob and PodTemplate are kinds
 * kubespec does not simulate).
 */
const TEMPLATE_OF: Record<string, (obj: KubeObject) => PodTemplateSpec | undefined> = {
  ReplicationController: (o) => (o.spec as { template?: PodTemplateSpec } | undefined)?.template,
  ReplicaSet: (o) => (o.spec as { template?: PodTemplateSpec } | undefined)?.template,
  Deployment: (o) => (o.spec as { template?: PodTemplateSpec } | undefined)?.template,
  StatefulSet: (o) => (o.spec as { template?: PodTemplateSpec } | undefined)?.template,
  DaemonSet: (o) => (o.spec as { template?: PodTemplateSpec } | undefined)?.template,
  Job: (o) => (o.spec as { template?: PodTemplateSpec } | undefined)?.template,
};

export function registerPodSecurityAdmission(api: ApiServer, store: Store, clusterMinor: () => number): void {
  const psa = new PodSecurity(api, store, clusterMinor);
  api.addValidatingAdmission('Pod', (pod) => psa.validatePod(pod));
  api.addValidatingUpdateAdmission('Pod', (pod, old) => psa.validatePod(pod, old));
  for (const kind of Object.keys(TEMPLATE_OF)) {
    api.addValidatingAdmission(kind, (obj) => psa.validatePodController(obj));
    api.addValidatingUpdateAdmission(kind, (obj) => psa.validatePodController(obj));
  }
  api.addValidatingAdmission('Namespace', (ns) => psa.validateNamespace(ns, undefined));
  api.addValidatingUpdateAdmission('Namespace', (ns, old) => psa.validateNamespace(ns, old));
}

class PodSecurity {
  constructor(
    private readonly api: ApiServer,
    private readonly store: Store,
    private readonly clusterMinor: () => number,
  ) {}

  // A namespace without Pod Security labels costs one lookup: every pod create comes through here.
  private policyOf(namespace: string | undefined): Policy | undefined {
    const labels = this.store.get('Namespace', undefined, namespace ?? 'default')?.metadata.labels;
    if (hasNoPodSecurityLabels(labels)) return undefined;
    return policyToEvaluate(labels).policy;
  }

  private evaluate(lv: LevelVersion, meta: ObjectMeta, spec: PodSpec) {
    return evaluatePod(lv.level, effectiveMinor(lv, this.clusterMinor()), meta, spec);
  }

  /**
   * ValidatePod and EvaluatePod(enforce=true): refuse at the enforce level, else warn at the warn level. An
   * update is judged only when it changes what the checks read (isSignificantPodUpdate).
   */
  validatePod(pod: KubeObject, old?: KubeObject): void {
    const policy = this.policyOf(pod.metadata.namespace);
    if (!policy) return;
    if (old && !isSignificantPodUpdate(pod, old)) return;
    const spec = (pod.spec ?? {}) as PodSpec;
    const enforced = this.evaluate(policy.enforce, pod.metadata, spec);
    if (!enforced.allowed) {
      // response.go forbiddenResponse: apierrors.NewForbidden(pods, name, …).
      throw new ApiError(
        'Forbidden',
        `pods "${pod.metadata.name}" is forbidden: violates PodSecurity "${levelVersionText(policy.enforce)}": ${forbiddenDetail(enforced)}`,
      );
    }
    this.warnAt(policy, pod.metadata, spec, policy.enforce);
  }

  /** ValidatePodController: warnings only; the pods themselves are judged when they are created. */
  validatePodController(obj: KubeObject): void {
    const policy = this.policyOf(obj.metadata.namespace);
    if (!policy) return;
    const template = TEMPLATE_OF[obj.kind]?.(obj);
    if (!template) return;
    this.warnAt(policy, template.metadata ?? {}, (template.spec ?? {}) as PodSpec, undefined);
  }

  // The warn evaluation reuses the enforce one when level and version are the same (and it allowed).
  private warnAt(policy: Policy, meta: ObjectMeta, spec: PodSpec, allowedAt: LevelVersion | undefined): void {
    if (policy.warn.level === 'privileged') return;
    if (allowedAt && sameLevelVersion(allowedAt, policy.warn)) return;
    const result = this.evaluate(policy.warn, meta, spec);
    if (!result.allowed) {
      this.api.warn(
        `would violate PodSecurity "${levelVersionText(policy.warn)}": ${forbiddenDetail(result)}`,
      );
    }
  }

  /**
   * ValidateNamespace: invalid labels are refused on create, and on update when they changed; a stricter
   * (or re-versioned) enforce level dry-runs the namespace's pods and warns about those it would refuse.
   */
  validateNamespace(ns: KubeObject, old: KubeObject | undefined): void {
    const labels = ns.metadata.labels;
    const oldLabels = old?.metadata.labels;
    if (hasNoPodSecurityLabels(labels) && hasNoPodSecurityLabels(oldLabels)) return;
    const next = policyToEvaluate(labels);
    if (!old) {
      if (next.errors.length > 0) throw invalid(ns, next.errors);
      return;
    }
    const previous = policyToEvaluate(oldLabels);
    const text = (errors: typeof next.errors) => errors.map(String).join('\n');
    if (
      next.errors.length > 0 &&
      (previous.errors.length === 0 || text(next.errors) !== text(previous.errors))
    ) {
      throw invalid(ns, next.errors);
    }
    const [enforce, before] = [next.policy.enforce, previous.policy.enforce];
    if (sameLevelVersion(enforce, before) || enforce.level === 'privileged') return;
    if (enforce.minor === before.minor && compareLevels(enforce.level, before.level) < 1) return;
    for (const warning of this.evaluatePodsInNamespace(ns.metadata.name as string, enforce))
      this.api.warn(warning);
  }

  /**
   * EvaluatePodsInNamespace: one warning line per distinct set of reasons, naming the lexically first pod and
   * how many others share it, sorted. Every pod is checked: the plugin's 3000-pod and one-second limits (and
   * so prioritizePods' order) never matter at a simulation's size.
   */
  private evaluatePodsInNamespace(namespace: string, enforce: LevelVersion): string[] {
    const counts = new Map<string, { podName: string; count: number }>();
    const order: string[] = [];
    for (const pod of this.store.list('Pod', namespace)) {
      const result = this.evaluate(enforce, pod.metadata, (pod.spec ?? {}) as PodSpec);
      if (result.allowed) continue;
      const reason = forbiddenReason(result);
      const name = pod.metadata.name as string;
      const seen = counts.get(reason);
      if (!seen) {
        counts.set(reason, { podName: name, count: 1 });
        order.push(reason);
      } else {
        seen.count += 1;
        if (name < seen.podName) seen.podName = name;
      }
    }
    if (order.length === 0) return [];
    const lines = order.map((reason) => {
      const { podName, count } = counts.get(reason) as { podName: string; count: number };
      if (count === 1) return `${podName}: ${reason}`;
      if (count === 2) return `${podName} (and 1 other pod): ${reason}`;
      return `${podName} (and ${count - 1} other pods): ${reason}`;
    });
    lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return [
      `existing pods in namespace "${namespace}" violate the new PodSecurity enforce level "${levelVersionText(enforce)}"`,
      ...lines,
    ];
  }
}

// isSignificantPodUpdate: only a change of images, of the number of containers, or of the seccomp
// annotations (which the pod checks read) is evaluated again.
function isSignificantPodUpdate(pod: KubeObject, old: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as PodSpec;
  const oldSpec = (old.spec ?? {}) as PodSpec;
  const annotations = pod.metadata.annotations ?? {};
  const oldAnnotations = old.metadata.annotations ?? {};
  const podSeccomp = 'seccomp.security.alpha.kubernetes.io/pod';
  if (annotations[podSeccomp] !== oldAnnotations[podSeccomp]) return true;
  const lists = [
    [spec.containers ?? [], oldSpec.containers ?? []],
    [spec.initContainers ?? [], oldSpec.initContainers ?? []],
  ] as const;
  for (const [now, before] of lists) {
    if (now.length !== before.length) return true;
    if (now.some((c, i) => significantContainerChange(c, before[i], annotations, oldAnnotations)))
      return true;
  }
  for (const c of spec.ephemeralContainers ?? []) {
    const previous = (oldSpec.ephemeralContainers ?? []).find((e) => e.name === c.name);
    if (
      !previous ||
      significantContainerChange(c as Container, previous as Container, annotations, oldAnnotations)
    )
      return true;
  }
  return false;
}

function significantContainerChange(
  c: Container,
  old: Container,
  annotations: Record<string, string>,
  oldAnnotations: Record<string, string>,
): boolean {
  if (c.image !== old.image) return true;
  const key = `container.seccomp.security.alpha.kubernetes.io/${c.name}`;
  return annotations[key] !== oldAnnotations[key];
}
