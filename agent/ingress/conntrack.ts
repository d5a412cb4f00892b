// Open connections as the kernel tracks them, for connection draining and the report: a pure parser
// of /proc/net/nf_conntrack (and `conntrack -L`, same tuples) and a reader with that fallback.
import { execFile, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fail, ok, type Result } from '../../shared/result.js';

/** TCP states that still carry (or are about to carry) traffic; FIN_WAIT and later are going away. */
const OPEN_STATES = new Set(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV']);

export const CONNTRACK_PROC = '/proc/net/nf_conntrack';

/**
 * Open TCP connections by their reply source `ip:port` (the server side after NAT: a replica's
 * container address and target port, whatever address the client used).
 */
export function parseConntrack(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) countLine(line, out);
  return out;
}

/** Adds one conntrack line's connection to `out` when it is an open TCP one. */
function countLine(line: string, out: Map<string, number>): void {
  const f = line.trim().split(/\s+/);
  // /proc: "ipv4 2 tcp 6 <ttl> <STATE> src=..."; conntrack -L: "tcp 6 <ttl> <STATE> src=..."
  const at = f[0] === 'ipv4' ? 2 : 0;
  if (f[at] !== 'tcp' || !OPEN_STATES.has(f[at + 3] ?? '')) return;
  const src: string[] = [];
  const sport: string[] = [];
  for (const x of f) {
    if (x.startsWith('src=')) src.push(x.slice(4));
    else if (x.startsWith('sport=')) sport.push(x.slice(6));
  }
  // The second tuple is the reply direction.
  if (src.length < 2 || sport.length < 2) return;
  const key = `${src[1]}:${sport[1]}`;
  out.set(key, (out.get(key) ?? 0) + 1);
}

/**
 * The default source, read line by line: under load the table holds tens of thousands of entries
 * (TIME_WAIT lasts two minutes), megabytes of text that the agent should not hold as one string.
 */
async function streamOpenConnections(): Promise<Result<Map<string, number>>> {
  const out = new Map<string, number>();
  const count = async (input: NodeJS.ReadableStream) => {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) countLine(line, out);
  };
  try {
    await count(createReadStream(CONNTRACK_PROC, { encoding: 'utf8' }));
    return ok(out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return fail(`${CONNTRACK_PROC}: ${(err as Error).message}`);
  }
  const child = spawn('conntrack', ['-L', '-p', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  const exited = new Promise<string>((resolve) => {
    child.on('error', (e) => resolve(e.message));
    child.on('close', (code) => resolve(code === 0 ? '' : `exit ${code}`));
  });
  await count(child.stdout);
  const err = await exited;
  return err ? fail(`${CONNTRACK_PROC} absent and conntrack -L failed: ${err}`) : ok(out);
}

export type ConntrackSource = () => Promise<Result<string>>;

/** /proc/net/nf_conntrack, or `conntrack -L` where the file is absent (newer kernels without the compat file). */
export const readConntrackText: ConntrackSource = async () => {
  try {
    return ok(await readFile(CONNTRACK_PROC, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return fail(`${CONNTRACK_PROC}: ${(err as Error).message}`);
  }
  return new Promise((resolve) => {
    execFile('conntrack', ['-L', '-p', 'tcp'], { maxBuffer: 64 * 1024 * 1024, timeout: 10_000 }, (err, stdout) =>
      resolve(err ? fail(`${CONNTRACK_PROC} absent and conntrack -L failed: ${err.message}`) : ok(stdout)),
    );
  });
};

export async function openConnections(source: ConntrackSource = readConntrackText): Promise<Result<Map<string, number>>> {
  if (source === readConntrackText) return streamOpenConnections();
  const text = await source();
  return text.ok ? ok(parseConntrack(text.value)) : text;
}

/** Deletes tracked connections; resolves with an error text, or '' (none to delete is not an error). */
export type ConntrackDelete = (address: string, port: number) => Promise<string>;

/**
 * Forgets the handshakes still unanswered (SYN_SENT) whose reply source is `address:port`, an
 * endpoint just taken out of the rules (a dead or stopping replica). The kernel keeps such an entry
 * bound to its old destination, so the client's retransmitted SYN would follow it there and hang;
 * without the entry the retransmit (about a second later) is forwarded afresh, to a serving endpoint.
 * Established connections are left alone: they finish (draining), or fail by themselves.
 */
export const deleteUnanswered: ConntrackDelete = (address, port) =>
  new Promise((resolve) => {
    execFile('conntrack', ['-D', '-p', 'tcp', '--state', 'SYN_SENT', '--reply-src', address, '--reply-port-src', String(port)], { timeout: 5000 }, (err, _stdout, stderr) => {
      // Exit 1 with "0 flow entries have been deleted" is the common case.
      if (!err || /0 flow entries/.test(stderr)) resolve('');
      else resolve((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'conntrack is not installed' : `conntrack -D: ${stderr.trim() || err.message}`);
    });
  });
