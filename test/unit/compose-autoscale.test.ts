// x-baton.autoscale in Compose: what is accepted with its defaults (close to the HPA's), what is
// refused with the key path and what was expected, and that the bounds are not part of the spec hash.
import t from 'tap';
import { specHash } from '../../shared/compose/spec-hash.js';
import { errorLines, parse, stackYaml, webService } from '../fixtures/compose/docs.js';

const as = (autoscale: unknown, more: Record<string, unknown> = {}) => ({ 'x-baton': { autoscale }, ...more });

t.test('accepted, with defaults', async (t) => {
  const rows: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'cpu only: HPA defaults (10% tolerance, up window 0, down window 5 min), 30 s averaging window, no cooldown, starts at min',
      as({ min: 2, max: 6, cpu: '70%' }),
      { replicas: 2, autoscale: { min: 2, max: 6, cpuPercent: 70, windowMs: 30_000, scaleUpWindowMs: 0, scaleDownWindowMs: 300_000, cooldownMs: 0, tolerance: 0.1 } },
    ],
    [
      'every key, small for tests; a bare number is a percentage',
      as({ min: 1, max: 3, cpu: 50, memory: '80.5%', window: '5s', scale_up_window: '2s', scale_down_window: '20s', cooldown: '10s', max_step: 2, tolerance: '5%' }),
      { replicas: 1, autoscale: { min: 1, max: 3, cpuPercent: 50, memoryPercent: 80.5, windowMs: 5000, scaleUpWindowMs: 2000, scaleDownWindowMs: 20_000, cooldownMs: 10_000, maxStep: 2, tolerance: 0.05 } },
    ],
    ['deploy.replicas within min..max is the starting count', as({ min: 1, max: 5, memory: '60%' }, { deploy: { replicas: 3 } }), { replicas: 3 }],
  ];
  for (const [name, web, want] of rows) t.match(webService(web), want, name);
  t.notOk('autoscale' in webService({}), 'absent when not written');
});

t.test('refused with the key path', async (t) => {
  const rows: [string, Record<string, unknown>, string[]][] = [
    ['min above max', as({ min: 4, max: 2, cpu: '70%' }), ['services.web.x-baton.autoscale.min: must be at most max (2), got 4']],
    ['no target', as({ min: 1, max: 2 }), ['services.web.x-baton.autoscale: needs a target: cpu and/or memory, such as cpu: "70%"']],
    ['min 0', as({ min: 0, max: 2, cpu: '70%' }), ['services.web.x-baton.autoscale.min: must be at least 1 (a service at 0 replicas reports no load to scale up from)']],
    ['min missing', as({ max: 2, cpu: '70%' }), ['services.web.x-baton.autoscale.min: is required']],
    ['min not a number', as({ min: 'one', max: 2, cpu: '70%' }), ['services.web.x-baton.autoscale.min: must be a whole number of replicas, at least 1, got "one"']],
    ['percentage garbage', as({ min: 1, max: 2, cpu: 'lots' }), ['services.web.x-baton.autoscale.cpu: must be a percentage of the reservation such as "70%", got "lots"']],
    ['percentage 0', as({ min: 1, max: 2, memory: '0%' }), ['services.web.x-baton.autoscale.memory: must be a percentage above 0% and at most 1000%, got "0%"']],
    ['duration without unit', as({ min: 1, max: 2, cpu: '70%', scale_down_window: 300 }), ['services.web.x-baton.autoscale.scale_down_window: 300 is not a duration (use a number with a unit, e.g. 10s, 1m30s or 500ms)']],
    ['window over an hour', as({ min: 1, max: 2, cpu: '70%', cooldown: '2h' }), ['services.web.x-baton.autoscale.cooldown: must be at most 1h']],
    ['averaging window under a second', as({ min: 1, max: 2, cpu: '70%', window: '500ms' }), ['services.web.x-baton.autoscale.window: must be between 1s and 1h']],
    ['unknown key, with a suggestion', as({ min: 1, max: 2, cpu: '70%', maxstep: 1 }), ['services.web.x-baton.autoscale.maxstep: unknown key "maxstep" (did you mean "max_step"?)']],
    [
      'global mode',
      as({ min: 1, max: 2, cpu: '70%' }, { deploy: { mode: 'global' } }),
      ['services.web.x-baton.autoscale: cannot be used with deploy.mode: global (a global service runs one replica on every eligible node; its count follows the nodes, not the load)'],
    ],
    ['replicas outside the bounds', as({ min: 2, max: 4, cpu: '70%' }, { deploy: { replicas: 8 } }), ['services.web.deploy.replicas: must be within x-baton.autoscale min..max (2..4), got 8 (leave it out to start at min)']],
  ];
  for (const [name, web, want] of rows) t.same(errorLines(parse(stackYaml(web))), want, name);
});

t.test('the bounds are not in the spec hash: changing them starts no rollout', async (t) => {
  const a = webService(as({ min: 1, max: 3, cpu: '70%' }));
  const b = webService(as({ min: 2, max: 9, cpu: '50%' }));
  t.equal(specHash(a), specHash(b));
  t.equal(specHash(a), specHash(webService({})), 'nor does adding autoscale');
});
