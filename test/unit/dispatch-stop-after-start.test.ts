// The dispatcher re-sends the same command no sooner than resendMs (10 s), but a stop right after a
// start (`baton rm` just after a deploy, a scale-down just after a scale-up) goes in the next round,
// not 10 s later. Coordinator harness: manual clock, recording agent sessions.
import t from 'tap';
import { Harness } from '../fixtures/harness.js';

const text = `name: shop
services:
  web:
    image: busybox
    deploy:
      replicas: 1
`;

t.test('a stop right after a start is sent at once; a repeated start waits for resendMs', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  h.sent('n1');
  await h.stacks.deploy({ text, file: 'c.yaml', stackName: undefined, env: {} });
  await h.round();
  t.same(h.sent('n1').filter((s) => s.startsWith('start')), ['start web.1'], 'the start');
  h.advance(500);
  h.reportAll();
  await h.round();
  t.same(h.sent('n1'), [], 'nothing again half a second later');
  await h.stacks.remove('shop', '');
  h.advance(500);
  h.reportAll();
  await h.round();
  const stops = h.sent('n1').filter((s) => s.startsWith('stop'));
  t.equal(stops.length, 1, `the stop goes one second after the start, not ten: ${stops.join(', ')}`);
  t.match(stops[0], /\(removed\)$/);
  h.advance(1000);
  await h.round();
  t.same(h.sent('n1').filter((s) => s.startsWith('stop')), [], 'and is not repeated within resendMs');
});
