// What an agent observes of its host and its containers: one domain type for both ends (the agent
// produces it, the coordinator keeps it), and the one mapping onto the wire.
import type { ContainerState } from './grpc/gen/baton/v1/ContainerState.js';
import type { HostUsage as HostUsageWire } from './grpc/gen/baton/v1/HostUsage.js';
import type { PortMapping } from './model/ingress.js';
import { portMappingToWire } from './wire/ingress.js';

export interface HostUsage {
  cpuPercent: number;
  load1: number;
  load5: number;
  load15: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
  netRxBytesPerSec: number;
  netTxBytesPerSec: number;
}

export interface ContainerObservation {
  containerId: string;
  name: string;
  image: string;
  state: string;
  cpuPercent: number;
  /** Cumulative CPU time of the container, ns (cgroup or Docker's total_usage); undefined/0 when unknown. */
  cpuUsageNs?: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** Baton's labels only (io.baton.*). */
  labels: Record<string, string>;
  exitCode: number;
  startedAtMs: number;
  restartCount: number;
  /** none | starting | healthy | unhealthy */
  health: string;
  /** The last check's output, at most 1 KiB ('' when unknown). */
  healthOutput: string;
  /** Address on its bridge network ('' without one, or from an agent that does not say). */
  ipAddress?: string;
  /** Container ports Docker published on the host (ingress targets get an ephemeral host port). */
  ports?: readonly PortMapping[];
}

/**
 * A report's containers for a session that last described them as `described` (container id ->
 * the key of what it said): a container whose description did not change goes as its usage only,
 * with `unchanged` set (proto ContainerState.unchanged). `described` is updated to this report.
 */
export function containersToWireDelta(list: readonly ContainerObservation[], described: Map<string, string>): ContainerState[] {
  const seen = new Set<string>();
  const out = list.map((c) => {
    seen.add(c.containerId);
    const full = containerToWire(c);
    const key = descriptionKey(full);
    if (described.get(c.containerId) === key) return usageOnly(full);
    described.set(c.containerId, key);
    return full;
  });
  for (const id of described.keys()) if (!seen.has(id)) described.delete(id);
  return out;
}

/** What a session's hello said of its containers, for containersToWireDelta. */
export function describedBy(list: readonly ContainerState[]): Map<string, string> {
  return new Map(list.map((c) => [c.container_id!, descriptionKey(c)]));
}

/** Everything of a container's state but its usage, as one comparable string. */
function descriptionKey(c: ContainerState): string {
  const { cpu_percent: _cpu, memory_bytes: _mem, memory_limit_bytes: _limit, cpu_usage_ns: _ns, ...rest } = c;
  return JSON.stringify(rest);
}

function usageOnly(c: ContainerState): ContainerState {
  return { container_id: c.container_id, cpu_percent: c.cpu_percent, memory_bytes: c.memory_bytes, memory_limit_bytes: c.memory_limit_bytes, cpu_usage_ns: c.cpu_usage_ns, unchanged: true };
}

export function containerToWire(c: ContainerObservation): ContainerState {
  return {
    container_id: c.containerId,
    name: c.name,
    image: c.image,
    state: c.state,
    cpu_percent: c.cpuPercent,
    memory_bytes: c.memoryBytes,
    memory_limit_bytes: c.memoryLimitBytes,
    labels: c.labels,
    exit_code: c.exitCode,
    started_at_ms: c.startedAtMs,
    restart_count: c.restartCount,
    health: c.health,
    health_output: c.healthOutput,
    ip_address: c.ipAddress ?? '',
    ports: (c.ports ?? []).map(portMappingToWire),
    cpu_usage_ns: c.cpuUsageNs ?? 0,
  };
}

export function hostUsageToWire(u: HostUsage): HostUsageWire {
  return {
    cpu_percent: u.cpuPercent,
    load1: u.load1,
    load5: u.load5,
    load15: u.load15,
    memory_used_bytes: u.memoryUsedBytes,
    memory_total_bytes: u.memoryTotalBytes,
    disk_used_bytes: u.diskUsedBytes,
    disk_total_bytes: u.diskTotalBytes,
    net_rx_bytes_per_sec: u.netRxBytesPerSec,
    net_tx_bytes_per_sec: u.netTxBytesPerSec,
  };
}
