/**
 * The result tables of a sweep, from the outcomes of its tasks in task order. One function
 * writes them for `dynosim sweep` and for `dynosim merge`, so a merged sweep's files are
 * the unsharded sweep's, byte for byte.
 *
 *  - sweep.csv: one row per grid point: the varied fields, the replications, each metric's
 *    mean and 95% Student-t interval over the replications, and latency percentiles of the
 *    point's requests pooled (the replications' latency histograms merged);
 *  - runs.csv: one row per run: the varied fields, replication, seed and every metric.
 *
 * Numbers are rounded by unit (ms to 3 decimals, shares to 8, money, hours and dynos to 4,
 * counts to 3) and written without trailing zeros; a metric no run measured is an empty cell.
 */
import { stringify } from 'csv-stringify/sync';
import { METRICS, mergeHistograms, metricColumn, type MetricKey, type Outcome } from '../parallel/outcome.ts';
import { interval, type Interval } from '../../stats/intervals.ts';
import { cellOf, pointCount, pointValues, taskCount, type SweepSpec } from './grid.ts';

const DECIMALS: Readonly<Record<string, number>> = { ms: 3, share: 8, usd: 4, h: 4, dynos: 4, count: 3 };

export const POOLED = [
  { key: 'pooled.p50', column: 'pooled_p50_ms', q: 0.5 },
  { key: 'pooled.p95', column: 'pooled_p95_ms', q: 0.95 },
  { key: 'pooled.p99', column: 'pooled_p99_ms', q: 0.99 },
  { key: 'pooled.p999', column: 'pooled_p999_ms', q: 0.999 },
] as const;

/** A number to `decimals` places, without trailing zeros ('' for null or NaN). */
export function fixed(x: number | null, decimals: number): string {
  if (x === null || !Number.isFinite(x)) return '';
  let s = x.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

function metricText(key: MetricKey, x: number | null): string {
  const unit = METRICS.find((m) => m.key === key)!.unit;
  return fixed(x, DECIMALS[unit] ?? 6);
}

/** What a grid point comes to over its replications. */
export interface PointResult {
  readonly point: number;
  /** The varied values as written in the CSV. */
  readonly cells: readonly string[];
  /** Per metric, the interval over the replications that measured it (null when none did). */
  readonly metrics: Record<MetricKey, Interval | null>;
  /** Pooled latency percentiles, ms (null with no requests). */
  readonly pooled: Record<(typeof POOLED)[number]['key'], number | null>;
}

/** The results of every point, in grid order. */
export function pointResults(spec: SweepSpec, outcomes: readonly Outcome[]): PointResult[] {
  const R = spec.replications;
  if (outcomes.length !== taskCount(spec)) throw new RangeError(`a sweep of ${taskCount(spec)} runs was given ${outcomes.length} outcomes`);
  const out: PointResult[] = [];
  const points = pointCount(spec.axes);
  for (let p = 0; p < points; p++) {
    const runs = outcomes.slice(p * R, (p + 1) * R);
    const metrics = {} as Record<MetricKey, Interval | null>;
    for (const m of METRICS) {
      const xs = runs.map((o) => o.metrics[m.key]).filter((x): x is number => x !== null && Number.isFinite(x));
      metrics[m.key] = xs.length === 0 ? null : interval(xs);
    }
    const h = mergeHistograms(runs.map((o) => o.latency));
    const qs = h.quantiles(POOLED.map((x) => x.q));
    const pooled = {} as PointResult['pooled'];
    POOLED.forEach((x, i) => (pooled[x.key] = Number.isFinite(qs[i]!) ? qs[i]! / 1000 : null));
    out.push({ point: p, cells: pointValues(spec.axes, p).map(cellOf), metrics, pooled });
  }
  return out;
}

export { mergeHistograms };

function csv(rows: string[][]): string {
  return stringify(rows, { record_delimiter: '\n' });
}

/** sweep.csv's columns after the varied fields and `replications`: each metric's mean and 95% interval (`p95_ms`, `p95_lo_ms`, `p95_hi_ms`), then the pooled percentiles. */
export const SWEEP_COLUMNS: readonly string[] = [...METRICS.flatMap((m) => [metricColumn(m.key), metricColumn(m.key, 'lo'), metricColumn(m.key, 'hi')]), ...POOLED.map((x) => x.column)];

/** sweep.csv and runs.csv of a sweep whose tasks had these outcomes (in task order), and the points' results they show. */
export function sweepTables(spec: SweepSpec, outcomes: readonly Outcome[]): { sweepCsv: string; runsCsv: string; points: PointResult[] } {
  const paths = spec.axes.map((a) => a.path);
  const points = pointResults(spec, outcomes);
  const sweepRows: string[][] = [[...paths, 'replications', ...SWEEP_COLUMNS]];
  for (const p of points) {
    const row = [...p.cells, String(spec.replications)];
    for (const m of METRICS) {
      const iv = p.metrics[m.key];
      row.push(metricText(m.key, iv?.mean ?? null), metricText(m.key, iv?.lo ?? null), metricText(m.key, iv?.hi ?? null));
    }
    for (const x of POOLED) row.push(fixed(p.pooled[x.key], 3));
    sweepRows.push(row);
  }
  const runRows: string[][] = [[...paths, 'replication', 'seed', ...METRICS.map((m) => metricColumn(m.key))]];
  outcomes.forEach((o, i) => {
    const r = i % spec.replications;
    const cells = points[Math.floor(i / spec.replications)]!.cells;
    runRows.push([...cells, String(r + 1), String(spec.seed + r), ...METRICS.map((m) => metricText(m.key, o.metrics[m.key]))]);
  });
  return { sweepCsv: csv(sweepRows), runsCsv: csv(runRows), points };
}
