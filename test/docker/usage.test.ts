// Usage accounting end to end (issue 12): a real coordinator (in process), a real agent process and
// the real Docker engine. A busybox loop burning one core for 60 s is accounted as 60 ± 6
// core-seconds (and as the kernel's own cgroup counter says, read here independently of Baton); a
// container holding 64 MiB in a tmpfs for 60 s as 64 MiB × 60 s ± 10%; the accounted usage is
// kept across a coordinator restart, and the downtime is a gap. `baton top`, `baton usage` and
// /metrics show it by tenant.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { TEST_IMAGE, dockerSkip } from '../fixtures/docker-env.js';
import { freePort, runBaton, sleep, startBaton, waitFor } from '../fixtures/processes.js';

const skip = await dockerSkip(t);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const stack = `us${process.pid}`;
const MiB = 2 ** 20;
const WINDOW_MS = 60_000;

/** The container's cumulative CPU time from its cgroup (v2 or v1), ns: the kernel's word, not Baton's. */
function kernelCpuNs(containerId: string): number | undefined {
  for (const p of [`/sys/fs/cgroup/system.slice/docker-${containerId}.scope/cpu.stat`, `/sys/fs/cgroup/docker/${containerId}/cpu.stat`]) {
    if (existsSync(p)) return Number(/^usage_usec (\d+)$/m.exec(readFileSync(p, 'utf8'))?.[1]) * 1000;
  }
  for (const p of [`/sys/fs/cgroup/cpuacct/docker/${containerId}/cpuacct.usage`, `/sys/fs/cgroup/cpuacct/system.slice/docker-${containerId}.scope/cpuacct.usage`]) {
    if (existsSync(p)) return Number(readFileSync(p, 'utf8'));
  }
  return undefined;
}

t.test('usage accounting against a real agent and engine', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-usage-'));
  const port = await freePort();
  const start = () =>
    Coordinator.start({ listen: `127.0.0.1:${port}`, dataDir: join(dir, 'c'), logger: createLogger('c', 'silent'), reconcileMs: 300, usageFlushMs: 5000, metricsListen: '127.0.0.1:0' });
  let c = await start();
  const target = `127.0.0.1:${port}`;
  process.env.BATON_CONFIG = c.adminCredentialFile;
  const agent = startBaton(['agent', '--coordinator', target, '--name', stack, '--data-dir', join(dir, 'a')], { BATON_LOG_LEVEL: 'warn', BATON_TOKEN: c.authority!.joinToken() });
  t.teardown(async () => {
    if (agent.child.exitCode === null && c.state === 'running') await runBaton(['rm', '--stack', stack, '--coordinator', target]);
    await agent.kill('SIGKILL');
    const left = docker('ps', '-aq', '--filter', `label=io.baton.stack=${stack}`);
    if (left) docker('rm', '-f', ...left.split('\n'));
    await c.stop();
  });
  await waitFor('agent ready', () => c.pool.list().some((n) => n.connected && n.status === 'ready'), 20_000);

  const file = join(dir, 'compose.yaml');
  await writeFile(file, `name: ${stack}
x-baton:
  tenant: acme
services:
  burn:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "while :; do :; done"]
    stop_grace_period: 1s
    deploy: { resources: { reservations: { cpus: "1.5", memory: 32M } } }
  mem:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "dd if=/dev/zero of=/data/fill bs=1M count=64 2>/dev/null; trap 'exit 0' TERM; while true; do sleep 1; done"]
    tmpfs: ["/data:size=100m"]
    stop_grace_period: 1s
    deploy: { resources: { reservations: { cpus: "0.1", memory: 256M } } }
`);
  const deployed = await runBaton(['deploy', '-f', file, '--coordinator', target, '--timeout', '40', '--tenant', 'ignored']);
  t.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  t.match(deployed.stderr, /the file names the tenant "acme", which is used instead of "ignored"/, 'the file wins over --tenant, with a warning');
  const idOf = (svc: string) => docker('ps', '-q', '--no-trunc', '--filter', `label=io.baton.stack=${stack}`, '--filter', `label=io.baton.service=${svc}`);
  const burnId = idOf('burn');
  t.ok(burnId, 'Docker runs the burner');
  t.ok(idOf('mem'), 'Docker runs the memory holder');
  // The tmpfs is filled, and the agent has reported each container at least twice.
  await waitFor('64 MiB written', () => docker('exec', idOf('mem'), 'ls', '-l', '/data/fill').includes(String(64 * MiB)), 20_000);
  await sleep(3000);

  const service = (name: string) => c.usage!.usage(3_600_000, 'service', false).rows.find((r) => r.group === `acme/${stack}/${name}`);
  const at0 = Date.now();
  const k0 = kernelCpuNs(burnId);
  const burn0 = service('burn')!;
  const mem0 = service('mem')!;
  t.ok(burn0 && mem0, 'both accounted to tenant acme');
  await sleep(WINDOW_MS);
  const elapsedS = (Date.now() - at0) / 1000;
  const k1 = kernelCpuNs(burnId);
  const burn1 = service('burn')!;
  const mem1 = service('mem')!;

  await t.test('one core for 60 s: 60 ± 6 core-seconds, as the kernel counted', async (t) => {
    const cpu = burn1.cpu - burn0.cpu;
    t.ok(k0 !== undefined && k1 !== undefined, 'the container cgroup is readable here');
    const kernel = ((k1 ?? 0) - (k0 ?? 0)) / 1e9;
    // Baton's figure lags the kernel's by at most a report (1 s) at each end.
    t.ok(Math.abs(cpu - kernel) <= 2.5, `kernel says ${kernel.toFixed(2)} core-s, Baton ${cpu.toFixed(2)}`);
    // 60 ± 6 needs the loop to get a whole core: on a machine busy with other work the kernel
    // itself grants less, and the bound is then checked against what it granted (above) only.
    if (kernel >= 54) t.ok(Math.abs(cpu - 60) <= 6, `burn accounted ${cpu.toFixed(2)} core-s over ${elapsedS.toFixed(1)} s (60 ± 6)`);
    else t.comment(`the machine is busy: the loop got ${kernel.toFixed(1)} core-s of the kernel in ${elapsedS.toFixed(1)} s, so 60 ± 6 is not checkable on this run`);
    const reserved = burn1.cpuRes - burn0.cpuRes;
    t.ok(Math.abs(reserved - 1.5 * 60) <= 1.5 * 6, `reserved ${reserved.toFixed(1)} core-s (1.5 cores x 60 s ± 10%)`);
    t.ok(mem1.cpu - mem0.cpu < 1, 'the sleeper used next to no CPU');
  });

  await t.test('64 MiB held for 60 s: 64 MiB x 60 s ± 10%', async (t) => {
    const mibS = (mem1.mem - mem0.mem) / MiB;
    t.ok(Math.abs(mibS - 64 * 60) <= 0.1 * 64 * 60, `mem accounted ${mibS.toFixed(0)} MiB-s (3840 ± 384)`);
    const reserved = (mem1.memRes - mem0.memRes) / MiB;
    t.ok(Math.abs(reserved - 256 * 60) <= 0.1 * 256 * 60, `reserved ${reserved.toFixed(0)} MiB-s`);
  });

  await t.test('baton top and baton usage by tenant; /metrics per service and tenant', async (t) => {
    const top = await runBaton(['top', '--by', 'tenant', '--json', '--coordinator', target]);
    t.equal(top.code, 0, top.stderr);
    const row = (JSON.parse(top.stdout) as { rows: { group: string; cpuCores: number; memoryBytes: number; replicas: number; cpuShare: number }[] }).rows[0]!;
    t.equal(row.group, 'acme');
    t.equal(row.replicas, 2);
    // Live figures are one second's sample: on a busy machine the loop may get less than a core for it.
    t.ok(row.cpuCores > 0.3 && row.cpuCores < 1.1, `up to one core live: ${row.cpuCores}`);
    t.ok(row.memoryBytes > 60 * MiB, `memory live ${row.memoryBytes}`);
    const text = await runBaton(['top', '--coordinator', target]);
    t.match(text.stdout, new RegExp(`acme/${stack}/burn\\s+1\\s+`), text.stdout);
    const usage = await runBaton(['usage', '--since', '1h', '--by', 'stack', '--json', '--hints', '--coordinator', target]);
    t.equal(usage.code, 0, usage.stderr);
    const u = JSON.parse(usage.stdout) as { rows: { group: string; cpuCoreSeconds: number }[]; hints: { service: string; resource: string }[] };
    t.equal(u.rows[0]!.group, `acme/${stack}`);
    t.ok(u.rows[0]!.cpuCoreSeconds >= burn1.cpu + mem1.cpu - 0.01, `core-seconds of the stack ${u.rows[0]!.cpuCoreSeconds.toFixed(1)} (both services, up to now)`);
    const bad = await runBaton(['usage', '--by', 'pod', '--coordinator', target]);
    t.equal(bad.code, 2);
    t.match(bad.stderr, /--by: expected one of service, stack, tenant, node, got "pod"/);
    const metrics = await (await fetch(`http://127.0.0.1:${c.metricsAddress!.port}/metrics`)).text();
    const used = Number(new RegExp(`^baton_service_cpu_used_cores\\{tenant="acme",stack="${stack}",service="burn"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    t.ok(used > 0.3 && used < 1.1, `gauge ${used}`);
    t.match(metrics, /^baton_tenant_memory_reserved_bytes\{tenant="acme"\} 301989888$/m, '256 MiB + 32 MiB reserved');
    t.match(metrics, /^baton_tenant_cpu_used_core_seconds_total\{tenant="acme"\} \d+/m);
  });

  await t.test('kept across a coordinator restart; the downtime is a gap', async (t) => {
    const before = c.usage!.usage(3_600_000, 'service', false).rows.find((r) => r.group === `acme/${stack}/burn`)!;
    await c.stop();
    t.ok(existsSync(join(dir, 'c', 'usage.json')), 'aggregates written at shutdown');
    const downAt = Date.now();
    await sleep(3000);
    c = await start();
    const kept = c.usage!.usage(3_600_000, 'service', false).rows.find((r) => r.group === `acme/${stack}/burn`);
    t.ok(kept && Math.abs(kept.cpu - before.cpu) < 0.01, `kept ${kept?.cpu.toFixed(2)} of ${before.cpu.toFixed(2)} core-s`);
    await waitFor('agent back', () => c.pool.list().some((n) => n.connected), 30_000);
    await sleep(5000);
    const after = c.usage!.usage(3_600_000, 'service', false).rows.find((r) => r.group === `acme/${stack}/burn`)!;
    const sinceDown = (Date.now() - downAt) / 1000;
    const added = after.cpu - before.cpu;
    // The burner ran on while the coordinator was down; that is not booked (a gap), only what came after the agent was back.
    t.ok(added > 2 && added < sinceDown - 2, `accounting went on: +${added.toFixed(1)} core-s in ${sinceDown.toFixed(1)} s, the downtime not booked`);
  });
});
