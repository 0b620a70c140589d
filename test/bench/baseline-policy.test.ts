// The benchmark's TypeScript baseline must be the shipped policy, or the ratio it reports means nothing:
// on generated pods and nodes it must give the rules' answers, filter and score alike.
import { expect } from 'chai';
import fc from 'fast-check';
import { typescriptBaseline } from '../../bench/baseline-policy';
import { DECISION_POINTS } from '../../src/decision-points';
import { Policy } from '../../src/rules/policy';
import type { Decision } from '../../src/rules/types';
import { schedulingContext } from '../support/scheduling-contexts';

const policy = Policy.load(DECISION_POINTS);
const baseline = typescriptBaseline();

/** What the scheduler takes from a filter decision: the first rejecting plugin, its code and reasons. */
function filterAnswer(d: Decision) {
  const rejects = d.events.filter((e) => e.type === 'reject');
  if (rejects.length === 0) return null;
  const plugin = rejects[0].params.plugin;
  const mine = rejects.filter((e) => e.params.plugin === plugin);
  return {
    plugin,
    code: rejects[0].params.code,
    reasons: mine.flatMap((e) => (Array.isArray(e.params.reason) ? e.params.reason : [e.params.reason])),
  };
}

/** What the scheduler takes from a score decision: per plugin its value, weight and normalisation. */
function scoreAnswer(d: Decision) {
  return d.events
    .filter((e) => e.type === 'score')
    .map((e) => ({
      plugin: e.params.plugin,
      weight: e.params.weight,
      normalize: e.params.normalize ?? 'none',
      value: e.params.value,
    }))
    .sort((a, b) => String(a.plugin).localeCompare(String(b.plugin)));
}

describe('the TypeScript baseline of the benchmark', () => {
  it('filters as the shipped scheduling.filter rules do', async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(schedulingContext, async (context) => {
        const rules = filterAnswer(await policy.evaluator('scheduling.filter').evaluate(context));
        const typescript = filterAnswer(await baseline['scheduling.filter'].evaluate(context));
        expect(typescript).to.deep.equal(rules);
        if (rules) rejected += 1;
      }),
      { numRuns: 400 },
    );
    // The generated contexts must exercise rejections, or the comparison proves little.
    expect(rejected).to.be.greaterThan(100);
  });

  it('scores as the shipped scheduling.score rules do', async () => {
    await fc.assert(
      fc.asyncProperty(schedulingContext, async (context) => {
        const rules = scoreAnswer(await policy.evaluator('scheduling.score').evaluate(context));
        const typescript = scoreAnswer(await baseline['scheduling.score'].evaluate(context));
        expect(typescript).to.deep.equal(rules);
      }),
      { numRuns: 300 },
    );
  });
});
