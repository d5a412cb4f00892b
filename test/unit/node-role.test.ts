// Node roles: the agent's default (manager when it dials its coordinator on a loopback address),
// Hello.role as the coordinator checks it, `--role` as the CLI reads it, and node.role constraints.
import t from 'tap';
import { parseHello } from '../../coordinator/wire.js';
import { constraintHolds, nodeAttribute } from '../../coordinator/scheduler/index.js';
import { nodeRoleOption } from '../../shared/cli/launch.js';
import { defaultNodeRole } from '../../shared/model/node-role.js';
import type { Hello__Output } from '../../shared/grpc/gen/baton/v1/Hello.js';
import { PROTOCOL_VERSION } from '../../shared/version.js';
import { constraint, node } from '../fixtures/scheduler/builders.js';

t.test('default role: manager on the coordinator\'s host (loopback), worker otherwise', async (t) => {
  const cases: [string, 'manager' | 'worker'][] = [
    ['127.0.0.1', 'manager'],
    ['127.1.2.3', 'manager'],
    ['localhost', 'manager'],
    ['LOCALHOST', 'manager'],
    ['::1', 'manager'],
    ['[::1]', 'manager'],
    ['::ffff:127.0.0.1', 'manager'],
    ['10.0.0.1', 'worker'],
    ['192.168.1.10', 'worker'],
    ['coordinator.example', 'worker'],
    ['0.0.0.0', 'worker'],
    ['128.0.0.1', 'worker'],
    ['localhost.example.com', 'worker'],
  ];
  for (const [host, want] of cases) t.equal(defaultNodeRole(host), want, host);
});

const hello = (role: string): Hello__Output => ({
  node_id: 'n1', name: 'n1', address: '', capacity: { cpu_millis: 1000, memory_bytes: 1e9, disk_bytes: 0 }, labels: {},
  agent_version: 't', docker_version: 't', containers: [], join_token: '', protocol: PROTOCOL_VERSION, role,
});

t.test('Hello.role: manager and worker kept, empty (an agent before roles) is a worker, anything else refused naming the field', async (t) => {
  const ok: [string, string][] = [['manager', 'manager'], ['worker', 'worker'], ['', 'worker']];
  for (const [sent, want] of ok) {
    const r = parseHello(hello(sent));
    t.ok(r.ok, JSON.stringify(sent));
    if (r.ok) t.equal(r.value.role, want, JSON.stringify(sent));
  }
  for (const bad of ['Manager', 'leader', 'manager ', 'x'.repeat(500)]) {
    const r = parseHello(hello(bad));
    t.notOk(r.ok, JSON.stringify(bad.slice(0, 20)));
    if (!r.ok) t.match(r.error, /^hello\.role: ".*" is not a node role \(expected manager or worker\)$/);
    if (!r.ok) t.ok(r.error.length < 120, 'a long value is cut in the message');
  }
});

t.test('--role: manager or worker, else an error naming the flag', async (t) => {
  t.equal(nodeRoleOption('manager'), 'manager');
  t.equal(nodeRoleOption('worker'), 'worker');
  t.throws(() => nodeRoleOption('boss'), { message: '--role: expected manager or worker, got "boss"' });
});

t.test('node.role constraints read the node\'s role; a node without one is a worker', async (t) => {
  const manager = node('m', { role: 'manager' });
  const worker = node('w', { role: 'worker' });
  const old = node('o');
  t.equal(nodeAttribute(manager, 'node.role'), 'manager');
  t.equal(nodeAttribute(old, 'node.role'), 'worker');
  const table: [string, ReturnType<typeof node>, boolean][] = [
    ['node.role==manager', manager, true],
    ['node.role==manager', worker, false],
    ['node.role==manager', old, false],
    ['node.role == MANAGER', manager, true],
    ['node.role!=manager', worker, true],
    ['node.role!=manager', manager, false],
    ['node.role==worker', old, true],
  ];
  for (const [text, n, want] of table) t.equal(constraintHolds(n, constraint(text)), want, `${text} on ${n.name}`);
});
