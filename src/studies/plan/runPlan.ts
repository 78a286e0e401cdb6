/**
 * A plan from start to end: every combination of strategy × size × concurrency the
 * request names, as the scenario resolves it; each probe's formation checked, then run for
 * R replications on every core; the search (src/plan/search.ts) for the cheapest formation
 * meeting every SLO with 95% confidence. `dynosim plan` and the library's `plan()` are
 * both this.
 */
import { basename } from 'node:path';
import { loadRef, refFields, variantNames, type ScenarioRef } from '../../scenario/load.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import type { Scenario } from '../../model/Scenario.ts';
import { runTasks, type Task } from '../parallel/runTasks.ts';
import { NO_PROGRESS, type ProgressBar } from '../parallel/progress.ts';
import { PlanInputError } from './PlanInputError.ts';
import { parseSlo, type Slo } from './slo.ts';
import { monthlyPricePerDyno, stabilityBound, webMonthlyFloor } from './bounds.ts';
import { searchPlan, type Combination, type PlanResult, type ProbeRequest, type ProbeRun } from './search.ts';

/** Heroku's limit on the dynos of one process type. */
/** A combination the scenario refused before any search (with why). */
export interface SkippedCombination {
  readonly strategy: string;
  /** Null: the strategy's own size or concurrency (none was asked for). */
  readonly size: string | null;
  readonly concurrency: number | null;
  readonly reason: string;
}

/** What the plan was asked, for plan.json and the heading. */
export interface PlanSetup {
  readonly scenario: string;
  /** The scenario file's name (without its folder). */
  readonly file: string;
  readonly platform: string;
  readonly strategies: readonly string[];
  /** Null when left to each strategy's scenario. */
  readonly sizes: readonly string[] | null;
  readonly concurrency: readonly number[] | null;
  readonly replications: number;
  readonly seed: number;
  readonly maxCount: number;
  readonly set: readonly string[];
  readonly confidence: number;
}

export const DEFAULT_REPLICATIONS = 10;
export const CONFIDENCE = 0.95;

export interface PlanRequest {
  /** Objectives such as 'p95<500ms', 'errors<0.1%', 'monthly<=$2000' (at least one). */
  readonly slo: readonly string[];
  /** Dyno sizes to try (default: the scenario's web size). */
  readonly sizes?: readonly string[] | null;
  /** Web concurrencies to try (default: the scenario's). */
  readonly concurrency?: readonly number[] | null;
  /** Variant names of the scenario, and base for the scenario as written (default: base). */
  readonly strategies?: readonly string[];
  /** The most web dynos (or an autoscaler's ceiling) to consider (default: the scenario's platform.limits.dynosPerApp). */
  readonly maxCount?: number;
  /** Runs per formation tried (default 10), with seeds seed, seed+1, … */
  readonly replications?: number;
  /** The first replication's seed (default: the scenario's). */
  readonly seed?: number;
  readonly set?: readonly string[];
  /** Worker threads (default: every core); the answer does not depend on it. */
  readonly jobs?: number;
  /** A progress bar for each batch of probes. */
  readonly progress?: (label: string, total: number) => ProgressBar;
  /** How messages name the request's fields (the command line: --sizes, --strategies). */
  readonly optionName?: (field: 'sizes' | 'strategies') => string;
}

export interface PlanOutcome {
  readonly setup: PlanSetup;
  readonly slos: readonly Slo[];
  readonly plan: PlanResult;
  readonly skipped: readonly SkippedCombination[];
  /** The scenario as written, loaded. */
  readonly base: Scenario;
  readonly simulations: number;
}

/** A searchable combination, with the overrides that make its formations. */
interface Candidate {
  readonly combo: Combination;
  readonly variant: string | undefined;
  /** Overrides picking the size and concurrency (after the user's). */
  readonly sets: readonly string[];
  /** Overrides giving the searched number n. */
  readonly countSets: (n: number) => string[];
}

export async function runPlan(ref: ScenarioRef, req: PlanRequest): Promise<PlanOutcome> {
  const name = req.optionName ?? ((f: string) => f);
  if (req.slo.length === 0) throw new PlanInputError("plan needs at least one SLO, such as 'p95<500ms'");
  const slos: Slo[] = req.slo.map(parseSlo);
  const replications = req.replications ?? DEFAULT_REPLICATIONS;
  if (!(Number.isInteger(replications) && replications >= 2)) throw new PlanInputError(`replications: expected a whole number of at least 2, got ${replications}`);
  const userSet = req.set ?? [];
  const progress = req.progress ?? (() => NO_PROGRESS);

  // The scenario as written must load: its problems are the user's to fix.
  const base = await loadRef(ref, { set: userSet, seed: req.seed, study: 'plan' });
  const seed = req.seed ?? base.seed;
  // By default, as many dynos as the app may run (Heroku's 100, or the scenario's raised limit).
  const maxCount = req.maxCount ?? base.platform.limits.dynosPerApp;
  if (!(Number.isInteger(maxCount) && maxCount >= 1)) throw new PlanInputError(`maxCount: expected a whole number of at least 1, got ${maxCount}`);
  const label = basename(ref.file);

  const variants = variantNames(refFields(ref));
  const strategies = req.strategies ?? ['base'];
  for (const s of strategies) {
    if (s !== 'base' && !variants.includes(s)) {
      const known = variants.length === 0 ? `${label} has no variants` : `the variants of ${label} are ${variants.join(', ')}`;
      throw new PlanInputError(`${name('strategies')}: no variant named ${JSON.stringify(s)} (${known}; base is the scenario as written)`);
    }
  }
  const sizes = req.sizes === undefined || req.sizes === null ? null : req.sizes.map((n) => sizeName(base, n, name('sizes')));
  const concurrencies = req.concurrency ?? null;

  // Every combination, as the scenario resolves it before any count is chosen.
  const candidates: Candidate[] = [];
  const skipped: SkippedCombination[] = [];
  const keys = new Set<string>();
  for (const strategy of strategies) {
    const variant = strategy === 'base' ? undefined : strategy;
    for (const size of sizes ?? [null]) {
      for (const concurrency of concurrencies ?? [null]) {
        const sets = [...(size === null ? [] : [`formation.web.size=${size}`]), ...(concurrency === null ? [] : [`formation.web.concurrency=${concurrency}`])];
        let s: Scenario;
        try {
          s = await loadRef(ref, { set: [...userSet, ...sets], seed, variant, study: 'plan' });
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          skipped.push({ strategy, size, concurrency, reason: firstLine(e) });
          continue;
        }
        const scaling = s.scaling.find((p) => p.process === 0);
        if (scaling?.strategy === 'schedule') {
          skipped.push({ strategy, size, concurrency, reason: 'web follows a schedule (scaling.web), which sets its own counts: plan searches a fixed count or an autoscaler’s ceiling' });
          continue;
        }
        const key = `${strategy}/${s.web.size.name}/${s.web.concurrency}`;
        if (keys.has(key)) continue;
        keys.add(key);
        candidates.push(candidate(strategy, variant, sets, s, scaling, maxCount));
      }
    }
  }
  if (candidates.length === 0) {
    throw new PlanInputError(`nothing to plan: the scenario rejects every combination asked for (the first: ${skipped[0]?.reason ?? 'none'})`);
  }

  // Each probe's formation is checked here first, so that a count the scenario refuses is a finding, not a failed run.
  const byKey = new Map(candidates.map((c) => [c.combo.key, c]));
  let simulations = 0;
  let probesRun = 0;
  const evaluate = async (batch: readonly ProbeRequest[]): Promise<ProbeRun[]> => {
    const runs: (ProbeRun | null)[] = [];
    const tasks: Task[] = [];
    for (const r of batch) {
      const c = byKey.get(r.combo.key)!;
      const set = [...userSet, ...c.sets, ...c.countSets(r.n)];
      try {
        await loadRef(ref, { set, seed, variant: c.variant, study: 'plan' });
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        runs.push({ kind: 'rejected', message: firstLine(e) });
        continue;
      }
      runs.push(null);
      for (let k = 0; k < replications; k++) tasks.push({ ...ref, variant: c.variant, set, seed: seed + k });
    }
    const bar = tasks.length > 0 ? progress(`plan: probes ${probesRun + 1}-${probesRun + tasks.length / replications}`, tasks.length) : NO_PROGRESS;
    let outcomes;
    try {
      outcomes = tasks.length === 0 ? [] : await runTasks(tasks, { jobs: req.jobs, onDone: (done) => bar.update(done) });
    } finally {
      bar.end();
    }
    probesRun += tasks.length / replications;
    simulations += outcomes.length;
    let next = 0;
    return runs.map((r) => {
      if (r !== null) return r;
      const metrics = outcomes.slice(next, next + replications).map((o) => o.metrics);
      next += replications;
      return { kind: 'ran', metrics };
    });
  };
  const plan = await searchPlan(
    candidates.map((c) => c.combo),
    { slos, level: CONFIDENCE },
    evaluate,
  );
  const setup: PlanSetup = {
    scenario: base.name,
    file: label,
    platform: base.platform.name,
    strategies: [...strategies],
    sizes,
    concurrency: concurrencies === null ? null : [...concurrencies],
    replications,
    seed,
    maxCount,
    set: [...userSet],
    confidence: CONFIDENCE,
  };
  return { setup, slos, plan, skipped, base, simulations };
}

/** The platform's name for a size, matched without regard to case; a PlanInputError listing the sizes otherwise. */
function sizeName(s: Scenario, name: string, option: string): string {
  const names = Object.keys(s.platform.sizes);
  const found = names.find((n) => n === name) ?? names.find((n) => n.toLowerCase() === name.toLowerCase());
  if (found === undefined) throw new PlanInputError(`${option}: no size ${JSON.stringify(name)} on ${s.platform.name} (its sizes: ${names.join(', ')})`);
  return found;
}

function candidate(strategy: string, variant: string | undefined, sets: string[], s: Scenario, scaling: Scenario['scaling'][number] | undefined, maxCount: number): Candidate {
  const autoscaler = scaling?.strategy === 'heroku-autoscale' || scaling?.strategy === 'queue-time' ? scaling : null;
  const size = s.web.size;
  const floors = new Map<number, number>();
  const webFloor = (n: number): number => {
    let v = floors.get(n);
    if (v === undefined) floors.set(n, (v = webMonthlyFloor(s.platform, size, n)));
    return v;
  };
  const combo: Combination = {
    key: `${strategy}/${size.name}/${s.web.concurrency}`,
    strategy,
    size: size.name,
    concurrency: s.web.concurrency,
    autoscaler: autoscaler?.strategy ?? null,
    lowerBound: stabilityBound(s),
    maxCount,
    pricePerDyno: monthlyPricePerDyno(s.platform, size),
    // An autoscaler never runs fewer than its min (lowered to the ceiling when that is below it).
    costFloor: (n) => webFloor(autoscaler === null ? n : Math.min(autoscaler.min, n)),
  };
  const countSets = (n: number): string[] =>
    autoscaler === null
      ? [`formation.web.count=${n}`]
      : [`scaling.web.max=${n}`, `scaling.web.min=${Math.min(autoscaler.min, n)}`, `formation.web.count=${Math.min(s.web.count, n)}`];
  return { combo, variant, sets, countSets };
}

function firstLine(e: ScenarioError): string {
  const lines = e.lines();
  return lines.length > 1 ? `${lines[0]} (and ${lines.length - 1} more)` : (lines[0] ?? e.message);
}
