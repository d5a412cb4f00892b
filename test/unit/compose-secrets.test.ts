// Every Compose form of secrets and configs: accepted (with the mounts and store names it yields)
// or refused (with the path and the message), as `docker stack deploy` would take them.
import t from 'tap';
import { parseCompose, formatIssue } from '../../shared/compose/index.js';

const FILES = new Map<string, Uint8Array>([['./pw.txt', Buffer.from('pw')], ['./nginx.conf', Buffer.from('server {}')], ['./big', Buffer.alloc(500 * 1024 + 1)]]);
const parse = (yaml: string, files: ReadonlyMap<string, Uint8Array> | undefined = FILES) => parseCompose(yaml, { file: 'c.yaml', files });
const doc = (service: string, top: string) => `name: app\nservices:\n  web:\n    image: busybox\n${service}${top}`;

t.test('accepted forms', async (t) => {
  const r = parse(
    doc(
      '    secrets:\n      - pw\n      - source: tls\n        target: server.key\n        uid: "101"\n        gid: 102\n        mode: 0400\n    configs:\n      - nginx\n      - source: nginx\n        target: /etc/nginx/nginx.conf\n        mode: "0644"\n',
      'secrets:\n  pw:\n    file: ./pw.txt\n  tls:\n    external: true\n    name: prod_tls\n  unused:\n    file: ./pw.txt\nconfigs:\n  nginx:\n    file: ./nginx.conf\n    name: nginx_v3\n',
    ),
  );
  if (!r.ok) return t.fail(r.errors.map(formatIssue).join('\n'));
  const web = r.stack.services[0]!;
  t.same(web.secrets, [
    { source: 'app_pw', target: '/run/secrets/pw', uid: '0', gid: '0', mode: 0o444 },
    { source: 'prod_tls', target: '/run/secrets/server.key', uid: '101', gid: '102', mode: 0o400 },
  ]);
  t.same(web.configs, [
    { source: 'nginx_v3', target: '/nginx', uid: '0', gid: '0', mode: 0o444 },
    { source: 'nginx_v3', target: '/etc/nginx/nginx.conf', uid: '0', gid: '0', mode: 0o644 },
  ]);
  t.same(r.stack.secrets?.map((s) => [s.key, s.name, s.external, s.content && Buffer.from(s.content).toString()]), [['pw', 'app_pw', false, 'pw'], ['tls', 'prod_tls', true, undefined]], 'unused definitions are not kept');
  t.same(r.stack.configs?.map((s) => [s.key, s.name]), [['nginx', 'nginx_v3']]);
});

t.test('a service without secrets keeps a spec without the fields (spec hashes unchanged)', async (t) => {
  const r = parse(doc('', ''));
  if (!r.ok) return t.fail('does not parse');
  t.notOk('secrets' in r.stack.services[0]!);
  t.notOk('configs' in r.stack.services[0]!);
  t.notOk('secrets' in r.stack);
});

const refused: [string, string, string, string[]][] = [
  ['undefined reference', '    secrets: [nope]\n', '', ['services.web.secrets.0: "nope" is not defined under the top-level secrets']],
  ['secrets not a list', '    secrets: pw\n', 'secrets:\n  pw:\n    file: ./pw.txt\n', ['services.web.secrets: must be a list of secret names or {source, target} mappings, got "pw"']],
  ['long form without source', '    secrets:\n      - target: x\n', 'secrets:\n  pw:\n    file: ./pw.txt\n', ['services.web.secrets.0.source: required: the name of a top-level secret']],
  ['unknown long-form key', '    secrets:\n      - source: pw\n        owner: me\n', 'secrets:\n  pw:\n    file: ./pw.txt\n', ['services.web.secrets.0.owner: is not a key here (source, target, uid, gid, mode)']],
  ['bad uid', '    secrets:\n      - source: pw\n        uid: root\n', 'secrets:\n  pw:\n    file: ./pw.txt\n', ['services.web.secrets.0.uid: must be a numeric id such as "1000", got "root"']],
  ['bad mode', '    secrets:\n      - source: pw\n        mode: "rw"\n', 'secrets:\n  pw:\n    file: ./pw.txt\n', ['services.web.secrets.0.mode: must be a file mode such as 0440, got "rw"']],
  ['target with ..', '    secrets:\n      - source: pw\n        target: ../../etc/passwd\n', 'secrets:\n  pw:\n    file: ./pw.txt\n', ['services.web.secrets.0.target: "../../etc/passwd": must name a file (no "..", no trailing "/")']],
  ['same target twice', '    secrets:\n      - pw\n      - source: pw\n        target: /run/secrets/pw\n', 'secrets:\n  pw:\n    file: ./pw.txt\n', ['services.web.secrets.1: /run/secrets/pw is mounted twice']],
  ['neither file nor external', '    secrets: [pw]\n', 'secrets:\n  pw: {}\n', ['services.web.secrets.0: "pw" is not defined under the top-level secrets', 'secrets.pw: needs file: PATH (read by the CLI at deploy) or external: true']],
  ['environment form', '    secrets: [pw]\n', 'secrets:\n  pw:\n    environment: PW\n', ['services.web.secrets.0: "pw" is not defined under the top-level secrets', "secrets.pw.environment: is not supported: the secret would come from the CLI's environment; write it to a file and use file:"]],
  ['content form', '    configs: [c]\n', 'configs:\n  c:\n    content: hello\n', ['services.web.configs.0: "c" is not defined under the top-level configs', 'configs.c.content: is not supported: inline content would sit in the stack file; use file: (or `baton config create` and external: true)']],
  ['driver', '', 'secrets:\n  pw:\n    file: ./pw.txt\n    driver: vault\n', ['secrets.pw.driver: is not supported: Baton keeps secrets in its own store']],
  ['file and external', '', 'secrets:\n  pw:\n    file: ./pw.txt\n    external: true\n', ['secrets.pw.file: cannot be given with external: true (an external one is created with `baton secret create`)']],
  ['file not sent', '    secrets: [pw]\n', 'secrets:\n  pw:\n    file: ./missing\n', ['services.web.secrets.0: "pw" is not defined under the top-level secrets', 'secrets.pw.file: "./missing": not sent with the deploy (the CLI could not read it)']],
  ['file too large', '    secrets: [pw]\n', 'secrets:\n  pw:\n    file: ./big\n', ['services.web.secrets.0: "pw" is not defined under the top-level secrets', 'secrets.pw.file: "./big": 512001 bytes; a secret holds at most 512000 bytes']],
  ['bad name:', '', 'secrets:\n  pw:\n    file: ./pw.txt\n    name: "a b"\n', ['secrets.pw.name: "a b" is not a secret name (letters, digits, "_", "." and "-", starting with a letter or digit, at most 64 characters)']],
  ['top level not a mapping', '', 'configs: [a]\n', ['configs: must be a mapping of config name to its definition, got a list']],
];

t.test('refused forms name the path', async (t) => {
  for (const [name, service, top, want] of refused) {
    const r = parse(doc(service, top));
    t.notOk(r.ok, `${name}: refused`);
    if (r.ok) continue;
    t.same(r.errors.map((e) => `${e.path}: ${e.message}`), want, name);
  }
});

t.test('labels are ignored with a warning', async (t) => {
  const r = parse(doc('    secrets: [pw]\n', 'secrets:\n  pw:\n    file: ./pw.txt\n    labels: {a: b}\n'));
  t.ok(r.ok);
  t.same(r.warnings.map((w) => `${w.path}: ${w.message}`), ['secrets.pw.labels: secret labels are ignored']);
});
