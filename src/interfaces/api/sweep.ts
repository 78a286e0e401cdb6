/**
 * Sweeps: a grid of scenarios, each point replicated on common random numbers, run on
 * every core. `sweep()` for a program or a notebook; the rest is `dynosim sweep`'s and
 * `dynosim merge`'s: the grid checked and its runs planned (all of them, or one shard's),
 * run, then sweep.csv, runs.csv and the report, or a shard file; and shards merged.
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Scenario } from '../../model/Scenario.ts';
import type { ScenarioInput } from '../../scenario/schema.ts';
import { applySet, autoWarmupInStudy, readScenarioFile, withVariant } from '../../scenario/load.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import { VERSION } from '../../engine/version.ts';
import { runTasks, workerCount, type Task } from '../../studies/parallel/runTasks.ts';
import type { Clock } from '../../studies/parallel/progress.ts';
import type { Outcome } from '../../studies/parallel/outcome.ts';
import { checkAxes, MAX_TASKS, parseShard as parseShardOption, parseVary, pointCount, pointSets, shardIndices, taskAt, taskCount, type Axis, type SweepSpec } from '../../studies/sweep/grid.ts';
import { sweepTables, type PointResult } from '../../studies/sweep/tables.ts';
import { combineShards, fingerprint, parseShard, sha256File, SHARD_FILE_LIMITS, SHARD_FORMAT, shardFileName, shardText, type Shard, type ShardHeader } from '../../studies/sweep/shard.ts';
import { FileLimitError, readTextFile } from '../../engine/files.ts';
import { validatePoints } from '../../studies/sweep/validatePoints.ts';
import { SweepError } from '../../studies/sweep/SweepError.ts';
import { InputError } from '../../scenario/InputError.ts';
import type { Chart } from '../../output/charts/chart.ts';
import { sweepCharts } from '../../output/charts/studies.ts';
import { sweepPage } from '../../output/charts/pages.ts';
import { sweepPrecisionJson, sweepSummaryText } from '../../output/report/sweep.ts';
import { checkTarget, runToPrecision, targetOf, type PrecisionReport, type PrecisionRequest, type PrecisionTarget } from '../../studies/parallel/precision.ts';
import { PLAIN, type Styler } from '../../output/report/style.ts';
import { chartNamed, refOf, scenario, type ScenarioOptions } from './scenario.ts';
import { reportFiles, type FileSink, type ReportRequest, type Written } from './report.ts';

export interface SweepOptions extends Omit<ScenarioOptions, 'seed'> {
  /** Field paths and their values: `{ 'formation.web.count': [2, 4, 8] }`, or a range as `--vary` reads it: `'2..16/2'`. */
  readonly vary: Readonly<Record<string, string | readonly (string | number | boolean)[]>>;
  /** Runs per point (default 5), seeds seed, seed+1, … at every point. */
  readonly replications?: number;
  /**
   * Instead of a fixed number: replications in batches, the same at every point, until every
   * named metric of every point has a 95% half-width within `relative` of its mean.
   */
  readonly precision?: PrecisionRequest;
  readonly seed?: number;
  readonly jobs?: number;
}

export interface SweepResult {
  readonly spec: SweepSpec;
  /** One per grid point (the last field varies fastest): its values, each metric's mean and interval, and pooled percentiles. */
  readonly points: readonly PointResult[];
  readonly text: string;
  /** sweep-frontier, and sweep-metrics when one field varies. */
  readonly charts: readonly Chart[];
  chart(name: string): Chart;
  /** With `precision`: the replications it took and each point's half-widths (one group per point); null otherwise. */
  readonly precision: PrecisionReport | null;
}

/** Every combination of the values given, each run `replications` times on every core. */
export async function sweep(input: string | ScenarioInput, opts: SweepOptions): Promise<SweepResult> {
  const axes = sweepAxes(Object.entries(opts.vary).map(([path, values]) => `${path}=${typeof values === 'string' ? values : values.map(String).join(',')}`));
  const plan = await planSweep(input, { axes, replications: opts.replications ?? 5, ...(opts.precision === undefined ? {} : { precision: opts.precision }), seed: opts.seed, set: opts.set ?? [], variant: opts.variant, jobs: opts.jobs, baseDir: opts.baseDir });
  const { outcomes, spec, precision } = await runSweepPlan(plan);
  const tables = sweepResults(plan.base.name, spec, outcomes, PLAIN, precision);
  const charts = sweepCharts(spec, tables.points);
  return { spec, points: tables.points, text: tables.text, charts, chart: (name) => chartNamed(charts, name), precision };
}

/** The grid of `--vary path=values`, each checked; throws a SweepError (an InputError) of one line. */
export function sweepAxes(vary: readonly string[]): Axis[] {
  const axes = vary.map(parseVary);
  checkAxes(axes);
  return axes;
}

export interface SweepRequest {
  readonly axes: readonly Axis[];
  /** Runs per point (ignored with `precision`). */
  readonly replications: number;
  /** Replications in batches until this precision (not with a shard). */
  readonly precision?: PrecisionRequest;
  /** Seed of the first replication (default: the scenario's). */
  readonly seed?: number;
  /** Overrides laid under every point. */
  readonly set: readonly string[];
  readonly variant?: string;
  /** Worker threads (default: every core). */
  readonly jobs?: number;
  /** Only shard K of N (the runs whose index is ≡ K−1 mod N): `K/N`, or read already. */
  readonly shard?: string | { readonly k: number; readonly n: number } | null;
  readonly baseDir?: string;
  /** Sees each grid point's scenario as it is checked, with the point's --set overrides (a command checks it for a runaway; it may throw). */
  readonly onPoint?: (s: Scenario, sets: readonly string[]) => void;
}

/** A sweep checked and its runs planned, before any runs. */
export interface SweepPlan {
  /** The scenario as given (its name names the results folder). */
  readonly base: Scenario;
  readonly spec: SweepSpec;
  /** Points of the grid. */
  readonly points: number;
  /** Runs of the whole sweep. */
  readonly total: number;
  /** The runs this process makes: every one, or the shard's (with `precision`: none planned, the batches decide). */
  readonly tasks: readonly Task[];
  /** With --precision: the target, and the scenario the batches' runs are of. */
  readonly precision: { readonly target: PrecisionTarget; readonly ref: ReturnType<typeof refOf> } | null;
  readonly shard: { readonly k: number; readonly n: number } | null;
  /** Worker threads the runs take. */
  readonly workers: number;
  readonly jobs?: number;
  /** What a shard file starts with (null without a shard). */
  readonly header: ShardHeader | null;
  /** The sweep's indices of the shard's runs (null without a shard). */
  readonly indices: readonly number[] | null;
}

/**
 * Checks a sweep before anything runs: the scenario as given, the size of the grid, then
 * every point's scenario loaded once (all their problems at once, as a ScenarioError). A
 * shard also gets its header, with the fingerprint of the scenario file, the files it
 * names and the options, which merge checks every shard of one sweep shares.
 */
export async function planSweep(input: string | ScenarioInput, req: SweepRequest): Promise<SweepPlan> {
  const shard = typeof req.shard === 'string' ? parseShardOption(req.shard) : (req.shard ?? null);
  const ref = refOf(input, req.baseDir);
  let target: PrecisionTarget | null = null;
  if (req.precision !== undefined) {
    if (shard !== null) throw new InputError('a shard runs its share of a fixed number of replications: --precision cannot go with --shard');
    target = targetOf(req.precision, 0.95);
    const problem = checkTarget(target);
    if (problem !== null) throw new InputError(problem);
  }
  const base = await scenario(input, { set: req.set, seed: req.seed, variant: req.variant, baseDir: req.baseDir });
  // warmup: auto is refused once here, not once a point (a --vary of warmup is validatePoints').
  if (base.warmupAuto !== undefined) {
    const label = typeof input === 'string' ? basename(input) : base.name;
    throw new ScenarioError(req.variant === undefined ? label : `${label} (variant ${req.variant})`, [autoWarmupInStudy('sweep')]);
  }
  // With a precision, the grid is checked for its largest size: every point at the maximum.
  const spec: SweepSpec = { axes: req.axes, replications: target === null ? req.replications : target.max, seed: base.seed, set: [...req.set], ...(req.variant === undefined ? {} : { variant: req.variant }) };
  if (target !== null && base.seed + target.max - 1 > Number.MAX_SAFE_INTEGER) throw new SweepError(`seed ${base.seed} leaves no room for ${target.max} replications (seeds go up to 2^53 − 1)`);
  const total = taskCount(spec);
  if (total > MAX_TASKS) throw new SweepError(`the sweep comes to ${total} runs (${pointCount(spec.axes)} points × ${spec.replications}); at most ${MAX_TASKS}`);
  await validatePoints(ref, spec, req.onPoint);
  const indices = shard === null ? null : shardIndices(total, shard.k, shard.n);
  const tasks = target !== null ? [] : indices === null ? Array.from({ length: total }, (_, i) => taskAt(spec, ref, i)) : indices.map((i) => taskAt(spec, ref, i));
  let header: ShardHeader | null = null;
  if (shard !== null) {
    if (typeof input !== 'string') throw new InputError('a shard is of a scenario file, whose bytes its fingerprint vouches for');
    const fp = fingerprint({ version: VERSION, scenarioSha256: sha256File(input), files: referencedFiles(input, readScenarioFile(input), spec), spec });
    header = { format: SHARD_FORMAT, dynosim: VERSION, scenario: basename(input), name: base.name, fingerprint: fp, sweep: spec, tasks: total, shard };
  }
  return {
    base,
    spec,
    points: pointCount(spec.axes),
    total,
    tasks,
    precision: target === null ? null : { target, ref },
    shard,
    workers: workerCount(target === null ? tasks.length : total, req.jobs),
    jobs: req.jobs,
    header,
    indices,
  };
}

export interface SweepRun {
  /** The outcomes in task order (point by point, R replications each). */
  readonly outcomes: Outcome[];
  /** The sweep as run: the plan's, with the replications --precision stopped at. */
  readonly spec: SweepSpec;
  /** With --precision: what it reached (one group per point); null otherwise. */
  readonly precision: PrecisionReport | null;
  /** Runs made. */
  readonly runs: number;
  readonly wallS: number | null;
}

/**
 * Makes the plan's runs on the worker pool; `now` (ms) times them. With a precision, in
 * batches (every point the same number of replications, so that the points stay on common
 * random numbers); `onDone` then counts the runs of the batches so far against those and
 * the current batch's.
 */
export async function runSweepPlan(plan: SweepPlan, opts: { onDone?: (done: number, total: number) => void; now?: Clock } = {}): Promise<SweepRun> {
  const t0 = opts.now?.();
  const wall = (): number | null => (opts.now === undefined || t0 === undefined ? null : (opts.now() - t0) / 1000);
  if (plan.precision === null) {
    const outcomes = await runTasks(plan.tasks, { jobs: plan.jobs, onDone: opts.onDone });
    return { outcomes, spec: plan.spec, precision: null, runs: outcomes.length, wallS: wall() };
  }
  const { target, ref } = plan.precision;
  const at = (point: number, r: number): Task => ({ ...taskAt(plan.spec, ref, point * plan.spec.replications), seed: plan.spec.seed + r });
  let before = 0;
  const r = await runToPrecision(plan.points, target, async (requests) => {
    const tasks: Task[] = [];
    for (const q of requests) for (let i = 0; i < q.count; i++) tasks.push(at(q.group, q.from + i));
    const total = before + tasks.length;
    const outcomes = await runTasks(tasks, { jobs: plan.jobs, onDone: opts.onDone === undefined ? undefined : (done) => opts.onDone!(before + done, total) });
    before = total;
    let k = 0;
    return requests.map((q) => outcomes.slice(k, (k += q.count)));
  });
  const spec: SweepSpec = { ...plan.spec, replications: r.report.replications };
  return { outcomes: r.outcomes.flat(), spec, precision: r.report, runs: before, wallS: wall() };
}

/** A whole sweep's results: every point, sweep.csv and runs.csv, and the readable summary. */
export interface SweepTables {
  readonly name: string;
  readonly spec: SweepSpec;
  readonly points: PointResult[];
  readonly sweepCsv: string;
  readonly runsCsv: string;
  readonly text: string;
  /** With --precision: what it reached, and sweep-precision.json's text; null otherwise. */
  readonly precision: PrecisionReport | null;
  readonly precisionJson: string | null;
}

/** The results of every run of a sweep (in task order), tabulated; `style` styles the summary. */
export function sweepResults(name: string, spec: SweepSpec, outcomes: readonly Outcome[], style: Styler = PLAIN, precision: PrecisionReport | null = null): SweepTables {
  const tables = sweepTables(spec, outcomes);
  return {
    name,
    spec,
    ...tables,
    text: sweepSummaryText(name, spec, tables.points, style, precision),
    precision,
    precisionJson: precision === null ? null : sweepPrecisionJson(spec, tables.points, precision),
  };
}

/** sweep.csv and runs.csv, and the charts and report.html unless the request says no charts. */
export async function sweepFiles(t: SweepTables, sink: FileSink, request: ReportRequest): Promise<Written> {
  sink.write('sweep.csv', t.sweepCsv);
  sink.write('runs.csv', t.runsCsv);
  if (t.precisionJson !== null) sink.write('sweep-precision.json', t.precisionJson);
  const report = await reportFiles(sink, request, () => sweepCharts(t.spec, t.points), (charts) => sweepPage(t.name, t.spec, t.points, charts, request.source, request.command));
  return { files: ['sweep.csv', 'runs.csv', ...(t.precisionJson === null ? [] : ['sweep-precision.json'])], report };
}

/** A shard's file: its name (shard-K-of-N.json) and its text, the header then its runs' outcomes. */
export function shardFile(plan: SweepPlan, outcomes: readonly Outcome[]): { name: string; text: string } {
  if (plan.header === null || plan.indices === null || plan.shard === null) throw new InputError('not a shard: the sweep has no --shard');
  return { name: shardFileName(plan.shard.k, plan.shard.n), text: shardText(plan.header, plan.indices, outcomes) };
}

/** The shard files of one sweep read and put together: the sweep's header and every outcome, in task order. */
export function mergeShards(files: readonly string[]): { header: ShardHeader; shards: number; outcomes: Outcome[] } {
  const shards: Array<{ name: string; shard: Shard }> = [];
  for (const f of files) {
    let text: string;
    try {
      if (statSync(f).isDirectory()) throw new SweepError(`${f}: is a folder, not a shard file`);
      text = readTextFile(f, SHARD_FILE_LIMITS);
    } catch (e) {
      if (e instanceof SweepError) throw e;
      if (e instanceof FileLimitError) throw new SweepError(`${f}: ${e.message} (is it a shard file?)`);
      const code = (e as NodeJS.ErrnoException).code;
      throw new SweepError(code === 'ENOENT' ? `${f}: no such file` : `${f}: cannot be read (${code ?? String(e)})`);
    }
    shards.push({ name: f, shard: parseShard(f, text) });
  }
  const { header, outcomes } = combineShards(shards);
  return { header, shards: shards.length, outcomes };
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
      return { name, sha256: sha256File(resolve(dir, name)) };
    } catch {
      return { name, sha256: null };
    }
  });
}
