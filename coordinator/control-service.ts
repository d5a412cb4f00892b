// ControlService: what the CLI asks the coordinator. Read-only views of the pool and events;
// conversion to wire types happens here, at the boundary.
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { InputError, NotFoundError } from '../shared/errors.js';
import { GrpcError, isExpectedError, Status, toGrpcStatus } from '../shared/grpc/errors.js';
import type { ControlServiceHandlers } from '../shared/grpc/gen/baton/v1/ControlService.js';
import type { EndpointsResponse } from '../shared/grpc/gen/baton/v1/EndpointsResponse.js';
import type { IngressPortSummary as IngressPortSummaryWire } from '../shared/grpc/gen/baton/v1/IngressPortSummary.js';
import type { Event } from '../shared/grpc/gen/baton/v1/Event.js';
import type { LogLine } from '../shared/grpc/gen/baton/v1/LogLine.js';
import type { LogsRequest__Output } from '../shared/grpc/gen/baton/v1/LogsRequest.js';
import type { ListEventsRequest__Output } from '../shared/grpc/gen/baton/v1/ListEventsRequest.js';
import type { ListNodesRequest__Output } from '../shared/grpc/gen/baton/v1/ListNodesRequest.js';
import type { ListReplicasRequest__Output } from '../shared/grpc/gen/baton/v1/ListReplicasRequest.js';
import type { NodeInfo } from '../shared/grpc/gen/baton/v1/NodeInfo.js';
import type { ReplicaInfo } from '../shared/grpc/gen/baton/v1/ReplicaInfo.js';
import type { RolloutInfo } from '../shared/grpc/gen/baton/v1/RolloutInfo.js';
import type { ServiceInfo } from '../shared/grpc/gen/baton/v1/ServiceInfo.js';
import type { WatchEventsRequest__Output } from '../shared/grpc/gen/baton/v1/WatchEventsRequest.js';
import type { Logger } from '../shared/logger.js';
import { containerToWire, hostUsageToWire } from '../shared/observations.js';
import type { AutoscaleServiceStatus } from '../shared/grpc/gen/baton/v1/AutoscaleServiceStatus.js';
import type { Autoscaler, AutoscaleStatus } from './autoscale/controller.js';
import type { EventLog } from './event-log.js';
import type { EndpointsView, IngressPortSummary } from './ingress/endpoint-views.js';
import { writeBatches } from './list-stream.js';
import type { PlanHandler } from './live-plan.js';
import type { LogRouter, LogsClient } from './log-router.js';
import type { NodePool, NodeView } from './node-pool.js';
import type { NodeSchedules } from './node-schedule.js';
import { heldReason } from './node-flaps.js';
import type { Queries } from './queries.js';
import type { RebalanceView, Rebalancer } from './rebalance/rebalancer.js';
import type { RebalanceInfo } from '../shared/grpc/gen/baton/v1/RebalanceInfo.js';
import type { Stacks, UnplacedInfo } from './stacks.js';
import type { VolumeListEntry, Volumes } from './volumes.js';
import type { ListVolumesRequest__Output } from '../shared/grpc/gen/baton/v1/ListVolumesRequest.js';
import type { NodeVolumes } from '../shared/grpc/gen/baton/v1/NodeVolumes.js';
import type { VolumeInfo } from '../shared/grpc/gen/baton/v1/VolumeInfo.js';
import type { EventRecord } from './store/schema.js';
import type { UsageRecorder } from './usage/recorder.js';
import { parseGroupBy } from './usage/report.js';

export interface ControlDeps {
  pool: NodePool;
  /** Cordon and drain state (node-schedule.ts); drains show no progress without it. */
  schedules?: NodeSchedules;
  events: EventLog;
  log: Logger;
  plan?: PlanHandler;
  stacks?: Stacks;
  queries?: Queries;
  logs?: LogRouter;
  volumes?: Volumes;
  autoscaler?: Autoscaler;
  usage?: UsageRecorder;
  /** `baton rebalance` (rebalance/rebalancer.ts); its status is unavailable without it. */
  rebalancer?: Rebalancer;
}

/** Every ControlService call but the security ones (security/admin-service.ts). */
export function controlServiceHandlers(deps: ControlDeps): Omit<ControlServiceHandlers, 'GetJoinToken' | 'CreateCredential' | 'RevokeCredential' | 'RemoveNode' | 'SetNodeSchedule' | 'LabelNode' | 'Rebalance' | 'WhoAmI' | 'CreateSecret' | 'ListSecrets' | 'RemoveSecret' | 'CreateConfig' | 'ListConfigs' | 'RemoveConfig' | 'InspectConfig'> {
  const failed = (err: unknown) => {
    if (!isExpectedError(err)) deps.log.error({ err }, 'control request failed');
    return toGrpcStatus(err);
  };
  const unary =
    <Req, Res>(fn: (req: Req) => Promise<Res> | Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      Promise.resolve()
        .then(() => fn(call.request))
        .then(
          (res) => callback(null, res),
          (err: unknown) => callback(failed(err)),
        );
    };
  const services = (): { stacks: Stacks; queries: Queries } => {
    if (!deps.stacks || !deps.queries) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not run services');
    return { stacks: deps.stacks, queries: deps.queries };
  };

  // A List* call: the listing is taken at once (one consistent snapshot of domain values), then
  // converted to wire form and written batch by batch (list-stream.ts), then the call is ended.
  const listing =
    <Req, Item, Wire, Batch>(list: (req: Req) => Iterable<Item>, toWire: (item: Item, req: Req) => Wire, toBatch: (wire: Wire[]) => Batch) =>
    (call: ServerWritableStream<Req, Batch>): void => {
      const fail = (err: unknown) => {
        if (!call.cancelled) call.emit('error', failed(err));
      };
      let items: Iterable<Item>;
      try {
        items = list(call.request);
      } catch (err) {
        fail(err);
        return;
      }
      writeBatches(call, items, (item) => toWire(item, call.request), toBatch).then((outcome) => {
        if (outcome === 'written') call.end();
      }, fail);
    };
  const usageOf = (): UsageRecorder => {
    if (!deps.usage) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not account usage');
    return deps.usage;
  };
  const groupBy = (by: string) => {
    try {
      return parseGroupBy(by);
    } catch (err) {
      throw new InputError((err as Error).message);
    }
  };
  const unplacedWire = (u: UnplacedInfo[]) => u.map((x) => ({ service: x.service, replica: x.replica, reason: x.reason, kind: x.kind }));

  return {
    Deploy: unary(async (req: { compose_yaml: string; file_name: string; stack: string; env: Record<string, string>; files: Record<string, Buffer>; tenant: string }) => {
      const r = await services().stacks.deploy({ text: req.compose_yaml, file: req.file_name || 'compose.yaml', stackName: req.stack || undefined, tenant: req.tenant || undefined, env: req.env, files: filesOf(req.files) });
      return { stack: r.stack, generation: r.generation, changes: r.changes, unplaced: unplacedWire(r.unplaced), warnings: r.warnings };
    }),
    Scale: unary(async (req: { service: string; replicas: string }) => {
      const r = await services().stacks.scale(req.service, req.replicas);
      return { stack: r.stack, service: r.service, from: r.from, to: r.to, unplaced: unplacedWire(r.unplaced) };
    }),
    Remove: unary(async (req: { stack: string; service: string; volumes: boolean }) => {
      const r = await services().stacks.remove(req.stack, req.service, { volumes: req.volumes });
      return { removed: r.removed, stopping: r.stopping, volumes_kept: r.volumesKept, volume_nodes: r.volumeNodes };
    }),
    Top: unary((req: { by: string }) => {
      const r = usageOf().top(groupBy(req.by));
      return {
        by: r.by,
        rows: r.rows.map((x) => ({
          group: x.group, replicas: x.replicas, cpu_cores: x.cpuCores, cpu_reserved_cores: x.cpuReservedCores, memory_bytes: x.memoryBytes,
          memory_reserved_bytes: x.memoryReservedBytes, cpu_share: x.cpuShare, memory_share: x.memoryShare,
        })),
        cluster_cpu_cores: r.clusterCpuCores, cluster_capacity_cores: r.clusterCapacityCores, cluster_memory_bytes: r.clusterMemoryBytes,
        cluster_capacity_memory_bytes: r.clusterCapacityMemoryBytes,
      };
    }),
    RebalanceStatus: unary((req: { id: string }) => {
      if (!deps.rebalancer) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not schedule work');
      return rebalanceToWire(deps.rebalancer.status(req.id ?? ''));
    }),
    Usage: unary((req: { since_ms: number; by: string; hints: boolean }) => {
      const sinceMs = Number(req.since_ms) || 24 * 3_600_000;
      const r = usageOf().usage(sinceMs, groupBy(req.by), req.hints);
      return {
        by: r.by, from_ms: r.fromMs, to_ms: r.toMs, resolution: r.resolution,
        rows: r.rows.map((x) => ({
          group: x.group, cpu_core_seconds: x.cpu, cpu_reserved_core_seconds: x.cpuRes, memory_byte_seconds: x.mem, memory_reserved_byte_seconds: x.memRes, replica_seconds: x.n,
        })),
        hints: r.hints.map((h) => ({ service: h.service, resource: h.resource, reserved: h.reserved, p95: h.p95, suggested: h.suggested, message: h.message })),
      };
    }),
    RolloutStatus: unary((req: { service: string }): RolloutInfo => {
      const r = services().queries.rolloutStatus(req.service);
      return {
        stack: r.stack, service: r.service, kind: r.kind, state: r.state, reason: r.reason, generation: r.generation, from_generation: r.fromGeneration,
        restores_generation: r.restoresGeneration, updated: r.updated, total: r.total, healthy: r.healthy, failures: r.failures,
        started_at_ms: r.startedAtMs, ended_at_ms: r.endedAtMs,
      };
    }),
    Rollback: unary(async (req: { service: string }) => services().stacks.rollback(req.service)),
    ListEndpoints: unary((req: { service: string }) => toEndpointsResponse(services().queries.endpoints(req.service))),
    AutoscaleStatus: unary((req: { service: string }) => {
      const { queries } = services();
      if (!deps.autoscaler) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not autoscale');
      let list = deps.autoscaler.status();
      if (req.service) {
        const [stack, service] = queries.resolve(req.service);
        list = list.filter((s) => s.stack === stack && s.service === service);
        if (list.length === 0) throw new NotFoundError(`${service} is not autoscaled (it has no x-baton.autoscale)`, `autoscaled service ${req.service}`);
      }
      return { services: list.map(toAutoscaleStatus) };
    }),
    History: unary((req: { service: string }) => {
      const [stack, service] = services().queries.resolve(req.service);
      const entries = services().queries.history(req.service).map((h) => ({ generation: h.generation, at_ms: h.atMs, image: h.image, change: h.change, outcome: h.outcome, reason: h.reason, current: h.current }));
      return { stack, service, entries };
    }),
    ListServices: listing(
      (_req) => services().queries.services(),
      ({ autoscale, ...s }): ServiceInfo => ({
        ...s, pending: unplacedWire(s.pending), health_checked: s.healthChecked, ingress: s.ingress.map(toIngressSummary),
        ...(autoscale ? { autoscale: { min: autoscale.min, max: autoscale.max, cpu_target_percent: autoscale.cpuTargetPercent, memory_target_percent: autoscale.memoryTargetPercent } } : {}),
      }),
      (services) => ({ services }),
    ),
    ListReplicas: listing(
      (req: ListReplicasRequest__Output) => services().queries.replicas(req.service),
      (r): ReplicaInfo => ({
        stack: r.stack, service: r.service, replica: r.replica, allocation_id: r.allocationId, node: r.node, container_id: r.containerId,
        state: r.state, desired: r.desired, generation: r.generation, restarts: r.restarts, cpu_percent: r.cpuPercent,
        memory_bytes: r.memoryBytes, since_ms: r.sinceMs, error: r.error, health: r.health, health_output: r.healthOutput,
      }),
      (replicas) => ({ replicas }),
    ),
    ListVolumes: listing(
      (req: ListVolumesRequest__Output) => {
        if (!deps.volumes) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not track volumes');
        return deps.volumes.list(req.node, req.stack);
      },
      toVolumeWire,
      (items) => ({ volumes: items.filter((i): i is VolumeInfo => !('status' in i)), nodes: items.filter((i): i is NodeVolumes => 'status' in i) }),
    ),
    ListNodes: listing(
      (_req: ListNodesRequest__Output) => {
        const left = deps.schedules?.remaining();
        return deps.pool.list().map((n) => [n, left?.get(n.id)?.length ?? 0] as const);
      },
      ([n, left], req) => toNodeInfo(n, !req.container_counts_only, left),
      (nodes) => ({ nodes }),
    ),
    GetNode: unary((req: { node: string }) => {
      const n = deps.pool.get(req.node);
      if (!n) throw new NotFoundError(`no node with id or name ${JSON.stringify(req.node)}`, `node ${req.node}`);
      return toNodeInfo(n, true, deps.schedules?.remaining().get(n.id)?.length ?? 0);
    }),
    ListEvents: listing((req: ListEventsRequest__Output) => deps.events.list(0, req.limit || undefined), toEvent, (events) => ({ events })),
    Plan: unary((req: { compose_yaml: string; file_name: string; stack: string; env: Record<string, string>; files: Record<string, Buffer> }) => {
      if (!deps.plan) throw new GrpcError(Status.UNIMPLEMENTED, 'planning is not available on this coordinator');
      const r = deps.plan({ composeYaml: req.compose_yaml, fileName: req.file_name || 'compose.yaml', stack: req.stack, env: req.env, files: filesOf(req.files) });
      return { plan_json: r.planJson, plan_text: r.planText, complete: r.complete, warnings: r.warnings };
    }),
    Logs(call: ServerWritableStream<LogsRequest__Output, LogLine>) {
      try {
        if (!deps.logs) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not relay logs');
        deps.logs.serve(logsClient(call));
      } catch (err) {
        // serve() throws only before it has written anything, so the status is all the client gets.
        call.emit('error', failed(err));
      }
    },
    WatchEvents(call: ServerWritableStream<WatchEventsRequest__Output, Event>) {
      const since = call.request.since_seq;
      let last = since;
      const send = (e: EventRecord) => {
        if (e.seq <= last) return;
        last = e.seq;
        call.write(toEvent(e));
      };
      // Subscribe before replaying so nothing appended in between is lost; `last` drops repeats.
      const unsubscribe = deps.events.subscribe(send);
      if (call.request.replay) for (const e of deps.events.list(since)) send(e);
      const done = () => unsubscribe();
      call.on('cancelled', done);
      call.on('close', done);
      call.on('error', done);
    },
  };
}

/** A listing entry on the wire: a node line (NodeVolumes, which has a status) or a volume. */
function toVolumeWire(e: VolumeListEntry): VolumeInfo | NodeVolumes {
  if (e.kind === 'node') {
    return { node_id: e.nodeId, node: e.node, status: e.status, connected: e.connected, known: e.known, reported_at_ms: e.reportedAtMs, pending_removals: [...e.pendingRemovals] };
  }
  return {
    node_id: e.nodeId, node: e.node, name: e.name, stack: e.stack, key: e.key, driver: e.driver, created_at_ms: e.createdAtMs, in_use: e.inUse,
    stale: e.stale, reported_at_ms: e.reportedAtMs, removal_error: e.removalError,
  };
}

/** The gRPC call as the log router's client; LogOutput and LogLine carry the same fields. */
function logsClient(call: ServerWritableStream<LogsRequest__Output, LogLine>): LogsClient {
  const r = call.request;
  return {
    request: { service: r.service, replica: r.replica, follow: r.follow, tail: r.tail },
    write: (out, written) => void call.write({ ...out }, written),
    end: () => call.end(),
    fail: (err) => void call.emit('error', toGrpcStatus(err)),
    onGone: (listener) => {
      call.on('cancelled', listener);
      call.on('error', listener);
      call.on('close', listener);
    },
  };
}

/** A rebalance (a dry run's plan or an applied one's progress) in wire form. */
export function rebalanceToWire(v: RebalanceView): RebalanceInfo {
  const load = (m: RebalanceView['before']) => ({ nodes_used: m.nodesUsed, max_cpu: m.maxCpu, max_memory: m.maxMemory, max_replicas: m.maxReplicas });
  return {
    id: v.id,
    strategy: v.strategy,
    dry_run: v.dryRun,
    state: v.state,
    moves: v.moves.map((m) => ({ allocation_id: m.allocationId, stack: m.stack, service: m.service, replica: m.replica, from_node: m.from, to_node: m.to, state: m.state, reason: m.reason })),
    before: load(v.before),
    after: load(v.after),
    freed: [...v.freed],
    reason: v.reason,
    skipped: v.skipped.map((x) => ({ stack: x.stack, service: x.service, reason: x.reason })),
    started_at_ms: v.startedAtMs,
    finished_at_ms: v.finishedAtMs,
  };
}

/** `withContainers` false: `containers` left empty, `container_count` still set (ListNodes' counts-only request). */
export function toNodeInfo(n: NodeView, withContainers = true, drainRemaining = 0): NodeInfo {
  const u = n.usage;
  const sch = n.schedule;
  return {
    schedule: sch?.state ?? '',
    schedule_since_ms: sch?.sinceMs ?? 0,
    drain_deadline_ms: sch?.deadlineAtMs ?? 0,
    drain_remaining: sch?.state === 'draining' ? drainRemaining : 0,
    drain_lost: [...(sch?.lost ?? [])],
    unhealthy_reason: n.unhealthy?.reason ?? '',
    unhealthy_since_ms: n.unhealthy?.sinceMs ?? 0,
    held_until_ms: n.flaps?.heldUntilMs ?? 0,
    held_reason: n.flaps?.heldUntilMs !== undefined ? heldReason(n.flaps) : '',
    id: n.id,
    name: n.name,
    address: n.address,
    status: n.status,
    capacity: { cpu_millis: n.capacity.cpuMillis, memory_bytes: n.capacity.memoryBytes, disk_bytes: n.capacity.diskBytes },
    labels: n.labels,
    role: n.role ?? 'worker',
    agent_version: n.agentVersion,
    docker_version: n.dockerVersion,
    docker_up: n.dockerUp,
    usage: u && hostUsageToWire(u),
    containers: withContainers ? n.containers.map(containerToWire) : [],
    container_count: n.containers.length,
    last_seen_ms: Math.max(n.lastReportMs, n.lastSeenMs),
    joined_at_ms: n.joinedAtMs,
    status_since_ms: n.statusSinceMs,
    reserved_cpu_millis: 0,
    reserved_memory_bytes: 0,
  };
}

function toEndpointsResponse(v: EndpointsView): EndpointsResponse {
  return {
    stack: v.stack,
    service: v.service,
    vip: v.vip,
    target_ports: v.targetPorts.map((p) => ({ port: p.port, protocol: p.protocol })),
    published: v.published.map((p) => ({ published: p.published, target: p.target, protocol: p.protocol })),
    nodes: v.nodes.map((n) => ({
      node_id: n.nodeId,
      node: n.node,
      applied_version: n.appliedVersion,
      current_version: n.currentVersion,
      ports: n.ports.map((p) => ({ stack: p.stack, service: p.service, published: p.published, protocol: p.protocol, state: p.state, error: p.error })),
      routes: n.routes.map((r) => ({
        allocation_id: r.allocationId, replica: r.replica, node: r.node, address: r.address, healthy: r.healthy, serving: r.serving,
        active_connections: r.activeConnections, local: r.local,
      })),
    })),
  };
}

function toAutoscaleStatus(s: AutoscaleStatus): AutoscaleServiceStatus {
  const a = s.spec;
  const d = s.last;
  return {
    stack: s.stack,
    service: s.service,
    bounds: { min: a.min, max: a.max, cpu_target_percent: a.cpuPercent ?? 0, memory_target_percent: a.memoryPercent ?? 0 },
    replicas: s.replicas,
    window_ms: a.windowMs,
    scale_up_window_ms: a.scaleUpWindowMs,
    scale_down_window_ms: a.scaleDownWindowMs,
    cooldown_ms: a.cooldownMs,
    max_step: a.maxStep ?? 0,
    tolerance: a.tolerance,
    ...(d
      ? {
          last: {
            at_ms: d.atMs, kind: d.kind, current: d.current, desired: d.desired, counted: d.counted, excluded: d.excluded, reason: d.reason,
            readings: d.readings.map((r) => ({ metric: r.metric, observed_percent: r.observedPercent, target_percent: r.targetPercent, proposal: r.proposal })),
          },
        }
      : {}),
    last_change_at_ms: s.lastChange?.atMs ?? 0,
    last_change_from: s.lastChange?.from ?? 0,
    last_change_to: s.lastChange?.to ?? 0,
    last_change_reason: s.lastChange?.reason ?? '',
    samples: s.samples,
  };
}

function toIngressSummary(p: IngressPortSummary): IngressPortSummaryWire {
  return { published: p.published, target: p.target, protocol: p.protocol, serving_nodes: p.servingNodes, nodes: p.nodes, endpoints: p.endpoints, problems: [...p.problems] };
}

function toEvent(e: EventRecord): Event {
  return {
    seq: e.seq,
    at_ms: e.atMs,
    type: e.type,
    node_id: e.nodeId,
    node_name: e.nodeName,
    from: e.from,
    to: e.to,
    reason: e.reason,
    message: e.message,
  };
}

/** DeployRequest/PlanRequest.files as the parser takes them (proto-loader gives a plain object; absent on old clients). */
function filesOf(files: Record<string, Buffer> | undefined): ReadonlyMap<string, Uint8Array> {
  return new Map(Object.entries(files ?? {}));
}
