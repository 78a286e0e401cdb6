/**
 * `dynosim compare`: several scenario files, or the variants of one, each run for R
 * replications on common random numbers (replication r of every alternative with seed
 * base + r: the same arrivals, service times and failures), then every metric's mean with
 * its 95% interval and the paired difference to the first alternative. A table on stdout;
 * compare.csv, compare.json (byte-identical for the same inputs) and compare-run.json (wall
 * clock) in the results folder.
 */
import { join, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { tuneJit } from '../../engine/jit.ts';
import { compareFiles, compareJob, fileAlternatives } from '../api/compare.ts';
import { scenarioSource } from '../api/report.ts';
import { NO_PROGRESS, progressBar } from '../../studies/parallel/progress.ts';
import { VERSION } from '../../engine/version.ts';
import { wroteText } from '../../output/report/text.ts';
import { OutputDir, OutputLock } from './outputDir.ts';
import { checkRunaway } from './run.ts';
import { loadRef } from '../../scenario/load.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import { addChartOptions, checkChartOptions, shownPath, type ChartOptions } from './chartOptions.ts';
import { BAR, clock, styler, wantBar } from './terminal.ts';
import { UsageError } from './UsageError.ts';
import { didYouMean } from '../../engine/suggest.ts';
import { DEFAULT_MAX_REPLICATIONS, DEFAULT_MIN_REPLICATIONS, parseMetricList, parsePrecision, unmetText, type PrecisionRequest } from '../../studies/parallel/precision.ts';
import type { AnyMetricKey, MetricKey } from '../../studies/parallel/outcome.ts';

export interface CompareOptions extends ChartOptions {
  replications: number;
  /** --precision, --metrics, --min-replications, --max-replications (see precisionOption). */
  precision?: number;
  metrics?: string;
  minReplications?: number;
  maxReplications?: number;
  seed?: number;
  variants?: string;
  base: boolean;
  set: string[];
  jobs?: number;
  out?: string;
  json: boolean;
  quiet: boolean;
  /** --progress / --no-progress (undefined: a bar only on a terminal, and not with -q or --json). */
  progress?: boolean;
  /** --force: run even runaway alternatives. */
  force?: boolean;
}

function wholeNumber(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}`);
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number below 2^53, got ${JSON.stringify(value)}`);
    if (n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** `--precision 5%`: a relative half-width above 0 and below 100%. */
export function precisionValue(value: string): number {
  const x = parsePrecision(value);
  if (Number.isNaN(x)) throw new InvalidArgumentError(`expected a relative half-width above 0% and below 100%, such as 5% or 0.05, got ${JSON.stringify(value)}`);
  return x;
}

/**
 * Adds --precision, --metrics, --min-replications and --max-replications (compare and
 * sweep): replications in batches until every named metric is that precise.
 */
export function addPrecisionOptions(cmd: Command, what: string, help: { precision?: string; metrics?: string } = {}): Command {
  return cmd
    .option('--precision <p>', help.precision ?? `instead of a fixed --replications: add replications (in batches, the same for every ${what}) until each named metric's 95% half-width is within p of its mean, e.g. 5%`, precisionValue)
    .option('--metrics <names>', help.metrics ?? 'with --precision: the metrics that must reach it, comma-separated, e.g. p95,mean,cost (default: every metric)')
    .option('--min-replications <n>', `with --precision: replications of the first batch, at least 2 (default ${DEFAULT_MIN_REPLICATIONS})`, wholeNumber(2))
    .option('--max-replications <n>', `with --precision: replications never gone past, met or not (default ${DEFAULT_MAX_REPLICATIONS})`, wholeNumber(2));
}

/** The precision the options ask for (undefined without --precision); a UsageError naming the option when they do not fit together. */
export function precisionOption<K extends AnyMetricKey = MetricKey>(
  opts: { precision?: number; metrics?: string; minReplications?: number; maxReplications?: number },
  replicationsGiven: boolean,
  parseMetrics: (text: string, suggest: typeof didYouMean) => K[] | string = parseMetricList as unknown as (text: string, suggest: typeof didYouMean) => K[] | string,
): PrecisionRequest<K> | undefined {
  if (opts.precision === undefined) {
    const stray = opts.metrics !== undefined ? '--metrics' : opts.minReplications !== undefined ? '--min-replications' : opts.maxReplications !== undefined ? '--max-replications' : null;
    if (stray !== null) throw new UsageError(`${stray} goes with --precision`);
    return undefined;
  }
  if (replicationsGiven) throw new UsageError('--replications and --precision: give one (--precision decides the replications, between --min-replications and --max-replications)');
  const min = opts.minReplications ?? DEFAULT_MIN_REPLICATIONS;
  const max = opts.maxReplications ?? Math.max(DEFAULT_MAX_REPLICATIONS, min);
  if (max < min) throw new UsageError(`--max-replications ${max} is below --min-replications ${min}`);
  let metrics: PrecisionRequest<K>['metrics'];
  if (opts.metrics !== undefined) {
    const m = parseMetrics(opts.metrics, didYouMean);
    if (typeof m === 'string') throw new UsageError(`--metrics: ${m}`);
    metrics = m;
  }
  return { relative: opts.precision, min, max, ...(metrics === undefined ? {} : { metrics }) };
}

/** The options a precision was asked with, as a command line repeats them. */
export function precisionArgs(p: PrecisionRequest<AnyMetricKey> | undefined, metrics: string | undefined): string[] {
  if (p === undefined) return [];
  return [`--precision ${+(p.relative * 100).toPrecision(10)}%`, ...(metrics === undefined ? [] : [`--metrics ${metrics}`]), `--min-replications ${p.min}`, `--max-replications ${p.max}`];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `compare` to the program. */
export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description(
      'run several scenarios, or the variants of one, on common random numbers (the same traffic and failures) and compare them: ' +
        'each metric\'s mean with a 95% interval and the paired difference to the first; writes compare.csv, compare.json and compare-run.json',
    )
    .argument('<scenarios...>', 'scenario files (YAML or JSON): two or more, or one with variants')
    .option('--replications <n>', 'replications of every alternative (at least 2)', wholeNumber(2), 10)
    .option('--seed <n>', 'seed of the first replication; the others take seed+1, seed+2, …, the same for every alternative (default: the first scenario\'s seed)', wholeNumber(0))
    .option('--variants <names>', 'with one scenario: compare these of its variants, in this order (comma-separated)')
    .option('--base', 'with one scenario: put the scenario as written (without a variant) first, named base', false)
    .option('--set <path=value>', 'override a field of every alternative, e.g. --set traffic.rate=120/s (repeatable)', collect, [])
    .option('--jobs <n>', 'runs at once (default: one per core)', wholeNumber(1))
    .option('--out <dir>', 'folder for the results (default results/<first scenario name>/compare)')
    .option('--json', 'print compare.json instead of the table', false)
    .addOption(new Option('-q, --quiet', 'print nothing on success (and no progress bar, unless --progress)').default(false))
    .option('--progress', 'draw a progress bar on stderr even when it is not a terminal')
    .option('--no-progress', 'draw no progress bar')
    .option('--force', 'run even alternatives whose estimate is far past what a run takes (as dynosim run)');
  addPrecisionOptions(cmd, 'alternative');
  addChartOptions(cmd).action(async (files: string[], opts: CompareOptions, command: Command) => {
      await compareCommand(files, { ...opts, replicationsGiven: command.getOptionValueSource('replications') === 'cli' });
    });
}

export async function compareCommand(files: readonly string[], opts: CompareOptions & { replicationsGiven?: boolean }): Promise<void> {
  tuneJit(); // its runs add up: see engine/jit.ts
  checkChartOptions(opts);
  const precision = precisionOption(opts, opts.replicationsGiven === true);
  const { planned, variants } = fileAlternatives(files, opts.variants, opts.base, { variants: '--variants', base: '--base' });
  // Each alternative's run, checked as `dynosim run` checks it, before any worker starts.
  // (A scenario that does not load is left to the job, which reports it in its own words.)
  let firstName: string | null = null;
  for (const p of planned) {
    const s = await loadRef(p.ref, { set: opts.set, seed: opts.seed, variant: p.variant ?? undefined }).catch((e: unknown) => {
      if (e instanceof ScenarioError) return null;
      throw e;
    });
    if (s === null) continue;
    checkRunaway(p.ref.file, s, opts.force);
    // A variant is named <scenario>.<variant>: the comparison goes under the scenario's own name (as compareJob names it).
    if (p === planned[0]) firstName = p.variant !== null && s.name.endsWith(`.${p.variant}`) ? s.name.slice(0, -p.variant.length - 1) : s.name;
  }
  // The results folder is locked before any run: a second compare into it fails at once.
  const lock = opts.out !== undefined || firstName !== null ? new OutputLock(opts.out ?? join('results', firstName!, 'compare')) : null;
  try {
    await compareAndWrite(files, planned, variants, opts, precision, lock);
  } finally {
    lock?.release();
  }
}

async function compareAndWrite(
  files: readonly string[],
  planned: ReturnType<typeof fileAlternatives>['planned'],
  variants: string[] | null,
  opts: CompareOptions,
  precision: PrecisionRequest | undefined,
  lock: OutputLock | null,
): Promise<void> {
  const showProgress = opts.progress ?? (wantBar(undefined) && !opts.quiet && !opts.json);
  // With --precision, each batch has its own bar, over the runs so far and the batch's.
  let bar = NO_PROGRESS;
  let barTotal = -1;
  const onDone = (done: number, total: number): void => {
    if (!showProgress) return;
    if (total !== barTotal) {
      bar.end();
      bar = progressBar('compare', total, BAR);
      barTotal = total;
    }
    bar.update(done);
  };
  if (showProgress && precision === undefined) onDone(0, planned.length * opts.replications);
  const st = styler(process.stdout);
  let job;
  try {
    job = await compareJob(planned, { replications: opts.replications, ...(precision === undefined ? {} : { precision }), seed: opts.seed, set: opts.set, jobs: opts.jobs, onDone, now: clock, files, variants, base: opts.base, style: st });
  } finally {
    bar.end();
  }
  const { comparison, requests, jobs } = job;
  const R = comparison.setup.replications;
  const p = comparison.precision;
  if (p !== null && !p.met) {
    process.stderr.write(`dynosim compare: --precision ${+(p.relative * 100).toPrecision(10)}% not met at --max-replications ${p.max}: ${unmetText(p, (g) => comparison.alternatives[g]!.name)}\n`);
  }
  const wallS = job.wallS!;
  const target = opts.out ?? join('results', job.name, 'compare');
  const outDir = new OutputDir(target, lock !== null && resolve(target) === resolve(lock.target) ? lock : undefined);
  try {
    // Taken before the charts are drawn: the comparison's own peak.
    const runInfo = {
      version: VERSION,
      wallS: round(wallS, 4),
      jobs,
      runs: job.runs,
      requests,
      requestsPerS: Math.round(requests / wallS),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    };
    outDir.write('compare-run.json', JSON.stringify(runInfo, null, 2) + '\n');
    const command = ['dynosim compare', ...files.map(shownPath), ...(opts.variants === undefined ? [] : [`--variants ${opts.variants}`]), ...(opts.base ? ['--base'] : []), ...(precision === undefined ? [`--replications ${R}`] : precisionArgs(precision, opts.metrics)), ...(opts.seed === undefined ? [] : [`--seed ${opts.seed}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
    const written = await compareFiles(job, outDir, { charts: opts.charts, png: opts.png, interactive: opts.interactiveReport === true, command, source: scenarioSource(files, opts.set) });
    outDir.commit();

    if (opts.json) {
      process.stdout.write(job.json);
    } else if (!opts.quiet) {
      process.stdout.write(job.text);
      process.stdout.write(
        '\n' +
          wroteText(
            relative(process.cwd(), outDir.target) || '.',
            [...written.files, 'compare-run.json', ...written.report],
            `${job.runs} runs (${comparison.alternatives.length} × ${R}), ${(requests / 1e6).toFixed(2)} M requests in ${wallS.toFixed(2)} s on ${jobs} ${jobs === 1 ? 'thread' : 'threads'}`,
            st,
          ),
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
