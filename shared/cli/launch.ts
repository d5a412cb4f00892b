// The one seam between the CLI and the processes it launches: `baton coordinator`, `baton agent`,
// `baton dev` and the offline `baton plan --nodes`. The only file under shared/ that may import
// coordinator/ or agent/, and only lazily, so client commands and the agent load no more than they use.
import type { Command } from 'commander';
// Constants only (no coordinator code): the flags' defaults are the coordinator's own.
import { COORDINATOR_DEFAULTS } from '../../coordinator/defaults.js';
import { readInput, readReferencedFiles, stackNameFor } from './compose-file.js';
import { isNodeRole, type NodeRole } from '../model/node-role.js';
import { parseLabels } from './labels.js';

/** Runs until SIGINT/SIGTERM, then stops gracefully (a second signal exits at once). */
function untilSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`received ${sig}, stopping\n`);
    stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`error while stopping: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got "${v}"`);
    return n;
  };
}

/** `--role`: checked when the flag is read, before anything starts. */
export function nodeRoleOption(v: string): NodeRole {
  if (!isNodeRole(v)) throw new Error(`--role: expected manager or worker, got "${v}"`);
  return v;
}

/** The three daemon commands, in the order `baton --help` lists them. */
export function registerDaemons(program: Command): void {
  registerDev(program);
  registerCoordinator(program);
  registerAgent(program);
}

function registerDev(program: Command): void {
  program
    .command('dev')
    .description('run a coordinator and an agent in one process against the local Docker engine (data in ./.baton)')
    .option('-f, --file <compose.yaml>', 'deploy this Compose file once running')
    .option('--listen <host:port>', 'coordinator address', '127.0.0.1:7400')
    .option('--data-dir <dir>', 'where state is kept', './.baton')
    .option('--service-cidr <cidr>', 'IPv4 block service addresses (VIPs) come from', COORDINATOR_DEFAULTS.serviceCidr)
    .action(async (o: { file?: string; listen: string; dataDir: string; serviceCidr: string }) => {
      const { join } = await import('node:path');
      const { readFile } = await import('node:fs/promises');
      const { dockerFromEnv } = await import('../../agent/docker-observer.js');
      try {
        await dockerFromEnv().ping();
      } catch (err) {
        const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
        throw new Error(
          `no Docker engine answers at ${where} (${(err as Error).message}).\n` +
            `  Install it:  apt-get install -y docker.io\n` +
            `  Start it:    systemctl start docker   (or, without systemd: dockerd > /var/log/dockerd.log 2>&1 &)\n` +
            `  or run: bash scripts/quickstart.sh, which does both`,
        );
      }
      const { Coordinator } = await import('../../coordinator/coordinator.js');
      const { Agent } = await import('../../agent/agent.js');
      const { hostname } = await import('node:os');
      const c = await Coordinator.start({ listen: o.listen, dataDir: join(o.dataDir, 'coordinator'), metricsListen: '127.0.0.1:0', serviceCidr: o.serviceCidr, registerLocal: true });
      // Secure as any coordinator: the local agent joins with the token like any other.
      const agent = new Agent({ coordinator: `127.0.0.1:${c.address.port}`, name: hostname(), dataDir: join(o.dataDir, 'agent'), labels: { role: 'dev' }, token: c.authority?.joinToken() });
      await agent.start();
      process.stderr.write(`baton dev: coordinator on ${c.address.host}:${c.address.port}, agent ${agent.nodeId}, state in ${o.dataDir}\n`);
      untilSignal(async () => {
        await agent.stop('dev shutdown');
        await c.stop();
      });
      if (o.file) {
        const text = await readFile(o.file, 'utf8');
        // Wait for the local node before placing anything.
        for (let i = 0; i < 100 && !c.pool.list().some((n) => n.status === 'ready' && n.connected); i++) await new Promise((r) => setTimeout(r, 100));
        const stackName = stackNameFor(o.file, text, undefined) || undefined;
        const files = new Map(Object.entries(await readReferencedFiles(o.file, text, process.env)));
        const r = await c.stacks.deploy({ text, file: o.file, stackName, env: process.env, files });
        for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
        process.stderr.write(`deployed stack ${r.stack} (generation ${r.generation}): ${r.changes.map((x) => `${x.service} ${x.change}`).join(', ')}\n`);
        for (const u of r.unplaced) process.stderr.write(`  pending ${u.service}.${u.replica}: ${u.reason}\n`);
      }
    });
}

function registerCoordinator(program: Command): void {
  program
    .command('coordinator')
    .description('run the coordinator (node pool, scheduler, state)')
    .option('--listen <host:port>', 'address to listen on', COORDINATOR_DEFAULTS.listen)
    .option('--data-dir <dir>', 'where state is kept', COORDINATOR_DEFAULTS.dataDir)
    .option('--heartbeat-ms <ms>', 'report interval asked of agents', positiveInt('--heartbeat-ms'), COORDINATOR_DEFAULTS.heartbeatIntervalMs)
    .option('--suspect-after-ms <ms>', 'silence before a node is suspect', positiveInt('--suspect-after-ms'), COORDINATOR_DEFAULTS.suspectAfterMs)
    .option('--down-after-ms <ms>', 'silence before a node is down and evicted', positiveInt('--down-after-ms'), COORDINATOR_DEFAULTS.downAfterMs)
    .option('--metrics-listen <host:port>', 'serve Prometheus metrics at /metrics ("off" to disable)', '127.0.0.1:7401')
    .option('--service-cidr <cidr>', 'IPv4 block service addresses (VIPs) come from; a service keeps its address while it exists', COORDINATOR_DEFAULTS.serviceCidr)
    .option('--advertise-address <host[:port]>', 'address agents and operators reach this coordinator at (put in its certificate)')
    .option('--san <name>', 'another DNS name or IP address for its certificate (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--node-cert-ttl <duration>', 'lifetime of node certificates, renewed at 50-70% of it (e.g. 168h)', '168h')
    .option('--insecure', 'plaintext and no authentication: anyone who reaches the port may run containers on every node (never the default)')
    .option('--unhealthy-engine-after <duration>', 'a node whose engine is unreachable this long while its agent reports is unhealthy', '30s')
    .option('--unhealthy-disk-percent <n>', 'a node with more of its disk used is unhealthy', '95')
    .option('--unhealthy-memory-percent <n>', 'a node with more of its memory in use is unhealthy', '98')
    .option('--unhealthy-start-failures <n>', 'a node where replicas of this many different services failed within 10 min is unhealthy', '3')
    .option('--healthy-hold <duration>', 'how long an unhealthy node must be healthy before it takes work again', '60s')
    .action(async (o: { listen: string; dataDir: string; heartbeatMs: number; suspectAfterMs: number; downAfterMs: number; metricsListen: string; serviceCidr: string; advertiseAddress?: string; san: string[]; nodeCertTtl: string; insecure?: boolean; unhealthyEngineAfter: string; unhealthyDiskPercent: string; unhealthyMemoryPercent: string; unhealthyStartFailures: string; healthyHold: string }) => {
      const { Coordinator } = await import('../../coordinator/coordinator.js');
      const { parseDuration } = await import('../compose/units.js');
      const ttl = parseDuration(o.nodeCertTtl);
      if (!ttl.ok || ttl.value < 1000) throw new Error(`--node-cert-ttl: expected a duration of at least 1s, e.g. 168h${ttl.ok ? '' : ` (${ttl.error})`}`);
      const duration = (flag: string, v: string): number => {
        const d = parseDuration(v);
        if (!d.ok || d.value < 1000) throw new Error(`${flag}: expected a duration of at least 1s such as 30s, got "${v}"`);
        return d.value;
      };
      const percent = (flag: string, v: string): number => {
        const n = Number(v);
        if (!(n > 0 && n <= 100)) throw new Error(`${flag}: expected a percentage above 0 and at most 100, got "${v}"`);
        return n;
      };
      const failures = Number(o.unhealthyStartFailures);
      if (!(Number.isInteger(failures) && failures >= 2)) throw new Error(`--unhealthy-start-failures: expected a whole number of at least 2 (one broken service fails everywhere), got "${o.unhealthyStartFailures}"`);
      const nodeHealth = {
        engineDownMs: duration('--unhealthy-engine-after', o.unhealthyEngineAfter),
        diskPercent: percent('--unhealthy-disk-percent', o.unhealthyDiskPercent),
        memoryPercent: percent('--unhealthy-memory-percent', o.unhealthyMemoryPercent),
        startFailures: failures,
        healthyHoldMs: duration('--healthy-hold', o.healthyHold),
      };
      const c = await Coordinator.start({
        listen: o.listen,
        dataDir: o.dataDir,
        heartbeatIntervalMs: o.heartbeatMs,
        suspectAfterMs: o.suspectAfterMs,
        downAfterMs: o.downAfterMs,
        metricsListen: o.metricsListen === 'off' ? undefined : o.metricsListen,
        serviceCidr: o.serviceCidr,
        insecure: o.insecure === true,
        advertiseAddress: o.advertiseAddress,
        sans: o.san,
        nodeCertTtlMs: ttl.value,
        nodeHealth,
        registerLocal: true,
      });
      const metrics = c.metricsAddress ? `, metrics on http://${c.metricsAddress.host}:${c.metricsAddress.port}/metrics` : '';
      process.stderr.write(`baton coordinator listening on ${c.address.host}:${c.address.port}, state in ${c.store.file}${metrics}\n`);
      if (c.authority) {
        const where = o.advertiseAddress ?? `${c.address.host === '0.0.0.0' ? '<this host>' : c.address.host}:${c.address.port}`;
        process.stderr.write(`join token: ${c.authority.joinToken()}\n  on each host: baton agent --coordinator ${where} --token <token>   (\`baton token\` shows it again)\n`);
        process.stderr.write(`admin credential: ${c.adminCredentialFile} (found by the CLI on this host; copy it to ~/.baton/config elsewhere)\n`);
      } else process.stderr.write('WARNING: --insecure: no TLS, no authentication; anyone who reaches this port may run containers as root on every node\n');
      untilSignal(() => c.stop());
    });
}

/** `baton agent`; also the whole of the agent's own entry (agent-main.ts). */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('run the agent on this host')
    // Not a requiredOption: commander would then ask it of `baton agent install|uninstall` too.
    .option('--coordinator <host:port>', 'coordinator to join (required)')
    .option('--name <name>', 'node name (default: hostname)')
    .option('--labels <k=v,...>', 'node labels')
    .option('--role <manager|worker>', 'what node.role constraints match (default: manager when --coordinator is a loopback address, i.e. on the coordinator\'s host; else worker)', nodeRoleOption)
    .option('--data-dir <dir>', 'where the node identity is kept', './.baton-agent')
    .option('--advertise-address <addr>', 'address other hosts reach this node at (default: as the coordinator sees it)')
    .option('--cpus <cores>', 'CPU capacity to offer (default: all cores)')
    .option('--memory-bytes <bytes>', 'memory capacity to offer (default: all memory)')
    .option('--cleanup-ingress', 'delete the ingress rules (nftables table ip baton) when the agent stops (default: they stay, traffic keeps flowing)')
    .option('--token <token>', 'join token from `baton token` (only for the first start; the certificate it gets is kept in the data dir)', process.env.BATON_TOKEN)
    .option('--insecure', 'plaintext, no certificate: only against a coordinator started with --insecure')
    .action(async function (this: Command, o: { coordinator?: string; name?: string; labels?: string; role?: NodeRole; dataDir: string; advertiseAddress?: string; cpus?: string; memoryBytes?: string; cleanupIngress?: boolean; token?: string; insecure?: boolean }) {
      if (o.coordinator === undefined) this.error("error: required option '--coordinator <host:port>' not specified");
      const coordinator = o.coordinator!;
      const { Agent } = await import('../../agent/agent.js');
      const cpus = o.cpus === undefined ? undefined : Number(o.cpus);
      if (cpus !== undefined && !(cpus > 0)) throw new Error(`--cpus: expected a positive number, got "${o.cpus}"`);
      const mem = o.memoryBytes === undefined ? undefined : Number(o.memoryBytes);
      if (mem !== undefined && !(Number.isSafeInteger(mem) && mem > 0)) throw new Error(`--memory-bytes: expected a positive integer, got "${o.memoryBytes}"`);
      const agent = new Agent({
        coordinator,
        name: o.name,
        labels: parseLabels(o.labels),
        ...(o.role !== undefined ? { role: o.role } : {}),
        dataDir: o.dataDir,
        address: o.advertiseAddress,
        cpuMillis: cpus === undefined ? undefined : Math.round(cpus * 1000),
        memoryBytes: mem,
        cleanupIngress: o.cleanupIngress === true,
        token: o.token,
        insecure: o.insecure === true,
      });
      await agent.start();
      process.stderr.write(`baton agent ${agent.nodeId} joining ${coordinator}\n`);
      untilSignal(() => agent.stop('agent shutdown'));
    });
}

/** A plan as `baton plan` prints it, whether computed here or by a coordinator. */
export interface PlanOutput {
  json: unknown;
  text: string;
  warnings: string[];
  /** Every replica placed (exit 0; else 1). */
  complete: boolean;
}

/** `baton plan --nodes`: plans a Compose file against the nodes described in a file. Bad input is a CliError with exit 2. */
export async function planOffline(o: { text: string; file: string; stackName: string; nodesFile: string }): Promise<PlanOutput> {
  // The parser and scheduler load only for offline plans (the live one runs them remotely).
  const { offlineNodes, planCompose } = await import('../../coordinator/plan-compose.js');
  const { formatIssue, formatRefusal, parseNodesFile } = await import('../compose/index.js');
  const { CliError, EXIT_BAD_INPUT } = await import('./client.js');
  const nodesText = await readInput(o.nodesFile, 'nodes file');
  const nodes = parseNodesFile(nodesText, { file: o.nodesFile });
  if (!nodes.ok) throw new CliError(formatRefusal(nodes.errors.map(formatIssue), nodes.warnings.map(formatIssue)), EXIT_BAD_INPUT);
  const files = new Map(Object.entries(await readReferencedFiles(o.file, o.text, process.env)));
  const r = planCompose({ text: o.text, file: o.file, env: process.env, files, stackName: o.stackName, nodes: offlineNodes(nodes.nodes) });
  if (!r.ok) throw new CliError(formatRefusal(r.errors, [...nodes.warnings.map(formatIssue), ...r.warnings]), EXIT_BAD_INPUT);
  return { json: r.json, text: r.text, warnings: [...nodes.warnings.map(formatIssue), ...r.warnings], complete: r.exitCode === 0 };
}
