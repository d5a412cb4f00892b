// Restarts crashed and unhealthy replicas in place, on this host, by the service's
// `deploy.restart_policy`, with no coordinator involved (an edge host keeps its services up while its
// uplink is down). Exits and Docker's health changes are seen through the executor's exit watch, with
// a periodic listing as the safety net for missed notices; Baton's own checks run here (ProbeRunner).
import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import { KeyedQueue } from '../../shared/keyed-queue.js';
import type { Logger } from '../../shared/logger.js';
import type {
  Executor,
  ExitWatch,
  InspectedReplica,
  PossibleExit,
  RemoveResult,
  ReplicaSpec,
  ReplicaState,
  ReplicaStatus,
  StopResult,
} from '../executor/types.js';
import type { HealthcheckSpec } from '../../shared/compose/types.js';
import type { HealthStatus } from '../../shared/model/health.js';
import { ProbeRunner } from '../health/probe-runner.js';
import { probeTimings } from '../health/probe-state.js';
import { runProbe } from '../health/probes.js';
import { canTransition, PhaseTransitionError, type Phase } from './phase.js';
import { decideRestart, decideUnhealthyRestart, type RestartBackoffOptions } from './restart-policy.js';

export interface RestartSupervisorOptions {
  executor: Executor;
  /** Called for every status change, in order per allocation. Exceptions are logged and ignored. */
  onStatus: (status: ReplicaStatus) => void;
  /** false: exits are found by the periodic resync only, not through executor.watchExits(). @default true */
  watchExits?: boolean;
  /** How often every supervised replica is checked against the executor's list. @default 10_000 */
  resyncIntervalMs?: number;
  backoff?: RestartBackoffOptions;
  /** Time, and the restart and resync delays. @default systemClock */
  clock?: Clock;
  logger?: Logger;
}

/** Phases restartNow() acts in: a restart timer fired (backoff), or the resync retries one (retry). */
const RESTARTABLE: readonly Phase[] = ['backoff', 'retry'];

interface Entry {
  spec: ReplicaSpec;
  /** Written only by transition(). */
  phase: Phase;
  status: ReplicaStatus;
  restartTimesMs: number[];
  quickExits: number;
  lastStartMs: number;
  /** FinishedAt of the last exit acted on ('gone' for a vanished container): one decision per exit. */
  handledExit?: string;
  timer?: TimerHandle;
  /** Baton's own check of the current run (x-baton.healthcheck). */
  probe?: ProbeRunner;
}

type StatusPatch = {
  state: ReplicaState;
  containerId?: string;
  exitCode?: number;
  error?: string;
  restarts?: number;
  /** Undefined keeps the current health; `none` clears it. */
  health?: HealthStatus;
  healthOutput?: string;
};

export class RestartSupervisor {
  private readonly executor: Executor;
  private readonly onStatusCb: (status: ReplicaStatus) => void;
  private readonly watchExits: boolean;
  private readonly resyncIntervalMs: number;
  private readonly backoff: RestartBackoffOptions;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly entries = new Map<string, Entry>();
  /** Per-allocation queue: status emissions and decisions for one allocation never interleave. */
  private readonly queue: KeyedQueue;
  private resyncTimer: TimerHandle;
  private exitWatch: ExitWatch | undefined;
  private started = false;
  private markConnected!: () => void;
  private readonly connected = new Promise<void>((resolve) => (this.markConnected = resolve));
  private closed = false;

  constructor(options: RestartSupervisorOptions) {
    this.executor = options.executor;
    this.onStatusCb = options.onStatus;
    this.watchExits = options.watchExits ?? true;
    this.resyncIntervalMs = options.resyncIntervalMs ?? 10_000;
    this.backoff = options.backoff ?? {};
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.queue = new KeyedQueue((allocationId, err) =>
      this.logger?.warn({ allocationId, err: (err as Error).message }, 'restart supervisor: operation failed'),
    );
  }

  /** Starts watching exits and the periodic resync. */
  start(): void {
    if (this.closed) throw new Error('RestartSupervisor.start() after close()');
    if (this.started) return;
    this.started = true;
    if (this.watchExits) {
      this.exitWatch = this.executor.watchExits((exit) => this.onPossibleExit(exit));
      void this.exitWatch.connected.then(this.markConnected);
    } else this.markConnected();
    this.scheduleResync();
  }

  /** Resolves once exits are first watched (at once without a watch); exits before are found by resync. */
  eventsConnected(): Promise<void> {
    return this.connected;
  }

  /** Stops watching and cancels pending restarts; containers are left as they are. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    for (const entry of this.entries.values()) {
      this.cancelTimer(entry);
      this.stopProbe(entry);
    }
    await this.exitWatch?.close();
    await this.queue.idle();
  }

  /**
   * Supervises a replica and makes sure it runs. For a replica already supervised this only updates
   * its spec: a pending restart keeps its delay, and one the policy gave up on stays down (the
   * coordinator replaces it) unless it was stopped by Baton in between. Resolves to the status after.
   */
  run(spec: ReplicaSpec): Promise<ReplicaStatus> {
    const id = spec.allocationId;
    let entry = this.entries.get(id);
    if (entry && entry.phase !== 'stopped') {
      entry.spec = spec;
      const current = entry;
      return this.queue.run(id, async () => current.status);
    }
    if (!entry) {
      entry = {
        spec,
        phase: 'starting',
        status: { allocationId: id, state: 'pending', restarts: 0, atMs: this.clock.now() },
        restartTimesMs: [],
        quickExits: 0,
        lastStartMs: 0,
      };
      this.entries.set(id, entry);
    } else {
      this.transition(entry, 'starting'); // run() after a stop
    }
    const e = entry;
    e.spec = spec;
    return this.queue.run(id, async () => {
      if (e.phase !== 'starting') return e.status;
      this.emit(e, { state: 'starting' });
      let result;
      try {
        result = await this.executor.ensureRunning(spec);
      } catch (err) {
        if (e.phase !== 'starting') return e.status; // stopped meanwhile; stop() reports
        this.transition(e, 'done');
        this.emit(e, { state: 'failed', error: `cannot reach the Docker engine: ${(err as Error).message}` });
        return e.status;
      }
      if (e.phase !== 'starting') return e.status; // stopped meanwhile; stop() reports
      if (!result.ok) {
        // Start failures (missing image, port taken) are not crashes: the coordinator decides, and a
        // missing image is not pulled again in a loop.
        this.transition(e, 'done');
        this.emit(e, { state: 'failed', error: result.error, ...(result.containerId ? { containerId: result.containerId } : {}) });
        return e.status;
      }
      await this.markRunning(e, result.containerId);
      return e.status;
    });
  }

  /** Baton stops or removes the replica: no restart is pending and no check runs any more. */
  private endSupervision(allocationId: string): void {
    const entry = this.entries.get(allocationId);
    if (!entry) return;
    this.transition(entry, 'stopped');
    this.cancelTimer(entry);
    this.stopProbe(entry);
  }

  /**
   * Stops a replica for good (no restart), with the grace period; reports `stopped`, or `failed`
   * with `failedWith` as its error when the agent stops it on its own (x-baton.on_disconnect.stop_after:
   * the coordinator then replaces it, or runs it again here).
   */
  stop(allocationId: string, graceMs: number, failedWith?: string): Promise<StopResult> {
    this.endSupervision(allocationId);
    return this.queue.run(allocationId, async () => {
      const result = await this.executor.stop(allocationId, graceMs);
      if (result.ok) {
        const e = this.entries.get(allocationId) ?? this.detached(allocationId);
        if (e.phase === 'stopped') {
          // A detached entry (a replica this process never ran) is kept, so the status is re-sent on reconnect.
          if (failedWith !== undefined && !this.entries.has(allocationId)) this.entries.set(allocationId, e);
          this.emit(e, {
            state: failedWith !== undefined ? 'failed' : 'stopped',
            ...(failedWith !== undefined ? { error: failedWith } : {}),
            health: 'none',
            ...(result.containerId ? { containerId: result.containerId } : {}),
            ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
          });
        }
      }
      return result;
    });
  }

  /** Removes a replica's container and stops supervising it; reports `removed`. */
  remove(allocationId: string): Promise<RemoveResult> {
    this.endSupervision(allocationId);
    return this.queue.run(allocationId, async () => {
      const result = await this.executor.remove(allocationId);
      if (result.ok) {
        const e = this.entries.get(allocationId) ?? this.detached(allocationId);
        this.entries.delete(allocationId);
        this.emit(e, { state: 'removed', ...(result.containerId ? { containerId: result.containerId } : {}) });
      }
      return result;
    });
  }

  /** The stop grace period of a replica this process ran; undefined for one it never ran. */
  stopGraceMs(allocationId: string): number | undefined {
    return this.entries.get(allocationId)?.spec.stopGraceMs;
  }

  /** The latest status of every supervised replica, e.g. to re-send after a reconnect. */
  statuses(): ReplicaStatus[] {
    return [...this.entries.values()].map((e) => e.status);
  }

  status(allocationId: string): ReplicaStatus | undefined {
    return this.entries.get(allocationId)?.status;
  }

  /** Checks every supervised replica against the engine now (also runs periodically). */
  async resync(): Promise<void> {
    const candidates = [...this.entries.entries()].filter(([, e]) => e.phase === 'running' || e.phase === 'retry');
    if (candidates.length === 0) return;
    let running: Set<string>;
    try {
      running = new Set((await this.executor.list()).filter((c) => c.running).map((c) => c.allocationId));
    } catch (err) {
      this.logger?.warn({ err: (err as Error).message }, 'restart supervisor: resync could not list containers');
      return;
    }
    await Promise.all(
      candidates.filter(([id, e]) => e.phase === 'retry' || !running.has(id)).map(([id]) => this.background(id, () => this.checkExit(id))),
    );
  }

  // -------------------------------------------------------------------------------------------

  /** A container of this allocation may have exited: decide, once per exit, whether to restart it. */
  private async checkExit(allocationId: string): Promise<void> {
    const e = this.entries.get(allocationId);
    if (!e || this.closed) return;
    if (e.phase === 'retry') return this.restartNow(e);
    if (e.phase !== 'running') return;
    // stop()/remove() called on the executor directly, bypassing this supervisor.
    if (this.executor.stopRequested(allocationId)) {
      this.transition(e, 'stopped');
      return;
    }
    const info = await this.executor.inspect(allocationId);
    if (e.phase !== 'running') return; // stopped meanwhile; stop() reports
    if (info?.running) {
      if (e.status.state !== 'running') this.emit(e, { state: 'running', containerId: info.containerId });
      return;
    }
    const exitKey = info ? info.finishedAt : 'gone';
    if (exitKey === e.handledExit) return;
    e.handledExit = exitKey;
    this.stopProbe(e);
    const now = this.clock.now();
    const ranMs = now - e.lastStartMs;
    e.quickExits = ranMs < (this.backoff.stableRunMs ?? 10_000) ? e.quickExits + 1 : 0;
    const policy = e.spec.restartPolicy;
    if (policy.windowMs > 0) e.restartTimesMs = e.restartTimesMs.filter((t) => t > now - policy.windowMs);
    const exitCode = info?.exitCode;
    const decision = decideRestart(policy, exitCode, { restartTimesMs: e.restartTimesMs, quickExits: e.quickExits }, now, this.backoff);
    const what = describeExit(info);
    const base = {
      ...(info ? { containerId: info.containerId } : {}),
      ...(exitCode !== undefined ? { exitCode } : {}),
    };
    if (!decision.restart) {
      this.transition(e, 'done');
      const failed = exitCode !== 0;
      this.logger?.info({ allocationId, exitCode, reason: decision.reason }, 'replica exited, not restarted');
      this.emit(e, { state: failed ? 'failed' : 'exited', ...base, ...(failed ? { error: `${what}; ${decision.reason}` } : {}) });
      return;
    }
    this.transition(e, 'backoff');
    this.logger?.info({ allocationId, exitCode, delayMs: decision.delayMs, attempt: decision.attempt }, 'replica exited, restarting');
    this.emit(e, { state: 'exited', ...base, ...(info && exitCode === 0 ? {} : { error: what }) });
    e.timer = this.clock.setTimeout(() => {
      e.timer = undefined;
      void this.background(allocationId, () => this.restartNow(e));
    }, decision.delayMs);
  }

  private async restartNow(e: Entry): Promise<void> {
    if (this.closed || !RESTARTABLE.includes(e.phase)) return;
    if (this.executor.stopRequested(e.spec.allocationId)) {
      this.transition(e, 'stopped');
      return;
    }
    const now = this.clock.now();
    e.restartTimesMs.push(now);
    this.transition(e, 'starting');
    this.emit(e, { state: 'starting', restarts: e.status.restarts + 1, health: 'none' });
    let result;
    try {
      result = await this.executor.ensureRunning(e.spec);
    } catch (err) {
      // The engine is unreachable (restarting?): not an attempt of the replica's. Undo the count and
      // let the resync try again.
      e.restartTimesMs.pop();
      if (e.phase !== 'starting') return; // stopped meanwhile; stop() reports
      this.transition(e, 'retry');
      this.emit(e, { state: 'failed', restarts: e.status.restarts - 1, error: `restart failed, will retry: ${(err as Error).message}` });
      return;
    }
    if (e.phase !== 'starting') return;
    if (!result.ok) {
      this.transition(e, 'done');
      this.emit(e, { state: 'failed', error: `restart failed: ${result.error}` });
      return;
    }
    await this.markRunning(e, result.containerId);
  }

  /** Running: reported with its health as the engine has it right after the start, and Baton's check begun. */
  private async markRunning(e: Entry, containerId: string): Promise<void> {
    this.transition(e, 'running');
    e.lastStartMs = this.clock.now();
    const check = e.spec.healthcheck;
    let info: InspectedReplica | undefined;
    try {
      info = await this.executor.inspect(e.spec.allocationId);
    } catch (err) {
      this.logger?.warn({ allocationId: e.spec.allocationId, err: (err as Error).message }, 'restart supervisor: inspect after start failed');
    }
    if (e.phase !== 'running') return; // stopped meanwhile; stop() reports
    if (check?.probe) {
      this.emit(e, { state: 'running', containerId, health: 'starting', healthOutput: '' });
      this.startProbe(e, check, info?.ipAddress ?? '');
    } else {
      this.emit(e, { state: 'running', containerId, health: info?.health ?? 'none', healthOutput: info?.healthOutput ?? '' });
    }
  }

  private startProbe(e: Entry, check: HealthcheckSpec, address: string): void {
    this.stopProbe(e);
    const probe = check.probe!;
    const runner: ProbeRunner = new ProbeRunner({
      timings: probeTimings(check),
      clock: this.clock,
      containerStartedAtMs: e.lastStartMs,
      check: (signal) => runProbe(probe, address, signal),
      onResult: (state) => {
        if (e.probe === runner) void this.background(e.spec.allocationId, () => this.onHealth(e, state.status, state.output));
      },
    });
    e.probe = runner;
    runner.start();
  }

  private stopProbe(e: Entry): void {
    e.probe?.stop();
    e.probe = undefined;
  }

  /** Docker says the health of this allocation's container changed: read status and output. */
  private async checkDockerHealth(allocationId: string): Promise<void> {
    const e = this.entries.get(allocationId);
    if (!e || this.closed || e.phase !== 'running' || e.probe) return;
    const info = await this.executor.inspect(allocationId);
    if (!info?.running) return; // an exit; its own notice decides
    await this.onHealth(e, info.health, info.healthOutput);
  }

  /**
   * A health result of the running replica. A change is reported; `unhealthy` is a failure (as
   * Swarm treats it): the container is stopped and restarted per the restart policy, or, when the
   * policy gives up, stopped and reported failed so the coordinator can replace it.
   */
  private async onHealth(e: Entry, health: HealthStatus, output: string): Promise<void> {
    if (this.closed || e.phase !== 'running') return;
    if (health === (e.status.health ?? 'none')) {
      // Same verdict: no event, but reports carry the newest output.
      e.status = { ...e.status, ...(output ? { healthOutput: output } : {}) };
      return;
    }
    this.emit(e, { state: 'running', health, healthOutput: output });
    if (health !== 'unhealthy') return;

    const id = e.spec.allocationId;
    this.stopProbe(e);
    const now = this.clock.now();
    e.quickExits = now - e.lastStartMs < (this.backoff.stableRunMs ?? 10_000) ? e.quickExits + 1 : 0;
    const policy = e.spec.restartPolicy;
    if (policy.windowMs > 0) e.restartTimesMs = e.restartTimesMs.filter((t) => t > now - policy.windowMs);
    const decision = decideUnhealthyRestart(policy, { restartTimesMs: e.restartTimesMs, quickExits: e.quickExits }, now, this.backoff);
    const next: Phase = decision.restart ? 'backoff' : 'done';
    // Off `running` before the stop, so its `die` is not decided on as a crash.
    this.transition(e, next);
    const why = `unhealthy: ${output || 'health check failed'}`;
    this.logger?.info({ allocationId: id, output, restart: decision.restart }, 'replica unhealthy, stopping it');
    let exitCode: number | undefined;
    try {
      const stopped = await this.executor.stop(id, e.spec.stopGraceMs, { restarting: true });
      if (stopped.ok) exitCode = stopped.exitCode;
      else this.logger?.warn({ allocationId: id, err: stopped.error }, 'could not stop an unhealthy replica');
    } catch (err) {
      this.logger?.warn({ allocationId: id, err: (err as Error).message }, 'could not stop an unhealthy replica');
    }
    if ((e.phase as Phase) !== next) return; // stopped by Baton meanwhile; stop() reports
    const base = exitCode !== undefined ? { exitCode } : {};
    if (decision.restart) {
      // Unlike a crash (restarted in place, as Docker does), an unhealthy replica restarts from a
      // fresh container, as Swarm (a new task) and Kubernetes (a new container) do: whatever broke
      // in its writable layer does not come back with it.
      try {
        const removed = await this.executor.remove(id, { restarting: true });
        if (!removed.ok) this.logger?.warn({ allocationId: id, err: removed.error }, 'could not remove an unhealthy replica; restarting it in place');
      } catch (err) {
        this.logger?.warn({ allocationId: id, err: (err as Error).message }, 'could not remove an unhealthy replica; restarting it in place');
      }
      if ((e.phase as Phase) !== next) return;
    }
    if (!decision.restart) {
      this.emit(e, { state: 'failed', ...base, error: `${why}; ${decision.reason}` });
      return;
    }
    this.emit(e, { state: 'exited', ...base, error: why });
    e.timer = this.clock.setTimeout(() => {
      e.timer = undefined;
      void this.background(id, () => this.restartNow(e));
    }, decision.delayMs);
  }

  /** The one writer of a phase: refuses a move PHASE_TRANSITIONS does not list, and logs the others. */
  private transition(e: Entry, to: Phase): void {
    const from = e.phase;
    if (!canTransition(from, to)) throw new PhaseTransitionError(e.spec.allocationId, from, to);
    e.phase = to;
    this.logger?.debug({ allocationId: e.spec.allocationId, from, to }, 'replica phase');
  }

  private emit(e: Entry, patch: StatusPatch): void {
    const containerId = patch.containerId ?? e.status.containerId;
    const health = patch.health ?? e.status.health ?? 'none';
    const healthOutput = patch.health === 'none' ? '' : (patch.healthOutput ?? e.status.healthOutput ?? '');
    const status: ReplicaStatus = {
      allocationId: e.spec.allocationId,
      state: patch.state,
      ...(containerId ? { containerId } : {}),
      ...(patch.exitCode !== undefined ? { exitCode: patch.exitCode } : {}),
      ...(patch.error ? { error: patch.error } : {}),
      restarts: patch.restarts ?? e.status.restarts,
      atMs: this.clock.now(),
      ...(health !== 'none' ? { health } : {}),
      ...(health !== 'none' && healthOutput ? { healthOutput } : {}),
    };
    e.status = status;
    try {
      this.onStatusCb(status);
    } catch (err) {
      this.logger?.error({ err: (err as Error).message }, 'restart supervisor: onStatus threw');
    }
  }

  /** A throwaway entry for stop/remove of an allocation this process never ran (e.g. after its restart). */
  private detached(allocationId: string): Entry {
    const spec = { allocationId } as ReplicaSpec;
    return {
      spec,
      phase: 'stopped',
      status: { allocationId, state: 'pending', restarts: 0, atMs: this.clock.now() },
      restartTimesMs: [],
      quickExits: 0,
      lastStartMs: 0,
    };
  }

  private cancelTimer(e: Entry): void {
    if (e.timer !== undefined) this.clock.clearTimeout(e.timer);
    e.timer = undefined;
  }

  /** Queued work nobody awaits the result of: failures are logged by the queue, never unhandled. */
  private background(allocationId: string, fn: () => Promise<void>): Promise<void> {
    return this.queue.run(allocationId, fn).catch(() => undefined);
  }

  private scheduleResync(): void {
    if (this.closed) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      void this.resync().finally(() => this.scheduleResync());
    }, this.resyncIntervalMs);
  }

  private onPossibleExit(exit: PossibleExit): void {
    if (this.closed) return;
    // (Re)watching: exits while nothing watched (first start, engine restart) have no notice to come.
    if (exit.kind === 'unwatched') void this.resync();
    else if (!this.entries.has(exit.allocationId)) return;
    else if (exit.kind === 'health') void this.background(exit.allocationId, () => this.checkDockerHealth(exit.allocationId));
    else void this.background(exit.allocationId, () => this.checkExit(exit.allocationId));
  }
}

function describeExit(info: InspectedReplica | undefined): string {
  if (!info) return 'container was removed outside Baton';
  if (info.oomKilled) return `killed for running out of memory (exit code ${info.exitCode})`;
  return `exited with code ${info.exitCode}`;
}
