/**
 * What the manager says of a type's dynos: the rows of events.csv (a change of state,
 * with its host and zone) and the `heroku[web.N]` lines of the log.
 */
import type { Engine } from '../../../engine/Engine.ts';
import type { HostFleet } from '../hosts/HostFleet.ts';
import { STATE_NAMES, type DynoLog, type LifecycleEvent } from '../contracts.ts';
import type { DynoSlots } from './DynoSlots.ts';

export class DynoVoice {
  private readonly engine: Engine;
  private readonly type: string;
  private readonly fleet: HostFleet;
  private readonly slots: DynoSlots;
  private readonly onEvent: (e: LifecycleEvent) => void;
  private readonly log: DynoLog | null;

  constructor(engine: Engine, type: string, fleet: HostFleet, slots: DynoSlots, onEvent: (e: LifecycleEvent) => void, log: DynoLog | null) {
    this.engine = engine;
    this.type = type;
    this.fleet = fleet;
    this.slots = slots;
    this.onEvent = onEvent;
    this.log = log;
  }

  /** Slot 0 → `web.1`. */
  name(slot: number): string {
    return `${this.type}.${slot + 1}`;
  }

  /** A row of events.csv: the slot went from one state to another (on `host`, by default the slot's). */
  record(slot: number, from: number | string, to: number | string, reason: string, host = this.slots.host[slot]!): void {
    const name = (x: number | string): string => (typeof x === 'number' ? STATE_NAMES[x]! : x);
    this.onEvent({
      timeUs: this.engine.nowUs,
      dyno: this.name(slot),
      host: host >= 0 ? this.fleet.hostName(host) : '',
      zone: host >= 0 ? this.fleet.zoneName(this.fleet.zoneOf(host)) : '',
      from: name(from),
      to: name(to),
      reason,
    });
  }

  /** A `heroku[web.N]: message` line. */
  say(slot: number, message: string): void {
    this.log?.dyno(this.engine.nowUs, this.name(slot), message);
  }
}
