/**
 * The event loop. Two kinds of event feed it: scheduled events in an `EventQueue`, and
 * one ordered source whose times only ever increase (in dynosim, request arrivals),
 * which is drained without going through the heap. The loop always runs the earliest
 * event; at equal times scheduled events run first, then the source. The engine knows
 * nothing of what events mean: handlers are functions registered by kind.
 */
import { EventQueue, type PoppedEvent } from './EventQueue.ts';

/** Something that produces events in non-decreasing time order. */
export interface OrderedSource {
  /** Time of the next event, Infinity when exhausted. */
  readonly nextUs: number;
  /**
   * Runs a stretch of its events, the next one first, for as long as the next lies before
   * the engine's next scheduled event (`engine.nextScheduledUs()`, which an event of the
   * stretch may bring forward) and not after `untilUs`; sets `engine.nowUs` to each one's
   * time before running it. Returns how many it ran. The engine hands over the loop for the
   * stretch because between platform events nearly every event is the source's.
   */
  fireStretch(engine: Engine, untilUs: number): number;
}

export type Handler = (arg: number, timeUs: number) => void;

export class Engine {
  /** Simulated time in microseconds. */
  nowUs = 0;
  /** Events run so far (scheduled and source events). */
  events = 0;
  private readonly queue = new EventQueue();
  private readonly handlers: Handler[] = [];
  private readonly slot: PoppedEvent = { timeUs: 0, kind: 0, arg: 0 };
  private stopped = false;

  /** Registers a handler and returns the kind number to schedule it with. */
  register(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedules `kind` at an absolute time (not before now). */
  at(timeUs: number, kind: number, arg = 0): void {
    if (timeUs < this.nowUs) throw new Error(`event scheduled in the past: ${timeUs} < ${this.nowUs}`);
    this.queue.push(timeUs, kind, arg);
  }

  /** Time of the earliest scheduled event, Infinity when there is none. */
  nextScheduledUs(): number {
    return this.queue.peekTimeUs();
  }

  /** Stops the loop after the current event (called by scheduled events' handlers). */
  stop(): void {
    this.stopped = true;
  }

  /** Runs events until both the queue and the source are exhausted, `stop()` is called, or time would pass `untilUs`. */
  run(source: OrderedSource | null, untilUs = Infinity): void {
    const queue = this.queue;
    const handlers = this.handlers;
    const slot = this.slot;
    let events = this.events;
    this.stopped = false;
    while (!this.stopped) {
      const te = queue.peekTimeUs();
      const ts = source === null ? Infinity : source.nextUs;
      if (ts < te) {
        if (ts > untilUs) break;
        events += source!.fireStretch(this, untilUs);
      } else {
        if (te === Infinity || te > untilUs) break;
        queue.pop(slot);
        this.nowUs = slot.timeUs;
        handlers[slot.kind]!(slot.arg, slot.timeUs);
        events++;
      }
    }
    this.events = events;
  }
}
