/** Heroku's router since 2010: each request to a dyno drawn uniformly at random. */
import type { Uniform } from '../engine/streams.ts';
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

export function randomPolicy(u: Uniform): RouterPolicy {
  return {
    name: 'random',
    sharedQueue: false,
    choose: (load: DynoLoad) => load.routable[Math.floor(u() * load.routableCount)]!,
  };
}
