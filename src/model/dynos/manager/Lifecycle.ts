/**
 * The lifecycle of a type's dynos, as a state machine per slot: down → starting (placed
 * on a host, booting; or waiting for a host with room) → up (routed, with its crash and
 * daily-cycle times scheduled) → crashed (the restart policy's cool-off) → starting …
 * A scale down takes a slot back to down. A process that is replaced (cycling, a restart,
 * a release) gets SIGTERM and drains beside the new one (Draining).
 */
import type { Streams, Uniform } from '../../../engine/streams.ts';
import type { Filler } from '../../traffic/service/ServiceDistribution.ts';
import { REFUSES } from '../../router/WebTier.ts';
import * as say from '../../logs/format.ts';
import type { DynoMemory } from '../DynoMemory.ts';
import { CrashSeries } from '../restart/CrashSeries.ts';
import { createRestartPolicy, type RestartPolicyName } from '../restart/policies.ts';
import { CRASHED, DOWN, STARTING, STATE_NAMES, UP } from '../contracts.ts';
import { epochOf, indexOf, pack } from '../eventArg.ts';
import type { BlockRoutes } from './BlockRoutes.ts';
import type { Draining } from './Draining.ts';
import type { DynoSlots } from './DynoSlots.ts';
import type { DynoVoice } from './DynoVoice.ts';
import type { ManagerEnv } from './ManagerEnv.ts';
import type { Preboot } from './Preboot.ts';
import type { UsageLedger } from './UsageLedger.ts';

/** The parts of the manager the lifecycle drives. */
export interface LifecycleParts {
  readonly slots: DynoSlots;
  readonly routes: BlockRoutes;
  readonly draining: Draining;
  readonly ledger: UsageLedger;
  readonly voice: DynoVoice;
  readonly memory: DynoMemory | null;
  readonly preboot: Preboot;
}

export class Lifecycle {
  private readonly env: ManagerEnv;
  /** A release's share of new processes that fail to boot. */
  crashOnBoot = 0;
  private readonly ids: { incarnations: number };
  private readonly slots: DynoSlots;
  private readonly routes: BlockRoutes;
  private readonly draining: Draining;
  private readonly ledger: UsageLedger;
  private readonly voice: DynoVoice;
  private readonly memory: DynoMemory | null;
  private readonly preboot: Preboot;
  private readonly series: CrashSeries[];
  private readonly u: { boot: Uniform; crashes: Uniform; cycling: Uniform };
  private readonly bootBuf = new Float64Array(1);
  private fillBoot: Filler;
  /** Slots waiting for a host with room, oldest first, and since when. */
  private readonly waiting: number[] = [];
  private readonly waitingSinceUs: Float64Array;
  /** When each slot was woken (Eco), until it is up; −1 otherwise. */
  private readonly wokeAtUs: Float64Array;
  /** Wakes that came up, and the time they took, summed. */
  readonly wakeUps = { count: 0, totalUs: 0 };
  private readonly k: Record<'up' | 'bootFailed' | 'crash' | 'restart' | 'cycle', number>;

  constructor(env: ManagerEnv, streams: Streams, ids: { incarnations: number }, parts: LifecycleParts) {
    const { engine, s, proc } = env;
    this.env = env;
    this.ids = ids;
    this.slots = parts.slots;
    this.routes = parts.routes;
    this.draining = parts.draining;
    this.ledger = parts.ledger;
    this.voice = parts.voice;
    this.memory = parts.memory;
    this.preboot = parts.preboot;
    const m = s.platform.dynoManager;
    const restartPolicy = createRestartPolicy(m.restartPolicy as RestartPolicyName, { stableAfterUs: m.stableAfterUs });
    this.series = Array.from({ length: proc.maxCount }, () => new CrashSeries(restartPolicy));
    // Web keeps the plain stream names; other process types draw from their own.
    const named = (name: string): Uniform => streams.stream(proc.type === 'web' ? name : `${name}/${proc.type}`);
    this.u = { boot: named('boot'), crashes: named('crashes'), cycling: named('cycling') };
    this.fillBoot = proc.size.boot.filler(this.u.boot);
    this.waitingSinceUs = new Float64Array(proc.maxCount);
    this.wokeAtUs = new Float64Array(proc.maxCount).fill(-1);
    this.k = {
      up: engine.register((a) => this.onUp(indexOf(a), epochOf(a))),
      bootFailed: engine.register((a) => this.onBootFailed(indexOf(a), epochOf(a))),
      crash: engine.register((a) => this.ifCurrent(a, (slot) => this.die(slot, 'crash', say.processExited(1)))),
      restart: engine.register((a) => this.ifCurrent(a, (slot) => this.startProcess(slot, 'restart'))),
      cycle: engine.register((a) => this.ifCurrent(a, (slot) => this.cycle(slot))),
    };
  }

  /** A slot joins the formation: already up at time zero, or started by a scale-up. */
  enter(slot: number, atStart: boolean): void {
    const { slots } = this;
    this.ledger.open(slot, this.env.engine.nowUs);
    this.series[slot]!.reset();
    if (!atStart) {
      this.startProcess(slot, 'scale');
      return;
    }
    const { req } = this.env.sizing;
    const h = this.env.hosts.place(req);
    if (h < 0) {
      slots.state[slot] = STARTING;
      this.voice.record(slot, DOWN, STARTING, 'scale', -1);
      this.waitForHost(slot);
      return;
    }
    this.env.hosts.fleet.allocate(h, req);
    slots.host[slot] = h;
    slots.req[slot] = req;
    const b = this.routes.open(slot, h);
    slots.block[slot] = b;
    slots.epoch[slot]!++;
    slots.incarnation[slot] = ++this.ids.incarnations;
    // Running already: by default for a random part of the time between daily cycles, as
    // in a formation that has been up for days; or just started, as after a deploy.
    const m = this.env.s.platform.dynoManager;
    const lifeUs = m.cycleEveryUs + this.u.cycling.next() * m.cycleJitterUs;
    const ageUs = this.env.s.dynoAges === 'random' ? this.u.cycling.next() * lifeUs : 0;
    slots.startedUs[slot] = -ageUs;
    slots.state[slot] = UP;
    slots.up++;
    this.routes.startRouting(b, 0);
    this.voice.record(slot, DOWN, UP, 'formation');
    this.scheduleLife(slot, m.cycling ? lifeUs - ageUs : Infinity);
    this.memory?.started(slot, b, 0);
  }

  /** Takes a slot out of the formation (scale down). */
  leave(slot: number): void {
    this.stop(slot, 'scale', false);
  }

  /** An Eco dyno sleeps (`reason`: idling, or the pool used up): its process stops, it stays in the formation, and its usage ends until it wakes. */
  sleep(slot: number, reason: string): void {
    if (this.slots.state[slot] === DOWN) return;
    this.voice.say(slot, say.idling());
    this.stop(slot, reason, true);
  }

  /** A sleeping Eco dyno wakes: a new process starts (the request that woke it waits for the boot). */
  wake(slot: number): void {
    if (this.slots.state[slot] !== DOWN) return;
    this.voice.say(slot, say.unidling());
    this.wokeAtUs[slot] = this.env.engine.nowUs;
    this.ledger.open(slot, this.env.engine.nowUs);
    this.series[slot]!.reset();
    this.startProcess(slot, 'unidling');
  }

  /** The slot's process stops and the slot goes down; Heroku logs the state change after SIGTERM on a scale down, before it when a dyno sleeps. */
  private stop(slot: number, reason: string, stateFirst: boolean): void {
    const { slots } = this;
    const from = slots.state[slot]!;
    if (stateFirst) this.voice.say(slot, say.stateChanged(STATE_NAMES[from]!, 'down'));
    if (slots.lostOnHost[slot]! >= 0) {
      slots.lostOnHost[slot] = -1;
      const b = slots.block[slot]!;
      if (b >= 0) this.routes.withdraw(b);
      slots.block[slot] = -1;
      slots.host[slot] = -1;
    } else {
      this.draining.sigterm(slot);
      if (from === UP) slots.up--;
    }
    slots.epoch[slot]!++;
    slots.state[slot] = DOWN;
    if (!stateFirst) this.voice.say(slot, say.stateChanged(STATE_NAMES[from]!, 'down'));
    this.voice.record(slot, from, DOWN, reason);
    this.ledger.close(slot, this.env.engine.nowUs);
  }

  /** Starts a new process on `slot` (placing it on a host first); the slot is `starting` until it binds its port. */
  startProcess(slot: number, reason: string, announced = false): void {
    const { slots } = this;
    const from = slots.state[slot]!;
    if (from === UP) slots.up--;
    slots.epoch[slot]!++;
    if (from === CRASHED || reason === 'restart' || reason === 'relocation' || reason === 'cycle' || reason === 'release' || reason === 'resize') {
      this.env.counts.restarts++;
    }
    if (from === CRASHED && !this.env.s.platform.billing.billCrashed) this.ledger.open(slot, this.env.engine.nowUs);
    slots.state[slot] = STARTING;
    if (!announced) this.voice.say(slot, say.stateChanged(STATE_NAMES[from]!, 'starting'));
    // A crashed dyno restarts where it was, when its host still has room; others are placed anew.
    const last = slots.lastHost[slot]!;
    const { req } = this.env.sizing;
    const h = from === CRASHED && last >= 0 && this.env.hosts.fleet.fits(last, req) ? last : this.env.hosts.place(req);
    if (h < 0) {
      slots.host[slot] = -1;
      this.voice.record(slot, from, STARTING, `${reason}; no host has room`, -1);
      this.waitForHost(slot);
      return;
    }
    this.boot(slot, h, from, reason);
  }

  /** Places dynos waiting for a host, oldest first, while hosts have room. */
  placeWaiting(): void {
    while (this.waiting.length > 0) {
      const slot = this.waiting[0]!;
      if (this.slots.state[slot] !== STARTING || this.slots.host[slot] >= 0) {
        this.waiting.shift();
        continue;
      }
      const h = this.env.hosts.place(this.env.sizing.req);
      if (h < 0) return;
      this.waiting.shift();
      this.env.counts.placementWaitUs += this.env.engine.nowUs - this.waitingSinceUs[slot]!;
      this.boot(slot, h, STARTING, 'placed');
    }
  }

  /**
   * The slot's process exits on its own (crash, failed boot, R15): its requests are lost,
   * the router keeps trying it until it learns, and the restart policy decides when it
   * starts again.
   */
  die(slot: number, reason: string, exitLine: string): void {
    const { slots } = this;
    const now = this.env.engine.nowUs;
    const b = slots.block[slot]!;
    const from = slots.state[slot]!;
    if (reason === 'R15') this.env.counts.r15++;
    else this.env.counts.dynoCrashes++;
    this.voice.say(slot, exitLine);
    this.routes.end(b, REFUSES);
    this.env.hosts.fleet.release(slots.host[slot]!, slots.req[slot]!);
    if (from === UP) slots.up--;
    slots.state[slot] = CRASHED;
    slots.epoch[slot]!++;
    slots.block[slot] = -1;
    this.voice.say(slot, say.stateChanged(STATE_NAMES[from]!, 'crashed'));
    this.voice.record(slot, from, CRASHED, reason);
    slots.lastHost[slot] = slots.host[slot]!;
    slots.host[slot] = -1;
    if (!this.env.s.platform.billing.billCrashed) this.ledger.close(slot, now);
    const delayUs = this.series[slot]!.crashed(slots.startedUs[slot]!, now);
    this.env.engine.at(now + delayUs, this.k.restart, pack(slot, slots.epoch[slot]!));
    this.env.hosts.placeWaiting();
  }

  /** `heroku restart` (or a release) of the slot: its process is replaced, unless it is dead on a failed host (relocation will start it). */
  restart(slot: number, reason: string): void {
    if (this.slots.lostOnHost[slot]! >= 0) return;
    this.voice.say(slot, say.restarting());
    this.replace(slot, reason);
  }

  /** The type is resized: new processes boot as the new size does (ps:resize then restarts every dyno). */
  resized(): void {
    this.fillBoot = this.env.sizing.size.boot.filler(this.u.boot);
  }

  /** Closes the books at the end of the run: the time dynos still waiting for a host have waited. */
  finish(): void {
    for (const slot of this.waiting) {
      if (this.slots.state[slot] === STARTING && this.slots.host[slot] < 0) {
        this.env.counts.placementWaitUs += Math.max(0, this.env.s.durationUs - this.waitingSinceUs[slot]!);
      }
    }
  }

  private waitForHost(slot: number): void {
    this.waitingSinceUs[slot] = this.env.engine.nowUs;
    this.waiting.push(slot);
  }

  private boot(slot: number, h: number, from: number, reason: string): void {
    const { slots } = this;
    const now = this.env.engine.nowUs;
    const { req } = this.env.sizing;
    this.env.hosts.fleet.allocate(h, req);
    slots.host[slot] = h;
    slots.req[slot] = req;
    const b = this.routes.open(slot, h);
    slots.block[slot] = b;
    slots.incarnation[slot] = ++this.ids.incarnations;
    slots.startedUs[slot] = now;
    this.voice.record(slot, from, STARTING, reason);
    this.voice.say(slot, say.startingProcess(this.env.proc.command));
    const m = this.env.s.platform.dynoManager;
    this.fillBoot.fill(this.bootBuf);
    const bootUs = this.bootBuf[0]!;
    const e = slots.epoch[slot]!;
    const crashes = this.crashOnBoot > 0 && this.u.crashes.next() < this.crashOnBoot;
    if (crashes) {
      // A release that cannot boot: the process exits when it would have bound its port.
      this.env.engine.at(now + Math.min(bootUs, m.bootTimeoutUs), this.k.bootFailed, pack(slot, e * 2 + 1));
    } else if (bootUs > m.bootTimeoutUs && this.env.proc.type === 'web') {
      // R10 is a web process not binding $PORT in time; other types bind no port.
      this.env.engine.at(now + m.bootTimeoutUs, this.k.bootFailed, pack(slot, e * 2));
    } else {
      this.env.engine.at(now + bootUs, this.k.up, pack(slot, e));
    }
    this.memory?.started(slot, b, now);
  }

  /**
   * Crash and cycle times of a process that is up; `cycleInUs` from now. Random platform
   * events are confined to the run's duration: the time after it only lets the last
   * requests finish.
   */
  private scheduleLife(slot: number, cycleInUs: number): void {
    const now = this.env.engine.nowUs;
    const e = this.slots.epoch[slot]!;
    if (this.env.proc.crashRatePerUs > 0) {
      const dt = -Math.log(1 - this.u.crashes.next()) / this.env.proc.crashRatePerUs;
      if (now + dt < this.env.s.durationUs) this.env.engine.at(now + dt, this.k.crash, pack(slot, e));
    }
    if (now + cycleInUs < this.env.s.durationUs) this.env.engine.at(now + cycleInUs, this.k.cycle, pack(slot, e));
  }

  /** Runs `f(slot)` if the event packed in `arg` belongs to the slot's current process. */
  private ifCurrent(arg: number, f: (slot: number) => void): void {
    const slot = indexOf(arg);
    if (epochOf(arg) === this.slots.epoch[slot]) f(slot);
  }

  private onUp(slot: number, e: number): void {
    const { slots } = this;
    if (e !== slots.epoch[slot]) return;
    const b = slots.block[slot]!;
    slots.state[slot] = UP;
    slots.up++;
    this.voice.say(slot, say.stateChanged('starting', 'up'));
    this.voice.record(slot, STARTING, UP, 'booted');
    if (this.wokeAtUs[slot]! >= 0) {
      this.wakeUps.count++;
      this.wakeUps.totalUs += this.env.engine.nowUs - this.wokeAtUs[slot]!;
      this.wokeAtUs[slot] = -1;
    }
    // A prebooted process waits for its switch to take traffic.
    if (this.preboot.routeFromUs[slot]! <= this.env.engine.nowUs) this.routes.startRouting(b, this.env.engine.nowUs);
    // Cycling counts from the process's start, boot included.
    const m = this.env.s.platform.dynoManager;
    const sinceStartUs = this.env.engine.nowUs - slots.startedUs[slot]!;
    this.scheduleLife(slot, m.cycling ? m.cycleEveryUs + this.u.cycling.next() * m.cycleJitterUs - sinceStartUs : Infinity);
    this.env.flow.releaseHeld(this.env.engine.nowUs);
  }

  private onBootFailed(slot: number, packedEpoch: number): void {
    const e = Math.floor(packedEpoch / 2);
    if (e !== this.slots.epoch[slot]) return;
    if (packedEpoch % 2 === 1) {
      this.die(slot, 'crashed during boot', say.processExited(1));
    } else {
      this.env.counts.r10++;
      this.voice.say(slot, say.r10(this.env.s.platform.dynoManager.bootTimeoutUs / 1e6));
      this.voice.say(slot, say.stoppingProcessSigkill());
      this.die(slot, 'R10 boot timeout', say.processExited(137));
    }
  }

  /** Daily cycling: the process gets SIGTERM and a new one starts at once. */
  private cycle(slot: number): void {
    this.env.counts.cycles++;
    this.voice.say(slot, say.cycling());
    this.replace(slot, 'cycle');
  }

  /**
   * Stops the slot's process (if any) and starts a new one at once; the crash back-off
   * starts over. With preboot (not for a resize), the old process serves on until the switch.
   */
  private replace(slot: number, reason: string): void {
    // Heroku logs the state change, then SIGTERM, then the new process's start.
    this.voice.say(slot, say.stateChanged(STATE_NAMES[this.slots.state[slot]!]!, 'starting'));
    if (reason !== 'resize' && this.preboot.applies(slot)) this.preboot.keepUntilSwitch(slot);
    else this.draining.sigterm(slot);
    this.series[slot]!.reset();
    this.startProcess(slot, reason, true);
  }
}
