// The Baton agent: introduces its host to the coordinator over one gRPC stream, then reports
// usage and health every interval. Reconnects forever with jittered backoff; Docker being down
// is reported, never fatal.
import * as grpc from '@grpc/grpc-js';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { formatHostPort, parseHostPort } from '../shared/address.js';
import type { AgentServiceClient } from '../shared/grpc/gen/baton/v1/AgentService.js';
import type { AgentMessage } from '../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { CoordinatorMessage__Output } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../shared/grpc/load.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { BATON_VERSION, PROTOCOL_VERSION } from '../shared/version.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { DockerObserver, dockerFromEnv } from './docker-observer.js';
import { containerToWire, hostUsageToWire } from '../shared/observations.js';
import { HostMetrics } from './host-metrics.js';
import { loadOrCreateNodeId } from './identity.js';
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
  private call: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output> | undefined;
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
        if (this.state === 'connected') this.call?.write({ container_event: event });
      },
      // Log streams end with their session, so a chunk with no session has no reader.
      (chunk) => (this.state === 'connected' && this.call ? this.call.write({ log_chunk: chunk }) : true),
    );
    this.worker.start();
    this.loop = this.run();
  }

  /** Says goodbye (so the node becomes `left` at once) and stops. */
  async stop(reason = 'agent shutdown'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.state = 'stopping';
    const call = this.call;
    if (call) {
      try {
        call.write({ goodbye: { reason } });
        call.end();
        await new Promise<void>((r) => {
          const t = setTimeout(r, 1000);
          call.on('status', () => {
            clearTimeout(t);
            r();
          });
        });
      } catch {
        // Nothing more to do: the coordinator will notice by silence.
      }
      call.cancel();
    }
    this.wake?.();
    await this.loop;
    await this.worker?.close();
    this.client.close();
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      this.state = 'connecting';
      const established = await this.session().catch((err: Error) => {
        this.log.warn({ err: err.message }, 'session failed');
        return false;
      });
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

  /** One session: resolves when it ends; true if it got as far as a welcome. */
  private async session(): Promise<boolean> {
    const [capacity, engine] = await Promise.all([this.host.capacity(), this.engine.observe(false)]);
    const call = this.client.Connect();
    this.call = call;
    let established = false;
    let timer: NodeJS.Timeout | undefined;
    let welcomeTimer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolveSession, rejectSession) => {
        let seq = 0;
        let sampling = false;
        let sessionId = '';
        const sendReport = async () => {
          if (sampling) return; // a slow sample skips a beat rather than piling up
          sampling = true;
          try {
            const [host, eng] = await Promise.all([this.host.sample(), this.engine.observe(true)]);
            if (this.call !== call || this.state !== 'connected') return;
            call.write({
              report: {
                session_id: sessionId,
                seq: ++seq,
                sent_at_ms: Date.now(),
                host: hostUsageToWire(host),
                docker_up: eng.up,
                docker_error: eng.error,
                containers: eng.containers.map(containerToWire),
              },
            });
          } catch (err) {
            this.log.warn({ err: (err as Error).message }, 'sampling failed');
          } finally {
            sampling = false;
          }
        };
        call.on('data', (msg: CoordinatorMessage__Output) => {
          if (msg.body === 'welcome' && msg.welcome && !established) {
            established = true;
            clearTimeout(welcomeTimer);
            sessionId = msg.welcome.session_id;
            this.sessions++;
            this.state = 'connected';
            const every = Math.max(100, msg.welcome.heartbeat_interval_ms || 1000);
            this.log.info({ sessionId, heartbeatMs: every }, 'connected to coordinator');
            for (const event of this.worker.currentEvents()) call.write({ container_event: event });
            void sendReport();
            timer = setInterval(() => void sendReport(), every);
          } else if (msg.body === 'command' && msg.command && established) {
            void this.worker.handle(msg.command).then((ack) => {
              if (this.call === call) call.write({ ack });
            });
          } else if (msg.body === 'session_end') {
            this.log.warn({ reason: msg.session_end?.reason }, 'coordinator ended the session');
          }
        });
        call.on('error', (err: grpc.ServiceError) => {
          if (!this.stopping) this.log.warn({ code: grpc.status[err.code], details: err.details }, 'stream error');
          rejectSession(err);
        });
        call.on('end', () => resolveSession());
        call.on('status', () => resolveSession());
        welcomeTimer = setTimeout(() => {
          call.cancel();
          rejectSession(new Error('no welcome from coordinator'));
        }, this.options.welcomeTimeoutMs ?? 10_000);
        call.write({
          hello: {
            node_id: this.nodeId,
            name: this.options.name ?? hostname(),
            address: this.options.address ?? '',
            capacity: {
              cpu_millis: this.options.cpuMillis ?? capacity.cpuMillis,
              memory_bytes: this.options.memoryBytes ?? capacity.memoryBytes,
              disk_bytes: capacity.diskBytes,
            },
            labels: this.options.labels ?? {},
            agent_version: BATON_VERSION,
            docker_version: engine.version,
            containers: engine.containers.map(containerToWire),
            protocol: PROTOCOL_VERSION,
          },
        });
      });
    } finally {
      clearInterval(timer);
      clearTimeout(welcomeTimer);
      if (this.call === call) this.call = undefined;
      this.worker.sessionEnded();
      call.cancel();
    }
    return established;
  }
}

