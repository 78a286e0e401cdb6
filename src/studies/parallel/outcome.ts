/**
 * What one replication of a scenario leaves for comparisons, sweeps and plans: a fixed set
 * of metrics (numbers, or null when a run has nothing to measure them on) and the latency
 * and queue-time histograms, which merge losslessly across replications and shards.
 * Outcomes are plain data (JSON), so that worker threads and shard files can carry them.
 */
import { Histogram } from '../../engine/Histogram.ts';
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

/** A metric's CSV column, with `qualifier` (lo, hi, mean, upper95 …) before the unit: `p95_ms`, `p95_lo_ms`. */
export function metricColumn(key: MetricKey, qualifier?: string): string {
  const c = METRIC_COLUMNS[key];
  return qualifier === undefined ? `${c.name}_${c.unit}` : `${c.name}_${qualifier}_${c.unit}`;
}
export type HistogramJson = ReturnType<Histogram['toJSON']>;

export interface Outcome {
  readonly metrics: Record<MetricKey, number | null>;
  /** Client latency (µs), over requests after the warm-up. */
  readonly latency: HistogramJson;
  /** Queue time (µs), from arrival to the start of service. */
  readonly queue: HistogramJson;
  /** Requests simulated, warm-up included. */
  readonly requests: number;
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
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Histograms of several runs (JSON form) merged into one, losslessly: bucket counts add up. */
export function mergeHistograms(hs: readonly HistogramJson[]): Histogram {
  const out = new Histogram(hs[0]?.bits ?? 10);
  for (const h of hs) out.merge(Histogram.fromJSON(h));
  return out;
}
