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
 *
 * Each job is a file of interfaces/api/ (run, compare, sweep, plan, cost, fit), which the
 * command line calls too; this file names what the package exports.
 */
import type { Scenario } from './model/Scenario.ts';
import type { ScenarioInput } from './scenario/schema.ts';
import type { RunResult, Summary } from './model/run/results.ts';
import type { Chart } from './output/charts/chart.ts';
import type { Comparison } from './studies/compare/compare.ts';
import type { PlanOutcome } from './studies/plan/runPlan.ts';
import type { PointResult } from './studies/sweep/tables.ts';
import type { CostResult } from './studies/cost/price.ts';
import type { LogFit } from './studies/fit/fitLog.ts';

export { VERSION } from './engine/version.ts';
export { tuneJit, JIT_FLAGS } from './engine/jit.ts';
export { InputError } from './scenario/InputError.ts';
export { ScenarioError } from './scenario/problems.ts';
export { loadScenario, scenarioFromObject } from './scenario/load.ts';
export { scenarioJsonSchema } from './scenario/schema.ts';
export { simulate } from './model/run/simulate.ts';
export { METRICS, outcomeOf, type MetricKey, type Outcome } from './studies/parallel/outcome.ts';
export type { PrecisionRequest, PrecisionReport } from './studies/parallel/precision.ts';
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
export { fit, type FitOptions, type FitResult } from './interfaces/api/fit.ts';
