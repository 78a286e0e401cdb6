/**
 * Log-normal service times, the usual shape of web response times. Given by mean or
 * median (in microseconds) and by sigma or the 99th percentile.
 */
import type { Uniform } from '../../../engine/streams.ts';
import type { Filler, ServiceDistribution } from './ServiceDistribution.ts';

/** The standard normal's 99th percentile. */
export const Z99 = 2.3263478740408408;

/** mu and sigma of the underlying normal from what a scenario gives; an error message when they cannot be met. */
export function lognormalParams(p: { meanUs?: number; medianUs?: number; sigma?: number; p99Us?: number }):
  { mu: number; sigma: number } | string {
  if (p.medianUs !== undefined) {
    const mu = Math.log(p.medianUs);
    if (p.sigma !== undefined) return { mu, sigma: p.sigma };
    if (p.p99Us! <= p.medianUs) return 'p99 must be above the median';
    return { mu, sigma: (Math.log(p.p99Us!) - mu) / Z99 };
  }
  const lm = Math.log(p.meanUs!);
  if (p.sigma !== undefined) return { mu: lm - (p.sigma * p.sigma) / 2, sigma: p.sigma };
  // ln p99 - ln mean = z·s - s²/2: the smaller root, when there is one.
  const d = Math.log(p.p99Us!) - lm;
  if (d <= 0) return 'p99 must be above the mean';
  const disc = Z99 * Z99 - 2 * d;
  if (disc < 0) return `no log-normal has a p99 more than ${Math.exp((Z99 * Z99) / 2).toFixed(2)} times its mean`;
  const sigma = Z99 - Math.sqrt(disc);
  return { mu: lm - (sigma * sigma) / 2, sigma };
}

/** Box–Muller pairs; the second normal of a pair is carried across batches. */
class LognormalFiller implements Filler {
  private readonly mu: number;
  private readonly sigma: number;
  private readonly u: Uniform;
  private readonly spare = new Float64Array(1);
  private hasSpare = false;

  constructor(mu: number, sigma: number, u: Uniform) {
    this.mu = mu;
    this.sigma = sigma;
    this.u = u;
  }

  fill(out: Float64Array): void {
    const { mu, sigma, u } = this;
    let i = 0;
    if (this.hasSpare && out.length > 0) {
      out[i++] = Math.exp(mu + sigma * this.spare[0]!);
      this.hasSpare = false;
    }
    while (i < out.length) {
      const r = Math.sqrt(-2 * Math.log(1 - u.next()));
      const th = 2 * Math.PI * u.next();
      out[i++] = Math.exp(mu + sigma * r * Math.cos(th));
      const z = r * Math.sin(th);
      if (i < out.length) out[i++] = Math.exp(mu + sigma * z);
      else {
        this.spare[0] = z;
        this.hasSpare = true;
      }
    }
  }
}

export function lognormal(mu: number, sigma: number): ServiceDistribution {
  const s2 = sigma * sigma;
  return {
    name: 'lognormal',
    meanUs: Math.exp(mu + s2 / 2),
    varianceUs2: (Math.exp(s2) - 1) * Math.exp(2 * mu + s2),
    filler: (u) => new LognormalFiller(mu, sigma, u),
  };
}
