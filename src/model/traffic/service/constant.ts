/** Every request takes the same time: M/D/1 and friends. */
import { drawInto, type Uniform } from '../../../engine/streams.ts';
import type { Filler, ServiceDistribution } from './ServiceDistribution.ts';

class ConstantFiller implements Filler {
  private readonly valueUs: number;
  private readonly u: Uniform;

  constructor(valueUs: number, u: Uniform) {
    this.valueUs = valueUs;
    this.u = u;
  }

  // Still consumes one draw, so that switching distributions keeps the stream aligned.
  fill(out: Float64Array): void {
    drawInto(this.u, out);
    out.fill(this.valueUs);
  }
}

export function constant(valueUs: number): ServiceDistribution {
  return {
    name: 'constant',
    meanUs: valueUs,
    varianceUs2: 0,
    filler: (u) => new ConstantFiller(valueUs, u),
  };
}
