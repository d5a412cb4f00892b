// Nodes ordered by fill (CPU + memory utilisation) so a best-fit lookup scans only nodes that can
// possibly fit, from the most promising end, instead of every node: ~log n plus the candidates it
// has to reject. One index per set of statically eligible nodes (ready + same constraints).
import type { PlanState } from './plan-state.js';

const EPS = 1e-9;
/** Positions per block; each block remembers its largest free CPU and memory so scans skip it whole. */
export const BLOCK_SHIFT = 5;
export const BLOCK_SIZE = 1 << BLOCK_SHIFT;

export class CapacityIndex {
  /** Member node indices sorted by (fill ascending, node index descending). */
  private readonly order: Int32Array;
  /** Node index -> position in `order`, or -1 for non-members. */
  private readonly pos: Int32Array;
  /**
   * Largest free CPU / memory among the nodes of each block of BLOCK_SIZE positions. A sum-of-fill
   * order alone admits nodes whose total is low enough but one dimension is exhausted; in a packed
   * cluster those are most nodes, and the block maxima skip them 32 at a time.
   */
  private readonly blockCpu: Float64Array;
  private readonly blockMem: Float64Array;
  readonly length: number;
  /** Largest and smallest positive capacities among members, for the scan's bounds. */
  readonly maxCpuMillis: number;
  readonly maxMemoryBytes: number;
  readonly minCpuMillis: number;
  readonly minMemoryBytes: number;

  constructor(
    private readonly s: PlanState,
    members: readonly number[],
  ) {
    this.length = members.length;
    this.pos = new Int32Array(s.size).fill(-1);
    const fill = s.fill;
    this.order = Int32Array.from(members).sort((a, b) => fill[a]! - fill[b]! || b - a);
    this.order.forEach((j, p) => (this.pos[j] = p));
    const blocks = (this.length >> BLOCK_SHIFT) + 1;
    this.blockCpu = new Float64Array(blocks);
    this.blockMem = new Float64Array(blocks);
    for (let b = 0; b < blocks; b++) this.recomputeBlock(b);
    let maxCpu = 0, maxMem = 0, minCpu = Infinity, minMem = Infinity;
    for (const j of members) {
      const n = s.nodes[j]!;
      if (n.cpuMillis > 0) (maxCpu = Math.max(maxCpu, n.cpuMillis)), (minCpu = Math.min(minCpu, n.cpuMillis));
      if (n.memoryBytes > 0) (maxMem = Math.max(maxMem, n.memoryBytes)), (minMem = Math.min(minMem, n.memoryBytes));
    }
    this.maxCpuMillis = maxCpu;
    this.maxMemoryBytes = maxMem;
    this.minCpuMillis = minCpu;
    this.minMemoryBytes = minMem;
  }

  has(j: number): boolean {
    return this.pos[j]! >= 0;
  }

  /** Node at position p (0 = emptiest). */
  at(p: number): number {
    return this.order[p]!;
  }

  /** Whether some node in the block of position p might have `cpu` and `mem` free. */
  blockMayFit(p: number, cpu: number, mem: number): boolean {
    const b = p >> BLOCK_SHIFT;
    return this.blockCpu[b]! >= cpu && this.blockMem[b]! >= mem;
  }

  private recomputeBlock(b: number): void {
    let cpu = -Infinity, mem = -Infinity;
    const end = Math.min(this.length, (b + 1) << BLOCK_SHIFT);
    for (let p = b << BLOCK_SHIFT; p < end; p++) {
      const j = this.order[p]!;
      if (this.s.freeCpuMillis[j]! > cpu) cpu = this.s.freeCpuMillis[j]!;
      if (this.s.freeMemoryBytes[j]! > mem) mem = this.s.freeMemoryBytes[j]!;
    }
    this.blockCpu[b] = cpu;
    this.blockMem[b] = mem;
  }

  private recomputeBlocks(fromPos: number, toPos: number): void {
    for (let b = fromPos >> BLOCK_SHIFT; b <= toPos >> BLOCK_SHIFT; b++) this.recomputeBlock(b);
  }

  /** Number of members whose fill is at most `bound`: positions [0, result) qualify. */
  countFillAtMost(bound: number): number {
    const fill = this.s.fill;
    let lo = 0, hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fill[this.order[mid]!]! <= bound + EPS) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Re-sorts node j after its fill changed; moves it by shifting only the entries it passes. */
  update(j: number): void {
    const p = this.pos[j]!;
    if (p < 0) return;
    const { order, pos } = this;
    const fill = this.s.fill;
    const fj = fill[j]!;
    const before = (a: number): boolean => fill[a]! < fj || (fill[a] === fj && a > j);
    if (p + 1 < this.length && before(order[p + 1]!)) {
      // Moved right: find the last position whose entry still sorts before j.
      let lo = p + 1, hi = this.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (before(order[mid]!)) lo = mid;
        else hi = mid - 1;
      }
      order.copyWithin(p, p + 1, lo + 1);
      order[lo] = j;
      for (let k = p; k <= lo; k++) pos[order[k]!] = k;
      this.recomputeBlocks(p, lo);
    } else if (p > 0 && !before(order[p - 1]!)) {
      let lo = 0, hi = p - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (!before(order[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      order.copyWithin(lo + 1, lo, p);
      order[lo] = j;
      for (let k = lo; k <= p; k++) pos[order[k]!] = k;
      this.recomputeBlocks(lo, p);
    } else {
      this.recomputeBlock(p >> BLOCK_SHIFT);
    }
  }
}

/**
 * Capacity indexes for one set of eligible nodes, one per size class (CPU and memory capacity
 * within ~19% of each other). Within a class the scan's bounds are nearly exact, so a lookup stops
 * after a few candidates instead of wading through small full nodes that a big node's bound admits.
 */
export class NodeIndex {
  readonly classes: readonly CapacityIndex[];
  private readonly classOf: Int32Array;

  constructor(s: PlanState, members: readonly number[]) {
    const byClass = new Map<string, number[]>();
    for (const j of members) {
      const key = `${sizeClass(s.nodes[j]!.cpuMillis)}:${sizeClass(s.nodes[j]!.memoryBytes)}`;
      let list = byClass.get(key);
      if (!list) byClass.set(key, (list = []));
      list.push(j);
    }
    // Larger classes first: for bin-pack a tie then goes to the larger node, which leaves the
    // smaller ones whole for later; the order only matters for exact ties.
    const lists = [...byClass.values()].sort((a, b) => {
      const na = s.nodes[a[0]!]!, nb = s.nodes[b[0]!]!;
      return nb.cpuMillis - na.cpuMillis || nb.memoryBytes - na.memoryBytes || a[0]! - b[0]!;
    });
    this.classOf = new Int32Array(s.size).fill(-1);
    this.classes = lists.map((list, c) => {
      for (const j of list) this.classOf[j] = c;
      return new CapacityIndex(s, list);
    });
  }

  update(j: number): void {
    const c = this.classOf[j]!;
    if (c >= 0) this.classes[c]!.update(j);
  }
}

function sizeClass(capacity: number): number {
  return capacity > 0 ? Math.round(Math.log2(capacity) * 4) : -1;
}
