/**
 * How far a log has got, for telling a late line from an early one: the median arrival of
 * the last CLOCK_SPAN requests read, never going back. A median, not the newest arrival,
 * so that a few lines hours out of place (a wrong clock, logs joined in the wrong order)
 * move it neither forward nor back; the house's rule for lines out of order is written
 * against it (ReplayReader, docs/scenario.md "Replaying your router logs").
 */

/** Requests the clock's median is taken over: a line out of place moves it only when more than half of the last ones are. */
export const CLOCK_SPAN = 31;
const MIDDLE = (CLOCK_SPAN - 1) / 2;

export class LogClock {
  /** The clock, µs in the log's time; −Infinity until CLOCK_SPAN requests have been read. */
  nowUs = -Infinity;

  /** The last CLOCK_SPAN arrivals in the order read (a ring), and the same sorted. */
  private readonly ring = new Float64Array(CLOCK_SPAN);
  private readonly sorted = new Float64Array(CLOCK_SPAN);
  private n = 0;
  private oldest = 0;

  /** Takes in a request's arrival. */
  add(arrivalUs: number): void {
    const s = this.sorted;
    let count = this.n;
    if (count < CLOCK_SPAN) {
      this.ring[count] = arrivalUs;
      this.n = ++count;
    } else {
      // Out goes the oldest arrival: the values above it move down one.
      const out = this.ring[this.oldest]!;
      this.ring[this.oldest] = arrivalUs;
      this.oldest = this.oldest === CLOCK_SPAN - 1 ? 0 : this.oldest + 1;
      let i = lowerBound(s, CLOCK_SPAN, out);
      for (; i < CLOCK_SPAN - 1; i++) s[i] = s[i + 1]!;
    }
    // In goes the new one, the values above it moving up one.
    let j = count - 1;
    for (; j > 0 && s[j - 1]! > arrivalUs; j--) s[j] = s[j - 1]!;
    s[j] = arrivalUs;
    if (count === CLOCK_SPAN) {
      const median = s[MIDDLE]!;
      if (median > this.nowUs) this.nowUs = median;
    }
  }
}

/** The first index in sorted `a[0, count)` whose value is not below `x`. */
function lowerBound(a: Float64Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
