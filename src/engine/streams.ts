/**
 * Named random streams derived from one seed. Each part of a model draws from its own
 * stream ("arrivals", "service", "routing", ...), so that adding a dyno or changing the
 * router never shifts the draws of the traffic: two runs with one seed see the same
 * arrivals and service times (common random numbers).
 */
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). */
export interface Uniform {
  next(): number;
}

const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/**
 * Baagøe's Alea generator (2^32-resolution uniforms), seeded by seedrandom's Alea (the Mash
 * of the name) and stepped here to the same numbers, bit for bit (test/streams.test.ts).
 * Stepped in a class rather than through seedrandom's closure: a method is one function for
 * every stream of the process, where a closure per stream is a new call target in each run,
 * and V8 throws away the compiled code that called the last run's closures (a second run
 * in one process, a sweep's worker, ran 20-40% slower until the code compiled again).
 */
export class AleaStream implements Uniform {
  // Numbers from the start: a field declared bare holds undefined first, and V8 then keeps
  // it as a tagged value, boxing every float stored in it (an allocation per draw).
  private c = 0;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;

  constructor(seed: string) {
    const state = seedrandom.alea(seed, { state: true }).state() as { c: number; s0: number; s1: number; s2: number };
    this.c = state.c;
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
  }

  // The carry is Math.floor(t) where Alea writes t | 0: the same integer (0 <= t < 2091640),
  // but kept as a float it needs no conversion to integer and back on each draw, which was
  // most of the chain one draw waits on from the next.
  next(): number {
    const t = 2091639 * this.s0 + this.c * TWO_TO_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = Math.floor(t);
    return (this.s2 = t - this.c);
  }

  /**
   * The next `out.length` numbers into `out`, the same as as many `next()` calls. The state
   * stays in locals for the batch: stepped through the fields, each draw waited on the
   * stores and loads of the one before.
   *
   * Each step is `next()`'s, split so that no draw waits on the carry of the one before.
   * With t = 2091639·s0 + c·2^-32 (exact: s0 is a multiple of 2^-32 below 1, c an integer
   * below 2091639, t below 2^21), floor(t) = h + [r ≥ 1] and t − floor(t) = r − [r ≥ 1],
   * where h = floor(2091639·s0) and r = (2091639·s0 − h) + c·2^-32, all exact. The carry
   * r ≥ 1 comes about once in two thousand draws, so the branch is predicted and the next
   * draw starts on h without waiting: 2.45 → 1.47 ns a draw.
   */
  fill(out: Float64Array): void {
    let c = this.c;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    for (let i = 0; i < out.length; i++) {
      const m = 2091639 * s0;
      const h = Math.floor(m);
      let r = m - h + c * TWO_TO_MINUS_32;
      c = h;
      if (r >= 1) {
        r -= 1;
        c += 1;
      }
      s0 = s1;
      s1 = s2;
      out[i] = s2 = r;
    }
    this.c = c;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
  }
}

/** Fills `out` with the next numbers of `u`, in order: a batch at once from an AleaStream. */
export function drawInto(u: Uniform, out: Float64Array): void {
  if (u instanceof AleaStream) u.fill(out);
  else for (let i = 0; i < out.length; i++) out[i] = u.next();
}

/** Opens named streams of one seed; asking twice for a name gives two streams that draw the same numbers. */
export class Streams {
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
  }

  /** A fresh stream for `name` (Alea, 2^32-resolution uniforms). */
  stream(name: string): Uniform {
    return new AleaStream(`dynosim/${this.seed}/${name}`);
  }
}
