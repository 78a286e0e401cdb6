/**
 * `dynosim plan`: the cheapest formation (size × count × concurrency, optionally under a
 * scaling strategy) that meets every SLO with 95% confidence. The search is in
 * src/plan/search.ts; this layer reads the scenario, turns each probe into replications
 * for runTasks, and writes plan.csv, plan.json and plan-run.json.
 */
import { basename, join, relative } from 'node:path';
import type { Command } from 'commander';
import { loadScenario, readScenarioFile, variantNames } from '../../scenario/load.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import type { Scenario } from '../../scenario/resolve.ts';
import { runTasks, type Task } from '../../parallel/runTasks.ts';
import { NO_PROGRESS, progressBar, wantProgress } from '../../parallel/progress.ts';
import { PlanInputError } from '../../plan/PlanInputError.ts';
import { parseSlo, type Slo } from '../../plan/slo.ts';
import { parseConcurrency, parseNames } from '../../plan/lists.ts';
import { monthlyPricePerDyno, stabilityBound, webMonthlyFloor } from '../../plan/bounds.ts';
import { searchPlan, type Combination, type ProbeRequest, type ProbeRun } from '../../plan/search.ts';
import { planCsv, planJson, planText, type PlanSetup, type SkippedCombination } from '../../plan/report.ts';
import { VERSION } from '../../version.ts';
import { OutputDir } from '../outputDir.ts';
import { UsageError } from '../UsageError.ts';
import { wroteText } from '../../report/text.ts';
import { addChartOptions, scenarioSource, shownPath, type ChartOptions } from '../chartOptions.ts';
import { planCharts } from '../../charts/studies.ts';
import { planPage } from '../../charts/pages.ts';
import { writeReport } from '../../charts/output.ts';

export interface PlanCommandOptions extends ChartOptions {
  slo: string[];
  sizes?: string;
  concurrency?: string;
  strategies?: string;
  maxCount?: string;
  replications?: string;
  seed?: string;
  set: string[];
  jobs?: string;
  out?: string;
  json: boolean;
  quiet: boolean;
  progress?: boolean;
}

/** Heroku's limit on the dynos of one process type. */
const DEFAULT_MAX_COUNT = 100;
const DEFAULT_REPLICATIONS = 10;
const CONFIDENCE = 0.95;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `plan` to the program. */
export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('find the cheapest formation (dyno size × count × concurrency, optionally a scaling strategy) that meets every SLO with 95% confidence; write plan.csv, plan.json and plan-run.json')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--slo <slo>', "an objective <metric><op><value>, e.g. 'p95<500ms', 'errors<0.1%', 'monthly<=$2000' (repeatable; op <, <=, >, >=)", collect, [])
    .option('--sizes <list>', 'dyno sizes to try, e.g. standard-1x,standard-2x,performance-m (default: the scenario’s web size)')
    .option('--concurrency <list>', 'web concurrencies to try, e.g. 1..8 or 1,2,4 (default: the scenario’s)')
    .option('--strategies <list>', 'scaling strategies to try: variant names of the scenario, and base for the scenario as written (default: base)')
    .option('--max-count <n>', `the most web dynos (or an autoscaler’s ceiling) to consider (default ${DEFAULT_MAX_COUNT}, Heroku’s limit)`)
    .option('--replications <n>', `runs per formation tried, seeds seed, seed+1, … (default ${DEFAULT_REPLICATIONS})`)
    .option('--seed <n>', 'the first replication’s seed (default: the scenario’s)')
    .option('--set <path=value>', 'override a scenario field, e.g. --set duration=30m (repeatable)', collect, [])
    .option('--jobs <n>', 'worker threads for the runs (default: every core); the results do not depend on it')
    .option('--out <dir>', 'folder for the results (default results/<scenario name>/plan)')
    .option('--json', 'print plan.json instead of the readable answer', false)
    .option('-q, --quiet', 'print nothing on success', false)
    .option('--progress', 'draw a progress bar on stderr even when it is not a terminal')
    .option('--no-progress', 'draw no progress bar');
  addChartOptions(cmd).action(async (file: string, opts: PlanCommandOptions) => {
      try {
        await planCommand(file, opts);
      } catch (e) {
        if (e instanceof PlanInputError) throw new UsageError(e.message);
        throw e;
      }
    });
}

function whole(option: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${option} ${JSON.stringify(text)}: expected a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`);
  }
  return Number(text);
}

/** A searchable combination, with the `--set` overrides that make its formations. */
interface Candidate {
  readonly combo: Combination;
  readonly variant: string | undefined;
  /** Overrides picking the size and concurrency (after the user's). */
  readonly sets: readonly string[];
  /** Overrides giving the searched number n. */
  readonly countSets: (n: number) => string[];
}

export async function planCommand(file: string, opts: PlanCommandOptions): Promise<void> {
  const t0 = performance.now();
  if (opts.slo.length === 0) throw new UsageError("plan needs at least one --slo, such as --slo 'p95<500ms'");
  const slos: Slo[] = opts.slo.map(parseSlo);
  const maxCount = opts.maxCount === undefined ? DEFAULT_MAX_COUNT : whole('--max-count', opts.maxCount, 1, 10_000);
  const replications = opts.replications === undefined ? DEFAULT_REPLICATIONS : whole('--replications', opts.replications, 2, 10_000);
  const jobs = opts.jobs === undefined ? undefined : whole('--jobs', opts.jobs, 1, 1024);
  const seedOption = opts.seed === undefined ? undefined : whole('--seed', opts.seed, 0);

  // The scenario as written must load: its problems are the user's to fix.
  const base = await loadScenario(file, { set: opts.set, seed: seedOption });
  const seed = seedOption ?? base.seed;
  const label = basename(file);

  const variants = variantNames(readScenarioFile(file));
  const strategies = opts.strategies === undefined ? ['base'] : parseNames('--strategies', opts.strategies);
  for (const s of strategies) {
    if (s !== 'base' && !variants.includes(s)) {
      const known = variants.length === 0 ? `${label} has no variants` : `the variants of ${label} are ${variants.join(', ')}`;
      throw new UsageError(`--strategies: no variant named ${JSON.stringify(s)} (${known}; base is the scenario as written)`);
    }
  }
  const sizes = opts.sizes === undefined ? null : parseNames('--sizes', opts.sizes).map((name) => sizeName(base, name));
  const concurrencies = opts.concurrency === undefined ? null : parseConcurrency(opts.concurrency);

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
          s = await loadScenario(file, { set: [...opts.set, ...sets], seed, variant });
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
    throw new UsageError(`nothing to plan: the scenario rejects every combination asked for (the first: ${skipped[0]?.reason ?? 'none'})`);
  }

  // Each probe's formation is checked here first, so that a count the scenario refuses is a finding, not a failed run.
  const byKey = new Map(candidates.map((c) => [c.combo.key, c]));
  let simulations = 0;
  let probesRun = 0;
  // Only on a terminal unless asked, and not under -q or --json unless asked.
  const showProgress = opts.progress ?? (wantProgress(undefined) && !opts.quiet && !opts.json);
  const evaluate = async (batch: readonly ProbeRequest[]): Promise<ProbeRun[]> => {
    const runs: (ProbeRun | null)[] = [];
    const tasks: Task[] = [];
    for (const req of batch) {
      const c = byKey.get(req.combo.key)!;
      const set = [...opts.set, ...c.sets, ...c.countSets(req.n)];
      try {
        await loadScenario(file, { set, seed, variant: c.variant });
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        runs.push({ kind: 'rejected', message: firstLine(e) });
        continue;
      }
      runs.push(null);
      for (let k = 0; k < replications; k++) tasks.push({ file, variant: c.variant, set, seed: seed + k });
    }
    const bar = tasks.length > 0 && showProgress ? progressBar(`plan: probes ${probesRun + 1}-${probesRun + tasks.length / replications}`, tasks.length) : NO_PROGRESS;
    let outcomes;
    try {
      outcomes = tasks.length === 0 ? [] : await runTasks(tasks, { jobs, onDone: (done) => bar.update(done) });
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
    strategies,
    sizes,
    concurrency: concurrencies,
    replications,
    seed,
    maxCount,
    set: opts.set,
    confidence: CONFIDENCE,
  };
  const json = JSON.stringify(planJson(setup, slos, plan, skipped), null, 2) + '\n';
  const wallS = (performance.now() - t0) / 1000;
  const outDir = new OutputDir(opts.out ?? join('results', base.name, 'plan'));
  const reportFiles: string[] = [];
  try {
    outDir.write('plan.csv', planCsv(slos, plan));
    outDir.write('plan.json', json);
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
    if (opts.charts !== false) {
      const charts = planCharts(slos, plan);
      const command = ['dynosim plan', shownPath(file), ...slos.map((x) => `--slo '${x.text}'`), ...(opts.sizes === undefined ? [] : [`--sizes ${opts.sizes}`]), ...(opts.concurrency === undefined ? [] : [`--concurrency ${opts.concurrency}`]), ...(opts.strategies === undefined ? [] : [`--strategies ${opts.strategies}`]), ...(opts.maxCount === undefined ? [] : [`--max-count ${opts.maxCount}`]), ...(opts.replications === undefined ? [] : [`--replications ${opts.replications}`]), ...(opts.seed === undefined ? [] : [`--seed ${opts.seed}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
      reportFiles.push(...(await writeReport(outDir, charts, planPage(base.name, slos, plan, charts, scenarioSource([file], opts.set), command), { png: opts.png })));
    }
    outDir.commit();
  } finally {
    outDir.abandon();
  }

  if (opts.json) process.stdout.write(json);
  else if (!opts.quiet) {
    process.stdout.write(planText(setup, slos, plan, skipped));
    process.stdout.write(wroteText(relative(process.cwd(), outDir.target) || '.', ['plan.csv', 'plan.json', 'plan-run.json', ...reportFiles], `in ${wallS.toFixed(1)} s`));
  }
}

/** The platform's name for a size, matched without regard to case; a UsageError listing the sizes otherwise. */
function sizeName(s: Scenario, name: string): string {
  const names = Object.keys(s.platform.sizes);
  const found = names.find((n) => n === name) ?? names.find((n) => n.toLowerCase() === name.toLowerCase());
  if (found === undefined) throw new UsageError(`--sizes: no size ${JSON.stringify(name)} on ${s.platform.name} (its sizes: ${names.join(', ')})`);
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

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
