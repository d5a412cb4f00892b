// `baton token`, `baton credentials create|revoke`, `baton node rm` and `baton whoami`: the join
// token, operator credentials, forgetting a node, and who the coordinator takes the caller for.
// Every one but whoami is admin-only; the coordinator decides, the CLI only checks its arguments.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { parseHostPort } from '../../address.js';
import type { Credential__Output } from '../../grpc/gen/baton/v1/Credential.js';
import type { JoinTokenInfo__Output } from '../../grpc/gen/baton/v1/JoinTokenInfo.js';
import type { RemoveNodeResponse__Output } from '../../grpc/gen/baton/v1/RemoveNodeResponse.js';
import type { RevokeCredentialResponse__Output } from '../../grpc/gen/baton/v1/RevokeCredentialResponse.js';
import type { WhoAmIResponse__Output } from '../../grpc/gen/baton/v1/WhoAmIResponse.js';
import { fail, ok, type Result } from '../../result.js';
import { isOperatorRole, type OperatorRole } from '../../security/names.js';
import { registerNodeSchedule } from './node-schedule.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, EXIT_BAD_INPUT, INSECURE_HELP, resolveConnection, unary, type ConnectionOptions } from '../client.js';
import { CREDENTIAL_NAME_HINT, CREDENTIAL_NAME_RE, CredentialFileExistsError, isLoopbackHost, writeCredentialFile, type ClientCredential } from '../config.js';

const TIMEOUT_MS = 10_000;

/** A credential name as the certificate will carry it; the error names the argument. */
export function checkCredentialName(name: string): Result<string> {
  return CREDENTIAL_NAME_RE.test(name) ? ok(name) : fail(`NAME: ${JSON.stringify(name)} is not a credential name (${CREDENTIAL_NAME_HINT})`);
}

export function checkRole(role: string | undefined): Result<OperatorRole> {
  if (role === undefined) return fail('--role: required: admin (may change the cluster) or viewer (may only list and read)');
  return isOperatorRole(role) ? ok(role) : fail(`--role: expected admin or viewer, got ${JSON.stringify(role)}`);
}

const TTL_UNITS_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30d`, `12h`, `1d12h`, `90m`: a credential's lifetime in milliseconds. */
export function parseTtl(text: string): Result<number> {
  const hint = 'expected a duration such as 30d, 12h, 1d12h or 90m (units d, h, m, s)';
  if (!/^(?:\d+[dhms])+$/.test(text)) return fail(`--ttl: ${JSON.stringify(text)}: ${hint}`);
  let ms = 0;
  for (const m of text.matchAll(/(\d+)([dhms])/g)) ms += Number(m[1]) * TTL_UNITS_MS[m[2]!]!;
  if (ms <= 0) return fail(`--ttl: ${JSON.stringify(text)}: must be longer than 0`);
  if (!Number.isSafeInteger(ms)) return fail(`--ttl: ${JSON.stringify(text)}: too long`);
  return ok(ms);
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new CliError(r.error, EXIT_BAD_INPUT);
  return r.value;
}

/** The credential file for a CreateCredential answer; its coordinator is the address this CLI used. */
export function credentialFileOf(c: Credential__Output, coordinator: string): ClientCredential {
  if (!isOperatorRole(c.role) || !c.ca_pem || !c.certificate_pem || !c.key_pem) {
    throw new CliError(`the coordinator sent an incomplete credential (role ${JSON.stringify(c.role)}${c.ca_pem ? '' : ', no CA'}${c.certificate_pem ? '' : ', no certificate'}${c.key_pem ? '' : ', no key'})`);
  }
  return { coordinator, name: c.name, role: c.role, ca: c.ca_pem, cert: c.certificate_pem, key: c.key_pem };
}

export function registerSecurity(program: Command): void {
  program
    .command('token')
    .description('show the join token new nodes join with (admin); --rotate issues a new one')
    .option('--rotate', 'issue a new secret: the old token admits no new node; nodes already joined are unaffected')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { rotate?: boolean; json?: boolean } & ConnectionOptions) => {
      const conn = resolveConnection(o);
      const r = await unary<object, JoinTokenInfo__Output>(conn, (c, q, opts, cb) => c.GetJoinToken(q, opts, cb), { rotate: !!o.rotate }, TIMEOUT_MS);
      if (o.json) {
        process.stdout.write(JSON.stringify({ token: r.token, caHash: r.ca_hash, rotated: !!o.rotate }, null, 2) + '\n');
        return;
      }
      // The token alone on stdout (TOKEN=$(baton token)); the rest is for the reader.
      process.stdout.write(`${r.token}\n`);
      if (o.rotate) process.stderr.write('rotated: the previous token admits no new node; nodes already joined are unaffected\n');
      const { host, port } = parseHostPort(conn.target);
      // An agent on another host cannot dial this host's loopback address.
      const local = isLoopbackHost(host);
      process.stderr.write(`join a node with: baton agent --coordinator ${local ? `HOST:${port}` : conn.target} --token ${r.token}\n`);
      if (local) process.stderr.write('(HOST: an address of this coordinator that the node can reach)\n');
    });

  const credentials = program.command('credentials').description('operator credentials: client certificates for the CLI (admin)');
  credentials
    .command('create')
    .description('issue a credential (a config file for --config or ~/.baton/config) for an operator')
    .argument('<name>', 'who it is for; the certificate carries it, `credentials revoke` takes it')
    .option('--role <role>', 'admin (may change the cluster) or viewer (may list and read: nodes, services, ps, events, logs, plan)')
    .option('-o, --output <file>', 'write the credential file here (mode 0600) instead of printing it')
    .option('--force', 'replace the --output file if it exists')
    .option('--ttl <duration>', "how long it is valid, e.g. 30d or 12h (default: the coordinator's, 1 year)")
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (name: string, o: { role?: string; output?: string; force?: boolean; ttl?: string } & ConnectionOptions) => {
      must(checkCredentialName(name));
      const role = must(checkRole(o.role));
      const ttlMs = o.ttl === undefined ? 0 : must(parseTtl(o.ttl));
      // Before anything is issued: a credential that cannot be saved would only have to be revoked.
      if (o.output !== undefined && !o.force && existsSync(o.output)) throw new CliError(`-o ${o.output}: the file exists; pass --force to replace it`, EXIT_BAD_INPUT);
      const conn = resolveConnection(o);
      const r = await unary<object, Credential__Output>(conn, (c, q, opts, cb) => c.CreateCredential(q, opts, cb), { name, role, ttl_ms: ttlMs }, TIMEOUT_MS);
      const file = credentialFileOf(r, conn.target);
      if (o.output === undefined) {
        process.stdout.write(JSON.stringify(file, null, 2) + '\n');
      } else {
        try {
          await writeCredentialFile(o.output, file, { overwrite: !!o.force });
        } catch (err) {
          const why = err instanceof CredentialFileExistsError ? 'the file appeared meanwhile' : (err as Error).message;
          throw new CliError(`-o ${o.output}: not written (${why}); credential ${name} was issued: \`baton credentials revoke ${name}\` and try again`);
        }
        const until = r.not_after_ms ? `, valid until ${new Date(Number(r.not_after_ms)).toISOString()}` : '';
        process.stdout.write(`wrote ${o.output}: ${role} credential ${name} for the coordinator at ${conn.target}${until}\n`);
        process.stderr.write(`use it with --config ${o.output}, BATON_CONFIG=${o.output}, or as ~/.baton/config on the operator's machine\n`);
      }
      if (isLoopbackHost(parseHostPort(conn.target).host)) {
        process.stderr.write(`note: the credential names the coordinator as ${conn.target}, a loopback address; elsewhere give --coordinator HOST:PORT or edit its "coordinator"\n`);
      }
    });

  credentials
    .command('revoke')
    .description("refuse an operator credential's certificates from now on (also after coordinator restarts)")
    .argument('<name>')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (name: string, o: ConnectionOptions) => {
      must(checkCredentialName(name));
      const conn = resolveConnection(o);
      const r = await unary<object, RevokeCredentialResponse__Output>(conn, (c, q, opts, cb) => c.RevokeCredential(q, opts, cb), { name }, TIMEOUT_MS);
      process.stdout.write(`revoked ${r.name || name}: its certificates are refused from now on\n`);
    });

  const node = program.command('node').description('one node of the cluster');
  node
    .command('rm')
    .description('forget a node and refuse its certificate from now on (it rejoins only with a join token)')
    .argument('<node>', 'node name or id')
    .option('--force', 'also when the node is connected and ready')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (name: string, o: { force?: boolean } & ConnectionOptions) => {
      if (!name.trim()) throw new CliError('NODE: give a node name or id', EXIT_BAD_INPUT);
      const conn = resolveConnection(o);
      const r = await unary<object, RemoveNodeResponse__Output>(conn, (c, q, opts, cb) => c.RemoveNode(q, opts, cb), { node: name, force: !!o.force }, TIMEOUT_MS);
      process.stdout.write(`removed node ${r.name || name}${r.node_id && r.node_id !== r.name ? ` (${r.node_id})` : ''}: its certificate is refused from now on\n`);
    });
  registerNodeSchedule(node);

  program
    .command('whoami')
    .description('who the coordinator takes you for: role and name of your credential')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { json?: boolean } & ConnectionOptions) => {
      const conn = resolveConnection(o);
      const r = await unary<object, WhoAmIResponse__Output>(conn, (c, q, opts, cb) => c.WhoAmI(q, opts, cb), {}, TIMEOUT_MS);
      const credential = conn.security.insecure ? null : conn.security.source.path;
      const insecure = r.insecure || conn.security.insecure;
      if (o.json) {
        process.stdout.write(JSON.stringify({ role: r.role, name: r.name, insecure, coordinator: conn.target, credential }, null, 2) + '\n');
        return;
      }
      const how = conn.security.insecure ? `over an insecure connection (${conn.security.why})` : `with ${conn.security.source.label}`;
      process.stdout.write(`${r.role}${r.name ? ` ${r.name}` : ''} at the coordinator ${conn.target}, ${how}\n`);
    });
}

