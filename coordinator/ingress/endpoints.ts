// The endpoint model: which replicas serve each service, computed from desired state, allocations,
// the nodes' latest reports and the node list. Pure (no clock, no I/O): the publisher runs it every
// control-loop round and sends what changed; queries read the same rules to say why a replica serves.
import { isDeepStrictEqual } from 'node:util';
import type { ServiceSpec } from '../../shared/compose/types.js';
import type { Endpoint, EndpointSet, IngressPort, IngressService, PortMapping, PortRef } from '../../shared/model/ingress.js';
import { isIPv4 } from '../../shared/wire/ingress.js';
import type { ObservedNow } from '../observed.js';
import { specExpectsHealth } from '../rollout/deadline.js';
import { constraintHolds } from '../scheduler/constraints.js';
import { groupByService, serviceKey } from '../slot-key.js';
import { targetPortsOf } from './replica-ports.js';
import type { AllocationRecord, DeepReadonly, NodeRecord, ServiceRecord, StackRecord } from '../store/schema.js';

/** What the model reads of a node: identity and labels (constraints), address, status and session. */
export type EndpointNode = Pick<NodeRecord, 'id' | 'name' | 'address' | 'status' | 'labels'> & { readonly connected: boolean };

export interface EndpointInput {
  readonly stacks: DeepReadonly<Record<string, StackRecord>>;
  readonly allocations: readonly DeepReadonly<AllocationRecord>[];
  readonly observed: ReadonlyMap<string, ObservedNow>;
  readonly nodes: readonly EndpointNode[];
}

/**
 * Every service's ingress as a node without exclusions sees it, plus the nodes that
 * x-baton.ingress.constraints leave out of some service's published ports. Without constraints
 * (the common case) `excluded` is empty and every node gets the one shared set.
 */
export interface EndpointModel {
  /** Sorted by stack, then service; each with `excluded: false`. */
  readonly services: readonly IngressService[];
  /** Node id -> the sorted `stack/service` keys whose published ports it does not serve. */
  readonly excluded: Readonly<Record<string, readonly string[]>>;
}

/** Why a replica does not serve (undefined: it serves). In the order the checks run. */
export type NotServing = 'stopping' | 'no-container' | 'not-running' | 'unhealthy' | 'node-not-ready' | 'no-address' | 'ports-unknown';

/** The node can take traffic for its replicas: ready and on a live session. */
export function nodeServes(node: EndpointNode | undefined): boolean {
  return node !== undefined && node.status === 'ready' && node.connected;
}

/** The replica's check passes, or the spec names none and the container reports none. */
export function replicaHealthy(o: ObservedNow, spec: DeepReadonly<ServiceSpec>): boolean {
  if (o.health === 'healthy') return true;
  return o.health === 'none' && !specExpectsHealth(spec.healthcheck as Parameters<typeof specExpectsHealth>[0]);
}

/** `mode: ingress` ports with the port nodes serve them on: as written, else the one Baton assigned (none yet: left out). */
export function publishedPortsOf(svc: DeepReadonly<ServiceRecord>): IngressPort[] {
  const out = new Map<string, IngressPort>();
  for (const p of svc.spec.ports) {
    if (p.mode === 'host') continue;
    const published = p.published ?? svc.assignedPorts?.[`${p.target}/${p.protocol}`];
    if (published === undefined) continue;
    out.set(`${published}/${p.protocol}`, { published, target: p.target, protocol: p.protocol });
  }
  return [...out.values()].sort((a, b) => a.published - b.published || a.protocol.localeCompare(b.protocol));
}

/**
 * Whether the allocation serves, by the design's rule: desired run, container running, healthy (or
 * no check), node ready and connected, and the addresses other nodes and its own node need known.
 */
export function notServing(
  a: DeepReadonly<AllocationRecord>,
  o: ObservedNow | undefined,
  spec: DeepReadonly<ServiceSpec>,
  node: EndpointNode | undefined,
  targets: readonly PortRef[],
  /** Whether the node's address is one the agents can route to (passed in when already known). */
  nodeAddressOk = node !== undefined && isIPv4(node.address),
): NotServing | undefined {
  if (a.desired !== 'run') return 'stopping';
  if (!o) return 'no-container';
  if (o.state !== 'running') return 'not-running';
  if (!replicaHealthy(o, spec)) return 'unhealthy';
  if (!nodeServes(node)) return 'node-not-ready';
  // The agent rejects a whole set with an address it cannot route to: such a replica stays out.
  // (A container address arrives checked: coordinator/wire.ts takes only IPv4 or ''.)
  if (!nodeAddressOk || o.ipAddress === '') return 'no-address';
  if (targets.some((t) => hostPortOf(o.ports, t) === undefined)) return 'ports-unknown';
  return undefined;
}

function hostPortOf(ports: readonly PortMapping[], t: PortRef): number | undefined {
  return ports.find((p) => p.target === t.port && p.protocol === t.protocol)?.hostPort;
}

/**
 * The model for `input`. With `previous` (the last model), every service and endpoint whose content
 * is unchanged is the previous object itself, and an unchanged model is `previous`: at 100,000
 * replicas a round then allocates little and `sameModel` is a reference check.
 */
export function endpointModel(input: EndpointInput, previous?: EndpointModel): EndpointModel {
  const nodes = new Map(input.nodes.map((n) => [n.id, n]));
  // Checked once per node, not once per replica.
  const addressOk = new Map(input.nodes.map((n) => [n.id, isIPv4(n.address)]));
  // Allocations by service key, from one pass (notServing leaves out those being stopped).
  const byService = groupByService(input.allocations);
  const before = new Map(previous?.services.map((s) => [serviceKey(s.stack, s.service), s]));
  const services: IngressService[] = [];
  const excluded: Record<string, string[]> = {};
  const stacks = Object.values(input.stacks).sort((a, b) => compare(a.name, b.name));
  for (const stack of stacks) {
    for (const name of Object.keys(stack.services).sort(compare)) {
      const svc = stack.services[name]!;
      if (!svc.vip) continue;
      const key = serviceKey(stack.name, name);
      const old = before.get(key);
      const targetPorts = reuse(old?.targetPorts, targetPortsOf(svc.spec), samePortRefs);
      const serving: { a: DeepReadonly<AllocationRecord>; o: ObservedNow; node: EndpointNode }[] = [];
      for (const a of byService.get(key) ?? []) {
        const o = input.observed.get(a.id);
        const node = nodes.get(a.nodeId);
        if (notServing(a, o, svc.spec, node, targetPorts, addressOk.get(a.nodeId) ?? false) === undefined) serving.push({ a, o: o!, node: node! });
      }
      serving.sort((x, y) => x.a.replica - y.a.replica || compare(x.a.id, y.a.id));
      let endpoints: Endpoint[] = serving.map(({ a, o, node }, i) => {
        const was = old?.endpoints[i];
        if (was && sameEndpoint(was, a, o, node, targetPorts)) return was;
        return {
          allocationId: a.id,
          nodeId: a.nodeId,
          replica: a.replica,
          nodeAddress: node.address,
          containerIp: o.ipAddress,
          // Only the ports the service is reached on, in target order, so a change elsewhere in the report is no change here.
          ports: targetPorts.map((t) => ({ target: t.port, hostPort: hostPortOf(o.ports, t)!, protocol: t.protocol })),
        };
      });
      if (old && endpoints.length === old.endpoints.length && endpoints.every((e, i) => e === old.endpoints[i])) endpoints = old.endpoints as Endpoint[];
      const published = reuse(old?.published, publishedPortsOf(svc), sameIngressPorts);
      const preferLocal = svc.spec.ingress?.prefer === 'local';
      const unchanged = old && old.vip === svc.vip && old.preferLocal === preferLocal && old.targetPorts === targetPorts && old.published === published && old.endpoints === endpoints;
      services.push(unchanged ? old : { stack: stack.name, service: name, vip: svc.vip, targetPorts, published, excluded: false, preferLocal, endpoints });
      const constraints = svc.spec.ingress?.constraints ?? [];
      if (constraints.length === 0) continue;
      for (const n of input.nodes) {
        if (constraints.every((c) => constraintHolds(n, c))) continue;
        (excluded[n.id] ??= []).push(key);
      }
    }
  }
  // Keys were pushed in service order, which is sorted: nothing to sort here.
  if (previous && services.length === previous.services.length && services.every((s, i) => s === previous.services[i]) && isDeepStrictEqual(excluded, previous.excluded)) return previous;
  return { services, excluded };
}

function sameEndpoint(e: Endpoint, a: DeepReadonly<AllocationRecord>, o: ObservedNow, node: EndpointNode, targets: readonly PortRef[]): boolean {
  if (e.allocationId !== a.id || e.nodeId !== a.nodeId || e.replica !== a.replica || e.nodeAddress !== node.address || e.containerIp !== o.ipAddress) return false;
  if (e.ports.length !== targets.length) return false;
  return targets.every((t, i) => {
    const p = e.ports[i]!;
    return p.target === t.port && p.protocol === t.protocol && p.hostPort === hostPortOf(o.ports, t);
  });
}

function reuse<T>(old: readonly T[] | undefined, next: T[], same: (a: T, b: T) => boolean): readonly T[] {
  return old && old.length === next.length && old.every((x, i) => same(x, next[i]!)) ? old : next;
}

const samePortRefs = (a: PortRef, b: PortRef) => a.port === b.port && a.protocol === b.protocol;
const sameIngressPorts = (a: IngressPort, b: IngressPort) => a.published === b.published && a.target === b.target && a.protocol === b.protocol;

/** Equal content: the publisher bumps the version only when this is false. */
export function sameModel(a: EndpointModel, b: EndpointModel): boolean {
  // Shared (reused) parts compare by reference first, inside isDeepStrictEqual too.
  return a === b || isDeepStrictEqual(a, b);
}

/** The set one node is sent: the shared services, with the ones its constraints leave out marked excluded. */
export function endpointSetFor(model: EndpointModel, version: number, nodeId: string): EndpointSet {
  const out = model.excluded[nodeId];
  if (!out?.length) return { version, services: model.services };
  const skip = new Set(out);
  return {
    version,
    services: model.services.map((s) => (skip.has(serviceKey(s.stack, s.service)) ? { ...s, published: [], excluded: true } : s)),
  };
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
