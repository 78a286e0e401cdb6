/**
 * Many FIFO rings of numbers, one per dyno (block), in one buffer: what `FloatRing` is for
 * one queue, for thousands. Each ring is a power-of-two slice of the shared buffer; its
 * offset, mask, head and length sit side by side in one Int32Array, so a push reads one
 * small record and writes one slot. A ring object per dyno made a push follow three
 * pointers (the ring, its typed array, the array's store) to three cold places: at 5 000
 * dynos, one request in two missed the cache on each of them.
 *
 * A full ring grows by moving to a slice twice its size at the end of the buffer; when the
 * buffer has no room left, every ring is laid out afresh in a new buffer of twice the
 * rings' capacity (their slices' sizes summed), so the buffer stays within twice that.
 */

/** Fields of a ring's record in `meta`. */
const OFFSET = 0;
const MASK = 1;
const HEAD = 2;
const LENGTH = 3;
const FIELDS = 4;

export class RingSet {
  /** Rings in the set. */
  size = 0;
  private buf: Float64Array;
  private meta: Int32Array;
  /**
   * Each ring's oldest value (Infinity when empty), side by side: whether a ring has
   * anything to drop is one look here, and the H11 sweep over thousands of rings (see
   * `lower`) passes over those with nothing to drop at a load each.
   */
  private heads: Float64Array;
  private readonly capacity: number;
  /** The end of the slices handed out, and the slots the rings have (their capacities summed). */
  private top = 0;
  private slots = 0;
  /** Where the last `lower` stopped: the next ring it brings up to date. */
  private next = 0;

  /** `rings` rings of `capacity` values each to start with (rounded up to a power of two). */
  constructor(rings: number, capacity = 16) {
    let cap = 1;
    while (cap < capacity) cap <<= 1;
    this.capacity = cap;
    this.buf = new Float64Array(rings * cap);
    this.meta = new Int32Array(rings * FIELDS);
    this.heads = new Float64Array(rings);
    this.add(rings);
  }

  /** Makes `n` more rings, empty. */
  add(n: number): void {
    const cap = this.capacity;
    if (this.meta.length < (this.size + n) * FIELDS) {
      const meta = new Int32Array(Math.max(2 * this.meta.length, (this.size + n) * FIELDS));
      meta.set(this.meta);
      this.meta = meta;
      const heads = new Float64Array(meta.length / FIELDS);
      heads.set(this.heads);
      this.heads = heads;
    }
    // Room for them all at once: exactly, for the first rings; else twice what the rings will have.
    if (this.top + n * cap > this.buf.length) this.relayout(this.size === 0 ? n * cap : 2 * (this.slots + n * cap), -1, 0);
    for (let k = 0; k < n; k++) {
      const o = this.size * FIELDS;
      this.meta[o + OFFSET] = this.top;
      this.meta[o + MASK] = cap - 1;
      this.meta[o + HEAD] = 0;
      this.meta[o + LENGTH] = 0;
      this.heads[this.size] = Infinity;
      this.size++;
      this.slots += cap;
      this.top += cap;
    }
  }

  length(r: number): number {
    return this.meta[r * FIELDS + LENGTH]!;
  }

  /** Whether the next push to ring `r` must grow it. */
  full(r: number): boolean {
    const o = r * FIELDS;
    return this.meta[o + LENGTH]! > this.meta[o + MASK]!;
  }

  push(r: number, v: number): void {
    this.pushDropping(r, v, -Infinity);
  }

  /**
   * Pushes `v` to ring `r`, having first dropped its values up to `limit` if it was full
   * (its values non-decreasing); returns how many it dropped. A queue whose started
   * requests are dropped only when it fills: one look at the ring's record does both.
   */
  pushDropping(r: number, v: number, limit: number): number {
    const m = this.meta;
    const o = r * FIELDS;
    let len = m[o + LENGTH]!;
    let dropped = 0;
    if (len > m[o + MASK]!) {
      dropped = this.dropThrough(r, limit);
      len -= dropped;
      if (len > m[o + MASK]!) this.grow(r);
    }
    this.buf[m[o + OFFSET]! + ((m[o + HEAD]! + len) & m[o + MASK]!)] = v;
    m[o + LENGTH] = len + 1;
    if (len === 0) this.heads[r] = v;
    return dropped;
  }

  /** Inserts `v` in order into ring `r`, kept sorted (non-decreasing): after the values not above it. */
  pushSorted(r: number, v: number): void {
    const m = this.meta;
    const o = r * FIELDS;
    if (m[o + LENGTH]! > m[o + MASK]!) this.grow(r);
    const buf = this.buf;
    const off = m[o + OFFSET]!;
    const head = m[o + HEAD]!;
    const mask = m[o + MASK]!;
    let i = m[o + LENGTH]!;
    while (i > 0 && buf[off + ((head + i - 1) & mask)]! > v) {
      buf[off + ((head + i) & mask)] = buf[off + ((head + i - 1) & mask)]!;
      i--;
    }
    buf[off + ((head + i) & mask)] = v;
    m[o + LENGTH]!++;
    if (i === 0) this.heads[r] = v;
  }

  /** Ring `r`'s i-th oldest value. */
  at(r: number, i: number): number {
    const m = this.meta;
    const o = r * FIELDS;
    return this.buf[m[o + OFFSET]! + ((m[o + HEAD]! + i) & m[o + MASK]!)]!;
  }

  /** Drops ring `r`'s leading values up to and including `limit` (its values non-decreasing); returns how many. */
  dropThrough(r: number, limit: number): number {
    if (this.heads[r]! > limit) return 0;
    const m = this.meta;
    const o = r * FIELDS;
    let len = m[o + LENGTH]!;
    const buf = this.buf;
    const off = m[o + OFFSET]!;
    const mask = m[o + MASK]!;
    let head = m[o + HEAD]!;
    let n = 0;
    while (len > 0 && buf[off + head]! <= limit) {
      head = (head + 1) & mask;
      len--;
      n++;
    }
    m[o + HEAD] = head;
    m[o + LENGTH] = len;
    this.heads[r] = len > 0 ? buf[off + head]! : Infinity;
    return n;
  }

  clear(r: number): void {
    const o = r * FIELDS;
    this.meta[o + HEAD] = 0;
    this.meta[o + LENGTH] = 0;
    this.heads[r] = Infinity;
  }

  /**
   * Lowers `upper`, an upper bound on the values above `nowUs` over the rings (each ring's
   * values non-decreasing), by what each ring drops, ring after ring from where the last
   * call stopped, until it falls below `cap` or every ring is up to date (the bound is then
   * exact). Returns the bound. An app's backlog near its cap (overload, H11 shedding) is
   * checked on every request, and a count over every dyno's ring each time made the check
   * cost a pass over the dynos; one started request dropped is usually enough to bring the
   * bound under the cap.
   */
  lower(nowUs: number, upper: number, cap: number): number {
    const n = this.size;
    const heads = this.heads;
    let r = this.next;
    for (let k = 0; k < n && upper >= cap; k++) {
      if (r >= n) r = 0;
      if (heads[r]! <= nowUs) upper -= this.dropThrough(r, nowUs);
      r++;
    }
    this.next = r;
    return upper;
  }

  /** Values above `nowUs` over the rings (each ring's older ones dropped). */
  countAbove(nowUs: number): number {
    let total = 0;
    for (let r = 0; r < this.size; r++) {
      this.dropThrough(r, nowUs);
      total += this.length(r);
    }
    return total;
  }

  /** Ring `r`, full, moves to a slice twice its size. */
  private grow(r: number): void {
    const cap = 2 * (this.meta[r * FIELDS + MASK]! + 1);
    this.slots += cap / 2;
    if (this.top + cap > this.buf.length) {
      // No room at the end: every ring laid out afresh, in twice the slots they now have.
      this.relayout(2 * this.slots, r, cap);
      return;
    }
    this.move(r, this.buf, this.top, cap);
    this.top += cap;
  }

  /** Copies ring `r`'s values to `cap` slots of `to` from `at`, and makes that its slice. */
  private move(r: number, to: Float64Array, at: number, cap: number): void {
    const m = this.meta;
    const o = r * FIELDS;
    const len = m[o + LENGTH]!;
    for (let i = 0; i < len; i++) to[at + i] = this.at(r, i);
    m[o + OFFSET] = at;
    m[o + MASK] = cap - 1;
    m[o + HEAD] = 0;
  }

  /** Every ring in a new buffer of `slots` slots, ring `r` (if any) with `cap` slots, the others with theirs. */
  private relayout(slots: number, r: number, cap: number): void {
    const to = new Float64Array(slots);
    let at = 0;
    for (let k = 0; k < this.size; k++) {
      const c = k === r ? cap : this.meta[k * FIELDS + MASK]! + 1;
      this.move(k, to, at, c);
      at += c;
    }
    this.buf = to;
    this.top = at;
  }
}
