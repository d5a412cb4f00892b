// What the coordinator tells an agent, as domain values. The node pool turns them into wire
// messages (coordinator/wire-out.ts) at the session edge; nothing else builds CoordinatorMessages.
import type { ServiceSpec } from '../shared/compose/types.js';
import type { EndpointSet } from '../shared/model/ingress.js';
import type { ReplicaFile } from '../shared/model/replica-spec.js';
import type { AllocationRecord, DeepReadonly } from './store/schema.js';

export type AgentCommand =
  /** Run this allocation's container (the agent ignores a start of what already runs). */
  | {
      readonly kind: 'start';
      readonly commandId: string;
      readonly allocation: DeepReadonly<AllocationRecord>;
      readonly spec: DeepReadonly<ServiceSpec>;
      /** Service names -> addresses for the container's /etc/hosts (service discovery). */
      readonly extraHosts?: Readonly<Record<string, string>>;
      /** The secrets and configs the spec mounts, with their content (only ever sent to this node). */
      readonly files?: readonly ReplicaFile[];
    }
  /** Stop (and with `remove`, remove) an allocation's container. */
  | { readonly kind: 'stop'; readonly commandId: string; readonly allocationId: string; readonly remove: boolean; readonly stopGraceMs: number; readonly reason: string }
  /** The complete set the node should run: sent first on every session; anything else Baton-labelled is stale. */
  | { readonly kind: 'reconcile'; readonly commandId: string; readonly allocationIds: readonly string[] }
  /** Every service's address and serving endpoints (a complete snapshot; the agent keeps the newest version). */
  | { readonly kind: 'endpoints'; readonly commandId: string; readonly set: EndpointSet }
  /** Remove the stack's Baton volumes on the node (`baton rm --stack --volumes`); the ack says what went. */
  | { readonly kind: 'remove-volumes'; readonly commandId: string; readonly stack: string }
  /** Start (or with `cancel`, stop) streaming an allocation's output as log chunks tagged `streamId`. */
  | {
      readonly kind: 'logs';
      readonly commandId: string;
      readonly allocationId: string;
      readonly streamId: string;
      readonly follow?: boolean;
      readonly tail?: number;
      readonly cancel?: boolean;
    };
