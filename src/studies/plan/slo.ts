/**
 * Service-level objectives for `dynosim plan`: `<metric><op><value>` such as `p95<500ms`,
 * `errors<0.1%` or `monthly<=$2000`, over the metrics of a run (experiment/outcome.ts).
 *
 * A formation meets an SLO "with 95% confidence" when the one-sided 95% bound of the
 * metric's mean over the replications is on the right side of the limit: the upper bound
 * for < and <=, the lower bound for > and >=. A replication with nothing to measure the
 * metric on (a null value) fails the SLO.
 *
 * Besides a run's metrics, an SLO may name a worker process type's job wait:
 * `<process>.wait.<stat>` with stat mean, p50, p95 or p99, such as `worker.wait.p95<30s`
 * (from enqueue to the start of the job on a worker, over the queue that process type
 * takes its jobs from). Whether the scenario has that process type is checked by the plan.
 */
import { anyMetricInfo, METRICS, parseWaitMetric, WAIT_STATS, type AnyMetricKey, type MetricKey } from '../parallel/outcome.ts';
import { oneSidedBounds } from '../../stats/intervals.ts';
import { PlanInputError } from './PlanInputError.ts';

export type SloOp = '<' | '<=' | '>' | '>=';
export type MetricUnit = (typeof METRICS)[number]['unit'];

export interface Slo {
  /** As the user wrote it (trimmed). */
  readonly text: string;
  readonly metric: AnyMetricKey;
  readonly op: SloOp;
  /** In the metric's unit: ms for latencies, a share (0.001 for 0.1%) for rates, US dollars for money. */
  readonly limit: number;
  readonly unit: MetricUnit;
}

/** How an SLO fares as the number of dynos grows: easier, harder, or either. */
export type SloTrend = 'eases' | 'hardens' | 'unknown';

/** Metrics that fall as dynos are added (more capacity: shorter waits, fewer errors). */
const FALLING: readonly MetricKey[] = ['p50', 'p95', 'p99', 'p999', 'mean', 'queue.mean', 'queue.p95', 'errors'];
/** Metrics that rise as dynos are added: availability, and everything dynos cost. */
const RISING: readonly MetricKey[] = ['availability', 'cost', 'monthly', 'dyno-hours', 'dynos'];

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const SLO = /^\s*([A-Za-z][A-Za-z0-9._-]*)\s*(<=|>=|<|>)\s*(.*?)\s*$/;

function metricList(): string {
  return `${METRICS.map((m) => m.key).join(', ')}, <process>.wait.<${WAIT_STATS.join('|')}>`;
}

/** Parses one `--slo` value; throws PlanInputError naming it and listing the metrics. */
export function parseSlo(text: string): Slo {
  const shown = JSON.stringify(text);
  const m = SLO.exec(text);
  if (m === null || m[3] === '') {
    throw new PlanInputError(`--slo ${shown}: expected <metric><op><value> such as p95<500ms or errors<0.1% (op: <, <=, >, >=; metrics: ${metricList()})`);
  }
  const info = anyMetricInfo(m[1]!);
  if (info === undefined) throw new PlanInputError(`--slo ${shown}: unknown metric ${JSON.stringify(m[1])} (metrics: ${metricList()})`);
  const limit = parseValue(m[3]!, info.unit);
  if (typeof limit === 'string') throw new PlanInputError(`--slo ${shown}: expected ${limit} after ${m[2]}, got ${JSON.stringify(m[3])} (metrics: ${metricList()})`);
  return Object.freeze({ text: text.trim(), metric: info.key, op: m[2] as SloOp, limit, unit: info.unit });
}

/** A limit in the metric's unit, or what was expected (a string). */
function parseValue(v: string, unit: MetricUnit): number | string {
  switch (unit) {
    case 'ms': {
      const m = new RegExp(`^${NUMBER}\\s*(us|µs|ms|s)?$`).exec(v);
      if (m === null) return 'a latency such as 500ms, 1.5s or 800us';
      const x = Number(m[1]);
      return m[2] === 's' ? x * 1000 : m[2] === 'us' || m[2] === 'µs' ? x / 1000 : x;
    }
    case 'share': {
      const m = new RegExp(`^${NUMBER}\\s*(%?)$`).exec(v);
      const x = m === null ? NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
      if (!(x >= 0 && x <= 1)) return 'a share from 0 to 1 such as 0.1% or 0.001';
      return x;
    }
    case 'usd': {
      const m = /^\$?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)$/.exec(v);
      if (m === null) return 'an amount in US dollars such as 2000 or $2000';
      return Number(m[1]!.replaceAll(',', ''));
    }
    case 'h': {
      const m = new RegExp(`^${NUMBER}\\s*h?$`).exec(v);
      if (m === null) return 'a number of hours such as 720 or 720h';
      return Number(m[1]);
    }
    default: {
      const m = new RegExp(`^${NUMBER}$`).exec(v);
      if (m === null) return 'a number';
      return Number(m[1]);
    }
  }
}

/** Whether more dynos make the SLO easier to meet, harder, or neither for sure. */
export function sloTrend(slo: Slo): SloTrend {
  const below = slo.op === '<' || slo.op === '<=';
  // A worker's wait falls as its dynos are added, as a web queue time does.
  if (FALLING.includes(slo.metric as MetricKey) || parseWaitMetric(slo.metric) !== null) return below ? 'eases' : 'hardens';
  if (RISING.includes(slo.metric as MetricKey)) return below ? 'hardens' : 'eases';
  return 'unknown';
}

/** An SLO judged over the replications of one formation. */
export interface SloCheck {
  readonly slo: Slo;
  /** Mean over the replications that measured the metric (null: none did). */
  readonly mean: number | null;
  /** The one-sided 95% bound on the side the SLO looks at (null when a replication measured nothing). */
  readonly bound: number | null;
  readonly met: boolean;
}

/** Judges `slo` on one value per replication, at `level` confidence (0.95). */
export function checkSlo(slo: Slo, values: readonly (number | null)[], level = 0.95): SloCheck {
  const measured = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const mean = measured.length === 0 ? null : oneSidedBounds(measured, level).mean;
  if (measured.length !== values.length || values.length === 0) return { slo, mean, bound: null, met: false };
  const b = oneSidedBounds(measured, level);
  const bound = slo.op === '<' || slo.op === '<=' ? b.upper : b.lower;
  const met = slo.op === '<' ? bound < slo.limit : slo.op === '<=' ? bound <= slo.limit : slo.op === '>' ? bound > slo.limit : bound >= slo.limit;
  return { slo, mean, bound, met };
}

/** Which bound an SLO is judged on. */
export function boundSide(slo: Slo): 'upper' | 'lower' {
  return slo.op === '<' || slo.op === '<=' ? 'upper' : 'lower';
}

/** A value of a metric, for people: 412 ms, 0.02%, $1000.00, 3.25 dynos. */
export function formatMetric(value: number | null, unit: MetricUnit): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'ms':
      return `${trim(value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2))} ms`;
    case 'share':
      return `${trim((value * 100).toFixed(3))}%`;
    case 'usd':
      return `$${value.toFixed(2)}`;
    case 'h':
      return `${trim(value.toFixed(1))} h`;
    case 'dynos':
      return `${trim(value.toFixed(2))} dynos`;
    default:
      return trim(value.toFixed(2));
  }
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
