/** Every request takes the same time: M/D/1 and friends. */
import type { ServiceDistribution } from './ServiceDistribution.ts';

export function constant(valueUs: number): ServiceDistribution {
  return {
    name: 'constant',
    meanUs: valueUs,
    varianceUs2: 0,
    // Still consumes one draw, so that switching distributions keeps the stream aligned.
    filler: (u) => (out) => {
      for (let i = 0; i < out.length; i++) {
        u();
        out[i] = valueUs;
      }
    },
  };
}
