/**
 * Per-minute accumulators for the time series, in a ring that reaches as far ahead as a
 * client can be answered. A minute is final once the clock passes its end; `take` then
 * hands it over and clears it.
 */
import { Histogram } from '../../engine/Histogram.ts';
import { SERIES_CODES, type SeriesCode } from '../router/codes.ts';

export const MINUTE_US = 60_000_000;


/** One row of timeseries.csv. */
export interface MinuteRow {
  minute: number;
  arrivals: number;
  completed: number;
  errors: Record<SeriesCode, number>;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  /** Time-averaged number of requests waiting for a worker. */
  queueMean: number;
  /** Time-averaged busy workers divided by workers per dyno: dynos' worth of busy. */
  busyDynos: number;
  /** Web dynos taking traffic at the minute's end. */
  dynosUp: number;
}

// Columns of one minute's slot in `data`: errors by the minute the client got them, which
// can lie up to one timeout after the arrival, and how many of them went into the
// minute's latency histogram. The minute's completed responses are the rest of that
// histogram's count, so that a response adds to the histogram alone. Arrivals, queue and
// busy time need no slot: they are read off the web tier at each minute's end.
const TIMED_ERRORS = 0;
const FIRST_ERROR = 1;
const STRIDE = FIRST_ERROR + SERIES_CODES.length;
const ROW_QUANTILES = [0.5, 0.95, 0.99];

/** What the web tier reports for one minute. */
export interface MinuteTotals {
  arrivals: number;
  /** Request-microseconds spent waiting for a worker during the minute. */
  queueUs: number;
  /** Worker-microseconds spent serving during the minute. */
  busyUs: number;
  dynosUp: number;
}

export class MinuteSeries {
  private cap = 64;
  private mask = 63;
  /** First minute not yet taken. */
  private base = 0;
  private data = new Float64Array(64 * STRIDE);
  private readonly hists: Histogram[];
  private readonly histMask: number;

  /** `spanUs`: the furthest after its arrival a response can come (timeout, holds and connection retries). */
  constructor(spanUs: number) {
    let h = 2;
    while (h < Math.ceil(spanUs / MINUTE_US) + 2) h <<= 1;
    this.hists = Array.from({ length: h }, () => new Histogram(7));
    this.histMask = h - 1;
    this.lastHist = this.hists[0]!;
  }

  /**
   * A response the client got at `tUs` after `latencyUs`, whose bucket in `fine` (a
   * histogram at least as precise as a minute's) is `fineIndex`: the run's latency
   * histogram finds it once for both.
   */
  response(tUs: number, latencyUs: number, fine: Histogram, fineIndex: number): void {
    // Nearly every response falls in the minute of the one before: its histogram is kept.
    if (!(tUs >= this.lastStartUs && tUs < this.lastEndUs)) this.seek(tUs);
    const h = this.lastHist;
    h.recordAt(fine.coarser(fineIndex, h.bits), latencyUs);
  }

  // The minute the last response fell in: its span and histogram.
  private lastStartUs = 0;
  private lastEndUs = -Infinity;
  private lastHist: Histogram;

  private seek(tUs: number): void {
    const m = Math.floor(tUs / MINUTE_US);
    this.lastHist = this.hists[m & this.histMask]!;
    // Within 1 µs of the minute's end the division decides, as it did before the cache.
    this.lastStartUs = m * MINUTE_US;
    this.lastEndUs = (m + 1) * MINUTE_US - 1;
  }

  /** An error response (`code` indexes SERIES_CODES); a negative latency keeps it out of the percentiles. */
  error(code: number, tUs: number, latencyUs: number): void {
    const m = Math.floor(tUs / MINUTE_US);
    const i = this.slot(m);
    this.data[i + FIRST_ERROR + code]!++;
    if (latencyUs >= 0) {
      this.data[i + TIMED_ERRORS]!++;
      this.hists[m & this.histMask]!.record(latencyUs);
    }
  }

  /** Takes back a response recorded with `response` (its request's dyno died before answering). */
  retractResponse(tUs: number, latencyUs: number): void {
    const m = Math.floor(tUs / MINUTE_US);
    this.hists[m & this.histMask]!.remove(latencyUs);
  }

  /** Takes back an error recorded with `error`. */
  retractError(code: number, tUs: number, latencyUs: number): void {
    const m = Math.floor(tUs / MINUTE_US);
    const i = this.slot(m);
    this.data[i + FIRST_ERROR + code]!--;
    if (latencyUs >= 0) {
      this.data[i + TIMED_ERRORS]!--;
      this.hists[m & this.histMask]!.remove(latencyUs);
    }
  }

  /**
   * Hands over minute `m` (which must be the next untaken one), with the tier's totals for it, and clears it.
   * `onLatency` sees the minute's latency histogram (µs) before it is cleared.
   */
  take(m: number, totals: MinuteTotals, concurrency: number, onLatency?: (minute: number, latency: Histogram) => void): MinuteRow {
    if (m !== this.base) throw new Error(`minute ${m} taken out of order (next is ${this.base})`);
    const i = (m & this.mask) * STRIDE;
    const data = this.data;
    const h = this.hists[m & this.histMask]!;
    const [p50, p95, p99] = h.quantiles(ROW_QUANTILES);
    const ms = (us: number | undefined): number | null => (h.count === 0 ? null : round3(us! / 1000));
    const errors = {} as Record<SeriesCode, number>;
    SERIES_CODES.forEach((code, k) => (errors[code] = data[i + FIRST_ERROR + k]!));
    const row: MinuteRow = {
      minute: m,
      arrivals: totals.arrivals,
      completed: h.count - data[i + TIMED_ERRORS]!,
      errors,
      latencyP50Ms: ms(p50),
      latencyP95Ms: ms(p95),
      latencyP99Ms: ms(p99),
      queueMean: round3(totals.queueUs / MINUTE_US),
      busyDynos: round3(totals.busyUs / MINUTE_US / concurrency),
      dynosUp: totals.dynosUp,
    };
    onLatency?.(m, h);
    data.fill(0, i, i + STRIDE);
    h.reset();
    this.base++;
    return row;
  }

  /** Offset in `data` of minute m's slot, growing the ring when m lies beyond it. */
  private slot(m: number): number {
    if (m - this.base >= this.cap) this.grow(m - this.base + 1);
    return (m & this.mask) * STRIDE;
  }

  private grow(needed: number): void {
    let cap = this.cap;
    while (cap < needed) cap <<= 1;
    const next = new Float64Array(cap * STRIDE);
    for (let m = this.base; m < this.base + this.cap; m++) {
      next.set(this.data.subarray((m & this.mask) * STRIDE, (m & this.mask) * STRIDE + STRIDE), (m & (cap - 1)) * STRIDE);
    }
    this.data = next;
    this.cap = cap;
    this.mask = cap - 1;
  }
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
