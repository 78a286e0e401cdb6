/**
 * Capacity planning from M/M/c: the fewest servers (dynos behind an ideal central queue)
 * that meet a queue-wait target. The search walks c upward from the first stable value,
 * carrying the Erlang B recursion along, so the whole search costs O(answer).
 *
 * Source: Erlang C (erlangC.ts) and the M/M/c wait law P(Wq > t) = C·e^{−(cμ − λ)t} (mmc.ts).
 * Both the mean wait and every wait quantile fall as c grows, so the first c that meets the
 * target is the smallest.
 */

import { erlangCFromB } from './erlangC.ts';
import { assertNonNegative, assertPositive, assertProbability } from './validate.ts';

/**
 * Walks c = 1, 2, … and returns the first stable c for which `meets(c, C, θ)` holds,
 * where C is Erlang C and θ = cμ − λ (per second).
 */
function firstServersMeeting(
  lambdaPerS: number,
  muPerS: number,
  meets: (probWait: number, drainPerS: number) => boolean,
): number {
  const offeredLoad = lambdaPerS / muPerS;
  let blocking = 1; // Erlang B with 0 servers
  for (let servers = 1; ; servers++) {
    blocking = (offeredLoad * blocking) / (servers + offeredLoad * blocking);
    if (offeredLoad >= servers) continue;
    const probWait = erlangCFromB(servers, offeredLoad, blocking);
    if (meets(probWait, servers * muPerS - lambdaPerS)) return servers;
  }
}

/**
 * Smallest c such that an M/M/c queue has mean wait Wq ≤ `maxMeanWaitS`.
 * @param lambdaPerS arrival rate λ, requests per second (≥ 0)
 * @param muPerS per-server service rate μ, requests per second (> 0)
 * @param maxMeanWaitS target mean queue wait, seconds (> 0)
 * @returns an integer ≥ 1
 */
export function minServersForMeanWait(lambdaPerS: number, muPerS: number, maxMeanWaitS: number): number {
  assertNonNegative('lambdaPerS', lambdaPerS);
  assertPositive('muPerS', muPerS);
  assertPositive('maxMeanWaitS', maxMeanWaitS);
  return firstServersMeeting(lambdaPerS, muPerS, (probWait, drainPerS) => probWait / drainPerS <= maxMeanWaitS);
}

/**
 * Smallest c such that the p-quantile of the M/M/c queue wait is ≤ `maxWaitS`, i.e.
 * P(Wq > maxWaitS) = C·e^{−(cμ − λ)·maxWaitS} ≤ 1 − p.
 * @param lambdaPerS arrival rate λ, requests per second (≥ 0)
 * @param muPerS per-server service rate μ, requests per second (> 0)
 * @param p the quantile, in [0, 1) (e.g. 0.99)
 * @param maxWaitS target wait at that quantile, seconds (≥ 0; 0 means "at most 1 − p wait at all")
 * @returns an integer ≥ 1
 */
export function minServersForWaitQuantile(lambdaPerS: number, muPerS: number, p: number, maxWaitS: number): number {
  assertNonNegative('lambdaPerS', lambdaPerS);
  assertPositive('muPerS', muPerS);
  assertProbability('p', p);
  if (p === 1) throw new RangeError('p must be < 1: the 1-quantile of an M/M/c wait is unbounded');
  assertNonNegative('maxWaitS', maxWaitS);
  const tail = 1 - p;
  return firstServersMeeting(
    lambdaPerS,
    muPerS,
    (probWait, drainPerS) => probWait * Math.exp(-drainPerS * maxWaitS) <= tail,
  );
}
