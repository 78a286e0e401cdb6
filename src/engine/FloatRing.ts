/** A growable FIFO of numbers in a typed ring buffer: no allocation per push once warm. */
export class FloatRing {
  private buf: Float64Array;
  private mask: number;
  private head = 0;
  length = 0;

  constructor(capacity = 16) {
    let cap = 1;
    while (cap < capacity) cap <<= 1;
    this.buf = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** Whether the next push must grow the ring. */
  get full(): boolean {
    return this.length === this.buf.length;
  }

  push(v: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & this.mask] = v;
    this.length++;
  }

  /** Inserts `v` in order, for a ring kept sorted (non-decreasing): after the values not above it. */
  pushSorted(v: number): void {
    if (this.length === this.buf.length) this.grow();
    let i = this.length;
    while (i > 0 && this.buf[(this.head + i - 1) & this.mask]! > v) {
      this.buf[(this.head + i) & this.mask] = this.buf[(this.head + i - 1) & this.mask]!;
      i--;
    }
    this.buf[(this.head + i) & this.mask] = v;
    this.length++;
  }

  /** The i-th oldest value. */
  at(i: number): number {
    return this.buf[(this.head + i) & this.mask]!;
  }

  /** Drops leading values up to and including `limit` (for a ring of non-decreasing values); returns how many. */
  dropThrough(limit: number): number {
    let n = 0;
    while (this.length > 0 && this.buf[this.head]! <= limit) {
      this.head = (this.head + 1) & this.mask;
      this.length--;
      n++;
    }
    return n;
  }

  /** Removes one value equal to `v` (the oldest such), keeping the order of the rest; false when there is none. */
  removeOne(v: number): boolean {
    for (let i = 0; i < this.length; i++) {
      if (this.at(i) !== v) continue;
      for (let j = i; j < this.length - 1; j++) this.buf[(this.head + j) & this.mask] = this.at(j + 1);
      this.length--;
      return true;
    }
    return false;
  }

  /** Drops the `n` oldest values. */
  dropFirst(n: number): void {
    this.head = (this.head + n) & this.mask;
    this.length -= n;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const cap = this.buf.length * 2;
    const next = new Float64Array(cap);
    for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) & this.mask]!;
    this.buf = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
