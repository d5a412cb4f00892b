// Makes a store transaction all-or-nothing without copying the state: the transaction's function
// writes through a proxy that records each property's previous value, and a function that throws
// has its writes undone in reverse order. A copy-on-write draft (immer) would copy every object a
// transaction touches, which for the allocations map of a large cluster (100,000 keys) is one
// 100,000-key copy per container event; the journal costs one entry per write.

type Obj = Record<PropertyKey, unknown>;

interface Entry {
  target: Obj;
  key: PropertyKey;
  had: boolean;
  old: unknown;
}

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

  /** Restores every recorded property, newest first. */
  undo(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.had) e.target[e.key] = e.old;
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
        return v !== null && typeof v === 'object' ? this.wrap(v, depth + 1) : v;
      },
      set: (target, key, value) => {
        // Writing an index past the end also moves an array's length: note the length first.
        if (Array.isArray(target) && key !== 'length') this.entries.push({ target, key: 'length', had: true, old: target.length });
        this.entries.push({ target, key, had: Object.hasOwn(target, key), old: target[key] });
        target[key] = this.unwrap(value);
        return true;
      },
      deleteProperty: (target, key) => {
        if (Object.hasOwn(target, key)) this.entries.push({ target, key, had: true, old: target[key] });
        return delete target[key];
      },
      defineProperty: (target, key, desc) => {
        if (Array.isArray(target) && key !== 'length') this.entries.push({ target, key: 'length', had: true, old: target.length });
        this.entries.push({ target, key, had: Object.hasOwn(target, key), old: target[key] });
        return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: this.unwrap(desc.value) } : desc);
      },
    });
    this.proxies.set(obj, proxy);
    this.targets.set(proxy, obj);
    return proxy;
  }
}
