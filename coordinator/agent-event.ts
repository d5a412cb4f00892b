// What an agent tells the coordinator besides hello and reports, as domain values: command
// acknowledgements, replica status changes and log output. coordinator/wire.ts builds them from
// the wire messages, checking every field the agent controls.
import type { HealthStatus } from '../shared/model/health.js';
import type { ReplicaState } from '../shared/model/replica-state.js';
import type { VolumeRemovalResult } from '../shared/model/volume.js';

export type AgentEvent =
  /** `volumes`: a RemoveVolumes command's outcome. */
  | { readonly kind: 'ack'; readonly commandId: string; readonly ok: boolean; readonly error: string; readonly volumes?: VolumeRemovalResult }
  | {
      readonly kind: 'replica';
      readonly allocationId: string;
      readonly state: ReplicaState;
      readonly containerId: string;
      readonly exitCode: number;
      readonly error: string;
      /** In-place restarts done by the agent's restart supervisor. */
      readonly restarts: number;
      readonly health: HealthStatus;
      /** The last check's output, at most 1 KiB. */
      readonly healthOutput: string;
    }
  | {
      readonly kind: 'log';
      readonly streamId: string;
      readonly data: Buffer;
      readonly eof: boolean;
      readonly error: string;
      /** stdout | stderr (empty on the eof chunk). */
      readonly stream: string;
    };
