/**
 * `dynosim compare`: several scenario files, or the variants of one, each run for R
 * replications on common random numbers (replication r of every alternative with seed
 * base + r: the same arrivals, service times and failures), then every metric's mean with
 * its 95% interval and the paired difference to the first alternative. A table on stdout;
 * compare.csv, compare.json (byte-identical for the same inputs) and compare-run.json (wall
 * clock) in the results folder.
 */
import { availableParallelism } from 'node:os';
import { basename, join, relative } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadScenario, readScenarioFile, variantNames } from '../../scenario/load.ts';
import { ScenarioError, formatProblem, type Problem } from '../../scenario/problems.ts';
import type { Scenario } from '../../scenario/resolve.ts';
import { runTasks, type Task } from '../../parallel/runTasks.ts';
import { NO_PROGRESS, progressBar, wantProgress } from '../../parallel/progress.ts';
import { compareCsv, compareJson, compareOutcomes, compareText, type Alternative, type CompareSetup } from '../../experiment/compare.ts';
import { VERSION } from '../../version.ts';
import { OutputDir } from '../outputDir.ts';
import { UsageError } from '../UsageError.ts';
import { wroteText } from '../../report/text.ts';
import { addChartOptions, scenarioSource, shownPath, type ChartOptions } from '../chartOptions.ts';
import { compareCharts } from '../../charts/studies.ts';
import { comparePage } from '../../charts/pages.ts';
import { writeReport } from '../../charts/output.ts';

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
}

/** Confidence level of every interval. */
const LEVEL = 0.95;

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
    .option('--no-progress', 'draw no progress bar');
  addChartOptions(cmd).action(async (files: string[], opts: CompareOptions) => {
      await compareCommand(files, opts);
    });
}

interface Planned {
  readonly file: string;
  readonly variant: string | null;
  /** Name given before clashes are settled. */
  readonly name: string;
}

/** The alternatives the command line asks for, before loading them. */
function plan(files: readonly string[], opts: CompareOptions): { planned: Planned[]; variants: string[] | null } {
  if (files.length >= 2) {
    if (opts.variants !== undefined) throw new UsageError('--variants picks variants of one scenario; with several files, each file is one alternative');
    if (opts.base) throw new UsageError('--base goes with one scenario that has variants; with several files, each file is one alternative');
    return { planned: files.map((file) => ({ file, variant: null, name: '' })), variants: null };
  }
  const file = files[0]!;
  const known = variantNames(readScenarioFile(file));
  if (known.length === 0) throw new UsageError(`compare needs two scenarios or a scenario with variants, and ${file} has no variants`);
  let picked = known;
  if (opts.variants !== undefined) {
    picked = opts.variants.split(',').map((v) => v.trim());
    if (picked.some((v) => v === '')) throw new UsageError(`--variants expects names separated by commas, got ${JSON.stringify(opts.variants)}`);
    const unknown = picked.filter((v) => !known.includes(v));
    if (unknown.length > 0) throw new UsageError(`--variants: ${file} has no variant named ${unknown.map((v) => JSON.stringify(v)).join(', ')} (its variants are ${known.join(', ')})`);
    const twice = picked.find((v, i) => picked.indexOf(v) !== i);
    if (twice !== undefined) throw new UsageError(`--variants names ${twice} twice`);
  }
  const planned: Planned[] = picked.map((v) => ({ file, variant: v, name: v }));
  if (opts.base) planned.unshift({ file, variant: null, name: picked.includes('base') ? 'base scenario' : 'base' });
  if (planned.length < 2) {
    throw new UsageError(`compare needs at least two alternatives, and ${planned.length === 1 ? `only ${planned[0]!.name} is left` : 'none is left'}${opts.base ? '' : ' (--base adds the scenario as written)'}`);
  }
  return { planned, variants: picked };
}

/** A bad-input error gathering the problems of several alternatives, one line each. */
class CompareInputError extends ScenarioError {
  private readonly all: readonly string[];

  constructor(lines: readonly string[], first: ScenarioError) {
    super(first.file, first.problems);
    this.all = lines;
  }

  override lines(): string[] {
    return [...this.all];
  }
}

/**
 * Loads every alternative (which validates it) and throws one error listing every problem.
 * A problem every variant of a file shares (it is in the base, or in --set) is listed once.
 */
async function loadAll(planned: readonly Planned[], set: readonly string[]): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  const failures: Array<{ p: Planned; e: ScenarioError }> = [];
  for (const p of planned) {
    try {
      scenarios.push(await loadScenario(p.file, { set, variant: p.variant ?? undefined }));
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      failures.push({ p, e });
    }
  }
  if (failures.length === 0) return scenarios;
  const key = (q: Problem): string => `${q.path}\u0000${q.message}`;
  const lines: string[] = [];
  const shared = new Set<string>();
  const seen = new Set<string>();
  const byFile = new Map<string, Array<{ p: Planned; e: ScenarioError }>>();
  for (const f of failures) byFile.set(f.p.file, [...(byFile.get(f.p.file) ?? []), f]);
  for (const [file, fs] of byFile) {
    const alternativesOfFile = planned.filter((p) => p.file === file).length;
    if (fs.length < 2 || fs.length !== alternativesOfFile) continue;
    for (const q of fs[0]!.e.problems) if (fs.every((f) => f.e.problems.some((r) => key(r) === key(q)))) shared.add(`${file}\u0000${key(q)}`);
  }
  for (const { p, e } of failures) {
    for (const q of e.problems) {
      const k = `${p.file}\u0000${key(q)}`;
      const line = shared.has(k) ? formatProblem(basename(p.file), q) : formatProblem(e.file, q);
      if (seen.has(line)) continue;
      seen.add(line);
      lines.push(line);
    }
  }
  throw new CompareInputError(lines, failures[0]!.e);
}

/** Unique names: file alternatives by their scenario's name, then (on a clash) by file name, then by the path given. */
function nameAlternatives(planned: readonly Planned[], scenarios: readonly Scenario[]): string[] {
  if (planned.some((p) => p.variant !== null)) {
    return planned.map((p) => p.name);
  }
  const candidates = [(i: number) => scenarios[i]!.name, (i: number) => basename(planned[i]!.file), (i: number) => planned[i]!.file];
  const names = planned.map((_, i) => candidates[0]!(i));
  for (const next of candidates.slice(1)) {
    // A group of equal names moves on to the next way of naming only if that tells them apart.
    for (const n of new Set(names)) {
      const group = names.flatMap((m, i) => (m === n ? [i] : []));
      if (group.length > 1 && new Set(group.map(next)).size > 1) for (const i of group) names[i] = next(i);
    }
  }
  // The same file twice: number the repeats.
  const count = new Map<string, number>();
  return names.map((n) => {
    const k = (count.get(n) ?? 0) + 1;
    count.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

export async function compareCommand(files: readonly string[], opts: CompareOptions): Promise<void> {
  const { planned, variants } = plan(files, opts);
  const scenarios = await loadAll(planned, opts.set);
  const names = nameAlternatives(planned, scenarios);
  const alternatives: Alternative[] = planned.map((p, i) => ({ name: names[i]!, file: p.file, variant: p.variant, scenario: scenarios[i]!.name }));

  const R = opts.replications;
  const base = opts.seed ?? scenarios[0]!.seed;
  if (base + R - 1 > Number.MAX_SAFE_INTEGER) throw new UsageError(`--seed ${base} leaves no room for ${R} replications (seeds go up to 2^53 − 1)`);
  const seeds = Array.from({ length: R }, (_, r) => base + r);
  const setup: CompareSetup = {
    version: VERSION,
    files: [...files],
    variants,
    base: opts.base,
    replications: R,
    seeds,
    set: [...opts.set],
    level: LEVEL,
  };

  // Every alternative × replication in one batch, so that every core has work.
  const tasks: Task[] = [];
  for (const p of planned) {
    for (const seed of seeds) tasks.push({ file: p.file, variant: p.variant ?? undefined, set: opts.set, seed });
  }
  // A variant is named <scenario>.<variant>: its comparison goes under the scenario's own name.
  const first = planned[0]!;
  const suffix = first.variant === null ? '' : `.${first.variant}`;
  const name0 = scenarios[0]!.name;
  const folder = suffix !== '' && name0.endsWith(suffix) ? name0.slice(0, -suffix.length) : name0;
  const outDir = new OutputDir(opts.out ?? join('results', folder, 'compare'));
  try {
    const showProgress = opts.progress ?? (wantProgress(undefined) && !opts.quiet && !opts.json);
    const bar = showProgress ? progressBar('compare', tasks.length) : NO_PROGRESS;
    const t0 = performance.now();
    let outcomes;
    try {
      outcomes = await runTasks(tasks, { jobs: opts.jobs, onDone: (done) => bar.update(done) });
    } finally {
      bar.end();
    }
    const wallS = (performance.now() - t0) / 1000;
    const perAlternative = planned.map((_, a) => outcomes.slice(a * R, (a + 1) * R));
    const comparison = compareOutcomes(setup, alternatives, perAlternative);
    const json = compareJson(comparison);
    outDir.write('compare.csv', compareCsv(comparison));
    outDir.write('compare.json', json);
    const requests = outcomes.reduce((a, o) => a + o.requests, 0);
    const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), tasks.length));
    const run = {
      version: VERSION,
      wallS: round(wallS, 4),
      jobs,
      runs: tasks.length,
      requests,
      requestsPerS: Math.round(requests / wallS),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    };
    outDir.write('compare-run.json', JSON.stringify(run, null, 2) + '\n');
    const reportFiles: string[] = [];
    if (opts.charts !== false) {
      const charts = compareCharts(comparison);
      const command = ['dynosim compare', ...files.map(shownPath), ...(opts.variants === undefined ? [] : [`--variants ${opts.variants}`]), ...(opts.base ? ['--base'] : []), `--replications ${R}`, ...(opts.seed === undefined ? [] : [`--seed ${opts.seed}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
      reportFiles.push(...(await writeReport(outDir, charts, comparePage(comparison, charts, scenarioSource(files, opts.set), command), { png: opts.png })));
    }
    outDir.commit();

    if (opts.json) {
      process.stdout.write(json);
    } else if (!opts.quiet) {
      process.stdout.write(compareText(comparison));
      process.stdout.write(
        '\n' +
          wroteText(
            relative(process.cwd(), outDir.target) || '.',
            ['compare.csv', 'compare.json', 'compare-run.json', ...reportFiles],
            `${tasks.length} runs (${alternatives.length} × ${R}), ${(requests / 1e6).toFixed(2)} M requests in ${wallS.toFixed(2)} s on ${jobs} ${jobs === 1 ? 'thread' : 'threads'}`,
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
