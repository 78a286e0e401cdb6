/**
 * Each request to the dyno holding the fewest requests. Ties go round the dynos in turn
 * (starting after the last winner), so no dyno is favoured by its number.
 */
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

class LeastConnectionsPolicy implements RouterPolicy {
  readonly name = 'least-connections';
  readonly sharedQueue = false;
  private offset = 0;

  choose(load: DynoLoad, nowUs: number): number {
    const n = load.routableCount;
    let best = -1;
    let bestLoad = Infinity;
    let bestPos = 0;
    for (let j = 0; j < n; j++) {
      const pos = (this.offset + j) % n;
      const d = load.routable[pos]!;
      const l = load.inSystem(d, nowUs);
      if (l < bestLoad) {
        best = d;
        bestLoad = l;
        bestPos = pos;
        if (l === 0) break;
      }
    }
    this.offset = bestPos + 1;
    return best;
  }
}

export function leastConnectionsPolicy(): RouterPolicy {
  return new LeastConnectionsPolicy();
}
