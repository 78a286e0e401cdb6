/** Service times resampled from measured ones (a CSV column a user exported from their logs). */
import type { ServiceDistribution } from './ServiceDistribution.ts';

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
    filler: (u) => (out) => {
      for (let i = 0; i < out.length; i++) out[i] = samplesUs[Math.floor(u() * n)]!;
    },
  };
}
