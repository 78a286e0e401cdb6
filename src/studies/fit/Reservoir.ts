/**
 * A uniform sample of bounded size from a stream of numbers (Vitter's algorithm R): the
 * first `capacity` values are kept, then the i-th value (1-based) replaces a random kept
 * one with probability capacity / i. Memory grows with what is kept, never past
 * `capacity` values, so a log of any length fits.
 */
import type { Uniform } from '../../engine/streams.ts';

export class Reservoir {
  readonly capacity: number;
  /** Values offered so far. */
  seen = 0;
  private values: Float64Array;
  private readonly u: Uniform;

  /** @param u the uniform stream deciding replacements; draws are taken only once the reservoir is full. */
  constructor(capacity: number, u: Uniform) {
    this.capacity = capacity;
    this.u = u;
    this.values = new Float64Array(Math.min(capacity, 64));
  }

  add(x: number): void {
    const i = this.seen++;
    if (i < this.capacity) {
      if (i === this.values.length) {
        const grown = new Float64Array(Math.min(this.capacity, this.values.length * 2));
        grown.set(this.values);
        this.values = grown;
      }
      this.values[i] = x;
      return;
    }
    const j = Math.floor(this.u.next() * (i + 1));
    if (j < this.capacity) this.values[j] = x;
  }

  /** Values kept: min(seen, capacity). */
  get size(): number {
    return Math.min(this.seen, this.capacity);
  }

  /** The kept values (a view: do not keep it across add()). */
  sample(): Float64Array {
    return this.values.subarray(0, this.size);
  }
}

/**
 * One uniform sample of the union of several reservoirs' streams, of at most `capacity`
 * values: each reservoir gives a share of the result in proportion to the values it has
 * seen (largest remainders), drawn without replacement from what it kept. A reservoir
 * never has to give more than it kept, since its share is at most min(seen, capacity).
 */
export function mergeReservoirs(parts: readonly Reservoir[], capacity: number, u: Uniform): Float64Array {
  const total = parts.reduce((s, r) => s + r.seen, 0);
  const m = Math.min(capacity, total);
  if (m === 0) return new Float64Array(0);
  const exact = parts.map((r) => (r.seen * m) / total);
  const take = exact.map(Math.floor);
  let left = m - take.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => i).sort((a, b) => exact[b]! - take[b]! - (exact[a]! - take[a]!) || a - b);
  for (const i of order) {
    if (left === 0) break;
    take[i]!++;
    left--;
  }
  const out = new Float64Array(m);
  let o = 0;
  parts.forEach((r, p) => {
    const kept = Float64Array.from(r.sample());
    const k = Math.min(take[p]!, kept.length);
    // Partial Fisher–Yates: the first k of a random permutation.
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(u.next() * (kept.length - i));
      const t = kept[i]!;
      kept[i] = kept[j]!;
      kept[j] = t;
      out[o++] = kept[i]!;
    }
  });
  return out.subarray(0, o);
}
