// The agent's replica checkpoint (agent/replica-checkpoint.ts) on real files: what a start puts is
// there after a reload, secret and config content never reaches the file, stops and a Reconcile
// take replicas out, a start that arrives during the load wins over the file, and an unreadable
// file is reported and treated as empty (then replaced).
import t from 'tap';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplicaCheckpoint } from '../../agent/replica-checkpoint.js';
import { DEFAULT_RESTART_POLICY } from '../../shared/compose/defaults.js';
import { createLogger } from '../../shared/logger.js';
import type { ReplicaSpec } from '../../shared/model/replica-spec.js';

const log = createLogger('test', 'silent');
const spec = (id: string, patch: Partial<ReplicaSpec> = {}): ReplicaSpec => ({
  allocationId: id, generation: 1, stack: 's', service: 'web', replica: 1, image: 'img:1', environment: { A: '1' }, ports: [], labels: {},
  restartPolicy: DEFAULT_RESTART_POLICY, stopGraceMs: 1000, ...patch,
});

t.test('put, reload, delete, retain', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-ckpt-'));
  const a = new ReplicaCheckpoint(dir, log);
  t.same(await a.load(), [], 'no file: nothing');
  a.put(spec('r1', { stopAfterDisconnectMs: 30_000 }));
  a.put(spec('r2', { files: [{ kind: 'secret', name: 'db_pw', target: '/run/secrets/db_pw', uid: '0', gid: '0', mode: 0o400, data: Buffer.from('hunter2-secret') }] }));
  a.put(spec('r3'));
  await a.flushed();
  const text = await readFile(join(dir, 'replicas.json'), 'utf8');
  t.notMatch(text, 'hunter2', 'secret content never reaches the file');
  t.notMatch(text, Buffer.from('hunter2-secret').toString('base64'));
  const b = new ReplicaCheckpoint(dir, log);
  const back = await b.load();
  t.same(back.map((s) => s.allocationId), ['r1', 'r2', 'r3']);
  t.equal(back[0]!.stopAfterDisconnectMs, 30_000);
  t.same(back[1]!.files!.map((f) => [f.name, f.target, f.data.length]), [['db_pw', '/run/secrets/db_pw', 0]], 'names and targets only');
  b.delete('r1');
  b.retain(new Set(['r2', 'nope']));
  await b.flushed();
  t.same((await new ReplicaCheckpoint(dir, log).load()).map((s) => s.allocationId), ['r2']);
});

t.test('a start during the load wins over the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-ckpt-'));
  const a = new ReplicaCheckpoint(dir, log);
  a.put(spec('r1', { image: 'old:1' }));
  await a.flushed();
  const b = new ReplicaCheckpoint(dir, log);
  b.put(spec('r1', { image: 'new:2' }));
  t.same(await b.load(), [], 'the newer start is not handed back as the last run');
  await b.flushed();
  t.equal((await new ReplicaCheckpoint(dir, log).load())[0]!.image, 'new:2');
});

t.test('an unreadable file: empty, replaced by the next write', async (t) => {
  const cases: [string, string | undefined][] = [
    ['{"replicas": [', 'the replica checkpoint is not JSON; starting without it'],
    ['[]', 'the replica checkpoint has no replicas list; starting without it'],
    ['null', 'the replica checkpoint has no replicas list; starting without it'],
    ['{"replicas": [{"allocationId": 5}]}', undefined],
  ];
  for (const [text, warning] of cases) {
    const dir = await mkdtemp(join(tmpdir(), 'baton-ckpt-'));
    await writeFile(join(dir, 'replicas.json'), text);
    const warnings: string[] = [];
    const c = new ReplicaCheckpoint(dir, { ...log, warn: (_o: unknown, m?: string) => void warnings.push(m ?? '') } as unknown as typeof log);
    t.same(await c.load(), [], `${text}: nothing taken back`);
    t.same(warnings, warning ? [warning] : [], `${text}: ${warning ?? 'a malformed entry is skipped'}`);
    c.put(spec('r9'));
    await c.flushed();
    t.same((await new ReplicaCheckpoint(dir, log).load()).map((s) => s.allocationId), ['r9'], `${text}: replaced`);
  }
});
