/**
 * Comparing alternatives (scenario files, or variants of one scenario) from replicated
 * runs on common random numbers: replication r of every alternative ran with the same
 * seed, so it saw the same arrivals, service times and failures, and the difference
 * between two alternatives' replication r is a fair pair. Per metric and alternative:
 * the mean with its confidence interval; per alternative after the first: the mean paired
 * difference to the first with its interval, whether that interval excludes 0, and the
 * relative change with its own interval, from the ratio of the paired replications on the
 * log scale (stats/intervals.ts, pairedRatio), so that it never goes below −100%. Pooled
 * latency figures come from the merged histograms.
 *
 * Everything here is computation: output/report/compare.ts writes it as text, CSV and JSON,
 * and the command reads and writes the files.
 */
import { METRICS, mergeHistograms, type MetricKey, type Outcome } from '../parallel/outcome.ts';
import { interval, pairedInterval, pairedRatio, type Interval } from '../../stats/intervals.ts';
import type { PrecisionReport } from '../parallel/precision.ts';

export type Metric = (typeof METRICS)[number];
export type Unit = Metric['unit'];

/** One of the things compared: a scenario file as written, or one of a scenario's variants. */
export interface Alternative {
  /** The name the comparison gives it (unique). */
  readonly name: string;
  /** The scenario file, as the user named it. */
  readonly file: string;
  /** The variant run (null: the scenario as written). */
  readonly variant: string | null;
  /** The scenario's own name. */
  readonly scenario: string;
}

export interface CompareSetup {
  readonly version: string;
  readonly files: readonly string[];
  /** The variants compared, in order (null when the alternatives are whole files). */
  readonly variants: readonly string[] | null;
  /** Whether the base scenario is the first alternative (with variants). */
  readonly base: boolean;
  readonly replications: number;
  /** Replication r of every alternative ran with seeds[r]. */
  readonly seeds: readonly number[];
  /** `--set` overrides applied to every alternative. */
  readonly set: readonly string[];
  /** Confidence level of the intervals (0.95). */
  readonly level: number;
}

/** A mean with its interval; null figures where there is nothing to go on. */
export interface Estimate {
  /** Replications with a value. */
  readonly n: number;
  readonly mean: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
  /** Half-width (null with fewer than two values). */
  readonly half: number | null;
}

export interface Difference extends Estimate {
  /**
   * The change relative to the first alternative, in percent: (ratio − 1) × 100, the ratio
   * of this alternative to the first from their paired replications (null when the first's
   * mean is 0 or unknown). See `pctMethod`.
   */
  readonly pct: number | null;
  /** The change's 95% interval, in percent: never below −100% (null with one pair, or when the ratio has no bounded interval). */
  readonly pctLo: number | null;
  readonly pctHi: number | null;
  /**
   * How the ratio was estimated: 'log-ratio' (every value above 0: the geometric mean of
   * the replications' ratios, its interval from the mean of their logs), 'fieller' (some
   * replication measured 0: the ratio of the means, Fieller's interval), null without a pct.
   */
  readonly pctMethod: 'log-ratio' | 'fieller' | null;
  /** The interval excludes 0: a real difference at this confidence, not noise. */
  readonly significant: boolean;
}

export interface MetricComparison {
  readonly metric: Metric;
  /** One per alternative, in order. */
  readonly estimates: readonly Estimate[];
  /** One per alternative; null for the first (the reference). */
  readonly differences: readonly (Difference | null)[];
}

/** Latency and queue time over every request of every replication (merged histograms), in ms. */
export interface Pooled {
  readonly requests: number;
  readonly latency: { count: number; meanMs: number | null; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; p999Ms: number | null; maxMs: number | null };
  readonly queue: { count: number; meanMs: number | null; p95Ms: number | null; p99Ms: number | null };
}

export interface Comparison {
  readonly setup: CompareSetup;
  readonly alternatives: readonly Alternative[];
  readonly metrics: readonly MetricComparison[];
  readonly pooled: readonly Pooled[];
  /** Per alternative and metric, the value of each replication (null where the run had none). */
  readonly values: readonly Record<MetricKey, readonly (number | null)[]>[];
  /** With `--precision`: how many replications it took and what precision each alternative reached (one group per alternative); null with a fixed number. */
  readonly precision: PrecisionReport | null;
}

/**
 * Aggregates the outcomes: `outcomes[a][r]` is replication r of alternative a, and every
 * alternative has one outcome per seed of the setup.
 */
export function compareOutcomes(setup: CompareSetup, alternatives: readonly Alternative[], outcomes: readonly (readonly Outcome[])[], precision: PrecisionReport | null = null): Comparison {
  if (alternatives.length === 0) throw new RangeError('nothing to compare');
  if (outcomes.length !== alternatives.length) throw new RangeError('one list of outcomes per alternative');
  for (const os of outcomes) if (os.length !== setup.seeds.length) throw new RangeError('one outcome per seed for every alternative');
  const values = outcomes.map((os) => {
    const v = {} as Record<MetricKey, (number | null)[]>;
    for (const m of METRICS) v[m.key] = os.map((o) => finiteOrNull(o.metrics[m.key]));
    return v;
  });
  const metrics = METRICS.map((metric): MetricComparison => {
    const first = values[0]![metric.key];
    const estimates = values.map((v) => estimateOf(interval(present(v[metric.key]), setup.level)));
    const differences = values.map((v, a) => {
      if (a === 0) return null;
      const xs: number[] = [];
      const ys: number[] = [];
      v[metric.key].forEach((y, r) => {
        const x = first[r];
        if (x !== null && x !== undefined && y !== null) {
          xs.push(x);
          ys.push(y);
        }
      });
      const e = estimateOf(pairedInterval(xs, ys, setup.level));
      const ratio = pairedRatio(xs, ys, setup.level);
      const toPct = (x: number | null): number | null => (x === null ? null : 100 * (x - 1));
      const significant = e.half !== null && e.lo !== null && e.hi !== null && (e.lo > 0 || e.hi < 0);
      return { ...e, pct: ratio === null ? null : toPct(ratio.ratio), pctLo: toPct(ratio?.lo ?? null), pctHi: toPct(ratio?.hi ?? null), pctMethod: ratio?.method ?? null, significant };
    });
    return { metric, estimates, differences };
  });
  const pooled = outcomes.map(pool);
  return { setup, alternatives, metrics, pooled, values, precision };
}

function finiteOrNull(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : x;
}

function present(xs: readonly (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null);
}

function estimateOf(iv: Interval): Estimate {
  if (iv.n === 0) return { n: 0, mean: null, lo: null, hi: null, half: null };
  if (iv.n === 1 || !Number.isFinite(iv.half)) return { n: iv.n, mean: iv.mean, lo: null, hi: null, half: null };
  return { n: iv.n, mean: iv.mean, lo: iv.lo, hi: iv.hi, half: iv.half };
}

function pool(os: readonly Outcome[]): Pooled {
  const latency = mergeHistograms(os.map((o) => o.latency));
  const queue = mergeHistograms(os.map((o) => o.queue));
  let requests = 0;
  for (const o of os) requests += o.requests;
  const ms = (us: number): number | null => (Number.isFinite(us) ? round(us / 1000, 3) : null);
  const l = latency;
  const q = queue;
  const [p50, p95, p99, p999] = l.quantiles([0.5, 0.95, 0.99, 0.999]);
  const [q95, q99] = q.quantiles([0.95, 0.99]);
  return {
    requests,
    latency: { count: l.count, meanMs: ms(l.mean()), p50Ms: ms(p50!), p95Ms: ms(p95!), p99Ms: ms(p99!), p999Ms: ms(p999!), maxMs: l.count === 0 ? null : ms(l.max) },
    queue: { count: q.count, meanMs: ms(q.mean()), p95Ms: ms(q95!), p99Ms: ms(q99!) },
  };
}

/** x rounded to `digits` decimals, with no negative zero. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no negative zero
}
