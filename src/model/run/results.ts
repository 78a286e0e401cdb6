/** What a run produces: flat records and aggregates, ready for reports; nothing here reaches back into the engine. */
import type { CostReport, DynoUsage } from '../billing/bill.ts';
import type { ReplayReport } from '../traffic/spec.ts';
import type { MinuteRow } from '../flow/MinuteSeries.ts';
import type { LifecycleEvent, PlatformCounts } from '../dynos/contracts.ts';
import type { MetricsSample } from '../dynos/DynoMemory.ts';
import type { OneOffCounts } from '../dynos/OneOffRunner.ts';
import type { QueueMinute } from '../flow/JobFlow.ts';
import type { Histogram } from '../../engine/Histogram.ts';
import type { ScalingRow } from '../scaling/Scaler.ts';
import type { WarmupDetection } from '../Scenario.ts';

/** The deterministic summary of a run (summary.json). Times in ms, fractions 0..1, money in USD. */
export interface Summary {
  dynosim: { version: string };
  scenario: { name: string; description: string; platform: string; seed: number; durationS: number; warmupS: number; routerPolicy: string };
  /** `warmup: auto` only: how the warm-up (scenario.warmupS) was detected. */
  warmup?: WarmupDetection;
  requests: {
    /** Requests arriving after the warm-up and before the end. */
    arrived: number;
    /** Of those, answered by a dyno within the router timeout. */
    completed: number;
    /** Of those, answered by the router with an error, by Heroku code (codes that occurred). */
    errors: Record<string, number>;
    errorRate: number;
    /** Timed-out requests the dyno went on serving and finished (the client had its H12 already). */
    servedAfterTimeout: number;
  };
  /** Share of arriving requests answered by a dyno within the timeout, with no router error (= 1 − errorRate). */
  availability: number;
  /** Response time as the client sees it, over requests that reached a dyno; an H12 counts as the timeout. */
  latency: { meanMs: number | null; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; p999Ms: number | null; maxMs: number | null };
  /** From arrival at the router to the start of service, over requests that started service. */
  queue: { meanMs: number | null; p95Ms: number | null; p99Ms: number | null; fractionQueued: number | null };
  /** By process type: its starting count, its size (at the end of the run), concurrency and busy share; `sizes` in the order run, for a type resized during the run. */
  /**
   * Eco (when the app runs Eco dynos): sleeps for want of traffic, wakes by a request, the
   * mean time from a wake to the web dyno up (what the waking request waits, at least), pools
   * used up, the pool hours the app used over the run, and the pool's hours used by the end
   * of the run's last month (the account's other apps' included).
   */
  eco?: { sleeps: number; wakes: number; poolsUsedUp: number; meanWakeMs: number | null; appPoolHours: number; poolUsedHours: number };
  dynos: Record<string, { count: number; size: string; concurrency: number; busyFraction: number; sizes?: string[]; resizes?: number; preboots?: number }>;
  /** What the platform did: host failures, crashes (R10 included), relocations, restarts of any cause, daily cycles, runtime errors logged, time waiting for a host. */
  platform: { hostFailures: number } & Omit<PlatformCounts, 'placementWaitUs'> & { placementWaitS: number };
  cost: {
    pricePer: 'hour' | 'month';
    dynoHours: number;
    freeHours: number;
    billableHours: number;
    totalUsd: number;
    monthlyUsd: number;
  };
  /** Per request class, when there are several: outcomes and latency as above. */
  classes?: Record<string, ClassSummary>;
  /** Per job queue. */
  queues?: Record<string, QueueSummary>;
  /** One-off and scheduler dynos. */
  oneOffs?: OneOffCounts;
  /** Replayed traffic: what was read from the file. */
  replay?: ReplayReport;
  /** Process types with a scaling strategy: what it did. */
  scaling?: Record<string, ScalingSummary>;
}

/** What a scaling strategy did to a process type over the run. */
export interface ScalingSummary {
  strategy: string;
  /** Changes of the dyno count it made. */
  changes: number;
  /** Dynos in the formation: fewest, most, and mean over the run. */
  min: number;
  max: number;
  mean: number;
  /** Billed dyno-hours of the process type by dyno size (a resize can give more than one). */
  dynoHours: Record<string, number>;
}

export type ClassSummary = { arrived: number; completed: number; errors: number } & Summary['latency'];

/** A job queue over the run: counts over jobs enqueued after the warm-up; times in ms. */
export interface QueueSummary {
  /** The process type taking its jobs, or null when none does. */
  workers: string | null;
  enqueued: number;
  /** Handed to a worker and run to the end. */
  completed: number;
  /** Running on a worker that died, with lostJobs: lose. */
  lost: number;
  /** Running on a worker that died, and delivered again. */
  redelivered: number;
  /** Still waiting at the end for a worker to come up. */
  stranded: number;
  /** Jobs waiting, on average over the measured window. */
  lengthMean: number;
  /** Share of the jobs handed to a worker that waited for one. */
  fractionWaited: number | null;
  /** From enqueue to the start of the run on a worker. */
  wait: { meanMs: number | null; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; maxMs: number | null };
  run: { meanMs: number | null; p95Ms: number | null };
}

/** One row of dynos.csv. */
export interface DynoRow {
  dyno: string;
  processType: string;
  size: string;
  concurrency: number;
  /** Requests routed to the dyno (jobs taken, for a worker) after the warm-up. */
  requests: number;
  /** Of those, how many the client saw time out (H12). */
  timeouts: number;
  queueMeanMs: number | null;
  busyFraction: number;
  billedHours: number;
}

export interface RunResult {
  summary: Summary;
  dynos: DynoRow[];
  cost: CostReport;
  /** The time series, when the run was asked to keep it (see `SimulateOptions.onMinute`). */
  timeseries: MinuteRow[];
  /** Each job queue's minutes (queues.csv), when kept (see `SimulateOptions.onQueueMinute`). */
  queueSeries: QueueMinute[];
  /** Every change in a dyno's life (events.csv). */
  lifecycle: LifecycleEvent[];
  /** Runtime-metrics samples, when kept (see `SimulateOptions.onMetrics`). */
  metrics: MetricsSample[];
  /** Requests simulated, warm-up included. */
  requests: number;
  /** Engine events run (arrivals plus scheduled events). */
  events: number;
  /** Simulated time at which the last client response was sent (µs). */
  endUs: number;
  /** The run's latency and queue-time histograms (µs), mergeable across replications and shards. */
  histograms: { latency: Histogram; queue: Histogram };
  /** Every change a scaling strategy made (scaling.csv), when kept (see `SimulateOptions.onScaling`). */
  scaling: ScalingRow[];
  /** Every stretch of time a dyno was billed for, in time order: what cost.csv prices. */
  usages: DynoUsage[];
}
