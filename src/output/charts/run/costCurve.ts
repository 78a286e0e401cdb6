/**
 * The bill as it builds up over a billing month: the price book's own `bill` applied to the
 * dynos' usages cut off at each point in time, so the curve ends exactly at the run's bill.
 * A run shorter than a month is repeated to fill it (the month "if every stretch were like
 * this one"), drawn as a projection; the dyno names repeat too, so monthly caps and the free
 * allowance apply as they would.
 */
import { bill, type DynoUsage } from '../../../model/billing/bill.ts';
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
  const all: DynoUsage[] = [];
  if (runUs > 0) {
    for (let offset = 0; offset < spanUs; offset += runUs) {
      for (const u of usages) {
        if (u.startUs + offset >= spanUs) continue;
        all.push({ ...u, startUs: u.startUs + offset, endUs: Math.min(spanUs, u.endUs + offset) });
      }
    }
  }
  const times = new Set<number>([runUs]);
  for (let k = 1; k <= steps; k++) times.add(Math.round((spanUs * k) / steps));
  const weight = (u: DynoUsage): number => profile.sizes[u.size]?.freeHoursWeight ?? 0;
  const weightedAt = (tUs: number): number => {
    let h = 0;
    for (const u of all) if (u.startUs < tUs) h += ((Math.min(u.endUs, tUs) - u.startUs) / 3.6e9) * weight(u);
    return h;
  };
  const points: CostPoint[] = [{ tS: 0, usd: 0, weightedHours: 0, simulated: true }];
  for (const tUs of [...times].sort((a, b) => a - b)) {
    if (tUs <= 0) continue;
    const cut = all.filter((u) => u.startUs < tUs).map((u) => (u.endUs <= tUs ? u : { ...u, endUs: tUs }));
    points.push({ tS: tUs / 1e6, usd: bill(cut, profile, tUs).totalUsd, weightedHours: round3(weightedAt(tUs)), simulated: tUs <= runUs });
  }
  const free = profile.billing.freeHoursPerMonth;
  let freeRunOutS: number | null = null;
  if (free > 0 && weightedAt(Math.min(spanUs, monthUs)) > free) {
    let lo = 0;
    let hi = Math.min(spanUs, monthUs);
    while (hi - lo > 1e6) {
      const mid = (lo + hi) / 2;
      if (weightedAt(mid) > free) hi = mid;
      else lo = mid;
    }
    freeRunOutS = Math.round(hi / 1e6);
  }
  return { points, freeHours: free, freeRunOutS, spanS: spanUs / 1e6 };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
