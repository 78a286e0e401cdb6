/**
 * Samples (response or queue times) filed under the time they happen, in buckets of one
 * autoscaler tick, with running totals over a trailing window of buckets: what an
 * autoscaler reads when it asks "what was the p95 over the past hour?".
 *
 * Requests are settled in closed form when they are routed, so a sample is often filed
 * ahead of time (a response answered 2 s from now goes in the bucket of then); the
 * autoscaler only ever sees buckets that have closed. A sample taken back (the dyno died
 * before the request finished) is filed with weight −1.
 *
 * Values are binned 16 to an octave (a bin is 4.4% wide): a quantile is exact to ±2.2%,
 * finer than any autoscaler's thresholds, and a window costs 513 counts however many
 * requests it covers.
 */

const PER_OCTAVE = 16;
const BINS = 1 + PER_OCTAVE * 32; // up to 2^32 µs (71 min)

function binOf(valueUs: number): number {
  if (!(valueUs >= 1)) return 0;
  const b = 1 + Math.floor(Math.log2(valueUs) * PER_OCTAVE);
  return b < BINS ? b : BINS - 1;
}

/** The value a bin stands for: its geometric middle (0 for the bin below 1 µs). */
function valueOf(bin: number): number {
  return bin === 0 ? 0 : Math.pow(2, (bin - 1 + 0.5) / PER_OCTAVE);
}

export class TimeBins {
  readonly bucketUs: number;
  readonly windowBuckets: number;
  /** Buckets by index (time ÷ bucketUs): counts per bin, then the sum of values and the count. */
  private readonly buckets = new Map<number, Float64Array>();
  private readonly spare: Float64Array[] = [];
  /** Totals over buckets [closed − windowBuckets, closed). */
  private readonly acc = new Float64Array(BINS);
  private accSum = 0;
  private accCount = 0;
  /** Buckets below this index are closed (in the totals, or gone out of the window). */
  private closed = 0;

  constructor(bucketUs: number, windowUs: number) {
    this.bucketUs = bucketUs;
    this.windowBuckets = Math.max(1, Math.ceil(windowUs / bucketUs - 1e-9));
  }

  /** Files a sample of `valueUs` at `tUs` (weight −1 takes one back). */
  add(tUs: number, valueUs: number, weight: number): void {
    const k = Math.floor(tUs / this.bucketUs);
    if (k < this.closed - this.windowBuckets) return; // out of the window already
    const bin = binOf(valueUs);
    if (k < this.closed) {
      // Late for a closed bucket still in the window: into the totals too.
      this.acc[bin]! += weight;
      this.accSum += weight * valueUs;
      this.accCount += weight;
    }
    let b = this.buckets.get(k);
    if (b === undefined) {
      b = this.spare.pop() ?? new Float64Array(BINS + 2);
      this.buckets.set(k, b);
    }
    b[bin]! += weight;
    b[BINS]! += weight * valueUs;
    b[BINS + 1]! += weight;
  }

  /** Closes every bucket ending at or before `tUs`, bringing the window's totals up to then. */
  closeTo(tUs: number): void {
    const upTo = Math.floor(tUs / this.bucketUs + 1e-9);
    for (let k = this.closed; k < upTo; k++) {
      this.fold(k, 1);
      this.drop(k - this.windowBuckets);
    }
    if (upTo > this.closed) this.closed = upTo;
  }

  private fold(k: number, sign: number): void {
    const b = this.buckets.get(k);
    if (b === undefined) return;
    const acc = this.acc;
    for (let i = 0; i < BINS; i++) if (b[i] !== 0) acc[i]! += sign * b[i]!;
    this.accSum += sign * b[BINS]!;
    this.accCount += sign * b[BINS + 1]!;
  }

  private drop(k: number): void {
    const b = this.buckets.get(k);
    if (b === undefined) return;
    this.fold(k, -1);
    this.buckets.delete(k);
    b.fill(0);
    this.spare.push(b);
  }

  /** Samples in the window. */
  get count(): number {
    return Math.round(this.accCount);
  }

  /** Mean over the window (µs), or null when it holds no sample. */
  mean(): number | null {
    return this.count > 0 ? this.accSum / this.accCount : null;
  }

  /** Quantile q of the window (µs), or null when it holds no sample. */
  quantile(q: number): number | null {
    const n = this.count;
    if (n === 0) return null;
    const rank = Math.max(1, Math.ceil(q * n - 1e-9));
    let seen = 0;
    for (let i = 0; i < BINS; i++) {
      seen += this.acc[i]!;
      if (seen >= rank - 1e-9) return valueOf(i);
    }
    return valueOf(BINS - 1);
  }
}
