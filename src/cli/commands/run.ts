/** `dynosim run`: one scenario, a readable summary on stdout, the result files in a folder. */
import { join, relative } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { loadScenario } from '../../scenario/load.ts';
import { simulate } from '../../sim/simulate.ts';
import type { MinuteRow } from '../../sim/MinuteSeries.ts';
import { TIMESERIES_HEADER, costCsv, dynosCsv, timeseriesRecord } from '../../report/csv.ts';
import { summaryText } from '../../report/text.ts';
import { VERSION } from '../../version.ts';
import { OutputDir } from '../outputDir.ts';

export interface RunCommandOptions {
  seed?: number;
  set: string[];
  out?: string;
  json: boolean;
  quiet: boolean;
}

/** Minutes of the series buffered before they are written out. */
const SERIES_BATCH = 1024;

export async function runCommand(file: string, opts: RunCommandOptions): Promise<void> {
  const scenario = await loadScenario(file, { set: opts.set, seed: opts.seed });
  const outDir = new OutputDir(opts.out ?? join('results', scenario.name));
  try {
    const series = outDir.open('timeseries.csv');
    series.write(stringify([TIMESERIES_HEADER], { record_delimiter: '\n' }));
    let batch: Array<Array<string | number>> = [];
    const onMinute = (row: MinuteRow): void => {
      batch.push(timeseriesRecord(row));
      if (batch.length >= SERIES_BATCH) {
        series.write(stringify(batch, { record_delimiter: '\n' }));
        batch = [];
      }
    };
    const t0 = performance.now();
    const result = simulate(scenario, { onMinute });
    const wallS = (performance.now() - t0) / 1000;
    if (batch.length > 0) series.write(stringify(batch, { record_delimiter: '\n' }));
    series.close();

    outDir.write('summary.json', JSON.stringify(result.summary, null, 2) + '\n');
    outDir.write('dynos.csv', dynosCsv(result.dynos));
    outDir.write('cost.csv', costCsv(result.cost));
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

    if (opts.json) {
      process.stdout.write(JSON.stringify(result.summary, null, 2) + '\n');
    } else if (!opts.quiet) {
      process.stdout.write(summaryText(result.summary));
      process.stdout.write(
        `\nwrote ${relative(process.cwd(), outDir.target) || '.'}/ (summary.json, timeseries.csv, dynos.csv, cost.csv, run.json): ` +
          `${(result.requests / 1e6).toFixed(2)} M requests in ${wallS.toFixed(2)} s, ${(run.requestsPerS / 1e6).toFixed(1)} M requests/s\n`,
      );
    }
  } finally {
    outDir.abandon();
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
