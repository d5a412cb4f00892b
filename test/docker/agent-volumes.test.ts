// The agent's volumes against the real engine: a replica's named volume is created by Docker with
// Baton's labels and this node's id; the inventory lists exactly this node's Baton volumes (in use
// or not) and changes version only when they change; removing a stack's volumes takes only those,
// reports the one a container still uses (Docker's refusal) and leaves another node's, another
// stack's and hand-made volumes alone. Checked with `docker volume ls` / `inspect`.
import t from 'tap';
import { DockerExecutor } from '../../agent/executor/docker/docker-executor.js';
import { dockerFromEnv } from '../../agent/docker-observer.js';
import { Volumes } from '../../agent/volumes.js';
import { requireDocker } from '../fixtures/docker-env.js';
import { docker, removeStack, replicaSpec, uniqueStack } from '../fixtures/executor/replicas.js';

t.test("a stack's volumes: created labelled, listed, removed only where Baton's and free", async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('vol');
  const other = uniqueStack('volother');
  const nodeId = `${stack}-node`;
  const made: string[] = [];
  const create = async (name: string, labels: Record<string, string>) => {
    const r = await docker(['volume', 'create', ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), name]);
    if (r.code !== 0) throw new Error(r.stderr);
    made.push(name);
  };
  const baton = (s: string, key: string, node?: string) => ({ 'io.baton.managed': 'true', 'io.baton.stack': s, 'io.baton.volume': key, ...(node ? { 'io.baton.node': node } : {}) });
  const present = async () => (await docker(['volume', 'ls', '--format', '{{.Name}}'])).stdout.split('\n').filter((n) => n.startsWith(stack) || n.startsWith(other)).sort();
  t.teardown(async () => {
    await removeStack(stack);
    for (const v of [...made, `${stack}_data`]) await docker(['volume', 'rm', '-f', v]);
  });

  const executor = new DockerExecutor({ nodeId });
  const spec = replicaSpec(stack, { mounts: [{ type: 'volume', source: `${stack}_data`, target: '/data', volume: { name: 'data', driver: '', driverOptions: {} } }] });
  const started = await executor.ensureRunning(spec);
  t.ok(started.ok, JSON.stringify(started));
  const labels = JSON.parse((await docker(['volume', 'inspect', `${stack}_data`])).stdout)[0].Labels;
  t.same(labels, { 'io.baton.managed': 'true', 'io.baton.stack': stack, 'io.baton.volume': 'data', 'io.baton.node': nodeId }, "Docker made it with Baton's labels and this node's id");

  await create(`${stack}_old`, baton(stack, 'old')); // from an agent before the node label
  await create(`${stack}_theirs`, baton(stack, 'theirs', 'another-node')); // another agent on a shared engine
  await create(`${stack}_hand`, {}); // made by hand (or external)
  await create(`${other}_x`, baton(other, 'x', nodeId)); // another stack

  const volumes = new Volumes(dockerFromEnv(), nodeId);
  const first = await volumes.current();
  const mine = first?.volumes.filter((v) => v.stack === stack || v.stack === other);
  t.same(mine?.map((v) => `${v.name} ${v.key} ${v.inUse ? 'in use' : 'free'}`), [`${stack}_data data in use`, `${stack}_old old free`, `${other}_x x free`], "only this node's Baton volumes, with their key and use");
  t.ok(first!.volumes.every((v) => v.driver === 'local' && v.createdAtMs > Date.now() - 600_000), 'driver and creation time from the engine');
  volumes.changed();
  t.equal((await volumes.current())?.version, first?.version, 'read again, unchanged: the same version (the report does not carry it again)');

  const busy = await volumes.removeStack(stack);
  t.same(busy.removed, [`${stack}_old`], 'the free one goes');
  t.same(busy.refused.map((r) => r.name), [`${stack}_data`], 'the one its replica uses is refused');
  t.match(busy.refused[0]?.error, /in use/, "Docker's message");
  t.same(await present(), [`${other}_x`, `${stack}_data`, `${stack}_hand`, `${stack}_theirs`].sort(), "another stack's, another node's and the hand-made volume stay");
  const after = await volumes.current();
  t.not(after?.version, first?.version, 'the listing changed: a new version');

  t.ok((await executor.remove(spec.allocationId)).ok);
  const free = await volumes.removeStack(stack);
  t.same(free, { removed: [`${stack}_data`], refused: [] }, 'once its container is gone, it goes too');
  t.same(await present(), [`${other}_x`, `${stack}_hand`, `${stack}_theirs`].sort());
  t.same(await volumes.removeStack(stack), { removed: [], refused: [] }, 'again: nothing left to do, no error');
});
