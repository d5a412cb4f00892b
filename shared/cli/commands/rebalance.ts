// `baton rebalance [--dry-run] [--stack NAME] [--strategy binpack|spread]` (issue 13): the moves
// that pack the running replicas onto fewer nodes (binpack) or spread them better (spread), and
// what they gain. Applied, they are followed like a drain until every move is done or dropped
// (exit 0; 1 when a move was dropped), or not at all with --detach. Never automatic.
import type { Command } from 'commander';
import { table } from '../../format.js';
import type { RebalanceInfo__Output } from '../../grpc/gen/baton/v1/RebalanceInfo.js';
import type { RebalanceLoad__Output } from '../../grpc/gen/baton/v1/RebalanceLoad.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, EXIT_BAD_INPUT, INSECURE_HELP, resolveConnection, unary, type ConnectionOptions } from '../client.js';

const TIMEOUT_MS = 10_000;
/** How often an applied rebalance is asked how far it is. */
const POLL_MS = 1000;
const STRATEGIES = ['binpack', 'spread'];

const pct = (f: number) => `${Math.round(f * 100)}%`;

/** `nodes used 3 -> 2 (frees h3); max node load cpu 60% -> 45%, memory 30% -> 20%, replicas 4 -> 3`. */
export function gainLine(info: Pick<RebalanceInfo__Output, 'before' | 'after' | 'freed'>): string {
  const b: RebalanceLoad__Output = info.before ?? { nodes_used: 0, max_cpu: 0, max_memory: 0, max_replicas: 0 };
  const a: RebalanceLoad__Output = info.after ?? b;
  const frees = info.freed.length ? ` (frees ${info.freed.join(', ')})` : '';
  return `nodes used ${b.nodes_used} -> ${a.nodes_used}${frees}; max node load cpu ${pct(b.max_cpu)} -> ${pct(a.max_cpu)}, memory ${pct(b.max_memory)} -> ${pct(a.max_memory)}, replicas ${b.max_replicas} -> ${a.max_replicas}`;
}

/** The moves as a table; with the state column once applied. */
export function movesTable(info: Pick<RebalanceInfo__Output, 'moves' | 'dry_run'>): string {
  const applied = !info.dry_run;
  const header = ['SERVICE', 'REPLICA', 'FROM', 'TO', ...(applied ? ['STATE'] : [])];
  const rows = info.moves.map((m) => [`${m.stack}/${m.service}`, String(m.replica), m.from_node, m.to_node, ...(applied ? [m.state + (m.reason ? ` (${m.reason})` : '')] : [])]);
  return table(header, rows);
}

const progressLine = (info: RebalanceInfo__Output) => {
  const count = (s: string) => info.moves.filter((m) => m.state === s).length;
  return `rebalance ${info.id}: ${count('done')} done, ${count('pending') + count('stopping')} pending${count('dropped') ? `, ${count('dropped')} dropped` : ''} of ${info.moves.length}`;
};

export function registerRebalance(program: Command): void {
  program
    .command('rebalance')
    .description('move running replicas to use fewer nodes (binpack) or spread the load (spread), start-first within update_config.parallelism; never automatic')
    .option('--dry-run', 'show the moves and what they gain; change nothing')
    .option('--stack <name>', 'only this stack\'s services')
    .option('--strategy <strategy>', 'binpack (fewest nodes) or spread (lowest max node load)', 'binpack')
    .option('--detach', 'start the moves and return')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { dryRun?: boolean; stack?: string; strategy: string; detach?: boolean; json?: boolean } & ConnectionOptions) => {
      if (!STRATEGIES.includes(o.strategy)) throw new CliError(`--strategy: expected binpack or spread, got ${JSON.stringify(o.strategy)}`, EXIT_BAD_INPUT);
      if (o.stack !== undefined && !o.stack.trim()) throw new CliError('--stack: give a stack name', EXIT_BAD_INPUT);
      const conn = resolveConnection(o);
      let info = await unary<object, RebalanceInfo__Output>(conn, (c, q, opts, cb) => c.Rebalance(q, opts, cb), { stack: o.stack ?? '', strategy: o.strategy, dry_run: o.dryRun === true }, TIMEOUT_MS);
      const out = (s: string): void => void process.stdout.write(`${s}\n`);
      const skippedLines = () => info.skipped.map((x) => `not moved: ${x.stack}/${x.service}: ${x.reason}`);
      if (info.moves.length === 0) {
        if (o.json) return out(JSON.stringify(info, null, 2));
        out(`nothing to move (${info.strategy}): ${info.reason}`);
        for (const l of skippedLines()) out(l);
        return;
      }
      if (info.state === 'planned') {
        if (o.json) return out(JSON.stringify(info, null, 2));
        out(movesTable(info));
        out(gainLine(info));
        for (const l of skippedLines()) out(l);
        out(`dry run: nothing moved (\`baton rebalance${o.stack ? ` --stack ${o.stack}` : ''}${o.strategy !== 'binpack' ? ` --strategy ${o.strategy}` : ''}\` applies it)`);
        return;
      }
      if (!o.json) {
        out(movesTable({ ...info, dry_run: true }));
        out(gainLine(info));
        for (const l of skippedLines()) out(l);
      }
      const started = Date.now();
      let last = progressLine(info);
      if (!o.json) out(last);
      if (o.detach) {
        if (o.json) out(JSON.stringify(info, null, 2));
        return;
      }
      while (info.state === 'running') {
        await new Promise((r) => setTimeout(r, POLL_MS));
        info = await unary<object, RebalanceInfo__Output>(conn, (c, q, opts, cb) => c.RebalanceStatus(q, opts, cb), { id: info.id }, TIMEOUT_MS);
        const line = progressLine(info);
        if (line !== last && !o.json) out((last = line));
      }
      if (o.json) out(JSON.stringify(info, null, 2));
      const dropped = info.moves.filter((m) => m.state === 'dropped');
      if (dropped.length) throw new CliError(`${dropped.length} move(s) dropped: ${dropped.map((m) => `${m.stack}/${m.service}.${m.replica} to ${m.to_node}: ${m.reason}`).join('; ')}`, 1);
      if (!o.json) out(`rebalance ${info.id} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
}
