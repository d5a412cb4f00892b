// The rollout step: a pure function from a service's rollout record, its replicas and now to what
// the control loop does next (SwarmKit's updater, as one round of decisions instead of goroutines).
// Workers of `parallelism` each move one slot at a time and rest `delay` after it; a new replica
// counts as updated once healthy (or, without a check, after running `monitor`), as a failure when
// it fails, exits, turns unhealthy or misses its deadline; failures over `max_failure_ratio` of the
// slots to move trigger `failure_action`. Nothing here reads a clock or the store.
import type { RolloutAllocation, RolloutInput } from './input.js';
import { failureSummary, progressOf, slotFilter, type RolloutProgress } from './progress.js';
import type { FailureKind, RolloutRecord, RolloutSlotRecord } from './record.js';

/** What the reconciler may do for a service whose rollout is not over. */
export interface RolloutGate {
  /** Slots that may get a replica of the target spec placed now. */
  readonly place: ReadonlySet<number>;
  /** Slots whose new replica failed in this rollout: not replaced while it lasts (no endless replacing). */
  readonly hold: ReadonlySet<number>;
}

export interface RolloutEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

export interface RollbackRequest {
  readonly toGeneration: number;
  readonly toSpecHash: string;
  /** For the event and the new rollout, e.g. `web: 2 of 3 new replicas unhealthy (max_failure_ratio 0): rolling back to generation 4`. */
  readonly reason: string;
}

export interface RolloutDecision {
  /** The record to store (a fresh object). */
  readonly record: RolloutRecord;
  readonly changed: boolean;
  /** Undefined once the rollout is over: the reconciler treats the service as usual. */
  readonly gate: RolloutGate | undefined;
  /** Old-spec allocations to stop now. */
  readonly stop: { readonly allocationId: string; readonly reason: string }[];
  readonly events: RolloutEvent[];
  /** Failures over the ratio with failure_action rollback: return to the previous spec, as a new rollout. */
  readonly rollback?: RollbackRequest;
  readonly progress: RolloutProgress;
}

const isOld = (a: RolloutAllocation, target: string) => a.desired === 'run' && a.specHash !== target;

export function rolloutStep(input: RolloutInput): RolloutDecision {
  const rec = structuredClone(input.record) as RolloutRecord;
  const before = JSON.stringify(input.record);
  const now = input.nowMs;
  const target = rec.targetSpecHash;
  const cfg = rec.config;
  const events: RolloutEvent[] = [];
  const stop: { allocationId: string; reason: string }[] = [];
  const stopping = new Set<string>();
  const stopOld = (slotAllocs: readonly RolloutAllocation[], reason: string) => {
    for (const a of slotAllocs) if (isOld(a, target) && !stopping.has(a.id)) {
      stopping.add(a.id);
      stop.push({ allocationId: a.id, reason });
    }
  };

  const bySlot = new Map<number, RolloutAllocation[]>();
  for (const a of input.allocations) {
    const list = bySlot.get(a.slot);
    if (list) list.push(a);
    else bySlot.set(a.slot, [a]);
  }
  const desired = input.slots ?? input.replicas;
  const inService = slotFilter(desired);
  for (const key of Object.keys(rec.slots)) if (!inService(Number(key))) delete rec.slots[key];

  if (rec.state === 'completed') {
    return { record: rec, changed: JSON.stringify(rec) !== before, gate: undefined, stop, events, progress: progressOf(rec, desired, input.allocations) };
  }

  // 1. Follow each touched slot's new replica; adopt new replicas placed while the rollout runs
  // (after a node loss or a scale-up: they are new code too). Target-spec replicas from before the
  // rollout started are clean: kept as they are (a deploy back to the old spec keeps the old replicas).
  for (const slot of input.slots ?? Array.from({ length: input.replicas }, (_, i) => i + 1)) {
    const allocs = bySlot.get(slot) ?? [];
    const news = allocs.filter((a) => a.desired === 'run' && a.specHash === target).sort((a, b) => b.createdAtMs - a.createdAtMs);
    let entry = rec.slots[slot];
    if (!entry) {
      if (news.length === 0 || news.some((a) => a.createdAtMs < rec.startedAtMs)) continue;
      entry = rec.slots[slot] = { allocationId: news[0]!.id, admittedAtMs: news[0]!.createdAtMs, order: cfg.order };
    }
    if (entry.outcome) continue;
    let a = news.find((x) => x.id === entry.allocationId);
    if (!a && news.length > 0) {
      // The one it waited on is gone (its node was lost): follow the replacement from scratch.
      a = news[0]!;
      entry.allocationId = a.id;
      delete entry.runningSinceMs;
      delete entry.healthySinceMs;
    } else if (!a && entry.allocationId) {
      entry.allocationId = '';
      delete entry.runningSinceMs;
      delete entry.healthySinceMs;
    }
    if (!a) {
      // Admitted but never placed (the new spec fits nowhere): a failure too, or the rollout would wait forever.
      if (now - entry.admittedAtMs > input.deadlineMs) {
        const why = input.unplaced.get(slot);
        const text = `not placed within ${Math.round(input.deadlineMs / 1000)} s of its admission${why ? ` (${why})` : ''}`;
        Object.assign(entry, { outcome: 'failed', doneAtMs: now, failureKind: 'deadline', failure: text } satisfies Partial<RolloutSlotRecord>);
        events.push({ type: 'rollout.replica-failed', reason: text, message: `${input.service}.${slot}: new replica (generation ${rec.targetGeneration}) ${text}` });
      }
      continue;
    }
    if (a.live === 'running') {
      entry.runningSinceMs ??= now;
      if (a.health === 'healthy') entry.healthySinceMs ??= now;
    }
    const failure = failureOf(a, input) ?? (isUpdated(a, entry, input) ? undefined : missedDeadline(a, input));
    if (failure) {
      Object.assign(entry, { outcome: 'failed', doneAtMs: now, failureKind: failure.kind, failure: failure.text } satisfies Partial<RolloutSlotRecord>);
      events.push({ type: 'rollout.replica-failed', reason: failure.text, message: `${input.service}.${slot}: new replica (generation ${rec.targetGeneration}) ${failure.text}` });
    } else if (isUpdated(a, entry, input)) {
      entry.outcome = 'updated';
      entry.doneAtMs = now;
    }
  }

  // 2. Failures over the ratio (SwarmKit: failures / slots to move > max_failure_ratio).
  let progress = progressOf(rec, desired, input.allocations);
  let rollback: RollbackRequest | undefined;
  if (rec.state === 'running' && cfg.failureAction !== 'continue' && progress.total > 0 && progress.failed / progress.total > cfg.maxFailureRatio) {
    const kinds = Object.values(rec.slots).flatMap((s) => (s.outcome === 'failed' && s.failureKind ? [s.failureKind] : []));
    const why = `${input.service}: ${failureSummary(kinds, progress.total)} (max_failure_ratio ${cfg.maxFailureRatio})`;
    if (cfg.failureAction === 'rollback' && rec.kind === 'update' && rec.fromSpecHash) {
      rollback = { toGeneration: rec.fromGeneration, toSpecHash: rec.fromSpecHash, reason: `${why}: rolling back to generation ${rec.fromGeneration}` };
      rec.reason = rollback.reason;
      events.push({ type: 'rollout.rollback', reason: why, message: rollback.reason });
    } else {
      const note = cfg.failureAction === 'rollback' ? (rec.kind === 'rollback' ? ' (a rollback is not rolled back)' : ' (no previous spec to roll back to)') : '';
      rec.state = 'paused';
      rec.reason = `${why}: ${rec.kind} paused${note}`;
      events.push({ type: 'rollout.paused', reason: why, message: rec.reason });
    }
  }

  // 3. Admit pending slots to free workers. A worker rests `delay` after its slot is done.
  if (rec.state === 'running' && !rollback) {
    const resting = cfg.delayMs > 0 ? Object.values(rec.slots).filter((s) => s.doneAtMs !== undefined && now - s.doneAtMs < cfg.delayMs).length : 0;
    let free = (cfg.parallelism === 0 ? Infinity : cfg.parallelism) - progress.inFlight - resting;
    for (const slot of progress.pending) {
      if (free <= 0) break;
      free--;
      rec.slots[slot] = { allocationId: '', admittedAtMs: now, order: cfg.order };
    }
  }

  // 4. Old copies: stop-first stops them on admission, start-first once the new one counts as
  // updated; a start-first slot whose new copy could not be placed beside the old one falls back.
  for (const [key, entry] of Object.entries(rec.slots)) {
    const slot = Number(key);
    const allocs = bySlot.get(slot) ?? [];
    if (!entry.outcome && entry.order === 'start-first' && !entry.allocationId && entry.admittedAtMs < now && input.unplaced.has(slot) && allocs.some((a) => isOld(a, target))) {
      entry.order = 'stop-first';
      const why = input.unplaced.get(slot)!;
      events.push({ type: 'rollout.stop-first', reason: why, message: `${input.service}.${slot}: no room to start the new replica beside the old one (${why}): stop-first for this slot` });
    }
    if (entry.outcome === 'updated') stopOld(allocs, `replaced by generation ${rec.targetGeneration}`);
    else if (!entry.outcome && entry.order === 'stop-first') stopOld(allocs, `stop-first update to generation ${rec.targetGeneration}`);
  }

  // 5. What the reconciler may place now. Stop-first waits until no old copy of the slot runs (its
  // host ports and room are free, as SwarmKit's DelayStart waits for the old task to stop).
  const place = new Set<number>();
  const hold = new Set<number>();
  for (const [key, entry] of Object.entries(rec.slots)) {
    const slot = Number(key);
    const allocs = bySlot.get(slot) ?? [];
    if (entry.outcome === 'failed') hold.add(slot);
    if (entry.outcome || rollback) continue;
    if (allocs.some((a) => a.desired === 'run' && a.specHash === target)) continue;
    if (entry.order === 'stop-first' && allocs.some((a) => a.specHash !== target && a.live === 'running')) continue;
    place.add(slot);
  }

  // 6. Done when no slot waits or still runs an old spec.
  progress = progressOf(rec, desired, input.allocations);
  if (rec.state === 'running' && !rollback && progress.inFlight === 0 && progress.pending.length === 0) {
    rec.state = 'completed';
    rec.endedAtMs = now;
    const failed = progress.failed ? `, ${progress.failed} failed` : '';
    const what = rec.kind === 'rollback' ? `rolled back to the spec of generation ${rec.restoresGeneration ?? '?'} (now generation ${rec.targetGeneration})` : `generation ${rec.targetGeneration} rolled out`;
    events.push({ type: 'rollout.completed', reason: '', message: `${input.service}: ${what} (${progress.updated}/${progress.total} updated${failed})` });
    return { record: rec, changed: true, gate: undefined, stop, events, progress };
  }
  return { record: rec, changed: JSON.stringify(rec) !== before, gate: { place, hold }, stop, events, rollback, progress };
}

/** Why the new replica counts as a failure now, if it does. Only positive evidence counts: a replica nobody reports is waited for. */
function failureOf(a: RolloutAllocation, input: RolloutInput): { kind: FailureKind; text: string } | undefined {
  if (a.failed !== undefined) return { kind: 'failed', text: `failed: ${a.failed}` };
  if (a.live === 'exited' || a.live === 'dead') return { kind: 'exited', text: `exited (code ${a.exitCode})` };
  if (a.restarts > 0) return { kind: 'exited', text: `restarted ${a.restarts} time${a.restarts === 1 ? '' : 's'}` };
  if (a.health === 'unhealthy') return { kind: 'unhealthy', text: 'unhealthy' };
  return undefined;
}

/** Not updated yet, and past its deadline while its node reports. */
function missedDeadline(a: RolloutAllocation, input: RolloutInput): { kind: FailureKind; text: string } | undefined {
  if (!a.reported || input.nowMs - a.createdAtMs <= input.deadlineMs) return undefined;
  return { kind: 'deadline', text: `not ${input.expectsHealth ? 'healthy' : 'running'} within ${Math.round(input.deadlineMs / 1000)} s of its placement` };
}

/** Healthy, or, when the spec names no check and none is reported, running for `monitor` (SwarmKit's monitor period). */
function isUpdated(a: RolloutAllocation, entry: RolloutSlotRecord, input: RolloutInput): boolean {
  if (a.live !== 'running') return false;
  if (a.health === 'healthy') return true;
  if (input.expectsHealth || (a.health !== '' && a.health !== 'none')) return false;
  return entry.runningSinceMs !== undefined && input.nowMs - entry.runningSinceMs >= input.record.config.monitorMs;
}
