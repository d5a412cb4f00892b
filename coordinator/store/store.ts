// The one writer of the coordinator's durable state. All mutation goes through `transact`;
// writes to disk are coalesced (at most one in flight, one pending) so a burst of changes costs
// one file write, and per-heartbeat data never comes here at all. Writes the store starts by
// itself are spaced by how long the last one took, so rewriting a large file on every burst
// (10,000 nodes joining) costs at most a tenth of the time; `flush` writes at once.
import { Low, Memory } from 'lowdb';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DurableJsonFile, StateFileError } from './durable-file.js';
import { checkState, emptyState, type AllocationRecord, type DeepReadonly, type NodeRecord, type State } from './schema.js';
import { UndoJournal } from './undo-journal.js';

export interface StoreOptions {
  /** Directory holding `state.json` and the lock file. */
  dataDir: string;
  /**
   * How long a change may wait to be batched with others before it is written. @default 50
   * A change may wait longer when writes are slow: see WRITE_SPACING_FACTOR.
   */
  flushDelayMs?: number;
}

/**
 * A write the store starts by itself (not a `flush`) begins no sooner than this many times the
 * last write's duration after that write ended: whole-file writes then take at most about
 * 1/(1 + factor) of the time however often the state changes.
 */
const WRITE_SPACING_FACTOR = 10;
/** Longest the spacing above makes a change wait for its write. */
const MAX_WRITE_SPACING_MS = 2000;

/** Thrown when another live coordinator holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data dir ${dataDir} is in use by another coordinator (pid ${pid})`);
    this.name = 'DataDirLockedError';
  }
}

/** What `allocationsOn` returns for a node without allocations. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * `Object.values` of one of the state's record collections, kept until a transaction adds, replaces
 * or removes a record in it (writes inside a record keep it: it holds the records themselves).
 */
class KeptValues<T> {
  private kept: { of: object; list: readonly T[] } | undefined;

  of(collection: Readonly<Record<string, T>>): readonly T[] {
    if (this.kept?.of !== collection) this.kept = { of: collection, list: Object.values(collection) };
    return this.kept.list;
  }

  /** After a transaction, or before its undo: a write to the collection itself makes the list stale. */
  forgetIfWritten(journal: UndoJournal, collection: object): void {
    if (journal.wrote(collection)) this.kept = undefined;
  }
}

export class Store {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private closed = false;
  /** Number of file writes performed, for tests and benchmarks. */
  writes = 0;
  private lastError: Error | undefined;
  private inTransaction = false;
  /** Wall time the last file write ended and how long it took (stringify, write, fsyncs). */
  private lastWriteEndMs = 0;
  private lastWriteMs = 0;
  private readonly allocationList = new KeptValues<DeepReadonly<AllocationRecord>>();
  private readonly nodeList = new KeptValues<DeepReadonly<NodeRecord>>();
  /** `allocations()` grouped by node, and the list it was grouped from (rebuilt when that changes). */
  private allocationsByNode: { of: readonly DeepReadonly<AllocationRecord>[]; byNode: Map<string, DeepReadonly<AllocationRecord>[]> } | undefined;

  private constructor(
    private readonly db: Low<State>,
    readonly file: string,
    private readonly lockFile: string,
    private readonly flushDelayMs: number,
  ) {}

  static async open(options: StoreOptions): Promise<Store> {
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const lockFile = join(dataDir, 'coordinator.lock');
    await acquireLock(dataDir, lockFile);
    const file = join(dataDir, 'state.json');
    const db = new Low<State>(new DurableJsonFile<State>(file), emptyState());
    try {
      await db.read();
      const problem = checkState(db.data);
      if (problem) throw new StateFileError(file, `is not Baton state (${problem}); it was left untouched`);
    } catch (err) {
      await unlink(lockFile).catch(() => {});
      throw err;
    }
    return new Store(db, file, lockFile, options.flushDelayMs ?? 50);
  }

  /** A store over memory (lowdb's Memory adapter), for harnesses and benchmarks: same rules, no file. */
  static memory(initial: State = emptyState()): Store {
    return new Store(new Low<State>(new Memory<State>(), initial), ':memory:', '', 0);
  }

  /** The current state, read only: every write goes through `transact` (a compile error elsewhere). */
  get state(): DeepReadonly<State> {
    return this.db.data;
  }

  /**
   * Every allocation record, as `Object.values(state.allocations)` lists them (the same order), kept
   * between transactions that add or remove none: `Object.values` of a 100,000-key object takes
   * 0.1-0.3 s (a dictionary-mode object: V8 collects and orders its keys on every call), and every
   * control-loop round and listing needs it. A change inside a record (its `observed` state, its
   * `desired`) keeps the list: it holds the records themselves.
   */
  allocations(): readonly DeepReadonly<AllocationRecord>[] {
    return this.allocationList.of(this.db.data.allocations);
  }

  /**
   * The allocation records placed on `nodeId`, in `allocations()` order; rebuilt only when that
   * list is (an allocation's node is set when it is created and never changed in place). An agent's
   * hello asks for its node's: at 100,000 allocations, a scan per hello made a reconnect of
   * 10,000 agents 10^9 comparisons.
   */
  allocationsOn(nodeId: string): readonly DeepReadonly<AllocationRecord>[] {
    const list = this.allocations();
    if (this.allocationsByNode?.of !== list) {
      const byNode = new Map<string, DeepReadonly<AllocationRecord>[]>();
      for (const a of list) {
        const on = byNode.get(a.nodeId);
        if (on) on.push(a);
        else byNode.set(a.nodeId, [a]);
      }
      this.allocationsByNode = { of: list, byNode };
    }
    return this.allocationsByNode.byNode.get(nodeId) ?? NONE;
  }

  /**
   * Every node record, as `Object.values(state.nodes)` lists them, kept until a transaction adds,
   * replaces or removes a node record (a hello replaces its node's): at 10,000 nodes the object is
   * in dictionary mode and every control-loop round lists it several times.
   */
  nodes(): readonly DeepReadonly<NodeRecord>[] {
    return this.nodeList.of(this.db.data.nodes);
  }

  /**
   * Applies `fn` to the state and schedules a coalesced write; returns what `fn` returns. All or
   * nothing: when `fn` throws, its writes are undone and the state is as it was.
   */
  transact<T>(fn: (state: State) => T): T {
    if (this.closed) throw new Error('store is closed');
    if (this.inTransaction) throw new Error('store.transact called inside a transaction');
    const journal = new UndoJournal();
    const allocations = this.db.data.allocations;
    const nodes = this.db.data.nodes;
    let result: T;
    this.inTransaction = true;
    try {
      result = journal.unwrap(fn(journal.track(this.db.data)));
    } catch (err) {
      // Undone writes put the same records back, but possibly in a new key order: listed afresh too.
      this.allocationList.forgetIfWritten(journal, allocations);
      this.nodeList.forgetIfWritten(journal, nodes);
      journal.undo();
      throw err;
    } finally {
      this.inTransaction = false;
    }
    this.allocationList.forgetIfWritten(journal, allocations);
    this.nodeList.forgetIfWritten(journal, nodes);
    this.dirty = true;
    this.schedule();
    return result;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const spacingMs = Math.min(MAX_WRITE_SPACING_MS, WRITE_SPACING_FACTOR * this.lastWriteMs);
    const delayMs = Math.max(this.flushDelayMs, this.lastWriteEndMs + spacingMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => {});
    }, delayMs);
  }

  /** Writes pending changes now; resolves once everything changed before the call is on disk. */
  async flush(): Promise<void> {
    // `while`: two callers waiting on one write both resume; the first may start the next write
    // (holding the second's change), which the second must wait for too.
    while (this.writing) await this.writing.catch(() => {});
    if (!this.dirty) {
      if (this.lastError) throw this.lastError;
      return;
    }
    this.dirty = false;
    const startMs = Date.now();
    this.writing = this.db.write().then(
      () => {
        this.writes++;
        this.lastError = undefined;
        this.lastWriteEndMs = Date.now();
        this.lastWriteMs = this.lastWriteEndMs - startMs;
      },
      (err: Error) => {
        this.dirty = true;
        this.lastError = err;
        throw err;
      },
    );
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      if (this.lockFile) await unlink(this.lockFile).catch(() => {});
    }
  }
}

async function acquireLock(dataDir: string, lockFile: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockFile, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
      // A lock left by a coordinator that died (kill -9): take it over.
      await unlink(lockFile).catch(() => {});
    }
  }
  throw new Error(`cannot lock data dir ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
