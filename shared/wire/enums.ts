// The proto enums that carry shared/model's unions. With `--enums String` their value names are the
// strings, so the two must hold the same names: checked here at compile time, so a state added or
// renamed on one side only fails the build instead of travelling as a value the other side lacks.
import type { NodeStatus__Output } from '../grpc/gen/baton/v1/NodeStatus.js';
import type { ReplicaState__Output } from '../grpc/gen/baton/v1/ReplicaState.js';
import type { NodeStatus } from '../model/node-status.js';
import type { ReplicaState } from '../model/replica-state.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type ReplicaStatesMatch = Assert<Same<ReplicaState, ReplicaState__Output>>;
/** NodeStatus's zero value `unknown` exists on the wire only: no node is ever in it. */
export type NodeStatusesMatch = Assert<Same<NodeStatus, Exclude<NodeStatus__Output, 'unknown'>>>;
