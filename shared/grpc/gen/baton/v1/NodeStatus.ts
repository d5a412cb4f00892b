// Original file: proto/baton.proto

export const NodeStatus = {
  unknown: 'unknown',
  ready: 'ready',
  suspect: 'suspect',
  down: 'down',
  left: 'left',
} as const;

export type NodeStatus =
  | 'unknown'
  | 0
  | 'ready'
  | 1
  | 'suspect'
  | 2
  | 'down'
  | 3
  | 'left'
  | 4

export type NodeStatus__Output = typeof NodeStatus[keyof typeof NodeStatus]
