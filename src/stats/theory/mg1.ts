/**
 * M/G/1: Poisson arrivals, any service-time distribution, one server, FIFO. Lets a dyno
 * with heavy-tailed (e.g. lognormal) service times be checked from its first two moments.
 *
 * Source: the Pollaczek–Khinchine mean-value formula, Wq = λ·E[S²] / (2(1 − ρ)), with
 * E[S²] = Var[S] + E[S]² (Kleinrock vol. 1 §5.6; Harchol-Balter ch. 23).
 */

import { assertNonNegative, assertPositive } from './validate.ts';

/** Steady-state figures of an M/G/1 queue. Times in seconds. */
export interface Mg1Result {
  /** Utilisation λ·E[S]; may be ≥ 1 for an unstable queue. */
  readonly rho: number;
  /** Mean queue wait λ·E[S²]/(2(1 − ρ)). Infinity when ρ ≥ 1. */
  readonly meanWaitS: number;
  /** Mean response time Wq + E[S]. Infinity when ρ ≥ 1. */
  readonly meanResponseS: number;
  /** P(wait > 0) = ρ; capped at 1 when ρ ≥ 1. */
  readonly fractionQueued: number;
}

/**
 * M/G/1 steady state by Pollaczek–Khinchine.
 * @param lambdaPerS arrival rate λ, requests per second (≥ 0)
 * @param meanServiceS E[S], seconds (> 0)
 * @param serviceVarianceS2 Var[S], seconds squared (≥ 0; 0 gives M/D/1, E[S]² gives M/M/1)
 * @returns figures in seconds; Infinity for waits when ρ ≥ 1, never a negative number.
 */
export function mg1(lambdaPerS: number, meanServiceS: number, serviceVarianceS2: number): Mg1Result {
  assertNonNegative('lambdaPerS', lambdaPerS);
  assertPositive('meanServiceS', meanServiceS);
  assertNonNegative('serviceVarianceS2', serviceVarianceS2);
  const rho = lambdaPerS * meanServiceS;
  if (rho >= 1) return { rho, meanWaitS: Infinity, meanResponseS: Infinity, fractionQueued: 1 };
  const secondMomentS2 = serviceVarianceS2 + meanServiceS * meanServiceS;
  const meanWaitS = (lambdaPerS * secondMomentS2) / (2 * (1 - rho));
  return { rho, meanWaitS, meanResponseS: meanWaitS + meanServiceS, fractionQueued: rho };
}
