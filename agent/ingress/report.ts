// The node's IngressReport from what the controller holds (pure): each published port's state, the
// services' cumulative counters, open connections per own replica.
import type { EndpointSet, IngressCounters, IngressPortState, IngressReport } from '../../shared/model/ingress.js';
import type { CounterValue } from './nft.js';
import type { PortHoldState } from './port-holder.js';
import { destinations, serviceKey, type LocalOverrides, type ServiceCounterNames } from './ruleset.js';

/** Cumulative counts of one service, kept across table replacements (each starts the kernel's at 0). */
export interface ServiceTotals {
  /** DNAT evaluations: a connection whose endpoint refused is evaluated once more (its SYN retransmit). */
  readonly natted: number;
  readonly bytes: number;
  readonly refused: number;
}

export const ZERO_TOTALS: ServiceTotals = { natted: 0, bytes: 0, refused: 0 };

/** A service's counts in the current table. */
export function totalsFrom(names: ServiceCounterNames, counters: ReadonlyMap<string, CounterValue>): ServiceTotals {
  return {
    natted: counters.get(names.connections)?.packets ?? 0,
    bytes: counters.get(names.bytes)?.bytes ?? 0,
    refused: counters.get(names.refused)?.packets ?? 0,
  };
}

export function addTotals(a: ServiceTotals, b: ServiceTotals): ServiceTotals {
  return { natted: a.natted + b.natted, bytes: a.bytes + b.bytes, refused: a.refused + b.refused };
}

export interface ReportInput {
  /** The newest set received (its rules applied, or being retried after `applyError`). */
  readonly set: EndpointSet;
  /** The version whose rules are in the kernel. */
  readonly appliedVersion: number;
  readonly nodeId: string;
  readonly overrides: LocalOverrides;
  /** By published port; undefined when not held (e.g. UDP, excluded). */
  readonly holds: (published: number) => PortHoldState | undefined;
  /** Why the last apply failed; '' when it worked. */
  readonly applyError: string;
  /** By `stack/service`. */
  readonly totals: ReadonlyMap<string, ServiceTotals>;
  /** Open connections by reply source `ip:port` (conntrack.ts). */
  readonly open: ReadonlyMap<string, number>;
}

export function buildReport(input: ReportInput): IngressReport {
  const { set, nodeId, overrides } = input;
  const ports: IngressPortState[] = [];
  const counters: IngressCounters[] = [];
  const connections: Record<string, number> = {};
  const ownTargets = new Map<string, { ip: string; targets: Set<number> }>();
  for (const s of set.services) {
    for (const p of s.published) {
      const base = { stack: s.stack, service: s.service, published: p.published, protocol: p.protocol };
      const hold = p.protocol === 'tcp' && !s.excluded ? input.holds(p.published) : undefined;
      if (s.excluded) ports.push({ ...base, state: 'excluded', error: '' });
      else if (input.applyError) ports.push({ ...base, state: 'error', error: input.applyError });
      else if (p.protocol !== 'tcp') ports.push({ ...base, state: 'error', error: 'UDP ingress is not supported (use mode: host)' });
      else if (hold?.state === 'port-in-use') ports.push({ ...base, state: 'port-in-use', error: hold.error });
      else if (destinations(s, p.target, nodeId, overrides).length === 0) ports.push({ ...base, state: 'no-endpoints', error: '' });
      else ports.push({ ...base, state: 'serving', error: hold?.state === 'error' ? hold.error : '' });
    }
    const t = input.totals.get(serviceKey(s)) ?? { natted: 0, bytes: 0, refused: 0 };
    // A refused try is NATed twice (first SYN, retransmit): count the connection once.
    counters.push({ stack: s.stack, service: s.service, connections: Math.max(0, t.natted - t.refused), bytes: t.bytes, failedForwards: t.refused });
    for (const e of s.endpoints) {
      if (e.nodeId !== nodeId || !e.containerIp) continue;
      const own = (ownTargets.get(e.allocationId) ?? ownTargets.set(e.allocationId, { ip: e.containerIp, targets: new Set() }).get(e.allocationId))!;
      for (const p of s.targetPorts) if (p.protocol === 'tcp') own.targets.add(p.port);
      for (const p of s.published) if (p.protocol === 'tcp') own.targets.add(p.target);
    }
  }
  for (const [id, own] of ownTargets) {
    let n = 0;
    for (const t of own.targets) n += input.open.get(`${own.ip}:${t}`) ?? 0;
    connections[id] = n;
  }
  return { appliedVersion: input.appliedVersion, ports, counters, connections, error: input.applyError };
}
