// Prometheus metrics for the coordinator (prom-client): ingest rate, report lag, nodes by
// status, rejected sessions. Served over HTTP at /metrics when a metrics address is given.
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parseHostPort, type HostPort } from '../shared/address.js';
import type { NodePool } from './node-pool.js';

export class CoordinatorMetrics {
  readonly registry = new Registry();
  readonly reports = new Counter({ name: 'baton_reports_total', help: 'Usage reports received from agents', registers: [this.registry] });
  readonly reportLag = new Histogram({
    name: 'baton_report_lag_seconds',
    help: 'Time from an agent sampling a report to the coordinator processing it (agent and coordinator clocks)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'baton_agent_sessions_rejected_total',
    help: 'Agent streams ended by the coordinator for a protocol violation, by gRPC code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  constructor(pool: NodePool) {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_coordinator_' });
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

