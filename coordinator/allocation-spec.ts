// Which spec an allocation runs, by spec hash (not generation number: a deploy back to an earlier
// spec, or a rollback, makes a new generation whose old replicas still match and are kept).
import type { AllocationRecord, DeepReadonly, ServiceRecord } from './store/schema.js';

/**
 * The allocation's spec hash. Records from before rollouts carry none: one of the service's
 * current generation runs its current spec; an older one counts as unknown ('', an old spec).
 */
export function specHashOf(a: DeepReadonly<Pick<AllocationRecord, 'specHash' | 'generation'>>, svc: DeepReadonly<Pick<ServiceRecord, 'specHash' | 'generation'>>): string {
  if (a.specHash !== undefined) return a.specHash;
  return a.generation === svc.generation ? svc.specHash : '';
}

/** The allocation runs the service's current spec. */
export function runsCurrentSpec(a: DeepReadonly<Pick<AllocationRecord, 'specHash' | 'generation'>>, svc: DeepReadonly<Pick<ServiceRecord, 'specHash' | 'generation'>>): boolean {
  return specHashOf(a, svc) === svc.specHash;
}
