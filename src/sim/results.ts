/** What a run produces: flat records and aggregates, ready for reports; nothing here reaches back into the engine. */
import type { CostReport } from '../billing/bill.ts';
import type { MinuteRow } from './MinuteSeries.ts';
import type { LifecycleEvent, PlatformCounts } from '../dynos/DynoManager.ts';
import type { MetricsSample } from '../dynos/DynoMemory.ts';

/** The deterministic summary of a run (summary.json). Times in ms, fractions 0..1, money in USD. */
export interface Summary {
  dynosim: { version: string };
  scenario: { name: string; description: string; platform: string; seed: number; durationS: number; warmupS: number; routerPolicy: string };
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
  dynos: Record<string, { count: number; size: string; concurrency: number; busyFraction: number }>;
  /** What the platform did: host failures, crashes (R10 included), relocations, restarts of any cause, daily cycles, runtime errors logged, time waiting for a host. */
  platform: Omit<PlatformCounts, 'placementWaitUs'> & { placementWaitS: number };
  cost: {
    pricePer: 'hour' | 'month';
    dynoHours: number;
    freeHours: number;
    billableHours: number;
    totalUsd: number;
    monthlyUsd: number;
  };
}

/** One row of dynos.csv. */
export interface DynoRow {
  dyno: string;
  processType: string;
  size: string;
  concurrency: number;
  /** Requests routed to the dyno after the warm-up. */
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
}
