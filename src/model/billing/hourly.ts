/**
 * The 2013 price book: each size has a price per dyno-hour. Hours left after the month's
 * free allowance (see freeAllowance.ts) are charged at their own size's hourly price, so
 * two 1X dynos for a 720 h month cost (1440 − 750) h × $0.05 = $34.50.
 */
import type { PriceRule } from './priceRule.ts';
import { freeAllowance } from './freeAllowance.ts';

/** Price rule for `pricePer: 'hour'`. */
export const hourly: PriceRule = (pieces, billing) =>
  freeAllowance(pieces, billing.freeHoursPerMonth).map((c, i) => ({
    freeHours: c.freeHours,
    billableHours: c.billableHours,
    usd: c.billableHours * pieces[i].size.priceUsd,
  }));
