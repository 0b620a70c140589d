// A decision point is a place where the mechanics ask the policy (rules/<name>/*.yaml) what to do.
// The mechanics define which facts a rule may use (computed in code, with Kubernetes semantics) and
// which events a rule may fire; the rule files combine them.
import type { JSONSchemaType } from 'ajv';

/** A JSON Schema fragment (ajv accepts plain objects). */
export type Schema = Record<string, unknown> | JSONSchemaType<unknown>;

export interface FactDefinition<Context> {
  description: string;
  /** JSON Schema of the `params` a rule may pass; omitted when the fact takes none. */
  params?: Schema;
  /** Must be pure: the same context and params always give the same value. */
  compute(context: Context, params: Record<string, unknown>): unknown;
}

export interface EventDefinition {
  description: string;
  /** JSON Schema of the event's params (after fact references are resolved). */
  params: Schema;
}

export interface DecisionPoint<Context = never> {
  name: string;
  askedBy: string;
  description: string;
  facts: Readonly<Record<string, FactDefinition<Context>>>;
  events: Readonly<Record<string, EventDefinition>>;
}

// The loader and evaluators only need the structural view; `any` context keeps the registry homogeneous.
// biome-ignore lint/suspicious/noExplicitAny: decision points differ only in their context type.
export type AnyDecisionPoint = DecisionPoint<any>;

export function defineDecisionPoint<Context>(point: DecisionPoint<Context>): DecisionPoint<Context> {
  return point;
}
