// The CLI's connection to the coordinator: where it is, the credential that proves who is asking
// (or an explicit --insecure), and one-line errors instead of stack traces when a call fails.
import * as grpc from '@grpc/grpc-js';
import { formatHostPort, parseHostPort, type HostPort } from '../address.js';
import type { ControlServiceClient } from '../grpc/gen/baton/v1/ControlService.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../grpc/load.js';
import { COORDINATOR_TLS_NAME } from '../security/names.js';
import { findCredentials, isInsecureCredential, type ClientCredential, type CredentialSource } from './config.js';

export const DEFAULT_COORDINATOR = '127.0.0.1:7400';

/** `--coordinator`, else BATON_COORDINATOR, parsed; undefined when neither is given. A malformed address is bad input (exit 2). */
function parseTarget(flag: string | undefined, env: NodeJS.ProcessEnv): HostPort | undefined {
  const given = flag ?? env.BATON_COORDINATOR;
  if (given === undefined) return undefined;
  try {
    return parseHostPort(given);
  } catch (err) {
    throw new CliError(`${flag !== undefined ? '--coordinator' : 'BATON_COORDINATOR'}: ${(err as Error).message}`, EXIT_BAD_INPUT);
  }
}

/** What the client commands take to reach the coordinator: their --coordinator, --config and --insecure options. */
export interface ConnectionOptions {
  /** `--coordinator HOST:PORT` */
  readonly coordinator?: string;
  /** `--config FILE` */
  readonly config?: string;
  /** `--insecure` */
  readonly insecure?: boolean;
}

/** How a connection is secured: a credential and where it was found, or an explicit --insecure. */
export type ConnectionSecurity =
  | { readonly insecure: false; readonly credential: ClientCredential; readonly source: CredentialSource }
  /** `why`: what asked for it (`--insecure`, `BATON_INSECURE=1`, or the file with "insecure": true). */
  | { readonly insecure: true; readonly why: string };

/** A coordinator to call and how: what every call of the CLI is given. */
export interface Connection {
  /** HOST:PORT */
  readonly target: string;
  readonly security: ConnectionSecurity;
}

export interface ResolveContext {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default $HOME, else os.homedir() */
  readonly home?: string;
  /** @default process.getuid() */
  readonly uid?: number;
  /** @default Date.now() */
  readonly nowMs?: number;
}

/**
 * The coordinator a command calls and the credential it calls with. Insecure only when asked
 * (`--insecure`, BATON_INSECURE=1, or a credential file with "insecure": true), never because no
 * credential was found: that is an error saying where the CLI looked and what to do. The target is
 * --coordinator, then BATON_COORDINATOR, then the credential file's, then 127.0.0.1:7400.
 */
export function resolveConnection(o: ConnectionOptions = {}, ctx: ResolveContext = {}): Connection {
  const env = ctx.env ?? process.env;
  const given = parseTarget(o.coordinator, env);
  const dialled = given ?? parseHostPort(DEFAULT_COORDINATOR);
  if (o.insecure || parseInsecureEnv(env.BATON_INSECURE)) {
    const why = o.insecure ? '--insecure' : 'BATON_INSECURE=1';
    if (o.config !== undefined) throw new CliError(`--config and ${why}: a credential file is for a TLS coordinator; give one or the other`, EXIT_BAD_INPUT);
    return { target: formatHostPort(dialled), security: { insecure: true, why } };
  }
  const found = findCredentials({ flag: o.config, env, home: ctx.home, uid: ctx.uid, nowMs: ctx.nowMs, target: dialled });
  if (found.status === 'invalid') throw new CliError(found.error, EXIT_BAD_INPUT);
  if (found.status === 'missing') {
    throw new CliError(
      `no credential for the coordinator at ${formatHostPort(dialled)}; looked at: ${found.looked.join('; ')}. ` +
        `Run on the coordinator's host as the user that runs it, or pass --config FILE from \`baton credentials create\` ` +
        '(--insecure only for a coordinator started with --insecure)',
      EXIT_FAILURE,
    );
  }
  const cred = found.credential;
  const target = formatHostPort(given ?? parseHostPort(cred.coordinator));
  if (isInsecureCredential(cred)) return { target, security: { insecure: true, why: `${found.source.label} ("insecure": true)` } };
  return { target, security: { insecure: false, credential: cred, source: found.source } };
}

/** BATON_INSECURE: 1/true on, unset/empty/0/false off; anything else is a typo worth an error. */
function parseInsecureEnv(v: string | undefined): boolean {
  if (v === undefined || v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (v === '1' || v.toLowerCase() === 'true') return true;
  throw new CliError(`BATON_INSECURE: expected 1 or 0, got ${JSON.stringify(v)}`, EXIT_BAD_INPUT);
}

/** Help of the --coordinator, --config and --insecure options every command that calls the coordinator has. */
export const CONFIG_HELP = "credential file (default: $BATON_CONFIG, ~/.baton/config, or on the coordinator's host its own admin credential)";
export const INSECURE_HELP = 'plaintext and unauthenticated, only for a coordinator started with --insecure (also BATON_INSECURE=1)';
export const COORDINATOR_HELP = 'coordinator address (default: $BATON_COORDINATOR, the credential file\'s, or 127.0.0.1:7400)';

/** The warning `baton nodes` prints on every run over an insecure connection. */
export const INSECURE_WARNING = 'warning: the coordinator connection is not encrypted or authenticated (--insecure)';

/**
 * How much the coordinator may send the CLI ahead of what it has read (HTTP/2 flow-control window,
 * per stream and per connection). With HTTP/2's default 64 KiB a listing went out 64 KiB per round
 * trip, each waiting for a turn of a busy coordinator's event loop (10,000 agents reporting): a
 * 4,000-node `baton nodes` took 2-13 s, 1.5-2 s with this window (same run, alternating). A
 * listing is read whole into memory anyway; 32 MiB holds the largest one measured (100,000
 * replicas, 12 MB) in one go.
 */
const LIST_WINDOW_BYTES = 32 * 1024 * 1024;

/** A string is a target to reach as the CLI would (resolveConnection with it as --coordinator). */
function asConnection(to: Connection | string): Connection {
  return typeof to === 'string' ? resolveConnection({ coordinator: to }) : to;
}

/** TLS with the credential's certificate, trusting only its cluster CA, or plaintext when the connection is insecure. */
export function channelCredentials(security: ConnectionSecurity): grpc.ChannelCredentials {
  if (security.insecure) return grpc.credentials.createInsecure();
  const c = security.credential;
  return grpc.credentials.createSsl(Buffer.from(c.ca), Buffer.from(c.key), Buffer.from(c.cert));
}

/**
 * A ControlService client for the connection: mutual TLS that accepts only a coordinator whose
 * certificate chains to the credential's cluster CA and names coordinator.baton, whatever address
 * was dialled; plaintext only for an insecure connection. A string target is resolved as the CLI
 * would (its credential lookup, from this process's environment).
 */
export function controlClient(to: Connection | string): ControlServiceClient {
  const conn = asConnection(to);
  const proto = loadProto();
  return new proto.baton.v1.ControlService(conn.target, channelCredentials(conn.security), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc-node.flow_control_window': LIST_WINDOW_BYTES,
    // Whatever address was dialled, the coordinator's certificate must name this (and come from the cluster CA).
    ...(conn.security.insecure ? {} : { 'grpc.ssl_target_name_override': COORDINATOR_TLS_NAME }),
  });
}

/** Exit statuses of every `baton` command: 0 ok, 1 failure (or coordinator unreachable), 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** An error meant for the user: printed as one line, exit status 1 (or `exitCode`). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
    /** The coordinator's gRPC status code, when the error came from it. */
    readonly grpcCode?: grpc.status,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The coordinator's answer is about what the user asked (a bad file, an unknown name): exit 2. */
const BAD_INPUT_CODES: ReadonlySet<grpc.status> = new Set([grpc.status.INVALID_ARGUMENT, grpc.status.NOT_FOUND]);

/** Refusals by the coordinator's authorization: what the caller's certificate may not do. */
const REFUSED_CODES: ReadonlySet<grpc.status> = new Set([grpc.status.UNAUTHENTICATED, grpc.status.PERMISSION_DENIED]);
const UNREACHABLE = /(ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)/;
/** Node's TLS: the coordinator's chain does not lead to the CA the CLI trusts (or is out of date). */
const UNTRUSTED = /(self[- ]signed certificate[^.]*|unable to verify the first certificate|unable to get (?:local )?issuer certificate|certificate has expired|certificate is not yet valid|certificate signature failure)/i;
const WRONG_NAME = /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/;
/** What OpenSSL says when TLS meets a plaintext peer. */
const NOT_TLS = /(wrong version number|packet length too long|unknown protocol|http request)/i;

/** Turns a failed call into a one-line CliError whose exit status follows from the gRPC code alone. */
export function describeRpcError(err: unknown, to: Connection | string): CliError {
  const e = err as Partial<grpc.ServiceError>;
  const target = typeof to === 'string' ? to : to.target;
  const security = typeof to === 'string' ? undefined : to.security;
  const details = e.details ?? '';
  if (e.code === grpc.status.UNAVAILABLE || e.code === grpc.status.DEADLINE_EXCEEDED) {
    const unreachable = UNREACHABLE.exec(details)?.[1];
    if (!unreachable && security) {
      const transport = transportProblem(details, target, security);
      if (transport) return new CliError(transport, EXIT_FAILURE, e.code);
    }
    const why = unreachable ?? (e.details || e.message);
    return new CliError(`cannot reach the coordinator at ${target} (${why}); start one with \`baton coordinator\` or set --coordinator / BATON_COORDINATOR`, EXIT_FAILURE, e.code);
  }
  if (typeof e.code === 'number') {
    if (REFUSED_CODES.has(e.code)) {
      const withWhat = security ? ` (${security.insecure ? `no credential: ${security.why}` : `credential ${security.source.label}`})` : '';
      return new CliError(`coordinator at ${target} refused: ${e.details || e.message}${withWhat}`, EXIT_FAILURE, e.code);
    }
    // The user's own input comes back as just the coordinator's message, as offline checks print it.
    if (BAD_INPUT_CODES.has(e.code)) return new CliError(e.details || e.message || 'bad input', EXIT_BAD_INPUT, e.code);
    return new CliError(`coordinator at ${target}: ${e.details || e.message}`, EXIT_FAILURE, e.code);
  }
  return new CliError(String((err as Error)?.message ?? err));
}

/** A connection that failed in TLS (or for the lack of it), said in terms of what to do; undefined when it was not that. */
function transportProblem(details: string, target: string, security: ConnectionSecurity): string | undefined {
  if (security.insecure) {
    // A plaintext HTTP/2 preface to a TLS port: the coordinator just hangs up.
    if (/Failed to connect|ECONNRESET|Connection dropped|socket hang up/i.test(details)) {
      return `the coordinator at ${target} closed the plaintext connection (${security.why}); a coordinator uses TLS unless it was started with --insecure: drop ${security.why} and use a credential (--config FILE)`;
    }
    return undefined;
  }
  const label = security.source.label;
  const untrusted = UNTRUSTED.exec(details)?.[1];
  if (untrusted) return `cannot trust the coordinator at ${target} (${untrusted}): its certificate is not from the cluster CA in ${label}; is that credential for this cluster?`;
  if (WRONG_NAME.test(details)) return `cannot trust the coordinator at ${target}: its certificate does not carry the name ${COORDINATOR_TLS_NAME} that every Baton coordinator's has`;
  if (NOT_TLS.test(details)) return `the coordinator at ${target} does not speak TLS: it was started with --insecure, and only --insecure reaches it`;
  if (/Failed to connect|ECONNRESET|Connection dropped|alert/i.test(details)) {
    return `the coordinator at ${target} ended the TLS handshake (${details.replace(/^No connection established\. Last error: /, '').replace(/\. Resolution note:.*$/s, '').trim()}): it may not accept the certificate in ${label}`;
  }
  return undefined;
}

/** Calls a unary method with a deadline and turns failures into CliErrors. */
export function unary<Req, Res>(
  to: Connection | string,
  fn: (client: ControlServiceClient, req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
  timeoutMs = 5000,
): Promise<Res> {
  const conn = asConnection(to);
  const client = controlClient(conn);
  return new Promise<Res>((resolve, reject) => {
    fn(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => {
      client.close();
      if (err || res === undefined) reject(describeRpcError(err ?? new Error('empty response'), conn));
      else resolve(res);
    });
  });
}

/** How long a whole listing may take; lists stream, so this bounds a stuck coordinator, not size. */
export const LIST_TIMEOUT_MS = 60_000;

/** Reads a server-streaming List* call to its end and concatenates its batches, in order. */
export function collectBatches<Batch, Item>(call: grpc.ClientReadableStream<Batch>, items: (batch: Batch) => Item[]): Promise<Item[]> {
  return new Promise<Item[]>((resolve, reject) => {
    const out: Item[] = [];
    call.on('data', (batch: Batch) => {
      for (const item of items(batch)) out.push(item);
    });
    call.on('error', reject);
    call.on('end', () => resolve(out));
  });
}

/** Calls a List* method (server-streaming, in batches) with a deadline; failures become CliErrors. */
export async function list<Req, Batch, Item>(
  to: Connection | string,
  fn: (client: ControlServiceClient, req: Req, opts: grpc.CallOptions) => grpc.ClientReadableStream<Batch>,
  req: Req,
  items: (batch: Batch) => Item[],
  timeoutMs = LIST_TIMEOUT_MS,
): Promise<Item[]> {
  const conn = asConnection(to);
  const client = controlClient(conn);
  try {
    return await collectBatches(fn(client, req, { deadline: Date.now() + timeoutMs }), items);
  } catch (err) {
    throw describeRpcError(err, conn);
  } finally {
    client.close();
  }
}
