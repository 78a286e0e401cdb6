/**
 * Requests drawn from the scenario: arrivals from its rate (Poisson, or non-homogeneous
 * for an expression), each request's class by weight, and its service time from its
 * class's distribution. Every part draws from its own named stream, so two scenarios
 * that differ in their formation see the same requests.
 */
import type { Streams, Uniform } from '../../engine/streams.ts';
import type { RateSpec, RequestClass } from './spec.ts';
import type { ArrivalProcess } from './arrivals/ArrivalProcess.ts';
import { poissonArrivals } from './arrivals/poisson.ts';
import { varyingRateArrivals } from './arrivals/varyingRate.ts';
import type { RequestSource } from './RequestSource.ts';
import { Draws } from './service/Draws.ts';
import type { Filler } from './service/ServiceDistribution.ts';

export function arrivalsFor(rate: RateSpec, streams: Streams, endUs: number): ArrivalProcess {
  const u = streams.stream('arrivals');
  return rate.kind === 'constant' ? poissonArrivals(rate.perS, u) : varyingRateArrivals(rate.fn, rate.stepUs, u, endUs);
}

export class SyntheticSource implements RequestSource {
  private readonly arrivals: ArrivalProcess;
  /** The one class's filler, or each class's draws when there are several. */
  private readonly fillOne: Filler | null;
  private readonly draws: Draws[];
  /** Cumulative class weights, and a uniform stream choosing among them. */
  private readonly cumulative: Float64Array;
  private readonly pick: Uniform;

  constructor(rate: RateSpec, classes: readonly RequestClass[], streams: Streams, endUs: number) {
    this.arrivals = arrivalsFor(rate, streams, endUs);
    // One class keeps the plain "service" stream; several draw each from its own.
    const one = classes.length === 1;
    this.fillOne = one ? classes[0]!.service!.filler(streams.stream('service')) : null;
    this.draws = one ? [] : classes.map((c) => new Draws(c.service!.filler(streams.stream(`service/${c.name}`))));
    this.cumulative = new Float64Array(classes.length);
    let sum = 0;
    classes.forEach((c, i) => (this.cumulative[i] = sum += c.weight));
    this.pick = streams.stream('classes');
  }

  fill(arrivalUs: Float64Array, serviceUs: Float64Array, cls: Int32Array): void {
    this.arrivals.fill(arrivalUs);
    if (this.fillOne !== null) {
      this.fillOne.fill(serviceUs);
      cls.fill(0);
      return;
    }
    const cum = this.cumulative;
    const last = cum.length - 1;
    for (let i = 0; i < arrivalUs.length; i++) {
      const u = this.pick.next() * cum[last]!;
      let c = 0;
      while (c < last && u >= cum[c]!) c++;
      cls[i] = c;
      serviceUs[i] = this.draws[c]!.next();
    }
  }
}
