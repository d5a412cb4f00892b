// Simulated agents for benchmarks: worker processes (ingest-worker.ts) that each run a share of N
// agents, every agent on its own connection, reporting at the heartbeat the coordinator asks for.
import { fork } from 'node:child_process';
import { waitFor } from '../fixtures/processes.js';

export interface SimulatedAgents {
  connected(): number;
  failures(): number;
  /** Resolves once all agents are welcomed; the error says how many were when time ran out. */
  allConnected(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** `rampPerSec`: agents started per second in all (connections the coordinator accepts per second). */
export function startSimulatedAgents(target: string, agents: number, workers: number, rampPerSec = 400): SimulatedAgents {
  const kids = Array.from({ length: workers }, (_, w) => {
    const share = Math.floor(agents / workers) + (w < agents % workers ? 1 : 0);
    const child = fork(new URL('./ingest-worker.ts', import.meta.url).pathname, [target, String(w), String(share), String(Math.ceil(rampPerSec / workers))], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const state = { connected: 0, failures: 0 };
    child.on('message', (m) => Object.assign(state, m));
    return { child, state };
  });
  const connected = () => kids.reduce((s, k) => s + k.state.connected, 0);
  return {
    connected,
    failures: () => kids.reduce((s, k) => s + k.state.failures, 0),
    async allConnected(timeoutMs) {
      try {
        await waitFor(`${agents} agents connected`, () => connected() >= agents, timeoutMs, 250);
      } catch (err) {
        throw new Error(`${(err as Error).message}: ${connected()} were`, { cause: err });
      }
    },
    async stop() {
      for (const k of kids) k.child.send('stop');
      await new Promise((r) => setTimeout(r, 500));
      for (const k of kids) k.child.kill('SIGKILL');
    },
  };
}
