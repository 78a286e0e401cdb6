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

/**
 * The stability bound of a worker process type (index k of the scenario's processes):
 * ceil(Σ λ·E[run] / concurrency) over the jobs its queue receives, from job sources and
 * from requests (at a constant rate, as above), below which jobs arrive faster than the
 * workers run them. 1 when a request-made job's rate is not known before running.
 */
export function workerStabilityBound(s: Scenario, k: number): number {
  const p = s.processes[k]!;
  if (p.queue < 0) return 1;
  let busy = 0;
  for (const j of s.jobSources) if (j.queue === p.queue) busy += (j.perS * j.run.meanUs) / 1e6;
  const rate = s.traffic.rate;
  for (const c of s.traffic.classes) {
    for (const j of c.jobs) {
      if (j.queue !== p.queue) continue;
      if (rate === null || rate.kind !== 'constant' || s.traffic.replay !== null) return 1;
      busy += (rate.perS * c.weight * j.probability * j.run.meanUs) / 1e6;
    }
  }
  return Math.max(1, Math.ceil(busy / p.concurrency - 1e-9));
}

/** A dyno's price for a whole billing month (2013's hourly prices times the month's hours), free hours aside. */
export function monthlyPricePerDyno(platform: PlatformProfile, size: DynoSize): number {
  return platform.billing.pricePer === 'month' ? size.priceUsd : (size.priceUsd * platform.billing.monthUs) / 3_600_000_000;
}

/**
 * What `count` web dynos (or dynos of `processType`) of `size` cost for a billing month under the platform's price book
 * (free hours and caps included): a floor under the monthly cost of any formation that
 * runs at least that many for the whole month, whatever its other process types cost.
 */
export function webMonthlyFloor(platform: PlatformProfile, size: DynoSize, count: number, processType = 'web'): number {
  if (count <= 0) return 0;
  const usages: DynoUsage[] = [];
  for (let i = 1; i <= count; i++) usages.push({ processType, dyno: `${processType}.${i}`, size: size.name, startUs: 0, endUs: platform.billing.monthUs });
  return bill(usages, platform, platform.billing.monthUs).monthlyUsd;
}
