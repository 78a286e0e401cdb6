/** Each request to the next dyno in turn. */
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

export function roundRobinPolicy(): RouterPolicy {
  let next = 0;
  return {
    name: 'round-robin',
    sharedQueue: false,
    choose(load: DynoLoad): number {
      if (next >= load.routableCount) next = 0;
      return load.routable[next++]!;
    },
  };
}
