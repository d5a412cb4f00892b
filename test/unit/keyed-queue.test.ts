// shared/keyed-queue.ts: one task at a time per key, in call order; keys independent; a failure
// reaches its caller and onError, and does not stop the tasks queued after it.
import t from 'tap';
import { KeyedQueue } from '../../shared/keyed-queue.js';

/** A task that records its start and end, and finishes when `release` is called. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { release, task: async () => { log.push(`${name}:start`); await done; log.push(`${name}:end`); return name; } };
}

const tick = () => new Promise((r) => setImmediate(r));

t.test('tasks of one key run one at a time, in call order', async (t) => {
  const q = new KeyedQueue();
  const log: string[] = [];
  const a = gate(log, 'a');
  const b = gate(log, 'b');
  const ra = q.run('k', a.task);
  const rb = q.run('k', b.task);
  await tick();
  t.same(log, ['a:start'], 'b waits for a');
  b.release(); // b may not start before a ends, released or not
  await tick();
  t.same(log, ['a:start']);
  a.release();
  t.equal(await ra, 'a');
  t.equal(await rb, 'b');
  t.same(log, ['a:start', 'a:end', 'b:start', 'b:end']);
});

t.test('different keys run concurrently', async (t) => {
  const q = new KeyedQueue();
  const log: string[] = [];
  const a = gate(log, 'a');
  const b = gate(log, 'b');
  const ra = q.run('k1', a.task);
  const rb = q.run('k2', b.task);
  await tick();
  t.same(log, ['a:start', 'b:start']);
  b.release();
  t.equal(await rb, 'b', 'k2 finishes while k1 is still running');
  t.same(log, ['a:start', 'b:start', 'b:end']);
  a.release();
  await ra;
});

t.test('a failure reaches the caller and onError; later tasks of the key still run', async (t) => {
  const errors: [string, string][] = [];
  const q = new KeyedQueue<string>((key, err) => errors.push([key, (err as Error).message]));
  const failed = q.run('k', async () => {
    throw new Error('boom');
  });
  const next = q.run('k', async () => 'after');
  await t.rejects(failed, /boom/);
  t.equal(await next, 'after');
  t.same(errors, [['k', 'boom']]);
});

t.test('idle() waits for every task queued so far, failed ones included', async (t) => {
  const q = new KeyedQueue();
  const log: string[] = [];
  const a = gate(log, 'a');
  void q.run('k1', a.task);
  void q.run('k2', async () => {
    throw new Error('ignored');
  }).catch(() => undefined);
  let idle = false;
  const waiting = q.idle().then(() => (idle = true));
  await tick();
  t.equal(idle, false, 'k1 is still running');
  a.release();
  await waiting;
  t.same(log, ['a:start', 'a:end']);
  await q.idle(); // nothing queued: resolves at once
});
