/**
 * Today's price book: each size has a price per dyno-month, prorated to the second, and a
 * dyno never pays more than that price in one billing month. The cap is per dyno name and
 * size (a dyno that is stopped and started again in the month is still one dyno). Free
 * hours, if a profile grants any, are taken off first (see freeAllowance.ts); the cap then
 * applies to what is left.
 */
import type { PriceRule } from './priceRule.ts';
import { freeAllowance } from './freeAllowance.ts';

/** Price rule for `pricePer: 'month'`. */
export const monthly: PriceRule = (pieces, billing) => {
  const monthHours = billing.monthUs / 3_600_000_000;
  const coverage = freeAllowance(pieces, billing.freeHoursPerMonth);
  // Billable hours per dyno, to cap each dyno at its monthly price.
  const dynoHours = new Map<string, number>();
  const keys = pieces.map((p) => `${p.processType}\u0000${p.dyno}\u0000${p.size.name}`);
  keys.forEach((k, i) => dynoHours.set(k, (dynoHours.get(k) ?? 0) + coverage[i].billableHours));
  return pieces.map((p, i) => {
    const total = dynoHours.get(keys[i]) ?? 0;
    const dynoUsd = p.size.priceUsd * Math.min(1, total / monthHours);
    // A capped dyno's price is shared among its pieces in proportion to their hours.
    const usd = total > 0 ? (dynoUsd * coverage[i].billableHours) / total : 0;
    return { freeHours: coverage[i].freeHours, billableHours: coverage[i].billableHours, usd };
  });
};
