// `baton deploy`, `scale`, `rm`, `services`, `ps`: running services on the cluster.
import type { Command } from 'commander';
import { formatWarning } from '../../compose/issues.js';
import { formatBytes, humanAge, table } from '../../format.js';
import type { DeployResponse__Output } from '../../grpc/gen/baton/v1/DeployResponse.js';
import type { ListReplicasResponse__Output } from '../../grpc/gen/baton/v1/ListReplicasResponse.js';
import type { ListServicesResponse__Output } from '../../grpc/gen/baton/v1/ListServicesResponse.js';
import type { RemoveResponse__Output } from '../../grpc/gen/baton/v1/RemoveResponse.js';
import type { ScaleResponse__Output } from '../../grpc/gen/baton/v1/ScaleResponse.js';
import type { ServiceInfo__Output } from '../../grpc/gen/baton/v1/ServiceInfo.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, EXIT_BAD_INPUT, INSECURE_HELP, list, resolveConnection, unary, type Connection, type ConnectionOptions } from '../client.js';
import { readInput, readReferencedFiles, referencedEnv, stackNameFor } from '../compose-file.js';
import { targetsText } from './autoscale.js';
import { watchRollouts } from './rollout.js';
import { awaitVolumeRemoval, listVolumes } from './volumes.js';

export const listServices = (conn: Connection) => list(conn, (c, r, o) => c.ListServices(r, o), {}, (b: ListServicesResponse__Output) => b.services);

export const listReplicas = (conn: Connection, service: string) =>
  list(conn, (c, r, o) => c.ListReplicas(r, o), { service }, (b: ListReplicasResponse__Output) => b.replicas);

export function registerServices(program: Command): void {
  program
    .command('deploy')
    .description('deploy (or update) a stack from a Compose file and wait until its replicas run')
    .requiredOption('-f, --file <compose.yaml>', 'Compose file')
    .option('--stack <name>', 'stack name (default: the top-level name, else the directory of the file)')
    .option('--tenant <name>', "who the stack's usage is accounted to, when the file's top-level x-baton.tenant names none (default: default)")
    .option('--detach', 'return once the desired state is stored, without waiting')
    .option('--timeout <seconds>', 'how long to wait for rollouts and for the replicas to run (0: as long as it takes)', '600')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { file: string; stack?: string; tenant?: string; detach?: boolean; timeout: string } & ConnectionOptions) => {
      const conn = resolveConnection(o);
      const text = await readInput(o.file, 'Compose file');
      // A top-level `name` in the file wins over the directory name (as in Compose) without a warning.
      const stack = stackNameFor(o.file, text, o.stack);
      const res = await unary<object, DeployResponse__Output>(
        conn,
        (c, r, opts, cb) => c.Deploy(r, opts, cb),
        { compose_yaml: text, file_name: o.file, stack, tenant: o.tenant ?? '', env: referencedEnv(text, process.env), files: await readReferencedFiles(o.file, text, process.env) },
        30_000,
      );
      for (const w of res.warnings) process.stderr.write(`${formatWarning(w)}\n`);
      process.stdout.write(`stack ${res.stack} generation ${res.generation}: ${res.changes.map((c) => `${c.service} ${c.change}`).join(', ')}\n`);
      for (const u of res.unplaced) process.stdout.write(`  pending ${u.service}.${u.replica}: ${u.reason}\n`);
      if (o.detach) return;
      // Updated services roll out (health-gated, possibly rolled back): follow those first.
      const updated = res.changes.filter((c) => c.change === 'updated').map((c) => ({ service: `${res.stack}/${c.service}`, generation: Number(c.generation) }));
      if (updated.length) await watchRollouts(conn, updated, Number(o.timeout));
      const deadline = Date.now() + Number(o.timeout) * 1000;
      let last = '';
      for (;;) {
        const mine = (await listServices(conn)).filter((s) => s.stack === res.stack);
        const line = mine.map((s) => `${s.name} ${s.running}/${s.desired}`).join('  ');
        if (line !== last) process.stdout.write(`  ${line}\n`);
        last = line;
        // Waiting replicas (depends_on) start once their dependencies are there: wait for them too.
        const unplacedOf = (s: ServiceInfo__Output) => s.pending.filter((p) => p.kind !== 'waiting');
        const pending = mine.reduce((n, s) => n + unplacedOf(s).length, 0);
        if (mine.every((s) => s.running + unplacedOf(s).length >= s.desired)) {
          const placed = await listReplicas(conn, '');
          for (const x of placed.filter((x) => x.stack === res.stack && x.desired === 'run' && x.node)) {
            process.stdout.write(`  ${x.service}.${x.replica} -> ${x.node} (${x.container_id.slice(0, 12) || x.state})\n`);
          }
          if (pending === 0) {
            process.stdout.write(`all ${mine.reduce((n, s) => n + s.desired, 0)} replicas running\n`);
            return;
          }
          for (const s of mine) for (const p of unplacedOf(s)) process.stdout.write(`  pending ${s.name}.${p.replica}: ${p.reason}\n`);
          throw new CliError(`${pending} replica(s) could not be placed yet; they stay pending and are placed when capacity appears`, 1);
        }
        if (Number(o.timeout) > 0 && Date.now() > deadline) throw new CliError(`timed out after ${o.timeout}s: ${line}; see \`baton ps\``, 1);
        await new Promise((r) => setTimeout(r, 300));
      }
    });

  program
    .command('scale')
    .description('set replicas: web=5 (absolute), web=+6 or web=-2 (relative)')
    .argument('<service=replicas...>')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (specs: string[], o: ConnectionOptions) => {
      const conn = resolveConnection(o);
      for (const spec of specs) {
        const m = /^([^=]+)=([+-]?\d+)$/.exec(spec);
        if (!m) throw new CliError(`"${spec}" is not SERVICE=N, SERVICE=+N or SERVICE=-N`, EXIT_BAD_INPUT);
        const r = await unary<object, ScaleResponse__Output>(conn, (c, q, opts, cb) => c.Scale(q, opts, cb), { service: m[1], replicas: m[2] }, 30_000);
        process.stdout.write(`${r.stack}/${r.service}: ${r.from} -> ${r.to}\n`);
        for (const u of r.unplaced) process.stdout.write(`  pending ${u.service}.${u.replica}: ${u.reason}\n`);
      }
    });

  program
    .command('rm')
    .description('stop and remove a service (or a whole stack with --stack)')
    .argument('[service]')
    .option('--stack <name>', 'remove every service of this stack')
    .option('--volumes', "with --stack: also remove the stack's named volumes on every node (kept by default, as docker stack rm does); also for a stack removed before")
    .option('--timeout <seconds>', 'with --volumes: how long to wait for the connected nodes to remove them (0: as long as it takes)', '120')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string | undefined, o: { stack?: string; volumes?: boolean; timeout: string } & ConnectionOptions) => {
      if (!service && !o.stack) throw new CliError('name a service or --stack NAME', EXIT_BAD_INPUT);
      if (o.volumes && (service || !o.stack)) throw new CliError('--volumes goes with --stack NAME (named volumes belong to a stack), without a service', EXIT_BAD_INPUT);
      const timeout = Number(o.timeout);
      if (!Number.isFinite(timeout) || timeout < 0) throw new CliError(`--timeout: expected seconds >= 0, got ${JSON.stringify(o.timeout)}`, EXIT_BAD_INPUT);
      const conn = resolveConnection(o);
      // What the nodes report before, so the outcome can say what went.
      const before = o.volumes ? await listVolumes(conn, '', o.stack!) : undefined;
      const r = await unary<object, RemoveResponse__Output>(conn, (c, q, opts, cb) => c.Remove(q, opts, cb), { stack: o.stack ?? '', service: service ?? '', volumes: o.volumes === true }, 30_000);
      if (r.removed.length) process.stdout.write(`removed ${r.removed.join(', ')}; stopping ${r.stopping} replica(s)\n`);
      else if (o.volumes) process.stdout.write(`stack ${o.stack} is not deployed: removing the volumes it left\n`);
      if (before) {
        process.stdout.write(`removing the volumes of ${o.stack} on ${r.volume_nodes.length} node(s) once its containers are gone from each\n`);
        await awaitVolumeRemoval(conn, o.stack!, before, timeout);
      } else if (r.volumes_kept > 0) {
        process.stdout.write(`kept ${r.volumes_kept} volume(s) of ${o.stack} on the nodes (\`baton volume ls --stack ${o.stack}\`); to remove them: baton rm --stack ${o.stack} --volumes\n`);
      }
    });

  program
    .command('services')
    .description('list services: desired and running replicas, image, ports')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { json?: boolean } & ConnectionOptions) => {
      const services = await listServices(resolveConnection(o));
      const json = services.map((s: ServiceInfo__Output) => ({
        name: s.name, stack: s.stack, mode: s.mode || 'replicated', desired: s.desired, running: s.running, image: s.image, ports: s.ports, generation: s.generation,
        pending: s.pending.map((p) => ({ replica: p.replica, reason: p.reason, kind: p.kind })),
        // Only for services with a health check: a count of 0 would otherwise read as "all unhealthy".
        ...(s.health_checked ? { healthy: s.healthy } : {}),
        vip: s.vip,
        ...(s.autoscale ? { autoscale: { min: s.autoscale.min, max: s.autoscale.max, ...(s.autoscale.cpu_target_percent ? { cpuTargetPercent: s.autoscale.cpu_target_percent } : {}), ...(s.autoscale.memory_target_percent ? { memoryTargetPercent: s.autoscale.memory_target_percent } : {}) } } : {}),
        ingress: s.ingress.map((p) => ({ published: p.published, target: p.target, protocol: p.protocol, servingNodes: p.serving_nodes, nodes: p.nodes, endpoints: p.endpoints, problems: p.problems })),
      }));
      if (o.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      else if (!json.length) process.stdout.write('no services\n');
      else
        process.stdout.write(
          table(
            ['STACK', 'SERVICE', 'REPLICAS', 'HEALTH', 'IMAGE', 'PORTS', 'INGRESS'],
            json.map((s) => [s.stack, s.name, `${s.running}/${s.desired}${s.mode === 'global' ? ' (global)' : ''}${s.autoscale ? ` (auto ${s.autoscale.min}-${s.autoscale.max}, ${targetsText(s.autoscale)})` : ''}${replicaNote(s.pending)}`, s.healthy !== undefined ? `${s.healthy}/${s.desired} healthy` : '-', s.image, s.ports.join(','), ingressText(s.ingress)]),
          ) + '\n',
        );
      // A node that cannot serve a port says why, under the table (the column only counts).
      if (!o.json) for (const s of json) for (const p of s.ingress) for (const problem of p.problems) process.stdout.write(`${s.stack}/${s.name} ${p.published}/${p.protocol}: ${problem}\n`);
    });

  program
    .command('ps')
    .description('list replicas: node, container, state, uptime, restarts, CPU and memory')
    .argument('[service]')
    .option('--all', 'include replicas being stopped')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (service: string | undefined, o: { all?: boolean; json?: boolean } & ConnectionOptions) => {
      const replicas = await listReplicas(resolveConnection(o), service ?? '');
      const now = Date.now();
      const rows = replicas
        .filter((x) => o.all || x.desired === 'run')
        .map((x) => ({
          service: x.service, stack: x.stack, replica: x.replica, node: x.node, containerId: x.container_id.slice(0, 12), state: x.state,
          desired: x.desired, restarts: x.restarts, uptimeMs: x.since_ms ? now - x.since_ms : 0, cpuPercent: Math.round(x.cpu_percent * 10) / 10,
          memoryBytes: x.memory_bytes, allocationId: x.allocation_id, generation: x.generation, error: x.error,
          health: x.health || 'none', healthOutput: x.health_output,
        }));
      if (o.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      else if (!rows.length) process.stdout.write('no replicas\n');
      else
        process.stdout.write(
          table(
            ['SERVICE', 'REPLICA', 'NODE', 'CONTAINER', 'STATE', 'UPTIME', 'RESTARTS', 'CPU', 'MEMORY', 'ERROR'],
            rows.map((x) => [`${x.stack}/${x.service}`, String(x.replica), x.node || '-', x.containerId || '-', replicaStateText(x), x.uptimeMs ? humanAge(x.uptimeMs) : '-', String(x.restarts), `${x.cpuPercent}%`, formatBytes(x.memoryBytes), x.error || (x.health === 'unhealthy' ? x.healthOutput : '')]),
          ) + '\n',
        );
    });
}

/** `8080: 3/3 nodes, 2 endpoints` per ingress port; `-` without one. */
export function ingressText(ports: readonly { published: number; servingNodes: number; nodes: number; endpoints: number }[]): string {
  if (!ports.length) return '-';
  return ports.map((p) => `${p.published}: ${p.servingNodes}/${p.nodes} nodes, ${p.endpoints} endpoint${p.endpoints === 1 ? '' : 's'}`).join('; ');
}

/** ` (2 pending)`, or what the service waits for (` (waiting for db: 0/1 healthy)`). */
function replicaNote(pending: readonly { kind: string; reason: string }[]): string {
  const waiting = pending.find((p) => p.kind === 'waiting');
  if (waiting) return ` (${waiting.reason})`;
  return pending.length ? ` (${pending.length} pending)` : '';
}

/** `running (healthy)`, `running (health: starting)` as `docker ps` puts it; `exited (stopping)`. */
export function replicaStateText(x: { state: string; desired: string; health: string }): string {
  if (x.desired === 'stop') return `${x.state} (stopping)`;
  if (x.health === 'none') return x.state;
  return `${x.state} (${x.health === 'starting' ? 'health: starting' : x.health})`;
}
