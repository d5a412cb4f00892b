// The agent executes coordinator commands on the real engine: start, duplicate delivery,
// stop+remove, reconcile of stale replicas; every command is acknowledged and every state change
// reported. Real agent process (compiled), real gRPC, real Docker.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_IMAGE, dockerSkip } from '../fixtures/docker-env.js';
import { startBaton, waitFor } from '../fixtures/processes.js';
import { ScriptedCoordinator } from '../fixtures/scripted-coordinator.js';

const skip = await dockerSkip(t);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const run = `ac${process.pid}`;
const byAllocation = (id: string) => docker('ps', '-a', '--filter', `label=io.baton.allocation=${id}`, '--format', '{{.ID}} {{.State}}').split('\n').filter(Boolean);

t.test('agent commands on a real engine', { skip }, async (t) => {
  const coord = await ScriptedCoordinator.start();
  t.teardown(() => coord.stop());
  const agent = startBaton(['agent', '--insecure', '--coordinator', `127.0.0.1:${coord.port}`, '--name', run, '--data-dir', join(await mkdtemp(join(tmpdir(), 'baton-ac-')), 'a')], { BATON_LOG_LEVEL: 'warn' });
  t.teardown(async () => {
    await agent.kill('SIGKILL');
    const left = docker('ps', '-aq', '--filter', `label=io.baton.stack=${run}`);
    if (left) docker('rm', '-f', ...left.split('\n'));
  });
  await waitFor('agent connected', () => coord.connected, 20_000);

  const start = (commandId: string, allocationId: string, replica: number) =>
    coord.send({
      command: {
        command_id: commandId,
        start: {
          allocation_id: allocationId,
          generation: 1,
          stack: run,
          service: 'web',
          replica,
          image: TEST_IMAGE,
          command: { args: ['sleep', '600'] },
          environment: { GREETING: 'hi' },
          labels: { team: 'edge' },
          cpu_limit_millis: 250,
          memory_limit_bytes: 32 * 1024 * 1024,
          restart_policy: { condition: 'on_failure', delay_ms: 200, max_attempts: 2, window_ms: 0 },
          stop_grace_ms: 1000,
        },
      },
    });

  await t.test('start: acknowledged, running, with limits and labels', async (t) => {
    start('cmd-1', `${run}-a1`, 1);
    await waitFor('ack', () => coord.acks('cmd-1').length > 0);
    t.same(coord.acks('cmd-1').map((a) => a.ok), [true]);
    await waitFor('running event', () => coord.events(`${run}-a1`).some((e) => e.state === 'running'), 20_000);
    const states = coord.events(`${run}-a1`).map((e) => e.state);
    t.same(states.slice(0, 2), ['starting', 'running']);
    const [line] = byAllocation(`${run}-a1`);
    t.match(line, / running$/);
    const inspect = JSON.parse(docker('inspect', line!.split(' ')[0]!))[0];
    t.equal(inspect.HostConfig.NanoCpus, 250_000_000);
    t.equal(inspect.HostConfig.Memory, 32 * 1024 * 1024);
    t.equal(inspect.Config.Labels['io.baton.service'], 'web');
    t.equal(inspect.Config.Labels.team, 'edge');
    t.ok(inspect.Config.Env.includes('GREETING=hi'));
  });

  await t.test('the same command delivered again, and a second command for the same allocation, make no second container', async (t) => {
    start('cmd-1', `${run}-a1`, 1);
    start('cmd-1b', `${run}-a1`, 1);
    await waitFor('ack of cmd-1b', () => coord.acks('cmd-1b').length > 0);
    await new Promise((r) => setTimeout(r, 500));
    t.equal(byAllocation(`${run}-a1`).length, 1, 'one container');
    t.equal(coord.acks('cmd-1').length, 2, 'the repeat is acknowledged again (from memory)');
  });

  await t.test('a crashed container is restarted in place and reported', async (t) => {
    const [line] = byAllocation(`${run}-a1`);
    docker('kill', line!.split(' ')[0]!);
    await waitFor('restart reported', () => coord.events(`${run}-a1`).some((e) => e.restarts >= 1 && e.state === 'running'), 20_000);
    t.equal(byAllocation(`${run}-a1`).length, 1);
    t.match(byAllocation(`${run}-a1`)[0], / running$/);
  });

  await t.test('reconcile removes Baton containers the coordinator no longer expects, keeps the rest', async (t) => {
    start('cmd-2', `${run}-a2`, 2);
    await waitFor('a2 running', () => coord.events(`${run}-a2`).some((e) => e.state === 'running'), 20_000);
    // A container without Baton's labels is never touched.
    const foreign = docker('run', '-d', '--label', `io.baton.stack=${run}`, TEST_IMAGE, 'sleep', '600');
    // Nor is a Baton replica of another node that shares this engine.
    const otherNode = docker('run', '-d', '--label', `io.baton.stack=${run}`, '--label', `io.baton.allocation=${run}-other`, '--label', 'io.baton.node=another-node', TEST_IMAGE, 'sleep', '600');
    coord.send({ command: { command_id: 'cmd-3', reconcile: { allocation_ids: [`${run}-a1`] } } });
    await waitFor('reconcile ack', () => coord.acks('cmd-3').length > 0, 20_000);
    t.same(coord.acks('cmd-3').map((a) => [a.ok, a.error]), [[true, '']]);
    t.equal(byAllocation(`${run}-a2`).length, 0, 'stale a2 removed');
    t.equal(byAllocation(`${run}-a1`).length, 1, 'expected a1 kept');
    t.match(docker('inspect', '--format', '{{.State.Status}}', foreign), /running/);
    t.match(docker('inspect', '--format', '{{.State.Status}}', otherNode), /running/, "another node's replica is left alone");
  });

  await t.test('stop with remove: acknowledged, container gone, not restarted', async (t) => {
    coord.send({ command: { command_id: 'cmd-4', stop: { allocation_id: `${run}-a1`, remove: true, stop_grace_ms: 1000, reason: 'test' } } });
    await waitFor('stop ack', () => coord.acks('cmd-4').length > 0, 20_000);
    t.same(coord.acks('cmd-4').map((a) => a.ok), [true]);
    await new Promise((r) => setTimeout(r, 1000));
    t.equal(byAllocation(`${run}-a1`).length, 0);
  });

  await t.test('a start with a missing image is acknowledged, then reported failed with the reason', async (t) => {
    coord.send({ command: { command_id: 'cmd-5', start: { allocation_id: `${run}-a5`, generation: 1, stack: run, service: 'ghost', replica: 1, image: 'baton/not-here:none', command: { args: ['true'] } } } });
    await waitFor('failed event', () => coord.events(`${run}-a5`).some((e) => e.state === 'failed'), 30_000);
    const failed = coord.events(`${run}-a5`).find((e) => e.state === 'failed')!;
    t.match(failed.error, /image "baton\/not-here:none" is not present on this host and could not be pulled/);
    t.equal(byAllocation(`${run}-a5`).length, 0, 'no container left behind');
  });
});
