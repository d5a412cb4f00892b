// A service's rollout as durable state (SwarmKit's UpdateStatus, Nomad's deployment): what it moves
// the service to, with which config, and each touched slot's progress. Writers: stacks.ts creates
// or replaces it (deploy, rollback, automatic rollback through the control loop's handler); the
// control loop advances it (progress, failures, pause, completion). Nobody else writes it.
import type { UpdateConfigSpec } from '../../shared/compose/types.js';

/** running: admitting slots. paused: failures over the ratio; nothing new is admitted. completed: every slot on the target. */
export type RolloutState = 'running' | 'paused' | 'completed';

/** An update moves to a newly deployed spec; a rollback to a previous one (and is never rolled back itself). */
export type RolloutKind = 'update' | 'rollback';

/** Why a new replica counted as a failure: used to word events (`2 of 3 new replicas unhealthy`). */
export type FailureKind = 'unhealthy' | 'exited' | 'failed' | 'deadline';

export interface RolloutSlotRecord {
  /** The new-spec allocation this slot is waiting on; empty until one is placed. */
  allocationId: string;
  admittedAtMs: number;
  /** start-first falls back to stop-first for a slot whose new copy could not be placed beside the old. */
  order: 'start-first' | 'stop-first';
  /** Coordinator time the tracked allocation was first seen running / healthy in a node's report. */
  runningSinceMs?: number;
  healthySinceMs?: number;
  /** Set once: the slot's new replica counted as updated, or failed. */
  outcome?: 'updated' | 'failed';
  doneAtMs?: number;
  failureKind?: FailureKind;
  /** What went wrong, for status and events (`exit code 1`, `start refused: no such image`). */
  failure?: string;
}

export interface RolloutRecord {
  kind: RolloutKind;
  state: RolloutState;
  /** Why it is in its state (pause and rollback reasons; empty while running). */
  reason: string;
  targetGeneration: number;
  targetSpecHash: string;
  /** The spec it replaces: what an automatic rollback returns to. Empty when unknown. */
  fromGeneration: number;
  fromSpecHash: string;
  /** A rollback: the generation whose spec it restores (the target generation is a new number, as Kubernetes renumbers a restored revision). */
  restoresGeneration?: number;
  /** The update_config (or rollback_config) it runs with, fixed at its start so a resume runs the same. */
  config: UpdateConfigSpec;
  startedAtMs: number;
  endedAtMs?: number;
  /** Touched slots by replica number. Untouched slots are either pending (old spec) or clean (already on the target). */
  slots: Record<string, RolloutSlotRecord>;
}

export interface NewRollout {
  kind: RolloutKind;
  target: { generation: number; specHash: string };
  from: { generation: number; specHash: string };
  config: UpdateConfigSpec;
  nowMs: number;
  reason?: string;
  restoresGeneration?: number;
}

export function newRollout(n: NewRollout): RolloutRecord {
  return {
    kind: n.kind,
    state: 'running',
    reason: n.reason ?? '',
    targetGeneration: n.target.generation,
    targetSpecHash: n.target.specHash,
    fromGeneration: n.from.generation,
    fromSpecHash: n.from.specHash,
    ...(n.restoresGeneration !== undefined ? { restoresGeneration: n.restoresGeneration } : {}),
    config: { ...n.config },
    startedAtMs: n.nowMs,
    slots: {},
  };
}
