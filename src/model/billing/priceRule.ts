/**
 * A price rule turns one billing month of dyno time into money. There is one rule per
 * `BillingRules.pricePer` value (hourly.ts for 2013, monthly.ts since); `bill` splits the
 * run into billing months and calls the rule once per month.
 */
import type { BillingRules, DynoSize } from '../platform/profile.ts';

/** One usage's share of one billing month. */
export interface MonthPiece {
  readonly processType: string;
  readonly dyno: string;
  readonly size: DynoSize;
  /** Billed wall-clock hours in this month (already rounded up to the second per usage). */
  readonly hours: number;
}

/** What one piece costs. Arrays of these are parallel to the pieces given to the rule. */
export interface PieceCost {
  /** Free-allowance hours this piece used up (weighted: a 2013 2X hour uses 2). */
  readonly freeHours: number;
  /** Wall-clock hours of this piece not covered by the free allowance. */
  readonly billableHours: number;
  /** Unrounded US dollars. */
  readonly usd: number;
}

/** Prices the pieces of exactly one billing month; returns one cost per piece, same order. */
export type PriceRule = (pieces: readonly MonthPiece[], billing: BillingRules) => PieceCost[];
