/**
 * What a run's charts are drawn from, gathered while the run goes: the time series in bins
 * of a round length (at most MAX_BINS of them, so memory stays flat however long the run),
 * with each bin's latency percentiles from the merged histograms of its minutes, and the
 * runtime-metrics samples as each dyno's peak memory and swap per bin.
 */
import { Histogram } from '../../../engine/Histogram.ts';
import type { MinuteRow } from '../../../model/flow/MinuteSeries.ts';
import { SERIES_CODES, type SeriesCode } from '../../../model/router/codes.ts';
import type { MetricsSample } from '../../../model/dynos/DynoMemory.ts';
import { binSeconds } from '../time.ts';

/** One bin of the request series. */
export interface SeriesBin {
  /** Seconds from the start of the run to the bin's start. */
  startS: number;
  /** Seconds of the run the bin covers (the last bin may be short). */
  lengthS: number;
  arrivals: number;
  completed: number;
  errors: Record<SeriesCode, number>;
  /** Latency percentiles over the responses of the bin (ms), null when there were none. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Request-seconds spent waiting for a worker in the bin. */
  queueS: number;
  /** Web dynos up at the bin's end. */
  dynosUp: number;
}

/** One dyno's memory in one bin: the highest sample (MB). */
export interface MemoryBin {
  startS: number;
  dyno: string;
  /** memory_total: resident plus swap, what the quota is measured against. */
  totalMb: number;
  swapMb: number;
  quotaMb: number;
}

/** An autoscaler's metric in one bin: the mean and the highest of what it read at its looks in the bin (ms). */
export interface AutoscaleBin {
  startS: number;
  meanMs: number;
  maxMs: number;
  /** Looks in the bin that read a value (a look with nothing to measure reads none). */
  looks: number;
}

const MINUTE_S = 60;

export class RunSeries {
  readonly binS: number;
  readonly bins: SeriesBin[] = [];
  readonly memory: MemoryBin[] = [];
  /** Each autoscaled process type's metric, bin by bin, in the order the looks came. */
  readonly autoscale = new Map<string, AutoscaleBin[]>();
  private readonly latency = new Histogram(7);
  private latencyBin = -1;
  /** Index in `memory` of each dyno's current bin. */
  private readonly memoryAt = new Map<string, number>();

  constructor(durationS: number) {
    this.binS = binSeconds(durationS);
  }

  /** What an autoscaler read at a look (µs, null: nothing to measure). */
  autoscaleTick(process: string, tUs: number, valueUs: number | null): void {
    if (valueUs === null) return;
    let bins = this.autoscale.get(process);
    if (bins === undefined) this.autoscale.set(process, (bins = []));
    const startS = Math.floor(tUs / 1e6 / this.binS) * this.binS;
    const ms = valueUs / 1000;
    const last = bins[bins.length - 1];
    if (last !== undefined && last.startS === startS) {
      last.meanMs += (ms - last.meanMs) / ++last.looks;
      if (ms > last.maxMs) last.maxMs = ms;
    } else bins.push({ startS, meanMs: ms, maxMs: ms, looks: 1 });
  }

  /** A minute's latency histogram (µs), before its row. */
  minuteLatency(minute: number, h: Histogram): void {
    const b = Math.floor((minute * MINUTE_S) / this.binS);
    if (b !== this.latencyBin) {
      this.latency.reset();
      this.latencyBin = b;
    }
    this.latency.merge(h);
  }

  /** A minute of the time series. */
  minute(row: MinuteRow): void {
    const startS = row.minute * MINUTE_S;
    const b = Math.floor(startS / this.binS);
    while (this.bins.length <= b) this.bins.push(emptyBin(this.bins.length * this.binS));
    const bin = this.bins[b]!;
    bin.lengthS = Math.min(this.binS, startS + MINUTE_S - bin.startS);
    bin.arrivals += row.arrivals;
    bin.completed += row.completed;
    for (const c of SERIES_CODES) bin.errors[c] += row.errors[c];
    bin.queueS += row.queueMean * MINUTE_S;
    bin.dynosUp = row.dynosUp;
    if (this.latencyBin === b && this.latency.count > 0) {
      const [p50, p95, p99] = this.latency.quantiles([0.5, 0.95, 0.99]);
      bin.p50Ms = round3(p50! / 1000);
      bin.p95Ms = round3(p95! / 1000);
      bin.p99Ms = round3(p99! / 1000);
    }
  }

  /** A runtime-metrics sample. */
  metrics(m: MetricsSample): void {
    if (m.memoryTotalMb === null) return;
    const startS = Math.floor(m.timeUs / 1e6 / this.binS) * this.binS;
    const at = this.memoryAt.get(m.dyno);
    const cur = at === undefined ? undefined : this.memory[at];
    const total = m.memoryTotalMb;
    const swap = m.memorySwapMb ?? 0;
    if (cur !== undefined && cur.startS === startS) {
      cur.totalMb = Math.max(cur.totalMb, total);
      cur.swapMb = Math.max(cur.swapMb, swap);
      return;
    }
    this.memoryAt.set(m.dyno, this.memory.length);
    this.memory.push({ startS, dyno: m.dyno, totalMb: total, swapMb: swap, quotaMb: m.memoryQuotaMb });
  }
}

function emptyBin(startS: number): SeriesBin {
  const errors = {} as Record<SeriesCode, number>;
  for (const c of SERIES_CODES) errors[c] = 0;
  return { startS, lengthS: 0, arrivals: 0, completed: 0, errors, p50Ms: null, p95Ms: null, p99Ms: null, queueS: 0, dynosUp: 0 };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
