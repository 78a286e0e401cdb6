/**
 * Plans: the cheapest formation (size × count × concurrency, optionally a scaling
 * strategy) meeting every SLO with 95% confidence. `plan()` for a program or a notebook;
 * `planJob()` and `planFiles()` are `dynosim plan`'s: the same plan, then plan.csv,
 * plan.json and the report.
 */
import type { ScenarioInput } from '../../scenario/schema.ts';
import type { Chart } from '../../output/charts/chart.ts';
import { planCharts } from '../../output/charts/studies.ts';
import { planPage } from '../../output/charts/pages.ts';
import { planCsv, planJson, planText } from '../../output/report/plan.ts';
import { PLAIN, type Styler } from '../../output/report/style.ts';
import { runPlan, type PlanOutcome, type PlanRequest } from '../../studies/plan/runPlan.ts';
import { parseConcurrency, parseNames } from '../../studies/plan/lists.ts';
import { chartNamed, refOf } from './scenario.ts';
import { reportFiles, type FileSink, type ReportRequest, type Written } from './report.ts';

export interface PlanOptions extends Omit<PlanRequest, 'progress' | 'optionName' | 'slo'> {
  /** Objectives: 'p95<500ms', 'errors<0.1%', 'monthly<=$2000' … (one or several). */
  readonly slo: string | readonly string[];
  readonly baseDir?: string;
}

export interface PlanAnswer extends PlanOutcome {
  /** What `dynosim plan` prints: the answer, why, and the runners-up. */
  readonly text: string;
  /** plan-frontier. */
  readonly charts: readonly Chart[];
  chart(name: string): Chart;
}

/** The cheapest formation (size × count × concurrency, optionally a scaling strategy) meeting every SLO with 95% confidence. */
export async function plan(input: string | ScenarioInput, opts: PlanOptions): Promise<PlanAnswer> {
  const out = await planJob(input, opts);
  const charts = planCharts(out.slos, out.plan);
  const { json: _, ...answer } = out;
  return { ...answer, charts, chart: (name) => chartNamed(charts, name) };
}

export interface PlanJobRequest extends Omit<PlanRequest, 'slo' | 'sizes' | 'concurrency' | 'workerSizes' | 'workerConcurrency' | 'strategies'> {
  readonly slo: string | readonly string[];
  /** Dyno sizes to try: names, or a comma list of them. */
  readonly sizes?: string | readonly string[] | null;
  /** Concurrencies to try: numbers, or a list such as 1..8 or 1,2,4. */
  readonly concurrency?: string | readonly number[] | null;
  /** The workers' sizes and concurrencies, when not those above. */
  readonly workerSizes?: string | readonly string[] | null;
  readonly workerConcurrency?: string | readonly number[] | null;
  /** Strategies to try: variant names and base, or a comma list of them. */
  readonly strategies?: string | readonly string[];
  readonly baseDir?: string;
  /** How the answer is styled (plain by default). */
  readonly style?: Styler;
}

export interface PlanJob extends PlanOutcome {
  /** The readable answer. */
  readonly text: string;
  /** plan.json's text. */
  readonly json: string;
}

/** Reads the candidate lists, then searches (see runPlan). */
export async function planJob(input: string | ScenarioInput, req: PlanJobRequest): Promise<PlanJob> {
  const name = req.optionName ?? ((f: string) => f);
  const sizes = typeof req.sizes === 'string' ? parseNames(name('sizes'), req.sizes) : req.sizes;
  const concurrency = typeof req.concurrency === 'string' ? parseConcurrency(req.concurrency) : req.concurrency;
  const workerSizes = typeof req.workerSizes === 'string' ? parseNames(name('worker-sizes'), req.workerSizes) : req.workerSizes;
  const workerConcurrency = typeof req.workerConcurrency === 'string' ? parseConcurrency(req.workerConcurrency, name('worker-concurrency')) : req.workerConcurrency;
  const strategies = typeof req.strategies === 'string' ? parseNames(name('strategies'), req.strategies) : req.strategies;
  const slo = typeof req.slo === 'string' ? [req.slo] : req.slo;
  const out = await runPlan(refOf(input, req.baseDir), { ...req, slo, sizes, concurrency, workerSizes, workerConcurrency, strategies });
  return {
    ...out,
    text: planText(out.setup, out.slos, out.plan, out.skipped, req.style ?? PLAIN),
    json: JSON.stringify(planJson(out.setup, out.slos, out.plan, out.skipped), null, 2) + '\n',
  };
}

/** plan.csv and plan.json, and the charts and report.html unless the request says no charts. */
export async function planFiles(job: PlanJob, sink: FileSink, request: ReportRequest): Promise<Written> {
  sink.write('plan.csv', planCsv(job.slos, job.plan));
  sink.write('plan.json', job.json);
  const report = await reportFiles(sink, request, () => planCharts(job.slos, job.plan), (charts) => planPage(job.base.name, job.slos, job.plan, charts, request.source, request.command));
  return { files: ['plan.csv', 'plan.json'], report };
}
