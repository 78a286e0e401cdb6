/**
 * `dynosim plan` for worker formations: SLOs on a job queue's wait (`worker.wait.mean`,
 * `worker.wait.p95`), the worker count against Erlang C, worker concurrency, web and workers
 * planned together, --precision, the bound a pruned combination is reported against, and
 * bad input.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, ROOT } from './helpers/cli.ts';
import { METRICS, type MetricKey } from '../src/studies/parallel/outcome.ts';
import { parseSlo, sloTrend } from '../src/studies/plan/slo.ts';
import { searchPlan, type Combination, type ProbeRequest, type ProbeRun } from '../src/studies/plan/search.ts';
import { planText } from '../src/output/report/plan.ts';
import type { PlanSetup } from '../src/studies/plan/runPlan.ts';
import { mmc, minServersForMeanWait, minServersForWaitQuantile } from '../src/stats/theory/index.ts';

/** 20 jobs/s of 250 ms mean (exponential) to worker dynos of one job at a time: M/M/c with c the worker count. */
const WORKERS = join(ROOT, 'test/fixtures/plan/workers.yaml');
const LAMBDA = 20;
const MU = 4;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-plan-workers-'));
}

/** The smallest c whose M/M/c figure (seconds) is at most the target, from mmc(). */
function smallestC(figure: (c: number) => number, targetS: number): number {
  let c = Math.floor(LAMBDA / MU) + 1;
  while (figure(c) > targetS) c++;
  return c;
}

function planJson(out: string) {
  return JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
}

// ---------------------------------------------------------------- SLOs on a wait

test('SLOs on a worker’s wait: <process>.wait.<mean|p50|p95|p99>, in ms, easing with more dynos', (t) => {
  const p95 = parseSlo('worker.wait.p95<30s');
  t.like(p95, { metric: 'worker.wait.p95', op: '<', limit: 30_000, unit: 'ms' });
  t.like(parseSlo(' urgent_jobs.wait.mean <= 5s '), { metric: 'urgent_jobs.wait.mean', op: '<=', limit: 5000 });
  t.like(parseSlo('worker.wait.p50<800us'), { metric: 'worker.wait.p50', limit: 0.8 });
  t.like(parseSlo('worker.wait.p99<2s'), { metric: 'worker.wait.p99', limit: 2000 });
  t.is(sloTrend(p95), 'eases');
  t.is(sloTrend(parseSlo('worker.wait.mean>1ms')), 'hardens');
  t.regex(t.throws(() => parseSlo('worker.wait.p90<1s'))!.message, /^--slo "worker\.wait\.p90<1s": unknown metric "worker\.wait\.p90" \(metrics: .*<process>\.wait\.<mean\|p50\|p95\|p99>\)$/);
  t.regex(t.throws(() => parseSlo('worker.wait.p95<fast'))!.message, /expected a latency such as 500ms/);
});

// ---------------------------------------------------------------- against Erlang C

/**
 * Plans the workers against an SLO on `stat` of the wait; checks that the theory's smallest
 * c is not borderline (c − 1 misses by `margin`, c meets with it) and that the plan chose c,
 * its simulated figure near the theory's. Returns the plan's output folder and c.
 */
function erlangCase(t: import('ava').ExecutionContext, stat: 'mean' | 'p95', targetMs: number, figureS: (c: number) => number, margin: { under: number; over: number }) {
  const c = smallestC(figureS, targetMs / 1000);
  const atC = figureS(c) * 1000;
  const below = figureS(c - 1) * 1000;
  t.true(atC < margin.under * targetMs && below > margin.over * targetMs, `${stat}(${c}) = ${atC} ms, ${stat}(${c - 1}) = ${below} ms`);
  const slo = `worker.wait.${stat}<${targetMs}ms`;
  const out = join(scratch(), 'plan');
  const r = dynosim(['plan', WORKERS, '--slo', slo, '--out', out, '--no-charts']);
  t.is(r.status, 0, r.stderr);
  const plan = planJson(out);
  const simulated = plan.answer.slos[0].mean;
  t.log(`λ = ${LAMBDA}/s, μ = ${MU}/s, SLO ${slo}: plan chose c = ${plan.answer.count}; Erlang C: ${stat}(${c - 1}) = ${below.toFixed(2)} ms, ${stat}(${c}) = ${atC.toFixed(2)} ms; simulated at ${plan.answer.count}: ${simulated} ms`);
  t.is(plan.answer.count, c);
  t.true(Math.abs(simulated - atC) < 0.15 * atC, `simulated ${simulated} ms, Erlang C ${atC} ms`);
  return { out, stdout: r.stdout, plan, c };
}

test('plan finds the fewest workers of an M/M/c job queue: mean wait against Erlang C', (t) => {
  // Not borderline: the answer waits well under the target, one worker fewer well over it.
  const { out, stdout, plan, c } = erlangCase(t, 'mean', 25, (n) => mmc(LAMBDA, MU, n).meanWaitS, { under: 0.6, over: 1.5 });
  t.is(c, minServersForMeanWait(LAMBDA, MU, 0.025));
  t.like(plan.answer, { process: 'worker', size: 'standard-1x', concurrency: 1, count: c, monthlyUsd: c * 25 });
  t.deepEqual(plan.setup.processes, ['worker']);
  t.regex(stdout, new RegExp(`^answer: ${c} × standard-1x worker, concurrency 1, fixed: \\$${c * 25}\\.00/month\\n {4}worker\\.wait\\.mean < 25 ms +[\\d.]+ ms +upper +[\\d.]+ ms +met$`, 'm'));
  const csv = readFileSync(join(out, 'plan.csv'), 'utf8').trimEnd().split('\n');
  t.is(csv[0], 'process,strategy,autoscaler,size,concurrency,formation_count,replications,feasible,cost_mean_usd_month,dynos_mean_count,worker_wait_mean_mean_ms,worker_wait_mean_upper95_ms');
  const rows = csv.slice(1).map((l) => l.split(','));
  // It starts at the workers' stability bound λ/μ = 5, and a count meets the SLO exactly when it is at least c.
  t.is(Number(rows[0]![5]), LAMBDA / MU);
  for (const row of rows) t.is(row[7], Number(row[5]) >= c ? 'yes' : 'no', row.join(','));
  t.true(rows.length <= 4, `probes at ${rows.map((row) => row[5]).join(', ')}`);
});

test('plan finds the fewest workers for a p95 wait: P(W > t) = C(c, a)·e^{−(cμ−λ)t} against the SLO', (t) => {
  const { c } = erlangCase(t, 'p95', 160, (n) => mmc(LAMBDA, MU, n).waitQuantileS(0.95), { under: 0.7, over: 1.4 });
  t.is(c, minServersForWaitQuantile(LAMBDA, MU, 0.95, 0.16));
});

test('plan over worker concurrencies and sizes: jobs at once per dyno make M/M/(concurrency·dynos), and the cheapest wins', (t) => {
  const target = 25;
  const c = minServersForMeanWait(LAMBDA, MU, target / 1000);
  const out = join(scratch(), 'plan');
  const r = dynosim(['plan', WORKERS, '--slo', `worker.wait.mean<${target}ms`, '--concurrency', '1,2,4', '--sizes', 'standard-1x,standard-2x', '--out', out, '--no-charts']);
  t.is(r.status, 0, r.stderr);
  const plan = planJson(out);
  t.like(plan.answer, { process: 'worker', size: 'standard-1x', concurrency: 4, count: Math.ceil(c / 4), monthlyUsd: Math.ceil(c / 4) * 25 });
  t.is(plan.search.combinations, 6);
  t.true(plan.pruned.some((p: { size: string }) => p.size === 'standard-2x'), JSON.stringify(plan.pruned));
  // The same lists as worker options give the same answer.
  const out2 = join(scratch(), 'plan');
  const r2 = dynosim(['plan', WORKERS, '--slo', `worker.wait.mean<${target}ms`, '--worker-concurrency', '1,2,4', '--worker-sizes', 'standard-1x,standard-2x', '--out', out2, '--no-charts']);
  t.is(r2.status, 0, r2.stderr);
  t.deepEqual(planJson(out2).answer, plan.answer);
});

test('web and worker SLOs together: each process type’s fewest dynos against Erlang C, in one formation', (t) => {
  // 40 requests/s of 100 ms behind a shared queue: web is M/M/c as well (see plan.test.ts).
  const web = ['--set', 'traffic.rate=40/s', '--set', 'traffic.service.distribution=exponential', '--set', 'traffic.service.mean=100ms', '--set', 'router.policy=shared-queue'];
  const cWeb = minServersForMeanWait(40, 10, 0.025);
  const cWorker = minServersForMeanWait(LAMBDA, MU, 0.025);
  const out = join(scratch(), 'plan');
  const r = dynosim(['plan', WORKERS, ...web, '--slo', 'queue.mean<25ms', '--slo', 'worker.wait.mean<25ms', '--slo', `monthly<=$${(cWeb + cWorker) * 25}`, '--out', out, '--no-charts']);
  t.is(r.status, 0, r.stderr);
  const plan = planJson(out);
  t.log(`web: λ = 40/s, μ = 10/s, Erlang C c = ${cWeb}; workers: λ = ${LAMBDA}/s, μ = ${MU}/s, c = ${cWorker}; plan: ${plan.answer.count} web with ${plan.answer.with.join(', ')}, $${plan.answer.monthlyUsd}/month`);
  t.deepEqual(plan.setup.processes, ['worker', 'web']);
  t.like(plan.answer, { count: cWeb, size: 'standard-1x', monthlyUsd: (cWeb + cWorker) * 25 });
  t.is(plan.answer.process, undefined, 'the last stage searched web');
  t.deepEqual(plan.answer.with, [`${cWorker} × standard-1x worker, concurrency 1, fixed`]);
  t.true(plan.answer.slos.every((s: { met: boolean }) => s.met));
  t.regex(r.stdout, new RegExp(`^answer: ${cWeb} × standard-1x, concurrency 1, fixed; with ${cWorker} × standard-1x worker, concurrency 1, fixed: \\$${(cWeb + cWorker) * 25}\\.00/month$`, 'm'));
  // plan.csv lists both stages' probes, the worker's first; a worker probe has no web SLO cells.
  const rows = readFileSync(join(out, 'plan.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
  const kinds = rows.map((row) => row[0]);
  t.is(kinds.indexOf('web'), kinds.lastIndexOf('worker') + 1, kinds.join(' '));
  const workerFeasible = rows.filter((row) => row[0] === 'worker' && row[7] === 'yes').map((row) => Number(row[5]));
  t.is(Math.min(...workerFeasible), cWorker);
});

// ---------------------------------------------------------------- --precision

test('plan --precision: each formation replicated until its SLO metrics are that precise, between the bounds', (t) => {
  const dir = scratch();
  const args = ['plan', WORKERS, '--slo', 'worker.wait.mean<25ms', '--precision', '5%', '--min-replications', '4', '--max-replications', '40', '--no-charts'];
  const one = dynosim([...args, '--out', join(dir, 'a'), '--jobs', '1']);
  t.is(one.status, 0, one.stderr);
  const two = dynosim([...args, '--out', join(dir, 'b'), '--jobs', '2']);
  t.is(two.status, 0, two.stderr);
  for (const f of ['plan.csv', 'plan.json']) t.is(readFileSync(join(dir, 'a', f), 'utf8'), readFileSync(join(dir, 'b', f), 'utf8'), f);
  const plan = planJson(join(dir, 'a'));
  t.deepEqual(plan.setup.precision, { relative: 0.05, metrics: ['worker.wait.mean'], min: 4, max: 40 });
  t.is(plan.answer.count, minServersForMeanWait(LAMBDA, MU, 0.025));
  const rows = readFileSync(join(dir, 'a', 'plan.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
  const reps = rows.map((row) => Number(row[6]));
  t.true(reps.every((n) => n >= 4 && n <= 40), reps.join(' '));
  t.true(new Set(reps).size > 1, `formations stop on their own: ${reps.join(' ')}`);
  t.is(plan.search.simulations, reps.reduce((a, b) => a + b, 0));
  t.regex(one.stdout.replace(/\s+/g, ' '), /replications a probe until the 95% half-width of worker\.wait\.mean is within ±5\.0% of its mean, 4 to 40\)/);
});

// ---------------------------------------------------------------- the bound a pruned combination is reported against

function metrics(values: Partial<Record<MetricKey, number>>): Record<MetricKey, number | null> {
  const out = Object.fromEntries(METRICS.map((m) => [m.key, 0])) as Record<MetricKey, number | null>;
  return Object.assign(out, values);
}

test('a combination pruned early is reported against the answer’s cost, not the dearer formation that first met the SLOs', async (t) => {
  const slo = parseSlo('queue.mean<1000ms');
  const combo = (key: string, lowerBound: number, work: number): Combination & { work: number } => ({ key, strategy: 'base', size: key, concurrency: 1, autoscaler: null, lowerBound, maxCount: 100, pricePerDyno: 25, costFloor: (n) => n * 25, work });
  // cheap meets the SLO from 5 dynos ($125), first seen met at 8 ($200) while galloping; dear never meets it.
  const cheap = combo('cheap', 1, 4500);
  const dear = combo('dear', 7, 1e9);
  const run = (req: ProbeRequest): ProbeRun => {
    const work = (req.combo as typeof cheap).work;
    return { kind: 'ran', metrics: [0.99, 1, 1.01].map((f) => metrics({ 'queue.mean': (f * work) / req.n, monthly: req.n * 25 })) };
  };
  const plan = await searchPlan([cheap, dear], { slos: [slo] }, async (batch) => batch.map(run));
  t.is(plan.answer?.combo.key, 'cheap');
  t.is(plan.answer?.probe.n, 5);
  const seen = plan.probes.filter((p) => p.combo === cheap).map((p) => p.n);
  t.true(seen.includes(8) && seen.indexOf(8) < seen.indexOf(5), `cheap probed at ${seen.join(' ')}`);
  const pruned = plan.results.find((r) => r.status === 'pruned');
  t.truthy(pruned, JSON.stringify(plan.results.map((r) => r.status)));
  t.is(pruned!.status === 'pruned' ? pruned!.ceilingUsd : null, 125);
  const setup: PlanSetup = { scenario: 'model', file: 'model.yaml', platform: 'heroku-2025', strategies: ['base'], sizes: null, concurrency: null, replications: 3, seed: 1, maxCount: 100, set: [], confidence: 0.95 };
  const text = planText(setup, [slo], plan, []);
  t.log(text);
  t.regex(text, /^answer: 5 × cheap, concurrency 1, fixed: \$125\.00\/month$/m);
  t.regex(text, /^ +dear +1 +fixed +\d+\+ dynos +\$[\d.]+\/month +\$125\.00$/m);
  t.notRegex(text, /\$200\.00$/m);
});

// ---------------------------------------------------------------- bad input

test('bad input: a worker the scenario lacks, a bad precision; one line naming the option, exit 2, before any run, nothing written', (t) => {
  const erlang = join(ROOT, 'test/fixtures/plan/erlang-c.yaml');
  const cases: [string, string[], RegExp][] = [
    [WORKERS, ['--slo', 'urgent.wait.p95<30s'], /^dynosim: --slo "urgent\.wait\.p95<30s": no worker process type "urgent" in the scenario \(its workers: worker\)$/],
    [WORKERS, ['--slo', 'p95<1s', '--slo', 'urgent.wait.mean<5s'], /^dynosim: --slo "urgent\.wait\.mean<5s": no worker process type "urgent"/],
    [erlang, ['--slo', 'worker.wait.p95<30s'], /^dynosim: --slo "worker\.wait\.p95<30s": no worker process type "worker" in the scenario \(erlang-c\.yaml has no worker process type taking jobs from a queue\)$/],
    [WORKERS, ['--slo', 'worker.wait.p90<30s'], /^dynosim: --slo "worker\.wait\.p90<30s": unknown metric "worker\.wait\.p90"/],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--precision', '0%'], /--precision <p>.* "0%"/],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--precision', '5%', '--min-replications', '10', '--max-replications', '5'], /^dynosim: --max-replications 5 is below --min-replications 10$/],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--precision', '5%', '--metrics', 'urgent.wait.p95'], /^dynosim: --metrics "urgent\.wait\.p95": no worker process type "urgent"/],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--precision', '5%', '--metrics', 'p95,cots'], /^dynosim: --metrics: no metric "cots" \(did you mean cost\?\)/],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--metrics', 'p95'], /^dynosim: --metrics goes with --precision$/],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--precision', '5%', '--replications', '4'], /^dynosim: --replications and --precision: give one/],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--worker-concurrency', '0'], /^dynosim: --worker-concurrency "0": /],
    [WORKERS, ['--slo', 'worker.wait.p95<30s', '--worker-sizes', '3X'], /^dynosim: --worker-sizes: no size "3X" on heroku-2025/],
  ];
  for (const [file, args, expected] of cases) {
    const dir = scratch();
    const r = dynosim(['plan', file, ...args, '--out', join(dir, 'out', 'plan')]);
    t.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n').filter((l) => l !== '(run with --help for usage)');
    t.is(lines.length, 1, r.stderr);
    t.regex(lines[0]!, expected, args.join(' '));
    t.false(r.stderr.includes('    at '), 'no stack trace');
    t.is(r.stdout, '');
    t.false(existsSync(join(dir, 'out')));
    t.deepEqual(readdirSync(dir), [], `${args.join(' ')} wrote nothing`);
  }
});
