// A coordinator and three agents as real processes (the compiled CLI) over gRPC on loopback:
// kill -9 of an agent is detected within the bound; a coordinator restart keeps identities
// and events, and agents reconnect by themselves.
import t from 'tap';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byName, listEvents, listNodes } from '../fixtures/control.js';
import { freePort, joinTokenOf, startBaton, waitFor, sleep, type Proc } from '../fixtures/processes.js';

const dir = await mkdtemp(join(tmpdir(), 'baton-cluster-'));
const port = await freePort();
const target = `127.0.0.1:${port}`;
const dataDir = join(dir, 'coordinator');
const startCoordinator = () => startBaton(['coordinator', '--listen', target, '--data-dir', dataDir]);

let coordinator: Proc = startCoordinator();
// Secure, as by default: agents join with the printed token; this process and its CLIs use admin.json.
const token = await joinTokenOf(coordinator);
process.env.BATON_CONFIG = join(dataDir, 'admin.json');
const agents: Record<string, Proc> = {};
for (const name of ['alpha', 'beta', 'gamma']) {
  agents[name] = startBaton(['agent', '--coordinator', target, '--name', name, '--labels', `zone=${name === 'gamma' ? 'south' : 'north'}`, '--data-dir', join(dir, name), '--token', token]);
}
t.teardown(async () => {
  await Promise.all(Object.values(agents).map((a) => a.kill('SIGKILL')));
  await coordinator.kill('SIGKILL');
});

const allReady = async () => {
  const nodes = await listNodes(target);
  return nodes.length === 3 && nodes.every((n) => n.status === 'ready') && nodes;
};

t.test('three agents join and report', async (t) => {
  const nodes = byName(await waitFor('3 ready nodes', allReady, 20_000));
  t.same(Object.keys(nodes).sort(), ['alpha', 'beta', 'gamma']);
  t.equal(nodes.gamma!.labels.zone, 'south');
  await waitFor('usage reports', async () => Object.values(byName(await listNodes(target))).every((n) => n.usage && n.usage.memory_total_bytes > 0));
  const n = byName(await listNodes(target)).alpha!;
  t.ok(n.capacity!.cpu_millis >= 1000, 'capacity in millicores');
  t.ok(n.usage!.memory_used_bytes > 0 && n.usage!.memory_used_bytes <= n.usage!.memory_total_bytes);
  t.equal(n.address, '127.0.0.1', 'address as the coordinator sees the agent');
  // Each agent's identity is the one it keeps on disk.
  for (const name of ['alpha', 'beta', 'gamma']) {
    const id = (await readFile(join(dir, name, 'node-id'), 'utf8')).trim();
    t.equal(byName(await listNodes(target))[name]!.id, id, `${name} id matches its node-id file`);
  }
});

const idsBefore: Record<string, string> = {};

t.test('kill -9 of one agent: down within 6 s, the others stay ready', async (t) => {
  for (const n of await listNodes(target)) idsBefore[n.name] = n.id;
  const killedAt = Date.now();
  agents.beta!.child.kill('SIGKILL');
  let othersAlwaysReady = true;
  await waitFor('beta to be down', async () => {
    const nodes = byName(await listNodes(target));
    if (nodes.alpha?.status !== 'ready' || nodes.gamma?.status !== 'ready') othersAlwaysReady = false;
    return nodes.beta?.status === 'down';
  }, 10_000, 50);
  const tookMs = Date.now() - killedAt;
  t.ok(tookMs <= 6000, `beta down after ${tookMs} ms (bound 6000)`);
  t.ok(othersAlwaysReady, 'alpha and gamma stayed ready throughout');
  const ev = (await listEvents(target)).filter((e) => e.node_name === 'beta' && e.type === 'node.status');
  t.same(ev.map((e) => e.to), ['suspect', 'down'], 'beta went ready -> suspect -> down');
  t.match(ev[1]!.reason, /evicted/);
});

t.test('coordinator kill -9 and restart on the same data dir: agents reconnect, identities and events kept', async (t) => {
  const eventsBefore = await listEvents(target);
  await sleep(300); // let the coalesced write land; a kill -9 may lose at most that window
  await coordinator.kill('SIGKILL');
  await sleep(1500); // agents see the coordinator gone and back off
  coordinator = startCoordinator();
  // Usage is kept in memory only, so a node with usage has really reconnected and reported.
  await waitFor('alpha and gamma reporting again', async () => {
    const nodes = byName(await listNodes(target));
    return [nodes.alpha, nodes.gamma].every((n) => n?.status === 'ready' && n.usage);
  }, 20_000);
  const nodes = byName(await listNodes(target));
  t.same(Object.keys(nodes).sort(), ['alpha', 'beta', 'gamma'], 'no node duplicated or lost');
  for (const [name, id] of Object.entries(idsBefore)) t.equal(nodes[name]!.id, id, `${name} kept its id`);
  t.equal(nodes.beta!.status, 'down', 'the dead agent is still down');
  t.equal(nodes.gamma!.labels.zone, 'south', 'labels kept');
  const after = await listEvents(target);
  for (const e of eventsBefore) t.ok(after.some((a) => a.seq === e.seq && a.type === e.type && a.node_name === e.node_name), `event ${e.seq} ${e.type} ${e.node_name} kept`);
  t.ok(Math.max(...after.map((e) => e.seq)) >= Math.max(...eventsBefore.map((e) => e.seq)), 'sequence continues');
});

t.test('the killed agent restarted with its data dir is re-admitted under its old identity', async (t) => {
  // Without the token: the certificate it got at its join is in its data dir.
  agents.beta = startBaton(['agent', '--coordinator', target, '--name', 'beta', '--data-dir', join(dir, 'beta')]);
  await waitFor('beta ready', async () => byName(await listNodes(target)).beta?.status === 'ready', 20_000);
  const nodes = await listNodes(target);
  t.equal(nodes.length, 3);
  t.equal(byName(nodes).beta!.id, idsBefore.beta);
  const last = (await listEvents(target)).filter((e) => e.node_name === 'beta').at(-1);
  t.match(last?.reason, /rejoined \(was down\)/);
});

t.test('an agent stopped with SIGTERM says goodbye and is left at once', async (t) => {
  const before = Date.now();
  await agents.gamma!.kill('SIGTERM');
  const n = await waitFor('gamma left', async () => byName(await listNodes(target)).gamma?.status === 'left' && Date.now(), 5000, 50);
  t.ok(n - before < 2000, `left after ${n - before} ms`);
});
