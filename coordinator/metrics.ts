// Prometheus metrics for the coordinator (prom-client): ingest rate, report lag, nodes by
// status, rejected sessions, ingress traffic and endpoints per service. Served over HTTP at
// /metrics when a metrics address is given.
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parseHostPort, type HostPort } from '../shared/address.js';
import type { EndpointPublisher } from './ingress/endpoint-publisher.js';
import type { NodePool } from './node-pool.js';
import type { UsageRecorder } from './usage/recorder.js';
import { cappedSeries, counterSeries, topRows, type SeriesValues } from './usage/report.js';
import type { Acc } from './usage/ledger.js';

/** Ingress counters summed over the nodes' latest reports, by `stack/service`. */
export function ingressTotals(pool: Pick<NodePool, 'list'>): Map<string, { stack: string; service: string; connections: number; bytes: number; failedForwards: number }> {
  const out = new Map<string, { stack: string; service: string; connections: number; bytes: number; failedForwards: number }>();
  for (const n of pool.list()) {
    for (const c of n.ingress?.counters ?? []) {
      const key = `${c.stack}/${c.service}`;
      let t = out.get(key);
      if (!t) out.set(key, (t = { stack: c.stack, service: c.service, connections: 0, bytes: 0, failedForwards: 0 }));
      t.connections += c.connections;
      t.bytes += c.bytes;
      t.failedForwards += c.failedForwards;
    }
  }
  return out;
}

export class CoordinatorMetrics {
  readonly registry = new Registry();
  readonly reports = new Counter({ name: 'baton_reports_total', help: 'Usage reports received from agents', registers: [this.registry] });
  readonly reportLag = new Histogram({
    name: 'baton_report_lag_seconds',
    help: 'Time from an agent sampling a report to the coordinator processing it (agent and coordinator clocks)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly authRefusals = new Counter({
    name: 'baton_auth_refusals_total',
    help: 'Calls refused for want of a valid certificate or role, by method and gRPC code',
    labelNames: ['method', 'code'],
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'baton_agent_sessions_rejected_total',
    help: 'Agent streams ended by the coordinator for a protocol violation, by gRPC code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  constructor(pool: NodePool, endpoints?: Pick<EndpointPublisher, 'current'>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_coordinator_' });
    // The agents count (cumulatively, each since it started); the coordinator exposes the sum at
    // scrape time. An agent that restarts lowers the sum, which Prometheus reads as a counter reset.
    const ingressCounter = (name: string, help: string, pick: (t: { connections: number; bytes: number; failedForwards: number }) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['stack', 'service'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const t of ingressTotals(pool).values()) this.inc({ stack: t.stack, service: t.service }, pick(t));
        },
      });
    ingressCounter('baton_ingress_connections_total', 'Connections the nodes\' ingress forwarded to the service, summed over nodes', (t) => t.connections);
    ingressCounter('baton_ingress_bytes_total', 'Bytes forwarded by the nodes\' ingress for the service (both directions), summed over nodes', (t) => t.bytes);
    ingressCounter('baton_ingress_failed_forwards_total', 'Connections an endpoint refused before answering (skipped for the next try), summed over nodes', (t) => t.failedForwards);
    new Gauge({
      name: 'baton_ingress_endpoints',
      help: 'Serving endpoints (healthy running replicas on ready nodes) in the current endpoint set',
      labelNames: ['stack', 'service'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of endpoints?.current()?.model.services ?? []) this.set({ stack: s.stack, service: s.service }, s.endpoints.length);
      },
    });
    new Gauge({
      name: 'baton_nodes',
      help: 'Nodes in the pool by status',
      labelNames: ['status'],
      registers: [this.registry],
      collect() {
        const counts: Record<string, number> = { ready: 0, suspect: 0, down: 0, left: 0 };
        for (const n of pool.list()) counts[n.status] = (counts[n.status] ?? 0) + 1;
        for (const [status, v] of Object.entries(counts)) this.set({ status }, v);
      },
    });
    new Gauge({
      name: 'baton_agent_sessions',
      help: 'Live agent sessions',
      registers: [this.registry],
      collect() {
        this.set(pool.sessionCount);
      },
    });
  }

  /**
   * Usage per service and per tenant (issue 12): gauges of CPU cores and memory bytes used and
   * reserved now, counters of core-seconds and byte-seconds accounted since this coordinator
   * started. At most MAX_METRIC_SERIES label sets per family (the rest summed into `other`).
   */
  registerUsage(usage: Pick<UsageRecorder, 'live' | 'counters'>): void {
    // One live listing per scrape, shared by the gauges below.
    let cached: { atMs: number; service: SeriesValues[]; tenant: SeriesValues[] } | undefined;
    const live = () => {
      const now = Date.now();
      if (!cached || now - cached.atMs > 500) {
        const replicas = usage.live().replicas;
        cached = { atMs: now, service: cappedSeries(topRows(replicas, 'service'), 'service'), tenant: cappedSeries(topRows(replicas, 'tenant'), 'tenant') };
      }
      return cached;
    };
    for (const by of ['service', 'tenant'] as const) {
      const labelNames = by === 'service' ? ['tenant', 'stack', 'service'] : ['tenant'];
      const gauge = (name: string, help: string, pick: (v: SeriesValues) => number) =>
        new Gauge({
          name, help, labelNames, registers: [this.registry],
          collect() {
            this.reset();
            for (const v of live()[by]) this.set(v.labels, pick(v));
          },
        });
      gauge(`baton_${by}_cpu_used_cores`, `CPU the ${by}'s running replicas use now (cores, from the agents' last reports)`, (v) => v.cpuCores);
      gauge(`baton_${by}_cpu_reserved_cores`, `CPU the ${by}'s running replicas reserve (cores)`, (v) => v.cpuReservedCores);
      gauge(`baton_${by}_memory_used_bytes`, `Memory the ${by}'s running replicas use now (bytes, without reclaimable page cache)`, (v) => v.memoryBytes);
      gauge(`baton_${by}_memory_reserved_bytes`, `Memory the ${by}'s running replicas reserve (bytes)`, (v) => v.memoryReservedBytes);
      const counter = (name: string, help: string, pick: (a: Acc) => number) =>
        new Counter({
          name, help, labelNames, registers: [this.registry],
          collect() {
            this.reset();
            for (const s of counterSeries(usage.counters(), by)) this.inc(s.labels, pick(s.acc));
          },
        });
      counter(`baton_${by}_cpu_used_core_seconds_total`, `CPU time the ${by} used, accounted since the coordinator started (core-seconds)`, (a) => a.cpu);
      counter(`baton_${by}_cpu_reserved_core_seconds_total`, `CPU the ${by} reserved while running, since the coordinator started (core-seconds)`, (a) => a.cpuRes);
      counter(`baton_${by}_memory_used_byte_seconds_total`, `Memory the ${by} used integrated over time, since the coordinator started (byte-seconds)`, (a) => a.mem);
      counter(`baton_${by}_memory_reserved_byte_seconds_total`, `Memory the ${by} reserved while running, since the coordinator started (byte-seconds)`, (a) => a.memRes);
    }
  }

  onReport(sentAtMs: number, nowMs: number): void {
    this.reports.inc();
    if (sentAtMs > 0) this.reportLag.observe(Math.max(0, nowMs - sentAtMs) / 1000);
  }
}

/** Serves /metrics; resolves with the bound address. */
export async function serveMetrics(metrics: CoordinatorMetrics, listen: string): Promise<{ server: Server; address: HostPort }> {
  const addr = parseHostPort(listen, '127.0.0.1', undefined, true);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('not found; try /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => resolve());
  });
  const a = server.address();
  return { server, address: { host: addr.host, port: typeof a === 'object' && a ? a.port : addr.port } };
}

