// Plans a Compose file against a set of nodes: the one code path behind `baton plan` (live and
// offline) and the placement benchmarks' Compose use. Pure: text and nodes in, plan out.
import { formatIssue, parseCompose } from '../shared/compose/index.js';
import type { NodeCapacity, StackSpec } from '../shared/compose/index.js';
import { planBatch, type Plan, type PlanOptions, type ReplicaRequest, type SchedNode } from './scheduler/index.js';
import { planExitCode, planToJson, renderPlanText, type PlanJson } from './scheduler/render.js';
import { publishedPorts, type PortHolder } from './ingress/published-ports.js';
import { replicaRequestsFor } from './scheduler/requests.js';
import { globalSlots } from './desired-slots.js';
import { serviceKey } from './slot-key.js';
import { homeOf, isSticky, pinReason } from './sticky.js';
import type { DeepReadonly, StackRecord } from './store/schema.js';

export interface ComposePlanInput {
  text: string;
  /** File name for messages. */
  file: string;
  env: Record<string, string | undefined>;
  /** What the stack file references (env_file, secrets/configs `file:`), keyed by the path as written. */
  files?: ReadonlyMap<string, Uint8Array>;
  /** Used when the file has no top-level `name`; empty: the file must name the stack. */
  stackName: string | undefined;
  nodes: readonly SchedNode[];
  options?: PlanOptions;
  /** The stored stacks (live plan), so a port another stack publishes is reported as a deploy would; offline: none. */
  stacks?: readonly DeepReadonly<Pick<StackRecord, 'name' | 'services'>>[];
}

export type ComposePlanResult =
  | { ok: true; plan: Plan; requests: ReplicaRequest[]; json: PlanJson; text: string; warnings: string[]; exitCode: 0 | 1 }
  | { ok: false; errors: string[]; warnings: string[] };

export function planCompose(input: ComposePlanInput): ComposePlanResult {
  const parsed = parseCompose(input.text, { file: input.file, env: input.env, stackName: input.stackName || undefined, ...(input.files ? { files: input.files } : {}) });
  const warnings = parsed.warnings.map(formatIssue);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map(formatIssue), warnings };
  const stack = parsed.stack;
  const conflicts = portConflicts(stack, input.stacks ?? []);
  if (conflicts.length) return { ok: false, errors: conflicts, warnings };
  const stored = input.stacks?.find((s) => s.name === stack.name)?.services;
  const known = new Set(input.nodes.map((n) => n.id));
  const requests = stack.services.flatMap((svc) => {
    if (svc.mode !== 'global') {
      const reqs = replicaRequestsFor(stack.name, svc, Array.from({ length: svc.replicas }, (_, i) => i + 1));
      // A sticky slot with a home (live plan of a deployed stack) goes back there only, as a deploy would place it.
      const rec = stored?.[svc.name];
      if (!rec || !isSticky(svc)) return reqs;
      const why = pinReason(svc);
      return reqs.map((r) => {
        const home = homeOf({ spec: svc, homes: rec.homes }, r.replica, (id) => known.has(id));
        return home === undefined ? r : { ...r, nodeId: home, pinReason: why };
      });
    }
    // A global service: one replica pinned to each node that meets its constraints, numbered as a deploy would.
    const slots = globalSlots(svc.constraints, [], input.nodes);
    return [...slots.nodeOf!].map(([replica, nodeId]) => ({ ...replicaRequestsFor(stack.name, svc, [replica])[0]!, nodeId }));
  });
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

/** The published-port conflicts a deploy of `stack` would be rejected for (see stacks.ts). */
function portConflicts(stack: StackSpec, stored: readonly DeepReadonly<Pick<StackRecord, 'name' | 'services'>>[]): string[] {
  const mine = stored.find((s) => s.name === stack.name)?.services;
  const holders: PortHolder[] = [
    ...stored.filter((s) => s.name !== stack.name).flatMap((st) => Object.entries(st.services).map(([name, svc]) => ({ key: serviceKey(st.name, name), ports: svc.spec.ports, ...(svc.assignedPorts ? { assigned: svc.assignedPorts } : {}) }))),
    ...stack.services.map((spec) => ({ key: serviceKey(stack.name, spec.name), ports: spec.ports, ...(mine?.[spec.name]?.assignedPorts ? { assigned: mine[spec.name]!.assignedPorts! } : {}) })),
  ];
  const ours = (key: string) => key.startsWith(`${stack.name}/`);
  return publishedPorts(holders).conflicts.filter((c) => c.services.some(ours)).map((c) => c.message);
}

/** Nodes described in a `--nodes` file, as empty ready nodes. */
export function offlineNodes(nodes: readonly NodeCapacity[]): SchedNode[] {
  return nodes.map((n) => ({
    id: n.name,
    name: n.name,
    status: 'ready',
    labels: n.labels,
    role: n.role,
    cpuMillis: n.cpuMillis,
    memoryBytes: n.memoryBytes,
    reservedCpuMillis: 0,
    reservedMemoryBytes: 0,
    usedPorts: [],
    replicasByService: {},
  }));
}
