// `baton node cordon|uncordon|drain` (issue 13): the operator's side of coordinator/node-schedule.ts.
// A drain is followed like a deploy: a line per change of what is left, until the node is drained
// (exit 0; 1 when its deadline stopped replicas before their replacements served), or at once with --detach.
import type { Command } from 'commander';
import type { NodeInfo__Output } from '../../grpc/gen/baton/v1/NodeInfo.js';
import { parseDuration } from '../../compose/units.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, EXIT_BAD_INPUT, INSECURE_HELP, resolveConnection, unary, type ConnectionOptions } from '../client.js';

const TIMEOUT_MS = 10_000;
/** How often a followed drain asks how far it is. */
const POLL_MS = 1000;

function connectionFlags(c: Command): Command {
  return c.option('--coordinator <host:port>', COORDINATOR_HELP).option('--config <file>', CONFIG_HELP).option('--insecure', INSECURE_HELP);
}

/** `draining edge-1: 3 replicas left`, `drained edge-1`, ... */
export function scheduleLine(n: NodeInfo__Output): string {
  if (n.schedule === 'draining') return `draining ${n.name}: ${n.drain_remaining} replica${n.drain_remaining === 1 ? '' : 's'} left${n.drain_deadline_ms ? `, deadline ${new Date(Number(n.drain_deadline_ms)).toISOString()}` : ''}`;
  if (n.schedule === 'drained') return `drained ${n.name}: no replica of a replicated service left; it takes no new work until \`baton node uncordon ${n.name}\``;
  if (n.schedule === 'cordoned') return `cordoned ${n.name}: no new work; what runs there stays (\`baton node drain ${n.name}\` moves it)`;
  return `uncordoned ${n.name}: it takes new work again (nothing moves back by itself)`;
}

/** `baton node label NODE k=v k2-`: kubectl's syntax. Bad arguments are exit 2, before any call. */
function labelChanges(args: readonly string[]): { set: Record<string, string>; remove: string[] } {
  if (args.length === 0) throw new CliError('LABELS: give at least one key=value to set or key- to remove', EXIT_BAD_INPUT);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) set[a.slice(0, eq)] = a.slice(eq + 1);
    else if (eq < 0 && a.length > 1 && a.endsWith('-')) remove.push(a.slice(0, -1));
    else throw new CliError(`label ${JSON.stringify(a)}: expected key=value to set or key- to remove`, EXIT_BAD_INPUT);
  }
  return { set, remove };
}

export function registerNodeSchedule(node: Command): void {
  connectionFlags(
    node
      .command('label')
      .description("set (k=v) or remove (k-) a node's labels over its agent's; replicas whose constraints it no longer meets move elsewhere, start-first")
      .argument('<node>', 'node name or id')
      .argument('<labels...>', 'key=value to set, key- to remove'),
  ).action(async (name: string, args: string[], o: ConnectionOptions) => {
    if (!name.trim()) throw new CliError('NODE: give a node name or id', EXIT_BAD_INPUT);
    const changes = labelChanges(args);
    const conn = resolveConnection(o);
    const n = await unary<object, NodeInfo__Output>(conn, (c, q, opts, cb) => c.LabelNode(q, opts, cb), { node: name, ...changes }, TIMEOUT_MS);
    const labels = Object.entries(n.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
    process.stdout.write(`labels of ${n.name}: ${labels || '(none)'}\n`);
  });
  for (const action of ['cordon', 'uncordon'] as const) {
    connectionFlags(
      node
        .command(action)
        .description(action === 'cordon' ? 'take no new work on a node; what runs there stays' : 'let a cordoned or drained node take new work again')
        .argument('<node>', 'node name or id'),
    ).action(async (name: string, o: ConnectionOptions) => {
      if (!name.trim()) throw new CliError('NODE: give a node name or id', EXIT_BAD_INPUT);
      const conn = resolveConnection(o);
      const n = await unary<object, NodeInfo__Output>(conn, (c, q, opts, cb) => c.SetNodeSchedule(q, opts, cb), { node: name, action, deadline_ms: 0 }, TIMEOUT_MS);
      process.stdout.write(`${scheduleLine(n)}\n`);
    });
  }
  connectionFlags(
    node
      .command('drain')
      .description("move a node's replicas elsewhere, start-first, at most update_config.parallelism of a service at a time; then it takes no new work")
      .argument('<node>', 'node name or id')
      .option('--deadline <duration>', 'stop what is still there after this long, with or without a replacement (e.g. 10m; default: none)')
      .option('--detach', 'start the drain and return'),
  ).action(async (name: string, o: { deadline?: string; detach?: boolean } & ConnectionOptions) => {
    if (!name.trim()) throw new CliError('NODE: give a node name or id', EXIT_BAD_INPUT);
    let deadlineMs = 0;
    if (o.deadline !== undefined) {
      const d = parseDuration(o.deadline);
      if (!d.ok || d.value <= 0) throw new CliError(`--deadline: expected a duration such as 10m or 90s, got ${JSON.stringify(o.deadline)}`, EXIT_BAD_INPUT);
      deadlineMs = d.value;
    }
    const conn = resolveConnection(o);
    let n = await unary<object, NodeInfo__Output>(conn, (c, q, opts, cb) => c.SetNodeSchedule(q, opts, cb), { node: name, action: 'drain', deadline_ms: deadlineMs }, TIMEOUT_MS);
    const started = Date.now();
    let last = scheduleLine(n);
    process.stdout.write(`${last}\n`);
    if (o.detach) return;
    while (n.schedule === 'draining') {
      await new Promise((r) => setTimeout(r, POLL_MS));
      n = await unary<object, NodeInfo__Output>(conn, (c, q, opts, cb) => c.GetNode(q, opts, cb), { node: n.id }, TIMEOUT_MS);
      const line = scheduleLine(n);
      if (line !== last) process.stdout.write(`${(last = line)}\n`);
    }
    if (n.schedule !== 'drained') throw new CliError(`the drain of ${n.name} was ended (${n.schedule ? `now ${n.schedule}` : 'uncordoned'})`, 1);
    if (n.drain_lost.length) throw new CliError(`the deadline stopped ${n.drain_lost.length} replica(s) on ${n.name} before a replacement served: ${n.drain_lost.join(', ')}`, 1);
    process.stdout.write(`drain of ${n.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
}
