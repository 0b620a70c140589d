// The `admission` decision point: mutations the API server's admission plugins make to new objects that
// policy authors may want to change, starting with DefaultTolerationSeconds
// (k8s:plugin/pkg/admission/defaulttolerationseconds/admission.go).
import type { Toleration } from 'kubernetes-types/core/v1';
import { defineDecisionPoint } from '../rules/decision-point';
import type { KubeObject } from './object';

export interface AdmissionContext {
  object: KubeObject;
}

export const admission = defineDecisionPoint<AdmissionContext>({
  name: 'admission',
  askedBy: 'the API server, for every object created',
  description: 'Mutating admission: tolerations and defaults added to new objects.',
  facts: {
    kind: { description: 'The kind of the object being created, e.g. Pod.', compute: (c) => c.object.kind },
    namespace: {
      description: 'Its namespace ("" for cluster-scoped objects).',
      compute: (c) => c.object.metadata.namespace ?? '',
    },
    hasTolerationFor: {
      description:
        'Whether the pod already has a toleration covering the taint key and effect given as params {key, effect}: ' +
        "same key or empty key, and same effect or empty effect (DefaultTolerationSeconds' own test).",
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'effect'],
        properties: {
          key: { type: 'string' },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
        },
      },
      compute: (c, p) => {
        const tolerations = (c.object.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? [];
        return tolerations.some((t) => (!t.key || t.key === p.key) && (!t.effect || t.effect === p.effect));
      },
    },
  },
  events: {
    addToleration: {
      description: 'Append this toleration to the pod: {key, operator, effect, value?, tolerationSeconds?}.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'operator', 'effect'],
        properties: {
          key: { type: 'string' },
          operator: { enum: ['Exists', 'Equal'] },
          value: { type: 'string' },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
          tolerationSeconds: { type: 'integer' },
        },
      },
    },
  },
});
