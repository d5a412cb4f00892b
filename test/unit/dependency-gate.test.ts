// The depends_on gate: which services wait, and what their reason says, for each condition.
import t from 'tap';
import { meets, waitingServices, type ServiceProgress } from '../../coordinator/dependency-gate.js';

const p = (over: Partial<ServiceProgress>): ServiceProgress => ({ desired: 1, running: 0, healthy: 0, runningWithoutCheck: 0, completed: 0, ...over });

t.test('meets: each condition counts its own replicas against the desired count', async (t) => {
  const rows: [string, Parameters<typeof meets>[0], ServiceProgress, boolean][] = [
    ['started: 2 of 2 running', 'service_started', p({ desired: 2, running: 2 }), true],
    ['started: 1 of 2 running', 'service_started', p({ desired: 2, running: 1, healthy: 1 }), false],
    ['healthy: 3 running, 2 healthy of 3', 'service_healthy', p({ desired: 3, running: 3, healthy: 2 }), false],
    ['healthy: 3 of 3', 'service_healthy', p({ desired: 3, running: 3, healthy: 3 }), true],
    // During a start-first rollout a service may run more than desired: more is fine.
    ['healthy: 4 healthy of 3 desired', 'service_healthy', p({ desired: 3, running: 4, healthy: 4 }), true],
    ['completed: running does not count', 'service_completed_successfully', p({ desired: 1, running: 1 }), false],
    ['completed: 1 of 1', 'service_completed_successfully', p({ desired: 1, completed: 1 }), true],
    ['scaled to 0: nothing to wait for', 'service_healthy', p({ desired: 0 }), true],
  ];
  for (const [name, cond, progress, ok] of rows) t.equal(meets(cond, progress).ok, ok, name);
});

t.test('waitingServices: reasons name each unmet dependency with its count', async (t) => {
  const progress = new Map<string, ServiceProgress>([
    ['db', p({ desired: 1, running: 1, healthy: 0 })],
    ['cache', p({ desired: 2, running: 2 })],
    ['migrate', p({ desired: 1 })],
    ['plain', p({ desired: 1, running: 1, runningWithoutCheck: 1 })],
  ]);
  const waiting = waitingServices(
    [
      { stack: 's', name: 'api', dependsOn: [{ service: 'db', condition: 'service_healthy', required: true }, { service: 'cache', condition: 'service_started', required: true }] },
      { stack: 's', name: 'worker', dependsOn: [{ service: 'migrate', condition: 'service_completed_successfully', required: true }, { service: 'db', condition: 'service_started', required: true }] },
      { stack: 's', name: 'web', dependsOn: [{ service: 'plain', condition: 'service_healthy', required: true }] },
      { stack: 's', name: 'free', dependsOn: [{ service: 'cache', condition: 'service_started', required: true }] },
      { stack: 's', name: 'opt', dependsOn: [{ service: 'absent', condition: 'service_started', required: false }] },
      { stack: 's', name: 'req', dependsOn: [{ service: 'absent', condition: 'service_started', required: true }] },
    ],
    (_stack, name) => progress.get(name),
  );
  t.same(
    Object.fromEntries(waiting),
    {
      's/api': 'waiting for db: 0/1 healthy',
      's/worker': 'waiting for migrate: 0/1 completed',
      's/web': 'waiting for plain: 0/1 healthy (1 running without a health check)',
      's/req': 'waiting for absent: not deployed',
    },
    'free (its dependency runs) and opt (optional, absent) do not wait',
  );
});
