// The List* batch writer: batch bounds, the encoded-size bound against real protobuf encoding,
// waiting for 'drain' on a full stream, and stopping on cancellation. The sink is a real Node
// Writable whose writes complete only when the test releases them, like a client that reads slowly.
import t from 'tap';
import { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { encodedSizeBound, writeBatches, type BatchLimits } from '../../coordinator/list-stream.js';
import { loadProto } from '../../shared/grpc/load.js';

/** An objectMode Writable that buffers `highWaterMark` batches and completes a write only when released. */
class SlowCall<Batch> extends Writable {
  cancelled = false;
  readonly received: Batch[] = [];
  private readonly held: (() => void)[] = [];
  constructor(highWaterMark: number, private readonly autoRelease = false) {
    super({ objectMode: true, highWaterMark });
  }
  override _write(batch: Batch, _enc: BufferEncoding, done: () => void): void {
    this.received.push(batch);
    if (this.autoRelease) done();
    else this.held.push(done);
  }
  release(): void {
    this.held.shift()?.();
  }
  get waiting(): number {
    return this.held.length;
  }
  cancel(): void {
    this.cancelled = true;
    this.emit('cancelled', 'cancelled');
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const big: BatchLimits = { maxItems: 1_000_000, maxBytes: 1e12 };

t.test('batches are bounded by item count and by the size bound', async (t) => {
  const sizes = (call: { received: unknown[][] }) => call.received.map((b) => b.length);
  const byCount = new SlowCall<number[]>(16, true);
  t.equal(await writeBatches(byCount, range(7), (i) => i, (w) => w, { ...big, maxItems: 3 }), 'written');
  t.same(sizes(byCount), [3, 3, 1], '7 items, 3 per batch');
  t.same(byCount.received.flat(), range(7), 'every item once, in order');

  // {s: 'xxxxxxxxxx'}: one property = 3*12 + 3*1 (key "s") + 3*10 (value) = 69 bytes of bound.
  t.equal(encodedSizeBound({ s: 'x'.repeat(10) }), 69);
  const bySize = new SlowCall<{ s: string }[]>(16, true);
  await writeBatches(bySize, range(5), () => ({ s: 'x'.repeat(10) }), (w) => w, { ...big, maxBytes: 150 });
  // 2 * 69 = 138 <= 150 < 3 * 69 = 207: two per batch.
  t.same(sizes(bySize), [2, 2, 1]);

  const huge = new SlowCall<string[]>(16, true);
  await writeBatches(huge, ['a', 'x'.repeat(100), 'b'], (s) => s, (w) => w, { ...big, maxBytes: 30 });
  // 'a' = 3, the 100-character item = 300 > 30 goes alone, then 'b'.
  t.same(huge.received, [['a'], ['x'.repeat(100)], ['b']], 'an item over the budget goes alone');

  const none = new SlowCall<number[]>(16, true);
  t.equal(await writeBatches(none, [], (i: number) => i, (w) => w), 'written');
  t.same(none.received, [], 'an empty listing writes no batch');
});

t.test('the size bound is never below the real protobuf encoding', async (t) => {
  const svc = loadProto().baton.v1.ControlService.service;
  // Deterministic pseudo-random strings mixing ASCII, 2-, 3- and 4-byte UTF-8 characters.
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ['a', 'Z', '0', '-', 'é', 'ß', '中', '€', '😀', '\u0000'];
  const str = (max: number) => range(Math.floor(rnd() * max)).map(() => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  const num = () => (rnd() < 0.3 ? 0 : rnd() < 0.5 ? -Math.floor(rnd() * 2 ** 31) : Math.floor(rnd() * 2 ** 40));
  const labels = () => Object.fromEntries(range(Math.floor(rnd() * 4)).map(() => [str(20) || 'k', str(40)]));
  for (let i = 0; i < 300; i++) {
    const node = {
      id: str(40), name: str(20), address: str(15), status: 'ready' as const, labels: labels(),
      capacity: { cpu_millis: num(), memory_bytes: num(), disk_bytes: num() },
      agent_version: str(5), docker_version: str(5), docker_up: rnd() < 0.5,
      usage: rnd() < 0.5 ? undefined : { cpu_percent: rnd() * 100, load1: rnd(), load5: 0, load15: rnd(), memory_used_bytes: num(), memory_total_bytes: num(), disk_used_bytes: num(), disk_total_bytes: num(), net_rx_bytes_per_sec: rnd() * 1e6, net_tx_bytes_per_sec: 0 },
      containers: range(Math.floor(rnd() * 5)).map(() => ({
        container_id: str(64), name: str(30), image: str(30), state: 'running', cpu_percent: rnd(), memory_bytes: num(), memory_limit_bytes: num(),
        labels: labels(), exit_code: num() % 256, started_at_ms: num(), restart_count: Math.floor(rnd() * 10), health: 'none',
      })),
      last_seen_ms: num(), joined_at_ms: num(), status_since_ms: num(), reserved_cpu_millis: num(), reserved_memory_bytes: 0,
    };
    const replica = {
      stack: str(10), service: str(10), replica: Math.floor(rnd() * 1000), allocation_id: str(40), node: str(20), container_id: str(64), state: str(8),
      desired: 'run', generation: Math.floor(rnd() * 100), restarts: 0, cpu_percent: rnd(), memory_bytes: num(), since_ms: num(), error: str(100),
    };
    // The serialised batch of one item: the item plus its own field header in the batch.
    const realNode = svc.ListNodes.responseSerialize({ nodes: [node] }).length;
    const realReplica = svc.ListReplicas.responseSerialize({ replicas: [replica] }).length;
    if (encodedSizeBound(node) < realNode) t.fail(`node bound ${encodedSizeBound(node)} < ${realNode}: ${JSON.stringify(node)}`);
    if (encodedSizeBound(replica) < realReplica) t.fail(`replica bound ${encodedSizeBound(replica)} < ${realReplica}: ${JSON.stringify(replica)}`);
  }
  t.pass('300 random nodes and replicas checked');
});

t.test('a full stream is waited on (drain), and items are converted one batch at a time', async (t) => {
  const call = new SlowCall<number[]>(2);
  let converted = 0;
  const done = writeBatches(call, range(100), (i) => (converted++, i), (w) => w, { ...big, maxItems: 10 });
  for (let i = 0; i < 5; i++) await tick();
  // highWaterMark 2: the first batch is being written (held), the second waits in the buffer and
  // its write() returned false, so the writer waits for drain. Converted: 2 batches of 10 plus
  // the 21st item, whose size decided that the second batch was full.
  t.equal(call.received.length, 1, 'one write in progress');
  t.equal(converted, 21, 'only the batches written so far were converted');
  let settled = false;
  void done.then(() => (settled = true));
  await tick();
  t.notOk(settled, 'still waiting for drain');
  while (!settled) {
    call.release();
    await tick();
  }
  t.equal(await done, 'written');
  t.same(call.received.flat(), range(100), 'every item once, in order');
  t.equal(call.received.length, 10);
});

t.test('cancellation while waiting for drain stops the writer', async (t) => {
  const call = new SlowCall<number[]>(2);
  let converted = 0;
  const done = writeBatches(call, range(100), (i) => (converted++, i), (w) => w, { ...big, maxItems: 10 });
  for (let i = 0; i < 5; i++) await tick();
  t.equal(converted, 21, 'waiting for drain after two batches (2 * 10 + the one that did not fit)');
  call.cancel();
  t.equal(await done, 'cancelled');
  for (let i = 0; i < 5; i++) call.release();
  t.equal(converted, 21, 'nothing converted after the cancel');
});

t.test('a cancel seen between batches stops the writer', async (t) => {
  const call = new SlowCall<number[]>(1000, true);
  // grpc-js sets `cancelled` when the client's RST_STREAM is processed; here it flips while the
  // 15th item is converted, so the batch in progress is dropped and nothing more is written.
  const done = writeBatches(call, range(100), (i) => (i === 14 && call.cancel(), i), (w) => w, { ...big, maxItems: 10 });
  t.equal(await done, 'cancelled');
  t.same(call.received, [range(10)], 'the batch written before the cancel, no more');
});
