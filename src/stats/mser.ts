/**
 * MSER-5, the truncation heuristic for the initial transient of a simulation's output:
 * K. Preston White, Jr. (1997), "An effective truncation heuristic for bias reduction in
 * simulation output", Simulation 69(6), 323–334; White, Cobb & Spratt (2000), "A
 * comparison of five steady-state truncation heuristics for simulation", Proc. Winter
 * Simulation Conference, 755–760.
 *
 * The series is cut into k = ⌊n/5⌋ batches of 5 observations (the n mod 5 last ones are
 * left out) and their means Z_1..Z_k taken. Truncating the first d batches leaves k − d,
 * whose spread about their own mean, scaled by the square of their number,
 *
 *   MSER(d) = Σ_{j>d} (Z_j − Z̄(d))² / (k − d)²,
 *
 * is the half-width of a confidence interval about the mean squared: it falls while the
 * batches cut off are biased ones, and rises once they are steady ones (fewer batches
 * left, the same spread). The truncation is the d minimising it.
 *
 * The search runs over the first half of the batches, d = 0..⌊k/2⌋, as White's rule has
 * it. The statistic over the last few batches is mostly noise (over 2 batches it is
 * one squared difference, often near zero): a search over the whole series would find a
 * spurious minimum at its end in a third of steady runs of 24 batches. A minimum at the
 * very end of the first half (d = ⌊k/2⌋) means the statistic is still falling where the
 * search stops: the transient may outlast half the run, which is too short to tell. So is
 * a run of fewer than MIN_BATCHES batches.
 */

/** Observations per batch: the 5 of MSER-5. */
export const MSER_BATCH = 5;
/** Fewest batches MSER-5 is tried on: below, the second half holds too few to judge the first by. */
export const MIN_BATCHES = 10;

export type MserResult =
  | {
      readonly ok: true;
      /** Batches truncated. */
      readonly batches: number;
      /** Observations truncated: batches × 5. */
      readonly observations: number;
      /** Batches the series made (k). */
      readonly k: number;
      /** MSER(d) for d = 0..⌊k/2⌋. */
      readonly statistic: readonly number[];
    }
  | {
      readonly ok: false;
      /** Batches the series made (k). */
      readonly k: number;
      /** Why no truncation could be chosen, for a message. */
      readonly reason: 'too-few-batches' | 'minimum-at-half';
      readonly statistic: readonly number[];
    };

/**
 * MSER-5 over `series` (equally spaced observations, in order): the batches, and the
 * observations, to truncate. Ties go to the smallest d (a constant series truncates
 * nothing). Deterministic: plain sums in a fixed order.
 */
export function mser5(series: ArrayLike<number>, batch = MSER_BATCH): MserResult {
  const k = Math.floor(series.length / batch);
  if (k < MIN_BATCHES) return { ok: false, k, reason: 'too-few-batches', statistic: [] };
  const z = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < batch; i++) s += series[j * batch + i]!;
    z[j] = s / batch;
  }
  // Sums of the batch means from the end, about a reference (the mean of the second
  // half) so that a constant series gives exact zeros and a steady one little cancellation.
  const half = Math.floor(k / 2);
  let ref = 0;
  for (let j = half; j < k; j++) ref += z[j]!;
  ref /= k - half;
  const sum = new Float64Array(k + 1);
  const sq = new Float64Array(k + 1);
  for (let j = k - 1; j >= 0; j--) {
    const y = z[j]! - ref;
    sum[j] = sum[j + 1]! + y;
    sq[j] = sq[j + 1]! + y * y;
  }
  const statistic: number[] = [];
  let best = Infinity;
  let bestD = 0;
  for (let d = 0; d <= half; d++) {
    const n = k - d;
    const ss = Math.max(0, sq[d]! - (sum[d]! * sum[d]!) / n);
    const m = ss / (n * n);
    statistic.push(m);
    // A later d must do better by more than rounding to win.
    if (m < best * (1 - 1e-9)) {
      best = m;
      bestD = d;
    }
  }
  if (bestD === half) return { ok: false, k, reason: 'minimum-at-half', statistic };
  return { ok: true, batches: bestD, observations: bestD * batch, k, statistic };
}
