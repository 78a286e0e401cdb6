/**
 * `dynosim sweep SCENARIO --vary path=values …`: a grid of scenarios, each replicated with
 * common random numbers, run on every core; sweep.csv (one row per point), runs.csv (one
 * row per run) and sweep-run.json (the wall clock) written atomically. `--shard K/N` runs a
 * deterministic share of the runs and writes shard-K-of-N.json instead; `dynosim merge`
 * puts the shards together into the very files the unsharded sweep writes.
 *
 * The grid, the tables and the shard format are src/sweep's; this file handles options,
 * files, the progress bar and printing.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { applySet, loadScenario, readScenarioFile, withVariant } from '../../scenario/load.ts';
import { runTasks, workerCount } from '../../studies/parallel/runTasks.ts';
import { NO_PROGRESS, progressBar } from '../../studies/parallel/progress.ts';
import { checkAxes, MAX_TASKS, parseShard as parseShardOption, parseVary, pointCount, pointSets, shardIndices, taskAt, taskCount, type Axis, type SweepSpec } from '../../studies/sweep/grid.ts';
import { sweepTables, type PointResult } from '../../studies/sweep/tables.ts';
import { combineShards, fingerprint, parseShard, sha256, SHARD_FORMAT, shardFileName, shardText, type Shard } from '../../studies/sweep/shard.ts';
import { sweepSummaryText } from '../../output/report/sweep.ts';
import { SweepError } from '../../studies/sweep/SweepError.ts';
import { validatePoints } from '../../studies/sweep/runSweep.ts';
import { VERSION } from '../../engine/version.ts';
import { OutputDir } from './outputDir.ts';
import { UsageError } from './UsageError.ts';
import { wroteText } from '../../output/report/text.ts';
import { addChartOptions, shownPath, type ChartOptions } from './chartOptions.ts';
import { scenarioSource } from '../api/report.ts';
import { sweepCharts } from '../../output/charts/studies.ts';
import { sweepPage, type ScenarioSource } from '../../output/charts/pages.ts';
import { writeReport } from '../../output/charts/output.ts';
import { BAR, clock, styler, wantBar } from './terminal.ts';

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
    .addOption(new Option('-q, --quiet', 'print nothing on success (and no progress bar, unless --progress)').default(false));
  addChartOptions(sweep).action(async (file: string, opts: SweepCommandOptions) => {
      await sweepCommand(file, opts);
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

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SweepError) throw new UsageError(e.message);
    throw e;
  }
}

function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}

export async function sweepCommand(file: string, opts: SweepCommandOptions): Promise<void> {
  // Options first: a malformed one is one line, before any file is read.
  const axes: Axis[] = usage(() => opts.vary.map(parseVary));
  usage(() => checkAxes(axes));
  const replications = atLeast('--replications', opts.replications, 1);
  const seedOption = opts.seed === undefined ? undefined : atLeast('--seed', opts.seed, 0);
  const jobs = opts.jobs === undefined ? undefined : atLeast('--jobs', opts.jobs, 1);
  const shard = opts.shard === undefined ? null : usage(() => parseShardOption(opts.shard!));

  // The scenario as given, then every grid point loaded once: every problem before any run.
  const base = await loadScenario(file, { set: opts.set, seed: seedOption, variant: opts.variant });
  const spec: SweepSpec = { axes, replications, seed: base.seed, set: opts.set, ...(opts.variant === undefined ? {} : { variant: opts.variant }) };
  const total = taskCount(spec);
  if (total > MAX_TASKS) throw new UsageError(`the sweep comes to ${total} runs (${pointCount(axes)} points × ${replications}); at most ${MAX_TASKS}`);
  await validatePoints({ file }, spec);

  const print = !opts.quiet;
  const indices = shard === null ? null : shardIndices(total, shard.k, shard.n);
  const tasks = indices === null ? Array.from({ length: total }, (_, i) => taskAt(spec, { file }, i)) : indices.map((i) => taskAt(spec, { file }, i));
  const outTarget = resolve(opts.out ?? join('results', base.name, 'sweep'));
  const workers = workerCount(tasks.length, jobs);

  if (shard === null) {
    const outDir = new OutputDir(outTarget);
    try {
      const { outcomes, wallS } = await runWithProgress('sweep', tasks, jobs, opts.progress, opts.quiet);
      const tables = sweepTables(spec, outcomes);
      outDir.write('sweep.csv', tables.sweepCsv);
      outDir.write('runs.csv', tables.runsCsv);
      const run = {
        dynosim: VERSION,
        scenario: basename(file),
        points: pointCount(axes),
        replications,
        runs: total,
        workers,
        cores: availableParallelism(),
        wallS: round(wallS, 3),
        runsPerS: round(total / wallS, 3),
      };
      outDir.write('sweep-run.json', JSON.stringify(run, null, 2) + '\n');
      const command = ['dynosim sweep', shownPath(file), ...axes.map((a) => `--vary ${a.path}=${a.values.join(',')}`), `--replications ${replications}`, ...(opts.variant === undefined ? [] : [`--variant ${opts.variant}`]), ...(seedOption === undefined ? [] : [`--seed ${seedOption}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
      const reportFiles = await sweepReport(outDir, base.name, spec, tables.points, scenarioSource([file], opts.set), command, opts);
      outDir.commit();
      if (print) {
        const st = styler(process.stdout);
        process.stdout.write(sweepSummaryText(base.name, spec, tables.points, st));
        process.stdout.write(wroteText(shown(outDir.target), ['sweep.csv', 'runs.csv', 'sweep-run.json', ...reportFiles], `${total} runs in ${wallS.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}, ${(total / wallS).toFixed(1)} runs/s`, st));
      }
    } finally {
      outDir.abandon();
    }
    return;
  }

  // A shard: its outcomes with the header merge needs, in one file beside the other shards.
  const fp = fingerprint({ version: VERSION, scenarioSha256: sha256(readFileSync(file)), files: referencedFiles(file, readScenarioFile(file), spec), spec });
  if (existsSync(outTarget) && !statSync(outTarget).isDirectory()) throw new UsageError(`--out ${opts.out ?? outTarget}: is a file, not a folder`);
  mkdirSync(outTarget, { recursive: true });
  const { outcomes, wallS } = await runWithProgress(`shard ${shard.k}/${shard.n}`, tasks, jobs, opts.progress, opts.quiet);
  const name = shardFileName(shard.k, shard.n);
  const text = shardText({ format: SHARD_FORMAT, dynosim: VERSION, scenario: basename(file), name: base.name, fingerprint: fp, sweep: spec, tasks: total, shard }, indices!, outcomes);
  writeShard(join(outTarget, name), text);
  if (print) {
    const where = shown(outTarget);
    process.stdout.write(
      `${base.name}: shard ${shard.k} of ${shard.n}: ${tasks.length} of the sweep's ${total} runs (${pointCount(axes)} points × ${replications} replications) in ${wallS.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}\n` +
        `wrote ${where}/${name}; when all ${shard.n} shards are done: dynosim merge ${where}/shard-*-of-${shard.n}.json\n`,
    );
  }
}

/** The sweep's charts and report.html, unless --no-charts. */
async function sweepReport(outDir: OutputDir, name: string, spec: SweepSpec, points: PointResult[], src: ScenarioSource | undefined, command: string, opts: ChartOptions): Promise<string[]> {
  if (opts.charts === false) return [];
  const charts = sweepCharts(spec, points);
  return writeReport(outDir, charts, sweepPage(name, spec, points, charts, src, command), { png: opts.png });
}

async function runWithProgress(label: string, tasks: Parameters<typeof runTasks>[0], jobs: number | undefined, progress: boolean | undefined, quiet: boolean) {
  const bar = (progress ?? (wantBar(undefined) && !quiet)) ? progressBar(label, tasks.length, BAR) : NO_PROGRESS;
  const t0 = clock();
  bar.update(0);
  try {
    const outcomes = await runTasks(tasks, { jobs, onDone: (done) => bar.update(done) });
    return { outcomes, wallS: (clock() - t0) / 1000 };
  } finally {
    bar.end();
  }
}


/**
 * The files a sweep's scenarios refer to (service-time samples, replayed logs), at any
 * point of the grid, with the SHA-256 of their bytes: they are part of what a shard's
 * fingerprint vouches for.
 */
function referencedFiles(file: string, raw: unknown, spec: SweepSpec): Array<{ name: string; sha256: string | null }> {
  const names = new Set<string>();
  const walk = (x: unknown, key: string | null): void => {
    if (typeof x === 'string') {
      if (key === 'file' || key === 'replay') names.add(x);
    } else if (Array.isArray(x)) {
      for (const v of x) walk(v, null);
    } else if (x !== null && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) walk(v, k);
    }
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  for (let p = 0; p < pointCount(spec.axes); p++) {
    const obj = structuredClone(spec.variant === undefined ? raw : withVariant(raw as Record<string, unknown>, spec.variant, basename(file))) as Record<string, unknown>;
    for (const s of [...spec.set, ...pointSets(spec.axes, p)]) applySet(obj, s, []);
    walk(obj, null);
  }
  const dir = dirname(resolve(file));
  return [...names].map((name) => {
    try {
      return { name, sha256: sha256(readFileSync(resolve(dir, name))) };
    } catch {
      return { name, sha256: null };
    }
  });
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
  const shards: Array<{ name: string; shard: Shard }> = [];
  for (const f of files) {
    let text: string;
    try {
      if (statSync(f).isDirectory()) throw new UsageError(`${f}: is a folder, not a shard file`);
      text = readFileSync(f, 'utf8');
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `${f}: no such file` : `${f}: cannot be read (${code ?? String(e)})`);
    }
    shards.push({ name: f, shard: usage(() => parseShard(f, text)) });
  }
  const { header, outcomes } = usage(() => combineShards(shards));
  const spec = header.sweep;
  const tables = sweepTables(spec, outcomes);

  const outDir = new OutputDir(opts.out ?? dirname(resolve(files[0]!)));
  try {
    outDir.write('sweep.csv', tables.sweepCsv);
    outDir.write('runs.csv', tables.runsCsv);
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
    const command = ['dynosim merge', ...files.map(shownPath)].join(' ');
    const reportFiles = await sweepReport(outDir, header.name, spec, tables.points, undefined, command, opts);
    outDir.commit();
    if (!opts.quiet) {
      const st = styler(process.stdout);
      process.stdout.write(sweepSummaryText(header.name, spec, tables.points, st));
      process.stdout.write(wroteText(shown(outDir.target), ['sweep.csv', 'runs.csv', ...reportFiles], `merged ${shards.length} shard${shards.length === 1 ? '' : 's'} of ${header.scenario}${kept.length > 0 ? `; ${kept.length} shard file${kept.length === 1 ? '' : 's'} kept` : ''}`, st));
    }
  } finally {
    outDir.abandon();
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
