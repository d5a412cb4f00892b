// Issue-level check of the foundation on the multi-host testbed: three hosts (network
// namespaces), each with its own dockerd and a Baton agent inside, the coordinator outside.
// Each agent reports its own host's engine and containers; cutting a host's link makes it go
// down by silence alone, restoring it brings it back.
import t from 'tap';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { byName, listEvents, listNodes } from '../fixtures/control.js';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { BATON_BIN, waitFor } from '../fixtures/processes.js';
import { Testbed } from '../fixtures/testbed.js';

const skip = await testbedSkip(t);

t.test('agents on three namespace hosts', { skip }, async (t) => {
  const tb = await Testbed.start({ hosts: 3, t });
  const c = await Coordinator.start({
    listen: '0.0.0.0:0',
    dataDir: await mkdtemp(join(tmpdir(), 'baton-tb-')),
    logger: createLogger('coordinator', 'silent'),
  });
  t.teardown(() => c.stop());
  const target = `127.0.0.1:${c.address.port}`;
  process.env.BATON_CONFIG = c.adminCredentialFile;

  // One Baton-labelled container per host, created straight on that host's engine for the node
  // id its agent will have (seeded into the agent's data dir); agents report only their own.
  const containerIds: Record<string, string> = {};
  for (const h of tb.hosts) {
    await mkdir(join(h.dir, 'agent'), { recursive: true });
    await writeFile(join(h.dir, 'agent', 'node-id'), `node-${h.name}\n`);
    const r = await h.docker(['run', '-d', '--label', `io.baton.allocation=tb-${h.name}`, '--label', `io.baton.node=node-${h.name}`, '--label', 'io.baton.service=probe', TEST_IMAGE, 'sleep', '600']);
    t.equal(r.code, 0, r.stderr);
    containerIds[h.name] = r.stdout.trim();
    // A container without Baton's labels, or another node's, must not be reported.
    await h.docker(['run', '-d', TEST_IMAGE, 'sleep', '600']);
    await h.docker(['run', '-d', '--label', `io.baton.allocation=other-${h.name}`, '--label', 'io.baton.node=someone-else', TEST_IMAGE, 'sleep', '600']);
  }
  for (const h of tb.hosts) {
    const agent = h.spawn(process.execPath, [BATON_BIN, 'agent', '--coordinator', `${tb.coordinatorAddress}:${c.address.port}`, '--name', h.name, '--data-dir', join(h.dir, 'agent')], {
      env: { BATON_LOG_LEVEL: 'warn', BATON_TOKEN: c.authority!.joinToken() },
    });
    t.teardown(() => void agent.kill('SIGKILL'));
  }

  const nodes = byName(
    await waitFor('3 ready nodes reporting', async () => {
      const ns = await listNodes(target);
      return ns.length === 3 && ns.every((n) => n.status === 'ready' && n.usage && n.containers.length === 1) && ns;
    }, 30_000),
  );

  t.test('each agent reports its own host: address, engine and containers', async (t) => {
    for (const h of tb.hosts) {
      const n = nodes[h.name]!;
      t.equal(n.id, `node-${h.name}`, `${h.name} kept the identity in its data dir`);
      t.equal(n.address, h.ip, `${h.name} seen at its namespace address`);
      t.ok(n.docker_up, `${h.name} engine up`);
      const version = (await h.docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
      t.equal(n.docker_version, version);
      t.same(n.containers.map((x) => x.container_id), [containerIds[h.name]], `${h.name} reports exactly its own Baton container`);
      t.equal(n.containers[0]!.labels['io.baton.allocation'], `tb-${h.name}`);
      t.equal(n.containers[0]!.state, 'running');
    }
  });

  t.test('a cut link: down by silence within the bound, the others stay ready; restored: ready again', async (t) => {
    const victim = tb.host(2);
    const cutAt = Date.now();
    await victim.cut();
    let othersReady = true;
    await waitFor(`${victim.name} down`, async () => {
      const ns = byName(await listNodes(target));
      if (ns[tb.host(1).name]?.status !== 'ready' || ns[tb.host(3).name]?.status !== 'ready') othersReady = false;
      return ns[victim.name]?.status === 'down';
    }, 12_000, 50);
    const tookMs = Date.now() - cutAt;
    // Silence is counted from the last report (at most one 1 s interval before the cut) to the
    // 5 s limit, checked every 250 ms: at most about 6.3 s after the cut.
    t.ok(tookMs <= 6500, `down ${tookMs} ms after the cut`);
    t.ok(othersReady, 'the other hosts stayed ready');
    const ev = (await listEvents(target)).filter((e) => e.node_name === victim.name && e.type === 'node.status');
    t.match(ev.at(-1)!.reason, /no report for .*evicted/, 'detected by silence, not by a closed stream');
    t.notOk(ev.some((e) => /stream closed/.test(e.reason)), 'no stream-close was seen: the cut is silent');

    await victim.restore();
    await waitFor(`${victim.name} ready again`, async () => byName(await listNodes(target))[victim.name]?.status === 'ready', 30_000, 100);
    const after = byName(await listNodes(target));
    t.equal(after[victim.name]!.id, nodes[victim.name]!.id, 'same identity after the cut');
    t.equal(Object.keys(after).length, 3, 'no duplicate node');
  });
});
