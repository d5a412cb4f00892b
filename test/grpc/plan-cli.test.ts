// `baton plan` as a user runs it: real files in, the compiled CLI, output and exit codes.
import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { ROOT, runBaton } from '../fixtures/processes.js';
import { hello, openStream, report } from '../fixtures/scripted-agent.js';
import { joinAs } from '../fixtures/tls.js';

const fixtures = join(ROOT, 'test', 'fixtures', 'plan');
const compose = join(fixtures, 'edge.compose.yaml');
const nodes = join(fixtures, 'edge-nodes.yaml');

interface PlanJson {
  placements: { service: string; replica: number; node: string }[];
  unplaced: { service: string; replica: number; reason: string }[];
  nodes: { name: string; cpuMillis: number; memoryBytes: number; reservedCpuMillis: number; reservedMemoryBytes: number }[];
}

t.test('offline: everything fits on three edge boxes', async (t) => {
  const r = await runBaton(['plan', '-f', compose, '--nodes', nodes, '--json']);
  t.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(r.stdout) as PlanJson;
  t.equal(plan.placements.length, 6);
  t.same(plan.unplaced, []);
  const where = (s: string) => plan.placements.filter((p) => p.service === s).map((p) => p.node);
  t.same(where('db'), ['edge-1'], 'db goes where zone==north');
  const web = where('web');
  t.equal(new Set(web).size, 2, 'two web replicas cannot share host port 8080');
  const byName = Object.fromEntries(plan.nodes.map((n) => [n.name, n]));
  t.same(Object.keys(byName).sort(), ['edge-1', 'edge-2', 'edge-3']);
  // Reserved after the plan adds up to the requests: web 2 x 500m, db 2000m, worker 3 x 1000m (limits) = 6000m.
  t.equal(plan.nodes.reduce((s, n) => s + n.reservedCpuMillis, 0), 6000);
  for (const n of plan.nodes) {
    t.ok(n.reservedCpuMillis <= n.cpuMillis, `${n.name} cpu within capacity`);
    t.ok(n.reservedMemoryBytes <= n.memoryBytes, `${n.name} memory within capacity`);
  }
});

t.test('offline: human output shows placements, fill bars and a summary', async (t) => {
  const r = await runBaton(['plan', '-f', compose, '--nodes', nodes]);
  t.equal(r.code, 0);
  t.match(r.stdout, /db\.1\s+-> edge-1/);
  t.match(r.stdout, /edge-1\s+cpu \[[.#]{10}\]\s+0% -> \[[.#]{10}\]/);
  t.match(r.stdout, /6 placed on \d nodes?/);
});

t.test('offline: something does not fit -> exit 1 and the reason with per-filter counts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-plan-'));
  const small = join(dir, 'nodes.yaml');
  await writeFile(small, 'nodes:\n  - name: tiny\n    cpus: 1\n    memory: 1G\n    labels: { zone: south }\n');
  const r = await runBaton(['plan', '-f', compose, '--nodes', small, '--json']);
  t.equal(r.code, 1);
  const plan = JSON.parse(r.stdout) as PlanJson;
  const db = plan.unplaced.find((u) => u.service === 'db');
  t.match(db?.reason, /^0\/1 nodes fit: .*1 (constraint node\.labels\.zone==north|insufficient)/);
  t.ok(plan.unplaced.length >= 3);
  const text = await runBaton(['plan', '-f', compose, '--nodes', small]);
  t.equal(text.code, 1);
  t.match(text.stdout, /unplaced:/);
});

t.test('bad input -> exit 2 naming the file, the path and what was expected', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-plan-'));
  const bad = join(dir, 'compose.yaml');
  await writeFile(bad, 'services:\n  web:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          memory: lots\n');
  const r = await runBaton(['plan', '-f', bad, '--nodes', nodes]);
  t.equal(r.code, 2);
  t.match(r.stderr, /compose\.yaml: services\.web\.deploy\.resources\.reservations\.memory: "lots" is not a byte value/);
  const badNodes = join(dir, 'nodes.yaml');
  await writeFile(badNodes, 'nodes:\n  - name: a\n    cpus: many\n    memory: 1G\n');
  const n = await runBaton(['plan', '-f', compose, '--nodes', badNodes]);
  t.equal(n.code, 2);
  t.match(n.stderr, /nodes\.yaml: nodes\.0\.cpus/);
  const missing = await runBaton(['plan', '-f', join(dir, 'nope.yaml'), '--nodes', nodes]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /cannot read Compose file .*nope\.yaml: ENOENT/);
});

t.test('live: the coordinator plans against its pool and changes nothing', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-plan-live-'));
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, logger: createLogger('c', 'silent') });
  t.teardown(() => c.stop());
  const target = `127.0.0.1:${c.address.port}`;
  process.env.BATON_CONFIG = c.adminCredentialFile;
  const streams = [
    ['live-1', 'north-box', { zone: 'north' }],
    ['live-2', 'south-box', { zone: 'south' }],
  ] as const;
  for (const [id, name, labels] of streams) {
    const s = openStream(await joinAs(c, id));
    s.write(hello(id, name, { labels: { ...labels } }));
    const w = await s.next();
    // Keep reporting: a silent node turns suspect and receives no work.
    let seq = 0;
    const timer = setInterval(() => s.write(report(w.welcome!.session_id, ++seq)), 500);
    t.teardown(() => {
      clearInterval(timer);
      s.cancel();
    });
  }
  const before = JSON.stringify(c.store.state);
  const r = await runBaton(['plan', '-f', compose, '--json', '--coordinator', target]);
  t.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(r.stdout) as PlanJson;
  t.equal(plan.placements.length, 6);
  t.same(plan.placements.filter((p) => p.service === 'db').map((p) => p.node), ['north-box']);
  t.equal(JSON.stringify(c.store.state), before, 'planning stored nothing');

  const bad = join(dataDir, 'bad.yaml');
  await writeFile(bad, 'services:\n  web:\n    imgae: x\n');
  const b = await runBaton(['plan', '-f', bad, '--coordinator', target]);
  t.equal(b.code, 2);
  t.match(b.stderr, /bad\.yaml: services\.web.*imgae.*did you mean "image"/);
});

t.test('live: a refused file prints its errors, then its warnings labelled warning:, for plan and deploy (issue 11)', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-refused-'));
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, logger: createLogger('c', 'silent') });
  t.teardown(() => c.stop());
  const target = `127.0.0.1:${c.address.port}`;
  const file = join(dataDir, 'compose.yaml');
  // One error, two warnings (one before the error in the file, one after).
  await writeFile(file, 'name: demo\nservices:\n  web:\n    image: nginx:1.27\n    restart: always\n    deploy:\n      replicas: many\n    container_name: web\n');
  const want = [
    `baton: ${file}: services.web.deploy.replicas: must be a whole number, got "many"`,
    `warning: ${file}: services.web.restart: ignored: deploy.restart_policy is what counts (as in docker stack deploy; without one, condition any)`,
    `warning: ${file}: services.web.container_name: ignored: replicas need distinct names, so Baton names containers itself (docker stack deploy ignores it too)`,
    '',
  ];
  for (const command of ['plan', 'deploy']) {
    const r = await runBaton([command, '-f', file, '--coordinator', target], { BATON_CONFIG: c.adminCredentialFile });
    t.equal(r.code, 2, `${command}: bad input`);
    t.same(r.stderr.split('\n'), want, `${command}: errors first, then the labelled warnings`);
  }
  t.same(Object.keys(c.store.state.stacks), [], 'nothing deployed');
});
