// json-rules-engine's operators and operator decorators, reproduced exactly for the compiled evaluator
// (node_modules/json-rules-engine/dist/engine-default-operators.js and
// engine-default-operator-decorators.js, v7.3.1). The differential test holds the two to the same
// answers on generated inputs.

export type OperatorFn = (factValue: unknown, jsonValue: unknown) => boolean;

const numberValidator = (factValue: unknown) => Number.parseFloat(factValue as string).toString() !== 'NaN';
const always = () => true;

interface OperatorSpec {
  validator: (factValue: unknown) => boolean;
  cb: (a: unknown, b: unknown) => boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: mirrors the untyped callbacks of json-rules-engine.
type Loose = any;

const OPERATORS: Record<string, OperatorSpec> = {
  equal: { validator: always, cb: (a, b) => a === b },
  notEqual: { validator: always, cb: (a, b) => a !== b },
  in: { validator: always, cb: (a, b) => (b as Loose).indexOf(a) > -1 },
  notIn: { validator: always, cb: (a, b) => (b as Loose).indexOf(a) === -1 },
  contains: { validator: Array.isArray, cb: (a, b) => (a as Loose).indexOf(b) > -1 },
  doesNotContain: { validator: Array.isArray, cb: (a, b) => (a as Loose).indexOf(b) === -1 },
  lessThan: { validator: numberValidator, cb: (a, b) => (a as Loose) < (b as Loose) },
  lessThanInclusive: { validator: numberValidator, cb: (a, b) => (a as Loose) <= (b as Loose) },
  greaterThan: { validator: numberValidator, cb: (a, b) => (a as Loose) > (b as Loose) },
  greaterThanInclusive: { validator: numberValidator, cb: (a, b) => (a as Loose) >= (b as Loose) },
};

interface DecoratorSpec {
  validator: (factValue: unknown) => boolean;
  cb: (factValue: unknown, jsonValue: unknown, next: OperatorFn) => boolean;
}

const DECORATORS: Record<string, DecoratorSpec> = {
  someFact: { validator: Array.isArray, cb: (fv, jv, next) => (fv as unknown[]).some((f) => next(f, jv)) },
  someValue: { validator: always, cb: (fv, jv, next) => (jv as Loose).some((j: unknown) => next(fv, j)) },
  everyFact: { validator: Array.isArray, cb: (fv, jv, next) => (fv as unknown[]).every((f) => next(f, jv)) },
  everyValue: { validator: always, cb: (fv, jv, next) => (jv as Loose).every((j: unknown) => next(fv, j)) },
  swap: { validator: always, cb: (fv, jv, next) => next(jv, fv) },
  not: { validator: always, cb: (fv, jv, next) => !next(fv, jv) },
};

/** Builds `not:someFact:equal` as json-rules-engine's OperatorMap.get does: the leftmost decorator outermost. */
export function compileOperator(name: string): OperatorFn {
  const parts = name.split(':');
  const base = OPERATORS[parts[parts.length - 1]];
  if (!base) throw new Error(`unknown operator ${name}`);
  let fn: OperatorFn = (a, b) => base.validator(a) && base.cb(a, b);
  for (let i = parts.length - 2; i >= 0; i--) {
    const decorator = DECORATORS[parts[i]];
    if (!decorator) throw new Error(`unknown operator decorator ${parts[i]} in ${name}`);
    const next = fn;
    fn = (a, b) => decorator.validator(a) && decorator.cb(a, b, next);
  }
  return fn;
}
