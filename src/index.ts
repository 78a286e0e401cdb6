/**
 * dynosim as a library: what the `dynosim` command is built on, for programs and notebooks.
 *
 *   import { run, compare, plan, cost, fit, show } from 'dynosim';   // or './index.ts'
 *   const r = await run({ name: 'app', duration: '1h', formation: { web: { count: 2, size: 'standard-1x' } },
 *                         traffic: { rate: '20/s', service: { distribution: 'lognormal', median: '80ms', p99: '800ms' } } });
 *   r.summary.latency.p95Ms;  await show(r.chart('latency'));
 *
 * A scenario is given as a file path, as its fields (what the YAML file holds, as an
 * object: `ScenarioInput`), or already loaded (`Scenario`). Every function gives the same
 * numbers as the command with the same scenario and seed; studies (compare, sweep, plan)
 * run on every core. Bad input throws a ScenarioError (its `lines()` name each field) or an
 * InputError, with one line per problem.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Scenario } from './model/Scenario.ts';
import type { ScenarioInput } from './scenario/schema.ts';
import type { RunResult, Summary } from './model/run/results.ts';
import type { Chart } from './output/charts/chart.ts';
import { type Comparison } from './studies/compare/compare.ts';
import type { PlanOutcome } from './studies/plan/runPlan.ts';
import type { PointResult } from './studies/sweep/tables.ts';
import { type CostResult } from './studies/cost/price.ts';
import { fitLog, DEFAULT_MAX_CLASSES, type LogFit } from './studies/fit/fitLog.ts';
import { scenarioText } from './studies/fit/scenarioText.ts';
import { fitSummaryText } from './output/report/fit.ts';
import { FitError } from './studies/fit/FitError.ts';
import { PROFILES } from './model/platform/profiles.ts';
import { InputError } from './scenario/InputError.ts';
import { PLAIN } from './output/report/style.ts';

export { VERSION } from './engine/version.ts';
export { InputError } from './scenario/InputError.ts';
export { ScenarioError } from './scenario/problems.ts';
export { loadScenario, scenarioFromObject } from './scenario/load.ts';
export { scenarioJsonSchema } from './scenario/schema.ts';
export { simulate } from './model/run/simulate.ts';
export { METRICS, outcomeOf, type MetricKey, type Outcome } from './studies/parallel/outcome.ts';
export { show, table, text, markdown, vegaLite, type Displayable } from './interfaces/notebook/display.ts';
export { display } from './interfaces/api/display.ts';
export * as theory from './stats/theory/index.ts';
export type { Scenario, ScenarioInput, RunResult, Summary, Chart, Comparison, CostResult, LogFit, PointResult, PlanOutcome };

export { scenario, type ScenarioLike, type ScenarioOptions } from './interfaces/api/scenario.ts';
export { run, type RunOptions, type Run } from './interfaces/api/run.ts';
export { compare, type CompareOptions, type CompareResult } from './interfaces/api/compare.ts';
export { sweep, type SweepOptions, type SweepResult } from './interfaces/api/sweep.ts';
export { plan, type PlanOptions, type PlanAnswer } from './interfaces/api/plan.ts';
export { cost, type CostOptions, type CostAnswer } from './interfaces/api/cost.ts';

// ---- fit ----

export interface FitOptions {
  /** Dyno size of the fitted formation (default standard-1x; 1X on heroku-2013). */
  readonly size?: string;
  readonly concurrency?: number;
  /** Platform profile of the fitted scenario (default heroku-2025). */
  readonly platform?: 'heroku-2013' | 'heroku-2025';
  /** Request classes at most, "other" included (default 8). */
  readonly maxClasses?: number;
  /** Time zone whose hours of day the rate follows (default UTC). */
  readonly timeZone?: string;
  /** The scenario's name (default: the log file's name). */
  readonly name?: string;
}

export interface FitResult {
  readonly fit: LogFit;
  /** The fitted scenario, as `dynosim fit` writes it (with comments). */
  readonly yaml: string;
  /** The same scenario's fields: run it, or change it first. */
  readonly fields: ScenarioInput;
  /** What `dynosim fit` prints. */
  readonly text: string;
}

/** A scenario fitted to a router log: a file (either era's `heroku logs` or drain frames), or its lines. */
export async function fit(log: string | Iterable<string> | AsyncIterable<string>, opts: FitOptions = {}): Promise<FitResult> {
  const platform = opts.platform ?? 'heroku-2025';
  const size = opts.size ?? (platform === 'heroku-2013' ? '1X' : 'standard-1x');
  const sizes = Object.keys(PROFILES[platform]!.sizes);
  if (!sizes.includes(size)) throw new InputError(`size ${size}: not a dyno size of ${platform} (${sizes.join(', ')})`);
  const file = typeof log === 'string' ? basename(log) : 'log';
  let lines: Iterable<string> | AsyncIterable<string>;
  if (typeof log === 'string') {
    try {
      if (statSync(log).isDirectory()) throw new InputError(`${log}: is a folder, not a log file`);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${log}: no such file`);
    }
    lines = createInterface({ input: createReadStream(log, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  } else {
    lines = log;
  }
  let f: LogFit;
  try {
    f = await fitLog(lines, { maxClasses: opts.maxClasses ?? DEFAULT_MAX_CLASSES, timeZone: opts.timeZone ?? 'UTC' });
  } catch (e) {
    if (e instanceof FitError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
  const name = opts.name ?? (file.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'fitted');
  const yaml = scenarioText(f, { file, name, platform, size, concurrency: opts.concurrency ?? 1 });
  return { fit: f, yaml, fields: parseYaml(yaml) as ScenarioInput, text: fitSummaryText(f, file, PLAIN) };
}
