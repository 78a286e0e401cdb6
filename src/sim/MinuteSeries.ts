/**
 * Per-minute accumulators for the time series, in a ring that reaches as far into the
 * future as any request already routed (a request's service interval is known when it is
 * routed, so its share of busy time is added to the minutes it will span at once). A
 * minute is final once the clock passes its end; `take` then hands it over and clears it.
 */
import { Histogram } from '../engine/Histogram.ts';

export const MINUTE_US = 60_000_000;

/** Error codes with a column in the time series, in column order. */
export const SERIES_CODES = ['H11', 'H12', 'H14'] as const;
export type SeriesCode = (typeof SERIES_CODES)[number];

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
}

// Column numbers in `cols`: the error codes come after these.
const ARRIVALS = 0;
const COMPLETED = 1;
const QUEUE_US = 2;
const BUSY_US = 3;
const FIRST_ERROR = 4;
const ROW_QUANTILES = [0.5, 0.95, 0.99];

export class MinuteSeries {
  private cap = 64;
  private mask = 63;
  /** First minute not yet taken. */
  private base = 0;
  private cols: Float64Array[] = Array.from({ length: FIRST_ERROR + SERIES_CODES.length }, () => new Float64Array(64));
  private readonly hists: Histogram[];
  private readonly histMask: number;

  /** `spanUs`: the furthest after its arrival a response can come (the router timeout). */
  constructor(spanUs: number) {
    let h = 2;
    while (h < Math.ceil(spanUs / MINUTE_US) + 2) h <<= 1;
    this.hists = Array.from({ length: h }, () => new Histogram(7));
    this.histMask = h - 1;
  }

  arrival(tUs: number): void {
    this.cols[ARRIVALS]![this.slot(tUs)]!++;
  }

  /** A response the client got at `tUs` after `latencyUs`. */
  response(tUs: number, latencyUs: number): void {
    this.cols[COMPLETED]![this.slot(tUs)]!++;
    this.hists[Math.floor(tUs / MINUTE_US) & this.histMask]!.record(latencyUs);
  }

  /** An error response (`code` indexes SERIES_CODES); a negative latency keeps it out of the percentiles. */
  error(code: number, tUs: number, latencyUs: number): void {
    this.cols[FIRST_ERROR + code]![this.slot(tUs)]!++;
    if (latencyUs >= 0) this.hists[Math.floor(tUs / MINUTE_US) & this.histMask]!.record(latencyUs);
  }

  queueInterval(fromUs: number, toUs: number): void {
    this.addInterval(QUEUE_US, fromUs, toUs);
  }

  busyInterval(fromUs: number, toUs: number): void {
    this.addInterval(BUSY_US, fromUs, toUs);
  }

  /** Hands over minute `m` (which must be the next untaken one) and clears it. */
  take(m: number, concurrency: number): MinuteRow {
    if (m !== this.base) throw new Error(`minute ${m} taken out of order (next is ${this.base})`);
    const i = m & this.mask;
    const cols = this.cols;
    const h = this.hists[m & this.histMask]!;
    const [p50, p95, p99] = h.quantiles(ROW_QUANTILES);
    const ms = (us: number | undefined): number | null => (h.count === 0 ? null : round3(us! / 1000));
    const errors = {} as Record<SeriesCode, number>;
    SERIES_CODES.forEach((code, k) => (errors[code] = cols[FIRST_ERROR + k]![i]!));
    const row: MinuteRow = {
      minute: m,
      arrivals: cols[ARRIVALS]![i]!,
      completed: cols[COMPLETED]![i]!,
      errors,
      latencyP50Ms: ms(p50),
      latencyP95Ms: ms(p95),
      latencyP99Ms: ms(p99),
      queueMean: round3(cols[QUEUE_US]![i]! / MINUTE_US),
      busyDynos: round3(cols[BUSY_US]![i]! / MINUTE_US / concurrency),
    };
    for (const col of cols) col[i] = 0;
    h.reset();
    this.base++;
    return row;
  }

  private slot(tUs: number): number {
    const m = Math.floor(tUs / MINUTE_US);
    if (m - this.base >= this.cap) this.grow(m - this.base + 1);
    return m & this.mask;
  }

  private addInterval(c: number, fromUs: number, toUs: number): void {
    if (!(toUs > fromUs)) return;
    let m = Math.floor(fromUs / MINUTE_US);
    const last = Math.floor(toUs / MINUTE_US);
    if (last - this.base >= this.cap) this.grow(last - this.base + 1);
    const col = this.cols[c]!;
    const mask = this.mask;
    if (m === last) {
      col[m & mask]! += toUs - fromUs;
      return;
    }
    col[m & mask]! += (m + 1) * MINUTE_US - fromUs;
    for (m++; m < last; m++) col[m & mask]! += MINUTE_US;
    col[last & mask]! += toUs - last * MINUTE_US;
  }

  private grow(needed: number): void {
    let cap = this.cap;
    while (cap < needed) cap <<= 1;
    this.cols = this.cols.map((a) => {
      const b = new Float64Array(cap);
      for (let m = this.base; m < this.base + this.cap; m++) b[m & (cap - 1)] = a[m & this.mask]!;
      return b;
    });
    this.cap = cap;
    this.mask = cap - 1;
  }
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
