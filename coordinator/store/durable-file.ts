// A lowdb adapter that writes atomically AND durably: temp file, fsync, rename, fsync of the
// directory. lowdb's own JSONFile (steno) renames without fsync, so a power cut can leave an
// empty or stale file; the coordinator's state is worth the extra syscall per coalesced write.
import type { Adapter } from 'lowdb';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** Thrown when the state file exists but cannot be read or is not valid JSON. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`state file ${file}: ${message}`, options);
    this.name = 'StateFileError';
  }
}

export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StateFileError(this.file, `cannot be read (${(err as Error).message})`, { cause: err });
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new StateFileError(this.file, `is not valid JSON (${(err as Error).message}); it was left untouched`, {
        cause: err,
      });
    }
  }

  async write(data: T): Promise<void> {
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(data));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.file);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
    const dir = await open(dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
