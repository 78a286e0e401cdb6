/** Memoryless service times: the M/M/c textbook case. */
import { logOneMinus } from '../../../engine/logOneMinus.ts';
import { drawInto, type Uniform } from '../../../engine/streams.ts';
import type { Filler, ServiceDistribution } from './ServiceDistribution.ts';

class ExponentialFiller implements Filler {
  private readonly meanUs: number;
  private readonly u: Uniform;

  constructor(meanUs: number, u: Uniform) {
    this.meanUs = meanUs;
    this.u = u;
  }

  fill(out: Float64Array): void {
    const meanUs = this.meanUs;
    drawInto(this.u, out);
    logOneMinus(out);
    for (let i = 0; i < out.length; i++) out[i] = -meanUs * out[i]!;
  }
}

export function exponential(meanUs: number): ServiceDistribution {
  return {
    name: 'exponential',
    meanUs,
    varianceUs2: meanUs * meanUs,
    filler: (u) => new ExponentialFiller(meanUs, u),
  };
}
