/**
 * The stream of HTTP requests through the router to the web dynos, as the engine's
 * ordered source: each `fire` is one arrival, routed, served (in closed form by the
 * WebTier) and recorded. State lives in fields, not closure variables, so that the hot
 * path updates floats in place and allocates nothing.
 *
 * Outcomes are recorded as soon as they are known. When a dyno's process dies, the
 * requests it held are handed back (`lost`) and their outcomes overturned: H13 for the
 * client still waiting, or a request put back in the router's queue (shared queue).
 * The router's rarer paths live here too: requests held while dynos boot (H20) or while
 * every dyno is quarantined (H99), and connection attempts to dynos that are gone,
 * retried on another dyno (H19, H21).
 */
import type { Engine, OrderedSource } from '../../engine/Engine.ts';
import { FloatRing } from '../../engine/FloatRing.ts';
import { Histogram } from '../../engine/Histogram.ts';
import type { RequestSource } from '../traffic/RequestSource.ts';
import { MinuteSeries } from './MinuteSeries.ts';
import { DROPPED, H11, H12, H13, H14, H19, H21, H99, HOLD, SERIES_CODES } from '../router/codes.ts';
import type { RouterGate } from '../router/RouterGate.ts';
import type { FlowObserver } from '../scaling/Scaler.ts';
import { ARRIVAL, CLASS, DISPATCH, END, INDEX, SERVICE, START, TAG, type TrackRecords } from '../router/TrackLog.ts';
import { REJECT_AT_LIMIT, REJECT_BACKLOG, REJECT_NO_DYNOS, REJECT_QUARANTINED, SILENT, type WebTier } from '../router/WebTier.ts';
import { RouterBacklog } from './RouterBacklog.ts';

/** Draws made at a time. */
const BATCH = 256;
/**
 * The tier's horizon between stretches. A constant, not `-Infinity` written in
 * fireStretch: that is a negation of the global Infinity, a unary operation with no type
 * feedback until the first stretch ends, and V8 then left the optimized loop in place and
 * deoptimized it at the end of every stretch (82 times in the canonical run, once a
 * minute).
 */
const NO_HORIZON = -Infinity;
/** Fields of a held request, and of a connection retry. */
const HELD = 7;
const RETRY = 6;

/** Where sampled requests' outcomes go, for the router log lines. */
export interface RequestLogSink {
  /** Whether the request with this arrival index is logged. */
  sampled(index: number): boolean;
  /**
   * A sampled request's outcome: `code` −1 for a response, else a SERIES_CODES index;
   * `slot` the web dyno (−1 if none was reached); `cls` its class. Returns a tag for `amend`.
   */
  record(index: number, arrivalUs: number, dispatchUs: number, answeredUs: number, slot: number, code: number, cls: number): number;
  /** A logged outcome overturned: now `code` (DROPPED: the request is routed again and logged anew), answered at `answeredUs`. */
  amend(tag: number, code: number, answeredUs: number): void;
}

/** Where the jobs that served requests enqueue go (see JobDispatcher). */
export interface JobSink {
  /** Request `index` of class `cls` will be served by `endUs`: its jobs are enqueued then. */
  served(index: number, cls: number, endUs: number): void;
  /** The request's dyno died before `endUs`: its jobs never come. */
  lost(index: number, cls: number, endUs: number): void;
}

/** Outcomes per request class, over requests arriving after the warm-up. */
export class ClassStats {
  readonly arrived: Float64Array;
  readonly completed: Float64Array;
  readonly errors: Float64Array;
  readonly latency: Histogram[];

  constructor(classes: number) {
    this.arrived = new Float64Array(classes);
    this.completed = new Float64Array(classes);
    this.errors = new Float64Array(classes);
    this.latency = Array.from({ length: classes }, () => new Histogram(10));
  }
}

export interface FlowParams {
  timeoutUs: number;
  warmupUs: number;
  durationUs: number;
  connectTimeoutUs: number;
  maxAttempts: number;
  holdUs: number;
  /** A dyno that failed a connection is skipped this long (several routers: by the router that tried it). */
  quarantineUs: number;
}

export class RequestFlow implements OrderedSource {
  nextUs = 0;
  /** Requests simulated, warm-up included. */
  requests = 0;
  // Over requests arriving after the warm-up:
  arrived = 0;
  completed = 0;
  queued = 0;
  servedAfterTimeout = 0;
  readonly errors = new Float64Array(SERIES_CODES.length);
  readonly latency = new Histogram(10);
  readonly queue = new Histogram(10);
  /** Per class, when there are several (null: one class, nothing more to keep). */
  readonly perClass: ClassStats | null;
  /** Per web dyno (slot): requests routed to it, H12s, and their summed wait for a worker. */
  readonly perDynoRequests: Float64Array;
  readonly perDynoTimeouts: Float64Array;
  readonly perDynoQueueUs: Float64Array;
  /** When the last client got its answer. */
  lastResponseUs = 0;
  /** When the latest request reached the router (Eco sleeps after a while without one). */
  get lastArrivalUs(): number {
    if (this.requests === 0) return -Infinity;
    return this.pos > 0 ? this.arrivalBuf[this.pos - 1]! : this.lastOfBatchUs;
  }
  /** The last arrival of the batch before the one being drawn. */
  private lastOfBatchUs = -Infinity;
  /** The flow's parameters read on every request, kept in fields of its own. */
  private readonly warmupUs: number;
  private readonly timeoutUs: number;
  /** Requests waiting at the router for a dyno (H20/H99 holds, connection retries). */
  waitingAtRouter = 0;

  private readonly tier: WebTier;
  private readonly engine: Engine;
  private readonly source: RequestSource;
  // Requests are drawn a batch at a time into these buffers (see ServiceDistribution.filler);
  // `pos` is the next request's place in them.
  private readonly serviceBuf = new Float64Array(BATCH);
  private readonly arrivalBuf = new Float64Array(BATCH);
  private readonly classBuf = new Int32Array(BATCH);
  private pos = BATCH;
  private readonly series: MinuteSeries;
  private readonly p: FlowParams;
  private gate: RouterGate | null = null;
  private log: RequestLogSink | null = null;
  private jobs: JobSink | null = null;
  /** Whether served requests are remembered (tracking, or logging). */
  private watch = false;
  /** Whether an autoscaler, per-class figures or job queues hear of a served request (see servedExtras). */
  private extras = false;
  // Held requests, in the order they were held: arrival, service, index, code, deadline, class, router.
  private readonly held = new FloatRing(64);
  private holdTimerUs = Infinity;
  private readonly holdKind: number;
  /** Several routers: a router's quarantine ended, its held requests may go to dynos again. */
  private readonly quarantineEndKind: number;
  /** The routers' own backlogs, for requests past the limit of active requests per dyno (made when first needed). */
  private backlog: RouterBacklog | null = null;
  private readonly backlogHead = new Float64Array(4);
  // Connection retries waiting out a connect timeout: a pool of records.
  private readonly retryKind: number;
  private retryBuf = new Float64Array(RETRY * 16);
  private readonly retryFree: number[] = [];
  private retryCount = 0;

  constructor(
    engine: Engine,
    tier: WebTier,
    source: RequestSource,
    series: MinuteSeries,
    slots: number,
    p: FlowParams,
    classes = 1,
  ) {
    this.engine = engine;
    this.tier = tier;
    this.source = source;
    this.perClass = classes > 1 ? new ClassStats(classes) : null;
    this.series = series;
    this.p = p;
    this.warmupUs = p.warmupUs;
    this.timeoutUs = p.timeoutUs;
    this.perDynoRequests = new Float64Array(slots);
    this.perDynoTimeouts = new Float64Array(slots);
    this.perDynoQueueUs = new Float64Array(slots);
    this.holdKind = engine.register((_, t) => this.expireHeld(t));
    this.retryKind = engine.register((r, t) => this.retry(r, t));
    this.quarantineEndKind = engine.register((_, t) => this.releaseHeld(t));
    this.updateExtras();
    this.advance();
  }

  /** Told of every response and start of service, for an autoscaler (null: none watches). */
  get observer(): FlowObserver | null {
    return this.autoscaler;
  }
  set observer(o: FlowObserver | null) {
    this.autoscaler = o;
    this.updateExtras();
  }
  private autoscaler: FlowObserver | null = null;

  /** Connects the dyno manager (without one, no dyno is ever missing but for H14), the log and the job queues. */
  attach(gate: RouterGate, log: RequestLogSink | null, jobs: JobSink | null = null): void {
    this.gate = gate;
    this.log = log;
    this.jobs = jobs;
    this.watch = log !== null || this.tier.tracking;
    this.updateExtras();
  }

  private updateExtras(): void {
    this.extras = this.jobs !== null || this.perClass !== null || this.autoscaler !== null;
  }

  fireStretch(engine: Engine, untilUs: number): number {
    const tier = this.tier;
    let n = 0;
    let t = this.nextUs;
    let next = engine.nextScheduledUs();
    do {
      engine.nowUs = t;
      // No dyno stops before the next scheduled event, nor before the stretch ends. Math.min
      // rather than a conditional, whose result (next or the parameter) the compiler kept
      // boxed: each request then allocated its next event's time.
      tier.horizonUs = Math.min(next, untilUs);
      this.fire();
      n++;
      t = this.nextUs;
      next = engine.nextScheduledUs();
    } while (t < next && t <= untilUs);
    tier.horizonUs = NO_HORIZON;
    return n;
  }

  /** One arrival: routed, served and recorded. */
  fire(): void {
    const t = this.nextUs;
    const serviceUs = this.serviceBuf[this.pos]!;
    const cls = this.classBuf[this.pos++]!;
    const index = this.requests++;
    if (t >= this.warmupUs) {
      this.arrived++;
      if (this.perClass !== null) this.perClass.arrived[cls]!++;
    }
    this.route(t, t, serviceUs, index, 1, cls);
    this.advance();
  }

  /**
   * Sends a request of class `cls` that reached the router at `arrivalUs` to a dyno at
   * `nowUs` (attempt ≥ 1), through `router` (several routers; −1: one drawn at random).
   */
  private route(arrivalUs: number, nowUs: number, serviceUs: number, index: number, attempt: number, cls: number, router = -1): void {
    const tier = this.tier;
    const d = tier.dispatch(nowUs, serviceUs, router);
    if (d < 0) {
      this.rejected(d, arrivalUs, nowUs, serviceUs, index, attempt, cls);
      return;
    }
    const start = tier.startUs;
    const end = tier.endUs;
    const timeoutUs = this.timeoutUs;
    const timedOut = end - nowUs > timeoutUs;
    const answeredAt = timedOut ? nowUs + timeoutUs : end;
    const clientUs = answeredAt - arrivalUs;
    if (answeredAt > this.lastResponseUs) this.lastResponseUs = answeredAt;
    // The client latency's bucket is found once, for the run's histogram and its minute's.
    const latency = this.latency;
    const bucket = latency.index(clientUs);
    if (timedOut) this.series.error(H12, answeredAt, clientUs);
    else this.series.response(answeredAt, clientUs, latency, bucket);
    const slot = tier.ownerOf[d]!;
    if (arrivalUs >= this.warmupUs) {
      latency.recordAt(bucket, clientUs);
      const waitUs = start - arrivalUs;
      // A request that waited not at all (one in five at load 0.8) needs no bucket found:
      // a zero is in bucket 0.
      if (waitUs > 0) {
        this.queue.record(waitUs);
        this.queued++;
      } else this.queue.recordAt(0, waitUs);
      this.perDynoRequests[slot]!++;
      this.perDynoQueueUs[slot]! += waitUs;
      if (timedOut) {
        this.errors[H12]!++;
        this.perDynoTimeouts[slot]!++;
        this.servedAfterTimeout++;
      } else {
        this.completed++;
      }
    }
    if (this.extras) this.servedExtras(arrivalUs, index, cls, answeredAt, clientUs, timedOut);
    if (this.watch) {
      const tag = this.log !== null && this.log.sampled(index) ? this.log.record(index, arrivalUs, nowUs, answeredAt, slot, timedOut ? H12 : -1, cls) : -1;
      if (tier.tracking) tier.track(d, arrivalUs, nowUs, serviceUs, index, tag, cls);
    }
  }

  /**
   * What a served request tells the rest of the run, when anything listens (`extras`): an
   * autoscaler, its class's figures and the job queues. Kept out of `route`, as rare, so
   * that the common path stays small enough to compile inline.
   */
  private servedExtras(arrivalUs: number, index: number, cls: number, answeredAt: number, clientUs: number, timedOut: boolean): void {
    const start = this.tier.startUs;
    const end = this.tier.endUs;
    if (this.observer !== null) {
      this.observer.response(answeredAt, clientUs, 1);
      this.observer.started(start, start - arrivalUs, 1);
    }
    const pc = this.perClass;
    if (pc !== null && arrivalUs >= this.warmupUs) {
      pc.latency[cls]!.record(clientUs);
      if (timedOut) pc.errors[cls]!++;
      else pc.completed[cls]!++;
    }
    if (this.jobs !== null) this.jobs.served(index, cls, end);
  }

  /** The router answers with an error at `atUs`; `reached` when a dyno had the request (its latency counts). */
  private fail(code: number, arrivalUs: number, atUs: number, index: number, slot: number, reached: boolean, cls: number): void {
    const clientUs = atUs - arrivalUs;
    this.series.error(code, atUs, reached ? clientUs : -1);
    if (reached && this.observer !== null) this.observer.response(atUs, clientUs, 1);
    if (atUs > this.lastResponseUs) this.lastResponseUs = atUs;
    if (arrivalUs >= this.warmupUs) {
      this.errors[code]!++;
      if (reached) this.latency.record(clientUs);
      const pc = this.perClass;
      if (pc !== null) {
        pc.errors[cls]!++;
        if (reached) pc.latency[cls]!.record(clientUs);
      }
    }
    if (this.log !== null && this.log.sampled(index)) this.log.record(index, arrivalUs, atUs, atUs, slot, code, cls);
  }

  private rejected(d: number, arrivalUs: number, nowUs: number, serviceUs: number, index: number, attempt: number, cls: number): void {
    if (d === REJECT_BACKLOG) {
      this.fail(H11, arrivalUs, nowUs, index, -1, false, cls);
    } else if (d === REJECT_NO_DYNOS) {
      const what = this.gate === null ? H14 : this.gate.noDyno();
      if (what & HOLD) this.hold(arrivalUs, nowUs, serviceUs, index, what & ~HOLD, cls, this.tier.router);
      else this.fail(what, arrivalUs, nowUs, index, -1, false, cls);
    } else if (d === REJECT_AT_LIMIT) {
      const tier = this.tier;
      this.backlog ??= new RouterBacklog(this.engine, tier, tier.routers, (r, t) => this.releaseBacklog(r, t));
      this.waitingAtRouter++;
      this.backlog.hold(Math.max(0, tier.router), arrivalUs, serviceUs, index, cls, tier.limitFreeUs);
    } else if (d === REJECT_QUARANTINED) {
      // Its router skips every dyno for now: held as when all are quarantined (H99 if it runs out).
      this.hold(arrivalUs, nowUs, serviceUs, index, H99, cls, this.tier.router);
    } else {
      this.connectFailed(arrivalUs, nowUs, serviceUs, index, attempt, cls);
    }
  }

  /**
   * The chosen dyno is gone: quarantine it and try another, at once when the connection
   * was refused, after the connect timeout when nothing answered; after the last attempt,
   * H21 or H19.
   */
  private connectFailed(arrivalUs: number, nowUs: number, serviceUs: number, index: number, attempt: number, cls: number): void {
    const tier = this.tier;
    const b = tier.failedBlock;
    const router = tier.router;
    const silent = tier.gone[b] === SILENT;
    if (router < 0) {
      this.gate!.quarantine(b, nowUs);
    } else {
      // Several routers: only this one learns; its held requests may go again when it forgets.
      tier.quarantineAt(router, b, nowUs + this.p.quarantineUs);
      this.engine.at(nowUs + this.p.quarantineUs, this.quarantineEndKind);
    }
    const attempts = Math.max(1, Math.min(this.p.maxAttempts, this.gate!.webDynos()));
    if (!silent) {
      if (attempt >= attempts) this.fail(H21, arrivalUs, nowUs, index, -1, false, cls);
      else this.route(arrivalUs, nowUs, serviceUs, index, attempt + 1, cls, router);
      return;
    }
    const atUs = nowUs + this.p.connectTimeoutUs;
    if (attempt >= attempts) {
      this.fail(H19, arrivalUs, atUs, index, -1, false, cls);
      return;
    }
    // Wait out the connect timeout, then try again.
    let r = this.retryFree.pop();
    if (r === undefined) {
      r = this.retryCount++;
      if (RETRY * this.retryCount > this.retryBuf.length) {
        const next = new Float64Array(this.retryBuf.length * 2);
        next.set(this.retryBuf);
        this.retryBuf = next;
      }
    }
    const o = RETRY * r;
    this.retryBuf[o] = arrivalUs;
    this.retryBuf[o + 1] = serviceUs;
    this.retryBuf[o + 2] = index;
    this.retryBuf[o + 3] = attempt + 1;
    this.retryBuf[o + 4] = cls;
    this.retryBuf[o + 5] = router;
    this.waitingAtRouter++;
    this.engine.at(atUs, this.retryKind, r);
  }

  private retry(r: number, nowUs: number): void {
    const o = RETRY * r;
    const b = this.retryBuf;
    this.retryFree.push(r);
    this.waitingAtRouter--;
    this.route(b[o]!, nowUs, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!);
  }

  /** Router `r`'s requests at the dynos have ended: its backlog goes to them, oldest first, while it has a dyno below the limit. */
  private releaseBacklog(r: number, nowUs: number): void {
    const backlog = this.backlog!;
    const tier = this.tier;
    const router = tier.routers > 1 ? r : -1;
    const head = this.backlogHead;
    tier.releasing = true;
    while (backlog.size(r) > 0) {
      if (!tier.hasRoom(router, nowUs)) {
        backlog.wake(r, tier.limitFreeUs);
        break;
      }
      backlog.shift(r, head);
      this.waitingAtRouter--;
      this.route(head[0]!, nowUs, head[1]!, head[2]!, 1, head[3]!, router);
    }
    tier.releasing = false;
  }

  /** Holds a request until a dyno can take it, at most `holdUs`; then `code`. */
  private hold(arrivalUs: number, nowUs: number, serviceUs: number, index: number, code: number, cls: number, router: number): void {
    const deadline = nowUs + this.p.holdUs;
    const h = this.held;
    h.push(arrivalUs);
    h.push(serviceUs);
    h.push(index);
    h.push(code);
    h.push(deadline);
    h.push(cls);
    h.push(router);
    this.waitingAtRouter++;
    if (this.holdTimerUs === Infinity) {
      this.holdTimerUs = deadline;
      this.engine.at(deadline, this.holdKind);
    }
  }

  /** A dyno can take requests again: the held ones go to dynos now, oldest first. */
  releaseHeld(nowUs: number): void {
    const h = this.held;
    const n = h.length / HELD;
    for (let i = 0; i < n; i++) {
      const arrivalUs = h.at(0);
      const serviceUs = h.at(1);
      const index = h.at(2);
      const cls = h.at(5);
      const router = h.at(6);
      h.dropFirst(HELD);
      this.waitingAtRouter--;
      this.route(arrivalUs, nowUs, serviceUs, index, 1, cls, router);
    }
  }

  private expireHeld(nowUs: number): void {
    this.holdTimerUs = Infinity;
    const h = this.held;
    while (h.length > 0 && h.at(4) <= nowUs) {
      const arrivalUs = h.at(0);
      const index = h.at(2);
      const code = h.at(3);
      const cls = h.at(5);
      h.dropFirst(HELD);
      this.waitingAtRouter--;
      this.fail(code, arrivalUs, nowUs, index, -1, false, cls);
    }
    if (h.length > 0) {
      this.holdTimerUs = h.at(4);
      this.engine.at(this.holdTimerUs, this.holdKind);
    }
  }

  /**
   * A request held by a dyno whose process died at the engine's now, before its client was
   * answered (its record at `o` in `ring.buf`): its recorded outcome is overturned.
   */
  lost(ring: TrackRecords, o: number, block: number): void {
    const buf = ring.buf;
    const arrivalUs = buf[o + ARRIVAL]!;
    const dispatchUs = buf[o + DISPATCH]!;
    const start = buf[o + START]!;
    const end = buf[o + END]!;
    const tag = buf[o + TAG]!;
    const cls = buf[o + CLASS]!;
    const nowUs = this.engine.nowUs;
    const timeoutUs = this.timeoutUs;
    const timedOut = end - dispatchUs > timeoutUs;
    const counted = arrivalUs >= this.warmupUs;
    // The dyno never finishes it: nor does it enqueue its jobs.
    if (this.jobs !== null) this.jobs.lost(buf[o + INDEX]!, cls, end);
    const pc = counted ? this.perClass : null;
    if (timedOut && dispatchUs + timeoutUs <= nowUs) {
      // The client had its H12 already; the dyno just never finishes the request.
      if (counted) this.servedAfterTimeout--;
      return;
    }
    const answeredAt = timedOut ? dispatchUs + timeoutUs : end;
    const clientUs = answeredAt - arrivalUs;
    if (timedOut) this.series.retractError(H12, answeredAt, clientUs);
    else this.series.retractResponse(answeredAt, clientUs);
    const started = start <= nowUs;
    if (this.observer !== null) {
      this.observer.response(answeredAt, clientUs, -1);
      if (!started) this.observer.started(start, start - arrivalUs, -1);
    }
    const slot = this.tier.ownerOf[block]!;
    const requeued = !started && this.tier.sharedQueue;
    if (pc !== null) {
      pc.latency[cls]!.remove(clientUs);
      if (timedOut) pc.errors[cls]!--;
      else pc.completed[cls]!--;
    }
    if (counted) {
      this.latency.remove(clientUs);
      if (timedOut) {
        this.errors[H12]!--;
        this.servedAfterTimeout--;
        this.perDynoTimeouts[slot]!--;
      } else {
        this.completed--;
      }
      if (!started) {
        // It never reached a worker: its wait is not a wait for service after all.
        const waitUs = start - arrivalUs;
        this.queue.remove(waitUs);
        if (waitUs > 0) this.queued--;
        this.perDynoQueueUs[slot]! -= waitUs;
      }
      // Put back in the shared queue, it will count on the dyno that serves it.
      if (requeued) this.perDynoRequests[slot]!--;
    }
    if (requeued) {
      // Still in the router's queue: it goes to the next free worker instead.
      if (this.log !== null && tag >= 0) this.log.amend(tag, DROPPED, nowUs);
      this.route(arrivalUs, nowUs, buf[o + SERVICE]!, buf[o + INDEX]!, 1, cls);
      return;
    }
    const clientNowUs = nowUs - arrivalUs;
    this.series.error(H13, nowUs, clientNowUs);
    this.observer?.response(nowUs, clientNowUs, 1);
    if (counted) {
      this.errors[H13]!++;
      this.latency.record(clientNowUs);
    }
    if (pc !== null) {
      pc.errors[cls]!++;
      pc.latency[cls]!.record(clientNowUs);
    }
    if (this.log !== null && tag >= 0) this.log.amend(tag, H13, nowUs);
  }

  private advance(): void {
    if (this.pos === BATCH) {
      this.lastOfBatchUs = this.arrivalBuf[BATCH - 1]!;
      this.source.fill(this.arrivalBuf, this.serviceBuf, this.classBuf);
      this.pos = 0;
    }
    const next = this.arrivalBuf[this.pos]!;
    this.nextUs = next < this.p.durationUs ? next : Infinity;
  }
}
