// Issue 13: `baton agent install|uninstall` and `baton coordinator install|uninstall` write systemd
// units that systemd's own checker accepts (`systemd-analyze verify`), keep the join token out of the
// unit in an owner-only file, and uninstall removes what install wrote; `--purge` also removes
// Baton's containers from the real engine and the data dir. Run with --no-start and temporary
// directories: systemctl is only run for units in /etc/systemd/system on a host where systemd runs.
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderUnit } from '../../shared/cli/commands/install.js';
import { TEST_IMAGE, dockerSkip } from '../fixtures/docker-env.js';
import { runBaton } from '../fixtures/processes.js';

const inCi = process.env.CI === 'true';
const analyzer = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const verifySkip = analyzer.status === 0 ? false : 'systemd-analyze is not installed (apt-get install systemd)';
if (verifySkip && inCi) t.fail(`required in CI: ${verifySkip}`);

/** systemd-analyze verify on one unit: exit code and what it said. */
function verify(unit: string): { code: number | null; out: string } {
  const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

t.test('agent install: a unit systemd accepts, the token in an owner-only file, uninstall removes both', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-install-'));
  const dirs = ['--unit-dir', join(dir, 'units'), '--env-dir', join(dir, 'etc'), '--data-dir', join(dir, 'data')];
  const r = await runBaton(['agent', 'install', '--coordinator', '10.9.0.1:7400', '--token', 'BTN-secret-token', '--name', 'edge-1', '--labels', 'zone=a,rack=r2', '--role', 'worker', '--no-start', ...dirs]);
  t.equal(r.code, 0, r.stderr);
  const unitPath = join(dir, 'units', 'baton-agent.service');
  const envPath = join(dir, 'etc', 'agent.env');
  t.match(r.stdout, `wrote ${unitPath}`);
  t.match(r.stdout, 'not started (--no-start)');
  const unit = await readFile(unitPath, 'utf8');
  t.match(unit, /^ExecStart=\S+main\.js agent --coordinator 10\.9\.0\.1:7400 --data-dir \S+\/data --name edge-1 --labels zone=a,rack=r2 --role worker$/m);
  t.match(unit, /^Restart=always$/m);
  t.match(unit, /^StandardOutput=journal$/m);
  t.match(unit, /^WantedBy=multi-user\.target$/m);
  t.match(unit, `EnvironmentFile=-${envPath}`);
  t.notMatch(unit, 'BTN-secret-token', 'the token is not in the unit (ps and systemctl status show its command line)');
  t.equal(await readFile(envPath, 'utf8'), 'BATON_TOKEN="BTN-secret-token"\n');
  t.equal((await stat(envPath)).mode & 0o777, 0o600, 'owner-only');
  await t.test('systemd-analyze verify accepts it', { skip: verifySkip }, async (t) => {
    const v = verify(unitPath);
    t.equal(v.code, 0, v.out);
  });

  const u = await runBaton(['agent', 'uninstall', ...dirs]);
  t.equal(u.code, 0, u.stderr);
  t.notOk(existsSync(unitPath), 'unit removed');
  t.notOk(existsSync(envPath), 'environment file removed');
  t.match(u.stdout, 'containers Baton started are left running');
});

t.test('coordinator install: a unit systemd accepts; bad input is refused naming the flag', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-install-'));
  const dirs = ['--unit-dir', join(dir, 'units'), '--env-dir', join(dir, 'etc'), '--data-dir', join(dir, 'data')];
  const r = await runBaton(['coordinator', 'install', '--listen', '0.0.0.0:7500', '--advertise-address', 'coord.example:7500', '--no-start', ...dirs]);
  t.equal(r.code, 0, r.stderr);
  const unit = await readFile(join(dir, 'units', 'baton-coordinator.service'), 'utf8');
  t.match(unit, /^ExecStart=\S+main\.js coordinator --listen 0\.0\.0\.0:7500 --data-dir \S+\/data --advertise-address coord\.example:7500$/m);
  await t.test('systemd-analyze verify accepts it', { skip: verifySkip }, async (t) => {
    const v = verify(join(dir, 'units', 'baton-coordinator.service'));
    t.equal(v.code, 0, v.out);
  });
  const bad = await runBaton(['agent', 'install', '--coordinator', '10.9.0.1:7400', '--role', 'boss', '--no-start', ...dirs]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, '--role: expected manager or worker, got "boss"');
  const missing = await runBaton(['agent', 'install', '--no-start', ...dirs]);
  t.not(missing.code, 0);
  t.match(missing.stderr, "required option '--coordinator <host:port>' not specified");
});

t.test('renderUnit quotes what systemd would split, and systemd accepts the result', { skip: verifySkip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-install-'));
  const text = renderUnit({ kind: 'agent', exec: [process.execPath, '/opt/baton/main.js'], args: ['--name', 'a b', '--labels', 'note=50%$HOME'], envFile: '/etc/baton/agent.env' });
  t.match(text, /^ExecStart=\S+ \/opt\/baton\/main\.js agent --name "a b" --labels "note=50%%\$\$HOME"$/m, 'space quoted, % and $ doubled as systemd wants');
  await writeFile(join(dir, 'baton-agent.service'), text);
  // verify checks that ExecStart's program exists: node does; /opt/baton/main.js is an argument.
  const v = verify(join(dir, 'baton-agent.service'));
  t.equal(v.code, 0, v.out);
});

const noDocker = await dockerSkip(t);

t.test('agent uninstall --purge removes Baton containers from the engine and the data dir', { skip: noDocker }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-install-'));
  const data = join(dir, 'data');
  await mkdir(data, { recursive: true });
  await writeFile(join(data, 'node.json'), '{}');
  const name = `baton-purge-${process.pid}`;
  const other = `not-baton-${process.pid}`;
  execFileSync('docker', ['run', '-d', '--name', name, '--label', 'io.baton.managed=true', TEST_IMAGE, 'sleep', '60']);
  execFileSync('docker', ['run', '-d', '--name', other, TEST_IMAGE, 'sleep', '60']);
  t.teardown(() => void spawnSync('docker', ['rm', '-f', name, other]));
  const u = await runBaton(['agent', 'uninstall', '--purge', '--unit-dir', join(dir, 'units'), '--env-dir', join(dir, 'etc'), '--data-dir', data]);
  t.equal(u.code, 0, u.stderr);
  t.match(u.stdout, `removed container ${name}`);
  const left = execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' }).split('\n');
  t.notOk(left.includes(name), "Baton's container is gone from the engine");
  t.ok(left.includes(other), 'a container without Baton\'s label is left alone');
  t.notOk(existsSync(data), 'data dir removed');
});
