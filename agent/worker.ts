// The agent's worker (SwarmKit's name), its side of the command traffic: turns coordinator commands
// (start, stop, reconcile, logs, remove volumes) into supervisor calls, log streams and volume
// removals, acknowledges each one, and
// reports every replica status change as a ContainerEvent. Repeated command ids are answered from
// memory, never executed twice.
import type Docker from 'dockerode';
import type { Command__Output } from '../shared/grpc/gen/baton/v1/Command.js';
import type { CommandAck } from '../shared/grpc/gen/baton/v1/CommandAck.js';
import type { ContainerEvent } from '../shared/grpc/gen/baton/v1/ContainerEvent.js';
import type { LogChunk } from '../shared/grpc/gen/baton/v1/LogChunk.js';
import type { Logger } from '../shared/logger.js';
import { LABEL_ALLOCATION } from '../shared/model/labels.js';
import { endpointSetFromWire } from '../shared/wire/ingress.js';
import { fromStartReplica } from '../shared/wire/replica.js';
import { volumeRemovalToWire } from '../shared/wire/volume.js';
import type { EngineObservation } from './docker-observer.js';
import { DockerExecutor, type ReplicaStatus } from './executor/index.js';
import { RestartSupervisor } from './supervisor/restart-supervisor.js';
import { LogStreams } from './log-stream.js';
import { Ingress, localVerdict, type IngressOptions } from './ingress/ingress.js';
import { Volumes } from './volumes.js';
import type { ReplicaCheckpoint } from './replica-checkpoint.js';

/** How many answered command ids are remembered for de-duplication. */
const REMEMBERED_COMMANDS = 2000;

export class Worker {
  readonly executor: DockerExecutor;
  private readonly supervisor: RestartSupervisor;
  private readonly answered = new Map<string, Promise<CommandAck>>();
  private readonly logs: LogStreams;
  readonly ingress: Ingress;
  /** The node's Baton volumes: listed for reports, removed per stack. */
  readonly volumes: Volumes;
  /** The allocations of the last Reconcile (the coordinator's complete set); undefined: none came yet. */
  private expected: ReadonlySet<string> | undefined;

  constructor(
    docker: Docker,
    /** This agent's node id: containers are labelled with it and only those are managed. */
    nodeId: string,
    private readonly log: Logger,
    /** Receives every status change, in order per allocation. */
    private readonly emit: (event: ContainerEvent) => void,
    /** Writes a log chunk on the current session; false asks log streams to slow down. */
    sendLog: (chunk: LogChunk) => boolean,
    /** The ingress's table and tools (tests); by default `table ip baton` via `nft`. */
    ingress: Partial<Omit<IngressOptions, 'nodeId' | 'log'>> = {},
    /** Where the replicas it was told to run are kept for a restart while cut off; none: not kept. */
    private readonly checkpoint?: ReplicaCheckpoint,
  ) {
    this.executor = new DockerExecutor({ docker, nodeId, logger: log });
    this.logs = new LogStreams({ docker, list: () => this.executor.list(), log, send: sendLog });
    this.ingress = new Ingress({ ...ingress, nodeId, log });
    this.volumes = new Volumes(docker, nodeId);
    this.supervisor = new RestartSupervisor({
      executor: this.executor,
      logger: log,
      onStatus: (s) => {
        // The local fast path: this node's rules follow its own replicas at once.
        const verdict = localVerdict(s);
        if (verdict === 'drop') void this.ingress.dropLocal(s.allocationId);
        else if (verdict === 'serve') this.ingress.serving(s.allocationId);
        // A container was created (Docker may have made its named volumes) or went (they may be free
        // now); a running replica's health turning healthy or unhealthy changes neither.
        const healthOnly = s.state === 'running' && (s.health === 'healthy' || s.health === 'unhealthy');
        if (!healthOnly) this.volumes.changed();
        // Given up on (its policy, a start the engine refused, stop_after): a restarted agent does not take it back.
        if (s.state === 'failed') this.checkpoint?.delete(s.allocationId);
        this.emit(toEvent(s));
      },
    });
  }

  start(): void {
    this.supervisor.start();
  }

  /** Stops supervising; the ingress's rules stay in the kernel unless `deleteIngressTable`. */
  async close(options: { deleteIngressTable?: boolean } = {}): Promise<void> {
    this.logs.abortAll('agent stopping');
    await this.supervisor.close();
    await this.ingress.close({ deleteTable: options.deleteIngressTable });
  }

  /** The session ended: its log streams have no reader any more (the coordinator starts new ones). */
  sessionEnded(): void {
    this.logs.abortAll('session ended');
    this.ingress.newSession();
  }

  /**
   * After the agent's own restart, before any session: supervises again each replica of the last
   * run whose container still exists (restarts per policy, checks, stop_after), as if its start had
   * just arrived. The coordinator's first Reconcile then removes what it no longer wants. Resolves
   * to how many were taken back; throws when the engine cannot list (the caller retries).
   */
  async restore(): Promise<number> {
    if (!this.checkpoint) return 0;
    const specs = await this.checkpoint.load();
    if (specs.length === 0) return 0;
    const existing = new Set((await this.executor.list()).map((c) => c.allocationId));
    // The coordinator spoke first: its set stands, the last run's specs only for what it still wants.
    if (this.expected) {
      this.checkpoint.retain(this.expected);
      return 0;
    }
    let n = 0;
    for (const spec of specs) {
      if (!existing.has(spec.allocationId)) {
        this.checkpoint.delete(spec.allocationId);
        continue;
      }
      n++;
      void this.supervisor.run(spec).catch((err: Error) => this.log.error({ err: err.message, allocationId: spec.allocationId }, 'run failed'));
    }
    return n;
  }

  /** The ingress part of a report; undefined until an endpoint set arrived. */
  ingressReport(): ReturnType<Ingress['report']> {
    return this.ingress.report();
  }

  /**
   * Reports' containers with the health the supervisor knows: Baton's own checks (which `docker ps`
   * cannot show) and the last check's output. A replica not supervised keeps what Docker says.
   */
  withHealth(observation: EngineObservation): EngineObservation {
    for (const c of observation.containers) {
      const id = c.labels[LABEL_ALLOCATION];
      const s = id ? this.supervisor.status(id) : undefined;
      if (!s || s.state !== 'running' || c.state !== 'running') continue;
      c.health = s.health ?? 'none';
      c.healthOutput = s.healthOutput ?? '';
    }
    return observation;
  }

  /**
   * x-baton.on_disconnect.stop_after (disconnect-guard.ts): stops a replica for good, with its grace
   * period, and reports it failed with the reason.
   */
  async stopCutOff(allocationId: string, reason: string): Promise<void> {
    this.checkpoint?.delete(allocationId);
    const stopped = await this.supervisor.stop(allocationId, this.supervisor.stopGraceMs(allocationId) ?? 10_000, reason);
    if (!stopped.ok) throw new Error(stopped.error);
  }

  /** The last status of every supervised replica: re-sent after a reconnect. */
  currentEvents(): ContainerEvent[] {
    return this.supervisor.statuses().map(toEvent);
  }

  handle(cmd: Command__Output): Promise<CommandAck> {
    const id = cmd.command_id;
    const seen = id ? this.answered.get(id) : undefined;
    if (seen) return seen;
    const ack = cmd.kind === 'remove_volumes' ? this.removeVolumes(id, cmd.remove_volumes!.stack) : this.execute(cmd).then(
      (error): CommandAck => ({ command_id: id, ok: error === undefined, error: error ?? '' }),
      (err: Error): CommandAck => ({ command_id: id, ok: false, error: `agent error: ${err.message}` }),
    );
    if (id) {
      this.answered.set(id, ack);
      if (this.answered.size > REMEMBERED_COMMANDS) this.answered.delete(this.answered.keys().next().value as string);
    }
    return ack;
  }

  /** `baton rm --stack --volumes`: the ack carries what was removed and what Docker refused. */
  private async removeVolumes(commandId: string, stack: string): Promise<CommandAck> {
    if (stack === '') return { command_id: commandId, ok: false, error: 'remove_volumes.stack: expected a stack name' };
    try {
      const r = await this.volumes.removeStack(stack);
      for (const name of r.removed) this.log.info({ stack, volume: name }, 'volume removed');
      for (const x of r.refused) this.log.warn({ stack, volume: x.name, err: x.error }, 'volume not removed');
      return { command_id: commandId, ok: true, error: '', volumes: volumeRemovalToWire(r) };
    } catch (err) {
      return { command_id: commandId, ok: false, error: `cannot remove volumes of ${stack}: ${(err as Error).message}` };
    }
  }

  /** Returns an error text, or undefined on success. */
  private async execute(cmd: Command__Output): Promise<string | undefined> {
    switch (cmd.kind) {
      case 'start': {
        const parsed = fromStartReplica(cmd.start!);
        if (!parsed.ok) return parsed.error;
        const spec = parsed.value;
        this.checkpoint?.put(spec);
        // Accepted once the supervisor owns it; how the start goes is reported as events.
        void this.supervisor.run(spec).catch((err: Error) => this.log.error({ err: err.message, allocationId: spec.allocationId }, 'run failed'));
        return undefined;
      }
      case 'stop': {
        const s = cmd.stop!;
        const graceMs = s.stop_grace_ms || 10_000;
        // Connection draining: out of this node's rules, in-flight connections finish (or the grace
        // period runs out), then the usual stop. Only replicas the ingress forwarded to (an endpoint
        // with ingress or expose ports in a set received): a `mode: host` port is the container's
        // own, its clients keep coming until it stops, so waiting for them would only delay the stop.
        if (this.ingress.knows(s.allocation_id)) {
          const drained = await this.ingress.drainBeforeStop(s.allocation_id, graceMs);
          if (drained.open > 0) this.log.info({ allocationId: s.allocation_id, open: drained.open, waitedMs: drained.waitedMs }, 'stopping with connections still open: grace period over');
        }
        this.checkpoint?.delete(s.allocation_id);
        const stopped = await this.supervisor.stop(s.allocation_id, graceMs);
        if (!stopped.ok) return stopped.error;
        if (s.remove) {
          const removed = await this.supervisor.remove(s.allocation_id);
          if (!removed.ok) return removed.error;
        }
        return undefined;
      }
      case 'reconcile': {
        // Everything Baton-labelled that the coordinator no longer expects here is stale.
        const expected = new Set(cmd.reconcile!.allocation_ids);
        this.expected = expected;
        this.checkpoint?.retain(expected);
        const errors: string[] = [];
        for (const c of await this.executor.list()) {
          if (expected.has(c.allocationId)) continue;
          this.log.info({ allocationId: c.allocationId, containerId: c.containerId }, 'removing stale replica');
          const stopped = await this.supervisor.stop(c.allocationId, 10_000);
          const removed = stopped.ok ? await this.supervisor.remove(c.allocationId) : stopped;
          if (!removed.ok) errors.push(`${c.allocationId}: ${removed.error}`);
        }
        return errors.length ? errors.join('; ') : undefined;
      }
      case 'endpoints': {
        // Applied at once: handle() runs each command as it arrives, so a draining stop never delays it.
        const parsed = endpointSetFromWire(cmd.endpoints!);
        if (!parsed.ok) return parsed.error;
        const applied = await this.ingress.update(parsed.value);
        return applied.ok ? undefined : applied.error;
      }
      case 'logs':
        // Acknowledged once started; the output, and any failure, arrive as LogChunks.
        return this.logs.handle(cmd.logs!);
      default:
        return `unknown command ${JSON.stringify(cmd.kind ?? '')}`;
    }
  }
}

function toEvent(s: ReplicaStatus): ContainerEvent {
  return {
    allocation_id: s.allocationId,
    state: s.state,
    container_id: s.containerId ?? '',
    exit_code: s.exitCode ?? 0,
    error: s.error ?? '',
    at_ms: s.atMs,
    restarts: s.restarts,
    health: s.health ?? 'none',
    health_output: s.healthOutput ?? '',
  };
}
