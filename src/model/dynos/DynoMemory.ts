/**
 * Memory and load of each dyno of a process type, sampled every 20 s as Heroku's log-runtime-metrics
 * does. Memory follows the scenario's model (base + leak × time up + per request in
 * service, plus cache); over the size's quota the excess is swap, R14 is logged and
 * service slows by a factor graded by the share swapped; at the profile's R15 multiple
 * the process is killed. Load averages are Linux-style damped averages of the busy
 * workers, exact over each 20 s interval (from the web tier's busy-time integral).
 * Between samples memory is not watched: R14 and R15 are seen at samples, as Heroku's
 * are logged.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { DynoSize } from '../platform/profile.ts';
import type { ProcessSpec, Scenario } from '../Scenario.ts';
import type { WebTier } from '../router/WebTier.ts';
import { LoadAverage } from './loadAverage.ts';
import { appId, dynoUuid } from '../logs/ids.ts';
import * as say from '../logs/format.ts';
import type { DynoLog } from './contracts.ts';
import { epochOf, indexOf, pack } from './eventArg.ts';

export const SAMPLE_US = 20_000_000;
const PAGES_PER_MB = 256;

/** One row of metrics.csv: a log-runtime-metrics sample. Memory is null without a memory model. */
export interface MetricsSample {
  readonly timeUs: number;
  readonly dyno: string;
  readonly dynoId: string;
  readonly load1m: number;
  readonly load5m: number;
  readonly load15m: number;
  readonly memoryTotalMb: number | null;
  readonly memoryRssMb: number | null;
  readonly memoryCacheMb: number | null;
  readonly memorySwapMb: number | null;
  readonly memoryPgpgin: number | null;
  readonly memoryPgpgout: number | null;
  readonly memoryQuotaMb: number;
}

/** What the memory model needs from the dyno manager. */
export interface MemoryHost {
  readonly epoch: Float64Array;
  readonly block: Int32Array;
  readonly startedUs: Float64Array;
  readonly incarnation: Float64Array;
  readonly counts: { r14: number };
  memoryKill(slot: number): void;
  dynoName(slot: number): string;
  refreshSlow(b: number): void;
  /** The type's size now: its quota and R15 limit. */
  size(): DynoSize;
}

export class DynoMemory {
  private readonly engine: Engine;
  private readonly host: MemoryHost;
  private readonly tier: WebTier;
  private readonly s: Scenario;
  private readonly proc: ProcessSpec;
  /** Every line (R14, R15); and the runtime-metrics lines, only when the scenario turns them on. */
  private readonly log: DynoLog | null;
  private readonly metricsLog: DynoLog | null;
  private readonly onMetrics: ((m: MetricsSample) => void) | null;
  private readonly tickKind: number;
  private readonly app: string;
  private readonly loads: LoadAverage[];
  private readonly lastUs: Float64Array;
  private readonly lastBusyUs: Float64Array;
  private readonly prevSwapMb: Float64Array;
  private readonly pgpgin: Float64Array;
  private readonly pgpgout: Float64Array;
  private swapByBlock = new Float64Array(16).fill(1);

  constructor(
    engine: Engine,
    host: MemoryHost,
    tier: WebTier,
    s: Scenario,
    proc: ProcessSpec,
    opts: { log: DynoLog | null; onMetrics: ((m: MetricsSample) => void) | null },
  ) {
    this.engine = engine;
    this.host = host;
    this.tier = tier;
    this.s = s;
    this.proc = proc;
    const slots = proc.maxCount;
    this.log = opts.log;
    this.metricsLog = s.runtimeMetrics ? opts.log : null;
    this.onMetrics = s.runtimeMetrics ? opts.onMetrics : null;
    this.app = appId(s.seed);
    this.loads = Array.from({ length: slots }, () => new LoadAverage());
    this.lastUs = new Float64Array(slots);
    this.lastBusyUs = new Float64Array(slots);
    this.prevSwapMb = new Float64Array(slots);
    this.pgpgin = new Float64Array(slots);
    this.pgpgout = new Float64Array(slots);
    this.tickKind = engine.register((arg) => {
      const slot = indexOf(arg);
      if (epochOf(arg) === this.host.epoch[slot]) this.sample(slot);
    });
  }

  /** A process started on `slot` in block `b`: its samples begin 20 s from now. */
  started(slot: number, b: number, nowUs: number): void {
    this.loads[slot] = new LoadAverage();
    this.lastUs[slot] = nowUs;
    this.lastBusyUs[slot] = this.tier.busyIntegralUs(b, nowUs);
    this.prevSwapMb[slot] = 0;
    this.pgpgin[slot] = 0;
    this.pgpgout[slot] = 0;
    this.setSwapFactor(b, 1);
    this.engine.at(nowUs + SAMPLE_US, this.tickKind, pack(slot, this.host.epoch[slot]!));
  }

  /** Block `b`'s process is gone. */
  stopped(b: number): void {
    this.setSwapFactor(b, 1);
  }

  swapFactor(b: number): number {
    return b < this.swapByBlock.length ? this.swapByBlock[b]! : 1;
  }

  private setSwapFactor(b: number, f: number): void {
    if (b >= this.swapByBlock.length) {
      const next = new Float64Array(Math.max(b + 1, this.swapByBlock.length * 2)).fill(1);
      next.set(this.swapByBlock);
      this.swapByBlock = next;
    }
    this.swapByBlock[b] = f;
  }

  private sample(slot: number): void {
    const now = this.engine.nowUs;
    const b = this.host.block[slot]!;
    const busyUs = this.tier.busyIntegralUs(b, now);
    const dtUs = now - this.lastUs[slot]!;
    const load = this.loads[slot]!;
    load.update((busyUs - this.lastBusyUs[slot]!) / dtUs, dtUs);
    this.lastUs[slot] = now;
    this.lastBusyUs[slot] = busyUs;
    this.engine.at(now + SAMPLE_US, this.tickKind, pack(slot, this.host.epoch[slot]!));

    const size = this.host.size();
    const quotaMb = size.memoryMb;
    const m = this.proc.memory;
    const name = this.host.dynoName(slot);
    const dynoId = `heroku.${this.app}.${dynoUuid(this.s.seed, this.host.incarnation[slot]!)}`;
    let mem: { totalMb: number; rssMb: number; cacheMb: number; swapMb: number } | null = null;
    if (m !== null) {
      const upH = (now - this.host.startedUs[slot]!) / 3.6e9;
      const appMb = m.baseMb + m.leakMbPerH * upH + m.perRequestMb * this.tier.busyWorkers(b, now);
      const totalMb = appMb + m.cacheMb;
      const swapMb = Math.min(appMb, Math.max(0, totalMb - quotaMb));
      mem = { totalMb, rssMb: appMb - swapMb, cacheMb: m.cacheMb, swapMb };
      const dSwap = swapMb - this.prevSwapMb[slot]!;
      if (dSwap > 0) this.pgpgout[slot]! += Math.round(dSwap * PAGES_PER_MB);
      else this.pgpgin[slot]! += Math.round(-dSwap * PAGES_PER_MB);
      this.prevSwapMb[slot] = swapMb;
      this.setSwapFactor(b, 1 + (m.swapSlowdown - 1) * (appMb > 0 ? swapMb / appMb : 0));
      this.host.refreshSlow(b);
    }
    if (this.onMetrics !== null) {
      this.onMetrics({
        timeUs: now,
        dyno: name,
        dynoId,
        load1m: load.load1m,
        load5m: load.load5m,
        load15m: load.load15m,
        memoryTotalMb: mem?.totalMb ?? null,
        memoryRssMb: mem?.rssMb ?? null,
        memoryCacheMb: mem?.cacheMb ?? null,
        memorySwapMb: mem?.swapMb ?? null,
        memoryPgpgin: mem === null ? null : this.pgpgin[slot]!,
        memoryPgpgout: mem === null ? null : this.pgpgout[slot]!,
        memoryQuotaMb: quotaMb,
      });
    }
    if (this.metricsLog !== null) {
      this.metricsLog.dyno(now, name, say.loadMessage(name, dynoId, load.load1m, load.load5m, load.load15m));
      if (mem !== null) {
        this.metricsLog.dyno(now, name, say.memoryMessage(name, dynoId, { ...mem, pgpgin: this.pgpgin[slot]!, pgpgout: this.pgpgout[slot]!, quotaMb }));
      }
    }
    if (mem !== null && mem.totalMb > quotaMb) {
      const out = this.log;
      if (mem.totalMb >= size.r15Multiple * quotaMb) {
        out?.dyno(now, name, say.processRunningMem(mem.totalMb, (100 * mem.totalMb) / quotaMb));
        out?.dyno(now, name, say.r15());
        out?.dyno(now, name, say.stoppingProcessSigkill());
        this.host.memoryKill(slot);
        return;
      }
      this.host.counts.r14++;
      out?.dyno(now, name, say.processRunningMem(mem.totalMb, (100 * mem.totalMb) / quotaMb));
      out?.dyno(now, name, say.r14());
    }
  }
}
