/**
 * Comparisons: alternatives run on common random numbers (the very same traffic and
 * failures) and compared. `compare()` for a program or a notebook; `compareJob()` and
 * `compareFiles()` are `dynosim compare`'s: the same comparison, then compare.csv,
 * compare.json and the report.
 */
import type { ScenarioInput } from '../../scenario/schema.ts';
import type { Chart } from '../../output/charts/chart.ts';
import { compareCharts } from '../../output/charts/studies.ts';
import { comparePage } from '../../output/charts/pages.ts';
import { compareCsv, compareJson, compareText } from '../../output/report/compare.ts';
import { PLAIN, type Styler } from '../../output/report/style.ts';
import type { Comparison } from '../../studies/compare/compare.ts';
import { runComparison, variantAlternatives, type CompareRequest, type CompareRun, type Planned, type PrecisionRequest } from '../../studies/compare/runCompare.ts';
import { pairedInterval } from '../../stats/intervals.ts';
import { InputError } from '../../scenario/InputError.ts';
import { chartNamed, refOf } from './scenario.ts';
import { reportFiles, type FileSink, type ReportRequest, type Written } from './report.ts';

export interface CompareOptions {
  /** Replications of every alternative, on common random numbers (default 10). */
  readonly replications?: number;
  /**
   * Instead of a fixed number: replications in batches until every named metric of every
   * alternative has a 95% half-width within `relative` of its mean (`{ relative: 0.05,
   * metrics: ['p95', 'cost'], min: 3, max: 100 }`); `comparison.precision` says how many it took.
   */
  readonly precision?: PrecisionRequest;
  /** Seed of the first replication (default: the first alternative's). */
  readonly seed?: number;
  /** Overrides laid over every alternative. */
  readonly set?: readonly string[];
  /** Worker threads (default: every core); the numbers do not depend on it. */
  readonly jobs?: number;
  /** With one scenario: the variants to compare, in order (default: all of them). */
  readonly variants?: readonly string[];
  /** With one scenario: put the scenario as written first, named base. */
  readonly base?: boolean;
  readonly baseDir?: string;
}

export interface CompareResult {
  readonly comparison: Comparison;
  /** The table `dynosim compare` prints. */
  readonly text: string;
  /** compare-metrics, compare-differences and compare-cost-latency. */
  readonly charts: readonly Chart[];
  chart(name: string): Chart;
  /** Per alternative, a metric's mean and 95% interval (null where no run measured it). */
  estimate(alternative: string, metric: string): { mean: number | null; lo: number | null; hi: number | null };
  /**
   * The paired difference `b − a` of a metric between any two alternatives, replication by
   * replication, with its 95% interval; significant when the interval excludes 0 (null
   * figures where fewer than two replications measured both).
   */
  difference(a: string, b: string, metric: string): { mean: number | null; lo: number | null; hi: number | null; significant: boolean };
}

/**
 * Compares alternatives under the very same traffic and failures: named scenarios
 * (`{ fixed: fieldsA, autoscaled: fieldsB }`), or one scenario with variants.
 */
export async function compare(alternatives: Readonly<Record<string, string | ScenarioInput>> | string | ScenarioInput, opts: CompareOptions = {}): Promise<CompareResult> {
  let planned: Planned[];
  let variants: string[] | null = null;
  // One scenario (a file, or fields: they have a duration and a formation), or a record of named alternatives.
  const single = typeof alternatives === 'string' || (typeof alternatives.duration === 'string' && typeof alternatives.formation === 'object');
  if (single) {
    const v = variantAlternatives(refOf(alternatives as string | ScenarioInput, opts.baseDir), opts.variants, opts.base ?? false);
    planned = v.planned;
    variants = v.variants;
  } else {
    if (opts.variants !== undefined || opts.base !== undefined) throw new InputError('variants and base pick among the variants of one scenario; named alternatives are compared as given');
    planned = Object.entries(alternatives as Record<string, string | ScenarioInput>).map(([name, input]) => ({ ref: refOf(input, opts.baseDir), variant: null, name }));
  }
  const job = await compareJob(planned, {
    replications: opts.replications ?? 10,
    ...(opts.precision === undefined ? {} : { precision: opts.precision }),
    seed: opts.seed,
    set: opts.set,
    jobs: opts.jobs,
    files: [...new Set(planned.map((p) => p.ref.file))],
    variants,
    base: opts.base ?? false,
  });
  const c = job.comparison;
  const charts = compareCharts(c);
  return {
    comparison: c,
    text: job.text,
    charts,
    chart: (name) => chartNamed(charts, name),
    estimate(alternative, metric) {
      const e = metricOf(c, metric).estimates[alternativeIndex(c, alternative)]!;
      return { mean: e.mean, lo: e.lo, hi: e.hi };
    },
    difference(a, b, metric) {
      const key = metricOf(c, metric).metric.key;
      const xs = c.values[alternativeIndex(c, a)]![key];
      const ys = c.values[alternativeIndex(c, b)]![key];
      const pairs = xs.flatMap((x, r) => (x === null || ys[r] === null ? [] : [[x, ys[r]!] as const]));
      if (pairs.length < 2) return { mean: null, lo: null, hi: null, significant: false };
      const d = pairedInterval(pairs.map((p) => p[0]), pairs.map((p) => p[1]), c.setup.level);
      return { mean: d.mean, lo: d.lo, hi: d.hi, significant: d.lo > 0 || d.hi < 0 };
    },
  };
}

function alternativeIndex(c: Comparison, name: string): number {
  const a = c.alternatives.findIndex((x) => x.name === name);
  if (a < 0) throw new InputError(`no alternative named ${JSON.stringify(name)} (the alternatives: ${c.alternatives.map((x) => x.name).join(', ')})`);
  return a;
}

function metricOf(c: Comparison, metric: string): Comparison['metrics'][number] {
  const m = c.metrics.find((x) => x.metric.key === metric);
  if (m === undefined) throw new InputError(`no metric ${JSON.stringify(metric)} (the metrics: ${c.metrics.map((x) => x.metric.key).join(', ')})`);
  return m;
}

/** How messages name the choice of variants and the base (the command line: --variants, --base). */
export interface VariantNames {
  readonly variants: string;
  readonly base: string;
}

/**
 * The alternatives of scenario files: two or more, each one alternative (named after its
 * scenario); or one, and its variants (`variants`: names, or a comma list of them; all
 * of them by default), the scenario as written first with `base`.
 */
export function fileAlternatives(files: readonly string[], variants: string | readonly string[] | undefined, base: boolean, names: VariantNames): { planned: Planned[]; variants: string[] | null } {
  if (files.length >= 2) {
    if (variants !== undefined) throw new InputError(`${names.variants} picks variants of one scenario; with several files, each file is one alternative`);
    if (base) throw new InputError(`${names.base} goes with one scenario that has variants; with several files, each file is one alternative`);
    return { planned: files.map((file) => ({ ref: { file }, variant: null, name: '' })), variants: null };
  }
  let picked: readonly string[] | undefined;
  if (typeof variants === 'string') {
    picked = variants.split(',').map((v) => v.trim());
    if (picked.some((v) => v === '')) throw new InputError(`${names.variants} expects names separated by commas, got ${JSON.stringify(variants)}`);
  } else {
    picked = variants;
  }
  return variantAlternatives({ file: files[0]! }, picked, base, names);
}

export interface CompareJobRequest extends CompareRequest {
  /** How the table is styled (plain by default). */
  readonly style?: Styler;
}

export interface CompareJob extends CompareRun {
  /** The scenario compared: the first alternative's, without its variant (its results go to results/<name>/compare). */
  readonly name: string;
  /** The readable table. */
  readonly text: string;
  /** compare.json's text. */
  readonly json: string;
}

/** Loads, names, runs and aggregates the alternatives (see runComparison). */
export async function compareJob(planned: readonly Planned[], req: CompareJobRequest): Promise<CompareJob> {
  const run = await runComparison(planned, req);
  // A variant is named <scenario>.<variant>: its comparison goes under the scenario's own name.
  const first = planned[0]!;
  const suffix = first.variant === null ? '' : `.${first.variant}`;
  const name0 = run.first.name;
  const name = suffix !== '' && name0.endsWith(suffix) ? name0.slice(0, -suffix.length) : name0;
  return { ...run, name, text: compareText(run.comparison, req.style ?? PLAIN), json: compareJson(run.comparison) };
}

/** compare.csv, compare.json, and the charts and report.html unless the request says no charts. */
export async function compareFiles(job: CompareJob, sink: FileSink, request: ReportRequest): Promise<Written> {
  sink.write('compare.csv', compareCsv(job.comparison));
  sink.write('compare.json', job.json);
  const report = await reportFiles(sink, request, () => compareCharts(job.comparison), (charts) => comparePage(job.comparison, charts, request.source, request.command));
  return { files: ['compare.csv', 'compare.json'], report };
}
