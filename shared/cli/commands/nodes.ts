// `baton nodes` and `baton events`: read-only views of the cluster.
import type { Command } from 'commander';
import type { Event__Output } from '../../grpc/gen/baton/v1/Event.js';
import type { ListEventsResponse__Output } from '../../grpc/gen/baton/v1/ListEventsResponse.js';
import type { ListNodesResponse__Output } from '../../grpc/gen/baton/v1/ListNodesResponse.js';
import type { NodeInfo__Output } from '../../grpc/gen/baton/v1/NodeInfo.js';
import { formatBytes, humanAge, table } from '../../format.js';
import { CONFIG_HELP, controlClient, COORDINATOR_HELP, describeRpcError, INSECURE_HELP, INSECURE_WARNING, list, resolveConnection, type ConnectionOptions } from '../client.js';

export interface NodeJson {
  id: string;
  name: string;
  status: string;
  /** `manager` or `worker` (what node.role constraints match). */
  role: string;
  address: string;
  labels: Record<string, string>;
  capacity: { cpuMillis: number; memoryBytes: number; diskBytes: number };
  usage: { cpuPercent: number; memoryBytes: number; diskUsedBytes: number; load1: number; netRxBytesPerSec: number; netTxBytesPerSec: number } | null;
  dockerUp: boolean;
  dockerVersion: string;
  agentVersion: string;
  containers: number;
  lastSeen: string;
  lastSeenMs: number;
  statusSince: string;
  /** `baton node cordon|drain`: '' (schedulable), cordoned, draining (with what is left) or drained. */
  schedule: string;
  drainRemaining: number;
  drainLost: string[];
  /** Why it cannot run work ('' : healthy): it takes none and its replicas move off. */
  unhealthy: string;
  /** Held out of placement after flapping: until when (ISO) and why; null: not held. */
  held: { until: string; reason: string } | null;
}

export function nodeJson(n: NodeInfo__Output): NodeJson {
  const u = n.usage;
  return {
    id: n.id,
    name: n.name,
    status: n.status,
    // A coordinator before roles sends none: every node was a worker then.
    role: n.role || 'worker',
    address: n.address,
    labels: n.labels,
    capacity: {
      cpuMillis: n.capacity?.cpu_millis ?? 0,
      memoryBytes: n.capacity?.memory_bytes ?? 0,
      diskBytes: n.capacity?.disk_bytes ?? 0,
    },
    usage: u
      ? {
          cpuPercent: round1(u.cpu_percent),
          memoryBytes: u.memory_used_bytes,
          diskUsedBytes: u.disk_used_bytes,
          load1: u.load1,
          netRxBytesPerSec: Math.round(u.net_rx_bytes_per_sec),
          netTxBytesPerSec: Math.round(u.net_tx_bytes_per_sec),
        }
      : null,
    dockerUp: n.docker_up,
    dockerVersion: n.docker_version,
    agentVersion: n.agent_version,
    // A counts-only listing leaves `containers` empty; a coordinator before container_count sends them all.
    containers: Math.max(n.container_count, n.containers.length),
    lastSeen: new Date(n.last_seen_ms).toISOString(),
    lastSeenMs: n.last_seen_ms,
    statusSince: new Date(n.status_since_ms).toISOString(),
    schedule: n.schedule,
    drainRemaining: n.drain_remaining,
    drainLost: n.drain_lost,
    unhealthy: n.unhealthy_reason,
    held: Number(n.held_until_ms) > 0 ? { until: new Date(Number(n.held_until_ms)).toISOString(), reason: n.held_reason } : null,
  };
}

export function nodesTable(nodes: NodeJson[], nowMs: number): string {
  return table(
    ['NAME', 'ADDRESS', 'STATUS', 'ROLE', 'SCHEDULING', 'CPU USED/TOTAL', 'MEMORY USED/TOTAL', 'DOCKER', 'CONTAINERS', 'LAST SEEN'],
    nodes.map((n) => {
      const cores = n.capacity.cpuMillis / 1000;
      const usedCores = n.usage ? (n.usage.cpuPercent / 100) * cores : undefined;
      return [
        n.name,
        n.address,
        n.status,
        n.role,
        n.unhealthy
          ? `unhealthy${n.schedule ? `, ${n.schedule}` : ''}`
          : n.schedule === 'draining'
            ? `draining (${n.drainRemaining} left)`
            : n.schedule || (n.held ? `held ${humanAge(Date.parse(n.held.until) - nowMs)} (${n.held.reason})` : 'active'),
        `${usedCores === undefined ? '-' : usedCores.toFixed(1)}/${cores.toFixed(1)} cores`,
        `${n.usage ? formatBytes(n.usage.memoryBytes) : '-'}/${formatBytes(n.capacity.memoryBytes)}`,
        n.dockerUp ? 'up' : 'down',
        String(n.containers),
        `${humanAge(nowMs - n.lastSeenMs)} ago`,
      ];
    }),
  );
}

function eventLine(e: Event__Output): string {
  const change = e.from || e.to ? `${e.from || '-'} -> ${e.to}` : '';
  return [new Date(e.at_ms).toISOString(), e.type, e.node_name || e.node_id, change, e.reason, e.message].filter(Boolean).join('  ');
}

function eventJson(e: Event__Output) {
  return { seq: e.seq, at: new Date(e.at_ms).toISOString(), type: e.type, nodeId: e.node_id, node: e.node_name, from: e.from, to: e.to, reason: e.reason, message: e.message };
}

export function registerViews(program: Command): void {
  program
    .command('nodes')
    .description('list nodes with their status and latest usage')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { json?: boolean } & ConnectionOptions) => {
      const conn = resolveConnection(o);
      // On every run, as issue 10 asks: an insecure cluster should not be forgotten about.
      if (conn.security.insecure) process.stderr.write(`${INSECURE_WARNING}\n`);
      const listed = await list(conn, (c, r, opts) => c.ListNodes(r, opts), { container_counts_only: true }, (b: ListNodesResponse__Output) => b.nodes);
      const nodes = listed.map(nodeJson);
      process.stdout.write(o.json ? JSON.stringify(nodes, null, 2) + '\n' : (nodes.length ? nodesTable(nodes, Date.now()) : 'no nodes yet') + '\n');
    });

  program
    .command('events')
    .description('show cluster events (node status changes, joins, ...)')
    .option('--follow', 'keep streaming new events')
    .option('--json', 'one JSON object per line')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { follow?: boolean; json?: boolean } & ConnectionOptions) => {
      const conn = resolveConnection(o);
      const print = (e: Event__Output) => process.stdout.write((o.json ? JSON.stringify(eventJson(e)) : eventLine(e)) + '\n');
      if (!o.follow) {
        const events = await list(conn, (c, r, opts) => c.ListEvents(r, opts), {}, (b: ListEventsResponse__Output) => b.events);
        events.forEach(print);
        return;
      }
      const client = controlClient(conn);
      await new Promise<void>((resolve, reject) => {
        const stream = client.WatchEvents({ since_seq: 0, replay: true });
        stream.on('data', print);
        stream.on('error', (err) => {
          if ((err as { code?: number }).code === 1 /* CANCELLED */) resolve();
          else reject(describeRpcError(err, conn));
        });
        stream.on('end', () => resolve());
        process.once('SIGINT', () => stream.cancel());
      });
      client.close();
    });
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
