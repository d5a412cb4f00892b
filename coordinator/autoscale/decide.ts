// The autoscaling decision, as the Kubernetes HPA makes it (pkg/controller/podautoscaler): the
// proportional rule on a window of samples, a tolerance band, stabilisation windows, a step limit
// and min/max. Pure: samples, history and time come in, a decision (a value) goes out.
import type { AutoscaleSpec } from '../../shared/compose/types.js';

/** One tick's view of a service: averages over the replicas that count (running, healthy, warmed up). */
export interface AutoscaleSample {
  readonly atMs: number;
  /** Mean CPU use of the counted replicas as a percentage of one replica's CPU reservation; undefined: none counted. */
  readonly cpuPercent?: number;
  readonly memoryPercent?: number;
  /** Replicas whose use is in the averages. */
  readonly counted: number;
  /** Replicas desired to run but left out (starting, not running, not yet healthy, in their start period). */
  readonly excluded: number;
}

/** A past recommendation (the unbounded proposal), kept for the stabilisation windows. */
export interface Recommendation {
  readonly atMs: number;
  readonly replicas: number;
}

export interface DecideInput {
  readonly spec: AutoscaleSpec;
  /** The service's desired replica count now. */
  readonly current: number;
  /** Oldest first; those before `windowStartMs` or older than the window are ignored. */
  readonly samples: readonly AutoscaleSample[];
  /** Oldest first. */
  readonly recommendations: readonly Recommendation[];
  /** Samples count from here: the controller's start (a restart waits a fresh window) or the last change. */
  readonly windowStartMs: number;
  /** When the controller started: a scale-down waits one whole scale-down window from here. */
  readonly startedAtMs: number;
  /** The last change the controller made; undefined: none since it started. */
  readonly lastChangeAtMs?: number;
  readonly nowMs: number;
}

export type MetricName = 'cpu' | 'memory';

/** What a metric showed over the window and what it alone proposes. */
export interface MetricReading {
  readonly metric: MetricName;
  /** Median over the window of the per-tick averages, % of reservation. */
  readonly observedPercent: number;
  readonly targetPercent: number;
  /** observed / target. */
  readonly ratio: number;
  /** Each tick proposes ceil(counted × its ratio) (the count within tolerance); when all ask for more (or all for fewer), the proposal of the median ratio, else the count. */
  readonly proposal: number;
}

export interface AutoscaleDecision {
  /** wait: not enough fresh samples yet; hold: no change; scale: `desired` differs from `current`. */
  readonly kind: 'wait' | 'hold' | 'scale';
  readonly current: number;
  readonly desired: number;
  readonly readings: readonly MetricReading[];
  /** Replicas in the last sample's averages, and left out of them. */
  readonly counted: number;
  readonly excluded: number;
  /** The span of the samples used. */
  readonly windowMs: number;
  /** The largest metric proposal (before stabilisation and bounds); undefined when waiting. */
  readonly recommendation?: number;
  /** Why: the numbers, for the event and `baton autoscale status`. */
  readonly reason: string;
}

/** The HPA's default scale-up policy (4 pods or 100% per period, whichever is more). */
const DEFAULT_UP_STEP_PODS = 4;

export function decide(input: DecideInput): AutoscaleDecision {
  const { spec, current, nowMs } = input;
  const from = Math.max(input.windowStartMs, nowMs - spec.windowMs);
  const base = { current, desired: current, readings: [], counted: 0, excluded: 0, windowMs: spec.windowMs };
  const collected = nowMs - input.windowStartMs;
  if (collected < spec.windowMs) {
    return { ...base, kind: 'wait', reason: `collecting a fresh window: ${seconds(collected)} of ${seconds(spec.windowMs)}` };
  }
  const samples = input.samples.filter((s) => s.atMs > from && s.atMs <= nowMs);
  const last = samples.at(-1);
  const seen = { counted: last?.counted ?? 0, excluded: last?.excluded ?? 0 };
  if (!last || last.counted === 0) {
    return { ...base, ...seen, kind: 'hold', reason: `no replica counts yet (${seen.excluded} starting or not healthy)` };
  }

  const readings: MetricReading[] = [];
  for (const [metric, target] of [['cpu', spec.cpuPercent], ['memory', spec.memoryPercent]] as const) {
    if (target === undefined) continue;
    const ticks = samples.flatMap((s) => {
      const v = metric === 'cpu' ? s.cpuPercent : s.memoryPercent;
      // Not counted: the replicas left out of the averages, and those the count has but that are not
      // placed yet (the HPA's pending pods are unready pods too).
      return v === undefined || s.counted === 0 ? [] : [{ ratio: v / target, counted: s.counted, uncounted: Math.max(s.excluded, current - s.counted) }];
    });
    if (ticks.length === 0) continue;
    const proposals = ticks.map((x) => tickProposal(x.ratio, x.counted, x.uncounted, current, spec.tolerance));
    const ratio = median(ticks.map((x) => x.ratio));
    // The count moves only when every tick of the window asks for the same direction (a load that
    // has just begun or ended moves it once the whole window shows it, instead of creeping a replica
    // at a time over a half-loaded mean), and then by the window's median (the ticks of the ramp,
    // or a noisy one on a busy host, do not set the size of the step). Otherwise no change.
    const newest = ticks.at(-1)!;
    const byMean = tickProposal(ratio, newest.counted, newest.uncounted, current, spec.tolerance);
    const proposal = proposals.every((p) => p > current) ? Math.max(current, byMean) : proposals.every((p) => p < current) ? Math.min(current, byMean) : current;
    readings.push({ metric, observedPercent: ratio * target, targetPercent: target, ratio, proposal });
  }
  if (readings.length === 0) return { ...base, ...seen, kind: 'hold', reason: 'no usage reported in the window' };
  // With several metrics the HPA takes the largest proposal.
  const recommendation = Math.max(...readings.map((r) => r.proposal));

  // Stabilisation (HPA stabilizeRecommendationWithBehaviors): up to the lowest recommendation of the
  // up window, down to the highest of the down window, both including this one.
  const within = (windowMs: number) => [...input.recommendations.filter((r) => r.atMs > nowMs - windowMs), { atMs: nowMs, replicas: recommendation }].map((r) => r.replicas);
  const upTo = Math.min(...within(spec.scaleUpWindowMs));
  const downTo = Math.max(...within(spec.scaleDownWindowMs));
  let desired = current;
  let limitedBy = '';
  if (upTo > current) desired = upTo;
  else if (downTo < current) {
    // After a restart the history is gone: a scale-down waits until it covers a whole window again.
    if (nowMs - input.startedAtMs < spec.scaleDownWindowMs) limitedBy = `scale-down waits for a full ${seconds(spec.scaleDownWindowMs)} window of recommendations`;
    else desired = downTo;
  } else if (recommendation > current) limitedBy = `scale-up window ${seconds(spec.scaleUpWindowMs)} (lowest recommendation ${upTo})`;
  else if (recommendation < current) limitedBy = `scale-down window ${seconds(spec.scaleDownWindowMs)} (highest recommendation ${downTo})`;

  // Step limits, then min/max (min/max win: a count outside them moves into them at once).
  const upStep = spec.maxStep ?? Math.max(DEFAULT_UP_STEP_PODS, current);
  const downStep = spec.maxStep ?? Number.POSITIVE_INFINITY;
  if (desired > current + upStep) [desired, limitedBy] = [current + upStep, `max step ${upStep}`];
  if (desired < current - downStep) [desired, limitedBy] = [current - downStep, `max step ${downStep}`];
  if (desired > spec.max) [desired, limitedBy] = [spec.max, `max ${spec.max}`];
  if (desired < spec.min) [desired, limitedBy] = [spec.min, `min ${spec.min}`];

  if (desired !== current && input.lastChangeAtMs !== undefined && nowMs - input.lastChangeAtMs < spec.cooldownMs) {
    limitedBy = `cooldown ${seconds(spec.cooldownMs)} since the last change`;
    desired = current;
  }
  const numbers = readings.map((r) => `${r.metric} ${pct(r.ratio * 100)} of target (${pct(r.observedPercent)} of reservation, target ${pct(r.targetPercent)})`).join(', ');
  const reason = `${numbers} over ${last.counted} replica${last.counted === 1 ? '' : 's'}${seen.excluded ? ` (${seen.excluded} not counted)` : ''} (window ${seconds(spec.windowMs)}) → ${desired} replica${desired === 1 ? '' : 's'}${limitedBy ? ` (${limitedBy})` : ''}`;
  return { ...base, ...seen, kind: desired === current ? 'hold' : 'scale', desired, readings, recommendation, reason };
}

/**
 * One tick's proposal, as the HPA's replica calculator makes it (GetResourceReplicas): within the
 * tolerance band the current count, else ceil(counted × ratio). When asking for more while some
 * replicas are not counted, those count as using nothing (the HPA's unready pods on a scale-up):
 * if that brings the ratio into the band or below 1, no change. A proposal never goes against its
 * ratio's direction (more than the count for a ratio below 1, fewer for one above).
 */
export function tickProposal(ratio: number, counted: number, uncounted: number, current: number, tolerance: number): number {
  // Float noise must not push an exact product up a replica.
  const ceil = (x: number) => Math.ceil(Number(x.toPrecision(12)));
  if (ratio > 1 && uncounted > 0) {
    const rebalanced = (ratio * counted) / (counted + uncounted);
    if (Math.abs(rebalanced - 1) <= tolerance || rebalanced < 1) return current;
    return Math.max(current, ceil(rebalanced * (counted + uncounted)));
  }
  if (Math.abs(ratio - 1) <= tolerance) return current;
  const p = ceil(counted * ratio);
  return ratio > 1 ? Math.max(current, p) : Math.min(current, p);
}

/** Keeps what later decisions can still use: samples of the averaging window, recommendations of the longer stabilisation window. */
export function prune<T extends { atMs: number }>(list: T[], nowMs: number, keepMs: number): void {
  let drop = 0;
  while (drop < list.length && list[drop]!.atMs <= nowMs - keepMs) drop++;
  if (drop) list.splice(0, drop);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pct(n: number): string {
  return `${Math.round(n)}%`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
