/** Weibull service times: shape below 1 gives a heavy tail, above 1 a tighter one. */
import type { ServiceDistribution } from './ServiceDistribution.ts';
import { gamma } from './gamma.ts';

export function weibull(shape: number, scaleUs: number): ServiceDistribution {
  const g1 = gamma(1 + 1 / shape);
  const g2 = gamma(1 + 2 / shape);
  const inv = 1 / shape;
  return {
    name: 'weibull',
    meanUs: scaleUs * g1,
    varianceUs2: scaleUs * scaleUs * (g2 - g1 * g1),
    filler: (u) => (out) => {
      for (let i = 0; i < out.length; i++) out[i] = scaleUs * Math.pow(-Math.log(1 - u()), inv);
    },
  };
}
