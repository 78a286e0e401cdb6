/**
 * The requests (or jobs) the dynos of a tier hold (queued or in service), remembered so that
 * when a dyno's process dies their recorded outcomes can be taken back and replaced (H13).
 * Kept only when something in the run can stop a dyno; the closed-form web tier needs none
 * of it otherwise. Even then, only requests a stop could catch are recorded: a process stops
 * only in a scheduled event, so a request dispatched between events that ends before the next
 * one can never be lost (see WebTier.horizonUs). Between events a minute apart, that leaves
 * about one request in a hundred to record.
 *
 * One log for the whole tier, in the order the requests were dispatched, each record naming
 * its block: a push writes the next record of one buffer, where a ring per block wrote to
 * one of thousands of buffers and missed the cache (5 000 dynos: about 80 ns a request).
 * Reading a block's records (when its process dies, a rare event) is a pass over the log.
 * Records whose service has ended are dropped only when the log is full: from its head
 * while they have ended, then, if that freed less than a quarter of the log (a request
 * still held near the head), by copying the records still held into a log of the same
 * size, or larger when they fill more than an eighth of it: the log stays within 16 times
 * the requests held at once, and a push copies a seventh of a record on average. Readers
 * skip ended records.
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
/** The block that holds it. */
export const BLOCK = 8;
export const STRIDE = 9;

/** Records read at `buf[offset + FIELD]`. */
export interface TrackRecords {
  readonly buf: Float64Array;
}

export class TrackLog implements TrackRecords {
  buf: Float64Array;
  private mask: number;
  private head = 0;
  length = 0;
  /** Records pushed so far. */
  pushed = 0;

  constructor(capacity = 1024) {
    let cap = 1;
    while (cap < capacity) cap <<= 1;
    this.buf = new Float64Array(cap * STRIDE);
    this.mask = cap - 1;
  }

  /** Remembers a request dispatched to `block` at `dispatchUs` (the engine's time). */
  push(block: number, arrivalUs: number, dispatchUs: number, startUs: number, endUs: number, serviceUs: number, index: number, tag: number, cls: number): void {
    if (this.length > this.mask) this.makeRoom(dispatchUs);
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
    b[o + BLOCK] = block;
    this.length++;
    this.pushed++;
  }

  /** Offset in `buf` of the i-th oldest record. */
  offset(i: number): number {
    return ((this.head + i) & this.mask) * STRIDE;
  }

  /** Forgets the record at offset `o` (its block's process died): it reads as ended. */
  forget(o: number): void {
    this.buf[o + END] = -Infinity;
  }

  /** A full log at `nowUs`: drops the ended records at its head or, when that frees less than a quarter of it, keeps only those still held. */
  private makeRoom(nowUs: number): void {
    const b = this.buf;
    while (this.length > 0 && b[this.head * STRIDE + END]! <= nowUs) {
      this.head = (this.head + 1) & this.mask;
      this.length--;
    }
    // Room for a quarter of the log at least before the next call, or the pass below.
    if (this.length <= this.mask - (this.mask >> 2)) return;
    let held = 0;
    for (let i = 0; i < this.length; i++) if (b[this.offset(i) + END]! > nowUs) held++;
    // Held records copied once a pass, at most an eighth of the log: few copies a push.
    let cap = this.mask + 1;
    while (held * 8 > cap) cap *= 2;
    const next = new Float64Array(cap * STRIDE);
    let n = 0;
    for (let i = 0; i < this.length; i++) {
      const o = this.offset(i);
      if (b[o + END]! <= nowUs) continue;
      for (let f = 0, to = n * STRIDE; f < STRIDE; f++) next[to + f] = b[o + f]!;
      n++;
    }
    this.buf = next;
    this.mask = cap - 1;
    this.head = 0;
    this.length = n;
  }
}
