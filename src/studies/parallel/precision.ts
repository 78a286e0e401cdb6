/**
 * Replications until a precision is reached: `--precision 5%` for compare and sweep (and
 * plan, which can call the same function). The stopping rule is Law & Kelton's sequential
 * procedure for a relative precision (A. M. Law, Simulation Modeling and Analysis, 5th ed.,
 * McGraw-Hill 2015, §9.4.1, "Obtaining a specified precision"; Law & Kelton, 3rd ed. 2000,
 * §9.4.1): make replications until the half-width δ(n, α) of the 1 − α interval of every
 * named metric is at most γ × |X̄(n)|, γ the relative precision asked. Two departures from
 * the book, both written down in docs/studies.md:
 *
 *  - Replications are added in batches, not one at a time, so that every core has work. A
 *    batch takes a group from n to the number of replications its current estimates say is
 *    needed, Law & Kelton's n*(γ) = min{ i ≥ n : t(i−1, 1−α/2) · S(n)/√i ≤ γ |X̄(n)| }
 *    (the largest over the metrics not yet met), but at least n + 1 and at most 2n (early
 *    variance estimates are poor), and never past the maximum. The batches depend only on
 *    the outcomes, never on the number of worker threads or on timing, so the result is a
 *    function of the scenario, the seeds and the options.
 *  - The target is the half-width relative to the estimated mean, as the user reads it in
 *    the table (the book's γ' = γ/(1+γ) bounds the error relative to the true mean instead).
 *
 * The interval after sequential stopping is approximate: the number of replications is
 * itself random, so the coverage of the final interval is close to, but not exactly, the
 * nominal 95% (Law 2015 §9.4.1 reports it near nominal when the minimum is not tiny).
 *
 * A metric whose values are all equal (a fixed formation's cost, errors = 0 in every run)
 * has a half-width of 0 and is met whatever its mean, 0 included; a metric no run measured
 * (no requests, so no p95) is met, as there is nothing to estimate; a metric with a single
 * measured value is not met.
 */
import { METRICS, metricValue, parseWaitMetric, type AnyMetricKey, type MetricKey, type Outcome } from './outcome.ts';
import { interval, studentTQuantile } from '../../stats/intervals.ts';

/** Replications until a precision is reached, as a command or the library asks for it (the rest defaulted by `targetOf`). */
export interface PrecisionRequest<K extends AnyMetricKey = MetricKey> {
  /** Relative half-width of the 95% interval: 0.05 for ±5% of the mean. */
  readonly relative: number;
  /** The metrics that must reach it, in every group (default: every metric; plan's default: the metrics its SLOs name). */
  readonly metrics?: readonly K[];
  /** Replications of the first batch (default 3). */
  readonly min?: number;
  /** Replications never gone past (default 100). */
  readonly max?: number;
}

export const DEFAULT_MIN_REPLICATIONS = 3;
export const DEFAULT_MAX_REPLICATIONS = 100;

/** The target a request comes to, defaults filled in. */
export function targetOf<K extends AnyMetricKey = MetricKey>(req: PrecisionRequest<K>, level: number, mode: 'together' | 'each' = 'together', defaultMetrics: readonly K[] = METRICS.map((m) => m.key as K)): PrecisionTarget<K> {
  return { relative: req.relative, metrics: req.metrics ?? defaultMetrics, min: req.min ?? DEFAULT_MIN_REPLICATIONS, max: req.max ?? DEFAULT_MAX_REPLICATIONS, level, mode };
}

/** What precision to reach, over which metrics, within how many replications. */
export interface PrecisionTarget<K extends AnyMetricKey = MetricKey> {
  /** Relative half-width asked: 0.05 for ±5% of the mean. */
  readonly relative: number;
  /** The metrics that must reach it (in every group): a run's, or a worker's wait (`worker.wait.p95`, plan only). */
  readonly metrics: readonly K[];
  /** Replications of the first batch (at least 2). */
  readonly min: number;
  /** Replications a group never goes past, met or not. */
  readonly max: number;
  /** Confidence level of the intervals (0.95). */
  readonly level: number;
  /**
   * 'together' (the default): every group always has the same number of replications, so
   * that groups stay paired on common random numbers (compare's alternatives, sweep's
   * points); 'each': every group stops on its own (plan's formations).
   */
  readonly mode?: 'together' | 'each';
}

/** Replications `from` … `from + count − 1` (0-based: replication r runs with seed base + r) of one group. */
export interface BatchRequest {
  readonly group: number;
  readonly from: number;
  readonly count: number;
}

/** Runs the replications asked; one list of outcomes per request, in the order asked. */
export type RunBatch = (requests: readonly BatchRequest[]) => Promise<readonly (readonly Outcome[])[]>;

/** A metric of a group at the end. */
export interface MetricPrecision {
  /** Replications that measured it. */
  readonly n: number;
  readonly mean: number | null;
  /** Half-width of the interval (null with fewer than two values). */
  readonly half: number | null;
  /** half / |mean| (0 when the half-width is 0; null when it cannot be told). */
  readonly relative: number | null;
  readonly met: boolean;
}

export interface GroupPrecision<K extends AnyMetricKey = MetricKey> {
  readonly replications: number;
  /** The number of replications after each batch: [3, 6, 12, …]. */
  readonly batches: readonly number[];
  readonly met: boolean;
  readonly metrics: Readonly<Partial<Record<K, MetricPrecision>>>;
}

export interface PrecisionReport<K extends AnyMetricKey = MetricKey> {
  readonly relative: number;
  readonly level: number;
  readonly metrics: readonly K[];
  readonly min: number;
  readonly max: number;
  readonly mode: 'together' | 'each';
  /** Every group met every metric. */
  readonly met: boolean;
  /** The most replications of any group. */
  readonly replications: number;
  readonly groups: readonly GroupPrecision<K>[];
}

/** One line for what a target is wrong with, or null when it is fine (messages name the options as `names` gives them). */
export function checkTarget(t: PrecisionTarget<AnyMetricKey>, names: { precision: string; min: string; max: string; metrics: string } = { precision: 'precision', min: 'min-replications', max: 'max-replications', metrics: 'metrics' }): string | null {
  if (!(Number.isFinite(t.relative) && t.relative > 0)) return `${names.precision}: expected a relative half-width above 0, such as 5%, got ${t.relative}`;
  if (!(Number.isSafeInteger(t.min) && t.min >= 2)) return `${names.min}: expected a whole number of at least 2, got ${t.min}`;
  if (!(Number.isSafeInteger(t.max) && t.max >= t.min)) return `${names.max} ${t.max} is below ${names.min} ${t.min}`;
  if (t.metrics.length === 0) return `${names.metrics}: no metric named`;
  for (const m of t.metrics) if (!METRICS.some((x) => x.key === m) && parseWaitMetric(m) === null) return `${names.metrics}: no metric ${m}`;
  return null;
}

/**
 * Runs `groups` groups of replications (alternatives, grid points, formations) in batches
 * until every named metric of every group has a half-width within `relative` of its mean,
 * or the group is at `max`. Returns every group's outcomes (replication r at index r) and
 * what precision each reached.
 */
export async function runToPrecision<K extends AnyMetricKey = MetricKey>(groups: number, target: PrecisionTarget<K>, runBatch: RunBatch): Promise<{ outcomes: Outcome[][]; report: PrecisionReport<K> }> {
  const problem = checkTarget(target);
  if (problem !== null) throw new RangeError(problem);
  if (!(Number.isInteger(groups) && groups >= 1)) throw new RangeError('at least one group');
  const mode = target.mode ?? 'together';
  const outcomes: Outcome[][] = Array.from({ length: groups }, () => []);
  const batches: number[][] = Array.from({ length: groups }, () => []);
  let wanted: number[] = new Array<number>(groups).fill(target.min);
  for (;;) {
    const requests: BatchRequest[] = [];
    wanted.forEach((n, g) => {
      const have = outcomes[g]!.length;
      if (n > have) requests.push({ group: g, from: have, count: n - have });
    });
    if (requests.length === 0) break;
    const got = await runBatch(requests);
    if (got.length !== requests.length) throw new RangeError('one list of outcomes per request');
    requests.forEach((q, i) => {
      if (got[i]!.length !== q.count) throw new RangeError(`asked for ${q.count} replications of group ${q.group}, got ${got[i]!.length}`);
      outcomes[q.group]!.push(...got[i]!);
      batches[q.group]!.push(outcomes[q.group]!.length);
    });
    const next = outcomes.map((os) => nextCount(os, target));
    wanted = mode === 'together' ? new Array<number>(groups).fill(Math.max(...next)) : next;
  }
  const states = outcomes.map((os, g): GroupPrecision<K> => {
    const metrics = Object.fromEntries(target.metrics.map((m) => [m, metricPrecision(os, m, target)])) as Partial<Record<K, MetricPrecision>>;
    return { replications: os.length, batches: batches[g]!, met: (Object.values(metrics) as MetricPrecision[]).every((x) => x.met), metrics };
  });
  return {
    outcomes,
    report: {
      relative: target.relative,
      level: target.level,
      metrics: [...target.metrics],
      min: target.min,
      max: target.max,
      mode,
      met: states.every((s) => s.met),
      replications: Math.max(...states.map((s) => s.replications)),
      groups: states,
    },
  };
}

function valuesOf(os: readonly Outcome[], key: AnyMetricKey): number[] {
  const xs: number[] = [];
  for (const o of os) {
    const x = metricValue(o, key);
    if (x !== null && Number.isFinite(x)) xs.push(x);
  }
  return xs;
}

/** Where a metric of a group stands. */
export function metricPrecision(os: readonly Outcome[], key: AnyMetricKey, target: Pick<PrecisionTarget, 'relative' | 'level'>): MetricPrecision {
  const xs = valuesOf(os, key);
  if (xs.length === 0) return { n: 0, mean: null, half: null, relative: null, met: true };
  const iv = interval(xs, target.level);
  if (xs.length === 1 || !Number.isFinite(iv.half)) return { n: xs.length, mean: iv.mean, half: null, relative: null, met: false };
  const relative = iv.half === 0 ? 0 : iv.mean === 0 ? null : iv.half / Math.abs(iv.mean);
  return { n: xs.length, mean: iv.mean, half: iv.half, relative, met: relative !== null && relative <= target.relative };
}

/** The replications a group should have next: its own count when every metric is met (or it is at the maximum). */
function nextCount(os: readonly Outcome[], target: PrecisionTarget<AnyMetricKey>): number {
  const n = os.length;
  if (n >= target.max) return n;
  let need = n;
  for (const key of target.metrics) {
    const m = metricPrecision(os, key, target);
    if (m.met) continue;
    need = Math.max(need, needed(valuesOf(os, key), n, target));
  }
  if (need === n) return n;
  return Math.min(target.max, Math.max(n + 1, Math.min(need, 2 * n)));
}

/** Law & Kelton's n*(γ): the fewest replications i ≥ n whose interval, with the spread seen so far, would be within γ|X̄| (the maximum when none up to it would). */
function needed(xs: readonly number[], n: number, target: PrecisionTarget<AnyMetricKey>): number {
  if (xs.length < 2) return 2 * n;
  const iv = interval(xs, target.level);
  const goal = target.relative * Math.abs(iv.mean);
  if (!(goal > 0)) return target.max;
  const p = 1 - (1 - target.level) / 2;
  for (let i = n + 1; i <= target.max; i++) if ((tQuantile(p, i - 1) * iv.sd) / Math.sqrt(i) <= goal) return i;
  return target.max;
}

const tCache = new Map<string, number>();
function tQuantile(p: number, df: number): number {
  const key = `${p}:${df}`;
  let v = tCache.get(key);
  if (v === undefined) {
    v = studentTQuantile(p, df);
    tCache.set(key, v);
  }
  return v;
}

/** "p95 of fixed (7.1%), errors of queue-time (n=1)": the metrics a report did not meet, named by `groupName`. */
export function unmetText<K extends AnyMetricKey>(report: PrecisionReport<K>, groupName: (g: number) => string): string {
  const parts: string[] = [];
  report.groups.forEach((g, i) => {
    for (const key of report.metrics) {
      const m = g.metrics[key];
      if (m === undefined || m.met) continue;
      const how = m.relative !== null ? `${pctText(m.relative)}` : m.half === null ? `n=${m.n}` : 'mean 0';
      parts.push(`${key} of ${groupName(i)} (${how})`);
    }
  });
  return parts.join(', ');
}

/** A relative half-width as a percentage: "4.3%", "0.05%". */
export function pctText(x: number): string {
  const v = x * 100;
  const d = v === 0 ? 0 : v >= 10 ? 1 : v >= 1 ? 1 : v >= 0.1 ? 2 : 3;
  return `${v.toFixed(d)}%`;
}

/** `5%`, `0.05`, `2.5%`: a relative precision above 0 and below 100%; NaN when it is not one. */
export function parsePrecision(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (m === null) return NaN;
  const x = Number(m[1]) / (m[2] === '%' ? 100 : 1);
  return x > 0 && x < 1 ? x : NaN;
}

/** `p95,mean,cost` as metric keys; throws a message naming the first unknown one, with a did-you-mean. */
export function parseMetricList(text: string, didYouMean: (word: string, known: readonly string[]) => string): MetricKey[] | string {
  return metricList(text, didYouMean, false) as MetricKey[] | string;
}

/** As parseMetricList, and a worker's wait too (`worker.wait.p95`), as plan's --metrics takes them. */
export function parsePlanMetricList(text: string, didYouMean: (word: string, known: readonly string[]) => string): AnyMetricKey[] | string {
  return metricList(text, didYouMean, true);
}

function metricList(text: string, didYouMean: (word: string, known: readonly string[]) => string, waits: boolean): AnyMetricKey[] | string {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((s) => s === '')) return `expected metric names separated by commas, got ${JSON.stringify(text)}`;
  const known: string[] = METRICS.map((m) => m.key);
  const out: AnyMetricKey[] = [];
  for (const n of names) {
    const k = known.find((x) => x === n) ?? (waits && parseWaitMetric(n) !== null ? n : undefined);
    if (k === undefined) return `no metric ${JSON.stringify(n)}${didYouMean(n, known)} (the metrics: ${known.join(', ')}${waits ? ', <process>.wait.<mean|p50|p95|p99>' : ''})`;
    if (!out.includes(k as AnyMetricKey)) out.push(k as AnyMetricKey);
  }
  return out;
}
