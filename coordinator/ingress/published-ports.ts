// Published ports across the cluster: an ingress port is served on every node, so a published
// port/protocol belongs to one service at most (ingress vs ingress, or ingress vs host, any stacks),
// and an ingress port written without one gets a port from Swarm's range, kept across deploys.
// Pure: the caller passes every service and stores the assignments, or rejects the deploy.
import type { PortSpec } from '../../shared/compose/types.js';

/** Swarm's range for published ports it chooses itself. */
export const ASSIGNED_PORT_MIN = 30000;
export const ASSIGNED_PORT_MAX = 32767;

export interface PortHolder {
  /** `stack/service`. */
  readonly key: string;
  readonly ports: readonly Pick<PortSpec, 'target' | 'published' | 'protocol' | 'mode'>[];
  /** ServiceRecord.assignedPorts: target `port/protocol` -> the published port Baton chose. */
  readonly assigned?: Readonly<Record<string, number>>;
}

/** Two services publishing one port: named by both services, for a deploy-time error. */
export interface PortConflict {
  /** `8080/tcp`. */
  readonly port: string;
  readonly services: readonly [string, string];
  readonly message: string;
}

export interface PublishedPorts {
  /** Per holder (every one, in order): target `port/protocol` -> assigned published port; empty when it has none. */
  readonly assigned: Map<string, Record<string, number>>;
  readonly conflicts: PortConflict[];
  /** Ingress ports left without a port because the range is used up, as `stack/service target/protocol`. */
  readonly exhausted: string[];
}

interface Claim {
  readonly key: string;
  /** How it publishes the port: `ingress`, `host`, or `assigned` (an ingress port Baton chose). */
  readonly how: 'ingress' | 'host' | 'assigned';
}

const describe = (c: Claim): string => `${c.key} (${c.how === 'assigned' ? 'ingress, assigned by Baton' : c.how})`;

/**
 * Checks the published ports of `holders` against each other and assigns the missing ones. Claims
 * are taken in order (explicit ports first, then ports kept from earlier deploys), and the first
 * holder of a port keeps it; every later one of another service that clashes is a conflict, except
 * two `mode: host` ports, which the scheduler keeps apart per node as before. New ports are the
 * lowest free in 30000-32767, skipping every port any service publishes.
 */
export function publishedPorts(holders: readonly PortHolder[]): PublishedPorts {
  const claims = new Map<string, Claim>();
  const conflicts: PortConflict[] = [];
  const claim = (port: string, c: Claim): boolean => {
    const first = claims.get(port);
    if (!first) {
      claims.set(port, c);
      return true;
    }
    if (first.key === c.key || (first.how === 'host' && c.how === 'host')) return true;
    conflicts.push({
      port,
      services: [first.key, c.key],
      message: `published port ${port} is published by both ${describe(first)} and ${describe(c)}: an ingress port is served on every node, so only one service may publish it (change one of them)`,
    });
    return false;
  };

  for (const h of holders) {
    for (const p of h.ports) if (p.published !== undefined) claim(`${p.published}/${p.protocol}`, { key: h.key, how: p.mode });
  }

  const assigned = new Map<string, Record<string, number>>();
  const waiting: { holder: string; target: string; protocol: string }[] = [];
  for (const h of holders) {
    const mine: Record<string, number> = {};
    assigned.set(h.key, mine);
    const seen = new Set<string>();
    for (const p of h.ports) {
      if (p.mode !== 'ingress' || p.published !== undefined) continue;
      const target = `${p.target}/${p.protocol}`;
      if (seen.has(target)) continue;
      seen.add(target);
      const kept = h.assigned && Object.hasOwn(h.assigned, target) ? h.assigned[target] : undefined;
      if (kept !== undefined && claim(`${kept}/${p.protocol}`, { key: h.key, how: 'assigned' })) mine[target] = kept;
      else if (kept === undefined) waiting.push({ holder: h.key, target, protocol: p.protocol });
    }
  }

  const exhausted: string[] = [];
  // Claims only grow, so the search for the next free port resumes where it stopped (per protocol).
  const nextBy = new Map<string, number>();
  for (const w of waiting) {
    let next = nextBy.get(w.protocol) ?? ASSIGNED_PORT_MIN;
    while (next <= ASSIGNED_PORT_MAX && claims.has(`${next}/${w.protocol}`)) next++;
    nextBy.set(w.protocol, next);
    if (next > ASSIGNED_PORT_MAX) {
      exhausted.push(`${w.holder} ${w.target}`);
      continue;
    }
    claims.set(`${next}/${w.protocol}`, { key: w.holder, how: 'assigned' });
    assigned.get(w.holder)![w.target] = next;
  }
  return { assigned, conflicts, exhausted };
}
