/**
 * The response to a host failure. The processes on the host die at once, silently: the
 * router goes on trying them and the manager does not know yet. After the detection delay
 * the manager notices (HostManager calls `detected`): it withdraws the dead processes from
 * the router and starts them again on other hosts.
 */
import { SILENT } from '../../router/WebTier.ts';
import { DOWN, UP } from '../contracts.ts';
import type { BlockRoutes } from './BlockRoutes.ts';
import type { Draining } from './Draining.ts';
import type { DynoSlots } from './DynoSlots.ts';
import type { DynoVoice } from './DynoVoice.ts';
import type { FormationBook } from './FormationBook.ts';
import type { Lifecycle } from './Lifecycle.ts';
import type { ManagerEnv } from './ManagerEnv.ts';
import type { Preboot } from './Preboot.ts';

/** The parts of the manager a relocation moves. */
export interface RelocationParts {
  readonly slots: DynoSlots;
  readonly routes: BlockRoutes;
  readonly draining: Draining;
  readonly preboot: Preboot;
  readonly voice: DynoVoice;
  readonly book: FormationBook;
  readonly lifecycle: Lifecycle;
}

export class Relocation {
  private readonly env: ManagerEnv;
  private readonly p: RelocationParts;

  constructor(env: ManagerEnv, parts: RelocationParts) {
    this.env = env;
    this.p = parts;
  }

  /** Host `h` failed now: every process of the type on it dies; the manager notices after the detection delay. */
  failed(h: number, reason: string): void {
    const { slots, routes, voice, book } = this.p;
    for (let slot = 0; slot < book.count; slot++) {
      if (slots.host[slot] !== h) continue;
      const b = slots.block[slot]!;
      const from = slots.state[slot]!;
      if (b >= 0 && routes.end(b, SILENT)) slots.block[slot] = -1;
      this.env.hosts.fleet.release(h, slots.req[slot]!);
      if (from === UP) slots.up--;
      slots.epoch[slot]!++;
      slots.lostOnHost[slot] = h;
      voice.record(slot, from, DOWN, `${reason} (not yet detected)`);
    }
    // Old processes still draining after SIGTERM die with the host.
    this.p.draining.hostFailed(h);
    this.p.preboot.hostFailed(h);
  }

  /** The manager notices the failed host: its dynos are withdrawn from the router and started elsewhere. */
  detected(h: number): void {
    const { slots, routes, book, lifecycle } = this.p;
    for (let slot = 0; slot < book.count; slot++) {
      if (slots.lostOnHost[slot] !== h) continue;
      slots.lostOnHost[slot] = -1;
      const b = slots.block[slot]!;
      if (b >= 0) routes.withdraw(b);
      slots.block[slot] = -1;
      slots.host[slot] = -1;
      slots.state[slot] = DOWN;
      this.env.counts.relocations++;
      lifecycle.startProcess(slot, 'relocation');
    }
  }
}
