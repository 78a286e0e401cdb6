/**
 * One run: a scenario simulated in this thread, its summary and its charts. `run()` keeps
 * every result in memory, for a program or a notebook; `runFiles()` is `dynosim run`'s:
 * the same run with its series streamed into files as it goes, then every result file
 * and the report.
 */
import { stringify } from 'csv-stringify/sync';
import type { Scenario } from '../../model/Scenario.ts';
import { simulate, simulatePausing, type SimulateOptions } from '../../model/run/simulate.ts';
import { detectWarmup, detectWarmupPausing } from '../../model/run/warmup.ts';
import type { RunResult, Summary } from '../../model/run/results.ts';
import type { RunLogOptions } from '../../model/flow/RunLog.ts';
import type { Clock, RunProgress } from '../../studies/parallel/progress.ts';
import { seriesCodes } from '../../model/run/seriesCodes.ts';
import { METRICS_HEADER, QUEUES_HEADER, costCsv, dynosCsv, eventsCsv, metricsRecord, queueRecord, scalingCsv, timeseriesHeader, timeseriesRecord } from '../../output/report/csv.ts';
import { replayWarnings, summaryText } from '../../output/report/text.ts';
import { PLAIN, type Styler } from '../../output/report/style.ts';
import { RunSeries } from '../../output/charts/run/RunSeries.ts';
import { runCharts } from '../../output/charts/run/runCharts.ts';
import { runPage } from '../../output/charts/pages.ts';
import type { Chart } from '../../output/charts/chart.ts';
import { chartNamed, scenario, type ScenarioLike, type ScenarioOptions } from './scenario.ts';
import { reportFiles, type ReportRequest, type StreamSink, type Written } from './report.ts';

export interface RunOptions extends ScenarioOptions {
  /** Draw the run's charts (default true). */
  readonly charts?: boolean;
}

/** One run: the simulator's result, the summary `dynosim run` prints, and its charts. */
export interface Run {
  readonly scenario: Scenario;
  readonly result: RunResult;
  readonly summary: Summary;
  /** What `dynosim run` prints. */
  readonly text: string;
  /** latency, errors, dynos, dyno-balance, cost-month, cost-breakdown and memory (with a memory model). */
  readonly charts: readonly Chart[];
  /** The chart of that name; throws naming the charts there are. */
  chart(name: string): Chart;
}

/** Simulates `s`, drawing the charts' series alongside unless `charts` is false. */
function simulateCharted(s: Scenario, charts: boolean, hooks: Omit<SimulateOptions, 'onMinuteLatency'>): { result: RunResult; series: RunSeries | null } {
  const series = charts ? new RunSeries(s.durationUs / 1e6) : null;
  return { result: simulate(s, chartedOptions(series, hooks)), series };
}

/** simulateCharted, handing the thread back to the event loop between minutes now and then, so that a signal is answered mid-run. */
async function simulateChartedPausing(s: Scenario, charts: boolean, hooks: Omit<SimulateOptions, 'onMinuteLatency'>): Promise<{ result: RunResult; series: RunSeries | null }> {
  const series = charts ? new RunSeries(s.durationUs / 1e6) : null;
  return { result: await simulatePausing(s, chartedOptions(series, hooks), () => new Promise((go) => setImmediate(go))), series };
}

function chartedOptions(series: RunSeries | null, hooks: Omit<SimulateOptions, 'onMinuteLatency'>): SimulateOptions {
  return {
    ...hooks,
    onMinuteLatency: series === null ? undefined : (m, h) => series.minuteLatency(m, h),
    onMinute: (row) => {
      hooks.onMinute?.(row);
      series?.minute(row);
    },
    onMetrics: (m) => {
      hooks.onMetrics?.(m);
      series?.metrics(m);
    },
    onAutoscaleTick: series === null ? undefined : (process, tUs, valueUs) => series.autoscaleTick(process, tUs, valueUs),
  };
}

/** Runs a scenario once, in this thread. */
export async function run(input: ScenarioLike, opts: RunOptions = {}): Promise<Run> {
  // warmup: auto is detected first, so that the charts and the result see the warm-up found.
  const s = detectWarmup(await scenario(input, opts));
  // The series and metrics stay in the result (timeseries, metrics) for the caller's own charts.
  const timeseries: RunResult['timeseries'] = [];
  const metrics: RunResult['metrics'] = [];
  const { result, series } = simulateCharted(s, opts.charts !== false, { onMinute: (row) => timeseries.push(row), onMetrics: (m) => metrics.push(m) });
  result.timeseries = timeseries;
  result.metrics = metrics;
  const charts = series === null ? [] : runCharts({ scenario: s, result, series });
  return {
    scenario: s,
    result,
    summary: result.summary,
    text: summaryText(result.summary, PLAIN),
    charts,
    chart: (name) => chartNamed(charts, name),
  };
}

export interface RunFilesOptions extends ReportRequest {
  /** Also write the run as Heroku log lines, there. */
  readonly log?: RunLogOptions;
  /** Told how far the simulation is as it goes, and ended when it is done. */
  readonly progress?: RunProgress;
  /** A clock (ms) to time the simulation by. */
  readonly now?: Clock;
  /** How the summary text is styled (plain by default). */
  readonly style?: Styler;
}

export interface RunFiles extends Written {
  readonly result: RunResult;
  /** The readable summary. */
  readonly text: string;
  /** summary.json's text. */
  readonly json: string;
  /** How long the simulation took by `now`, in seconds (null without a clock). */
  readonly wallS: number | null;
  /** What the run has to say of its input, one line each, for stderr: lines of a replayed log skipped as out of order. */
  readonly warnings: readonly string[];
}

/** Minutes of the series buffered before they are written out. */
const SERIES_BATCH = 1024;

/**
 * `dynosim run`'s job: runs `s`, streaming timeseries.csv and metrics.csv (and queues.csv)
 * into `sink` as it goes, then writes summary.json, dynos.csv, events.csv, cost.csv (and
 * scaling.csv), and the charts and report.html unless the request says no charts.
 */
export async function runFiles(s0: Scenario, sink: StreamSink, opts: RunFilesOptions): Promise<RunFiles> {
  // warmup: auto: a first pass detects it before any file is opened (a run too short to tell writes nothing).
  const s = await detectWarmupPausing(s0, () => new Promise((go) => setImmediate(go)));
  const codes = seriesCodes(s);
  const series = batched(sink.open('timeseries.csv'), timeseriesHeader(codes));
  const metrics = batched(sink.open('metrics.csv'), METRICS_HEADER);
  const queues = s.queues.length > 0 ? batched(sink.open('queues.csv'), QUEUES_HEADER) : null;
  const progress = opts.progress;
  const t0 = opts.now?.();
  const { result, series: chartSeries } = await simulateChartedPausing(s, opts.charts !== false, {
    onProgress: progress === undefined ? undefined : (nowUs, endUs, requests) => progress.update(nowUs, endUs, requests),
    onMinute: (row) => series.add(timeseriesRecord(row, codes, s.calendar)),
    onMetrics: (m) => metrics.add(metricsRecord(m)),
    onQueueMinute: (row) => queues?.add(queueRecord(row, s.calendar)),
    log: opts.log,
  });
  progress?.end();
  const wallS = opts.now === undefined || t0 === undefined ? null : (opts.now() - t0) / 1000;
  series.close();
  metrics.close();
  queues?.close();

  const json = JSON.stringify(result.summary, null, 2) + '\n';
  sink.write('summary.json', json);
  sink.write('dynos.csv', dynosCsv(result.dynos));
  sink.write('events.csv', eventsCsv(result.lifecycle));
  sink.write('cost.csv', costCsv(result.cost));
  if (s.scaling.length > 0) sink.write('scaling.csv', scalingCsv(result.scaling));
  const report = await reportFiles(
    sink,
    opts,
    () => runCharts({ scenario: s, result, series: chartSeries! }),
    (charts) => runPage(s, result, charts, opts.source, opts.command),
  );
  const files = ['summary.json', 'timeseries.csv', 'dynos.csv', 'events.csv', 'metrics.csv', ...(queues === null ? [] : ['queues.csv']), ...(s.scaling.length === 0 ? [] : ['scaling.csv']), 'cost.csv'];
  const warnings = replayWarnings(result.summary.replay, s.traffic.replay?.reorderWindowUs ?? 0);
  return { result, text: summaryText(result.summary, opts.style ?? PLAIN), json, wallS, files, report, warnings };
}

/** A CSV file written a batch of rows at a time. */
function batched(file: { write(text: string): void; close(): void }, header: readonly string[]) {
  file.write(stringify([header as string[]], { record_delimiter: '\n' }));
  let batch: Array<Array<string | number>> = [];
  return {
    add(record: Array<string | number>): void {
      batch.push(record);
      if (batch.length >= SERIES_BATCH) {
        file.write(stringify(batch, { record_delimiter: '\n' }));
        batch = [];
      }
    },
    close(): void {
      if (batch.length > 0) file.write(stringify(batch, { record_delimiter: '\n' }));
      file.close();
    },
  };
}
