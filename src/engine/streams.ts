/**
 * Named random streams derived from one seed. Each part of a model draws from its own
 * stream ("arrivals", "service", "routing", ...), so that adding a dyno or changing the
 * router never shifts the draws of the traffic: two runs with one seed see the same
 * arrivals and service times (common random numbers).
 */
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** Opens named streams of one seed; asking twice for a name gives two streams that draw the same numbers. */
export class Streams {
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
  }

  /** A fresh stream for `name` (alea, 2^32-resolution uniforms). */
  stream(name: string): Uniform {
    // alea's generator is itself a function of no arguments: handing it out directly
    // saves a call on every draw.
    return seedrandom.alea(`dynosim/${this.seed}/${name}`) as Uniform;
  }
}
