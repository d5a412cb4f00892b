// The node status machine: a pure function from (status, last report, input, now) to the next
// status and why. The pool calls it; time is passed in, never read here.
import type { NodeStatus } from './store/schema.js';

export interface StatusTimeouts {
  /** Silence after which a ready node becomes suspect. @default 3000 */
  readonly suspectAfterMs: number;
  /** Silence after which a node is down and evicted from the pool. @default 5000 */
  readonly downAfterMs: number;
}

export const DEFAULT_TIMEOUTS: StatusTimeouts = { suspectAfterMs: 3000, downAfterMs: 5000 };

export type StatusInput =
  /** Periodic check for silence. */
  | { readonly kind: 'tick' }
  /** The agent (re)introduced itself on a new session. */
  | { readonly kind: 'hello'; readonly known: boolean }
  /** A usage report arrived on the live session. */
  | { readonly kind: 'report' }
  /** The agent said goodbye before closing its stream. */
  | { readonly kind: 'goodbye'; readonly reason: string }
  /** The stream ended without a goodbye (process died, connection reset). */
  | { readonly kind: 'disconnected'; readonly detail: string };

export interface Transition {
  readonly to: NodeStatus;
  readonly reason: string;
}

/** Returns the transition `input` causes, or undefined when the status stays. */
export function nextStatus(
  status: NodeStatus,
  lastSeenMs: number,
  input: StatusInput,
  nowMs: number,
  timeouts: StatusTimeouts = DEFAULT_TIMEOUTS,
): Transition | undefined {
  switch (input.kind) {
    case 'hello':
      if (!input.known) return { to: 'ready', reason: 'joined' };
      return status === 'ready' ? undefined : { to: 'ready', reason: `rejoined (was ${status})` };
    case 'report':
      return status === 'ready' ? undefined : { to: 'ready', reason: `reports resumed (was ${status})` };
    case 'goodbye':
      return status === 'left' ? undefined : { to: 'left', reason: `agent left: ${input.reason || 'shutdown'}` };
    case 'disconnected':
      // A closed stream is a strong hint but not proof of death (a proxy or a restart of the
      // agent's connection can close it): suspect now, down only after the silence bound.
      return status === 'ready' ? { to: 'suspect', reason: `stream closed: ${input.detail}` } : undefined;
    case 'tick': {
      if (status === 'down' || status === 'left') return undefined;
      const silentMs = nowMs - lastSeenMs;
      if (silentMs >= timeouts.downAfterMs) {
        return { to: 'down', reason: `no report for ${seconds(silentMs)} (limit ${seconds(timeouts.downAfterMs)}): evicted` };
      }
      if (status === 'ready' && silentMs >= timeouts.suspectAfterMs) {
        return { to: 'suspect', reason: `no report for ${seconds(silentMs)}` };
      }
      return undefined;
    }
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Only ready nodes receive new work. */
export function isSchedulable(status: NodeStatus): boolean {
  return status === 'ready';
}
