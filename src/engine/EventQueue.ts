/**
 * A priority queue of events in typed arrays: no allocation per event. Events are
 * ordered by time, then by the order in which they were scheduled (a sequence number),
 * so simultaneous events always run in the same order. An event is a kind (a small
 * integer the owner maps to a handler) and a numeric argument; the queue knows
 * nothing of what they mean.
 */
export class EventQueue {
  private timeUs: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private arg: Float64Array;
  private n = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.timeUs = new Float64Array(initialCapacity);
    this.seq = new Float64Array(initialCapacity);
    this.kind = new Int32Array(initialCapacity);
    this.arg = new Float64Array(initialCapacity);
    // An empty queue keeps Infinity in its first slot, so that peeking is one load. With a
    // conditional there (n === 0 ? Infinity : timeUs[0]) the optimizing compiler boxed
    // every peeked time, an allocation for each request of a stretch.
    this.timeUs[0] = Infinity;
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, or Infinity when there is none. */
  peekTimeUs(): number {
    return this.timeUs[0]!;
  }

  /** Adds an event. */
  push(timeUs: number, kind: number, arg: number): void {
    if (this.n === this.timeUs.length) this.grow();
    let i = this.n++;
    const s = this.nextSeq++;
    // Sift up: move parents down until the slot fits.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.timeUs[p]!;
      if (pt < timeUs || (pt === timeUs && this.seq[p]! < s)) break;
      this.timeUs[i] = pt;
      this.seq[i] = this.seq[p]!;
      this.kind[i] = this.kind[p]!;
      this.arg[i] = this.arg[p]!;
      i = p;
    }
    this.timeUs[i] = timeUs;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.arg[i] = arg;
  }

  /** Removes the earliest event and writes it into `out` (time, kind, arg). */
  pop(out: PoppedEvent): void {
    if (this.n === 0) throw new Error('pop from an empty event queue');
    out.timeUs = this.timeUs[0]!;
    out.kind = this.kind[0]!;
    out.arg = this.arg[0]!;
    const last = --this.n;
    if (last === 0) {
      this.timeUs[0] = Infinity;
      return;
    }
    const t = this.timeUs[last]!;
    const s = this.seq[last]!;
    const k = this.kind[last]!;
    const a = this.arg[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last) {
        const ct = this.timeUs[c]!;
        const rt = this.timeUs[r]!;
        if (rt < ct || (rt === ct && this.seq[r]! < this.seq[c]!)) c = r;
      }
      const ct = this.timeUs[c]!;
      if (t < ct || (t === ct && s < this.seq[c]!)) break;
      this.timeUs[i] = ct;
      this.seq[i] = this.seq[c]!;
      this.kind[i] = this.kind[c]!;
      this.arg[i] = this.arg[c]!;
      i = c;
    }
    this.timeUs[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.arg[i] = a;
  }

  private grow(): void {
    const cap = this.timeUs.length * 2;
    const t = new Float64Array(cap); t.set(this.timeUs); this.timeUs = t;
    const s = new Float64Array(cap); s.set(this.seq); this.seq = s;
    const k = new Int32Array(cap); k.set(this.kind); this.kind = k;
    const a = new Float64Array(cap); a.set(this.arg); this.arg = a;
  }
}

/** The slot `EventQueue.pop` writes into (reused, so popping allocates nothing). */
export interface PoppedEvent {
  timeUs: number;
  kind: number;
  arg: number;
}
