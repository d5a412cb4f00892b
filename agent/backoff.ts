// Jittered exponential backoff for reconnecting ("full jitter": uniform in [0, min(cap, base*2^n)]),
// so a coordinator restart is not met by every agent at the same instant.
import { AGENT_MAX_RECONNECT_MS } from '../shared/reconnect.js';
export interface BackoffOptions {
  /** @default 250 */
  initialMs?: number;
  /** @default 4000 */
  maxMs?: number;
  /** Random source in [0,1); injectable for tests. */
  random?: () => number;
}

export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 250;
  const max = options.maxMs ?? AGENT_MAX_RECONNECT_MS;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  // Never below a small floor so a flapping coordinator is not hammered in a tight loop.
  return Math.max(Math.min(50, ceiling), Math.floor((options.random ?? Math.random)() * ceiling));
}
