// Host capacity and usage from systeminformation. Cheap samples (CPU, memory, network) are
// taken every report; the disk is read less often because it spawns `df`.
import { availableParallelism, loadavg, totalmem } from 'node:os';
// The submodules, not the package index: see systeminformation.d.ts.
import { fsSize } from 'systeminformation/lib/filesystem.js';
import { mem as memory } from 'systeminformation/lib/memory.js';
import type { HostUsage } from '../shared/observations.js';
import { ProcCpu, ProcNet } from './proc-stats.js';

export type HostSample = HostUsage;

export interface HostCapacity {
  cpuMillis: number;
  memoryBytes: number;
  diskBytes: number;
}

export class HostMetrics {
  private disk = { used: 0, total: 0, atMs: 0 };
  private readonly cpu = new ProcCpu();
  private readonly net = new ProcNet();

  constructor(
    /** Path whose filesystem is reported as the node's disk. */
    private readonly diskPath: string,
    /** How often the disk is re-read. @default 30000 */
    private readonly diskIntervalMs = 30_000,
  ) {}

  async capacity(): Promise<HostCapacity> {
    await this.refreshDisk(true);
    return { cpuMillis: availableParallelism() * 1000, memoryBytes: totalmem(), diskBytes: this.disk.total };
  }

  async sample(): Promise<HostSample> {
    const cpuPercent = this.cpu.percent();
    const net = this.net.rates();
    const [mem] = await Promise.all([memory(), this.refreshDisk(false)]);
    const [l1, l5, l15] = loadavg();
    return {
      cpuPercent: finite(cpuPercent),
      load1: finite(l1),
      load5: finite(l5),
      load15: finite(l15),
      // `active` excludes buffers and cache, as `free` does under "used".
      memoryUsedBytes: mem.active,
      memoryTotalBytes: mem.total,
      diskUsedBytes: this.disk.used,
      diskTotalBytes: this.disk.total,
      netRxBytesPerSec: finite(net.rxPerSec),
      netTxBytesPerSec: finite(net.txPerSec),
    };
  }

  private async refreshDisk(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.disk.atMs < this.diskIntervalMs) return;
    this.disk.atMs = now;
    try {
      const fs = await fsSize();
      // The filesystem holding diskPath: the longest mount point that prefixes it.
      const match = fs
        .filter((f) => this.diskPath === f.mount || this.diskPath.startsWith(f.mount.endsWith('/') ? f.mount : f.mount + '/'))
        .sort((a, b) => b.mount.length - a.mount.length)[0] ?? fs.find((f) => f.mount === '/');
      if (match) this.disk = { used: match.used, total: match.size, atMs: now };
    } catch {
      // Keep the last figures; disk is informational.
    }
  }
}

function finite(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
}
