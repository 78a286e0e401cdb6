/**
 * `dynosim plan`: the cheapest formation (size × count × concurrency, optionally under a
 * scaling strategy, of web and of the workers a wait SLO names) that meets every SLO with
 * 95% confidence. The plan is the library's
 * (interfaces/api/plan.ts, as plan() runs it); this layer reads the options, draws the
 * progress and writes plan.csv, plan.json, plan-run.json and the report.
 */
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { tuneJit } from '../../engine/jit.ts';
import { planFiles, planJob } from '../api/plan.ts';
import { scenarioSource } from '../api/report.ts';
import { progressBar } from '../../studies/parallel/progress.ts';
import { DEFAULT_REPLICATIONS } from '../../studies/plan/runPlan.ts';
import { VERSION } from '../../engine/version.ts';
import { wroteText } from '../../output/report/text.ts';
import { OutputDir, OutputLock } from './outputDir.ts';
import { checkRunaway } from './run.ts';
import { scenario } from '../api/scenario.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import { UsageError } from './UsageError.ts';
import { addChartOptions, checkChartOptions, shownPath, type ChartOptions } from './chartOptions.ts';
import { FORMATION_HELP, withFormation } from './formationOption.ts';
import { BAR, clock, styler, wantBar } from './terminal.ts';
import { addPrecisionOptions, precisionArgs, precisionOption } from './compare.ts';
import { parsePlanMetricList, type PrecisionRequest } from '../../studies/parallel/precision.ts';
import type { AnyMetricKey } from '../../studies/parallel/outcome.ts';

export interface PlanCommandOptions extends ChartOptions {
  slo: string[];
  sizes?: string;
  concurrency?: string;
  workerSizes?: string;
  workerConcurrency?: string;
  strategies?: string;
  maxCount?: string;
  replications?: string;
  /** --precision, --metrics, --min-replications, --max-replications (as compare and sweep take them). */
  precision?: number;
  metrics?: string;
  minReplications?: number;
  maxReplications?: number;
  seed?: string;
  set: string[];
  /** --formation: counts and sizes as heroku ps:scale takes them. */
  formation?: string;
  jobs?: string;
  out?: string;
  json: boolean;
  quiet: boolean;
  progress?: boolean;
  /** --force: plan even a scenario whose run is a runaway (as dynosim run). */
  force?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `plan` to the program. */
export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('find the cheapest formation (dyno size × count × concurrency, optionally a scaling strategy, of web and of the workers a wait SLO names) that meets every SLO with 95% confidence; write plan.csv, plan.json and plan-run.json')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--slo <slo>', "an objective <metric><op><value>, e.g. 'p95<500ms', 'errors<0.1%', 'monthly<=$2000', or a worker process type's job wait <process>.wait.<mean|p50|p95|p99>, e.g. 'worker.wait.p95<30s' (repeatable; op <, <=, >, >=)", collect, [])
    .option('--sizes <list>', 'dyno sizes to try for each process type searched (web, and the workers a wait SLO names), e.g. standard-1x,standard-2x,performance-m (default: the scenario’s)')
    .option('--concurrency <list>', 'concurrencies (web’s, or a worker’s jobs at once) to try, e.g. 1..8 or 1,2,4 (default: the scenario’s)')
    .option('--worker-sizes <list>', 'dyno sizes to try for the workers instead of --sizes')
    .option('--worker-concurrency <list>', 'worker concurrencies to try instead of --concurrency, e.g. 5,10,25')
    .option('--strategies <list>', 'scaling strategies to try: variant names of the scenario, and base for the scenario as written (default: base)')
    .option('--max-count <n>', 'the most dynos of each process type searched (or an autoscaler’s ceiling) to consider (default: the app’s limit, platform.limits.dynosPerApp: 100 unless the scenario raises it)')
    .option('--replications <n>', `runs per formation tried, seeds seed, seed+1, … (default ${DEFAULT_REPLICATIONS}; or --precision)`)
    .option('--seed <n>', 'the first replication’s seed (default: the scenario’s)')
    .option('--set <path=value>', 'override a scenario field, e.g. --set duration=30m (repeatable)', collect, [])
    .option('--formation <spec>', FORMATION_HELP)
    .option('--jobs <n>', 'worker threads for the runs (default: every core); the results do not depend on it')
    .option('--out <dir>', 'folder for the results (default results/<scenario name>/plan)')
    .option('--json', 'print plan.json instead of the readable answer', false)
    .option('-q, --quiet', 'print nothing on success', false)
    .option('--progress', 'draw a progress bar on stderr even when it is not a terminal')
    .option('--no-progress', 'draw no progress bar')
    .option('--force', 'plan even a scenario whose estimate is far past what a run takes (as dynosim run)');
  addPrecisionOptions(cmd, 'formation', {
    precision: 'instead of a fixed --replications: replicate each formation tried (in batches, on its own) until the 95% half-width of each named metric is within p of its mean, e.g. 5%',
    metrics: 'with --precision: the metrics that must reach it, comma-separated, e.g. p95,worker.wait.p95 (default: the metrics the SLOs name)',
  });
  addChartOptions(cmd).action(async (file: string, opts: PlanCommandOptions) => {
    await planCommand(file, withFormation(opts));
  });
}

function whole(option: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${option} ${JSON.stringify(text)}: expected a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`);
  }
  return Number(text);
}

export async function planCommand(file: string, opts: PlanCommandOptions): Promise<void> {
  tuneJit(); // its runs add up: see engine/jit.ts
  checkChartOptions(opts);
  const t0 = clock();
  if (opts.slo.length === 0) throw new UsageError("plan needs at least one --slo, such as --slo 'p95<500ms'");
  const maxCount = opts.maxCount === undefined ? undefined : whole('--max-count', opts.maxCount, 1, 10_000);
  const replications = opts.replications === undefined ? DEFAULT_REPLICATIONS : whole('--replications', opts.replications, 2, 10_000);
  const precision = precisionOption<AnyMetricKey>(opts, opts.replications !== undefined, parsePlanMetricList);
  const jobs = opts.jobs === undefined ? undefined : whole('--jobs', opts.jobs, 1, 1024);
  const seed = opts.seed === undefined ? undefined : whole('--seed', opts.seed, 0);
  // Only on a terminal unless asked, and not under -q or --json unless asked.
  const showProgress = opts.progress ?? (wantBar(undefined) && !opts.quiet && !opts.json);
  // The scenario as given, checked for a runaway as `dynosim run` checks it, and the
  // results folder locked, before any simulation (a scenario that does not load is left
  // to the job, which reports its problems in its own words).
  const given = await scenario(file, { set: opts.set }).catch((e: unknown) => {
    if (e instanceof ScenarioError) return null;
    throw e;
  });
  if (given !== null) checkRunaway(file, given, opts.force);
  const lock = opts.out !== undefined || given !== null ? new OutputLock(opts.out ?? join('results', given!.name, 'plan')) : null;
  try {
    await planAndWrite(file, opts, { t0, maxCount, replications, precision, jobs, seed, showProgress }, lock);
  } finally {
    lock?.release();
  }
}

async function planAndWrite(file: string, opts: PlanCommandOptions, o: { t0: number; maxCount?: number; replications: number; precision?: PrecisionRequest<AnyMetricKey>; jobs?: number; seed?: number; showProgress: boolean }, lock: OutputLock | null): Promise<void> {
  const { t0, maxCount, replications, precision, jobs, seed, showProgress } = o;
  const st = styler(process.stdout);
  const job = await planJob(file, {
    slo: opts.slo,
    sizes: opts.sizes,
    concurrency: opts.concurrency,
    workerSizes: opts.workerSizes,
    workerConcurrency: opts.workerConcurrency,
    strategies: opts.strategies,
    maxCount,
    replications,
    ...(precision === undefined ? {} : { precision }),
    seed,
    set: opts.set,
    jobs,
    progress: showProgress ? (label, total) => progressBar(label, total, BAR) : undefined,
    optionName: (f) => `--${f}`,
    style: st,
  });
  const { slos, plan, simulations } = job;
  const wallS = (clock() - t0) / 1000;
  const target = opts.out ?? join('results', job.base.name, 'plan');
  const outDir = new OutputDir(target, lock !== null && resolve(target) === lock.target ? lock : undefined);
  let written;
  try {
    // Taken before the charts are drawn: the plan's own peak.
    const run = {
      version: VERSION,
      wallS: round(wallS, 4),
      probes: plan.probes.length,
      simulations,
      simulationsPerS: round(simulations / wallS, 1),
      jobs: jobs ?? null,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    };
    outDir.write('plan-run.json', JSON.stringify(run, null, 2) + '\n');
    const command = ['dynosim plan', shownPath(file), ...slos.map((x) => `--slo '${x.text}'`), ...(opts.sizes === undefined ? [] : [`--sizes ${opts.sizes}`]), ...(opts.concurrency === undefined ? [] : [`--concurrency ${opts.concurrency}`]), ...(opts.workerSizes === undefined ? [] : [`--worker-sizes ${opts.workerSizes}`]), ...(opts.workerConcurrency === undefined ? [] : [`--worker-concurrency ${opts.workerConcurrency}`]), ...(opts.strategies === undefined ? [] : [`--strategies ${opts.strategies}`]), ...(opts.maxCount === undefined ? [] : [`--max-count ${opts.maxCount}`]), ...(opts.replications === undefined ? [] : [`--replications ${opts.replications}`]), ...precisionArgs(precision, opts.metrics), ...(opts.seed === undefined ? [] : [`--seed ${opts.seed}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
    written = await planFiles(job, outDir, { charts: opts.charts, png: opts.png, interactive: opts.interactiveReport === true, command, source: scenarioSource([file], opts.set) });
    outDir.commit();
  } finally {
    outDir.abandon();
  }

  if (opts.json) process.stdout.write(job.json);
  else if (!opts.quiet) {
    process.stdout.write(job.text);
    process.stdout.write(wroteText(relative(process.cwd(), outDir.target) || '.', [...written.files, 'plan-run.json', ...written.report], `in ${wallS.toFixed(1)} s`, st));
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
