import t from 'tap';
import { backoffDelayMs } from '../../agent/backoff.js';

t.test('delay grows exponentially up to the cap, jittered below the ceiling', async (t) => {
  const max = () => 0.999999;
  // ceiling = min(4000, 250 * 2^n): 250, 500, 1000, 2000, 4000, 4000
  const ceilings = [250, 500, 1000, 2000, 4000, 4000];
  ceilings.forEach((c, n) => t.equal(backoffDelayMs(n, { random: max }), c - 1, `attempt ${n}`));
  t.equal(backoffDelayMs(100, { random: max }), 3999, 'huge attempt numbers stay capped');
  t.equal(backoffDelayMs(5, { random: () => 0 }), 50, 'never below the 50 ms floor');
  t.equal(backoffDelayMs(3, { random: () => 0.5, initialMs: 100, maxMs: 300 }), 150, 'min(300, 800) * 0.5');
});
