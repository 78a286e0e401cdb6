/**
 * One-off dynos: scripted tasks (`run.N`, a migration at 01:00) and Heroku Scheduler's
 * runs (`scheduler.N`, every 10 minutes, hour or day; best effort, so a run can be
 * missed). Each is placed on a host, boots, runs its task and exits; it is billed from
 * its start to its exit like any dyno, and never restarted: a one-off on a host that
 * fails is lost with its task. One still running at the platform's one-off limit after
 * its start (boot included) is cycled: SIGTERM, and its task ends there.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { Streams, Uniform } from '../../engine/streams.ts';
import type { DynoUsage } from '../billing/bill.ts';
import type { OneOffSpec, Scenario } from '../Scenario.ts';
import * as say from '../logs/format.ts';
import type { DynoLog, LifecycleEvent } from './contracts.ts';
import type { HostManager, HostTenant } from './HostManager.ts';
import type { PlacementRequest } from './hosts/HostFleet.ts';
import { epochOf, indexOf, pack } from './eventArg.ts';
import { Draws } from '../traffic/service/Draws.ts';

/** What one-off dynos did in a run (summary.json's `oneOffs`). */
export interface OneOffCounts {
  /** Runs started (scripted and scheduled). */
  started: number;
  completed: number;
  /** Lost with their host before they finished. */
  interrupted: number;
  /** Scheduler runs skipped (best effort). */
  missed: number;
  /** Stopped at the one-off limit before their task was done. */
  stoppedAtLimit: number;
  /** Still running at the end of the run. */
  running: number;
}

interface Run {
  readonly name: string;
  readonly spec: OneOffSpec;
  readonly req: PlacementRequest;
  host: number;
  state: 'waiting' | 'starting' | 'up' | 'complete' | 'crashed';
  usageFromUs: number;
  /** When the one-off limit stops it: its start plus the limit. */
  readonly limitUs: number;
  epoch: number;
}

export class OneOffRunner implements HostTenant {
  readonly counts: OneOffCounts = { started: 0, completed: 0, interrupted: 0, missed: 0, stoppedAtLimit: 0, running: 0 };
  readonly usages: DynoUsage[] = [];
  private readonly engine: Engine;
  private readonly s: Scenario;
  private readonly hosts: HostManager;
  private readonly log: DynoLog | null;
  private readonly onEvent: (e: LifecycleEvent) => void;
  private readonly runs: Run[] = [];
  private readonly waiting: number[] = [];
  private readonly u: { miss: Uniform };
  /** Boot times by size, run times by task, each drawn from its own stream. */
  private readonly boots = new Map<string, Draws>();
  private readonly runTimes = new Map<OneOffSpec, Draws>();
  private readonly streams: Streams;
  private scripted = 0;
  private scheduled = 0;
  private readonly k: { up: number; exit: number; limit: number; scheduler: number };

  constructor(engine: Engine, s: Scenario, hosts: HostManager, streams: Streams, out: { onEvent: (e: LifecycleEvent) => void; log: DynoLog | null }) {
    this.engine = engine;
    this.s = s;
    this.hosts = hosts;
    this.streams = streams;
    this.log = out.log;
    this.onEvent = out.onEvent;
    this.u = { miss: streams.stream('scheduler/miss') };
    this.k = {
      up: engine.register((a) => this.onUp(indexOf(a), epochOf(a))),
      exit: engine.register((a) => this.onExit(indexOf(a), epochOf(a))),
      limit: engine.register((a) => this.onLimit(indexOf(a), epochOf(a))),
      scheduler: engine.register((i) => this.onSchedule(i)),
    };
    hosts.add(this);
  }

  /** Schedules the scheduler's first runs. */
  start(): void {
    this.s.scheduler.forEach((task, i) => {
      if (task.firstUs < this.s.durationUs) this.engine.at(task.firstUs, this.k.scheduler, i);
    });
  }

  /** A scripted one-off (`run.N`) starts now. */
  runScripted(spec: OneOffSpec): void {
    this.launch(`run.${++this.scripted}`, spec, 'heroku run');
  }

  private onSchedule(i: number): void {
    const task = this.s.scheduler[i]!;
    const now = this.engine.nowUs;
    if (now + task.everyUs < this.s.durationUs) this.engine.at(now + task.everyUs, this.k.scheduler, i);
    if (task.miss > 0 && this.u.miss.next() < task.miss) {
      this.counts.missed++;
      return;
    }
    this.launch(`scheduler.${++this.scheduled}`, task, 'scheduler');
  }

  private launch(name: string, spec: OneOffSpec, reason: string): void {
    const now = this.engine.nowUs;
    const limitUs = now + this.s.platform.dynoManager.oneOffLimitUs;
    const r: Run = { name, spec, req: { memoryMb: spec.size.memoryMb, dedicated: spec.size.dedicated }, host: -1, state: 'waiting', usageFromUs: now, limitUs, epoch: 0 };
    const i = this.runs.push(r) - 1;
    this.counts.started++;
    this.counts.running++;
    if (limitUs < this.s.durationUs) this.engine.at(limitUs, this.k.limit, pack(i, r.epoch));
    const h = this.hosts.place(r.req);
    if (h < 0) {
      this.record(r, 'down', 'starting', `${reason}; no host has room`);
      this.waiting.push(i);
      return;
    }
    this.boot(i, h, reason);
  }

  private boot(i: number, h: number, reason: string): void {
    const r = this.runs[i]!;
    this.hosts.fleet.allocate(h, r.req);
    r.host = h;
    r.state = 'starting';
    this.record(r, 'down', 'starting', reason);
    this.say(r, say.startingProcess(r.spec.command));
    const size = r.spec.size;
    let boot = this.boots.get(size.name);
    if (boot === undefined) this.boots.set(size.name, (boot = new Draws(size.boot.filler(this.streams.stream(`boot/one-off/${size.name}`)), 1)));
    this.engine.at(this.engine.nowUs + boot.next(), this.k.up, pack(i, r.epoch));
  }

  private onUp(i: number, e: number): void {
    const r = this.runs[i]!;
    if (e !== r.epoch) return;
    r.state = 'up';
    this.say(r, say.stateChanged('starting', 'up'));
    this.record(r, 'starting', 'up', 'booted');
    let run = this.runTimes.get(r.spec);
    if (run === undefined) this.runTimes.set(r.spec, (run = new Draws(r.spec.run.filler(this.streams.stream(`one-off/${this.runTimes.size}`)), 1)));
    // A task done by the limit voids the limit's event; one that is not is stopped by it.
    const exitUs = this.engine.nowUs + run.next();
    if (exitUs <= r.limitUs) this.engine.at(exitUs, this.k.exit, pack(i, ++r.epoch));
  }

  private onExit(i: number, e: number): void {
    const r = this.runs[i]!;
    if (e !== r.epoch) return;
    this.say(r, say.processExited(0));
    this.say(r, say.stateChanged('up', 'complete'));
    this.record(r, 'up', 'complete', 'task done');
    this.counts.completed++;
    this.end(r, 'complete');
    this.hosts.placeWaiting();
  }

  /** The one-off limit: cycled like any dyno, it gets SIGTERM and its process exits (143). */
  private onLimit(i: number, e: number): void {
    const r = this.runs[i]!;
    if (e !== r.epoch) return;
    this.say(r, say.cycling());
    if (r.state === 'waiting') this.waiting.splice(this.waiting.indexOf(i), 1);
    else {
      this.say(r, say.stoppingAll());
      this.say(r, say.processExited(143));
    }
    const from = r.state === 'up' ? 'up' : 'starting';
    this.say(r, say.stateChanged(from, 'complete'));
    this.record(r, from, 'complete', 'one-off limit');
    this.counts.stoppedAtLimit++;
    this.end(r, 'complete');
    this.hosts.placeWaiting();
  }

  private end(r: Run, state: 'complete' | 'crashed'): void {
    if (r.host >= 0) this.hosts.fleet.release(r.host, r.req);
    r.host = -1;
    r.state = state;
    r.epoch++;
    this.counts.running--;
    this.closeUsage(r);
  }

  private closeUsage(r: Run): void {
    const to = Math.min(this.engine.nowUs, this.s.durationUs);
    if (to > r.usageFromUs) this.usages.push({ processType: r.name.slice(0, r.name.indexOf('.')), dyno: r.name, size: r.spec.size.name, startUs: r.usageFromUs, endUs: to });
    r.usageFromUs = Infinity;
  }

  // ---- HostTenant ----

  hostFailed(h: number, reason: string): void {
    for (const r of this.runs) {
      if (r.host !== h || (r.state !== 'starting' && r.state !== 'up')) continue;
      this.record(r, r.state, 'crashed', `${reason}; one-off dynos are not restarted`);
      this.counts.interrupted++;
      r.host = h;
      this.end(r, 'crashed');
    }
  }

  hostDetected(): void {}

  placeWaiting(): void {
    while (this.waiting.length > 0) {
      const i = this.waiting[0]!;
      const h = this.hosts.place(this.runs[i]!.req);
      if (h < 0) return;
      this.waiting.shift();
      this.boot(i, h, 'placed');
    }
  }

  refreshSlowAll(): void {}

  /** Closes the books at the end of the run: dynos still running are billed to the end. */
  finish(): void {
    for (const r of this.runs) if (r.usageFromUs !== Infinity) this.closeUsage(r);
  }

  private say(r: Run, message: string): void {
    this.log?.dyno(this.engine.nowUs, r.name, message);
  }

  private record(r: Run, from: string, to: string, reason: string): void {
    const fleet = this.hosts.fleet;
    const h = r.host;
    this.onEvent({
      timeUs: this.engine.nowUs,
      dyno: r.name,
      host: h >= 0 ? fleet.hostName(h) : '',
      zone: h >= 0 ? fleet.zoneName(fleet.zoneOf(h)) : '',
      from,
      to,
      reason,
    });
  }
}
