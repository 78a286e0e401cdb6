/**
 * Non-homogeneous Poisson arrivals for a rate that changes with time. The rate function
 * is sampled on a grid (`stepUs`, 1 s by default) and taken as linear between grid
 * points; arrivals are then drawn exactly for that piecewise-linear rate by inverting its
 * integral (the time-change method): one exponential draw per arrival, no rejections,
 * and the expected number of arrivals is the integral of the rate.
 */
import { logOneMinus } from '../../../engine/logOneMinus.ts';
import { drawInto, type Uniform } from '../../../engine/streams.ts';
import type { ArrivalProcess } from './ArrivalProcess.ts';

/** A rate in requests per second at a time in seconds. */
export type RateFunction = (tS: number) => number;

export function varyingRateArrivals(rate: RateFunction, stepUs: number, u: Uniform, endUs = Infinity): ArrivalProcess {
  const rateAt = (tUs: number): number => {
    const r = rate(tUs / 1e6);
    if (Number.isNaN(r)) throw new Error(`the traffic rate is not a number at t=${tUs / 1e6}s`);
    return r > 0 ? r / 1e6 : 0; // per microsecond; negative rates count as none
  };
  let seg = 0; // current grid segment
  let r0 = rateAt(0);
  let r1 = rateAt(stepUs);
  let s0 = 0; // offset of the last arrival inside the segment
  /** The next arrival, `need` (a unit-rate exponential draw) further along the rate's integral. */
  const arrival = (need: number): number => {
    for (;;) {
      const t0 = seg * stepUs;
      if (t0 >= endUs) return Infinity;
      const a = (r1 - r0) / (2 * stepUs);
      // Integral of the rate from s0 to the end of the segment.
      const rest = r0 * (stepUs - s0) + a * (stepUs * stepUs - s0 * s0);
      if (need <= rest) {
        // Solve a·s² + r0·s = a·s0² + r0·s0 + need for s in [s0, step].
        const c = a * s0 * s0 + r0 * s0 + need;
        const disc = Math.max(0, r0 * r0 + 4 * a * c);
        let s = (2 * c) / (r0 + Math.sqrt(disc));
        if (!(s >= s0)) s = s0;
        if (s > stepUs) s = stepUs;
        s0 = s;
        return t0 + s;
      }
      need -= rest;
      seg++;
      s0 = 0;
      r0 = r1;
      r1 = rateAt((seg + 1) * stepUs);
    }
  };
  return {
    // One uniform an arrival, as next() draws, the batch's logarithms taken at once.
    fill(out: Float64Array): void {
      drawInto(u, out);
      logOneMinus(out);
      for (let i = 0; i < out.length; i++) out[i] = arrival(-out[i]!);
    },
    next: () => arrival(-Math.log(1 - u.next())),
  };
}
