// compilePath resolves the rule schema's paths ($.a.b, $.list[0]) as json-rules-engine's Almanac does
// (jsonpath-plus, wrap: false; no path at all on a value that is not an object).
import { expect } from 'chai';
import fc from 'fast-check';
import { Almanac } from 'json-rules-engine';
import { compilePath } from '../../src/rules/paths';

const PATHS = [
  '$',
  '$.a',
  '$.a.b',
  '$.a.b.c',
  '$.list[0]',
  '$.list[1]',
  '$[0]',
  '$[0][1]',
  '$.length',
  '$.a.length',
  '$.a[0]',
];

async function byAlmanac(value: unknown, path: string): Promise<unknown> {
  const almanac = new Almanac();
  almanac.addFact('v', () => value);
  return almanac.factValue('v', {}, path);
}

const resolve = (path: string, value: unknown) => (compilePath(path) as (v: unknown) => unknown)(value);

describe('compilePath', () => {
  it('gives no resolver for a missing or empty path: the fact value is used whole', () => {
    expect(compilePath(undefined)).to.equal(undefined);
    expect(compilePath('')).to.equal(undefined);
  });

  it('resolves as the json-rules-engine Almanac on generated values', async () => {
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom<unknown>(0, 1, '', 'ab', true, false, null, undefined),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'list', 'length', '0', '1'), tie('value'), {
          maxKeys: 3,
        }),
      ),
    }));
    await fc.assert(
      fc.asyncProperty(value, fc.constantFrom(...PATHS), async (v, path) => {
        expect(resolve(path, v), `${path} of ${JSON.stringify(v)}`).to.deep.equal(await byAlmanac(v, path));
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  describe('cases', () => {
    const cases: { path: string; value: unknown; want: unknown; why: string }[] = [
      { path: '$.a.b', value: { a: { b: 2 } }, want: 2, why: 'nested field' },
      { path: '$.list[1]', value: { list: ['x', 'y'] }, want: 'y', why: 'list index' },
      { path: '$.a', value: { b: 1 }, want: undefined, why: 'missing field' },
      { path: '$.a.b', value: { a: null }, want: undefined, why: 'through null' },
      { path: '$.length', value: [1, 2, 3], want: 3, why: "a list's own length" },
      { path: '$.a.length', value: { a: 'abc' }, want: 3, why: "a string's own length" },
      { path: '$.a.length', value: { a: '' }, want: undefined, why: 'jsonpath-plus stops at a falsy value' },
      { path: '$.a.b', value: { a: 0 }, want: undefined, why: 'nor does 0 have fields' },
      { path: '$[0]', value: { 0: 'key zero' }, want: 'key zero', why: 'an index names an object key too' },
      { path: '$.a', value: 5, want: 5, why: 'a value that is not an object is used whole' },
      { path: '$.a', value: 'text', want: 'text', why: 'strings too' },
      { path: '$', value: { a: 1 }, want: { a: 1 }, why: 'the root' },
      { path: '$.toString', value: {}, want: undefined, why: 'own properties only' },
    ];
    for (const c of cases) {
      it(`${c.path} of ${JSON.stringify(c.value)} is ${JSON.stringify(c.want)}: ${c.why}`, async () => {
        expect(resolve(c.path, c.value)).to.deep.equal(c.want);
        expect(await byAlmanac(c.value, c.path)).to.deep.equal(c.want);
      });
    }
  });
});
