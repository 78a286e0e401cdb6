/**
 * Argument checks shared by the queueing formulas. The formulas are only meaningful for
 * finite non-negative rates and probabilities in [0, 1]; bad input is a programming error,
 * so it throws instead of returning NaN that would poison a report later.
 */

/** Throws a RangeError unless `value` is a finite number ≥ 0. */
export function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
}

/** Throws a RangeError unless `value` is a finite number > 0. */
export function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
  }
}

/** Throws a RangeError unless `value` is an integer ≥ 1. */
export function assertServerCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  }
}

/** Throws a RangeError unless `p` is a probability in [0, 1]. */
export function assertProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
  }
}
