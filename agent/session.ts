// One session with the coordinator (SwarmKit's session.go): a Connect stream that introduces the
// host (capacity, Docker version, containers), and once welcomed re-sends every replica's status,
// reports every heartbeat and hands commands to the worker. Any failure ends the whole session;
// the agent then starts a new one.
import * as grpc from '@grpc/grpc-js';
import { hostname } from 'node:os';
import type { AgentMessage } from '../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { AgentServiceClient } from '../shared/grpc/gen/baton/v1/AgentService.js';
import type { CoordinatorMessage__Output } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { Logger } from '../shared/logger.js';
import { containersToWireDelta, containerToWire, describedBy, hostUsageToWire } from '../shared/observations.js';
import { ingressReportToWire } from '../shared/wire/ingress.js';
import { volumeInventoryToWire } from '../shared/wire/volume.js';
import { BATON_VERSION, PROTOCOL_VERSION } from '../shared/version.js';
import type { EngineObservation } from './docker-observer.js';
import type { HostCapacity, HostSample } from './host-metrics.js';
import type { VolumeListing } from './volumes.js';
import type { Worker } from './worker.js';

export interface SessionOptions {
  client: AgentServiceClient;
  nodeId: string;
  /** @default os.hostname() */
  name?: string;
  /** Empty lets the coordinator use the address it sees. */
  address?: string;
  labels?: Record<string, string>;
  /** `manager` or `worker`. @default 'worker' */
  role?: string;
  /** Override the detected capacity. */
  cpuMillis?: number;
  memoryBytes?: number;
  host: { capacity(): Promise<HostCapacity>; sample(): Promise<HostSample> };
  engine: { observe(withStats: boolean): Promise<EngineObservation> };
  /** The node's Baton volumes; reports carry them when they changed. None: reports never do. */
  volumes?: { current(): Promise<VolumeListing | undefined> };
  worker: Pick<Worker, 'currentEvents' | 'handle' | 'sessionEnded'> & Partial<Pick<Worker, 'ingressReport'>>;
  /** @default 10000 */
  welcomeTimeoutMs?: number;
  /** Called once, when the coordinator's welcome arrives. */
  onWelcome?: () => void;
  log: Logger;
}

/** How long a replica change waits for others to share its early report. */
const REPORT_SOON_MS = 50;

export class Session {
  private call: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output> | undefined;
  private established = false;
  private ended = false;
  private closing = false;
  /** Sends a report now; set once the session is welcomed. */
  private sendReport: (() => Promise<void>) | undefined;
  private reportSoonTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SessionOptions) {}

  /**
   * Runs the session to its end: resolves when the stream ends, true if it got as far as a welcome;
   * rejects on a stream error or when no welcome comes in time.
   */
  async run(): Promise<boolean> {
    const o = this.options;
    const [capacity, engine] = await Promise.all([o.host.capacity(), o.engine.observe(false)]);
    if (this.closing) return false;
    const call = o.client.Connect();
    this.call = call;
    let timer: NodeJS.Timeout | undefined;
    let welcomeTimer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolveSession, rejectSession) => {
        let seq = 0;
        let sampling = false;
        let sessionId = '';
        // The volume list version this session's coordinator has (0: none yet).
        let volumesSent = 0;
        // What this session has said of each container (the hello, then each report), for the delta encoding.
        const helloContainers = engine.containers.map(containerToWire);
        const described = describedBy(helloContainers);
        const sendReport = async () => {
          if (sampling) return; // a slow sample skips a beat rather than piling up
          sampling = true;
          try {
            const [host, eng, ingress, volumes] = await Promise.all([o.host.sample(), o.engine.observe(true), o.worker.ingressReport?.(), o.volumes?.current()]);
            if (!this.open) return;
            const newVolumes = volumes && volumes.version !== volumesSent ? volumes : undefined;
            if (newVolumes) volumesSent = newVolumes.version;
            call.write({
              report: {
                session_id: sessionId,
                seq: ++seq,
                sent_at_ms: Date.now(),
                host: hostUsageToWire(host),
                docker_up: eng.up,
                docker_error: eng.error,
                // A container described as before goes as its usage only (proto ContainerState.unchanged).
                containers: containersToWireDelta(eng.containers, described),
                // Once an endpoint set arrived: what this node applied and what flows through it.
                ...(ingress ? { ingress: ingressReportToWire(ingress) } : {}),
                // Only when changed since this session's last report (the first one always has them).
                ...(newVolumes ? { volumes: volumeInventoryToWire(newVolumes.volumes) } : {}),
              },
            });
          } catch (err) {
            o.log.warn({ err: (err as Error).message }, 'sampling failed');
          } finally {
            sampling = false;
          }
        };
        call.on('data', (msg: CoordinatorMessage__Output) => {
          if (msg.body === 'welcome' && msg.welcome && !this.established) {
            this.established = true;
            clearTimeout(welcomeTimer);
            sessionId = msg.welcome.session_id;
            o.onWelcome?.();
            const every = Math.max(100, msg.welcome.heartbeat_interval_ms || 1000);
            o.log.info({ sessionId, heartbeatMs: every }, 'connected to coordinator');
            for (const event of o.worker.currentEvents()) call.write({ container_event: event });
            this.sendReport = sendReport;
            void sendReport();
            timer = setInterval(() => void sendReport(), every);
          } else if (msg.body === 'command' && msg.command && this.established) {
            void o.worker.handle(msg.command).then((ack) => {
              if (!this.ended) call.write({ ack });
            });
          } else if (msg.body === 'session_end') {
            o.log.warn({ reason: msg.session_end?.reason }, 'coordinator ended the session');
          }
        });
        call.on('error', (err: grpc.ServiceError) => {
          if (!this.closing) o.log.warn({ code: grpc.status[err.code], details: err.details }, 'stream error');
          rejectSession(err);
        });
        call.on('end', () => resolveSession());
        call.on('status', () => resolveSession());
        welcomeTimer = setTimeout(() => {
          call.cancel();
          rejectSession(new Error('no welcome from coordinator'));
        }, o.welcomeTimeoutMs ?? 10_000);
        call.write({
          hello: {
            node_id: o.nodeId,
            name: o.name ?? hostname(),
            address: o.address ?? '',
            capacity: {
              cpu_millis: o.cpuMillis ?? capacity.cpuMillis,
              memory_bytes: o.memoryBytes ?? capacity.memoryBytes,
              disk_bytes: capacity.diskBytes,
            },
            labels: o.labels ?? {},
            role: o.role ?? 'worker',
            agent_version: BATON_VERSION,
            docker_version: engine.version,
            containers: helloContainers,
            protocol: PROTOCOL_VERSION,
          },
        });
      });
    } finally {
      clearInterval(timer);
      clearTimeout(welcomeTimer);
      clearTimeout(this.reportSoonTimer);
      this.sendReport = undefined;
      this.ended = true;
      o.worker.sessionEnded();
      call.cancel();
    }
    return this.established;
  }

  /** Welcomed, not ended and not saying goodbye: messages sent now have a reader. */
  get open(): boolean {
    return this.established && !this.ended && !this.closing;
  }

  /**
   * A replica changed (state or health): send a report shortly, not at the next beat, so the
   * coordinator's view, which rollouts and depends_on wait on, is current within REPORT_SOON_MS.
   * Changes in a burst share one report.
   */
  reportSoon(): void {
    if (!this.sendReport || this.reportSoonTimer) return;
    const send = this.sendReport;
    this.reportSoonTimer = setTimeout(() => {
      this.reportSoonTimer = undefined;
      void send();
    }, REPORT_SOON_MS);
  }

  /** Writes a message on an open session (else drops it); false asks the writer to slow down. */
  send(msg: AgentMessage): boolean {
    return this.open && this.call ? this.call.write(msg) : true;
  }

  /** Says goodbye (so the node becomes `left` at once) and ends the stream; waits up to 1 s for the coordinator to close it. */
  async goodbye(reason: string): Promise<void> {
    this.closing = true;
    const call = this.call;
    if (!call || this.ended) return;
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
}
