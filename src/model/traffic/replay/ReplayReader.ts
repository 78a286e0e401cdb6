/**
 * Arrivals to replay, streamed from a user's Heroku router log or a CSV of requests
 * (`traffic: { replay: FILE }`). The file is read in chunks as the simulation asks for
 * arrivals, so a log of any size is replayed in bounded memory.
 *
 * The router writes a line when it knows the request's outcome, so a log is in order of
 * responses, and arrivals (the line's time less connect and service) come out of order by
 * up to the longest service time. Requests wait in a heap in typed arrays (time, file
 * order, route, service time: nothing else is kept per line) until the log's clock (the
 * median arrival of the last 31 requests read, never going back: LogClock) is more than
 * the reorder window past them; then no line still to come in order can arrive before
 * them, and they are handed out in time order, ties in file order.
 *
 * The one rule for lines out of order: a request arriving more than the reorder window
 * before the log's clock is out of order. It is not replayed, and it is counted in
 * `outOfOrder`. So is one arriving before a request already handed out, which only happens
 * past MAX_WAITING requests waiting at once (then the earliest are handed out early, to
 * keep memory bounded). Every non-empty line read is counted once:
 *
 *   lines = used + malformed + skipped + outOfOrder + beforeStart + beyondEnd
 *
 * Reading goes on to the end of the file, or stops once the clock is a reorder window past
 * the end of the run: every request in order still to come would arrive after the end.
 *
 * Nothing in a file of lines is fatal: malformed lines are counted and the first 20 kept
 * with their line numbers and reasons; only a file without a single usable line is an
 * error, and a line longer than MAX_LINE_BYTES (not a log's: an InputError naming the file).
 */
import { EventQueue, type PoppedEvent } from '../../../engine/EventQueue.ts';
import { LogClock } from './LogClock.ts';
import { END, MALFORMED, OTHER, REQUEST, ReplayLines } from './ReplayLines.ts';

export interface ReplayOptions {
  /** `auto`: a CSV when the first non-empty line is a CSV header with a `timestamp` column, a router log otherwise. */
  format: 'auto' | 'router' | 'csv';
  /**
   * Instant (epoch ms) that becomes t = 0; null: the earliest arrival waiting when the
   * first request is handed out, floored to the whole second (a scenario gives it: see
   * probeReplay). For a CSV whose timestamps are numbers of seconds from the start, the
   * instant is in those units (ms from the file's zero), and null means 0.
   */
  startMs: number | null;
  /**
   * Arrivals at or after this many µs from t = 0 are not replayed (counted in `beyondEnd`).
   * Reading stops once the log's clock is a reorder window past it: the rest of the file
   * is neither read nor counted.
   */
  endUs: number;
  /** How far out of order arrivals may come (router lines are written at the response, so arrivals are out of order by up to the longest service time). */
  reorderWindowUs: number;
  /** Bytes read from the file at a time (default 128 KiB); for tests of lines across reads. */
  readBufferBytes?: number;
  /** Requests waiting at once at most (default MAX_WAITING); for tests. */
  maxWaiting?: number;
}

export interface ReplayProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

/** Malformed lines kept with their reasons. */
const KEPT_PROBLEMS = 20;
const US_PER_S = 1_000_000;
/**
 * Requests waiting to be handed out at once at most (28 bytes each: 56 MiB), over 20 000
 * requests a second for a 90 s window. Past it the earliest are handed out early.
 */
export const MAX_WAITING = 1 << 21;

export class ReplayReader {
  /** Distinct routes (`GET /orders/:id`) in order of first appearance among the arrivals handed out; grows as `fill` hands out new ones. */
  readonly routes: string[] = [];
  readonly format: 'router' | 'csv';
  /**
   * Epoch ms of t = 0, known after construction. NaN when `startMs` was null and the file
   * has no usable line (then `fill` throws).
   */
  readonly startMs: number;

  // Counts, final once fill has returned 0: lines = used + malformed + skipped + outOfOrder + beforeStart + beyondEnd.
  /** Non-empty lines read. */
  lines = 0;
  /** Arrivals handed out. */
  used = 0;
  /** Lines that could not be read. */
  malformed = 0;
  /** Readable lines that are not requests: the app's output, other platform lines, a CSV header. */
  skipped = 0;
  /** Arrivals handed out whose service time was not in the line (H10, H11, H14, H20 …: no dyno answered); see {@link fill}. Part of `used`. */
  imputed = 0;
  /** Requests out of order: arriving more than the reorder window before the log's clock (or before one handed out). Not replayed. */
  outOfOrder = 0;
  /** Requests arriving before t = 0: not replayed. */
  beforeStart = 0;
  /** Requests arriving at or after `endUs`: not replayed. */
  beyondEnd = 0;
  /** The first 20 malformed lines, with the reason each could not be read. */
  readonly problems: ReplayProblem[] = [];

  private readonly src: ReplayLines;
  private readonly endUs: number;
  private readonly windowUs: number;
  private readonly maxWaiting: number;
  /** t = 0 in the file's µs (epoch µs, or the file's own zero for numeric CSV times). */
  private readonly startUs: number;
  /** Sorts requests by (arrival, file order); kind = 2 × route id + 1 if imputed, arg = service µs. */
  private readonly heap = new EventQueue(4096);
  private readonly slot: PoppedEvent = { timeUs: 0, kind: 0, arg: 0 };
  /** How far the log has got, in the file's µs. */
  private readonly clock = new LogClock();
  /** The last arrival handed out, in the file's µs. */
  private frontierUs = -Infinity;
  /** No more lines to read: the end of the file, or the clock a window past `endUs`. */
  private finished = false;
  private requests = 0;

  /** Route ids in order of first sight in the file (every request line, handed out or not). */
  private readonly routeIds = new Map<string, number>();
  private routeNames: string[] = [];
  /** Per route id: the last service time read, µs (NaN: none yet). */
  private lastServiceUs = new Float64Array(64).fill(NaN);
  /** Per route id: its index in `routes`, −1 until an arrival of it is handed out. */
  private publicRoute = new Int32Array(64).fill(-1);
  private lastAnyServiceUs = NaN;

  /**
   * Opens the file and reads its start: enough to know the format and, when `startMs` is
   * null, t = 0 (the earliest arrival waiting when the clock is first a window past it).
   * @throws Error with a one-line message if the file cannot be opened (or is a CSV without
   * the columns dynosim reads); InputError naming the file when a line is too long.
   */
  constructor(path: string, options: ReplayOptions) {
    this.src = new ReplayLines(path, options.format, options.readBufferBytes);
    this.format = this.src.format;
    this.endUs = options.endUs;
    this.windowUs = Math.max(0, options.reorderWindowUs);
    this.maxWaiting = Math.max(1, options.maxWaiting ?? MAX_WAITING);
    let startUs = options.startMs === null ? NaN : options.startMs * 1000;
    try {
      while (startUs !== startUs) {
        if (this.finished || this.heap.size >= this.maxWaiting) {
          if (this.heap.size > 0) startUs = Math.floor(this.heap.peekTimeUs() / US_PER_S) * US_PER_S;
          break;
        }
        this.readLine(NaN);
        if (this.src.offsets === true) startUs = 0;
        else if (this.heap.size > 0 && this.heap.peekTimeUs() < this.clock.nowUs - this.windowUs) {
          startUs = Math.floor(this.heap.peekTimeUs() / US_PER_S) * US_PER_S;
        }
      }
    } catch (e) {
      this.close();
      throw e;
    }
    this.startUs = startUs;
    this.startMs = startUs / 1000;
  }

  /**
   * Fills the arrays from index 0 with the next arrivals in time order and returns how
   * many (0: no more; the counts are then final). `arrivalUs` is µs from t = 0,
   * non-decreasing across calls; `serviceUs` the dyno's service time in µs; `route` an
   * index into {@link routes}. A request whose line gives no service time (no dyno
   * answered) gets the last one read for its route, else for any route, else 0.
   * @throws Error `"<file>: no usable line (…)"` at the end of a file without one;
   * InputError naming the file and the line when a line is longer than MAX_LINE_BYTES.
   */
  fill(arrivalUs: Float64Array, serviceUs: Float64Array, route: Int32Array): number {
    const cap = Math.min(arrivalUs.length, serviceUs.length, route.length);
    const heap = this.heap;
    const slot = this.slot;
    let n = 0;
    try {
      while (n < cap) {
        if (heap.size > 0 && (this.finished || heap.peekTimeUs() < this.clock.nowUs - this.windowUs || heap.size >= this.maxWaiting)) {
          heap.pop(slot);
          // Requests read before t = 0 was known are sorted out here.
          if (slot.timeUs < this.startUs) {
            this.beforeStart++;
            continue;
          }
          const t = slot.timeUs - this.startUs;
          if (t >= this.endUs) {
            this.beyondEnd++;
            continue;
          }
          arrivalUs[n] = t;
          serviceUs[n] = slot.arg;
          route[n] = this.routeIndex(slot.kind >> 1);
          if ((slot.kind & 1) === 1) this.imputed++;
          this.frontierUs = slot.timeUs;
          n++;
        } else if (this.finished) {
          break;
        } else {
          this.readLine(this.startUs);
        }
      }
    } catch (e) {
      this.close();
      throw e;
    }
    this.used += n;
    if (n === 0 && this.finished && this.requests === 0) throw new Error(this.noUsableLine());
    return n;
  }

  /** Closes the file (it is closed at its end anyway); calling it again does nothing. */
  close(): void {
    this.src.close();
    this.finished = true;
  }

  /** Reads one line and puts a request in the heap; `startUs` is NaN while t = 0 is not known yet. */
  private readLine(startUs: number): void {
    const src = this.src;
    const kind = src.next();
    if (kind === REQUEST) {
      this.lines++;
      this.request(startUs);
    } else if (kind === OTHER) {
      this.lines++;
      this.skipped++;
    } else if (kind === MALFORMED) {
      this.lines++;
      this.malformed++;
      if (this.problems.length < KEPT_PROBLEMS) this.problems.push({ line: src.lineNumber, message: src.reason });
    } else if (kind === END) {
      this.finish();
    }
  }

  /** One request read: counted out of order, before the start or after the end, or put to wait in the heap. */
  private request(startUs: number): void {
    const src = this.src;
    this.requests++;
    const atUs = src.arrivalUs;
    const id = this.routeId(src.route);
    let serviceUs = src.serviceUs;
    let imputed = 0;
    if (serviceUs < 0) {
      const last = this.lastServiceUs[id]!;
      serviceUs = last === last ? last : this.lastAnyServiceUs === this.lastAnyServiceUs ? this.lastAnyServiceUs : 0;
      imputed = 1;
    } else {
      this.lastServiceUs[id] = serviceUs;
      this.lastAnyServiceUs = serviceUs;
    }
    const clock = this.clock;
    const late = atUs < clock.nowUs - this.windowUs;
    clock.add(atUs);
    if (late) {
      this.outOfOrder++;
    } else if (startUs === startUs && atUs < startUs) {
      this.beforeStart++;
    } else if (startUs === startUs && atUs - startUs >= this.endUs) {
      this.beyondEnd++;
    } else if (atUs < this.frontierUs) {
      // Only after requests were handed out early (MAX_WAITING): too late to be replayed in order.
      this.outOfOrder++;
    } else {
      this.heap.push(atUs, id * 2 + imputed, serviceUs);
    }
    // Every request in order still to come arrives after the end: stop reading.
    if (startUs === startUs && clock.nowUs - this.windowUs - startUs >= this.endUs) this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.src.close();
  }

  private routeId(route: string): number {
    let id = this.routeIds.get(route);
    if (id !== undefined) return id;
    id = this.routeNames.length;
    this.routeIds.set(route, id);
    this.routeNames.push(route);
    if (id === this.lastServiceUs.length) {
      const service = new Float64Array(id * 2).fill(NaN);
      service.set(this.lastServiceUs);
      this.lastServiceUs = service;
      const index = new Int32Array(id * 2).fill(-1);
      index.set(this.publicRoute);
      this.publicRoute = index;
    }
    return id;
  }

  /** The index in `routes` of route id `id`, given on its first arrival handed out. */
  private routeIndex(id: number): number {
    let i = this.publicRoute[id]!;
    if (i < 0) {
      i = this.routes.length;
      this.routes.push(this.routeNames[id]!);
      this.publicRoute[id] = i;
    }
    return i;
  }

  private noUsableLine(): string {
    const path = this.src.path;
    if (this.malformed > 0) {
      const first = this.problems[0]!;
      return `${path}: no usable line (${this.malformed} malformed; first at line ${first.line}: ${first.message})`;
    }
    if (this.lines === 0) return `${path}: no usable line (the file is empty)`;
    const what = this.format === 'csv' ? 'rows after the header' : 'router request lines';
    return `${path}: no usable line (${this.lines} line${this.lines === 1 ? '' : 's'}, no ${what})`;
  }
}

