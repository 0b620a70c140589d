// kubectl's human-readable tables, byte for byte, for report attachments. Time is virtual: every
// age is measured against the `now` the caller passes, never against the wall clock.

import type {
  Container,
  ContainerStatus,
  Event as CoreEvent,
  Node,
  Pod,
  PodCondition,
} from 'kubernetes-types/core/v1';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// k8s:staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go HumanDuration
export function humanDuration(ms: number): string {
  // Go allows up to 2s of clock skew (exclusive) before calling a negative age invalid.
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = Math.trunc(ms / SECOND) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

// k8s:staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go ShortHumanDuration
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(ms / HOUR / 24 / 365)}y`;
}

/** Milliseconds of an RFC 3339 timestamp; undefined stands for Go's zero time (an absent field). */
function parseTime(timestamp: string | undefined): number | undefined {
  if (!timestamp) return undefined;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? undefined : t;
}

// k8s:pkg/printers/internalversion/printers.go translateTimestampSince
function since(time: number | undefined, now: Date): string {
  return time === undefined ? '<unknown>' : humanDuration(now.getTime() - time);
}

/** metav1.Time.Before with the zero time as the earliest instant. */
function later(current: number | undefined, candidate: number | undefined): number | undefined {
  if (candidate === undefined) return current;
  return current === undefined || current < candidate ? candidate : current;
}

// k8s:pkg/api/pod/util.go IsRestartableInitContainer
function isRestartableInitContainer(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

// k8s:pkg/printers/internalversion/printers.go isPodInitializedConditionTrue (the first Initialized decides)
function isPodInitializedConditionTrue(conditions: readonly PodCondition[]): boolean {
  const initialized = conditions.find((c) => c.type === 'Initialized');
  return initialized?.status === 'True';
}

// k8s:pkg/printers/internalversion/printers.go hasPodReadyCondition
function hasPodReadyCondition(conditions: readonly PodCondition[]): boolean {
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function lastTerminationFinishedAt(status: ContainerStatus): number | undefined {
  const terminated = status.lastState?.terminated;
  return terminated ? parseTime(terminated.finishedAt) : undefined;
}

interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  lastRestart: number | undefined;
}

// k8s:pkg/printers/internalversion/printers.go printPod (the READY, STATUS and RESTARTS cells)
function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const initSpecs = spec?.initContainers ?? [];
  let restarts = 0;
  let restartableInitContainerRestarts = 0;
  let totalContainers = spec?.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastRestartableInitContainerRestart: number | undefined;

  const podPhase = status.phase ?? '';
  let reason = status.reason ? status.reason : podPhase;
  for (const condition of conditions) {
    if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated')
      reason = 'SchedulingGated';
  }

  const initContainers = new Map<string, Container>();
  for (const container of initSpecs) {
    initContainers.set(container.name, container);
    if (isRestartableInitContainer(container)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const restartable = isRestartableInitContainer(initContainers.get(container.name));
    restarts += container.restartCount ?? 0;
    lastRestart = later(lastRestart, lastTerminationFinishedAt(container));
    if (restartable) {
      restartableInitContainerRestarts += container.restartCount ?? 0;
      lastRestartableInitContainerRestart = later(
        lastRestartableInitContainerRestart,
        lastTerminationFinishedAt(container),
      );
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      // initialization failed
      if (!terminated.reason) {
        reason = terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || isPodInitializedConditionTrue(conditions)) {
    restarts = restartableInitContainerRestarts;
    lastRestart = lastRestartableInitContainerRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Walked backwards so that the first container's state is the one shown.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += container.restartCount ?? 0;
      lastRestart = later(lastRestart, lastTerminationFinishedAt(container));
      const state = container.state ?? {};
      if (state.waiting?.reason) {
        reason = state.waiting.reason;
      } else if (state.terminated?.reason) {
        reason = state.terminated.reason;
      } else if (state.terminated) {
        reason = state.terminated.signal
          ? `Signal:${state.terminated.signal}`
          : `ExitCode:${state.terminated.exitCode ?? 0}`;
      } else if (container.ready && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod with a container still running is not "Completed" even if another one finished.
    if (reason === 'Completed' && hasRunning) {
      reason = hasPodReadyCondition(conditions) ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') {
    // k8s:pkg/util/node/node.go NodeUnreachablePodReason
    reason = 'Unknown';
  } else if (pod.metadata?.deletionTimestamp && podPhase !== 'Succeeded' && podPhase !== 'Failed') {
    reason = 'Terminating';
  }

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts, lastRestart };
}

/** The STATUS column of `kubectl get pods` for one pod (what a PodBox shows). */
export function kubectlPodStatus(pod: Pod): string {
  return summarizePod(pod).status;
}

// k8s:pkg/printers/internalversion/printers.go printPod with options.Wide
function podWideRow(pod: Pod, now: Date): string[] {
  const summary = summarizePod(pod);
  const restarts =
    summary.restarts !== 0 && summary.lastRestart !== undefined
      ? `${summary.restarts} (${since(summary.lastRestart, now)} ago)`
      : String(summary.restarts);
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  // kubectl reads status.podIPs, never the singular status.podIP.
  const podIP = status.podIPs?.[0]?.ip || '<none>';
  const nodeName = pod.spec?.nodeName || '<none>';
  const nominatedNodeName = status.nominatedNodeName || '<none>';
  const gates = pod.spec?.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const trueConditions = gates.filter(
      (gate) => conditions.find((c) => c.type === gate.conditionType)?.status === 'True',
    ).length;
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  return [
    pod.metadata?.name ?? '',
    summary.ready,
    summary.status,
    restarts,
    since(parseTime(pod.metadata?.creationTimestamp), now),
    podIP,
    nodeName,
    nominatedNodeName,
    readinessGates,
  ];
}

const POD_WIDE_COLUMNS = [
  'Name',
  'Ready',
  'Status',
  'Restarts',
  'Age',
  'IP',
  'Node',
  'Nominated Node',
  'Readiness Gates',
];

/** `kubectl get pods -o wide` (with `-A` when withNamespace), in the order given. */
export function printPodsWide(
  pods: readonly Pod[],
  now: Date,
  opts: { withNamespace?: boolean } = {},
): string {
  const columns = opts.withNamespace ? ['Namespace', ...POD_WIDE_COLUMNS] : POD_WIDE_COLUMNS;
  const rows = pods.map((pod) => {
    const row = podWideRow(pod, now);
    return opts.withNamespace ? [pod.metadata?.namespace ?? '', ...row] : row;
  });
  return printTable(columns, rows);
}

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

// k8s:pkg/printers/internalversion/printers.go findNodeRoles (a sorted set)
function findNodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role.length > 0) roles.add(role);
    } else if (key === NODE_LABEL_ROLE && value !== '') {
      roles.add(value);
    }
  }
  return [...roles].sort(compareGoStrings);
}

// k8s:pkg/printers/internalversion/printers.go printNode
function nodeRow(node: Node, now: Date): string[] {
  // The last condition of a type wins, as in the printer's map.
  let ready: string | undefined;
  for (const condition of node.status?.conditions ?? []) {
    if (condition.type === 'Ready') ready = condition.status;
  }
  const status: string[] = [];
  if (ready !== undefined) status.push(ready === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  const roles = findNodeRoles(node).join(',') || '<none>';
  return [
    node.metadata?.name ?? '',
    status.join(','),
    roles,
    since(parseTime(node.metadata?.creationTimestamp), now),
    node.status?.nodeInfo?.kubeletVersion ?? '',
  ];
}

/** `kubectl get nodes`, in the order given. */
export function printNodes(nodes: readonly Node[], now: Date): string {
  return printTable(
    ['Name', 'Status', 'Roles', 'Age', 'Version'],
    nodes.map((node) => nodeRow(node, now)),
  );
}

function involvedObject(event: CoreEvent): { kind: string; name: string } {
  return { kind: event.involvedObject?.kind ?? '', name: event.involvedObject?.name ?? '' };
}

// k8s:pkg/printers/internalversion/printers.go printEvent (non-wide cells)
function eventRow(event: CoreEvent, now: Date): string[] {
  const first = parseTime(event.firstTimestamp);
  const firstTimestamp = first === undefined ? since(parseTime(event.eventTime), now) : since(first, now);
  const last = parseTime(event.lastTimestamp);
  let lastTimestamp = last === undefined ? firstTimestamp : since(last, now);
  if (event.series) lastTimestamp = since(parseTime(event.series.lastObservedTime), now);
  const { kind, name } = involvedObject(event);
  const target = name.length > 0 ? `${kind.toLowerCase()}/${name}` : kind.toLowerCase();
  return [lastTimestamp, event.type ?? '', event.reason ?? '', target, (event.message ?? '').trim()];
}

/**
 * `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE. Neither the server-side printer nor
 * kubectl sorts (printers_test.go TestPrintEventsResultSorted keeps the list order), so rows keep the
 * order given, which is the API server's list order; the count is not a column of this view.
 */
export function printEvents(events: readonly CoreEvent[], now: Date): string {
  return printTable(
    ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    events.map((event) => eventRow(event, now)),
  );
}

// k8s:staging/src/k8s.io/kubectl/pkg/cmd/events/events.go eventTime
function eventSortTime(event: CoreEvent): number {
  const time = event.series
    ? parseTime(event.series.lastObservedTime)
    : (parseTime(event.lastTimestamp) ?? parseTime(event.eventTime));
  return time ?? Number.NEGATIVE_INFINITY;
}

// k8s:staging/src/k8s.io/kubectl/pkg/cmd/events/event_printer.go getInterval
function eventInterval(event: CoreEvent, now: Date): string {
  const eventTime = parseTime(event.eventTime);
  const firstSeen =
    eventTime === undefined ? since(parseTime(event.firstTimestamp), now) : since(eventTime, now);
  if (event.series) {
    const last = since(parseTime(event.series.lastObservedTime), now);
    return `${last} (x${event.series.count ?? 0} over ${firstSeen})`;
  }
  if ((event.count ?? 0) > 1) {
    return `${since(parseTime(event.lastTimestamp), now)} (x${event.count} over ${firstSeen})`;
  }
  return firstSeen;
}

/**
 * `kubectl events`: the same columns as `kubectl get events`, but the repeat count shows in LAST SEEN
 * (`12m (x3 over 20m)`), OBJECT keeps the kind's case (`Pod/web`) and rows are sorted oldest first.
 * kubectl's sort.Sort is not stable; this one is, so ties keep the given order.
 */
export function printKubectlEvents(events: readonly CoreEvent[], now: Date): string {
  const sorted = [...events].sort((a, b) => eventSortTime(a) - eventSortTime(b) || 0);
  if (sorted.length === 0) return '';
  // k8s:staging/src/k8s.io/kubectl/pkg/cmd/events/event_printer.go printHeadings, printOneEvent
  const lines = ['LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE'];
  for (const event of sorted) {
    const { kind, name } = involvedObject(event);
    lines.push(
      [
        eventInterval(event, now),
        escapeCell(event.type ?? ''),
        escapeCell(event.reason ?? ''),
        `${escapeCell(kind)}/${escapeCell(name)}`,
        escapeCell((event.message ?? '').trim()),
      ].join('\t'),
    );
  }
  return tabwrite(`${lines.join('\n')}\n`);
}

/** Go compares strings bytewise; UTF-16 order differs only above the BMP. */
function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// k8s:staging/src/k8s.io/cli-runtime/pkg/printers/terminal.go terminalEscaper, and the cell
// truncation at the first line break (cellBreakChars) of tableprinter.go appendCellValue.
function escapeCell(value: string): string {
  const breakAt = value.search(/[\f\n\r]/);
  const kept = breakAt >= 0 ? `${value.slice(0, breakAt)}...` : value;
  return kept.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

// k8s:staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go printTable: upper-case headers; no
// output at all without rows. Every header but the last is padded to its column's widest raw cell,
// measured in bytes, so that later flushes keep the first flush's widths.
function printTable(columns: readonly string[], rows: readonly string[][]): string {
  if (rows.length === 0) return '';
  const last = columns.length - 1;
  const header = columns.map((column, i) => {
    const name = column.toUpperCase();
    if (i === last) return name;
    const widest = Math.max(0, ...rows.map((row) => Buffer.byteLength(row[i], 'utf8')));
    return name + ' '.repeat(Math.max(0, widest - name.length));
  });
  const lines = [header.join('\t'), ...rows.map((row) => row.map(escapeCell).join('\t'))];
  return tabwrite(`${lines.join('\n')}\n`);
}

// k8s:staging/src/k8s.io/cli-runtime/pkg/printers/tabwriter.go GetNewTabWriter: text/tabwriter (the
// github.com/liggitt/tabwriter fork) with minwidth 6, padding 3, padchar ' '. Ported from
// text/tabwriter Writer.format and writeLines: a column is a block of consecutive lines that have a
// tab-terminated cell at that index; the text after a line's last tab belongs to no column.
const TAB_MIN_WIDTH = 6;
const TAB_PADDING = 3;

function tabwrite(text: string): string {
  const lines = text.split('\n').map((line) => line.split(/[\t\v]/));
  const widths: number[] = [];
  const out: string[] = [];
  const runeCount = (s: string) => Array.from(s).length;

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      let line = '';
      lines[i].forEach((cell, j) => {
        line += cell;
        if (j < widths.length) line += ' '.repeat(widths[j] - runeCount(cell));
      });
      out.push(line);
    }
  };

  const format = (first: number, end: number) => {
    let line0 = first;
    const column = widths.length;
    for (let current = line0; current < end; current++) {
      if (column >= lines[current].length - 1) continue;
      writeLines(line0, current);
      line0 = current;
      let width = TAB_MIN_WIDTH;
      for (; current < end; current++) {
        const line = lines[current];
        if (column >= line.length - 1) break;
        width = Math.max(width, runeCount(line[column]) + TAB_PADDING);
      }
      widths.push(width);
      format(line0, current);
      widths.pop();
      line0 = current;
    }
    writeLines(line0, end);
  };

  format(0, lines.length);
  return out.join('\n');
}
