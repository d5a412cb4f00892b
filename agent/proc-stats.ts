// Cheap per-second readings straight from /proc and cgroup files. systeminformation's
// currentLoad() and networkStats() spawn a shell (`cat /proc/stat | grep cpu`, one `cat` per
// interface) on every call, and Docker's stats API costs an HTTP round trip per container:
// at 1 Hz with 20 containers that alone blows the agent's 1%-of-a-core budget. These read the
// same kernel counters in-process. (Memory too: systeminformation's mem() reads the same
// /proc/meminfo, and loading it cost the agent more memory than these few lines.)
//
// Reads are synchronous on purpose: these are kernel pseudo-files answered from memory, and
// fs/promises turns each one into four thread-pool round trips (open, fstat, read, close),
// which profiled as most of the agent's steady-state CPU.
import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Host CPU busy % from /proc/stat deltas (all cores together, 0-100). */
export class ProcCpu {
  private prev: { busy: number; total: number } | undefined;

  percent(): number | undefined {
    const text = read('/proc/stat') ?? '';
    const line = text.slice(0, text.indexOf('\n'));
    if (!line.startsWith('cpu ')) return undefined;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest is already counted in user)
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + (b || 0), 0);
    const cur = { busy: total - idle, total };
    const prev = this.prev;
    this.prev = cur;
    if (!prev || cur.total <= prev.total) return undefined;
    return ((cur.busy - prev.busy) / (cur.total - prev.total)) * 100;
  }
}

/**
 * Host memory from /proc/meminfo. `usedBytes` is total minus MemAvailable, which is what `free` calls
 * used and systeminformation's mem() calls active: buffers and cache that the kernel can reclaim
 * are not counted. Without /proc, Node's totalmem/freemem.
 */
export function procMemory(): { totalBytes: number; usedBytes: number } {
  const text = read('/proc/meminfo') ?? '';
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  if (!(total > 0) || !(available >= 0)) return { totalBytes: totalmem(), usedBytes: totalmem() - freemem() };
  return { totalBytes: total, usedBytes: total - available };
}

/** Network rates from /proc/net/dev deltas, summed over the host's own interfaces. */
export class ProcNet {
  private prev: { rx: number; tx: number; atMs: number } | undefined;

  rates(nowMs = Date.now()): { rxPerSec: number; txPerSec: number } {
    const text = read('/proc/net/dev') ?? '';
    let rx = 0;
    let tx = 0;
    for (const line of text.split('\n').slice(2)) {
      const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
      if (!m || isVirtual(m[1]!)) continue;
      const f = m[2]!.trim().split(/\s+/).map(Number);
      rx += f[0] || 0;
      tx += f[8] || 0;
    }
    const prev = this.prev;
    this.prev = { rx, tx, atMs: nowMs };
    if (!prev || nowMs <= prev.atMs || rx < prev.rx || tx < prev.tx) return { rxPerSec: 0, txPerSec: 0 };
    const s = (nowMs - prev.atMs) / 1000;
    return { rxPerSec: (rx - prev.rx) / s, txPerSec: (tx - prev.tx) / s };
  }
}

/** Loopback and the per-container/bridge devices Docker creates are not the host's traffic. */
function isVirtual(iface: string): boolean {
  return iface === 'lo' || /^(veth|docker|br-|ifb|dummy)/.test(iface);
}

export interface CgroupReading {
  cpuUsageNs: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

/**
 * Reads a container's CPU and memory counters from its cgroup (v1 or v2, cgroupfs or systemd
 * driver). Returns undefined when the files are not visible (e.g. the agent itself runs in a
 * container without the host's /sys/fs/cgroup); the caller then asks Docker's stats API.
 */
export class CgroupReader {
  private readonly paths = new Map<string, CgroupPaths | null>();

  constructor(private readonly root = '/sys/fs/cgroup') {}

  read(containerId: string): CgroupReading | undefined {
    let p = this.paths.get(containerId);
    if (p === undefined) {
      p = this.locate(containerId);
      this.paths.set(containerId, p);
    }
    if (!p) return undefined;
    const r = p.kind === 'v1' ? this.readV1(p) : this.readV2(p);
    if (!r) this.paths.delete(containerId); // gone or moved: look again next time
    return r;
  }

  forget(keep: ReadonlySet<string>): void {
    for (const id of this.paths.keys()) if (!keep.has(id)) this.paths.delete(id);
  }

  private readV1(p: CgroupPaths): CgroupReading | undefined {
    const usage = read(`${p.cpu}/cpuacct.usage`);
    const mem = read(`${p.mem}/memory.usage_in_bytes`);
    const stat = read(`${p.mem}/memory.stat`);
    if (usage === undefined || mem === undefined || stat === undefined) return undefined;
    const inactive = Number(/^total_inactive_file (\d+)$/m.exec(stat)?.[1] ?? 0);
    return { cpuUsageNs: Number(usage), memoryBytes: Math.max(0, Number(mem) - inactive), memoryLimitBytes: p.limit };
  }

  private readV2(p: CgroupPaths): CgroupReading | undefined {
    const cpuStat = read(`${p.cpu}/cpu.stat`);
    const mem = read(`${p.mem}/memory.current`);
    const stat = read(`${p.mem}/memory.stat`);
    if (cpuStat === undefined || mem === undefined || stat === undefined) return undefined;
    const usec = Number(/^usage_usec (\d+)$/m.exec(cpuStat)?.[1] ?? 0);
    const inactive = Number(/^inactive_file (\d+)$/m.exec(stat)?.[1] ?? 0);
    return { cpuUsageNs: usec * 1000, memoryBytes: Math.max(0, Number(mem) - inactive), memoryLimitBytes: p.limit };
  }

  private locate(id: string): CgroupPaths | null {
    const r = this.root;
    for (const rel of [`docker/${id}`, `system.slice/docker-${id}.scope`]) {
      if (read(`${r}/cpuacct/${rel}/cpuacct.usage`) !== undefined) {
        // A limit is fixed at container creation (Baton never updates it in place): read once.
        return { kind: 'v1', cpu: `${r}/cpuacct/${rel}`, mem: `${r}/memory/${rel}`, limit: Number(read(`${r}/memory/${rel}/memory.limit_in_bytes`) ?? 0) };
      }
      if (read(`${r}/${rel}/cpu.stat`) !== undefined) {
        const max = (read(`${r}/${rel}/memory.max`) ?? 'max').trim();
        return { kind: 'v2', cpu: `${r}/${rel}`, mem: `${r}/${rel}`, limit: max === 'max' ? 0 : Number(max) };
      }
    }
    return null;
  }
}

interface CgroupPaths {
  kind: 'v1' | 'v2';
  cpu: string;
  mem: string;
  limit: number;
}
