/**
 * M/M/1: Poisson arrivals, exponential service, one server, FIFO. The yardstick for one
 * Heroku dyno serving one request at a time behind random routing: the canonical benchmark
 * (λ = 8/s, μ = 10/s) must reproduce these numbers.
 *
 * Source: any queueing text (e.g. Kleinrock, *Queueing Systems* vol. 1, §3.2; Harchol-Balter,
 * *Performance Modeling and Design of Computer Systems*, ch. 13). Under FIFO the response
 * time is exponential with rate μ − λ, and the queue wait is 0 with probability 1 − ρ,
 * otherwise exponential with rate μ − λ.
 */

import { assertNonNegative, assertPositive, assertProbability } from './validate.ts';

/** Steady-state figures of an M/M/1 queue. Times in seconds. */
export interface Mm1Result {
  /** Utilisation λ/μ (dimensionless); may be ≥ 1 for an unstable queue. */
  readonly rho: number;
  /** Mean time in queue before service, Wq = ρ/(μ − λ). Infinity when ρ ≥ 1. */
  readonly meanWaitS: number;
  /** Mean time in system, W = 1/(μ − λ). Infinity when ρ ≥ 1. */
  readonly meanResponseS: number;
  /** P(wait > 0) = ρ (PASTA); capped at 1 when ρ ≥ 1. */
  readonly fractionQueued: number;
  /** p-quantile of the response time, −ln(1 − p)/(μ − λ). Infinity when ρ ≥ 1 or p = 1. */
  readonly responseQuantileS: (p: number) => number;
  /** p-quantile of the queue wait: 0 if p ≤ 1 − ρ, else ln(ρ/(1 − p))/(μ − λ). Infinity when ρ ≥ 1. */
  readonly waitQuantileS: (p: number) => number;
}

/**
 * M/M/1 steady state.
 * @param lambdaPerS arrival rate λ, requests per second (≥ 0)
 * @param muPerS service rate μ, requests per second (> 0); mean service time is 1/μ seconds
 * @returns figures in seconds; an unstable queue (ρ ≥ 1) yields Infinity for every wait,
 *   never a negative number.
 */
export function mm1(lambdaPerS: number, muPerS: number): Mm1Result {
  assertNonNegative('lambdaPerS', lambdaPerS);
  assertPositive('muPerS', muPerS);
  const rho = lambdaPerS / muPerS;
  if (rho >= 1) {
    const infinite = (p: number): number => {
      assertProbability('p', p);
      return Infinity;
    };
    return {
      rho,
      meanWaitS: Infinity,
      meanResponseS: Infinity,
      fractionQueued: 1,
      responseQuantileS: infinite,
      waitQuantileS: infinite,
    };
  }
  const drainPerS = muPerS - lambdaPerS;
  return {
    rho,
    meanWaitS: rho / drainPerS,
    meanResponseS: 1 / drainPerS,
    fractionQueued: rho,
    responseQuantileS(p: number): number {
      assertProbability('p', p);
      return -Math.log1p(-p) / drainPerS;
    },
    waitQuantileS(p: number): number {
      assertProbability('p', p);
      const tail = 1 - p;
      if (tail >= rho) return 0;
      return Math.log(rho / tail) / drainPerS;
    },
  };
}
