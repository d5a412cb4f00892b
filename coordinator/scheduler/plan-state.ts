// The scheduler's working copy of a node snapshot: free capacity, ports and per-service counts as
// replicas are tentatively placed and moved during one plan. The snapshot itself is never mutated.
import type { HostPort, ReplicaRequest, SchedNode } from './types.js';

const portKey = (p: HostPort): number => p.port * 2 + (p.protocol === 'udp' ? 1 : 0);

export class PlanState {
  readonly size: number;
  readonly freeCpuMillis: Float64Array;
  readonly freeMemoryBytes: Float64Array;
  /** Fill key: CPU utilisation + memory utilisation (each 0..1), what capacity indexes sort by. */
  readonly fill: Float64Array;
  /** Replicas placed on each node by this plan. */
  readonly planned: Int32Array;
  /** 1 when the node had work before this plan (so emptying it of planned work frees nothing). */
  readonly preUsed: Uint8Array;
  // Overlays for what this plan adds; the snapshot's own ports and counts are read directly.
  private readonly ports: (Map<number, number> | undefined)[];
  private readonly services: (Map<string, number> | undefined)[];
  private readonly basePorts: (Set<number> | undefined)[];
  private listeners: ((node: number) => void)[] = [];

  constructor(readonly nodes: readonly SchedNode[]) {
    const n = nodes.length;
    this.size = n;
    this.freeCpuMillis = new Float64Array(n);
    this.freeMemoryBytes = new Float64Array(n);
    this.fill = new Float64Array(n);
    this.planned = new Int32Array(n);
    this.preUsed = new Uint8Array(n);
    this.ports = new Array(n);
    this.services = new Array(n);
    this.basePorts = new Array(n);
    for (let j = 0; j < n; j++) {
      const node = nodes[j]!;
      this.freeCpuMillis[j] = node.cpuMillis - node.reservedCpuMillis;
      this.freeMemoryBytes[j] = node.memoryBytes - node.reservedMemoryBytes;
      this.preUsed[j] =
        node.reservedCpuMillis > 0 || node.reservedMemoryBytes > 0 || node.usedPorts.length > 0 || hasReplicas(node) ? 1 : 0;
      this.fill[j] = this.computeFill(j);
    }
  }

  /** Called after every change to a node's free capacity (capacity indexes re-sort on it). */
  onChange(listener: (node: number) => void): void {
    this.listeners.push(listener);
  }

  /** Drops all change listeners (improvement moves replicas thousands of times; indexes are rebuilt after). */
  clearListeners(): void {
    this.listeners = [];
  }

  isUsed(j: number): boolean {
    return this.preUsed[j] === 1 || this.planned[j]! > 0;
  }

  portInUse(j: number, p: HostPort): boolean {
    const k = portKey(p);
    const used = this.nodes[j]!.usedPorts;
    if (used.length > 0) {
      // Built on first use: most plans never ask about most nodes' ports.
      const base = (this.basePorts[j] ??= new Set(used.map(portKey)));
      if (base.has(k)) return true;
    }
    return (this.ports[j]?.get(k) ?? 0) > 0;
  }

  /** Replicas of `service` on node `j`, already there plus placed by this plan. */
  replicasOf(j: number, service: string): number {
    return (this.nodes[j]!.replicasByService[service] ?? 0) + (this.services[j]?.get(service) ?? 0);
  }

  place(j: number, r: ReplicaRequest): void {
    this.freeCpuMillis[j]! -= r.cpuMillis;
    this.freeMemoryBytes[j]! -= r.memoryBytes;
    this.planned[j]!++;
    if (r.hostPorts.length > 0) {
      const m = (this.ports[j] ??= new Map());
      for (const p of r.hostPorts) m.set(portKey(p), (m.get(portKey(p)) ?? 0) + 1);
    }
    const s = (this.services[j] ??= new Map());
    s.set(r.service, (s.get(r.service) ?? 0) + 1);
    this.changed(j);
  }

  unplace(j: number, r: ReplicaRequest): void {
    this.freeCpuMillis[j]! += r.cpuMillis;
    this.freeMemoryBytes[j]! += r.memoryBytes;
    this.planned[j]!--;
    if (r.hostPorts.length > 0) {
      const m = this.ports[j]!;
      for (const p of r.hostPorts) m.set(portKey(p), m.get(portKey(p))! - 1);
    }
    const s = this.services[j]!;
    s.set(r.service, s.get(r.service)! - 1);
    this.changed(j);
  }

  private changed(j: number): void {
    this.fill[j] = this.computeFill(j);
    for (const l of this.listeners) l(j);
  }

  private computeFill(j: number): number {
    const node = this.nodes[j]!;
    return utilisation(node.cpuMillis, this.freeCpuMillis[j]!) + utilisation(node.memoryBytes, this.freeMemoryBytes[j]!);
  }
}

/** Used fraction of one dimension; a node without any of it counts as full. */
export function utilisation(capacity: number, free: number): number {
  return capacity > 0 ? (capacity - free) / capacity : 1;
}

function hasReplicas(node: SchedNode): boolean {
  for (const k in node.replicasByService) if (node.replicasByService[k]! > 0) return true;
  return false;
}
