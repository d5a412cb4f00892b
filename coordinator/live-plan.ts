// Plans Compose files against the live node pool for `baton plan` (changes nothing).
import { formatRefusal } from '../shared/compose/index.js';
import { InputError } from '../shared/errors.js';
import type { NodePool } from './node-pool.js';
import { planCompose } from './plan-compose.js';
import { snapshotOf, type SchedNode } from './scheduler/index.js';
import type { Store } from './store/store.js';

/** Plans a Compose document against the live pool for `baton plan`. */
export type PlanHandler = (req: { composeYaml: string; fileName: string; stack: string; env: Record<string, string>; files?: ReadonlyMap<string, Uint8Array> }) => {
  planJson: string;
  planText: string;
  complete: boolean;
  warnings: string[];
};

/** The live pool as the scheduler sees it: capacity, status, labels and what is placed there. */
export function schedulerSnapshot(pool: NodePool, store: Store): SchedNode[] {
  return snapshotOf(pool.list(), Object.values(store.state.allocations));
}

export function livePlanner(pool: NodePool, store: Store): PlanHandler {
  return (req) => {
    const r = planCompose({
      text: req.composeYaml,
      file: req.fileName,
      env: req.env,
      ...(req.files ? { files: req.files } : {}),
      stackName: req.stack || undefined,
      nodes: schedulerSnapshot(pool, store),
      stacks: Object.values(store.state.stacks),
    });
    if (!r.ok) throw new InputError(formatRefusal(r.errors, r.warnings));
    return { planJson: JSON.stringify(r.json), planText: r.text, complete: r.exitCode === 0, warnings: r.warnings };
  };
}
