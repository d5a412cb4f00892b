// `baton autoscale status [SERVICE]`: each autoscaled service's bounds, targets and the last
// decision with what it saw (the autoscaler keeps these in memory: empty right after a restart).
import type { Command } from 'commander';
import { humanAge, table } from '../../format.js';
import type { AutoscaleServiceStatus__Output } from '../../grpc/gen/baton/v1/AutoscaleServiceStatus.js';
import type { AutoscaleStatusResponse__Output } from '../../grpc/gen/baton/v1/AutoscaleStatusResponse.js';
import { CONFIG_HELP, COORDINATOR_HELP, INSECURE_HELP, resolveConnection, unary, type ConnectionOptions } from '../client.js';

/** The CLI's JSON form (camelCase, numbers as numbers). */
export function autoscaleJson(s: AutoscaleServiceStatus__Output) {
  const b = s.bounds;
  const d = s.last;
  return {
    stack: s.stack,
    service: s.service,
    min: b?.min ?? 0,
    max: b?.max ?? 0,
    ...(b?.cpu_target_percent ? { cpuTargetPercent: b.cpu_target_percent } : {}),
    ...(b?.memory_target_percent ? { memoryTargetPercent: b.memory_target_percent } : {}),
    replicas: s.replicas,
    windowMs: Number(s.window_ms),
    scaleUpWindowMs: Number(s.scale_up_window_ms),
    scaleDownWindowMs: Number(s.scale_down_window_ms),
    cooldownMs: Number(s.cooldown_ms),
    ...(s.max_step ? { maxStep: s.max_step } : {}),
    tolerance: s.tolerance,
    samples: s.samples,
    last: d
      ? {
          atMs: Number(d.at_ms), kind: d.kind, current: d.current, desired: d.desired, counted: d.counted, excluded: d.excluded, reason: d.reason,
          readings: d.readings.map((r) => ({ metric: r.metric, observedPercent: r.observed_percent, targetPercent: r.target_percent, proposal: r.proposal })),
        }
      : null,
    lastChange: s.last_change_to ? { atMs: Number(s.last_change_at_ms), from: s.last_change_from, to: s.last_change_to, reason: s.last_change_reason } : null,
  };
}

/** `cpu 70%, memory 80%`. */
export function targetsText(t: { cpuTargetPercent?: number; memoryTargetPercent?: number }): string {
  return [t.cpuTargetPercent ? `cpu ${t.cpuTargetPercent}%` : '', t.memoryTargetPercent ? `memory ${t.memoryTargetPercent}%` : ''].filter(Boolean).join(', ');
}

export function registerAutoscale(program: Command): void {
  const autoscale = program.command('autoscale').description('autoscaled services (x-baton.autoscale)');
  autoscale
    .command('status')
    .description('show each autoscaled service (or one) with its bounds, targets and the last decision with what it saw')
    .argument('[service]', 'service or stack/service')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string | undefined, o: { json?: boolean } & ConnectionOptions) => {
      const r = await unary<object, AutoscaleStatusResponse__Output>(resolveConnection(o), (c, q, opts, cb) => c.AutoscaleStatus(q, opts, cb), { service: service ?? '' }, 10_000);
      const rows = r.services.map(autoscaleJson);
      if (o.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      if (!rows.length) {
        process.stdout.write('no autoscaled services\n');
        return;
      }
      const now = Date.now();
      process.stdout.write(
        table(
          ['STACK', 'SERVICE', 'REPLICAS', 'MIN-MAX', 'TARGET', 'LAST', 'DECIDED'],
          rows.map((s) => [s.stack, s.service, String(s.replicas), `${s.min}-${s.max}`, targetsText(s), s.last ? s.last.kind : '-', s.last ? `${humanAge(Math.max(0, now - s.last.atMs))} ago` : '-']),
        ) + '\n',
      );
      for (const s of rows) {
        if (s.last) process.stdout.write(`${s.stack}/${s.service}: ${s.last.reason}\n`);
        if (s.lastChange) process.stdout.write(`${s.stack}/${s.service}: last change ${s.lastChange.from} -> ${s.lastChange.to} ${humanAge(Math.max(0, now - s.lastChange.atMs))} ago: ${s.lastChange.reason}\n`);
      }
    });
}
