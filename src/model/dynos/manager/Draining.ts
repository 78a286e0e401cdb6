/**
 * SIGTERM draining: a process told to stop (by cycling, a restart, a release or a scale
 * down) gets no new work, finishes what it holds until the grace period ends, and is then
 * killed (R12) with the rest lost. The old process drains beside its slot's new one; a
 * host failure kills it where it stands.
 */
import * as say from '../../logs/format.ts';
import type { DynoMemory } from '../DynoMemory.ts';
import { STARTING } from '../contracts.ts';
import { epochOf, indexOf, pack } from '../eventArg.ts';
import type { BlockRoutes } from './BlockRoutes.ts';
import type { DynoSlots } from './DynoSlots.ts';
import type { DynoVoice } from './DynoVoice.ts';
import type { PlacementRequest } from '../hosts/HostFleet.ts';
import type { ManagerEnv } from './ManagerEnv.ts';

export class Draining {
  private readonly env: ManagerEnv;
  private readonly memory: DynoMemory | null;
  private readonly slots: DynoSlots;
  private readonly routes: BlockRoutes;
  private readonly voice: DynoVoice;
  private readonly stoppedKind: number;
  /** Old processes draining after SIGTERM, by block: their slot and host. */
  private readonly stopping = new Map<number, { slot: number; host: number; req: PlacementRequest }>();

  constructor(env: ManagerEnv, memory: DynoMemory | null, parts: { slots: DynoSlots; routes: BlockRoutes; voice: DynoVoice }) {
    this.env = env;
    this.memory = memory;
    this.slots = parts.slots;
    this.routes = parts.routes;
    this.voice = parts.voice;
    this.stoppedKind = env.engine.register((a) => this.onStopped(indexOf(a), epochOf(a)));
  }

  /** SIGTERM to the slot's process, if it has one; the slot is left without a block or host. */
  sigterm(slot: number): void {
    const { slots } = this;
    const b = slots.block[slot]!;
    const st = slots.state[slot]!;
    const h = slots.host[slot]!;
    const req = slots.req[slot]!;
    slots.block[slot] = -1;
    slots.host[slot] = -1;
    if (b < 0) return; // crashed, or waiting for a host: no process to stop
    this.stop(b, slot, h, req, st === STARTING);
  }

  /** SIGTERM to block `b`'s process (slot `slot`'s, on host `h`): one still booting stops at once, one serving drains. */
  stop(b: number, slot: number, h: number, req: PlacementRequest, booting: boolean): void {
    const now = this.env.engine.nowUs;
    const { routes } = this;
    this.voice.say(slot, say.stoppingAll());
    this.memory?.stopped(b);
    routes.stopRouting(b, now);
    if (booting) {
      // Not serving yet: it stops at once.
      routes.cut(b, now);
      routes.free(b, now);
      this.env.hosts.fleet.release(h, req);
      this.voice.say(slot, say.processExited(143));
      return;
    }
    const graceEndUs = now + this.env.s.platform.dynoManager.shutdownGraceUs;
    const drainedUs = this.env.tier.drainEndUs(b, now);
    const killed = drainedUs > graceEndUs;
    this.env.engine.at(killed ? graceEndUs : drainedUs, this.stoppedKind, pack(b, routes.epoch[b]! * 2 + (killed ? 1 : 0)));
    this.stopping.set(b, { slot, host: h, req });
  }

  /** Host `h` failed: processes draining on it die with it. */
  hostFailed(h: number): void {
    const now = this.env.engine.nowUs;
    for (const [b, stop] of [...this.stopping]) {
      if (stop.host !== h) continue;
      this.stopping.delete(b);
      this.routes.cut(b, now);
      this.routes.free(b, now);
      this.env.hosts.fleet.release(h, stop.req);
    }
  }

  /** The old process has drained (exit 143) or its grace period has run out (R12, SIGKILL, exit 137). */
  private onStopped(b: number, packed: number): void {
    const e = Math.floor(packed / 2);
    if (e !== this.routes.epoch[b]) return;
    const { slot, host, req } = this.stopping.get(b)!;
    this.stopping.delete(b);
    const now = this.env.engine.nowUs;
    if (packed % 2 === 1) {
      this.env.counts.r12++;
      this.voice.say(slot, say.r12(this.env.s.platform.dynoManager.shutdownGraceUs / 1e6));
      this.voice.say(slot, say.stoppingSigkill());
      this.routes.cut(b, now);
      this.voice.say(slot, say.processExited(137));
    } else {
      this.voice.say(slot, say.processExited(143));
    }
    this.routes.free(b, now);
    this.env.hosts.fleet.release(host, req);
    this.env.hosts.placeWaiting();
  }
}
