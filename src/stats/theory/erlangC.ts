/**
 * Erlang C: the probability that an arrival to an M/M/c queue has to wait. The textbook
 * form a^c/c! · c/(c − a) / (Σ_{k<c} a^k/k! + …) overflows long before c = 1000, so we
 * go through the Erlang B recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), whose
 * terms stay in [0, 1], and then C = c·B / (c − a·(1 − B)).
 *
 * Source: Erlang (1917); the recursion and the B→C conversion are standard, e.g.
 * Kleinrock vol. 1 §3.5, or Harchol-Balter ch. 14.
 */

import { assertNonNegative, assertServerCount } from './validate.ts';

/**
 * Erlang B blocking probability for `servers` servers and offered load `offeredLoad`.
 * @param servers c, an integer ≥ 1
 * @param offeredLoad a = λ/μ in erlangs (≥ 0)
 */
export function erlangB(servers: number, offeredLoad: number): number {
  assertServerCount('servers', servers);
  assertNonNegative('offeredLoad', offeredLoad);
  let b = 1;
  for (let k = 1; k <= servers; k++) {
    b = (offeredLoad * b) / (k + offeredLoad * b);
  }
  return b;
}

/**
 * Converts Erlang B to Erlang C for the same c and a. Returns 1 when a ≥ c (an unstable
 * queue: every arrival eventually waits).
 */
export function erlangCFromB(servers: number, offeredLoad: number, blocking: number): number {
  if (offeredLoad >= servers) return 1;
  return (servers * blocking) / (servers - offeredLoad * (1 - blocking));
}

/**
 * Erlang C: P(wait > 0) in an M/M/c queue. Numerically stable for c into the thousands;
 * cost O(c).
 * @param servers c, an integer ≥ 1
 * @param offeredLoad a = λ/μ in erlangs (≥ 0)
 * @returns a probability in [0, 1]; exactly 1 when a ≥ c
 */
export function erlangC(servers: number, offeredLoad: number): number {
  return erlangCFromB(servers, offeredLoad, erlangB(servers, offeredLoad));
}
