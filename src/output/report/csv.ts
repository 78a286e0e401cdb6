/** The CSV files of a run, as header + rows, written with csv-stringify. */
import { stringify } from 'csv-stringify/sync';
import type { CostReport } from '../../model/billing/bill.ts';
import type { MinuteRow } from '../../model/flow/MinuteSeries.ts';
import type { SeriesCode } from '../../model/router/codes.ts';
import type { DynoRow } from '../../model/run/results.ts';
import type { LifecycleEvent } from '../../model/dynos/contracts.ts';
import type { MetricsSample } from '../../model/dynos/DynoMemory.ts';
import type { QueueMinute } from '../../model/flow/JobFlow.ts';
import type { ScalingRow } from '../../model/scaling/Scaler.ts';
import type { Calendar } from '../../model/traffic/calendar.ts';

/**
 * timeseries.csv's columns, with an error column for each of `codes` (seriesCodes of the
 * scenario). `local_time` is the minute's start on the calendar's clock (ISO 8601 with the
 * zone's offset); counts end in `_count`.
 */
export function timeseriesHeader(codes: readonly SeriesCode[]): string[] {
  return [
    'minute', 't_start_s', 'local_time', 'arrivals_count', 'completed_count', ...codes.map((c) => `errors_${c}_count`),
    'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms', 'queue_length_mean_count', 'busy_dynos_count', 'dynos_up_count',
  ];
}

export function timeseriesRecord(r: MinuteRow, codes: readonly SeriesCode[], calendar: Calendar): Array<string | number> {
  return [
    r.minute, r.minute * 60, calendar.isoLocal(r.minute * 60), r.arrivals, r.completed, ...codes.map((c) => r.errors[c]),
    r.latencyP50Ms ?? '', r.latencyP95Ms ?? '', r.latencyP99Ms ?? '', r.queueMean, r.busyDynos, r.dynosUp,
  ];
}

/** Seconds from the start of the run, to the microsecond. */
function seconds(us: number): string {
  return (Math.round(us) / 1e6).toFixed(6);
}

export function eventsCsv(rows: readonly LifecycleEvent[]): string {
  return csv([
    ['time_s', 'dyno', 'host', 'zone', 'from', 'to', 'reason'],
    ...rows.map((e) => [seconds(e.timeUs), e.dyno, e.host, e.zone, e.from, e.to, e.reason]),
  ]);
}

export const METRICS_HEADER = [
  'time_s', 'dyno', 'dyno_id', 'load_avg_1m', 'load_avg_5m', 'load_avg_15m',
  'memory_total_mb', 'memory_rss_mb', 'memory_cache_mb', 'memory_swap_mb', 'memory_pgpgin_pages', 'memory_pgpgout_pages', 'memory_quota_mb',
];

export function metricsRecord(m: MetricsSample): Array<string | number> {
  const mb = (x: number | null): string => (x === null ? '' : x.toFixed(2));
  return [
    seconds(m.timeUs), m.dyno, m.dynoId, m.load1m.toFixed(2), m.load5m.toFixed(2), m.load15m.toFixed(2),
    mb(m.memoryTotalMb), mb(m.memoryRssMb), mb(m.memoryCacheMb), mb(m.memorySwapMb), m.memoryPgpgin ?? '', m.memoryPgpgout ?? '', mb(m.memoryQuotaMb),
  ];
}

/** queues.csv's columns: the minute as in timeseries.csv (`local_time` included), then the queue's. */
export const QUEUES_HEADER = ['minute', 't_start_s', 'local_time', 'queue', 'enqueued_count', 'wait_mean_ms', 'length_mean_count', 'length_end_count', 'lost_count', 'redelivered_count'];

export function queueRecord(r: QueueMinute, calendar: Calendar): Array<string | number> {
  return [r.minute, r.minute * 60, calendar.isoLocal(r.minute * 60), r.queue, r.enqueued, r.waitMeanMs ?? '', r.lengthMean, r.lengthEnd, r.lost, r.redelivered];
}

export function csv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify(rows as Array<Array<string | number>>, { record_delimiter: '\n' });
}

export function dynosCsv(rows: readonly DynoRow[]): string {
  return csv([
    ['dyno', 'process_type', 'size', 'concurrency', 'requests_count', 'timeouts_H12_count', 'queue_mean_ms', 'busy_fraction', 'billed_hours'],
    ...rows.map((d) => [d.dyno, d.processType, d.size, d.concurrency, d.requests, d.timeouts, d.queueMeanMs ?? '', d.busyFraction, d.billedHours]),
  ]);
}

export function costCsv(cost: CostReport): string {
  return csv([
    ['process_type', 'size', 'dynos_count', 'dyno_hours', 'free_1x_equivalent_hours', 'billable_hours', 'total_usd', 'monthly_usd'],
    ...cost.lines.map((l) => [l.processType, l.size, l.dynos, l.dynoHours, l.freeHours, l.billableHours, l.totalUsd, l.monthlyUsd]),
    ['all', 'all', cost.lines.reduce((a, l) => a + l.dynos, 0), cost.dynoHours, cost.freeHours, cost.billableHours, cost.totalUsd, cost.monthlyUsd],
  ]);
}

export const SCALING_HEADER = ['time_s', 'process', 'strategy', 'from_count', 'to_count', 'up_count', 'metric', 'value_ms', 'reason'];

export function scalingCsv(rows: readonly ScalingRow[]): string {
  return csv([
    SCALING_HEADER,
    ...rows.map((r) => [seconds(r.timeUs), r.process, r.strategy, r.from, r.to, r.up, r.metric, r.valueUs === null ? '' : (Math.round(r.valueUs) / 1000).toFixed(3), r.reason]),
  ]);
}
