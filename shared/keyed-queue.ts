// Serial work per key: tasks for one key run one at a time, in call order; different keys run
// concurrently. The agent keys by allocation id, so a replica's start, stop, remove and exit
// handling never interleave. A tail per key, dropped once the key's queue is empty.

export class KeyedQueue<K = string> {
  private readonly tails = new Map<K, Promise<void>>();

  /** @param onError sees every task failure; the caller of run() sees it too, and later tasks still run. */
  constructor(private readonly onError?: (key: K, err: unknown) => void) {}

  /** Runs `task` after every task queued before it for `key`; resolves or rejects with its result. */
  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      (err: unknown) => this.onError?.(key, err),
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
