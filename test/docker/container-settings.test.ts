// Issue 11 on a real engine: a Compose service with the settings stack deploy passes to Docker,
// env_file, a named volume, an anonymous one, a bind mount (the Docker socket) and a tmpfs goes
// through the parser, the StartReplica wire (both halves) and the agent's executor, and `docker
// inspect` shows each as Docker would set it. The named volume's data survives its container being
// removed and a new replica being started on the node.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { DockerExecutor } from '../../agent/executor/docker/docker-executor.js';
import { parseCompose } from '../../shared/compose/index.js';
import { fromStartReplica, toStartReplica } from '../../shared/wire/replica.js';
import { loaderOptions, packageRoot } from '../../shared/grpc/load.js';
import type { CoordinatorMessage__Output } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { ReplicaSpec } from '../../shared/model/replica-spec.js';
import { requireDocker, TEST_IMAGE } from '../fixtures/docker-env.js';
import { docker, removeStack, uniqueAllocationId, uniqueStack } from '../fixtures/executor/replicas.js';

const executor = new DockerExecutor();
const def = protoLoader.loadSync(join(packageRoot(), 'proto', 'baton.proto'), loaderOptions());
const connect = (def['baton.v1.AgentService'] as protoLoader.ServiceDefinition)['Connect']!;

/** Parser -> coordinator's half -> protobuf bytes -> agent's half, as a deploy does it. */
function replicaOf(stack: string, yaml: string, files: Record<string, string>, replica: number): ReplicaSpec {
  const parsed = parseCompose(yaml, { file: 'compose.yaml', stackName: stack, files: new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])) });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const svc = parsed.stack.services[0]!;
  const start = toStartReplica({ id: uniqueAllocationId(), generation: 1, stack, service: svc.name, replica }, { ...svc, ports: [] });
  const bytes = connect.responseSerialize({ command: { command_id: 'c', start } });
  const spec = fromStartReplica((connect.responseDeserialize(bytes) as CoordinatorMessage__Output).command!.start!);
  if (!spec.ok) throw new Error(spec.error);
  return spec.value;
}

async function inspect(id: string): Promise<any> {
  const r = await docker(['inspect', id]);
  return JSON.parse(r.stdout)[0];
}

const compose = (bindSource: string) => `services:
  web:
    image: ${TEST_IMAGE}
    command: [sh, -c, "sleep 600"]
    env_file: app.env
    environment: { FROM_FILE_B: overridden }
    user: "1000:1000"
    working_dir: /data
    stop_signal: SIGINT
    ulimits: { nofile: { soft: 1024, hard: 2048 } }
    sysctls: { net.ipv4.ip_unprivileged_port_start: "80" }
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    dns: [10.9.9.9]
    dns_search: [corp.example]
    extra_hosts: ["legacy.db:10.1.2.3"]
    read_only: true
    init: true
    tmpfs: ["/run:size=1m"]
    hostname: web-one
    shm_size: 32M
    logging: { driver: json-file, options: { max-size: 1m } }
    labels: { team: edge }
    volumes:
      - data:/data
      - /scratch
      - ${bindSource}:/var/run/docker.sock:ro
      - { type: tmpfs, target: /cache, tmpfs: { size: 2m } }
volumes:
  data: {}
`;

t.test('settings, env_file and mounts reach docker inspect; named volume data outlives its container', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('settings');
  const volume = `${stack}_data`;
  t.teardown(async () => {
    await removeStack(stack);
    await docker(['volume', 'rm', '-f', volume]);
  });
  const files = { 'app.env': 'FROM_FILE_A=1\nFROM_FILE_B="two"\n' };
  const spec = replicaOf(stack, compose('/var/run/docker.sock'), files, 1);
  const r = await executor.ensureRunning(spec);
  if (!r.ok) return t.fail(`ensureRunning: ${r.error}`);
  const c = await inspect(r.containerId);
  t.ok(c.Config.Env.includes('FROM_FILE_A=1'), 'env_file variable');
  t.ok(c.Config.Env.includes('FROM_FILE_B=overridden'), 'environment wins over env_file');
  t.equal(c.Config.User, '1000:1000');
  t.equal(c.Config.WorkingDir, '/data');
  t.equal(c.Config.StopSignal, 'SIGINT');
  t.equal(c.Config.Hostname, 'web-one');
  t.equal(c.Config.Labels.team, 'edge');
  t.same(c.HostConfig.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
  t.same(c.HostConfig.Sysctls, { 'net.ipv4.ip_unprivileged_port_start': '80' });
  t.same(c.HostConfig.CapAdd, ['NET_ADMIN']);
  t.same(c.HostConfig.CapDrop, ['MKNOD']);
  t.same(c.HostConfig.Dns, ['10.9.9.9']);
  t.same(c.HostConfig.DnsSearch, ['corp.example']);
  t.ok(c.HostConfig.ExtraHosts.includes('legacy.db:10.1.2.3'));
  t.equal(c.HostConfig.ReadonlyRootfs, true);
  t.equal(c.HostConfig.Init, true);
  t.same(c.HostConfig.Tmpfs, { '/run': 'size=1m' });
  t.equal(c.HostConfig.ShmSize, 32 * 1024 * 1024);
  t.same(c.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m' } });
  const byTarget = Object.fromEntries(c.Mounts.map((m: { Destination: string }) => [m.Destination, m]));
  t.match(byTarget['/data'], { Type: 'volume', Name: volume, RW: true });
  t.match(byTarget['/scratch'], { Type: 'volume' });
  t.match(byTarget['/var/run/docker.sock'], { Type: 'bind', Source: '/var/run/docker.sock', RW: false });
  t.match(c.HostConfig.Mounts.find((m: { Target: string }) => m.Target === '/cache'), { Type: 'tmpfs', TmpfsOptions: { SizeBytes: 2 * 1024 * 1024 } });
  const labels = JSON.parse((await docker(['volume', 'inspect', '--format', '{{json .Labels}}', volume])).stdout);
  t.match(labels, { 'io.baton.managed': 'true', 'io.baton.stack': stack, 'io.baton.volume': 'data' }, 'the volume carries Baton labels');

  // Data written by one replica is there for the next on this node (root: the volume is root's).
  t.equal((await docker(['exec', '-u', '0', r.containerId, 'sh', '-c', 'echo kept > /data/f'])).code, 0);
  t.equal((await docker(['exec', r.containerId, 'sh', '-c', 'touch /etc/x'])).code === 0, false, 'read_only root filesystem');
  await executor.stop(spec.allocationId, 1000);
  await executor.remove(spec.allocationId);
  const next = replicaOf(stack, compose('/var/run/docker.sock'), files, 2);
  const r2 = await executor.ensureRunning(next);
  if (!r2.ok) return t.fail(`ensureRunning again: ${r2.error}`);
  t.equal((await docker(['exec', r2.containerId, 'cat', '/data/f'])).stdout.trim(), 'kept', 'named volume data survived');
});

t.test('a bind source missing on the node is a replica error, not a crash', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('nobind');
  t.teardown(async () => {
    await removeStack(stack);
    await docker(['volume', 'rm', '-f', `${stack}_data`]);
  });
  const missing = join(mkdtempSync(join(tmpdir(), 'baton-bind-')), 'absent');
  writeFileSync(join(missing, '..', 'present'), '');
  const r = await executor.ensureRunning(replicaOf(stack, compose(missing), { 'app.env': '' }, 1));
  t.equal(r.ok, false);
  if (!r.ok) t.match(r.error, /absent|bind source path does not exist|no such file/i, 'Docker names the missing path');
});
