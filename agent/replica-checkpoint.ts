// The replicas this node was told to run, kept in its data dir (`replicas.json`) so that an agent
// restarted while cut off from the coordinator supervises them again: restarts them per their
// policy, runs their health checks, applies on_disconnect.stop_after (Nomad's client keeps its
// allocations in a local state store for the same reason; SwarmKit's worker keeps its tasks in a
// local database). The coordinator stays the authority: on the next session its Reconcile removes
// what it no longer wants, and its starts replace these specs.
//
// Only replicas whose container still exists are taken back (a container removed by hand is not
// made again without the coordinator). Secret and config content is never written here: a spec
// keeps its files' names and targets only; the files themselves are still in the agent's tmpfs,
// where the existing container's mounts point.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../shared/logger.js';
import type { ReplicaSpec } from '../shared/model/replica-spec.js';

const FILE = 'replicas.json';

/** What is written per replica: the spec, file contents left out. */
type StoredSpec = Omit<ReplicaSpec, 'files'> & { readonly files?: readonly Omit<NonNullable<ReplicaSpec['files']>[number], 'data'>[] };

export class ReplicaCheckpoint {
  private readonly specs = new Map<string, StoredSpec>();
  private readonly file: string;
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    dataDir: string,
    private readonly log: Logger,
  ) {
    this.file = join(dataDir, FILE);
  }

  /**
   * The replicas from the last run. An unreadable file is reported and treated as empty (the
   * coordinator re-sends what it wants on the next session); it is replaced at the next write.
   */
  async load(): Promise<ReplicaSpec[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn({ file: this.file, err: (err as Error).message }, 'cannot read the replica checkpoint; starting without it');
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      this.log.warn({ file: this.file, err: (err as Error).message }, 'the replica checkpoint is not JSON; starting without it');
      return [];
    }
    const list = (parsed as { replicas?: unknown } | null)?.replicas;
    if (!Array.isArray(list)) {
      this.log.warn({ file: this.file }, 'the replica checkpoint has no replicas list; starting without it');
      return [];
    }
    const out: ReplicaSpec[] = [];
    for (const s of list as StoredSpec[]) {
      // A start that arrived while the file was read is newer.
      if (!isStoredSpec(s) || this.specs.has(s.allocationId)) continue;
      this.specs.set(s.allocationId, s);
      out.push({ ...s, ...(s.files ? { files: s.files.map((f) => ({ ...f, data: new Uint8Array() })) } : {}) } as ReplicaSpec);
    }
    return out;
  }

  /** The coordinator asked for this replica (a start). */
  put(spec: ReplicaSpec): void {
    const { files, ...rest } = spec;
    this.specs.set(spec.allocationId, { ...rest, ...(files ? { files: files.map(({ data: _data, ...f }) => f) } : {}) });
    this.save();
  }

  /** Stopped for good (by the coordinator, by stop_after, or removed): not taken back after a restart. */
  delete(allocationId: string): void {
    if (this.specs.delete(allocationId)) this.save();
  }

  /** The coordinator's complete set for this node (Reconcile): the rest is forgotten. */
  retain(expected: ReadonlySet<string>): void {
    let changed = false;
    for (const id of [...this.specs.keys()]) if (!expected.has(id)) changed = this.specs.delete(id) || changed;
    if (changed) this.save();
  }

  /** Resolves once what was changed so far is on disk. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** One write at a time; changes meanwhile are written by the next one (coalesced). */
  private save(): void {
    this.dirty = true;
    if (this.writing) return;
    this.writing = (async () => {
      while (this.dirty) {
        this.dirty = false;
        const text = JSON.stringify({ replicas: [...this.specs.values()] });
        const tmp = `${this.file}.${process.pid}.tmp`;
        try {
          await mkdir(dirname(this.file), { recursive: true });
          await writeFile(tmp, text, { mode: 0o600 });
          await rename(tmp, this.file);
        } catch (err) {
          this.log.warn({ file: this.file, err: (err as Error).message }, 'cannot write the replica checkpoint');
        }
      }
    })().finally(() => (this.writing = undefined));
  }
}

function isStoredSpec(s: unknown): s is StoredSpec {
  const o = s as Partial<StoredSpec> | null;
  return (
    typeof o === 'object' && o !== null && typeof o.allocationId === 'string' && o.allocationId !== '' && typeof o.image === 'string' &&
    typeof o.generation === 'number' && typeof o.replica === 'number' && typeof o.stopGraceMs === 'number' && typeof o.restartPolicy === 'object' && o.restartPolicy !== null &&
    typeof o.environment === 'object' && Array.isArray(o.ports) && typeof o.labels === 'object'
  );
}
