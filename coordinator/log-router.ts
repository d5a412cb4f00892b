// Relays `baton logs`: asks the agents that run a service's replicas for their containers' output
// (one StreamLogs per replica, on that node's session) and forwards the LogChunks of each stream to
// the client that asked. Output for a client that reads too slowly is dropped and counted, never
// queued without bound: a single agent session carries every stream, so it cannot be paused for one.
import { randomBytes } from 'node:crypto';
import { InputError, NotFoundError, UnavailableError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { AgentCommand } from './agent-command.js';
import type { AgentEvent } from './agent-event.js';
import type { ReplicaRow } from './queries.js';

export interface LogRouterOptions {
  /** Bytes waiting to be sent to one client above which its output is dropped (and counted). @default 1 MiB */
  maxClientBacklogBytes?: number;
  /** How often streams on nodes that went away are looked for. @default 1000 */
  sweepMs?: number;
}

/** What a `baton logs` client asked for. */
export interface LogsRequest {
  /** `web` or `stack/web`. */
  readonly service: string;
  /** Only this replica; 0 = all. */
  readonly replica: number;
  readonly follow: boolean;
  /** Lines from the end of each replica's log: 0 = all, negative = none. */
  readonly tail: number;
}

/** A piece of one replica's output, or a notice about it in `error` (no data). */
export interface LogOutput {
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  /** Name of the node the replica runs on. */
  readonly node: string;
  readonly data?: Buffer;
  /** stdout | stderr; absent for a notice. */
  readonly stream?: string;
  readonly error?: string;
}

/**
 * One client of the relay: the control service adapts its gRPC call to this (converting LogOutput
 * to LogLine there), so the router works on domain values only.
 */
export interface LogsClient {
  readonly request: LogsRequest;
  /** Queues output; `written` runs once it is handed to the transport. */
  write(out: LogOutput, written: () => void): void;
  /** Ends the call normally. */
  end(): void;
  /** Ends the call with an error. */
  fail(err: Error): void;
  /** The client went away (cancelled, errored or closed). */
  onGone(listener: () => void): void;
}

/** What the router needs from the rest of the coordinator, and nothing more. */
export interface LogRouterPorts {
  /** The replicas of `serviceRef` (`web` or `stack/web`); throws NotFoundError or InputError for a bad name. */
  replicasOf(serviceRef: string): readonly Pick<ReplicaRow, 'stack' | 'service' | 'replica' | 'allocationId' | 'node' | 'desired' | 'error'>[];
  /** The node an allocation is placed on, if it is known. */
  nodeOf(allocationId: string): string | undefined;
  isConnected(nodeId: string): boolean;
  /** Sends a command on the node's session; false when it has none. */
  send(nodeId: string, cmd: AgentCommand): boolean;
}

interface Client {
  call: LogsClient;
  routes: Set<Route>;
  ended: boolean;
  /** Data bytes written to the call and not yet handed to HTTP/2 (the call counts messages, not bytes). */
  backlogBytes: number;
}

/** One replica's stream: the agent sends its chunks under `id`. */
interface Route {
  id: string;
  allocationId: string;
  nodeId: string;
  nodeName: string;
  stack: string;
  service: string;
  replica: number;
  client: Client;
  /** Bytes dropped since the client was last told. */
  droppedBytes: number;
}

export class LogRouter {
  private readonly routes = new Map<string, Route>();
  private readonly clients = new Set<Client>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly maxBacklog: number;
  private readonly sweepMs: number;

  constructor(
    private readonly ports: LogRouterPorts,
    private readonly log: Logger,
    options: LogRouterOptions = {},
  ) {
    this.maxBacklog = options.maxClientBacklogBytes ?? 1024 * 1024;
    this.sweepMs = options.sweepMs ?? 1000;
  }

  /** Streams currently relayed (for tests). */
  get size(): number {
    return this.routes.size;
  }

  /**
   * Starts relaying for one Logs call. Throws (before anything is written) for a request the user
   * must fix: InputError or NotFoundError.
   */
  serve(call: LogsClient): void {
    const req = call.request;
    if (!req.service) throw new InputError('a service name is required');
    const rows = this.ports.replicasOf(req.service).filter((r) => r.desired === 'run');
    const wanted = rows.filter((r) => !req.replica || r.replica === req.replica);
    if (req.replica && wanted.length === 0) {
      const have = [...new Set(rows.map((r) => r.replica))].sort((a, b) => a - b);
      throw new NotFoundError(`${req.service} has no replica ${req.replica} (${have.length ? `replicas: ${have.join(', ')}` : 'it has no replicas'})`, `replica ${req.replica}`);
    }
    const client: Client = { call, routes: new Set(), ended: false, backlogBytes: 0 };
    this.clients.add(client);
    const gone = () => this.release(client);
    call.onGone(gone);

    for (const r of wanted) {
      const who = { stack: r.stack, service: r.service, replica: r.replica, node: r.node };
      if (!r.allocationId) {
        this.write(client, { ...who, error: `not placed: ${r.error}` });
        continue;
      }
      const nodeId = this.ports.nodeOf(r.allocationId) ?? '';
      if (!this.ports.isConnected(nodeId)) {
        this.write(client, { ...who, error: `node ${r.node} is not connected; its output is not available` });
        continue;
      }
      const route: Route = { id: `logs-${randomBytes(8).toString('hex')}`, allocationId: r.allocationId, nodeId, nodeName: r.node, stack: r.stack, service: r.service, replica: r.replica, client, droppedBytes: 0 };
      // The stream id doubles as the command id: unique, and it lets a refusing ack find its route.
      const sent = this.ports.send(nodeId, { kind: 'logs', commandId: route.id, allocationId: r.allocationId, streamId: route.id, follow: req.follow, tail: req.tail });
      if (!sent) {
        this.write(client, { ...who, error: `node ${r.node} is not connected; its output is not available` });
        continue;
      }
      this.routes.set(route.id, route);
      client.routes.add(route);
    }
    this.log.debug({ service: req.service, replica: req.replica, follow: req.follow, streams: client.routes.size }, 'logs requested');
    if (client.routes.size === 0) this.endClient(client);
    else this.sweeper ??= setInterval(() => this.sweep(), this.sweepMs).unref();
  }

  /**
   * Log output and acks from an agent. Chunks of streams nobody waits for any more are ignored; a
   * refused logs command (e.g. an older agent that cannot stream logs) ends its stream.
   */
  onAgentEvent(nodeId: string, e: AgentEvent): void {
    if (e.kind === 'log') {
      const route = this.routes.get(e.streamId);
      if (!route || route.nodeId !== nodeId) return;
      if (e.data.length) this.forward(route, e.data, e.stream);
      if (e.eof) this.close(route, e.error);
    } else if (e.kind === 'ack') {
      const route = this.routes.get(e.commandId);
      if (route && route.nodeId === nodeId && !e.ok) this.close(route, `the agent cannot stream logs: ${e.error}`);
    }
  }

  /** A node's new session: streams it had before died with the old one. */
  onSessionStart(nodeId: string): void {
    for (const route of [...this.routes.values()]) {
      if (route.nodeId === nodeId) this.close(route, `node ${route.nodeName} reconnected; its stream was interrupted`);
    }
  }

  /** Coordinator shutdown: ends every Logs call (agents drop their streams with their sessions). */
  endAll(reason: string): void {
    for (const client of [...this.clients]) {
      for (const route of client.routes) this.routes.delete(route.id);
      client.routes.clear();
      if (!client.ended) {
        client.ended = true;
        client.call.fail(new UnavailableError(reason));
      }
      this.clients.delete(client);
    }
    this.stopSweeper();
  }

  private forward(route: Route, data: Buffer, stream: string): void {
    const c = route.client;
    if (c.ended) return;
    if (c.backlogBytes > this.maxBacklog) {
      route.droppedBytes += data.length;
      return;
    }
    this.noteDropped(route);
    this.write(c, { stack: route.stack, service: route.service, replica: route.replica, node: route.nodeName, data, stream });
  }

  private noteDropped(route: Route): void {
    if (!route.droppedBytes) return;
    const n = route.droppedBytes;
    route.droppedBytes = 0;
    this.write(route.client, { stack: route.stack, service: route.service, replica: route.replica, node: route.nodeName, error: `${n} bytes of output dropped: the client read too slowly` });
  }

  /** The stream is over (eof, or its node went away); the call ends with its last stream. */
  private close(route: Route, error: string): void {
    if (!this.routes.delete(route.id)) return;
    const c = route.client;
    c.routes.delete(route);
    this.noteDropped(route);
    if (error) this.write(c, { stack: route.stack, service: route.service, replica: route.replica, node: route.nodeName, error });
    if (c.routes.size === 0) this.endClient(c);
    if (this.routes.size === 0) this.stopSweeper();
  }

  private endClient(c: Client): void {
    this.clients.delete(c);
    if (c.ended) return;
    c.ended = true;
    c.call.end();
  }

  /** The client went away: tell the agents to stop streaming what nobody reads. */
  private release(c: Client): void {
    this.clients.delete(c);
    c.ended = true;
    for (const route of c.routes) {
      this.routes.delete(route.id);
      this.ports.send(route.nodeId, { kind: 'logs', commandId: `${route.id}-cancel`, allocationId: route.allocationId, streamId: route.id, cancel: true });
    }
    c.routes.clear();
    if (this.routes.size === 0) this.stopSweeper();
  }

  /** A node that lost its session sends no eof: its streams end here. */
  private sweep(): void {
    for (const route of [...this.routes.values()]) {
      if (!this.ports.isConnected(route.nodeId)) this.close(route, `node ${route.nodeName} disconnected; its stream ended`);
    }
  }

  private stopSweeper(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private write(c: Client, line: LogOutput): void {
    if (c.ended) return;
    const n = line.data?.length ?? 0;
    c.backlogBytes += n;
    c.call.write(line, () => (c.backlogBytes -= n));
  }
}
