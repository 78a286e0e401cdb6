/**
 * A scenario's formation priced for a month in both price books, with and without free
 * hours, and what-ifs; no simulation. `cost()` for a program or a notebook; `costJob()`
 * and `costFiles()` are `dynosim cost`'s: the same prices, then cost.csv, cost.json and
 * the report.
 */
import { basename } from 'node:path';
import type { Chart } from '../../output/charts/chart.ts';
import { costCharts } from '../../output/charts/cost.ts';
import { costPage } from '../../output/charts/pages.ts';
import { costCsv, costJson, costText } from '../../output/report/cost.ts';
import { parseCounts, parseHours } from '../../studies/cost/options.ts';
import { priceScenario, type CostResult } from '../../studies/cost/price.ts';
import { parseNames } from '../../studies/plan/lists.ts';
import { chartNamed, scenario, type ScenarioLike, type ScenarioOptions } from './scenario.ts';
import { reportFiles, type FileSink, type ReportRequest, type Written } from './report.ts';

export interface CostOptions extends ScenarioOptions {
  /** The process type sizes, counts and hours apply to (default web). */
  readonly process?: string;
  /** Also price these sizes (each in the price books that have it). */
  readonly sizes?: readonly string[];
  /** Also price these counts: [1, 2, 4] or '1..10'. */
  readonly counts?: readonly number[] | string;
  /** Each dyno of the process type up this long: '8/day', '40h/week', '200h/month'. */
  readonly hours?: string;
  /** A run's summary.json (parsed) and its name for messages: the autoscaled types' min, mean, max and dyno-hours as run. */
  readonly fromRun?: { readonly summary: unknown; readonly file: string };
}

export interface CostAnswer extends CostResult {
  /** The table `dynosim cost` prints. */
  readonly text: string;
  /** cost-by-count and cost-by-process. */
  readonly charts: readonly Chart[];
  chart(name: string): Chart;
}

/** A scenario's formation priced for a month in both price books, with and without free hours, and what-ifs; no simulation. */
export async function cost(input: ScenarioLike, opts: CostOptions = {}): Promise<CostAnswer> {
  const { json: _, ...priced } = await costJob(input, opts);
  const charts = costCharts(priced);
  return { ...priced, charts, chart: (name) => chartNamed(charts, name) };
}

export interface CostJobOptions extends Omit<CostOptions, 'sizes'> {
  /** Also price these sizes: names, or a comma list of them (as --sizes). */
  readonly sizes?: string | readonly string[];
}

export interface CostJob extends CostResult {
  /** The readable table. */
  readonly text: string;
  /** cost.json's text. */
  readonly json: string;
}

/** Reads the what-ifs (their mistakes before the scenario is read), loads the scenario and prices it. */
export async function costJob(input: ScenarioLike, opts: CostJobOptions = {}): Promise<CostJob> {
  const counts = opts.counts === undefined ? null : typeof opts.counts === 'string' ? parseCounts(opts.counts) : [...opts.counts];
  const hours = opts.hours === undefined ? null : parseHours(opts.hours);
  const sizes = opts.sizes === undefined ? null : typeof opts.sizes === 'string' ? parseNames('--sizes', opts.sizes) : [...opts.sizes];
  const s = await scenario(input, opts);
  const request = { process: opts.process ?? 'web', sizes, counts, hours };
  const file = typeof input === 'string' ? basename(input) : s.name;
  const result = priceScenario(s, request, { file, variant: opts.variant, set: opts.set, ...(opts.fromRun === undefined ? {} : { fromRun: opts.fromRun }) });
  return { ...result, text: costText(result), json: costJson(result) };
}

/** cost.csv and cost.json, and the charts and report.html unless the request says no charts. */
export async function costFiles(job: CostJob, sink: FileSink, request: ReportRequest): Promise<Written> {
  sink.write('cost.csv', costCsv(job.table));
  sink.write('cost.json', job.json);
  const report = await reportFiles(sink, request, () => costCharts(job), (charts) => costPage(job, charts, request.source, request.command));
  return { files: ['cost.csv', 'cost.json'], report };
}
