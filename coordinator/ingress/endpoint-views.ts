// Read models of the ingress for the CLI: where each node sends a service's traffic (`baton
// endpoints`) and each published port's state over the nodes (`baton services`' INGRESS column).
// Pure: they join the endpoint model with allocations, the nodes' latest reports and the spec.
import type { IngressPort, IngressPortState, PortRef } from '../../shared/model/ingress.js';
import type { NodeView } from '../node-pool.js';
import type { ObservedNow } from '../observed.js';
import { serviceKey } from '../slot-key.js';
import type { AllocationRecord, DeepReadonly, ServiceRecord } from '../store/schema.js';
import { nodeServes, publishedPortsOf, replicaHealthy, type EndpointModel } from './endpoints.js';
import { targetPortsOf } from './replica-ports.js';

/** A replica as one node's ingress sees it. */
export interface RouteRow {
  readonly allocationId: string;
  readonly replica: number;
  /** The node the replica runs on (name). */
  readonly node: string;
  /** Where this node sends it: `containerIp:target` for its own replica, `nodeAddress:hostPort` otherwise (comma-separated per port; '' when unknown). */
  readonly address: string;
  readonly healthy: boolean;
  /** In the endpoint set the nodes were sent. */
  readonly serving: boolean;
  /** Open connections its own node reports. */
  readonly activeConnections: number;
  readonly local: boolean;
}

export interface NodeRoutes {
  readonly nodeId: string;
  readonly node: string;
  readonly appliedVersion: number;
  readonly currentVersion: number;
  readonly ports: readonly IngressPortState[];
  readonly routes: readonly RouteRow[];
}

export interface EndpointsView {
  readonly stack: string;
  readonly service: string;
  /** '' before the service has one. */
  readonly vip: string;
  readonly targetPorts: readonly PortRef[];
  readonly published: readonly IngressPort[];
  readonly nodes: readonly NodeRoutes[];
}

/** One `mode: ingress` port over the nodes. */
export interface IngressPortSummary {
  readonly published: number;
  readonly target: number;
  readonly protocol: 'tcp' | 'udp';
  /** Nodes that report the port serving, of `nodes`. */
  readonly servingNodes: number;
  /** Nodes that should serve it: ready, connected, not left out by x-baton.ingress.constraints. */
  readonly nodes: number;
  /** Serving endpoints behind it. */
  readonly endpoints: number;
  /** e.g. `node-2: port 8080 in use by another process`. */
  readonly problems: readonly string[];
}

export interface ServiceIngressInput {
  readonly stack: string;
  readonly service: string;
  readonly svc: DeepReadonly<ServiceRecord>;
  readonly model: EndpointModel;
  readonly version: number;
  /** The pool's nodes (every status). */
  readonly views: readonly NodeView[];
  /** The service's allocations. */
  readonly allocations: readonly DeepReadonly<AllocationRecord>[];
  readonly observed: ReadonlyMap<string, ObservedNow>;
}

export function endpointsView(input: ServiceIngressInput): EndpointsView {
  const { stack, service, svc, model, views, observed } = input;
  const entry = model.services.find((s) => s.stack === stack && s.service === service);
  const serving = new Set(entry?.endpoints.map((e) => e.allocationId));
  const targets = targetPortsOf(svc.spec);
  const byId = new Map(views.map((n) => [n.id, n]));
  // Replicas that should run, and stopping ones whose container is still there (being drained).
  const replicas = input.allocations
    .filter((a) => a.desired === 'run' || observed.has(a.id))
    .slice()
    .sort((a, b) => a.replica - b.replica || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const nodes = views
    .filter((n) => n.status !== 'down' && n.status !== 'left')
    .map((n): NodeRoutes => ({
      nodeId: n.id,
      node: n.name,
      appliedVersion: n.ingress?.appliedVersion ?? 0,
      currentVersion: input.version,
      ports: (n.ingress?.ports ?? []).filter((p) => p.stack === stack && p.service === service),
      routes: replicas.map((a) => {
        const o = observed.get(a.id);
        const home = byId.get(a.nodeId);
        const local = a.nodeId === n.id;
        return {
          allocationId: a.id,
          replica: a.replica,
          node: home?.name ?? a.nodeId,
          address: routeAddress(local, home?.address ?? '', o, targets),
          healthy: o !== undefined && o.state === 'running' && replicaHealthy(o, svc.spec),
          serving: serving.has(a.id),
          activeConnections: home?.ingress?.connections[a.id] ?? 0,
          local,
        };
      }),
    }));
  return { stack, service, vip: svc.vip ?? '', targetPorts: targets, published: entry?.published ?? publishedPortsOf(svc), nodes };
}

/**
 * What `ingressSummaries` reads of the nodes, indexed once per listing: with thousands of nodes and
 * services, looking each port up in every node's report would cost services x nodes x ports.
 */
export interface IngressIndex {
  readonly model: EndpointModel;
  /** Ready, connected nodes. */
  readonly serving: readonly NodeView[];
  /** `stack/service` -> its model entry. */
  readonly services: ReadonlyMap<string, EndpointModel['services'][number]>;
  /** `stack/service` -> nodes (ready, connected) that constraints leave out of its published ports. */
  readonly excluded: ReadonlyMap<string, ReadonlySet<string>>;
  /** `stack/service/published/protocol` -> the states ready, connected nodes report for it. */
  readonly ports: ReadonlyMap<string, readonly { node: NodeView; state: IngressPortState }[]>;
  /** Ready, connected nodes whose last set could not be applied. */
  readonly failing: readonly NodeView[];
}

export function ingressIndex(model: EndpointModel, views: readonly NodeView[]): IngressIndex {
  const serving = views.filter(nodeServes);
  const services = new Map(model.services.map((s) => [serviceKey(s.stack, s.service), s]));
  const excluded = new Map<string, Set<string>>();
  const ports = new Map<string, { node: NodeView; state: IngressPortState }[]>();
  const failing: NodeView[] = [];
  for (const n of serving) {
    for (const key of model.excluded[n.id] ?? []) {
      let set = excluded.get(key);
      if (!set) excluded.set(key, (set = new Set()));
      set.add(n.id);
    }
    if (n.ingress?.error) failing.push(n);
    for (const p of n.ingress?.ports ?? []) {
      const key = `${p.stack}/${p.service}/${p.published}/${p.protocol}`;
      let list = ports.get(key);
      if (!list) ports.set(key, (list = []));
      list.push({ node: n, state: p });
    }
  }
  return { model, serving, services, excluded, ports, failing };
}

export function ingressSummaries(index: IngressIndex, stack: string, service: string, svc: DeepReadonly<ServiceRecord>): IngressPortSummary[] {
  const published = publishedPortsOf(svc);
  if (!published.length) return [];
  const key = serviceKey(stack, service);
  const entry = index.services.get(key);
  const out = index.excluded.get(key);
  const should = (n: NodeView) => !out?.has(n.id);
  const nodes = index.serving.length - (out?.size ?? 0);
  return published.map((p) => {
    const problems: string[] = [];
    let servingNodes = 0;
    for (const { node: n, state } of index.ports.get(`${key}/${p.published}/${p.protocol}`) ?? []) {
      if (!should(n)) continue;
      if (state.state === 'serving') servingNodes++;
      else if (state.state === 'port-in-use') problems.push(`${n.name}: port ${p.published} in use by another process`);
      else if (state.state === 'error') problems.push(`${n.name}: port ${p.published}: ${state.error || 'error'}`);
    }
    for (const n of index.failing) if (should(n)) problems.push(`${n.name}: ${n.ingress!.error}`);
    return { published: p.published, target: p.target, protocol: p.protocol, servingNodes, nodes, endpoints: entry?.endpoints.length ?? 0, problems };
  });
}

function routeAddress(local: boolean, nodeAddress: string, o: ObservedNow | undefined, targets: readonly PortRef[]): string {
  if (!o) return '';
  if (local) {
    if (!o.ipAddress) return '';
    return targets.length ? targets.map((t) => `${o.ipAddress}:${t.port}`).join(',') : o.ipAddress;
  }
  if (!nodeAddress) return '';
  if (!targets.length) return nodeAddress;
  return targets
    .map((t) => o.ports.find((p) => p.target === t.port && p.protocol === t.protocol))
    .map((p) => (p ? `${nodeAddress}:${p.hostPort}` : ''))
    .filter((x) => x)
    .join(',');
}
