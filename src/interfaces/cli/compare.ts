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

export interface CompareOptions extends ChartOptions {
  replications: number;
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
  addChartOptions(cmd).action(async (files: string[], opts: CompareOptions) => {
      await compareCommand(files, opts);
    });
}

export async function compareCommand(files: readonly string[], opts: CompareOptions): Promise<void> {
  checkChartOptions(opts);
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
    await compareAndWrite(files, planned, variants, opts, lock);
  } finally {
    lock?.release();
  }
}

async function compareAndWrite(files: readonly string[], planned: ReturnType<typeof fileAlternatives>['planned'], variants: string[] | null, opts: CompareOptions, lock: OutputLock | null): Promise<void> {
  const R = opts.replications;
  const showProgress = opts.progress ?? (wantBar(undefined) && !opts.quiet && !opts.json);
  const bar = showProgress ? progressBar('compare', planned.length * R, BAR) : NO_PROGRESS;
  const st = styler(process.stdout);
  let job;
  try {
    job = await compareJob(planned, { replications: R, seed: opts.seed, set: opts.set, jobs: opts.jobs, onDone: (done) => bar.update(done), now: clock, files, variants, base: opts.base, style: st });
  } finally {
    bar.end();
  }
  const { comparison, requests, jobs } = job;
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
    const command = ['dynosim compare', ...files.map(shownPath), ...(opts.variants === undefined ? [] : [`--variants ${opts.variants}`]), ...(opts.base ? ['--base'] : []), `--replications ${R}`, ...(opts.seed === undefined ? [] : [`--seed ${opts.seed}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
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
