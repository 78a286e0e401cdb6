/**
 * What one replication of a scenario leaves for comparisons, sweeps and plans: a fixed set
 * of metrics (numbers, or null when a run has nothing to measure them on) and the latency
 * and queue-time histograms, which merge losslessly across replications and shards.
 * Outcomes are plain data (JSON), so that worker threads and shard files can carry them.
 */
import { Histogram, type HistogramJson } from '../../engine/Histogram.ts';
import type { RunResult } from '../../model/run/results.ts';

/** The metrics of a run, by name: what `--slo`, compare tables and sweep columns speak of. */
export const METRICS = [
  { key: 'p50', label: 'p50 latency', unit: 'ms', better: 'lower' },
  { key: 'p95', label: 'p95 latency', unit: 'ms', better: 'lower' },
  { key: 'p99', label: 'p99 latency', unit: 'ms', better: 'lower' },
  { key: 'p999', label: 'p99.9 latency', unit: 'ms', better: 'lower' },
  { key: 'mean', label: 'mean latency', unit: 'ms', better: 'lower' },
  { key: 'queue.mean', label: 'mean queue time', unit: 'ms', better: 'lower' },
  { key: 'queue.p95', label: 'p95 queue time', unit: 'ms', better: 'lower' },
  { key: 'errors', label: 'error rate', unit: 'share', better: 'lower' },
  { key: 'availability', label: 'availability', unit: 'share', better: 'higher' },
  { key: 'cost', label: 'cost of the run', unit: 'usd', better: 'lower' },
  { key: 'monthly', label: 'monthly cost', unit: 'usd', better: 'lower' },
  { key: 'dyno-hours', label: 'dyno hours', unit: 'h', better: 'lower' },
  { key: 'dynos', label: 'mean web dynos', unit: 'dynos', better: 'lower' },
  { key: 'scalings', label: 'scaling changes', unit: 'count', better: 'lower' },
] as const;

export type MetricKey = (typeof METRICS)[number]['key'];

/** The statistics of a job queue's wait a `<process>.wait.<stat>` metric names. */
export const WAIT_STATS = ['mean', 'p50', 'p95', 'p99'] as const;
export type WaitStat = (typeof WAIT_STATS)[number];

/**
 * A worker process type's job wait (enqueue to the start of the job on a worker, ms, over
 * jobs enqueued after the warm-up), as summary.json's `queues.<queue>.wait` reports it for
 * the queue that process type takes its jobs from: `worker.wait.p95`, `urgent.wait.mean`.
 */
export type WaitMetricKey = `${string}.wait.${WaitStat}`;

/** Any metric a plan's SLO or precision may name: a run's metric, or a worker process type's wait. */
export type AnyMetricKey = MetricKey | WaitMetricKey;

/** `worker.wait.p95` as its process type and statistic; null when the key is not of that form. */
export function parseWaitMetric(key: string): { readonly process: string; readonly stat: WaitStat } | null {
  const m = /^([A-Za-z0-9_-]+)\.wait\.([a-z0-9]+)$/.exec(key);
  if (m === null) return null;
  const stat = WAIT_STATS.find((s) => s === m[2]);
  return stat === undefined ? null : { process: m[1]!, stat };
}

/** A metric's label and unit, for a run's metric or a worker's wait. */
export function anyMetricInfo(key: string): { readonly key: AnyMetricKey; readonly label: string; readonly unit: (typeof METRICS)[number]['unit']; readonly better: 'lower' | 'higher' } | undefined {
  const known = metricInfo(key);
  if (known !== undefined) return known;
  const w = parseWaitMetric(key);
  if (w === null) return undefined;
  return { key: `${w.process}.wait.${w.stat}`, label: `${w.stat} job wait of ${w.process}`, unit: 'ms', better: 'lower' };
}

/** One replication's value of any metric: a run's, or a worker process type's wait (null when the run has no such worker or it ran no job). */
export function metricValue(o: Pick<Outcome, 'metrics' | 'waits'>, key: AnyMetricKey): number | null {
  const w = parseWaitMetric(key);
  if (w === null) return o.metrics[key as MetricKey] ?? null;
  return o.waits?.[w.process]?.[w.stat] ?? null;
}

/**
 * Each metric's column in the study CSVs (sweep.csv, runs.csv, plan.csv): a snake_case
 * name and the unit it ends with, so that every header says its unit (`p95_ms`,
 * `cost_usd_month`). A qualifier goes before the unit: `p95_lo_ms`, `cost_mean_usd_month`.
 */
export const METRIC_COLUMNS: Readonly<Record<MetricKey, { readonly name: string; readonly unit: string }>> = {
  p50: { name: 'p50', unit: 'ms' },
  p95: { name: 'p95', unit: 'ms' },
  p99: { name: 'p99', unit: 'ms' },
  p999: { name: 'p999', unit: 'ms' },
  mean: { name: 'mean', unit: 'ms' },
  'queue.mean': { name: 'queue_mean', unit: 'ms' },
  'queue.p95': { name: 'queue_p95', unit: 'ms' },
  errors: { name: 'errors', unit: 'fraction' },
  availability: { name: 'availability', unit: 'fraction' },
  cost: { name: 'cost', unit: 'usd' },
  monthly: { name: 'cost', unit: 'usd_month' },
  'dyno-hours': { name: 'dyno', unit: 'hours' },
  dynos: { name: 'dynos', unit: 'count' },
  scalings: { name: 'scalings', unit: 'count' },
};

/** A metric's CSV column, with `qualifier` (lo, hi, mean, upper95 …) before the unit: `p95_ms`, `p95_lo_ms`; a worker's wait `worker_wait_p95_ms`. */
export function metricColumn(key: AnyMetricKey, qualifier?: string): string {
  const w = parseWaitMetric(key);
  const c = w === null ? METRIC_COLUMNS[key as MetricKey] : { name: `${w.process}_wait_${w.stat}`, unit: 'ms' };
  return qualifier === undefined ? `${c.name}_${c.unit}` : `${c.name}_${qualifier}_${c.unit}`;
}
export type { HistogramJson } from '../../engine/Histogram.ts';

export interface Outcome {
  readonly metrics: Record<MetricKey, number | null>;
  /** Client latency (µs), over requests after the warm-up. */
  readonly latency: HistogramJson;
  /** Queue time (µs), from arrival to the start of service. */
  readonly queue: HistogramJson;
  /** Requests simulated, warm-up included. */
  readonly requests: number;
  /** Each worker process type's job wait (ms), from the queue it takes jobs from; absent or empty without workers. */
  readonly waits?: Readonly<Record<string, Readonly<Record<WaitStat, number | null>>>>;
}

export function metricInfo(key: string): (typeof METRICS)[number] | undefined {
  return METRICS.find((m) => m.key === key);
}

/** The outcome of a finished run. */
export function outcomeOf(r: RunResult): Outcome {
  const s = r.summary;
  const durationH = s.scenario.durationS / 3600;
  let webHours = 0;
  for (const d of r.dynos) if (d.processType === 'web') webHours += d.billedHours;
  let scalings = 0;
  for (const sc of Object.values(s.scaling ?? {})) scalings += sc.changes;
  return {
    metrics: {
      p50: s.latency.p50Ms,
      p95: s.latency.p95Ms,
      p99: s.latency.p99Ms,
      p999: s.latency.p999Ms,
      mean: s.latency.meanMs,
      'queue.mean': s.queue.meanMs,
      'queue.p95': s.queue.p95Ms,
      errors: s.requests.errorRate,
      availability: s.availability,
      cost: s.cost.totalUsd,
      monthly: s.cost.monthlyUsd,
      'dyno-hours': s.cost.dynoHours,
      dynos: round6(webHours / durationH),
      scalings,
    },
    latency: r.histograms.latency.toJSON(),
    queue: r.histograms.queue.toJSON(),
    requests: r.requests,
    ...waitsOf(s),
  };
}

/** `{ waits }`: each worker process type's wait statistics, from the summary of its queue; nothing for a run without workers (its outcome stays as it was). */
function waitsOf(s: RunResult['summary']): { waits?: Record<string, Record<WaitStat, number | null>> } {
  const out: Record<string, Record<WaitStat, number | null>> = {};
  for (const q of Object.values(s.queues ?? {})) {
    if (q.workers === null) continue;
    out[q.workers] = { mean: q.wait.meanMs, p50: q.wait.p50Ms, p95: q.wait.p95Ms, p99: q.wait.p99Ms };
  }
  return Object.keys(out).length === 0 ? {} : { waits: out };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Histograms of several runs (JSON form) merged into one, losslessly: bucket counts add up. */
export function mergeHistograms(hs: readonly HistogramJson[]): Histogram {
  const out = new Histogram(hs[0]?.bits ?? 10);
  for (const h of hs) out.add(h);
  out.check();
  return out;
}
