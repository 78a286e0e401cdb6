/** Poisson arrivals at a constant rate: exponential gaps. */
import type { Uniform } from '../../engine/streams.ts';
import type { ArrivalProcess } from './ArrivalProcess.ts';

export function poissonArrivals(ratePerS: number, u: Uniform, startUs = 0): ArrivalProcess {
  const meanGapUs = 1e6 / ratePerS;
  let t = startUs;
  if (!(ratePerS > 0)) return { next: () => Infinity };
  return {
    next: () => (t += -meanGapUs * Math.log(1 - u())),
  };
}
