/**
 * A log-linear histogram in the manner of HdrHistogram: constant memory however many
 * values it records, a fixed relative precision (2^-bits: 0.1% at 10 bits), and exact
 * count, sum, min and max. Values are non-negative numbers, never NaN (dynosim records microseconds).
 *
 * Written here rather than taken from a library for three reasons the simulator needs:
 * a record costs a few nanoseconds on the hot path (the bucket comes straight from the
 * float's exponent and mantissa bits); a recorded value can be taken back exactly
 * (`remove`, for outcomes a later platform event overturns); and two histograms of the
 * same precision merge losslessly, so sharded sweeps add up to the unsharded result.
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word
const MAX_EXP = 52;
const DIFFERENT_PRECISIONS = 'histogram: cannot merge different precisions';

/** The buckets of a histogram of `bits` precision: one below 1, 2^bits for each exponent up to 2^52, the last also holding what lies above. */
export function bucketCount(bits: number): number {
  return 1 + (MAX_EXP + 1) * (1 << bits);
}

/** A histogram as JSON (`toJSON`): exact, compact, and what outcomes and shard files carry. */
export interface HistogramJson {
  readonly bits: number;
  readonly count: number;
  readonly sum: number;
  /** null when it holds no value (JSON has no Infinity). */
  readonly min: number | null;
  readonly max: number | null;
  /** [bucket, count] of each non-empty bucket, in order. */
  readonly buckets: ReadonlyArray<readonly [number, number]>;
}

export class Histogram {
  readonly bits: number;
  readonly counts: Float64Array;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private readonly shift: number;
  private readonly mask: number;

  constructor(bits = 10) {
    if (!(bits >= 1 && bits <= 20)) throw new RangeError('histogram precision bits must be 1..20');
    this.bits = bits;
    this.shift = 20 - bits;
    this.mask = (1 << bits) - 1;
    this.counts = new Float64Array(bucketCount(bits));
  }

  /**
   * The lowest and highest bucket touched since the last reset, which keep scans and
   * resets short: the buckets of min and max (`index` never decreases with the value), so
   * that a record need not keep them. Nothing has been recorded since the last reset when
   * max is -Infinity (min is Infinity then too, but also when only Infinity was recorded).
   */
  private get lo(): number {
    return this.max === -Infinity ? this.counts.length : this.index(this.min);
  }
  private get hi(): number {
    return this.max === -Infinity ? -1 : this.index(this.max);
  }

  /** The bucket a value falls in. */
  index(value: number): number {
    if (!(value >= 1)) return 0;
    F64[0] = value;
    const hi = U32[HI]!;
    const e = (hi >>> 20) - 1023;
    if (e > MAX_EXP) return this.counts.length - 1;
    return 1 + (e << this.bits) + ((hi >>> this.shift) & this.mask);
  }

  /** The value a bucket stands for: its midpoint (0 for the bucket below 1). */
  valueAt(index: number): number {
    if (index === 0) return 0;
    const k = index - 1;
    const e = k >> this.bits;
    const m = k & this.mask;
    const size = 1 << this.bits;
    return Math.pow(2, e) * (1 + (m + 0.5) / size);
  }

  /**
   * The bucket of a histogram of `bits` precision (≤ this one's) that holds the values of
   * bucket `i` of this one: the coarser bucket's exponent and mantissa bits are the leading
   * bits of this one's, so a value's bucket at both precisions comes from one look at it.
   */
  coarser(i: number, bits: number): number {
    return i === 0 ? 0 : 1 + ((i - 1) >> (this.bits - bits));
  }

  record(value: number): void {
    this.recordAt(this.index(value), value);
  }

  /** `record(value)` when its bucket `i` (`index(value)`) is already known. */
  recordAt(i: number, value: number): void {
    this.counts[i]!++;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** Takes back one earlier `record(value)`. Min and max stay as they were (they bound what was seen). */
  remove(value: number): void {
    const i = this.index(value);
    if (this.counts[i]! <= 0) throw new Error('histogram: removing a value that was not recorded');
    this.counts[i]!--;
    this.count--;
    this.sum -= value;
  }

  mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /**
   * The value at quantile q (0..1): the smallest bucket whose cumulative count reaches
   * ceil(q × count), reported as its midpoint clamped to the exact min and max. Kept as
   * the plain walk, apart from `quantiles`: the tests hold the one to the other.
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count - 1e-9));
    let seen = 0;
    const hi = this.hi;
    for (let i = this.lo; i <= hi; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, this.valueAt(i)));
    }
    return this.max;
  }

  /**
   * Several quantiles in one walk; `qs` must be in increasing order. Same definition as
   * `quantile`.
   */
  quantiles(qs: readonly number[]): number[] {
    const n = qs.length;
    const out = qs.map(() => NaN);
    const count = this.count;
    if (count === 0 || n === 0) return out;
    const counts = this.counts;
    const max = this.max;
    const min = this.min;
    const hi = this.hi;
    let k = 0;
    let rank = Math.max(1, Math.ceil(qs[0]! * count - 1e-9));
    let seen = 0;
    for (let i = this.lo; i <= hi; i++) {
      const c = counts[i]!;
      if (c === 0) continue; // most buckets of a short window are empty: the sum and the test wait
      seen += c;
      while (seen >= rank) {
        out[k++] = Math.min(max, Math.max(min, this.valueAt(i)));
        if (k === n) return out;
        rank = Math.max(1, Math.ceil(qs[k]! * count - 1e-9));
      }
    }
    for (; k < n; k++) out[k] = max;
    return out;
  }

  /** Adds another histogram of the same precision into this one. */
  merge(other: Histogram): void {
    if (other.bits !== this.bits) throw new Error(DIFFERENT_PRECISIONS);
    const hi = other.hi;
    for (let i = other.lo; i <= hi; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  reset(): void {
    const hi = this.hi;
    if (hi >= 0) this.counts.fill(0, this.lo, hi + 1);
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  /**
   * Throws unless the buckets between min's and max's hold the count: every value is in
   * one. What crosses to a sweep's pooled percentiles or a shard file is checked, so that a
   * histogram that does not add up fails where it is made rather than misleads there.
   */
  check(): void {
    const hi = this.hi;
    let held = 0;
    for (let i = this.lo; i <= hi; i++) held += this.counts[i]!;
    if (held !== this.count) throw new Error(`histogram: its buckets ${this.lo}..${hi} hold ${held} values, its count is ${this.count} (min ${this.min}, max ${this.max})`);
  }

  /** A compact, exact, deterministic form: [bucket, count] pairs of the non-empty buckets. */
  toJSON(): HistogramJson {
    this.check();
    const buckets: Array<[number, number]> = [];
    const hi = this.hi;
    for (let i = this.lo; i <= hi; i++) if (this.counts[i]! !== 0) buckets.push([i, this.counts[i]!]);
    return {
      bits: this.bits,
      count: this.count,
      sum: this.sum,
      min: this.count === 0 ? null : this.min,
      max: this.count === 0 ? null : this.max,
      buckets,
    };
  }

  /** A histogram from its JSON form. */
  static fromJSON(j: HistogramJson): Histogram {
    return new Histogram(j.bits).add(j);
  }

  /**
   * Adds a histogram of the same precision, in its JSON form, into this one: what `merge`
   * does, bucket by listed bucket, without making the histogram first.
   */
  add(j: HistogramJson): this {
    if (j.bits !== this.bits) throw new Error(DIFFERENT_PRECISIONS);
    for (const [i, c] of j.buckets) this.counts[i]! += c;
    this.count += j.count;
    this.sum += j.sum;
    if (j.min !== null && j.min < this.min) this.min = j.min;
    if (j.max !== null && j.max > this.max) this.max = j.max;
    return this;
  }
}
