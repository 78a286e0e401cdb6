/**
 * Maximum-likelihood fits of the two service-time families a fitted scenario can use,
 * log-normal and Weibull, and what it takes to compare them on one sample: the
 * log-likelihood, AIC, and the Kolmogorov–Smirnov distance between the sample's
 * empirical CDF and each fitted CDF.
 *
 * Samples are positive numbers in any one unit; scales and medians come back in that
 * unit, and log-likelihoods are of densities in that unit (so they compare between
 * families on one sample, never between samples in different units).
 */

/** A log-normal fitted to a sample: ln x ~ Normal(mu, sigma). */
export interface LognormalFit {
  readonly family: 'lognormal';
  readonly mu: number;
  readonly sigma: number;
  readonly logLik: number;
  /** 2·(parameters) − 2·logLik. */
  readonly aic: number;
  /** Kolmogorov–Smirnov statistic D against the fitted CDF, in [0, 1]. */
  readonly ksD: number;
}

/** A Weibull fitted to a sample: F(x) = 1 − exp(−(x/scale)^shape). */
export interface WeibullFit {
  readonly family: 'weibull';
  readonly shape: number;
  readonly scale: number;
  readonly logLik: number;
  readonly aic: number;
  readonly ksD: number;
}

export type FamilyFit = LognormalFit | WeibullFit;

/** Both fits of one sample and the one with the higher log-likelihood (both have two parameters, so AIC agrees). */
export interface BestFit {
  readonly chosen: FamilyFit;
  readonly other: FamilyFit;
}

const LN_2PI = Math.log(2 * Math.PI);

function checkSample(xs: ArrayLike<number>): void {
  if (xs.length < 2) throw new RangeError(`a fit needs at least 2 values, got ${xs.length}`);
  for (let i = 0; i < xs.length; i++) {
    if (!(xs[i]! > 0) || !Number.isFinite(xs[i]!)) throw new RangeError(`a fit needs positive finite values, got ${xs[i]} at ${i}`);
  }
}

/** Mean and (MLE, divided by n) standard deviation of ln x. */
function logMoments(xs: ArrayLike<number>): { mean: number; sd: number; sum: number } {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.log(xs[i]!);
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.log(xs[i]!) - mean;
    ss += d * d;
  }
  return { mean, sd: Math.sqrt(ss / n), sum };
}

/** True when every value is the same: no continuous family fits, the sample is a constant. */
export function isDegenerate(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}

/** Log-likelihood of a log-normal with parameters mu, sigma over the sample. */
export function lognormalLogLik(xs: ArrayLike<number>, mu: number, sigma: number): number {
  let ll = 0;
  for (let i = 0; i < xs.length; i++) {
    const l = Math.log(xs[i]!);
    const z = (l - mu) / sigma;
    ll += -l - 0.5 * z * z;
  }
  return ll - xs.length * (Math.log(sigma) + 0.5 * LN_2PI);
}

/** Log-likelihood of a Weibull with parameters shape, scale over the sample. */
export function weibullLogLik(xs: ArrayLike<number>, shape: number, scale: number): number {
  let ll = 0;
  const lnScale = Math.log(scale);
  for (let i = 0; i < xs.length; i++) {
    const l = Math.log(xs[i]!) - lnScale;
    ll += (shape - 1) * l - Math.exp(shape * l);
  }
  return ll + xs.length * (Math.log(shape) - lnScale);
}

/**
 * Log-normal MLE: mu and sigma are the mean and the standard deviation (divided by n)
 * of ln x.
 * @throws RangeError for fewer than 2 values, a value not above 0, or all values equal.
 */
export function fitLognormal(xs: ArrayLike<number>): { mu: number; sigma: number; logLik: number } {
  checkSample(xs);
  const { mean, sd, sum } = logMoments(xs);
  if (!(sd > 0)) throw new RangeError('a fit needs values that are not all equal');
  const n = xs.length;
  // At the MLE the quadratic term sums to n/2.
  const logLik = -sum - n * (Math.log(sd) + 0.5 * LN_2PI) - n / 2;
  return { mu: mean, sigma: sd, logLik };
}

/**
 * Weibull MLE. The shape k solves
 *   g(k) = Σ x^k ln x / Σ x^k − 1/k − mean(ln x) = 0,
 * which rises strictly from −∞ to max ln x − mean ln x > 0, so it has one root; it is
 * found by Newton's method inside a bracket (falling back on bisection whenever a Newton
 * step would leave it). Then scale = (Σ x^k / n)^(1/k). The sums run over
 * x / max x, so x^k never overflows.
 * @throws RangeError for fewer than 2 values, a value not above 0, or all values equal.
 */
export function fitWeibull(xs: ArrayLike<number>): { shape: number; scale: number; logLik: number } {
  checkSample(xs);
  const n = xs.length;
  const ls = new Float64Array(n);
  let maxL = -Infinity;
  for (let i = 0; i < n; i++) {
    ls[i] = Math.log(xs[i]!);
    if (ls[i]! > maxL) maxL = ls[i]!;
  }
  let meanL = 0;
  for (let i = 0; i < n; i++) {
    ls[i]! -= maxL;
    meanL += ls[i]!;
  }
  meanL /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (ls[i]! - meanL) ** 2;
  const sdL = Math.sqrt(ss / n);
  if (!(sdL > 0)) throw new RangeError('a fit needs values that are not all equal');

  // g and g' at k; S0 = Σ y^k, S1 = Σ y^k ln y, S2 = Σ y^k (ln y)².
  const at = (k: number): { g: number; dg: number; s0: number } => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const l = ls[i]!;
      const w = Math.exp(k * l);
      s0 += w;
      s1 += w * l;
      s2 += w * l * l;
    }
    const a = s1 / s0;
    return { g: a - 1 / k - meanL, dg: s2 / s0 - a * a + 1 / (k * k), s0 };
  };

  // For a Weibull, sd(ln x) = π / (k √6): the moment estimate starts the search.
  let k = Math.PI / (Math.sqrt(6) * sdL);
  let lo = k;
  let hi = k;
  while (at(lo).g > 0) lo /= 2;
  while (at(hi).g < 0) hi *= 2;
  let s0 = 0;
  for (let iter = 0; iter < 200; iter++) {
    const e = at(k);
    s0 = e.s0;
    if (e.g === 0) break;
    if (e.g < 0) lo = k;
    else hi = k;
    let next = k - e.g / e.dg;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const done = Math.abs(next - k) <= 1e-12 * k || hi - lo <= 1e-12 * k;
    k = next;
    if (done) {
      s0 = at(k).s0;
      break;
    }
  }
  const scale = Math.exp(maxL + Math.log(s0 / n) / k);
  return { shape: k, scale, logLik: weibullLogLik(xs, k, scale) };
}

/**
 * The standard normal CDF, from the complementary error function (Numerical Recipes'
 * Chebyshev fit, relative error below 1.2e-7: far finer than any KS distance we report).
 */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

export function lognormalCdf(mu: number, sigma: number): (x: number) => number {
  return (x) => (x > 0 ? normalCdf((Math.log(x) - mu) / sigma) : 0);
}

export function weibullCdf(shape: number, scale: number): (x: number) => number {
  return (x) => (x > 0 ? -Math.expm1(-Math.pow(x / scale, shape)) : 0);
}

/**
 * Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of a sample sorted ascending
 * against a continuous CDF. Ties need no special case: the largest gap at a repeated
 * value is met at the first and the last of its copies.
 *
 * With `grain` > 0 the values are taken as rounded: each stands for the interval
 * [x − grain/2, x + grain/2), and the CDFs are compared at the ends of those intervals
 * only (the KS distance for grouped data). Without it, whole-millisecond log values of a
 * 12 ms route would show a gap of several percent at every millisecond, however good the fit.
 */
export function ksStatistic(sorted: ArrayLike<number>, cdf: (x: number) => number, grain = 0): number {
  const n = sorted.length;
  const h = grain / 2;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i]!;
    const above = (i + 1) / n - cdf(x + h);
    const below = cdf(x - h) - i / n;
    if (above > d) d = above;
    if (below > d) d = below;
  }
  return d;
}

/** A sorted copy of a sample. */
export function sortedCopy(xs: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(xs as ArrayLike<number>);
  out.sort();
  return out;
}

/**
 * Fits both families to a sample, with log-likelihood, AIC and KS D for each, and picks
 * the one of higher log-likelihood.
 * @param grain the rounding of the values, for KS D (see ksStatistic); 0 for exact values.
 * @throws RangeError as fitLognormal and fitWeibull do.
 */
export function fitBoth(xs: ArrayLike<number>, grain = 0): BestFit {
  const sorted = sortedCopy(xs);
  const ln = fitLognormal(sorted);
  const wb = fitWeibull(sorted);
  const lognormal: LognormalFit = {
    family: 'lognormal',
    mu: ln.mu,
    sigma: ln.sigma,
    logLik: ln.logLik,
    aic: 4 - 2 * ln.logLik,
    ksD: ksStatistic(sorted, lognormalCdf(ln.mu, ln.sigma), grain),
  };
  const weibull: WeibullFit = {
    family: 'weibull',
    shape: wb.shape,
    scale: wb.scale,
    logLik: wb.logLik,
    aic: 4 - 2 * wb.logLik,
    ksD: ksStatistic(sorted, weibullCdf(wb.shape, wb.scale), grain),
  };
  return lognormal.logLik >= weibull.logLik ? { chosen: lognormal, other: weibull } : { chosen: weibull, other: lognormal };
}
