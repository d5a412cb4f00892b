// The coordinator process: store, node pool, event log and the gRPC server, with a lifecycle.
import * as grpc from '@grpc/grpc-js';
import { formatHostPort, parseHostPort, type HostPort } from '../shared/address.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { Status } from '../shared/grpc/errors.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../shared/grpc/load.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { agentServiceHandlers } from './agent-service.js';
import { controlServiceHandlers, type PlanHandler } from './control-service.js';
import { EventLog } from './event-log.js';
import { livePlanner } from './live-plan.js';
import { LogRouter } from './log-router.js';
import { CoordinatorMetrics, serveMetrics } from './metrics.js';
import { NodePool } from './node-pool.js';
import { Orchestrator } from './orchestrator.js';
import { DEFAULT_TIMEOUTS } from './node-status.js';
import { Store } from './store/store.js';

export interface CoordinatorOptions {
  /** @default '0.0.0.0:7400' */
  listen?: string;
  /** @default './.baton' */
  dataDir?: string;
  /** Interval agents are asked to report at. @default 1000 */
  heartbeatIntervalMs?: number;
  /** @default 3000 */
  suspectAfterMs?: number;
  /** @default 5000 */
  downAfterMs?: number;
  /** How often silence is checked. @default 250 */
  tickMs?: number;
  /** How often desired and actual state are reconciled. @default 1000 */
  reconcileMs?: number;
  /** Serve Prometheus metrics at http://ADDRESS/metrics; off when undefined. */
  metricsListen?: string;
  clock?: Clock;
  logger?: Logger;
  /** Plans Compose files for `baton plan` against the live pool. @default livePlanner */
  plan?: (pool: NodePool, store: Store) => PlanHandler | undefined;
}

export type CoordinatorState = 'starting' | 'running' | 'stopping' | 'stopped';

export class Coordinator {
  state: CoordinatorState = 'starting';
  private ticker: NodeJS.Timeout | undefined;
  metricsServer: import('node:http').Server | undefined;
  metricsAddress: HostPort | undefined;

  private constructor(
    readonly server: grpc.Server,
    readonly store: Store,
    readonly pool: NodePool,
    readonly events: EventLog,
    readonly address: HostPort,
    private readonly log: Logger,
    readonly metrics: CoordinatorMetrics,
    readonly orchestrator: Orchestrator,
    readonly logs: LogRouter,
  ) {}

  static async start(options: CoordinatorOptions = {}): Promise<Coordinator> {
    const log = options.logger ?? createLogger('coordinator');
    const clock = options.clock ?? systemClock;
    const listen = parseHostPort(options.listen ?? '0.0.0.0:7400', '0.0.0.0', undefined, true);
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
    const timeouts = {
      suspectAfterMs: options.suspectAfterMs ?? DEFAULT_TIMEOUTS.suspectAfterMs,
      downAfterMs: options.downAfterMs ?? DEFAULT_TIMEOUTS.downAfterMs,
    };
    if (!(timeouts.suspectAfterMs > heartbeatIntervalMs && timeouts.downAfterMs > timeouts.suspectAfterMs)) {
      throw new Error('intervals must satisfy heartbeat < suspect-after < down-after');
    }
    const store = await Store.open({ dataDir: options.dataDir ?? './.baton' });
    const events = new EventLog(store, clock);
    const pool = new NodePool(store, events, clock, log, { timeouts, heartbeatIntervalMs });
    const metrics = new CoordinatorMetrics(pool);
    const orchestrator = new Orchestrator(store, pool, events, clock, log, { loopMs: options.reconcileMs });
    const logs = new LogRouter(orchestrator, store, pool, log);
    const proto = loadProto();
    const server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      // Server-side pings find dead peers so their streams are released; status is decided by
      // report silence (node-status.ts), not by these.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
    });
    server.addService(proto.baton.v1.AgentService.service, agentServiceHandlers(pool, log, {
        heartbeatIntervalMs,
        metrics,
        onSessionStart: (nodeId) => {
          logs.onSessionStart(nodeId);
          orchestrator.onSessionStart(nodeId);
        },
        onAgentTraffic: (nodeId, msg) => {
          if (msg.body === 'ack' && msg.ack) {
            logs.onAck(nodeId, msg.ack);
            orchestrator.onAck(nodeId, msg.ack);
          } else if (msg.body === 'container_event' && msg.container_event) orchestrator.onContainerEvent(nodeId, msg.container_event);
          else if (msg.body === 'log_chunk' && msg.log_chunk) logs.onChunk(nodeId, msg.log_chunk);
        },
      }));
    server.addService(
      proto.baton.v1.ControlService.service,
      controlServiceHandlers({ pool, events, log, orchestrator, logs, plan: (options.plan ?? livePlanner)(pool, store) }),
    );
    let port: number;
    try {
      port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(formatHostPort(listen), grpc.ServerCredentials.createInsecure(), (err, p) =>
          err ? reject(err) : resolve(p),
        ),
      );
    } catch (err) {
      await store.close();
      throw new Error(`cannot listen on ${formatHostPort(listen)}: ${(err as Error).message}`);
    }
    const c = new Coordinator(server, store, pool, events, { host: listen.host, port }, log, metrics, orchestrator, logs);
    orchestrator.start();
    if (options.metricsListen) {
      try {
        const m = await serveMetrics(metrics, options.metricsListen);
        c.metricsServer = m.server;
        c.metricsAddress = m.address;
      } catch (err) {
        // Metrics are an aid, not a reason to refuse to coordinate.
        log.warn({ err: (err as Error).message, listen: options.metricsListen }, 'metrics endpoint not started');
      }
    }
    c.ticker = setInterval(() => pool.tick(), options.tickMs ?? 250);
    c.state = 'running';
    log.info({ listen: formatHostPort(c.address), dataDir: store.file }, 'coordinator running');
    return c;
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    clearInterval(this.ticker);
    await this.orchestrator.stop();
    // Following Logs calls would otherwise hold up the server's graceful shutdown.
    this.logs.endAll('coordinator shutting down');
    this.pool.endAll(Status.UNAVAILABLE, 'coordinator shutting down');
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 2000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    this.metricsServer?.close();
    await this.store.close();
    this.state = 'stopped';
    this.log.info('coordinator stopped');
  }
}
