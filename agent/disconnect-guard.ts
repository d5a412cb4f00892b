// x-baton.on_disconnect.stop_after on the agent's side (Nomad's `disconnect.stop_on_client_after`):
// while the agent has no session with the coordinator, a replica that carries a stop_after bound is
// stopped by the agent itself once the agent has been cut off that long, and reported `failed` with
// the reason. It bounds how long two copies of a singleton can run when the coordinator replaces it
// elsewhere. Every other replica keeps running (and restarting per policy) for as long as the cut
// lasts. The bound is read from the container's label, so an agent restarted while cut off still
// applies it (counting from its own start: a fresh agent has had no session yet).
import { systemClock, type Clock, type TimerHandle } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/** What the guard needs of a replica's container (the executor's list entry). */
export interface GuardedContainer {
  readonly allocationId: string;
  readonly running: boolean;
  readonly stopAfterDisconnectMs?: number;
}

/** The running replicas whose bound has passed, `cutSinceMs` being when the session was lost. Pure. */
export function dueForStop<C extends GuardedContainer>(containers: readonly C[], cutSinceMs: number, nowMs: number): C[] {
  return containers.filter((c) => c.running && c.stopAfterDisconnectMs !== undefined && nowMs - cutSinceMs >= c.stopAfterDisconnectMs);
}

export interface DisconnectGuardOptions {
  list(): Promise<readonly GuardedContainer[]>;
  /** Stops the replica for good and reports it failed with `reason`. */
  stop(allocationId: string, reason: string): Promise<void>;
  log: Logger;
  /** How often the containers are checked while cut off. @default 1000 */
  checkEveryMs?: number;
  clock?: Clock;
}

export class DisconnectGuard {
  /** When the last session was lost; undefined while connected. */
  private cutSinceMs: number | undefined;
  private timer: TimerHandle | undefined;
  private checking = false;
  private closed = false;
  private readonly clock: Clock;
  private readonly everyMs: number;

  constructor(private readonly o: DisconnectGuardOptions) {
    this.clock = o.clock ?? systemClock;
    this.everyMs = o.checkEveryMs ?? 1000;
  }

  /** No session (the agent started, or its session ended): the count starts, unless it already runs. */
  disconnected(): void {
    if (this.closed || this.cutSinceMs !== undefined) return;
    this.cutSinceMs = this.clock.now();
    this.schedule();
  }

  /** Welcomed by the coordinator: nothing more is stopped; from here the coordinator decides. */
  connected(): void {
    this.cutSinceMs = undefined;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.closed = true;
    this.connected();
  }

  /** One check (also what the timer runs); resolves when its stops are done. */
  async check(): Promise<void> {
    const since = this.cutSinceMs;
    if (since === undefined || this.checking) return;
    this.checking = true;
    try {
      const containers = await this.o.list().catch((err: Error) => {
        this.o.log.warn({ err: err.message }, 'cut off: cannot list containers for on_disconnect.stop_after');
        return [];
      });
      const now = this.clock.now();
      // A session that came back while the list was read: the coordinator decides now.
      if (this.cutSinceMs !== since) return;
      for (const c of dueForStop(containers, since, now)) {
        const reason = `stopped by its agent: cut off from the coordinator for ${Math.round((now - since) / 1000)} s (x-baton.on_disconnect.stop_after ${Math.round(c.stopAfterDisconnectMs! / 1000)} s)`;
        this.o.log.warn({ allocationId: c.allocationId, cutForMs: now - since, stopAfterMs: c.stopAfterDisconnectMs }, 'cut off past stop_after: stopping the replica');
        await this.o.stop(c.allocationId, reason).catch((err: Error) => this.o.log.warn({ allocationId: c.allocationId, err: err.message }, 'on_disconnect.stop_after: stop failed; retried'));
      }
    } finally {
      this.checking = false;
    }
  }

  /** One timer at a time: a check still running from before a reconnect does not start a second chain. */
  private schedule(): void {
    if (this.closed || this.cutSinceMs === undefined || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.check().finally(() => this.schedule());
    }, this.everyMs);
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }
}
