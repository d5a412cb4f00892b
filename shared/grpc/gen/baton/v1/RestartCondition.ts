// Original file: proto/baton.proto

export const RestartCondition = {
  any: 'any',
  none: 'none',
  on_failure: 'on_failure',
} as const;

export type RestartCondition =
  | 'any'
  | 0
  | 'none'
  | 1
  | 'on_failure'
  | 2

export type RestartCondition__Output = typeof RestartCondition[keyof typeof RestartCondition]
