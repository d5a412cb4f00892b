// Baton's volumes across the nodes (issue 11): what each node last reported (`baton volume ls`), and
// `baton rm --stack NAME --volumes` carried out node by node. As in Swarm, a named volume is a
// volume per node and `stack rm` keeps it; here the operator can also ask Baton to remove them. A
// removal is durable (store `volumeRemovals`, written only here): each node is told once it is
// connected, its engine up and the stack's containers gone from it, so a node that is down at
// the time removes them when it is back. A new deploy of the stack cancels what is still to do.
import type { Clock } from '../shared/clock.js';
import { NotFoundError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { LABEL_STACK } from '../shared/model/labels.js';
import type { NodeStatus } from '../shared/model/node-status.js';
import type { VolumeObservation, VolumeRemovalResult } from '../shared/model/volume.js';
import type { AgentEvent } from './agent-event.js';
import type { EventLog } from './event-log.js';
import type { NodePool, NodeView } from './node-pool.js';
import type { State } from './store/schema.js';
import type { Store } from './store/store.js';

/** One volume in a listing. */
export interface VolumeListItem extends VolumeObservation {
  readonly kind: 'volume';
  readonly nodeId: string;
  readonly node: string;
  /** The node is not connected, not ready (silent), or has not listed them on this session: its last list, possibly out of date. */
  readonly stale: boolean;
  readonly reportedAtMs: number;
  /** Why the last removal left it (Docker's message); '' otherwise. */
  readonly removalError: string;
}

/** One node a listing covers. */
export interface VolumeNodeItem {
  readonly kind: 'node';
  readonly nodeId: string;
  readonly node: string;
  readonly status: NodeStatus;
  readonly connected: boolean;
  /** It reported its volumes since this coordinator started. */
  readonly known: boolean;
  readonly reportedAtMs: number;
  /** Stacks whose volumes it is still to remove. */
  readonly pendingRemovals: readonly string[];
}

export type VolumeListEntry = VolumeNodeItem | VolumeListItem;

export interface VolumesOptions {
  /** A removal whose ack did not come is sent again after this long. @default 10000 */
  resendMs?: number;
}

/**
 * Adds the removal of `stack`'s volumes on `nodeIds` to the store's state (inside the caller's
 * transaction: Stacks.remove writes it with the stack's removal). Merges with one still pending.
 */
export function scheduleVolumeRemoval(s: State, stack: string, nodeIds: readonly string[], nowMs: number): void {
  const had = s.volumeRemovals[stack];
  const nodes = [...new Set([...(had?.nodes ?? []), ...nodeIds])].sort();
  if (nodes.length) s.volumeRemovals[stack] = { stack, requestedAtMs: had?.requestedAtMs ?? nowMs, nodes };
}

/** A deploy of `stack` (inside its transaction): what `rm --volumes` had left to do is cancelled. True when there was some. */
export function cancelVolumeRemoval(s: State, stack: string): boolean {
  if (!Object.hasOwn(s.volumeRemovals, stack)) return false;
  delete s.volumeRemovals[stack];
  return true;
}

export class Volumes {
  private readonly resendMs: number;
  /** `stack\0nodeId` -> the RemoveVolumes in flight (memory only: after a restart they are sent again). */
  private readonly inFlight = new Map<string, { commandId: string; atMs: number }>();
  private readonly byCommand = new Map<string, { stack: string; nodeId: string }>();
  /** `nodeId\0volume` -> Docker's refusal at the last removal, while the node still reports the volume. */
  private readonly refusals = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly pool: NodePool,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: VolumesOptions = {},
  ) {
    this.resendMs = options.resendMs ?? 10_000;
  }

  /** How many of `stack`'s volumes the nodes last reported, and on how many nodes. */
  known(stack: string): { volumes: number; nodes: number } {
    let volumes = 0;
    let nodes = 0;
    for (const n of this.pool.list()) {
      const mine = (n.volumes ?? []).filter((v) => v.stack === stack).length;
      volumes += mine;
      if (mine) nodes++;
    }
    return { volumes, nodes };
  }

  /**
   * Whether a stack that is no longer deployed may still have volumes somewhere: a node reports some,
   * or a node's volumes are unknown or out of date (not connected, or not reported yet).
   */
  mayHaveVolumes(stack: string): boolean {
    return this.pool.list().some((n) => !n.connected || n.volumes === undefined || n.volumes.some((v) => v.stack === stack));
  }

  /**
   * Node id or name -> the listing of Baton's volumes (optionally of one stack): per node, a line on
   * the node, then its volumes as last reported. An unknown node is a NotFoundError.
   */
  list(nodeRef: string, stack: string): VolumeListEntry[] {
    let nodes: NodeView[];
    if (nodeRef) {
      const n = this.pool.get(nodeRef);
      if (!n) throw new NotFoundError(`no node with id or name ${JSON.stringify(nodeRef)}`, `node ${nodeRef}`);
      nodes = [n];
    } else nodes = this.pool.list();
    const pending = new Map<string, string[]>();
    for (const r of Object.values(this.store.state.volumeRemovals)) {
      if (stack && r.stack !== stack) continue;
      for (const id of r.nodes) pending.set(id, [...(pending.get(id) ?? []), r.stack]);
    }
    const out: VolumeListEntry[] = [];
    for (const n of nodes) {
      const reportedAtMs = n.volumesReportedAtMs ?? 0;
      // A node that is down may still hold a half-open session: what counts is that it reports, and
      // that this session has listed them (a reconnected agent whose engine is down has not).
      const stale = !n.connected || n.status !== 'ready' || n.volumesCurrent !== true;
      out.push({ kind: 'node', nodeId: n.id, node: n.name, status: n.status, connected: n.connected, known: n.volumes !== undefined, reportedAtMs, pendingRemovals: (pending.get(n.id) ?? []).sort() });
      const mine = (n.volumes ?? []).filter((v) => !stack || v.stack === stack);
      for (const v of [...mine].sort((a, b) => a.name.localeCompare(b.name))) {
        out.push({ ...v, kind: 'volume', nodeId: n.id, node: n.name, stale, reportedAtMs, removalError: this.refusals.get(`${n.id}\0${v.name}`) ?? '' });
      }
    }
    return out;
  }

  /**
   * Sends RemoveVolumes to every node that is to remove a stack's volumes and can now: connected,
   * ready, its engine up, and no container or allocation of the stack left on it. Nodes forgotten
   * since (`baton node rm`) are dropped from the removal. Called every control-loop round.
   */
  dispatch(views: readonly NodeView[], now: number): void {
    const removals = this.store.state.volumeRemovals;
    if (Object.keys(removals).length === 0) return;
    const byId = new Map(views.map((n) => [n.id, n]));
    const forgotten: { stack: string; nodeId: string }[] = [];
    let busy: Set<string> | undefined;
    for (const r of Object.values(removals)) {
      for (const nodeId of r.nodes) {
        const n = byId.get(nodeId);
        if (!n) {
          forgotten.push({ stack: r.stack, nodeId });
          continue;
        }
        if (!n.connected || n.status !== 'ready' || !n.dockerUp) continue;
        const key = `${r.stack}\0${nodeId}`;
        const sent = this.inFlight.get(key);
        if (sent && now - sent.atMs < this.resendMs) continue;
        // `stack\0node` of every allocation, worked out once a round and only when a node is ready for one.
        busy ??= new Set(this.store.allocations().map((a) => `${a.stack}\0${a.nodeId}`));
        if (busy.has(key) || n.containers.some((c) => c.labels[LABEL_STACK] === r.stack)) continue;
        if (sent) this.byCommand.delete(sent.commandId);
        const commandId = `v${now.toString(36)}-${(++this.seq).toString(36)}`;
        if (!this.pool.send(nodeId, { kind: 'remove-volumes', commandId, stack: r.stack })) continue;
        this.inFlight.set(key, { commandId, atMs: now });
        this.byCommand.set(commandId, { stack: r.stack, nodeId });
        this.log.info({ stack: r.stack, node: n.name }, 'removing the stack\'s volumes on the node');
      }
    }
    if (forgotten.length) this.store.transact((s) => forgotten.forEach((f) => done(s, f.stack, f.nodeId)));
  }

  /** An agent's ack: a RemoveVolumes outcome ends that node's part (also when it failed: `rm --volumes` again retries). */
  onAgentEvent(nodeId: string, e: AgentEvent): void {
    if (e.kind !== 'ack') return;
    const cmd = this.byCommand.get(e.commandId);
    if (!cmd || cmd.nodeId !== nodeId) return;
    this.byCommand.delete(e.commandId);
    this.inFlight.delete(`${cmd.stack}\0${nodeId}`);
    const node = this.pool.get(nodeId)?.name ?? nodeId;
    const result: VolumeRemovalResult = e.volumes ?? { removed: [], refused: [] };
    this.store.transact((s) => done(s, cmd.stack, nodeId));
    this.pool.forgetVolumes(nodeId, result.removed);
    for (const name of result.removed) this.refusals.delete(`${nodeId}\0${name}`);
    for (const r of result.refused) this.refusals.set(`${nodeId}\0${r.name}`, r.error);
    this.forgetStaleRefusals();
    const event = { nodeId, nodeName: node, from: '', to: '' };
    if (!e.ok) {
      this.log.warn({ stack: cmd.stack, node, err: e.error }, 'volume removal failed on the node');
      this.events.append({ ...event, type: 'volume.remove-failed', reason: e.error, message: `${cmd.stack}: volumes on ${node} not removed` });
      return;
    }
    if (result.removed.length) this.events.append({ ...event, type: 'volume.removed', reason: 'rm --volumes', message: `${cmd.stack}: ${result.removed.join(', ')}` });
    for (const r of result.refused) {
      this.log.warn({ stack: cmd.stack, node, volume: r.name, err: r.error }, 'volume not removed');
      this.events.append({ ...event, type: 'volume.remove-failed', reason: r.error, message: `${cmd.stack}: ${r.name}` });
    }
  }

  /** Refusals of volumes the node no longer reports (removed by hand since) are forgotten. */
  private forgetStaleRefusals(): void {
    if (this.refusals.size === 0) return;
    const present = new Set<string>();
    for (const n of this.pool.list()) for (const v of n.volumes ?? []) present.add(`${n.id}\0${v.name}`);
    for (const key of this.refusals.keys()) if (!present.has(key)) this.refusals.delete(key);
  }
}

/** The node has done its part of the stack's removal. */
function done(s: State, stack: string, nodeId: string): void {
  const r = s.volumeRemovals[stack];
  if (!r) return;
  r.nodes = r.nodes.filter((id) => id !== nodeId);
  if (r.nodes.length === 0) delete s.volumeRemovals[stack];
}
