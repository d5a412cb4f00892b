// The coordinator process: store, node pool, event log and the gRPC server, with a lifecycle.
import * as grpc from '@grpc/grpc-js';
import { createServer, type Server as NetServer } from 'node:net';
import { formatHostPort, parseHostPort, type HostPort } from '../shared/address.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { Status } from '../shared/grpc/errors.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../shared/grpc/load.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { agentServiceHandlers } from './agent-service.js';
import { Autoscaler } from './autoscale/controller.js';
import { ControlLoop } from './control-loop.js';
import { controlServiceHandlers } from './control-service.js';
import { Dispatcher } from './dispatcher.js';
import { EventLog } from './event-log.js';
import { EndpointPublisher } from './ingress/endpoint-publisher.js';
import { livePlanner, type PlanHandler } from './live-plan.js';
import { LogRouter } from './log-router.js';
import { CoordinatorMetrics, serveMetrics } from './metrics.js';
import { NodePool } from './node-pool.js';
import type { StatusTimeouts } from './node-status.js';
import { Queries } from './queries.js';
import { parseServiceCidr, type ServiceCidr } from './ingress/vip.js';
import { Stacks } from './stacks.js';
import { Volumes } from './volumes.js';
import { Store } from './store/store.js';
import { COORDINATOR_DEFAULTS } from './defaults.js';
import { AGENT_MAX_RECONNECT_MS } from '../shared/reconnect.js';
import type { AgentServiceOptions } from './agent-service.js';
import { ensureAdminCredential } from './security/admin-file.js';
import { ClusterAuthority } from './security/authority.js';
import { openSealingKey } from './secrets/sealing.js';
import { secretHandlers } from './secrets/secret-service.js';
import { SecretStore } from './secrets/secret-store.js';
import { authorizationInterceptor, callerOf } from './security/authorize.js';
import { securityHandlers } from './security/admin-service.js';
import { Rebalancer } from './rebalance/rebalancer.js';
import { NodeSchedules } from './node-schedule.js';
import { DEFAULT_NODE_HEALTH, NodeHealthMonitor, type NodeHealthThresholds } from './node-health.js';
import { FlapTracker } from './node-flaps.js';
import { joinServiceHandlers } from './security/join-service.js';
import { UsageFile } from './store/usage-file.js';
import { UsageRecorder, USAGE_FLUSH_MS } from './usage/recorder.js';
import { join } from 'node:path';

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
  /** How often usage aggregates are written to usage.json at most. @default USAGE_FLUSH_MS (60 s) */
  usageFlushMs?: number;
  /** Serve Prometheus metrics at http://ADDRESS/metrics; off when undefined. */
  metricsListen?: string;
  /** IPv4 block service VIPs come from. @default '10.96.0.0/16' */
  serviceCidr?: string;
  /** When a node that reports counts as unhealthy (node-health.ts). @default DEFAULT_NODE_HEALTH */
  nodeHealth?: Partial<NodeHealthThresholds>;
  /** Plaintext, no authentication: every caller may do anything. Only when asked for; never a fallback. @default false */
  insecure?: boolean;
  /** The address agents and operators reach this coordinator at (a name in its certificate). */
  advertiseAddress?: string;
  /** More names (DNS or IP) for its certificate. */
  sans?: string[];
  /** Lifetime of node certificates. @default 7 days */
  nodeCertTtlMs?: number;
  /** Record where the admin credential is (~/.baton/local/<port>) so the CLI on this host finds it. @default false */
  registerLocal?: boolean;
  clock?: Clock;
  logger?: Logger;
  /** Plans Compose files for `baton plan` against the live pool. @default livePlanner */
  plan?: (pool: NodePool, store: Store) => PlanHandler | undefined;
}

/** CoordinatorOptions with every default filled in and the intervals checked. */
export interface CompiledCoordinatorOptions {
  listen: HostPort;
  dataDir: string;
  heartbeatIntervalMs: number;
  timeouts: StatusTimeouts;
  tickMs: number;
  reconcileMs: number;
  usageFlushMs: number;
  metricsListen: string | undefined;
  serviceCidr: ServiceCidr;
  insecure: boolean;
  advertiseAddress: string | undefined;
  sans: string[];
  nodeCertTtlMs: number | undefined;
  nodeHealth: NodeHealthThresholds;
  registerLocal: boolean;
  clock: Clock;
  logger: Logger;
  plan: (pool: NodePool, store: Store) => PlanHandler | undefined;
}

export function compileCoordinatorOptions(options: CoordinatorOptions = {}): CompiledCoordinatorOptions {
  const d = COORDINATOR_DEFAULTS;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? d.heartbeatIntervalMs;
  const timeouts = { suspectAfterMs: options.suspectAfterMs ?? d.suspectAfterMs, downAfterMs: options.downAfterMs ?? d.downAfterMs };
  if (!(timeouts.suspectAfterMs > heartbeatIntervalMs && timeouts.downAfterMs > timeouts.suspectAfterMs)) {
    throw new Error('intervals must satisfy heartbeat < suspect-after < down-after');
  }
  const serviceCidr = parseServiceCidr(options.serviceCidr ?? d.serviceCidr);
  if (!serviceCidr.ok) throw new Error(serviceCidr.error);
  return {
    listen: parseHostPort(options.listen ?? d.listen, '0.0.0.0', undefined, true),
    dataDir: options.dataDir ?? d.dataDir,
    heartbeatIntervalMs,
    timeouts,
    tickMs: options.tickMs ?? d.tickMs,
    reconcileMs: options.reconcileMs ?? d.reconcileMs,
    usageFlushMs: options.usageFlushMs ?? USAGE_FLUSH_MS,
    metricsListen: options.metricsListen,
    serviceCidr: serviceCidr.value,
    insecure: options.insecure === true,
    advertiseAddress: options.advertiseAddress,
    sans: options.sans ?? [],
    nodeCertTtlMs: options.nodeCertTtlMs,
    nodeHealth: { ...DEFAULT_NODE_HEALTH, ...options.nodeHealth },
    registerLocal: options.registerLocal === true,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? createLogger('coordinator'),
    plan: options.plan ?? livePlanner,
  };
}

export type CoordinatorState = 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Connections the kernel holds for the coordinator to accept (capped by net.core.somaxconn).
 * grpc-js listens with Node's default of 511: when thousands of agents (re)connect at once, as
 * after a coordinator restart, a busy event loop lets that queue overflow and the kernel drops
 * or resets connections (seen as ECONNRESET and SYN retries of 1, 3, 7, 15 s at 10,000 agents).
 */
const LISTEN_BACKLOG = 4096;

/** Listens on `listen` with LISTEN_BACKLOG and hands each connection to the gRPC server. */
async function listenGrpc(server: grpc.Server, listen: HostPort, credentials: grpc.ServerCredentials): Promise<{ listener: NetServer; port: number }> {
  const injector = server.createConnectionInjector(credentials);
  const listener = createServer((socket) => injector.injectConnection(socket));
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ host: listen.host, port: listen.port, backlog: LISTEN_BACKLOG }, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const a = listener.address();
  return { listener, port: typeof a === 'object' && a ? a.port : listen.port };
}

export class Coordinator {
  state: CoordinatorState = 'starting';
  private ticker: NodeJS.Timeout | undefined;
  private certTimer: NodeJS.Timeout | undefined;
  private listener: NetServer | undefined;
  metricsServer: import('node:http').Server | undefined;
  metricsAddress: HostPort | undefined;
  /** Usage accounting (`baton top`, `baton usage`). */
  usage: UsageRecorder | undefined;

  private constructor(
    readonly server: grpc.Server,
    readonly store: Store,
    readonly pool: NodePool,
    readonly events: EventLog,
    readonly address: HostPort,
    private readonly log: Logger,
    readonly metrics: CoordinatorMetrics,
    readonly stacks: Stacks,
    readonly queries: Queries,
    readonly loop: ControlLoop,
    readonly logs: LogRouter,
    /** Undefined with --insecure. */
    readonly authority: ClusterAuthority | undefined,
    readonly autoscaler: Autoscaler,
  ) {}

  /** Where the admin credential was written (undefined with --insecure). */
  adminCredentialFile: string | undefined;

  static async start(options: CoordinatorOptions = {}): Promise<Coordinator> {
    const o = compileCoordinatorOptions(options);
    const { clock, logger: log, listen, heartbeatIntervalMs } = o;
    const store = await Store.open({ dataDir: o.dataDir });
    // Wiring in data-flow order: desired state (stacks) -> control loop (reconcile, plan, apply,
    // flush) -> dispatcher -> node pool -> agents; agents' events come back through the dispatcher.
    const events = new EventLog(store, clock);
    const pool = new NodePool(store, events, clock, log, { timeouts: o.timeouts, heartbeatIntervalMs });
    // Nodes that were ready before a restart become suspect after suspectAfterMs if they do not
    // reconnect: no endpoint set goes out before then unless they are all back.
    const endpoints = new EndpointPublisher(pool, clock, log, { settleMs: o.timeouts.suspectAfterMs });
    const metrics = new CoordinatorMetrics(pool, endpoints);
    // Usage accounting from every report (issue 12); its aggregates live in usage.json beside the state.
    const usage = new UsageRecorder(store, pool, clock, log, new UsageFile(join(store.file, '..', 'usage.json')), { flushMs: o.usageFlushMs });
    await usage.start();
    metrics.registerUsage(usage);
    let sealingKey;
    try {
      sealingKey = await openSealingKey(o.dataDir);
    } catch (err) {
      await store.close();
      throw err;
    }
    const secrets = new SecretStore(store, sealingKey, clock);
    const dispatcher = new Dispatcher(store, pool, events, clock, log, { fileContent: (kind, name) => secrets.content(kind, name) });
    const schedules = new NodeSchedules(store, pool, events, clock);
    const health = new NodeHealthMonitor(store, events, o.nodeHealth);
    const flaps = new FlapTracker(store, events);
    const volumes = new Volumes(store, pool, events, clock, log);
    const loop = new ControlLoop(store, pool, dispatcher, clock, log, { loopMs: o.reconcileMs, events, endpoints, schedules, health, flaps, volumes });
    const rebalancer = new Rebalancer(store, pool, events, clock);
    const stacks = new Stacks(store, events, loop, clock, { serviceCidr: o.serviceCidr, secrets, volumes });
    // State from before service addresses (or from another --service-cidr) gets them before the first round.
    for (const warning of stacks.assignAddresses()) log.warn({ warning }, 'published ports conflict in stored state');
    loop.onRollback((req) => stacks.autoRollback(req));
    loop.onDependencyUpdated((stack, dependency) => stacks.restartDependents(stack, dependency));
    const queries = new Queries(store, pool, loop, endpoints);
    // Samples and decides once a control-loop interval (the HPA syncs every 15 s; reports come each second).
    const autoscaler = new Autoscaler(store, pool, stacks, clock, log, { syncMs: o.reconcileMs });
    const logs = new LogRouter(
      {
        replicasOf: (ref) => queries.replicas(ref),
        nodeOf: (allocationId) => store.state.allocations[allocationId]?.nodeId,
        isConnected: (nodeId) => pool.isConnected(nodeId),
        send: (nodeId, cmd) => pool.send(nodeId, cmd),
      },
      log,
    );
    let authority: ClusterAuthority | undefined;
    if (o.insecure) {
      log.warn('--insecure: plaintext, and anyone who reaches the port may do anything (deploy containers as root on every host)');
    } else {
      try {
        authority = await ClusterAuthority.open(
          { dataDir: o.dataDir, names: [...(o.advertiseAddress ? [parseHostPort(o.advertiseAddress, o.advertiseAddress, listen.port).host] : []), ...o.sans], nodeCertTtlMs: o.nodeCertTtlMs, clock, log },
          store,
          listen.host,
        );
      } catch (err) {
        await store.close();
        throw err;
      }
    }
    const onRefusal = (method: string, code: number) => metrics.authRefusals.inc({ method: method.split('/').pop() ?? method, code: Status[code] ?? String(code) });
    const proto = loadProto();
    const server = new grpc.Server({
      ...(authority ? { interceptors: [authorizationInterceptor(authority, log, onRefusal)] } : {}),
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
        clock,
        onSessionStart: (nodeId) => {
          logs.onSessionStart(nodeId);
          dispatcher.onSessionStart(nodeId);
          // After the Reconcile: the agent learns what it runs before where traffic goes.
          endpoints.onSessionStart(nodeId);
          void loop.kick();
        },
        ...(authority ? { certifiedNodeId: (call: Parameters<NonNullable<AgentServiceOptions['certifiedNodeId']>>[0]) => {
          const p = callerOf(call, authority);
          return p.kind === 'node' ? p.nodeId : undefined;
        } } : {}),
        onAgentEvent: (nodeId, e) => {
          if (e.kind === 'log') logs.onAgentEvent(nodeId, e);
          else {
            if (e.kind === 'ack') {
              logs.onAgentEvent(nodeId, e);
              volumes.onAgentEvent(nodeId, e);
            }
            dispatcher.onAgentEvent(nodeId, e);
          }
        },
      }));
    server.addService(
      proto.baton.v1.ControlService.service,
      { ...controlServiceHandlers({ pool, schedules, events, log, stacks, queries, logs, volumes, autoscaler, usage, rebalancer, plan: o.plan(pool, store) }), ...securityHandlers(authority, pool, log, schedules, rebalancer), ...secretHandlers(secrets, log) },
    );
    if (authority) server.addService(proto.baton.v1.JoinService.service, joinServiceHandlers(authority, log, onRefusal));
    let bound: { listener: NetServer; port: number };
    try {
      bound = await listenGrpc(server, listen, authority ? authority.serverCredentials() : grpc.ServerCredentials.createInsecure());
    } catch (err) {
      await store.close();
      throw new Error(`cannot listen on ${formatHostPort(listen)}: ${(err as Error).message}`);
    }
    // From now on agents can reach it: the nodes of a restarted coordinator get the agents' longest
    // reconnect wait before their silence counts (so a start slowed by loading state and
    // certificates, or an agent at the top of its backoff, costs no node its status or endpoints).
    const graceUntil = clock.now() + AGENT_MAX_RECONNECT_MS;
    pool.graceUntil(graceUntil);
    endpoints.settleUntil(graceUntil + o.timeouts.suspectAfterMs);
    const c = new Coordinator(server, store, pool, events, { host: listen.host, port: bound.port }, log, metrics, stacks, queries, loop, logs, authority, autoscaler);
    c.listener = bound.listener;
    c.usage = usage;
    if (authority) {
      const reach = o.advertiseAddress ? formatHostPort(parseHostPort(o.advertiseAddress, o.advertiseAddress, bound.port)) : `127.0.0.1:${bound.port}`;
      c.adminCredentialFile = await ensureAdminCredential(authority, o.dataDir, reach, { registerLocalPort: o.registerLocal ? bound.port : undefined });
    }
    loop.start();
    autoscaler.start();
    if (o.metricsListen) {
      try {
        const m = await serveMetrics(metrics, o.metricsListen);
        c.metricsServer = m.server;
        c.metricsAddress = m.address;
      } catch (err) {
        // Metrics are an aid, not a reason to refuse to coordinate.
        log.warn({ err: (err as Error).message, listen: o.metricsListen }, 'metrics endpoint not started');
      }
    }
    c.ticker = setInterval(() => pool.tick(), o.tickMs);
    if (authority) {
      c.certTimer = setInterval(() => void authority.refreshServerCertificate().catch((err: Error) => log.error({ err: err.message }, 'reissuing the coordinator certificate failed')), 12 * 3_600_000);
      c.certTimer.unref();
    }
    c.state = 'running';
    log.info({ listen: formatHostPort(c.address), dataDir: store.file }, 'coordinator running');
    return c;
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    clearInterval(this.ticker);
    clearInterval(this.certTimer);
    await this.autoscaler.stop();
    await this.loop.stop();
    // Following Logs calls would otherwise hold up the server's graceful shutdown.
    this.logs.endAll('coordinator shutting down');
    this.pool.endAll(Status.UNAVAILABLE, 'coordinator shutting down');
    this.listener?.close();
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
    // After the sessions ended: no report comes in after the open minute is closed and written.
    await this.usage?.stop();
    await this.store.close();
    this.state = 'stopped';
    this.log.info('coordinator stopped');
  }
}
