/**
 * `dynosim plan`: SLO parsing, the search (against a model with a known answer, and against
 * Erlang C through the command), pruning, what cannot be met, and bad input.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, ROOT } from './helpers/cli.ts';
import { METRICS, type MetricKey } from '../src/studies/parallel/outcome.ts';
import { checkSlo, parseSlo, sloTrend, type SloOp } from '../src/studies/plan/slo.ts';
import { parseConcurrency } from '../src/studies/plan/lists.ts';
import { PlanInputError } from '../src/studies/plan/PlanInputError.ts';
import { searchPlan, type Combination, type ProbeRequest, type ProbeRun } from '../src/studies/plan/search.ts';
import { mmc, minServersForMeanWait } from '../src/stats/theory/index.ts';

const ERLANG = join(ROOT, 'test/fixtures/plan/erlang-c.yaml');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-plan-'));
}

// ---------------------------------------------------------------- SLOs

test('SLOs: metrics, operators and values with units', (t) => {
  const cases: [string, MetricKey, SloOp, number][] = [
    ['p95<500ms', 'p95', '<', 500],
    [' p99 <= 1.5s ', 'p99', '<=', 1500],
    ['queue.mean<800us', 'queue.mean', '<', 0.8],
    ['mean<250', 'mean', '<', 250],
    ['errors<0.1%', 'errors', '<', 0.001],
    ['errors<=0.001', 'errors', '<=', 0.001],
    ['availability>=99.95%', 'availability', '>=', 0.9995],
    ['monthly<$2000', 'monthly', '<', 2000],
    ['cost<=2,500.50', 'cost', '<=', 2500.5],
    ['dyno-hours<720h', 'dyno-hours', '<', 720],
    ['dynos>2', 'dynos', '>', 2],
  ];
  for (const [text, metric, op, limit] of cases) {
    const slo = parseSlo(text);
    t.is(slo.metric, metric, text);
    t.is(slo.op, op, text);
    t.true(Math.abs(slo.limit - limit) < 1e-12, `${text}: ${slo.limit}`);
  }
  t.is(parseSlo(' p95<500ms ').text, 'p95<500ms');
});

test('SLOs: a malformed one or an unknown metric is an error naming it and listing the metrics', (t) => {
  for (const bad of ['p95', 'p95<', '<500ms', 'p95=500ms', 'p95<<500ms', 'p96<500ms', 'p95<fast', 'p95<500kg', 'errors<150%', 'errors<-1%', 'monthly<€20', '']) {
    const e = t.throws(() => parseSlo(bad), { instanceOf: PlanInputError }, bad);
    t.true(e!.message.startsWith(`--slo ${JSON.stringify(bad)}: `), e!.message);
    t.true(e!.message.includes('p50, p95, p99, p999, mean, queue.mean'), e!.message);
    t.false(e!.message.includes('\n'));
  }
  t.regex(t.throws(() => parseSlo('p96<500ms'))!.message, /unknown metric "p96"/);
});

test('SLOs: judged on the one-sided 95% bound; a value nothing measured fails', (t) => {
  const xs = [100, 110, 90, 105, 95];
  // Mean 100, sd 7.9057, t(0.95, 4) = 2.1318: bounds 100 ± 7.537.
  const below = checkSlo(parseSlo('p95<108ms'), xs);
  t.true(below.met);
  t.true(Math.abs(below.bound! - 107.537) < 0.01, `${below.bound}`);
  t.false(checkSlo(parseSlo('p95<107ms'), xs).met, 'the mean is under the limit, the upper bound is not');
  const above = checkSlo(parseSlo('p95>92ms'), xs);
  t.true(above.met);
  t.true(Math.abs(above.bound! - 92.463) < 0.01, `${above.bound}`);
  t.false(checkSlo(parseSlo('p95>93ms'), xs).met);
  const missing = checkSlo(parseSlo('p95<1000ms'), [100, null, 90]);
  t.false(missing.met);
  t.is(missing.bound, null);
  t.false(checkSlo(parseSlo('p95<1000ms'), []).met);
  t.is(sloTrend(parseSlo('p95<1s')), 'eases');
  t.is(sloTrend(parseSlo('availability>99%')), 'eases');
  t.is(sloTrend(parseSlo('monthly<2000')), 'hardens');
  t.is(sloTrend(parseSlo('scalings<10')), 'unknown');
});

test('--concurrency lists and ranges', (t) => {
  t.deepEqual(parseConcurrency('1..8'), [1, 2, 3, 4, 5, 6, 7, 8]);
  t.deepEqual(parseConcurrency('1,2,4'), [1, 2, 4]);
  t.deepEqual(parseConcurrency('8, 2..3,2'), [2, 3, 8]);
  for (const bad of ['0', '3..1', 'a', '1,,2', '1..', '0..4', '1..1000']) t.throws(() => parseConcurrency(bad), { instanceOf: PlanInputError }, bad);
});

// ---------------------------------------------------------------- the search, on a model

/** Metrics of one replication: every key 0 but those given. */
function metrics(values: Partial<Record<MetricKey, number | null>>): Record<MetricKey, number | null> {
  const out = Object.fromEntries(METRICS.map((m) => [m.key, 0])) as Record<MetricKey, number | null>;
  return Object.assign(out, values);
}

/** A combination of a model whose mean wait falls as work/n ms (work: 5000 unless the key says otherwise), ±2% from replication to replication, at `price` a dyno. */
function modelCombo(key: string, price: number, lowerBound = 1, maxCount = 100): Combination {
  return { key, strategy: 'base', size: key, concurrency: 1, autoscaler: null, lowerBound, maxCount, pricePerDyno: price, costFloor: (n) => n * price };
}

const WORK: Record<string, number> = { quick: 4500 };

function modelRun(req: ProbeRequest, replications = 5): ProbeRun {
  const wait = (WORK[req.combo.key] ?? 5000) / req.n;
  return {
    kind: 'ran',
    metrics: Array.from({ length: replications }, (_, k) => metrics({ 'queue.mean': wait * (1 + 0.02 * ((k - 2) / 2)), monthly: req.n * req.combo.pricePerDyno })),
  };
}

test('the search finds the least count by galloping and bisection, far fewer probes than one per count', async (t) => {
  const slo = parseSlo('queue.mean<140ms');
  const combo = modelCombo('m', 25);
  // The true answer, by trying every count.
  let truth = 0;
  for (let n = 1; n <= 100 && truth === 0; n++) {
    const run = modelRun({ combo, n });
    if (run.kind === 'ran' && checkSlo(slo, run.metrics.map((m) => m['queue.mean'])).met) truth = n;
  }
  t.true(truth > 30, `a case where the answer is far from the bound: ${truth}`);
  const seen: number[] = [];
  const plan = await searchPlan([combo], { slos: [slo] }, async (batch) => batch.map((req) => (seen.push(req.n), modelRun(req))));
  t.is(plan.answer?.probe.n, truth);
  t.is(plan.probes.length, seen.length);
  t.is(new Set(seen).size, seen.length, 'no count probed twice');
  t.deepEqual(seen.slice(0, 7), [1, 2, 4, 8, 16, 32, 64], 'gallops from the lower bound');
  t.true(seen.length <= 2 * Math.ceil(Math.log2(truth)) + 1, `${seen.length} probes: ${seen.join(' ')}`);
  t.true(seen.length * 3 < truth, `${seen.length} probes where one per count would take ${truth}`);
  t.is(plan.simulations, seen.length * 5);
  t.is(plan.answer?.probe.monthly, truth * 25);
});

test('the search starts at the lower bound, prunes what cannot be cheaper, and ranks the runners-up', async (t) => {
  const slo = parseSlo('queue.mean<140ms');
  // quick needs 33 dynos at $10, middle 37 at $10, dear 37 at $100: a month of dear's 30 already costs more than quick's answer.
  const quick = modelCombo('quick', 10, 1);
  const middle = modelCombo('middle', 10, 30);
  const dear = modelCombo('dear', 100, 30);
  const asked: string[] = [];
  const plan = await searchPlan([dear, middle, quick], { slos: [slo] }, async (batch) => batch.map((req) => (asked.push(`${req.combo.key}@${req.n}`), modelRun(req))));
  t.deepEqual(asked.slice(0, 2), ['quick@1', 'middle@30'], 'cheapest floor first, each at its lower bound');
  t.is(plan.answer?.combo.key, 'quick');
  t.is(plan.answer?.probe.n, 33);
  t.deepEqual(plan.runnersUp.map((r) => [r.combo.key, r.probe.n]), [['middle', 37]]);
  const dearResult = plan.results.find((r) => r.combo.key === 'dear')!;
  t.is(dearResult.status, 'pruned');
  t.false(asked.some((a) => a.startsWith('dear@')), `dear was never run: ${asked.join(' ')}`);
});

test('the search: a cost ceiling that the least count breaks, an SLO met nowhere, and counts the scenario refuses', async (t) => {
  const run = async (slos: string[], combo: Combination, refuseAbove = Infinity) =>
    searchPlan([combo], { slos: slos.map(parseSlo) }, async (batch) => batch.map((req) => (req.n > refuseAbove ? { kind: 'rejected', message: 'expected at most 1' } : modelRun(req))));
  const capped = await run(['queue.mean<140ms', 'monthly<$500'], modelCombo('m', 25));
  t.is(capped.answer, null);
  const r = capped.results[0]!;
  t.is(r.status, 'infeasible');
  t.regex((r as { reason: string }).reason, /monthly<\$500/);
  const nowhere = await run(['queue.mean<1ms'], modelCombo('m', 25, 1, 20));
  t.is(nowhere.answer, null);
  t.regex((nowhere.results[0] as { reason: string }).reason, /even at 20/);
  t.true(nowhere.probes.length <= 6, `${nowhere.probes.length} probes`);
  const refused = await run(['queue.mean<140ms'], modelCombo('eco', 5), 1);
  t.is(refused.answer, null);
  t.regex((refused.results[0] as { reason: string }).reason, /takes at most 1 \(expected at most 1\)/);
  const beyond = await run(['queue.mean<140ms'], modelCombo('m', 25, 120, 100));
  t.is(beyond.probes.length, 0, 'a lower bound above --max-count runs nothing');
  t.regex((beyond.results[0] as { reason: string }).reason, /needs at least 120/);
});

// ---------------------------------------------------------------- the command, against Erlang C

const LAMBDA = 40;
const MU = 10;
const TARGET_MS = 25;

test('plan finds the true minimum count of an M/M/c queue (Erlang C)', (t) => {
  const c = minServersForMeanWait(LAMBDA, MU, TARGET_MS / 1000);
  // A clear gap: the answer waits well under the target, one dyno fewer well over it.
  const atC = mmc(LAMBDA, MU, c).meanWaitS * 1000;
  const below = mmc(LAMBDA, MU, c - 1).meanWaitS * 1000;
  t.true(atC < 0.6 * TARGET_MS && below > 2 * TARGET_MS, `Wq(${c}) = ${atC} ms, Wq(${c - 1}) = ${below} ms`);

  const out = join(scratch(), 'plan');
  const r = dynosim(['plan', ERLANG, '--slo', `queue.mean<${TARGET_MS}ms`, '--strategies', 'base,autoscale,nightly', '--out', out]);
  t.is(r.status, 0, r.stderr);
  t.log(r.stdout);
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
  t.is(plan.answer.count, c);
  t.is(plan.answer.size, 'standard-1x');
  t.is(plan.answer.monthlyUsd, c * 25);
  t.true(plan.answer.slos[0].met);
  // The simulated mean wait agrees with the theory.
  t.true(Math.abs(plan.answer.slos[0].mean - atC) < 0.15 * atC, `simulated ${plan.answer.slos[0].mean} ms, Erlang C ${atC} ms`);
  t.regex(r.stdout, new RegExp(`^answer: ${c} × standard-1x, concurrency 1, fixed: \\$${c * 25}\\.00/month$`, 'm'));
  t.regex(r.stdout, new RegExp(`^answer: .*\\n {4}queue\\.mean < 25 ms +[\\d.]+ ms +upper +[\\d.]+ ms +met\\n`, 'm'));
  // Far fewer probes than counts: it starts at the stability bound λ/μ = 4.
  const csv = readFileSync(join(out, 'plan.csv'), 'utf8').trimEnd().split('\n');
  t.is(csv[0], 'strategy,autoscaler,size,concurrency,formation_count,replications,feasible,cost_mean_usd_month,dynos_mean_count,queue_mean_mean_ms,queue_mean_upper95_ms');
  const counts = csv.slice(1).map((line) => Number(line.split(',')[4]));
  t.is(counts[0], LAMBDA / MU);
  t.is(plan.search.probes, counts.length);
  t.is(plan.search.simulations, counts.length * 10);
  t.true(counts.length <= 4, `probes at ${counts.join(', ')}`);
  t.is(plan.search.bruteForceProbes, 100);
  t.true(csv.slice(1).every((line) => line.split(',')[6] === (Number(line.split(',')[4]) >= c ? 'yes' : 'no')), csv.join('\n'));
  // The strategies it cannot search are listed, not errors.
  t.deepEqual(
    plan.skipped.map((s: { strategy: string }) => s.strategy),
    ['autoscale', 'nightly'],
  );
  t.regex(r.stdout, /skipped \(the scenario rejects them\):\n +size +concurrency +strategy +why\n +as written +as written +autoscale +erlang-c\.yaml \(variant autoscale\): scaling\.web\.strategy:/);
  t.regex(r.stdout, /\n +as written +as written +nightly +web follows a schedule/);
  t.true(r.stdout.split('\n').every((l) => l.length <= 100 || l.startsWith('wrote ')), r.stdout);
  const run = JSON.parse(readFileSync(join(out, 'plan-run.json'), 'utf8'));
  t.is(run.simulations, plan.search.simulations);
});

test('plan over sizes and concurrencies: the cheapest wins, dearer ones are pruned, and the files are the same with any number of workers', (t) => {
  const base = scratch();
  const args = ['plan', ERLANG, '--slo', `queue.mean<${TARGET_MS}ms`, '--sizes', 'standard-1x,Standard-2X,performance-m', '--concurrency', '1..2'];
  const one = dynosim([...args, '--out', join(base, 'a'), '--jobs', '1']);
  t.is(one.status, 0, one.stderr);
  const two = dynosim([...args, '--out', join(base, 'b'), '--jobs', '2', '--json']);
  t.is(two.status, 0, two.stderr);
  for (const f of ['plan.csv', 'plan.json']) t.is(readFileSync(join(base, 'a', f), 'utf8'), readFileSync(join(base, 'b', f), 'utf8'), f);
  t.is(two.stdout, readFileSync(join(base, 'b', 'plan.json'), 'utf8'));
  const plan = JSON.parse(two.stdout);
  // A shared queue over dynos of concurrency 2 is M/M/(2·dynos): half the Erlang C count.
  const c = minServersForMeanWait(LAMBDA, MU, TARGET_MS / 1000);
  t.like(plan.answer, { size: 'standard-1x', concurrency: 2, count: Math.ceil(c / 2), monthlyUsd: Math.ceil(c / 2) * 25 });
  t.true(plan.pruned.length >= 3, JSON.stringify(plan.pruned));
  t.true(plan.pruned.some((p: { size: string }) => p.size === 'performance-m'));
  t.true(plan.search.probes < 8, `${plan.search.probes} probes over ${plan.search.combinations} combinations`);
  t.is(plan.search.combinations, 6);
  t.regex(one.stdout, /not searched further .*:\n +size +concurrency +strategy +needs +costs at least +above\n( +\S+ +\d +.+ +\d+\+ dynos +\$[\d.]+\/month +\$75\.00\n)+/);
});

test('under an autoscaler plan searches its ceiling, and the cost comes from the runs', (t) => {
  const out = join(scratch(), 'plan');
  const r = dynosim(['plan', ERLANG, '--slo', `queue.mean<${TARGET_MS}ms`, '--strategies', 'judoscale', '--replications', '3', '--max-count', '12', '--out', out]);
  t.is(r.status, 0, r.stderr);
  const rows = readFileSync(join(out, 'plan.csv'), 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(','));
  t.true(rows.length > 0);
  for (const row of rows) {
    const [strategy, autoscaler, , , n, , , monthly, dynos] = row;
    t.is(strategy, 'judoscale');
    t.is(autoscaler, 'queue-time');
    t.true(Number(n) >= LAMBDA / MU && Number(n) <= 12, row.join(','));
    // Never more than the ceiling's worth of dynos, billed as they ran.
    t.true(Number(dynos) <= Number(n) + 1e-9 && Number(monthly) <= Number(n) * 25 + 0.01, row.join(','));
  }
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
  if (plan.answer !== null) {
    t.is(plan.answer.autoscaler, 'queue-time');
    t.is(typeof plan.answer.max, 'number');
    t.is(plan.answer.count, undefined);
    t.regex(r.stdout, /^answer: up to \d+ × standard-1x, concurrency 1, judoscale \(queue-time\): \$[\d.]+\/month \(mean [\d.]+ dynos\)$/m);
  }
});

test('an SLO no formation meets: "no formation within --max-count"', (t) => {
  const out = join(scratch(), 'plan');
  const r = dynosim(['plan', ERLANG, '--slo', 'p50<1ms', '--max-count', '6', '--replications', '3', '--out', out]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^no formation within --max-count 6 meets every SLO$/m);
  t.regex(r.stdout, /cannot meet the SLOs within --max-count 6:\n {2}standard-1x, concurrency 1, fixed: misses p50<1ms even at 6\n/);
  t.regex(r.stdout, /misses p50<1ms even at 6\n {4}p50 < 1 ms +[\d.]+ ms +upper +[\d.]+ ms +missed\n/);
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
  t.is(plan.answer, null);
  t.is(plan.cannotMeet.length, 1);
});

test('bad input exits 2 with one line and writes nothing', (t) => {
  const cases: [string[], RegExp][] = [
    [['--slo', 'p95<<500ms'], /^dynosim: --slo "p95<<500ms": expected a latency such as 500ms.*metrics: p50, p95/],
    [['--slo', 'p95'], /^dynosim: --slo "p95": expected <metric><op><value> such as p95<500ms.*metrics: p50, p95/],
    [['--slo', 'latency<500ms'], /^dynosim: --slo "latency<500ms": unknown metric "latency" \(metrics: p50, /],
    [[], /^dynosim: plan needs at least one --slo/],
    [['--slo', 'p95<1s', '--sizes', 'standard-1x,3X'], /^dynosim: --sizes: no size "3X" on heroku-2025 \(its sizes: eco, basic, standard-1x/],
    [['--slo', 'p95<1s', '--concurrency', '0..4'], /^dynosim: --concurrency "0\.\.4": /],
    [['--slo', 'p95<1s', '--strategies', 'base,turbo'], /^dynosim: --strategies: no variant named "turbo" \(the variants of erlang-c\.yaml are autoscale, nightly, judoscale; base is the scenario as written\)/],
    [['--slo', 'p95<1s', '--strategies', 'autoscale,nightly'], /^dynosim: nothing to plan: the scenario rejects every combination asked for \(the first: erlang-c\.yaml \(variant autoscale\): scaling\.web\.strategy: /],
    [['--slo', 'p95<1s', '--replications', '1'], /^dynosim: --replications "1": expected a whole number from 2 to 10000/],
    [['--slo', 'p95<1s', '--max-count', 'lots'], /^dynosim: --max-count "lots": /],
    [['--slo', 'p95<1s', '--set', 'formation.web.count=-1'], /^erlang-c\.yaml: formation\.web\.count: /],
  ];
  for (const [args, expected] of cases) {
    const dir = scratch();
    const r = dynosim(['plan', ERLANG, ...args, '--out', join(dir, 'out', 'plan')]);
    t.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, expected, args.join(' '));
    t.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    t.false(r.stderr.includes('    at '), 'no stack trace');
    t.is(r.stdout, '');
    t.deepEqual(readdirSync(dir), [], `${args.join(' ')} wrote nothing`);
  }
  // Without --out, in a folder of its own: the default results/ is not made either.
  const cwd = scratch();
  const missing = dynosim(['plan', join(ROOT, 'test/fixtures/plan/no-such.yaml'), '--slo', 'p95<1s'], cwd);
  t.is(missing.status, 2);
  t.is(missing.stderr, `${join(ROOT, 'test/fixtures/plan/no-such.yaml')}: no such file\n`);
  const unknownSize = dynosim(['plan', ERLANG, '--slo', 'p95<1s', '--sizes', 'PX'], cwd);
  t.is(unknownSize.status, 2);
  t.false(existsSync(join(cwd, 'results')));
  t.deepEqual(readdirSync(cwd), []);
});

test('plan searches up to the app limit by default: a scenario that raises platform.limits.dynosPerApp raises the ceiling', async (t) => {
  const { runPlan } = await import('../src/studies/plan/runPlan.ts');
  const fields = {
    name: 'plan-limit',
    seed: 1,
    duration: '2m',
    platform: { profile: 'heroku-2013', limits: { dynosPerApp: 300 }, dynoManager: { cycling: false } },
    formation: { web: { count: 1, size: '1X' } },
    traffic: { rate: '1/s', service: { distribution: 'constant', value: '10ms' } },
  };
  const out = await runPlan({ file: 'plan-limit.yaml', fields, baseDir: '.' }, { slo: ['p95<1s'], replications: 2 });
  t.is(out.setup.maxCount, 300);
});
