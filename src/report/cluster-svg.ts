// A picture of the cluster for the report: nodes as boxes in a grid with their pods inside, taints,
// pressure and resource use marked, unbound pods in their own lane. Self-contained SVG (presentation
// attributes only, generic fonts) and deterministic: the same view gives the same bytes.

export interface ClusterView {
  /** In display order. */
  nodes: NodeView[];
  /** Pods not bound to any node. */
  pendingPods: PodBox[];
  /** Services that select pods (or alias a name), with their endpoints. */
  services?: ServiceView[];
}

export interface ServiceView {
  namespace: string;
  name: string;
  type: string;
  /** The cluster IP, `None` for a headless Service, the external name of an ExternalName one. */
  address: string;
  /** `80→9376/TCP`, `80:30080→http/TCP` (with its node port). */
  ports: string[];
  /** A LoadBalancer's address, or `<pending>`. */
  external?: string;
  endpoints: { pod: string; state: 'ready' | 'not ready' | 'terminating' }[];
}

export interface NodeView {
  name: string;
  ready: 'True' | 'False' | 'Unknown';
  unschedulable: boolean;
  labels: Record<string, string>;
  /** Already formatted `key=value:Effect`. */
  taints: string[];
  /** Pressure conditions that are True, e.g. `MemoryPressure`. */
  conditions: string[];
  cpu: { requestedMilli: number; allocatableMilli: number };
  memory: { requestedBytes: number; allocatableBytes: number };
  pods: { count: number; allocatable: number };
  podBoxes: PodBox[];
}

export interface PodBox {
  namespace: string;
  name: string;
  phase: string;
  /** The kubectl STATUS column. */
  status: string;
  ready: boolean;
  terminating: boolean;
}

const FONT_FAMILY = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";
const TEXT = '#1f2328';
const MUTED = '#57606a';
const MARGIN = 16;
const GAP = 16;
const PAD = 10;
/** Advance of one monospace character at font-size 10 (0.6em), rounded up. */
const CHAR = 6;
const NAME_CHAR = 8;
const LINE = 14;
const CHIP_H = 16;
const DOT = 12;
const DOT_GAP = 3;

/** Layout for a few large boxes, or many compact ones, so that 50 nodes still fit a page width. */
interface Layout {
  nodeWidth: number;
  columns: number;
  showLabels: boolean;
  chipLines: number;
  /** A node with at most this many pods shows them as named chips; more become dots. */
  namedPodsMax: number;
  dotRows: number;
}
const NORMAL: Layout = {
  nodeWidth: 260,
  columns: 4,
  showLabels: true,
  chipLines: 3,
  namedPodsMax: 16,
  dotRows: 6,
};
const COMPACT: Layout = {
  nodeWidth: 190,
  columns: 6,
  showLabels: false,
  chipLines: 2,
  namedPodsMax: 0,
  dotRows: 4,
};
const COMPACT_ABOVE_NODES = 12;
const PENDING_NAMED_CHIPS_MAX = 24;
const PENDING_DOT_ROWS = 8;

type PodState = 'Running' | 'NotReady' | 'Pending' | 'Succeeded' | 'Failed' | 'Terminating' | 'Unknown';

interface Swatch {
  fill: string;
  stroke: string;
  dashed?: boolean;
  label: string;
}

const POD_STYLES: Record<PodState, Swatch> = {
  Running: { fill: '#b7e4c7', stroke: '#2b8a3e', label: 'Running, ready' },
  NotReady: { fill: '#ffe066', stroke: '#e67700', label: 'Running, not ready' },
  Pending: { fill: '#a5d8ff', stroke: '#1971c2', label: 'Pending' },
  Succeeded: { fill: '#dee2e6', stroke: '#868e96', label: 'Succeeded' },
  Failed: { fill: '#ffa8a8', stroke: '#c92a2a', label: 'Failed' },
  Terminating: { fill: '#e5dbff', stroke: '#6741d9', dashed: true, label: 'Terminating' },
  Unknown: { fill: '#ffffff', stroke: '#495057', dashed: true, label: 'Unknown' },
};

const TAINT_STYLES: Record<string, Swatch & { text: string }> = {
  NoExecute: { fill: '#ffe3e3', stroke: '#c92a2a', text: '#8b1a1a', label: 'NoExecute taint' },
  NoSchedule: { fill: '#ffe8cc', stroke: '#e8590c', text: '#8a3b00', label: 'NoSchedule taint' },
  PreferNoSchedule: {
    fill: '#fff9db',
    stroke: '#d4a017',
    dashed: true,
    text: '#6b4f00',
    label: 'PreferNoSchedule taint',
  },
};
const OTHER_TAINT = { fill: '#f1f3f5', stroke: '#868e96', text: TEXT, label: 'taint' };
const CONDITION_STYLE = { fill: '#f3e8ff', stroke: '#7e22ce', text: '#581c87', label: 'pressure condition' };

const READY_BADGES: Record<NodeView['ready'], { text: string; fill: string }> = {
  True: { text: 'Ready', fill: '#2b8a3e' },
  False: { text: 'NotReady', fill: '#c92a2a' },
  Unknown: { text: 'Unknown', fill: '#6e7781' },
};
const CORDON_BADGE = { text: 'SchedulingDisabled', fill: '#e8590c' };

function podState(pod: PodBox): PodState {
  if (pod.terminating) return 'Terminating';
  switch (pod.phase) {
    case 'Running':
      return pod.ready ? 'Running' : 'NotReady';
    case 'Pending':
    case 'Succeeded':
    case 'Failed':
      return pod.phase;
    default:
      return 'Unknown';
  }
}

function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    codePoint >= 0x10000
  );
}

/** XML 1.0 text: markup characters escaped, characters XML cannot carry (controls, lone surrogates) dropped. */
function xml(text: string): string {
  return Array.from(text)
    .filter((ch) => isXmlChar(ch.codePointAt(0) ?? 0))
    .join('')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return maxChars <= 1 ? '…' : `${chars.slice(0, maxChars - 1).join('')}…`;
}

function truncateKeeping(text: string, suffix: string, maxChars: number): string {
  const room = maxChars - Array.from(suffix).length;
  if (Array.from(text).length <= maxChars || !suffix || !text.endsWith(suffix) || room < 2) {
    return truncate(text, maxChars);
  }
  return truncate(text.slice(0, text.length - suffix.length), room) + suffix;
}

function textWidth(text: string, charWidth = CHAR): number {
  return Array.from(text).length * charWidth;
}

function formatCores(milli: number): string {
  return String(Number((milli / 1000).toFixed(3)));
}

const BINARY_UNITS: Array<[string, number]> = [
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

function formatBytes(bytes: number): string {
  for (const [suffix, size] of BINARY_UNITS) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))}${suffix}`;
  }
  return String(bytes);
}

function dashAttr(dashed: boolean | undefined): string {
  return dashed ? ' stroke-dasharray="3 2"' : '';
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x}" y="${y}"${attrs}>${xml(content)}</text>`;
}

/** SVG fragments with the height they take. */
interface Block {
  svg: string[];
  height: number;
}

function badge(x: number, y: number, label: string, fill: string): { svg: string; width: number } {
  const width = textWidth(label) + 10;
  return {
    svg:
      `<rect x="${x}" y="${y}" width="${width}" height="${CHIP_H}" rx="3" fill="${fill}"/>` +
      text(x + 5, y + 12, label, ' font-size="10" font-weight="bold" fill="#ffffff"'),
    width,
  };
}

interface Chip {
  label: string;
  /** Kept whole when the label is shortened (a taint's `:Effect`). */
  suffix?: string;
  title: string;
  style: { fill: string; stroke: string; text: string; dashed?: boolean };
  pill?: boolean;
}

/** Chips flowed left to right over at most maxLines lines; what does not fit is counted in `+N`. */
function chipFlow(x: number, y: number, width: number, chips: readonly Chip[], maxLines: number): Block {
  if (chips.length === 0) return { svg: [], height: 0 };
  const maxChars = Math.floor((width - 10) / CHAR);
  const placed = chips.map((chip) => {
    const label = truncateKeeping(chip.label, chip.suffix ?? '', maxChars);
    return { chip, label, width: textWidth(label) + 10, line: 0, x: 0 };
  });
  let line = 0;
  let cx = 0;
  for (const item of placed) {
    if (cx > 0 && cx + item.width > width) {
      line++;
      cx = 0;
    }
    item.line = line;
    item.x = cx;
    cx += item.width + 4;
  }
  const kept = placed.filter((item) => item.line < maxLines);
  const more = () => `+${placed.length - kept.length}`;
  if (kept.length < placed.length) {
    // Make room for the count at the end of the last line shown.
    while (kept.length > 1) {
      const last = kept[kept.length - 1];
      if (last.x + last.width + 4 + textWidth(more()) <= width) break;
      kept.pop();
    }
  }
  const svg = kept.map(({ chip, label, width: w, line: l, x: lx }) => {
    const cx0 = x + lx;
    const cy = y + l * (CHIP_H + 4);
    return (
      `<g><title>${xml(chip.title)}</title>` +
      `<rect x="${cx0}" y="${cy}" width="${w}" height="${CHIP_H}" rx="${chip.pill ? 8 : 2}" ` +
      `fill="${chip.style.fill}" stroke="${chip.style.stroke}"${dashAttr(chip.style.dashed)}/>` +
      text(cx0 + 5, cy + 12, label, ` font-size="10" fill="${chip.style.text}"`) +
      '</g>'
    );
  });
  const lastKept = kept[kept.length - 1];
  if (kept.length < placed.length) {
    const mx = x + lastKept.x + lastKept.width + 4;
    svg.push(text(mx, y + lastKept.line * (CHIP_H + 4) + 12, more(), ` font-size="10" fill="${MUTED}"`));
  }
  return { svg, height: (lastKept.line + 1) * (CHIP_H + 4) - 4 };
}

function taintChip(taint: string): Chip {
  const effect = taint.slice(taint.lastIndexOf(':') + 1);
  const style = Object.hasOwn(TAINT_STYLES, effect) ? TAINT_STYLES[effect] : OTHER_TAINT;
  return { label: taint, suffix: `:${effect}`, title: `taint ${taint}`, style };
}

function conditionChip(condition: string): Chip {
  return { label: condition, title: `condition ${condition}=True`, style: CONDITION_STYLE, pill: true };
}

function podTitle(pod: PodBox): string {
  return `${pod.namespace}/${pod.name}\nSTATUS: ${pod.status} (phase ${pod.phase || 'unknown'}, ${
    pod.ready ? 'ready' : 'not ready'
  }${pod.terminating ? ', terminating' : ''})`;
}

function podRect(x: number, y: number, w: number, h: number, pod: PodBox, label?: string): string {
  const style = POD_STYLES[podState(pod)];
  const caption = label === undefined ? '' : text(x + 4, y + 12, label, ` font-size="10" fill="${TEXT}"`);
  return (
    `<g><title>${xml(podTitle(pod))}</title>` +
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="${style.fill}" ` +
    `stroke="${style.stroke}"${dashAttr(style.dashed)}/>${caption}</g>`
  );
}

/** Pods as named chips while few, as dots when many, capped at maxDotRows rows plus `+N more`. */
function podArea(
  x: number,
  y: number,
  width: number,
  pods: readonly PodBox[],
  namedMax: number,
  maxDotRows: number,
): Block {
  if (pods.length === 0)
    return { svg: [text(x, y + 10, 'no pods', ` font-size="10" fill="${MUTED}"`)], height: LINE };
  const svg: string[] = [];
  if (pods.length <= namedMax) {
    const chipWidth = 118;
    const perRow = Math.max(1, Math.floor((width + 4) / (chipWidth + 4)));
    const maxChars = Math.floor((chipWidth - 8) / CHAR);
    pods.forEach((pod, i) => {
      const px = x + (i % perRow) * (chipWidth + 4);
      const py = y + Math.floor(i / perRow) * (CHIP_H + 4);
      svg.push(podRect(px, py, chipWidth, CHIP_H, pod, truncate(pod.name, maxChars)));
    });
    return { svg, height: Math.ceil(pods.length / perRow) * (CHIP_H + 4) - 4 };
  }
  const perRow = Math.max(1, Math.floor((width + DOT_GAP) / (DOT + DOT_GAP)));
  const capacity = perRow * maxDotRows;
  const shown = pods.length > capacity ? pods.slice(0, capacity) : pods;
  shown.forEach((pod, i) => {
    const px = x + (i % perRow) * (DOT + DOT_GAP);
    const py = y + Math.floor(i / perRow) * (DOT + DOT_GAP);
    svg.push(podRect(px, py, DOT, DOT, pod));
  });
  let height = Math.ceil(shown.length / perRow) * (DOT + DOT_GAP) - DOT_GAP;
  if (shown.length < pods.length) {
    svg.push(
      text(x, y + height + 12, `+${pods.length - shown.length} more`, ` font-size="10" fill="${MUTED}"`),
    );
    height += LINE + 2;
  }
  return { svg, height };
}

function barColor(ratio: number): string {
  if (ratio > 1) return '#c92a2a';
  if (ratio >= 0.8) return '#e67700';
  return '#1971c2';
}

/** Requested/allocatable bars with their values, e.g. `1.5/4 cpu`, `3Gi/8Gi mem`, `3/110 pods`. */
function resourceBars(x: number, y: number, width: number, node: NodeView): Block {
  const bars: Array<{ requested: number; allocatable: number; label: string }> = [
    {
      requested: node.cpu.requestedMilli,
      allocatable: node.cpu.allocatableMilli,
      label: `${formatCores(node.cpu.requestedMilli)}/${formatCores(node.cpu.allocatableMilli)} cpu`,
    },
    {
      requested: node.memory.requestedBytes,
      allocatable: node.memory.allocatableBytes,
      label: `${formatBytes(node.memory.requestedBytes)}/${formatBytes(node.memory.allocatableBytes)} mem`,
    },
    {
      requested: node.pods.count,
      allocatable: node.pods.allocatable,
      label: `${node.pods.count}/${node.pods.allocatable} pods`,
    },
  ];
  const labelWidth = Math.max(...bars.map((bar) => textWidth(bar.label)));
  const barWidth = Math.max(24, width - labelWidth - 6);
  const svg = bars.map((bar, i) => {
    const by = y + i * LINE;
    const ratio = bar.allocatable > 0 ? bar.requested / bar.allocatable : bar.requested > 0 ? 2 : 0;
    const filled = Math.round(barWidth * Math.min(1, ratio));
    return (
      `<g><title>${xml(`requested/allocatable: ${bar.label}`)}</title>` +
      `<rect x="${x}" y="${by + 3}" width="${barWidth}" height="8" rx="2" fill="#e9ecef"/>` +
      (filled > 0
        ? `<rect x="${x}" y="${by + 3}" width="${filled}" height="8" rx="2" fill="${barColor(ratio)}"/>`
        : '') +
      text(x + width, by + 10, bar.label, ` font-size="10" fill="${TEXT}" text-anchor="end"`) +
      '</g>'
    );
  });
  return { svg, height: bars.length * LINE };
}

const WELL_KNOWN_NOISE = /^(kubernetes\.io\/(hostname|os|arch)|beta\.kubernetes\.io\/)/;
const ZONE = 'topology.kubernetes.io/zone';
const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** A few labels worth a glance: zone, roles, then custom labels, as `zone=a role=worker disk=ssd`. */
function labelSummary(labels: Record<string, string>): string[] {
  const parts: string[] = [];
  if (labels[ZONE]) parts.push(`zone=${labels[ZONE]}`);
  const keys = Object.keys(labels).sort();
  for (const key of keys) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length)
      parts.push(`role=${key.slice(ROLE_PREFIX.length)}`);
  }
  for (const key of keys) {
    if (key === ZONE || key.startsWith(ROLE_PREFIX) || WELL_KNOWN_NOISE.test(key)) continue;
    parts.push(`${key}=${labels[key]}`);
  }
  return parts.slice(0, 3);
}

function nodeTitle(node: NodeView): string {
  const status = READY_BADGES[node.ready].text + (node.unschedulable ? ',SchedulingDisabled' : '');
  const labels = Object.keys(node.labels)
    .sort()
    .map((key) => `${key}=${node.labels[key]}`);
  return [`node ${node.name}: ${status}`, ...labels].join('\n');
}

/** The content of one node box (without its frame), laid out from its top-left corner. */
function nodeContent(x: number, y: number, node: NodeView, layout: Layout): Block {
  const inner = layout.nodeWidth - 2 * PAD;
  const left = x + PAD;
  const svg: string[] = [];
  let cy = y + PAD;

  svg.push(
    text(
      left,
      cy + 12,
      truncate(node.name, Math.floor(inner / NAME_CHAR)),
      ` font-size="13" font-weight="bold" fill="${TEXT}"`,
    ),
  );
  cy += 18;

  const ready = READY_BADGES[node.ready];
  const status = badge(left, cy, ready.text, ready.fill);
  svg.push(status.svg);
  if (node.unschedulable)
    svg.push(badge(left + status.width + 4, cy, CORDON_BADGE.text, CORDON_BADGE.fill).svg);
  cy += CHIP_H + 6;

  if (layout.showLabels) {
    const summary = labelSummary(node.labels);
    if (summary.length > 0) {
      svg.push(
        text(
          left,
          cy + 10,
          truncate(summary.join('  '), Math.floor(inner / CHAR)),
          ` font-size="10" fill="${MUTED}"`,
        ),
      );
      cy += LINE + 2;
    }
  }

  const chips = [...node.conditions.map(conditionChip), ...node.taints.map(taintChip)];
  const flow = chipFlow(left, cy, inner, chips, layout.chipLines);
  svg.push(...flow.svg);
  if (flow.height > 0) cy += flow.height + 6;

  const bars = resourceBars(left, cy, inner, node);
  svg.push(...bars.svg);
  cy += bars.height + 6;

  const pods = podArea(left, cy, inner, node.podBoxes, layout.namedPodsMax, layout.dotRows);
  svg.push(...pods.svg);
  cy += pods.height + PAD;

  return { svg, height: cy - y };
}

function nodeFrame(x: number, y: number, width: number, height: number, node: NodeView): string {
  const stroke = node.ready === 'True' ? '#8c959f' : node.ready === 'False' ? '#c92a2a' : '#6e7781';
  const strokeWidth = node.ready === 'False' ? 2 : 1;
  const fill = node.unschedulable ? '#f6f8fa' : '#ffffff';
  return (
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="6" fill="${fill}" stroke="${stroke}" ` +
    `stroke-width="${strokeWidth}"${dashAttr(node.ready === 'Unknown')}/>`
  );
}

function unscheduledLane(x: number, y: number, width: number, pods: readonly PodBox[]): Block {
  const svg: string[] = [];
  const label = text(
    x + PAD,
    y + PAD + 12,
    `Unscheduled (${pods.length})`,
    ` font-size="13" font-weight="bold" fill="${TEXT}"`,
  );
  const area = podArea(
    x + PAD,
    y + PAD + 20,
    width - 2 * PAD,
    pods,
    PENDING_NAMED_CHIPS_MAX,
    PENDING_DOT_ROWS,
  );
  const height = PAD + 20 + area.height + PAD;
  svg.push(
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="6" fill="#f6f8fa" stroke="#8c959f" stroke-dasharray="6 3"/>`,
    label,
    ...area.svg,
  );
  return { svg, height };
}

const ENDPOINT_STATES: Record<ServiceView['endpoints'][number]['state'], PodState> = {
  ready: 'Running',
  'not ready': 'NotReady',
  terminating: 'Terminating',
};

/** One line per Service (type, address, ports), then its endpoints as chips coloured like their pods. */
function servicesLane(x: number, y: number, width: number, services: readonly ServiceView[]): Block {
  const svg: string[] = [
    text(
      x + PAD,
      y + PAD + 12,
      `Services (${services.length})`,
      ` font-size="13" font-weight="bold" fill="${TEXT}"`,
    ),
  ];
  let cy = y + PAD + 22;
  const inner = width - 2 * PAD;
  for (const svc of services) {
    const name = svc.namespace === 'default' ? svc.name : `${svc.namespace}/${svc.name}`;
    const external = svc.external ? `  external ${svc.external}` : '';
    const line = `${name}  ${svc.type} ${svc.address}  ${svc.ports.join(' ')}${external}`;
    svg.push(
      `<g><title>${xml(`service ${svc.namespace}/${svc.name}\n${line}`)}</title>` +
        text(
          x + PAD,
          cy + 11,
          truncate(line, Math.floor(inner / CHAR)),
          ` font-size="11" font-weight="bold" fill="${TEXT}"`,
        ) +
        '</g>',
    );
    cy += LINE + 2;
    if (svc.endpoints.length === 0) {
      const none = svc.type === 'ExternalName' ? 'no endpoints: a DNS alias' : 'no endpoints';
      svg.push(text(x + PAD + 12, cy + 10, none, ` font-size="10" fill="${MUTED}"`));
      cy += LINE + 4;
      continue;
    }
    const chips: Chip[] = svc.endpoints.map((e) => {
      const style = POD_STYLES[ENDPOINT_STATES[e.state]];
      return {
        label: e.pod,
        title: `endpoint ${e.pod} of service ${svc.namespace}/${svc.name}: ${e.state}`,
        style: { fill: style.fill, stroke: style.stroke, text: TEXT, dashed: style.dashed },
        pill: true,
      };
    });
    const flow = chipFlow(x + PAD + 12, cy, inner - 12, chips, 3);
    svg.push(...flow.svg);
    cy += flow.height + 8;
  }
  const height = cy - y + PAD - 4;
  svg.unshift(
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="6" fill="#f8f9fa" stroke="#8c959f"/>`,
  );
  return { svg, height };
}

function legend(x: number, y: number, width: number): Block {
  const items: Array<Swatch & { pill?: boolean }> = [
    ...Object.values(POD_STYLES),
    ...Object.values(TAINT_STYLES),
    { ...CONDITION_STYLE, pill: true },
  ];
  const svg: string[] = [text(x, y + 10, 'Legend', ` font-size="10" font-weight="bold" fill="${TEXT}"`)];
  let cx = x + textWidth('Legend') + 12;
  let cy = y;
  for (const item of items) {
    const w = 12 + 4 + textWidth(item.label) + 14;
    if (cx + w > x + width) {
      cx = x;
      cy += LINE + 4;
    }
    svg.push(
      `<rect x="${cx}" y="${cy}" width="12" height="12" rx="${item.pill ? 6 : 2}" fill="${item.fill}" ` +
        `stroke="${item.stroke}"${dashAttr(item.dashed)}/>`,
      text(cx + 16, cy + 10, item.label, ` font-size="10" fill="${TEXT}"`),
    );
    cx += w;
  }
  return { svg, height: cy - y + LINE };
}

const MIN_CONTENT_WIDTH = 560;

/** The cluster as a self-contained SVG document. */
export function renderClusterSvg(view: ClusterView): string {
  const layout = view.nodes.length > COMPACT_ABOVE_NODES ? COMPACT : NORMAL;
  const columns = Math.max(1, Math.min(layout.columns, view.nodes.length));
  const gridWidth = columns * layout.nodeWidth + (columns - 1) * GAP;
  const contentWidth = Math.max(gridWidth, MIN_CONTENT_WIDTH);
  const body: string[] = [];
  let y = MARGIN;

  if (view.nodes.length === 0) {
    body.push(text(MARGIN, y + 12, 'No nodes', ` font-size="13" fill="${MUTED}"`));
    y += 18 + GAP;
  }
  for (let start = 0; start < view.nodes.length; start += columns) {
    const row = view.nodes.slice(start, start + columns).map((node, i) => {
      const x = MARGIN + i * (layout.nodeWidth + GAP);
      return { node, x, content: nodeContent(x, y, node, layout) };
    });
    const rowHeight = Math.max(...row.map((cell) => cell.content.height));
    for (const { node, x, content } of row) {
      // Nested titles win on hover, so the node's own shows only over its background and name.
      body.push(
        `<g><title>${xml(nodeTitle(node))}</title>`,
        nodeFrame(x, y, layout.nodeWidth, rowHeight, node),
        ...content.svg,
        '</g>',
      );
    }
    y += rowHeight + GAP;
  }

  if (view.pendingPods.length > 0) {
    const lane = unscheduledLane(MARGIN, y, contentWidth, view.pendingPods);
    body.push(...lane.svg);
    y += lane.height + GAP;
  }

  if ((view.services ?? []).length > 0) {
    const lane = servicesLane(MARGIN, y, contentWidth, view.services ?? []);
    body.push(...lane.svg);
    y += lane.height + GAP;
  }

  const key = legend(MARGIN, y, contentWidth);
  body.push(...key.svg);
  y += key.height + MARGIN;

  const width = contentWidth + 2 * MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" ` +
      `font-family="${xml(FONT_FAMILY)}">`,
    `<rect x="0" y="0" width="${width}" height="${y}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
