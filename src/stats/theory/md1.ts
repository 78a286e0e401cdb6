/**
 * M/D/1: Poisson arrivals, constant service time D, one server. The best case for a dyno
 * whose requests all cost the same: half the M/M/1 queue wait at equal load.
 *
 * Source: Pollaczek–Khinchine with Var[S] = 0 (see mg1.ts): Wq = ρ·D / (2(1 − ρ)).
 */

import { assertNonNegative, assertPositive } from './validate.ts';

/** Steady-state figures of an M/D/1 queue. Times in seconds. */
export interface Md1Result {
  /** Utilisation λ·D; may be ≥ 1 for an unstable queue. */
  readonly rho: number;
  /** Mean queue wait ρ·D/(2(1 − ρ)). Infinity when ρ ≥ 1. */
  readonly meanWaitS: number;
  /** Mean response time Wq + D. Infinity when ρ ≥ 1. */
  readonly meanResponseS: number;
  /** P(wait > 0) = ρ; capped at 1 when ρ ≥ 1. */
  readonly fractionQueued: number;
}

/**
 * M/D/1 steady state.
 * @param lambdaPerS arrival rate λ, requests per second (≥ 0)
 * @param serviceS the constant service time D, seconds (> 0)
 * @returns figures in seconds; Infinity for waits when ρ ≥ 1, never a negative number.
 */
export function md1(lambdaPerS: number, serviceS: number): Md1Result {
  assertNonNegative('lambdaPerS', lambdaPerS);
  assertPositive('serviceS', serviceS);
  const rho = lambdaPerS * serviceS;
  if (rho >= 1) return { rho, meanWaitS: Infinity, meanResponseS: Infinity, fractionQueued: 1 };
  const meanWaitS = (rho * serviceS) / (2 * (1 - rho));
  return { rho, meanWaitS, meanResponseS: meanWaitS + serviceS, fractionQueued: rho };
}
