// "Why didn't it place?": every node is run through the whole filter pipeline and counted under
// the first filter that rejects it, e.g.
// `0/5 nodes fit: 3 insufficient memory (needs 512 MiB, most free 300 MiB), 1 constraint node.labels.zone==edge, 1 host port 8080 in use`.
import { formatBytes, formatCpu } from '../../shared/format.js';
import { FILTERS, firstRejection } from './filters.js';
import { PlanState } from './plan-state.js';
import type { FilterName, ReplicaRequest, SchedNode, Unplaced } from './types.js';

const FILTER_ORDER: readonly FilterName[] = FILTERS.map((f) => f.name);

/** Explains why `r` does not fit the snapshot `nodes` (as they are, before any plan). */
export function explainUnplaced(nodes: readonly SchedNode[], r: ReplicaRequest): Unplaced {
  return explainIn(new PlanState(nodes), r);
}

/** Explains against a working state, i.e. after the replicas a plan placed so far. */
export function explainIn(s: PlanState, r: ReplicaRequest): Unplaced {
  if (r.nodeId !== undefined) return explainPinned(s, r, r.nodeId);
  const byLabel = new Map<string, { filter: FilterName; count: number }>();
  const rejections: Partial<Record<FilterName, number>> = {};
  let fit = 0;
  let mostFreeCpu = -Infinity;
  let mostFreeMem = -Infinity;
  for (let j = 0; j < s.size; j++) {
    const rej = firstRejection(FILTERS, s, j, r);
    if (!rej) {
      fit++;
      continue;
    }
    const entry = byLabel.get(rej.label) ?? { filter: rej.filter, count: 0 };
    entry.count++;
    byLabel.set(rej.label, entry);
    rejections[rej.filter] = (rejections[rej.filter] ?? 0) + 1;
    if (rej.filter === 'cpu') mostFreeCpu = Math.max(mostFreeCpu, s.freeCpuMillis[j]!);
    if (rej.filter === 'memory') mostFreeMem = Math.max(mostFreeMem, s.freeMemoryBytes[j]!);
  }
  const parts = [...byLabel.entries()]
    .sort(
      ([la, a], [lb, b]) =>
        b.count - a.count ||
        FILTER_ORDER.indexOf(a.filter) - FILTER_ORDER.indexOf(b.filter) ||
        (la < lb ? -1 : la > lb ? 1 : 0),
    )
    .map(([label, { filter, count }]) => {
      if (filter === 'cpu') return `${count} ${label} (needs ${formatCpu(r.cpuMillis)}, most free ${formatCpu(mostFreeCpu)})`;
      if (filter === 'memory')
        return `${count} ${label} (needs ${formatBytes(r.memoryBytes)}, most free ${formatBytes(mostFreeMem)})`;
      return `${count} ${label}`;
    });
  const summary = `${fit}/${s.size} nodes fit`;
  const reason = s.size === 0 ? `${summary}: no nodes` : parts.length > 0 ? `${summary}: ${parts.join(', ')}` : summary;
  return { service: r.service, replica: r.replica, reason, rejections };
}

/**
 * A replica pinned to one node (a global service's, or a sticky one's home) is explained by that
 * node alone, e.g. `node edge-2: insufficient memory (needs 512 MiB, 300 MiB free)`, or
 * `pinned to node-b, which holds its volume data (x-baton sticky volume "data"); node-b is down: ...`.
 */
function explainPinned(s: PlanState, r: ReplicaRequest, nodeId: string): Unplaced {
  const j = s.nodes.findIndex((n) => n.id === nodeId);
  const pinned = (name: string) => (r.pinReason ? `pinned to ${name}, ${r.pinReason}; ` : '');
  if (j < 0) return { service: r.service, replica: r.replica, reason: `${pinned(nodeId)}node ${nodeId} is not in the pool`, rejections: { node: 1 } };
  const node = s.nodes[j]!;
  const name = node.name;
  const rej = firstRejection(FILTERS, s, j, r);
  if (!rej) return { service: r.service, replica: r.replica, reason: `${pinned(name)}node ${name} fits it but it was not placed`, rejections: {} };
  // A sticky replica whose home is not ready waits for it: nothing else holds its data.
  if (r.pinReason && rej.filter === 'status') {
    return { service: r.service, replica: r.replica, reason: `${pinned(name)}${name} ${node.status === 'left' ? 'has left (its agent stopped)' : `is ${node.status}`}: waiting for it (\`baton node rm ${name}\` places it anew, without its data)`, rejections: { status: 1 } };
  }
  const detail =
    rej.filter === 'cpu'
      ? ` (needs ${formatCpu(r.cpuMillis)}, ${formatCpu(s.freeCpuMillis[j]!)} free)`
      : rej.filter === 'memory'
        ? ` (needs ${formatBytes(r.memoryBytes)}, ${formatBytes(s.freeMemoryBytes[j]!)} free)`
        : '';
  return { service: r.service, replica: r.replica, reason: `${pinned(name)}node ${name}: ${rej.label}${detail}`, rejections: { [rej.filter]: 1 } };
}
