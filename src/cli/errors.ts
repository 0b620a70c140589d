// A user's mistake (a missing file, a broken manifest, a bad rule file, an unknown pod) is reported as one
// line per problem, in the wording kubectl uses where it has one, and never with a stack trace; a stack
// trace means a bug in kubespec.
import { formatManifestProblem, ManifestError } from '../api/manifests';
import { formatProblem, RuleLoadError } from '../rules/problems';
import { NotSettledError } from '../sim/loop';

/** A refusal of the command line itself; each line is printed as it is. */
export class CliError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

/** The lines to print for a user's mistake, or undefined when the error is kubespec's own fault. */
export function userErrorLines(error: unknown): readonly string[] | undefined {
  if (error instanceof CliError) return error.lines;
  if (error instanceof ManifestError) return error.problems.map(formatManifestProblem);
  if (error instanceof RuleLoadError) return error.problems.map(formatProblem);
  // The rules made the cluster flap: a finding about the policy, not a crash.
  if (error instanceof NotSettledError) return [`error: ${error.message}`];
  return undefined;
}
