/** Heroku's router since 2010: each request to a dyno drawn uniformly at random. */
import { drawInto, type Uniform } from '../../engine/streams.ts';
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

const BATCH = 256;

class RandomPolicy implements RouterPolicy {
  readonly name = 'random';
  readonly sharedQueue = false;
  private readonly u: Uniform;
  // Uniforms are drawn a batch at a time (the same sequence as one at a time).
  private readonly buf = new Float64Array(BATCH);
  private pos = BATCH;

  constructor(u: Uniform) {
    this.u = u;
  }

  choose(load: DynoLoad): number {
    if (this.pos === BATCH) {
      drawInto(this.u, this.buf);
      this.pos = 0;
    }
    return load.routable[Math.floor(this.buf[this.pos++]! * load.routableCount)]!;
  }
}

export function randomPolicy(u: Uniform): RouterPolicy {
  return new RandomPolicy(u);
}
