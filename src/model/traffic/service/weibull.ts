/** Weibull service times: shape below 1 gives a heavy tail, above 1 a tighter one. */
import { logOneMinus } from '../../../engine/logOneMinus.ts';
import { drawInto, type Uniform } from '../../../engine/streams.ts';
import type { Filler, ServiceDistribution } from './ServiceDistribution.ts';
import { gamma } from './gamma.ts';

class WeibullFiller implements Filler {
  private readonly inv: number;
  private readonly scaleUs: number;
  private readonly u: Uniform;

  constructor(inv: number, scaleUs: number, u: Uniform) {
    this.inv = inv;
    this.scaleUs = scaleUs;
    this.u = u;
  }

  fill(out: Float64Array): void {
    drawInto(this.u, out);
    logOneMinus(out);
    for (let i = 0; i < out.length; i++) out[i] = this.scaleUs * Math.pow(-out[i]!, this.inv);
  }
}

export function weibull(shape: number, scaleUs: number): ServiceDistribution {
  const g1 = gamma(1 + 1 / shape);
  const g2 = gamma(1 + 2 / shape);
  const inv = 1 / shape;
  return {
    name: 'weibull',
    meanUs: scaleUs * g1,
    varianceUs2: scaleUs * scaleUs * (g2 - g1 * g1),
    filler: (u) => new WeibullFiller(inv, scaleUs, u),
  };
}
