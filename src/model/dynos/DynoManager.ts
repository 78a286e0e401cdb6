/**
 * The dyno manager of one process type: it places its dynos on hosts, boots them, tells
 * the router (or the job queue) when they are up, and restarts, cycles, relocates and
 * stops them. Everything here is a scheduled event on the engine's heap; requests and
 * jobs never pass through it. A dyno's process is a block of the type's tier (see
 * WebTier): when the process dies, the tier hands back the work it held and the request
 * or job flow overturns its outcomes.
 *
 * Dynos are slots web.1 … web.N (worker.1 …). Each start of a process on a slot is an
 * incarnation with its own block and host; `epoch[slot]` counts them, and every event
 * scheduled for a slot carries the epoch it was scheduled in, so that events of a
 * process that has since died are ignored instead of cancelled.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { Streams, Uniform } from '../../engine/streams.ts';
import type { ProcessSpec, Scenario } from '../Scenario.ts';
import type { RouterGate } from '../router/RouterGate.ts';
import type { TrackRing } from '../router/TrackRing.ts';
import { H10, H14, H20, H99, HOLD } from '../router/codes.ts';
import { REACHABLE, REFUSES, SILENT, type WebTier } from '../router/WebTier.ts';
import type { HostManager, HostTenant } from './HostManager.ts';
import type { PlacementRequest } from './hosts/HostFleet.ts';
import { CrashSeries } from './restart/CrashSeries.ts';
import { createRestartPolicy, type RestartPolicyName } from './restart/policies.ts';
import type { RestartPolicy } from './restart/RestartPolicy.ts';
import type { DynoUsage } from '../billing/bill.ts';
import * as say from '../logs/format.ts';
import { DynoMemory, type MetricsSample } from './DynoMemory.ts';
import { CRASHED, DOWN, STARTING, STATE_NAMES, UP, type DynoLog, type LifecycleEvent, type PlatformCounts, type WorkFlow } from './contracts.ts';
import { epochOf, indexOf, pack } from './eventArg.ts';

export class DynoManager implements RouterGate, HostTenant {
  readonly counts: PlatformCounts;
  readonly proc: ProcessSpec;
  /** Dynos of the type in the formation now. */
  formation: number;
  /** Dynos of the type up (serving) now. */
  upCount = 0;
  /** The fewest and most dynos the formation had, and its time integral up to `formationSinceUs` (for the mean). */
  formationMin = 0;
  formationMax = 0;
  private formationIntegralUs = 0;
  private formationSinceUs = 0;

  private readonly s: Scenario;
  private readonly engine: Engine;
  readonly tier: WebTier;
  private readonly flow: WorkFlow;
  private readonly ids: { incarnations: number };
  private readonly hosts: HostManager;
  private readonly onEvent: (e: LifecycleEvent) => void;
  private readonly log: DynoLog | null;
  private readonly restartPolicy: RestartPolicy;
  private readonly req: PlacementRequest;
  readonly memory: DynoMemory | null;
  private readonly u: { boot: Uniform; crashes: Uniform; cycling: Uniform };
  private readonly bootBuf = new Float64Array(1);
  private readonly fillBoot: (out: Float64Array) => void;

  // Per slot.
  readonly state: Uint8Array;
  readonly block: Int32Array;
  readonly host: Int32Array;
  readonly epoch: Float64Array;
  readonly startedUs: Float64Array;
  readonly incarnation: Float64Array;
  private readonly series: CrashSeries[];
  /** Set while a slot's process is dead on a failed host and the manager has not noticed. */
  private readonly lostOnHost: Int32Array;
  private readonly waitingSinceUs: Float64Array;
  /** Where a crashed dyno ran, so that its restart can go back there. */
  private readonly lastHost: Int32Array;
  private readonly waiting: number[] = [];
  private readonly usageOpenUs: Float64Array;
  readonly usages: DynoUsage[] = [];
  private crashOnBoot = 0;

  // Per block.
  /** Old processes draining after SIGTERM: their slot and host. */
  private readonly stopping = new Map<number, { slot: number; host: number }>();
  private blockHost: Int32Array;
  private blockEpoch: Float64Array;
  /** 0: not routed; 1: routed; 2: routed but quarantined. */
  private route: Uint8Array;

  private readonly k: Record<'up' | 'bootFailed' | 'crash' | 'restart' | 'cycle' | 'routeUpdate' | 'stopped' | 'quarantineEnd', number>;

  constructor(
    engine: Engine,
    s: Scenario,
    proc: ProcessSpec,
    hosts: HostManager,
    tier: WebTier,
    flow: WorkFlow,
    streams: Streams,
    counts: PlatformCounts,
    /** Process starts so far, over every process type: each start's number names its dyno id in the logs. */
    ids: { incarnations: number },
    out: { onEvent: (e: LifecycleEvent) => void; log: DynoLog | null; onMetrics: ((m: MetricsSample) => void) | null },
  ) {
    this.s = s;
    this.proc = proc;
    this.engine = engine;
    this.hosts = hosts;
    this.tier = tier;
    this.flow = flow;
    this.counts = counts;
    this.ids = ids;
    this.onEvent = out.onEvent;
    this.log = out.log;
    const p = s.platform;
    const slots = proc.maxCount;
    this.restartPolicy = createRestartPolicy(p.dynoManager.restartPolicy as RestartPolicyName, { stableAfterUs: p.dynoManager.stableAfterUs });
    this.req = { memoryMb: proc.size.memoryMb, dedicated: proc.size.dedicated };
    // Web keeps the plain stream names; other process types draw from their own.
    const named = (name: string): Uniform => streams.stream(proc.type === 'web' ? name : `${name}/${proc.type}`);
    this.u = { boot: named('boot'), crashes: named('crashes'), cycling: named('cycling') };
    this.fillBoot = proc.size.boot.filler(this.u.boot);
    this.formation = 0;
    this.state = new Uint8Array(slots);
    this.block = new Int32Array(slots).fill(-1);
    this.host = new Int32Array(slots).fill(-1);
    this.epoch = new Float64Array(slots);
    this.startedUs = new Float64Array(slots);
    this.incarnation = new Float64Array(slots);
    this.series = Array.from({ length: slots }, () => new CrashSeries(this.restartPolicy));
    this.lostOnHost = new Int32Array(slots).fill(-1);
    this.waitingSinceUs = new Float64Array(slots);
    this.lastHost = new Int32Array(slots).fill(-1);
    this.usageOpenUs = new Float64Array(slots).fill(-1);
    this.blockHost = new Int32Array(0);
    this.blockEpoch = new Float64Array(0);
    this.route = new Uint8Array(0);
    this.memory =
      proc.memory !== null || s.runtimeMetrics
        ? new DynoMemory(engine, this, tier, s, proc, { log: out.log, onMetrics: out.onMetrics })
        : null;

    this.k = {
      up: engine.register((a) => this.onUp(indexOf(a), epochOf(a))),
      bootFailed: engine.register((a) => this.onBootFailed(indexOf(a), epochOf(a))),
      crash: engine.register((a) => this.ifCurrent(a, (slot) => this.die(slot, 'crash', say.processExited(1)))),
      restart: engine.register((a) => this.ifCurrent(a, (slot) => this.startProcess(slot, 'restart'))),
      cycle: engine.register((a) => this.ifCurrent(a, (slot) => this.cycle(slot))),
      routeUpdate: engine.register((a) => this.onRouteUpdate(indexOf(a), epochOf(a))),
      stopped: engine.register((a) => this.onStopped(indexOf(a), epochOf(a))),
      quarantineEnd: engine.register((a) => this.onQuarantineEnd(indexOf(a), epochOf(a))),
    };
    hosts.add(this);
  }

  /** Brings the type's dynos up at time zero, already running. */
  start(): void {
    for (let slot = 0; slot < this.proc.count; slot++) this.enterFormation(slot, true);
    this.formation = this.proc.count;
    this.formationMin = this.formationMax = this.formation;
  }

  /** Mean number of dynos in the formation from time zero to `tUs`. */
  formationMean(tUs: number): number {
    const integral = this.formationIntegralUs + this.formation * (tUs - this.formationSinceUs);
    return tUs > 0 ? integral / tUs : this.formation;
  }

  /** Whether anything in the run can stop a process of type `p` (if not, its work need not be tracked). */
  static mayStopDynos(s: Scenario, p: ProcessSpec = s.web): boolean {
    const m = s.platform.dynoManager;
    return (
      s.events.some((e) => e.kind !== 'run') ||
      s.scaling.some((plan) => s.processes[plan.process] === p) ||
      p.crashRatePerUs > 0 ||
      p.memory !== null ||
      Number.isFinite(s.platform.hosts.mtbfUs) ||
      (m.cycling && (s.dynoAges === 'random' || m.cycleEveryUs < s.durationUs))
    );
  }

  // ---- RouterGate ----

  noDyno(): number {
    let crashed = false;
    let quarantined = false;
    for (let slot = 0; slot < this.formation; slot++) {
      const st = this.state[slot]!;
      if (st === STARTING) return HOLD | H20;
      if (st === CRASHED) crashed = true;
      const b = this.block[slot]!;
      if (b >= 0 && this.route[b] === 2) quarantined = true;
    }
    if (quarantined) return HOLD | H99;
    return crashed ? H10 : H14;
  }

  quarantine(b: number, nowUs: number): void {
    if (this.route[b] !== 1) return;
    this.route[b] = 2;
    this.tier.stopRouting(b, nowUs);
    this.engine.at(nowUs + this.s.platform.router.quarantineUs, this.k.quarantineEnd, pack(b, this.blockEpoch[b]!));
  }

  webDynos(): number {
    return this.formation;
  }

  // ---- Lifecycle ----

  dynoName(slot: number): string {
    return `${this.proc.type}.${slot + 1}`;
  }

  private record(slot: number, from: number | string, to: number | string, reason: string, host = this.host[slot]!): void {
    const name = (x: number | string): string => (typeof x === 'number' ? STATE_NAMES[x]! : x);
    this.onEvent({
      timeUs: this.engine.nowUs,
      dyno: this.dynoName(slot),
      host: host >= 0 ? this.hosts.fleet.hostName(host) : '',
      zone: host >= 0 ? this.hosts.fleet.zoneName(this.hosts.fleet.zoneOf(host)) : '',
      from: name(from),
      to: name(to),
      reason,
    });
  }

  private say(slot: number, message: string): void {
    this.log?.dyno(this.engine.nowUs, this.dynoName(slot), message);
  }

  /** A slot joins the formation: already up at time zero, or started by a scale-up. */
  private enterFormation(slot: number, atStart: boolean): void {
    this.usageOpenUs[slot] = this.engine.nowUs;
    this.series[slot]!.reset();
    if (!atStart) {
      this.startProcess(slot, 'scale');
      return;
    }
    const h = this.hosts.place(this.req);
    if (h < 0) {
      this.state[slot] = STARTING;
      this.record(slot, DOWN, STARTING, 'scale', -1);
      this.waitForHost(slot);
      return;
    }
    this.hosts.fleet.allocate(h, this.req);
    this.host[slot] = h;
    const b = this.newBlock(slot, h);
    this.block[slot] = b;
    this.epoch[slot]!++;
    this.incarnation[slot] = ++this.ids.incarnations;
    // Running already: by default for a random part of the time between daily cycles, as
    // in a formation that has been up for days; or just started, as after a deploy.
    const m = this.s.platform.dynoManager;
    const lifeUs = m.cycleEveryUs + this.u.cycling() * m.cycleJitterUs;
    const ageUs = this.s.dynoAges === 'random' ? this.u.cycling() * lifeUs : 0;
    this.startedUs[slot] = -ageUs;
    this.state[slot] = UP;
    this.upCount++;
    this.route[b] = 1;
    this.tier.startRouting(b, 0);
    this.record(slot, DOWN, UP, 'formation');
    this.scheduleLife(slot, m.cycling ? lifeUs - ageUs : Infinity);
    this.memory?.started(slot, b, 0);
  }


  private newBlock(slot: number, h: number): number {
    const b = this.tier.acquire(slot, this.engine.nowUs);
    if (b >= this.blockHost.length) {
      const n = this.tier.blocks;
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (l: number) => T): T => {
        const next = make(n);
        next.set(a);
        return next;
      };
      this.blockHost = grow(this.blockHost, (l) => new Int32Array(l).fill(-1));
      this.blockEpoch = grow(this.blockEpoch, (l) => new Float64Array(l));
      this.route = grow(this.route, (l) => new Uint8Array(l));
    }
    this.blockHost[b] = h;
    this.blockEpoch[b]!++;
    this.route[b] = 0;
    this.refreshSlow(b);
    return b;
  }

  /**
   * Crash and cycle times of a process that is up; `cycleInUs` from now. Random platform
   * events are confined to the run's duration: the time after it only lets the last
   * requests finish.
   */
  private scheduleLife(slot: number, cycleInUs: number): void {
    const now = this.engine.nowUs;
    const e = this.epoch[slot]!;
    if (this.proc.crashRatePerUs > 0) {
      const dt = -Math.log(1 - this.u.crashes()) / this.proc.crashRatePerUs;
      if (now + dt < this.s.durationUs) this.engine.at(now + dt, this.k.crash, pack(slot, e));
    }
    if (now + cycleInUs < this.s.durationUs) this.engine.at(now + cycleInUs, this.k.cycle, pack(slot, e));
  }

  /** Runs `f(slot)` if the event packed in `arg` belongs to the slot's current process. */
  private ifCurrent(arg: number, f: (slot: number) => void): void {
    const slot = indexOf(arg);
    if (epochOf(arg) === this.epoch[slot]) f(slot);
  }

  /** Starts a new process on `slot` (placing it on a host first); the slot is `starting` until it binds its port. */
  private startProcess(slot: number, reason: string, announced = false): void {
    const from = this.state[slot]!;
    if (from === UP) this.upCount--;
    this.epoch[slot]!++;
    if (from === CRASHED || reason === 'restart' || reason === 'relocation' || reason === 'cycle' || reason === 'release') {
      this.counts.restarts++;
    }
    if (from === CRASHED && !this.s.platform.billing.billCrashed) this.usageOpenUs[slot] = this.engine.nowUs;
    this.state[slot] = STARTING;
    if (!announced) this.say(slot, say.stateChanged(STATE_NAMES[from]!, 'starting'));
    // A crashed dyno restarts where it was, when its host still has room; others are placed anew.
    const last = this.lastHost[slot]!;
    const h = from === CRASHED && last >= 0 && this.hosts.fleet.fits(last, this.req) ? last : this.hosts.place(this.req);
    if (h < 0) {
      this.host[slot] = -1;
      this.record(slot, from, STARTING, `${reason}; no host has room`, -1);
      this.waitForHost(slot);
      return;
    }
    this.boot(slot, h, from, reason);
  }

  private waitForHost(slot: number): void {
    this.waitingSinceUs[slot] = this.engine.nowUs;
    this.waiting.push(slot);
  }

  /** Places dynos waiting for a host, oldest first, while hosts have room. */
  placeWaiting(): void {
    while (this.waiting.length > 0) {
      const slot = this.waiting[0]!;
      if (this.state[slot] !== STARTING || this.host[slot] >= 0) {
        this.waiting.shift();
        continue;
      }
      const h = this.hosts.place(this.req);
      if (h < 0) return;
      this.waiting.shift();
      this.counts.placementWaitUs += this.engine.nowUs - this.waitingSinceUs[slot]!;
      this.boot(slot, h, STARTING, 'placed');
    }
  }

  private boot(slot: number, h: number, from: number, reason: string): void {
    const now = this.engine.nowUs;
    this.hosts.fleet.allocate(h, this.req);
    this.host[slot] = h;
    const b = this.newBlock(slot, h);
    this.block[slot] = b;
    this.incarnation[slot] = ++this.ids.incarnations;
    this.startedUs[slot] = now;
    this.record(slot, from, STARTING, reason);
    this.say(slot, say.startingProcess(this.proc.command));
    const m = this.s.platform.dynoManager;
    this.fillBoot(this.bootBuf);
    const bootUs = this.bootBuf[0]!;
    const e = this.epoch[slot]!;
    const crashes = this.crashOnBoot > 0 && this.u.crashes() < this.crashOnBoot;
    if (crashes) {
      // A release that cannot boot: the process exits when it would have bound its port.
      this.engine.at(now + Math.min(bootUs, m.bootTimeoutUs), this.k.bootFailed, pack(slot, e * 2 + 1));
    } else if (bootUs > m.bootTimeoutUs) {
      this.engine.at(now + m.bootTimeoutUs, this.k.bootFailed, pack(slot, e * 2));
    } else {
      this.engine.at(now + bootUs, this.k.up, pack(slot, e));
    }
    this.memory?.started(slot, b, now);
  }

  private onUp(slot: number, e: number): void {
    if (e !== this.epoch[slot]) return;
    const b = this.block[slot]!;
    this.state[slot] = UP;
    this.upCount++;
    this.say(slot, say.stateChanged('starting', 'up'));
    this.record(slot, STARTING, UP, 'booted');
    this.route[b] = 1;
    this.tier.startRouting(b, this.engine.nowUs);
    // Cycling counts from the process's start, boot included.
    const m = this.s.platform.dynoManager;
    const sinceStartUs = this.engine.nowUs - this.startedUs[slot]!;
    this.scheduleLife(slot, m.cycling ? m.cycleEveryUs + this.u.cycling() * m.cycleJitterUs - sinceStartUs : Infinity);
    this.flow.releaseHeld(this.engine.nowUs);
  }

  private onBootFailed(slot: number, packedEpoch: number): void {
    const e = Math.floor(packedEpoch / 2);
    if (e !== this.epoch[slot]) return;
    if (packedEpoch % 2 === 1) {
      this.die(slot, 'crashed during boot', say.processExited(1));
    } else {
      this.counts.r10++;
      this.say(slot, say.r10(this.s.platform.dynoManager.bootTimeoutUs / 1e6));
      this.say(slot, say.stoppingProcessSigkill());
      this.die(slot, 'R10 boot timeout', say.processExited(137));
    }
  }

  /**
   * The slot's process exits on its own (crash, failed boot, R15): its requests are lost,
   * the router keeps trying it until it learns, and the restart policy decides when it
   * starts again.
   */
  die(slot: number, reason: string, exitLine: string): void {
    const now = this.engine.nowUs;
    const b = this.block[slot]!;
    const from = this.state[slot]!;
    if (reason === 'R15') this.counts.r15++;
    else this.counts.dynoCrashes++;
    this.say(slot, exitLine);
    this.endProcess(b, REFUSES);
    this.hosts.fleet.release(this.host[slot]!, this.req);
    if (from === UP) this.upCount--;
    this.state[slot] = CRASHED;
    this.epoch[slot]!++;
    this.block[slot] = -1;
    this.say(slot, say.stateChanged(STATE_NAMES[from]!, 'crashed'));
    this.record(slot, from, CRASHED, reason);
    this.lastHost[slot] = this.host[slot]!;
    this.host[slot] = -1;
    if (!this.s.platform.billing.billCrashed) this.closeUsage(slot);
    const delayUs = this.series[slot]!.crashed(this.startedUs[slot]!, now);
    this.engine.at(now + delayUs, this.k.restart, pack(slot, this.epoch[slot]!));
    this.hosts.placeWaiting();
  }

  /**
   * Block `b`'s process is gone now. Its requests are handed back; if the router routes
   * to it, it goes on trying it (`how` it fails) until the route update reaches it.
   */
  private endProcess(b: number, how: number): boolean {
    const now = this.engine.nowUs;
    const routed = this.route[b] !== 0;
    this.tier.cut(b, now, routed ? how : REACHABLE, (ring, o, b) => this.flow.lost(ring, o, b));
    this.memory?.stopped(b);
    if (!routed) {
      this.tier.release(b, now);
      this.blockEpoch[b]!++;
      return true;
    }
    // Unless the manager itself has not noticed (onDetect withdraws it then), the router learns soon.
    if (how !== SILENT) this.engine.at(now + this.s.platform.router.routeUpdateUs, this.k.routeUpdate, pack(b, this.blockEpoch[b]!));
    return false;
  }

  private withdraw(b: number): void {
    const now = this.engine.nowUs;
    if (this.route[b] === 1) this.tier.stopRouting(b, now);
    this.route[b] = 0;
    this.tier.release(b, now);
    this.blockEpoch[b]!++;
  }

  private onRouteUpdate(b: number, e: number): void {
    if (e !== this.blockEpoch[b]) return;
    this.withdraw(b);
  }

  private onQuarantineEnd(b: number, e: number): void {
    if (e !== this.blockEpoch[b] || this.route[b] !== 2) return;
    this.route[b] = 1;
    this.tier.startRouting(b, this.engine.nowUs);
    this.flow.releaseHeld(this.engine.nowUs);
  }

  /**
   * Graceful stop of the slot's process: SIGTERM, no new requests, the ones it holds
   * finished until the grace period ends, then SIGKILL (R12) and the rest lost.
   */
  private sigterm(slot: number): void {
    const now = this.engine.nowUs;
    const b = this.block[slot]!;
    const st = this.state[slot]!;
    this.block[slot] = -1;
    const h = this.host[slot]!;
    this.host[slot] = -1;
    if (b < 0) return; // crashed, or waiting for a host: no process to stop
    this.say(slot, say.stoppingAll());
    this.memory?.stopped(b);
    if (this.route[b] === 1) this.tier.stopRouting(b, now);
    this.route[b] = 0;
    if (st === STARTING) {
      // Not serving yet: it stops at once.
      this.tier.cut(b, now, REACHABLE, (ring, o, b) => this.flow.lost(ring, o, b));
      this.tier.release(b, now);
      this.blockEpoch[b]!++;
      this.hosts.fleet.release(h, this.req);
      this.say(slot, say.processExited(143));
      return;
    }
    const graceEndUs = now + this.s.platform.dynoManager.shutdownGraceUs;
    const drainedUs = this.tier.drainEndUs(b, now);
    const killed = drainedUs > graceEndUs;
    this.engine.at(killed ? graceEndUs : drainedUs, this.k.stopped, pack(b, this.blockEpoch[b]! * 2 + (killed ? 1 : 0)));
    this.stopping.set(b, { slot, host: h });
  }

  private onStopped(b: number, packed: number): void {
    const e = Math.floor(packed / 2);
    if (e !== this.blockEpoch[b]) return;
    const { slot, host } = this.stopping.get(b)!;
    this.stopping.delete(b);
    const now = this.engine.nowUs;
    if (packed % 2 === 1) {
      this.counts.r12++;
      this.say(slot, say.r12(this.s.platform.dynoManager.shutdownGraceUs / 1e6));
      this.say(slot, say.stoppingSigkill());
      this.tier.cut(b, now, REACHABLE, (ring, o, b) => this.flow.lost(ring, o, b));
      this.say(slot, say.processExited(137));
    } else {
      this.say(slot, say.processExited(143));
    }
    this.tier.release(b, now);
    this.blockEpoch[b]!++;
    this.hosts.fleet.release(host, this.req);
    this.hosts.placeWaiting();
  }

  /** Daily cycling: the process gets SIGTERM and a new one starts at once. */
  private cycle(slot: number): void {
    this.counts.cycles++;
    this.say(slot, say.cycling());
    this.replace(slot, 'cycle');
  }

  /** Stops the slot's process (if any) and starts a new one at once; the crash back-off starts over. */
  private replace(slot: number, reason: string): void {
    // Heroku logs the state change, then SIGTERM, then the new process's start.
    this.say(slot, say.stateChanged(STATE_NAMES[this.state[slot]!]!, 'starting'));
    this.sigterm(slot);
    this.series[slot]!.reset();
    this.startProcess(slot, reason, true);
  }

  /** Takes a slot out of the formation (scale down). */
  private leaveFormation(slot: number): void {
    const from = this.state[slot]!;
    if (this.lostOnHost[slot]! >= 0) {
      this.lostOnHost[slot] = -1;
      const b = this.block[slot]!;
      if (b >= 0) this.withdraw(b);
      this.block[slot] = -1;
      this.host[slot] = -1;
    } else {
      this.sigterm(slot);
      if (from === UP) this.upCount--;
    }
    this.epoch[slot]!++;
    this.state[slot] = DOWN;
    this.say(slot, say.stateChanged(STATE_NAMES[from]!, 'down'));
    this.record(slot, from, DOWN, 'scale');
    this.closeUsage(slot);
  }

  private closeUsage(slot: number): void {
    const from = this.usageOpenUs[slot]!;
    if (from < 0) return;
    const to = Math.min(this.engine.nowUs, this.s.durationUs);
    if (to > from) this.usages.push({ processType: this.proc.type, dyno: this.dynoName(slot), size: this.proc.size.name, startUs: from, endUs: to });
    this.usageOpenUs[slot] = -1;
  }

  /** Closes the books at the end of the run. */
  finish(): void {
    for (let slot = 0; slot < this.usageOpenUs.length; slot++) this.closeUsage(slot);
    for (const slot of this.waiting) {
      if (this.state[slot] === STARTING && this.host[slot] < 0) this.counts.placementWaitUs += Math.max(0, this.s.durationUs - this.waitingSinceUs[slot]!);
    }
    this.usages.sort((a, b) => a.startUs - b.startUs || slotOf(a.dyno) - slotOf(b.dyno));
  }

  // ---- Hosts ----

  /** Host `h` failed now: every process of the type on it dies; the manager notices after the detection delay. */
  hostFailed(h: number, reason: string): void {
    const fleet = this.hosts.fleet;
    for (let slot = 0; slot < this.formation; slot++) {
      if (this.host[slot] !== h) continue;
      const b = this.block[slot]!;
      const from = this.state[slot]!;
      if (b >= 0 && this.endProcess(b, SILENT)) this.block[slot] = -1;
      fleet.release(h, this.req);
      if (from === UP) this.upCount--;
      this.epoch[slot]!++;
      this.lostOnHost[slot] = h;
      this.record(slot, from, DOWN, `${reason} (not yet detected)`);
    }
    // Old processes still draining after SIGTERM die with the host.
    for (const [b, stop] of [...this.stopping]) {
      if (stop.host !== h) continue;
      this.stopping.delete(b);
      this.tier.cut(b, this.engine.nowUs, REACHABLE, (ring, o, b) => this.flow.lost(ring, o, b));
      this.tier.release(b, this.engine.nowUs);
      this.blockEpoch[b]!++;
      fleet.release(h, this.req);
    }
  }

  /** The manager notices the failed host: its dynos are withdrawn from the router and started elsewhere. */
  hostDetected(h: number): void {
    for (let slot = 0; slot < this.formation; slot++) {
      if (this.lostOnHost[slot] !== h) continue;
      this.lostOnHost[slot] = -1;
      const b = this.block[slot]!;
      if (b >= 0) this.withdraw(b);
      this.block[slot] = -1;
      this.host[slot] = -1;
      this.state[slot] = DOWN;
      this.counts.relocations++;
      this.startProcess(slot, 'relocation');
    }
  }

  // ---- Scripted events ----

  /** A release: every dyno of the type restarts; `crashOnBoot` of the new processes fail to boot. */
  release(crashOnBoot: number): void {
    this.crashOnBoot = crashOnBoot;
    for (let slot = 0; slot < this.formation; slot++) this.restartSlot(slot, 'release');
  }

  /** `heroku restart` of one dyno, or of every dyno of the type (null). */
  restart(dyno: number | null): void {
    for (let slot = 0; slot < this.formation; slot++) if (dyno === null || dyno === slot) this.restartSlot(slot, 'restart');
  }

  /** The dyno's process exits on its own now (if it is up). */
  crash(dyno: number): void {
    if (dyno < this.formation && this.state[dyno] === UP && this.lostOnHost[dyno]! < 0) this.die(dyno, 'crash', say.processExited(1));
  }

  private restartSlot(slot: number, reason: string): void {
    if (this.lostOnHost[slot]! >= 0) return; // dead on a failed host: relocation will start it
    this.say(slot, say.restarting());
    this.replace(slot, reason);
  }

  /** `heroku ps:scale type=count`. */
  scale(count: number): void {
    const n = Math.min(count, this.state.length);
    const now = Math.min(this.engine.nowUs, this.s.durationUs);
    this.formationIntegralUs += this.formation * (now - this.formationSinceUs);
    this.formationSinceUs = now;
    if (n < this.formationMin) this.formationMin = n;
    if (n > this.formationMax) this.formationMax = n;
    for (let slot = this.formation - 1; slot >= n; slot--) this.leaveFormation(slot);
    const from = this.formation;
    this.formation = n;
    for (let slot = from; slot < n; slot++) this.enterFormation(slot, false);
    this.hosts.placeWaiting();
  }

  // ---- Slowdowns ----

  /** Service-time multiplier of block `b` from its host's neighbours and its own swapping. */
  refreshSlow(b: number): void {
    const neighbours = this.proc.size.dedicated ? 1 : this.hosts.neighbourFactor(this.blockHost[b]!);
    this.tier.slow[b] = neighbours * (this.memory?.swapFactor(b) ?? 1);
  }

  refreshSlowAll(): void {
    for (let slot = 0; slot < this.formation; slot++) if (this.block[slot]! >= 0) this.refreshSlow(this.block[slot]!);
  }

  /** R14/R15 from the memory model: R15 kills the process, which restarts like a crash. */
  memoryKill(slot: number): void {
    if (this.state[slot] === UP || this.state[slot] === STARTING) this.die(slot, 'R15', say.processExited(137));
  }
}

/** web.12 → 12. */
function slotOf(dyno: string): number {
  return Number(dyno.slice(dyno.lastIndexOf('.') + 1));
}
