/**
 * One job queue (a Sidekiq or Resque queue) and the worker dynos that take jobs from it.
 * Workers pull from one first-in first-out queue, so the queue and its workers are a
 * shared-queue tier in closed form (see WebTier): a job enqueued at t starts on the
 * first worker to fall free, and its wait and run time are known at once. There is no
 * timeout and no backlog limit: Redis keeps what the workers have not taken.
 *
 * With no worker up, jobs wait in the queue until one is. When a worker's process dies
 * (crash, host failure, SIGKILL after the shutdown grace), the jobs it had not started
 * go back to the queue, and the jobs it was running are delivered again or lost, as the
 * queue's `lostJobs` says.
 */
import type { Engine } from '../../engine/Engine.ts';
import { FloatRing } from '../../engine/FloatRing.ts';
import { Histogram } from '../../engine/Histogram.ts';
import type { WorkFlow } from '../dynos/contracts.ts';
import type { QueueSpec } from '../Scenario.ts';
import { ARRIVAL, END, SERVICE, START, type TrackRecords } from '../router/TrackLog.ts';
import type { WebTier } from '../router/WebTier.ts';
import type { FlowObserver } from '../scaling/Scaler.ts';

/** One row of queues.csv: a queue over one simulated minute. */
export interface QueueMinute {
  readonly minute: number;
  readonly queue: string;
  /** Jobs enqueued in the minute. */
  readonly enqueued: number;
  /** Mean wait of the jobs handed to a worker in the minute (ms), or null. */
  readonly waitMeanMs: number | null;
  /** Jobs waiting, on average over the minute and at its end. */
  readonly lengthMean: number;
  readonly lengthEnd: number;
  readonly lost: number;
  readonly redelivered: number;
}

export class JobFlow implements WorkFlow {
  readonly spec: QueueSpec;
  // Over jobs enqueued after the warm-up:
  enqueued = 0;
  completed = 0;
  /** Of those handed to a worker, how many waited for one. */
  waited = 0;
  lostJobs = 0;
  redelivered = 0;
  readonly wait = new Histogram(10);
  readonly run = new Histogram(10);
  /** When the last job ends (µs). */
  lastEndUs = 0;
  /** Jobs each worker dyno (slot) took, after the warm-up. */
  readonly perDyno: Float64Array;
  /** Mean number of jobs waiting over the measured window (set when it closes). */
  lengthMean = 0;
  private windowOpenIntegralUs = 0;
  private windowOpenUs = 0;

  /** Told of every job's start and wait, for an autoscaler of the workers (null: none watches). */
  observer: FlowObserver | null = null;
  private readonly engine: Engine;
  private readonly tier: WebTier | null;
  private readonly warmupUs: number;
  /** Jobs no worker can take yet: enqueued at, run time. */
  private readonly held = new FloatRing(64);
  /** Time integral of the held count, and when it was last brought up to date. */
  private heldIntegralUs = 0;
  private heldSinceUs = 0;
  // The minute being counted.
  private minute = { enqueued: 0, handed: 0, waitUs: 0, lost: 0, redelivered: 0, integralUs: 0 };

  constructor(engine: Engine, spec: QueueSpec, tier: WebTier | null, warmupUs: number, slots: number) {
    this.perDyno = new Float64Array(slots);
    this.engine = engine;
    this.spec = spec;
    this.tier = tier;
    this.warmupUs = warmupUs;
  }

  /** A job of `runUs` joins the queue now. */
  enqueue(nowUs: number, runUs: number): void {
    if (nowUs >= this.warmupUs) this.enqueued++;
    this.minute.enqueued++;
    this.dispatch(nowUs, nowUs, runUs);
  }

  private dispatch(enqueuedUs: number, nowUs: number, runUs: number): void {
    const tier = this.tier;
    const d = tier === null ? -1 : tier.dispatch(nowUs, runUs);
    if (d < 0) {
      this.settleHeld(nowUs);
      this.held.push(enqueuedUs);
      this.held.push(runUs);
      return;
    }
    const start = tier!.startUs;
    const end = tier!.endUs;
    if (end > this.lastEndUs) this.lastEndUs = end;
    this.minute.handed++;
    this.minute.waitUs += start - enqueuedUs;
    this.observer?.started(start, start - enqueuedUs, 1);
    if (enqueuedUs >= this.warmupUs) {
      this.wait.record(start - enqueuedUs);
      this.run.record(end - start);
      this.completed++;
      if (start > enqueuedUs) this.waited++;
      this.perDyno[tier!.ownerOf[d]!]!++;
    }
    if (tier!.tracking) tier!.track(d, enqueuedUs, nowUs, runUs, 0, -1, 0);
  }

  /** A worker is up: the jobs waiting for one go to the workers, oldest first. */
  releaseHeld(nowUs: number): void {
    const h = this.held;
    if (h.length === 0) return;
    this.settleHeld(nowUs);
    const n = h.length / 2;
    for (let i = 0; i < n; i++) {
      const enqueuedUs = h.at(0);
      const runUs = h.at(1);
      h.dropFirst(2);
      this.dispatch(enqueuedUs, nowUs, runUs);
    }
  }

  /** A job held by a worker whose process died now: back to the queue, delivered again, or lost. */
  lost(ring: TrackRecords, o: number, b: number): void {
    const buf = ring.buf;
    const enqueuedUs = buf[o + ARRIVAL]!;
    const start = buf[o + START]!;
    const end = buf[o + END]!;
    const nowUs = this.engine.nowUs;
    if (start >= nowUs) this.observer?.started(start, start - enqueuedUs, -1);
    if (enqueuedUs >= this.warmupUs) {
      this.wait.remove(start - enqueuedUs);
      this.run.remove(end - start);
      this.completed--;
      if (start > enqueuedUs) this.waited--;
      this.perDyno[this.tier!.ownerOf[b]!]!--;
    }
    if (start < nowUs) {
      // It was running: the worker took it off the queue.
      if (this.spec.lostJobs === 'lose') {
        if (enqueuedUs >= this.warmupUs) this.lostJobs++;
        this.minute.lost++;
        return;
      }
      if (enqueuedUs >= this.warmupUs) this.redelivered++;
      this.minute.redelivered++;
    }
    this.dispatch(enqueuedUs, nowUs, buf[o + SERVICE]!);
  }

  /** Jobs waiting at `tUs` (no earlier than the last enqueue): in the queue for a worker, or for any worker to come up. */
  waiting(tUs: number): number {
    return (this.tier === null ? 0 : this.tier.refreshAll(tUs)) + this.held.length / 2;
  }

  /** Jobs still waiting for a worker to come up (at the end of the run). */
  get stranded(): number {
    return this.held.length / 2;
  }

  /** Time integral of the number of jobs waiting, from the start to `tUs`. */
  waitingIntegralUs(tUs: number): number {
    this.settleHeld(tUs);
    return (this.tier === null ? 0 : this.tier.queueIntegralUs(tUs)) + this.heldIntegralUs;
  }

  private settleHeld(tUs: number): void {
    if (tUs > this.heldSinceUs) {
      this.heldIntegralUs += (this.held.length / 2) * (tUs - this.heldSinceUs);
      this.heldSinceUs = tUs;
    }
  }

  /** The measured window opens (edge 0) or closes (edge 1) at `tUs`. */
  window(edge: number, tUs: number): void {
    const integral = this.waitingIntegralUs(tUs);
    if (edge === 0) {
      this.windowOpenIntegralUs = integral;
      this.windowOpenUs = tUs;
    } else if (tUs > this.windowOpenUs) {
      this.lengthMean = Math.round(((integral - this.windowOpenIntegralUs) / (tUs - this.windowOpenUs)) * 1000) / 1000;
    }
  }

  /** The minute `m` just ended at `tUs`: its row, and a fresh count. */
  takeMinute(m: number, tUs: number, minuteUs: number): QueueMinute {
    const integral = this.waitingIntegralUs(tUs);
    const c = this.minute;
    const row: QueueMinute = {
      minute: m,
      queue: this.spec.name,
      enqueued: c.enqueued,
      waitMeanMs: c.handed === 0 ? null : Math.round(c.waitUs / c.handed) / 1000,
      lengthMean: Math.round(((integral - c.integralUs) / minuteUs) * 1000) / 1000,
      lengthEnd: this.waiting(tUs),
      lost: c.lost,
      redelivered: c.redelivered,
    };
    this.minute = { enqueued: 0, handed: 0, waitUs: 0, lost: 0, redelivered: 0, integralUs: integral };
    return row;
  }
}
