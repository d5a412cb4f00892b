// The node's Baton volumes (named volumes Docker created for replicas, with Baton's labels): listed
// for the session's reports (`baton volume ls`) and removed per stack (`baton rm --stack --volumes`).
// Kept light: the list is read again only after a replica changed, after a removal, or every
// refreshMs (to notice `docker volume rm` by hand), and reports carry it only when it changed.
import './lean-modules.js';
import type Docker from 'dockerode';
import { systemClock, type Clock } from '../shared/clock.js';
import { LABEL_STACK, LABEL_VOLUME } from '../shared/model/labels.js';
import { isBatonVolume, type VolumeObservation, type VolumeRemovalResult } from '../shared/model/volume.js';
import { dockerMessage, statusCodeOf } from './executor/docker/docker-client.js';

export interface VolumesOptions {
  /** The list is read again at least this often. @default 30000 */
  refreshMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** A list the reports can carry: `version` changes exactly when the content does. */
export interface VolumeListing {
  readonly version: number;
  readonly volumes: readonly VolumeObservation[];
}

export class Volumes {
  private readonly refreshMs: number;
  private readonly clock: Clock;
  private dirty = true;
  private readAtMs = 0;
  private listing: VolumeListing | undefined;
  private key = '';
  private reading: Promise<void> | undefined;

  constructor(
    private readonly docker: Docker,
    /** Only volumes this node's agent created (or that carry no node label) are its own. */
    private readonly nodeId: string,
    options: VolumesOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
  }

  /** A replica started or went (its volumes may have been created, or freed): read the list again next time. */
  changed(): void {
    this.dirty = true;
  }

  /**
   * The volumes, read again from Docker when something changed or refreshMs passed. Undefined
   * while no list could be read yet (Docker down since the start); a failed read keeps the last list.
   */
  async current(): Promise<VolumeListing | undefined> {
    if (this.dirty || this.clock.now() - this.readAtMs >= this.refreshMs) {
      this.reading ??= this.read().finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
    return this.listing;
  }

  /**
   * Removes `stack`'s Baton volumes on this node. Only volumes with Baton's labels for that stack
   * are touched (never external ones, never ones Baton did not create). Docker refuses a volume a
   * container uses: that is reported, as is any other refusal; a volume already gone counts as removed.
   * Throws only when the engine cannot be reached.
   */
  async removeStack(stack: string): Promise<VolumeRemovalResult> {
    const { Volumes: list } = await this.docker.listVolumes({ filters: { label: [`${LABEL_STACK}=${stack}`, LABEL_VOLUME] } });
    const removed: string[] = [];
    const refused: { name: string; error: string }[] = [];
    for (const v of list ?? []) {
      if (!isBatonVolume(v.Labels, this.nodeId, stack)) continue;
      try {
        await this.docker.getVolume(v.Name).remove();
        removed.push(v.Name);
      } catch (err) {
        const code = statusCodeOf(err);
        if (code === 404) removed.push(v.Name);
        else if (code === undefined) throw err;
        else refused.push({ name: v.Name, error: dockerMessage(err) });
      }
    }
    this.dirty = true;
    return { removed: removed.sort(), refused: refused.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  private async read(): Promise<void> {
    this.dirty = false;
    const startedMs = this.clock.now();
    try {
      const filters = { label: [LABEL_VOLUME] };
      // `dangling`: no container refers to it. Two cheap calls instead of /system/df's sizes.
      const [all, dangling] = await Promise.all([this.docker.listVolumes({ filters }), this.docker.listVolumes({ filters: { ...filters, dangling: ['true'] } })]);
      const unused = new Set((dangling.Volumes ?? []).map((v) => v.Name));
      const volumes = (all.Volumes ?? [])
        .filter((v) => isBatonVolume(v.Labels, this.nodeId))
        .map((v): VolumeObservation => ({
          name: v.Name,
          stack: v.Labels[LABEL_STACK]!,
          key: v.Labels[LABEL_VOLUME]!,
          driver: v.Driver ?? '',
          createdAtMs: createdMs((v as { CreatedAt?: string }).CreatedAt),
          inUse: !unused.has(v.Name),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      this.readAtMs = startedMs;
      const key = JSON.stringify(volumes);
      if (!this.listing || key !== this.key) this.listing = { version: (this.listing?.version ?? 0) + 1, volumes };
      this.key = key;
    } catch {
      // Docker down: the report says so (docker_up); the list stays as last read, tried again next report.
      this.dirty = true;
    }
  }
}

function createdMs(text: string | undefined): number {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
