// Runs one container's Baton check on its timings (probe-state.ts decides, this only waits and
// calls): the first check one interval after the start, as in Docker, then after each result.
// Timers and timeouts go through the shared Clock.
import type { Clock, TimerHandle } from '../../shared/clock.js';
import { truncateHealthOutput } from '../../shared/model/health.js';
import { afterCheck, INITIAL_PROBE_STATE, nextCheckDelayMs, type ProbeState, type ProbeTimings } from './probe-state.js';
import type { ProbeOutcome } from './probes.js';

export interface ProbeRunnerOptions {
  readonly timings: ProbeTimings;
  /** One attempt; it must end soon after `signal` aborts (the timeout). */
  readonly check: (signal: AbortSignal) => Promise<ProbeOutcome>;
  readonly clock: Clock;
  readonly containerStartedAtMs: number;
  /** After every check, with the state it led to; `changed` when the status moved. */
  readonly onResult: (state: ProbeState, changed: boolean) => void;
}

export class ProbeRunner {
  private state: ProbeState = INITIAL_PROBE_STATE;
  private timer: TimerHandle | undefined;
  private inFlight: AbortController | undefined;
  private stopped = false;

  constructor(private readonly o: ProbeRunnerOptions) {}

  start(): void {
    this.schedule();
  }

  /** No further checks; one in flight is aborted and its result dropped. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
  }

  current(): ProbeState {
    return this.state;
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = nextCheckDelayMs(this.state, this.o.timings, this.o.clock.now(), this.o.containerStartedAtMs);
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      void this.runOnce();
    }, delay);
  }

  private async runOnce(): Promise<void> {
    const { clock, timings } = this.o;
    const startedAtMs = clock.now();
    const abort = new AbortController();
    this.inFlight = abort;
    const timeout = clock.setTimeout(() => abort.abort(), timings.timeoutMs);
    let outcome: ProbeOutcome;
    try {
      outcome = await this.o.check(abort.signal);
    } catch (err) {
      outcome = { ok: false, output: (err as Error).message };
    } finally {
      clock.clearTimeout(timeout);
      this.inFlight = undefined;
    }
    if (this.stopped) return;
    // Docker's wording for a check that ran out of time, so both kinds of check read alike.
    const output = abort.signal.aborted && !outcome.ok ? `Health check exceeded timeout (${timings.timeoutMs} ms): ${outcome.output}` : outcome.output;
    const before = this.state.status;
    this.state = afterCheck(this.state, timings, { ok: outcome.ok, output: truncateHealthOutput(output), startedAtMs }, this.o.containerStartedAtMs);
    this.o.onResult(this.state, this.state.status !== before);
    this.schedule();
  }
}
