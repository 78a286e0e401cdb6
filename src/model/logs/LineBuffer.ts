/**
 * Puts log lines back in time order. A simulation learns some lines late (a request's
 * router line is known only when its outcome is final, after lines of later requests),
 * while a log is read in time order. Lines wait here until the writer knows no earlier
 * line can still come, ordered by (time, insertion order) in the engine's own event heap:
 * each line is a heap entry whose argument is its place in a table of texts.
 */
import { EventQueue, type PoppedEvent } from '../../engine/EventQueue.ts';

export class LineBuffer {
  private readonly heap = new EventQueue();
  private readonly slot: PoppedEvent = { timeUs: 0, kind: 0, arg: 0 };
  private readonly text: (string | undefined)[] = [];
  private readonly freeSlots: number[] = [];

  /** Lines waiting. */
  get size(): number {
    return this.heap.size;
  }

  /**
   * Adds a line (without its newline) written at `epochUs`. Lines with equal times come
   * out in the order they were added.
   * @throws RangeError when `epochUs` is NaN.
   */
  add(epochUs: number, line: string): void {
    if (Number.isNaN(epochUs)) throw new RangeError('a log line needs a time, got NaN');
    const i = this.freeSlots.pop() ?? this.text.length;
    this.text[i] = line;
    this.heap.push(epochUs, 0, i);
  }

  /**
   * Writes every line with time ≤ `epochUs`, ordered by (time, insertion order), as one
   * text: the lines joined by `\n`, with a final `\n`. Calls `sink` once, or not at all
   * when no line is due.
   */
  flushThrough(epochUs: number, sink: (text: string) => void): void {
    if (this.heap.size === 0 || this.heap.peekTimeUs() > epochUs) return;
    const out: string[] = [];
    while (this.heap.size > 0 && this.heap.peekTimeUs() <= epochUs) {
      this.heap.pop(this.slot);
      out.push(this.text[this.slot.arg]!);
      this.text[this.slot.arg] = undefined; // let the string go
      this.freeSlots.push(this.slot.arg);
    }
    out.push('');
    sink(out.join('\n'));
  }

  /** Writes every waiting line, as {@link flushThrough} does. */
  flushAll(sink: (text: string) => void): void {
    this.flushThrough(Infinity, sink);
  }
}
