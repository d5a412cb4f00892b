// The CLI's connection to the coordinator: where to find it, and one-line errors instead of
// stack traces when it cannot be reached.
import * as grpc from '@grpc/grpc-js';
import { formatHostPort, parseHostPort } from '../address.js';
import type { ControlServiceClient } from '../grpc/gen/baton/v1/ControlService.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../grpc/load.js';

export const DEFAULT_COORDINATOR = '127.0.0.1:7400';

/** `--coordinator`, then BATON_COORDINATOR, then 127.0.0.1:7400. A malformed address is bad input (exit 2). */
export function coordinatorTarget(flag: string | undefined, env = process.env): string {
  const where = flag !== undefined ? '--coordinator' : env.BATON_COORDINATOR !== undefined ? 'BATON_COORDINATOR' : 'default';
  try {
    return formatHostPort(parseHostPort(flag ?? env.BATON_COORDINATOR ?? DEFAULT_COORDINATOR));
  } catch (err) {
    throw new CliError(`${where}: ${(err as Error).message}`, EXIT_BAD_INPUT);
  }
}

/**
 * How much the coordinator may send the CLI ahead of what it has read (HTTP/2 flow-control window,
 * per stream and per connection). With HTTP/2's default 64 KiB a listing went out 64 KiB per round
 * trip, each waiting for a turn of a busy coordinator's event loop (10,000 agents reporting): a
 * 4,000-node `baton nodes` took 2-13 s, 1.5-2 s with this window (same run, alternating). A
 * listing is read whole into memory anyway; 32 MiB holds the largest one measured (100,000
 * replicas, 12 MB) in one go.
 */
const LIST_WINDOW_BYTES = 32 * 1024 * 1024;

export function controlClient(target: string): ControlServiceClient {
  const proto = loadProto();
  return new proto.baton.v1.ControlService(target, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc-node.flow_control_window': LIST_WINDOW_BYTES,
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

/** Turns a failed call into a one-line CliError whose exit status follows from the gRPC code alone. */
export function describeRpcError(err: unknown, target: string): CliError {
  const e = err as Partial<grpc.ServiceError>;
  if (e.code === grpc.status.UNAVAILABLE || e.code === grpc.status.DEADLINE_EXCEEDED) {
    const why = /(ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)/.exec(e.details ?? '')?.[1] ?? e.details ?? e.message;
    return new CliError(`cannot reach the coordinator at ${target} (${why}); start one with \`baton coordinator\` or set --coordinator / BATON_COORDINATOR`, EXIT_FAILURE, e.code);
  }
  if (typeof e.code === 'number') {
    // The user's own input comes back as just the coordinator's message, as offline checks print it.
    if (BAD_INPUT_CODES.has(e.code)) return new CliError(e.details || e.message || 'bad input', EXIT_BAD_INPUT, e.code);
    return new CliError(`coordinator at ${target}: ${e.details || e.message}`, EXIT_FAILURE, e.code);
  }
  return new CliError(String((err as Error)?.message ?? err));
}

/** Calls a unary method with a deadline and turns failures into CliErrors. */
export function unary<Req, Res>(
  target: string,
  fn: (client: ControlServiceClient, req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
  timeoutMs = 5000,
): Promise<Res> {
  const client = controlClient(target);
  return new Promise<Res>((resolve, reject) => {
    fn(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => {
      client.close();
      if (err || res === undefined) reject(describeRpcError(err ?? new Error('empty response'), target));
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
  target: string,
  fn: (client: ControlServiceClient, req: Req, opts: grpc.CallOptions) => grpc.ClientReadableStream<Batch>,
  req: Req,
  items: (batch: Batch) => Item[],
  timeoutMs = LIST_TIMEOUT_MS,
): Promise<Item[]> {
  const client = controlClient(target);
  try {
    return await collectBatches(fn(client, req, { deadline: Date.now() + timeoutMs }), items);
  } catch (err) {
    throw describeRpcError(err, target);
  } finally {
    client.close();
  }
}
