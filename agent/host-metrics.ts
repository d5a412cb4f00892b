// Host capacity and usage, from the kernel (/proc, statfs). CPU, memory and network are sampled
// every report; the disk, which changes slowly, every 30 s.
import { statfs } from 'node:fs/promises';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { HostUsage } from '../shared/observations.js';
import { ProcCpu, ProcNet, procMemory } from './proc-stats.js';

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
    const mem = procMemory();
    await this.refreshDisk(false);
    const [l1, l5, l15] = loadavg();
    return {
      cpuPercent: finite(cpuPercent),
      load1: finite(l1),
      load5: finite(l5),
      load15: finite(l15),
      memoryUsedBytes: mem.usedBytes,
      memoryTotalBytes: mem.totalBytes,
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
    // The filesystem holding diskPath, as `df diskPath` reports it; the path need not exist yet.
    for (let path = this.diskPath; ; path = dirname(path)) {
      try {
        const fs = await statfs(path);
        this.disk = { used: (fs.blocks - fs.bfree) * fs.bsize, total: fs.blocks * fs.bsize, atMs: now };
        return;
      } catch {
        // Keep the last figures (disk is informational), unless a parent directory answers.
        if (dirname(path) === path) return;
      }
    }
  }
}

function finite(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
}
