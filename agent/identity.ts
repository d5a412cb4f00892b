// The agent's stable identity: a node id generated once and kept in its data dir, so a
// restarted agent is the same node to the coordinator.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export async function loadOrCreateNodeId(dataDir: string): Promise<string> {
  const file = join(dataDir, 'node-id');
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (!NODE_ID.test(id)) throw new Error(`${file} does not hold a node id (found ${JSON.stringify(id.slice(0, 40))}); delete it to get a new identity`);
    return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const id = randomUUID();
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, id + '\n', { mode: 0o600 });
  await rename(tmp, file);
  return id;
}
