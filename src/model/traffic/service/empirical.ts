/** Service times resampled from measured ones (a CSV column a user exported from their logs). */
import { drawInto, type Uniform } from '../../../engine/streams.ts';
import type { Filler, ServiceDistribution } from './ServiceDistribution.ts';

class EmpiricalFiller implements Filler {
  private readonly samplesUs: Float64Array;
  private readonly u: Uniform;

  constructor(samplesUs: Float64Array, u: Uniform) {
    this.samplesUs = samplesUs;
    this.u = u;
  }

  fill(out: Float64Array): void {
    const n = this.samplesUs.length;
    drawInto(this.u, out);
    for (let i = 0; i < out.length; i++) out[i] = this.samplesUs[Math.floor(out[i]! * n)]!;
  }
}

export function empirical(samplesUs: Float64Array): ServiceDistribution {
  const n = samplesUs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += samplesUs[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (samplesUs[i]! - mean) ** 2;
  return {
    name: 'empirical',
    meanUs: mean,
    varianceUs2: ss / n,
    filler: (u) => new EmpiricalFiller(samplesUs, u),
  };
}
