// `baton secret create|ls|rm` and `baton config create|ls|rm|inspect`: the cluster's secret and
// config store. Content comes from a file or stdin (`-`) and is sent once; a secret's content is
// never printed (ls shows names, sizes and the services that use it), a config's may be (inspect).
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { formatBytes, humanAge, table } from '../../format.js';
import type { ConfigContent__Output } from '../../grpc/gen/baton/v1/ConfigContent.js';
import type { FileObjectInfo__Output } from '../../grpc/gen/baton/v1/FileObjectInfo.js';
import type { FileObjectRef__Output } from '../../grpc/gen/baton/v1/FileObjectRef.js';
import type { ListFileObjectsResponse__Output } from '../../grpc/gen/baton/v1/ListFileObjectsResponse.js';
import { MAX_FILE_OBJECT_BYTES as MAX_BYTES } from '../../compose/file-objects.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, EXIT_BAD_INPUT, INSECURE_HELP, list, resolveConnection, unary, type ConnectionOptions } from '../client.js';

const TIMEOUT_MS = 10_000;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** FILE, or stdin for `-`; a missing, empty or too large one is bad input naming it. */
export async function readContent(file: string, readStdinFn: () => Promise<Buffer> = readStdin): Promise<Buffer> {
  let data: Buffer;
  try {
    data = file === '-' ? await readStdinFn() : await readFile(file);
  } catch (err) {
    throw new CliError(`FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT_BAD_INPUT);
  }
  const what = file === '-' ? 'stdin' : file;
  if (data.length === 0) throw new CliError(`FILE: ${what} is empty`, EXIT_BAD_INPUT);
  if (data.length > MAX_BYTES) throw new CliError(`FILE: ${what} is ${data.length} bytes; at most ${MAX_BYTES}`, EXIT_BAD_INPUT);
  return data;
}

function register(program: Command, kind: 'secret' | 'config'): void {
  const cmd = program
    .command(kind)
    .description(kind === 'secret' ? 'secrets: encrypted at rest, mounted in containers at /run/secrets/<name>, never printed' : 'configs: plain files mounted in containers (at /<name> by default)');
  cmd
    .command('create')
    .description(`store a ${kind} (admin); its content cannot change afterwards: rotate under a new name`)
    .argument('<name>', `${kind} name (letters, digits, _ . -)`)
    .argument('<file>', 'file holding the content, or - for stdin')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (name: string, file: string, o: ConnectionOptions) => {
      const data = await readContent(file);
      const conn = resolveConnection(o);
      const r = await unary<object, FileObjectInfo__Output>(conn, (c, q, opts, cb) => (kind === 'secret' ? c.CreateSecret(q, opts, cb) : c.CreateConfig(q, opts, cb)), { name, data }, TIMEOUT_MS);
      process.stdout.write(`created ${kind} ${r.name} (${formatBytes(Number(r.size_bytes))})\n`);
    });
  cmd
    .command('ls')
    .description(`list ${kind}s: name, size, age, and the services that use each`)
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { json?: boolean } & ConnectionOptions) => {
      const conn = resolveConnection(o);
      const items = await list(conn, (c, r, opts) => (kind === 'secret' ? c.ListSecrets(r, opts) : c.ListConfigs(r, opts)), {}, (b: ListFileObjectsResponse__Output) => b.items);
      if (o.json) {
        const json = items.map((i) => ({ name: i.name, sizeBytes: Number(i.size_bytes), createdAtMs: Number(i.created_at_ms), stack: i.stack || null, usedBy: i.used_by }));
        process.stdout.write(JSON.stringify(json, null, 2) + '\n');
        return;
      }
      const now = Date.now();
      const rows = items.map((i) => [i.name, formatBytes(Number(i.size_bytes)), humanAge(now - Number(i.created_at_ms)), i.stack || '-', i.used_by.join(',') || '-']);
      process.stdout.write(table(['NAME', 'SIZE', 'AGE', 'STACK', 'USED BY'], rows) + '\n');
    });
  cmd
    .command('rm')
    .description(`remove a ${kind} (admin); refused while a service uses it`)
    .argument('<name>')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (name: string, o: ConnectionOptions) => {
      const conn = resolveConnection(o);
      const r = await unary<object, FileObjectRef__Output>(conn, (c, q, opts, cb) => (kind === 'secret' ? c.RemoveSecret(q, opts, cb) : c.RemoveConfig(q, opts, cb)), { name }, TIMEOUT_MS);
      process.stdout.write(`removed ${kind} ${r.name || name}\n`);
    });
  if (kind === 'config') {
    cmd
      .command('inspect')
      .description("print a config's content (configs are not secret; a secret's content is never printed)")
      .argument('<name>')
      .option('--coordinator <host:port>', COORDINATOR_HELP)
      .option('--config <file>', CONFIG_HELP)
      .option('--insecure', INSECURE_HELP)
      .action(async (name: string, o: ConnectionOptions) => {
        const conn = resolveConnection(o);
        const r = await unary<object, ConfigContent__Output>(conn, (c, q, opts, cb) => c.InspectConfig(q, opts, cb), { name }, TIMEOUT_MS);
        process.stdout.write(r.data);
      });
  }
}

export function registerSecrets(program: Command): void {
  register(program, 'secret');
  register(program, 'config');
}
