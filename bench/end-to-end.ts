// End to end: the SchedulingBasic cluster (5000 nodes, 1000 + 10000 pods) written as one YAML file and
// given to `kubespec simulate -o json`, timed as a whole process: reading, validation, scheduling, output.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dump } from 'js-yaml';
import { schedulingBasic } from './workloads';

const ROOT = resolve(__dirname, '..');

export interface EndToEndFigures {
  nodes: number;
  pods: number;
  inputMiB: number;
  outputMiB: number;
  seconds: number;
  podsPerSecond: number;
  /** Peak resident memory of the kubespec process, when GNU time is there to measure it. */
  peakRssMiB?: number;
}

export function writeManifest(nodes: number, initPods: number, measuredPods: number, file: string): number {
  const w = schedulingBasic(nodes, initPods, measuredPods);
  const docs: string[] = [];
  for (let i = 0; i < nodes; i++) docs.push(dump(w.node(i)));
  for (let i = 0; i < initPods; i++) docs.push(dump(w.initPod(i)));
  for (let i = 0; i < measuredPods; i++) docs.push(dump(w.measuredPod(i).pod));
  writeFileSync(file, docs.join('---\n'));
  return initPods + measuredPods;
}

export async function endToEnd(
  nodes: number,
  initPods: number,
  measuredPods: number,
): Promise<EndToEndFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'kubespec-e2e-'));
  const input = join(dir, 'cluster.yaml');
  const output = join(dir, 'out.json');
  const rssFile = join(dir, 'rss');
  const pods = writeManifest(nodes, initPods, measuredPods, input);
  const kubespec = [
    join(ROOT, 'bin/kubespec.js'),
    'simulate',
    input,
    '-o',
    'json',
    '--cluster-cidr',
    '10.128.0.0/9',
  ];
  const gnuTime = existsSync('/usr/bin/time');
  const [command, args] = gnuTime
    ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, ...kubespec]]
    : [process.execPath, kubespec];
  const out = openSync(output, 'w');
  const started = performance.now();
  await new Promise<void>((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', out, 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`kubespec simulate exited with ${code}`)),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  closeSync(out);
  const size = (file: string) => readFileSync(file).length / 1048576;
  const figures: EndToEndFigures = {
    nodes,
    pods,
    inputMiB: size(input),
    outputMiB: size(output),
    seconds,
    podsPerSecond: pods / seconds,
    peakRssMiB: gnuTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : undefined,
  };
  rmSync(dir, { recursive: true, force: true });
  return figures;
}
