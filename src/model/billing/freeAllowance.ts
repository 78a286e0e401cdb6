/**
 * The free dyno-hour allowance of one billing month. A size of weight w uses w free hours
 * per wall-clock hour (2013: 1X 1, 2X 2, PX 16). When the month's weighted hours exceed
 * the allowance, it is spread over all pieces in proportion to their weighted hours, so
 * every hour of weight > 0 has the same covered fraction; sizes of weight 0 get none.
 */
import type { MonthPiece } from './priceRule.ts';

/** Free and billable hours of one piece. */
export interface Coverage {
  /** Free-allowance hours used up (weighted). */
  readonly freeHours: number;
  /** Wall-clock hours left to pay for. */
  readonly billableHours: number;
}

/** Splits each piece of one month into free and billable hours; same order as `pieces`. */
export function freeAllowance(pieces: readonly MonthPiece[], freeHoursPerMonth: number): Coverage[] {
  let weightedHours = 0;
  for (const p of pieces) weightedHours += p.hours * p.size.freeHoursWeight;
  const allowance = Math.max(0, freeHoursPerMonth);
  // Fraction of every weighted hour that the allowance covers (1 while it lasts).
  const covered = weightedHours > 0 ? Math.min(allowance, weightedHours) / weightedHours : 0;
  return pieces.map((p) => {
    if (p.size.freeHoursWeight <= 0) return { freeHours: 0, billableHours: p.hours };
    const coveredHours = p.hours * covered;
    return {
      freeHours: coveredHours * p.size.freeHoursWeight,
      billableHours: Math.max(0, p.hours - coveredHours),
    };
  });
}
