/**
 * The bill as it builds up over a billing month: the price book's own `bill` applied to the
 * dynos' usages cut off at each point in time, so the curve ends exactly at the run's bill.
 * A run shorter than a month is repeated to fill it (the month "if every stretch were like
 * this one"), drawn as a projection; the dyno names repeat too, so monthly caps and the free
 * allowance apply as they would.
 *
 * The points are not priced by calling `bill` once per point: each point gives, to the bit,
 * what `bill(cut, profile, t).totalUsd` would, but from tables built once (the usages split
 * into months and priced for the whole span). A usage wholly before the cut-off has the
 * pieces it has in the whole span, so a billing month that only such usages reach is taken
 * as priced for the span; a month that a usage still running at the cut-off (or not yet
 * started) reaches is priced again, reading only its pieces that start before the cut-off.
 * Its free allowance and monthly caps depend on all its hours so far, so each of those pieces
 * is priced again, but the sums over its leading whole pieces (and the weighted hours over
 * the leading whole usages) are kept from the tables. The float operations are those of
 * `bill` and its price rules (freeAllowance.ts, hourly.ts, monthly.ts, Eco's flat
 * subscription) in the same order; test/costCurve.test.ts checks the curve against `bill`.
 * That mirror is deliberate: pricing the open months with `bill`'s own rules at each point
 * (objects per piece, per point) made the default run 1.25× as long and 66 MB heavier, so a
 * change to a price rule must be made here too, and the test fails until it is.
 */
import { billedSeconds, compare, monthIndex, sizeOf, splitByMonth, type DynoUsage } from '../../../model/billing/bill.ts';
import type { PlatformProfile } from '../../../model/platform/profile.ts';

export interface CostPoint {
  /** Seconds from the start of the run. */
  tS: number;
  /** Bill so far (USD, cents). */
  usd: number;
  /** Dyno-hours so far, weighted as the free allowance counts them (2013: a 2X hour is 2). */
  weightedHours: number;
  /** True for points of the run itself, false for the projection beyond its end. */
  simulated: boolean;
}

export interface CostCurve {
  points: CostPoint[];
  /** The free allowance of a month (weighted hours; 0 when the price book has none). */
  freeHours: number;
  /** When the weighted hours used reach the free allowance (s), or null if they never do within the chart. */
  freeRunOutS: number | null;
  /** The chart's span: the run or one billing month, whichever is longer (s). */
  spanS: number;
}

/** `steps` points after time zero; the run's end is always one of the points. */
export function costCurve(usages: readonly DynoUsage[], profile: PlatformProfile, runUs: number, steps = 90): CostCurve {
  const monthUs = profile.billing.monthUs;
  const spanUs = Math.max(runUs, monthUs);
  const span = new Span(usages, runUs, spanUs);
  const times = new Set<number>([runUs]);
  for (let k = 1; k <= steps; k++) times.add(Math.round((spanUs * k) / steps));
  const cutoffs = [...times].sort((a, b) => a - b).filter((tUs) => !(tUs <= 0));
  const weighted = new WeightedHours(span, profile);
  const points: CostPoint[] = [{ tS: 0, usd: 0, weightedHours: 0, simulated: true }];
  if (cutoffs.length > 0) {
    // Built only when there is a point to price: as `bill`, it throws on a bad price book.
    const book = new MonthBook(span, profile);
    for (const tUs of cutoffs) {
      points.push({ tS: tUs / 1e6, usd: book.totalUsdAt(tUs), weightedHours: round3(weighted.at(tUs)), simulated: tUs <= runUs });
    }
  }
  const free = profile.billing.freeHoursPerMonth;
  let freeRunOutS: number | null = null;
  if (free > 0 && weighted.at(Math.min(spanUs, monthUs)) > free) {
    let lo = 0;
    let hi = Math.min(spanUs, monthUs);
    while (hi - lo > 1e6) {
      const mid = (lo + hi) / 2;
      if (weighted.at(mid) > free) hi = mid;
      else lo = mid;
    }
    freeRunOutS = Math.round(hi / 1e6);
  }
  return { points, freeHours: free, freeRunOutS, spanS: spanUs / 1e6 };
}

/**
 * Usages (or their pieces) in `bill`'s order, by start and end, and which of them a cut-off
 * at t changes. One is whole at t when it starts before t and ends by t: the cut leaves it
 * as it is. The whole ones come first up to `whole(t)`; none from `started(t)` on has started.
 */
class Cuts {
  readonly n: number;
  readonly startUs: Float64Array;
  readonly endUs: Float64Array;
  /** Latest start and latest end among 0..k. */
  private readonly maxStartUs: Float64Array;
  private readonly maxEndUs: Float64Array;
  /** Earliest start among k..n-1 (+∞ at n). */
  private readonly minStartFromUs: Float64Array;

  constructor(startUs: Float64Array, endUs: Float64Array) {
    const n = (this.n = startUs.length);
    this.startUs = startUs;
    this.endUs = endUs;
    this.maxStartUs = new Float64Array(n);
    this.maxEndUs = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      this.maxStartUs[k] = k === 0 ? startUs[k] : Math.max(this.maxStartUs[k - 1], startUs[k]);
      this.maxEndUs[k] = k === 0 ? endUs[k] : Math.max(this.maxEndUs[k - 1], endUs[k]);
    }
    this.minStartFromUs = suffixMin(startUs);
  }

  /** The first that is not whole at `tUs` (n if all are): all before it are. */
  whole(tUs: number): number {
    return firstIndex(this.n, (k) => !(this.maxStartUs[k] < tUs && this.maxEndUs[k] <= tUs));
  }

  /** The first from which none starts before `tUs` (n if the last does). */
  started(tUs: number): number {
    return firstIndex(this.n, (k) => this.minStartFromUs[k] >= tUs);
  }
}

/** The first k in 0..n-1 for which `from` holds, n if none; `from` holds from some k on. */
function firstIndex(n: number, from: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (from(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The run's usages repeated to fill the span (each copy offset by the run's length, cut at
 * the span's end), in the order `bill` is given them.
 */
class Span {
  readonly base: readonly DynoUsage[];
  /** The run's usage each one repeats. */
  readonly of: Int32Array;
  readonly cuts: Cuts;

  constructor(base: readonly DynoUsage[], runUs: number, spanUs: number) {
    this.base = base;
    const of: number[] = [];
    const start: number[] = [];
    const end: number[] = [];
    if (runUs > 0) {
      for (let offset = 0; offset < spanUs; offset += runUs) {
        for (let b = 0; b < base.length; b++) {
          const u = base[b];
          if (u.startUs + offset >= spanUs) continue;
          of.push(b);
          start.push(u.startUs + offset);
          end.push(Math.min(spanUs, u.endUs + offset));
        }
      }
    }
    this.of = Int32Array.from(of);
    this.cuts = new Cuts(Float64Array.from(start), Float64Array.from(end));
  }

  /** The usages running at `tUs`: started before it, not ended by it (so cut off there). */
  runningAt(tUs: number): number[] {
    const { cuts } = this;
    const running: number[] = [];
    for (let i = cuts.whole(tUs), end = cuts.started(tUs); i < end; i++) {
      if (cuts.startUs[i] < tUs && !(cuts.endUs[i] <= tUs)) running.push(i);
    }
    return running;
  }
}

/**
 * Weighted hours used by t, summed usage by usage in the span's order: the sum over the
 * leading whole usages is kept for every length of that lead, the rest is added up at t.
 */
class WeightedHours {
  private readonly cuts: Cuts;
  private readonly weight: Float64Array;
  /** lead[j]: the sum over usages 0..j-1, each whole. */
  private readonly lead: Float64Array;

  constructor(span: Span, profile: PlatformProfile) {
    const cuts = (this.cuts = span.cuts);
    const byBase = span.base.map((u) => profile.sizes[u.size]?.freeHoursWeight ?? 0);
    this.weight = Float64Array.from(span.of, (b) => byBase[b]);
    this.lead = new Float64Array(cuts.n + 1);
    for (let i = 0; i < cuts.n; i++) this.lead[i + 1] = this.lead[i] + this.hours(i, cuts.endUs[i]);
  }

  at(tUs: number): number {
    const { cuts } = this;
    let i = cuts.whole(tUs);
    let h = this.lead[i];
    for (const end = cuts.started(tUs); i < end; i++) if (cuts.startUs[i] < tUs) h += this.hours(i, tUs);
    return h;
  }

  private hours(i: number, tUs: number): number {
    return ((Math.min(this.cuts.endUs[i], tUs) - this.cuts.startUs[i]) / 3.6e9) * this.weight[i];
  }
}

/** One billing month's pieces over the whole span, in the order `bill` lists them. */
interface Month {
  readonly index: number;
  /** Each piece's usage in the span, which of the usage's pieces it is, the run's usage it repeats. */
  readonly usage: Int32Array;
  readonly part: Int32Array;
  readonly base: Int32Array;
  /** Billed hours of the piece, the usage whole. */
  readonly hours: Float64Array;
  /** The pieces' usages' starts and ends. */
  readonly cuts: Cuts;
  /** Over pieces 0..k-1, whole: the hours the free allowance weighs (not Eco's), and Eco's hours. */
  readonly leadWeighted: Float64Array;
  readonly leadEco: Float64Array;
}

/**
 * The span's usages as `bill` splits them into billing months, and the bill so far at a
 * cut-off. The bill's lines (process type and size) are numbered in the order it sums them.
 */
class MonthBook {
  private readonly span: Span;
  private readonly monthUs: number;
  private readonly months: Month[];
  /** perLine[p]: every line's unrounded dollars after the span's months 0..p-1 in full. */
  private readonly perLine: Float64Array[];
  private readonly lines: number;
  /** By the run's usage: its line, its dyno (for the monthly cap), its size's figures. */
  private readonly line: Int32Array;
  private readonly dyno: Int32Array;
  private readonly price: Float64Array;
  private readonly weight: Float64Array;
  private readonly eco: Uint8Array;
  private readonly capped: boolean;
  private readonly allowance: number;
  private readonly monthHours: number;
  /** Scratch: the hours of a month's pieces past its whole ones at a cut-off; billable hours by dyno. */
  private readonly tail: Float64Array;
  private readonly dynoHours: Float64Array;

  constructor(span: Span, profile: PlatformProfile) {
    this.span = span;
    const { billing } = profile;
    if (!(billing.monthUs > 0)) throw new RangeError(`billing.monthUs must be > 0, got ${billing.monthUs}`);
    this.monthUs = billing.monthUs;
    this.capped = billing.pricePer === 'month';
    this.allowance = Math.max(0, billing.freeHoursPerMonth);
    this.monthHours = billing.monthUs / 3_600_000_000;

    const base = span.base;
    // As `bill`, an unknown size throws, but only for a usage the span holds.
    const held = new Uint8Array(base.length);
    for (const b of span.of) held[b] = 1;
    const sizes = base.map((u, b) => (held[b] === 1 ? sizeOf(profile, u.size) : undefined));
    const lineKeys = [...new Map(base.map((u) => [`${u.processType}\u0000${u.size}`, u] as const)).entries()]
      .sort(([, a], [, b]) => compare(a.processType, b.processType) || compare(a.size, b.size))
      .map(([key]) => key);
    this.lines = lineKeys.length;
    this.line = Int32Array.from(base, (u) => lineKeys.indexOf(`${u.processType}\u0000${u.size}`));
    const dynoKeys = new Map<string, number>();
    this.dyno = Int32Array.from(base, (u, b) => {
      const dyno = u.overlap === true ? `${u.dyno} (preboot)` : u.dyno;
      const key = `${u.processType}\u0000${dyno}\u0000${sizes[b]?.name}`;
      if (!dynoKeys.has(key)) dynoKeys.set(key, dynoKeys.size);
      return dynoKeys.get(key)!;
    });
    this.price = Float64Array.from(sizes, (s) => s?.priceUsd ?? 0);
    this.weight = Float64Array.from(sizes, (s) => s?.freeHoursWeight ?? 0);
    const flat = profile.eco?.size;
    this.eco = Uint8Array.from(sizes, (s) => (flat !== undefined && s?.name === flat ? 1 : 0));
    this.dynoHours = new Float64Array(dynoKeys.size);
    this.months = this.splitSpan();
    this.tail = new Float64Array(this.months.reduce((k, m) => Math.max(k, m.cuts.n), 0));
    this.perLine = [new Float64Array(this.lines)];
    for (let p = 0; p < this.months.length; p++) {
      const usd = this.perLine[p].slice();
      this.priceMonth(this.months[p], Infinity, new Map(), usd);
      this.perLine.push(usd);
    }
  }

  /** `bill(usages cut off at tUs, profile, tUs).totalUsd`. */
  totalUsdAt(tUs: number): number {
    const running = new Map<number, [number, number][]>();
    let open = monthIndex(tUs, this.monthUs);
    const last = open;
    for (const i of this.span.runningAt(tUs)) {
      running.set(i, this.partsOf(i, tUs));
      open = Math.min(open, monthIndex(this.span.cuts.startUs[i], this.monthUs));
    }
    // Months before `open` have only whole usages: as priced for the span.
    let p = 0;
    while (p < this.months.length && this.months[p].index < open) p++;
    const usd = this.perLine[p].slice();
    for (; p < this.months.length && this.months[p].index <= last; p++) this.priceMonth(this.months[p], tUs, running, usd);
    let total = 0;
    for (let l = 0; l < this.lines; l++) total += usd[l];
    return Math.round(total * 100) / 100;
  }

  /** Every usage's pieces in the whole span, month by month in time order. */
  private splitSpan(): Month[] {
    const { span } = this;
    const byMonth = new Map<number, { usage: number[]; part: number[]; hours: number[] }>();
    for (let i = 0; i < span.cuts.n; i++) {
      const parts = this.partsOf(i, span.cuts.endUs[i]);
      for (let q = 0; q < parts.length; q++) {
        let m = byMonth.get(parts[q][0]);
        if (m === undefined) byMonth.set(parts[q][0], (m = { usage: [], part: [], hours: [] }));
        m.usage.push(i);
        m.part.push(q);
        m.hours.push(parts[q][1]);
      }
    }
    return [...byMonth.keys()]
      .sort((a, b) => a - b)
      .map((index) => {
        const m = byMonth.get(index)!;
        const usage = Int32Array.from(m.usage);
        const base = Int32Array.from(usage, (i) => span.of[i]);
        const hours = Float64Array.from(m.hours);
        const leadWeighted = new Float64Array(usage.length + 1);
        const leadEco = new Float64Array(usage.length + 1);
        for (let k = 0; k < usage.length; k++) {
          const eco = this.eco[base[k]] === 1;
          leadWeighted[k + 1] = eco ? leadWeighted[k] : leadWeighted[k] + hours[k] * this.weight[base[k]];
          leadEco[k + 1] = eco ? leadEco[k] + hours[k] : leadEco[k];
        }
        const cuts = new Cuts(Float64Array.from(usage, (i) => span.cuts.startUs[i]), Float64Array.from(usage, (i) => span.cuts.endUs[i]));
        return { index, usage, part: Int32Array.from(m.part), base, hours, cuts, leadWeighted, leadEco };
      });
  }

  /** Billed hours per month of usage i ended at `endUs` (`bill`'s split); none if no second is billed. */
  private partsOf(i: number, endUs: number): [number, number][] {
    const startUs = this.span.cuts.startUs[i];
    const billedS = billedSeconds(startUs, endUs);
    return billedS === 0 ? [] : splitByMonth(startUs, endUs, billedS, this.monthUs);
  }

  /**
   * Adds to `usd` (by line) what month `m` costs with the usages cut off at `tUs`; `running`
   * gives the pieces of the usages cut off there. As bill.ts's `price` and the price rules:
   * the free allowance spread over the pieces that are not Eco (freeAllowance.ts), priced by
   * the hour (hourly.ts) or by the month with a cap per dyno (monthly.ts); Eco's flat price
   * shared among its pieces.
   */
  private priceMonth(m: Month, tUs: number, running: ReadonlyMap<number, [number, number][]>, usd: Float64Array): void {
    const { tail } = this;
    const whole = m.cuts.whole(tUs);
    const started = m.cuts.started(tUs);
    let weighted = m.leadWeighted[whole];
    let ecoHours = m.leadEco[whole];
    for (let k = whole; k < started; k++) {
      const hours = (tail[k - whole] = this.hoursAt(m, k, tUs, running));
      if (hours < 0) continue;
      if (this.eco[m.base[k]] === 1) ecoHours += hours;
      else weighted += hours * this.weight[m.base[k]];
    }
    const covered = weighted > 0 ? Math.min(this.allowance, weighted) / weighted : 0;
    if (this.capped) {
      this.dynoHours.fill(0);
      for (let k = 0; k < started; k++) {
        const hours = k < whole ? m.hours[k] : tail[k - whole];
        const b = m.base[k];
        if (hours >= 0 && this.eco[b] === 0) this.dynoHours[this.dyno[b]] += this.billable(b, hours, covered);
      }
    }
    for (let k = 0; k < started; k++) {
      const hours = k < whole ? m.hours[k] : tail[k - whole];
      if (hours < 0) continue;
      const b = m.base[k];
      let cost: number;
      if (this.eco[b] === 1) cost = ecoHours > 0 ? (this.price[b] * hours) / ecoHours : 0;
      else if (!this.capped) cost = this.billable(b, hours, covered) * this.price[b];
      else {
        const total = this.dynoHours[this.dyno[b]];
        const dynoUsd = this.price[b] * Math.min(1, total / this.monthHours);
        cost = total > 0 ? (dynoUsd * this.billable(b, hours, covered)) / total : 0;
      }
      usd[this.line[b]] += cost;
    }
  }

  /** Billed hours of piece k of month m with the usages cut off at `tUs`; -1 if the cut leaves it none. */
  private hoursAt(m: Month, k: number, tUs: number, running: ReadonlyMap<number, [number, number][]>): number {
    if (!(m.cuts.startUs[k] < tUs)) return -1;
    if (m.cuts.endUs[k] <= tUs) return m.hours[k];
    const cut = running.get(m.usage[k])!;
    return m.part[k] < cut.length ? cut[m.part[k]][1] : -1;
  }

  /** The hours of a piece left to pay for when the allowance covers `covered` of every weighted hour. */
  private billable(b: number, hours: number, covered: number): number {
    return this.weight[b] <= 0 ? hours : Math.max(0, hours - hours * covered);
  }
}

function suffixMin(xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length + 1);
  out[xs.length] = Infinity;
  for (let i = xs.length - 1; i >= 0; i--) out[i] = Math.min(xs[i], out[i + 1]);
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
