/** The power of two choices: two distinct dynos drawn at random, the one holding fewer requests wins (the first on a tie). */
import type { Uniform } from '../../engine/streams.ts';
import type { RouterPolicy } from './RouterPolicy.ts';
import { powerOfDPolicy } from './powerOfD.ts';

export function powerOfTwoPolicy(u: Uniform): RouterPolicy {
  return powerOfDPolicy(u, 2, 'power-of-two');
}
