// Secrets and configs: `baton secret|config create|ls|rm`, the deploy-time creation of a stack's
// `file:` ones, and the plain text of a secret for the agents that mount it. Writes go through the
// store (its one writer of durable state); a secret is in the state only sealed (sealing.ts).
//
// Content is immutable, as in Swarm: creating a name that exists is refused, and a redeploy whose
// `file:` content changed is refused while a service uses it (rotate by giving it a new `name:`).
import { isStoreName, MAX_FILE_OBJECT_BYTES, STORE_NAME_HINT, type FileObjectKind } from '../../shared/compose/file-objects.js';
import type { StackSpec } from '../../shared/compose/types.js';
import { ConflictError, InputError, NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import type { Result } from '../../shared/result.js';
import type { State, Store } from '../store/index.js';
import { open, seal, type SealingKey } from './sealing.js';

export interface FileObjectInfo {
  name: string;
  sizeBytes: number;
  createdAtMs: number;
  /** The stack whose file created it; '' for `baton secret|config create`. */
  stack: string;
  /** `stack/service` of every service that mounts it. */
  usedBy: string[];
}

const ONE: Record<FileObjectKind, string> = { secrets: 'secret', configs: 'config' };

export class SecretStore {
  constructor(
    private readonly store: Store,
    private readonly key: SealingKey,
    private readonly clock: Clock,
  ) {}

  create(kind: FileObjectKind, name: string, content: Uint8Array): { name: string; sizeBytes: number } {
    checkName(kind, name);
    checkSize(kind, name, content);
    if (own(this.store.state[kind], name)) throw new ConflictError(`${ONE[kind]} ${name} exists; its content cannot change: create the new content under a new name (and point the services at it), or rm this one first`);
    const now = this.clock.now();
    this.store.transact((s) => this.put(s, kind, name, content, undefined, now));
    return { name, sizeBytes: content.length };
  }

  list(kind: FileObjectKind): FileObjectInfo[] {
    const users = this.users(kind);
    return Object.values(this.store.state[kind])
      .map((r) => ({ name: r.name, sizeBytes: r.sizeBytes, createdAtMs: r.createdAtMs, stack: r.stack ?? '', usedBy: users.get(r.name) ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  remove(kind: FileObjectKind, name: string): void {
    if (!own(this.store.state[kind], name)) throw new NotFoundError(`${ONE[kind]} ${JSON.stringify(name)}: no such ${ONE[kind]}`, `${ONE[kind]} ${name}`);
    const users = this.users(kind).get(name);
    if (users?.length) throw new ConflictError(`${ONE[kind]} ${name} is in use by ${users.join(', ')}: remove it from those services (or remove them) first`);
    this.store.transact((s) => {
      delete s[kind][name];
    });
  }

  /** A config's content (configs are not secret). */
  configContent(name: string): Buffer {
    const r = own(this.store.state.configs, name);
    if (!r) throw new NotFoundError(`config ${JSON.stringify(name)}: no such config`, `config ${name}`);
    return Buffer.from(r.data, 'base64');
  }

  /** What an agent is sent for a replica: the plain text of a secret or config, or why it cannot be had. */
  content(kind: FileObjectKind, name: string): Result<Buffer> {
    if (kind === 'configs') {
      const r = own(this.store.state.configs, name);
      return r ? { ok: true, value: Buffer.from(r.data, 'base64') } : { ok: false, error: `config ${name}: not in the store` };
    }
    const r = own(this.store.state.secrets, name);
    if (!r) return { ok: false, error: `secret ${name}: not in the store` };
    return open(this.key, name, r.sealed);
  }

  /**
   * Before a deploy writes anything: every external one exists, and a `file:` one that exists
   * holds the same content or is used by no service. Returns the errors (empty: the deploy may go on).
   */
  checkStack(stack: StackSpec): string[] {
    const errors: string[] = [];
    for (const kind of ['secrets', 'configs'] as const) {
      const users = this.users(kind);
      for (const d of stack[kind] ?? []) {
        const have = own(this.store.state[kind], d.name);
        if (d.external) {
          if (!have) errors.push(`${kind}.${d.key}: external ${ONE[kind]} ${d.name} does not exist: create it with \`baton ${ONE[kind]} create ${d.name} FILE\``);
          continue;
        }
        if (!have || !d.content) continue;
        const same = this.content(kind, d.name);
        if (!same.ok) {
          errors.push(`${kind}.${d.key}: ${same.error}`);
          continue;
        }
        if (Buffer.compare(same.value, Buffer.from(d.content)) === 0) continue;
        const used = users.get(d.name);
        if (used?.length) {
          errors.push(
            `${kind}.${d.key}: the content of ${d.file ?? 'the file'} changed, but ${ONE[kind]} ${d.name} is in use by ${used.join(', ')} and its content cannot change (as in Swarm); ` +
              `to rotate, give it a new name (name: ${d.name}_v2) and redeploy`,
          );
        }
      }
    }
    return errors;
  }

  /** Inside the deploy's transaction: creates (or replaces, when unused: checkStack) the stack's `file:` ones. */
  writeStack(s: State, stack: StackSpec, now: number): void {
    for (const kind of ['secrets', 'configs'] as const) {
      for (const d of stack[kind] ?? []) {
        if (d.external || !d.content) continue;
        const have = own(s[kind], d.name);
        if (have) {
          const cur = this.content(kind, d.name);
          if (cur.ok && Buffer.compare(cur.value, Buffer.from(d.content)) === 0) continue;
        }
        this.put(s, kind, d.name, d.content, stack.name, now);
      }
    }
  }

  /** Inside a stack removal's transaction: the `file:` ones that stack created and no other service uses. */
  removeStackObjects(s: State, stack: string): void {
    for (const kind of ['secrets', 'configs'] as const) {
      const users = usersIn(s, kind);
      for (const r of Object.values(s[kind])) {
        if (r.stack === stack && !(users.get(r.name) ?? []).some((u) => !u.startsWith(`${stack}/`))) delete s[kind][r.name];
      }
    }
  }

  private put(s: State, kind: FileObjectKind, name: string, content: Uint8Array, stack: string | undefined, now: number): void {
    const base = { name, sizeBytes: content.length, createdAtMs: now, ...(stack ? { stack } : {}) };
    if (kind === 'secrets') s.secrets[name] = { ...base, sealed: seal(this.key, name, content) };
    else s.configs[name] = { ...base, data: Buffer.from(content).toString('base64') };
  }

  private users(kind: FileObjectKind): Map<string, string[]> {
    return usersIn(this.store.state as State, kind);
  }
}

/** Store name -> `stack/service` of every service whose spec mounts it. */
function usersIn(s: Pick<State, 'stacks'>, kind: FileObjectKind): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const st of Object.values(s.stacks)) {
    for (const [svc, rec] of Object.entries(st.services)) {
      for (const m of rec.spec[kind] ?? []) {
        const list = out.get(m.source) ?? [];
        const who = `${st.name}/${svc}`;
        if (!list.includes(who)) list.push(who);
        out.set(m.source, list);
      }
    }
  }
  return out;
}

/** A record by name that is the object's own (a name such as `toString` or `__proto__` finds nothing). */
function own<R extends Readonly<Record<string, unknown>>>(records: R, name: string): R[string] | undefined {
  return Object.hasOwn(records, name) ? (records[name] as R[string]) : undefined;
}

function checkName(kind: FileObjectKind, name: string): void {
  if (!isStoreName(name)) throw new InputError(`NAME: ${JSON.stringify(name)} is not a ${ONE[kind]} name (${STORE_NAME_HINT})`);
}

function checkSize(kind: FileObjectKind, name: string, content: Uint8Array): void {
  if (content.length === 0) throw new InputError(`${ONE[kind]} ${name}: the content is empty`);
  if (content.length > MAX_FILE_OBJECT_BYTES) throw new InputError(`${ONE[kind]} ${name}: ${content.length} bytes; a ${ONE[kind]} holds at most ${MAX_FILE_OBJECT_BYTES} bytes`);
}
