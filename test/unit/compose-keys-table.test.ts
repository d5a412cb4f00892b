// Issue 11: one table over a Compose snippet for every key the issue names: accepted (with what
// lands in the spec), warned (with the warning) or refused (with the error). Each row parses a
// whole file, so a key that stops being read, or starts being refused, fails its row. The finer
// cases of each key are in compose-container, compose-networks, compose-errors, compose-casts and
// the secrets tests; what reaches Docker is checked on real engines (test/docker, test/testbed).
import t from 'tap';
import { parseCompose } from '../../shared/compose/index.js';
import type { ServiceSpec, StackSpec } from '../../shared/compose/types.js';

const enc = (s: string) => new TextEncoder().encode(s);
const FILES = new Map([
  ['web.env', enc('A=1\n')],
  ['pw.txt', enc('secret\n')],
  ['app.conf', enc('x=1\n')],
]);

type Row =
  | { key: string; yaml: string; accepted: (s: ServiceSpec, stack: StackSpec) => unknown; want: unknown; warning?: string }
  | { key: string; yaml: string; warned: string }
  | { key: string; yaml: string; refused: string };

/** A service `web` with `extra` under it (indented 4), and `top` at the document's top level. */
const svc = (extra: string, top = '') => `name: s\nservices:\n  web:\n    image: busybox\n${extra}${top}`;

const rows: Row[] = [
  // Interpolation and types
  { key: 'deploy.replicas from ${VAR:-2}', yaml: svc('    deploy:\n      replicas: ${REPLICAS:-2}\n'), accepted: (s) => s.replicas, want: 2 },
  { key: 'deploy.replicas as a string', yaml: svc('    deploy: { replicas: "3" }\n'), accepted: (s) => s.replicas, want: 3 },
  { key: 'healthcheck.disable as a string', yaml: svc('    healthcheck: { disable: "true" }\n'), accepted: (s) => s.healthcheck?.disable, want: true },
  { key: 'update_config.max_failure_ratio as a string', yaml: svc('    deploy: { update_config: { max_failure_ratio: "0.3" } }\n'), accepted: (s) => s.updateConfig.maxFailureRatio, want: 0.3 },
  { key: 'a non-string service name', yaml: 'name: s\nservices:\n  123:\n    image: busybox\n', refused: 'services: keys must be strings, got 123 as a key' },
  { key: 'a non-string environment key', yaml: svc('    environment: { 1: FOO }\n'), refused: 'services.web.environment: keys must be strings, got 1 as a key' },
  { key: 'a numeric version', yaml: 'version: 3.8\nname: s\nservices:\n  web:\n    image: busybox\n', refused: 'version: must be a string such as "3.8" (in quotes), got 3.8' },
  { key: '$ inside a default is literal', yaml: svc('    environment: { P: "${UNSET:-a$b}" }\n'), accepted: (s) => s.environment['P'], want: 'a$b' },
  // Ignored as stack deploy ignores them
  { key: 'build next to image', yaml: svc('    build: .\n'), warned: 'services.web.build: ignored: Baton runs the image and does not build it' },
  { key: 'restart', yaml: svc('    restart: always\n'), warned: 'services.web.restart: ignored: deploy.restart_policy is what counts' },
  { key: 'container_name', yaml: svc('    container_name: web1\n'), warned: 'services.web.container_name: ignored: replicas need distinct names' },
  { key: 'links', yaml: svc('    links: [db]\n'), warned: 'services.web.links: ignored: docker stack deploy ignores it too' },
  { key: 'depends_on (honoured, unlike stack deploy)', yaml: `${svc('    depends_on: [db]\n')}  db:\n    image: busybox\n`, accepted: (s) => s.dependsOn.map((d) => d.service), want: ['db'] },
  // Container settings passed to Docker
  { key: 'env_file', yaml: svc('    env_file: web.env\n'), accepted: (s) => s.environment['A'], want: '1' },
  { key: 'user', yaml: svc('    user: "1000:1000"\n'), accepted: (s) => s.container?.user, want: '1000:1000' },
  { key: 'working_dir', yaml: svc('    working_dir: /srv\n'), accepted: (s) => s.container?.workingDir, want: '/srv' },
  { key: 'stop_signal', yaml: svc('    stop_signal: SIGINT\n'), accepted: (s) => s.container?.stopSignal, want: 'SIGINT' },
  { key: 'stop_grace_period', yaml: svc('    stop_grace_period: 1m30s\n'), accepted: (s) => s.stopGraceMs, want: 90_000 },
  { key: 'ulimits', yaml: svc('    ulimits: { nofile: 1024 }\n'), accepted: (s) => s.container?.ulimits, want: { nofile: { soft: 1024, hard: 1024 } } },
  { key: 'sysctls', yaml: svc('    sysctls: { net.core.somaxconn: 1024 }\n'), accepted: (s) => s.container?.sysctls, want: { 'net.core.somaxconn': '1024' } },
  { key: 'cap_add', yaml: svc('    cap_add: [NET_ADMIN]\n'), accepted: (s) => s.container?.capAdd, want: ['NET_ADMIN'] },
  { key: 'cap_drop', yaml: svc('    cap_drop: [ALL]\n'), accepted: (s) => s.container?.capDrop, want: ['ALL'] },
  { key: 'dns', yaml: svc('    dns: [10.0.0.2]\n'), accepted: (s) => s.container?.dns, want: ['10.0.0.2'] },
  { key: 'dns_search', yaml: svc('    dns_search: example.com\n'), accepted: (s) => s.container?.dnsSearch, want: ['example.com'] },
  { key: 'extra_hosts', yaml: svc('    extra_hosts: ["db.local:10.1.2.3"]\n'), accepted: (s) => s.container?.extraHosts, want: ['db.local:10.1.2.3'] },
  { key: 'read_only', yaml: svc('    read_only: true\n'), accepted: (s) => s.container?.readOnly, want: true },
  { key: 'init', yaml: svc('    init: true\n'), accepted: (s) => s.container?.init, want: true },
  { key: 'tmpfs', yaml: svc('    tmpfs: /run\n'), accepted: (s) => s.container?.tmpfs, want: { '/run': '' } },
  { key: 'hostname', yaml: svc('    hostname: h\n'), accepted: (s) => s.container?.hostname, want: 'h' },
  { key: 'shm_size', yaml: svc('    shm_size: 64m\n'), accepted: (s) => s.container?.shmSizeBytes, want: 64 * 1024 * 1024 },
  { key: 'labels on containers', yaml: svc('    labels: { team: a }\n'), accepted: (s) => s.labels, want: { team: 'a' } },
  { key: 'logging', yaml: svc('    logging: { driver: syslog, options: { tag: web } }\n'), accepted: (s) => s.container?.logging, want: { driver: 'syslog', options: { tag: 'web' } } },
  // Volumes
  { key: 'named volume', yaml: svc('    volumes: [data:/data]\n', 'volumes:\n  data: { driver: local, driver_opts: { type: tmpfs, device: tmpfs } }\n'), accepted: (s) => s.mounts?.[0] && { source: s.mounts[0].source, driver: s.mounts[0].volume?.driver, opts: s.mounts[0].volume?.driverOptions }, want: { source: 's_data', driver: 'local', opts: { type: 'tmpfs', device: 'tmpfs' } } },
  { key: 'external volume', yaml: svc('    volumes: [data:/data]\n', 'volumes:\n  data: { external: true }\n'), accepted: (s) => [s.mounts?.[0]?.source, s.mounts?.[0]?.volume?.external], want: ['data', true] },
  { key: 'anonymous volume', yaml: svc('    volumes: [/cache]\n'), accepted: (s) => s.mounts?.[0], want: { type: 'volume', target: '/cache' } },
  { key: 'bind mount of the Docker socket', yaml: svc('    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]\n'), accepted: (s) => s.mounts?.[0], want: { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true }, warning: "services.web.volumes.0: bind mount /var/run/docker.sock gives the container the host's files" },
  { key: 'long-syntax bind', yaml: svc('    volumes: [{ type: bind, source: /srv, target: /srv }]\n'), accepted: (s) => s.mounts?.[0]?.type, want: 'bind', warning: "services.web.volumes.0: bind mount /srv gives the container the host's files" },
  { key: 'sticky named volume', yaml: svc('    volumes: [data:/data]\n', 'volumes:\n  data: { x-baton: { sticky: true } }\n'), accepted: (s) => s.mounts?.[0]?.volume?.sticky, want: true },
  { key: 'a relative bind source', yaml: svc('    volumes: ["./data:/data"]\n'), refused: 'services.web.volumes.0: bind mount source "./data" must be an absolute path on the node' },
  { key: 'tmpfs mount', yaml: svc('    volumes: [{ type: tmpfs, target: /scratch, tmpfs: { size: 1m } }]\n'), accepted: (s) => [s.mounts?.[0]?.type, s.mounts?.[0]?.tmpfsSizeBytes], want: ['tmpfs', 1024 * 1024] },
  { key: 'an undefined named volume', yaml: svc('    volumes: [data:/data]\n'), refused: 'services.web.volumes.0: volume "data" is not defined under the top-level volumes' },
  // Networks
  { key: 'networks with aliases', yaml: svc('    networks: { back: { aliases: [api] } }\n', 'networks:\n  back: { driver: overlay }\n'), accepted: (s) => s.networks, want: [{ network: 's_back', aliases: ['api'] }] },
  { key: 'external network', yaml: svc('    networks: [shared]\n', 'networks:\n  shared: { external: true }\n'), accepted: (s) => s.networks, want: [{ network: 'shared' }] },
  { key: 'attachable network', yaml: svc('    networks: [n]\n', 'networks:\n  n: { attachable: true }\n'), warned: 'networks.n.attachable: ignored' },
  { key: 'internal network', yaml: svc('    networks: [n]\n', 'networks:\n  n: { internal: true }\n'), refused: 'networks.n.internal: is not supported' },
  { key: 'ipam', yaml: svc('', 'networks:\n  n: { ipam: { config: [{ subnet: 10.9.0.0/16 }] } }\n'), refused: 'networks.n.ipam: is not supported' },
  { key: 'network_mode: host', yaml: svc('    network_mode: host\n'), accepted: (s) => s.container?.networkMode, want: 'host' },
  { key: 'network_mode: none', yaml: svc('    network_mode: none\n'), refused: 'services.web.network_mode: "none" is not supported' },
  // Secrets and configs
  { key: 'secret from a file', yaml: svc('    secrets: [pw]\n', 'secrets:\n  pw: { file: pw.txt }\n'), accepted: (s) => s.secrets?.[0]?.target, want: '/run/secrets/pw' },
  { key: 'external secret, long syntax', yaml: svc('    secrets: [{ source: pw, target: db_pw, uid: "1000", gid: "1000", mode: 0400 }]\n', 'secrets:\n  pw: { external: true }\n'), accepted: (s) => s.secrets?.[0] && { target: s.secrets[0].target, uid: s.secrets[0].uid, mode: s.secrets[0].mode }, want: { target: '/run/secrets/db_pw', uid: '1000', mode: 0o400 } },
  { key: 'config from a file', yaml: svc('    configs: [{ source: app, target: /etc/app.conf }]\n', 'configs:\n  app: { file: app.conf }\n'), accepted: (s) => s.configs?.[0]?.target, want: '/etc/app.conf' },
  // Global services and roles
  { key: 'deploy.mode: global', yaml: svc('    deploy: { mode: global }\n'), accepted: (s) => s.mode, want: 'global' },
  { key: 'deploy.mode: replicated-job', yaml: svc('    deploy: { mode: replicated-job }\n'), refused: 'services.web.deploy.mode' },
  { key: 'deploy.mode: global-job', yaml: svc('    deploy: { mode: global-job }\n'), refused: 'services.web.deploy.mode' },
  { key: 'node.role == manager', yaml: svc('    deploy: { placement: { constraints: [node.role == manager] } }\n'), accepted: (s) => s.constraints.map((c) => c.text), want: ['node.role == manager'] },
  { key: 'placement.preferences spread', yaml: svc('    deploy: { placement: { preferences: [{ spread: node.labels.zone }] } }\n'), accepted: (s) => s.spread, want: ['zone'] },
];

for (const row of rows) {
  t.test(row.key, async (t) => {
    const r = parseCompose(row.yaml, { file: 'c.yaml', env: {}, files: FILES });
    const errors = r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
    const warnings = r.warnings.map((w) => `${w.path}: ${w.message}`);
    if ('refused' in row) {
      t.notOk(r.ok, 'refused');
      t.ok(errors.some((e) => e.startsWith(row.refused)), `an error starting ${JSON.stringify(row.refused)}; got ${JSON.stringify(errors)}`);
      return;
    }
    if (!r.ok) return t.fail(`refused: ${JSON.stringify(errors)}`);
    if ('warned' in row) {
      t.ok(warnings.some((w) => w.startsWith(row.warned)), `a warning starting ${JSON.stringify(row.warned)}; got ${JSON.stringify(warnings)}`);
      return;
    }
    if (row.warning) t.ok(warnings.length === 1 && warnings[0]!.startsWith(row.warning), `one warning starting ${JSON.stringify(row.warning)}; got ${JSON.stringify(warnings)}`);
    else t.strictSame(warnings, [], 'no warning');
    const web = r.stack.services.find((s) => s.name === 'web')!;
    t.strictSame(row.accepted(web, r.stack), row.want);
  });
}
