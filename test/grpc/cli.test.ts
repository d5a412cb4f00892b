// The CLI as a user runs it: the compiled binary, real processes, output and exit codes.
import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { freePort, runBaton, startBaton } from '../fixtures/processes.js';
import { hello, openStream, report } from '../fixtures/scripted-agent.js';
import { joinAs } from '../fixtures/tls.js';
import { createCertificateAuthority, issueClientCertificate } from '../../coordinator/security/pki.js';

t.test('--help works from the compiled JavaScript', async (t) => {
  const r = await runBaton(['--help']);
  t.equal(r.code, 0);
  for (const cmd of ['coordinator', 'agent', 'nodes', 'events']) t.match(r.stdout, new RegExp(`^  ${cmd}`, 'm'));
});

t.test('an unreachable coordinator is one line on stderr and exit 1', async (t) => {
  const port = await freePort();
  // A valid credential (of a cluster whose coordinator is not running): the failure is the connection's.
  const ca = await createCertificateAuthority(Date.now());
  const op = await issueClientCertificate(ca, 'ops', 'admin', Date.now(), 3_600_000);
  const config = join(await mkdtemp(join(tmpdir(), 'baton-cli-cred-')), 'config.json');
  await writeFile(config, JSON.stringify({ coordinator: `127.0.0.1:${port}`, name: 'ops', role: 'admin', ca: ca.certPem, cert: op.certPem, key: op.keyPem }), { mode: 0o600 });
  for (const args of [['nodes'], ['events'], ['events', '--follow']]) {
    const r = await runBaton([...args, '--coordinator', `127.0.0.1:${port}`, '--config', config]);
    t.equal(r.code, 1, `${args.join(' ')} exits 1`);
    t.equal(r.stdout, '');
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    t.match(r.stderr, new RegExp(`^baton: cannot reach the coordinator at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

t.test('bad arguments exit 2 with a message', async (t) => {
  const r = await runBaton(['nodes', '--coordinator', 'not a host:port']);
  t.equal(r.code, 2, 'a malformed --coordinator is bad input');
  t.match(r.stderr, /is not HOST:PORT/);
  const u = await runBaton(['frobnicate']);
  t.equal(u.code, 2);
  t.match(u.stderr, /unknown command 'frobnicate'/);
});

t.test('nodes, nodes --json and events against a live coordinator', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-cli-'));
  // The scripted agent reports once; long silence bounds keep the node ready until it says goodbye
  // however slowly the CLI processes start (under a loaded machine it went suspect after 3 s).
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, logger: createLogger('c', 'silent'), suspectAfterMs: 60_000, downAfterMs: 120_000 });
  t.teardown(() => c.stop());
  const target = `127.0.0.1:${c.address.port}`;
  // The CLI finds the admin credential the coordinator wrote through BATON_CONFIG.
  process.env.BATON_CONFIG = c.adminCredentialFile;
  const s = openStream(await joinAs(c, 'cli-node-1'));
  s.write(hello('cli-node-1', 'edge-1', { labels: { zone: 'north' } }));
  const w = await s.next();
  s.write(report(w.welcome!.session_id, 1));
  t.teardown(() => s.cancel());
  await new Promise((r) => setTimeout(r, 200));

  // BATON_COORDINATOR is honoured when --coordinator is absent.
  const json = await runBaton(['nodes', '--json'], { BATON_COORDINATOR: target });
  t.equal(json.code, 0, json.stderr);
  const nodes = JSON.parse(json.stdout);
  t.equal(nodes.length, 1);
  t.match(nodes[0], {
    name: 'edge-1',
    status: 'ready',
    role: 'worker',
    address: '127.0.0.1',
    labels: { zone: 'north' },
    capacity: { cpuMillis: 4000, memoryBytes: 8 * 1024 ** 3 },
    usage: { cpuPercent: 12.5, memoryBytes: 1024 ** 3 },
  });
  t.ok(Date.parse(nodes[0].lastSeen) > Date.now() - 10_000, 'lastSeen is a recent ISO time');

  const text = await runBaton(['nodes', '--coordinator', target]);
  t.equal(text.code, 0);
  const [header, row] = text.stdout.trim().split('\n');
  t.match(header, /^NAME\s+ADDRESS\s+STATUS\s+ROLE\s+SCHEDULING\s+CPU USED\/TOTAL\s+MEMORY USED\/TOTAL\s+DOCKER\s+CONTAINERS\s+LAST SEEN$/);
  // 12.5% of 4 cores = 0.5 cores used; 1 GiB of 8 GiB
  // A hello without a role (as agents before roles sent it): a worker.
  t.match(row, /^edge-1\s+127\.0\.0\.1\s+ready\s+worker\s+active\s+0\.5\/4\.0 cores\s+1 GiB\/8 GiB\s+down\s+0\s+\d+\.\ds ago$/);

  const ev = await runBaton(['events', '--json', '--coordinator', target]);
  t.equal(ev.code, 0);
  const events = ev.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.match(events[0], { type: 'node.joined', node: 'edge-1', to: 'ready' });

  // events --follow streams new events as they happen.
  const follow = startBaton(['events', '--follow', '--json', '--coordinator', target]);
  t.teardown(() => follow.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 500));
  s.write({ goodbye: { reason: 'bye' } });
  const deadline = Date.now() + 5000;
  while (!follow.output().includes('"to":"left"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.match(follow.output(), /"type":"node\.status".*"from":"ready","to":"left","reason":"agent left: bye"/);
  t.match(follow.output().split('\n')[0], /node\.joined/, 'retained events are replayed first');
});
