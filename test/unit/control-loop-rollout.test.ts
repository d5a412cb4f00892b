// Rolling updates through the whole coordinator in the harness (store over memory, recording
// sessions, manual clock): health reported by the harness' nodes, rounds driven one by one, what
// the nodes run sampled after every round. Also a coordinator restart mid-rollout over the same
// stored state, an automatic rollback, a start-first fallback and scaling during a rollout.
import t from 'tap';
import { Harness } from '../fixtures/harness.js';

const compose = (image: string, o: { replicas?: number; extra?: string; update?: string } = {}) => `name: shop
services:
  web:
    image: ${image}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://localhost/"]
      interval: 1s
      timeout: 1s
      retries: 3
${o.extra ?? ''}    deploy:
      replicas: ${o.replicas ?? 3}
${o.update ?? ''}`;

const deploy = (h: Harness, text: string) => h.stacks.deploy({ text, file: 'compose.yaml', stackName: undefined, env: {} });

/** Starts of an image whose name contains `broken` run but never pass their check; others start `starting`. */
function healthByImage(h: Harness, broken: { state: string; health?: string } = { state: 'running', health: 'unhealthy' }): void {
  h.startBehaviour = (image) => (image.includes('broken') ? broken : { state: 'running', health: 'starting' });
}

/** Three nodes, web at nginx:1.27 with 3 healthy replicas, and the start commands' resend interval passed. */
async function steady(): Promise<Harness> {
  const h = new Harness();
  healthByImage(h);
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  await deploy(h, compose('nginx:1.27'));
  h.healthAll('starting', 'healthy');
  h.advance(10_000);
  await h.round();
  return h;
}

interface Sample {
  /** Containers running healthy, per image generation (by allocation record). */
  healthy: number;
  /** Allocations that should run. */
  desired: number;
  slots: Map<number, number>;
}

function sample(h: Harness): Sample {
  const live = h.containers();
  let healthy = 0;
  const slots = new Map<number, number>();
  let desired = 0;
  for (const a of Object.values(h.store.state.allocations)) {
    const c = live.get(a.id);
    if (c?.state === 'running' && c.health === 'healthy') healthy++;
    if (a.desired === 'run') {
      desired++;
      slots.set(a.replica, (slots.get(a.replica) ?? 0) + 1);
    }
  }
  return { healthy, desired, slots };
}

/** One second passes, the nodes' checks of starting containers pass, nodes report, one round. */
async function tick(h: Harness, checksPass = true): Promise<void> {
  h.advance(1000);
  if (checksPass) h.healthAll('starting', 'healthy');
  h.reportAll();
  await h.round();
}

const images = (h: Harness) => Object.values(h.store.state.allocations).filter((a) => a.desired === 'run').map((a) => `${a.replica}:${a.generation}`).sort();

t.test('a 3-replica update rolls one replica at a time, each old copy stopped only once its replacement is healthy', async (t) => {
  const h = await steady();
  const before = Object.keys(h.store.state.allocations).sort();
  await deploy(h, compose('nginx:1.28'));
  t.equal(h.queries.rolloutStatus('web').state, 'running');
  let rounds = 0;
  let minHealthy = Infinity;
  let maxDesired = 0;
  while (h.queries.rolloutStatus('web').state === 'running' && rounds++ < 30) {
    const s = sample(h);
    minHealthy = Math.min(minHealthy, s.healthy);
    maxDesired = Math.max(maxDesired, s.desired);
    t.ok([...s.slots.values()].every((n) => n <= 2), `round ${rounds}: no slot has more than its old and its new copy`);
    await tick(h);
  }
  const st = h.queries.rolloutStatus('web');
  t.equal(st.state, 'completed');
  t.same([st.updated, st.total, st.failures, st.healthy], [3, 3, 0, 3]);
  t.ok(minHealthy >= 3 - 1, `never fewer than replicas - parallelism = 2 healthy (min ${minHealthy})`);
  t.equal(maxDesired, 3 + 1, 'start-first with parallelism 1: one extra replica at most');
  t.same(images(h), ['1:2', '2:2', '3:2'], 'every slot on generation 2');
  t.ok(before.every((id) => h.store.state.allocations[id]?.desired !== 'run'), 'every old replica stopped');
  // 3 slots, each: place (1 round), starting -> healthy (1 round) -> old stopped and next placed.
  t.ok(rounds <= 8, `took ${rounds} rounds`);
  const types = h.events.list().map((e) => e.type);
  t.ok(types.includes('rollout.started') && types.includes('rollout.completed'));
});

t.test('stop-first with parallelism 2: two old copies go first, then their replacements are placed', async (t) => {
  const h = await steady();
  await deploy(h, compose('nginx:1.28', { update: '      update_config:\n        order: stop-first\n        parallelism: 2\n' }));
  const s = sample(h);
  t.equal(s.desired, 1, 'two old replicas stopped, nothing new placed while they still run');
  t.equal(Object.values(h.store.state.rollouts)[0]!.config.order, 'stop-first');
  for (let i = 0; i < 20 && h.queries.rolloutStatus('web').state === 'running'; i++) {
    t.ok(sample(h).desired <= 3, 'never more than 3 copies');
    await tick(h);
  }
  t.equal(h.queries.rolloutStatus('web').state, 'completed');
  t.same(images(h), ['1:2', '2:2', '3:2']);
});

const failing: { name: string; broken: { state: string; health?: string }; word: RegExp; refused?: string }[] = [
  { name: 'a health check that never passes', broken: { state: 'running', health: 'unhealthy' }, word: /1 of 3 new replicas unhealthy/ },
  { name: 'a command that exits at once', broken: { state: 'exited' }, word: /1 of 3 new replicas exited/ },
  // The engine refuses the start; the agent says so with a `failed` replica event.
  { name: 'an image that does not exist', broken: { state: 'created' }, word: /1 of 3 new replicas failed to run/, refused: 'pull access denied for nginx, repository does not exist' },
];

/** The agents of new replicas whose start the engine refused report them failed. */
function refuse(h: Harness, error: string): void {
  for (const a of Object.values(h.store.state.allocations)) {
    if (a.generation !== 2 || a.observed) continue;
    h.dispatcher.onAgentEvent(a.nodeId, { kind: 'replica', allocationId: a.id, state: 'failed', containerId: '', exitCode: 0, error, restarts: 0, health: 'none', healthOutput: '' });
  }
}

for (const f of failing) {
  t.test(`${f.name}: rolled back automatically, the old replicas served throughout and are what runs after`, async (t) => {
    const h = await steady();
    healthByImage(h, f.broken);
    const old = Object.values(h.store.state.allocations).map((a) => a.id).sort();
    await deploy(h, compose('nginx:broken'));
    for (let i = 0; i < 20 && !(h.queries.rolloutStatus('web').state === 'rolled-back'); i++) {
      t.ok(old.every((id) => h.containers().get(id)?.health === 'healthy'), `round ${i}: the 3 old replicas run healthy`);
      if (f.refused) refuse(h, f.refused);
      await tick(h, false);
    }
    const st = h.queries.rolloutStatus('web');
    t.equal(st.state, 'rolled-back');
    t.match(st.reason, new RegExp(`^web: ${f.word.source} \\(max_failure_ratio 0\\): rolling back to generation 1$`));
    t.equal(st.restoresGeneration, 1);
    if (f.refused) t.ok(h.events.list().some((e) => e.type === 'rollout.replica-failed' && e.message.includes(f.refused!)), 'the engine\'s reason is in the event');
    const rollbackEvent = h.events.list().find((e) => e.type === 'rollout.rollback');
    t.match(rollbackEvent?.message, /^shop\/web: .* rolling back to generation 1$/);
    const svc = h.store.state.stacks['shop']!.services['web']!;
    t.equal(svc.spec.image, 'nginx:1.27', 'the service shows its previous spec');
    t.equal(svc.generation, 3, 'as a new generation (1 -> 2 broken -> 3 = the spec of 1)');
    t.same(Object.values(h.store.state.allocations).filter((a) => a.desired === 'run').map((a) => a.id).sort(), old, 'the old replicas are kept, not replaced');
    const brokenStarts = Object.values(h.store.state.allocations).filter((a) => a.generation === 2);
    t.ok(brokenStarts.length <= 1, `the failed new replica was not replaced (${brokenStarts.length} placed)`);
    const hist = h.queries.history('web');
    t.same(hist.map((r) => `${r.generation} ${r.image} ${r.outcome}`), ['3 nginx:1.27 completed', '2 nginx:broken rolled-back', '1 nginx:1.27 deployed']);
    t.match(hist[1]!.reason, /rolling back to generation 1/);
    t.equal(hist[0]!.change, 'rollback to generation 1');
    t.equal(hist[1]!.change, 'image nginx:1.27 -> nginx:broken');
  });
}

t.test('a coordinator restart mid-rollout resumes it from the store: no replica lost, duplicated or restarted needlessly', async (t) => {
  let h = await steady();
  await deploy(h, compose('nginx:1.28'));
  await tick(h); // web.1 (new) healthy -> old web.1 stopped, web.2 (new) placed
  await tick(h, false); // web.2 running, still starting
  const rec = Object.values(h.store.state.rollouts)[0]!;
  t.same(Object.entries(rec.slots).map(([k, s]) => `${k}:${s.outcome ?? '-'}`), ['1:updated', '2:-'], 'killed with slot 1 done and slot 2 in flight');
  const newBefore = Object.values(h.store.state.allocations).filter((a) => a.generation === 2 && a.desired === 'run').length;
  const oldThree = Object.values(h.store.state.allocations).find((a) => a.replica === 3 && a.generation === 1)!.id;

  h = h.restart();
  t.same(Object.values(h.store.state.rollouts)[0]!.slots['2']!.outcome, undefined, 'the new coordinator reads the same rollout');
  let placedAfterRestart = 0;
  const seenIds = new Set(Object.keys(h.store.state.allocations));
  for (let i = 0; i < 20 && h.queries.rolloutStatus('web').state === 'running'; i++) {
    const s = sample(h);
    t.ok([...s.slots.values()].every((n) => n <= 2), `round ${i}: no slot beyond its old and new copy`);
    t.ok(s.healthy >= 2, `round ${i}: at least 2 healthy`);
    if (h.store.state.allocations[oldThree]?.desired === 'stop') t.ok(h.store.state.rollouts['shop/web']!.slots['3'], 'old web.3 is stopped only once slot 3 is admitted');
    await tick(h);
    for (const id of Object.keys(h.store.state.allocations)) if (!seenIds.has(id)) {
      seenIds.add(id);
      placedAfterRestart++;
    }
  }
  t.equal(h.queries.rolloutStatus('web').state, 'completed');
  t.same(images(h), ['1:2', '2:2', '3:2'], 'exactly the desired replicas of the new version');
  t.equal(placedAfterRestart, 1, 'only slot 3 was placed after the restart: web.2 (placed before) was kept');
  t.equal(newBefore, 2, 'before the restart: 2 new replicas placed (slots 1 and 2)');
});

t.test('start-first falls back to stop-first, and says so, when the new copy cannot be placed beside the old (host port in use)', async (t) => {
  const h = new Harness();
  healthByImage(h);
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  const ports = '    ports:\n      - target: 80\n        published: 8080\n        mode: host\n';
  await deploy(h, compose('nginx:1.27', { extra: ports }));
  h.healthAll('starting', 'healthy');
  h.advance(10_000);
  await h.round();
  await deploy(h, compose('nginx:1.28', { extra: ports }));
  for (let i = 0; i < 30 && h.queries.rolloutStatus('web').state === 'running'; i++) {
    t.ok(sample(h).desired <= 3, 'never more than 3: there is no room for a fourth on port 8080');
    await tick(h);
  }
  t.equal(h.queries.rolloutStatus('web').state, 'completed');
  t.same(images(h), ['1:2', '2:2', '3:2']);
  const fallbacks = h.events.list().filter((e) => e.type === 'rollout.stop-first');
  t.equal(fallbacks.length, 3, 'each slot fell back, with an event');
  t.match(fallbacks[0]!.message, /^shop\/web\.\d: no room to start the new replica beside the old one \(.*8080.*\): stop-first for this slot$/);
});

t.test('scaling during a rollout: new slots get the new spec at once, the rollout ends with all of them', async (t) => {
  const h = await steady();
  await deploy(h, compose('nginx:1.28'));
  await tick(h);
  await h.stacks.scale('web', '5');
  for (let i = 0; i < 30 && h.queries.rolloutStatus('web').state === 'running'; i++) await tick(h);
  t.equal(h.queries.rolloutStatus('web').state, 'completed');
  t.same(images(h), ['1:2', '2:2', '3:2', '4:2', '5:2']);
  t.equal(h.queries.rolloutStatus('web').total, 5);
});

t.test('a deploy back to the old spec mid-rollout keeps the old replicas; manual rollback returns to the previous spec', async (t) => {
  const h = await steady();
  const old = Object.values(h.store.state.allocations).map((a) => a.id).sort();
  await deploy(h, compose('nginx:1.28'));
  await tick(h); // slot 1 moved to 1.28
  const superseding = await deploy(h, compose('nginx:1.27'));
  t.equal(superseding.changes[0]!.change, 'updated');
  for (let i = 0; i < 20 && h.queries.rolloutStatus('web').state === 'running'; i++) await tick(h);
  t.equal(h.queries.rolloutStatus('web').state, 'completed');
  const running = Object.values(h.store.state.allocations).filter((a) => a.desired === 'run');
  t.same(running.filter((a) => a.replica !== 1).map((a) => a.id).sort(), old.filter((id) => !id.startsWith('web.1#')), 'slots 2 and 3 kept their original replicas');
  t.ok(running.every((a) => a.specHash === h.store.state.stacks['shop']!.services['web']!.specHash || a.generation === 1));
  t.same(h.events.list().filter((e) => e.type === 'rollout.superseded').length, 1);

  const r = await h.stacks.rollback('web');
  t.same([r.from, r.restores, r.generation], [3, 2, 4], 'back to the spec before: generation 2 (1.28), as generation 4');
  for (let i = 0; i < 20 && h.queries.rolloutStatus('web').state === 'running'; i++) await tick(h);
  t.equal(h.queries.rolloutStatus('web').state, 'rolled-back');
  t.equal(h.store.state.stacks['shop']!.services['web']!.spec.image, 'nginx:1.28');
  t.same(h.queries.history('web').map((x) => `${x.generation} ${x.outcome}`), ['4 completed', '3 completed', '2 superseded', '1 deployed']);
});

t.test('rollback with nothing to go back to is a conflict; unknown services are not found', async (t) => {
  const h = await steady();
  await t.rejects(h.stacks.rollback('web'), { name: 'ConflictError' });
  t.throws(() => h.queries.rolloutStatus('nope'), { name: 'NotFoundError' });
  t.throws(() => h.queries.rolloutStatus('web'), { name: 'NotFoundError' }, 'a service never updated has had no rollout');
});
