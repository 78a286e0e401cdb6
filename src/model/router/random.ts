/** Heroku's router since 2010: each request to a dyno drawn uniformly at random. */
import { drawInto, type Uniform } from '../../engine/streams.ts';
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

const BATCH = 256;

class RandomPolicy implements RouterPolicy {
  readonly name = 'random';
  readonly sharedQueue = false;
  private readonly u: Uniform;
  // Uniforms are drawn a batch at a time (the same sequence as one at a time), and each
  // one's place among the routable dynos, floor(u × count), is worked out for the whole
  // batch at once. A request then reads its place instead of waiting on a multiply, a
  // rounding and a conversion to an integer before it can look at its dyno: that chain
  // was the longest wait on the request path. The places hold for `count` routable dynos;
  // when the count has changed (a dyno started or stopped routing), the rest of the batch
  // is placed again, so every pick is floor(u × the count at the time), as before.
  private readonly buf = new Float64Array(BATCH);
  private readonly places = new Int32Array(BATCH);
  private count = -1;
  private pos = BATCH;

  constructor(u: Uniform) {
    this.u = u;
  }

  choose(load: DynoLoad): number {
    const n = load.routableCount;
    if (this.pos === BATCH) {
      drawInto(this.u, this.buf);
      this.pos = 0;
      this.place(n);
    } else if (n !== this.count) {
      this.place(n);
    }
    return load.routable[this.places[this.pos++]!]!;
  }

  /** The places of the batch's undrawn uniforms among `n` routable dynos. */
  private place(n: number): void {
    this.count = n;
    const buf = this.buf;
    const places = this.places;
    for (let i = this.pos; i < BATCH; i++) places[i] = Math.floor(buf[i]! * n);
  }
}

export function randomPolicy(u: Uniform): RouterPolicy {
  return new RandomPolicy(u);
}
