// One worker process of the simulated agents (simulated-agents.ts): runs a share of the agents,
// each on its own HTTP/2 connection (its own channel and subchannel), as real agents on separate
// hosts are. Driven by messages from its parent:
//   prepare -> a key and a certificate request per agent (what each host does on its own CPU before
//              it joins; done before the burst so the burst measures the coordinator's issuance);
//   join    -> every agent joins at once, the real join (agent/security/node-tls.ts joinCluster):
//              JoinService.GetClusterCA over TLS without trusting it, its sha256 against the token's,
//              then JoinService.Join over TLS pinned to that CA with {secret, node_id, csr_pem};
//   connect -> agents start (rampPerSec a second), each over mutual TLS with its node certificate
//              (or plaintext, for a coordinator started with --insecure), and report at 1 Hz.
// The coordinator receives what a real agent sends; to leave the 2-core machine to the
// coordinator, each agent encodes the parts of its report that never change (host usage,
// containers) once, with the generated serializer, and per send only session, seq and time. Its
// containers never change, so its reports carry them as the real agent sends steady ones: usage
// only, marked unchanged (the hello described them); --full-containers sends them in full.
// An agent whose stream (or join) fails tries again after the real agent's jittered backoff.
import 'reflect-metadata';
import * as grpc from '@grpc/grpc-js';
import { generateKeyPairSync } from 'node:crypto';
import { backoffDelayMs } from '../../agent/backoff.js';
import { createCsr } from '../../agent/security/csr.js';
import { CHANNEL_OPTIONS } from '../../agent/security/node-tls.js';
import type { AgentMessage } from '../../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { CoordinatorMessage__Output } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { JoinServiceClient } from '../../shared/grpc/gen/baton/v1/JoinService.js';
import type { NodeCertificate__Output } from '../../shared/grpc/gen/baton/v1/NodeCertificate.js';
import { loadProto } from '../../shared/grpc/load.js';
import { caHashOf, parseJoinToken, type JoinToken } from '../../shared/security/token.js';
import { PROTOCOL_VERSION } from '../../shared/version.js';
import type { ToWorker, FromWorker } from './simulated-agents.js';

const [target, workerId, count, rampPerSec] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), Number(process.argv[5] ?? 250)];
const proto = loadProto();
let connected = 0;
let failures = 0;
/** Milliseconds from a new connection's start to its Welcome, not yet sent to the parent. */
let welcomeMs: number[] = [];
const calls = new Set<grpc.ClientDuplexStream<Buffer, CoordinatorMessage__Output>>();
const timers = new Set<NodeJS.Timeout>();
let stopping = false;
const connect = proto.baton.v1.AgentService.service.Connect;
const serialize = (m: AgentMessage): Buffer => connect.requestSerialize(m);
const send = (m: FromWorker) => process.send?.(m);
const nodeId = (i: number) => `bench-${workerId}-${i}`;

/** Per agent: its key and request (prepare), its certificate (join), its mutual-TLS credentials (connect). */
const keys: { keyPem: string; csrPem: string }[] = [];
const tls: ({ caPem: string; keyPem: string; certPem: string } | undefined)[] = [];
const creds: (grpc.ChannelCredentials | undefined)[] = [];

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

/** Containers per agent (ingest.ts --containers; 3 by default, as the bench always had). */
const PER_AGENT = Number(process.env.BATON_BENCH_CONTAINERS ?? 3);
/** ingest.ts --full-containers: every report describes each container in full, as agents did before the delta encoding. */
const FULL = process.env.BATON_BENCH_FULL_CONTAINERS === '1';

/** A report's containers as the real agent sends steady ones (shared/observations.ts containersToWireDelta): usage only, the rest as the hello said. */
function steadyContainers(i: number, startedAtMs: number) {
  if (FULL) return containers(i, startedAtMs);
  return containers(i, startedAtMs).map((c) => ({ container_id: c.container_id, cpu_percent: c.cpu_percent, memory_bytes: c.memory_bytes, memory_limit_bytes: c.memory_limit_bytes, unchanged: true }));
}

function containers(i: number, startedAtMs: number) {
  return Array.from({ length: PER_AGENT }, (_, k) => k).map((k) => ({
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

// ---- joining ----

/** A key as the agent makes one (node-tls.ts newKeyPem) and a request for it (csr.ts, in process). */
async function prepare(): Promise<void> {
  for (let i = 0; i < count; i++) {
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    keys[i] = { keyPem, csrPem: await createCsr(keyPem, nodeId(i)) };
  }
}

function unary<Res>(fn: (cb: (err: grpc.ServiceError | null, res?: Res) => void) => void): Promise<Res> {
  return new Promise((resolve, reject) => fn((err, res) => (err || !res ? reject(err ?? new Error('empty answer')) : resolve(res))));
}

/** Each join on connections of its own (a local subchannel pool), as from a host of its own. */
const JOIN_OPTIONS = { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 };

/**
 * What every agent of this worker would make alike, made once: TLS that verifies nothing (making it
 * loads the system's root certificates, 12 ms of CPU), TLS trusting only the fetched CA, and that
 * CA's hash. A real host makes each once, on its own CPU; here they would take CPU the coordinator
 * needs. Nothing of a connection is shared through them: grpc-js resumes no TLS sessions, every
 * join is two full handshakes, and the hash is compared for every join.
 */
const untrustedCreds = grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false });
const pinnedCreds = new Map<string, grpc.ChannelCredentials>();
const caHashes = new Map<string, string>();

/** joinCluster's steps, with the key and request made beforehand and nothing written to disk. */
async function joinOne(i: number, token: JoinToken, timeoutMs: number): Promise<void> {
  const deadline = () => ({ deadline: Date.now() + timeoutMs });
  const untrusted = new proto.baton.v1.JoinService(target, untrustedCreds, JOIN_OPTIONS) as JoinServiceClient;
  let caPem: string;
  try {
    caPem = (await unary<{ ca_pem: string }>((cb) => untrusted.GetClusterCA({}, deadline(), cb))).ca_pem;
  } finally {
    untrusted.close();
  }
  if (!caHashes.has(caPem)) caHashes.set(caPem, caHashOf(caPem));
  if (caHashes.get(caPem) !== token.caHash) throw new Error("the join token does not match this coordinator's CA");
  if (!pinnedCreds.has(caPem)) pinnedCreds.set(caPem, grpc.credentials.createSsl(Buffer.from(caPem)));
  const pinned = new proto.baton.v1.JoinService(target, pinnedCreds.get(caPem)!, JOIN_OPTIONS) as JoinServiceClient;
  let cert: NodeCertificate__Output;
  try {
    cert = await unary<NodeCertificate__Output>((cb) => pinned.Join({ secret: token.secret, node_id: nodeId(i), csr_pem: keys[i]!.csrPem }, deadline(), cb));
  } finally {
    pinned.close();
  }
  tls[i] = { caPem, keyPem: keys[i]!.keyPem, certPem: cert.certificate_pem };
}

/** Mutual TLS as agent i, made at its first connection (a secure context per agent, as each host has its own). */
function credentialsOf(i: number): grpc.ChannelCredentials | undefined {
  const t = tls[i];
  if (!t) return undefined;
  creds[i] ??= grpc.credentials.createSsl(Buffer.from(t.caPem), Buffer.from(t.keyPem), Buffer.from(t.certPem));
  return creds[i];
}

/**
 * All agents join at once (at most `concurrency` in flight in this worker); a failed join is
 * retried after the agent's backoff until `timeoutMs` has passed since the burst began.
 */
async function joinAll(token: JoinToken, concurrency: number, timeoutMs: number): Promise<Extract<FromWorker, { type: 'joined' }>> {
  const startMs = Date.now();
  const giveUpMs = startMs + timeoutMs;
  let next = 0;
  let joined = 0;
  let failed = 0;
  let lastError = '';
  let endMs = startMs;
  const latencies: number[] = [];
  const runner = async () => {
    for (let i = next++; i < count; i = next++) {
      for (let attempt = 0; ; attempt++) {
        const t0 = performance.now();
        try {
          await joinOne(i, token, Math.max(1000, giveUpMs - Date.now()));
          latencies.push(performance.now() - t0);
          joined++;
          endMs = Date.now();
          break;
        } catch (err) {
          failed++;
          lastError = (err as grpc.ServiceError).details || (err as Error).message;
          if (Date.now() > giveUpMs) break;
          await new Promise((r) => setTimeout(r, backoffDelayMs(attempt)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, runner));
  return { type: 'joined', joined, failed, startMs, endMs, latencies, lastError };
}

// ---- reporting ----

/** `settled`: called once, at the first Welcome or failure of this connection. */
function startAgent(i: number, attempt = 0, settled?: () => void): void {
  let settle = settled;
  const done = () => {
    settle?.();
    settle = undefined;
  };
  const t0 = performance.now();
  const mtls = credentialsOf(i);
  const client = new grpc.Client(target, mtls ?? grpc.credentials.createInsecure(), {
    ...(mtls ? CHANNEL_OPTIONS : {}),
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
  const id = nodeId(i);
  const startedAtMs = Date.now();
  let seq = 0;
  call.on('data', (m: CoordinatorMessage__Output) => {
    if (m.body !== 'welcome' || !m.welcome) return;
    done();
    welcomeMs.push(performance.now() - t0);
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
          containers: steadyContainers(i, startedAtMs),
        },
      }),
    );
    // Spread reports over the interval as independent hosts would be.
    const first = setTimeout(() => {
      const sendReport = () => {
        const varying = reportBytes(serialize({ report: { session_id: session, seq: ++seq, sent_at_ms: Date.now() } }));
        call.write(Buffer.concat([Buffer.of(REPORT_TAG), varint(varying.length + fixed.length), varying, fixed]));
      };
      sendReport();
      later(setInterval(sendReport, every));
    }, Math.floor(Math.random() * every));
    later(first);
  });
  call.on('error', () => {
    done();
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

/**
 * Agents of the ramp started and not yet welcomed, and the most there may be: past it the ramp
 * waits. Without the bound, connections the coordinator cannot take as fast as they come (TLS
 * handshakes while thousands report) pile up until they time out and are made again from the start.
 */
let pending = 0;
const MAX_PENDING = 100;

let ramp: NodeJS.Timeout | undefined;
/** Starts the agents, rampPerSec a second; with `secure`, only those that joined (the others have no certificate). */
function startAll(secure: boolean): void {
  const which = Array.from({ length: count }, (_, i) => i).filter((i) => !secure || tls[i]);
  let started = 0;
  ramp = setInterval(() => {
    const n = Math.min(which.length - started, Math.max(1, Math.round(rampPerSec / 10)), MAX_PENDING - pending);
    for (let k = 0; k < n; k++) {
      pending++;
      startAgent(which[started++]!, 0, () => pending--);
    }
    if (started >= which.length) clearInterval(ramp);
  }, 100);
}

const status = setInterval(() => {
  send({ type: 'status', connected, failures, welcomeMs });
  welcomeMs = [];
}, 500);

process.on('message', (m: ToWorker) => {
  const fail = (err: unknown) => send({ type: 'error', error: (err as Error).message });
  switch (m.type) {
    case 'prepare': {
      const t0 = performance.now();
      prepare().then(() => send({ type: 'prepared', ms: performance.now() - t0 }), fail);
      break;
    }
    case 'join': {
      const token = parseJoinToken(m.token);
      if (!token.ok) return fail(new Error(token.error));
      joinAll(token.value, m.concurrency, m.timeoutMs).then(send, fail);
      break;
    }
    case 'connect':
      startAll(m.secure);
      break;
    case 'stop':
      stopping = true;
      clearInterval(status);
      clearInterval(ramp);
      for (const t of timers) clearTimeout(t);
      for (const c of calls) c.cancel();
      setTimeout(() => process.exit(0), 200);
      break;
  }
});
send({ type: 'ready' });
