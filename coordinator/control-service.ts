// ControlService: what the CLI asks the coordinator. Read-only views of the pool and events;
// conversion to wire types happens here, at the boundary.
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { GrpcError, Status, toGrpcStatus } from '../shared/grpc/errors.js';
import type { ControlServiceHandlers } from '../shared/grpc/gen/baton/v1/ControlService.js';
import type { Event } from '../shared/grpc/gen/baton/v1/Event.js';
import type { ListEventsRequest__Output } from '../shared/grpc/gen/baton/v1/ListEventsRequest.js';
import type { ListReplicasRequest__Output } from '../shared/grpc/gen/baton/v1/ListReplicasRequest.js';
import type { NodeInfo } from '../shared/grpc/gen/baton/v1/NodeInfo.js';
import type { ReplicaInfo } from '../shared/grpc/gen/baton/v1/ReplicaInfo.js';
import type { ServiceInfo } from '../shared/grpc/gen/baton/v1/ServiceInfo.js';
import type { WatchEventsRequest__Output } from '../shared/grpc/gen/baton/v1/WatchEventsRequest.js';
import type { Logger } from '../shared/logger.js';
import { containerToWire, hostUsageToWire } from '../shared/observations.js';
import type { EventLog } from './event-log.js';
import { writeBatches } from './list-stream.js';
import type { LogRouter, LogsCall } from './log-router.js';
import type { NodePool, NodeView } from './node-pool.js';
import { OrchestratorInputError, type Orchestrator, type UnplacedInfo } from './orchestrator.js';
import type { EventRecord } from './store/schema.js';

/** Plans a Compose document against the live pool; provided by the placement layer. */
export type PlanHandler = (req: { composeYaml: string; fileName: string; stack: string; env: Record<string, string> }) => {
  planJson: string;
  planText: string;
  complete: boolean;
  warnings: string[];
};

export interface ControlDeps {
  pool: NodePool;
  events: EventLog;
  log: Logger;
  plan?: PlanHandler;
  orchestrator?: Orchestrator;
  logs?: LogRouter;
}

export function controlServiceHandlers(deps: ControlDeps): ControlServiceHandlers {
  const unary =
    <Req, Res>(fn: (req: Req) => Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      try {
        callback(null, fn(call.request));
      } catch (err) {
        if (!(err instanceof GrpcError)) deps.log.error({ err }, 'control request failed');
        callback(toGrpcStatus(err));
      }
    };

  const unaryAsync =
    <Req, Res>(fn: (req: Req, o: Orchestrator) => Promise<Res> | Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      const o = deps.orchestrator;
      if (!o) {
        callback(toGrpcStatus(new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not run services')));
        return;
      }
      Promise.resolve()
        .then(() => fn(call.request, o))
        .then(
          (res) => callback(null, res),
          (err: unknown) => {
            if (err instanceof OrchestratorInputError) {
              callback(toGrpcStatus(new GrpcError(Status.INVALID_ARGUMENT, err.message)));
              return;
            }
            deps.log.error({ err }, 'control request failed');
            callback(toGrpcStatus(err));
          },
        );
    };
  const orchestrator = (): Orchestrator => {
    if (!deps.orchestrator) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not run services');
    return deps.orchestrator;
  };

  // A List* call: the listing is taken at once (one consistent snapshot of domain values), then
  // converted to wire form and written batch by batch (list-stream.ts), then the call is ended.
  const listing =
    <Req, Item, Wire, Batch>(list: (req: Req) => Iterable<Item>, toWire: (item: Item) => Wire, toBatch: (wire: Wire[]) => Batch) =>
    (call: ServerWritableStream<Req, Batch>): void => {
      const fail = (err: unknown) => {
        if (err instanceof OrchestratorInputError) err = new GrpcError(Status.INVALID_ARGUMENT, err.message);
        else if (!(err instanceof GrpcError)) deps.log.error({ err }, 'control request failed');
        if (!call.cancelled) call.emit('error', toGrpcStatus(err));
      };
      let items: Iterable<Item>;
      try {
        items = list(call.request);
      } catch (err) {
        fail(err);
        return;
      }
      writeBatches(call, items, toWire, toBatch).then((outcome) => {
        if (outcome === 'written') call.end();
      }, fail);
    };
  const unplacedWire = (u: UnplacedInfo[]) => u.map((x) => ({ service: x.service, replica: x.replica, reason: x.reason }));

  return {
    Deploy: unaryAsync(async (req: { compose_yaml: string; file_name: string; stack: string; env: Record<string, string> }, o) => {
      const r = await o.deploy({ text: req.compose_yaml, file: req.file_name || 'compose.yaml', stackName: req.stack || undefined, env: req.env });
      return { stack: r.stack, generation: r.generation, changes: r.changes, unplaced: unplacedWire(r.unplaced), warnings: r.warnings };
    }),
    Scale: unaryAsync(async (req: { service: string; replicas: string }, o) => {
      const r = await o.scale(req.service, req.replicas);
      return { stack: r.stack, service: r.service, from: r.from, to: r.to, unplaced: unplacedWire(r.unplaced) };
    }),
    Remove: unaryAsync(async (req: { stack: string; service: string }, o) => o.remove(req.stack, req.service)),
    ListServices: listing(
      (_req) => orchestrator().services(),
      (s): ServiceInfo => ({ ...s, pending: unplacedWire(s.pending) }),
      (services) => ({ services }),
    ),
    ListReplicas: listing(
      (req: ListReplicasRequest__Output) => orchestrator().replicas(req.service),
      (r): ReplicaInfo => ({
        stack: r.stack, service: r.service, replica: r.replica, allocation_id: r.allocationId, node: r.node, container_id: r.containerId,
        state: r.state, desired: r.desired, generation: r.generation, restarts: r.restarts, cpu_percent: r.cpuPercent,
        memory_bytes: r.memoryBytes, since_ms: r.sinceMs, error: r.error,
      }),
      (replicas) => ({ replicas }),
    ),
    ListNodes: listing((_req) => deps.pool.list(), toNodeInfo, (nodes) => ({ nodes })),
    GetNode: unary((req: { node: string }) => {
      const n = deps.pool.get(req.node);
      if (!n) throw new GrpcError(Status.NOT_FOUND, `no node with id or name ${JSON.stringify(req.node)}`);
      return toNodeInfo(n);
    }),
    ListEvents: listing((req: ListEventsRequest__Output) => deps.events.list(0, req.limit || undefined), toEvent, (events) => ({ events })),
    Plan: unary((req: { compose_yaml: string; file_name: string; stack: string; env: Record<string, string> }) => {
      if (!deps.plan) throw new GrpcError(Status.UNIMPLEMENTED, 'planning is not available on this coordinator');
      const r = deps.plan({ composeYaml: req.compose_yaml, fileName: req.file_name || 'compose.yaml', stack: req.stack, env: req.env });
      return { plan_json: r.planJson, plan_text: r.planText, complete: r.complete, warnings: r.warnings };
    }),
    Logs(call: LogsCall) {
      try {
        if (!deps.logs) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not relay logs');
        deps.logs.serve(call);
      } catch (err) {
        // serve() throws only before it has written anything, so the status is all the client gets.
        if (err instanceof OrchestratorInputError) err = new GrpcError(Status.INVALID_ARGUMENT, err.message);
        else if (!(err instanceof GrpcError)) deps.log.error({ err }, 'logs request failed');
        call.emit('error', toGrpcStatus(err));
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

export function toNodeInfo(n: NodeView): NodeInfo {
  const u = n.usage;
  return {
    id: n.id,
    name: n.name,
    address: n.address,
    status: n.status,
    capacity: { cpu_millis: n.capacity.cpuMillis, memory_bytes: n.capacity.memoryBytes, disk_bytes: n.capacity.diskBytes },
    labels: n.labels,
    agent_version: n.agentVersion,
    docker_version: n.dockerVersion,
    docker_up: n.dockerUp,
    usage: u && hostUsageToWire(u),
    containers: n.containers.map(containerToWire),
    last_seen_ms: Math.max(n.lastReportMs, n.lastSeenMs),
    joined_at_ms: n.joinedAtMs,
    status_since_ms: n.statusSinceMs,
    reserved_cpu_millis: 0,
    reserved_memory_bytes: 0,
  };
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
