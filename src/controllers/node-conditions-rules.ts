// The `node.conditions` decision point: how the node lifecycle controller reads a node's conditions
// (k8s:pkg/controller/nodelifecycle/node_lifecycle_controller.go): which taints each condition brings
// (nodeConditionToTaintKeyStatusMap for NoSchedule, the taint-based eviction templates for NoExecute) and how long
// a node may stay silent before its conditions turn Unknown (--node-monitor-grace-period).

import { DURATION_SCHEMA } from '../node/restart-rules';
import { defineDecisionPoint } from '../rules/decision-point';
import type { KubernetesVersion } from '../sim/version';

export interface NodeConditionsContext {
  nodeName: string;
  labels: Readonly<Record<string, string>>;
  /** Condition type → status (True, False, Unknown). */
  conditions: Readonly<Record<string, string>>;
  version: KubernetesVersion;
}

export const nodeConditions = defineDecisionPoint<NodeConditionsContext>({
  name: 'node.conditions',
  askedBy: 'the node lifecycle controller, for each node whose conditions change or that stops responding',
  description:
    "The taints a node's conditions bring, and the node monitor grace period. `taint {key, effect}`: the node should " +
    "carry this taint; NoSchedule taints follow the conditions at once, NoExecute taints are added at the controller's " +
    'eviction rate (0.1 node per second per zone, none while a whole zone or every zone is down) and removed when the ' +
    'node is Ready again. `monitorGracePeriod {duration}`: a node that has not renewed its lease for that long has its ' +
    'conditions set to Unknown.',
  facts: {
    nodeName: { description: "The node's name.", compute: (c) => c.nodeName },
    nodeLabel: {
      description:
        "The value of the node's label given as params {key}, or null when the node has no such label.",
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key'],
        properties: { key: { type: 'string' } },
      },
      compute: (c, p) => c.labels[p.key as string] ?? null,
    },
    condition: {
      description:
        'The status (True, False or Unknown) of the condition given as params {type}, or null when the node has none.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: { type: { type: 'string' } },
      },
      compute: (c, p) => c.conditions[p.type as string] ?? null,
    },
    kubernetesVersion: {
      description: 'The simulated cluster version: {major, minor}, e.g. {major: 1, minor: 35}.',
      compute: (c) => ({ major: c.version.major, minor: c.version.minor }),
    },
  },
  events: {
    taint: {
      description: 'The node should carry this taint (value empty).',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'effect'],
        properties: { key: { type: 'string' }, effect: { enum: ['NoSchedule', 'NoExecute'] } },
      },
    },
    monitorGracePeriod: {
      description: 'How long a node may go without renewing its lease before its conditions turn Unknown.',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['duration'],
        properties: { duration: DURATION_SCHEMA },
      },
    },
  },
});
