// The fault campaign's planner (test/fixtures/faults.ts): a seed gives the same fault sequence (so a
// failing seed reruns the same faults), the faults are sized against the eviction bound as the
// campaign claims, every kind is drawn, and the model follows only scale and deploy.
import t from 'tap';
import { seededRng } from '../../shared/random.js';
import { applyToModel, describeFault, faultStack, planFault, type Fault, type FaultModel } from '../fixtures/faults.js';

const bounds = { downAfterMs: 3000 };

function sequence(seed: number, rounds: number): { faults: Fault[]; model: FaultModel } {
  const rng = seededRng(seed);
  let model: FaultModel = { replicas: 3, envTag: 'r0' };
  const faults: Fault[] = [];
  for (let round = 1; round <= rounds; round++) {
    const f = planFault(rng, model, 3, bounds, round);
    faults.push(f);
    model = applyToModel(f, model);
  }
  return { faults, model };
}

t.test('a seed gives the same sequence; another seed another', async (t) => {
  t.same(sequence(42, 20).faults.map(describeFault), sequence(42, 20).faults.map(describeFault));
  t.not(sequence(42, 20).faults.map(describeFault).join('\n'), sequence(43, 20).faults.map(describeFault).join('\n'));
});

t.test('faults are sized against the eviction bound, targets in range', async (t) => {
  const { faults } = sequence(7, 2000);
  const flat = faults.flatMap((f) => (f.kind === 'drain-during' ? [f, f.inner] : [f]));
  const kinds = new Set(flat.map((f) => f.kind));
  t.same([...kinds].sort(), ['agent-kill', 'container-kill', 'coordinator-kill', 'coordinator-kill-during-cut', 'deploy-then-coordinator-kill', 'drain-during', 'engine-kill', 'host-crash', 'long-cut', 'scale-then-coordinator-kill', 'short-flap'], 'every kind is drawn');
  let model: FaultModel = { replicas: 3, envTag: 'r0' };
  for (const f of faults) {
    for (const g of f.kind === 'drain-during' ? [f.inner] : []) t.not(g.kind, 'drain-during', 'a drain never wraps a drain');
    for (const g of f.kind === 'drain-during' ? [f, f.inner] : [f]) {
      if ('host' in g && (g.host < 1 || g.host > 3)) t.fail(`host out of range: ${describeFault(g)}`);
      if ((g.kind === 'long-cut' || g.kind === 'coordinator-kill-during-cut') && g.cutMs <= bounds.downAfterMs) t.fail(`a long cut not longer than the bound: ${describeFault(g)}`);
      if (g.kind === 'short-flap' && g.cutsMs.some((ms) => ms >= bounds.downAfterMs)) t.fail(`a flap not shorter than the bound: ${describeFault(g)}`);
      if (g.kind === 'container-kill' && g.service === 'rep' && (g.replica < 1 || g.replica > model.replicas)) t.fail(`killing a slot that is not desired: ${describeFault(g)} with ${model.replicas} replicas`);
    }
    model = applyToModel(f, model);
  }
  t.pass('checked 2000 rounds');
});

t.test('only an acknowledged scale or deploy changes the model', async (t) => {
  const m: FaultModel = { replicas: 3, envTag: 'r0' };
  t.same(applyToModel({ kind: 'scale-then-coordinator-kill', replicas: 5, downMs: 1 }, m), { replicas: 5, envTag: 'r0' });
  t.same(applyToModel({ kind: 'deploy-then-coordinator-kill', replicas: 1, envTag: 'r4', downMs: 1 }, m), { replicas: 1, envTag: 'r4' });
  t.same(applyToModel({ kind: 'drain-during', host: 1, afterMs: 0, inner: { kind: 'scale-then-coordinator-kill', replicas: 2, downMs: 1 }, untilDrained: false }, m), { replicas: 2, envTag: 'r0' });
  t.same(applyToModel({ kind: 'long-cut', host: 2, cutMs: 5000 }, m), m);
  t.match(faultStack('img', { replicas: 4, envTag: 'r9' }), /FAULT_ROUND: "r9"[\s\S]*replicas: 4\n[\s\S]*mode: global/);
});

t.test('drawing from some kinds only', async (t) => {
  const rng = seededRng(1);
  const m: FaultModel = { replicas: 3, envTag: 'r0' };
  for (let i = 0; i < 50; i++) {
    const f = planFault(rng, m, 3, bounds, i, ['drain-during']);
    if (f.kind !== 'drain-during' || f.inner.kind === 'drain-during') t.fail(`drains only: ${describeFault(f)}`);
    const g = planFault(rng, m, 3, bounds, i, ['long-cut', 'agent-kill']);
    if (g.kind !== 'long-cut' && g.kind !== 'agent-kill') t.fail(`long-cut or agent-kill: ${describeFault(g)}`);
  }
  t.pass('50 rounds each');
});
