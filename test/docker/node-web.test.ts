// The baton/node-web:test image and the traffic client on the root engine, no Baton involved: the
// image names the replica that answers, keep-alive connections are really reused, and a SIGTERM
// under traffic loses no request (it answers with Connection: close and exits 0 once idle). The
// ingress tests rely on both behaving so: a failure there must be the ingress's, not theirs.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { Agent, get } from 'node:http';
import { NODE_WEB_IMAGE, dockerSkip } from '../fixtures/docker-env.js';
import { sleep, waitFor } from '../fixtures/processes.js';
import { describeFailures, startTraffic } from '../fixtures/traffic-client.js';

const skip = await dockerSkip(t);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const name = `nodeweb${process.pid}`;

/** One GET (on `agent`'s connections if given); the response's Connection header and body. */
function fetchOnce(url: string, agent?: Agent): Promise<{ connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, agent ? { agent } : {}, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ connection: res.headers.connection, body }));
    }).on('error', reject);
  });
}

t.test('node-web image with the traffic client', { skip }, async (t) => {
  try {
    docker('image', 'inspect', NODE_WEB_IMAGE);
  } catch {
    t.fail(`image ${NODE_WEB_IMAGE} missing (run scripts/ci-setup.sh)`);
    return;
  }
  const ids = [1, 2].map((i) => docker('run', '-d', '--name', `${name}-${i}`, '-e', `VERSION=v${i}`, NODE_WEB_IMAGE));
  t.teardown(() => void docker('rm', '-f', ...ids));
  const ips = ids.map((id) => docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id));
  const targets = ips.map((ip) => `http://${ip}:8080`);
  await waitFor('both answer', async () => (await Promise.all(targets.map((u) => fetchOnce(`${u}/health`)))).every((r) => r.body === 'ok\n'), 10_000);

  await t.test('answers name the replica (the container short id) and its VERSION; keep-alive reuses', async (t) => {
    const s = await startTraffic({ targets, maxRequests: 400, maxDurationMs: 10_000 }).done;
    t.equal(s.failed, 0, describeFailures(s));
    t.equal(s.ok, 400);
    t.same(targets.map((u) => s.byTarget[u]?.ok), [200, 200], 'strict rotation: 400 requests over 2 targets is 200 each');
    t.same(Object.keys(s.replicas).sort(), ids.map((id) => id.slice(0, 12)).sort(), 'both containers answered, by hostname');
    t.same(Object.values(s.replicas).map((r) => r.version).sort(), ['v1', 'v2']);
    t.ok(s.byMode.new.ok > 0 && s.byMode['keep-alive'].ok > 0, 'both connection modes ran');
    // 2 keep-alive workers, each keeps one connection per target: all but the first request on each is reused.
    t.ok(s.reusedConnections >= s.byMode['keep-alive'].ok - 4, `${s.reusedConnections} of ${s.byMode['keep-alive'].ok} keep-alive requests reused a connection`);
  });

  await t.test('a target that refuses is counted by reason, with times', async (t) => {
    const s = await startTraffic({ targets: ['http://127.0.0.1:1'], maxRequests: 20 }).done;
    t.equal(s.failed, 20);
    t.same(s.byReason, { ECONNREFUSED: 20 });
    t.ok(s.failures.every((f) => f.startedAtMs <= f.endedAtMs && f.startedAtMs >= s.startedAtMs));
  });

  await t.test('SIGTERM under keep-alive and new-connection traffic: no request fails, exit 0 once idle', async (t) => {
    const [id] = ids as [string];
    const url = targets[0]!;
    const run = startTraffic({ targets: [url], keepAliveWorkers: 4, newConnectionWorkers: 2, maxDurationMs: 20_000 });
    await sleep(1000);
    const termAt = Date.now();
    docker('kill', '--signal', 'TERM', id);
    await sleep(1000);
    // Still draining (connections keep arriving): a new request is answered, with Connection: close.
    const during = await fetchOnce(url);
    t.equal(during.connection, 'close', 'a response while draining says Connection: close');
    t.match(during.body, /"replica"/);
    const s = await run.stop();
    t.equal(s.failed, 0, `no request failed: ${describeFailures(s)}`);
    t.ok(Object.values(s.replicas)[0]!.lastAtMs > termAt + 500, 'requests were answered after SIGTERM');
    const exited = await waitFor('exit once idle', () => {
      const st = JSON.parse(docker('inspect', id))[0].State as { Running: boolean; ExitCode: number };
      return !st.Running && st;
    }, 10_000, 100);
    t.equal(exited.ExitCode, 0, 'exited by itself (0), not killed');
    t.match(docker('logs', id), /"event":"exit".*"reason":"no connections left"/);
  });

  await t.test('SIGTERM with an idle keep-alive connection held open: closed after 1 s idle, not 5 s', async (t) => {
    const id = ids[1]!;
    const agent = new Agent({ keepAlive: true });
    t.teardown(() => agent.destroy());
    await fetchOnce(targets[1]!, agent);
    t.equal(Object.values(agent.freeSockets).flat().length, 1, 'the client holds one idle connection');
    docker('stop', '-t', '20', id);
    const st = JSON.parse(docker('inspect', id))[0].State as { ExitCode: number };
    t.equal(st.ExitCode, 0, 'exited by itself');
    const events = docker('logs', id).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { time: number; event: string });
    const drainMs = events.find((e) => e.event === 'exit')!.time - events.find((e) => e.event === 'draining')!.time;
    // Node's default keep-alive timeout is 5 s; draining shortens it to 1 s, for connections already idle too.
    t.ok(drainMs < 5000, `the idle connection was closed by the drain's 1 s idle limit (exit ${drainMs} ms after SIGTERM)`);
  });
});
