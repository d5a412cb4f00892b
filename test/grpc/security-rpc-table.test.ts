// Every RPC of every service (taken from the loaded proto, so a new one is covered without editing
// this file) called by every kind of caller, over real TLS on loopback against one secure
// coordinator: no certificate, a node's, a viewer's, an admin's, a revoked operator's and node's, an
// expired one and one from another CA. The expected status of each cell is asserted; a refusal
// also counts once in baton_auth_refusals_total. Then: a node certificate cannot say Hello for
// another node.
import t from 'tap';
import * as grpc from '@grpc/grpc-js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Counter } from 'prom-client';
import { Coordinator } from '../../coordinator/coordinator.js';
import { RULES, type Rule } from '../../coordinator/security/authorize.js';
import { createCertificateAuthority, issueClientCertificate, type IssuedWithKey } from '../../coordinator/security/pki.js';
import { loadProto } from '../../shared/grpc/load.js';
import { createLogger } from '../../shared/logger.js';
import { hello, openStream } from '../fixtures/scripted-agent.js';
import { joinAs, operatorDial, targetOf, TLS_CHANNEL_OPTIONS } from '../fixtures/tls.js';

const HOUR_MS = 3_600_000;
const DEADLINE_MS = 5000;

const dataDir = await mkdtemp(join(tmpdir(), 'baton-rpc-table-'));
const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, logger: createLogger('c', 'silent') });
t.teardown(() => c.stop());
const authority = c.authority!;
const target = targetOf(c);
const caPem = authority.ca.certPem;

/** A client certificate made outside the coordinator but listed in its store under `name`, so that only TLS (its dates, its issuer) can refuse it. */
async function listed(issued: IssuedWithKey, name: string): Promise<grpc.ChannelCredentials> {
  c.store.transact((s) => {
    s.identities[`operator/${name}`] = { kind: 'operator', name, role: 'admin', serials: [{ serial: issued.serial, notAfterMs: Date.now() + HOUR_MS }], createdAtMs: Date.now() };
  });
  await c.store.flush();
  return grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(issued.keyPem), Buffer.from(issued.certPem));
}

type Row = 'no certificate' | 'node' | 'viewer' | 'admin' | 'revoked operator' | 'revoked node' | 'expired' | 'wrong CA';

const node = await joinAs(c, 'table-node');
const viewer = await operatorDial(c, 'table-viewer', 'viewer');
const admin = await operatorDial(c, 'table-admin', 'admin');
const revokedOperator = await operatorDial(c, 'table-revoked', 'admin');
if (!(await authority.revoke('operator', 'table-revoked'))) throw new Error('table-revoked: not revoked');
const revokedNode = await joinAs(c, 'table-revoked-node');
if (!(await authority.revoke('node', 'table-revoked-node'))) throw new Error('table-revoked-node: not revoked');
// Issued by the cluster CA and listed, but its notAfter is an hour ago: TLS does not verify it, so the caller is no one.
const expired = await listed(await issueClientCertificate(authority.ca, 'table-expired', 'admin', Date.now() - 2 * HOUR_MS, HOUR_MS), 'table-expired');
// An admin certificate of another cluster, its serial listed here: again only TLS can tell.
const otherCa = await createCertificateAuthority(Date.now());
const foreign = await listed(await issueClientCertificate(otherCa, 'table-foreign', 'admin', Date.now(), HOUR_MS), 'table-foreign');

// One session of the table's node before the rows (all setup is done before the first t.test: tap ends the root test when its queue drains), so WatchEvents has an event to replay.
{
  const s = openStream(node);
  s.write(hello('table-node'));
  const m = await s.next();
  if (m.welcome?.node_id !== 'table-node') throw new Error(`table-node not welcomed: ${JSON.stringify(m)}`);
  s.cancel();
  s.client.close();
}

const ROWS: { row: Row; credentials: grpc.ChannelCredentials; who: RegExp }[] = [
  { row: 'no certificate', credentials: grpc.credentials.createSsl(Buffer.from(caPem)), who: /no certificate/ },
  { row: 'node', credentials: node.credentials, who: /node table-node/ },
  { row: 'viewer', credentials: viewer.credentials, who: /viewer table-viewer/ },
  { row: 'admin', credentials: admin.credentials, who: /admin table-admin/ },
  { row: 'revoked operator', credentials: revokedOperator.credentials, who: /admin table-revoked/ },
  { row: 'revoked node', credentials: revokedNode.credentials, who: /node table-revoked-node/ },
  { row: 'expired', credentials: expired, who: /no certificate/ },
  { row: 'wrong CA', credentials: foreign, who: /no certificate/ },
];

// Who may call what, written out here (not read from RULES: a change there must show up as a failure here).
const METHOD_RULES: Record<string, Rule> = {
  '/baton.v1.JoinService/GetClusterCA': 'public',
  '/baton.v1.JoinService/Join': 'public',
  '/baton.v1.JoinService/Renew': 'node',
  '/baton.v1.AgentService/Connect': 'node',
  ...Object.fromEntries(
    ['ListNodes', 'GetNode', 'WatchEvents', 'ListEvents', 'Plan', 'ListServices', 'ListReplicas', 'Logs', 'RolloutStatus', 'History', 'ListEndpoints', 'AutoscaleStatus', 'WhoAmI', 'ListSecrets', 'ListConfigs', 'InspectConfig', 'ListVolumes', 'Top', 'Usage', 'RebalanceStatus'].map((m) => [`/baton.v1.ControlService/${m}`, 'read']),
  ),
  ...Object.fromEntries(
    ['Deploy', 'Scale', 'Remove', 'Rollback', 'GetJoinToken', 'CreateCredential', 'RevokeCredential', 'RemoveNode', 'SetNodeSchedule', 'LabelNode', 'Rebalance', 'CreateSecret', 'RemoveSecret', 'CreateConfig', 'RemoveConfig'].map((m) => [`/baton.v1.ControlService/${m}`, 'admin']),
  ),
};

const ALLOWED = 'allowed' as const;
type Expect = typeof ALLOWED | grpc.status;
const { UNAUTHENTICATED: UNAUTH, PERMISSION_DENIED: DENIED } = grpc.status;
// Expired and foreign certificates fail TLS verification: the caller is anonymous, as with none.
// A revoked one verifies but is no one the coordinator knows: refused even the public calls.
const EXPECT: Record<Rule | 'unlisted', Record<Row, Expect>> = {
  public: { 'no certificate': ALLOWED, node: ALLOWED, viewer: ALLOWED, admin: ALLOWED, 'revoked operator': UNAUTH, 'revoked node': UNAUTH, expired: ALLOWED, 'wrong CA': ALLOWED },
  node: { 'no certificate': UNAUTH, node: ALLOWED, viewer: DENIED, admin: DENIED, 'revoked operator': UNAUTH, 'revoked node': UNAUTH, expired: UNAUTH, 'wrong CA': UNAUTH },
  read: { 'no certificate': UNAUTH, node: DENIED, viewer: ALLOWED, admin: ALLOWED, 'revoked operator': UNAUTH, 'revoked node': UNAUTH, expired: UNAUTH, 'wrong CA': UNAUTH },
  admin: { 'no certificate': UNAUTH, node: DENIED, viewer: DENIED, admin: ALLOWED, 'revoked operator': UNAUTH, 'revoked node': UNAUTH, expired: UNAUTH, 'wrong CA': UNAUTH },
  // A method with no rule is refused to everyone (fail closed).
  unlisted: { 'no certificate': DENIED, node: DENIED, viewer: DENIED, admin: DENIED, 'revoked operator': UNAUTH, 'revoked node': UNAUTH, expired: DENIED, 'wrong CA': DENIED },
};

const proto = loadProto();
const SERVICES = { ControlService: proto.baton.v1.ControlService.service, AgentService: proto.baton.v1.AgentService.service, JoinService: proto.baton.v1.JoinService.service };
const METHODS: grpc.MethodDefinition<object, unknown>[] = Object.values(SERVICES).flatMap((s) => Object.values(s) as grpc.MethodDefinition<object, unknown>[]);
const shortName = (path: string) => path.split('/').pop()!;

t.test('the table covers every RPC of the proto, and the interceptor has the rule written here for each', async (t) => {
  t.ok(METHODS.length >= 23, `${METHODS.length} methods in AgentService, ControlService and JoinService`);
  for (const m of METHODS) {
    if (METHOD_RULES[m.path] === undefined) t.fail(`${m.path} is new: classify it in METHOD_RULES (the interceptor has ${RULES.get(m.path) ?? 'no rule'} for it)`);
    else t.equal(RULES.get(m.path), METHOD_RULES[m.path], `${m.path}: ${METHOD_RULES[m.path]}`);
  }
  const paths = new Set(METHODS.map((m) => m.path));
  for (const p of RULES.keys()) t.ok(paths.has(p), `rule ${p} names a method of the proto`);
});

interface Outcome {
  code: grpc.status;
  details: string;
}

// Requests are empty but for two streams, which would otherwise say nothing until the deadline:
// a stream let through then shows it with a first message.
const REQUESTS: Record<string, object> = {
  '/baton.v1.ControlService/WatchEvents': { replay: true },
  '/baton.v1.AgentService/Connect': hello('table-node'),
};
// A call let through gets an answer about its (empty) request: these codes would mean it never got one.
const NO_ANSWER = new Set([UNAUTH, DENIED, grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED, grpc.status.UNKNOWN, grpc.status.INTERNAL]);

/** One call with a minimal request: its status, or OK at its first message (then cancelled). */
function callOnce(client: grpc.Client, m: grpc.MethodDefinition<object, unknown>): Promise<Outcome> {
  const options = { deadline: Date.now() + DEADLINE_MS };
  const request = REQUESTS[m.path] ?? {};
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      resolve(o);
    };
    if (!m.requestStream && !m.responseStream) {
      client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, request, new grpc.Metadata(), options, (err) =>
        finish(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' }),
      );
      return;
    }
    let stream: grpc.ClientReadableStream<unknown> | grpc.ClientDuplexStream<object, unknown> | grpc.ClientWritableStream<object>;
    if (m.requestStream && m.responseStream) {
      const duplex = client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, new grpc.Metadata(), options);
      duplex.write(request);
      stream = duplex;
    } else if (m.responseStream) stream = client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, request, new grpc.Metadata(), options);
    else {
      stream = client.makeClientStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, new grpc.Metadata(), options, (err) =>
        finish(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' }),
      );
      stream.write(request);
      stream.end();
    }
    stream.on('data', () => {
      finish({ code: grpc.status.OK, details: 'a first message' });
      stream.cancel();
    });
    stream.on('error', () => {});
    stream.on('status', (s: grpc.StatusObject) => finish({ code: s.code, details: s.details }));
  });
}

const refusals = c.metrics.registry.getSingleMetric('baton_auth_refusals_total') as Counter;
async function refusalCount(method: string, code: grpc.status): Promise<number> {
  const v = (await refusals.get()).values.find((x) => x.labels.method === method && x.labels.code === grpc.status[code]);
  return v?.value ?? 0;
}

const identitiesBefore = JSON.stringify(c.store.state.identities);
const tokenBefore = authority.joinToken();

for (const { row, credentials, who } of ROWS) {
  t.test(`caller: ${row}`, async (t) => {
    const client = new grpc.Client(target, credentials, TLS_CHANNEL_OPTIONS);
    t.teardown(() => client.close());
    // One call per method, all at once: each cell has its own method label, so each counter moves for one cell only.
    const before = await Promise.all(METHODS.map(async (m) => ({ unauth: await refusalCount(shortName(m.path), UNAUTH), denied: await refusalCount(shortName(m.path), DENIED) })));
    const outcomes = await Promise.all(METHODS.map((m) => callOnce(client, m)));
    for (const [i, m] of METHODS.entries()) {
      const rule = METHOD_RULES[m.path] ?? RULES.get(m.path) ?? 'unlisted';
      const want = EXPECT[rule][row];
      const got = outcomes[i]!;
      const cell = `${row} x ${shortName(m.path)} (${rule}): ${grpc.status[got.code]} ${JSON.stringify(got.details)}`;
      const name = shortName(m.path);
      if (want === ALLOWED) {
        t.notOk(NO_ANSWER.has(got.code), `${cell}: let through, and answered`);
        t.equal((await refusalCount(name, UNAUTH)) - before[i]!.unauth + (await refusalCount(name, DENIED)) - before[i]!.denied, 0, `${cell}: no refusal counted`);
      } else {
        t.equal(got.code, want, `${cell}: ${grpc.status[want]}`);
        t.match(got.details, who, `${cell}: the refusal names the caller`);
        t.match(got.details, new RegExp(`\\b${name}\\b`), `${cell}: the refusal names the method`);
        const counted = want === UNAUTH ? (await refusalCount(name, UNAUTH)) - before[i]!.unauth : (await refusalCount(name, DENIED)) - before[i]!.denied;
        t.equal(counted, 1, `${cell}: counted once in baton_auth_refusals_total{method="${name}",code="${grpc.status[want]}"}`);
      }
    }
  });
}

t.test("the admin's calls with empty requests changed nothing the table depends on", async (t) => {
  t.equal(authority.joinToken(), tokenBefore, 'join token not rotated');
  t.equal(JSON.stringify(c.store.state.identities), identitiesBefore, 'no identity added, replaced or removed');
  t.same(Object.keys(c.store.state.stacks), [], 'nothing deployed');
});

t.test('the refusals are in the /metrics text', async (t) => {
  const text = await c.metrics.registry.getSingleMetricAsString('baton_auth_refusals_total');
  t.match(text, /baton_auth_refusals_total\{method="Deploy",code="PERMISSION_DENIED"\} [1-9]/);
  t.match(text, /baton_auth_refusals_total\{method="Connect",code="UNAUTHENTICATED"\} [1-9]/);
});

t.test('a node certificate cannot say Hello for another node', async (t) => {
  const a = await joinAs(c, 'node-a');
  const b = await joinAs(c, 'node-b');
  const impostor = openStream(a);
  impostor.write(hello('node-b'));
  const s = await impostor.status;
  t.equal(s.code, DENIED, `PERMISSION_DENIED: ${s.details}`);
  t.match(s.details, /node-b/);
  t.match(s.details, /node-a/);
  t.notOk(c.pool.get('node-b'), 'node-b was not admitted on node-a\'s certificate');
  impostor.client.close();

  // The same certificates, each for itself: welcomed (the refusal above was about the id, nothing else).
  for (const [id, dial] of [['node-a', a], ['node-b', b]] as const) {
    const s = openStream(dial);
    s.write(hello(id));
    const m = await s.next();
    t.equal(m.welcome?.node_id, id, `${id} welcomed on its own certificate`);
    s.cancel();
    s.client.close();
  }
});
