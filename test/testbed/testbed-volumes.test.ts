// Issue 11: `baton volume ls` and `baton rm --stack [--volumes]` on three namespace hosts with their
// own dockerd and agent, the coordinator outside. Every claim is checked against `docker volume ls`
// on each host: the listing is what each engine holds with Baton's labels; `rm --stack` keeps the
// volumes; `rm --stack --volumes` removes them on each node once the stack's containers are gone,
// reports a volume another container still uses (Docker refuses it), leaves a node that is away to
// do it when it is back, and never touches an external volume or one Baton did not create.
import t from 'tap';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byName, listNodes } from '../fixtures/control.js';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';
import type { TestbedHost } from '../fixtures/testbed.js';

const skip = await testbedSkip(t);
const STACK = 'vols';

interface Listed {
  node: string;
  name: string;
  stack: string;
  key: string;
  inUse: boolean;
  stale: boolean;
  removalError: string | null;
}

t.test('baton volume ls and rm --stack [--volumes] against each host\'s docker volume ls', { skip }, async (t) => {
  const c = await startCluster(3, { t });
  t.teardown(() => c.stop());
  const [h1, h2, h3] = c.tb.hosts as [TestbedHost, TestbedHost, TestbedHost];
  const docker = async (h: TestbedHost, args: string[]) => {
    const r = await h.docker(args);
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')} on ${h.name}: ${r.stderr}`);
    return r.stdout;
  };
  /** The host's volumes: all of them, or those with a label filter. */
  const volumesOn = async (h: TestbedHost, filter?: string) =>
    (await docker(h, ['volume', 'ls', ...(filter ? ['--filter', filter] : []), '--format', '{{.Name}}'])).split('\n').filter(Boolean).sort();
  const batonVolumes = async (args: string[] = []) => {
    const r = await runBaton(['volume', 'ls', '--json', ...args], c.env);
    if (r.code !== 0) throw new Error(`baton volume ls: ${r.stderr}`);
    return (JSON.parse(r.stdout) as { volumes: Listed[] }).volumes;
  };
  /** Per host, `host: a,b`: what Baton lists, and what the host's Docker holds with Baton's stack label. */
  const batonView = async () => {
    const l = await batonVolumes();
    return c.tb.hosts.map((h) => `${h.name}: ${l.filter((v) => v.node === h.name).map((v) => v.name).sort().join(',')}`);
  };
  const dockerView = async () => Promise.all(c.tb.hosts.map(async (h) => `${h.name}: ${(await volumesOn(h, `label=io.baton.stack=${STACK}`)).join(',')}`));

  // Made by hand, before the stack: an external volume on every host, and on h2 a volume with the
  // name the stack's `pre` would get (Docker then uses it as it is: no Baton labels).
  for (const h of c.tb.hosts) await docker(h, ['volume', 'create', '--label', 'made.by=test', 'extdata']);
  await docker(h2, ['volume', 'create', `${STACK}_pre`]);

  const file = join(c.dir, 'vols.yaml');
  await writeFile(file, `name: ${STACK}
services:
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo hello > /data/f; trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1s
    volumes: ["data:/data", "ext:/ext", "pre:/pre"]
    deploy:
      mode: global
      resources:
        limits: { cpus: "0.1", memory: 16M }
volumes:
  data: {}
  pre: {}
  ext:
    external: true
    name: extdata
`);
  const deploy = async () => {
    const r = await runBaton(['deploy', '-f', file, '--timeout', '60'], c.env);
    t.equal(r.code, 0, `baton deploy\n${r.stdout}${r.stderr}`);
    await waitFor('one db per host', async () => (await c.running(c.tb.hosts, STACK)).length === 3, 30_000);
  };
  await deploy();

  const expected = [`${h1.name}: ${STACK}_data,${STACK}_pre`, `${h2.name}: ${STACK}_data`, `${h3.name}: ${STACK}_data,${STACK}_pre`];
  await t.test('volume ls lists, per node, exactly the volumes its Docker holds with Baton\'s labels', async (t) => {
    t.same(await dockerView(), expected, "each host's Docker: the stack's volumes (h2's hand-made one has no labels)");
    const seen = await waitFor('the volumes reported', async () => {
      const v = await batonView();
      return JSON.stringify(v) === JSON.stringify(expected) ? v : undefined;
    }, 20_000).catch(() => batonView());
    t.same(seen, await dockerView(), 'baton volume ls = docker volume ls (Baton-labelled) on every host');
    const l = await batonVolumes();
    t.notOk(l.some((v) => v.name === 'extdata'), 'the external volume is not listed');
    t.ok(l.every((v) => v.stack === STACK && v.inUse && !v.stale), 'each in use by its db, current');
    t.same([...new Set(l.filter((v) => v.name === `${STACK}_data`).map((v) => v.key))], ['data'], 'the compose key');
    const text = await runBaton(['volume', 'ls', '--node', h2.name], c.env);
    t.equal(text.code, 0, text.stderr);
    t.match(text.stdout, /NODE\s+VOLUME\s+STACK\s+KEY\s+DRIVER\s+IN USE\s+CREATED/);
    t.match(text.stdout, new RegExp(`${h2.name}\\s+${STACK}_data\\s+${STACK}\\s+data\\s+local\\s+yes`));
    t.notMatch(text.stdout, /vols_pre|extdata/, `--node ${h2.name}: only its own Baton volume`);
    const unknown = await runBaton(['volume', 'ls', '--node', 'nope'], c.env);
    t.equal(unknown.code, 2, 'an unknown node is bad input');
    t.match(unknown.stderr, /no node with id or name "nope"/);
  });

  await t.test('rm --stack keeps the volumes, and says how to remove them', async (t) => {
    const r = await runBaton(['rm', '--stack', STACK], c.env);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, new RegExp(`kept 5 volume\\(s\\) of ${STACK} on the nodes .*baton rm --stack ${STACK} --volumes`));
    await waitFor('the containers gone', async () => (await c.running(c.tb.hosts, STACK)).length === 0, 30_000);
    await new Promise((res) => setTimeout(res, 2000));
    t.same(await dockerView(), expected, 'every host still holds the volumes');
    const f = await docker(h1, ['run', '--rm', '-v', `${STACK}_data:/data`, TEST_IMAGE, 'cat', '/data/f']);
    t.equal(f.trim(), 'hello', 'with their data');
    t.same(await batonView(), expected, 'and baton volume ls still lists them');
  });

  let agentH3: ChildProcess | undefined;
  await t.test('rm --stack --volumes: removed where nothing uses them, Docker\'s refusal reported, an away node does it when back', async (t) => {
    await deploy();
    // h2: a container Baton does not manage uses the stack's volume. h3: the agent stops (its node leaves).
    await docker(h2, ['run', '-d', '--name', 'holder', '-v', `${STACK}_data:/x`, TEST_IMAGE, 'sleep', '3600']);
    agentH3 = c.agents.get(h3.name);
    const exited = new Promise((r) => agentH3!.once('exit', r));
    agentH3!.kill('SIGTERM');
    await exited;
    c.agents.delete(h3.name);
    await waitFor('h3 left', async () => byName(await listNodes(c.target))[h3.name]?.status === 'left', 15_000);

    const r = await runBaton(['rm', '--stack', STACK, '--volumes', '--timeout', '60'], c.env);
    t.comment(`baton rm --stack ${STACK} --volumes:\n${r.stdout}${r.stderr}`);
    t.equal(r.code, 1, `a refused volume makes it exit 1\n${r.stdout}${r.stderr}`);
    t.match(r.stdout, new RegExp(`removed ${STACK}_data on ${h1.name}`));
    t.match(r.stdout, new RegExp(`removed ${STACK}_pre on ${h1.name}`));
    t.match(r.stdout, new RegExp(`kept ${STACK}_data on ${h2.name}: .*in use`), "Docker's refusal, named");
    t.match(r.stdout, new RegExp(`${h3.name} is left \\(not connected\\): it removes the volumes of ${STACK} when it is back`));
    t.match(r.stderr, /1 volume\(s\) of vols were not removed/);
    t.same(await volumesOn(h1), ['extdata'], `${h1.name}: only the external volume is left`);
    t.same(await volumesOn(h2), ['extdata', `${STACK}_data`, `${STACK}_pre`], `${h2.name}: the volume in use and the hand-made one stay`);
    t.same(await volumesOn(h3), ['extdata', `${STACK}_data`, `${STACK}_pre`], `${h3.name}: untouched while away`);
    const l = await batonVolumes(['--stack', STACK]);
    t.match(l.find((v) => v.node === h2.name), { name: `${STACK}_data`, removalError: /in use/ }, 'volume ls shows why it stayed');
    t.ok(l.filter((v) => v.node === h3.name).every((v) => v.stale), `${h3.name}'s volumes are marked stale`);
    const text = await runBaton(['volume', 'ls'], c.env);
    t.comment(`baton volume ls:\n${text.stdout}`);
    t.match(text.stdout, new RegExp(`${h3.name}: removes the volumes of stack ${STACK} once it is connected`));
    t.match(text.stdout, new RegExp(`${h3.name} \\(stale\\)\\s+${STACK}_data`));
  });

  await t.test('the away node removes them when it is back; the external volume stays everywhere', async (t) => {
    c.startAgent(h3);
    await waitFor(`${h3.name} removed the volumes`, async () => (await volumesOn(h3, `label=io.baton.stack=${STACK}`)).length === 0, 40_000).catch(() => undefined);
    t.same(await volumesOn(h3), ['extdata'], `${h3.name}: its old replica gone, then its volumes; the external one stays`);
    t.same((await batonVolumes()).filter((v) => v.node === h3.name), [], 'and volume ls says so');
    // The hand-made container goes; --volumes again for the removed stack finishes h2.
    await docker(h2, ['rm', '-f', 'holder']);
    const r = await runBaton(['rm', '--stack', STACK, '--volumes', '--timeout', '60'], c.env);
    t.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    t.match(r.stdout, new RegExp(`stack ${STACK} is not deployed: removing the volumes it left`));
    t.match(r.stdout, new RegExp(`removed ${STACK}_data on ${h2.name}`));
    t.same(await volumesOn(h2), ['extdata', `${STACK}_pre`], `${h2.name}: the volume Baton did not create stays`);
    for (const h of c.tb.hosts) t.ok((await volumesOn(h)).includes('extdata'), `${h.name}: the external volume survives --volumes`);
    t.same(await batonVolumes(), [], 'no Baton volume left anywhere');
  });
});
