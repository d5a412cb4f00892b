// One worker process of bench:ingest: runs a share of the simulated agents, each on its own
// HTTP/2 connection (its own channel and subchannel), as real agents on separate hosts are.
import * as grpc from '@grpc/grpc-js';
import type { AgentMessage } from '../../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { CoordinatorMessage__Output } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import { loadProto } from '../../shared/grpc/load.js';
import { PROTOCOL_VERSION } from '../../shared/version.js';

const [target, workerId, count, rampPerSec] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), Number(process.argv[5] ?? 250)];
const proto = loadProto();
let connected = 0;
let failures = 0;
const calls: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output>[] = [];
const timers: NodeJS.Timeout[] = [];

function containers(i: number) {
  return [0, 1, 2].map((k) => ({
    container_id: `c${workerId}x${i}x${k}`.padEnd(64, '0'),
    name: `stack_web_${k}`,
    image: 'baton/busybox:test',
    state: 'running',
    cpu_percent: 1.5,
    memory_bytes: 12_000_000,
    memory_limit_bytes: 64 * 1024 * 1024,
    labels: { 'io.baton.allocation': `a-${i}-${k}`, 'io.baton.service': 'web' },
    exit_code: 0,
    started_at_ms: Date.now(),
    restart_count: 0,
    health: 'healthy',
  }));
}

function startAgent(i: number): void {
  const client = new proto.baton.v1.AgentService(target, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.keepalive_time_ms': 30_000,
  });
  const call = client.Connect();
  calls.push(call);
  const id = `bench-${workerId}-${i}`;
  let seq = 0;
  call.on('data', (m: CoordinatorMessage__Output) => {
    if (m.body !== 'welcome' || !m.welcome) return;
    connected++;
    const session = m.welcome.session_id;
    const every = m.welcome.heartbeat_interval_ms || 1000;
    // Spread reports over the interval as independent hosts would be.
    const first = setTimeout(() => {
      const send = () =>
        call.write({
          report: {
            session_id: session,
            seq: ++seq,
            sent_at_ms: Date.now(),
            host: {
              cpu_percent: 20 + (i % 50),
              load1: 0.5, load5: 0.4, load15: 0.3,
              memory_used_bytes: 2e9, memory_total_bytes: 8e9,
              disk_used_bytes: 5e10, disk_total_bytes: 1e11,
              net_rx_bytes_per_sec: 1000, net_tx_bytes_per_sec: 2000,
            },
            docker_up: true,
            docker_error: '',
            containers: containers(i),
          },
        });
      send();
      timers.push(setInterval(send, every));
    }, Math.floor(Math.random() * every));
    timers.push(first);
  });
  call.on('error', () => failures++);
  call.write({
    hello: {
      node_id: id,
      name: id,
      address: '',
      capacity: { cpu_millis: 8000, memory_bytes: 8e9, disk_bytes: 1e11 },
      labels: { bench: 'ingest' },
      agent_version: 'bench',
      docker_version: 'bench',
      containers: containers(i),
      protocol: PROTOCOL_VERSION,
    },
  });
}

let started = 0;
const ramp = setInterval(() => {
  const n = Math.min(count - started, Math.max(1, Math.round(rampPerSec / 10)));
  for (let k = 0; k < n; k++) startAgent(started++);
  if (started >= count) clearInterval(ramp);
}, 100);

const status = setInterval(() => process.send?.({ connected, failures }), 500);
process.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(status);
    clearInterval(ramp);
    for (const t of timers) clearTimeout(t);
    for (const c of calls) c.cancel();
    setTimeout(() => process.exit(0), 200);
  }
});
