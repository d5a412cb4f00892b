// join-burst: where a join's time goes. (1) The certificate work alone, in this process, one at a
// time: coordinator/security/pki.ts checkRequest and issueForRequest for requests made with the
// agent's own code (agent/security/csr.ts) — the floor of the coordinator's cost per join, on one
// thread. (2) N agents joining a coordinator process at once (the real join, as bench:ingest does
// it, without the reporting after it): joins per second, and the coordinator's CPU per join.
// Prints one JSON object. Usage: node --import tsx test/bench/join-burst.ts [--agents 2000] [--workers 2]
//   [--join-concurrency N (joins in flight in all; default: every agent at once)] [--pki 500 (certificates in (1))]
//   [--cpu-prof DIR (V8 profiles of the coordinator and the workers)]
import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCsr } from '../../agent/security/csr.js';
import { checkRequest, createCertificateAuthority, issueForRequest } from '../../coordinator/security/pki.js';
import { BATON_BIN, freePort, startProcess, waitFor } from '../fixtures/processes.js';
import { cpuSince, cpuSnapshot, percentile, startSimulatedAgents } from './simulated-agents.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
}
const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const agents = arg('agents', 2000);
const workers = arg('workers', 2);
const joinConcurrency = arg('join-concurrency', agents);
const pkiCount = arg('pki', 500);
const profDir = option('cpu-prof');
const WEEK_MS = 7 * 86_400_000;

/** (1) checkRequest + issueForRequest, one after another, after a warm-up; milliseconds each (p50, p99) and CPU per certificate. */
async function pkiAlone(n: number) {
  const ca = await createCertificateAuthority(Date.now());
  const csrs: string[] = [];
  for (let i = 0; i < n + 100; i++) {
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    csrs.push(await createCsr(keyPem, `n${i}`));
  }
  const check: number[] = [];
  const issue: number[] = [];
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  for (let i = 0; i < csrs.length; i++) {
    if (i === 100) {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
    }
    const a = performance.now();
    const c = await checkRequest(csrs[i]!);
    if (!c.ok) throw new Error(c.error);
    const b = performance.now();
    await issueForRequest(ca, c.publicKey, `n${i}`, 'node', Date.now(), WEEK_MS);
    if (i >= 100) {
      check.push(b - a);
      issue.push(performance.now() - b);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  return {
    certificates: n,
    checkRequestMs: { p50: round(percentile(check, 0.5), 2), p99: round(percentile(check, 0.99), 2) },
    issueForRequestMs: { p50: round(percentile(issue, 0.5), 2), p99: round(percentile(issue, 0.99), 2) },
    wallMsPerCertificate: round(wallMs / n, 2),
    cpuMsPerCertificate: round((cpu.user + cpu.system) / 1000 / n, 2),
    perThreadCeilingPerSec: Math.round((1000 * n) / wallMs),
  };
}

async function burst() {
  const target = `127.0.0.1:${await freePort()}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-join-'));
  const coordinator = startProcess(process.execPath, [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), BATON_BIN, 'coordinator', '--listen', target, '--data-dir', dataDir, '--metrics-listen', 'off'], { BATON_LOG_LEVEL: 'warn' });
  try {
    const token = await waitFor("the join token on the coordinator's stderr", () => /join token: (BATON1-\S+)/.exec(coordinator.output())?.[1], 30_000);
    const sim = startSimulatedAgents(target, agents, workers, 400, { token, ...(profDir ? { cpuProfDir: profDir } : {}) });
    try {
      await sim.prepare();
      const before = await cpuSnapshot(coordinator.child.pid!, sim.pids());
      const b = await sim.join({ concurrency: joinConcurrency, timeoutMs: 120_000 });
      const cpu = cpuSince(before, await cpuSnapshot(coordinator.child.pid!, sim.pids()));
      return { ...b, coordinatorCpuMsPerJoin: round((cpu.coordinatorTicks * 10) / b.joined, 1), ...cpu.percents };
    } finally {
      await sim.stop();
    }
  } finally {
    await coordinator.kill(profDir ? 'SIGTERM' : 'SIGKILL');
    const local = join(homedir(), '.baton', 'local', target.split(':')[1]!);
    if ((await readFile(local, 'utf8').catch(() => '')).startsWith(dataDir)) await rm(local, { force: true });
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const pki = await pkiAlone(pkiCount);
const b = await burst();
console.log(
  JSON.stringify({
    pki,
    burst: b,
    note: [
      'pki: the coordinator\'s certificate work for one join (check the request, issue the certificate), in one thread, nothing else running in it: perThreadCeilingPerSec is the most joins a second one event loop could issue with no TLS, gRPC or store',
      `burst: ${agents} agents joining at once (GetClusterCA over unverified TLS, hash check, Join over TLS pinned to the CA), keys and requests made before (prepareSeconds); the coordinator and the ${workers} worker processes share this machine's ${cpus().length} cores (othersCpuPercent: the rest of the machine meanwhile); coordinatorCpuMsPerJoin: its CPU over the burst / joins`,
    ],
  }),
);
process.exit(0);
