// Volumes on the wire, both halves: the inventory an agent reports (checked by the coordinator), the
// RemoveVolumes outcome in its ack (checked by the coordinator). Every error names the field. Loaded
// by the agent: imports nothing but types and the Result helpers.
import type { RemoveVolumesResult as RemovalWire, RemoveVolumesResult__Output } from '../grpc/gen/baton/v1/RemoveVolumesResult.js';
import type { VolumeInventory as InventoryWire, VolumeInventory__Output } from '../grpc/gen/baton/v1/VolumeInventory.js';
import type { VolumeObservation, VolumeRemovalResult } from '../model/volume.js';
import { fail, ok, type Result } from '../result.js';

/** Far above real use: a bad peer cannot make the coordinator keep without limit. */
export const MAX_VOLUMES = 4096;
const MAX_NAME = 255;
const MAX_ERROR = 1024;
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function volumeInventoryToWire(list: readonly VolumeObservation[]): InventoryWire {
  return {
    volumes: list.map((v) => ({ name: v.name, stack: v.stack, key: v.key, driver: v.driver, created_at_ms: v.createdAtMs, in_use: v.inUse })),
  };
}

export function volumeInventoryFromWire(w: VolumeInventory__Output, path: string): Result<VolumeObservation[]> {
  if (w.volumes.length > MAX_VOLUMES) return fail(`${path}.volumes: ${w.volumes.length} volumes, more than ${MAX_VOLUMES}`);
  const out: VolumeObservation[] = [];
  for (const [i, v] of w.volumes.entries()) {
    const at = `${path}.volumes.${i}`;
    const name = volumeName(v.name, `${at}.name`);
    if (!name.ok) return name;
    if (v.stack === '' || v.stack.length > MAX_NAME) return fail(`${at}.stack: expected 1-${MAX_NAME} characters`);
    if (v.key === '' || v.key.length > MAX_NAME) return fail(`${at}.key: expected 1-${MAX_NAME} characters`);
    if (v.driver.length > MAX_NAME) return fail(`${at}.driver: longer than ${MAX_NAME} characters`);
    if (!Number.isSafeInteger(v.created_at_ms) || v.created_at_ms < 0) return fail(`${at}.created_at_ms: expected a time in ms >= 0, got ${v.created_at_ms}`);
    out.push({ name: v.name, stack: v.stack, key: v.key, driver: v.driver, createdAtMs: v.created_at_ms, inUse: v.in_use });
  }
  return ok(out);
}

export function volumeRemovalToWire(r: VolumeRemovalResult): RemovalWire {
  return { removed: [...r.removed], refused: r.refused.map((x) => ({ name: x.name, error: x.error })) };
}

export function volumeRemovalFromWire(w: RemoveVolumesResult__Output, path: string): Result<VolumeRemovalResult> {
  if (w.removed.length + w.refused.length > MAX_VOLUMES) return fail(`${path}: ${w.removed.length + w.refused.length} volumes, more than ${MAX_VOLUMES}`);
  for (const [i, n] of w.removed.entries()) {
    const name = volumeName(n, `${path}.removed.${i}`);
    if (!name.ok) return name;
  }
  for (const [i, r] of w.refused.entries()) {
    const name = volumeName(r.name, `${path}.refused.${i}.name`);
    if (!name.ok) return name;
  }
  return ok({ removed: [...w.removed], refused: w.refused.map((r) => ({ name: r.name, error: r.error.slice(0, MAX_ERROR) })) });
}

function volumeName(name: string, path: string): Result<string> {
  if (name.length > MAX_NAME || !VOLUME_NAME.test(name)) return fail(`${path}: expected a volume name (letters, digits, "_", ".", "-"; at most ${MAX_NAME}), got ${JSON.stringify(name.slice(0, 40))}`);
  return ok(name);
}
