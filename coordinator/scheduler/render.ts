// `baton plan` output: where each replica would go, how full each node gets, and why anything
// could not be placed. Text for people, JSON for scripts; both derived from the same Plan.
import type { Plan, ReplicaRequest, SchedNode } from './types.js';

/** The JSON document `baton plan --json` prints. Service names are as written in the Compose file (no stack prefix). */
export interface PlanJson {
  /** `pinned`: why the replica may go to that node only (a sticky replica's home), when it is pinned for a reason. */
  readonly placements: { readonly service: string; readonly replica: number; readonly node: string; readonly pinned?: string }[];
  readonly unplaced: { readonly service: string; readonly replica: number; readonly reason: string }[];
  /** Every node of the snapshot; `reserved*` is after the plan. */
  readonly nodes: {
    readonly name: string;
    readonly cpuMillis: number;
    readonly memoryBytes: number;
    readonly reservedCpuMillis: number;
    readonly reservedMemoryBytes: number;
  }[];
}

/** 0 when every replica was placed, 1 when anything is unplaced. */
export function planExitCode(plan: Plan): 0 | 1 {
  return plan.unplaced.length === 0 ? 0 : 1;
}

/** `stack/web` -> `web`: the name the user wrote in Compose. */
export function plainServiceName(service: string): string {
  const slash = service.indexOf('/');
  return slash < 0 ? service : service.slice(slash + 1);
}

interface NodeAfter {
  readonly node: SchedNode;
  readonly cpuAfter: number;
  readonly memAfter: number;
  readonly placed: number;
}

/** Each node's reservations after applying the plan's placements. */
function nodesAfter(nodes: readonly SchedNode[], requests: readonly ReplicaRequest[], plan: Plan): NodeAfter[] {
  const byKey = new Map<string, ReplicaRequest>();
  for (const r of requests) byKey.set(`${r.service}\n${r.replica}`, r);
  const add = new Map<string, { cpu: number; mem: number; placed: number }>();
  for (const p of plan.placements) {
    const r = byKey.get(`${p.service}\n${p.replica}`);
    if (!r) throw new Error(`plan places ${p.service}.${p.replica}, which is not among the requests`);
    const a = add.get(p.nodeId) ?? { cpu: 0, mem: 0, placed: 0 };
    a.cpu += r.cpuMillis;
    a.mem += r.memoryBytes;
    a.placed++;
    add.set(p.nodeId, a);
  }
  return nodes.map((node) => {
    const a = add.get(node.id);
    return {
      node,
      cpuAfter: node.reservedCpuMillis + (a?.cpu ?? 0),
      memAfter: node.reservedMemoryBytes + (a?.mem ?? 0),
      placed: a?.placed ?? 0,
    };
  });
}

export function planToJson(nodes: readonly SchedNode[], requests: readonly ReplicaRequest[], plan: Plan): PlanJson {
  const pins = pinsOf(requests);
  return {
    placements: plan.placements.map((p) => {
      const why = pins.get(`${p.service}\n${p.replica}`);
      return { service: plainServiceName(p.service), replica: p.replica, node: p.nodeName, ...(why ? { pinned: `pinned to ${p.nodeName}, ${why}` } : {}) };
    }),
    unplaced: plan.unplaced.map((u) => ({ service: plainServiceName(u.service), replica: u.replica, reason: u.reason })),
    nodes: nodesAfter(nodes, requests, plan).map((n) => ({
      name: n.node.name,
      cpuMillis: n.node.cpuMillis,
      memoryBytes: n.node.memoryBytes,
      reservedCpuMillis: n.cpuAfter,
      reservedMemoryBytes: n.memAfter,
    })),
  };
}

/** Above this many nodes, the text view lists only nodes that receive replicas. */
const LIST_ALL_NODES_UP_TO = 50;
const BAR_WIDTH = 10;

export function renderPlanText(nodes: readonly SchedNode[], requests: readonly ReplicaRequest[], plan: Plan): string {
  const lines: string[] = [];
  const label = (service: string, replica: number): string => `${plainServiceName(service)}.${replica}`;
  if (plan.placements.length > 0) {
    lines.push('placements:');
    const width = Math.max(...plan.placements.map((p) => label(p.service, p.replica).length));
    for (const p of plan.placements) lines.push(`  ${label(p.service, p.replica).padEnd(width)}  -> ${p.nodeName}`);
  }
  // Replicas that may go to one node only for a reason (sticky homes), placed or not; the unplaced ones say more below.
  const pins = pinsOf(requests);
  if (pins.size > 0) {
    const names = new Map(nodes.map((n) => [n.id, n.name]));
    lines.push('', 'pinned:');
    for (const r of requests) {
      const why = pins.get(`${r.service}\n${r.replica}`);
      if (why) lines.push(`  ${label(r.service, r.replica)}: pinned to ${names.get(r.nodeId!) ?? r.nodeId}, ${why}`);
    }
  }
  const after = nodesAfter(nodes, requests, plan);
  const shown = after.length <= LIST_ALL_NODES_UP_TO ? after : after.filter((n) => n.placed > 0);
  if (shown.length > 0) {
    lines.push('', 'nodes (reserved before -> after):');
    const width = Math.max(...shown.map((n) => n.node.name.length));
    for (const n of shown) {
      const status = n.node.status === 'ready' ? '' : `  (${n.node.status})`;
      lines.push(
        `  ${n.node.name.padEnd(width)}  cpu ${fillBar(n.node.reservedCpuMillis, n.node.cpuMillis)} -> ${fillBar(n.cpuAfter, n.node.cpuMillis)}` +
          `  mem ${fillBar(n.node.reservedMemoryBytes, n.node.memoryBytes)} -> ${fillBar(n.memAfter, n.node.memoryBytes)}${status}`,
      );
    }
    if (shown.length < after.length) lines.push(`  (${after.length - shown.length} other nodes unchanged)`);
  }
  if (plan.unplaced.length > 0) {
    lines.push('', 'unplaced:');
    for (const u of plan.unplaced) lines.push(`  ${label(u.service, u.replica)}  ${u.reason}`);
  }
  const usedNodes = new Set(plan.placements.map((p) => p.nodeId)).size;
  lines.push(
    '',
    `${plan.placements.length} placed on ${usedNodes} node${usedNodes === 1 ? '' : 's'}, ${plan.unplaced.length} unplaced`,
  );
  return lines.join('\n') + '\n';
}

/** `service\nreplica` -> why it is pinned, for the requests pinned for a reason. */
function pinsOf(requests: readonly ReplicaRequest[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of requests) if (r.nodeId !== undefined && r.pinReason) out.set(`${r.service}\n${r.replica}`, r.pinReason);
  return out;
}

/** `[#####.....]  50%`; a node without that resource shows `n/a`. */
export function fillBar(reserved: number, capacity: number): string {
  if (capacity <= 0) return `[${' '.repeat(BAR_WIDTH)}]  n/a`;
  const pct = Math.round((100 * reserved) / capacity);
  const filled = Math.max(0, Math.min(BAR_WIDTH, Math.round((pct * BAR_WIDTH) / 100)));
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(pct).padStart(3)}%`;
}

