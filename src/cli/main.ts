// The kubespec command line: the same Cluster facade as the scenarios, for trying manifests and policies
// without writing Gherkin. Commands only parse arguments, call the facade and print.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { DECISION_POINTS } from '../decision-points';
import { DEFAULT_KUBERNETES_VERSION, OLDEST_SUPPORTED_MINOR } from '../sim/version';
import { userErrorLines } from './errors';
import { explainPod, parsePodReference } from './explain';
import { readManifestFiles } from './manifest-files';
import { addSimulationOptions, type SimulationOptions } from './options';
import { checkRuleDirectories, describeDecisionPoints } from './rules';
import { OUTPUT_FORMATS, type OutputFormat, renderList, simulate } from './simulate';

/** Exit code of a crash (a bug in kubespec), as opposed to 1 for a refused input. */
const INTERNAL_ERROR = 2;

const EXAMPLES = `
Examples:
  # Apply the manifests, let the cluster reconcile and print every object as kubectl get -o yaml would
  kubespec simulate nodes.yaml pods.yaml

  # Five simulated minutes later, as JSON, with an alternative scoring policy layered over the shipped rules
  kubespec simulate cluster.yaml --for 5m --rules ./bin-packing -o json

  # Why did pod web land where it did (or stay pending)?
  kubespec explain pod/web cluster.yaml

  # Check rule files, and list what rules may use
  kubespec rules check ./my-rules
  kubespec rules describe scheduling.filter
`;

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const fail = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `kubespec simulate … | head` closes the pipe early; that is not an error.
    if (error.code !== 'EPIPE') throw error;
  });
  const program = buildProgram(fail);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help or version) already.
      fail(error.exitCode);
    } else {
      const lines = userErrorLines(error);
      if (lines) {
        for (const line of lines) process.stderr.write(`${line}\n`);
        fail(1);
      } else {
        process.stderr.write(`kubespec: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
        fail(INTERNAL_ERROR);
      }
    }
  }
  return exitCode;
}

function buildProgram(fail: (code: number) => void): Command {
  const program = new Command('kubespec')
    .description('Simulate a Kubernetes cluster from manifests, with its behaviour written as rule files.')
    .version(
      versionText(),
      '-V, --version',
      "print kubespec's version and the Kubernetes version it simulates",
    )
    .exitOverride()
    .addHelpText('after', EXAMPLES);

  addSimulationOptions(
    program
      .command('simulate')
      .summary('apply manifests, let the cluster run, print every object')
      .description(
        'Apply the manifest files (each all or nothing, in order), reconcile, let --for pass, reconcile, and ' +
          'print every object, events included, as `kubectl get -o yaml|json` prints a List.',
      )
      .argument('<file...>', 'manifest files or directories (.yaml, .yml, .json); - reads standard input')
      .addOption(outputOption()),
  ).action(async (files: string[], options: SimulationOptions & { output: OutputFormat }) => {
    const cluster = await simulate(readManifestFiles(files, readStdin), options, false);
    process.stdout.write(renderList(cluster.allObjects(), options.output));
  });

  addSimulationOptions(
    program
      .command('explain')
      .summary('tell why a pod landed where it did, or did not')
      .description(
        'Simulate as `simulate` does, then tell what was decided about a pod: each scheduling attempt node by ' +
          'node (the rejecting plugin and rule, the reasons, the facts the rules saw, the scores) and the ' +
          'other rule decisions about it (admission, taint eviction).',
      )
      .argument('<pod>', 'pod/NAME or pod/NAMESPACE/NAME')
      .argument('<file...>', 'manifest files or directories; - reads standard input')
      .option('-n, --namespace <namespace>', 'the namespace of pod/NAME (default: default)'),
  ).action(async (pod: string, files: string[], options: SimulationOptions & { namespace?: string }) => {
    const ref = parsePodReference(pod, options.namespace);
    const cluster = await simulate(readManifestFiles(files, readStdin), options, true);
    process.stdout.write(explainPod(cluster, ref));
  });

  const rules = program
    .command('rules')
    .summary('check rule files, or describe what rules may use')
    .description('Check rule directories, or describe the decision points, facts and events rules may use.')
    .option('--describe [point]', 'the same as `rules describe [point]`')
    .action((options: { describe?: string | true }) => {
      if (options.describe === undefined) {
        rules.help({ error: true });
      }
      const point = options.describe === true ? undefined : options.describe;
      process.stdout.write(describeDecisionPoints(DECISION_POINTS, point));
    });
  rules
    .command('check')
    .summary('validate rule directories')
    .description(
      'Validate each rules directory as the cluster loads it: prints `ok: N rule sets, M rules in DIR`, or ' +
        'each problem as `file:line: field: message` and fails.',
    )
    .argument('[dir...]', 'rules directories (default: the shipped rules/)')
    .action((dirs: string[]) => {
      const report = checkRuleDirectories(DECISION_POINTS, dirs);
      for (const line of report.passed) process.stdout.write(`${line}\n`);
      for (const line of report.problems) process.stderr.write(`${line}\n`);
      if (report.problems.length > 0) fail(1);
    });
  rules
    .command('describe')
    .summary('list decision points with their facts and events')
    .description(
      "The policy author's reference: each decision point, who asks it, its facts (with the params they " +
        'take) and the event types its rules may fire.',
    )
    .argument('[point]', 'one decision point, e.g. scheduling.filter')
    .action((point: string | undefined) => {
      process.stdout.write(describeDecisionPoints(DECISION_POINTS, point));
    });
  return program;
}

function outputOption(): Option {
  return new Option('-o, --output <format>', 'how to print the objects')
    .choices(OUTPUT_FORMATS)
    .default('yaml');
}

function readStdin(): string {
  return readFileSync(0, 'utf8');
}

function versionText(): string {
  const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  return `kubespec ${version} (simulates Kubernetes ${DEFAULT_KUBERNETES_VERSION} by default; v1.${OLDEST_SUPPORTED_MINOR} and later supported)`;
}
