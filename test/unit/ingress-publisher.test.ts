// The endpoint publisher: the version moves only when content does; each connected ready node is
// sent the set on a change and on its session start, and not otherwise. Then the same in the
// coordinator harness: a replica the round stops leaves the set in that round, before its stop.
import t from 'tap';
import type { AgentCommand } from '../../coordinator/agent-command.js';
import { EndpointPublisher } from '../../coordinator/ingress/endpoint-publisher.js';
import type { EndpointInput, EndpointNode } from '../../coordinator/ingress/endpoints.js';
import type { ObservedNow } from '../../coordinator/observed.js';
import type { AllocationRecord } from '../../coordinator/store/schema.js';
import { createLogger } from '../../shared/logger.js';
import { Harness, ManualClock } from '../fixtures/harness.js';
import { alloc, spec, stack, svc } from '../fixtures/reconcile/builders.js';

const log = createLogger('test', 'silent');

function running(a: Pick<AllocationRecord, 'id' | 'replica'>, health = 'none'): ObservedNow {
  return {
    state: 'running', containerId: `c-${a.id}`, cpuPercent: 0, memoryBytes: 0, health: health as ObservedNow['health'], healthOutput: '', exitCode: 0,
    ipAddress: `172.17.0.${a.replica + 1}`, ports: [{ target: 80, hostPort: 32000 + a.replica, protocol: 'tcp' }],
  };
}

const node = (id: string, over: Partial<EndpointNode> = {}): EndpointNode => ({ id, name: id, address: `10.0.0.${id.slice(1)}`, status: 'ready', labels: {}, connected: true, ...over });

function input(): EndpointInput & { observed: Map<string, ObservedNow>; nodes: EndpointNode[] } {
  const web = { ...svc({ replicas: 2, spec: spec({ replicas: 2, ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }] }) }), vip: '10.213.0.2' };
  const allocations = [alloc('a1', { service: 'web', replica: 1, node: 'n1' }), alloc('a2', { service: 'web', replica: 2, node: 'n2' })];
  return { stacks: { shop: stack('shop', { web }) }, allocations, observed: new Map(allocations.map((a) => [a.id, running(a)])), nodes: [node('n1'), node('n2')] };
}

/** A sink that records what each node was sent: `n1 v1000001 [a1 a2]`; nodes in `offline` refuse (no session). */
function recorder() {
  const lines: string[] = [];
  const offline = new Set<string>();
  return {
    lines,
    offline,
    send(nodeId: string, cmd: AgentCommand): boolean {
      if (offline.has(nodeId)) return false;
      if (cmd.kind === 'endpoints') lines.push(`${nodeId} v${cmd.set.version} [${cmd.set.services.flatMap((s) => s.endpoints.map((e) => e.allocationId)).join(' ')}]`);
      return true;
    },
    take: () => lines.splice(0),
  };
}

t.test('version moves only on a content change; each node is sent each version once', async (t) => {
  const clock = new ManualClock(1_000_000);
  const sink = recorder();
  const p = new EndpointPublisher(sink, clock, log);
  const i = input();
  p.publish(i);
  t.same(sink.take(), ['n1 v1000001 [a1 a2]', 'n2 v1000001 [a1 a2]'], 'first set: version from the start time in ms (+1), to every node');
  clock.advance(1000);
  p.publish(i);
  t.same(sink.take(), [], 'nothing changed: nothing sent, even a second later');
  t.equal(p.current()!.version, 1_000_001, 'and the version stayed');

  i.observed.set('a2', running(i.allocations[1]!, 'unhealthy'));
  p.publish(i);
  // The clock is at 1_001_000 > 1_000_001 + 1: the version jumps to the clock, so it still grows after a restart.
  t.same(sink.take(), ['n1 v1001000 [a1]', 'n2 v1001000 [a1]'], 'a2 unhealthy: a new version without it, to both nodes');
  p.publish(i);
  t.same(sink.take(), [], 'not again');

  i.observed.set('a2', running(i.allocations[1]!));
  p.publish(i);
  t.same(sink.take(), ['n1 v1001001 [a1 a2]', 'n2 v1001001 [a1 a2]'], 'a2 back: version + 1 (same ms)');
});

t.test('session start: the current set after the Reconcile, once; a node that was away is sent what it missed', async (t) => {
  const clock = new ManualClock(2_000_000);
  const sink = recorder();
  const p = new EndpointPublisher(sink, clock, log);
  const i = input();
  p.onSessionStart('n1');
  t.same(sink.take(), [], 'before the first round there is no set to send');
  p.publish(i);
  sink.take();
  p.onSessionStart('n1');
  t.same(sink.take(), ['n1 v2000001 [a1 a2]'], 'a new session gets the current set at once');
  p.publish(i);
  t.same(sink.take(), [], 'and the next round does not send it again');

  // n2 turns suspect (stream closed): its endpoint leaves; it is not sent anything while away.
  i.nodes[1] = node('n2', { status: 'suspect', connected: false });
  sink.offline.add('n2');
  p.publish(i);
  t.same(sink.take(), ['n1 v2000002 [a1]'], 'only the ready node hears of the change');
  // Back on the same version (its replica's container is not reported yet, say): it lacks it, so it is sent.
  i.nodes[1] = node('n2');
  sink.offline.delete('n2');
  i.observed.delete('a2');
  p.publish(i);
  t.same(sink.take(), ['n2 v2000002 [a1]'], 'the version n2 missed, and nothing to n1');
});

t.test('after a coordinator restart no set goes out until the ready nodes are back, or the wait is over', async (t) => {
  const clock = new ManualClock(3_000_000);
  const sink = recorder();
  const p = new EndpointPublisher(sink, clock, log, { settleMs: 3000 });
  const i = input();
  // n2 was ready before the restart and has not reconnected: its replica looks absent.
  i.nodes[1] = node('n2', { connected: false });
  p.publish(i);
  t.same(sink.take(), [], 'held: a set now would take a2 out of every node');
  t.equal(p.current(), undefined);
  i.nodes[1] = node('n2');
  p.publish(i);
  t.same(sink.take(), ['n1 v3000001 [a1 a2]', 'n2 v3000001 [a1 a2]'], 'everyone back: the full set');

  const q = new EndpointPublisher(sink, clock, log, { settleMs: 3000 });
  const j = input();
  j.nodes[1] = node('n2', { connected: false });
  q.publish(j);
  clock.advance(3000);
  q.publish(j);
  t.same(sink.take(), ['n1 v3003000 [a1]'], 'n2 not back after 3 s: the set goes out without it');
});

t.test('in the harness: scaling down takes the replica out of every set in the round that sends its stop', async (t) => {
  const h = new Harness();
  for (const [i, n] of ['n1', 'n2'].entries()) h.join(n, { address: `10.0.0.${i + 1}` });
  h.reportAll();
  await h.stacks.deploy({
    text: 'name: shop\nservices:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    deploy:\n      replicas: 2\n      placement:\n        max_replicas_per_node: 1\n',
    file: 'compose.yaml', stackName: undefined, env: {},
  });
  // The VIP is another part's to assign (stacks at deploy); set here so the service is in the set.
  h.store.transact((s) => {
    s.stacks.shop!.services.web!.vip = '10.213.0.2';
  });
  h.reportAll();
  await h.round();
  const ids = (sets: { services?: { endpoints?: { allocation_id?: string }[] }[] }[]) => sets.map((s) => (s.services ?? []).flatMap((x) => (x.endpoints ?? []).map((e) => e.allocation_id)).sort());
  const first = ids(h.endpointSets('n1'));
  t.equal(first.at(-1)!.length, 2, 'both replicas serve once running with their addresses reported');
  h.endpointSets('n2');
  for (const n of ['n1', 'n2']) h.sent(n);
  // Past the dispatcher's resend spacing since the starts, so the stop goes out at once.
  h.advance(11_000);
  await h.round();
  t.same([...h.endpointSets('n1'), ...h.endpointSets('n2')], [], 'reports that change nothing send nothing');

  await h.stacks.scale('web', '1');
  // scale runs a round itself (kick); what was sent in it:
  const stopped = Object.values(h.store.state.allocations).find((a) => a.desired === 'stop')!;
  const n1 = ids(h.endpointSets('n1'));
  const n2 = ids(h.endpointSets('n2'));
  t.same(n1, [[...first.at(-1)!].filter((id) => id !== stopped.id)], 'n1: one new set, without the stopped replica');
  t.same(n2, n1, 'n2: the same set');
  t.match(h.sent(stopped.nodeId), [new RegExp(`^stop ${stopped.id.replace(/[.#]/g, '\\$&')} `)], 'and in the same round the stop itself');
  await h.round();
  t.same([...h.endpointSets('n1'), ...h.endpointSets('n2')], [], 'the next round sends nothing new');
});
