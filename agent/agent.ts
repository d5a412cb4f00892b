// The Baton agent: keeps one session with the coordinator going (session.ts), reconnecting forever
// with jittered backoff, and runs the worker that carries out the coordinator's commands. Docker
// being down is reported, never fatal.
import * as grpc from '@grpc/grpc-js';
import { resolve } from 'node:path';
import { formatHostPort, parseHostPort } from '../shared/address.js';
import type { AgentServiceClient } from '../shared/grpc/gen/baton/v1/AgentService.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../shared/grpc/load.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { DockerObserver, dockerFromEnv } from './docker-observer.js';
import { HostMetrics } from './host-metrics.js';
import { loadOrCreateNodeId } from './identity.js';
import { Session } from './session.js';
import { Worker } from './worker.js';

export interface AgentOptions {
  /** HOST:PORT of the coordinator. */
  coordinator: string;
  /** @default os.hostname() */
  name?: string;
  labels?: Record<string, string>;
  /** Where the node id is kept. @default './.baton-agent' */
  dataDir?: string;
  /** Address to advertise; empty lets the coordinator use the address it sees. */
  address?: string;
  /** Docker engine to use. @default process.env.DOCKER_HOST or /var/run/docker.sock */
  dockerHost?: string;
  /** Override the detected capacity (e.g. to reserve part of the host for itself). */
  cpuMillis?: number;
  memoryBytes?: number;
  backoff?: BackoffOptions;
  /** Delete the ingress's nftables table on stop. @default false: the rules stay and traffic keeps flowing. */
  cleanupIngress?: boolean;
  /** Time to wait for the coordinator's welcome. @default 10000 */
  welcomeTimeoutMs?: number;
  logger?: Logger;
}

export type AgentState = 'starting' | 'connecting' | 'connected' | 'stopping' | 'stopped';

export class Agent {
  state: AgentState = 'starting';
  nodeId = '';
  /** Sessions established so far (for tests and logs). */
  sessions = 0;
  private readonly log: Logger;
  private readonly client: AgentServiceClient;
  private readonly host: HostMetrics;
  private readonly docker: ReturnType<typeof dockerFromEnv>;
  private engine!: DockerObserver;
  private worker!: Worker;
  private session: Session | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: AgentOptions) {
    this.log = options.logger ?? createLogger('agent');
    const target = formatHostPort(parseHostPort(options.coordinator));
    const proto = loadProto();
    this.client = new proto.baton.v1.AgentService(target, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      // Pings find a silent (cut) link within a few seconds so the agent reconnects promptly.
      'grpc.keepalive_time_ms': 3000,
      'grpc.keepalive_timeout_ms': 2000,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.initial_reconnect_backoff_ms': 250,
      'grpc.max_reconnect_backoff_ms': 2000,
      // No channelz: nothing queries the agent's channel statistics, and their trace buffers cost memory.
      'grpc.enable_channelz': 0,
    });
    this.host = new HostMetrics(resolve(options.dataDir ?? './.baton-agent'));
    this.docker = dockerFromEnv(options.dockerHost);
  }

  /** Loads the identity and starts connecting; resolves once the loop is running. */
  async start(): Promise<void> {
    this.nodeId = await loadOrCreateNodeId(resolve(this.options.dataDir ?? './.baton-agent'));
    this.log.info({ nodeId: this.nodeId, coordinator: this.options.coordinator }, 'agent starting');
    // Built once the node id is known: the agent sees and manages only containers labelled with it.
    this.engine = new DockerObserver(this.docker, this.nodeId);
    this.worker = new Worker(
      this.docker,
      this.nodeId,
      this.log,
      (event) => {
        // Events while disconnected are not queued: the complete current set is re-sent on
        // every (re)connect, which is what the coordinator needs.
        this.session?.send({ container_event: event });
        this.session?.reportSoon();
      },
      // Log streams end with their session, so a chunk with no session has no reader.
      (chunk) => this.session?.send({ log_chunk: chunk }) ?? true,
    );
    this.worker.start();
    this.loop = this.run();
  }

  /** Says goodbye (so the node becomes `left` at once) and stops. */
  async stop(reason = 'agent shutdown'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.state = 'stopping';
    await this.session?.goodbye(reason);
    this.wake?.();
    await this.loop;
    await this.worker?.close({ deleteIngressTable: this.options.cleanupIngress === true });
    this.client.close();
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      this.state = 'connecting';
      const session = this.newSession();
      this.session = session;
      const established = await session.run().catch((err: Error) => {
        this.log.warn({ err: err.message }, 'session failed');
        return false;
      });
      if (this.session === session) this.session = undefined;
      if (this.stopping) break;
      attempt = established ? 0 : attempt + 1;
      const delay = backoffDelayMs(attempt, this.options.backoff);
      this.log.info({ delayMs: delay, attempt }, 'reconnecting');
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wake = undefined;
    }
  }

  private newSession(): Session {
    const o = this.options;
    return new Session({
      client: this.client,
      nodeId: this.nodeId,
      name: o.name,
      address: o.address,
      labels: o.labels,
      cpuMillis: o.cpuMillis,
      memoryBytes: o.memoryBytes,
      host: this.host,
      // Health from the supervisor on top of what the engine lists (Baton's checks, check output).
      engine: { observe: async (withStats) => this.worker.withHealth(await this.engine.observe(withStats)) },
      worker: this.worker,
      welcomeTimeoutMs: o.welcomeTimeoutMs,
      onWelcome: () => {
        this.sessions++;
        this.state = 'connected';
      },
      log: this.log,
    });
  }
}
