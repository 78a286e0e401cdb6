/**
 * Jobs on their way to the queues. A request of a class that enqueues jobs puts them on
 * their queues when its dyno finishes it (the app enqueues while serving; the job is
 * visible once the request's work is done), each with its probability, decided by a hash
 * of the request so that a request routed again decides the same. If the dyno dies
 * first, the jobs never come. Jobs that arrive on their own (job sources) come as
 * Poisson streams. Run times are drawn when a job is enqueued, from its own stream.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { Streams, Uniform } from '../../engine/streams.ts';
import { jobUnit } from '../logs/ids.ts';
import type { Scenario } from '../Scenario.ts';
import type { JobFlow } from './JobFlow.ts';
import type { JobSink } from './RequestFlow.ts';
import { Draws } from '../traffic/service/Draws.ts';

/** Packing of (request index, class, job lane) into one event argument. */
const LANES = 16;
const CLASSES = 256;

export class JobDispatcher implements JobSink {
  /** When the last job reaches its queue (µs). */
  lastEnqueueUs = 0;
  private readonly engine: Engine;
  private readonly seed: number;
  private readonly queues: readonly JobFlow[];
  /** Per class, per lane: queue, probability, run-time draws. */
  private readonly lanes: { queue: number; probability: number; run: Draws }[][];
  /** Job events of requests whose dyno died, by packed argument: the times they were due. */
  private readonly cancelled = new Map<number, number[]>();
  private readonly kind: number;
  private readonly sources: { queue: number; meanGapUs: number; run: Draws; u: Uniform }[];
  private readonly sourceKind: number;
  private readonly endUs: number;

  constructor(engine: Engine, s: Scenario, queues: readonly JobFlow[], streams: Streams) {
    this.engine = engine;
    this.seed = s.seed;
    this.queues = queues;
    this.endUs = s.durationUs;
    this.lanes = s.traffic.classes.map((c) =>
      c.jobs.map((j, k) => ({ queue: j.queue, probability: j.probability, run: new Draws(j.run.filler(streams.stream(`jobs/${c.name}/${k}`))) })),
    );
    this.kind = engine.register((arg, t) => this.due(arg, t));
    this.sources = s.jobSources.map((j, i) => ({
      queue: j.queue,
      meanGapUs: j.perS > 0 ? 1e6 / j.perS : Infinity,
      run: new Draws(j.run.filler(streams.stream(`jobs/source/${i}/run`))),
      u: streams.stream(`jobs/source/${i}/arrivals`),
    }));
    this.sourceKind = engine.register((i, t) => this.sourceArrival(i, t));
  }

  /** Whether any request class enqueues jobs. */
  get fromRequests(): boolean {
    return this.lanes.some((l) => l.length > 0);
  }

  /** Schedules the first job of each source. */
  start(): void {
    this.sources.forEach((_, i) => this.scheduleSource(i, 0));
  }

  /** Whether request `index` of class `cls` enqueues the class's job `k`. */
  private enqueues(index: number, cls: number, k: number): boolean {
    const p = this.lanes[cls]![k]!.probability;
    return p >= 1 || jobUnit(this.seed, index, cls * LANES + k) < p;
  }

  served(index: number, cls: number, endUs: number): void {
    for (let k = 0; k < this.lanes[cls]!.length; k++) {
      if (!this.enqueues(index, cls, k)) continue;
      this.engine.at(endUs, this.kind, (index * CLASSES + cls) * LANES + k);
      if (endUs > this.lastEnqueueUs) this.lastEnqueueUs = endUs;
    }
  }

  lost(index: number, cls: number, endUs: number): void {
    for (let k = 0; k < this.lanes[cls]!.length; k++) {
      if (!this.enqueues(index, cls, k)) continue;
      const arg = (index * CLASSES + cls) * LANES + k;
      const due = this.cancelled.get(arg);
      if (due === undefined) this.cancelled.set(arg, [endUs]);
      else due.push(endUs);
    }
  }

  private due(arg: number, tUs: number): void {
    const due = this.cancelled.get(arg);
    if (due !== undefined) {
      const i = due.indexOf(tUs);
      if (i >= 0) {
        due.splice(i, 1);
        if (due.length === 0) this.cancelled.delete(arg);
        return;
      }
    }
    const k = arg % LANES;
    const cls = Math.floor(arg / LANES) % CLASSES;
    const lane = this.lanes[cls]![k]!;
    this.queues[lane.queue]!.enqueue(tUs, lane.run.next());
  }

  private scheduleSource(i: number, fromUs: number): void {
    const src = this.sources[i]!;
    const t = fromUs - src.meanGapUs * Math.log(1 - src.u.next());
    if (t < this.endUs) {
      this.engine.at(t, this.sourceKind, i);
      if (t > this.lastEnqueueUs) this.lastEnqueueUs = t;
    }
  }

  private sourceArrival(i: number, tUs: number): void {
    const src = this.sources[i]!;
    this.queues[src.queue]!.enqueue(tUs, src.run.next());
    this.scheduleSource(i, tUs);
  }
}
