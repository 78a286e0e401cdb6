/** Each request to the next dyno in turn. */
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

class RoundRobinPolicy implements RouterPolicy {
  readonly name = 'round-robin';
  readonly sharedQueue = false;
  private next = 0;

  choose(load: DynoLoad): number {
    if (this.next >= load.routableCount) this.next = 0;
    return load.routable[this.next++]!;
  }
}

export function roundRobinPolicy(): RouterPolicy {
  return new RoundRobinPolicy();
}
