/**
 * Preboot (`formation.web.preboot: true`, Standard and Performance only): on a release, a
 * restart or a daily cycle the new process of a slot starts beside the old one, which goes
 * on serving. At the switch, the boot timeout plus `prebootSwitch` after the restart (3
 * minutes by default, as published), the router starts sending to the new process and
 * stops sending to the old one, which then gets SIGTERM and drains (Draining). Both
 * generations are billed while they overlap: the old one's usage is its own, beside the
 * slot's, and not under the slot's monthly cap.
 */
import { pack, epochOf, indexOf } from '../eventArg.ts';
import { UP } from '../contracts.ts';
import type { PlacementRequest } from '../hosts/HostFleet.ts';
import type { BlockRoutes } from './BlockRoutes.ts';
import type { Draining } from './Draining.ts';
import type { DynoSlots } from './DynoSlots.ts';
import type { ManagerEnv } from './ManagerEnv.ts';
import type { UsageLedger } from './UsageLedger.ts';

/** An old process serving on until the switch. */
interface OldProcess {
  readonly slot: number;
  readonly host: number;
  readonly req: PlacementRequest;
  readonly sinceUs: number;
  readonly size: string;
}

export class Preboot {
  /** Switches done (one per slot restarted with preboot). */
  count = 0;
  private readonly env: ManagerEnv;
  private readonly slots: DynoSlots;
  private readonly routes: BlockRoutes;
  private readonly draining: Draining;
  private readonly ledger: UsageLedger;
  private readonly switchKind: number;
  /** Old processes by block, until their switch. */
  private readonly old = new Map<number, OldProcess>();
  /** When each slot's new process may take traffic (0: at once). */
  readonly routeFromUs: Float64Array;

  constructor(env: ManagerEnv, parts: { slots: DynoSlots; routes: BlockRoutes; draining: Draining; ledger: UsageLedger }) {
    this.env = env;
    this.slots = parts.slots;
    this.routes = parts.routes;
    this.draining = parts.draining;
    this.ledger = parts.ledger;
    this.routeFromUs = new Float64Array(env.proc.maxCount);
    this.switchKind = env.engine.register((a) => this.onSwitch(indexOf(a), epochOf(a)));
  }

  /** Whether a restart of `slot` now is a preboot: the type has it, and the slot's process is up and routed, not in a switch already. */
  applies(slot: number): boolean {
    const { slots } = this;
    return this.env.proc.preboot && slots.state[slot] === UP && slots.block[slot]! >= 0 && slots.lostOnHost[slot]! < 0 && this.routeFromUs[slot]! <= this.env.engine.nowUs;
  }

  /** The slot's process stays up and routed until the switch; the slot is left without a block or host, for its new process. */
  keepUntilSwitch(slot: number): void {
    const { slots, routes } = this;
    const now = this.env.engine.nowUs;
    const b = slots.block[slot]!;
    this.old.set(b, { slot, host: slots.host[slot]!, req: slots.req[slot]!, sinceUs: now, size: this.env.sizing.size.name });
    slots.block[slot] = -1;
    slots.host[slot] = -1;
    const m = this.env.s.platform.dynoManager;
    const switchUs = now + m.bootTimeoutUs + m.prebootSwitchUs;
    this.routeFromUs[slot] = switchUs;
    this.env.engine.at(switchUs, this.switchKind, pack(b, routes.epoch[b]!));
  }

  /** Host `h` failed: old processes on it die with it. */
  hostFailed(h: number): void {
    const now = this.env.engine.nowUs;
    for (const [b, o] of [...this.old]) {
      if (o.host !== h) continue;
      this.old.delete(b);
      this.routes.stopRouting(b, now);
      this.routes.cut(b, now);
      this.routes.free(b, now);
      this.env.hosts.fleet.release(h, o.req);
      this.bill(o, now);
    }
  }

  /** Closes the books at the end of the run: old processes still serving are billed to the end. */
  finish(): void {
    for (const o of this.old.values()) this.bill(o, this.env.s.durationUs);
  }

  /** The switch: the new process (if it is up) takes traffic, the old one gets SIGTERM. */
  private onSwitch(b: number, e: number): void {
    const o = this.old.get(b);
    if (o === undefined || e !== this.routes.epoch[b]) return;
    this.old.delete(b);
    this.count++;
    const now = this.env.engine.nowUs;
    const { slots } = this;
    const nb = slots.block[o.slot]!;
    if (slots.state[o.slot] === UP && nb >= 0) this.routes.startRouting(nb, now);
    this.bill(o, now);
    this.draining.stop(b, o.slot, o.host, o.req, false);
    this.env.flow.releaseHeld(now);
  }

  private bill(o: OldProcess, toUs: number): void {
    this.ledger.overlap(o.slot, o.sinceUs, toUs, o.size);
  }
}
