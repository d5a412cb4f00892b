// What the agent sees of its Docker engine: whether it answers, its version, and the
// containers Baton manages (those carrying Baton's labels) with their state and usage.
import './lean-modules.js';
import Docker from 'dockerode';
import { BATON_LABEL_PREFIX, LABEL_ALLOCATION, LABEL_NODE } from '../shared/model/labels.js';
import type { PortMapping } from '../shared/model/ingress.js';
import type { ContainerObservation } from '../shared/observations.js';
import { exitCodeFromStatus } from './executor/docker/docker-client.js';
import { CgroupReader } from './proc-stats.js';

/** A Baton-managed container as the agent sees it. */
export type ObservedContainer = ContainerObservation;

export interface EngineObservation {
  up: boolean;
  error: string;
  version: string;
  containers: ObservedContainer[];
}

interface CpuSample {
  /** Container CPU time, ns. */
  total: number;
  /** The clock it is measured against: host CPU time (Docker API) or wall time (cgroup), ns. */
  system: number;
  /** Factor turning the ratio into "% of one core". */
  scale: number;
}

/** Creates a dockerode client for DOCKER_HOST (unix:// or tcp://), as the docker CLI reads it. */
export function dockerFromEnv(dockerHost = process.env.DOCKER_HOST): Docker {
  if (!dockerHost) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (dockerHost.startsWith('unix://')) return new Docker({ socketPath: dockerHost.slice('unix://'.length) });
  const u = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return new Docker({ host: u.hostname, port: Number(u.port || 2375) });
}

export class DockerObserver {
  private readonly lastCpu = new Map<string, CpuSample>();
  private readonly cgroups = new CgroupReader();
  private version = '';

  constructor(
    private readonly docker: Docker,
    /** Report only containers of this node (label io.baton.node); unset: every Baton container. */
    private readonly nodeId?: string,
  ) {}

  async observe(withStats: boolean): Promise<EngineObservation> {
    try {
      if (!this.version) this.version = (await this.docker.version()).Version;
      const list = await this.docker.listContainers({ all: true, filters: { label: this.nodeId ? [LABEL_ALLOCATION, `${LABEL_NODE}=${this.nodeId}`] : [LABEL_ALLOCATION] } });
      const containers = await Promise.all(
        list.map(async (c): Promise<ObservedContainer> => {
          const base: ObservedContainer = {
            containerId: c.Id,
            name: (c.Names[0] ?? '').replace(/^\//, ''),
            image: c.Image,
            state: c.State,
            cpuPercent: 0,
            memoryBytes: 0,
            memoryLimitBytes: 0,
            labels: Object.fromEntries(Object.entries(c.Labels).filter(([k]) => k.startsWith(BATON_LABEL_PREFIX))),
            exitCode: exitCodeFromStatus(c.Status),
            startedAtMs: 0,
            restartCount: 0,
            health: healthFromStatus(c.Status),
            // The supervisor's statuses fill this in (Worker.withHealth): `docker ps` does not show it.
            healthOutput: '',
            ipAddress: ipAddressOf(c.NetworkSettings?.Networks),
            ports: publishedPorts(c.Ports),
          };
          if (withStats && c.State === 'running') await this.addStats(base);
          return base;
        }),
      );
      const present = new Set(list.map((c) => c.Id));
      for (const id of this.lastCpu.keys()) if (!present.has(id)) this.lastCpu.delete(id);
      this.cgroups.forget(present);
      return { up: true, error: '', version: this.version, containers };
    } catch (err) {
      this.version = '';
      return { up: false, error: (err as Error).message, version: '', containers: [] };
    }
  }

  private async addStats(c: ObservedContainer): Promise<void> {
    const cg = this.cgroups.read(c.containerId);
    if (cg) {
      this.cpu(c, { total: cg.cpuUsageNs, system: Number(process.hrtime.bigint()), scale: 1 });
      c.cpuUsageNs = cg.cpuUsageNs;
      c.memoryBytes = cg.memoryBytes;
      c.memoryLimitBytes = cg.memoryLimitBytes;
      return;
    }
    try {
      // one-shot: a single sample without Docker's 1 s wait for a second one; CPU % is
      // computed from our own previous sample instead.
      const s = (await this.docker.getContainer(c.containerId).stats({ stream: false, 'one-shot': true })) as unknown as DockerStats;
      c.cpuUsageNs = s.cpu_stats?.cpu_usage?.total_usage ?? 0;
      this.cpu(c, {
        total: s.cpu_stats?.cpu_usage?.total_usage ?? 0,
        system: s.cpu_stats?.system_cpu_usage ?? 0,
        scale: s.cpu_stats?.online_cpus ?? 1,
      });
      const cache = s.memory_stats?.stats?.inactive_file ?? s.memory_stats?.stats?.total_inactive_file ?? 0;
      c.memoryBytes = Math.max(0, (s.memory_stats?.usage ?? 0) - cache);
      c.memoryLimitBytes = s.memory_stats?.limit ?? 0;
    } catch {
      // The container may have stopped between list and stats.
    }
  }

  /** CPU % of one core (as `docker stats` shows it) from this and the previous sample. */
  private cpu(c: ObservedContainer, cur: CpuSample): void {
    const prev = this.lastCpu.get(c.containerId);
    this.lastCpu.set(c.containerId, cur);
    if (prev && prev.scale === cur.scale && cur.system > prev.system && cur.total >= prev.total) {
      c.cpuPercent = ((cur.total - prev.total) / (cur.system - prev.system)) * cur.scale * 100;
    }
  }
}

interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: { inactive_file?: number; total_inactive_file?: number } };
}

/** The container's bridge address (the first network with an IPv4 address; '' without one). */
export function ipAddressOf(networks: Readonly<Record<string, { IPAddress?: string }>> | undefined): string {
  for (const n of Object.values(networks ?? {})) if (n.IPAddress) return n.IPAddress;
  return '';
}

/**
 * `docker ps`' Ports -> the host ports Docker published: only entries with a PublicPort, the IPv4
 * binding (Docker lists 0.0.0.0 and :: for one mapping), one per target and protocol.
 */
export function publishedPorts(ports: readonly { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] | undefined): PortMapping[] {
  const out: PortMapping[] = [];
  const seen = new Set<string>();
  for (const p of ports ?? []) {
    if (!p.PublicPort || (p.IP ?? '').includes(':')) continue;
    if (p.Type !== 'tcp' && p.Type !== 'udp') continue;
    const key = `${p.PrivatePort}/${p.Type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ target: p.PrivatePort, hostPort: p.PublicPort, protocol: p.Type });
  }
  return out;
}

function healthFromStatus(status: string): string {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return 'none';
}
