// "Given the nodes:" tables: one Node per row. Columns: name (required), cpu, memory, pods,
// ephemeral-storage, any extended resource (a name with a '/', e.g. nvidia.com/gpu), labels (k=v,k2=v2),
// taints (kubectl's key=value:Effect, comma-separated) and unschedulable (true/false). Resource columns set
// both capacity and allocatable; unspecified ones take the defaults of DEFAULT_NODE_CAPACITY.
import type { NodeObject } from '../api/nodes';
import { parseQuantity, Quantity } from '../api/quantity';
import { parseTaintList } from '../api/taints';

const RESOURCE_COLUMNS = new Set(['cpu', 'memory', 'pods', 'ephemeral-storage']);
const OTHER_COLUMNS = new Set(['name', 'labels', 'taints', 'unschedulable']);

export class NodeTableError extends Error {}

export function nodesFromTable(rows: readonly Record<string, string>[]): NodeObject[] {
  return rows.map((row, i) => nodeFromRow(row, i + 1));
}

function nodeFromRow(row: Record<string, string>, number: number): NodeObject {
  const name = row.name?.trim();
  const where = `row ${number}${name ? ` (node ${name})` : ''}`;
  if (!name) throw new NodeTableError(`${where}: the name column is required`);
  const capacity: Record<string, string> = {};
  for (const [column, raw] of Object.entries(row)) {
    const value = raw.trim();
    if (OTHER_COLUMNS.has(column)) continue;
    if (!RESOURCE_COLUMNS.has(column) && !column.includes('/') && !column.startsWith('hugepages-')) {
      throw new NodeTableError(
        `unknown column "${column}": use name, cpu, memory, pods, ephemeral-storage, labels, taints, unschedulable or an extended resource such as nvidia.com/gpu`,
      );
    }
    if (value === '') continue;
    // The API server would refuse the node for it too, but without saying which row.
    const q = parseQuantity(value, column);
    if (!(q instanceof Quantity)) throw new NodeTableError(`${where}: ${column}: ${q.detail}`);
    capacity[column] = value;
  }
  let taints: ReturnType<typeof parseTaintList>;
  try {
    taints = parseTaintList(row.taints ?? '');
  } catch (error) {
    throw new NodeTableError(`${where}: taints: ${(error as Error).message}`);
  }
  const unschedulable = (row.unschedulable ?? '').trim();
  if (unschedulable !== '' && unschedulable !== 'true' && unschedulable !== 'false') {
    throw new NodeTableError(`${where}: unschedulable must be true or false, not "${unschedulable}"`);
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: parseLabels(row.labels ?? '', where) },
    spec: {
      ...(taints.length > 0 ? { taints } : {}),
      ...(unschedulable === 'true' ? { unschedulable: true } : {}),
    },
    status: { capacity: { ...capacity }, allocatable: { ...capacity } },
  };
}

/** `k=v,k2=v2` → {k: v, k2: v2}; the API server validates keys and values. */
export function parseLabels(text: string, where = 'labels'): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new NodeTableError(`${where}: label "${part}" must be written key=value`);
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return labels;
}
