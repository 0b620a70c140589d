// One benchmark job: a workload under one variant of the scheduling path, measured in its own process
// (so peak memory is the job's own). Run as `node -r ts-node/register/transpile-only bench/job.ts '<json>'`;
// prints the result as one JSON line.
import { Cluster, type ClusterOptions } from '../src/cluster';
import { typescriptBaseline } from './baseline-policy';
import { type WorkloadKind, workload } from './workloads';

export type Variant =
  | 'rules'
  | 'typescript'
  | 'rules-per-pair'
  | 'typescript-per-pair'
  | 'json-rules-engine'
  | 'json-rules-engine-per-pair'
  | 'rules-all-nodes';

export const VARIANTS: Record<Variant, string> = {
  rules: 'rules/ (compiled), once per class, percentageOfNodesToScore adaptive — the default',
  typescript: 'the same policy in TypeScript (no rules engine), once per class',
  'rules-per-pair': 'rules/ (compiled), evaluated per (pod, node) pair',
  'typescript-per-pair': 'the policy in TypeScript, evaluated per (pod, node) pair',
  'json-rules-engine': 'rules/ on json-rules-engine itself, once per class',
  'json-rules-engine-per-pair': 'rules/ on json-rules-engine itself, per (pod, node) pair',
  'rules-all-nodes': 'rules/ (compiled), once per class, every node scored (percentageOfNodesToScore 100)',
};

export interface JobSpec {
  kind: WorkloadKind;
  nodes: number;
  initPods: number;
  measuredPods: number;
  variant: Variant;
}

export interface JobResult extends JobSpec {
  workload: string;
  source: string;
  /** Measured phase: creating the measured pods through the API, then reconciling until all are bound. */
  seconds: number;
  podsPerSecond: number;
  /** Wall-clock duration of each scheduling attempt of a measured pod. */
  attemptMsP50: number;
  attemptMsP99: number;
  /** Measured seconds divided by measured pods. */
  msPerPod: number;
  boundMeasuredPods: number;
  ruleEvaluations: number;
  setupSeconds: number;
  peakRssMiB: number;
}

export function clusterOptions(variant: Variant, observe: (pod: string, ms: number) => void): ClusterOptions {
  const options: ClusterOptions = {
    trace: false,
    clusterCIDR: '10.128.0.0/9',
    observeSchedulingAttempt: observe,
  };
  if (variant.startsWith('typescript')) options.evaluators = typescriptBaseline();
  if (variant.startsWith('json-rules-engine')) options.engine = 'json-rules-engine';
  if (variant.endsWith('per-pair')) options.cacheByClass = false;
  if (variant === 'rules-all-nodes') options.percentageOfNodesToScore = 100;
  return options;
}

export async function runJob(spec: JobSpec): Promise<JobResult> {
  const w = workload(spec.kind, spec.nodes, spec.initPods, spec.measuredPods);
  const measured = new Set<string>();
  const attempts: number[] = [];
  const cluster = await Cluster.create(
    clusterOptions(spec.variant, (pod, ms) => {
      if (measured.has(pod)) attempts.push(ms);
    }),
  );
  const setupStart = performance.now();
  for (const obj of w.setup ?? []) await cluster.create(structuredClone(obj));
  for (let i = 0; i < w.nodes; i++) await cluster.create(w.node(i));
  for (let i = 0; i < w.initPods; i++) await cluster.create(w.initPod(i));
  await cluster.reconcile();
  const setupSeconds = (performance.now() - setupStart) / 1000;

  const start = performance.now();
  const schedulable: string[] = [];
  for (let i = 0; schedulable.length < w.measuredPods; i++) {
    const { pod, unschedulable } = w.measuredPod(i);
    const created = await cluster.create(pod);
    if (unschedulable) continue;
    const key = `${created.metadata.namespace}/${created.metadata.name}`;
    measured.add(key);
    schedulable.push(key);
  }
  await cluster.reconcile();
  const seconds = (performance.now() - start) / 1000;

  const bound = schedulable.filter((key) => {
    const [ns, name] = key.split('/');
    return Boolean((cluster.get('Pod', ns, name)?.spec as { nodeName?: string } | undefined)?.nodeName);
  }).length;
  attempts.sort((a, b) => a - b);
  const quantile = (q: number) =>
    attempts[Math.min(attempts.length - 1, Math.floor(q * attempts.length))] ?? 0;
  return {
    ...spec,
    workload: w.name,
    source: w.source,
    seconds,
    podsPerSecond: w.measuredPods / seconds,
    attemptMsP50: quantile(0.5),
    attemptMsP99: quantile(0.99),
    msPerPod: (seconds * 1000) / w.measuredPods,
    boundMeasuredPods: bound,
    ruleEvaluations: cluster.schedulingRuleEvaluations(),
    setupSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

if (require.main === module) {
  runJob(JSON.parse(process.argv[2]) as JobSpec).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
