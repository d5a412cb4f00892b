// depends_on across hosts: which services may not start new replicas yet because a dependency does
// not meet its condition over its desired replicas, wherever they run. Pure: the control loop
// counts each service's replicas from the store and the live reports and asks here.
//
// Compose orders start-up on one host and Swarm ignores depends_on; Baton gates every placement
// of a service (first deploy, after a coordinator restart, replacements after a node failure)
// until its dependencies are there. A dependency that goes unhealthy later does not stop running
// dependents (Compose behaves the same); it only holds back new placements.
import type { DependsOnSpec } from '../shared/compose/types.js';
import type { ObservedNow } from './observed.js';
import { serviceKey } from './slot-key.js';
import type { DeepReadonly, State } from './store/schema.js';

/** How far a service is, counted over allocations that should run (any generation). */
export interface ServiceProgress {
  /** Desired replicas. */
  readonly desired: number;
  readonly running: number;
  /** Running and reported healthy by its check. */
  readonly healthy: number;
  /** Running with no health check at all (Docker reports `none`): they can never be healthy. */
  readonly runningWithoutCheck: number;
  /** Exited with code 0 and not to be restarted. */
  readonly completed: number;
}

export interface GateService {
  readonly stack: string;
  readonly name: string;
  readonly dependsOn: readonly DependsOnSpec[];
}

/** Why a service waits, e.g. `waiting for db: 0/1 healthy`. */
export type WaitReason = string;

const CONDITION_WORD: Record<DependsOnSpec['condition'], string> = {
  service_started: 'running',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

/** Whether `p` meets `condition`, and the count it was judged on. */
export function meets(condition: DependsOnSpec['condition'], p: ServiceProgress): { ok: boolean; count: number } {
  const count = condition === 'service_started' ? p.running : condition === 'service_healthy' ? p.healthy : p.completed;
  // Zero desired replicas (scaled to 0) is met trivially: there is nothing to wait for.
  return { ok: count >= p.desired, count };
}

/**
 * Services (by `stack/service`) that must wait, with the reason naming every unmet dependency.
 * `progress` returns undefined for a service that is not deployed: a required dependency that is
 * missing waits (it may be deploying in another stack file later), an optional one is skipped.
 */
export function waitingServices(services: readonly GateService[], progress: (stack: string, service: string) => ServiceProgress | undefined): Map<string, WaitReason> {
  const out = new Map<string, WaitReason>();
  for (const svc of services) {
    const unmet: string[] = [];
    for (const dep of svc.dependsOn) {
      const p = progress(svc.stack, dep.service);
      if (!p) {
        if (dep.required) unmet.push(`${dep.service}: not deployed`);
        continue;
      }
      const m = meets(dep.condition, p);
      if (m.ok) continue;
      let text = `${dep.service}: ${m.count}/${p.desired} ${CONDITION_WORD[dep.condition]}`;
      if (dep.condition === 'service_healthy' && p.runningWithoutCheck > 0) text += ` (${p.runningWithoutCheck} running without a health check)`;
      unmet.push(text);
    }
    if (unmet.length) out.set(serviceKey(svc.stack, svc.name), `waiting for ${unmet.join(', ')}`);
  }
  return out;
}

/** The services that depend on anything, from the stacks. */
export function dependents(stacks: DeepReadonly<State['stacks']>): GateService[] {
  const out: GateService[] = [];
  for (const stack of Object.values(stacks)) {
    for (const [name, svc] of Object.entries(stack.services)) if (svc.spec.dependsOn.length) out.push({ stack: stack.name, name, dependsOn: svc.spec.dependsOn });
  }
  return out;
}

/**
 * Counts a service's replicas from its allocations that should run (any generation: a dependency
 * in the middle of its own rollout still serves) and what their nodes report now. Counted lazily,
 * once per service asked about; `byService` is the round's allocations by service key.
 */
export function dependencyProgress(
  stacks: DeepReadonly<State['stacks']>,
  byService: () => ReadonlyMap<string, readonly DeepReadonly<State['allocations'][string]>[]>,
  observed: ReadonlyMap<string, ObservedNow>,
  /** A global service's desired slots (desired-slots.ts); undefined for a replicated one (1..replicas). */
  globalSlotsOf: (stack: string, service: string) => readonly number[] | undefined = () => undefined,
): (stack: string, service: string) => ServiceProgress | undefined {
  const cache = new Map<string, ServiceProgress | undefined>();
  return (stack, service) => {
    const key = serviceKey(stack, service);
    if (cache.has(key)) return cache.get(key);
    const svc = stacks[stack]?.services[service];
    let p: ServiceProgress | undefined;
    if (svc) {
      let running = 0, healthy = 0, runningWithoutCheck = 0, completed = 0;
      const slots = svc.spec.mode === 'global' ? new Set(globalSlotsOf(stack, service) ?? []) : undefined;
      for (const a of byService().get(key) ?? []) {
        if (a.desired !== 'run' || (slots ? !slots.has(a.replica) : a.replica > svc.replicas)) continue;
        const o = observed.get(a.id);
        if (o?.state === 'running') {
          running++;
          if (o.health === 'healthy') healthy++;
          else if (o.health === 'none') runningWithoutCheck++;
        } else if ((o?.state === 'exited' || a.observed?.state === 'exited') && (o?.exitCode ?? a.observed?.exitCode) === 0) completed++;
      }
      p = { desired: slots ? slots.size : svc.replicas, running, healthy, runningWithoutCheck, completed };
    }
    cache.set(key, p);
    return p;
  };
}
