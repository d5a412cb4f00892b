// Original file: proto/baton.proto

export const ReplicaState = {
  pending: 'pending',
  starting: 'starting',
  running: 'running',
  exited: 'exited',
  failed: 'failed',
  stopped: 'stopped',
  removed: 'removed',
} as const;

export type ReplicaState =
  | 'pending'
  | 0
  | 'starting'
  | 1
  | 'running'
  | 2
  | 'exited'
  | 3
  | 'failed'
  | 4
  | 'stopped'
  | 5
  | 'removed'
  | 6

export type ReplicaState__Output = typeof ReplicaState[keyof typeof ReplicaState]
