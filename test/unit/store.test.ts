// The store over a real file: coalesced writes, restart survival, corrupt files left untouched.
import t from 'tap';
import { mkdtemp, readFile, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, StateFileError, Store } from '../../coordinator/store/index.js';

const tmp = () => mkdtemp(join(tmpdir(), 'baton-store-'));

t.test('changes are coalesced into few writes and survive reopening', async (t) => {
  const dir = await tmp();
  const s = await Store.open({ dataDir: dir, flushDelayMs: 20 });
  for (let i = 0; i < 500; i++) {
    s.transact((st) => {
      st.events.push({ seq: ++st.eventSeq, atMs: i, type: 't', nodeId: 'n', nodeName: 'n', from: '', to: '', reason: String(i), message: '' });
    });
  }
  await s.flush();
  t.ok(s.writes >= 1 && s.writes <= 2, `500 changes took ${s.writes} file writes`);
  await s.close();
  const again = await Store.open({ dataDir: dir });
  t.equal(again.state.events.length, 500);
  t.equal(again.state.eventSeq, 500);
  await again.close();
});

t.test('a corrupt state file stops the open with the file named and is not overwritten', async (t) => {
  const dir = await tmp();
  const file = join(dir, 'state.json');
  await writeFile(file, '{"schema": 1, "nodes": {');
  const err = await Store.open({ dataDir: dir }).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof StateFileError, 'a StateFileError');
  t.match((err as Error).message, file);
  t.match((err as Error).message, /not valid JSON/);
  t.equal(await readFile(file, 'utf8'), '{"schema": 1, "nodes": {');
  // The lock is released so a fixed file can be opened afterwards.
  await writeFile(file, JSON.stringify({ schema: 1, nodes: {}, events: [], eventSeq: 0, allocations: {} }));
  const s = await Store.open({ dataDir: dir });
  await s.close();
});

t.test('a state file from before rollouts (no rollouts, no history, allocations without spec hashes) loads with empty ones', async (t) => {
  const dir = await tmp();
  const file = join(dir, 'state.json');
  const alloc = { id: 'a1', stack: 'shop', service: 'web', replica: 1, nodeId: 'n1', generation: 2, cpuMillis: 100, memoryBytes: 1, hostPorts: [], desired: 'run', createdAtMs: 0 };
  await writeFile(file, JSON.stringify({ schema: 1, nodes: {}, events: [], eventSeq: 0, allocations: { a1: alloc }, stacks: {} }));
  const s = await Store.open({ dataDir: dir });
  t.same(s.state.rollouts, {});
  t.same(s.state.history, {});
  t.equal(s.state.allocations['a1']!.specHash, undefined, 'matched by generation until it is replaced (allocation-spec.ts)');
  await s.close();
});

t.test('valid JSON that is not Baton state is refused, naming the field', async (t) => {
  const dir = await tmp();
  const file = join(dir, 'state.json');
  await writeFile(file, JSON.stringify({ schema: 1, nodes: { a: { id: 'a', name: 'a', status: 'flying' } }, events: [], eventSeq: 0, allocations: {} }));
  await t.rejects(Store.open({ dataDir: dir }), /nodes\.a\.status/);
  t.match(await readFile(file, 'utf8'), /flying/);
});

t.test('an unreadable state file is an error naming it', async (t) => {
  const dir = await tmp();
  const file = join(dir, 'state.json');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(file); // a directory where the file should be: read fails with EISDIR
  const err = await Store.open({ dataDir: dir }).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof StateFileError, 'a StateFileError');
  t.match((err as Error).message, file);
});

t.test('a second coordinator on the same data dir is refused while the first lives', async (t) => {
  const dir = await tmp();
  const lock = join(dir, 'coordinator.lock');
  // pid 1 is always alive: the data dir is held by "another coordinator".
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(lock, '1');
  await t.rejects(Store.open({ dataDir: dir }), DataDirLockedError);
  // A lock left by a dead process is taken over.
  await writeFile(lock, '2147483646');
  const s = await Store.open({ dataDir: dir });
  t.equal((await readFile(lock, 'utf8')).trim(), String(process.pid));
  await s.close();
  await t.rejects(stat(lock), /ENOENT/);
});

t.test('the file is written with restrictive permissions', async (t) => {
  const dir = await tmp();
  const s = await Store.open({ dataDir: dir, flushDelayMs: 1 });
  s.transact((st) => void (st.eventSeq = 7));
  await s.close();
  const st = await stat(join(dir, 'state.json'));
  t.equal(st.mode & 0o777, 0o600);
  t.equal(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).eventSeq, 7);
});

t.test('every flush resolves only once its own change is on disk, when several wait on one write', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-store-flush-'));
  const store = await Store.open({ dataDir: dir, flushDelayMs: 10_000 });
  t.teardown(() => store.close());
  const onDisk = async () => JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { eventSeq: number };
  for (let round = 0; round < 20; round++) {
    const writesBefore = store.writes;
    store.transact((s) => void (s.eventSeq = round * 3 + 1));
    const first = store.flush();
    store.transact((s) => void (s.eventSeq = round * 3 + 2));
    const second = store.flush();
    store.transact((s) => void (s.eventSeq = round * 3 + 3));
    const third = store.flush();
    await third;
    // The third's change went out in the write the second started after the first's: both writes
    // are done when the third resolves (counted by the store as each one completes).
    t.equal(store.writes - writesBefore, 2, `round ${round}: the third flush resolved after the write holding its change`);
    t.equal((await onDisk()).eventSeq, round * 3 + 3, `round ${round}: and that change is on disk`);
    await Promise.all([first, second]);
    await second;
  }
});
