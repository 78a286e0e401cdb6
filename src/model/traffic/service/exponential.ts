/** Memoryless service times: the M/M/c textbook case. */
import type { ServiceDistribution } from './ServiceDistribution.ts';

export function exponential(meanUs: number): ServiceDistribution {
  return {
    name: 'exponential',
    meanUs,
    varianceUs2: meanUs * meanUs,
    filler: (u) => (out) => {
      for (let i = 0; i < out.length; i++) out[i] = -meanUs * Math.log(1 - u());
    },
  };
}
