// The restart supervisor against the real engine: in-place restarts by restart policy, driven by
// Docker's die events (and by the resync alone when events are off), and no restart after Baton's stop.
import t, { type Test } from 'tap';
import { DockerExecutor } from '../../agent/executor/docker/docker-executor.js';
import { RestartSupervisor, type RestartSupervisorOptions } from '../../agent/supervisor/restart-supervisor.js';
import type { RestartPolicySpec } from '../../shared/compose/types.js';
import { requireDocker } from '../fixtures/docker-env.js';
import { docker, dockerInspect, removeStack, replicaSpec, sleep, StatusLog, uniqueStack, waitFor } from '../fixtures/executor/replicas.js';

const executor = new DockerExecutor();

function policy(p: Partial<RestartPolicySpec>): RestartPolicySpec {
  return { condition: 'any', delayMs: 200, maxAttempts: 0, windowMs: 0, ...p };
}

/** A started supervisor; `resyncIntervalMs` is long so exits must come through the event stream. */
async function supervisor(t: Test, options: Partial<RestartSupervisorOptions> = {}): Promise<{ sup: RestartSupervisor; log: StatusLog }> {
  const log = new StatusLog();
  const sup = new RestartSupervisor({ executor, onStatus: log.onStatus, resyncIntervalMs: 60_000, ...options });
  sup.start();
  t.teardown(() => sup.close());
  await sup.eventsConnected();
  return { sup, log };
}

t.test('on-failure, max_attempts 2: restarted exactly twice in place, then failed', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('onfail');
  t.teardown(() => removeStack(stack));
  const { sup, log } = await supervisor(t);
  const spec = replicaSpec(stack, { command: ['sh', '-c', 'exit 3'], restartPolicy: policy({ condition: 'on-failure', maxAttempts: 2 }) });

  await sup.run(spec);
  await waitFor('failed', () => log.last(spec.allocationId)?.state === 'failed');
  await sleep(800); // nothing more may follow
  t.same(log.trail(spec.allocationId), [
    'starting/0',
    'running/0',
    'exited/0',
    'starting/1',
    'running/1',
    'exited/1',
    'starting/2',
    'running/2',
    'failed/2',
  ]);
  const statuses = log.of(spec.allocationId);
  const exits = statuses.filter((s) => s.state === 'exited' || s.state === 'failed');
  t.ok(exits.every((s) => s.exitCode === 3), 'exit code 3 on every exit');
  t.match(statuses.at(-1)?.error, /exited with code 3; restart limit reached: 2 of 2 restarts used/);
  t.equal(statuses[0]?.containerId, undefined, 'no container before the first start');
  t.equal(new Set(statuses.slice(1).map((s) => s.containerId)).size, 1, 'one container throughout: restarted in place');
  // Backoff: 200 ms, then 400 ms (second quick exit in a row).
  const restartGaps = [3, 6].map((i) => statuses[i]!.atMs - statuses[i - 1]!.atMs);
  t.ok(restartGaps[0]! >= 190 && restartGaps[1]! >= 390, `delays honoured: ${restartGaps.join(', ')} ms`);
  t.match(sup.status(spec.allocationId), { state: 'failed', restarts: 2 });
});

t.test('condition none: not restarted', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('none');
  t.teardown(() => removeStack(stack));
  const { sup, log } = await supervisor(t);
  const spec = replicaSpec(stack, { command: ['sh', '-c', 'exit 3'], restartPolicy: policy({ condition: 'none' }) });

  await sup.run(spec);
  await waitFor('failed', () => log.last(spec.allocationId)?.state === 'failed');
  await sleep(600);
  t.same(log.trail(spec.allocationId), ['starting/0', 'running/0', 'failed/0']);
  t.match(log.last(spec.allocationId), { exitCode: 3, error: /exited with code 3; restart policy condition is none/ });
});

t.test('condition any restarts a clean exit (exit 0); the final clean exit is "exited"', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('any');
  t.teardown(() => removeStack(stack));
  const { sup, log } = await supervisor(t);
  const spec = replicaSpec(stack, { command: ['sh', '-c', 'exit 0'], restartPolicy: policy({ condition: 'any', delayMs: 100, maxAttempts: 1 }) });

  await sup.run(spec);
  await waitFor('final exit', () => log.trail(spec.allocationId).length >= 6);
  await sleep(600);
  t.same(log.trail(spec.allocationId), ['starting/0', 'running/0', 'exited/0', 'starting/1', 'running/1', 'exited/1']);
  const last = log.last(spec.allocationId);
  t.equal(last?.exitCode, 0);
  t.equal(last?.error, undefined, 'a clean exit carries no error');
});

t.test('stop() by Baton is not restarted, through the supervisor or the executor directly', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('stopped');
  t.teardown(() => removeStack(stack));
  const { sup, log } = await supervisor(t);
  const restartAlways = policy({ condition: 'any', delayMs: 100 });
  const a = replicaSpec(stack, { command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'], restartPolicy: restartAlways });
  const b = replicaSpec(stack, { replica: 1, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'], restartPolicy: restartAlways });
  await Promise.all([sup.run(a), sup.run(b)]);

  t.match(await sup.stop(a.allocationId, 2000), { ok: true, wasRunning: true });
  t.match(await executor.stop(b.allocationId, 2000), { ok: true, wasRunning: true });
  await sleep(1000); // well past the 100 ms restart delay
  t.same(log.trail(a.allocationId), ['starting/0', 'running/0', 'stopped/0']);
  t.match(log.last(a.allocationId), { exitCode: 0 });
  t.same(log.trail(b.allocationId), ['starting/0', 'running/0'], 'no exit handling, no restart');
  for (const spec of [a, b]) t.equal((await executor.inspect(spec.allocationId))?.running, false);

  // remove() reports and forgets.
  t.match(await sup.remove(a.allocationId), { ok: true, existed: true });
  t.equal(log.last(a.allocationId)?.state, 'removed');
  t.equal(sup.status(a.allocationId), undefined);

  // An explicit run() after a stop starts it again.
  await sup.run(a);
  t.match(sup.status(a.allocationId), { state: 'running' });
});

t.test('a container killed from outside is restarted in place', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('killed');
  t.teardown(() => removeStack(stack));
  const { sup, log } = await supervisor(t);
  const spec = replicaSpec(stack, { restartPolicy: policy({ condition: 'on-failure' }) });
  const first = await sup.run(spec);
  t.equal(first.state, 'running');

  const kill = await docker(['kill', first.containerId!]);
  t.equal(kill.code, 0, kill.stderr);
  await waitFor('restart', () => log.trail(spec.allocationId).includes('running/1'));
  t.same(log.trail(spec.allocationId), ['starting/0', 'running/0', 'exited/0', 'starting/1', 'running/1']);
  t.match(log.of(spec.allocationId)[2], { exitCode: 137, error: /exited with code 137/ });
  t.equal(log.last(spec.allocationId)?.containerId, first.containerId, 'same container, same host');
  t.equal((await dockerInspect(first.containerId!)).State.Running, true);
});

t.test('without events the periodic resync still restarts a killed container', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('resync');
  t.teardown(() => removeStack(stack));
  const { sup, log } = await supervisor(t, { watchExits: false, resyncIntervalMs: 300 });
  const spec = replicaSpec(stack, { restartPolicy: policy({ condition: 'any', delayMs: 0 }) });
  const first = await sup.run(spec);

  await docker(['kill', first.containerId!]);
  await waitFor('restart by resync', () => log.trail(spec.allocationId).includes('running/1'));
  t.same(log.trail(spec.allocationId), ['starting/0', 'running/0', 'exited/0', 'starting/1', 'running/1']);
  t.equal(log.last(spec.allocationId)?.containerId, first.containerId);
});

t.test('start failures are reported as failed and not retried', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('startfail');
  t.teardown(() => removeStack(stack));
  const { sup, log } = await supervisor(t);
  const spec = replicaSpec(stack, { image: `baton/absent-${stack}:nope`, restartPolicy: policy({ condition: 'any', delayMs: 0 }) });
  const status = await sup.run(spec);
  t.match(status, { state: 'failed', error: /is not present on this host and could not be pulled/ });
  await sleep(300);
  t.same(log.trail(spec.allocationId), ['starting/0', 'failed/0']);
  // The coordinator re-sending the same allocation does not start a pull loop.
  await sup.run(spec);
  t.same(log.trail(spec.allocationId), ['starting/0', 'failed/0']);
});
