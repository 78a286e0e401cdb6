/**
 * A comparison from start to end: the alternatives (scenario files or fields, each as
 * written or one of its variants) loaded and checked, named, run for R replications on
 * common random numbers (replication r of every alternative with seed base + r: the same
 * arrivals, service times and failures) on every core, and aggregated. `dynosim compare`
 * and the library's `compare()` are both this.
 */
import { basename } from 'node:path';
import { loadRef, refFields, variantNames, type ScenarioRef } from '../../scenario/load.ts';
import { ScenarioError, formatProblem, type Problem } from '../../scenario/problems.ts';
import type { Scenario } from '../../model/Scenario.ts';
import { runTasks, workerCount, type Task } from '../parallel/runTasks.ts';
import type { Clock } from '../parallel/progress.ts';
import { InputError } from '../../scenario/InputError.ts';
import { VERSION } from '../../engine/version.ts';
import { compareOutcomes, type Alternative, type CompareSetup, type Comparison } from './compare.ts';
import type { Outcome } from '../parallel/outcome.ts';
import { checkTarget, runToPrecision, targetOf, type PrecisionReport, type PrecisionRequest } from '../parallel/precision.ts';

/** Confidence level of every interval. */
export const LEVEL = 0.95;

/** An alternative before it is loaded: a scenario, and the variant of it to run (null: as written). */
export interface Planned {
  readonly ref: ScenarioRef;
  readonly variant: string | null;
  /** Name given before clashes are settled ('' for a whole scenario: named after it). */
  readonly name: string;
}

export { DEFAULT_MAX_REPLICATIONS, DEFAULT_MIN_REPLICATIONS, type PrecisionRequest } from '../parallel/precision.ts';

export interface CompareRequest {
  /** Replications of every alternative (at least 2); ignored with `precision`. */
  readonly replications: number;
  /** Add replications in batches until every named metric of every alternative is this precise. */
  readonly precision?: PrecisionRequest;
  /** Seed of the first replication (default: the first alternative's scenario seed). */
  readonly seed?: number;
  /** Overrides laid over every alternative. */
  readonly set?: readonly string[];
  /** Worker threads (default: every core). */
  readonly jobs?: number;
  readonly onDone?: (done: number, total: number) => void;
  /** A clock (ms) to time the runs by; without one, no wall time is taken. */
  readonly now?: Clock;
  /** What compare.json records of the request: the files given, the variants picked, --base. */
  readonly files?: readonly string[];
  readonly variants?: readonly string[] | null;
  readonly base?: boolean;
}

export interface CompareRun {
  readonly comparison: Comparison;
  /** The first alternative's scenario, loaded (its name names the results folder). */
  readonly first: Scenario;
  readonly runs: number;
  readonly requests: number;
  readonly jobs: number;
  /** How long the runs took by `now`, in seconds (null without a clock). */
  readonly wallS: number | null;
}

/**
 * The variants of one scenario as alternatives, in the order asked (all of them by
 * default), the scenario as written first with `base`. Messages name the options as
 * `names` gives them (the command line's --variants and --base).
 */
export function variantAlternatives(
  ref: ScenarioRef,
  variants?: readonly string[],
  base = false,
  names: { variants: string; base: string } = { variants: 'variants', base: 'base' },
): { planned: Planned[]; variants: string[] } {
  const known = variantNames(refFields(ref));
  if (known.length === 0) throw new InputError(`compare needs two scenarios or a scenario with variants, and ${ref.file} has no variants`);
  const picked = variants === undefined ? known : [...variants];
  const unknown = picked.filter((v) => !known.includes(v));
  if (unknown.length > 0) throw new InputError(`${names.variants}: ${ref.file} has no variant named ${unknown.map((v) => JSON.stringify(v)).join(', ')} (its variants are ${known.join(', ')})`);
  const twice = picked.find((v, i) => picked.indexOf(v) !== i);
  if (twice !== undefined) throw new InputError(`${names.variants} names ${twice} twice`);
  const planned: Planned[] = picked.map((v) => ({ ref, variant: v, name: v }));
  if (base) planned.unshift({ ref, variant: null, name: picked.includes('base') ? 'base scenario' : 'base' });
  if (planned.length < 2) {
    throw new InputError(`compare needs at least two alternatives, and ${planned.length === 1 ? `only ${planned[0]!.name} is left` : 'none is left'}${base ? '' : ` (${names.base} adds the scenario as written)`}`);
  }
  return { planned, variants: picked };
}

/** Loads, names, runs and aggregates the alternatives. Bad input: a ScenarioError listing every problem, or an InputError. */
export async function runComparison(planned: readonly Planned[], req: CompareRequest): Promise<CompareRun> {
  if (planned.length < 2) throw new InputError('compare needs at least two alternatives');
  const target = req.precision === undefined ? null : targetOf(req.precision, LEVEL);
  if (target !== null) {
    const problem = checkTarget(target);
    if (problem !== null) throw new InputError(problem);
  } else if (!(Number.isInteger(req.replications) && req.replications >= 2)) throw new InputError(`replications: expected a whole number of at least 2, got ${req.replications}`);
  const set = req.set ?? [];
  const scenarios = await loadAll(planned, set);
  const names = nameAlternatives(planned, scenarios);
  const alternatives: Alternative[] = planned.map((p, i) => ({ name: names[i]!, file: p.ref.file, variant: p.variant, scenario: scenarios[i]!.name }));

  const base = req.seed ?? scenarios[0]!.seed;
  const most = target === null ? req.replications : target.max;
  if (base + most - 1 > Number.MAX_SAFE_INTEGER) throw new InputError(`seed ${base} leaves no room for ${most} replications (seeds go up to 2^53 − 1)`);
  const taskOf = (p: Planned, r: number): Task => ({ ...p.ref, variant: p.variant ?? undefined, set, seed: base + r });
  const t0 = req.now?.();
  let perAlternative: Outcome[][];
  let precision: PrecisionReport | null = null;
  let workers = 1;
  if (target === null) {
    // Every alternative × replication in one batch, so that every core has work.
    const R = req.replications;
    const tasks: Task[] = [];
    for (const p of planned) for (let r = 0; r < R; r++) tasks.push(taskOf(p, r));
    const outcomes = await runTasks(tasks, { jobs: req.jobs, onDone: req.onDone });
    workers = workerCount(tasks.length, req.jobs);
    perAlternative = planned.map((_, a) => outcomes.slice(a * R, (a + 1) * R));
  } else {
    // Batches of every alternative at once; the progress counts the runs of the batches so far.
    let before = 0;
    const r = await runToPrecision(planned.length, target, async (requests) => {
      const tasks: Task[] = [];
      for (const q of requests) for (let i = 0; i < q.count; i++) tasks.push(taskOf(planned[q.group]!, q.from + i));
      const total = before + tasks.length;
      const outcomes = await runTasks(tasks, { jobs: req.jobs, onDone: req.onDone === undefined ? undefined : (done) => req.onDone!(before + done, total) });
      before = total;
      workers = Math.max(workers, workerCount(tasks.length, req.jobs));
      let at = 0;
      return requests.map((q) => outcomes.slice(at, (at += q.count)));
    });
    perAlternative = r.outcomes;
    precision = r.report;
  }
  const wallS = req.now === undefined || t0 === undefined ? null : (req.now() - t0) / 1000;
  const R = perAlternative[0]!.length;
  const seeds = Array.from({ length: R }, (_, r) => base + r);
  const setup: CompareSetup = {
    version: VERSION,
    files: [...(req.files ?? [...new Set(planned.map((p) => p.ref.file))])],
    variants: req.variants === undefined || req.variants === null ? (planned.every((p) => p.variant !== null) ? planned.map((p) => p.variant!) : null) : [...req.variants],
    base: req.base ?? false,
    replications: R,
    seeds,
    set: [...set],
    level: LEVEL,
  };
  const runs = perAlternative.reduce((a, os) => a + os.length, 0);
  const requests = perAlternative.reduce((a, os) => a + os.reduce((b, o) => b + o.requests, 0), 0);
  return {
    comparison: compareOutcomes(setup, alternatives, perAlternative, precision),
    first: scenarios[0]!,
    runs,
    requests,
    jobs: workers,
    wallS,
  };
}

/** A bad-input error gathering the problems of several alternatives, one line each. */
export class CompareInputError extends ScenarioError {
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
      scenarios.push(await loadRef(p.ref, { set, variant: p.variant ?? undefined, study: 'compare' }));
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
  for (const f of failures) byFile.set(f.p.ref.file, [...(byFile.get(f.p.ref.file) ?? []), f]);
  for (const [file, fs] of byFile) {
    const alternativesOfFile = planned.filter((p) => p.ref.file === file).length;
    if (fs.length < 2 || fs.length !== alternativesOfFile) continue;
    for (const q of fs[0]!.e.problems) if (fs.every((f) => f.e.problems.some((r) => key(r) === key(q)))) shared.add(`${file}\u0000${key(q)}`);
  }
  for (const { p, e } of failures) {
    for (const q of e.problems) {
      const k = `${p.ref.file}\u0000${key(q)}`;
      const line = shared.has(k) ? formatProblem(basename(p.ref.file), q) : formatProblem(e.file, q);
      if (seen.has(line)) continue;
      seen.add(line);
      lines.push(line);
    }
  }
  throw new CompareInputError(lines, failures[0]!.e);
}

/** Unique names: named alternatives keep theirs; whole scenarios go by their scenario's name, then (on a clash) by file name, then by the path given. */
function nameAlternatives(planned: readonly Planned[], scenarios: readonly Scenario[]): string[] {
  if (planned.some((p) => p.variant !== null) || planned.every((p) => p.name !== '')) {
    return numberRepeats(planned.map((p, i) => (p.name === '' ? scenarios[i]!.name : p.name)));
  }
  const candidates = [(i: number) => scenarios[i]!.name, (i: number) => basename(planned[i]!.ref.file), (i: number) => planned[i]!.ref.file];
  const names = planned.map((_, i) => candidates[0]!(i));
  for (const next of candidates.slice(1)) {
    // A group of equal names moves on to the next way of naming only if that tells them apart.
    for (const n of new Set(names)) {
      const group = names.flatMap((m, i) => (m === n ? [i] : []));
      if (group.length > 1 && new Set(group.map(next)).size > 1) for (const i of group) names[i] = next(i);
    }
  }
  return numberRepeats(names);
}

/** The same name twice: number the repeats. */
function numberRepeats(names: readonly string[]): string[] {
  const count = new Map<string, number>();
  return names.map((n) => {
    const k = (count.get(n) ?? 0) + 1;
    count.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}
