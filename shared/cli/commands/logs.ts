// `baton logs SERVICE`: the containers' output of a service's replicas, relayed by the coordinator
// from the agents. stdout and stderr go to the matching stream, as with `docker logs`; with several
// replicas every line is prefixed `service.N | ` as with `docker compose logs`.
import type { Command } from 'commander';
import { StringDecoder } from 'node:string_decoder';
import type { ListReplicasResponse__Output } from '../../grpc/gen/baton/v1/ListReplicasResponse.js';
import type { LogLine__Output } from '../../grpc/gen/baton/v1/LogLine.js';
import { CliError, CONFIG_HELP, controlClient, COORDINATOR_HELP, describeRpcError, EXIT_BAD_INPUT, INSECURE_HELP, list, resolveConnection, type ConnectionOptions } from '../client.js';

const CANCELLED = 1;

interface LogsOptions extends ConnectionOptions {
  replica?: string;
  follow?: boolean;
  tail: string;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("show a service's container output (every replica, or one)")
    .argument('<service>', 'service, or stack/service when the name is in several stacks')
    .option('--replica <n>', 'only this replica')
    .option('-f, --follow', 'keep streaming new output until Ctrl-C')
    .option('--tail <n>', 'lines from the end of each replica\'s log, or "all"', 'all')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string, o: LogsOptions) => {
      const conn = resolveConnection(o);
      const replica = parseReplica(o.replica);
      const tail = parseTail(o.tail);
      // Prefixes are decided up front so every line of one run looks the same.
      let labelWidth = 0;
      if (!replica) {
        const replicas = await list(conn, (c, r, opts) => c.ListReplicas(r, opts), { service }, (b: ListReplicasResponse__Output) => b.replicas);
        const labels = new Set(replicas.filter((r) => r.desired === 'run').map((r) => `${r.service}.${r.replica}`));
        if (labels.size > 1) labelWidth = Math.max(...[...labels].map((l) => l.length));
      }
      const printer = new Printer(labelWidth);
      const client = controlClient(conn);
      try {
        await new Promise<void>((resolve, reject) => {
          const stream = client.Logs({ service, replica, follow: !!o.follow, tail });
          const stop = () => stream.cancel();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          // A closed pipe (`baton logs web | head`) ends the stream instead of crashing on EPIPE.
          process.stdout.once('error', stop);
          const done = (err?: Error) => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            process.stdout.off('error', stop);
            printer.end();
            if (err) reject(err);
            else resolve();
          };
          stream.on('data', (line: LogLine__Output) => {
            // Let a slow terminal or pipe slow the stream down; the coordinator drops what it cannot hold.
            if (!printer.print(line)) {
              stream.pause();
              const out = line.stream === 'stderr' ? process.stderr : process.stdout;
              out.once('drain', () => stream.resume());
            }
          });
          stream.on('error', (err: Error & { code?: number; details?: string }) => {
            if (err.code === CANCELLED) done();
            else done(describeRpcError(err, conn));
          });
          stream.on('end', () => done());
        });
      } finally {
        client.close();
      }
      // Everything that was available is printed; say by the exit status that some was not.
      if (printer.notices > 0) process.exitCode = 1;
    });
}

/** Prints lines as they come, prefixing each line when several replicas are shown. */
class Printer {
  notices = 0;
  /** Per replica and stream: the decoder (a chunk may end inside a character) and the unfinished line. */
  private readonly partial = new Map<string, { decoder: StringDecoder; rest: string; label: string; stream: string }>();

  constructor(private readonly labelWidth: number) {}

  /** False when the output's buffer is full. */
  print(l: LogLine__Output): boolean {
    const label = `${l.service}.${l.replica}`;
    if (l.error) {
      this.notices++;
      process.stderr.write(`baton: ${label}${l.node ? ` on ${l.node}` : ''}: ${l.error}\n`);
      return true;
    }
    const out = l.stream === 'stderr' ? process.stderr : process.stdout;
    if (!this.labelWidth) return out.write(l.data);
    const key = `${label}/${l.stream}`;
    let p = this.partial.get(key);
    if (!p) this.partial.set(key, (p = { decoder: new StringDecoder('utf8'), rest: '', label, stream: l.stream }));
    const lines = (p.rest + p.decoder.write(l.data)).split('\n');
    p.rest = lines.pop()!;
    if (!lines.length) return true;
    const prefix = `${label.padEnd(this.labelWidth)} | `;
    return out.write(lines.map((x) => prefix + x + '\n').join(''));
  }

  /** Unfinished last lines are printed as lines when the stream ends. */
  end(): void {
    for (const p of this.partial.values()) {
      const rest = p.rest + p.decoder.end();
      if (rest) (p.stream === 'stderr' ? process.stderr : process.stdout).write(`${p.label.padEnd(this.labelWidth)} | ${rest}\n`);
    }
    this.partial.clear();
  }
}

function parseReplica(v: string | undefined): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new CliError(`--replica: "${v}" is not a replica number (1, 2, ...)`, EXIT_BAD_INPUT);
  return Number(v);
}

/** `all` -> 0 on the wire; `0` (nothing from the past, useful with --follow) -> -1. */
function parseTail(v: string): number {
  if (v === 'all') return 0;
  if (!/^\d+$/.test(v) || Number(v) > 2 ** 31 - 1) throw new CliError(`--tail: "${v}" is not a line count or "all"`, EXIT_BAD_INPUT);
  return Number(v) === 0 ? -1 : Number(v);
}

