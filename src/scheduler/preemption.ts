// DefaultPreemption's PostFilter: when a pod fits nowhere, find a node where evicting lower-priority pods
// would make room (k8s:pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go,
// k8s:pkg/scheduler/framework/preemption/preemption.go). With no candidate, the message explains per node
// why preemption cannot help; with one, the victims are chosen and the pod is nominated to the node.
import type { Selector } from '../api/labels';
import type { SeededRandom } from '../sim/random';
import { fitErrorMessage } from './fit-error';
import type { FilterStatus } from './framework';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';

export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
// DefaultPreemptionArgs defaults.
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export interface PreemptionResult {
  /** The PostFilter message ("preemption: ..."), empty when a node was nominated. */
  message: string;
  nominatedNode?: string;
  victims: PodInfo[];
}

export interface PreemptionHost {
  /** Runs the filters on a node view (with nominated pods) and says why it fails, or null if the pod fits. */
  filter(pod: PodInfo, node: NodeInfo): Promise<FilterStatus | null>;
  random: SeededRandom;
  /** When the pod started running (status.startTime), for choosing among victims. */
  startTime(pod: PodInfo): number;
  /** Whether the pod is terminating because the scheduler preempted it. */
  terminatingByPreemption(pod: PodInfo): boolean;
  /** Every PodDisruptionBudget as the scheduler's lister sees it. */
  budgets(): readonly BudgetView[];
}

/** What preemption reads of a PodDisruptionBudget. */
export interface BudgetView {
  namespace: string;
  /** LabelSelectorAsSelector of spec.selector; undefined when it does not parse. */
  selector: Selector | undefined;
  disruptionsAllowed: number;
  /** status.disruptedPods: evictions the API server has granted. */
  disruptedPods: ReadonlySet<string>;
}

export async function preempt(
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  statuses: ReadonlyMap<string, FilterStatus>,
  nominatedNode: string | undefined,
  host: PreemptionHost,
): Promise<PreemptionResult> {
  const fail = (message: string): PreemptionResult => ({ message: `preemption: ${message}`, victims: [] });
  // PodEligibleToPreemptOthers.
  if (pod.preemptionPolicy === 'Never') return fail('not eligible due to preemptionPolicy=Never.');
  // A nominated node absent from the statuses has the absent-node status, UnschedulableAndUnresolvable.
  const nominatedCode = nominatedNode
    ? (statuses.get(nominatedNode)?.code ?? 'UnschedulableAndUnresolvable')
    : undefined;
  if (nominatedNode && nominatedCode !== 'UnschedulableAndUnresolvable') {
    const nominated = nodes.find((n) => n.name === nominatedNode);
    const terminating = [...(nominated?.pods.values() ?? [])].some(
      (p) => p.priority < pod.priority && host.terminatingByPreemption(p),
    );
    if (terminating) return fail('not eligible due to a terminating pod on the nominated node.');
  }

  // Only nodes rejected as Unschedulable (not ...AndUnresolvable) may be helped by removing pods.
  const potential = nodes.filter((n) => statuses.get(n.name)?.code === 'Unschedulable');
  const dryRunReasons = new Map<string, readonly string[]>();
  const candidates: Candidate[] = [];
  const budgets = host.budgets();
  if (potential.length > 0) {
    const offset = host.random.intn('preemption', potential.length);
    const wanted = Math.min(
      Math.max(
        Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100),
        MIN_CANDIDATE_NODES_ABSOLUTE,
      ),
      potential.length,
    );
    for (let i = 0; i < potential.length && candidates.length < wanted; i++) {
      const node = potential[(offset + i) % potential.length];
      const result = await selectVictimsOnNode(pod, node, host, budgets);
      if ('victims' in result) candidates.push({ node, ...result });
      else dryRunReasons.set(node.name, result.reasons);
    }
  }
  if (candidates.length === 0) {
    return fail(
      fitErrorMessage({
        numAllNodes: nodes.length,
        nodeReasons: dryRunReasons,
        absentReasons: [NOT_HELPFUL],
      }),
    );
  }
  const best = pickOneNodeForPreemption(candidates, host);
  return { message: '', nominatedNode: best.node.name, victims: best.victims };
}

interface Candidate {
  node: NodeInfo;
  victims: PodInfo[];
  /** How many victims' eviction would violate a PodDisruptionBudget. */
  numPDBViolations: number;
}

// SelectVictimsOnNode: remove every lower-priority pod; if the pod then fits, give back as many as
// possible, most important first — first those whose eviction would violate a PodDisruptionBudget, then the
// others, so that the victims violate as few budgets as they can.
async function selectVictimsOnNode(
  pod: PodInfo,
  node: NodeInfo,
  host: PreemptionHost,
  budgets: readonly BudgetView[],
): Promise<{ victims: PodInfo[]; numPDBViolations: number } | { reasons: readonly string[] }> {
  const trial = node.clone();
  const potential = [...trial.pods.values()].filter((p) => p.priority < pod.priority);
  if (potential.length === 0) return { reasons: [NO_VICTIMS] };
  for (const p of potential) trial.removePod(p.key);
  const status = await host.filter(pod, trial);
  if (status) return { reasons: status.reasons };
  potential.sort((a, b) => moreImportant(a, b, host));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, budgets);
  const victims: PodInfo[] = [];
  const reprieve = async (p: PodInfo): Promise<boolean> => {
    trial.addPod(p);
    if (!(await host.filter(pod, trial))) return true;
    trial.removePod(p.key);
    victims.push(p);
    return false;
  };
  let numPDBViolations = 0;
  for (const p of violating) if (!(await reprieve(p))) numPDBViolations++;
  for (const p of nonViolating) await reprieve(p);
  // Keep the victims ordered from the most important down.
  if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => moreImportant(a, b, host));
  return { victims, numPDBViolations };
}

/**
 * filterPodsWithPDBViolation: walking the victims in order, each takes one allowed disruption from every
 * budget that selects it (unless the API server already granted its eviction); a victim that takes a budget
 * below zero violates it. Here a nil or empty selector matches nothing, unlike in the eviction API.
 */
export function filterPodsWithPDBViolation(
  pods: readonly PodInfo[],
  budgets: readonly BudgetView[],
): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = budgets.map((b) => b.disruptionsAllowed);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violated = false;
    if (Object.keys(p.labels).length > 0) {
      budgets.forEach((b, i) => {
        if (b.namespace !== p.namespace || !b.selector || b.selector.isEmpty()) return;
        if (!b.selector.matches(p.labels) || b.disruptedPods.has(p.name)) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

// k8s:pkg/scheduler/util/utils.go MoreImportantPod: higher priority, then the one that started earlier.
function moreImportant(a: PodInfo, b: PodInfo, host: PreemptionHost): number {
  return b.priority - a.priority || host.startTime(a) - host.startTime(b);
}

// pickOneNodeForPreemption: fewest PodDisruptionBudget violations first, then the lowest highest victim
// priority, the lowest sum of priorities, the fewest victims, the latest start of the highest-priority ones.
function pickOneNodeForPreemption(candidates: Candidate[], host: PreemptionHost): Candidate {
  const highest = (c: { victims: PodInfo[] }) => Math.max(...c.victims.map((v) => v.priority));
  // Priorities are shifted by MaxInt32+1 so that negative ones still add up as Go's int64 sum does.
  const sum = (c: { victims: PodInfo[] }) => c.victims.reduce((s, v) => s + v.priority + 2_147_483_648, 0);
  const earliestStartOfHighest = (c: { victims: PodInfo[] }) => {
    const top = highest(c);
    return Math.min(...c.victims.filter((v) => v.priority === top).map((v) => host.startTime(v)));
  };
  const keepBest = (list: typeof candidates, score: (c: (typeof candidates)[number]) => number) => {
    const best = Math.min(...list.map(score));
    return list.filter((c) => score(c) === best);
  };
  let remaining = candidates.filter((c) => c.victims.length === 0);
  if (remaining.length > 0) return remaining[0];
  remaining = keepBest(candidates, (c) => c.numPDBViolations);
  remaining = keepBest(remaining, highest);
  remaining = keepBest(remaining, sum);
  remaining = keepBest(remaining, (c) => c.victims.length);
  remaining = keepBest(remaining, (c) => -earliestStartOfHighest(c));
  return remaining[0];
}
