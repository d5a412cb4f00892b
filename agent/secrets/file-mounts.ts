// Secrets and configs in a replica's container: the agent writes each one's content into a
// directory of its own on a tmpfs (memory, never the node's disk) and bind-mounts the file read-only
// at its target. The root is checked to be a tmpfs before anything is written: on any other file
// system the start fails with an error, never falls back to disk. Content is never logged; errors
// name the allocation, the file's name and target only.
import { chmod, chown, mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplicaFile } from '../../shared/model/replica-spec.js';
import { fail, ok, type Result } from '../../shared/result.js';

/** statfs(2) f_type of a tmpfs (linux/magic.h TMPFS_MAGIC). */
export const TMPFS_MAGIC = 0x01021994;

/** `/dev/shm/baton-secrets/<node id>` (a tmpfs on Linux), unless BATON_SECRETS_DIR says where. */
export function defaultFilesRoot(nodeId: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.BATON_SECRETS_DIR || join('/dev/shm/baton-secrets', nodeId || 'agent');
}

export interface BindMount {
  readonly Type: 'bind';
  readonly Source: string;
  readonly Target: string;
  readonly ReadOnly: true;
}

export class FileMounts {
  constructor(
    readonly root: string,
    private readonly isTmpfs: (path: string) => Promise<boolean> = async (p) => (await statfs(p)).type === TMPFS_MAGIC,
  ) {}

  /** Where an allocation's files live. */
  dirOf(allocationId: string): string {
    return join(this.root, allocationId);
  }

  /** Writes the files (replacing what an earlier attempt left) and returns the mounts for the container. */
  async prepare(allocationId: string, files: readonly ReplicaFile[]): Promise<Result<BindMount[]>> {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(allocationId) || allocationId.startsWith('.')) return fail(`allocation ${JSON.stringify(allocationId.slice(0, 40))}: not usable as a directory name`);
    try {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      if (!(await this.isTmpfs(this.root))) {
        return fail(`${this.root} is not a tmpfs: secrets are written only to memory (set BATON_SECRETS_DIR to a tmpfs, e.g. under /dev/shm or /run)`);
      }
      const dir = this.dirOf(allocationId);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { mode: 0o700 });
      const asRoot = process.getuid?.() === 0;
      const mounts: BindMount[] = [];
      for (const [i, f] of files.entries()) {
        const path = join(dir, `${i}-${f.kind}`);
        await writeFile(path, f.data, { mode: 0o600, flag: 'wx' });
        // The container sees the file's own owner and mode through the bind mount.
        if (asRoot) await chown(path, Number(f.uid), Number(f.gid));
        await chmod(path, f.mode);
        mounts.push({ Type: 'bind', Source: path, Target: f.target, ReadOnly: true });
      }
      return ok(mounts);
    } catch (err) {
      return fail(`cannot write the secrets and configs of ${allocationId} under ${this.root}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  /** Removes an allocation's files (after its container is gone). Absent is fine. */
  async release(allocationId: string): Promise<void> {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(allocationId) || allocationId.startsWith('.')) return;
    await rm(this.dirOf(allocationId), { recursive: true, force: true }).catch(() => {});
  }
}
