// The coordinator's durable state: what survives a restart. Heartbeats and usage are not here.
import { z } from 'zod';

export type NodeStatus = 'ready' | 'suspect' | 'down' | 'left';

export interface NodeRecord {
  id: string;
  name: string;
  address: string;
  labels: Record<string, string>;
  capacity: { cpuMillis: number; memoryBytes: number; diskBytes: number };
  status: NodeStatus;
  statusSinceMs: number;
  joinedAtMs: number;
  /** Last time the node was heard from, as of the last status change (not per heartbeat). */
  lastSeenMs: number;
  agentVersion: string;
  dockerVersion: string;
}

export interface EventRecord {
  seq: number;
  atMs: number;
  type: string;
  nodeId: string;
  nodeName: string;
  from: string;
  to: string;
  reason: string;
  message: string;
}

export interface AllocationRecord {
  id: string;
  stack: string;
  service: string;
  replica: number;
  nodeId: string;
  generation: number;
  cpuMillis: number;
  memoryBytes: number;
  hostPorts: { port: number; protocol: 'tcp' | 'udp' }[];
  desired: 'run' | 'stop';
  createdAtMs: number;
}

export interface State {
  schema: 1;
  nodes: Record<string, NodeRecord>;
  events: EventRecord[];
  eventSeq: number;
  allocations: Record<string, AllocationRecord>;
}

export function emptyState(): State {
  return { schema: 1, nodes: {}, events: [], eventSeq: 0, allocations: {} };
}

// Loose on purpose: it guards against a file that is not Baton state at all (or truncated into
// something else), and names what is wrong; field-level detail stays with the writers.
const stateShape = z.object({
  schema: z.literal(1),
  nodes: z.record(
    z.string(),
    z.object({ id: z.string(), name: z.string(), status: z.enum(['ready', 'suspect', 'down', 'left']) }).passthrough(),
  ),
  events: z.array(z.object({ seq: z.number() }).passthrough()),
  eventSeq: z.number(),
  allocations: z.record(z.string(), z.object({ id: z.string() }).passthrough()),
});

/** Returns a description of what is wrong with `data`, or undefined when it looks like Baton state. */
export function checkState(data: unknown): string | undefined {
  const r = stateShape.safeParse(data);
  if (r.success) return undefined;
  const first = r.error.issues[0];
  return `${first?.path.join('.') || '(top level)'}: ${first?.message ?? 'invalid'}`;
}
