// Proves the multi-host testbed on real parts: separate engines per host, real reachability in
// both directions, a cut() that is truly silent, engine kill/restart, and clean-up that leaves
// nothing behind, including after the owning process is killed.
import t, { type Test } from 'tap';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { claimFile, isAlive, mountsUnder } from '../fixtures/testbed-cleanup.js';
import { Testbed, cleanupStale, type TestbedHost } from '../fixtures/testbed.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

function sh(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8' }, (err, stdout) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout });
    });
  });
}

type HttpResult = { status: number; body: string } | { error: string };

function httpGet(url: string, timeoutMs: number): Promise<HttpResult> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ error: 'timeout' });
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

/** A TCP server in the root namespace that records what each connection saw. */
interface Conn {
  remote: string;
  data: string;
  events: string[];
  socket: Socket;
}

async function recordingServer(): Promise<{ port: number; conns: Conn[]; close(): void }> {
  const conns: Conn[] = [];
  const server = createServer((socket) => {
    const conn: Conn = { remote: socket.remoteAddress ?? '', data: '', events: [], socket };
    conns.push(conn);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (conn.data += chunk));
    socket.on('end', () => conn.events.push('end'));
    socket.on('close', () => conn.events.push('close'));
    socket.on('error', (err: NodeJS.ErrnoException) => conn.events.push(`error:${err.code}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    conns,
    close: () => {
      for (const c of conns) c.socket.destroy();
      server.close();
    },
  };
}

/** `busybox nc` inside a host, with its output collected; the nearest thing to an agent's socket. */
function ncFrom(host: TestbedHost, address: string, port: number): { child: ChildProcess; out: () => string } {
  const child = host.spawn('busybox', ['nc', address, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return { child, out: () => out };
}

const skip = await testbedSkip(t);

t.test('testbed on real namespaces and engines', { skip }, async (t) => {
  const startedAt = Date.now();
  const tb = await Testbed.start({ hosts: 3, t });
  t.comment(`Testbed.start({ hosts: 3 }) took ${Date.now() - startedAt} ms (${tb.name})`);
  t.equal(tb.hosts.length, 3);
  t.equal(tb.state, 'running');
  const [h1, h2, h3] = [tb.host(1), tb.host(2), tb.host(3)];

  await t.test('each host has its own engine', async (t) => {
    const ids = await Promise.all(tb.hosts.map(async (h) => (await h.docker(['info', '--format', '{{.ID}}'])).stdout.trim()));
    const rootId = (await sh('docker', ['info', '--format', '{{.ID}}'])).stdout.trim();
    t.equal(new Set([...ids, rootId]).size, 4, `engine IDs differ: ${[...ids, rootId].join(' ')}`);

    const created = await h1.docker(['create', '--name', 'only-on-h1', TEST_IMAGE, 'true']);
    t.equal(created.code, 0, 'container created on h1');
    const onH1 = await h1.docker(['ps', '-a', '-q', '--filter', 'name=^only-on-h1$']);
    const onH2 = await h2.docker(['ps', '-a', '-q', '--filter', 'name=^only-on-h1$']);
    t.not(onH1.stdout.trim(), '', 'visible on h1');
    t.equal(onH2.stdout.trim(), '', 'invisible on h2');

    for (const h of tb.hosts) {
      const image = await h.docker(['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE]);
      t.equal(image.code, 0, `${h.name} was seeded with ${TEST_IMAGE}`);
    }
  });

  await t.test('an httpd container on each host is reachable at the host IP', async (t) => {
    const started = await Promise.all(
      tb.hosts.map((h) =>
        h.docker([
          'run', '-d', '--name', 'web', '-p', '8080:80', '-e', `BT_HOST=${h.name}`, TEST_IMAGE,
          'sh', '-c', 'mkdir -p /tmp/www && echo "$BT_HOST" > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www',
        ]),
      ),
    );
    for (const r of started) t.equal(r.code, 0, 'web container started');
    for (const h of tb.hosts) {
      let result: HttpResult = { error: 'not tried' };
      await waitFor(`httpd on ${h.name}`, async () => {
        result = await httpGet(`http://${h.ip}:8080/`, 1000);
        return 'status' in result;
      });
      t.same(result, { status: 200, body: `${h.name}\n` }, `root namespace reaches ${h.name}'s container`);
      const ps = await h.docker(['ps', '--format', '{{.Names}}']);
      t.equal(ps.stdout.trim(), 'web', `docker ps on ${h.name} shows only its own container`);
    }
  });

  await t.test('hosts reach each other across the bridge', async (t) => {
    const r = await h2.exec('busybox', ['nc', h1.ip, '8080'], { input: 'GET / HTTP/1.0\r\n\r\n', timeoutMs: 5000 });
    t.match(r.stdout, `${h1.name}\n`, 'h2 fetched h1 container page');
  });

  await t.test('spawned processes run in the host namespace against the host engine', async (t) => {
    const child = h1.spawn('sh', ['-c', 'echo "$DOCKER_HOST"; docker info --format "{{.ID}}"; ip -4 -o addr show dev eth0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    t.equal(code, 0);
    const [dockerHost, engineId, addr] = out.trim().split('\n');
    t.equal(dockerHost, h1.dockerHost, 'DOCKER_HOST is the host engine');
    t.equal(engineId, (await h1.docker(['info', '--format', '{{.ID}}'])).stdout.trim(), 'docker CLI reaches that engine');
    t.match(addr ?? '', ` ${h1.ip}/24 `, 'eth0 carries the host IP');
  });

  await t.test('a root-namespace server is reachable from hosts and their containers', async (t) => {
    const server = await recordingServer();
    t.teardown(server.close);
    const nc = ncFrom(h1, tb.coordinatorAddress, server.port);
    t.teardown(() => nc.child.kill('SIGKILL'));
    nc.child.stdin?.write('hello from h1\n');
    await waitFor('data from h1', () => server.conns.some((c) => c.data === 'hello from h1\n'));
    t.equal(server.conns[0]?.remote, h1.ip, 'host connects from its own IP');

    const fromContainer = await h2.docker([
      'run', '--rm', TEST_IMAGE, 'sh', '-c', `echo from-container | nc ${tb.coordinatorAddress} ${server.port}`,
    ]);
    t.equal(fromContainer.code, 0, fromContainer.stderr);
    await waitFor('data from container', () => server.conns.some((c) => c.data === 'from-container\n'));
    t.equal(server.conns.find((c) => c.data === 'from-container\n')?.remote, h2.ip, 'container is masqueraded to its host IP');
  });

  await t.test('cut() makes the link silent both ways; restore() heals it', async (t) => {
    const server = await recordingServer();
    t.teardown(server.close);
    const established = ncFrom(h1, tb.coordinatorAddress, server.port);
    t.teardown(() => established.child.kill('SIGKILL'));
    established.child.stdin?.write('before\n');
    await waitFor('first connection', () => server.conns[0]?.data === 'before\n');
    const conn = server.conns[0];
    if (conn === undefined) throw new Error('no connection');
    conn.socket.write('reply-before\n');
    await waitFor('reply at host', () => established.out().includes('reply-before'));

    await h1.cut();
    t.ok(h1.isCut);
    established.child.stdin?.write('during\n');
    conn.socket.write('reply-during\n');
    const duringConnect = ncFrom(h1, tb.coordinatorAddress, server.port);
    t.teardown(() => duringConnect.child.kill('SIGKILL'));
    const [toCutHost, toOtherHost] = await Promise.all([
      httpGet(`http://${h1.ip}:8080/`, 3000),
      httpGet(`http://${h2.ip}:8080/`, 3000),
      sleep(3000),
    ]);

    t.equal(conn.data, 'before\n', 'nothing the host sent arrived');
    t.same(conn.events, [], 'server saw no FIN, RST or error');
    t.notMatch(established.out(), 'reply-during', 'nothing the server sent arrived');
    t.equal(established.child.exitCode, null, 'host-side client saw no error and is still waiting');
    t.equal(server.conns.length, 1, 'a new connection from the cut host never arrived');
    t.equal(duringConnect.child.exitCode, null, 'its connect hangs rather than failing (no EHOSTUNREACH)');
    t.same(toCutHost, { error: 'timeout' }, 'root to cut host times out rather than being refused');
    t.same(toOtherHost, { status: 200, body: `${h2.name}\n` }, 'other hosts are unaffected');

    await h1.restore();
    t.notOk(h1.isCut);
    const after = ncFrom(h1, tb.coordinatorAddress, server.port);
    t.teardown(() => after.child.kill('SIGKILL'));
    after.child.stdin?.write('after\n');
    await waitFor('connection after restore', () => server.conns.some((c) => c.data === 'after\n'));
    t.same(await httpGet(`http://${h1.ip}:8080/`, 3000), { status: 200, body: `${h1.name}\n` }, 'root reaches h1 again');
  });

  await t.test('killEngine() and startEngine() on the same data root', async (t) => {
    // Without live-restore a restarted dockerd stops the containers it finds running, waiting their
    // stop timeout (10 s for an httpd that ignores SIGTERM as pid 1); remove it to keep this quick.
    t.equal((await h3.docker(['rm', '-f', 'web'])).code, 0);
    const id = (await h3.docker(['info', '--format', '{{.ID}}'])).stdout.trim();
    const pid = h3.enginePid;
    await h3.killEngine();
    t.equal(h3.enginePid, undefined);
    t.notOk(pid !== undefined && isAlive(pid), 'dockerd is gone');
    t.not((await h3.docker(['info'], { timeoutMs: 5000 })).code, 0, 'engine no longer answers');
    await h3.startEngine();
    t.equal((await h3.docker(['info', '--format', '{{.ID}}'])).stdout.trim(), id, 'same engine identity after restart');
    t.equal((await h3.docker(['image', 'inspect', TEST_IMAGE])).code, 0, 'image survived');
  });

  await t.test('stop() leaves nothing behind', async (t) => {
    const sleeper = h2.spawn('sleep', ['1000']);
    const sleeperPid = sleeper.pid;
    const stopAt = Date.now();
    await tb.stop();
    t.comment(`stop() took ${Date.now() - stopAt} ms`);
    t.equal(tb.state, 'stopped');
    t.notOk(sleeperPid !== undefined && isAlive(sleeperPid), 'spawned process killed');
    await assertNothingLeft(t, tb.name, tb.dir, tb.slot);
  });
});

t.test('cleanupStale() removes what a killed run left behind', { skip }, async (t) => {
  const fixture = fileURLToPath(new URL('../fixtures/testbed.ts', import.meta.url));
  // A prefix of this process's own: cleanupStale in a concurrent run must not sweep our crash first.
  const prefix = 'x' + String(process.pid % 10_000_000).replace(/\d/g, (d) => 'abcdefghij'[Number(d)] ?? 'z');
  // A separate process owns the testbed and is SIGKILLed, so none of its clean-up runs.
  const script = `
    import { Testbed } from ${JSON.stringify(fixture)};
    const tb = await Testbed.start({ hosts: 1, prefix: ${JSON.stringify(prefix)} });
    const h = tb.host(1);
    h.spawn('sleep', ['1000']);
    const run = await h.docker(['run', '-d', ${JSON.stringify(TEST_IMAGE)}, 'sleep', '1000']);
    if (run.code !== 0) throw new Error(run.stderr);
    console.log(JSON.stringify({ name: tb.name, dir: tb.dir, slot: tb.slot, container: run.stdout.trim() }));
    setInterval(() => {}, 1000);
  `;
  const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => owner.kill('SIGKILL'));
  let out = '';
  owner.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  await waitFor('crash fixture to start', () => out.includes('\n'), 60_000);
  const run = JSON.parse(out) as { name: string; dir: string; slot: number; container: string };
  owner.kill('SIGKILL');
  await new Promise((resolve) => owner.once('exit', resolve));

  t.ok(existsSync(`/var/run/netns/${run.name}-h1`), 'namespace left behind by the killed run');
  t.ok(processesMentioning(run.dir).length > 0, 'engine left behind by the killed run');
  t.ok(containerProcesses(run.container).length > 0, 'container left running by the killed run');

  t.same(cleanupStale(prefix), [run.name], 'stale run found');
  t.same(containerProcesses(run.container), [], 'container processes killed');
  await assertNothingLeft(t, run.name, run.dir, run.slot);
});

function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text) && isAlive(Number(p));
      } catch {
        return false;
      }
    })
    .map(Number);
}

function containerProcesses(id: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(id) && isAlive(Number(p));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function assertNothingLeft(t: Test, name: string, dir: string, slot: number): Promise<void> {
  const netns = (await sh('ip', ['netns', 'list'])).stdout;
  t.notMatch(netns, `${name}-`, 'no namespaces left');
  t.same(readdirSync('/sys/class/net').filter((l) => l.startsWith(`${name}-`)), [], 'no veths or bridge left');
  t.same(processesMentioning(dir + '/'), [], 'no engine, containerd or shim left');
  t.same(mountsUnder(dir), [], 'no mounts left');
  t.notOk(existsSync(dir), 'run directory removed');
  t.notOk(existsSync(claimFile(slot)), 'slot released');
  const rules = (await sh('iptables', ['-S', 'FORWARD'])).stdout + (await sh('iptables', ['-t', 'raw', '-S'])).stdout;
  t.notMatch(rules, `baton-testbed:${name}`, 'no iptables rules left');
}
