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
import { joinCluster, loadNodeTls, nodeCredentials, renewAtMs, renewCertificate, CHANNEL_OPTIONS, type NodeTls } from './security/node-tls.js';
import { parseJoinToken, type JoinToken } from '../shared/security/token.js';
import { defaultNodeRole, type NodeRole } from '../shared/model/node-role.js';
import { DisconnectGuard } from './disconnect-guard.js';
import { ReplicaCheckpoint } from './replica-checkpoint.js';
import { Session } from './session.js';
import { Worker } from './worker.js';

export interface AgentOptions {
  /** HOST:PORT of the coordinator. */
  coordinator: string;
  /** @default os.hostname() */
  name?: string;
  labels?: Record<string, string>;
  /** What `node.role` constraints see. @default `manager` when `coordinator` is a loopback address (this is the coordinator's host), else `worker` */
  role?: NodeRole;
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
  /** Join token (`baton token`): needed only until the node holds a certificate. */
  token?: string;
  /** Plaintext, no certificate: only against a coordinator started with --insecure. @default false */
  insecure?: boolean;
  /** Time to wait for the coordinator's welcome. @default 10000 */
  welcomeTimeoutMs?: number;
  logger?: Logger;
}

/** How long a starting agent waits for a welcome before it takes back the last run (restoreReplicas). */
const RESTORE_AFTER_MS = 5000;

export type AgentState = 'starting' | 'connecting' | 'connected' | 'stopping' | 'stopped';

export class Agent {
  state: AgentState = 'starting';
  nodeId = '';
  /** Sessions established so far (for tests and logs). */
  sessions = 0;
  private readonly log: Logger;
  private client: AgentServiceClient | undefined;
  /** The certificate the current client was built with (undefined: insecure or not joined). */
  private clientTls: NodeTls | undefined;
  private tls: NodeTls | undefined;
  private readonly token: JoinToken | undefined;
  private readonly target: string;
  /** The role this node announces (options.role, else the loopback rule). */
  readonly role: NodeRole;
  private readonly dataDir: string;
  private renewTimer: NodeJS.Timeout | undefined;
  private renewing = false;
  /** Certificates renewed so far (tests). */
  renewals = 0;
  private readonly host: HostMetrics;
  private readonly docker: ReturnType<typeof dockerFromEnv>;
  private engine!: DockerObserver;
  private worker!: Worker;
  private guard!: DisconnectGuard;
  /** Set while restoreReplicas waits: the first session attempt ended without a welcome. */
  private firstAttemptFailed: (() => void) | undefined;
  private session: Session | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: AgentOptions) {
    this.log = options.logger ?? createLogger('agent');
    this.target = formatHostPort(parseHostPort(options.coordinator));
    this.role = options.role ?? defaultNodeRole(parseHostPort(options.coordinator).host);
    this.dataDir = resolve(options.dataDir ?? './.baton-agent');
    if (options.token !== undefined) {
      const t = parseJoinToken(options.token);
      if (!t.ok) throw new Error(`--token: ${t.error}`);
      this.token = t.value;
    }
    this.host = new HostMetrics(this.dataDir);
    this.docker = dockerFromEnv(options.dockerHost);
  }

  /** The AgentService client for this session: rebuilt when the certificate changed (after a renewal or a join). */
  private clientFor(tls: NodeTls | undefined): AgentServiceClient {
    if (this.client && this.clientTls === tls) return this.client;
    this.client?.close();
    const proto = loadProto();
    this.client = new proto.baton.v1.AgentService(this.target, tls ? nodeCredentials(tls) : grpc.credentials.createInsecure(), {
      ...(tls ? CHANNEL_OPTIONS : {}),
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
    this.clientTls = tls;
    return this.client;
  }

  /**
   * The certificate to connect with: the one in the data dir while it is valid, else a join with
   * the token. A failure is a message to log before the next try; never plaintext instead.
   */
  private async credentialsForSession(): Promise<{ ok: true; tls: NodeTls | undefined } | { ok: false; error: string }> {
    if (this.options.insecure) return { ok: true, tls: undefined };
    this.tls ??= await loadNodeTls(this.dataDir);
    const now = Date.now();
    if (this.tls && this.tls.notAfterMs > now) return { ok: true, tls: this.tls };
    if (!this.token) {
      return {
        ok: false,
        error: this.tls
          ? `this node's certificate expired at ${new Date(this.tls.notAfterMs).toISOString()}: restart the agent with --token (from \`baton token\` on the coordinator) to rejoin`
          : `this node has not joined the cluster: start the agent with --token (from \`baton token\` on the coordinator)`,
      };
    }
    // An expired certificate's key is kept: the coordinator admits this node id again only for the key it last certified.
    const joined = await joinCluster({ target: this.target, token: this.token, nodeId: this.nodeId, dataDir: this.dataDir, keyPem: this.tls?.keyPem });
    if (!joined.ok) return { ok: false, error: joined.error };
    this.log.info({ nodeId: this.nodeId, notAfter: new Date(joined.value.notAfterMs).toISOString() }, 'joined the cluster');
    this.tls = joined.value;
    return { ok: true, tls: this.tls };
  }

  /** Renews the certificate at 50-70% of its life, while the session goes on; retried every 30 s (or sooner) on failure. */
  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    const tls = this.tls;
    if (!tls || this.stopping) return;
    // At least a second apart, whatever the clocks say: a renewal never turns into a loop.
    const delay = Math.max(1000, renewAtMs(tls) - Date.now());
    this.renewTimer = setTimeout(() => void this.renew(), Math.min(delay, 2 ** 31 - 1));
    this.renewTimer.unref?.();
  }

  private async renew(): Promise<void> {
    const tls = this.tls;
    if (!tls || this.renewing || this.stopping) return;
    this.renewing = true;
    try {
      const r = await renewCertificate({ target: this.target, current: tls, nodeId: this.nodeId, dataDir: this.dataDir });
      if (r.ok) {
        this.tls = r.value;
        this.renewals++;
        this.log.info({ notAfter: new Date(r.value.notAfterMs).toISOString() }, 'certificate renewed');
        this.scheduleRenewal();
      } else if (tls.notAfterMs <= Date.now()) {
        // Too late to renew: the next session rejoins with the token (or says it needs one).
        this.log.warn({ err: r.error }, 'certificate renewal failed and the certificate has expired; renewal stops');
      } else {
        this.log.warn({ err: r.error }, 'certificate renewal failed; retrying');
        const left = tls.notAfterMs - Date.now();
        this.renewTimer = setTimeout(() => void this.renew(), Math.max(1000, Math.min(30_000, left / 10)));
        this.renewTimer.unref?.();
      }
    } finally {
      this.renewing = false;
    }
  }

  /** Loads the identity and starts connecting; resolves once the loop is running. */
  async start(): Promise<void> {
    this.nodeId = await loadOrCreateNodeId(this.dataDir);
    if (this.options.insecure) this.log.warn('--insecure: plaintext to the coordinator, no certificate; anyone on the path can read and command this node');
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
      {},
      new ReplicaCheckpoint(this.dataDir, this.log),
    );
    this.worker.start();
    void this.restoreReplicas();
    // Cut off from the start until the first welcome: replicas with on_disconnect.stop_after count from here.
    this.guard = new DisconnectGuard({ list: () => this.worker.executor.list(), stop: (id, reason) => this.worker.stopCutOff(id, reason), log: this.log });
    this.guard.disconnected();
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
    clearTimeout(this.renewTimer);
    this.guard?.close();
    await this.worker?.close({ deleteIngressTable: this.options.cleanupIngress === true });
    this.client?.close();
    this.state = 'stopped';
  }

  /**
   * The replicas of the last run, supervised again (worker.restore), only when the coordinator
   * cannot be reached: after the first session attempt failed, or no welcome came within
   * RESTORE_AFTER_MS. A reachable coordinator says what runs itself (its Reconcile and starts), and
   * taking back containers it has already replaced elsewhere would run them twice for a moment.
   * Retried every 5 s while the engine cannot list them, until the first session.
   */
  private async restoreReplicas(): Promise<void> {
    await new Promise<void>((r) => {
      const t = setTimeout(r, RESTORE_AFTER_MS);
      t.unref();
      this.firstAttemptFailed = () => {
        clearTimeout(t);
        r();
      };
    });
    this.firstAttemptFailed = undefined;
    while (!this.stopping && this.sessions === 0) {
      try {
        const n = await this.worker.restore();
        if (n > 0) this.log.info({ replicas: n }, 'supervising the replicas of the last run again');
        return;
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'cannot list containers to take back the last run; retrying');
        await new Promise((r) => setTimeout(r, 5000).unref());
      }
    }
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      this.state = 'connecting';
      const creds = await this.credentialsForSession().catch((err: Error) => ({ ok: false as const, error: err.message }));
      if (!creds.ok) {
        this.log.error({ err: creds.error }, 'cannot connect to the coordinator');
        this.firstAttemptFailed?.();
        attempt++;
        await this.sleep(backoffDelayMs(attempt, this.options.backoff));
        continue;
      }
      const session = this.newSession(this.clientFor(creds.tls));
      this.session = session;
      const established = await session.run().catch((err: Error & { code?: number }) => {
        if (err.code === grpc.status.UNAUTHENTICATED || err.code === grpc.status.PERMISSION_DENIED) {
          this.log.error(
            { err: err.message },
            'the coordinator refused this node (removed with `baton node rm`, or its certificate revoked?); to rejoin, delete node.crt from the data dir and start the agent with a token from `baton token`',
          );
        } else this.log.warn({ err: err.message }, 'session failed');
        return false;
      });
      if (this.session === session) this.session = undefined;
      if (this.stopping) break;
      this.guard.disconnected();
      attempt = established ? 0 : attempt + 1;
      if (!established) this.firstAttemptFailed?.();
      const delay = backoffDelayMs(attempt, this.options.backoff);
      this.log.info({ delayMs: delay, attempt }, 'reconnecting');
      await this.sleep(delay);
    }
  }

  private async sleep(delay: number): Promise<void> {
    await new Promise<void>((r) => {
      const t = setTimeout(r, delay);
      this.wake = () => {
        clearTimeout(t);
        r();
      };
    });
    this.wake = undefined;
  }

  private newSession(client: AgentServiceClient): Session {
    const o = this.options;
    return new Session({
      client,
      nodeId: this.nodeId,
      name: o.name,
      address: o.address,
      labels: o.labels,
      role: this.role,
      cpuMillis: o.cpuMillis,
      memoryBytes: o.memoryBytes,
      host: this.host,
      // Health from the supervisor on top of what the engine lists (Baton's checks, check output).
      engine: { observe: async (withStats) => this.worker.withHealth(await this.engine.observe(withStats)) },
      worker: this.worker,
      volumes: this.worker.volumes,
      welcomeTimeoutMs: o.welcomeTimeoutMs,
      onWelcome: () => {
        this.sessions++;
        this.state = 'connected';
        this.guard.connected();
        this.scheduleRenewal();
      },
      log: this.log,
    });
  }
}
