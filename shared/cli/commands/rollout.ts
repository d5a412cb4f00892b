// `baton rollout status`, `baton rollback`, `baton history`, and the rollout display `baton deploy`
// shows while an updated service rolls out.
import type { Command } from 'commander';
import { humanAge, table } from '../../format.js';
import type { HistoryResponse__Output } from '../../grpc/gen/baton/v1/HistoryResponse.js';
import type { RollbackResponse__Output } from '../../grpc/gen/baton/v1/RollbackResponse.js';
import type { RolloutInfo__Output } from '../../grpc/gen/baton/v1/RolloutInfo.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, EXIT_FAILURE, INSECURE_HELP, resolveConnection, unary, type Connection, type ConnectionOptions } from '../client.js';

const POLL_MS = 300;

export const rolloutStatus = (conn: Connection, service: string) =>
  unary<object, RolloutInfo__Output>(conn, (c, r, o, cb) => c.RolloutStatus(r, o, cb), { service }, 10_000);

/** One line of progress: `web: update to generation 5: 2/3 updated, 2 healthy, 0 failures`. */
export function progressLine(r: RolloutInfo__Output): string {
  const what = r.kind === 'rollback' ? `rollback to generation ${r.restores_generation}` : `update to generation ${r.generation}`;
  const counts = `${r.updated}/${r.total} updated, ${r.healthy} healthy, ${r.failures} failure${r.failures === 1 ? '' : 's'}`;
  const state = r.state === 'running' ? '' : ` (${r.state}${r.reason ? `: ${r.reason}` : ''})`;
  return `${r.service}: ${what}: ${counts}${state}`;
}

/** How a watched rollout ended, judged against the generation the deploy (or rollback) asked for. */
type Ending = { done: false } | { done: true; ok: boolean; message: string };

function ending(r: RolloutInfo__Output, generation: number): Ending {
  if (r.kind === 'update' && Number(r.generation) > generation) return { done: true, ok: false, message: `${r.service}: superseded by generation ${r.generation} (a newer deploy)` };
  if (r.state === 'running') return { done: false };
  if (r.state === 'paused') return { done: true, ok: false, message: `${r.service}: rollout paused: ${r.reason || 'too many failures'} (fix and deploy again, or \`baton rollback ${r.service}\`)` };
  // An automatic rollback replaced the update: it ended once the rollback did.
  if (r.kind === 'rollback' && Number(r.generation) > generation) return { done: true, ok: false, message: `${r.service}: rolled back to generation ${r.restores_generation}: ${r.reason}` };
  return { done: true, ok: true, message: `${r.service}: ${r.kind === 'rollback' ? `rolled back to generation ${r.restores_generation}` : `rolled out generation ${r.generation}`}: ${r.updated}/${r.total} updated, ${r.healthy} healthy` };
}

/**
 * Follows the rollouts of the services (each to the generation its deploy or rollback made) until every one ended, printing
 * progress: one rewritten line on a terminal, a plain line per change otherwise. Throws a CliError
 * naming each rollout that paused, rolled back or was superseded.
 */
export async function watchRollouts(conn: Connection, rollouts: readonly { service: string; generation: number }[], timeoutS: number): Promise<void> {
  const services = rollouts.map((r) => r.service);
  const generationOf = new Map(rollouts.map((r) => [r.service, r.generation]));
  const tty = process.stdout.isTTY === true;
  const deadline = timeoutS > 0 ? Date.now() + timeoutS * 1000 : Infinity;
  const ended = new Map<string, Ending & { done: true }>();
  const last = new Map<string, string>();
  while (ended.size < services.length) {
    const lines: string[] = [];
    for (const s of services) {
      if (ended.has(s)) continue;
      const r = await rolloutStatus(conn, s);
      const line = progressLine(r);
      lines.push(line);
      if (!tty && last.get(s) !== line) process.stdout.write(`  ${line}\n`);
      last.set(s, line);
      const e = ending(r, generationOf.get(s)!);
      if (e.done) {
        ended.set(s, e);
        if (tty) process.stdout.write(`\r\x1b[K  ${e.message}\n`);
        else process.stdout.write(`  ${e.message}\n`);
      }
    }
    if (ended.size === services.length) break;
    if (tty) process.stdout.write(`\r\x1b[K  ${lines.join(' | ')}`);
    if (Date.now() > deadline) {
      if (tty) process.stdout.write('\n');
      throw new CliError(`timed out after ${timeoutS}s; the rollout goes on (\`baton rollout status ${services[0]}\`)`, EXIT_FAILURE);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const failed = [...ended.values()].filter((e) => !e.ok);
  if (failed.length) throw new CliError(failed.map((e) => e.message).join('\n'), EXIT_FAILURE);
}

export function registerRollout(program: Command): void {
  const rollout = program.command('rollout').description("follow a service's rolling update");
  rollout
    .command('status')
    .description("a service's latest rollout: updated/total, healthy, failures, state and why")
    .argument('<service>')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string, o: { json?: boolean } & ConnectionOptions) => {
      const r = await rolloutStatus(resolveConnection(o), service);
      if (o.json) {
        const json = {
          stack: r.stack, service: r.service, kind: r.kind, state: r.state, reason: r.reason, generation: Number(r.generation), fromGeneration: Number(r.from_generation),
          restoresGeneration: Number(r.restores_generation), updated: r.updated, total: r.total, healthy: r.healthy, failures: r.failures,
          startedAtMs: Number(r.started_at_ms), endedAtMs: Number(r.ended_at_ms),
        };
        process.stdout.write(JSON.stringify(json, null, 2) + '\n');
        return;
      }
      const took = Number(r.ended_at_ms) ? `, took ${humanAge(Number(r.ended_at_ms) - Number(r.started_at_ms))}` : `, running for ${humanAge(Date.now() - Number(r.started_at_ms))}`;
      process.stdout.write(`${r.stack}/${progressLine(r)} (from generation ${r.from_generation}${took})\n`);
    });

  program
    .command('rollback')
    .description("return a service to its previous spec, as a rollout (twice in a row returns to where it was)")
    .argument('<service>')
    .option('--detach', 'return once the rollback is stored, without following it')
    .option('--timeout <seconds>', 'how long to follow the rollback (0: as long as it takes)', '600')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string, o: { detach?: boolean; timeout: string } & ConnectionOptions) => {
      const conn = resolveConnection(o);
      const r = await unary<object, RollbackResponse__Output>(conn, (c, q, opts, cb) => c.Rollback(q, opts, cb), { service }, 30_000);
      process.stdout.write(`${r.stack}/${r.service}: rolling back from generation ${r.from} to the spec of generation ${r.restores} (now generation ${r.generation})\n`);
      if (!o.detach) await watchRollouts(conn, [{ service: `${r.stack}/${r.service}`, generation: Number(r.generation) }], Number(o.timeout));
    });

  program
    .command('history')
    .description("a service's kept specs, newest first: generation, time, image, what changed, how its rollout ended")
    .argument('<service>')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string, o: { json?: boolean } & ConnectionOptions) => {
      const r = await unary<object, HistoryResponse__Output>(resolveConnection(o), (c, q, opts, cb) => c.History(q, opts, cb), { service }, 10_000);
      const rows = r.entries.map((e) => ({ generation: Number(e.generation), atMs: Number(e.at_ms), image: e.image, change: e.change, outcome: e.outcome, reason: e.reason, current: e.current }));
      if (o.json) process.stdout.write(JSON.stringify({ stack: r.stack, service: r.service, history: rows }, null, 2) + '\n');
      else if (!rows.length) process.stdout.write('no history\n');
      else
        process.stdout.write(
          table(
            ['GENERATION', 'AGE', 'IMAGE', 'CHANGE', 'OUTCOME'],
            rows.map((h) => [`${h.generation}${h.current ? ' (current)' : ''}`, humanAge(Date.now() - h.atMs), h.image, h.change, h.reason ? `${h.outcome}: ${h.reason}` : h.outcome]),
          ) + '\n',
        );
    });
}
