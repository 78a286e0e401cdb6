/**
 * Moments of a lognormal distribution from the parameters of the underlying normal
 * (X = e^Y, Y ~ N(μ, σ²)), so lognormal service times can be fed to mg1(). Units follow
 * the variable: if X is in seconds, the mean is in seconds and the variance in s².
 *
 * Source: the moment generating function of the normal, E[X^k] = e^{kμ + k²σ²/2}.
 */

/** E[X] = e^{μ + σ²/2}. */
export function lognormalMean(mu: number, sigma: number): number {
  return Math.exp(mu + (sigma * sigma) / 2);
}

/** Var[X] = (e^{σ²} − 1)·e^{2μ + σ²}; expm1 keeps it accurate for small σ. */
export function lognormalVariance(mu: number, sigma: number): number {
  const s2 = sigma * sigma;
  return Math.expm1(s2) * Math.exp(2 * mu + s2);
}
