// A Baton cluster on the multi-host testbed for benchmarks: three namespace hosts with their own
// engine and agent, a coordinator process outside. Not a test: callers stop() it.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listNodes } from '../fixtures/control.js';
import { BATON_BIN, freePort, startBaton, waitFor, type Proc } from '../fixtures/processes.js';
import { Testbed, type TestbedHost } from '../fixtures/testbed.js';

export interface BenchCluster {
  tb: Testbed;
  target: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  agents: Map<string, ChildProcess>;
  startAgent(h: TestbedHost): void;
  /** Baton containers running on the given hosts: allocation, service, replica, container id. */
  running(hosts: readonly TestbedHost[], stack: string): Promise<{ host: TestbedHost; id: string; allocation: string; service: string; replica: number }[]>;
  stop(): Promise<void>;
}

export async function startCluster(hosts = 3): Promise<BenchCluster> {
  const tb = await Testbed.start({ hosts });
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-'));
  const port = await freePort();
  const target = `127.0.0.1:${port}`;
  const coordinator: Proc = startBaton(['coordinator', '--listen', `0.0.0.0:${port}`, '--data-dir', join(dir, 'c'), '--metrics-listen', 'off'], { BATON_LOG_LEVEL: 'warn' });
  const agents = new Map<string, ChildProcess>();
  const startAgent = (h: TestbedHost) => {
    agents.set(h.name, h.spawn(process.execPath, [BATON_BIN, 'agent', '--coordinator', `${tb.coordinatorAddress}:${port}`, '--name', h.name, '--data-dir', join(h.dir, 'agent')], { env: { BATON_LOG_LEVEL: 'warn' } }));
  };
  tb.hosts.forEach(startAgent);
  await waitFor('ready nodes', async () => (await listNodes(target)).filter((n) => n.status === 'ready' && n.usage).length === hosts, 60_000);
  return {
    tb,
    target,
    env: { BATON_COORDINATOR: target },
    dir,
    agents,
    startAgent,
    async running(hs, stack) {
      const out = [];
      for (const h of hs) {
        if (h.isCut) continue;
        const r = await h.docker(['ps', '--filter', `label=io.baton.stack=${stack}`, '--format', '{{.ID}} {{.Label "io.baton.allocation"}} {{.Label "io.baton.service"}} {{.Label "io.baton.replica"}}']);
        if (r.code !== 0) continue;
        for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
          const [id, allocation, service, replica] = line.split(' ') as [string, string, string, string];
          out.push({ host: h, id, allocation, service, replica: Number(replica) });
        }
      }
      return out;
    },
    async stop() {
      agents.forEach((a) => a.kill('SIGKILL'));
      await coordinator.kill('SIGKILL');
      await tb.stop();
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export function argNumber(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
}
