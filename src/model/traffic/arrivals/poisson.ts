/** Poisson arrivals at a constant rate: exponential gaps. */
import { logOneMinus } from '../../../engine/logOneMinus.ts';
import { drawInto, type Uniform } from '../../../engine/streams.ts';
import type { ArrivalProcess } from './ArrivalProcess.ts';

// A class rather than a closure: the running time lives in an object field, which the
// engine updates in place, where a closure variable holding a float would allocate on
// every arrival.
class PoissonArrivals implements ArrivalProcess {
  private tUs: number;
  private readonly meanGapUs: number;
  private readonly u: Uniform;

  constructor(ratePerS: number, u: Uniform, startUs: number) {
    this.meanGapUs = ratePerS > 0 ? 1e6 / ratePerS : Infinity;
    this.u = u;
    this.tUs = startUs;
  }

  next(): number {
    return (this.tUs += -this.meanGapUs * Math.log(1 - this.u.next()));
  }

  fill(out: Float64Array): void {
    const gap = this.meanGapUs;
    let t = this.tUs;
    drawInto(this.u, out);
    logOneMinus(out);
    for (let i = 0; i < out.length; i++) out[i] = t += -gap * out[i]!;
    this.tUs = t;
  }
}

export function poissonArrivals(ratePerS: number, u: Uniform, startUs = 0): ArrivalProcess {
  return new PoissonArrivals(ratePerS, u, startUs);
}
