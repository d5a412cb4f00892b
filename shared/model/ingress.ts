// The traffic layer's domain types, spoken by both processes (proto EndpointSet / IngressReport in
// domain form; shared/wire/ingress.ts maps them). The coordinator computes an EndpointSet from its
// allocations and the nodes' reports and sends it to every node; each agent's ingress turns it into
// kernel rules (agent/ingress/) and reports back what it applied.
//
// Model (README "Traffic"): every service has a service address (VIP) from the coordinator's
// service CIDR; its name resolves to it inside containers (/etc/hosts) and the node's ingress
// forwards VIP:target to a serving endpoint. `mode: ingress` ports are also served on every node's
// own addresses. A replica's own node reaches it at its container address; other nodes reach it at
// its node's address and the host port Docker published the target port on.

export type IngressProtocol = 'tcp' | 'udp';

/** A container port and the host port Docker published it on. */
export interface PortMapping {
  readonly target: number;
  readonly hostPort: number;
  readonly protocol: IngressProtocol;
}

/** A container port reachable at the service address. */
export interface PortRef {
  readonly port: number;
  readonly protocol: IngressProtocol;
}

/** A `mode: ingress` port: `published` on every (matching) node -> `target` on an endpoint. */
export interface IngressPort {
  readonly published: number;
  readonly target: number;
  readonly protocol: IngressProtocol;
}

/** A replica that receives traffic: running, healthy (or without a check), not stopping, on a ready node. */
export interface Endpoint {
  readonly allocationId: string;
  readonly nodeId: string;
  readonly replica: number;
  /** Where other nodes reach it, with `ports[].hostPort`. */
  readonly nodeAddress: string;
  /** Where its own node reaches it, with `ports[].target`. */
  readonly containerIp: string;
  readonly ports: readonly PortMapping[];
}

export interface IngressService {
  readonly stack: string;
  readonly service: string;
  /** The service address (dotted IPv4). */
  readonly vip: string;
  readonly targetPorts: readonly PortRef[];
  /** Empty when `excluded`. */
  readonly published: readonly IngressPort[];
  /** x-baton.ingress.constraints leave this node out: it serves the VIP but not the published ports. */
  readonly excluded: boolean;
  readonly preferLocal: boolean;
  readonly endpoints: readonly Endpoint[];
}

/** A complete snapshot: the agent replaces what it had with the newest version. */
export interface EndpointSet {
  readonly version: number;
  readonly services: readonly IngressService[];
}

/** One published port's state on one node. */
export type IngressPortStateName = 'serving' | 'no-endpoints' | 'port-in-use' | 'excluded' | 'error';
export const INGRESS_PORT_STATES: readonly IngressPortStateName[] = ['serving', 'no-endpoints', 'port-in-use', 'excluded', 'error'];

export interface IngressPortState {
  readonly stack: string;
  readonly service: string;
  readonly published: number;
  readonly protocol: IngressProtocol;
  readonly state: IngressPortStateName;
  readonly error: string;
}

/** Cumulative since the agent started, over the published ports and the service address. */
export interface IngressCounters {
  readonly stack: string;
  readonly service: string;
  readonly connections: number;
  readonly bytes: number;
  /** Connections an endpoint refused before answering. */
  readonly failedForwards: number;
}

/** What a node's ingress reports with every heartbeat. */
export interface IngressReport {
  /** EndpointSet.version last applied; 0 before the first. */
  readonly appliedVersion: number;
  readonly ports: readonly IngressPortState[];
  readonly counters: readonly IngressCounters[];
  /** Open connections to this node's own replicas, by allocation id. */
  readonly connections: Readonly<Record<string, number>>;
  /** Why the last set could not be applied; '' when it was. */
  readonly error: string;
}
