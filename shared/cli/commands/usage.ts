// `baton top` (live CPU and memory used against reserved, by group) and `baton usage` (accounted
// usage over a period, with right-sizing hints): issue 12's usage insight.
import type { Command } from 'commander';
import { parseDuration } from '../../compose/units.js';
import { formatBytes, table } from '../../format.js';
import type { TopResponse__Output } from '../../grpc/gen/baton/v1/TopResponse.js';
import type { UsageResponse__Output } from '../../grpc/gen/baton/v1/UsageResponse.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, EXIT_BAD_INPUT, INSECURE_HELP, resolveConnection, unary, type Connection, type ConnectionOptions } from '../client.js';

const BY = ['service', 'stack', 'tenant', 'node'];
const BY_HELP = `group by ${BY.join('|')}`;
const GiB = 1024 ** 3;

export const getTop = (conn: Connection, by: string) => unary<object, TopResponse__Output>(conn, (c, r, o, cb) => c.Top(r, o, cb), { by }, 10_000);
export const getUsage = (conn: Connection, sinceMs: number, by: string, hints: boolean) =>
  unary<object, UsageResponse__Output>(conn, (c, r, o, cb) => c.Usage(r, o, cb), { since_ms: sinceMs, by, hints }, 10_000);

function checkBy(by: string): string {
  if (!BY.includes(by)) throw new CliError(`--by: expected one of ${BY.join(', ')}, got ${JSON.stringify(by)}`, EXIT_BAD_INPUT);
  return by;
}

/** `--since 24h`, `90m`, `7d` (days as 24 h) -> ms. */
export function parseSince(value: string): number {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(value.trim());
  if (days) return Math.round(Number(days[1]) * 86_400_000);
  const r = parseDuration(value);
  if (!r.ok || r.value <= 0) throw new CliError(`--since: expected a positive duration such as 24h, 90m or 7d, got ${JSON.stringify(value)}`, EXIT_BAD_INPUT);
  return r.value;
}

const cores = (x: number) => Number(x.toFixed(3)).toString();
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function topJson(r: TopResponse__Output) {
  return {
    by: r.by,
    cluster: { cpuCores: r.cluster_cpu_cores, capacityCores: r.cluster_capacity_cores, memoryBytes: Number(r.cluster_memory_bytes), capacityMemoryBytes: Number(r.cluster_capacity_memory_bytes) },
    rows: r.rows.map((x) => ({
      group: x.group, replicas: x.replicas, cpuCores: x.cpu_cores, cpuReservedCores: x.cpu_reserved_cores, memoryBytes: Number(x.memory_bytes),
      memoryReservedBytes: Number(x.memory_reserved_bytes), cpuShare: x.cpu_share, memoryShare: x.memory_share,
    })),
  };
}

export function usageJson(r: UsageResponse__Output) {
  return {
    by: r.by,
    fromMs: Number(r.from_ms),
    toMs: Number(r.to_ms),
    resolution: r.resolution,
    rows: r.rows.map((x) => ({
      group: x.group,
      cpuCoreSeconds: x.cpu_core_seconds,
      cpuReservedCoreSeconds: x.cpu_reserved_core_seconds,
      memoryByteSeconds: x.memory_byte_seconds,
      memoryReservedByteSeconds: x.memory_reserved_byte_seconds,
      memoryGiBHours: x.memory_byte_seconds / GiB / 3600,
      memoryReservedGiBHours: x.memory_reserved_byte_seconds / GiB / 3600,
      replicaSeconds: x.replica_seconds,
    })),
    hints: r.hints.map((h) => ({ service: h.service, resource: h.resource, reserved: h.reserved, p95: h.p95, suggested: h.suggested, message: h.message })),
  };
}

export function registerUsage(program: Command): void {
  program
    .command('top')
    .description('live CPU (cores) and memory used against reserved, by service, stack, tenant or node, the biggest first')
    .option('--by <group>', BY_HELP, 'service')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { by: string; json?: boolean } & ConnectionOptions) => {
      const v = topJson(await getTop(resolveConnection(o), checkBy(o.by)));
      if (o.json) {
        process.stdout.write(JSON.stringify(v, null, 2) + '\n');
        return;
      }
      const c = v.cluster;
      process.stdout.write(`cluster: ${cores(c.cpuCores)} of ${cores(c.capacityCores)} cores used, ${formatBytes(c.memoryBytes)} of ${formatBytes(c.capacityMemoryBytes)} memory\n`);
      if (!v.rows.length) {
        process.stdout.write('no running replicas\n');
        return;
      }
      const rows = v.rows.map((x) => [
        x.group, String(x.replicas), cores(x.cpuCores), cores(x.cpuReservedCores), pct(x.cpuShare), formatBytes(x.memoryBytes), formatBytes(x.memoryReservedBytes), pct(x.memoryShare),
      ]);
      process.stdout.write(table([v.by.toUpperCase(), 'REPLICAS', 'CPU', 'CPU RESERVED', 'CPU SHARE', 'MEMORY', 'MEM RESERVED', 'MEM SHARE'], rows) + '\n');
    });

  program
    .command('usage')
    .description('accounted CPU (core-hours) and memory (GiB-hours) used and reserved over a period, by group; --hints for right-sizing')
    .option('--since <duration>', 'the period, back from now (e.g. 90m, 24h, 7d)', '24h')
    .option('--by <group>', BY_HELP, 'service')
    .option('--hints', 'name services whose reservation is far from their p95 use, with a suggested reservation')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { since: string; by: string; hints?: boolean; json?: boolean } & ConnectionOptions) => {
      const sinceMs = parseSince(o.since);
      const v = usageJson(await getUsage(resolveConnection(o), sinceMs, checkBy(o.by), !!o.hints));
      if (o.json) {
        process.stdout.write(JSON.stringify(v, null, 2) + '\n');
        return;
      }
      process.stdout.write(`usage ${new Date(v.fromMs).toISOString()} .. ${new Date(v.toMs).toISOString()} (${v.resolution})\n`);
      if (!v.rows.length) process.stdout.write('nothing accounted in this period\n');
      else {
        const h = (s: number) => Number((s / 3600).toFixed(3)).toString();
        const rows = v.rows.map((x) => [x.group, h(x.cpuCoreSeconds), h(x.cpuReservedCoreSeconds), Number(x.memoryGiBHours.toFixed(3)).toString(), Number(x.memoryReservedGiBHours.toFixed(3)).toString()]);
        process.stdout.write(table([v.by.toUpperCase(), 'CPU CORE-H', 'RESERVED CORE-H', 'MEM GIB-H', 'RESERVED GIB-H'], rows) + '\n');
      }
      if (o.hints) {
        if (!v.hints.length) process.stdout.write('hints: every reservation is close to its use (or too little data)\n');
        for (const x of v.hints) process.stdout.write(`hint: ${x.message}\n`);
      }
    });
}
