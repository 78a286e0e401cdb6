/**
 * What a plan knows about a combination before running it: the fewest web dynos that can
 * keep up with the traffic at all (where the search starts), and the least a month of a
 * given number of them costs (what lets the search skip combinations that cannot beat
 * the cheapest answer found so far).
 */
import { bill, type DynoUsage } from '../../model/billing/bill.ts';
import type { DynoSize, PlatformProfile } from '../../model/platform/profile.ts';
import type { Scenario } from '../../model/Scenario.ts';

/**
 * The stability bound of a constant-rate scenario: ceil(λ·E[S] / concurrency) web dynos,
 * below which requests arrive faster than the dynos can serve them and the queue grows
 * without end. 1 when the rate varies over the run or the traffic is replayed, where no
 * such bound is known before running.
 */
export function stabilityBound(s: Scenario): number {
  const rate = s.traffic.rate;
  if (rate === null || rate.kind !== 'constant' || s.traffic.replay !== null) return 1;
  let meanServiceUs = 0;
  for (const c of s.traffic.classes) {
    if (c.service === null) return 1;
    meanServiceUs += c.weight * c.service.meanUs;
  }
  const busy = (rate.perS * meanServiceUs) / 1e6 / s.web.concurrency;
  // The slack keeps float noise (3.0000000001) from asking one dyno too many.
  return Math.max(1, Math.ceil(busy - 1e-9));
}

/** A dyno's price for a whole billing month (2013's hourly prices times the month's hours), free hours aside. */
export function monthlyPricePerDyno(platform: PlatformProfile, size: DynoSize): number {
  return platform.billing.pricePer === 'month' ? size.priceUsd : (size.priceUsd * platform.billing.monthUs) / 3_600_000_000;
}

/**
 * What `count` web dynos of `size` cost for a billing month under the platform's price book
 * (free hours and caps included): a floor under the monthly cost of any formation that
 * runs at least that many for the whole month, whatever its other process types cost.
 */
export function webMonthlyFloor(platform: PlatformProfile, size: DynoSize, count: number): number {
  if (count <= 0) return 0;
  const usages: DynoUsage[] = [];
  for (let i = 1; i <= count; i++) usages.push({ processType: 'web', dyno: `web.${i}`, size: size.name, startUs: 0, endUs: platform.billing.monthUs });
  return bill(usages, platform, platform.billing.monthUs).monthlyUsd;
}
