/**
 * M/M/c: Poisson arrivals, exponential service, c servers sharing one FIFO queue. This is
 * the ideal a router could reach by holding requests centrally until a dyno is free: the
 * lower bound that random routing (c independent M/M/1 queues) is compared against.
 *
 * Source: Kleinrock vol. 1 §3.5; Harchol-Balter ch. 14. With θ = cμ − λ, the queue wait is
 * 0 with probability 1 − C and otherwise exponential with rate θ: P(Wq > t) = C·e^{−θt}.
 * The response time R = Wq + S (S ~ Exp(μ), independent) has the tail
 *   P(R > t) = e^{−μt} + C·μ·(e^{−μt} − e^{−θt})/(θ − μ)   (limit e^{−μt}(1 + Cμt) at θ = μ),
 * obtained by convolving the two; its quantiles are found by bisection.
 */

import { erlangC } from './erlangC.ts';
import { assertNonNegative, assertPositive, assertProbability, assertServerCount } from './validate.ts';

/** Steady-state figures of an M/M/c queue. Times in seconds. */
export interface MmcResult {
  /** Per-server utilisation λ/(cμ); may be ≥ 1 for an unstable queue. */
  readonly rho: number;
  /** Erlang C, P(wait > 0); 1 when ρ ≥ 1. */
  readonly probWait: number;
  /** Mean queue wait Wq = C/(cμ − λ). Infinity when ρ ≥ 1. */
  readonly meanWaitS: number;
  /** Mean response time W = Wq + 1/μ. Infinity when ρ ≥ 1. */
  readonly meanResponseS: number;
  /** p-quantile of the queue wait: 0 if 1 − p ≥ C, else ln(C/(1 − p))/(cμ − λ). Infinity when ρ ≥ 1. */
  readonly waitQuantileS: (p: number) => number;
  /** p-quantile of the response time (numerical inversion, relative error ~1e-12). Infinity when ρ ≥ 1. */
  readonly responseQuantileS: (p: number) => number;
}

/**
 * Tail of the M/M/c response time, P(R > t), written so that neither cancellation near
 * θ = μ nor overflow for θ < μ can occur.
 */
export function mmcResponseTail(probWait: number, muPerS: number, drainPerS: number, tS: number): number {
  const delta = drainPerS - muPerS;
  let h: number; // (e^{−μt} − e^{−θt}) / (θ − μ) ≥ 0
  if (delta === 0) h = tS * Math.exp(-muPerS * tS);
  else if (delta > 0) h = (Math.exp(-muPerS * tS) * -Math.expm1(-delta * tS)) / delta;
  else h = (Math.exp(-drainPerS * tS) * Math.expm1(delta * tS)) / delta;
  return Math.exp(-muPerS * tS) + probWait * muPerS * h;
}

/**
 * M/M/c steady state.
 * @param lambdaPerS arrival rate λ, requests per second (≥ 0)
 * @param muPerS per-server service rate μ, requests per second (> 0)
 * @param servers c, an integer ≥ 1
 * @returns figures in seconds; an unstable queue (λ ≥ cμ) yields Infinity for every wait,
 *   never a negative number.
 */
export function mmc(lambdaPerS: number, muPerS: number, servers: number): MmcResult {
  assertNonNegative('lambdaPerS', lambdaPerS);
  assertPositive('muPerS', muPerS);
  assertServerCount('servers', servers);
  const rho = lambdaPerS / (servers * muPerS);
  if (rho >= 1) {
    const infinite = (p: number): number => {
      assertProbability('p', p);
      return Infinity;
    };
    return {
      rho,
      probWait: 1,
      meanWaitS: Infinity,
      meanResponseS: Infinity,
      waitQuantileS: infinite,
      responseQuantileS: infinite,
    };
  }
  const probWait = erlangC(servers, lambdaPerS / muPerS);
  const drainPerS = servers * muPerS - lambdaPerS;
  const meanWaitS = probWait / drainPerS;
  const meanResponseS = meanWaitS + 1 / muPerS;
  return {
    rho,
    probWait,
    meanWaitS,
    meanResponseS,
    waitQuantileS(p: number): number {
      assertProbability('p', p);
      const tail = 1 - p;
      if (tail >= probWait) return 0;
      return Math.log(probWait / tail) / drainPerS;
    },
    responseQuantileS(p: number): number {
      assertProbability('p', p);
      if (p === 0) return 0;
      if (p === 1) return Infinity;
      const tail = 1 - p;
      const tailAt = (tS: number): number => mmcResponseTail(probWait, muPerS, drainPerS, tS);
      let lo = 0;
      let hi = meanResponseS;
      while (tailAt(hi) > tail) {
        lo = hi;
        hi *= 2;
      }
      for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
        const mid = (lo + hi) / 2;
        if (tailAt(mid) > tail) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    },
  };
}
