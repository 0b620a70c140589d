// compileOperator reproduces json-rules-engine's operators and decorators; here each is held to
// json-rules-engine's own Engine on the same inputs, then a few documented behaviours are spelled out.
import { expect } from 'chai';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { compileOperator } from '../../src/rules/operators';

const BASE = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
];
const DECORATORS = ['not', 'someFact', 'everyFact', 'someValue', 'everyValue', 'swap'];

// Strings that are numbers, substrings of each other, and lists that hold them.
const POOL: unknown[] = [0, 1, 2, -1, 1.5, '', '1', '2', '10', 'a', 'ab', true, false, null, undefined];
const VALUES: unknown[] = [...POOL, [], [1], ['1', 2], ['a', 'ab'], [[1]], { a: 1 }];

type Result = boolean | { threw: string };

// One engine per operator; the fact value and the compared value come in as runtime facts.
const engines = new Map<string, Engine>();
async function byJsonRulesEngine(operator: string, factValue: unknown, value: unknown): Promise<Result> {
  let engine = engines.get(operator);
  if (!engine) {
    engine = new Engine(
      [{ conditions: { all: [{ fact: 'f', operator, value: { fact: 'v' } }] }, event: { type: 'hit' } }],
      { allowUndefinedFacts: true },
    );
    engines.set(operator, engine);
  }
  try {
    const { events } = await engine.run({ f: factValue, v: value });
    return events.length === 1;
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

function compiled(operator: string, factValue: unknown, value: unknown): Result {
  try {
    return compileOperator(operator)(factValue, value);
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

describe('compileOperator', () => {
  it('answers as json-rules-engine for every base operator on every pair of sample values', async () => {
    for (const operator of BASE)
      for (const factValue of VALUES)
        for (const value of VALUES) {
          const where = `${JSON.stringify(factValue)} ${operator} ${JSON.stringify(value)}`;
          expect(compiled(operator, factValue, value), where).to.deep.equal(
            await byJsonRulesEngine(operator, factValue, value),
          );
        }
  });

  it('answers as json-rules-engine for decorated operators on generated values', async () => {
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(...POOL),
        fc.array(tie('value'), { maxLength: 3 }),
      ),
    }));
    const operator = fc
      .tuple(
        fc.array(fc.constantFrom(...DECORATORS), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...BASE),
      )
      .map(([decorators, base]) => [...decorators, base].join(':'));
    await fc.assert(
      fc.asyncProperty(operator, value, value, async (op, factValue, v) => {
        expect(compiled(op, factValue, v)).to.deep.equal(await byJsonRulesEngine(op, factValue, v));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  describe('json-rules-engine semantics worth knowing', () => {
    it('compares with ===: no coercion between 1 and "1"', () => {
      expect(compileOperator('equal')(1, '1')).to.equal(false);
      expect(compileOperator('notEqual')(null, undefined)).to.equal(true);
    });

    it('`in` with a string value is a substring test; with a non-list, non-string value it throws', () => {
      expect(compileOperator('in')('b', 'abc')).to.equal(true);
      expect(compileOperator('in')(1, 'x1y')).to.equal(true);
      expect(() => compileOperator('in')(1, 5)).to.throw(TypeError);
      expect(() => compileOperator('notIn')(1, null)).to.throw(TypeError);
    });

    it('`contains` is false, not an error, when the fact is not a list', () => {
      expect(compileOperator('contains')('abc', 'b')).to.equal(false);
      expect(compileOperator('doesNotContain')('abc', 'b')).to.equal(false);
      expect(compileOperator('contains')(['a', 'b'], 'b')).to.equal(true);
    });

    it('numeric operators need a fact that parseFloat reads, then compare as JavaScript does', () => {
      expect(compileOperator('greaterThan')(null, -1)).to.equal(false);
      expect(compileOperator('greaterThan')('abc', 'a')).to.equal(false);
      expect(compileOperator('lessThan')('10', 9)).to.equal(false);
      expect(compileOperator('lessThan')('10', '9')).to.equal(true);
      expect(compileOperator('lessThanInclusive')([2], 2)).to.equal(true);
    });

    it('applies decorators leftmost outermost: not:someFact:equal is "no item equals"', () => {
      expect(compileOperator('not:someFact:equal')([1, 2], 3)).to.equal(true);
      expect(compileOperator('someFact:not:equal')([3, 3], 3)).to.equal(false);
      expect(compileOperator('everyFact:greaterThan')([], 0)).to.equal(true);
      expect(compileOperator('someFact:equal')('33', '3')).to.equal(false);
    });

    it('swap: puts the value on the left, so swap:contains asks whether the value list holds the fact', () => {
      expect(compileOperator('swap:contains')('b', ['a', 'b'])).to.equal(true);
      expect(compileOperator('swap:lessThan')(1, 2)).to.equal(false);
    });

    it('someValue: and everyValue: iterate the value and throw when it is not a list', () => {
      expect(compileOperator('someValue:equal')(2, [1, 2])).to.equal(true);
      expect(compileOperator('everyValue:lessThan')(0, [1, 2])).to.equal(true);
      expect(() => compileOperator('someValue:equal')(2, 2)).to.throw(TypeError);
    });

    it('refuses unknown operators and decorators when compiling', () => {
      expect(() => compileOperator('equals')).to.throw('unknown operator equals');
      expect(() => compileOperator('anyFact:equal')).to.throw(
        'unknown operator decorator anyFact in anyFact:equal',
      );
    });
  });
});
