/**
 * The table of a process type's dyno slots, web.1 … web.N (worker.1 …), one row each in
 * typed arrays, that every part of the type's manager reads and writes. Each start of a
 * process on a slot is an incarnation with its own block (of the type's tier) and host;
 * `epoch[slot]` moves on whenever the slot's process changes, and every event scheduled
 * for a slot carries the epoch it was scheduled in, so that events of a process that has
 * since died are ignored instead of cancelled.
 */
import type { PlacementRequest } from '../hosts/HostFleet.ts';

export class DynoSlots {
  /** Slots up (serving) now. */
  up = 0;
  /** DOWN, STARTING, UP or CRASHED (../contracts.ts). */
  readonly state: Uint8Array;
  /** The block of the slot's process in the tier, or −1. */
  readonly block: Int32Array;
  /** The host the slot's process runs on, or −1. */
  readonly host: Int32Array;
  readonly epoch: Float64Array;
  /** When the slot's process started (negative for one already running at time zero). */
  readonly startedUs: Float64Array;
  /** The number of the slot's process among every start of the run (its dyno id in the logs). */
  readonly incarnation: Float64Array;
  /** Set while a slot's process is dead on a failed host and the manager has not noticed. */
  readonly lostOnHost: Int32Array;
  /** Where a crashed dyno ran, so that its restart can go back there. */
  readonly lastHost: Int32Array;
  /** What the slot's process holds on its host (its size's, as of its start). */
  readonly req: PlacementRequest[];

  constructor(slots: number) {
    this.state = new Uint8Array(slots);
    this.block = new Int32Array(slots).fill(-1);
    this.host = new Int32Array(slots).fill(-1);
    this.epoch = new Float64Array(slots);
    this.startedUs = new Float64Array(slots);
    this.incarnation = new Float64Array(slots);
    this.lostOnHost = new Int32Array(slots).fill(-1);
    this.lastHost = new Int32Array(slots).fill(-1);
    this.req = new Array<PlacementRequest>(slots);
  }

  get length(): number {
    return this.state.length;
  }
}
