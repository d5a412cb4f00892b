// Issue 11's Compose-compatibility rules, as tables: the values Compose casts from strings, keys that
// are not strings, `version`, `$` in defaults, the keys stack deploy ignores (warned, and still
// checked against their Compose shape), and how a refused file's warnings are printed apart from
// its errors by the CLI itself.

import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { castComposeValue, castFor } from '../../shared/compose/casts.js';
import type { PathSegment } from '../../shared/compose/findings.js';
import {
  DEPENDS_ON_POLICY,
  DEPLOY_POLICY,
  LIMITS_POLICY,
  PLACEMENT_POLICY,
  PORT_POLICY,
  RESERVATIONS_POLICY,
  ROOT_POLICY,
  SERVICE_POLICY,
} from '../../shared/compose/key-policy.js';
import { buildProgram, main } from '../../shared/cli/program.js';
import { SIBLINGS, errorLines, parse, stackYaml, warningLines, webService } from '../fixtures/compose/docs.js';
import { Harness } from '../fixtures/harness.js';

// Every path compose-go casts (compose-spec/compose-go loader/interpolate.go, interpolateTypeCastMapping)
// except ports (Baton's port parser takes strings and ranges itself), plus Baton's x-baton retries.
// `web`/`n` stand for any service, network, ... name; 0 for any list index.
const CAST_PATHS: [string, 'whole number' | 'number' | 'boolean'][] = [
  ['services.web.cpu_count', 'whole number'],
  ['services.web.cpu_percent', 'number'],
  ['services.web.cpu_period', 'whole number'],
  ['services.web.cpu_quota', 'whole number'],
  ['services.web.cpu_rt_period', 'whole number'],
  ['services.web.cpu_rt_runtime', 'whole number'],
  ['services.web.cpus', 'number'],
  ['services.web.cpu_shares', 'whole number'],
  ['services.web.init', 'boolean'],
  ['services.web.depends_on.db.required', 'boolean'],
  ['services.web.depends_on.db.restart', 'boolean'],
  ['services.web.deploy.replicas', 'whole number'],
  ['services.web.deploy.update_config.parallelism', 'whole number'],
  ['services.web.deploy.update_config.max_failure_ratio', 'number'],
  ['services.web.deploy.rollback_config.parallelism', 'whole number'],
  ['services.web.deploy.rollback_config.max_failure_ratio', 'number'],
  ['services.web.deploy.restart_policy.max_attempts', 'whole number'],
  ['services.web.deploy.placement.max_replicas_per_node', 'whole number'],
  ['services.web.healthcheck.retries', 'whole number'],
  ['services.web.healthcheck.disable', 'boolean'],
  ['services.web.oom_kill_disable', 'boolean'],
  ['services.web.oom_score_adj', 'whole number'],
  ['services.web.pids_limit', 'whole number'],
  ['services.web.privileged', 'boolean'],
  ['services.web.read_only', 'boolean'],
  ['services.web.scale', 'whole number'],
  ['services.web.stdin_open', 'boolean'],
  ['services.web.tty', 'boolean'],
  ['services.web.ulimits.nofile', 'whole number'],
  ['services.web.ulimits.nofile.hard', 'whole number'],
  ['services.web.ulimits.nofile.soft', 'whole number'],
  ['services.web.volumes.0.read_only', 'boolean'],
  ['services.web.volumes.0.volume.nocopy', 'boolean'],
  ['services.web.x-baton.healthcheck.retries', 'whole number'],
  ['networks.n.external', 'boolean'],
  ['networks.n.internal', 'boolean'],
  ['networks.n.attachable', 'boolean'],
  ['networks.n.enable_ipv4', 'boolean'],
  ['networks.n.enable_ipv6', 'boolean'],
  ['volumes.n.external', 'boolean'],
  ['secrets.n.external', 'boolean'],
  ['configs.n.external', 'boolean'],
];

const segments = (dotted: string): PathSegment[] => dotted.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

t.test('every path Compose casts, and only those', async (t) => {
  for (const [path, cast] of CAST_PATHS) t.equal(castFor(segments(path)), cast, path);
  const notCast = [
    'services.web.image', 'services.web.deploy', 'services.web.ports.0.target', 'services.web.environment.REPLICAS',
    'services.web.labels.replicas', 'services.web.volumes.read_only', 'services.web.deploy.replicas.x', 'x-foo.deploy.replicas',
    'services.web.command.0',
  ];
  for (const path of notCast) t.equal(castFor(segments(path)), undefined, `${path} stays a string`);
});

t.test('the cast of each kind: accepted spellings, refused ones with the message', async (t) => {
  const at = (kind: string) => segments(CAST_PATHS.find(([, c]) => c === kind)![0]);
  const cases: [string, string, unknown][] = [
    // kind, string, the value or the error
    ['whole number', '3', 3],
    ['whole number', '0', 0],
    ['whole number', '+4', 4],
    ['whole number', '-1', -1], // the schema's range check says what is wrong with it
    ['whole number', '007', 7],
    ['whole number', '1.5', 'must be a whole number, got "1.5"'],
    ['whole number', ' 3', 'must be a whole number, got " 3"'],
    ['whole number', '3x', 'must be a whole number, got "3x"'],
    ['whole number', '', 'must be a whole number, got ""'],
    ['whole number', '0x10', 'must be a whole number, got "0x10"'],
    ['number', '0.3', 0.3],
    ['number', '.5', 0.5],
    ['number', '1', 1],
    ['number', '1e-1', 0.1],
    ['number', '-0.25', -0.25],
    ['number', '30%', 'must be a number, got "30%"'],
    ['number', 'NaN', 'must be a number, got "NaN"'],
    ['number', '1,5', 'must be a number, got "1,5"'],
    ['boolean', 'true', true],
    ['boolean', 'false', false],
    ['boolean', 'TRUE', true],
    ['boolean', 'False', false],
    ['boolean', 'maybe', 'must be true or false, got "maybe"'],
    ['boolean', '1', 'must be true or false, got "1"'],
    ['boolean', '', 'must be true or false, got ""'],
  ];
  for (const [kind, text, want] of cases) {
    const r = castComposeValue(at(kind), text);
    if (typeof want === 'string' && typeof want !== typeof r) t.same(r, { ok: false, error: want }, `${kind} ${JSON.stringify(text)}`);
    else t.same(r, { ok: true, value: want }, `${kind} ${JSON.stringify(text)}`);
  }
  // YAML 1.1 spellings: compose-go and stack deploy take them; compose-go warns, so does Baton.
  for (const [text, value] of [['yes', true], ['Y', true], ['on', true], ['no', false], ['n', false], ['OFF', false]] as const) {
    t.same(castComposeValue(at('boolean'), text), { ok: true, value, warning: `"${text}" is read as ${value} (a YAML 1.1 spelling); write ${value}` }, text);
  }
  t.equal(castComposeValue(segments('services.web.image'), '3'), undefined, 'a path Compose does not cast');
});

t.test('cast fields in a Compose file: what the service gets', async (t) => {
  // [field as written, environment, what the spec holds]
  const cases: [string, Record<string, unknown>, Record<string, string>, (s: ReturnType<typeof webService>) => unknown, unknown][] = [
    ['replicas "3"', { deploy: { replicas: '3' } }, {}, (s) => s.replicas, 3],
    ['replicas ${REPLICAS:-2}, unset', { deploy: { replicas: '${REPLICAS:-2}' } }, {}, (s) => s.replicas, 2],
    ['replicas ${REPLICAS:-2}, set', { deploy: { replicas: '${REPLICAS:-2}' } }, { REPLICAS: '5' }, (s) => s.replicas, 5],
    ['replicas $REPLICAS', { deploy: { replicas: '$REPLICAS' } }, { REPLICAS: '0' }, (s) => s.replicas, 0],
    ['update_config.parallelism', { deploy: { update_config: { parallelism: '2' } } }, {}, (s) => s.updateConfig.parallelism, 2],
    ['update_config.max_failure_ratio', { deploy: { update_config: { max_failure_ratio: '0.3' } } }, {}, (s) => s.updateConfig.maxFailureRatio, 0.3],
    ['rollback_config.parallelism', { deploy: { rollback_config: { parallelism: '${P:-3}' } } }, {}, (s) => s.rollbackConfig.parallelism, 3],
    ['rollback_config.max_failure_ratio', { deploy: { rollback_config: { max_failure_ratio: '1' } } }, {}, (s) => s.rollbackConfig.maxFailureRatio, 1],
    ['restart_policy.max_attempts', { deploy: { restart_policy: { max_attempts: '4' } } }, {}, (s) => s.restartPolicy.maxAttempts, 4],
    ['placement.max_replicas_per_node', { deploy: { placement: { max_replicas_per_node: '1' } } }, {}, (s) => s.maxReplicasPerNode, 1],
    ['healthcheck.retries', { healthcheck: { test: 'true', retries: '7' } }, {}, (s) => s.healthcheck?.retries, 7],
    ['healthcheck.disable "true"', { healthcheck: { disable: 'true' } }, {}, (s) => s.healthcheck?.disable, true],
    ['healthcheck.disable ${OFF}', { healthcheck: { test: 'true', disable: '${OFF}' } }, { OFF: 'false' }, (s) => s.healthcheck?.disable ?? false, false],
    ['depends_on required "false"', { depends_on: { queue: { condition: 'service_started', required: 'false' } } }, {}, (s) => s.dependsOn, []],
    ['depends_on restart "true"', { depends_on: { db: { condition: 'service_started', restart: 'true' } } }, {}, (s) => s.dependsOn, [{ service: 'db', condition: 'service_started', required: true, restart: true }]],
    ['x-baton.healthcheck.retries', { 'x-baton': { healthcheck: { tcp: { port: 80 }, retries: '2' } } }, {}, (s) => s.healthcheck?.retries, 2],
    ['privileged "false" is off', { privileged: 'false' }, {}, (s) => s.name, 'web'],
  ];
  for (const [name, web, env, get, want] of cases) t.same(get(webService(web, env)), want, name);
  // A number written as a number is what it always was.
  t.equal(webService({ deploy: { replicas: 3 } }).replicas, 3);
});

t.test('strings that do not cast are refused, naming the path and what was expected', async (t) => {
  const cases: [string, Record<string, unknown>, Record<string, string>, string[]][] = [
    ['replicas "three"', { deploy: { replicas: 'three' } }, {}, ['services.web.deploy.replicas: must be a whole number, got "three"']],
    ['replicas "1.5"', { deploy: { replicas: '1.5' } }, {}, ['services.web.deploy.replicas: must be a whole number, got "1.5"']],
    ['replicas "-1"', { deploy: { replicas: '-1' } }, {}, ['services.web.deploy.replicas: must be at least 0, got -1']],
    ['replicas from a variable', { deploy: { replicas: '${REPLICAS}' } }, { REPLICAS: 'many' }, ['services.web.deploy.replicas: must be a whole number, got "many" (from "${REPLICAS}")']],
    ['replicas from an unset variable', { deploy: { replicas: '$REPLICAS' } }, {}, ['services.web.deploy.replicas: must be a whole number, got "" (from "$REPLICAS")']],
    ['max_failure_ratio "30%"', { deploy: { update_config: { max_failure_ratio: '30%' } } }, {}, ['services.web.deploy.update_config.max_failure_ratio: must be a number, got "30%"']],
    ['max_failure_ratio "1.5"', { deploy: { rollback_config: { max_failure_ratio: '1.5' } } }, {}, ['services.web.deploy.rollback_config.max_failure_ratio: must be at most 1, got 1.5']],
    ['parallelism "all"', { deploy: { update_config: { parallelism: 'all' } } }, {}, ['services.web.deploy.update_config.parallelism: must be a whole number, got "all"']],
    ['max_attempts "3 times"', { deploy: { restart_policy: { max_attempts: '3 times' } } }, {}, ['services.web.deploy.restart_policy.max_attempts: must be a whole number, got "3 times"']],
    ['max_replicas_per_node "one"', { deploy: { placement: { max_replicas_per_node: 'one' } } }, {}, ['services.web.deploy.placement.max_replicas_per_node: must be a whole number, got "one"']],
    ['retries "3.0"', { healthcheck: { retries: '3.0' } }, {}, ['services.web.healthcheck.retries: must be a whole number, got "3.0"']],
    ['disable "1"', { healthcheck: { disable: '1' } }, {}, ['services.web.healthcheck.disable: must be true or false, got "1"']],
    ['depends_on restart "sometimes"', { depends_on: { db: { restart: 'sometimes' } } }, {}, ['services.web.depends_on.db.restart: must be true or false, got "sometimes"']],
    ['x-baton retries "x"', { 'x-baton': { healthcheck: { tcp: { port: 80 }, retries: 'x' } } }, {}, ['services.web.x-baton.healthcheck.retries: must be a whole number, got "x"']],
    // A key Baton refuses: its cast is checked first, as compose-go would.
    ['privileged "maybe"', { privileged: 'maybe' }, {}, ['services.web.privileged: must be true or false, got "maybe"']],
    ['privileged "true" is asked for', { privileged: 'true' }, {}, ['services.web.privileged: not supported: Baton runs replicas with Docker defaults and does not pass this through yet']],
  ];
  for (const [name, web, env, want] of cases) t.same(errorLines(parse(stackYaml(web, {}, SIBLINGS), env)), want, name);
});

t.test('YAML 1.1 booleans are taken, with a warning', async (t) => {
  const r = parse(stackYaml({ healthcheck: { disable: 'yes' }, tty: 'off' }, {}, SIBLINGS));
  t.ok(r.ok);
  if (r.ok) t.equal(r.stack.services.find((s) => s.name === 'web')?.healthcheck?.disable, true);
  t.same(warningLines(r), [
    'services.web.healthcheck.disable: "yes" is read as true (a YAML 1.1 spelling); write true',
    // and `tty: false` asks for nothing, so no "ignored" warning
    'services.web.tty: "off" is read as false (a YAML 1.1 spelling); write false',
  ]);
});

t.test('keys that are not strings are refused at their mapping, as compose-go and stack deploy refuse them', async (t) => {
  const cases: [string, string, string[]][] = [
    ['a service named 123', 'name: a\nservices:\n  123:\n    image: x\n', ['services: keys must be strings, got 123 as a key (write "123" in quotes for the string)']],
    ['an environment key 1', 'name: a\nservices:\n  web:\n    image: x\n    environment:\n      1: FOO\n', ['services.web.environment: keys must be strings, got 1 as a key (write "1" in quotes for the string)']],
    ['a top-level key 123', '123: x\nname: a\nservices:\n  web:\n    image: x\n', ['(document): keys must be strings, got 123 as a key (write "123" in quotes for the string)']],
    ['a boolean label key', 'name: a\nservices:\n  web:\n    image: x\n    labels:\n      true: x\n', ['services.web.labels: keys must be strings, got true as a key (write "true" in quotes for the string)']],
    ['a null key', 'name: a\nservices:\n  web:\n    image: x\n    labels:\n      ~: x\n', ['services.web.labels: keys must be strings, got null as a key']],
    ['a float key', 'name: a\nservices:\n  web:\n    image: x\n    deploy:\n      1.5: x\n', ['services.web.deploy: keys must be strings, got 1.5 as a key (write "1.5" in quotes for the string)']],
    ['a list as a key', 'name: a\nservices:\n  web:\n    image: x\n    labels:\n      ? [a, b]\n      : c\n', ['services.web.labels: keys must be strings, got a list as a key']],
  ];
  for (const [name, text, want] of cases) t.same(errorLines(parse(text)), want, name);
  // Quoted, the same keys are strings and fine.
  const quoted = parse('name: a\nservices:\n  "123":\n    image: x\n    environment:\n      "1": FOO\n');
  t.ok(quoted.ok, 'quoted keys parse');
  if (quoted.ok) t.same(quoted.stack.services[0]?.environment, { 1: 'FOO' });
});

t.test('version must be a string, as compose-go and stack deploy require', async (t) => {
  const doc = (v: string) => `${v}\nname: a\nservices:\n  web:\n    image: x\n`;
  t.same(errorLines(parse(doc('version: 3.8'))), ['version: must be a string such as "3.8" (in quotes), got 3.8']);
  t.same(errorLines(parse(doc('version: 3'))), ['version: must be a string such as "3.8" (in quotes), got 3']);
  t.same(errorLines(parse(doc('version: [3]'))), ['version: must be a string such as "3.8" (in quotes), got a list']);
  for (const ok of ['version: "3.8"', "version: '3'", 'version: ${V:-3.9}']) {
    const r = parse(doc(ok));
    t.ok(r.ok, ok);
    t.same(warningLines(r), [], `${ok}: no warning`);
  }
});

t.test('a $ inside a ${VAR:-default} default is taken literally, as stack deploy does', async (t) => {
  const cases: [string, Record<string, string>, string][] = [
    ['${X:-$HOME}', {}, '$HOME'],
    ['${X:-$HOME}', { HOME: '/root' }, '$HOME'],
    ['${X-$HOME}', {}, '$HOME'],
    ['${X:-a$$b}', {}, 'a$$b'],
    ['${X:-${Y}}', { Y: 'y' }, '${Y}'],
    ['${X:-${Y:-z}}', {}, '${Y:-z}'],
    ['${X:-${Y}}', { X: 'x' }, 'x'], // the nested braces pair, so nothing is left over
    ['${X:+$HOME}', { X: '1' }, '$HOME'],
    ['pre-${X:-$1}-post', {}, 'pre-$1-post'],
    ['$$X', {}, '$X'], // outside a default, `$$` is still a `$`
    ['${X:-p}$Y', { Y: 'y' }, 'py'], // and variables outside a default are still expanded
  ];
  for (const [value, env, want] of cases) {
    const r = parse(stackYaml({ environment: { V: value } }), env);
    t.ok(r.ok, value);
    if (r.ok) t.equal(r.stack.services[0]?.environment['V'], want, `${value} with ${JSON.stringify(env)}`);
    t.same(warningLines(r), [], `${value}: a variable named in a default is not reported unset`);
  }
  t.same(errorLines(parse(stackYaml({ image: 'nginx:${TAG:?set $TAG, e.g. 1.27}' }))), [
    'services.web.image: required variable "TAG" is not set: set $TAG, e.g. 1.27',
  ]);
});

t.test('build next to image, restart and container_name are ignored with a warning, as stack deploy does', async (t) => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['build, short form', { build: '.' }, ['services.web.build: ignored: Baton runs the image and does not build it, as docker stack deploy does; build and push the image beforehand']],
    ['build, long form', { build: { context: './web', dockerfile: 'Dockerfile.prod', args: { VERSION: 1 }, cache_from: ['web:cache'], no_cache: true, 'x-note': 1 } }, ['services.web.build: ignored: Baton runs the image and does not build it, as docker stack deploy does; build and push the image beforehand']],
    ['restart', { restart: 'always' }, ['services.web.restart: ignored: deploy.restart_policy is what counts (as in docker stack deploy; without one, condition any)']],
    ['restart: "no"', { restart: 'no' }, ['services.web.restart: ignored: deploy.restart_policy is what counts (as in docker stack deploy; without one, condition any)']],
    ['container_name', { container_name: 'my-web' }, ['services.web.container_name: ignored: replicas need distinct names, so Baton names containers itself (docker stack deploy ignores it too)']],
    ['empty values ask for nothing', { build: null, restart: '', container_name: null }, []],
  ];
  for (const [name, web, want] of cases) {
    const r = parse(stackYaml(web, {}, SIBLINGS));
    t.ok(r.ok, `${name} parses`);
    t.same(warningLines(r), want, name);
  }
  // The ignored keys change nothing: the spec is the one without them.
  const plain = webService();
  t.same(webService({ build: '.', restart: 'always', container_name: 'x' }), plain);
  t.same(webService({ deploy: { restart_policy: { condition: 'on-failure' } }, restart: 'no' }).restartPolicy.condition, 'on-failure');
});

t.test('the ignored keys are still checked against their Compose schema shape', async (t) => {
  const BUILD_WARNING = 'services.web.build: ignored: Baton runs the image and does not build it, as docker stack deploy does; build and push the image beforehand';
  const RESTART_WARNING = 'services.web.restart: ignored: deploy.restart_policy is what counts (as in docker stack deploy; without one, condition any)';
  const NAME_WARNING = 'services.web.container_name: ignored: replicas need distinct names, so Baton names containers itself (docker stack deploy ignores it too)';
  // [description, fields, errors, warnings]
  const cases: [string, Record<string, unknown>, string[], string[]][] = [
    ['restart: [1]', { restart: [1] }, ['services.web.restart: must be a restart policy such as "always" or "on-failure", got a list'], [RESTART_WARNING]],
    ['restart: 5', { restart: 5 }, ['services.web.restart: must be a restart policy such as "always" or "on-failure", got 5'], [RESTART_WARNING]],
    ['container_name mapping', { container_name: { a: 1 } }, ['services.web.container_name: must be a container name, got a mapping'], [NAME_WARNING]],
    ['container_name: true', { container_name: true }, ['services.web.container_name: must be a container name, got true'], [NAME_WARNING]],
    ['build: 5', { build: 5 }, ['services.web.build: must be a build context path or a mapping with context, got 5'], [BUILD_WARNING]],
    ['build: a list', { build: ['.'] }, ['services.web.build: must be a build context path or a mapping with context, got a list'], [BUILD_WARNING]],
    ['build unknown key', { build: { contxt: '.' } }, ['services.web.build.contxt: unknown key "contxt" (did you mean "context"?)'], [BUILD_WARNING]],
    ['build.args items', { build: { context: '.', args: [1] } }, ['services.web.build.args.0: must be a string, got 1'], [BUILD_WARNING]],
    ['build.context a number', { build: { context: 5 } }, ['services.web.build.context: must be a path or URL, got 5'], [BUILD_WARNING]],
    ['build.shm_size', { build: { context: '.', shm_size: 1.5 } }, ['services.web.build.shm_size: must be a byte value such as 2g, got 1.5'], [BUILD_WARNING]],
    ['build.cache_from a string', { build: { context: '.', cache_from: 'web:cache' } }, ['services.web.build.cache_from: must be a list of strings, got "web:cache"'], [BUILD_WARNING]],
    // build without image is still an error: there is nothing to run.
    ['build without image', { image: undefined, build: '.' }, ['services.web.image: is required', 'services.web.build: not supported: Baton runs prebuilt images; build and push the image, then set image'], []],
    ['build without image, bad shape too', { image: undefined, build: { contxt: '.' } }, ['services.web.image: is required', 'services.web.build: not supported: Baton runs prebuilt images; build and push the image, then set image', 'services.web.build.contxt: unknown key "contxt" (did you mean "context"?)'], []],
  ];
  for (const [name, web, errors, warnings] of cases) {
    const r = parse(stackYaml(web, {}, SIBLINGS));
    t.same(errorLines(r), errors, `${name}: errors`);
    t.same(warningLines(r), warnings, `${name}: warnings`);
  }
});

t.test('every other key Baton ignores with a warning is checked against its Compose shape too', async (t) => {
  // [fields, errors, warnings]; each warning is the key's usual "ignored" one.
  const cases: [Record<string, unknown>, string[], string[]][] = [
    [{ tty: 'maybe' }, ['services.web.tty: must be true or false, got "maybe"'], ['services.web.tty: ignored: replicas are not attached to a terminal']],
    [{ stdin_open: 5 }, ['services.web.stdin_open: must be true or false, got 5'], ['services.web.stdin_open: ignored: replicas are not attached to a terminal']],
    [{ attach: [1] }, ['services.web.attach: must be true, false or a string, got a list'], ['services.web.attach: ignored: use baton logs to follow output']],
    // domainname reaches Docker since issue 11 (compose-container.test.ts): no longer warned.
    [{ mac_address: ['a'] }, ['services.web.mac_address: must be a MAC address, got a list'], ['services.web.mac_address: ignored: Docker assigns MAC addresses']],
    [{ pull_policy: 1 }, ['services.web.pull_policy: must be a pull policy such as always or missing, got 1'], ['services.web.pull_policy: ignored: Baton pulls images when a node lacks them']],
    [{ annotations: 'a=b' }, ['services.web.annotations: must be a mapping or a list of strings, got "a=b"'], ['services.web.annotations: ignored: annotations are not passed to containers']],
    [{ develop: { watch: 'x', wach: 1 } }, ['services.web.develop.watch: must be a list, got "x"', 'services.web.develop.wach: unknown key "wach" (did you mean "watch"?)'], ['services.web.develop: ignored: develop only applies to docker compose watch']],
    [{ deploy: { endpoint_mode: 5 } }, ['services.web.deploy.endpoint_mode: must be vip or dnsrr, got 5'], ['services.web.deploy.endpoint_mode: ignored: every service gets a virtual IP (endpoint_mode: vip); DNS round robin is not supported']],
    [{ ports: [{ target: 80, name: 5, app_protocol: ['h'] }] }, ['services.web.ports.0.name: must be a port name, got 5', 'services.web.ports.0.app_protocol: must be a protocol name such as http, got a list'], ['services.web.ports.0.name: ignored: port names are not used', 'services.web.ports.0.app_protocol: ignored: app_protocol is not used']],
    // Right shapes: warned only.
    [{ tty: true, stdin_open: 'true', attach: true, mac_address: '02:42:ac:11:00:02', pull_policy: 'always', annotations: ['a=b'], develop: { watch: [{ path: '.', action: 'sync' }] } }, [], [
      'services.web.tty: ignored: replicas are not attached to a terminal',
      'services.web.stdin_open: ignored: replicas are not attached to a terminal',
      'services.web.attach: ignored: use baton logs to follow output',
      'services.web.mac_address: ignored: Docker assigns MAC addresses',
      'services.web.pull_policy: ignored: Baton pulls images when a node lacks them',
      'services.web.annotations: ignored: annotations are not passed to containers',
      'services.web.develop: ignored: develop only applies to docker compose watch',
    ]],
  ];
  for (const [web, errors, warnings] of cases) {
    const r = parse(stackYaml(web, {}, SIBLINGS));
    t.same(errorLines(r), errors, `${JSON.stringify(web)}: errors`);
    t.same(warningLines(r), warnings, `${JSON.stringify(web)}: warnings`);
  }
  // The rule, for keys added later: a warned key has a shape. hostname, logging, init and
  // placement.preferences are left to the parts of issue 11 that make them supported.
  const later = new Set(['hostname', 'logging', 'init', 'preferences']);
  const tables = { SERVICE_POLICY, DEPLOY_POLICY, LIMITS_POLICY, RESERVATIONS_POLICY, PLACEMENT_POLICY, PORT_POLICY, DEPENDS_ON_POLICY, ROOT_POLICY };
  for (const [table, keys] of Object.entries(tables)) {
    for (const [key, policy] of Object.entries(keys)) {
      if (policy.severity === 'warning' && !later.has(key)) t.ok(policy.shape, `${table}.${key}: a warned key is checked against its Compose shape`);
    }
  }
});

// A file with two errors and two warnings: every refusal must print the errors, then the warnings
// labelled `warning:`, never mixed.
const REFUSED = [
  'name: demo',
  'services:',
  '  web:',
  '    image: nginx:1.27',
  '    restart: always', // warning
  '    deploy:',
  '      replicas: many', // error
  '  db:',
  '    image: postgres:16',
  '    container_name: db', // warning
  '    deploy:',
  '      update_config: { max_failure_ratio: "half" }', // error
  '',
].join('\n');
const REFUSED_ERRORS = [
  'compose.yaml: services.web.deploy.replicas: must be a whole number, got "many"',
  'compose.yaml: services.db.deploy.update_config.max_failure_ratio: must be a number, got "half"',
];
const REFUSED_WARNINGS = [
  'warning: compose.yaml: services.web.restart: ignored: deploy.restart_policy is what counts (as in docker stack deploy; without one, condition any)',
  'warning: compose.yaml: services.db.container_name: ignored: replicas need distinct names, so Baton names containers itself (docker stack deploy ignores it too)',
];

/** Runs the real `baton` program in this process and returns what it wrote to stderr and its exit status. */
async function runCli(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const writeErr = process.stderr.write.bind(process.stderr);
  const writeOut = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  const exitCode = process.exitCode;
  try {
    const code = await main(buildProgram(), ['node', 'baton', ...argv]);
    return { code, stderr, stdout };
  } finally {
    process.stderr.write = writeErr;
    process.stdout.write = writeOut;
    process.exitCode = exitCode;
  }
}

t.test('baton plan prints a refused file\'s errors, then its warnings labelled warning:', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-casts-'));
  const file = join(dir, 'compose.yaml');
  await writeFile(file, REFUSED);
  const nodes = join(dir, 'nodes.yaml');
  await writeFile(nodes, 'nodes:\n  - name: edge-1\n    cpus: 4\n    memory: 8G\n');
  // -f compose.yaml relative to the directory, so the file name in the messages is the one written.
  const cwd = process.cwd();
  process.chdir(dir);
  t.teardown(() => process.chdir(cwd));
  const r = await runCli(['plan', '-f', 'compose.yaml', '--nodes', nodes]);
  t.equal(r.code, 2, 'bad input');
  t.equal(r.stdout, '');
  t.same(r.stderr.split('\n'), [`baton: ${REFUSED_ERRORS[0]}`, REFUSED_ERRORS[1], ...REFUSED_WARNINGS, '']);

  // An accepted file prints its warnings, labelled, and the plan.
  await writeFile(file, REFUSED.replace('replicas: many', 'replicas: "2"').replace('"half"', '"0.5"'));
  const ok = await runCli(['plan', '-f', 'compose.yaml', '--nodes', nodes]);
  t.equal(ok.code, 0, ok.stderr);
  t.same(ok.stderr.split('\n'), [...REFUSED_WARNINGS, '']);
  t.match(ok.stdout, /web\.2/);
});

t.test('baton deploy: the coordinator refuses with the errors, then the warnings labelled warning:', async (t) => {
  const h = new Harness();
  await t.rejects(h.stacks.deploy({ text: REFUSED, file: 'compose.yaml', stackName: undefined, env: {} }), { name: 'InputError', message: [...REFUSED_ERRORS, ...REFUSED_WARNINGS].join('\n') });
  t.same(Object.keys(h.store.state.stacks), [], 'nothing stored');
});
