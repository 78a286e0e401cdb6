/** The power of two choices: two distinct dynos drawn at random, the one holding fewer requests wins (the first on a tie). */
import type { Uniform } from '../../engine/streams.ts';
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

export function powerOfTwoPolicy(u: Uniform): RouterPolicy {
  return {
    name: 'power-of-two',
    sharedQueue: false,
    choose(load: DynoLoad, nowUs: number): number {
      const n = load.routableCount;
      const i = Math.floor(u() * n);
      if (n === 1) return load.routable[0]!;
      let j = Math.floor(u() * (n - 1));
      if (j >= i) j++;
      const a = load.routable[i]!;
      const b = load.routable[j]!;
      return load.inSystem(b, nowUs) < load.inSystem(a, nowUs) ? b : a;
    },
  };
}
