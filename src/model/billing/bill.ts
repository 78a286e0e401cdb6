/**
 * The bill of a run: what the dynos' wall-clock time costs under a profile's price book.
 *
 * Rules:
 * - Each usage is billed for its length rounded up to a whole second (per-second proration).
 * - The run is cut into consecutive billing months of `billing.monthUs` from time 0, and a
 *   usage is split at month boundaries; its round-up to the second goes to its last month.
 * - Every month gets its own `freeHoursPerMonth`, spread over sizes in proportion to their
 *   weighted hours (freeAllowance.ts).
 * - Each month is priced by the rule for `billing.pricePer`: hourly.ts (2013, per hour) or
 *   monthly.ts (today, per month, prorated, capped per dyno at the monthly price).
 * - `monthlyUsd` projects the run to one billing month: every usage's billed hours are scaled
 *   by monthUs / runUs and priced as a single month (free hours and caps included).
 * - Eco (the profile's `eco.size`) is a flat subscription: a month in which any Eco dyno
 *   ran costs the size's price once, whatever the hours (its pool and sleeping are the
 *   model's, not the bill's), shared among the month's Eco pieces by their hours.
 * - Money is rounded to cents only in the report fields, hours to 1e-6 h; totals are rounded
 *   from unrounded sums, so the lines may differ from the totals by a cent.
 */
import type { DynoSize, PlatformProfile } from '../platform/profile.ts';
import type { MonthPiece, PieceCost, PriceRule } from './priceRule.ts';
import { hourly } from './hourly.ts';
import { monthly } from './monthly.ts';

/** One dyno's life in the run. */
export interface DynoUsage {
  /** 'web', 'worker', ... */
  readonly processType: string;
  /** 'web.1' */
  readonly dyno: string;
  /** Size name in the profile's `sizes`. */
  readonly size: string;
  /** When the dyno started being billed, in µs of simulated time (the run starts at 0). */
  readonly startUs: number;
  /** When it stopped being billed, in µs. */
  readonly endUs: number;
  /** An old process serving on beside its slot's new one (preboot): a dyno of its own for the monthly cap. */
  readonly overlap?: boolean;
}

/** The bill of one process type on one size. Fields as in `CostReport`. */
export interface CostLine {
  processType: string;
  size: string;
  /** Distinct dyno names that ran. */
  dynos: number;
  dynoHours: number;
  freeHours: number;
  billableHours: number;
  totalUsd: number;
  monthlyUsd: number;
}

export interface CostReport {
  /** Wall-clock dyno-hours, each usage rounded up to the second, not weighted by size. */
  dynoHours: number;
  /** Free-allowance hours used up (2013: a 2X hour uses 2 of them). */
  freeHours: number;
  /** Wall-clock dyno-hours not covered by free hours. */
  billableHours: number;
  /** The bill of the run in US dollars, rounded to cents. */
  totalUsd: number;
  /** The bill projected to one billing month at the run's average formation, rounded to cents. */
  monthlyUsd: number;
  /** By process type then size name. */
  lines: CostLine[];
}

const US_PER_S = 1_000_000;
const S_PER_H = 3_600;

const RULES: Readonly<Record<PlatformProfile['billing']['pricePer'], PriceRule>> = {
  hour: hourly,
  month: monthly,
};

/**
 * Seconds billed for a usage: its length rounded up to a whole second, never negative.
 * A length at most 1 µs past a whole second counts as that second (float-noise slack).
 */
export function billedSeconds(startUs: number, endUs: number): number {
  // The 1e-6 s slack keeps float noise (3600.0000000001 s) from costing a whole second;
  // the price is that a length within 1 µs past a whole second rounds down to it.
  return Math.max(0, Math.ceil((endUs - startUs) / US_PER_S - 1e-6));
}

/**
 * Prices `usages` under `profile`'s billing rules for a run of `runUs` microseconds
 * (used only for `monthlyUsd`; 0 gives a projection of $0). Throws on an unknown size.
 */
export function bill(usages: readonly DynoUsage[], profile: PlatformProfile, runUs: number): CostReport {
  const { billing } = profile;
  if (!(billing.monthUs > 0)) throw new RangeError(`billing.monthUs must be > 0, got ${billing.monthUs}`);
  const rule = RULES[billing.pricePer];

  const lineKey = (u: DynoUsage): string => `${u.processType}\u0000${u.size}`;
  const lines = new Map<string, Accumulator>();
  const months = new Map<number, Tagged[]>();
  const projected: Tagged[] = [];
  const scale = runUs > 0 ? billing.monthUs / runUs : 0;

  for (const u of usages) {
    const size = sizeOf(profile, u.size);
    const key = lineKey(u);
    let acc = lines.get(key);
    if (acc === undefined) {
      acc = newAccumulator(u.processType, u.size);
      lines.set(key, acc);
    }
    acc.dynos.add(u.dyno);
    const billedS = billedSeconds(u.startUs, u.endUs);
    if (billedS === 0) continue;
    const dyno = u.overlap === true ? `${u.dyno} (preboot)` : u.dyno;
    acc.dynoHours += billedS / S_PER_H;
    for (const [month, hours] of splitByMonth(u.startUs, u.endUs, billedS, billing.monthUs)) {
      let list = months.get(month);
      if (list === undefined) months.set(month, (list = []));
      list.push({ key, piece: { processType: u.processType, dyno, size, hours } });
    }
    if (scale > 0) {
      const hours = (billedS / S_PER_H) * scale;
      projected.push({ key, piece: { processType: u.processType, dyno, size, hours } });
    }
  }

  // Months in time order, so the float sums are always added in the same order.
  for (const month of [...months.keys()].sort((a, b) => a - b)) {
    const tagged = months.get(month) ?? [];
    price(rule, tagged, profile).forEach((c, i) => {
      const acc = lines.get(tagged[i].key);
      if (acc === undefined) return;
      acc.freeHours += c.freeHours;
      acc.billableHours += c.billableHours;
      acc.totalUsd += c.usd;
    });
  }
  price(rule, projected, profile).forEach((c, i) => {
    const acc = lines.get(projected[i].key);
    if (acc !== undefined) acc.monthlyUsd += c.usd;
  });

  const sorted = [...lines.values()].sort(
    (a, b) => compare(a.processType, b.processType) || compare(a.size, b.size),
  );
  const sum = (f: (a: Accumulator) => number): number => sorted.reduce((s, a) => s + f(a), 0);
  return {
    dynoHours: hours6(sum((a) => a.dynoHours)),
    freeHours: hours6(sum((a) => a.freeHours)),
    billableHours: hours6(sum((a) => a.billableHours)),
    totalUsd: cents(sum((a) => a.totalUsd)),
    monthlyUsd: cents(sum((a) => a.monthlyUsd)),
    lines: sorted.map((a) => ({
      processType: a.processType,
      size: a.size,
      dynos: a.dynos.size,
      dynoHours: hours6(a.dynoHours),
      freeHours: hours6(a.freeHours),
      billableHours: hours6(a.billableHours),
      totalUsd: cents(a.totalUsd),
      monthlyUsd: cents(a.monthlyUsd),
    })),
  };
}

interface Tagged {
  readonly key: string;
  readonly piece: MonthPiece;
}

interface Accumulator {
  readonly processType: string;
  readonly size: string;
  readonly dynos: Set<string>;
  dynoHours: number;
  freeHours: number;
  billableHours: number;
  totalUsd: number;
  monthlyUsd: number;
}

function newAccumulator(processType: string, size: string): Accumulator {
  return { processType, size, dynos: new Set(), dynoHours: 0, freeHours: 0, billableHours: 0, totalUsd: 0, monthlyUsd: 0 };
}

/** One month's pieces priced: Eco's as one flat subscription, the others by the profile's rule. */
function price(rule: PriceRule, tagged: readonly Tagged[], profile: PlatformProfile): PieceCost[] {
  if (tagged.length === 0) return [];
  const flat = profile.eco?.size;
  const pieces = tagged.map((t) => t.piece);
  if (flat === undefined || !pieces.some((p) => p.size.name === flat)) return rule(pieces, profile.billing);
  const ruled = pieces.filter((p) => p.size.name !== flat);
  const costs = ruled.length === 0 ? [] : rule(ruled, profile.billing);
  const ecoHours = pieces.reduce((h, p) => (p.size.name === flat ? h + p.hours : h), 0);
  let k = 0;
  return pieces.map((p) => {
    if (p.size.name !== flat) return costs[k++]!;
    return { freeHours: 0, billableHours: p.hours, usd: ecoHours > 0 ? (p.size.priceUsd * p.hours) / ecoHours : 0 };
  });
}

/** The profile's size of that name; throws a RangeError naming the known sizes if there is none. */
export function sizeOf(profile: PlatformProfile, name: string): DynoSize {
  const size = Object.hasOwn(profile.sizes, name) ? profile.sizes[name] : undefined;
  if (size === undefined) {
    const known = Object.keys(profile.sizes).join(', ');
    throw new RangeError(`unknown dyno size "${name}" for profile ${profile.name} (sizes: ${known})`);
  }
  return size;
}

/**
 * Billed hours of [startUs, endUs) per billing month index (month m is
 * [m·monthUs, (m+1)·monthUs)). The usage's round-up to the second is added to its last month.
 */
export function splitByMonth(startUs: number, endUs: number, billedS: number, monthUs: number): [number, number][] {
  const parts: [number, number][] = [];
  let t = startUs;
  let rawS = 0;
  while (t < endUs) {
    const month = monthIndex(t, monthUs);
    const segEndUs = Math.min(endUs, (month + 1) * monthUs);
    const s = (segEndUs - t) / US_PER_S;
    parts.push([month, s]);
    rawS += s;
    t = segEndUs;
  }
  const last = parts[parts.length - 1];
  last[1] = Math.max(0, last[1] + billedS - rawS);
  return parts.map(([m, s]) => [m, s / S_PER_H]);
}

/** The billing month that the instant `tUs` falls in (month m is [m·monthUs, (m+1)·monthUs)). */
export function monthIndex(tUs: number, monthUs: number): number {
  const month = Math.floor(tUs / monthUs);
  return (month + 1) * monthUs <= tUs ? month + 1 : month;
}

/** Code-unit order, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

function hours6(h: number): number {
  return Math.round(h * 1e6) / 1e6;
}
