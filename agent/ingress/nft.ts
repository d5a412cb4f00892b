// The agent's only contact with nftables: apply a script (`nft -f -`, one atomic transaction), read
// the named counters of its table (`nft -j list counters table`), delete the table. Errors are values.
import { spawn } from 'node:child_process';
import { fail, ok, type Result } from '../../shared/result.js';
import { DEFAULT_TABLE, deleteScript } from './ruleset.js';

export interface NftOptions {
  /** The command (and leading arguments), e.g. ['nsenter', '--net=/run/netns/x', '--', 'nft'] in tests. @default ['nft'] */
  readonly command?: readonly string[];
  /** @default 10000 */
  readonly timeoutMs?: number;
}

export interface CounterValue {
  readonly packets: number;
  readonly bytes: number;
}

export class Nft {
  private readonly command: readonly string[];
  private readonly timeoutMs: number;

  constructor(options: NftOptions = {}) {
    this.command = options.command ?? ['nft'];
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Applies a whole script atomically: the kernel takes all of it or none. */
  async apply(script: string): Promise<Result<void>> {
    const r = await this.run(['-f', '-'], script);
    return r.ok ? ok(undefined) : r;
  }

  /** Checks a script without applying it (`nft -c`). */
  async check(script: string): Promise<Result<void>> {
    const r = await this.run(['-c', '-f', '-'], script);
    return r.ok ? ok(undefined) : r;
  }

  /** The table's named counters by name; an empty map when the table does not exist. */
  async counters(table = DEFAULT_TABLE): Promise<Result<Map<string, CounterValue>>> {
    // Only the counters: the whole table's JSON is some 20 times larger (75 KB for 10 services of
    // 3 replicas), parsed every sample by an agent at its memory budget.
    const r = await this.run(['-j', 'list', 'counters', 'table', 'ip', table]);
    if (!r.ok) return /No such file or directory/.test(r.error) ? ok(new Map()) : r;
    return parseCounters(r.value);
  }

  /** Removes the table; absent already counts as done. */
  async deleteTable(table = DEFAULT_TABLE): Promise<Result<void>> {
    return this.apply(deleteScript(table));
  }

  private run(args: readonly string[], stdin?: string): Promise<Result<string>> {
    const [cmd, ...lead] = this.command;
    return new Promise((resolve) => {
      let out = '';
      let err = '';
      let settled = false;
      const done = (r: Result<string>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const child = spawn(cmd!, [...lead, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        done(fail(`nft ${args.join(' ')}: no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
      child.on('error', (e) => done(fail(`nft: ${e.message}`)));
      child.on('close', (code) => done(code === 0 ? ok(out) : fail(`nft ${args.join(' ')} exited ${code}: ${err.trim()}`)));
      child.stdin.on('error', () => undefined); // nft may exit before reading all of stdin; `close` reports why
      child.stdin.end(stdin ?? '');
    });
  }
}

/** Named counters from `nft -j list counters table` (or `list table`) output. */
export function parseCounters(json: string): Result<Map<string, CounterValue>> {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    return fail(`nft -j: not JSON: ${(e as Error).message}`);
  }
  const items = (doc as { nftables?: unknown }).nftables;
  if (!Array.isArray(items)) return fail('nft -j: no nftables array');
  const out = new Map<string, CounterValue>();
  for (const item of items) {
    const c = (item as { counter?: { name?: unknown; packets?: unknown; bytes?: unknown } }).counter;
    if (c && typeof c.name === 'string') out.set(c.name, { packets: Number(c.packets) || 0, bytes: Number(c.bytes) || 0 });
  }
  return ok(out);
}
