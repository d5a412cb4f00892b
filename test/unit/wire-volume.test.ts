// Volumes on the wire round-trip through the real proto serializers (the functions grpc-js calls on
// the agent stream): the inventory an agent's report carries -> the coordinator's parseReport, the
// RemoveVolumes command from commandToWire -> what the agent reads, the ack's outcome -> the
// coordinator's parseAgentEvent. Then the refusals of malformed messages, each naming its field.
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import t from 'tap';
import { parseAgentEvent, parseReport } from '../../coordinator/wire.js';
import { commandToWire } from '../../coordinator/wire-out.js';
import type { AgentMessage, AgentMessage__Output } from '../../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { CoordinatorMessage__Output } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { ListVolumesResponse, ListVolumesResponse__Output } from '../../shared/grpc/gen/baton/v1/ListVolumesResponse.js';
import { loaderOptions, packageRoot } from '../../shared/grpc/load.js';
import { isBatonVolume, type VolumeObservation, type VolumeRemovalResult } from '../../shared/model/volume.js';
import { MAX_VOLUMES, volumeInventoryFromWire, volumeInventoryToWire, volumeRemovalToWire } from '../../shared/wire/volume.js';

const def = protoLoader.loadSync(join(packageRoot(), 'proto', 'baton.proto'), loaderOptions());
const connect = (def['baton.v1.AgentService'] as protoLoader.ServiceDefinition)['Connect']!;
const listVolumes = (def['baton.v1.ControlService'] as protoLoader.ServiceDefinition)['ListVolumes']!;

const agentToCoordinator = (m: AgentMessage) => connect.requestDeserialize(connect.requestSerialize(m)) as AgentMessage__Output;

const volumes: VolumeObservation[] = [
  { name: 'shop_data', stack: 'shop', key: 'data', driver: 'local', createdAtMs: 1_733_000_000_000, inUse: true },
  { name: 'pg.v16-main', stack: 'shop', key: 'pg', driver: 'rexray/ebs', createdAtMs: 0, inUse: false },
];

const report = (inventory: AgentMessage['report']) => agentToCoordinator({ report: { session_id: 's', seq: 1, sent_at_ms: 1, docker_up: true, containers: [], ...inventory } });

t.test('an inventory in a report comes out as the same observations; a report without one says "unchanged"', async (t) => {
  const parsed = parseReport(report({ volumes: volumeInventoryToWire(volumes) }).report!);
  t.ok(parsed.ok);
  if (parsed.ok) t.same(parsed.value.volumes, volumes);
  const empty = parseReport(report({ volumes: volumeInventoryToWire([]) }).report!);
  t.same(empty.ok && empty.value.volumes, [], 'an empty inventory is an empty list (the node has none)');
  const none = parseReport(report({}).report!);
  t.equal(none.ok && none.value.volumes, undefined, 'no inventory: unchanged since the last report');
});

t.test('RemoveVolumes reaches the agent with its stack; the ack carries what went and what Docker refused', async (t) => {
  const wire = commandToWire({ kind: 'remove-volumes', commandId: 'v1', stack: 'shop' });
  const got = connect.responseDeserialize(connect.responseSerialize(wire)) as CoordinatorMessage__Output;
  t.equal(got.command?.kind, 'remove_volumes');
  t.same({ id: got.command?.command_id, stack: got.command?.remove_volumes?.stack }, { id: 'v1', stack: 'shop' });

  const result: VolumeRemovalResult = { removed: ['shop_data'], refused: [{ name: 'shop_logs', error: 'remove shop_logs: volume is in use - [4f2c]' }] };
  const ack = parseAgentEvent(agentToCoordinator({ ack: { command_id: 'v1', ok: true, error: '', volumes: volumeRemovalToWire(result) } }));
  t.same(ack, { ok: true, value: { kind: 'ack', commandId: 'v1', ok: true, error: '', volumes: result } });
  const plain = parseAgentEvent(agentToCoordinator({ ack: { command_id: 'c2', ok: true, error: '' } }));
  t.same(plain, { ok: true, value: { kind: 'ack', commandId: 'c2', ok: true, error: '' } }, 'other acks have no volumes');
});

t.test('ListVolumesResponse keeps every field over the wire', async (t) => {
  const res: ListVolumesResponse = {
    volumes: [{ node_id: 'n1', node: 'h1', name: 'shop_data', stack: 'shop', key: 'data', driver: 'local', created_at_ms: 5, in_use: true, stale: true, reported_at_ms: 7, removal_error: 'in use' }],
    nodes: [{ node_id: 'n1', node: 'h1', status: 'down', connected: false, known: true, reported_at_ms: 7, pending_removals: ['shop'] }],
  };
  const got = listVolumes.responseDeserialize(listVolumes.responseSerialize(res)) as ListVolumesResponse__Output;
  t.same(got, res);
});

t.test('malformed inventories and acks are refused, naming the field', async (t) => {
  const bad = (over: Partial<VolumeObservation>) => volumeInventoryToWire([{ ...volumes[0]!, ...over }]);
  const cases: [string, AgentMessage['report'], RegExp][] = [
    ['a name Docker cannot have', { volumes: bad({ name: '../etc' }) }, /report\.volumes\.volumes\.0\.name: expected a volume name/],
    ['an empty stack', { volumes: bad({ stack: '' }) }, /report\.volumes\.volumes\.0\.stack: expected 1-255 characters/],
    ['an empty key', { volumes: bad({ key: '' }) }, /report\.volumes\.volumes\.0\.key/],
    ['a negative creation time', { volumes: bad({ createdAtMs: -5 }) }, /report\.volumes\.volumes\.0\.created_at_ms: expected a time in ms >= 0/],
    ['too many volumes', { volumes: { volumes: Array.from({ length: MAX_VOLUMES + 1 }, (_, i) => ({ ...volumeInventoryToWire(volumes).volumes![0], name: `v${i}` })) } }, /report\.volumes\.volumes: 4097 volumes, more than 4096/],
  ];
  for (const [what, r, re] of cases) {
    const parsed = parseReport(report(r).report!);
    t.notOk(parsed.ok, `${what}: refused`);
    if (!parsed.ok) t.match(parsed.error, re, `${what}: names the field`);
  }
  const badAck = parseAgentEvent(agentToCoordinator({ ack: { command_id: 'v1', ok: true, error: '', volumes: { removed: ['ok_name', 'bad name'], refused: [] } } }));
  t.notOk(badAck.ok);
  if (!badAck.ok) t.match(badAck.error, /ack\.volumes\.removed\.1: expected a volume name/);
  const badRefusal = parseAgentEvent(agentToCoordinator({ ack: { command_id: 'v1', ok: true, error: '', volumes: { removed: [], refused: [{ name: '', error: 'x' }] } } }));
  t.notOk(badRefusal.ok);
  if (!badRefusal.ok) t.match(badRefusal.error, /ack\.volumes\.refused\.0\.name/);
  t.same(volumeInventoryFromWire({ volumes: [] }, 'x'), { ok: true, value: [] });
});

t.test("which volumes are Baton's: managed, with a stack and a key, of this node (or from before the node label)", async (t) => {
  const labels = { 'io.baton.managed': 'true', 'io.baton.stack': 'shop', 'io.baton.volume': 'data' };
  const cases: [string, Record<string, string> | null, string, string | undefined, boolean][] = [
    ["Baton's, no node label (created before it existed)", labels, 'n1', undefined, true],
    ["Baton's, this node's", { ...labels, 'io.baton.node': 'n1' }, 'n1', undefined, true],
    ["another agent's on a shared engine", { ...labels, 'io.baton.node': 'n2' }, 'n1', undefined, false],
    ['of the stack asked for', labels, 'n1', 'shop', true],
    ['of another stack', labels, 'n1', 'blog', false],
    ['no labels (created by hand, or external)', null, 'n1', undefined, false],
    ['a user label io.baton.volume alone', { 'io.baton.volume': 'data' }, 'n1', undefined, false],
    ['managed not "true"', { ...labels, 'io.baton.managed': 'yes' }, 'n1', undefined, false],
    ['no key', { 'io.baton.managed': 'true', 'io.baton.stack': 'shop' }, 'n1', undefined, false],
  ];
  for (const [what, l, node, stack, want] of cases) t.equal(isBatonVolume(l, node, stack), want, what);
});
