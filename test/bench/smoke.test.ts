// The benchmark runs in npm test at tiny sizes, so that it cannot rot: every job must schedule all its
// measured pods and every figure must come out.
import { expect } from 'chai';
import { formatReport, runBench } from '../../bench/run';

describe('npm run bench (smoke)', function () {
  this.timeout(120_000);

  it('runs every workload, variant, the suite figures and the end-to-end simulate at tiny sizes', async () => {
    const report = await runBench({ smoke: true, suite: true, endToEnd: true, progress: false });
    expect(report.jobs.map((j) => j.group)).to.include.members(['workloads', 'scaling', 'ablation']);
    for (const job of report.jobs) {
      expect(job.boundMeasuredPods, `${job.workload} [${job.variant}]`).to.equal(job.measuredPods);
      expect(job.podsPerSecond).to.be.greaterThan(0);
      expect(job.attemptMsP99).to.be.at.least(job.attemptMsP50);
    }
    expect(report.baselineRatios).to.have.length(4);
    expect(report.scalingSlopes).to.have.length(4);
    expect(report.suite?.scenarios).to.be.greaterThan(0);
    expect(report.suite?.coldStartSeconds).to.be.greaterThan(0);
    // The small scenario's steps are part of it, and its report hook takes some time of its own.
    expect(report.suite?.smallScenarioStepsMs).to.be.greaterThan(0);
    expect(report.suite?.smallScenarioStepsMs).to.be.lessThan(report.suite?.smallScenarioMs ?? 0);
    expect(report.endToEnd?.pods).to.equal(45);
    expect(report.endToEnd?.podsPerSecond).to.be.greaterThan(0);
    const text = formatReport(report);
    expect(text).to.include('Rules path vs TypeScript baseline');
    expect(text).to.include('kubespec simulate -o json');
  });
});
