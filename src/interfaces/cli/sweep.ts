/**
 * `dynosim sweep SCENARIO --vary path=values …`: a grid of scenarios, each replicated with
 * common random numbers, run on every core; sweep.csv (one row per point), runs.csv (one
 * row per run) and sweep-run.json (the wall clock) written atomically. `--shard K/N` runs a
 * deterministic share of the runs and writes shard-K-of-N.json instead; `dynosim merge`
 * puts the shards together into the very files the unsharded sweep writes.
 *
 * The grid, the runs, the tables and the shard files are the library's (interfaces/api/
 * sweep.ts); this file reads the options, draws the progress bar, writes the files and
 * prints.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { tuneJit } from '../../engine/jit.ts';
import { mergeShards, planSweep, runSweepPlan, shardFile, sweepAxes, sweepFiles, sweepResults, type SweepPlan } from '../api/sweep.ts';
import { scenarioSource } from '../api/report.ts';
import { NO_PROGRESS, progressBar } from '../../studies/parallel/progress.ts';
import { VERSION } from '../../engine/version.ts';
import { wroteText } from '../../output/report/text.ts';
import { OutputDir } from './outputDir.ts';
import { checkRunaway } from './run.ts';
import type { Scenario } from '../../model/Scenario.ts';
import { UsageError } from './UsageError.ts';
import { addChartOptions, checkChartOptions, shownPath, type ChartOptions } from './chartOptions.ts';
import { BAR, clock, styler, wantBar } from './terminal.ts';
import { addPrecisionOptions, precisionArgs, precisionOption } from './compare.ts';
import { unmetText } from '../../studies/parallel/precision.ts';
import { pointLabel } from '../../output/report/sweep.ts';

export interface SweepCommandOptions extends ChartOptions {
  vary: string[];
  replications: string;
  seed?: string;
  set: string[];
  variant?: string;
  jobs?: string;
  shard?: string;
  out?: string;
  progress?: boolean;
  quiet: boolean;
  /** --force: run even points whose run is a runaway (as dynosim run). */
  force?: boolean;
  precision?: number;
  metrics?: string;
  minReplications?: number;
  maxReplications?: number;
  /** Whether --replications was given on the command line (not its default). */
  replicationsGiven?: boolean;
}

export interface MergeCommandOptions extends ChartOptions {
  out?: string;
  quiet: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `sweep` and `merge` to the program. */
export function registerSweep(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('run a grid of scenarios, each replicated, on every core: write sweep.csv (one row per point), runs.csv and sweep-run.json')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--vary <path=values>', 'a field and its values: a..b/step, a..b or a list x,y,z, e.g. --vary formation.web.count=2..10/2 (repeatable; the grid is their product, the last varying fastest)', collect, [])
    .option('--replications <n>', 'runs per grid point; replication r uses seed + r − 1', '10')
    .option('--seed <n>', 'seed of the first replication (default the scenario seed)')
    .option('--set <path=value>', 'override a field at every point (repeatable)', collect, [])
    .option('--variant <name>', "run one of the scenario's variants")
    .option('--jobs <n>', 'worker threads (default one per core)')
    .option('--shard <K/N>', 'run only shard K of N (runs whose index is ≡ K−1 mod N) and write shard-K-of-N.json, for dynosim merge')
    .option('--out <dir>', 'folder for the results (default results/<scenario name>/sweep)')
    .option('--progress', 'draw a progress bar on stderr even when it is not a terminal')
    .option('--no-progress', 'draw no progress bar')
    .addOption(new Option('-q, --quiet', 'print nothing on success (and no progress bar, unless --progress)').default(false))
    .option('--force', 'run even points whose estimate is far past what a run takes (as dynosim run)');
  addPrecisionOptions(sweep, 'point');
  addChartOptions(sweep).action(async (file: string, opts: SweepCommandOptions, command: Command) => {
      await sweepCommand(file, { ...opts, replicationsGiven: command.getOptionValueSource('replications') === 'cli' });
    });

  const merge = program
    .command('merge')
    .description('combine the shard files of a sweep into the sweep.csv and runs.csv the unsharded sweep writes')
    .argument('<shards...>', 'every shard-K-of-N.json of one sweep')
    .option('--out <dir>', 'folder for the results (default the folder of the first shard; shard files there are kept)')
    .addOption(new Option('-q, --quiet', 'print nothing on success').default(false));
  addChartOptions(merge).action(async (files: string[], opts: MergeCommandOptions) => {
      await mergeCommand(files, opts);
    });
}

function atLeast(option: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw new UsageError(`${option} ${text}: expected a whole number of at least ${min}`);
  return Number(text);
}

function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}

export async function sweepCommand(file: string, opts: SweepCommandOptions): Promise<void> {
  tuneJit(); // its runs add up: see engine/jit.ts
  checkChartOptions(opts);
  // Options first: a malformed one is one line, before any file is read.
  const axes = sweepAxes(opts.vary);
  const replications = atLeast('--replications', opts.replications, 1);
  const seedOption = opts.seed === undefined ? undefined : atLeast('--seed', opts.seed, 0);
  const jobs = opts.jobs === undefined ? undefined : atLeast('--jobs', opts.jobs, 1);
  const precision = precisionOption(opts, opts.replicationsGiven === true);
  if (precision !== undefined && opts.shard !== undefined) throw new UsageError('--precision cannot go with --shard: a shard runs its share of a fixed number of replications');

  // The scenario as given, then every grid point loaded once: every problem before any run.
  // Each point's run is checked for a runaway as `dynosim run` checks it (--force to go ahead).
  const onPoint = (s: Scenario, sets: readonly string[]): void => checkRunaway(file, s, opts.force, sets);
  const plan = await planSweep(file, { axes, replications, ...(precision === undefined ? {} : { precision }), seed: seedOption, set: opts.set, variant: opts.variant, jobs, shard: opts.shard ?? null, onPoint });
  const { base, total, workers } = plan;
  const print = !opts.quiet;
  const outTarget = resolve(opts.out ?? join('results', base.name, 'sweep'));

  if (plan.shard === null) {
    // Locked (with its hidden folder made) before the first run: a second sweep into it fails at once.
    const outDir = new OutputDir(outTarget);
    try {
      const { outcomes, wallS, spec, precision: reached, runs } = await runWithProgress('sweep', plan, opts.progress, opts.quiet);
      const st = styler(process.stdout);
      const tables = sweepResults(base.name, spec, outcomes, st, reached);
      if (reached !== null && !reached.met) {
        process.stderr.write(`dynosim sweep: --precision ${+(reached.relative * 100).toPrecision(10)}% not met at --max-replications ${reached.max}: ${unmetText(reached, (g) => pointLabel(spec, tables.points[g]!))}\n`);
      }
      const command = ['dynosim sweep', shownPath(file), ...axes.map((a) => `--vary ${a.path}=${a.values.join(',')}`), ...(precision === undefined ? [`--replications ${replications}`] : precisionArgs(precision, opts.metrics)), ...(opts.variant === undefined ? [] : [`--variant ${opts.variant}`]), ...(seedOption === undefined ? [] : [`--seed ${seedOption}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
      const written = await sweepFiles(tables, outDir, { charts: opts.charts, png: opts.png, interactive: opts.interactiveReport === true, command, source: scenarioSource([file], opts.set) });
      const run = {
        dynosim: VERSION,
        scenario: basename(file),
        points: plan.points,
        replications: spec.replications,
        runs,
        workers,
        cores: availableParallelism(),
        wallS: round(wallS, 3),
        runsPerS: round(runs / wallS, 3),
      };
      outDir.write('sweep-run.json', JSON.stringify(run, null, 2) + '\n');
      outDir.commit();
      if (print) {
        process.stdout.write(tables.text);
        process.stdout.write(wroteText(shown(outDir.target), [...written.files, 'sweep-run.json', ...written.report], `${runs} runs in ${wallS.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}, ${(runs / wallS).toFixed(1)} runs/s`, st));
      }
    } finally {
      outDir.abandon();
    }
    return;
  }

  // A shard: its outcomes with the header merge needs, in one file beside the other shards.
  const { k, n } = plan.shard;
  if (existsSync(outTarget) && !statSync(outTarget).isDirectory()) throw new UsageError(`--out ${opts.out ?? outTarget}: is a file, not a folder`);
  mkdirSync(outTarget, { recursive: true });
  const { outcomes, wallS } = await runWithProgress(`shard ${k}/${n}`, plan, opts.progress, opts.quiet);
  const shard = shardFile(plan, outcomes);
  writeShard(join(outTarget, shard.name), shard.text);
  if (print) {
    const where = shown(outTarget);
    process.stdout.write(
      `${base.name}: shard ${k} of ${n}: ${plan.tasks.length} of the sweep's ${total} runs (${plan.points} points × ${replications} replications) in ${wallS.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}\n` +
        `wrote ${where}/${shard.name}; when all ${n} shards are done: dynosim merge ${where}/shard-*-of-${n}.json\n`,
    );
  }
}

/** Runs the plan's runs with a bar on stderr (unless not wanted); their wall time in s. */
async function runWithProgress(label: string, plan: SweepPlan, progress: boolean | undefined, quiet: boolean) {
  const show = progress ?? (wantBar(undefined) && !quiet);
  // With --precision, each batch has its own bar, over the runs so far and the batch's.
  let bar = NO_PROGRESS;
  let barTotal = -1;
  const onDone = (done: number, total: number): void => {
    if (!show) return;
    if (total !== barTotal) {
      bar.end();
      bar = progressBar(label, total, BAR);
      barTotal = total;
    }
    bar.update(done);
  };
  if (plan.precision === null) onDone(0, plan.tasks.length);
  try {
    const r = await runSweepPlan(plan, { onDone, now: clock });
    return { ...r, wallS: r.wallS! };
  } finally {
    bar.end();
  }
}

/**
 * Writes a shard file atomically: into a hidden file beside it, renamed into place when
 * complete. The hidden name is the shard's own (not a process id), because shards of one
 * sweep on several machines share the folder: no run clears another's files.
 */
function writeShard(target: string, text: string): void {
  const tmp = join(dirname(target), `.${basename(target)}.partial`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
}

export async function mergeCommand(files: string[], opts: MergeCommandOptions): Promise<void> {
  checkChartOptions(opts);
  const { header, shards, outcomes } = mergeShards(files);
  const st = styler(process.stdout);
  const tables = sweepResults(header.name, header.sweep, outcomes, st);

  const outDir = new OutputDir(opts.out ?? dirname(resolve(files[0]!)));
  try {
    const command = ['dynosim merge', ...files.map(shownPath)].join(' ');
    const written = await sweepFiles(tables, outDir, { charts: opts.charts, png: opts.png, interactive: opts.interactiveReport === true, command });
    // The folder is replaced as a whole: shard files in it are carried over, never lost.
    const kept: string[] = [];
    if (existsSync(outDir.target) && statSync(outDir.target).isDirectory()) {
      for (const name of readdirSync(outDir.target)) {
        if (/^shard-\d+-of-\d+\.json$/.test(name)) {
          copyFileSync(join(outDir.target, name), join(outDir.tmp, name));
          kept.push(name);
        }
      }
    }
    outDir.commit();
    if (!opts.quiet) {
      process.stdout.write(tables.text);
      process.stdout.write(wroteText(shown(outDir.target), [...written.files, ...written.report], `merged ${shards} shard${shards === 1 ? '' : 's'} of ${header.scenario}${kept.length > 0 ? `; ${kept.length} shard file${kept.length === 1 ? '' : 's'} kept` : ''}`, st));
    }
  } finally {
    outDir.abandon();
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
