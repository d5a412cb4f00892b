// The Docker implementation of the agent's executor: creates, starts, stops and removes one container
// per allocation, found again by its `io.baton.allocation` label (the engine is the only state).
import '../../lean-modules.js';
import Docker from 'dockerode';
import { systemClock, type Clock } from '../../../shared/clock.js';
import { KeyedQueue } from '../../../shared/keyed-queue.js';
import type { Logger } from '../../../shared/logger.js';
import { toHealthStatus, truncateHealthOutput } from '../../../shared/model/health.js';
import { dockerFromEnv } from '../../docker-observer.js';
import { containerName, LABEL_ALLOCATION, LABEL_NODE, LABEL_VOLUME, parseBatonLabels } from '../labels.js';
import type {
  EnsureResult,
  Executor,
  ExitWatch,
  InspectedReplica,
  PossibleExit,
  RemoveResult,
  ReplicaContainer,
  ReplicaSpec,
  StopResult,
} from '../types.js';
import { apiAtLeast, createOptions, START_INTERVAL_API, type EngineFeatures } from './create-options.js';
import { dockerMessage, exitCodeFromStatus, statusCodeOf } from './docker-client.js';
import { watchDockerExits } from './exit-watcher.js';
import { defaultFilesRoot, FileMounts } from '../../secrets/file-mounts.js';

export interface DockerExecutorOptions {
  /** @default dockerFromEnv() (DOCKER_HOST, else /var/run/docker.sock) */
  docker?: Docker;
  /** A pull that takes longer counts as failed. @default 300_000 */
  pullTimeoutMs?: number;
  /**
   * How long past the grace period to wait for Docker's own stop (which kills at the deadline itself)
   * before giving up on it and sending SIGKILL directly. @default 10_000
   */
  stopSlackMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Where the exit watcher reports a broken event stream. */
  logger?: Logger;
  /**
   * The agent's node id. Containers are created with it (label io.baton.node) and only containers
   * carrying it are listed and managed, so two agents that share an engine (a test machine, a
   * misconfigured host) never touch each other's replicas. Unset: every Baton container.
   */
  nodeId?: string;
  /** Where secrets and configs are written (a tmpfs). @default a FileMounts at defaultFilesRoot(nodeId) */
  fileMounts?: FileMounts;
}

/** Stop/remove intents are kept this long after a remove so late `die` events are recognised. */
const REMOVED_INTENT_TTL_MS = 10 * 60_000;

type Intent = { kind: 'stop' | 'remove'; atMs: number };

export class DockerExecutor implements Executor {
  readonly docker: Docker;
  private readonly pullTimeoutMs: number;
  private readonly stopSlackMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  /** One operation per allocation at a time (failures reach the caller). */
  private readonly locks = new KeyedQueue();
  /** Pulls in flight, shared by allocations of the same image. Resolves to an error text or undefined. */
  private readonly pulls = new Map<string, Promise<string | undefined>>();
  private readonly intents = new Map<string, Intent>();
  /** The engine's API version (undefined: could not be asked). */
  private apiVersion: Promise<string | undefined> | undefined;

  constructor(options: DockerExecutorOptions = {}) {
    this.docker = options.docker ?? dockerFromEnv();
    this.pullTimeoutMs = options.pullTimeoutMs ?? 300_000;
    this.stopSlackMs = options.stopSlackMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.nodeId = options.nodeId;
    this.fileMounts = options.fileMounts ?? new FileMounts(defaultFilesRoot(options.nodeId ?? ''));
  }

  private readonly fileMounts: FileMounts;

  private readonly nodeId: string | undefined;

  /** Label filters selecting this executor's containers (optionally one allocation). */
  private labelFilter(allocationId?: string): string[] {
    const f = [allocationId ? `${LABEL_ALLOCATION}=${allocationId}` : LABEL_ALLOCATION];
    if (this.nodeId) f.push(`${LABEL_NODE}=${this.nodeId}`);
    return f;
  }

  /**
   * Makes sure the allocation's container exists and runs. Idempotent: an existing container for the
   * allocation (any state) is reused, never duplicated, also under concurrent calls.
   */
  ensureRunning(spec: ReplicaSpec): Promise<EnsureResult> {
    // Cleared at call time, not when the queued operation runs, so intents follow call order: of
    // ensureRunning/stop/remove, the one called last decides.
    this.intents.delete(spec.allocationId);
    return this.locks.run(spec.allocationId, async () => {
      const existing = await this.find(spec.allocationId);
      if (existing) return this.startExisting(existing.Id, existing.State, false);
      return this.createAndStart(spec);
    });
  }

  /**
   * Docker stop with timeout = grace (Docker sends the stop signal, then SIGKILL at the deadline);
   * if the engine does not finish that in time, SIGKILL directly. Absent or already stopped is success.
   */
  stop(allocationId: string, graceMs: number, options: { readonly restarting?: boolean } = {}): Promise<StopResult> {
    if (!options.restarting) this.setIntent(allocationId, 'stop');
    return this.locks.run(allocationId, async () => {
      const info = await this.find(allocationId);
      if (!info) return { ok: true, wasRunning: false, killed: false };
      const container = this.docker.getContainer(info.Id);
      const wasRunning = ['running', 'restarting', 'paused'].includes(info.State);
      let stopError = '';
      try {
        await container.stop({
          t: Math.max(0, Math.ceil(graceMs / 1000)),
          abortSignal: AbortSignal.timeout(Math.max(0, graceMs) + this.stopSlackMs),
        } as Docker.ContainerStopOptions);
      } catch (err) {
        const code = statusCodeOf(err);
        if (code === 404) return { ok: true, wasRunning: false, killed: false };
        // 304: already stopped. Anything else (engine error, our timeout): fall through to the kill.
        if (code !== 304) stopError = dockerMessage(err);
      }
      let state = await this.inspectState(info.Id);
      if (!state) return { ok: true, containerId: info.Id, wasRunning, killed: false };
      let killed = false;
      if (state.Running) {
        killed = true;
        const killError = await this.kill(info.Id);
        if (killError) return { ok: false, error: `stop failed (${stopError || 'still running'}); kill failed: ${killError}` };
        try {
          await container.wait({ condition: 'not-running', abortSignal: AbortSignal.timeout(this.stopSlackMs) } as object);
        } catch {
          // Checked below.
        }
        state = await this.inspectState(info.Id);
        if (!state) return { ok: true, containerId: info.Id, wasRunning, killed };
        if (state.Running) return { ok: false, error: `container ${short(info.Id)} still running after SIGKILL` };
      }
      // Docker kills at the deadline itself; 137 (SIGKILL) on a container that was running says it did.
      killed ||= wasRunning && state.ExitCode === 137;
      return { ok: true, containerId: info.Id, wasRunning, killed, exitCode: state.ExitCode };
    });
  }

  /** Force-removes the container and its anonymous volumes; stop() first for a graceful end. Absent is success. */
  remove(allocationId: string, options: { readonly restarting?: boolean } = {}): Promise<RemoveResult> {
    if (!options.restarting) this.setIntent(allocationId, 'remove');
    return this.locks.run(allocationId, async () => {
      const info = await this.find(allocationId);
      if (!info) {
        if (!options.restarting) await this.fileMounts.release(allocationId);
        return { ok: true, existed: false };
      }
      try {
        await this.docker.getContainer(info.Id).remove({ force: true, v: true });
        if (!options.restarting) await this.fileMounts.release(allocationId);
        return { ok: true, containerId: info.Id, existed: true };
      } catch (err) {
        const code = statusCodeOf(err);
        if (code === 404) return { ok: true, containerId: info.Id, existed: false };
        // 409 "removal already in progress" ends the same way.
        if (code === 409 && /already in progress/i.test(dockerMessage(err))) return { ok: true, containerId: info.Id, existed: true };
        if (code === undefined) throw err;
        return { ok: false, error: dockerMessage(err) };
      }
    });
  }

  /** Every Baton-labelled container on this engine, in any state. */
  async list(): Promise<ReplicaContainer[]> {
    const list = await this.docker.listContainers({ all: true, filters: { label: this.labelFilter() } });
    const out: ReplicaContainer[] = [];
    for (const c of list) {
      const labels = parseBatonLabels(c.Labels);
      if (!labels) continue;
      out.push({
        ...labels,
        containerId: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        dockerState: c.State,
        running: c.State === 'running' || c.State === 'restarting',
        exitCode: exitCodeFromStatus(c.Status),
      });
    }
    return out;
  }

  async inspect(allocationId: string): Promise<InspectedReplica | undefined> {
    const info = await this.find(allocationId);
    if (!info) return undefined;
    let c: Docker.ContainerInspectInfo;
    try {
      c = await this.docker.getContainer(info.Id).inspect();
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
    const labels = c.Config.Labels ?? {};
    const baton = parseBatonLabels(labels);
    if (!baton) return undefined;
    return {
      ...baton,
      containerId: c.Id,
      name: c.Name.replace(/^\//, ''),
      dockerState: c.State.Status,
      running: c.State.Running,
      exitCode: c.State.ExitCode,
      image: c.Config.Image,
      labels,
      startedAt: c.State.StartedAt,
      finishedAt: c.State.FinishedAt,
      oomKilled: c.State.OOMKilled,
      error: c.State.Error ?? '',
      health: toHealthStatus(c.State.Health?.Status ?? 'none') ?? 'none',
      healthOutput: truncateHealthOutput(c.State.Health?.Log?.at(-1)?.Output ?? ''),
      ipAddress: containerAddress(c.NetworkSettings),
    };
  }

  stopRequested(allocationId: string): boolean {
    return this.intents.has(allocationId);
  }

  /** Follows the engine's `die` events (exit-watcher.ts). */
  watchExits(onExit: (exit: PossibleExit) => void): ExitWatch {
    return watchDockerExits(this.docker, this.clock, this.logger, onExit);
  }

  private setIntent(allocationId: string, kind: Intent['kind']): void {
    const now = this.clock.now();
    for (const [id, intent] of this.intents) {
      if (intent.kind === 'remove' && now - intent.atMs > REMOVED_INTENT_TTL_MS) this.intents.delete(id);
    }
    this.intents.set(allocationId, { kind, atMs: now });
  }

  /** The allocation's container; if there are several (made by hand), the running or newest one. */
  private async find(allocationId: string): Promise<Docker.ContainerInfo | undefined> {
    const list = await this.docker.listContainers({ all: true, filters: { label: this.labelFilter(allocationId) } });
    return list.sort((a, b) => Number(b.State === 'running') - Number(a.State === 'running') || b.Created - a.Created)[0];
  }

  private async inspectState(containerId: string): Promise<Docker.ContainerInspectInfo['State'] | undefined> {
    try {
      return (await this.docker.getContainer(containerId).inspect()).State;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** SIGKILL; '' on success (including "not running" 409 and "no such container" 404), else the error. */
  private async kill(containerId: string): Promise<string> {
    try {
      await this.docker.getContainer(containerId).kill({ signal: 'SIGKILL' });
      return '';
    } catch (err) {
      const code = statusCodeOf(err);
      if (code === 404 || code === 409 || code === 304) return '';
      if (code === undefined) throw err;
      return dockerMessage(err);
    }
  }

  private async startExisting(containerId: string, dockerState: string, created: boolean): Promise<EnsureResult> {
    const container = this.docker.getContainer(containerId);
    try {
      switch (dockerState) {
        case 'running':
        case 'restarting':
          return { ok: true, containerId, created, started: false };
        case 'paused':
          await container.unpause();
          return { ok: true, containerId, created, started: true };
        case 'removing':
        case 'dead':
          return {
            ok: false,
            reason: 'container-unusable',
            containerId,
            error: `container ${short(containerId)} is ${dockerState}; remove it before starting this allocation again`,
          };
        default:
          await container.start();
          return { ok: true, containerId, created, started: true };
      }
    } catch (err) {
      const code = statusCodeOf(err);
      if (code === 304) return { ok: true, containerId, created, started: false };
      if (code === undefined) throw err;
      return { ok: false, reason: 'start-rejected', containerId, error: `cannot start container ${short(containerId)}: ${dockerMessage(err)}` };
    }
  }

  private async createAndStart(spec: ReplicaSpec): Promise<EnsureResult> {
    let pulled = false;
    let name = containerName(spec);
    let conflicts = 0;
    for (;;) {
      try {
        const options = createOptions(spec, name, await this.engineFeatures(spec));
        if (this.nodeId) {
          options.Labels = { ...options.Labels, [LABEL_NODE]: this.nodeId };
          // Named volumes Docker creates for it are this node's too (shared/model/volume.ts isBatonVolume).
          for (const m of options.HostConfig?.Mounts ?? []) {
            const labels = m.VolumeOptions?.Labels;
            if (labels?.[LABEL_VOLUME]) labels[LABEL_NODE] = this.nodeId;
          }
        }
        if (spec.files?.length) {
          const mounts = await this.fileMounts.prepare(spec.allocationId, spec.files);
          if (!mounts.ok) return { ok: false, reason: 'start-rejected', error: mounts.error };
          options.HostConfig = { ...options.HostConfig, Mounts: [...(options.HostConfig?.Mounts ?? []), ...mounts.value] };
        }
        const container = await this.docker.createContainer(options);
        return this.startExisting(container.id, 'created', true);
      } catch (err) {
        const code = statusCodeOf(err);
        if (code === undefined) throw err;
        if (code === 404 && !pulled) {
          // Only an image is looked up on create; pull it once, then try once more. Never loop.
          pulled = true;
          const pullError = await this.pull(spec.image);
          if (pullError === undefined) continue;
          return {
            ok: false,
            reason: 'image-unavailable',
            error: `image "${spec.image}" is not present on this host and could not be pulled: ${pullError}`,
          };
        }
        if (code === 409 && conflicts++ < 3) {
          // The name is taken: by this allocation (another executor raced us) -> adopt it; by another
          // allocation whose id shares our short prefix -> use the full id. Docker reserves the name
          // before the container is listable, so the owner may take a moment to appear.
          const owner = await this.nameOwner(name);
          if (owner?.allocationId === spec.allocationId) return this.startExisting(owner.containerId, owner.dockerState, false);
          if (owner) name = containerName(spec, true);
          continue;
        }
        if (code === 404) {
          return {
            ok: false,
            reason: 'image-unavailable',
            error: `image "${spec.image}" is not present on this host after pulling it: ${dockerMessage(err)}`,
          };
        }
        return { ok: false, reason: 'create-rejected', error: `cannot create container for ${spec.allocationId}: ${dockerMessage(err)}` };
      }
    }
  }

  /** What the engine supports, asked once; warns when a spec asks for what it lacks. */
  private async engineFeatures(spec: ReplicaSpec): Promise<EngineFeatures> {
    this.apiVersion ??= this.docker.version().then(
      (v) => v.ApiVersion,
      () => undefined,
    );
    const api = await this.apiVersion;
    if (api === undefined) this.apiVersion = undefined; // ask again next time
    const startInterval = api !== undefined && apiAtLeast(api, START_INTERVAL_API);
    if (!startInterval && spec.healthcheck?.startIntervalMs !== undefined && !spec.healthcheck.probe && !spec.healthcheck.disable) {
      this.logger?.warn(
        { allocationId: spec.allocationId, service: `${spec.stack}/${spec.service}`, dockerApi: api ?? 'unknown' },
        `healthcheck.start_interval needs Docker API ${START_INTERVAL_API} or later; this engine speaks ${api ?? 'an unknown version'}, so its checks run every interval during start_period too`,
      );
    }
    return { startInterval };
  }

  /** Who holds a container name; undefined if it does not become visible within about a second. */
  private async nameOwner(name: string): Promise<{ containerId: string; dockerState: string; allocationId: string } | undefined> {
    for (let i = 0; i < 20; i++) {
      try {
        const c = await this.docker.getContainer(name).inspect();
        return { containerId: c.Id, dockerState: c.State.Status, allocationId: c.Config.Labels?.[LABEL_ALLOCATION] ?? '' };
      } catch (err) {
        if (statusCodeOf(err) !== 404) throw err;
      }
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, 50));
    }
    return undefined;
  }

  /** Pulls an image; resolves to undefined when done, else the reason it failed. Concurrent pulls share one. */
  private pull(image: string): Promise<string | undefined> {
    let pending = this.pulls.get(image);
    if (!pending) {
      pending = this.doPull(image).finally(() => this.pulls.delete(image));
      this.pulls.set(image, pending);
    }
    return pending;
  }

  private async doPull(image: string): Promise<string | undefined> {
    try {
      const stream = await this.docker.pull(image, { abortSignal: AbortSignal.timeout(this.pullTimeoutMs) });
      const output = await new Promise<PullProgress[]>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (err: Error | null, out: PullProgress[]) => (err ? reject(err) : resolve(out)));
      });
      // A registry error after the HTTP 200 arrives as a progress message, not as an HTTP status.
      const failed = output.find((o) => o.error || o.errorDetail);
      return failed ? (failed.errorDetail?.message ?? failed.error ?? 'pull failed') : undefined;
    } catch (err) {
      if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') {
        return `pull timed out after ${this.pullTimeoutMs} ms`;
      }
      return dockerMessage(err);
    }
  }
}

interface PullProgress {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** The bridge address: the default network's, else the first network's that has one. */
function containerAddress(n: (Docker.ContainerInspectInfo['NetworkSettings'] & { IPAddress?: string }) | undefined): string {
  // The top-level IPAddress (default bridge) is deprecated in newer APIs and missing from dockerode's types.
  if (n?.IPAddress) return n.IPAddress;
  for (const net of Object.values(n?.Networks ?? {})) if (net.IPAddress) return net.IPAddress;
  return '';
}

function short(containerId: string): string {
  return containerId.slice(0, 12);
}
