// Flapping nodes (issue 13): a node that goes `down` and comes back repeatedly (an LTE link that
// drops every few minutes) is held out of placement for a while when it returns, the hold growing
// with each down inside the window, so a flaky link does not pull replicas onto it only to lose
// them again at its next drop. What runs on it stays (it is not drained); only new work avoids
// it. This is hysteresis on the way back, as Kubernetes' node lifecycle rate-limits and Nomad's
// heartbeat grace damp the way out. Only `down` (silence past the eviction bound) counts: an agent
// that stops cleanly (`left`) is maintenance, not a flap. The history is in the node's record, so
// a coordinator restart does not forget a flaky node.
//
// Pure rules (time passed in), plus FlapTracker, fed by the pool's status changes.
import type { EventLog } from './event-log.js';
import type { DeepReadonly, NodeFlaps, NodeRecord, NodeStatus } from './store/schema.js';
import type { Store } from './store/store.js';

export interface FlapPolicy {
  /** Downs this far back count. @default 10 min */
  readonly windowMs: number;
  /** The hold when a node returns with its second down in the window; doubled for each further one. @default 30 s */
  readonly baseHoldMs: number;
  /** @default 10 min */
  readonly maxHoldMs: number;
  /** At most this many downs are remembered. @default 16 */
  readonly maxRemembered: number;
}

export const DEFAULT_FLAP_POLICY: FlapPolicy = { windowMs: 10 * 60_000, baseHoldMs: 30_000, maxHoldMs: 10 * 60_000, maxRemembered: 16 };

/** The hold for a node returning with `downs` downs in the window: none for one, base for two, doubling after. Pure. */
export function holdFor(downs: number, p: FlapPolicy): number {
  if (downs < 2) return 0;
  return Math.min(p.maxHoldMs, p.baseHoldMs * 2 ** (downs - 2));
}

/** The record after a status change from `from` to `to` at `nowMs`; undefined: nothing to keep. Pure. */
export function nextFlaps(prev: DeepReadonly<NodeFlaps> | undefined, from: NodeStatus, to: NodeStatus, nowMs: number, p: FlapPolicy): NodeFlaps | undefined {
  const downs = (prev?.downsAtMs ?? []).filter((t) => nowMs - t < p.windowMs);
  const held = prev?.heldUntilMs !== undefined && prev.heldUntilMs > nowMs ? prev.heldUntilMs : undefined;
  if (to === 'down') {
    downs.push(nowMs);
    return { downsAtMs: downs.slice(-p.maxRemembered), ...(held !== undefined ? { heldUntilMs: held } : {}) };
  }
  if (from === 'down' && to === 'ready') {
    const hold = holdFor(downs.length, p);
    if (hold > 0) return { downsAtMs: downs, heldUntilMs: Math.max(held ?? 0, nowMs + hold) };
  }
  if (downs.length === 0 && held === undefined) return undefined;
  return { downsAtMs: downs, ...(held !== undefined ? { heldUntilMs: held } : {}) };
}

/** The record once its hold and its old downs have run out (undefined: nothing left). Pure. */
export function expireFlaps(prev: DeepReadonly<NodeFlaps>, nowMs: number, p: FlapPolicy): NodeFlaps | undefined {
  const downs = prev.downsAtMs.filter((t) => nowMs - t < p.windowMs);
  const held = prev.heldUntilMs !== undefined && prev.heldUntilMs > nowMs ? prev.heldUntilMs : undefined;
  if (downs.length === 0 && held === undefined) return undefined;
  return { downsAtMs: downs, ...(held !== undefined ? { heldUntilMs: held } : {}) };
}

/** Why a node is held, for `baton nodes`: `flapping: 3 downs in 10 min`. */
export function heldReason(f: DeepReadonly<NodeFlaps>, p: FlapPolicy = DEFAULT_FLAP_POLICY): string {
  return `flapping: ${f.downsAtMs.length} downs in ${Math.round(p.windowMs / 60_000)} min`;
}

export class FlapTracker {
  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    readonly policy: FlapPolicy = DEFAULT_FLAP_POLICY,
  ) {}

  /** A pool status change (NodePool.onStatusChange). */
  onStatus(node: DeepReadonly<NodeRecord>, from: NodeStatus, to: NodeStatus, nowMs: number): void {
    const next = nextFlaps(node.flaps, from, to, nowMs, this.policy);
    const before = node.flaps?.heldUntilMs;
    if (next === undefined && node.flaps === undefined) return;
    this.store.transact((s) => {
      const n = s.nodes[node.id];
      if (!n) return;
      if (next) n.flaps = next;
      else delete n.flaps;
    });
    if (next?.heldUntilMs !== undefined && next.heldUntilMs !== before) {
      const holdS = Math.round((next.heldUntilMs - nowMs) / 1000);
      this.events.append({ type: 'node.held', nodeId: node.id, nodeName: node.name, from: '', to: 'held', reason: `${heldReason(next, this.policy)}: no new work for ${holdS} s`, message: '' });
    }
  }

  /** Ends holds and forgets old downs; the control loop calls it every round. True when something changed. */
  expire(nowMs: number): boolean {
    const changes: [string, NodeFlaps | undefined, boolean][] = [];
    for (const n of this.store.nodes()) {
      if (!n.flaps) continue;
      const next = expireFlaps(n.flaps, nowMs, this.policy);
      const released = n.flaps.heldUntilMs !== undefined && next?.heldUntilMs === undefined;
      if (released || (next?.downsAtMs.length ?? 0) !== n.flaps.downsAtMs.length) changes.push([n.id, next, released]);
    }
    if (changes.length === 0) return false;
    this.store.transact((s) => {
      for (const [id, next] of changes) {
        const n = s.nodes[id];
        if (!n) continue;
        if (next) n.flaps = next;
        else delete n.flaps;
      }
    });
    for (const [id, , released] of changes) {
      const n = this.store.state.nodes[id];
      if (released && n) this.events.append({ type: 'node.released', nodeId: id, nodeName: n.name, from: 'held', to: '', reason: 'its hold after flapping ran out', message: '' });
    }
    return true;
  }
}
