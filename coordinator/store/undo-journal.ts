// Makes a store transaction all-or-nothing without copying the state: the transaction's function
// writes through a proxy that records each property's previous value, and a function that throws
// has its writes undone in reverse order. A copy-on-write draft (immer) would copy every object a
// transaction touches, which for the allocations map of a large cluster (100,000 keys) is one
// 100,000-key copy per container event; the journal costs one entry per write.
// Arrays are not proxied: the first time a transaction reaches one, a shallow copy of it is kept
// and restored on undo (a splice through a proxy costs a trap per element moved: the 1,000-event
// log's trim made every append cost milliseconds). Objects inside arrays are therefore not
// tracked: a transaction replaces an array element rather than changing it in place.

type Obj = Record<PropertyKey, unknown>;

type Entry =
  | { kind: 'property'; target: Obj; key: PropertyKey; had: boolean; old: unknown }
  | { kind: 'array'; target: unknown[]; copy: unknown[] };

export class UndoJournal {
  private readonly entries: Entry[] = [];
  private readonly proxies = new WeakMap<object, object>();
  private readonly targets = new WeakMap<object, object>();
  /**
   * Proxies handed out below the state's top-level collections. Only those can end up inside a
   * value a transaction stores (a record copied with `{ ...record }`); while there are none,
   * stored values need no walk (a bulk insert of 100,000 fresh records stays cheap).
   */
  private deepProxies = 0;
  private readonly arraysSaved = new WeakSet<unknown[]>();

  /** A proxy over `root` whose writes (at any depth) are recorded. */
  track<T extends object>(root: T): T {
    return this.wrap(root, 0) as T;
  }

  /**
   * `v` with every proxy this journal made replaced by its plain object, at any depth: values
   * stored into the state must be plain (`{ ...record }` of a tracked record holds tracked children).
   */
  unwrap<T>(v: T): T {
    if (v === null || typeof v !== 'object') return v;
    const target = this.targets.get(v);
    if (target) return target as T;
    if (this.deepProxies === 0) return v;
    // An object of the state itself (reached before through a proxy) holds no proxies.
    if (this.proxies.has(v)) return v;
    const o = v as Obj;
    for (const k of Object.keys(o)) {
      const child = o[k];
      if (child !== null && typeof child === 'object') {
        const plain = this.unwrap(child);
        if (plain !== child) o[k] = plain;
      }
    }
    return v;
  }

  /** Whether the transaction set, defined or deleted a property of `target` itself (not of its children). */
  wrote(target: object): boolean {
    return this.entries.some((e) => e.target === target);
  }

  /** Restores every recorded property, newest first. */
  undo(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.kind === 'array') e.target.splice(0, e.target.length, ...e.copy);
      else if (e.had) e.target[e.key] = e.old;
      else delete e.target[e.key];
    }
    this.entries.length = 0;
  }

  private wrap(obj: object, depth: number): object {
    const known = this.proxies.get(obj);
    if (known) return known;
    if (depth >= 2) this.deepProxies++;
    const proxy = new Proxy(obj as Obj, {
      get: (target, key, receiver) => {
        const v = Reflect.get(target, key, receiver) as unknown;
        if (Array.isArray(v)) {
          if (!this.arraysSaved.has(v)) {
            this.arraysSaved.add(v);
            this.entries.push({ kind: 'array', target: v, copy: v.slice() });
          }
          return v;
        }
        return v !== null && typeof v === 'object' ? this.wrap(v, depth + 1) : v;
      },
      set: (target, key, value) => {
        this.entries.push({ kind: 'property', target, key, had: Object.hasOwn(target, key), old: target[key] });
        target[key] = this.unwrap(value);
        return true;
      },
      deleteProperty: (target, key) => {
        if (Object.hasOwn(target, key)) this.entries.push({ kind: 'property', target, key, had: true, old: target[key] });
        return delete target[key];
      },
      defineProperty: (target, key, desc) => {
        this.entries.push({ kind: 'property', target, key, had: Object.hasOwn(target, key), old: target[key] });
        return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: this.unwrap(desc.value) } : desc);
      },
    });
    this.proxies.set(obj, proxy);
    this.targets.set(proxy, obj);
    return proxy;
  }
}
