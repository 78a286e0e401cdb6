/** Heroku's router since 2010: each request to a dyno drawn uniformly at random. */
import type { Uniform } from '../../engine/streams.ts';
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

const BATCH = 256;

export function randomPolicy(u: Uniform): RouterPolicy {
  // Uniforms are drawn a batch at a time (the same sequence as one at a time).
  const buf = new Float64Array(BATCH);
  let pos = BATCH;
  return {
    name: 'random',
    sharedQueue: false,
    choose(load: DynoLoad): number {
      if (pos === BATCH) {
        for (let i = 0; i < BATCH; i++) buf[i] = u();
        pos = 0;
      }
      return load.routable[Math.floor(buf[pos++]! * load.routableCount)]!;
    },
  };
}
