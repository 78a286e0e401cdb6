/**
 * The dyno manager of one process type: it places its dynos on hosts, boots them, tells
 * the router (or the job queue) when they are up, and restarts, cycles, relocates and
 * stops them. Everything here is a scheduled event on the engine's heap; requests and
 * jobs never pass through it. A dyno's process is a block of the type's tier (see
 * WebTier): when the process dies, the tier hands back the work it held and the request
 * or job flow overturns its outcomes.
 *
 * This class is the manager's face to the rest of the run: the router's gate, the hosts'
 * tenant, the scripted events and the scalers' `scale`. The work is done by its parts,
 * one idea each, over one table of slots (DynoSlots):
 * - Lifecycle: the state machine of each slot (boot, up, crash, restart, cycle, waiting for a host);
 * - FormationBook: the formation and its history;
 * - Draining: SIGTERM, the grace period and R12;
 * - Relocation: the response to a host failure;
 * - UsageLedger: the usages the bill is made of;
 * - BlockRoutes: what the router sees of each process; DynoVoice: events.csv and the log.
 */
import type { Engine } from '../../../engine/Engine.ts';
import type { Streams } from '../../../engine/streams.ts';
import type { ProcessSpec, Scenario } from '../../Scenario.ts';
import type { RouterGate } from '../../router/RouterGate.ts';
import { H10, H14, H20, H99, HOLD } from '../../router/codes.ts';
import type { WebTier } from '../../router/WebTier.ts';
import type { DynoUsage } from '../../billing/bill.ts';
import type { DynoSize } from '../../platform/profile.ts';
import * as say from '../../logs/format.ts';
import type { HostManager, HostTenant } from '../HostManager.ts';
import { DynoMemory, type MemoryHost, type MetricsSample } from '../DynoMemory.ts';
import { CRASHED, STARTING, UP, type DynoLog, type LifecycleEvent, type PlatformCounts, type WorkFlow } from '../contracts.ts';
import { BlockRoutes, QUARANTINED } from './BlockRoutes.ts';
import { Draining } from './Draining.ts';
import { DynoSlots } from './DynoSlots.ts';
import { DynoVoice } from './DynoVoice.ts';
import { FormationBook } from './FormationBook.ts';
import { Lifecycle } from './Lifecycle.ts';
import { sizingOf, type ManagerEnv, type Sizing } from './ManagerEnv.ts';
import { runsEco, type EcoAccount, type EcoTenant } from '../EcoAccount.ts';
import { Preboot } from './Preboot.ts';
import { Relocation } from './Relocation.ts';
import { UsageLedger } from './UsageLedger.ts';

export class DynoManager implements RouterGate, HostTenant, EcoTenant {
  readonly counts: PlatformCounts;
  readonly proc: ProcessSpec;
  readonly tier: WebTier;
  readonly memory: DynoMemory | null;
  /** The Eco account, when the type is Eco. */
  eco: EcoAccount | null = null;
  /** Resizes of the type during the run, and the sizes it ran at, in order. */
  resizes = 0;
  readonly sizesRun: string[];

  private readonly engine: Engine;
  private readonly s: Scenario;
  private readonly slots: DynoSlots;
  private readonly voice: DynoVoice;
  private readonly book = new FormationBook();
  private readonly ledger: UsageLedger;
  private readonly routes: BlockRoutes;
  private readonly lifecycle: Lifecycle;
  private readonly relocation: Relocation;
  private readonly hosts: HostManager;
  private readonly sizing: Sizing;
  private readonly preboot: Preboot;

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
    this.engine = engine;
    this.s = s;
    this.proc = proc;
    this.hosts = hosts;
    this.tier = tier;
    this.counts = counts;
    const slots = new DynoSlots(proc.maxCount);
    this.slots = slots;
    const sizing = sizingOf(proc.size);
    this.sizing = sizing;
    this.sizesRun = [proc.size.name];
    const voice = new DynoVoice(engine, proc.type, hosts.fleet, slots, out.onEvent, out.log);
    this.voice = voice;
    this.ledger = new UsageLedger(proc, s.durationUs, (slot) => voice.name(slot), () => sizing.size);
    this.memory =
      proc.memory !== null || s.runtimeMetrics
        ? new DynoMemory(engine, this.memoryHost(), tier, s, proc, { log: out.log, onMetrics: out.onMetrics })
        : null;
    const env: ManagerEnv = { engine, s, proc, hosts, tier, flow, counts, sizing };
    const routes = new BlockRoutes(env, this.memory);
    this.routes = routes;
    const draining = new Draining(env, this.memory, { slots, routes, voice });
    this.preboot = new Preboot(env, { slots, routes, draining, ledger: this.ledger });
    this.lifecycle = new Lifecycle(env, streams, ids, { slots, routes, draining, ledger: this.ledger, voice, memory: this.memory, preboot: this.preboot });
    this.relocation = new Relocation(env, { slots, routes, draining, preboot: this.preboot, voice, book: this.book, lifecycle: this.lifecycle });
    hosts.add(this);
  }

  /** The type's size now. */
  get size(): DynoSize {
    return this.sizing.size;
  }

  /** Preboot switches done. */
  get preboots(): number {
    return this.preboot.count;
  }

  /** Dynos of the type in the formation now. */
  get formation(): number {
    return this.book.count;
  }

  /** Dynos of the type up (serving) now. */
  get upCount(): number {
    return this.slots.up;
  }

  /** The fewest and most dynos the formation had. */
  get formationMin(): number {
    return this.book.min;
  }

  get formationMax(): number {
    return this.book.max;
  }

  /** Mean number of dynos in the formation from time zero to `tUs`. */
  formationMean(tUs: number): number {
    return this.book.mean(tUs);
  }

  /** The type's dyno usages, for the bill (in time order once `finish` has run). */
  get usages(): DynoUsage[] {
    return this.ledger.usages;
  }

  /** Brings the type's dynos up at time zero, already running. */
  start(): void {
    for (let slot = 0; slot < this.proc.count; slot++) this.lifecycle.enter(slot, true);
    this.book.start(this.proc.count);
  }

  /** Closes the books at the end of the run. */
  finish(): void {
    this.preboot.finish();
    this.ledger.finish(this.engine.nowUs);
    this.lifecycle.finish();
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
      runsEco(s) ||
      (m.cycling && (s.dynoAges === 'random' || m.cycleEveryUs < s.durationUs))
    );
  }

  // ---- RouterGate ----

  noDyno(): number {
    const asleep = this.eco?.noDyno() ?? -1;
    if (asleep >= 0) return asleep;
    let crashed = false;
    let quarantined = false;
    for (let slot = 0; slot < this.book.count; slot++) {
      const st = this.slots.state[slot]!;
      if (st === STARTING) return HOLD | H20;
      if (st === CRASHED) crashed = true;
      const b = this.slots.block[slot]!;
      if (b >= 0 && this.routes.route[b] === QUARANTINED) quarantined = true;
    }
    if (quarantined) return HOLD | H99;
    return crashed ? H10 : H14;
  }

  quarantine(b: number, nowUs: number): void {
    this.routes.quarantine(b, nowUs);
  }

  webDynos(): number {
    return this.book.count;
  }

  // ---- HostTenant ----

  hostFailed(h: number, reason: string): void {
    this.relocation.failed(h, reason);
  }

  hostDetected(h: number): void {
    this.relocation.detected(h);
  }

  placeWaiting(): void {
    this.lifecycle.placeWaiting();
  }

  refreshSlowAll(): void {
    const { block } = this.slots;
    for (let slot = 0; slot < this.book.count; slot++) if (block[slot]! >= 0) this.routes.refreshSlow(block[slot]!);
  }

  // ---- Scripted events and scaling ----

  /** A release: every dyno of the type restarts; `crashOnBoot` of the new processes fail to boot. */
  release(crashOnBoot: number): void {
    this.lifecycle.crashOnBoot = crashOnBoot;
    for (let slot = 0; slot < this.book.count; slot++) this.lifecycle.restart(slot, 'release');
  }

  /** `heroku restart` of one dyno, or of every dyno of the type (null). */
  restart(dyno: number | null): void {
    for (let slot = 0; slot < this.book.count; slot++) if (dyno === null || dyno === slot) this.lifecycle.restart(slot, 'restart');
  }

  /** The dyno's process exits on its own now (if it is up). */
  crash(dyno: number): void {
    const { state, lostOnHost } = this.slots;
    if (dyno < this.book.count && state[dyno] === UP && lostOnHost[dyno]! < 0) this.lifecycle.die(dyno, 'crash', say.processExited(1));
  }

  /**
   * `heroku ps:scale type=count`, or `type=count:size`: with a new size, the dynos that
   * stay are resized and those that join start at the new size.
   */
  scale(count: number, size: DynoSize | null = null): void {
    if (size === null || size === this.sizing.size) return this.scaleTo(count);
    if (count < this.book.count) this.scaleTo(count);
    this.resize(size);
    if (count > this.book.count) this.scaleTo(count);
  }

  /**
   * `heroku ps:resize type=size`: from now on the type's dynos are of `size` (memory, CPU,
   * R15 limit, boot, price), and every dyno of the type is restarted as one of it. The
   * bill charges each size for its own seconds, split at this instant.
   */
  resize(size: DynoSize): void {
    if (size === this.sizing.size) return;
    const next = sizingOf(size);
    this.sizing.size = next.size;
    this.sizing.req = next.req;
    this.resizes++;
    if (!this.sizesRun.includes(size.name)) this.sizesRun.push(size.name);
    this.ledger.resized(Math.min(this.engine.nowUs, this.s.durationUs));
    this.lifecycle.resized();
    for (let slot = 0; slot < this.book.count; slot++) this.lifecycle.restart(slot, 'resize');
    this.hosts.placeWaiting();
  }

  private scaleTo(count: number): void {
    this.eco?.changing();
    const n = Math.min(count, this.slots.length);
    this.book.note(n, Math.min(this.engine.nowUs, this.s.durationUs));
    for (let slot = this.book.count - 1; slot >= n; slot--) this.lifecycle.leave(slot);
    const from = this.book.count;
    this.book.count = n;
    for (let slot = from; slot < n; slot++) this.lifecycle.enter(slot, false);
    this.hosts.placeWaiting();
    this.eco?.changed();
  }

  // ---- Eco ----

  sleep(reason: string): void {
    for (let slot = 0; slot < this.book.count; slot++) this.lifecycle.sleep(slot, reason);
    this.hosts.placeWaiting();
  }

  wake(): void {
    for (let slot = 0; slot < this.book.count; slot++) this.lifecycle.wake(slot);
  }

  /** Wakes that came up, and the time they took from the wake to up, summed (µs). */
  get wakeUps(): { readonly count: number; readonly totalUs: number } {
    return this.lifecycle.wakeUps;
  }

  // ---- The memory model ----

  /** What the memory model reads of the slots, and its calls back: a slowdown changed, or R15 kills the process (which restarts like a crash). */
  private memoryHost(): MemoryHost {
    const { slots } = this;
    return {
      epoch: slots.epoch,
      block: slots.block,
      startedUs: slots.startedUs,
      incarnation: slots.incarnation,
      counts: this.counts,
      dynoName: (slot) => this.voice.name(slot),
      size: () => this.sizing.size,
      refreshSlow: (b) => this.routes.refreshSlow(b),
      memoryKill: (slot) => {
        if (slots.state[slot] === UP || slots.state[slot] === STARTING) this.lifecycle.die(slot, 'R15', say.processExited(137));
      },
    };
  }
}
