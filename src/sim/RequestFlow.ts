/**
 * The stream of HTTP requests through the router to the web dynos, as the engine's
 * ordered source: each `fire` is one arrival, routed, served (in closed form by the
 * WebTier) and recorded. State lives in fields, not closure variables, so that the hot
 * path updates floats in place and allocates nothing.
 */
import type { OrderedSource } from '../engine/Engine.ts';
import { Histogram } from '../engine/Histogram.ts';
import type { ArrivalProcess } from '../traffic/arrivals/ArrivalProcess.ts';
import { MinuteSeries, SERIES_CODES } from './MinuteSeries.ts';
import { REJECT_BACKLOG, type WebTier } from './WebTier.ts';

/** Draws made at a time. */
const BATCH = 256;

const H11 = SERIES_CODES.indexOf('H11');
const H12 = SERIES_CODES.indexOf('H12');
const H14 = SERIES_CODES.indexOf('H14');

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
  readonly perDynoRequests: Float64Array;
  readonly perDynoTimeouts: Float64Array;
  readonly perDynoQueueUs: Float64Array;
  /** When the last client got its answer. */
  lastResponseUs = 0;

  private readonly tier: WebTier;
  private readonly arrivals: ArrivalProcess;
  private readonly fillService: (out: Float64Array) => void;
  // Draws are made a batch at a time into these buffers (see ServiceDistribution.filler).
  private readonly serviceBuf = new Float64Array(BATCH);
  private servicePos = BATCH;
  private readonly arrivalBuf = new Float64Array(BATCH);
  private arrivalPos = BATCH;
  private readonly series: MinuteSeries;
  private readonly timeoutUs: number;
  private readonly warmupUs: number;
  private readonly durationUs: number;

  constructor(
    tier: WebTier,
    arrivals: ArrivalProcess,
    fillService: (out: Float64Array) => void,
    series: MinuteSeries,
    p: { timeoutUs: number; warmupUs: number; durationUs: number },
  ) {
    this.tier = tier;
    this.arrivals = arrivals;
    this.fillService = fillService;
    this.series = series;
    this.timeoutUs = p.timeoutUs;
    this.warmupUs = p.warmupUs;
    this.durationUs = p.durationUs;
    this.perDynoRequests = new Float64Array(tier.dynos);
    this.perDynoTimeouts = new Float64Array(tier.dynos);
    this.perDynoQueueUs = new Float64Array(tier.dynos);
    this.advance();
  }

  fire(): void {
    const t = this.nextUs;
    if (this.servicePos === BATCH) {
      this.fillService(this.serviceBuf);
      this.servicePos = 0;
    }
    const serviceUs = this.serviceBuf[this.servicePos++]!;
    const tier = this.tier;
    const series = this.series;
    const d = tier.dispatch(t, serviceUs);
    const counted = t >= this.warmupUs;
    this.requests++;
    if (counted) this.arrived++;
    if (d < 0) {
      const code = d === REJECT_BACKLOG ? H11 : H14;
      series.error(code, t, -1);
      if (counted) this.errors[code]!++;
      if (t > this.lastResponseUs) this.lastResponseUs = t;
    } else {
      const start = tier.startUs;
      const end = tier.endUs;
      const responseUs = end - t;
      const timeoutUs = this.timeoutUs;
      const timedOut = responseUs > timeoutUs;
      const clientUs = timedOut ? timeoutUs : responseUs;
      const answeredAt = t + clientUs;
      if (answeredAt > this.lastResponseUs) this.lastResponseUs = answeredAt;
      if (timedOut) series.error(H12, answeredAt, clientUs);
      else series.response(answeredAt, clientUs);
      const waitUs = start - t;
      if (counted) {
        this.latency.record(clientUs);
        this.queue.record(waitUs);
        if (waitUs > 0) this.queued++;
        this.perDynoRequests[d]!++;
        this.perDynoQueueUs[d]! += waitUs;
        if (timedOut) {
          this.errors[H12]!++;
          this.perDynoTimeouts[d]!++;
          this.servedAfterTimeout++;
        } else {
          this.completed++;
        }
      }
    }
    this.advance();
  }

  private advance(): void {
    if (this.arrivalPos === BATCH) {
      this.arrivals.fill(this.arrivalBuf);
      this.arrivalPos = 0;
    }
    const next = this.arrivalBuf[this.arrivalPos++]!;
    this.nextUs = next < this.durationUs ? next : Infinity;
  }
}
