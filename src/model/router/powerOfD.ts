/**
 * The power of d choices (Mitzenmacher; Vvedenskaya, Dobrushin and Karpelevich, 1996): d
 * distinct dynos drawn at random, the one holding the fewest requests wins (the first
 * drawn on a tie). d = 2 is `power-of-two`; as d grows it approaches joining the shortest
 * queue, at d draws and d load reads per request.
 */
import type { Uniform } from '../../engine/streams.ts';
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';

class PowerOfDPolicy implements RouterPolicy {
  readonly name: string;
  readonly sharedQueue = false;
  private readonly u: Uniform;
  private readonly choices: number;
  /** The positions drawn so far, in increasing order: each new draw skips over them. */
  private readonly sorted: Int32Array;

  constructor(u: Uniform, choices: number, name: string) {
    this.u = u;
    this.choices = choices;
    this.name = name;
    this.sorted = new Int32Array(choices);
  }

  choose(load: DynoLoad, nowUs: number): number {
    const u = this.u;
    const sorted = this.sorted;
    const n = load.routableCount;
    let pos = Math.floor(u.next() * n);
    if (n === 1) return load.routable[0]!;
    let best = load.routable[pos]!;
    let bestLoad = -1;
    sorted[0] = pos;
    const d = this.choices < n ? this.choices : n;
    for (let k = 1; k < d; k++) {
      // A uniform draw among the n − k positions not drawn yet.
      pos = Math.floor(u.next() * (n - k));
      let i = 0;
      while (i < k && sorted[i]! <= pos) {
        pos++;
        i++;
      }
      sorted.copyWithin(i + 1, i, k);
      sorted[i] = pos;
      const dyno = load.routable[pos]!;
      const l = load.inSystem(dyno, nowUs);
      if (bestLoad < 0) bestLoad = load.inSystem(best, nowUs);
      if (l < bestLoad) {
        best = dyno;
        bestLoad = l;
      }
    }
    return best;
  }
}

export function powerOfDPolicy(u: Uniform, choices: number, name = 'power-of-d'): RouterPolicy {
  if (!Number.isInteger(choices) || choices < 2) throw new Error(`power of d choices needs d ≥ 2, got ${choices}`);
  return new PowerOfDPolicy(u, choices, name);
}
