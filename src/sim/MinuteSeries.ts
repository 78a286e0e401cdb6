/**
 * Per-minute accumulators for the time series, in a ring that reaches as far into the
 * future as any request already routed (a request's service interval is known when it is
 * routed, so it is entered at once). A minute is final once the clock passes its end;
 * `take` then hands it over and clears it.
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

// Columns of one minute's slot in `data`. Queue length and busy workers are step
// functions of time: each request adds +1 to one from a start point to an end point. A
// point at x inside minute m adds w·(end of m − x) to m's `partial` and w to m's `delta`,
// the change of level carried into every later minute. So an interval costs two point
// updates however many minutes it spans.
const ARRIVALS = 0;
const COMPLETED = 1;
const QUEUE_PARTIAL = 2;
const QUEUE_DELTA = 3;
const BUSY_PARTIAL = 4;
const BUSY_DELTA = 5;
const FIRST_ERROR = 6;
const STRIDE = FIRST_ERROR + SERIES_CODES.length;
const ROW_QUANTILES = [0.5, 0.95, 0.99];

export class MinuteSeries {
  private cap = 64;
  private mask = 63;
  /** First minute not yet taken. */
  private base = 0;
  private data = new Float64Array(64 * STRIDE);
  /** Requests waiting, and workers busy, at the start of minute `base`. */
  private queueLevel = 0;
  private busyLevel = 0;
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
    this.data[this.slot(Math.floor(tUs / MINUTE_US)) + ARRIVALS]!++;
  }

  /** A response the client got at `tUs` after `latencyUs`. */
  response(tUs: number, latencyUs: number): void {
    const m = Math.floor(tUs / MINUTE_US);
    this.data[this.slot(m) + COMPLETED]!++;
    this.hists[m & this.histMask]!.record(latencyUs);
  }

  /** An error response (`code` indexes SERIES_CODES); a negative latency keeps it out of the percentiles. */
  error(code: number, tUs: number, latencyUs: number): void {
    const m = Math.floor(tUs / MINUTE_US);
    this.data[this.slot(m) + FIRST_ERROR + code]!++;
    if (latencyUs >= 0) this.hists[m & this.histMask]!.record(latencyUs);
  }

  /** A request waiting for a worker from `fromUs` to `toUs`. */
  queueInterval(fromUs: number, toUs: number): void {
    this.point(QUEUE_PARTIAL, fromUs, 1);
    this.point(QUEUE_PARTIAL, toUs, -1);
  }

  /** A worker busy from `fromUs` to `toUs`. */
  busyInterval(fromUs: number, toUs: number): void {
    this.point(BUSY_PARTIAL, fromUs, 1);
    this.point(BUSY_PARTIAL, toUs, -1);
  }

  /** Hands over minute `m` (which must be the next untaken one) and clears it. */
  take(m: number, concurrency: number): MinuteRow {
    if (m !== this.base) throw new Error(`minute ${m} taken out of order (next is ${this.base})`);
    const i = (m & this.mask) * STRIDE;
    const data = this.data;
    const h = this.hists[m & this.histMask]!;
    const [p50, p95, p99] = h.quantiles(ROW_QUANTILES);
    const ms = (us: number | undefined): number | null => (h.count === 0 ? null : round3(us! / 1000));
    const errors = {} as Record<SeriesCode, number>;
    SERIES_CODES.forEach((code, k) => (errors[code] = data[i + FIRST_ERROR + k]!));
    const queueUs = this.queueLevel * MINUTE_US + data[i + QUEUE_PARTIAL]!;
    const busyUs = this.busyLevel * MINUTE_US + data[i + BUSY_PARTIAL]!;
    this.queueLevel += data[i + QUEUE_DELTA]!;
    this.busyLevel += data[i + BUSY_DELTA]!;
    const row: MinuteRow = {
      minute: m,
      arrivals: data[i + ARRIVALS]!,
      completed: data[i + COMPLETED]!,
      errors,
      latencyP50Ms: ms(p50),
      latencyP95Ms: ms(p95),
      latencyP99Ms: ms(p99),
      queueMean: round3(queueUs / MINUTE_US),
      busyDynos: round3(busyUs / MINUTE_US / concurrency),
    };
    data.fill(0, i, i + STRIDE);
    h.reset();
    this.base++;
    return row;
  }

  /** Adds a step of `w` at `xUs` to the step function whose partial column is `partial` (its delta follows it). */
  private point(partial: number, xUs: number, w: number): void {
    const m = Math.floor(xUs / MINUTE_US);
    const i = this.slot(m) + partial;
    this.data[i]! += w * ((m + 1) * MINUTE_US - xUs);
    this.data[i + 1]! += w;
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
