// bench:ingress: what the ingress costs. One node-web replica (published 8080 -> 8080) pinned to
// testbed host 1; from the root namespace (the coordinator's side), small keep-alive GETs with 64
// concurrent connections and bulk downloads, each way in the same run:
//   direct            host 1's address and the host port Docker published for the replica
//   ingress, same     host 1's address, port 8080 (the kernel DNATs to the local container)
//   ingress, other    host 2's address, port 8080 (DNAT to host 1, then Docker's DNAT there): the
//                     harder case, and the one reported as ingressRps / ingressMBps / addedP99Ms
// Where the work runs. All hosts here share one kernel and two CPUs, and a packet sent into a veth
// is forwarded by the sending CPU within the sending syscall: without care, host 2's forwarding of
// every reply runs inside the replica's own write() calls and takes from the replica's CPU, which no
// second machine would. So each way is measured twice in the same run:
//   cpus 'separate' (the headline figures)  the replica pinned to CPU 0 (host 1's CPU); host 2's and
//                     the client's receive processing steered to CPU 1 (RPS on host 2's eth0 and on
//                     the bridge), and wrk pinned there too: CPU 1 is host 2 and the client.
//   cpus 'shared'     nothing pinned or steered (sharedCpus: the figures before this model).
// agentRssMb: the largest VmRSS of the agent processes sampled while traffic went through the ingress.
// Prints {directRps, ingressRps, rpsRatio, addedP99Ms, directMBps, ingressMBps, bulkRatio, agentRssMb, ...}.
// The small requests come from wrk (C, one thread: apt-get install -y wrk; scripts/ci-setup.sh
// installs it), so the client does not take a core of this two-core machine from the hosts it
// measures; `--client autocannon` runs the earlier Node client (autocannon) instead, for comparison.
// Usage: npm run bench:ingress -- [--duration 10] [--rounds 5] [--connections 64] [--bulk-mb 256] [--streams 4] [--client wrk|autocannon]
import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_WEB_IMAGE, TEST_IMAGE } from '../fixtures/docker-env.js';
import type { TestbedHost } from '../fixtures/testbed.js';
import { unary } from '../../shared/cli/client.js';
import type { ScaleResponse__Output } from '../../shared/grpc/gen/baton/v1/ScaleResponse.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { argNumber, percentile, startCluster } from '../fixtures/testbed-cluster.js';

const durationS = argNumber('duration', 10);
const connections = argNumber('connections', 64);
const bulkMb = argNumber('bulk-mb', 256);
const streams = argNumber('streams', 4);
const PUBLISHED = 8080;
const rounds = argNumber('rounds', 5);
const clientArg = process.argv.indexOf('--client');
const client = clientArg >= 0 ? process.argv[clientArg + 1] : 'wrk';
if (client !== 'wrk' && client !== 'autocannon') throw new Error(`--client ${client}: expected wrk or autocannon`);

interface Small {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Keep-alive GET / for `durationS` over `connections` connections, with the chosen client. */
function small(url: string, seconds = durationS, pinCpu?: number): Promise<Small> {
  return client === 'wrk' ? smallWrk(url, seconds, pinCpu) : smallAutocannon(url, seconds);
}

/** wrk's own summary, written by its `done` hook as one JSON line (latencies in microseconds, from
 * its HdrHistogram of every request). */
const WRK_SCRIPT = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nWRK {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
`;

const wrkScript = join(tmpdir(), `baton-bench-ingress-${process.pid}.lua`);
let wrkScriptWritten: Promise<void> | undefined;

async function smallWrk(url: string, seconds: number, pinCpu?: number): Promise<Small> {
  const script = wrkScript;
  await (wrkScriptWritten ??= writeFile(script, WRK_SCRIPT));
  const wrk = ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, `${url}/`];
  const [cmd, ...args] = pinCpu === undefined ? wrk : ['taskset', '-c', String(pinCpu), ...wrk];
  const out = await new Promise<string>((resolve, reject) =>
    execFile(cmd!, args, { timeout: (seconds + 30) * 1000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`wrk ${url}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed (apt-get install -y wrk, or --client autocannon)' : `${err.message} ${stderr}`}`)) : resolve(stdout),
    ),
  );
  const line = /^WRK (\{.*\})$/m.exec(out)?.[1];
  if (!line) throw new Error(`wrk ${url}: no summary in its output: ${out}`);
  const w = JSON.parse(line) as { requests: number; durationUs: number; p50Us: number; p99Us: number; connect: number; read: number; write: number; status: number; timeout: number };
  return {
    rps: Math.round(w.requests / (w.durationUs / 1e6)),
    p50Ms: w.p50Us / 1000,
    p99Ms: w.p99Us / 1000,
    requests: w.requests,
    errors: w.connect + w.read + w.write,
    timeouts: w.timeout,
    non2xx: w.status,
  };
}

/** The same with autocannon. Latency percentiles come from every response's own time
 * (sub-millisecond; autocannon's histogram keeps whole milliseconds). */
async function smallAutocannon(url: string, seconds: number): Promise<Small> {
  const latencies: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, timeout: 5 }, (err, result) => (err ? reject(err as Error) : resolve(result)));
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    });
  });
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    rps: Math.round(r.requests.total / (r.duration || seconds)),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

/** `streams` parallel downloads of /bulk?mb=bulkMb; MB/s (MiB) over the whole transfer. */
async function bulk(base: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const bytes = await Promise.all(
    Array.from({ length: streams }, () =>
      new Promise<number>((resolve, reject) => {
        const req = get(`${base}/bulk?mb=${bulkMb}`, (res) => {
          let n = 0;
          res.on('data', (d: Buffer) => (n += d.length));
          res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${base}: HTTP ${res.statusCode}`))));
          res.on('error', reject);
        });
        req.setTimeout(60_000, () => req.destroy(new Error(`${base}: bulk stalled for 60 s`)));
        req.on('error', reject);
      }),
    ),
  );
  const total = bytes.reduce((a, b) => a + b, 0);
  if (total !== streams * bulkMb * 1024 * 1024) throw new Error(`${base}: got ${total} bytes, expected ${streams * bulkMb} MiB`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return Math.round((total / 1024 / 1024 / seconds) * 10) / 10;
}

/** One GET /; the replica that answered, or the error (a short timeout: this is a probe). */
function probe(base: string): Promise<{ replica: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = get(`${base}/`, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          resolve({ replica: (JSON.parse(body) as { replica: string }).replica });
        } catch {
          resolve({ error: `HTTP ${res.statusCode}, body ${JSON.stringify(body.slice(0, 80))}` });
        }
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer within 2 s'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The machine's CPU time so far, in clock ticks (all cores; /proc/stat's first line). */
function cpuTicks(): { user: number; system: number; idle: number; softirq: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  return { user: (f[0] ?? 0) + (f[1] ?? 0), system: f[2] ?? 0, idle: (f[3] ?? 0) + (f[4] ?? 0), softirq: (f[5] ?? 0) + (f[6] ?? 0) };
}

/** Where the machine's time went per request, in microseconds (everything on the machine: client,
 * server, every host's kernel; softirq is mostly packet forwarding). Clock ticks are 10 ms. */
type CpuModel = 'separate' | 'shared';
interface CpuPerRequest { user: number; system: number; softirq: number; idle: number }
function perRequest(a: ReturnType<typeof cpuTicks>, b: ReturnType<typeof cpuTicks>, requests: number): CpuPerRequest {
  const us = (k: keyof CpuPerRequest) => r3(((b[k] - a[k]) * 10_000) / Math.max(1, requests));
  return { user: us('user'), system: us('system'), softirq: us('softirq'), idle: us('idle') };
}

/** Samples every agent's VmRSS (MiB) every 250 ms until stopped; returns the largest seen. */
function sampleRss(pids: readonly number[]) {
  let maxMb = 0;
  const read = () => {
    for (const pid of pids) {
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        if (kb > 0) maxMb = Math.max(maxMb, Math.round(kb / 102.4) / 10);
      } catch {
        // Agent gone: its RSS is not the footprint asked about.
      }
    }
  };
  read();
  const timer = setInterval(read, 250);
  return {
    stop() {
      clearInterval(timer);
      read();
      return maxMb;
    },
  };
}

const c = await startCluster(3, { images: [TEST_IMAGE, NODE_WEB_IMAGE] });
let exitCode = 0;
try {
  const [h1, h2] = [c.tb.host(1), c.tb.host(2)];
  const file = join(c.dir, 'bench-ingress.yaml');
  await writeFile(file, `name: bing
services:
  web:
    image: ${NODE_WEB_IMAGE}
    ports: ["${PUBLISHED}:8080"]
    stop_grace_period: 2s
    x-baton:
      healthcheck: { http: { port: 8080, path: /health }, interval: 1s, timeout: 1s, retries: 2 }
    deploy:
      replicas: 1
      placement: { constraints: ["node.hostname == ${h1.name}"] }
`);
  const d = await runBaton(['deploy', '-f', file, '--timeout', '90'], c.env);
  if (d.code !== 0) throw new Error(`deploy failed: ${d.stdout}${d.stderr}`);
  const [replica] = await waitFor('the replica running on host 1', async () => {
    const rs = (await c.running([h1], 'bing')).filter((r) => r.service === 'web');
    return rs.length === 1 && rs;
  }, 60_000);
  // `docker port` prints one line per address family, e.g. 0.0.0.0:32768 and [::]:32768.
  const port = await h1.docker(['port', replica!.id, '8080/tcp']);
  const hostPort = Number(/:(\d+)\s*$/m.exec(port.stdout.trim().split('\n')[0] ?? '')?.[1]);
  if (!(hostPort > 0)) throw new Error(`no host port published for the replica's 8080: ${port.stdout}${port.stderr}`);
  const direct = `http://${h1.ip}:${hostPort}`;
  const viaSame = `http://${h1.ip}:${PUBLISHED}`;
  const viaOther = `http://${h2.ip}:${PUBLISHED}`;
  await waitFor('the replica answering directly', async () => 'replica' in (await probe(direct)), 30_000);

  /**
   * How long an endpoint change takes to reach every node's kernel: scale to 2, wait until every
   * host's table forwards to both, then scale back to 1 over gRPC and time until every host's table
   * (read in its namespace with nft, every 20 ms) has dropped one. Target: within one heartbeat (1 s).
   */
  const propagationMs = async (): Promise<{ perHostMs: number[]; maxMs: number }> => {
    const destinations = async (h: TestbedHost) => {
      const r = await h.exec('nft', ['list', 'table', 'ip', 'baton']);
      return new Set([...r.stdout.matchAll(/dnat (?:ip )?to (\S+)/g)].map((m) => m[1]));
    };
    const scale = (replicas: string) =>
      unary<object, ScaleResponse__Output>(c.target, (cl, q, o, cb) => cl.Scale(q, o, cb), { service: 'bing/web', replicas }, 30_000);
    await scale('2');
    await waitFor('every host forwarding to both replicas', async () => (await Promise.all(c.tb.hosts.map(destinations))).every((d) => d.size >= 2), 60_000, 100);
    const t0 = performance.now();
    await scale('1');
    const perHostMs = await Promise.all(c.tb.hosts.map(async (h) => {
      for (;;) {
        if ((await destinations(h)).size < 2) return Math.round(performance.now() - t0);
        if (performance.now() - t0 > 30_000) return NaN;
        await new Promise((r) => setTimeout(r, 20));
      }
    }));
    return { perHostMs, maxMs: Math.max(...perHostMs) };
  };

  // Warm the server's JIT so the first measured run is not the slow one.
  await small(direct, 3);

  // The ingress half. A published port that equals the replica's host port means the container binds
  // it itself (no ingress); otherwise both node addresses must answer before anything is measured.
  const probes = { sameNode: await probe(viaSame), otherNode: await probe(viaOther) };
  const missing = Object.entries(probes).filter(([, p]) => 'error' in p);
  if (hostPort === PUBLISHED || missing.length > 0) {
    const directSmall = await small(direct);
    const directMBps = await bulk(direct);
    const why =
      hostPort === PUBLISHED
        ? `the replica's container binds ${PUBLISHED} itself (Docker published ${PUBLISHED}, not an ephemeral port)`
        : missing.map(([k, p]) => `${k === 'sameNode' ? viaSame : viaOther}: ${(p as { error: string }).error}`).join('; ');
    console.log(JSON.stringify({ directRps: directSmall.rps, directP50Ms: directSmall.p50Ms, directP99Ms: directSmall.p99Ms, directMBps, direct: directSmall, hostPort, ingressRps: null, ingressError: `no ingress on port ${PUBLISHED}: ${why}. The ingress (issue 9) is not active in this build; only the direct half was measured.` }));
    exitCode = 1;
  } else {
    const rss = sampleRss([...c.agents.values()].map((a) => a.pid).filter((p): p is number => p !== undefined));
    // The three ways in turn, `rounds` times, each round starting one further along, so drift over
    // the run (the server's JIT and GC, the other processes here) falls on every way alike; each
    // way's figure is the median of its rounds. Once per CPU model (see the top of this file).
    const ways = { direct, otherNode: viaOther, sameNode: viaSame } as const;
    type Way = keyof typeof ways;
    type Run = Small & { cpu: CpuPerRequest };
    const order = Object.keys(ways) as Way[];
    const setCpus = async (model: CpuModel) => {
      const all = `0-${availableParallelism() - 1}`;
      const rps = model === 'separate' ? '2' : '0';
      const steps = [
        h1.docker(['update', '--cpuset-cpus', model === 'separate' ? '0' : all, replica!.id]),
        h2.exec('unshare', ['-m', 'sh', '-c', `mount -t sysfs none /sys && echo ${rps} > /sys/class/net/eth0/queues/rx-0/rps_cpus`]),
        writeFile(`/sys/class/net/${c.tb.bridge}/queues/rx-0/rps_cpus`, `${rps}\n`).then(() => ({ code: 0, stdout: '', stderr: '' })),
      ];
      for (const r of await Promise.all(steps)) if (r.code !== 0) throw new Error(`cpus ${model}: ${r.stderr}`);
    };
    const measure = async (model: CpuModel) => {
      await setCpus(model);
      const pin = model === 'separate' ? 1 : undefined;
      await small(direct, 2, pin);
      const runs: Record<Way, Run[]> = { direct: [], otherNode: [], sameNode: [] };
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < order.length; i++) {
          const way = order[(r + i) % order.length]!;
          const before = cpuTicks();
          const result = await small(ways[way], durationS, pin);
          runs[way].push({ ...result, cpu: perRequest(before, cpuTicks(), result.requests) });
        }
      }
      const med = (way: Way, pick: (x: Run) => number) => r3(percentile(runs[way].map(pick), 50));
      const summary = (way: Way) => ({
        rps: med(way, (x) => x.rps),
        p50Ms: med(way, (x) => x.p50Ms),
        p99Ms: med(way, (x) => x.p99Ms),
        cpuUsPerRequest: { user: med(way, (x) => x.cpu.user), system: med(way, (x) => x.cpu.system), softirq: med(way, (x) => x.cpu.softirq), idle: med(way, (x) => x.cpu.idle) },
        errors: runs[way].reduce((a, x) => a + x.errors + x.timeouts + x.non2xx, 0),
        rounds: runs[way].map(({ rps, p50Ms, p99Ms }) => ({ rps, p50Ms, p99Ms })),
      });
      const [d, o, sm] = [summary('direct'), summary('otherNode'), summary('sameNode')];
      return { direct: d, otherNode: o, sameNode: sm, rpsRatio: r3(o.rps / d.rps), addedP99Ms: r3(o.p99Ms - d.p99Ms), sameNodeRpsRatio: r3(sm.rps / d.rps), sameNodeAddedP99Ms: r3(sm.p99Ms - d.p99Ms) };
    };
    // The separate model needs a second CPU and a client that can be pinned (wrk, not autocannon,
    // which runs in this process).
    const models: CpuModel[] = client === 'wrk' && availableParallelism() >= 2 ? ['separate', 'shared'] : ['shared'];
    const byModel = new Map<CpuModel, Awaited<ReturnType<typeof measure>>>();
    for (const m of models) byModel.set(m, await measure(m));
    const headline = byModel.get(models[0]!)!;
    const shared = byModel.get('shared')!;
    const [directSmall, otherSmall, sameSmall] = [headline.direct, headline.otherNode, headline.sameNode];
    // Bulk: the three ways back to back, twice, the second time in reverse order; each the mean of its two.
    const mbps: Record<Way, number[]> = { direct: [], otherNode: [], sameNode: [] };
    for (const pass of [order, [...order].reverse()]) for (const way of pass) mbps[way].push(await bulk(ways[way]));
    const meanMBps = (way: Way) => Math.round((mbps[way].reduce((a, b) => a + b, 0) / mbps[way].length) * 10) / 10;
    const [directMBps, ingressMBps, ingressSameNodeMBps] = [meanMBps('direct'), meanMBps('otherNode'), meanMBps('sameNode')];
    const directPart = { directRps: directSmall.rps, directP50Ms: directSmall.p50Ms, directP99Ms: directSmall.p99Ms, directMBps, direct: directSmall, hostPort };
    const agentRssMb = rss.stop();
    const propagation = await propagationMs();
    console.log(
      JSON.stringify({
        ...directPart,
        cpus: models[0],
        ingressRps: otherSmall.rps,
        rpsRatio: headline.rpsRatio,
        addedP99Ms: headline.addedP99Ms,
        ingressP50Ms: otherSmall.p50Ms,
        ingressP99Ms: otherSmall.p99Ms,
        ingressMBps,
        bulkRatio: r3(ingressMBps / directMBps),
        agentRssMb,
        ingressVia: 'another node (host 2 -> replica on host 1): the harder case; sameNode* is via the replica\'s own node',
        sameNodeRps: sameSmall.rps,
        sameNodeRpsRatio: headline.sameNodeRpsRatio,
        sameNodeAddedP99Ms: headline.sameNodeAddedP99Ms,
        sameNodeMBps: ingressSameNodeMBps,
        endpointPropagationMs: propagation,
        ingressOtherNode: otherSmall,
        ingressSameNode: sameSmall,
        sharedCpus: models[0] === 'shared' ? undefined : {
          directRps: shared.direct.rps, ingressRps: shared.otherNode.rps, rpsRatio: shared.rpsRatio, addedP99Ms: shared.addedP99Ms,
          sameNodeRpsRatio: shared.sameNodeRpsRatio, sameNodeAddedP99Ms: shared.sameNodeAddedP99Ms,
          direct: shared.direct, ingressOtherNode: shared.otherNode, ingressSameNode: shared.sameNode,
        },
        connections,
        durationS,
        rounds,
        client,
        bulk: { streams, mbEach: bulkMb, mbpsEachPass: mbps },
        targets: { rpsRatio: 0.9, addedP99Ms: 1 },
      }),
    );
  }
} finally {
  await c.stop();
}
process.exit(exitCode);
