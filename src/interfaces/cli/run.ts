/** `dynosim run`: one scenario, a readable summary on stdout, the result files in a folder. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { loadScenario } from '../../scenario/load.ts';
import { simulate } from '../../model/run/simulate.ts';
import type { MinuteRow } from '../../model/flow/MinuteSeries.ts';
import { METRICS_HEADER, QUEUES_HEADER, TIMESERIES_HEADER, costCsv, dynosCsv, eventsCsv, metricsRecord, queueRecord, scalingCsv, timeseriesRecord } from '../../output/report/csv.ts';
import type { MetricsSample } from '../../model/dynos/DynoMemory.ts';
import { summaryText, wroteText } from '../../output/report/text.ts';
import { VERSION } from '../../engine/version.ts';
import { AtomicFile, OutputDir } from './outputDir.ts';
import { UsageError } from './UsageError.ts';
import { runProgress } from '../../studies/parallel/progress.ts';
import { BAR, clock, styler, wantBar } from './terminal.ts';
import { RunSeries } from '../../output/charts/run/RunSeries.ts';
import { runCharts } from '../../output/charts/run/runCharts.ts';
import { writeReport } from '../../output/charts/output.ts';
import { runPage } from '../../output/charts/pages.ts';

export interface RunCommandOptions {
  seed?: number;
  set: string[];
  variant?: string;
  out?: string;
  json: boolean;
  quiet: boolean;
  logs?: string;
  logSample: number;
  logFormat: 'plain' | 'drain';
  /** --no-charts: no charts/ folder and no report.html. */
  charts?: boolean;
  /** --no-png: charts as vega-lite specs and SVG only. */
  png?: boolean;
  /** --progress / --no-progress; by default a bar on a terminal only. */
  progress?: boolean;
}

/** Minutes of the series buffered before they are written out. */
const SERIES_BATCH = 1024;

export async function runCommand(file: string, opts: RunCommandOptions): Promise<void> {
  const scenario = await loadScenario(file, { set: opts.set, seed: opts.seed, variant: opts.variant });
  if (opts.logs !== undefined) {
    const parent = dirname(resolve(opts.logs));
    if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`--logs ${opts.logs}: the folder ${relative(process.cwd(), parent) || '.'} does not exist`);
    if (existsSync(opts.logs) && statSync(opts.logs).isDirectory()) throw new UsageError(`--logs ${opts.logs}: is a folder, not a file`);
  }
  const outDir = new OutputDir(opts.out ?? join('results', scenario.name));
  const logFile = opts.logs === undefined ? null : new AtomicFile(opts.logs);
  try {
    const series = batched(outDir.open('timeseries.csv'), TIMESERIES_HEADER);
    const metrics = batched(outDir.open('metrics.csv'), METRICS_HEADER);
    const queues = scenario.queues.length > 0 ? batched(outDir.open('queues.csv'), QUEUES_HEADER) : null;
    const t0 = clock();
    const bar = !opts.quiet && wantBar(opts.progress) ? runProgress(scenario.name, BAR) : null;
    const chartSeries = opts.charts === false ? null : new RunSeries(scenario.durationUs / 1e6);
    const result = simulate(scenario, {
      onMinuteLatency: chartSeries === null ? undefined : (m, h) => chartSeries.minuteLatency(m, h),
      onProgress: bar === null ? undefined : (nowUs, endUs, requests) => bar.update(nowUs, endUs, requests),
      onMinute: (row: MinuteRow) => {
        series.add(timeseriesRecord(row));
        chartSeries?.minute(row);
      },
      onMetrics: (m: MetricsSample) => {
        metrics.add(metricsRecord(m));
        chartSeries?.metrics(m);
      },
      onQueueMinute: (row) => queues?.add(queueRecord(row)),
      log: logFile === null ? undefined : { write: (text) => logFile.write(text), sampleRate: opts.logSample, format: opts.logFormat },
    });
    bar?.end();
    const wallS = (clock() - t0) / 1000;
    series.close();
    metrics.close();
    queues?.close();

    outDir.write('summary.json', JSON.stringify(result.summary, null, 2) + '\n');
    outDir.write('dynos.csv', dynosCsv(result.dynos));
    outDir.write('events.csv', eventsCsv(result.lifecycle));
    outDir.write('cost.csv', costCsv(result.cost));
    if (scenario.scaling.length > 0) outDir.write('scaling.csv', scalingCsv(result.scaling));
    const reportFiles: string[] = [];
    if (chartSeries !== null) {
      const charts = runCharts({ scenario, result, series: chartSeries });
      const src = { file: basename(file), text: readFileSync(file, 'utf8'), set: opts.set };
      const page = runPage(scenario, result, charts, src, runCommandLine(file, opts));
      reportFiles.push(...(await writeReport(outDir, charts, page, { png: opts.png })));
    }
    const run = {
      version: VERSION,
      wallS: round(wallS, 4),
      processS: round(process.uptime(), 4),
      requests: result.requests,
      events: result.events,
      requestsPerS: Math.round(result.requests / wallS),
      eventsPerS: Math.round(result.events / wallS),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    };
    outDir.write('run.json', JSON.stringify(run, null, 2) + '\n');
    outDir.commit();
    logFile?.commit();

    if (opts.json) {
      process.stdout.write(JSON.stringify(result.summary, null, 2) + '\n');
    } else if (!opts.quiet) {
      const st = styler(process.stdout);
      process.stdout.write(summaryText(result.summary, st));
      const files = ['summary.json', 'timeseries.csv', 'dynos.csv', 'events.csv', 'metrics.csv', ...(queues === null ? [] : ['queues.csv']), ...(scenario.scaling.length === 0 ? [] : ['scaling.csv']), 'cost.csv', 'run.json', ...reportFiles];
      process.stdout.write(
        '\n' +
          wroteText(
            relative(process.cwd(), outDir.target) || '.',
            files,
            `${logFile === null ? '' : `logs in ${relative(process.cwd(), logFile.target)}; `}${(result.requests / 1e6).toFixed(2)} M requests in ${wallS.toFixed(2)} s, ${(run.requestsPerS / 1e6).toFixed(1)} M requests/s`,
            st,
          ),
      );
    }
  } finally {
    outDir.abandon();
    logFile?.abandon();
  }
}

/** The command that makes these results again, for the report's last line. */
function runCommandLine(file: string, opts: RunCommandOptions): string {
  const parts = ['dynosim run', relative(process.cwd(), resolve(file)) || file];
  if (opts.variant !== undefined) parts.push(`--variant ${opts.variant}`);
  if (opts.seed !== undefined) parts.push(`--seed ${opts.seed}`);
  for (const s of opts.set) parts.push(`--set ${s}`);
  return parts.join(' ');
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

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
