// Bad input (issue 10): more than 10,000 malformed, truncated, oversized and randomly mutated
// messages, over real gRPC on real TLS sockets, to a secure coordinator (every message type a client
// sends: AgentService/Connect with each AgentMessage body, every ControlService request, the
// JoinService requests; plus gRPC framing and TLS handshakes with garbage and wrong certificates)
// and to an agent's side of the stream (a real Agent against a small coordinator that answers its
// hello and then sends mutated CoordinatorMessages). Asserted: no crash (process-level handlers,
// everything runs in this process), every call ends with a gRPC status before its deadline, the
// stored state (stacks, allocations, identities, history, rollouts, the PKI files) is unchanged, a
// real agent keeps reporting and stays ready throughout, and the fuzzed agent keeps reconnecting
// and reporting. Seeded: FUZZ_SEED=<n> repeats a run; FUZZ_DEBUG=1 prints each problem as it is found.
//
// The fuzzed agent applies the endpoint sets it accepts with nftables and holds their published
// ports, so as root the file runs itself again in a network namespace of its own (unshare --net):
// nothing it does reaches the host's rules or ports. Docker is never reached (a socket path that
// does not exist): the agents report the engine down and go on.
import { spawn, spawnSync } from 'node:child_process';

const IN_NETNS = 'BATON_FUZZ_NETNS';

if (process.getuid?.() === 0 && process.env[IN_NETNS] !== '1') {
  // Not `tap` here: the TAP stream is the child's, passed through unchanged.
  if (spawnSync('unshare', ['--net', 'true']).status !== 0) {
    process.stdout.write('TAP version 14\nnot ok 1 - fuzz: `unshare --net` failed; as root this test runs only in a network namespace of its own\n1..1\n');
    process.exit(1);
  }
  const child = spawn(
    'unshare',
    ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'fuzz', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, [IN_NETNS]: '1' } },
  );
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 : 1))));
  process.exit(code);
} else {
  await main();
}

async function main(): Promise<void> {
  const { default: t } = await import('tap');
  const grpc = await import('@grpc/grpc-js');
  const { createHash, generateKeyPairSync, randomInt } = await import('node:crypto');
  const { mkdtemp, readFile, readdir, rm } = await import('node:fs/promises');
  const net = await import('node:net');
  const tls = await import('node:tls');
  const http2 = await import('node:http2');
  const { gzipSync } = await import('node:zlib');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Coordinator } = await import('../../coordinator/coordinator.js');
  const { createCertificateAuthority, issueClientCertificate } = await import('../../coordinator/security/pki.js');
  const { Agent } = await import('../../agent/agent.js');
  const { createCsr } = await import('../../agent/security/csr.js');
  const { createLogger } = await import('../../shared/logger.js');
  const { MAX_MESSAGE_BYTES } = await import('../../shared/grpc/load.js');
  const { PROTOCOL_VERSION } = await import('../../shared/version.js');
  const { parseJoinToken } = await import('../../shared/security/token.js');
  const { COORDINATOR_TLS_NAME } = await import('../../shared/security/names.js');
  const { joinAs, operatorDial, TLS_CHANNEL_OPTIONS } = await import('../fixtures/tls.js');
  const { waitFor, sleep } = await import('../fixtures/processes.js');
  const F = await import('../fixtures/fuzz.js');
  type Outcome = import('../fixtures/fuzz.js').Outcome;

  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  /** Wall and CPU time (this process: coordinator, agents and test together) since `t0`. */
  const took = (t0: { ms: number; cpu: NodeJS.CpuUsage }) => {
    const cpu = process.cpuUsage(t0.cpu);
    return `${Date.now() - t0.ms} ms (cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms)`;
  };
  const mark = () => ({ ms: Date.now(), cpu: process.cpuUsage() });
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
  t.comment(`seed ${seed} (FUZZ_SEED=${seed} repeats this run)`);
  const rand = new F.Rand(seed);

  // Anything thrown out of a handler, a timer or a stream of the coordinator, the agents or the
  // test itself lands here: all of them run in this process.
  const crashes: string[] = [];
  process.on('uncaughtException', (err) => crashes.push(`uncaughtException: ${err.stack ?? String(err)}`));
  process.on('unhandledRejection', (err) => crashes.push(`unhandledRejection: ${(err as Error)?.stack ?? String(err)}`));

  const NO_DOCKER = 'unix:///nonexistent/baton-fuzz/docker.sock';
  const tally = new F.Tally();
  const silent = (name: string) => createLogger(name, 'silent');

  // ---------------------------------------------------------------------------------------------
  // A secure coordinator, a real agent that must keep reporting, and credentials
  // ---------------------------------------------------------------------------------------------

  const dirs: string[] = [];
  const tempDir = async (name: string) => {
    const d = await mkdtemp(join(tmpdir(), name));
    dirs.push(d);
    return d;
  };
  // Registered first, so it runs after every other teardown (the coordinator and agents stopped).
  t.teardown(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const dataDir = await tempDir('baton-fuzz-');
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, heartbeatIntervalMs: 250, suspectAfterMs: 3000, downAfterMs: 6000, logger: silent('coordinator') });
  const target = `127.0.0.1:${c.address.port}`;
  t.teardown(() => c.stop());

  const good = new Agent({ coordinator: target, token: c.authority!.joinToken(), dataDir: await tempDir('baton-fuzz-good-'), name: 'good', dockerHost: NO_DOCKER, logger: silent('good') });
  await good.start();
  t.teardown(() => good.stop());
  await waitFor('the good agent ready and reporting', () => {
    const n = c.pool.get('good');
    return n?.status === 'ready' && n.connected && n.lastReportMs > 0;
  }, 20_000);

  const admin = await operatorDial(c, 'fuzz', 'admin');
  const viewer = await operatorDial(c, 'fuzz-viewer', 'viewer');
  const LANES = 6;
  const nodeIds = Array.from({ length: LANES }, (_, i) => `fuzz-node-${i}`);
  const nodes = await Promise.all(nodeIds.map((id) => joinAs(c, id)));
  const caPem = c.authority!.ca.certPem;
  const secret = (() => {
    const p = parseJoinToken(c.authority!.joinToken());
    if (!p.ok) throw new Error(p.error);
    return p.value.secret;
  })();

  // A request whose signature is broken: no mutation of it can ever be a valid request, so neither
  // Join nor Renew can issue anything, while every check before the signature's is reached.
  const csr = await (async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const der = Buffer.from((await createCsr(key, 'fuzz-joiner')).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 3] = der[der.length - 3]! ^ 0x55;
    return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE REQUEST-----\n`;
  })();

  const clientOptions = { ...TLS_CHANNEL_OPTIONS, 'grpc.max_send_message_length': -1, 'grpc.max_receive_message_length': -1 };
  const clients: import('@grpc/grpc-js').Client[] = [];
  const client = (creds: import('@grpc/grpc-js').ChannelCredentials, extra: Record<string, number> = {}) => {
    const cl = new grpc.Client(target, creds, { ...clientOptions, ...extra });
    clients.push(cl);
    return cl;
  };
  t.teardown(() => {
    for (const cl of clients) cl.close();
  });
  const adminClient = client(admin.credentials);
  const followClient = client(admin.credentials, { 'grpc.use_local_subchannel_pool': 1 });
  const viewerClient = client(viewer.credentials);
  const anonymousClient = client(grpc.credentials.createSsl(Buffer.from(caPem)));
  const nodeClients = nodes.map((n) => client(n.credentials));

  // What must not change: the durable state but for what sessions legitimately touch (node
  // liveness, the event log), and the cluster's key material.
  type State = typeof c.store.state;
  const stable = (s: State) =>
    JSON.stringify({ stacks: s.stacks, allocations: s.allocations, identities: s.identities, rollouts: s.rollouts, history: s.history });
  const goodId = good.nodeId;
  const goodRecord = (s: State) => {
    const n = s.nodes[goodId];
    return n && JSON.stringify({ id: n.id, name: n.name, address: n.address, labels: n.labels, capacity: n.capacity, joinedAtMs: n.joinedAtMs });
  };
  const pkiDigest = async () => {
    const dir = join(dataDir, 'pki');
    const h = createHash('sha256');
    for (const f of (await readdir(dir)).sort()) h.update(f).update(await readFile(join(dir, f)));
    h.update(await readFile(join(dataDir, 'admin.json')));
    return h.digest('hex');
  };
  await c.store.flush();
  const before = { state: stable(c.store.state), good: goodRecord(c.store.state), pki: await pkiDigest(), file: stable(JSON.parse(await readFile(c.store.file, 'utf8')) as State) };
  t.equal(before.file, before.state, 'the state file holds what the store holds before the fuzz');

  // The good agent, sampled all along: never anything but ready, and its reports keep arriving.
  const samples: { phase: string; atMs: number; status: string; lastReportMs: number }[] = [];
  let phase = 'setup';
  const sampler = setInterval(() => {
    const n = c.pool.get(goodId);
    samples.push({ phase, atMs: Date.now(), status: n?.status ?? 'missing', lastReportMs: n?.lastReportMs ?? 0 });
  }, 200);
  t.teardown(() => clearInterval(sampler));
  const checkpoints: { phase: string; lastReportMs: number }[] = [];
  const checkpoint = async (phase: string) => {
    // A report a few heartbeats later than the last one seen at the previous checkpoint.
    const prev = checkpoints.at(-1)?.lastReportMs ?? 0;
    await waitFor(`a report from the good agent after ${phase}`, () => (c.pool.get(goodId)?.lastReportMs ?? 0) > prev, 10_000, 50);
    checkpoints.push({ phase, lastReportMs: c.pool.get(goodId)!.lastReportMs });
  };
  /** Starts a phase: its name goes with the samples taken during it. */
  const begin = (name: string) => {
    phase = name;
    return mark();
  };
  await checkpoint('setup');

  /** Codes that are never a proper answer to bad input: no answer, a crash inside a handler, a dropped connection. */
  const judge = (label: string, o: Outcome, opts: { decodable: boolean; oversize: boolean; allow?: readonly string[] }) => {
    const deserialize = o.code === 'INTERNAL' && /deserializ/i.test(o.details);
    if (o.code === 'HANG' || o.code === 'TEST-BUG') tally.problem(`${label}: ${o.code} (${o.details})`);
    else if (o.code === 'INTERNAL' && !deserialize) tally.problem(`${label}: INTERNAL ${o.details}`);
    else if (['UNKNOWN', 'UNAVAILABLE', 'DATA_LOSS', 'CANCELLED', 'UNAUTHENTICATED'].includes(o.code) || (o.code === 'DEADLINE_EXCEEDED' && !opts.allow?.includes('DEADLINE_EXCEEDED'))) {
      tally.problem(`${label}: ${o.code} ${o.details}`);
    }
    // The peer's decoder and ours agree: what protobufjs cannot read is refused as undecodable, what it
    // can read is never called undecodable (so the content checks behind it were reached).
    if (opts.oversize) {
      if (o.code !== 'RESOURCE_EXHAUSTED') tally.problem(`${label}: oversize message answered ${o.code} ${o.details}`);
    } else if (!opts.decodable && !deserialize) tally.problem(`${label}: undecodable message answered ${o.code} ${o.details}`);
    else if (opts.decodable && deserialize) tally.problem(`${label}: decodable message refused as undecodable`);
  };
  const codeOf = (o: Outcome) => (o.code === 'INTERNAL' && /deserializ/i.test(o.details) ? 'INTERNAL(decode)' : o.code);

  // ---------------------------------------------------------------------------------------------
  // (a) AgentService/Connect messages: every AgentMessage body, on sessions of certified nodes
  // ---------------------------------------------------------------------------------------------

  const container = (i: number) => ({
    container_id: `c${i}`.padEnd(64, '0'),
    name: `fuzz-web-${i}`,
    image: 'nginx:1.27',
    state: 'running',
    cpu_percent: 1.5,
    memory_bytes: 1024 * 1024 * 20,
    memory_limit_bytes: 1024 * 1024 * 512,
    labels: { 'io.baton.stack': 'fuzz', 'io.baton.service': 'web', 'io.baton.replica': String(i), 'io.baton.allocation': `fuzz-alloc-${i}` },
    exit_code: 0,
    started_at_ms: Date.now() - 60_000,
    restart_count: 0,
    health: 'healthy',
    health_output: 'ok',
    ip_address: `172.17.0.${i + 2}`,
    ports: [{ target: 80, host_port: 30_000 + i, protocol: 'tcp' }],
  });
  const helloBytes = (nodeId: string) =>
    F.encode('AgentMessage', {
      hello: {
        node_id: nodeId,
        name: nodeId,
        address: '127.0.0.1',
        capacity: { cpu_millis: 4000, memory_bytes: 8 * 1024 ** 3, disk_bytes: 100 * 1024 ** 3 },
        labels: { zone: 'fuzz', 'rack.id': '7' },
        agent_version: 'fuzz',
        docker_version: '27.0.0',
        containers: [container(0), container(1)],
        join_token: '',
        protocol: PROTOCOL_VERSION,
      },
    });
  const agentBody = (body: string, sessionId: string, commandId: string, i: number): Buffer => {
    switch (body) {
      case 'report':
        return F.encode('AgentMessage', {
          report: {
            session_id: sessionId,
            seq: i + 1,
            sent_at_ms: Date.now(),
            host: { cpu_percent: 12.5, load1: 0.5, load5: 0.4, load15: 0.3, memory_used_bytes: 1024 ** 3, memory_total_bytes: 8 * 1024 ** 3, disk_used_bytes: 10 * 1024 ** 3, disk_total_bytes: 100 * 1024 ** 3, net_rx_bytes_per_sec: 100, net_tx_bytes_per_sec: 200 },
            docker_up: true,
            docker_error: '',
            containers: [container(0), container(1)],
            ingress: {
              applied_version: 3,
              ports: [{ stack: 'fuzz', service: 'web', published: 8080, protocol: 'tcp', state: 'serving', error: '' }],
              counters: [{ stack: 'fuzz', service: 'web', connections: 10, bytes: 1000, failed_forwards: 0 }],
              connections: [{ allocation_id: 'fuzz-alloc-0', active: 2 }],
              error: '',
            },
            volumes: { volumes: [{ name: 'fuzz_data', stack: 'fuzz', key: 'data', driver: 'local', created_at_ms: Date.now(), in_use: true }] },
          },
        });
      case 'goodbye':
        return F.encode('AgentMessage', { goodbye: { reason: 'fuzz' } });
      case 'ack':
        return F.encode('AgentMessage', {
          ack: { command_id: commandId, ok: i % 2 === 0, error: i % 2 === 0 ? '' : 'no engine', ...(i % 3 === 0 ? { volumes: { removed: ['fuzz_data'], refused: [{ name: 'fuzz_logs', error: 'volume is in use' }] } } : {}) },
        });
      case 'container_event':
        return F.encode('AgentMessage', {
          container_event: { allocation_id: `fuzz-alloc-${i % 3}`, state: 'failed', container_id: 'c0'.padEnd(64, '0'), exit_code: 137, error: 'killed', at_ms: Date.now(), restarts: 2, health: 'unhealthy', health_output: 'timeout' },
        });
      case 'log_chunk':
        return F.encode('AgentMessage', { log_chunk: { stream_id: `fuzz-stream-${i % 5}`, data: Buffer.from('line one\nline two\n'), eof: i % 4 === 0, error: '', stream: 'stdout' } });
      default:
        throw new Error(body);
    }
  };

  const CONNECT_BODIES = ['hello', 'report', 'goodbye', 'ack', 'container_event', 'log_chunk'] as const;
  const PER_BODY = 500;
  const connectJobs = CONNECT_BODIES.flatMap((body) => Array.from({ length: PER_BODY }, (_, i) => ({ body, i })));
  const shuffle = <T>(xs: T[], r: InstanceType<typeof F.Rand>) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };

  // ---------------------------------------------------------------------------------------------
  // (a) ControlService and JoinService: every request type
  // ---------------------------------------------------------------------------------------------

  const compose = `name: fuzz
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    environment:
      A: "1"
    healthcheck:
      test: ["CMD", "true"]
      interval: 5s
    deploy:
      replicas: 2
      resources:
        limits: { cpus: "0.5", memory: 64M }
  db:
    image: postgres:16
    depends_on: [web]
`;

  const ref = { service: 'fuzz/web' };
  const storable = (q: Record<string, unknown>) => {
    const size = (q.data as Buffer | undefined)?.length ?? 0;
    return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(String(q.name ?? '')) && size > 0 && size <= 500 * 1024;
  };
  /** Per method: the base request, and whether a decoded mutation is safe to send as admin (else: as viewer, refused). */
  const CONTROL: Record<string, { base: Record<string, unknown>; adminIf?: (req: Record<string, unknown>) => boolean; follows?: boolean }> = {
    ListNodes: { base: { container_counts_only: true } },
    GetNode: { base: { node: 'good' } },
    WatchEvents: { base: { since_seq: 0, replay: true }, follows: true },
    ListEvents: { base: { limit: 5 } },
    Plan: { base: { compose_yaml: compose, file_name: 'fuzz.yaml', stack: 'fuzz', env: { TAG: '1' } } },
    // A decoded Deploy could store a stack: only undecodable ones go as admin.
    Deploy: { base: { compose_yaml: compose, file_name: 'fuzz.yaml', stack: 'fuzz', env: { TAG: '1' } }, adminIf: () => false },
    // No stack exists: a Scale, Remove or Rollback has nothing it could change.
    Scale: { base: { service: 'fuzz/web', replicas: '+2' }, adminIf: () => true },
    // With volumes, a Remove of a stack that does not exist may still schedule a removal of its volumes: as viewer then.
    Remove: { base: { stack: 'fuzz', service: 'web' }, adminIf: (q) => q.volumes !== true },
    ListServices: { base: {} },
    ListReplicas: { base: { service: 'fuzz/web' } },
    Logs: { base: { service: 'fuzz/web', replica: 1, follow: false, tail: 10 }, follows: true },
    RolloutStatus: { base: ref },
    Rollback: { base: ref, adminIf: () => true },
    History: { base: ref },
    ListEndpoints: { base: ref },
    AutoscaleStatus: { base: ref },
    GetJoinToken: { base: { rotate: false }, adminIf: (q) => q.rotate !== true },
    CreateCredential: {
      base: { name: 'fuzz-made', role: 'viewer', ttl_ms: 60_000 },
      // As admin only when the server's own rules refuse it (name, role, lifetime).
      adminIf: (q) => !(/^[a-z0-9][a-z0-9._-]{0,62}$/.test(String(q.name)) && (q.role === 'admin' || q.role === 'viewer') && Number(q.ttl_ms) >= 0 && Number.isSafeInteger(Number(q.ttl_ms))),
    },
    // As admin when there is nothing of that name to revoke or remove.
    RevokeCredential: { base: { name: 'fuzz-nobody' }, adminIf: (q) => !Object.hasOwn(c.store.state.identities, `operator/${String(q.name)}`) },
    RemoveNode: { base: { node: 'fuzz-nowhere', force: false }, adminIf: (q) => !q.node || c.pool.get(String(q.node)) === undefined },
    SetNodeSchedule: { base: { node: 'fuzz-nowhere', action: 'cordon', deadline_ms: 0 }, adminIf: (q) => !q.node || c.pool.get(String(q.node)) === undefined },
    LabelNode: { base: { node: 'fuzz-nowhere', set: { zone: 'a' }, remove: [] }, adminIf: (q) => !q.node || c.pool.get(String(q.node)) === undefined },
    WhoAmI: { base: {} },
    // As admin only when the server's own rules refuse it (name, size), or nothing of that name exists.
    CreateSecret: { base: { name: 'fuzz-secret', data: Buffer.from('x') }, adminIf: (q) => !storable(q) },
    ListSecrets: { base: {} },
    RemoveSecret: { base: { name: 'fuzz-nothing' }, adminIf: (q) => !Object.hasOwn(c.store.state.secrets, String(q.name)) },
    CreateConfig: { base: { name: 'fuzz-config', data: Buffer.from('x') }, adminIf: (q) => !storable(q) },
    ListConfigs: { base: {} },
    RemoveConfig: { base: { name: 'fuzz-nothing' }, adminIf: (q) => !Object.hasOwn(c.store.state.configs, String(q.name)) },
    InspectConfig: { base: { name: 'fuzz-nothing' } },
    ListVolumes: { base: { node: 'good', stack: 'fuzz' } },
    // Usage insight: read only (a bad `by` is refused with INVALID_ARGUMENT).
    Top: { base: { by: 'tenant' } },
    Usage: { base: { since_ms: 3_600_000, by: 'service', hints: true } },
    // A dry run changes nothing, and with no stack (Deploy never goes as admin) there is nothing to move.
    Rebalance: { base: { stack: '', strategy: 'binpack', dry_run: true }, adminIf: (q) => q.dry_run === true || Object.keys(c.store.state.stacks).length === 0 },
    RebalanceStatus: { base: { id: '' } },
  };
  const control = F.service('ControlService');
  t.test('every ControlService method covered', async (t) => {
    t.same(Object.keys(CONTROL).sort(), control.methodsArray.map((m) => m.name).sort());
  });

  const PER_METHOD = 200;
  t.test('ControlService: mutated requests of every method (admin where nothing can change, viewer otherwise)', async (t) => {
    const t0 = begin('ControlService');
    const jobs = shuffle(control.methodsArray.flatMap((m) => Array.from({ length: PER_METHOD }, (_, i) => ({ m, i }))), rand);
    const one = async ({ m, i }: (typeof jobs)[number]) => {
      const r = F.Rand.of(seed, m.name, i);
      const spec = CONTROL[m.name]!;
      const reqType = m.resolvedRequestType!.name;
      const base = F.encode(reqType, spec.base);
      const mut = i < 2 ? F.mutateBytes(r, base, 'oversize') : F.mutate(r, reqType, base);
      const decoded = F.decode(reqType, mut.bytes);
      const oversize = mut.bytes.length > MAX_MESSAGE_BYTES;
      // Undecodable or oversize requests are refused before any handler: safe as admin.
      const asAdmin = !decoded || oversize || !spec.adminIf || spec.adminIf(decoded);
      const path = `/baton.v1.ControlService/${m.name}`;
      const out = m.responseStream
        ? await F.rawServerStream(asAdmin ? (spec.follows ? followClient : adminClient) : viewerClient, path, mut.bytes, spec.follows ? 4000 : 15_000, !!spec.follows)
        : await F.rawUnary(asAdmin ? adminClient : viewerClient, path, mut.bytes, 15_000);
      const label = `${m.name} #${i} (${mut.kind}, ${asAdmin ? 'admin' : 'viewer'})`;
      if (!asAdmin) {
        if (out.code !== 'PERMISSION_DENIED') tally.problem(`${label}: a viewer's ${m.name} answered ${out.code} ${out.details}`);
      } else judge(label, out, { decodable: !!decoded, oversize, allow: spec.follows ? ['DEADLINE_EXCEEDED'] : [] });
      tally.add(`ControlService/${m.name}${asAdmin ? '' : ' (viewer)'}`, codeOf(out));
    };
    // A following call (WatchEvents with nothing new, Logs with follow) waits out its deadline: many
    // at once, on a connection of their own (the other calls' megabytes share one HTTP/2 window and
    // would hold a following call's request back past its short deadline).
    const follows = (j: (typeof jobs)[number]) => !!CONTROL[j.m.name]!.follows;
    await Promise.all([F.inLanes(8, jobs.filter((j) => !follows(j)), one), F.inLanes(128, jobs.filter(follows), one)]);
    t.comment(`${jobs.length} ControlService requests in ${took(t0)}`);
    await checkpoint('ControlService');
  });

  const PER_JOIN = 200;
  t.test('JoinService: mutated GetClusterCA, Join and Renew requests', async (t) => {
    const t0 = begin('JoinService');
    const joinBases = [
      F.encode('JoinRequest', { secret, node_id: 'fuzz-joiner', csr_pem: csr }),
      F.encode('JoinRequest', { secret: secret.replace(/./, (ch) => (ch === 'A' ? 'B' : 'A')), node_id: 'fuzz-joiner', csr_pem: csr }),
    ];
    const jobs = shuffle(
      [
        ...Array.from({ length: PER_JOIN }, (_, i) => ({ method: 'GetClusterCA', type: 'GetClusterCARequest', i, base: () => F.encode('GetClusterCARequest', {}), cl: () => anonymousClient })),
        ...Array.from({ length: PER_JOIN }, (_, i) => ({ method: 'Join', type: 'JoinRequest', i, base: () => joinBases[i % 2]!, cl: () => anonymousClient })),
        ...Array.from({ length: PER_JOIN }, (_, i) => ({ method: 'Renew', type: 'RenewRequest', i, base: () => F.encode('RenewRequest', { csr_pem: csr }), cl: () => nodeClients[i % LANES]! })),
      ],
      rand,
    );
    await F.inLanes(6, jobs, async ({ method, type, i, base, cl }) => {
      const b = base();
      const r = F.Rand.of(seed, method, i);
      // An empty request has no field to mutate: its mutations are bytes.
      const mut = i < 2 ? F.mutateBytes(r, b, 'oversize') : b.length ? F.mutate(r, type, b) : F.mutateBytes(r, b);
      const out = await F.rawUnary(cl(), `/baton.v1.JoinService/${method}`, mut.bytes, 15_000);
      const decodable = F.decodes(type, mut.bytes);
      judge(`${method} #${i} (${mut.kind})`, out, { decodable, oversize: mut.bytes.length > MAX_MESSAGE_BYTES });
      if (out.code === 'OK' && method !== 'GetClusterCA') tally.problem(`${method} #${i} (${mut.kind}): issued a certificate for a request with a broken signature`);
      tally.add(`JoinService/${method}`, codeOf(out));
    });
    t.comment(`${jobs.length} JoinService requests in ${took(t0)}`);
    await checkpoint('JoinService');
  });

  // ---------------------------------------------------------------------------------------------
  // (a) gRPC framing over HTTP/2 (what a gRPC client library never sends) and compressed bombs
  // ---------------------------------------------------------------------------------------------

  t.test('gRPC framing: bad frames, compression flags and bombs on a node connection', async (t) => {
    const t0 = begin('framing');
    const r = rand.fork();
    const n0 = nodes[0]!.tls;
    const session = http2.connect(`https://${target}`, { ca: n0.caPem, cert: n0.certPem, key: n0.keyPem, servername: COORDINATOR_TLS_NAME });
    const adminSession = http2.connect(`https://${target}`, { ca: admin.pem.ca, cert: admin.pem.cert, key: admin.pem.key, servername: COORDINATOR_TLS_NAME });
    for (const s of [session, adminSession]) s.on('error', () => {});
    t.teardown(() => {
      session.close();
      adminSession.close();
    });
    const frame = (flag: number, payload: Buffer, declared = payload.length) => {
      const h = Buffer.alloc(5);
      h.writeUInt8(flag, 0);
      h.writeUInt32BE(declared >>> 0, 1);
      return Buffer.concat([h, payload]);
    };
    // Each path gets its own valid request inside the broken framing.
    const payloads: Record<string, Buffer> = {
      '/baton.v1.AgentService/Connect': helloBytes(nodeIds[0]!),
      '/baton.v1.ControlService/GetNode': F.encode('GetNodeRequest', { node: 'good' }),
      '/baton.v1.JoinService/Renew': F.encode('RenewRequest', { csr_pem: csr }),
    };
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const cases: { name: string; headers?: Record<string, string>; body: (p: Buffer) => Buffer }[] = [
      { name: 'compressed flag, no encoding', body: (p) => frame(1, p) },
      { name: 'unknown encoding', headers: { 'grpc-encoding': 'snappy' }, body: (p) => frame(1, p) },
      { name: 'gzip bomb (64 MiB of zeros)', headers: { 'grpc-encoding': 'gzip' }, body: () => frame(1, bomb) },
      { name: 'not gzip', headers: { 'grpc-encoding': 'gzip' }, body: () => frame(1, r.bytes(r.range(1, 300))) },
      { name: 'gzip of garbage', headers: { 'grpc-encoding': 'gzip' }, body: () => frame(1, gzipSync(r.bytes(r.range(1, 300)))) },
      { name: 'flag byte out of range', body: (p) => frame(r.range(2, 255), p) },
      { name: 'declared length beyond the limit', body: (p) => frame(0, p, MAX_MESSAGE_BYTES + r.range(1, 1 << 20)) },
      { name: 'declared length 2^32-1', body: (p) => frame(0, p, 0xffffffff) },
      { name: 'declared length longer than sent', body: (p) => frame(0, p, p.length + r.range(1, 1000)) },
      { name: 'truncated header', body: (p) => frame(0, p).subarray(0, r.range(1, 4)) },
      { name: 'trailing partial frame', body: (p) => Buffer.concat([frame(0, p), Buffer.from([0, 0, 0])]) },
      { name: 'random bytes', body: () => r.bytes(r.range(1, 2000)) },
    ];
    let n = 0;
    for (let round = 0; round < 5; round++) {
      for (const cs of cases) {
        for (const [path, payload] of Object.entries(payloads)) {
          const body = cs.body(payload);
          const res = await new Promise<{ grpcStatus?: string; httpStatus?: number; details?: string; reset?: boolean }>((resolve) => {
            const req = (path.includes('ControlService') ? adminSession : session).request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...cs.headers });
            let httpStatus: number | undefined;
            let grpcStatus: string | undefined;
            let details: string | undefined;
            const timer = setTimeout(() => {
              req.close();
              resolve({ httpStatus, details: 'HANG' });
            }, 15_000);
            req.on('response', (h) => {
              httpStatus = Number(h[':status']);
              if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
            });
            req.on('trailers', (h) => {
              if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
              details = String(h['grpc-message'] ?? '');
            });
            req.on('data', () => {});
            req.on('error', () => {});
            req.on('close', () => {
              clearTimeout(timer);
              resolve({ grpcStatus, httpStatus, details, reset: req.rstCode !== undefined && req.rstCode !== 0 });
            });
            req.end(body);
          });
          n++;
          const code = res.grpcStatus !== undefined ? (grpc.status[Number(res.grpcStatus)] ?? res.grpcStatus) : res.details === 'HANG' ? 'HANG' : res.reset ? 'RST_STREAM' : `HTTP ${res.httpStatus}`;
          // Half-closed with a whole valid message and more: some of these are fine requests.
          if (code === 'HANG' || code === 'UNKNOWN' || code.startsWith('HTTP') || code === 'RST_STREAM') tally.problem(`framing ${cs.name} on ${path}: ${code} ${res.details ?? ''}`);
          tally.add(`HTTP/2 framing ${cs.name}`, code);
        }
      }
    }
    t.comment(`${n} raw HTTP/2 requests in ${took(t0)}`);
    // Compression through grpc-js itself: 6 MiB that gzip to a few KiB are refused once inflated.
    const gz = client(nodes[1]!.credentials, { 'grpc.default_compression_algorithm': 2 });
    const gzAdmin = client(admin.credentials, { 'grpc.default_compression_algorithm': 2 });
    for (let i = 0; i < 10; i++) {
      // A valid request and one 6 MiB unknown field (number 2000, length-delimited) of zeros.
      const pad = Buffer.concat([Buffer.from([0x82, 0x7d, 0x80, 0x80, 0x80, 0x03]), Buffer.alloc(6 * 1024 * 1024)]);
      const a = await F.rawUnary(gzAdmin, '/baton.v1.ControlService/GetNode', Buffer.concat([F.encode('GetNodeRequest', { node: 'good' }), pad]), 15_000);
      const b = await F.rawConnect(gz, { fuzz: () => Buffer.concat([helloBytes(nodeIds[1]!), pad]), deadlineMs: 15_000 });
      for (const o of [a, b]) {
        if (o.code !== 'RESOURCE_EXHAUSTED') tally.problem(`compressed 6 MiB: ${o.code} ${o.details}`);
        tally.add('compressed 6 MiB (inflates past 4 MiB)', o.code);
      }
    }
    await checkpoint('framing');
  });

  // ---------------------------------------------------------------------------------------------
  // (a) TLS: garbage, broken handshakes, certificates from elsewhere and expired ones
  // ---------------------------------------------------------------------------------------------

  t.test('TLS: garbage, mutated ClientHellos, foreign and expired certificates', async (t) => {
    const t0 = begin('TLS');
    const r = rand.fork();
    // A real ClientHello, as Node sends it to this server name.
    const clientHello = await new Promise<Buffer>((resolve) => {
      const srv = net.createServer((s) => s.once('data', (d) => {
        resolve(d);
        s.destroy();
        srv.close();
      }));
      srv.listen(0, '127.0.0.1', () => {
        const a = srv.address() as import('node:net').AddressInfo;
        tls.connect({ host: '127.0.0.1', port: a.port, servername: COORDINATOR_TLS_NAME, ALPNProtocols: ['h2'], rejectUnauthorized: false }).on('error', () => {});
      });
    });
    /**
     * Writes bytes on a fresh TCP connection: the server must close it. A record cut short (a
     * truncated or re-lengthed ClientHello) leaves the server rightly waiting for its rest: then the
     * test's end of stream must close it.
     */
    const rawTcp = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        const s = net.connect(c.address.port, '127.0.0.1');
        let outcome = 'CLOSED';
        const halfClose = setTimeout(() => {
          outcome = 'CLOSED AFTER EOF';
          s.end();
        }, 500);
        const timer = setTimeout(() => {
          s.destroy();
          outcome = 'HANG';
        }, 10_000);
        s.on('connect', () => s.write(bytes));
        s.on('data', () => {});
        s.on('error', () => {});
        s.on('close', () => {
          clearTimeout(timer);
          clearTimeout(halfClose);
          resolve(outcome);
        });
      });
    const tcpCases: [string, () => Buffer][] = [
      ['TCP garbage', () => r.bytes(r.range(1, 4096))],
      ['HTTP/1.1 request', () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
      ['HTTP/2 preface in plaintext', () => Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')],
      ['ClientHello + garbage', () => Buffer.concat([clientHello, r.bytes(r.range(1, 2048))])],
      ['mutated ClientHello', () => F.mutateBytes(r, clientHello, r.pick(['bitflip', 'bytes', 'truncate', 'duplicate', 'delete'] as const)).bytes],
    ];
    for (const [name, make] of tcpCases) {
      await Promise.all(
        Array.from({ length: 14 }, async (_, i) => {
          const o = await rawTcp(make());
          if (o === 'HANG') tally.problem(`${name} #${i}: the server kept the connection open`);
          tally.add(`TLS ${name}`, o);
        }),
      );
    }
    // A full handshake, then bytes that are not HTTP/2.
    for (let i = 0; i < 10; i++) {
      const o = await new Promise<string>((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port: c.address.port, servername: COORDINATOR_TLS_NAME, ca: caPem, ALPNProtocols: ['h2'] });
        const timer = setTimeout(() => {
          s.destroy();
          resolve('HANG');
        }, 15_000);
        s.on('secureConnect', () => s.write(r.bytes(r.range(24, 2048))));
        s.on('data', () => {});
        s.on('error', () => {});
        s.on('close', () => {
          clearTimeout(timer);
          resolve('CLOSED');
        });
      });
      if (o === 'HANG') tally.problem(`handshake + garbage #${i}: the server kept the connection open`);
      tally.add('TLS handshake + non-HTTP/2 bytes', o);
    }
    // Certificates the cluster does not accept: anonymous at best, so UNAUTHENTICATED but for public calls.
    const now = Date.now();
    const foreign = await createCertificateAuthority(now);
    const certs: [string, { certPem: string; keyPem: string }][] = [
      ['foreign CA, admin', await issueClientCertificate(foreign, 'admin', 'admin', now, 3_600_000)],
      ['foreign CA, node named like the good one', await issueClientCertificate(foreign, goodId, 'node', now, 3_600_000)],
      ['cluster CA, expired', await issueClientCertificate(c.authority!.ca, 'admin', 'admin', now - 2 * 86_400_000, 60_000)],
      ['cluster CA, never listed', await issueClientCertificate(c.authority!.ca, 'fuzz', 'admin', now, 3_600_000)],
    ];
    for (const [name, cert] of certs) {
      const cl = client(grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(cert.keyPem), Buffer.from(cert.certPem)));
      const calls: [string, () => Promise<Outcome>, string][] = [
        ['ListNodes', () => F.rawServerStream(cl, '/baton.v1.ControlService/ListNodes', Buffer.alloc(0), 10_000, false), 'UNAUTHENTICATED'],
        ['Deploy', () => F.rawUnary(cl, '/baton.v1.ControlService/Deploy', F.encode('DeployRequest', { compose_yaml: compose }), 10_000), 'UNAUTHENTICATED'],
        ['RemoveNode', () => F.rawUnary(cl, '/baton.v1.ControlService/RemoveNode', F.encode('RemoveNodeRequest', { node: 'good', force: true }), 10_000), 'UNAUTHENTICATED'],
        ['Connect', () => F.rawConnect(cl, { fuzz: () => helloBytes(goodId), deadlineMs: 10_000 }), 'UNAUTHENTICATED'],
        ['Renew', () => F.rawUnary(cl, '/baton.v1.JoinService/Renew', F.encode('RenewRequest', { csr_pem: csr }), 10_000), 'UNAUTHENTICATED'],
        ['GetClusterCA', () => F.rawUnary(cl, '/baton.v1.JoinService/GetClusterCA', Buffer.alloc(0), 10_000), name.includes('never listed') ? 'UNAUTHENTICATED' : 'OK'],
      ];
      for (const [method, call, want] of calls) {
        const o = await call();
        if (o.code !== want) tally.problem(`${name} -> ${method}: ${o.code} ${o.details} (expected ${want})`);
        tally.add(`TLS cert: ${name}`, o.code);
      }
    }
    t.comment(`TLS attempts in ${took(t0)}`);
    await checkpoint('TLS');
  });

  // ---------------------------------------------------------------------------------------------
  // (a) AgentService/Connect, run after the ControlService phase: each session adds node events,
  // and WatchEvents replays them all to every follower.
  // ---------------------------------------------------------------------------------------------

  t.test('AgentService/Connect: mutated AgentMessages of every body on certified sessions', async (t) => {
    const t0 = begin('Connect');
    await F.inLanes(LANES, shuffle(connectJobs, rand), async ({ body, i }, lane) => {
      const r = F.Rand.of(seed, 'connect', body, i);
      const nodeId = nodeIds[lane]!;
      // The first two of each body are over the size limit; the rest are mutations.
      let m: { bytes: Buffer; kind: string } = { bytes: Buffer.alloc(0), kind: '' };
      const make = (base: Buffer) => (m = i < 2 ? F.mutateBytes(r, base, 'oversize') : F.mutate(r, 'AgentMessage', base));
      const out =
        body === 'hello'
          ? await F.rawConnect(nodeClients[lane]!, { fuzz: () => make(helloBytes(nodeId)).bytes, deadlineMs: 20_000 })
          : await F.rawConnect(nodeClients[lane]!, {
              hello: helloBytes(nodeId),
              deadlineMs: 20_000,
              fuzz: (answers) => {
                const first = F.decode('CoordinatorMessage', answers[0]!) as { body?: string; welcome?: { session_id: string } } | undefined;
                const sessionId = first?.body === 'welcome' ? first.welcome!.session_id : 'no-welcome';
                if (sessionId === 'no-welcome') tally.problem(`connect ${body}: no welcome to a valid hello`);
                const cmd = answers.slice(1).map((a) => F.decode('CoordinatorMessage', a) as { command?: { command_id: string } } | undefined).find((x) => x?.command);
                return make(agentBody(body, sessionId, cmd?.command?.command_id ?? 'fuzz-command', i)).bytes;
              },
            });
      const label = `connect ${body} #${i} (${m.kind})`;
      if (!out.sent) {
        tally.problem(`${label}: the valid hello was refused: ${out.code} ${out.details}`);
        return;
      }
      judge(label, out, { decodable: F.decodes('AgentMessage', m.bytes), oversize: m.bytes.length > MAX_MESSAGE_BYTES });
      tally.add(`AgentService/Connect ${body}`, codeOf(out));
    });
    t.comment(`${connectJobs.length} Connect messages in ${took(t0)}`);
    t.ok(CONNECT_BODIES.every((b) => tally.count(`AgentService/Connect ${b}`) === PER_BODY), `${PER_BODY} messages of each body answered`);
    await checkpoint('Connect');
  });

  // ---------------------------------------------------------------------------------------------
  // (b) An agent's side of the stream: a real Agent against a coordinator that sends mutated messages
  // ---------------------------------------------------------------------------------------------

  t.test('Agent: mutated CoordinatorMessages of every body and command', async (t) => {
    const t0 = begin('agent');
    const r = rand.fork();
    const AGENT_MESSAGES = 3000;
    let budget = AGENT_MESSAGES;
    let fuzzing = true;
    const stats = { sessions: 0, reports: 0, reportsAfter: 0, acks: 0, acksOk: 0, events: 0, logChunks: 0 };
    let agentNodeId = '';
    const waiting = new Map<string, () => void>();
    let seq = 0;

    const command = (kind: string, id: string): Record<string, unknown> => {
      switch (kind) {
        case 'start':
          return {
            start: {
              allocation_id: `fz-alloc-${Number(id) % 8}`,
              generation: 3,
              stack: 'fuzz',
              service: 'web',
              replica: 1,
              image: 'nginx:1.27',
              command: { args: ['nginx', '-g', 'daemon off;'] },
              entrypoint: { args: [] },
              environment: { A: '1', PATH: '/usr/bin' },
              ports: [{ target: 80, published: 18_080, protocol: 'tcp', host_ip: '127.0.0.1' }, { target: 53, protocol: 'udp' }],
              labels: { 'com.example': 'x' },
              cpu_limit_millis: 500,
              memory_limit_bytes: 64 * 1024 * 1024,
              restart_policy: { condition: 'on_failure', delay_ms: 60_000, max_attempts: 1, window_ms: 60_000 },
              healthcheck: { test: [], interval_ms: 5000, timeout_ms: 1000, retries: 3, start_period_ms: 0, disable: false, http: { port: 80, path: '/healthz', status_min: 200, status_max: 399 } },
              stop_grace_ms: 1000,
              extra_hosts: { db: '10.96.0.3', web: '10.96.0.2' },
            },
          };
        case 'stop':
          return { stop: { allocation_id: `fz-alloc-${Number(id) % 8}`, remove: true, stop_grace_ms: 100, reason: 'fuzz' } };
        case 'logs':
          return { logs: { allocation_id: `fz-alloc-${Number(id) % 8}`, follow: true, tail: 10, stream_id: `fz-logs-${id}`, cancel: false } };
        case 'reconcile':
          return { reconcile: { allocation_ids: ['fz-alloc-1', 'fz-alloc-2'] } };
        case 'endpoints':
          return {
            endpoints: {
              version: 7,
              services: [
                {
                  stack: 'fuzz',
                  service: 'web',
                  vip: '10.96.0.2',
                  target_ports: [{ port: 80, protocol: 'tcp' }],
                  published: [{ published: 18_080, target: 80, protocol: 'tcp' }],
                  excluded: false,
                  prefer_local: true,
                  endpoints: [
                    { allocation_id: 'fz-alloc-1', node_id: agentNodeId || 'x', node_address: '127.0.0.1', container_ip: '172.17.0.2', ports: [{ target: 80, host_port: 30_080, protocol: 'tcp' }], replica: 1 },
                    { allocation_id: 'fz-alloc-2', node_id: 'elsewhere', node_address: '10.0.0.9', container_ip: '', ports: [{ target: 80, host_port: 30_081, protocol: 'tcp' }], replica: 2 },
                  ],
                },
              ],
            },
          };
        default:
          throw new Error(kind);
      }
    };
    // Endpoint sets the agent accepts are applied with nft (a process each, and a counters read):
    // fewer of them, and one version throughout, so within a session only the first (or a mutated
    // newer one) is applied while every one is checked.
    const BODIES = ['welcome', 'session_end', 'command:start', 'command:start', 'command:stop', 'command:stop', 'command:logs', 'command:logs', 'command:reconcile', 'command:endpoints'] as const;
    const welcome = (nodeId: string) => ({ welcome: { session_id: `fz-session-${stats.sessions}`, heartbeat_interval_ms: 100, coordinator_version: 'fuzz', node_id: nodeId } });
    const coordinatorBase = (body: string, id: string): Buffer => {
      if (body === 'welcome') return F.encode('CoordinatorMessage', welcome(agentNodeId));
      if (body === 'session_end') return F.encode('CoordinatorMessage', { session_end: { reason: 'fuzz' } });
      return F.encode('CoordinatorMessage', { command: { command_id: `fz-${id}`, ...command(body.slice('command:'.length), id) } });
    };
    // The barrier: a command the agent answers at once, sent after each mutated message. Its ack
    // means everything before it was read and handled; the session ending instead means the agent
    // refused what came before it.
    const barrier = (id: string) => F.encode('CoordinatorMessage', { command: { command_id: `barrier-${id}`, logs: { stream_id: `barrier-${id}`, cancel: true, allocation_id: '', follow: false, tail: 0 } } });

    const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
    const def = {
      Connect: { path: '/baton.v1.AgentService/Connect', requestStream: true, responseStream: true, requestSerialize: F.raw, requestDeserialize: F.raw, responseSerialize: F.raw, responseDeserialize: F.raw, originalName: 'Connect' },
    } as unknown as import('@grpc/grpc-js').ServiceDefinition;
    server.addService(def, {
      Connect(call: import('@grpc/grpc-js').ServerDuplexStream<Buffer, Buffer>) {
        let closed = false;
        let onClose: () => void = () => {};
        const closedP = new Promise<'closed'>((res) => (onClose = () => res('closed')));
        const close = () => {
          closed = true;
          onClose();
        };
        call.on('cancelled', close);
        call.on('error', close);
        call.on('close', close);
        call.on('finish', close);
        call.on('end', () => {
          close();
          call.end();
        });
        call.on('data', (b: Buffer) => {
          const m = F.decode('AgentMessage', b) as { body?: string; hello?: { node_id: string }; ack?: { command_id: string; ok: boolean } } | undefined;
          if (!m) {
            tally.problem('the agent sent bytes that do not decode');
            return;
          }
          if (m.body === 'hello') {
            stats.sessions++;
            agentNodeId = m.hello!.node_id;
            void drive(call, () => closed, closedP);
          } else if (m.body === 'report') {
            stats.reports++;
            if (!fuzzing) stats.reportsAfter++;
          } else if (m.body === 'ack') {
            stats.acks++;
            if (m.ack!.ok) stats.acksOk++;
            waiting.get(m.ack!.command_id)?.();
          } else if (m.body === 'container_event') stats.events++;
          else if (m.body === 'log_chunk') stats.logChunks++;
        });
      },
    });
    const port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? rej(err) : res(p))));
    t.teardown(() => server.forceShutdown());

    type Sent = { id: string; body: string; kind: string; bytes: Buffer; decodable: boolean };
    const nextMessage = (): Sent => {
      budget--;
      const id = String(++seq);
      const r = F.Rand.of(seed, 'agent', id);
      const body = r.pick(BODIES);
      const base = coordinatorBase(body, id);
      // Mostly field-level here: valid protobuf reaches the worker's checks (a decode error only ends the session).
      const m = seq % 150 === 0 ? F.mutateBytes(r, base, 'oversize') : r.chance(0.7) ? { bytes: F.mutateFields(r, 'CoordinatorMessage', base), kind: 'field' } : F.mutateBytes(r, base);
      return { id, body, kind: m.kind, bytes: m.bytes, decodable: F.decodes('CoordinatorMessage', m.bytes) && m.bytes.length <= MAX_MESSAGE_BYTES };
    };
    let held: Sent | undefined;
    let judged = 0;

    /**
     * One session: a welcome, then rounds of mutated messages each followed by a barrier. A round is
     * one message the agent cannot decode (its session must end), or up to eight it can (each must
     * be handled: the barrier's ack comes back).
     */
    async function drive(call: import('@grpc/grpc-js').ServerDuplexStream<Buffer, Buffer>, isClosed: () => boolean, closedP: Promise<'closed'>) {
      let welcomed = false;
      while (!isClosed()) {
        if (!fuzzing || (budget <= 0 && !held)) {
          if (!welcomed) call.write(F.encode('CoordinatorMessage', welcome(agentNodeId)));
          return;
        }
        const round: Sent[] = [];
        while (round.length < 8 && (held || budget > 0)) {
          const m = held ?? nextMessage();
          held = undefined;
          if (!m.decodable && round.length) {
            held = m;
            break;
          }
          round.push(m);
          if (!m.decodable) break;
        }
        // Sometimes a mutated message comes before the welcome (the agent must not act on a command yet).
        const early = !welcomed && r.chance(0.3) ? round[0]! : undefined;
        if (early) call.write(early.bytes);
        if (!welcomed) call.write(F.encode('CoordinatorMessage', welcome(agentNodeId)));
        welcomed = true;
        for (const m of round) if (m !== early) call.write(m.bytes);
        const id = round[0]!.id;
        call.write(barrier(id));
        let timer: NodeJS.Timeout | undefined;
        const verdict = await Promise.race([
          new Promise<'acked'>((res) => waiting.set(`barrier-${id}`, () => res('acked'))),
          closedP,
          new Promise<'stalled'>((res) => (timer = setTimeout(() => res('stalled'), 10_000))),
        ]);
        clearTimeout(timer);
        waiting.delete(`barrier-${id}`);
        const label = round.map((m) => `agent ${m.body} #${m.id} (${m.kind})`).join(', ');
        const decodable = round[0]!.decodable;
        if (verdict === 'stalled') tally.problem(`${label}: the agent neither answered nor ended the session`);
        else if (verdict === 'acked' && !decodable) tally.problem(`${label}: the agent took a message it cannot decode`);
        else if (verdict === 'closed' && decodable) tally.problem(`${label}: the agent ended its session over messages it can decode`);
        for (const m of round) tally.add(`Agent ${m.body}`, verdict === 'acked' ? 'HANDLED' : verdict === 'closed' ? 'SESSION_ENDED' : 'STALLED');
        judged += round.length;
      }
    }

    const agentDir = await tempDir('baton-fuzz-agent-');
    const fuzzed = new Agent({ coordinator: `127.0.0.1:${port}`, insecure: true, dataDir: agentDir, name: 'fuzzed', dockerHost: NO_DOCKER, cpuMillis: 2000, memoryBytes: 2 * 1024 ** 3, welcomeTimeoutMs: 3000, backoff: { initialMs: 1, maxMs: 10 }, logger: silent('fuzzed') });
    await fuzzed.start();
    t.teardown(() => fuzzed.stop());
    await waitFor('every mutated message sent to the agent and judged', () => judged >= AGENT_MESSAGES, 60_000, 20);
    const sessionsDuring = stats.sessions;
    const reportsDuring = stats.reports;
    fuzzing = false;
    // Whatever session is current now, or the next one: the agent goes on reporting.
    await waitFor('reports from the fuzzed agent after the fuzz', () => stats.reportsAfter >= 3, 15_000, 20);
    await fuzzed.stop();
    t.equal(fuzzed.state, 'stopped', 'the fuzzed agent stops cleanly');
    t.ok(sessionsDuring > 1, `the agent reconnected after refusing messages (${sessionsDuring} sessions)`);
    t.ok(reportsDuring > 0, `and reported on its sessions meanwhile (${reportsDuring} reports)`);
    t.comment(`agent: ${AGENT_MESSAGES} messages, ${stats.sessions} sessions, ${stats.reports} reports (${stats.reportsAfter} after), ${stats.acks} acks (${stats.acksOk} ok), ${stats.events} container events, ${stats.logChunks} log chunks, ${took(t0)}`);
    await checkpoint('agent');
  });

  // ---------------------------------------------------------------------------------------------
  // Verdict
  // ---------------------------------------------------------------------------------------------

  t.test('after everything: no crash, no hang, state unchanged, the good agent kept reporting', async (t) => {
    await sleep(300);
    t.comment(`outcomes by target and status:\n${tally.render()}`);
    const sum = (pick: (target: string) => boolean) => [...tally.byTarget.keys()].filter(pick).reduce((n, k) => n + tally.count(k), 0);
    const tlsAttempts = sum((k) => k.startsWith('TLS '));
    const toAgent = sum((k) => k.startsWith('Agent '));
    const toCoordinator = tally.total - tlsAttempts - toAgent;
    t.comment(`${toCoordinator} messages to the coordinator, ${toAgent} to the agent, ${tlsAttempts} TLS attempts; ${took({ ms: started, cpu: cpuAtStart })}; seed ${seed}`);
    t.ok(toCoordinator + toAgent >= 10_000, `at least 10,000 mutated messages (${toCoordinator + toAgent})`);
    t.ok(tlsAttempts >= 100, `at least 100 TLS-level attempts (${tlsAttempts})`);
    t.same(crashes, [], 'no uncaught exception or unhandled rejection');
    t.same(tally.problems, [], 'every message answered with a proper status (seed ' + seed + ')');
    await c.store.flush();
    t.equal(stable(c.store.state), before.state, 'stacks, allocations, identities, rollouts and history unchanged');
    t.equal(stable(JSON.parse(await readFile(c.store.file, 'utf8')) as State), before.file, 'the state file unchanged in the same');
    t.equal(await pkiDigest(), before.pki, 'CA, server certificate, join secret and admin credential unchanged');
    t.equal(goodRecord(c.store.state), before.good, "the good node's record unchanged");
    const allowed = new Set([goodId, ...nodeIds]);
    t.same(Object.keys(c.store.state.nodes).filter((id) => !allowed.has(id)), [], 'no node but the certified ones');
    const quietest = samples.reduce((a, b) => (b.atMs - b.lastReportMs > a.atMs - a.lastReportMs ? b : a), samples[0]!);
    t.comment(`the good agent's longest silence seen: ${quietest.atMs - quietest.lastReportMs} ms (during ${quietest.phase})`);
    const notReady = samples.filter((s) => s.status !== 'ready');
    t.same(notReady.slice(0, 5), [], `the good agent ready in all ${samples.length} samples`);
    t.ok(checkpoints.every((cp, i) => i === 0 || cp.lastReportMs > checkpoints[i - 1]!.lastReportMs), `its reports kept arriving through every phase (${checkpoints.map((cp) => cp.phase).join(', ')})`);
    const n = c.pool.get(goodId)!;
    t.ok(n.connected && n.status === 'ready', 'and it is connected and ready at the end');
  });
}
