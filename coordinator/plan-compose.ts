// Plans a Compose file against a set of nodes: the one code path behind `baton plan` (live and
// offline) and the placement benchmarks' Compose use. Pure: text and nodes in, plan out.
import { formatIssue, parseCompose } from '../shared/compose/index.js';
import type { NodeCapacity } from '../shared/compose/index.js';
import { planBatch, type Plan, type PlanOptions, type ReplicaRequest, type SchedNode } from './scheduler/index.js';
import { planExitCode, planToJson, renderPlanText, type PlanJson } from './scheduler/render.js';
import { replicaRequestsFor } from './scheduler/requests.js';

export interface ComposePlanInput {
  text: string;
  /** File name for messages. */
  file: string;
  env: Record<string, string | undefined>;
  /** Used when the file has no top-level `name`; empty: the file must name the stack. */
  stackName: string | undefined;
  nodes: readonly SchedNode[];
  options?: PlanOptions;
}

export type ComposePlanResult =
  | { ok: true; plan: Plan; requests: ReplicaRequest[]; json: PlanJson; text: string; warnings: string[]; exitCode: 0 | 1 }
  | { ok: false; errors: string[]; warnings: string[] };

export function planCompose(input: ComposePlanInput): ComposePlanResult {
  const parsed = parseCompose(input.text, { file: input.file, env: input.env, stackName: input.stackName || undefined });
  const warnings = parsed.warnings.map(formatIssue);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map(formatIssue), warnings };
  const stack = parsed.stack;
  const requests = stack.services.flatMap((svc) =>
    replicaRequestsFor(stack.name, svc, Array.from({ length: svc.replicas }, (_, i) => i + 1)),
  );
  const plan = planBatch(input.nodes, requests, input.options);
  return {
    ok: true,
    plan,
    requests,
    json: planToJson(input.nodes, requests, plan),
    text: renderPlanText(input.nodes, requests, plan),
    warnings,
    exitCode: planExitCode(plan),
  };
}

/** Nodes described in a `--nodes` file, as empty ready nodes. */
export function offlineNodes(nodes: readonly NodeCapacity[]): SchedNode[] {
  return nodes.map((n) => ({
    id: n.name,
    name: n.name,
    status: 'ready',
    labels: n.labels,
    cpuMillis: n.cpuMillis,
    memoryBytes: n.memoryBytes,
    reservedCpuMillis: 0,
    reservedMemoryBytes: 0,
    usedPorts: [],
    replicasByService: {},
  }));
}
