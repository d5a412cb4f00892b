// The traffic layer on the wire, both directions and both halves: EndpointSet (coordinator ->
// agent, checked by the agent) and IngressReport (agent -> coordinator, checked by the coordinator),
// and the container port mappings reports carry. Every error names the field. Loaded by the agent:
// imports nothing but types and the Result helpers.
import type { Endpoint as EndpointWire, Endpoint__Output } from '../grpc/gen/baton/v1/Endpoint.js';
import type { EndpointSet as EndpointSetWire, EndpointSet__Output } from '../grpc/gen/baton/v1/EndpointSet.js';
import type { IngressReport as IngressReportWire, IngressReport__Output } from '../grpc/gen/baton/v1/IngressReport.js';
import type { IngressService__Output } from '../grpc/gen/baton/v1/IngressService.js';
import type { PortMapping as PortMappingWire, PortMapping__Output } from '../grpc/gen/baton/v1/PortMapping.js';
import {
  INGRESS_PORT_STATES,
  type Endpoint,
  type EndpointSet,
  type IngressCounters,
  type IngressPort,
  type IngressPortState,
  type IngressPortStateName,
  type IngressProtocol,
  type IngressReport,
  type IngressService,
  type PortMapping,
  type PortRef,
} from '../model/ingress.js';
import { fail, ok, type Result } from '../result.js';

/** Bounds on what one message may carry (far above real use; a bad peer cannot make the other side allocate without limit). */
export const MAX_INGRESS_SERVICES = 4096;
export const MAX_ENDPOINTS_PER_SERVICE = 4096;
export const MAX_PORTS = 64;
const MAX_NAME = 253;
const MAX_ERROR = 1024;

export function portMappingToWire(p: PortMapping): PortMappingWire {
  return { target: p.target, host_port: p.hostPort, protocol: p.protocol };
}

export function portMappingsFromWire(list: readonly PortMapping__Output[], path: string): Result<PortMapping[]> {
  if (list.length > MAX_PORTS) return fail(`${path}: ${list.length} ports, more than ${MAX_PORTS}`);
  const out: PortMapping[] = [];
  for (const [i, p] of list.entries()) {
    if (!isPort(p.target)) return fail(`${path}.${i}.target: expected a port 1-65535, got ${p.target}`);
    if (!isPort(p.host_port)) return fail(`${path}.${i}.host_port: expected a port 1-65535, got ${p.host_port}`);
    const protocol = protocolOf(p.protocol, `${path}.${i}.protocol`);
    if (!protocol.ok) return protocol;
    out.push({ target: p.target, hostPort: p.host_port, protocol: protocol.value });
  }
  return ok(out);
}

// --- EndpointSet ---------------------------------------------------------------------------------

function endpointToWire(e: Endpoint): EndpointWire {
  return {
    allocation_id: e.allocationId,
    node_id: e.nodeId,
    node_address: e.nodeAddress,
    container_ip: e.containerIp,
    ports: e.ports.map(portMappingToWire),
    replica: e.replica,
  };
}

export function endpointSetToWire(set: EndpointSet): EndpointSetWire {
  return {
    version: set.version,
    services: set.services.map((s) => ({
      stack: s.stack,
      service: s.service,
      vip: s.vip,
      target_ports: s.targetPorts.map((p) => ({ port: p.port, protocol: p.protocol })),
      published: s.published.map((p) => ({ published: p.published, target: p.target, protocol: p.protocol })),
      excluded: s.excluded,
      prefer_local: s.preferLocal,
      endpoints: s.endpoints.map(endpointToWire),
    })),
  };
}

/** Wire -> domain for the agent: a set that fails here is not applied (the last good one stays). */
export function endpointSetFromWire(w: EndpointSet__Output): Result<EndpointSet> {
  const version = Number(w.version);
  if (!Number.isSafeInteger(version) || version < 1) return fail(`endpoints.version: expected a whole number ≥ 1, got ${String(w.version)}`);
  if (w.services.length > MAX_INGRESS_SERVICES) return fail(`endpoints.services: ${w.services.length} services, more than ${MAX_INGRESS_SERVICES}`);
  const services: IngressService[] = [];
  const seen = new Set<string>();
  for (const [i, s] of w.services.entries()) {
    const svc = serviceFromWire(s, `endpoints.services.${i}`);
    if (!svc.ok) return svc;
    const key = `${svc.value.stack}/${svc.value.service}`;
    if (seen.has(key)) return fail(`endpoints.services.${i}: ${key} listed twice`);
    seen.add(key);
    services.push(svc.value);
  }
  return ok({ version, services });
}

function serviceFromWire(s: IngressService__Output, path: string): Result<IngressService> {
  if (!isName(s.stack)) return fail(`${path}.stack: expected 1-${MAX_NAME} characters`);
  if (!isName(s.service)) return fail(`${path}.service: expected 1-${MAX_NAME} characters`);
  if (!isIPv4(s.vip)) return fail(`${path}.vip: expected a dotted IPv4 address, got ${JSON.stringify(s.vip.slice(0, 40))}`);
  if (s.target_ports.length > MAX_PORTS) return fail(`${path}.target_ports: more than ${MAX_PORTS}`);
  const targetPorts: PortRef[] = [];
  for (const [i, p] of s.target_ports.entries()) {
    if (!isPort(p.port)) return fail(`${path}.target_ports.${i}.port: expected a port 1-65535, got ${p.port}`);
    const protocol = protocolOf(p.protocol, `${path}.target_ports.${i}.protocol`);
    if (!protocol.ok) return protocol;
    targetPorts.push({ port: p.port, protocol: protocol.value });
  }
  if (s.published.length > MAX_PORTS) return fail(`${path}.published: more than ${MAX_PORTS}`);
  const published: IngressPort[] = [];
  for (const [i, p] of s.published.entries()) {
    if (!isPort(p.published)) return fail(`${path}.published.${i}.published: expected a port 1-65535, got ${p.published}`);
    if (!isPort(p.target)) return fail(`${path}.published.${i}.target: expected a port 1-65535, got ${p.target}`);
    const protocol = protocolOf(p.protocol, `${path}.published.${i}.protocol`);
    if (!protocol.ok) return protocol;
    published.push({ published: p.published, target: p.target, protocol: protocol.value });
  }
  if (s.endpoints.length > MAX_ENDPOINTS_PER_SERVICE) return fail(`${path}.endpoints: more than ${MAX_ENDPOINTS_PER_SERVICE}`);
  const endpoints: Endpoint[] = [];
  for (const [i, e] of s.endpoints.entries()) {
    const ep = endpointFromWire(e, `${path}.endpoints.${i}`);
    if (!ep.ok) return ep;
    endpoints.push(ep.value);
  }
  return ok({ stack: s.stack, service: s.service, vip: s.vip, targetPorts, published, excluded: s.excluded, preferLocal: s.prefer_local, endpoints });
}

function endpointFromWire(e: Endpoint__Output, path: string): Result<Endpoint> {
  if (!isName(e.allocation_id)) return fail(`${path}.allocation_id: expected 1-${MAX_NAME} characters`);
  if (!isName(e.node_id)) return fail(`${path}.node_id: expected 1-${MAX_NAME} characters`);
  if (!isIPv4(e.node_address)) return fail(`${path}.node_address: expected a dotted IPv4 address, got ${JSON.stringify(e.node_address.slice(0, 40))}`);
  if (e.container_ip !== '' && !isIPv4(e.container_ip)) return fail(`${path}.container_ip: expected a dotted IPv4 address or empty, got ${JSON.stringify(e.container_ip.slice(0, 40))}`);
  const ports = portMappingsFromWire(e.ports, `${path}.ports`);
  if (!ports.ok) return ports;
  return ok({ allocationId: e.allocation_id, nodeId: e.node_id, replica: e.replica, nodeAddress: e.node_address, containerIp: e.container_ip, ports: ports.value });
}

// --- IngressReport -------------------------------------------------------------------------------

export function ingressReportToWire(r: IngressReport): IngressReportWire {
  return {
    applied_version: r.appliedVersion,
    ports: r.ports.map((p) => ({ stack: p.stack, service: p.service, published: p.published, protocol: p.protocol, state: p.state, error: p.error })),
    counters: r.counters.map((c) => ({ stack: c.stack, service: c.service, connections: c.connections, bytes: c.bytes, failed_forwards: c.failedForwards })),
    connections: Object.entries(r.connections).map(([allocation_id, active]) => ({ allocation_id, active })),
    error: r.error,
  };
}

/** Wire -> domain for the coordinator: a report whose ingress part fails here ends the stream like any bad report. */
export function ingressReportFromWire(w: IngressReport__Output, path = 'report.ingress'): Result<IngressReport> {
  const appliedVersion = Number(w.applied_version);
  if (!Number.isSafeInteger(appliedVersion) || appliedVersion < 0) return fail(`${path}.applied_version: expected a whole number, got ${String(w.applied_version)}`);
  if (w.ports.length > MAX_INGRESS_SERVICES) return fail(`${path}.ports: more than ${MAX_INGRESS_SERVICES}`);
  const ports: IngressPortState[] = [];
  for (const [i, p] of w.ports.entries()) {
    if (!isName(p.stack) || !isName(p.service)) return fail(`${path}.ports.${i}: stack and service must be 1-${MAX_NAME} characters`);
    if (!isPort(p.published)) return fail(`${path}.ports.${i}.published: expected a port 1-65535, got ${p.published}`);
    const protocol = protocolOf(p.protocol, `${path}.ports.${i}.protocol`);
    if (!protocol.ok) return protocol;
    if (!(INGRESS_PORT_STATES as readonly string[]).includes(p.state)) return fail(`${path}.ports.${i}.state: ${JSON.stringify(p.state.slice(0, 40))} is not one of ${INGRESS_PORT_STATES.join(', ')}`);
    ports.push({ stack: p.stack, service: p.service, published: p.published, protocol: protocol.value, state: p.state as IngressPortStateName, error: p.error.slice(0, MAX_ERROR) });
  }
  if (w.counters.length > MAX_INGRESS_SERVICES) return fail(`${path}.counters: more than ${MAX_INGRESS_SERVICES}`);
  const counters: IngressCounters[] = [];
  for (const [i, c] of w.counters.entries()) {
    if (!isName(c.stack) || !isName(c.service)) return fail(`${path}.counters.${i}: stack and service must be 1-${MAX_NAME} characters`);
    const n = { connections: Number(c.connections), bytes: Number(c.bytes), failedForwards: Number(c.failed_forwards) };
    for (const [k, v] of Object.entries(n)) if (!Number.isFinite(v) || v < 0) return fail(`${path}.counters.${i}.${k}: expected a non-negative number`);
    counters.push({ stack: c.stack, service: c.service, ...n });
  }
  if (w.connections.length > MAX_INGRESS_SERVICES * 4) return fail(`${path}.connections: more than ${MAX_INGRESS_SERVICES * 4}`);
  const connections: Record<string, number> = {};
  for (const [i, c] of w.connections.entries()) {
    if (!isName(c.allocation_id)) return fail(`${path}.connections.${i}.allocation_id: expected 1-${MAX_NAME} characters`);
    connections[c.allocation_id] = c.active;
  }
  return ok({ appliedVersion, ports, counters, connections, error: w.error.slice(0, MAX_ERROR) });
}

// --- helpers -------------------------------------------------------------------------------------

function protocolOf(p: string, path: string): Result<IngressProtocol> {
  return p === 'tcp' || p === 'udp' ? ok(p) : fail(`${path}: expected tcp or udp, got ${JSON.stringify(p.slice(0, 20))}`);
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function isName(s: string): boolean {
  return s.length >= 1 && s.length <= MAX_NAME;
}

/** A dotted-quad IPv4 address (no leading zeros beyond a single 0). */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}
