// `baton agent install|uninstall` and `baton coordinator install|uninstall`: run Baton on a host as
// a systemd service, as Nomad's and k3s's install steps do. A unit with Restart=always, the data dir
// under /var/lib/baton (StateDirectory), logs to the journal; the join token goes in an
// owner-only environment file, never on the unit's command line (which `ps` and `systemctl status`
// show). Where systemd is not running (a container, a chroot), the files are written and the
// command says how to start them. Uninstalling leaves the containers running (as stopping the agent
// does) unless --purge, which also removes Baton's containers and the data dir.
import type { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABEL_MANAGED } from '../../model/labels.js';
import { CliError, EXIT_BAD_INPUT } from '../client.js';

export type DaemonKind = 'agent' | 'coordinator';

export interface UnitOptions {
  readonly kind: DaemonKind;
  /** The program and its first arguments: [node, main.js] or [main.js]. */
  readonly exec: readonly string[];
  /** Arguments after `agent` / `coordinator`. */
  readonly args: readonly string[];
  /** Where the environment file is (it holds BATON_TOKEN for an agent). */
  readonly envFile: string;
}

export const UNIT_DIR = '/etc/systemd/system';
export const ENV_DIR = '/etc/baton';
export const DATA_ROOT = '/var/lib/baton';

export const unitName = (kind: DaemonKind) => `baton-${kind}.service`;

/** systemd's quoting for one ExecStart word: bare when safe, else double-quoted with \ and " escaped. */
function execWord(w: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$').replace(/%/g, '%%')}"`;
}

/** The unit file's text. Pure. */
export function renderUnit(o: UnitOptions): string {
  const agent = o.kind === 'agent';
  return `# Written by \`baton ${o.kind} install\`; \`baton ${o.kind} uninstall\` removes it.
[Unit]
Description=Baton ${o.kind}
After=network-online.target${agent ? ' docker.service' : ''}
Wants=network-online.target

[Service]
Type=simple
EnvironmentFile=-${o.envFile}
ExecStart=${[...o.exec, o.kind, ...o.args].map(execWord).join(' ')}
Restart=always
RestartSec=2s
# /var/lib/baton, made by systemd; the ${o.kind}'s data dir is under it.
StateDirectory=baton
StateDirectoryMode=0700
StandardOutput=journal
StandardError=journal
LimitNOFILE=65536
${agent ? '# Stopping the agent leaves its containers running (Docker keeps them); only the agent stops.\nKillMode=mixed\n' : ''}TimeoutStopSec=30s

[Install]
WantedBy=multi-user.target
`;
}

/** An environment file's text: KEY=value lines, values quoted for systemd. Pure. */
export function renderEnvFile(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n`)
    .join('');
}

/** The command the unit runs: main.js itself when it is executable (its /bin/sh header adds the agent's V8 flags), else node main.js. */
function execCommand(): string[] {
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  if (!existsSync(main)) throw new CliError(`cannot find the baton program at ${main}: run \`npm run build\` first`, EXIT_BAD_INPUT);
  try {
    execFileSync('test', ['-x', main]);
    return [main];
  } catch {
    return [process.execPath, main];
  }
}

/** systemctl is run only where systemd is PID 1 and the unit is in systemd's own directory (not a test's). */
function managesSystemd(unitDir: string): boolean {
  return existsSync('/run/systemd/system') && unitDir === UNIT_DIR;
}

function systemctl(...args: string[]): void {
  execFileSync('systemctl', args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

interface InstallFlags {
  unitDir: string;
  envDir: string;
  dataDir: string;
  start: boolean;
}

async function install(kind: DaemonKind, args: string[], env: Record<string, string>, f: InstallFlags, out: (line: string) => void): Promise<void> {
  const unitPath = join(f.unitDir, unitName(kind));
  const envFile = join(f.envDir, `${kind}.env`);
  await mkdir(f.unitDir, { recursive: true });
  await mkdir(f.envDir, { recursive: true, mode: 0o700 });
  await writeFile(envFile, renderEnvFile(env), { mode: 0o600 });
  await chmod(envFile, 0o600);
  out(`wrote ${envFile} (owner-only${env['BATON_TOKEN'] ? ': holds the join token' : ''})`);
  await writeFile(unitPath, renderUnit({ kind, exec: execCommand(), args, envFile }), { mode: 0o644 });
  out(`wrote ${unitPath}`);
  if (!f.start) {
    out(`not started (--no-start): systemctl daemon-reload && systemctl enable --now ${unitName(kind)}`);
    return;
  }
  if (!managesSystemd(f.unitDir)) {
    out(`systemd is not running on this host (or the unit is outside ${UNIT_DIR}): start it with \`systemctl enable --now ${unitName(kind)}\` where it runs, or run \`baton ${kind} ${args.join(' ')}\` by hand`);
    return;
  }
  systemctl('daemon-reload');
  systemctl('enable', '--now', unitName(kind));
  out(`enabled and started ${unitName(kind)}; logs: journalctl -u ${unitName(kind)}`);
}

async function uninstall(kind: DaemonKind, f: Omit<InstallFlags, 'start'> & { purge: boolean }, out: (line: string) => void): Promise<void> {
  const unitPath = join(f.unitDir, unitName(kind));
  if (managesSystemd(f.unitDir) && existsSync(unitPath)) {
    try {
      systemctl('disable', '--now', unitName(kind));
      out(`stopped and disabled ${unitName(kind)}`);
    } catch (err) {
      out(`could not stop ${unitName(kind)}: ${(err as Error).message}`);
    }
  }
  for (const p of [unitPath, join(f.envDir, `${kind}.env`)]) {
    if (!existsSync(p)) continue;
    await rm(p, { force: true });
    out(`removed ${p}`);
  }
  if (managesSystemd(f.unitDir)) systemctl('daemon-reload');
  if (!f.purge) {
    if (kind === 'agent') out("containers Baton started are left running (docker ps --filter label=io.baton.managed=true); --purge removes them");
    return;
  }
  if (kind === 'agent') {
    const { default: Docker } = await import('dockerode');
    const docker = new Docker();
    const mine = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } }).catch((err: Error) => {
      out(`could not list containers: ${err.message}`);
      return [];
    });
    for (const c of mine) {
      await docker.getContainer(c.Id).remove({ force: true }).then(
        () => out(`removed container ${c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)}`),
        (err: Error) => out(`could not remove container ${c.Id.slice(0, 12)}: ${err.message}`),
      );
    }
  }
  await rm(f.dataDir, { recursive: true, force: true });
  out(`removed ${f.dataDir}`);
}

const unitFlags = (c: Command, kind: DaemonKind) =>
  c
    .option('--unit-dir <dir>', 'where the unit file goes', UNIT_DIR)
    .option('--env-dir <dir>', 'where its environment file goes', ENV_DIR)
    .option('--data-dir <dir>', `the ${kind}'s data dir`, join(DATA_ROOT, kind));

/** Adds `install` and `uninstall` under the `agent` and `coordinator` commands of a full program. */
export function registerInstall(program: Command): void {
  // Options after `install` are install's (`--coordinator` is an option of both `agent` and `agent
  // install`): commander needs positional options from the root down for that. The root has none.
  program.enablePositionalOptions();
  const find = (name: string) => {
    const c = program.commands.find((x) => x.name() === name);
    if (!c) throw new Error(`registerInstall: no ${name} command`);
    return c.enablePositionalOptions();
  };
  const out = (line: string) => process.stdout.write(`${line}\n`);

  unitFlags(
    find('agent')
      .command('install')
      .description('run the agent on this host as a systemd service (baton-agent.service)')
      .requiredOption('--coordinator <host:port>', 'coordinator to join')
      .option('--token <token>', 'join token from `baton token` (kept in an owner-only file, not in the unit)', process.env.BATON_TOKEN)
      .option('--name <name>', 'node name (default: hostname)')
      .option('--labels <k=v,...>', 'node labels')
      .option('--role <manager|worker>', 'node role')
      .option('--no-start', 'write the files only'),
    'agent',
  ).action(async (o: { coordinator: string; token?: string; name?: string; labels?: string; role?: string; unitDir: string; envDir: string; dataDir: string; start: boolean }) => {
    const args = ['--coordinator', o.coordinator, '--data-dir', o.dataDir];
    if (o.name) args.push('--name', o.name);
    if (o.labels) args.push('--labels', o.labels);
    if (o.role) {
      if (o.role !== 'manager' && o.role !== 'worker') throw new CliError(`--role: expected manager or worker, got "${o.role}"`, EXIT_BAD_INPUT);
      args.push('--role', o.role);
    }
    await install('agent', args, o.token ? { BATON_TOKEN: o.token } : {}, o, out);
  });
  unitFlags(
    find('agent')
      .command('uninstall')
      .description('stop and remove baton-agent.service (containers keep running unless --purge)')
      .option('--purge', "also remove Baton's containers and the agent's data dir"),
    'agent',
  ).action(async (o: { unitDir: string; envDir: string; dataDir: string; purge?: boolean }) => uninstall('agent', { ...o, purge: o.purge === true }, out));

  unitFlags(
    find('coordinator')
      .command('install')
      .description('run the coordinator on this host as a systemd service (baton-coordinator.service)')
      .option('--listen <host:port>', 'address to listen on', '0.0.0.0:7400')
      .option('--advertise-address <host[:port]>', 'address agents and operators reach it at (put in its certificate)')
      .option('--no-start', 'write the files only'),
    'coordinator',
  ).action(async (o: { listen: string; advertiseAddress?: string; unitDir: string; envDir: string; dataDir: string; start: boolean }) => {
    const args = ['--listen', o.listen, '--data-dir', o.dataDir];
    if (o.advertiseAddress) args.push('--advertise-address', o.advertiseAddress);
    await install('coordinator', args, {}, o, out);
  });
  unitFlags(
    find('coordinator')
      .command('uninstall')
      .description('stop and remove baton-coordinator.service (its state stays unless --purge)')
      .option('--purge', "also remove the coordinator's data dir (its state, CA and keys)"),
    'coordinator',
  ).action(async (o: { unitDir: string; envDir: string; dataDir: string; purge?: boolean }) => uninstall('coordinator', { ...o, purge: o.purge === true }, out));
}
