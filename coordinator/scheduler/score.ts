// Node scores, bounded 0–100 and pure: higher is better. Bin-pack (the default) is the mean
// utilisation of CPU and memory after placing the replica, so the fullest node that still fits wins
// (Kubernetes' MostAllocated); spread is its mirror image, so the emptiest node wins.
import type { PlacementStrategy } from '../../shared/compose/types.js';

/** Used fraction of one dimension after placing `request`; a dimension the node lacks counts as full. */
function usedAfter(capacity: number, free: number, request: number): number {
  return capacity > 0 ? (capacity - free + request) / capacity : 1;
}

export function binpackScore(
  capacityCpuMillis: number,
  capacityMemoryBytes: number,
  freeCpuMillis: number,
  freeMemoryBytes: number,
  requestCpuMillis: number,
  requestMemoryBytes: number,
): number {
  const cpu = usedAfter(capacityCpuMillis, freeCpuMillis, requestCpuMillis);
  const memory = usedAfter(capacityMemoryBytes, freeMemoryBytes, requestMemoryBytes);
  return (100 * (cpu + memory)) / 2;
}

export function spreadScore(
  capacityCpuMillis: number,
  capacityMemoryBytes: number,
  freeCpuMillis: number,
  freeMemoryBytes: number,
  requestCpuMillis: number,
  requestMemoryBytes: number,
): number {
  return 100 - binpackScore(capacityCpuMillis, capacityMemoryBytes, freeCpuMillis, freeMemoryBytes, requestCpuMillis, requestMemoryBytes);
}

export function score(
  strategy: PlacementStrategy,
  capacityCpuMillis: number,
  capacityMemoryBytes: number,
  freeCpuMillis: number,
  freeMemoryBytes: number,
  requestCpuMillis: number,
  requestMemoryBytes: number,
): number {
  return strategy === 'spread'
    ? spreadScore(capacityCpuMillis, capacityMemoryBytes, freeCpuMillis, freeMemoryBytes, requestCpuMillis, requestMemoryBytes)
    : binpackScore(capacityCpuMillis, capacityMemoryBytes, freeCpuMillis, freeMemoryBytes, requestCpuMillis, requestMemoryBytes);
}

/**
 * Two scores this close count as "equally good" for the availability tie-break: a replica goes to
 * a node without a sibling rather than stacking, if that node scores within this many points.
 */
export const SPREAD_TOLERANCE = 1;
