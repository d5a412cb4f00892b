// x-baton.on_disconnect.stop_after on the agent (agent/disconnect-guard.ts), against a manual
// clock: while cut off, a running replica with a bound is stopped once the agent has been cut off
// that long, each once; replicas without one keep running; a welcome before the bound stops
// nothing and a later cut counts from its own start. The real agent and Docker:
// test/testbed/testbed-drain.test.ts (a host's link cut).
import t from 'tap';
import { DisconnectGuard, dueForStop, type GuardedContainer } from '../../agent/disconnect-guard.js';
import { createLogger } from '../../shared/logger.js';
import { ManualClock } from '../fixtures/harness.js';

t.test('dueForStop: running, with a bound, past it', async (t) => {
  const cs: GuardedContainer[] = [
    { allocationId: 'a', running: true, stopAfterDisconnectMs: 10_000 },
    { allocationId: 'b', running: true, stopAfterDisconnectMs: 30_000 },
    { allocationId: 'c', running: true },
    { allocationId: 'd', running: false, stopAfterDisconnectMs: 1_000 },
  ];
  t.same(dueForStop(cs, 1000, 10_999).map((c) => c.allocationId), []);
  t.same(dueForStop(cs, 1000, 11_000).map((c) => c.allocationId), ['a']);
  t.same(dueForStop(cs, 1000, 31_000).map((c) => c.allocationId), ['a', 'b']);
});

async function rig() {
  const clock = new ManualClock();
  const containers = new Map<string, { allocationId: string; running: boolean; stopAfterDisconnectMs?: number }>([
    ['db', { allocationId: 'db', running: true, stopAfterDisconnectMs: 5_000 }],
    ['web', { allocationId: 'web', running: true }],
  ]);
  const stops: { id: string; reason: string; atMs: number }[] = [];
  const guard = new DisconnectGuard({
    list: async () => [...containers.values()],
    stop: async (id, reason) => {
      stops.push({ id, reason, atMs: clock.now() });
      containers.get(id)!.running = false;
    },
    log: createLogger('test', 'silent'),
    clock,
  });
  const step = async (ms: number) => {
    for (let i = 0; i < ms / 1000; i++) {
      clock.advance(1000);
      // Let the check's awaited list and stop settle.
      for (let j = 0; j < 5; j++) await Promise.resolve();
    }
  };
  return { clock, containers, stops, guard, step };
}

t.test('cut off past the bound: stopped once, with the reason; others keep running', async (t) => {
  const { clock, stops, guard, step, containers } = await rig();
  const start = clock.now();
  guard.disconnected();
  await step(4000);
  t.same(stops, [], 'not before the bound');
  await step(2000);
  t.equal(stops.length, 1);
  t.equal(stops[0]!.id, 'db');
  t.ok(stops[0]!.atMs - start >= 5000 && stops[0]!.atMs - start <= 6000, `stopped ${stops[0]!.atMs - start} ms after the cut`);
  t.match(stops[0]!.reason, /^stopped by its agent: cut off from the coordinator for [56] s \(x-baton\.on_disconnect\.stop_after 5 s\)$/);
  await step(10_000);
  t.equal(stops.length, 1, 'stopped once');
  t.equal(containers.get('web')!.running, true, 'a replica without stop_after keeps running');
  guard.close();
});

t.test('a welcome before the bound stops nothing; the next cut counts from its own start', async (t) => {
  const { stops, guard, step } = await rig();
  guard.disconnected();
  await step(3000);
  guard.connected();
  await step(10_000);
  t.same(stops, [], 'connected again: the coordinator decides');
  guard.disconnected();
  await step(3000);
  guard.disconnected(); // a second session failure while still cut off does not restart the count
  await step(1000);
  t.same(stops, []);
  await step(2000);
  t.same(stops.map((s) => s.id), ['db'], 'five seconds after the second cut began');
  guard.close();
});
