// The feature suite's own figures: how long a scenario takes, and how long it takes from typing the command
// to the first scenario running (cold start). Both come from Cucumber's message stream, whose timestamps
// are wall-clock times.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

export interface SuiteFigures {
  scenarios: number;
  scenarioMsP50: number;
  scenarioMsP90: number;
  scenarioMsMax: number;
  /**
   * A small scenario: the median over the small example feature's scenarios (features/dedicated-nodes.feature,
   * two nodes and a pod each), in the full run; one scenario alone is a few milliseconds and too noisy.
   */
  smallScenarioMs: number;
  /** Of that, its steps: the simulation, without the hook that renders the report's attachments. */
  smallScenarioStepsMs: number;
  coldStartSeconds: number;
  suiteSeconds: number;
}

interface Timestamp {
  seconds: number;
  nanos: number;
}
const ms = (t: Timestamp) => t.seconds * 1000 + t.nanos / 1e6;

/** Runs cucumber-js with the message formatter; returns the messages and the spawn time. */
async function runCucumber(
  args: string[],
): Promise<{ messages: Record<string, unknown>[]; spawnedAt: number; ended: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kubespec-bench-'));
  const file = join(dir, 'messages.ndjson');
  const spawnedAt = Date.now();
  await new Promise<void>((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber-js'),
        '--profile',
        'test',
        '--format',
        `message:${file}`,
        ...args,
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`cucumber-js exited with ${code}`))));
  });
  const ended = Date.now();
  const messages = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  rmSync(dir, { recursive: true, force: true });
  return { messages, spawnedAt, ended };
}

/**
 * Per scenario, in milliseconds: the whole (every step and hook) and its steps alone (the simulation, without the
 * hook that renders the report's attachments). Both are sums of Cucumber's high-resolution step durations: its
 * timestamps only have milliseconds, too coarse for scenarios of a few.
 */
function scenarioDurations(messages: Record<string, unknown>[]): {
  durations: number[];
  byName: Map<string, number>;
  stepsByName: Map<string, number>;
} {
  const caseOfStart = new Map<string, string>();
  const caseToPickle = new Map<string, string>();
  const pickleNames = new Map<string, string>();
  const pickleSteps = new Set<string>();
  const allMs = new Map<string, number>();
  const stepsMs = new Map<string, number>();
  const add = (m: Map<string, number>, key: string, value: number) => m.set(key, (m.get(key) ?? 0) + value);
  const durations: number[] = [];
  const byName = new Map<string, number>();
  const stepsByName = new Map<string, number>();
  for (const m of messages) {
    if (m.pickle) {
      const p = m.pickle as { id: string; name: string; uri: string };
      pickleNames.set(p.id, `${p.uri}: ${p.name}`);
    } else if (m.testCase) {
      const t = m.testCase as {
        id: string;
        pickleId: string;
        testSteps: { id: string; pickleStepId?: string }[];
      };
      caseToPickle.set(t.id, t.pickleId);
      for (const step of t.testSteps) if (step.pickleStepId) pickleSteps.add(step.id);
    } else if (m.testCaseStarted) {
      const t = m.testCaseStarted as { id: string; testCaseId: string };
      caseOfStart.set(t.id, t.testCaseId);
    } else if (m.testStepFinished) {
      const t = m.testStepFinished as {
        testCaseStartedId: string;
        testStepId: string;
        testStepResult: { duration: Timestamp };
      };
      const duration = ms(t.testStepResult.duration);
      add(allMs, t.testCaseStartedId, duration);
      if (pickleSteps.has(t.testStepId)) add(stepsMs, t.testCaseStartedId, duration);
    } else if (m.testCaseFinished) {
      const t = m.testCaseFinished as { testCaseStartedId: string };
      const testCase = caseOfStart.get(t.testCaseStartedId);
      if (testCase === undefined) continue;
      const duration = allMs.get(t.testCaseStartedId) ?? 0;
      durations.push(duration);
      const name = pickleNames.get(caseToPickle.get(testCase) ?? '') ?? '';
      byName.set(name, duration);
      stepsByName.set(name, stepsMs.get(t.testCaseStartedId) ?? 0);
    }
  }
  return { durations: durations.sort((a, b) => a - b), byName, stepsByName };
}

export const SMALL_FEATURE = 'features/dedicated-nodes.feature';

/** `smoke`: only the small feature, for the benchmark's own test. */
export async function suiteFigures(smoke = false): Promise<SuiteFigures> {
  // Cold start: one small feature file, from spawning the command to its first scenario starting.
  const small = await runCucumber([SMALL_FEATURE]);
  const firstStart = small.messages.find((m) => m.testCaseStarted)?.testCaseStarted as {
    timestamp: Timestamp;
  };
  const coldStartSeconds = (ms(firstStart.timestamp) - small.spawnedAt) / 1000;

  const all = smoke ? small : await runCucumber([]);
  const { durations, byName, stepsByName } = scenarioDurations(all.messages);
  const q = (p: number) => durations[Math.min(durations.length - 1, Math.floor(p * durations.length))] ?? 0;
  const smallMedian = (m: Map<string, number>) => {
    const values = [...m.entries()].filter(([name]) => name.startsWith(SMALL_FEATURE)).map(([, v]) => v);
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  return {
    scenarios: durations.length,
    scenarioMsP50: q(0.5),
    scenarioMsP90: q(0.9),
    scenarioMsMax: durations[durations.length - 1] ?? 0,
    smallScenarioMs: smallMedian(byName),
    smallScenarioStepsMs: smallMedian(stepsByName),
    coldStartSeconds,
    suiteSeconds: (all.ended - all.spawnedAt) / 1000,
  };
}
