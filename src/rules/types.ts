// The shapes of rule files (RuleSet documents) and of the decisions their evaluation produces.

export interface RuleSetDocument {
  apiVersion: 'kubespec.io/v1';
  kind: 'RuleSet';
  metadata: { name: string; description?: string; source?: string };
  spec: { decisionPoint: string; priority?: number; rules: RuleDocument[] };
}

export interface RuleDocument {
  name: string;
  description?: string;
  priority?: number;
  conditions: TopLevelCondition;
  event: { type: string; params?: Record<string, unknown> };
}

export type TopLevelCondition = { all: Condition[] } | { any: Condition[] } | { not: Condition };

export type Condition =
  | { all: Condition[]; priority?: number; name?: string }
  | { any: Condition[]; priority?: number; name?: string }
  | { not: Condition; priority?: number; name?: string }
  | FactCondition;

export interface FactCondition {
  fact: string;
  params?: Record<string, unknown>;
  path?: string;
  operator: string;
  value: unknown;
  priority?: number;
  name?: string;
}

export interface FactReference {
  fact: string;
  params?: Record<string, unknown>;
  path?: string;
}

/** A rule as loaded: where it came from and its place in the evaluation order. */
export interface LoadedRule {
  ruleSet: string;
  name: string;
  /** json-rules-engine priority: higher first. */
  priority: number;
  /** Position among rules of equal priority (file order), for a deterministic event order. */
  order: number;
  file: string;
  line: number;
  conditions: TopLevelCondition;
  event: { type: string; params: Record<string, unknown> };
}

export interface LoadedRuleSet {
  name: string;
  decisionPoint: string;
  description?: string;
  source?: string;
  file: string;
  line: number;
  rules: LoadedRule[];
}

/** One fired rule's event, params resolved (fact references replaced, templates expanded). */
export interface FiredEvent {
  type: string;
  params: Record<string, unknown>;
  ruleSet: string;
  rule: string;
  priority: number;
}

/** A fact value the evaluation computed. */
export interface FactValue {
  fact: string;
  params?: Record<string, unknown>;
  value: unknown;
}

export interface Decision {
  point: string;
  events: FiredEvent[];
  facts: FactValue[];
}

export type EngineKind = 'compiled' | 'json-rules-engine';
