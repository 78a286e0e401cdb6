/**
 * Eco dynos (heroku-2025): the account's pool of dyno hours and an app that sleeps.
 *
 * - The pool: `eco.poolHours` (1000) a calendar month (UTC), shared by the account's Eco
 *   apps; `eco.poolUsedHours` of the first month are used by its other apps already. Every
 *   Eco dyno of the formation draws on it while the app is awake, booting and crashed
 *   included (as the bill counts them); a sleeping app draws nothing.
 * - Sleeping: an app with an Eco web dyno sleeps after `eco.sleepAfter` (30 min) without a
 *   web request, its Eco workers with it. The next request wakes it: the dynos boot again
 *   and the request waits at the router for the boot (HOLD, H20 if it runs out). An app
 *   of workers only never sleeps.
 * - The pool used up: every Eco dyno sleeps until the next calendar month, and requests
 *   get H82 meanwhile. At the month's start the pool is full again and the app wakes at
 *   its next request (a workers-only app at once).
 *
 * The account never sees a request: it reads the time of the latest one from the flow
 * when its idle check comes due, and the router asks it (through the web manager's gate)
 * when it finds no dyno.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { EcoRules } from '../platform/profile.ts';
import { H20, H82, HOLD } from '../router/codes.ts';
import type { Scenario } from '../Scenario.ts';

const US_PER_H = 3_600_000_000;

/** What the account moves: an Eco process type's dyno manager. */
export interface EcoTenant {
  /** Dynos of the type in the formation now. */
  readonly formation: number;
  /** Every dyno of the type sleeps (`reason` for events.csv). */
  sleep(reason: string): void;
  /** Every sleeping dyno of the type wakes. */
  wake(): void;
}

/** What the account did in a run (summary.json's `eco`). */
export interface EcoCounts {
  /** Times the app went to sleep for want of traffic. */
  sleeps: number;
  /** Times a request woke it. */
  wakes: number;
  /** Times the pool ran out. */
  poolsUsedUp: number;
}

/** Whether a run has Eco dynos (the profile has Eco, and a process type runs at its size). */
export function runsEco(s: Scenario): boolean {
  const eco = s.platform.eco;
  return eco !== null && s.processes.some((p) => p.sizes.some((z) => z.name === eco.size));
}

export class EcoAccount {
  readonly counts: EcoCounts = { sleeps: 0, wakes: 0, poolsUsedUp: 0 };
  /** Pool hours the app's dynos used, over the run. */
  appHoursUs = 0;
  private readonly engine: Engine;
  private readonly s: Scenario;
  private readonly rules: EcoRules;
  private readonly tenants: EcoTenant[];
  /** Whether the app has a web dyno that can sleep. */
  private readonly sleepsIdle: boolean;
  private readonly lastArrivalUs: () => number;
  private asleep = false;
  private usedUp = false;
  /** Pool time used this month (µs of dyno time), up to `sinceUs`. */
  private usedUs: number;
  private sinceUs = 0;
  /** When the app last woke (its idle time counts from there). */
  private sinceAwakeUs = 0;
  private monthEndUs: number;
  private epoch = 0;
  private readonly k: { idle: number; usedUp: number; month: number };

  constructor(engine: Engine, s: Scenario, tenants: EcoTenant[], webSleeps: boolean, lastArrivalUs: () => number) {
    this.engine = engine;
    this.s = s;
    this.rules = s.platform.eco!;
    this.tenants = tenants;
    this.sleepsIdle = webSleeps;
    this.lastArrivalUs = lastArrivalUs;
    this.usedUs = this.rules.poolUsedHours * US_PER_H;
    this.monthEndUs = this.nextMonthUs(0);
    this.k = {
      idle: engine.register(() => this.onIdleCheck()),
      usedUp: engine.register((e) => {
        if (e === this.epoch) this.onUsedUp();
      }),
      month: engine.register(() => this.onMonth()),
    };
  }

  /** Time zero: the app is awake; its first idle check, the pool's end and the month's are due. */
  start(): void {
    if (this.sleepsIdle) this.engine.at(this.rules.sleepAfterUs, this.k.idle, 0);
    if (this.monthEndUs < this.s.durationUs) this.engine.at(this.monthEndUs, this.k.month, 0);
    if (this.poolLeftUs() <= 0) this.onUsedUp();
    else this.scheduleUsedUp();
  }

  /**
   * The router found no dyno for a request: H82 while the pool is used up; a sleeping app
   * wakes, and the request waits for the boot; else −1 (the manager answers as usual).
   */
  noDyno(): number {
    if (this.usedUp) return H82;
    if (!this.asleep) return -1;
    this.counts.wakes++;
    this.wakeAll();
    return HOLD | H20;
  }

  /** The formation of an Eco type is about to change (a scale event): the pool's draw changes with it. */
  changing(): void {
    this.settle();
  }

  /** … and has changed. */
  changed(): void {
    if (!this.asleep && !this.usedUp) this.scheduleUsedUp();
  }

  /** Closes the books at the end of the run. */
  finish(): void {
    this.settle(this.s.durationUs);
  }

  /** Pool hours used by the end of the run, this month (the account's other apps' included). */
  get poolUsedHours(): number {
    return this.usedUs / US_PER_H;
  }

  private onIdleCheck(): void {
    if (this.asleep || this.usedUp) return;
    const now = this.engine.nowUs;
    const dueUs = Math.max(this.lastArrivalUs(), this.sinceAwakeUs) + this.rules.sleepAfterUs;
    if (dueUs > now) {
      if (dueUs < this.s.durationUs) this.engine.at(dueUs, this.k.idle, 0);
      return;
    }
    this.counts.sleeps++;
    this.sleepAll('idling');
  }

  private onUsedUp(): void {
    this.counts.poolsUsedUp++;
    this.settle();
    this.usedUp = true;
    if (!this.asleep) this.sleepAll('Eco dyno hours used up');
  }

  private onMonth(): void {
    this.settle();
    this.usedUs = 0;
    this.monthEndUs = this.nextMonthUs(this.engine.nowUs);
    if (this.monthEndUs < this.s.durationUs) this.engine.at(this.monthEndUs, this.k.month, 0);
    if (!this.usedUp) {
      if (!this.asleep) this.scheduleUsedUp();
      return;
    }
    // A new pool: the app wakes at its next request; one without web dynos at once.
    this.usedUp = false;
    if (!this.sleepsIdle) this.wakeAll();
  }

  private sleepAll(reason: string): void {
    this.settle();
    this.asleep = true;
    this.epoch++;
    for (const t of this.tenants) t.sleep(reason);
  }

  private wakeAll(): void {
    this.settle();
    this.asleep = false;
    const now = this.engine.nowUs;
    this.sinceAwakeUs = now;
    for (const t of this.tenants) t.wake();
    this.scheduleUsedUp();
    if (this.sleepsIdle && now + this.rules.sleepAfterUs < this.s.durationUs) this.engine.at(now + this.rules.sleepAfterUs, this.k.idle, 0);
  }

  /** Dynos drawing on the pool now. */
  private drawing(): number {
    if (this.asleep || this.usedUp) return 0;
    let n = 0;
    for (const t of this.tenants) n += t.formation;
    return n;
  }

  /** The pool's use brought up to `nowUs`. */
  private settle(nowUs = this.engine.nowUs): void {
    const to = Math.min(nowUs, this.s.durationUs);
    const used = this.drawing() * (to - this.sinceUs);
    if (used > 0) {
      this.usedUs += used;
      this.appHoursUs += used;
    }
    this.sinceUs = Math.max(this.sinceUs, to);
  }

  private poolLeftUs(): number {
    return this.rules.poolHours * US_PER_H - this.usedUs;
  }

  /** The pool's end at the present draw, if it comes within the month and the run. */
  private scheduleUsedUp(): void {
    this.settle();
    this.epoch++;
    const n = this.drawing();
    if (n === 0) return;
    const atUs = this.engine.nowUs + Math.max(0, this.poolLeftUs()) / n;
    if (atUs < Math.min(this.monthEndUs, this.s.durationUs)) this.engine.at(atUs, this.k.usedUp, this.epoch);
  }

  /** The start of the calendar month (UTC) after the instant `tUs` into the run. */
  private nextMonthUs(tUs: number): number {
    const d = new Date(this.s.calendar.epochMs(tUs / 1e6));
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return Math.round(this.s.calendar.secondsAt(next) * 1e6);
  }
}
