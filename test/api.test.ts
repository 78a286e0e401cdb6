/**
 * The library API (src/index.ts), what notebooks and programs call: the same numbers as the
 * command for the same scenario and seed, scenarios given as fields as well as files, bad
 * input as errors a caller can catch, and display bundles for Jupyter.
 */
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { dynosim, ROOT } from './helpers/cli.ts';
import { compare, cost, display, fit, InputError, markdown, plan, run, scenario, ScenarioError, show, sweep, table, text, vegaLite, type ScenarioInput } from '../src/index.ts';

const TWO = join(ROOT, 'test/fixtures/compare/two-dynos.yaml');
const FOUR = join(ROOT, 'test/fixtures/compare/four-dynos.yaml');
const VARIANTS = join(ROOT, 'test/fixtures/compare/variants.yaml');
const ERLANG = join(ROOT, 'test/fixtures/plan/erlang-c.yaml');
const fields = (file: string): ScenarioInput => parseYaml(readFileSync(file, 'utf8')) as ScenarioInput;
const scratch = (): string => mkdtempSync(join(tmpdir(), 'dynosim-api-'));
const DISPLAY = Symbol.for('Jupyter.display');

test('run: the summary dynosim run writes, from the file or from its fields', async (t) => {
  const out = scratch();
  const r = dynosim(['run', TWO, '--seed', '5', '--out', out, '-q', '--no-charts']);
  t.is(r.status, 0, r.stderr);
  const cli = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const fromFile = await run(TWO, { seed: 5, charts: false });
  const fromFields = await run(fields(TWO), { seed: 5 });
  t.deepEqual(fromFile.summary, cli);
  t.deepEqual(fromFields.summary, cli);
  // Charts, the readable summary and the series kept for the caller's own charts.
  t.deepEqual(fromFile.charts, []);
  t.deepEqual(
    fromFields.charts.map((c) => c.name),
    ['latency', 'errors', 'dynos', 'dyno-balance', 'cost-month', 'cost-breakdown'],
  );
  t.regex(fromFields.text, /^two-dynos\n/);
  t.is(fromFields.result.timeseries.length, readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n').length - 1);
  t.throws(() => fromFields.chart('memory'), { instanceOf: InputError, message: /no chart named "memory" \(the charts: latency, errors/ });
});

test('compare: named alternatives given as fields give the figures of dynosim compare on the files', async (t) => {
  const out = scratch();
  const r = dynosim(['compare', TWO, FOUR, '--replications', '3', '--out', out, '-q', '--no-charts']);
  t.is(r.status, 0, r.stderr);
  const cli = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
  const c = await compare({ 'two-dynos': fields(TWO), 'four-dynos': fields(FOUR) }, { replications: 3 });
  t.deepEqual(c.comparison.alternatives.map((a) => a.name), ['two-dynos', 'four-dynos']);
  for (const [i, name] of ['two-dynos', 'four-dynos'].entries()) {
    const p95 = c.estimate(name, 'p95');
    const fromCli = cli.alternatives[i].metrics.p95;
    t.is(Number(p95.mean!.toFixed(3)), fromCli.mean);
    t.is(Number(p95.lo!.toFixed(3)), fromCli.lo);
  }
  t.regex(c.text, /four-dynos − two-dynos/);
  // The paired difference between any two alternatives: the table's, for the first and another.
  const d = c.difference('two-dynos', 'four-dynos', 'p95');
  const fromTable = c.comparison.metrics.find((m) => m.metric.key === 'p95')!.differences[1]!;
  t.deepEqual([d.mean, d.lo, d.hi, d.significant], [fromTable.mean, fromTable.lo, fromTable.hi, fromTable.significant]);
  t.true(d.mean! < 0);
  t.deepEqual(c.difference('four-dynos', 'four-dynos', 'p95'), { mean: 0, lo: 0, hi: 0, significant: false });
  t.deepEqual(c.charts.map((x) => x.name), ['compare-metrics', 'compare-differences', 'compare-cost-latency']);
  // One scenario's variants, as --variants and --base pick them.
  const v = await compare(VARIANTS, { variants: ['random', 'shared-queue'], base: true, replications: 2 });
  t.deepEqual(v.comparison.alternatives.map((a) => a.name), ['base', 'random', 'shared-queue']);
  await t.throwsAsync(compare(VARIANTS, { variants: ['nope'], replications: 2 }), { instanceOf: InputError, message: /^variants: .*variants\.yaml has no variant named "nope"/ });
  await t.throwsAsync(compare({ a: fields(TWO), b: { ...fields(TWO), duration: 'forever' } as ScenarioInput }, { replications: 2 }), { instanceOf: ScenarioError });
});

test('sweep and plan: the answers of the commands', async (t) => {
  const s = await sweep(fields(TWO), { vary: { 'formation.web.count': [2, 3], 'router.policy': 'random,shared-queue' }, replications: 2 });
  t.deepEqual(s.points.map((p) => p.cells), [['2', 'random'], ['2', 'shared-queue'], ['3', 'random'], ['3', 'shared-queue']]);
  // A shared queue never waits longer on average than random routing, on the same arrivals.
  t.true(s.points[1]!.metrics['queue.mean']!.mean <= s.points[0]!.metrics['queue.mean']!.mean);
  await t.throwsAsync(sweep(fields(TWO), { vary: { 'formation.web.count': 'x..y' } }), { instanceOf: InputError });

  const out = scratch();
  const r = dynosim(['plan', ERLANG, '--slo', 'queue.mean<60ms', '--replications', '3', '--max-count', '12', '--out', out, '-q', '--no-charts']);
  t.is(r.status, 0, r.stderr);
  const cli = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
  const p = await plan(ERLANG, { slo: 'queue.mean<60ms', replications: 3, maxCount: 12 });
  t.is(p.plan.answer?.probe.n, cli.answer.count);
  t.regex(p.text, /^answer: 5 × standard-1x, concurrency 1, fixed: \$125.00\/month$/m);
  t.deepEqual(p.charts.map((c) => c.name), ['plan-frontier']);
  await t.throwsAsync(plan(ERLANG, { slo: 'p95<fast' }), { instanceOf: InputError });
});

test('cost and fit', async (t) => {
  const k = await cost(fields(TWO), { counts: '1..3' });
  t.deepEqual([...new Set(k.table.rows.map((row) => row.book))], ['heroku-2013', 'heroku-2025']);
  t.regex(k.text, /the bill for a month, without a simulation/);
  await t.throwsAsync(cost(fields(TWO), { counts: '3..1' }), { instanceOf: InputError });

  const f = await fit(join(ROOT, 'scenarios/replay/router.log'));
  t.is(f.fields.name, 'router');
  t.regex(f.yaml, /^# Fitted by dynosim fit from router\.log/);
  const s = await scenario(f.fields);
  t.is(s.web.size.name, 'standard-1x');
  await t.throwsAsync(fit(join(ROOT, 'no-such.log')), { instanceOf: InputError, message: /no-such\.log: no such file/ });
});

test('display bundles: a chart as SVG and vega-lite v5, tables and text escaped, plain text outside Jupyter', async (t) => {
  const spec = vegaLite('Two points', 'a subtitle', { data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
  const chart = await show(spec);
  const bundle = (chart as unknown as Record<symbol, () => Record<string, unknown>>)[DISPLAY]!();
  t.regex(bundle['image/svg+xml'] as string, /^<svg[^>]*>/);
  t.is((bundle['application/vnd.vegalite.v5+json'] as { $schema: string }).$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
  t.is(bundle['text/plain'], '[chart: Two points]');
  await t.throwsAsync(show({ mark: 'point', encoding: { x: { field: 'x', type: 'nonsense' } } }));

  const tb = table([{ route: '<GET /a>', ms: 1234.5678, n: 3 }], { decimals: { ms: 1 } });
  t.regex(tb.bundle['text/html'] as string, /&lt;GET \/a&gt;/);
  t.regex(tb.bundle['text/html'] as string, /1,234\.6/);
  t.is(tb.toString(), 'route          ms  n\n<GET /a>  1,234.6  3');
  t.is(text('a < b\n').bundle['text/html'], '<pre>a &lt; b</pre>');
  t.is(markdown('**bold**').bundle['text/markdown'], '**bold**');

  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => (written.push(s), true)) as typeof process.stdout.write;
  try {
    await display(markdown('shown as text'));
  } finally {
    process.stdout.write = write;
  }
  t.deepEqual(written, ['shown as text\n']);
});

test('scenario: bad fields are a ScenarioError naming the field; set and seed apply', async (t) => {
  const e = await t.throwsAsync(scenario({ ...fields(TWO), formation: { web: { count: 'two', size: 'standard-1x' } } } as unknown as ScenarioInput), { instanceOf: ScenarioError });
  t.deepEqual(e!.lines(), ['two-dynos: formation.web.count: expected a whole number, got "two"']);
  const s = await scenario(TWO, { set: ['formation.web.count=5'], seed: 9 });
  t.is(s.web.count, 5);
  t.is(s.seed, 9);
  t.is((await scenario(s, { seed: 10 })).seed, 10);
  await t.throwsAsync(scenario(s, { set: ['seed=1'] }), { instanceOf: InputError });
});
