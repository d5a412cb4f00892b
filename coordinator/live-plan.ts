// Plans Compose files against the live node pool for `baton plan` (wired with the scheduler).
import type { PlanHandler } from './control-service.js';
import type { NodePool } from './node-pool.js';
export function livePlanner(_pool: NodePool): PlanHandler | undefined {
  return undefined;
}
