// Unhealthy nodes (issue 13): a node that reports but cannot run work is taken out of placement
// and its replicas are moved off as in a drain (start-first, within each service's parallelism;
// reconciler.ts), with the reason and its numbers in an event, as Kubernetes' node conditions
// (NotReady, DiskPressure, MemoryPressure) taint a node. Causes: its engine unreachable for longer
// than a bound while the agent still reports, its disk or memory above a threshold, or start
// failures of several different services there within a window (one broken image fails
// everywhere and says nothing about a node). It returns to service only after it has been
// healthy for a hold time, and nothing moves back by itself. The state is durable in the node
// record, so a coordinator restart does not put work on it again.
//
// Pure rules (time passed in), plus NodeHealthMonitor, which the control loop runs every round.
import type { HostUsage } from '../shared/observations.js';
import type { EventLog } from './event-log.js';
import type { AllocationRecord, DeepReadonly, NodeRecord } from './store/schema.js';
import type { Store } from './store/store.js';

export interface NodeHealthThresholds {
  /** The engine unreachable this long while the agent reports. @default 30 s */
  readonly engineDownMs: number;
  /** Disk used above this percentage of the node's disk. @default 95 */
  readonly diskPercent: number;
  /** Memory in use (total minus available) above this percentage. @default 98 */
  readonly memoryPercent: number;
  /** Start failures of this many different services on the node within failureWindowMs. @default 3 */
  readonly startFailures: number;
  readonly failureWindowMs: number;
  /** Healthy this long before it takes work again. @default 60 s */
  readonly healthyHoldMs: number;
}

export const DEFAULT_NODE_HEALTH: NodeHealthThresholds = {
  engineDownMs: 30_000,
  diskPercent: 95,
  memoryPercent: 98,
  startFailures: 3,
  failureWindowMs: 10 * 60_000,
  healthyHoldMs: 60_000,
};

export interface NodeHealthFacts {
  /** Since when the agent says its engine is down (undefined: up). */
  readonly engineDownSinceMs?: number | undefined;
  readonly usage?: HostUsage | undefined;
  /** The different services (`stack/service`) whose replicas failed to start or crashed there within the window. */
  readonly failedServices: readonly string[];
}

export interface NodeHealthState {
  reason: string;
  sinceMs: number;
  /** Healthy again since then (the hold time runs); undefined: still unhealthy. */
  healthySinceMs?: number;
}

const pct = (used: number, total: number) => (total > 0 ? (100 * used) / total : 0);

/** Why the node cannot run work now, with its numbers; undefined: it can. Pure. */
export function unhealthyReason(f: NodeHealthFacts, t: NodeHealthThresholds, nowMs: number): string | undefined {
  if (f.engineDownSinceMs !== undefined && nowMs - f.engineDownSinceMs >= t.engineDownMs) {
    return `engine unreachable for ${Math.round((nowMs - f.engineDownSinceMs) / 1000)} s (bound ${Math.round(t.engineDownMs / 1000)} s)`;
  }
  const u = f.usage;
  if (u && u.diskTotalBytes > 0 && pct(u.diskUsedBytes, u.diskTotalBytes) > t.diskPercent) {
    return `disk ${pct(u.diskUsedBytes, u.diskTotalBytes).toFixed(1)}% used (threshold ${t.diskPercent}%)`;
  }
  if (u && u.memoryTotalBytes > 0 && pct(u.memoryUsedBytes, u.memoryTotalBytes) > t.memoryPercent) {
    return `memory ${pct(u.memoryUsedBytes, u.memoryTotalBytes).toFixed(1)}% in use (threshold ${t.memoryPercent}%)`;
  }
  if (f.failedServices.length >= t.startFailures) {
    const names = [...f.failedServices].sort();
    return `replicas of ${names.length} different services failed there within ${Math.round(t.failureWindowMs / 60_000)} min (${names.join(', ')}; threshold ${t.startFailures})`;
  }
  return undefined;
}

export interface HealthTransition {
  readonly next: NodeHealthState | undefined;
  /** An event when the node turns unhealthy or returns (not for a hold that is still running). */
  readonly event?: { readonly type: 'node.unhealthy' | 'node.healthy'; readonly reason: string };
  /** The durable state changed (write it). */
  readonly changed: boolean;
}

/** The node's health state after a round that found `reason` (undefined: nothing wrong). Pure. */
export function nextHealth(prev: DeepReadonly<NodeHealthState> | undefined, reason: string | undefined, t: NodeHealthThresholds, nowMs: number): HealthTransition {
  if (reason !== undefined) {
    if (!prev) return { next: { reason, sinceMs: nowMs }, event: { type: 'node.unhealthy', reason }, changed: true };
    // Still (or again) unhealthy: the hold starts over; a new cause replaces the old one.
    if (prev.reason === reason && prev.healthySinceMs === undefined) return { next: { ...prev }, changed: false };
    return { next: { reason, sinceMs: prev.sinceMs }, changed: true };
  }
  if (!prev) return { next: undefined, changed: false };
  if (prev.healthySinceMs === undefined) return { next: { ...prev, healthySinceMs: nowMs }, changed: true };
  if (nowMs - prev.healthySinceMs >= t.healthyHoldMs) {
    return { next: undefined, event: { type: 'node.healthy', reason: `healthy for ${Math.round((nowMs - prev.healthySinceMs) / 1000)} s after: ${prev.reason}` }, changed: true };
  }
  return { next: { ...prev }, changed: false };
}

/** Per node, the different services whose replicas there failed since `sinceMs`. Pure. */
export function failedServicesByNode(allocations: Iterable<DeepReadonly<Pick<AllocationRecord, 'nodeId' | 'stack' | 'service' | 'observed'>>>, sinceMs: number): Map<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const a of allocations) {
    if (a.observed?.state !== 'failed' || a.observed.atMs < sinceMs) continue;
    let s = sets.get(a.nodeId);
    if (!s) sets.set(a.nodeId, (s = new Set()));
    s.add(`${a.stack}/${a.service}`);
  }
  return new Map([...sets].map(([k, v]) => [k, [...v]]));
}

/** What the monitor reads of a node view. */
export type HealthNode = Pick<DeepReadonly<NodeRecord>, 'id' | 'name' | 'status' | 'unhealthy'> & { readonly connected: boolean; readonly dockerUp: boolean; readonly usage: HostUsage | undefined };

/** Runs the rules over the pool every round; the store is the writer, events say each transition. */
export class NodeHealthMonitor {
  /** Node id -> when its engine was first seen down on this session (memory: a restart starts the bound over). */
  private readonly engineDownSince = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    readonly thresholds: NodeHealthThresholds = DEFAULT_NODE_HEALTH,
  ) {}

  /** True when some node's state changed (the caller lists the pool again). */
  evaluate(nodes: readonly HealthNode[], allocations: Iterable<DeepReadonly<AllocationRecord>>, nowMs: number): boolean {
    const failed = failedServicesByNode(allocations, nowMs - this.thresholds.failureWindowMs);
    const writes: [string, NodeHealthState | undefined][] = [];
    const events: [HealthNode, NonNullable<HealthTransition['event']>][] = [];
    for (const n of nodes) {
      // Only a node that reports can be judged here; a silent one is the pool's (suspect, down).
      if (!n.connected || n.status !== 'ready') {
        this.engineDownSince.delete(n.id);
        continue;
      }
      if (n.dockerUp) this.engineDownSince.delete(n.id);
      else if (!this.engineDownSince.has(n.id)) this.engineDownSince.set(n.id, nowMs);
      const reason = unhealthyReason({ engineDownSinceMs: this.engineDownSince.get(n.id), usage: n.usage, failedServices: failed.get(n.id) ?? [] }, this.thresholds, nowMs);
      const tr = nextHealth(n.unhealthy, reason, this.thresholds, nowMs);
      if (tr.changed) writes.push([n.id, tr.next]);
      if (tr.event) events.push([n, tr.event]);
    }
    if (writes.length === 0) return false;
    this.store.transact((s) => {
      for (const [id, next] of writes) {
        const rec = s.nodes[id];
        if (!rec) continue;
        if (next) rec.unhealthy = next;
        else delete rec.unhealthy;
      }
    });
    for (const [n, e] of events) {
      this.events.append({ type: e.type, nodeId: n.id, nodeName: n.name, from: e.type === 'node.unhealthy' ? 'healthy' : 'unhealthy', to: e.type === 'node.unhealthy' ? 'unhealthy' : 'healthy', reason: e.reason, message: '' });
    }
    return true;
  }
}
