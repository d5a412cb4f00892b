// One worker process of bench:ingest: runs a share of the simulated agents, each on its own
// HTTP/2 connection (its own channel and subchannel), as real agents on separate hosts are.
// The coordinator receives what a real agent sends; to leave the 2-core machine to the
// coordinator, each agent encodes the parts of its report that never change (host usage,
// containers) once, with the generated serializer, and per send only session, seq and time.
// An agent whose stream fails connects again after the real agent's jittered backoff.
import * as grpc from '@grpc/grpc-js';
import { backoffDelayMs } from '../../agent/backoff.js';
import type { AgentMessage } from '../../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { CoordinatorMessage__Output } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import { loadProto } from '../../shared/grpc/load.js';
import { PROTOCOL_VERSION } from '../../shared/version.js';

const [target, workerId, count, rampPerSec] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), Number(process.argv[5] ?? 250)];
const proto = loadProto();
let connected = 0;
let failures = 0;
const calls = new Set<grpc.ClientDuplexStream<Buffer, CoordinatorMessage__Output>>();
const timers = new Set<NodeJS.Timeout>();
let stopping = false;
const connect = proto.baton.v1.AgentService.service.Connect;
const serialize = (m: AgentMessage): Buffer => connect.requestSerialize(m);

/** AgentMessage{report: r} is the tag of field 2 (length-delimited), a varint length, then Report r. */
const REPORT_TAG = (2 << 3) | 2;

/** The encoded Report inside an encoded AgentMessage{report}. */
function reportBytes(msg: Buffer): Buffer {
  if (msg.length === 0) return msg;
  if (msg[0] !== REPORT_TAG) throw new Error('expected AgentMessage.report');
  let i = 1;
  while (msg[i]! & 0x80) i++;
  return msg.subarray(i + 1);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function containers(i: number, startedAtMs: number) {
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
    started_at_ms: startedAtMs,
    restart_count: 0,
    health: 'healthy',
  }));
}

function startAgent(i: number, attempt = 0): void {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.keepalive_time_ms': 30_000,
  });
  // The generated client's stream, but writing bytes this worker encoded with the generated serializer.
  const call = client.makeBidiStreamRequest(connect.path, (b: Buffer) => b, connect.responseDeserialize);
  calls.add(call);
  const mine = new Set<NodeJS.Timeout>();
  const later = (t: NodeJS.Timeout) => {
    mine.add(t);
    timers.add(t);
  };
  let welcomed = false;
  const id = `bench-${workerId}-${i}`;
  const startedAtMs = Date.now();
  let seq = 0;
  call.on('data', (m: CoordinatorMessage__Output) => {
    if (m.body !== 'welcome' || !m.welcome) return;
    connected++;
    welcomed = true;
    const session = m.welcome.session_id;
    const every = m.welcome.heartbeat_interval_ms || 1000;
    // Report fields 4-7, the same in every report of this agent; fields 1-3 are added per send
    // (fields of a message may come in any order).
    const fixed = reportBytes(
      serialize({
        report: {
          host: {
            cpu_percent: 20 + (i % 50),
            load1: 0.5, load5: 0.4, load15: 0.3,
            memory_used_bytes: 2e9, memory_total_bytes: 8e9,
            disk_used_bytes: 5e10, disk_total_bytes: 1e11,
            net_rx_bytes_per_sec: 1000, net_tx_bytes_per_sec: 2000,
          },
          docker_up: true,
          docker_error: '',
          containers: containers(i, startedAtMs),
        },
      }),
    );
    // Spread reports over the interval as independent hosts would be.
    const first = setTimeout(() => {
      const send = () => {
        const varying = reportBytes(serialize({ report: { session_id: session, seq: ++seq, sent_at_ms: Date.now() } }));
        call.write(Buffer.concat([Buffer.of(REPORT_TAG), varint(varying.length + fixed.length), varying, fixed]));
      };
      send();
      later(setInterval(send, every));
    }, Math.floor(Math.random() * every));
    later(first);
  });
  call.on('error', () => {
    failures++;
    if (welcomed) connected--;
    for (const t of mine) {
      clearTimeout(t);
      timers.delete(t);
    }
    calls.delete(call);
    client.close();
    if (stopping) return;
    const retry = setTimeout(() => {
      timers.delete(retry);
      startAgent(i, attempt + 1);
    }, backoffDelayMs(attempt));
    timers.add(retry);
  });
  call.write(
    serialize({
      hello: {
        node_id: id,
        name: id,
        address: '',
        capacity: { cpu_millis: 8000, memory_bytes: 8e9, disk_bytes: 1e11 },
        labels: { bench: 'ingest' },
        agent_version: 'bench',
        docker_version: 'bench',
        containers: containers(i, startedAtMs),
        protocol: PROTOCOL_VERSION,
      },
    }),
  );
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
    stopping = true;
    clearInterval(status);
    clearInterval(ramp);
    for (const t of timers) clearTimeout(t);
    for (const c of calls) c.cancel();
    setTimeout(() => process.exit(0), 200);
  }
});
