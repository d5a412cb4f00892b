// bench:agent: the real agent (`baton agent`, built) against the real Docker engine with 20 running
// Baton-labelled containers, reporting at 1 Hz to a coordinator for a measured window.
// Prints {rssMb, cpuPercent, containers, seconds}. Usage: npm run bench:agent -- [--seconds 60] [--containers 20] [--ingress]
// --ingress: the containers are a deployed stack instead (two replicas of a web service publishing
// a port, the rest idle), so the agent's ingress is active: an endpoint set applied to the kernel, the
// published port held, counters and conntrack sampled every 2 s; a request a second goes through it.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byName, listNodes } from '../fixtures/control.js';
import { BATON_BIN, freePort, joinTokenOf, runBaton, startBaton, startProcess, waitFor } from '../fixtures/processes.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const seconds = arg('seconds', 60);
const count = arg('containers', 20);
const run = `bench-agent-${process.pid}`;
const withIngress = process.argv.includes('--ingress');
// --insecure: coordinator and agent in plaintext, to see what mutual TLS costs the agent (not the default).
const insecure = process.argv.includes('--insecure');
const STACK = `benchagent${process.pid}`;
const PUBLISHED = 18080;
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

const ids: string[] = [];
const dir = await mkdtemp(join(tmpdir(), 'baton-bench-agent-'));
const port = await freePort();
const target = `127.0.0.1:${port}`;
const coordinator = startBaton(['coordinator', '--listen', target, '--data-dir', join(dir, 'c'), '--metrics-listen', 'off', ...(insecure ? ['--insecure'] : [])], { BATON_LOG_LEVEL: 'warn' });
let agent: ReturnType<typeof startBaton> | undefined;
// Secure, as by default: the agent joins with the printed token (and then runs mutual TLS).
const token = insecure ? '' : await joinTokenOf(coordinator);
if (insecure) process.env.BATON_INSECURE = '1';
else process.env.BATON_CONFIG = join(dir, 'c', 'admin.json');
try {
  // The agent reports only containers labelled with its node id: seed the id, label the containers.
  await mkdir(join(dir, 'a'), { recursive: true });
  await writeFile(join(dir, 'a', 'node-id'), `${run}\n`);
  for (let i = 0; i < (withIngress ? 0 : count); i++) {
    ids.push(docker('run', '-d', '--label', `io.baton.allocation=${run}-${i}`, '--label', `io.baton.node=${run}`, '--label', `io.baton.bench=${run}`, '--memory', '16m', 'baton/busybox:test', 'sleep', '3600'));
  }
  // The agent as a user starts it: the `baton` bin run as a program, which execs node with the
  // agent's own flags (see shared/cli/main.ts). AGENT_NODE_ARGS instead runs `node <those flags>
  // main.js agent`, to measure other V8 settings (some, such as --lite-mode, are refused in NODE_OPTIONS).
  const agentArgs = ['agent', '--coordinator', target, '--name', 'bench', '--data-dir', join(dir, 'a'), ...(insecure ? ['--insecure'] : [])];
  const nodeArgs = process.env.AGENT_NODE_ARGS?.split(' ').filter(Boolean);
  const agentEnv = { BATON_LOG_LEVEL: 'warn', ...(insecure ? {} : { BATON_TOKEN: token }) };
  agent = nodeArgs ? startProcess(process.execPath, [...nodeArgs, BATON_BIN, ...agentArgs], agentEnv) : startProcess(BATON_BIN, agentArgs, agentEnv);
  if (withIngress) {
    const file = join(dir, 'stack.yaml');
    await writeFile(file, `name: ${STACK}
services:
  web:
    image: baton/busybox:test
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    ports: ["${PUBLISHED}:80"]
    deploy: { replicas: 2, resources: { reservations: { cpus: "0.01", memory: 4M }, limits: { memory: 16M } } }
  idle:
    image: baton/busybox:test
    command: ["sleep", "3600"]
    deploy: { replicas: ${count - 2}, resources: { reservations: { cpus: "0.01", memory: 4M }, limits: { memory: 16M } } }
`);
    await waitFor('the agent connected', async () => !!byName(await listNodes(target).catch(() => [])).bench, 30_000);
    const d = await runBaton(['deploy', '-f', file, '--timeout', '120'], { BATON_COORDINATOR: target });
    if (d.code !== 0) throw new Error(`deploy failed: ${d.stdout}${d.stderr}`);
    await waitFor('the ingress applied and serving', async () => {
      const r = await runBaton(['endpoints', 'web', '--json'], { BATON_COORDINATOR: target });
      return r.code === 0 && /"serving"/.test(r.stdout) && (await fetch(`http://127.0.0.1:${PUBLISHED}/`).then((x) => x.ok, () => false));
    }, 60_000);
    // A request a second through the held port (relayed to the service address, then the kernel).
    const trickle = setInterval(() => void fetch(`http://127.0.0.1:${PUBLISHED}/`).then((x) => x.text(), () => undefined), 1000);
    trickle.unref();
  }
  await waitFor('agent reporting its containers', async () => (byName(await listNodes(target)).bench?.containers.length ?? 0) >= count, 30_000);
  await new Promise((r) => setTimeout(r, 5000)); // past start-up work (module loading, first samples)
  const pid = agent.child.pid!;
  const c0 = await cpuTicks(pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c1 = await cpuTicks(pid);
  const elapsed = (Date.now() - t0) / 1000;
  const node = byName(await listNodes(target)).bench!;
  console.log(
    JSON.stringify({
      rssMb: Math.round((await rssKb(pid)) / 102.4) / 10,
      cpuPercent: Math.round(((c1 - c0) / 100 / elapsed) * 1000) / 10,
      containers: node.containers.length,
      containersWithCpu: node.containers.filter((c) => c.memory_bytes > 0).length,
      seconds: Math.round(elapsed),
      ingress: withIngress,
      tls: !insecure,
    }),
  );
} finally {
  await agent?.kill('SIGKILL');
  await coordinator.kill('SIGKILL');
  if (ids.length) docker('rm', '-f', ...ids);
  if (withIngress) {
    const left = docker('ps', '-aq', '--filter', `label=io.baton.stack=${STACK}`).split('\n').filter(Boolean);
    if (left.length) docker('rm', '-f', ...left);
    // The agent was killed: its rules stay in the kernel by design; this bench's are removed here.
    try {
      execFileSync('nft', ['delete', 'table', 'ip', 'baton'], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}

async function cpuTicks(p: number): Promise<number> {
  const stat = await readFile(`/proc/${p}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime + stime + children (cutime + cstime): anything the agent spawns counts against it
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
}
async function rssKb(p: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
}
