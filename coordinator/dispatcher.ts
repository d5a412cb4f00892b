// The dispatcher: the coordinator's side of the command traffic with agents (SwarmKit's
// dispatcher). It sends each session the complete set first, then start and stop commands for
// allocations that are not yet where they should be (re-sent when nothing follows; a start carries
// the service names its container resolves), removes
// containers of allocations it has no record of, and takes in the agents' acks and replica events.
import { DEFAULT_STOP_GRACE_MS } from '../shared/compose/defaults.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { AgentEvent } from './agent-event.js';
import { runsCurrentSpec } from './allocation-spec.js';
import type { EventLog } from './event-log.js';
import { extraHostsFor } from './ingress/extra-hosts.js';
import { LABEL_ALLOCATION } from '../shared/model/labels.js';
import type { NodePool, NodeView } from './node-pool.js';
import type { ObservedNow } from './observed.js';
import type { Store } from './store/store.js';
import type { DeepReadonly } from './store/schema.js';
import type { ServiceSpec } from '../shared/compose/types.js';
import type { ReplicaFile } from '../shared/model/replica-spec.js';
import { fail, ok, type Result } from '../shared/result.js';

export interface DispatcherOptions {
  /** A command not followed by the expected state is sent again after this long. @default 10000 */
  resendMs?: number;
  /** A secret's (opened) or config's content by store name; undefined: services that mount one are not started. */
  fileContent?: (kind: 'secrets' | 'configs', name: string) => Result<Buffer>;
}

export class Dispatcher {
  /** Allocation id -> when its last start or stop was sent, and which: only the same command waits for resendMs. */
  private readonly sentAt = new Map<string, { atMs: number; kind: 'start' | 'stop' }>();
  /** Containers of unknown allocations -> when their removal was last asked for. */
  private readonly strayAt = new Map<string, number>();
  private seq = 0;
  private readonly resendMs: number;

  constructor(
    private readonly store: Store,
    private readonly pool: NodePool,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: DispatcherOptions = {},
  ) {
    this.resendMs = options.resendMs ?? 10_000;
    this.fileContent = options.fileContent;
  }

  private readonly fileContent: DispatcherOptions['fileContent'];

  /** The content of every secret and config a spec mounts, for a start command. */
  private filesFor(spec: DeepReadonly<ServiceSpec>): Result<ReplicaFile[]> {
    const out: ReplicaFile[] = [];
    for (const [kind, mounts] of [['secret', spec.secrets], ['config', spec.configs]] as const) {
      for (const m of mounts ?? []) {
        const data = this.fileContent ? this.fileContent(kind === 'secret' ? 'secrets' : 'configs', m.source) : fail<Buffer>(`${kind} ${m.source}: this coordinator has no secret store`);
        if (!data.ok) return data;
        out.push({ kind, name: m.source, target: m.target, uid: m.uid, gid: m.gid, mode: m.mode, data: data.value });
      }
    }
    return ok(out);
  }

  /** A node's session started: tell it the complete set it should run; what is missing is started by the next round. */
  onSessionStart(nodeId: string): void {
    const on = this.store.allocationsOn(nodeId);
    const expected = on.filter((a) => a.desired === 'run').map((a) => a.id);
    this.pool.send(nodeId, { kind: 'reconcile', commandId: this.commandId(), allocationIds: expected });
    for (const a of on) this.sentAt.delete(a.id);
  }

  /** An ack or replica event from the node's agent (log output goes to the log router). */
  onAgentEvent(nodeId: string, e: AgentEvent): void {
    if (e.kind === 'ack') {
      if (!e.ok) this.log.warn({ nodeId, commandId: e.commandId, error: e.error }, 'agent refused a command');
      return;
    }
    if (e.kind !== 'replica') return;
    const a = this.store.state.allocations[e.allocationId];
    if (!a || a.nodeId !== nodeId) return;
    const healthBefore = a.observed?.health ?? 'none';
    this.store.transact((s) => {
      const rec = s.allocations[e.allocationId];
      if (!rec) return;
      // Coordinator time, not the agent's: the replacement delay is measured against it.
      rec.observed = {
        state: e.state,
        containerId: e.containerId,
        exitCode: e.exitCode,
        error: e.error,
        restarts: e.restarts,
        atMs: this.clock.now(),
        ...(e.health !== 'none' ? { health: e.health, healthOutput: e.healthOutput } : {}),
      };
    });
    const node = this.pool.get(nodeId);
    const replica = `${a.stack}/${a.service}.${a.replica}`;
    if (e.state === 'failed' || (e.state === 'exited' && e.exitCode !== 0)) {
      this.events.append({ type: 'replica.' + e.state, nodeId, nodeName: node?.name ?? '', from: '', to: e.state, reason: e.error || `exit code ${e.exitCode}`, message: replica });
    }
    // Becoming healthy (again) or unhealthy is news; starting and none are on the way there.
    if (e.health !== healthBefore && (e.health === 'healthy' || e.health === 'unhealthy')) {
      this.events.append({ type: 'replica.health', nodeId, nodeName: node?.name ?? '', from: healthBefore, to: e.health, reason: e.healthOutput, message: replica });
    }
  }

  /** Sends start/stop commands for allocations whose node is connected and not yet where they should be. */
  dispatch(views: readonly NodeView[], observed: ReadonlyMap<string, ObservedNow>, now: number): void {
    const state = this.store.state;
    // Service names -> VIPs for each starting replica's /etc/hosts, worked out once per service per round.
    const hostsByService = new Map<string, Record<string, string>>();
    const hostsFor = (stack: string, service: string): Record<string, string> => {
      const key = `${stack}/${service}`;
      let hosts = hostsByService.get(key);
      if (!hosts) hostsByService.set(key, (hosts = extraHostsFor(stack, service, Object.values(state.stacks))));
      return hosts;
    };
    const connected = new Set(views.filter((n) => n.connected && n.status === 'ready').map((n) => n.id));
    for (const a of this.store.allocations()) {
      if (!connected.has(a.nodeId)) continue;
      const o = observed.get(a.id);
      const sent = this.sentAt.get(a.id);
      const want = a.desired === 'run' ? 'start' : 'stop';
      // A stop right after a start (baton rm just after a deploy) goes at once; the same command is re-sent after resendMs.
      if (sent !== undefined && sent.kind === want && now - sent.atMs < this.resendMs) continue;
      const last = sent?.kind === want ? sent.atMs : undefined;
      if (a.desired === 'run' && o?.state !== 'running') {
        const svc = state.stacks[a.stack]?.services[a.service];
        // Only allocations of the current spec are started (with it); an older one waits for its rollout.
        if (!svc || !runsCurrentSpec(a, svc)) continue;
        // A container that exited is the agent's restart policy's business; a failed one is
        // replaced by the reconciler. Otherwise the start is re-sent every resendMs.
        if (o && last !== undefined) continue;
        const extraHosts = hostsFor(a.stack, a.service);
        const files = this.filesFor(svc.spec);
        if (!files.ok) {
          // Names only: the message never carries content. Retried every resendMs (the secret may be restored).
          this.log.warn({ allocationId: a.id, service: `${a.stack}/${a.service}`, error: files.error }, 'replica not started: a secret or config it mounts is unavailable');
          this.sentAt.set(a.id, { atMs: now, kind: 'start' });
          continue;
        }
        const cmd = {
          kind: 'start', commandId: this.commandId(), allocation: a, spec: svc.spec,
          ...(Object.keys(extraHosts).length ? { extraHosts } : {}),
          ...(files.value.length ? { files: files.value } : {}),
        } as const;
        if (this.pool.send(a.nodeId, cmd)) this.sentAt.set(a.id, { atMs: now, kind: 'start' });
      } else if (a.desired === 'stop' && o) {
        const stopGraceMs = state.stacks[a.stack]?.services[a.service]?.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
        const cmd = { kind: 'stop', commandId: this.commandId(), allocationId: a.id, remove: true, stopGraceMs, reason: a.stopReason ?? '' } as const;
        if (this.pool.send(a.nodeId, cmd)) this.sentAt.set(a.id, { atMs: now, kind: 'stop' });
      }
    }
    for (const id of this.sentAt.keys()) if (!state.allocations[id]) this.sentAt.delete(id);

    // A Baton container whose allocation this coordinator has no record of is stale (its record was
    // forgotten, or it predates a state loss). The Reconcile at session start removes such
    // containers; this covers a node whose session survived (a healed partition) and any miss.
    for (const n of views) {
      if (!connected.has(n.id)) continue;
      for (const c of n.containers) {
        const id = c.labels[LABEL_ALLOCATION];
        if (!id || state.allocations[id]) continue;
        const last = this.strayAt.get(id);
        if (last !== undefined && now - last < this.resendMs) continue;
        this.log.info({ node: n.name, allocationId: id, containerId: c.containerId }, 'removing a container of an unknown allocation');
        const cmd = { kind: 'stop', commandId: this.commandId(), allocationId: id, remove: true, stopGraceMs: DEFAULT_STOP_GRACE_MS, reason: 'unknown allocation' } as const;
        if (this.pool.send(n.id, cmd)) this.strayAt.set(id, now);
      }
    }
    for (const [id, at] of this.strayAt) if (now - at > 10 * this.resendMs) this.strayAt.delete(id);
  }

  private commandId(): string {
    return `c${this.clock.now().toString(36)}-${(++this.seq).toString(36)}`;
  }
}
