// AgentService.Connect: one bidirectional stream per agent. Hello first, then reports; any
// protocol violation ends this stream alone with a clear status and a log line.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { GrpcError, Status, toGrpcStatus } from '../shared/grpc/errors.js';
import type { AgentMessage__Output } from '../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { AgentServiceHandlers } from '../shared/grpc/gen/baton/v1/AgentService.js';
import type { CoordinatorMessage } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { ContainerObservation } from '../shared/observations.js';
import { BATON_VERSION } from '../shared/version.js';
import type { AgentEvent } from './agent-event.js';
import type { CoordinatorMetrics } from './metrics.js';
import type { NodePool } from './node-pool.js';
import { parseAgentEvent, parseHello, parseReport } from './wire.js';

export interface AgentServiceOptions {
  heartbeatIntervalMs: number;
  /** Time an agent has to send its hello. @default 10000 */
  helloTimeoutMs?: number;
  /** Messages per second a session may send before it is cut off as a flood. @default 200 */
  maxMessagesPerSec?: number;
  metrics?: CoordinatorMetrics;
  /** @default systemClock */
  clock?: Clock;
  /** Called after the welcome of a new session is sent. */
  onSessionStart?: (nodeId: string) => void;
  /** Command acknowledgements, replica status changes and log output from an agent, checked. */
  onAgentEvent?: (nodeId: string, event: AgentEvent) => void;
  /**
   * The node id the caller's certificate names (undefined: an --insecure coordinator, anyone may
   * speak for any node). A Hello for another id ends the stream: a node speaks only for itself.
   */
  certifiedNodeId?: (call: Call) => string | undefined;
}

type Call = ServerDuplexStream<AgentMessage__Output, CoordinatorMessage>;

export function agentServiceHandlers(pool: NodePool, log: Logger, options: AgentServiceOptions): AgentServiceHandlers {
  return {
    Connect(call: Call) {
      new AgentSession(call, pool, log, options).start();
    },
  };
}

class AgentSession {
  private state: 'awaiting-hello' | 'active' | 'closed' = 'awaiting-hello';
  private sessionId = '';
  /** What this session last said of each container (its hello, then each report): fills in the ones a report marks unchanged. */
  private described: ReadonlyMap<string, ContainerObservation> = new Map();
  private nodeId = '';
  private helloTimer: NodeJS.Timeout | undefined;
  private windowStartMs = 0;
  private windowCount = 0;
  private readonly peer: string;
  private readonly clock: Clock;

  constructor(
    private readonly call: Call,
    private readonly pool: NodePool,
    private readonly log: Logger,
    private readonly options: AgentServiceOptions,
  ) {
    this.peer = safePeer(call);
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    this.helloTimer = setTimeout(
      () => this.fail(Status.DEADLINE_EXCEEDED, 'no hello received'),
      this.options.helloTimeoutMs ?? 10_000,
    );
    this.call.on('data', (msg: AgentMessage__Output) => {
      try {
        this.onMessage(msg);
      } catch (err) {
        this.log.error({ err, peer: this.peer }, 'agent message handler failed');
        this.fail(Status.INTERNAL, 'internal error handling message');
      }
    });
    this.call.on('end', () => this.closed('stream ended by agent'));
    this.call.on('cancelled', () => this.closed('stream cancelled'));
    this.call.on('error', (err: Error) => {
      // Includes messages the server could not decode or that were too large.
      this.log.warn({ peer: this.peer, nodeId: this.nodeId || undefined, err: err.message }, 'agent stream error');
      this.closed(`stream error: ${err.message}`);
    });
  }

  private onMessage(msg: AgentMessage__Output): void {
    if (this.state === 'closed') return;
    if (this.flooding()) {
      this.fail(Status.RESOURCE_EXHAUSTED, `more than ${this.options.maxMessagesPerSec ?? 200} messages per second`);
      return;
    }
    if (this.state === 'awaiting-hello') {
      if (msg.body !== 'hello' || !msg.hello) {
        this.fail(Status.INVALID_ARGUMENT, `the first message must be hello, got ${msg.body ?? 'an empty message'}`);
        return;
      }
      const parsed = parseHello(msg.hello);
      if (!parsed.ok) {
        this.fail(Status.INVALID_ARGUMENT, parsed.error);
        return;
      }
      const intro = parsed.value;
      if (this.options.certifiedNodeId) {
        const certified = this.options.certifiedNodeId(this.call);
        if (certified !== intro.nodeId) {
          this.fail(Status.PERMISSION_DENIED, `hello for node ${intro.nodeId} on a certificate for ${certified ? `node ${certified}` : 'no node'}: a node may speak only for itself`);
          return;
        }
      }
      if (!intro.address) intro.address = peerHost(this.peer);
      const admitted = this.pool.admit(intro, {
        peer: this.peer,
        end: (code, reason) => this.fail(code, reason, false),
        send: (m) => {
          if (this.state === 'active') this.call.write(m);
        },
      });
      if (!admitted.ok) {
        this.fail(Status.ALREADY_EXISTS, admitted.message);
        return;
      }
      clearTimeout(this.helloTimer);
      this.state = 'active';
      this.sessionId = admitted.sessionId;
      this.nodeId = intro.nodeId;
      this.described = byContainerId(intro.containers);
      this.log.info({ nodeId: intro.nodeId, name: intro.name, peer: this.peer, sessionId: this.sessionId }, 'agent session started');
      this.call.write({
        welcome: {
          session_id: this.sessionId,
          heartbeat_interval_ms: this.options.heartbeatIntervalMs,
          coordinator_version: BATON_VERSION,
          node_id: intro.nodeId,
        },
      });
      this.options.onSessionStart?.(intro.nodeId);
      return;
    }
    switch (msg.body) {
      case 'report': {
        const r = msg.report!;
        if (r.session_id !== this.sessionId) {
          this.fail(Status.FAILED_PRECONDITION, `report for unknown session ${JSON.stringify(r.session_id.slice(0, 64))}`);
          return;
        }
        const parsed = parseReport(r, this.described);
        if (!parsed.ok) {
          this.fail(Status.INVALID_ARGUMENT, parsed.error);
          return;
        }
        this.described = byContainerId(parsed.value.containers);
        this.options.metrics?.onReport(parsed.value.sentAtMs, this.clock.now());
        if (!this.pool.report(this.sessionId, parsed.value)) {
          this.fail(Status.FAILED_PRECONDITION, `session ${this.sessionId} is no longer current`);
        }
        return;
      }
      case 'goodbye':
        this.pool.goodbye(this.sessionId, msg.goodbye?.reason ?? '');
        this.state = 'closed';
        this.log.info({ nodeId: this.nodeId, reason: msg.goodbye?.reason }, 'agent said goodbye');
        this.call.end();
        return;
      case 'hello':
        this.fail(Status.FAILED_PRECONDITION, 'hello sent twice on one session');
        return;
      case 'ack':
      case 'container_event':
      case 'log_chunk': {
        const parsed = parseAgentEvent(msg);
        if (!parsed.ok) {
          this.fail(Status.INVALID_ARGUMENT, parsed.error);
          return;
        }
        this.options.onAgentEvent?.(this.nodeId, parsed.value);
        return;
      }
      default:
        this.fail(Status.INVALID_ARGUMENT, 'empty message (no body set)');
    }
  }

  private flooding(): boolean {
    const now = this.clock.now();
    if (now - this.windowStartMs >= 1000) {
      this.windowStartMs = now;
      this.windowCount = 0;
    }
    return ++this.windowCount > (this.options.maxMessagesPerSec ?? 200);
  }

  /** Ends the stream with an error status. `notifyPool` is false when the pool itself ended it. */
  private fail(code: Status, details: string, notifyPool = true): void {
    if (this.state === 'closed') return;
    const wasActive = this.state === 'active';
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    this.log.warn({ peer: this.peer, nodeId: this.nodeId || undefined, code: Status[code], details }, 'agent session rejected');
    this.options.metrics?.rejected.inc({ code: Status[code] });
    if (wasActive && notifyPool) this.pool.disconnected(this.sessionId, details);
    try {
      this.call.emit('error', toGrpcStatus(new GrpcError(code, details)));
    } catch {
      // The call may already be gone.
    }
  }

  private closed(detail: string): void {
    if (this.state === 'closed') return;
    const wasActive = this.state === 'active';
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    if (wasActive) this.pool.disconnected(this.sessionId, detail);
    try {
      this.call.end();
    } catch {
      // Already closed.
    }
  }
}

function byContainerId(list: readonly ContainerObservation[]): Map<string, ContainerObservation> {
  const out = new Map<string, ContainerObservation>();
  for (const c of list) out.set(c.containerId, c);
  return out;
}

function safePeer(call: Call): string {
  try {
    return call.getPeer();
  } catch {
    return 'unknown';
  }
}

/** `ipv4:10.0.0.5:51234` / `ipv6:[::1]:5000` / `10.0.0.5:51234` -> the host part. */
export function peerHost(peer: string): string {
  const p = peer.replace(/^ipv[46]:/, '');
  const m = /^\[([^\]]+)\]:\d+$/.exec(p) ?? /^([^:]+):\d+$/.exec(p);
  return m?.[1] ?? p;
}
