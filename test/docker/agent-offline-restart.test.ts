// An agent restarted while its coordinator is gone supervises the replicas of its last run again
// (agent/replica-checkpoint.ts): a container killed afterwards is restarted in place by the new
// agent process per its restart policy, with no coordinator anywhere; a replica the coordinator
// had stopped stays stopped. Real agent processes (compiled), killed with SIGKILL; real Docker.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_IMAGE, dockerSkip } from '../fixtures/docker-env.js';
import { startBaton, waitFor } from '../fixtures/processes.js';
import { ScriptedCoordinator } from '../fixtures/scripted-coordinator.js';

const skip = await dockerSkip(t);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const run = `or${process.pid}`;
const containerOf = (id: string) => docker('ps', '-aq', '--filter', `label=io.baton.allocation=${id}`);
const stateOf = (id: string) => docker('inspect', '--format', '{{.State.Status}} {{.State.StartedAt}}', containerOf(id)).split(' ') as [string, string];

t.test('an agent restarted with no coordinator takes back the last run', { skip }, async (t) => {
  const coord = await ScriptedCoordinator.start();
  const dataDir = join(await mkdtemp(join(tmpdir(), 'baton-or-')), 'a');
  const agentArgs = ['agent', '--insecure', '--coordinator', `127.0.0.1:${coord.port}`, '--name', run, '--data-dir', dataDir];
  let agent = startBaton(agentArgs, { BATON_LOG_LEVEL: 'info' });
  t.teardown(async () => {
    coord.stop();
    await agent.kill('SIGKILL');
    const left = docker('ps', '-aq', '--filter', `label=io.baton.stack=${run}`);
    if (left) docker('rm', '-f', ...left.split('\n'));
  });
  await waitFor('agent connected', () => coord.connected, 20_000);
  const start = (allocationId: string, replica: number) =>
    coord.send({
      command: {
        command_id: `start-${allocationId}`,
        start: {
          allocation_id: allocationId, generation: 1, stack: run, service: 'web', replica, image: TEST_IMAGE,
          command: { args: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"] },
          restart_policy: { condition: 'any', delay_ms: 200, max_attempts: 0, window_ms: 0 },
          stop_grace_ms: 1000,
        },
      },
    });
  const kept = `${run}-kept`;
  const stopped = `${run}-stopped`;
  start(kept, 1);
  start(stopped, 2);
  await waitFor('both running', () => [kept, stopped].every((id) => coord.events(id).some((e) => e.state === 'running')), 30_000);
  coord.send({ command: { command_id: 'stop-1', stop: { allocation_id: stopped, remove: false, stop_grace_ms: 1000, reason: 'test' } } });
  await waitFor('stop acknowledged', () => coord.acks('stop-1').length > 0, 20_000);
  t.equal(stateOf(stopped)[0], 'exited', 'the coordinator stopped one (kept, not removed)');
  const checkpoint = JSON.parse(await readFile(join(dataDir, 'replicas.json'), 'utf8')) as { replicas: { allocationId: string }[] };
  t.same(checkpoint.replicas.map((r) => r.allocationId), [kept], 'the checkpoint holds the replica the coordinator still wants');

  // The coordinator goes away for good, then the agent is killed and started again: nothing to talk to.
  coord.stop();
  await agent.kill('SIGKILL');
  agent = startBaton(agentArgs, { BATON_LOG_LEVEL: 'info' });
  await waitFor('the new agent takes the last run back', () => agent.output().includes('supervising the replicas of the last run again'), 20_000);
  const [, startedBefore] = stateOf(kept);
  docker('kill', containerOf(kept));
  await waitFor('the killed container restarted in place by the new agent', () => {
    const [status, startedAt] = stateOf(kept);
    return status === 'running' && startedAt !== startedBefore;
  }, 20_000, 200);
  t.pass('restarted with no coordinator: the new agent process supervises it');
  await new Promise((r) => setTimeout(r, 1500));
  t.equal(stateOf(stopped)[0], 'exited', 'the stopped one is not started again');
  t.equal(docker('ps', '-aq', '--filter', `label=io.baton.stack=${run}`).split('\n').length, 2, 'no new container: the same two');
});
