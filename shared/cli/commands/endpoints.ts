// `baton endpoints SERVICE`: where each node's ingress sends a service's traffic (replica, node,
// address, healthy, serving, active connections), and which endpoint set each node applied.
import type { Command } from 'commander';
import { table } from '../../format.js';
import type { EndpointsResponse__Output } from '../../grpc/gen/baton/v1/EndpointsResponse.js';
import { CONFIG_HELP, COORDINATOR_HELP, INSECURE_HELP, resolveConnection, unary, type Connection, type ConnectionOptions } from '../client.js';

export const listEndpoints = (conn: Connection, service: string) =>
  unary<object, EndpointsResponse__Output>(conn, (c, r, o, cb) => c.ListEndpoints(r, o, cb), { service }, 10_000);

/** The response in the CLI's JSON form (camelCase, numbers as numbers). */
export function endpointsJson(r: EndpointsResponse__Output) {
  return {
    stack: r.stack,
    service: r.service,
    vip: r.vip,
    targetPorts: r.target_ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    published: r.published.map((p) => ({ published: p.published, target: p.target, protocol: p.protocol })),
    nodes: r.nodes.map((n) => ({
      node: n.node,
      nodeId: n.node_id,
      appliedVersion: Number(n.applied_version),
      currentVersion: Number(n.current_version),
      ports: n.ports.map((p) => ({ published: p.published, protocol: p.protocol, state: p.state, error: p.error })),
      routes: n.routes.map((x) => ({
        replica: x.replica, allocationId: x.allocation_id, node: x.node, address: x.address, healthy: x.healthy, serving: x.serving,
        activeConnections: x.active_connections, local: x.local,
      })),
    })),
  };
}

export function registerEndpoints(program: Command): void {
  program
    .command('endpoints')
    .description("list where each node's ingress sends a service's traffic: replicas, addresses, health, connections")
    .argument('<service>', 'service or stack/service')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string, o: { json?: boolean } & ConnectionOptions) => {
      const v = endpointsJson(await listEndpoints(resolveConnection(o), service));
      if (o.json) {
        process.stdout.write(JSON.stringify(v, null, 2) + '\n');
        return;
      }
      const published = v.published.map((p) => `${p.published}->${p.target}/${p.protocol}`).join(',') || '-';
      const targets = v.targetPorts.map((p) => `${p.port}/${p.protocol}`).join(',') || '-';
      process.stdout.write(`${v.stack}/${v.service}  address ${v.vip || '(none yet)'}  ports ${targets}  published ${published}\n`);
      if (!v.nodes.length) process.stdout.write('no nodes\n');
      for (const n of v.nodes) {
        const applied = n.appliedVersion === 0 ? 'no set applied' : n.appliedVersion === n.currentVersion ? `set ${n.appliedVersion} (current)` : `set ${n.appliedVersion} (current ${n.currentVersion})`;
        const ports = n.ports.map((p) => `${p.published}/${p.protocol} ${p.state}${p.error ? ` (${p.error})` : ''}`).join(', ');
        process.stdout.write(`\n${n.node}: ${applied}${ports ? `; ${ports}` : ''}\n`);
        if (!n.routes.length) {
          process.stdout.write('  no replicas\n');
          continue;
        }
        const rows = n.routes.map((x) => [
          `${v.service}.${x.replica}`, x.node, x.address || '-', x.local ? 'yes' : 'no', x.healthy ? 'yes' : 'no', x.serving ? 'yes' : 'no', String(x.activeConnections),
        ]);
        const text = table(['REPLICA', 'NODE', 'ADDRESS', 'LOCAL', 'HEALTHY', 'SERVING', 'CONNECTIONS'], rows);
        process.stdout.write(text.split('\n').map((l) => `  ${l}`).join('\n') + '\n');
      }
    });
}
