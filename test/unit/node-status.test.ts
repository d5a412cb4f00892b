// Table-driven tests of the node status machine; time is passed in, nothing sleeps.
import t from 'tap';
import { nextStatus, type StatusInput, type StatusTimeouts } from '../../coordinator/node-status.js';
import type { NodeStatus } from '../../coordinator/store/schema.js';

const T: StatusTimeouts = { suspectAfterMs: 3000, downAfterMs: 5000 };
const tick: StatusInput = { kind: 'tick' };

interface Row {
  name: string;
  status: NodeStatus;
  lastSeenMs: number;
  nowMs: number;
  input: StatusInput;
  to: NodeStatus | undefined;
  reason?: RegExp;
}

const rows: Row[] = [
  // silence: 2999 ms < 3000 -> stays ready
  { name: 'ready, silent just under suspect bound', status: 'ready', lastSeenMs: 1000, nowMs: 3999, input: tick, to: undefined },
  // silence: 3000 ms >= 3000 -> suspect
  { name: 'ready, silent at suspect bound', status: 'ready', lastSeenMs: 1000, nowMs: 4000, input: tick, to: 'suspect', reason: /no report for 3\.0s/ },
  // silence: 4999 ms < 5000 -> suspect stays suspect
  { name: 'suspect, silent under down bound', status: 'suspect', lastSeenMs: 1000, nowMs: 5999, input: tick, to: undefined },
  // silence: 5000 ms >= 5000 -> down (evicted)
  { name: 'suspect, silent at down bound', status: 'suspect', lastSeenMs: 1000, nowMs: 6000, input: tick, to: 'down', reason: /evicted/ },
  // a coarse tick may skip suspect: 7000 ms >= 5000 -> straight to down
  { name: 'ready, silent past down bound', status: 'ready', lastSeenMs: 0, nowMs: 7000, input: tick, to: 'down', reason: /no report for 7\.0s \(limit 5\.0s\)/ },
  { name: 'down stays down on tick', status: 'down', lastSeenMs: 0, nowMs: 100_000, input: tick, to: undefined },
  { name: 'left stays left on tick', status: 'left', lastSeenMs: 0, nowMs: 100_000, input: tick, to: undefined },
  { name: 'report revives suspect', status: 'suspect', lastSeenMs: 0, nowMs: 10, input: { kind: 'report' }, to: 'ready', reason: /resumed \(was suspect\)/ },
  { name: 'report revives down (partition healed on the same stream)', status: 'down', lastSeenMs: 0, nowMs: 10, input: { kind: 'report' }, to: 'ready' },
  { name: 'report on ready changes nothing', status: 'ready', lastSeenMs: 0, nowMs: 10, input: { kind: 'report' }, to: undefined },
  { name: 'new node hello joins', status: 'ready', lastSeenMs: 0, nowMs: 0, input: { kind: 'hello', known: false }, to: 'ready', reason: /^joined$/ },
  { name: 'known down node rejoins', status: 'down', lastSeenMs: 0, nowMs: 0, input: { kind: 'hello', known: true }, to: 'ready', reason: /rejoined \(was down\)/ },
  { name: 'known left node rejoins', status: 'left', lastSeenMs: 0, nowMs: 0, input: { kind: 'hello', known: true }, to: 'ready', reason: /was left/ },
  { name: 'known ready node reconnecting stays ready', status: 'ready', lastSeenMs: 0, nowMs: 0, input: { kind: 'hello', known: true }, to: undefined },
  { name: 'goodbye leaves at once', status: 'ready', lastSeenMs: 0, nowMs: 0, input: { kind: 'goodbye', reason: 'maintenance' }, to: 'left', reason: /agent left: maintenance/ },
  { name: 'goodbye from suspect leaves', status: 'suspect', lastSeenMs: 0, nowMs: 0, input: { kind: 'goodbye', reason: '' }, to: 'left', reason: /shutdown/ },
  { name: 'stream closed makes ready suspect', status: 'ready', lastSeenMs: 0, nowMs: 0, input: { kind: 'disconnected', detail: 'reset' }, to: 'suspect', reason: /stream closed: reset/ },
  { name: 'stream closed on down changes nothing', status: 'down', lastSeenMs: 0, nowMs: 0, input: { kind: 'disconnected', detail: 'x' }, to: undefined },
];

for (const r of rows) {
  t.test(r.name, async (t) => {
    const got = nextStatus(r.status, r.lastSeenMs, r.input, r.nowMs, T);
    t.equal(got?.to, r.to);
    if (r.reason) t.match(got?.reason, r.reason);
  });
}

t.test('custom timeouts are honoured', async (t) => {
  const fast = { suspectAfterMs: 300, downAfterMs: 500 };
  t.equal(nextStatus('ready', 0, tick, 299, fast), undefined);
  t.equal(nextStatus('ready', 0, tick, 300, fast)?.to, 'suspect');
  t.equal(nextStatus('suspect', 0, tick, 500, fast)?.to, 'down');
});
