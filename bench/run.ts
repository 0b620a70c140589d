// `npm run bench`: the scheduling benchmark (workloads after kube-scheduler's scheduler_perf), the same
// policy written in TypeScript as a baseline in the same run, a scaling series, an ablation of the design's
// steps, the feature suite's own timings and an end-to-end `kubespec simulate`. Prints a table and writes
// JSON to reports/bench/ so runs can be compared. `--smoke` runs everything tiny and in-process (npm test
// does, so the benchmark cannot rot); `--only TEXT` keeps the jobs whose name contains TEXT.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { type EndToEndFigures, endToEnd } from './end-to-end';
import { type JobResult, type JobSpec, runJob, VARIANTS, type Variant } from './job';
import { SMALL_FEATURE, type SuiteFigures, suiteFigures } from './suite';
import type { WorkloadKind } from './workloads';

const ROOT = resolve(__dirname, '..');

export interface BenchOptions {
  smoke: boolean;
  only?: string;
  suite: boolean;
  endToEnd: boolean;
  /** Where to write the JSON report; undefined: do not write. */
  outDir?: string;
  progress: boolean;
}

interface Plan {
  group: 'workloads' | 'scaling' | 'ablation';
  spec: JobSpec;
}

function plan(smoke: boolean): Plan[] {
  const size = (n: number) => (smoke ? Math.max(5, Math.round(n / 100)) : n);
  const jobs: Plan[] = [];
  const main: [WorkloadKind, number, number, number][] = [
    ['basic', 5000, 1000, 10000],
    ['node-affinity', 5000, 5000, 10000],
    ['taints', 5000, 1000, 10000],
    ['unschedulable', 5000, 100, 10000],
  ];
  for (const [kind, nodes, init, measured] of main) {
    for (const variant of ['rules', 'typescript'] as Variant[]) {
      jobs.push({
        group: 'workloads',
        spec: { kind, nodes: size(nodes), initPods: size(init), measuredPods: size(measured), variant },
      });
    }
  }
  for (const nodes of [500, 1000, 2000, 5000, 10000]) {
    jobs.push({
      group: 'scaling',
      spec: {
        kind: 'basic',
        nodes: size(nodes),
        initPods: size(nodes / 5),
        measuredPods: size(5000),
        variant: 'rules',
      },
    });
  }
  const ablation: Variant[] = [
    'rules',
    'typescript',
    'rules-per-pair',
    'typescript-per-pair',
    'json-rules-engine',
    'rules-all-nodes',
  ];
  for (const variant of ablation) {
    jobs.push({
      group: 'ablation',
      spec: { kind: 'basic', nodes: size(5000), initPods: size(1000), measuredPods: size(2000), variant },
    });
  }
  // json-rules-engine per pair costs about a millisecond a node: a hundred pods show it.
  jobs.push({
    group: 'ablation',
    spec: {
      kind: 'basic',
      nodes: size(5000),
      initPods: size(100),
      measuredPods: size(100),
      variant: 'json-rules-engine-per-pair',
    },
  });
  return jobs;
}

const jobName = (s: JobSpec) => `${s.kind} ${s.nodes} nodes ${s.measuredPods} pods [${s.variant}]`;

function runInChild(spec: JobSpec): Promise<JobResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=4096',
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, 'job.ts'),
        JSON.stringify(spec),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0
        ? done(JSON.parse(out) as JobResult)
        : fail(new Error(`${jobName(spec)}: exited with ${code}`)),
    );
  });
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; model: string; memoryGiB: number; node: string };
  smoke: boolean;
  jobs: (JobResult & { group: string; variantDescription: string })[];
  /** Rules-path cost as a ratio to the TypeScript baseline (baseline pods/s ÷ rules pods/s), per workload. */
  baselineRatios: { workload: string; ratio: number }[];
  /** How the cost per pod grows with cluster size: ms per pod per 1000 more nodes, between series points. */
  scalingSlopes: { fromNodes: number; toNodes: number; msPerPodPer1000Nodes: number }[];
  suite?: SuiteFigures;
  endToEnd?: EndToEndFigures;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const jobs = plan(options.smoke).filter((j) => !options.only || jobName(j.spec).includes(options.only));
  const steps = jobs.length + (options.suite ? 1 : 0) + (options.endToEnd ? 1 : 0);
  const bar = options.progress
    ? new SingleBar(
        { format: ' {bar} {value}/{total} {job}', clearOnComplete: true, hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(steps, 0, { job: '' });
  const results: BenchReport['jobs'] = [];
  for (const job of jobs) {
    bar?.update({ job: jobName(job.spec) });
    const result = options.smoke ? await runJob(job.spec) : await runInChild(job.spec);
    results.push({ ...result, group: job.group, variantDescription: VARIANTS[job.spec.variant] });
    bar?.increment();
  }
  let suite: SuiteFigures | undefined;
  if (options.suite) {
    bar?.update({ job: 'feature suite' });
    suite = await suiteFigures(options.smoke);
    bar?.increment();
  }
  let e2e: EndToEndFigures | undefined;
  if (options.endToEnd) {
    bar?.update({ job: 'kubespec simulate end to end' });
    e2e = options.smoke ? await endToEnd(20, 5, 40) : await endToEnd(5000, 1000, 10000);
    bar?.increment();
  }
  bar?.stop();

  const main = results.filter((r) => r.group === 'workloads');
  const baselineRatios = [...new Set(main.map((r) => r.workload))].flatMap((w) => {
    const rules = main.find((r) => r.workload === w && r.variant === 'rules');
    const ts = main.find((r) => r.workload === w && r.variant === 'typescript');
    return rules && ts ? [{ workload: w, ratio: ts.podsPerSecond / rules.podsPerSecond }] : [];
  });
  const series = results.filter((r) => r.group === 'scaling').sort((a, b) => a.nodes - b.nodes);
  const scalingSlopes = series.slice(1).map((r, i) => ({
    fromNodes: series[i].nodes,
    toNodes: r.nodes,
    msPerPodPer1000Nodes: ((r.msPerPod - series[i].msPerPod) / (r.nodes - series[i].nodes)) * 1000,
  }));
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '',
      memoryGiB: totalmem() / 2 ** 30,
      node: process.version,
    },
    smoke: options.smoke,
    jobs: results,
    baselineRatios,
    scalingSlopes,
    suite,
    endToEnd: e2e,
  };
  if (options.outDir) {
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(
      join(options.outDir, `bench-${report.date.replace(/[:.]/g, '-')}.json`),
      `${JSON.stringify(report, null, 2)}\n`,
    );
  }
  return report;
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

export function formatReport(r: BenchReport): string {
  const lines: string[] = [];
  const table = (rows: string[][]) => {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    for (const row of rows)
      lines.push(
        row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
      );
  };
  lines.push(
    `kubespec benchmark — ${r.date} — ${r.machine.cpus} × ${r.machine.model}, ${fixed(r.machine.memoryGiB)} GiB, Node ${r.machine.node}${r.smoke ? ' — SMOKE (tiny sizes)' : ''}`,
  );
  for (const group of ['workloads', 'scaling', 'ablation']) {
    const rows = r.jobs.filter((j) => j.group === group);
    if (rows.length === 0) continue;
    lines.push(
      '',
      group === 'workloads'
        ? 'Workloads (measured pods only)'
        : group === 'scaling'
          ? 'Scaling series (SchedulingBasic, 5000 measured pods)'
          : 'Ablation: what each step buys (SchedulingBasic)',
    );
    table([
      [
        'workload',
        'variant',
        'pods/s',
        'ms/pod',
        'attempt p50 ms',
        'attempt p99 ms',
        'rule evals',
        'peak MiB',
        'bound',
      ],
      ...rows.map((j) => [
        j.workload,
        j.variant,
        fixed(j.podsPerSecond),
        fixed(j.msPerPod, 3),
        fixed(j.attemptMsP50, 3),
        fixed(j.attemptMsP99, 3),
        String(j.ruleEvaluations),
        fixed(j.peakRssMiB),
        `${j.boundMeasuredPods}/${j.measuredPods}`,
      ]),
    ]);
  }
  if (r.baselineRatios.length > 0) {
    lines.push(
      '',
      'Rules path vs TypeScript baseline (cost ratio = baseline pods/s ÷ rules pods/s; goal ≤ 1.5)',
    );
    table([['workload', 'ratio'], ...r.baselineRatios.map((b) => [b.workload, fixed(b.ratio, 2)])]);
  }
  if (r.scalingSlopes.length > 0) {
    lines.push('', 'Cost growth with cluster size (ms per pod per 1000 more nodes)');
    table([
      ['nodes', 'slope'],
      ...r.scalingSlopes.map((s) => [`${s.fromNodes} → ${s.toNodes}`, fixed(s.msPerPodPer1000Nodes, 4)]),
    ]);
  }
  if (r.suite) {
    const s = r.suite;
    lines.push(
      '',
      `Feature suite: ${s.scenarios} scenarios in ${fixed(s.suiteSeconds, 1)} s; per scenario p50 ${fixed(s.scenarioMsP50, 1)} ms, p90 ${fixed(s.scenarioMsP90, 1)} ms, max ${fixed(s.scenarioMsMax, 1)} ms`,
      `  small scenario (median of ${SMALL_FEATURE}): ${fixed(s.smallScenarioStepsMs, 2)} ms of simulation (goal < 5 ms), ${fixed(s.smallScenarioMs, 2)} ms with its report attachments; cold start, command to first scenario: ${fixed(s.coldStartSeconds, 2)} s (goal < 3 s)`,
    );
  }
  if (r.endToEnd) {
    const e = r.endToEnd;
    lines.push(
      '',
      `kubespec simulate -o json, ${e.nodes} nodes and ${e.pods} pods in one ${fixed(e.inputMiB, 1)} MiB file: ${fixed(e.seconds, 2)} s, ${fixed(e.podsPerSecond)} pods/s (goal ≥ 1000), output ${fixed(e.outputMiB)} MiB${e.peakRssMiB !== undefined ? `, peak ${fixed(e.peakRssMiB)} MiB resident (goal < 1024)` : ''}`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const onlyAt = args.indexOf('--only');
  runBench({
    smoke,
    only: onlyAt >= 0 ? args[onlyAt + 1] : undefined,
    suite: !args.includes('--no-suite'),
    endToEnd: !args.includes('--no-end-to-end'),
    outDir: join(ROOT, 'reports', 'bench'),
    progress: process.stderr.isTTY === true,
  }).then(
    (report) => process.stdout.write(`${formatReport(report)}\n`),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
