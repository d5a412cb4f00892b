// `baton volume ls`: Baton's named volumes per node (as `docker volume ls` on each node would show
// them, with the stack and Compose key), and the wait of `baton rm --stack NAME --volumes` for the
// nodes to remove them.
import type { Command } from 'commander';
import { humanAge, table } from '../../format.js';
import type { ListVolumesResponse__Output } from '../../grpc/gen/baton/v1/ListVolumesResponse.js';
import type { NodeVolumes__Output } from '../../grpc/gen/baton/v1/NodeVolumes.js';
import type { VolumeInfo__Output } from '../../grpc/gen/baton/v1/VolumeInfo.js';
import { CliError, CONFIG_HELP, COORDINATOR_HELP, INSECURE_HELP, list, resolveConnection, type Connection, type ConnectionOptions } from '../client.js';

export interface VolumeListing {
  volumes: VolumeInfo__Output[];
  nodes: NodeVolumes__Output[];
}

type Entry = { kind: 'volume'; v: VolumeInfo__Output } | { kind: 'node'; n: NodeVolumes__Output };

export async function listVolumes(conn: Connection, node: string, stack: string): Promise<VolumeListing> {
  const entries = await list(conn, (c, r, o) => c.ListVolumes(r, o), { node, stack }, (b: ListVolumesResponse__Output): Entry[] => [
    ...b.nodes.map((n): Entry => ({ kind: 'node', n })),
    ...b.volumes.map((v): Entry => ({ kind: 'volume', v })),
  ]);
  const out: VolumeListing = { volumes: [], nodes: [] };
  for (const e of entries) {
    if (e.kind === 'node') out.nodes.push(e.n);
    else out.volumes.push(e.v);
  }
  return out;
}

/** Lines under the table: nodes whose volumes are unknown or out of date, removals still to come, refusals. */
export function volumeNotes(l: VolumeListing, nowMs: number): string[] {
  const notes: string[] = [];
  for (const n of l.nodes) {
    if (!n.known) notes.push(`${n.node}: ${n.connected ? 'connected, no volume report yet' : `${n.status}, not connected since the coordinator started`}: its volumes are unknown`);
    else if (!n.connected || n.status !== 'ready') notes.push(`${n.node}: ${n.status}, not connected: its volumes as it reported them ${humanAge(nowMs - Number(n.reported_at_ms))} ago (stale)`);
    for (const s of n.pending_removals) notes.push(`${n.node}: removes the volumes of stack ${s} once it is connected and the stack's containers are gone from it`);
  }
  for (const v of l.volumes) if (v.removal_error) notes.push(`${v.node}: ${v.name} was not removed: ${v.removal_error}`);
  return notes;
}

export function registerVolumes(program: Command): void {
  const cmd = program.command('volume').description("Baton's named volumes: one per node where a replica used it, as in Swarm");
  cmd
    .command('ls')
    .description("list Baton's volumes per node (as each node last reported them)")
    .option('--node <name>', 'only this node (name or id)')
    .option('--stack <name>', "only this stack's volumes")
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', COORDINATOR_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: { node?: string; stack?: string; json?: boolean } & ConnectionOptions) => {
      const l = await listVolumes(resolveConnection(o), o.node ?? '', o.stack ?? '');
      if (o.json) {
        const json = {
          volumes: l.volumes.map((v) => ({
            node: v.node, nodeId: v.node_id, name: v.name, stack: v.stack, key: v.key, driver: v.driver, createdAtMs: Number(v.created_at_ms), inUse: v.in_use,
            stale: v.stale, reportedAtMs: Number(v.reported_at_ms), removalError: v.removal_error || null,
          })),
          nodes: l.nodes.map((n) => ({ node: n.node, nodeId: n.node_id, status: n.status, connected: n.connected, known: n.known, reportedAtMs: Number(n.reported_at_ms), pendingRemovals: n.pending_removals })),
        };
        process.stdout.write(JSON.stringify(json, null, 2) + '\n');
        return;
      }
      const now = Date.now();
      const rows = l.volumes.map((v) => [
        v.stale ? `${v.node} (stale)` : v.node, v.name, v.stack, v.key, v.driver, v.in_use ? 'yes' : 'no', Number(v.created_at_ms) ? humanAge(now - Number(v.created_at_ms)) : '-',
      ]);
      process.stdout.write(rows.length ? table(['NODE', 'VOLUME', 'STACK', 'KEY', 'DRIVER', 'IN USE', 'CREATED'], rows) + '\n' : 'no volumes\n');
      for (const line of volumeNotes(l, now)) process.stdout.write(`${line}\n`);
    });
}

/**
 * After `Remove` with volumes: waits until every connected node has done its part, then says per
 * node what went, what Docker refused and which nodes do it later. Exit 1 when a volume was refused.
 */
export async function awaitVolumeRemoval(conn: Connection, stack: string, before: VolumeListing, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  let after: VolumeListing;
  for (;;) {
    after = await listVolumes(conn, '', stack);
    const waiting = after.nodes.filter((n) => n.connected && n.status === 'ready' && n.pending_removals.includes(stack));
    if (waiting.length === 0) break;
    if (timeoutS > 0 && Date.now() > deadline) {
      throw new CliError(`timed out after ${timeoutS}s waiting for ${waiting.map((n) => n.node).join(', ')} to remove the volumes of ${stack} (they still will; see \`baton volume ls --stack ${stack}\`)`, 1);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const still = new Set(after.volumes.map((v) => `${v.node_id}\0${v.name}`));
  for (const v of before.volumes) if (!still.has(`${v.node_id}\0${v.name}`)) process.stdout.write(`  removed ${v.name} on ${v.node}\n`);
  let refused = 0;
  for (const v of after.volumes) {
    if (v.removal_error) {
      refused++;
      process.stdout.write(`  kept ${v.name} on ${v.node}: ${v.removal_error}\n`);
    }
  }
  for (const n of after.nodes) {
    if ((!n.connected || n.status !== 'ready') && n.pending_removals.includes(stack)) process.stdout.write(`  ${n.node} is ${n.status}${n.connected ? '' : ' (not connected)'}: it removes the volumes of ${stack} when it is back\n`);
  }
  if (refused) throw new CliError(`${refused} volume(s) of ${stack} were not removed (Docker refused: see above); remove what uses them, then run \`baton rm --stack ${stack} --volumes\` again`, 1);
}
