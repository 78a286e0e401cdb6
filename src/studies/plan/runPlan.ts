/**
 * A plan from start to end: every combination of strategy × size × concurrency the
 * request names, as the scenario resolves it; each probe's formation checked, then run for
 * R replications (or, with a precision, until its SLO metrics are that precise) on every
 * core; the search (src/plan/search.ts) for the cheapest formation meeting every SLO with
 * 95% confidence. `dynosim plan` and the library's `plan()` are both this.
 *
 * The process types searched are the ones the SLOs speak of: web for a run's metrics
 * (latency, queue time, errors, availability), each worker process type whose wait an SLO
 * names (`worker.wait.p95<30s`). Each is a stage, workers first in the scenario's order,
 * web last: a stage searches its process type's count (size, concurrency) against its own
 * SLOs, the other types as written or as an earlier stage chose them; the last stage is
 * judged on every SLO (cost ceilings included). A worker's wait depends on its own dynos
 * and a web SLO on the web dynos, so the stages' cheapest answers together are the cheapest
 * formation meeting them all.
 */
import { basename } from 'node:path';
import { loadRef, refFields, variantNames, type ScenarioRef } from '../../scenario/load.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import type { Scenario } from '../../model/Scenario.ts';
import { runTasks, type Task } from '../parallel/runTasks.ts';
import { NO_PROGRESS, type ProgressBar } from '../parallel/progress.ts';
import { PlanInputError } from './PlanInputError.ts';
import { parseSlo, type Slo } from './slo.ts';
import { monthlyPricePerDyno, stabilityBound, webMonthlyFloor, workerStabilityBound } from './bounds.ts';
import { searchPlan, type Combination, type PlanResult, type ProbeMetrics, type ProbeRequest, type ProbeRun } from './search.ts';
import { formationLabel } from './labels.ts';
import { metricValue, parseWaitMetric, WAIT_STATS, type AnyMetricKey, type Outcome } from '../parallel/outcome.ts';
import { checkTarget, runToPrecision, targetOf, type PrecisionRequest } from '../parallel/precision.ts';

/** A combination the scenario refused before any search (with why). */
export interface SkippedCombination {
  readonly strategy: string;
  /** The process type searched (web when absent). */
  readonly process?: string;
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
  /** Replications a probe (with a precision: the most a probe may take). */
  readonly replications: number;
  /** Null or absent: a fixed number of replications a probe. */
  readonly precision?: { readonly relative: number; readonly metrics: readonly AnyMetricKey[]; readonly min: number; readonly max: number } | null;
  /** The process types searched, in the order of their stages (web last; web alone when absent). */
  readonly processes?: readonly string[];
  /** Sizes and concurrencies tried for the workers, when not those given for web. */
  readonly workerSizes?: readonly string[] | null;
  readonly workerConcurrency?: readonly number[] | null;
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
  /** Dyno sizes to try for each process type searched (default: the scenario's size of it). */
  readonly sizes?: readonly string[] | null;
  /** Concurrencies to try for each process type searched (default: the scenario's). */
  readonly concurrency?: readonly number[] | null;
  /** Sizes and concurrencies for the worker process types instead (default: sizes and concurrency). */
  readonly workerSizes?: readonly string[] | null;
  readonly workerConcurrency?: readonly number[] | null;
  /** Variant names of the scenario, and base for the scenario as written (default: base). */
  readonly strategies?: readonly string[];
  /** The most dynos of each process type searched (or an autoscaler's ceiling) to consider (default: the scenario's platform.limits.dynosPerApp). */
  readonly maxCount?: number;
  /** Runs per formation tried (default 10), with seeds seed, seed+1, … */
  readonly replications?: number;
  /** Instead of a fixed number of replications: each formation tried until its metrics are this precise (default metrics: those the SLOs name). */
  readonly precision?: PrecisionRequest<AnyMetricKey>;
  /** The first replication's seed (default: the scenario's). */
  readonly seed?: number;
  readonly set?: readonly string[];
  /** Worker threads (default: every core); the answer does not depend on it. */
  readonly jobs?: number;
  /** A progress bar for each batch of probes. */
  readonly progress?: (label: string, total: number) => ProgressBar;
  /** How messages name the request's fields (the command line: --sizes, --strategies). */
  readonly optionName?: (field: 'sizes' | 'worker-sizes' | 'worker-concurrency' | 'strategies' | 'slo' | 'metrics' | 'precision' | 'min-replications' | 'max-replications') => string;
}

export interface PlanOutcome {
  readonly setup: PlanSetup;
  readonly slos: readonly Slo[];
  /** The last stage's search, with the probes of every stage (in the order run). */
  readonly plan: PlanResult;
  /** Each stage's search: its process type and what it found. */
  readonly stages: readonly { readonly process: string; readonly plan: PlanResult }[];
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

  // Every worker an SLO (or --metrics) names must be one of the scenario's, taking jobs from a queue.
  const workers = base.processes.flatMap((p, k) => (k > 0 && base.queues.some((q) => q.consumer === k) ? [p.type] : []));
  const checkWorker = (option: string, text: string, key: string): void => {
    const w = parseWaitMetric(key);
    if (w === null || workers.includes(w.process)) return;
    const known = workers.length === 0 ? `${label} has no worker process type taking jobs from a queue` : `its workers: ${workers.join(', ')}`;
    throw new PlanInputError(`${option} ${JSON.stringify(text)}: no worker process type ${JSON.stringify(w.process)} in the scenario (${known})`);
  };
  for (const slo of slos) checkWorker(name('slo'), slo.text, slo.metric);
  const target = req.precision === undefined ? null : targetOf<AnyMetricKey>(req.precision, CONFIDENCE, 'each', [...new Set(slos.map((x) => x.metric))]);
  if (target !== null) {
    const problem = checkTarget(target, { precision: name('precision'), min: name('min-replications'), max: name('max-replications'), metrics: name('metrics') });
    if (problem !== null) throw new PlanInputError(problem);
    for (const m of target.metrics) checkWorker(name('metrics'), m, m);
  }
  const perProbe = target === null ? replications : target.max;
  if (seed + perProbe - 1 > Number.MAX_SAFE_INTEGER) throw new PlanInputError(`seed ${seed} leaves no room for ${perProbe} replications (seeds go up to 2^53 − 1)`);

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
  const workerSizes = req.workerSizes === undefined || req.workerSizes === null ? null : req.workerSizes.map((n) => sizeName(base, n, name('worker-sizes')));
  const workerConcurrencies = req.workerConcurrency ?? null;

  // The stages: each worker an SLO names (in the scenario's order), then web if an SLO speaks of it.
  const waited = new Set(slos.flatMap((x) => parseWaitMetric(x.metric)?.process ?? []));
  const stageTypes = [...workers.filter((w) => waited.has(w)), ...(slos.some((x) => WEB_METRICS.has(x.metric)) || waited.size === 0 ? ['web'] : [])];

  let simulations = 0;
  let probesRun = 0;
  const stages: { process: string; plan: PlanResult }[] = [];
  const skipped: SkippedCombination[] = [];
  /** Overrides fixing the formations the earlier stages chose, and their labels. */
  const fixedSets: string[] = [];
  const fixedLabels: string[] = [];
  for (const [i, type] of stageTypes.entries()) {
    const last = i === stageTypes.length - 1;
    const k = base.processes.findIndex((p) => p.type === type);
    const stageSlos = last ? slos : slos.filter((x) => parseWaitMetric(x.metric)?.process === type);
    const isWeb = k === 0;
    const stageSizes = isWeb ? sizes : (workerSizes ?? sizes);
    const stageConcurrencies = isWeb ? concurrencies : (workerConcurrencies ?? concurrencies);
    // Earlier stages run on the scenario as written; the last tries every strategy asked.
    const stageStrategies = last ? strategies : ['base'];

    // Every combination, as the scenario resolves it before any count is chosen.
    const candidates: Candidate[] = [];
    const keys = new Set<string>();
    for (const strategy of stageStrategies) {
      const variant = strategy === 'base' ? undefined : strategy;
      for (const size of stageSizes ?? [null]) {
        for (const concurrency of stageConcurrencies ?? [null]) {
          const sets = [...fixedSets, ...(size === null ? [] : [`formation.${type}.size=${size}`]), ...(concurrency === null ? [] : [`formation.${type}.concurrency=${concurrency}`])];
          let s: Scenario;
          try {
            s = await loadRef(ref, { set: [...userSet, ...sets], seed, variant, study: 'plan' });
          } catch (e) {
            if (!(e instanceof ScenarioError)) throw e;
            skipped.push({ strategy, ...(isWeb ? {} : { process: type }), size, concurrency, reason: firstLine(e) });
            continue;
          }
          const scaling = s.scaling.find((p) => p.process === k);
          if (scaling?.strategy === 'schedule') {
            skipped.push({ strategy, ...(isWeb ? {} : { process: type }), size, concurrency, reason: `${type} follows a schedule (scaling.${type}), which sets its own counts: plan searches a fixed count or an autoscaler’s ceiling` });
            continue;
          }
          const proc = s.processes[k]!;
          const key = isWeb ? `${strategy}/${proc.size.name}/${proc.concurrency}` : `${strategy}/${type}/${proc.size.name}/${proc.concurrency}`;
          if (keys.has(key)) continue;
          keys.add(key);
          candidates.push(candidate(strategy, variant, sets, s, k, key, scaling, maxCount, fixedLabels));
        }
      }
    }
    if (candidates.length === 0) {
      throw new PlanInputError(`nothing to plan: the scenario rejects every combination asked for (the first: ${skipped[0]?.reason ?? 'none'})`);
    }

    // Each probe's formation is checked here first, so that a count the scenario refuses is a finding, not a failed run.
    const byKey = new Map(candidates.map((c) => [c.combo.key, c]));
    const evaluate = async (batch: readonly ProbeRequest[]): Promise<ProbeRun[]> => {
      const runs: (ProbeRun | null)[] = [];
      const sets: (readonly string[])[] = [];
      const accepted: Candidate[] = [];
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
        sets.push(set);
        accepted.push(c);
      }
      const taskOf = (g: number, r: number): Task => ({ ...ref, variant: accepted[g]!.variant, set: sets[g]!, seed: seed + r });
      const first = probesRun + 1;
      probesRun += accepted.length;
      let groups: Outcome[][];
      if (accepted.length === 0) groups = [];
      else if (target === null) {
        const tasks: Task[] = [];
        accepted.forEach((_, g) => {
          for (let r = 0; r < replications; r++) tasks.push(taskOf(g, r));
        });
        const outcomes = await runBar(`plan: probes ${first}-${probesRun}`, tasks);
        groups = accepted.map((_, g) => outcomes.slice(g * replications, (g + 1) * replications));
      } else {
        // Each formation replicated until its SLO metrics are precise enough (on its own, not in step with the others).
        const r = await runToPrecision(accepted.length, target, async (requests) => {
          const tasks: Task[] = [];
          for (const q of requests) for (let i = 0; i < q.count; i++) tasks.push(taskOf(q.group, q.from + i));
          const outcomes = await runBar(`plan: probes ${first}-${probesRun}`, tasks);
          let at = 0;
          return requests.map((q) => outcomes.slice(at, (at += q.count)));
        });
        groups = r.outcomes;
      }
      let next = 0;
      return runs.map((r) => (r !== null ? r : { kind: 'ran', metrics: groups[next++]!.map(probeMetrics) }));
    };
    const runBar = async (barLabel: string, tasks: Task[]): Promise<Outcome[]> => {
      const bar = progress(barLabel, tasks.length);
      try {
        const outcomes = await runTasks(tasks, { jobs: req.jobs, onDone: (done) => bar.update(done) });
        simulations += outcomes.length;
        return outcomes;
      } finally {
        bar.end();
      }
    };
    const plan = await searchPlan(
      candidates.map((c) => c.combo),
      { slos: stageSlos, level: CONFIDENCE },
      evaluate,
    );
    stages.push({ process: type, plan });
    const answer = plan.answer;
    if (answer === null || last) break;
    // The later stages run with this stage's answer.
    const chosen = byKey.get(answer.combo.key)!;
    fixedSets.push(...chosen.sets.slice(fixedSets.length), ...chosen.countSets(answer.probe.n));
    fixedLabels.push(formationLabel(answer.combo, answer.probe.n));
  }
  const lastStage = stages[stages.length - 1]!.plan;
  const plan: PlanResult = {
    ...lastStage,
    probes: stages.flatMap((st) => st.plan.probes),
    simulations: stages.reduce((a, st) => a + st.plan.simulations, 0),
  };
  const setup: PlanSetup = {
    scenario: base.name,
    file: label,
    platform: base.platform.name,
    strategies: [...strategies],
    sizes,
    concurrency: concurrencies === null ? null : [...concurrencies],
    replications: perProbe,
    precision: target === null ? null : { relative: target.relative, metrics: [...target.metrics], min: target.min, max: target.max },
    processes: stageTypes,
    workerSizes,
    workerConcurrency: workerConcurrencies === null ? null : [...workerConcurrencies],
    seed,
    maxCount,
    set: [...userSet],
    confidence: CONFIDENCE,
  };
  return { setup, slos, plan, stages, skipped, base, simulations };
}

/** The metrics of a run that speak of the web dynos: a plan with an SLO on one searches web. */
const WEB_METRICS: ReadonlySet<string> = new Set(['p50', 'p95', 'p99', 'p999', 'mean', 'queue.mean', 'queue.p95', 'errors', 'availability', 'dynos']);

/** A run's metrics, and every worker's wait, as the search reads them. */
function probeMetrics(o: Outcome): ProbeMetrics {
  const out: Record<string, number | null> = { ...o.metrics };
  for (const type of Object.keys(o.waits ?? {})) for (const stat of WAIT_STATS) out[`${type}.wait.${stat}`] = metricValue(o, `${type}.wait.${stat}`);
  return out as ProbeMetrics;
}

/** The platform's name for a size, matched without regard to case; a PlanInputError listing the sizes otherwise. */
function sizeName(s: Scenario, name: string, option: string): string {
  const names = Object.keys(s.platform.sizes);
  const found = names.find((n) => n === name) ?? names.find((n) => n.toLowerCase() === name.toLowerCase());
  if (found === undefined) throw new PlanInputError(`${option}: no size ${JSON.stringify(name)} on ${s.platform.name} (its sizes: ${names.join(', ')})`);
  return found;
}

/** The combination of process type k of `s` (as `sets` made it), whose count (or autoscaler ceiling) is searched. */
function candidate(strategy: string, variant: string | undefined, sets: string[], s: Scenario, k: number, key: string, scaling: Scenario['scaling'][number] | undefined, maxCount: number, withLabels: readonly string[]): Candidate {
  const autoscaler = scaling?.strategy === 'heroku-autoscale' || scaling?.strategy === 'queue-time' ? scaling : null;
  const proc = s.processes[k]!;
  const type = proc.type;
  const size = proc.size;
  const floors = new Map<number, number>();
  const floor = (n: number): number => {
    let v = floors.get(n);
    if (v === undefined) floors.set(n, (v = webMonthlyFloor(s.platform, size, n, type)));
    return v;
  };
  const combo: Combination = {
    key,
    strategy,
    size: size.name,
    concurrency: proc.concurrency,
    autoscaler: autoscaler?.strategy ?? null,
    lowerBound: k === 0 ? stabilityBound(s) : workerStabilityBound(s, k),
    maxCount,
    pricePerDyno: monthlyPricePerDyno(s.platform, size),
    // An autoscaler never runs fewer than its min (lowered to the ceiling when that is below it).
    costFloor: (n) => floor(autoscaler === null ? n : Math.min(autoscaler.min, n)),
    ...(k === 0 ? {} : { process: type }),
    ...(withLabels.length === 0 ? {} : { with: [...withLabels] }),
  };
  const countSets = (n: number): string[] =>
    autoscaler === null
      ? [`formation.${type}.count=${n}`]
      : [`scaling.${type}.max=${n}`, `scaling.${type}.min=${Math.min(autoscaler.min, n)}`, `formation.${type}.count=${Math.min(proc.count, n)}`];
  return { combo, variant, sets, countSets };
}

function firstLine(e: ScenarioError): string {
  const lines = e.lines();
  return lines.length > 1 ? `${lines[0]} (and ${lines.length - 1} more)` : (lines[0] ?? e.message);
}
