// Sends the endpoint model to the nodes: keeps the last content and its version, bumps the version
// only when the content changes, and sends each connected ready node the set for it whenever that
// node has not been sent the current version (a change, a new session, a node ready again).
import type { Clock } from '../../shared/clock.js';
import type { EndpointSet } from '../../shared/model/ingress.js';
import type { Logger } from '../../shared/logger.js';
import type { AgentCommand } from '../agent-command.js';
import { endpointModel, endpointSetFor, nodeServes, sameModel, type EndpointInput, type EndpointModel, type EndpointNode } from './endpoints.js';

export interface EndpointPublisherOptions {
  /**
   * After a coordinator start, how long to wait for the nodes that were ready to reconnect before
   * sending any set: until they have, their endpoints look absent, and a set sent then would take
   * them out of every node's rules (agents keep their last set meanwhile). @default 3000
   */
  settleMs?: number;
}

/** What the publisher needs of the node pool. */
export interface EndpointSink {
  send(nodeId: string, cmd: AgentCommand): boolean;
}

export class EndpointPublisher {
  private model: EndpointModel | undefined;
  private version: number;
  /** Node id -> the version it was last sent on its current session. */
  private readonly sent = new Map<string, number>();
  private settleUntilMs: number;
  private settled = false;
  private seq = 0;

  constructor(
    private readonly pool: EndpointSink,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: EndpointPublisherOptions = {},
  ) {
    // Versions only need to grow across coordinator restarts: the start time in ms is past any
    // version an earlier run reached at a few changes a second.
    this.version = clock.now();
    this.settleUntilMs = this.version + (options.settleMs ?? 3000);
  }

  /** Holds the first set back until `ms` at least (the coordinator moves it to once it listens plus the agents' reconnect grace). */
  settleUntil(ms: number): void {
    this.settleUntilMs = Math.max(this.settleUntilMs, ms);
  }

  /** The current model and its version; undefined before the first publish. */
  current(): { readonly version: number; readonly model: EndpointModel } | undefined {
    return this.model && { version: this.version, model: this.model };
  }

  /** After a round's decisions: recompute, and send the nodes that lack the current version. */
  publish(input: EndpointInput): void {
    if (!this.settled) {
      // Nodes that were ready before the restart and have not reconnected yet are still `ready` and
      // not connected; once they are back (or the wait is over) the model is complete enough.
      const waiting = input.nodes.some((n) => n.status === 'ready' && !n.connected);
      if (waiting && this.clock.now() < this.settleUntilMs) return;
      this.settled = true;
    }
    const next = endpointModel(input, this.model);
    if (!this.model || !sameModel(this.model, next)) {
      this.model = next;
      this.version = Math.max(this.version + 1, this.clock.now());
    }
    for (const n of input.nodes) this.sendTo(n);
  }

  /** A node's session started (after its Reconcile): it is sent the current set, when there is one. */
  onSessionStart(nodeId: string): void {
    this.sent.delete(nodeId);
    if (!this.model) return;
    this.deliver(nodeId);
  }

  /** The set the node would be sent now. */
  setFor(nodeId: string): EndpointSet | undefined {
    return this.model && endpointSetFor(this.model, this.version, nodeId);
  }

  private sendTo(n: EndpointNode): void {
    if (!nodeServes(n)) {
      // Not ready or not connected: it hears the current version again when it is back.
      this.sent.delete(n.id);
      return;
    }
    if (this.sent.get(n.id) === this.version) return;
    this.deliver(n.id);
  }

  private deliver(nodeId: string): void {
    const set = endpointSetFor(this.model!, this.version, nodeId);
    if (this.pool.send(nodeId, { kind: 'endpoints', commandId: `e${this.version.toString(36)}-${(++this.seq).toString(36)}`, set })) {
      this.sent.set(nodeId, this.version);
      this.log.debug({ nodeId, version: this.version, services: set.services.length }, 'endpoint set sent');
    }
  }
}
