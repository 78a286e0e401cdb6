/**
 * The requests (or jobs) a dyno holds (queued or in service), remembered so that when its process
 * dies their recorded outcomes can be taken back and replaced (H13). Kept only when
 * something in the run can stop a dyno; the closed-form web tier needs none of it
 * otherwise. Records are dropped once their service has ended, oldest first.
 */

/** Fields of one record, in order. */
export const ARRIVAL = 0;
export const DISPATCH = 1;
export const START = 2;
export const END = 3;
/** Service time as drawn, before any slowdown. */
export const SERVICE = 4;
/** The request's arrival index, and its log record (or −1). */
export const INDEX = 5;
export const TAG = 6;
/** The request's class (or, for a job, its queue's record of it). */
export const CLASS = 7;
const STRIDE = 8;

export class TrackRing {
  buf: Float64Array;
  private mask: number;
  private head = 0;
  length = 0;

  constructor(capacity = 16) {
    let cap = 1;
    while (cap < capacity) cap <<= 1;
    this.buf = new Float64Array(cap * STRIDE);
    this.mask = cap - 1;
  }

  /**
   * Remembers a request dispatched at `dispatchUs`. Records whose service has ended are
   * dropped only when the ring is full (the oldest first, as many as have ended by
   * `dispatchUs`), so a push touches one record, not the oldest too; readers skip ended
   * records, so the ring holds what it would if each push dropped them.
   */
  push(arrivalUs: number, dispatchUs: number, startUs: number, endUs: number, serviceUs: number, index: number, tag: number, cls: number): void {
    if (this.length > this.mask) {
      this.dropEnded(dispatchUs);
      if (this.length > this.mask) this.grow();
    }
    const o = ((this.head + this.length) & this.mask) * STRIDE;
    const b = this.buf;
    b[o + ARRIVAL] = arrivalUs;
    b[o + DISPATCH] = dispatchUs;
    b[o + START] = startUs;
    b[o + END] = endUs;
    b[o + SERVICE] = serviceUs;
    b[o + INDEX] = index;
    b[o + TAG] = tag;
    b[o + CLASS] = cls;
    this.length++;
  }

  /** Offset in `buf` of the i-th oldest record. */
  offset(i: number): number {
    return ((this.head + i) & this.mask) * STRIDE;
  }

  /** Drops leading records whose service ended by `nowUs`. */
  dropEnded(nowUs: number): void {
    while (this.length > 0 && this.buf[this.head * STRIDE + END]! <= nowUs) {
      this.head = (this.head + 1) & this.mask;
      this.length--;
    }
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const next = new Float64Array(cap * STRIDE);
    // The records from the head to the end of the buffer, then those wrapped round to its start.
    const first = Math.min(this.length, this.mask + 1 - this.head);
    next.set(this.buf.subarray(this.head * STRIDE, (this.head + first) * STRIDE), 0);
    if (first < this.length) next.set(this.buf.subarray(0, (this.length - first) * STRIDE), first * STRIDE);
    this.buf = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
