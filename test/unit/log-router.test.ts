// The log router over its ports: one stream per replica, relayed to the client and ended with
// the last one; a slow client loses output (counted) instead of growing the backlog; cancel,
// refusal, reconnect and nodes without a session. No gRPC, no Docker: the router's own logic.
import t from 'tap';
import { EventEmitter } from 'node:events';
import { LogRouter, type LogOutput, type LogRouterPorts, type LogsClient } from '../../coordinator/log-router.js';
import { commandToWire } from '../../coordinator/wire-out.js';
import type { CoordinatorMessage } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import { createLogger } from '../../shared/logger.js';

/** A LogRouter over its ports: two replicas of web on node n1, and a call whose writes complete on demand. */
function routerHarness(opts: { connected?: boolean } = {}) {
  // What the node pool would write on the session: the commands as wire messages.
  const sent: CoordinatorMessage[] = [];
  const rows = [1, 2].map((replica) => ({ stack: 's', service: 'web', replica, allocationId: `a${replica}`, node: 'n1', desired: 'run' as const, error: '' }));
  const placedOn: Record<string, string> = { a1: 'n1', a2: 'n1' };
  const ports: LogRouterPorts = {
    replicasOf: () => rows,
    nodeOf: (id) => placedOn[id],
    isConnected: () => opts.connected ?? true,
    send: (_id, cmd) => (sent.push(commandToWire(cmd)), true),
  };
  const router = new LogRouter(ports, createLogger('r', 'silent'), { maxClientBacklogBytes: 100 });
  // A client whose writes complete on demand; emitting 'cancelled' is the client going away.
  const events = new EventEmitter();
  const call = Object.assign(events, {
    request: { service: 'web', replica: 0, follow: true, tail: 0 },
    lines: [] as LogOutput[],
    held: [] as (() => void)[],
    ended: false,
    write(line: LogOutput, cb: () => void) {
      this.lines.push(line);
      this.held.push(cb);
    },
    end() {
      this.ended = true;
    },
    fail(err: Error) {
      this.lines.push({ stack: '', service: '', replica: 0, node: '', error: `call failed: ${err.message}` });
      this.ended = true;
    },
    onGone(listener: () => void) {
      events.on('cancelled', listener);
    },
  });
  call satisfies LogsClient;
  router.serve(call);
  const ids = sent.map((m) => m.command!.logs!.stream_id!);
  const chunk = (i: number, text: string, more: { eof?: boolean; error?: string } = {}) =>
    router.onAgentEvent('n1', { kind: 'log', streamId: ids[i]!, data: Buffer.from(text), stream: 'stdout', eof: false, error: '', ...more });
  const flush = () => call.held.splice(0).forEach((cb) => cb());
  const shown = () => call.lines.map((l) => (l.error ? `${l.replica}! ${l.error}` : `${l.replica}: ${String(l.data)}`));
  return { router, call, sent, ids, chunk, flush, shown };
}

t.test('log router: one stream per replica, relayed to the client, ended with the last stream', async (t) => {
  const h = routerHarness();
  t.same(h.sent.map((m) => [m.command!.command_id, m.command!.logs!.allocation_id, m.command!.logs!.follow]), [[h.ids[0], 'a1', true], [h.ids[1], 'a2', true]]);
  h.chunk(0, 'one\n');
  h.chunk(1, 'two\n');
  h.router.onAgentEvent('n2', { kind: 'log', streamId: h.ids[0]!, data: Buffer.from('spoofed\n'), stream: 'stdout', eof: false, error: '' });
  h.chunk(0, '', { eof: true, error: 'no container for allocation a1 on this node' });
  t.notOk(h.call.ended, 'one stream still open');
  h.chunk(1, '', { eof: true });
  h.chunk(1, 'late\n');
  t.same(h.shown(), ['1: one\n', '2: two\n', '1! no container for allocation a1 on this node']);
  t.ok(h.call.ended);
  t.equal(h.router.size, 0);
});

t.test('log router: a slow client loses output, counted, instead of growing the backlog', async (t) => {
  const h = routerHarness();
  h.chunk(0, 'x'.repeat(60) + '\n');
  h.chunk(0, 'y'.repeat(60) + '\n'); // 122 bytes unsent > 100: the next ones are dropped
  h.chunk(0, 'dropped-1\n');
  h.chunk(0, 'dropped-2\n');
  t.equal(h.call.lines.length, 2);
  h.flush();
  h.chunk(0, 'after\n');
  t.same(h.shown().slice(2), ['1! 20 bytes of output dropped: the client read too slowly', '1: after\n']);
});

t.test('log router: cancel, refusal, reconnect and nodes not connected', async (t) => {
  const c = routerHarness();
  c.call.emit('cancelled');
  t.same(c.sent.slice(2).map((m) => [m.command!.command_id, m.command!.logs!.stream_id, m.command!.logs!.cancel]), [[`${c.ids[0]}-cancel`, c.ids[0], true], [`${c.ids[1]}-cancel`, c.ids[1], true]], 'agents told to stop');
  t.equal(c.router.size, 0);

  const r = routerHarness();
  r.router.onAgentEvent('n1', { kind: 'ack', commandId: r.ids[0]!, ok: false, error: 'log streaming is not implemented by this agent yet' });
  r.router.onSessionStart('n1');
  t.same(r.shown(), ['1! the agent cannot stream logs: log streaming is not implemented by this agent yet', '2! node n1 reconnected; its stream was interrupted']);
  t.ok(r.call.ended);

  const d = routerHarness({ connected: false });
  t.same(d.sent, [], 'nothing sent to a node without a session');
  t.same(d.shown(), ['1! node n1 is not connected; its output is not available', '2! node n1 is not connected; its output is not available']);
  t.ok(d.call.ended);
});

