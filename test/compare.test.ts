/**
 * `dynosim compare`: the aggregation on outcomes with known figures, then the command on
 * fixture scenarios (two files; one file's variants) and on bad input.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim } from './helpers/cli.ts';
import { Histogram } from '../src/engine/Histogram.ts';
import { METRICS, type MetricKey, type Outcome } from '../src/studies/parallel/outcome.ts';
import { compareOutcomes, type Alternative, type CompareSetup } from '../src/studies/compare/compare.ts';
import { compareCsv, compareJson, compareText } from '../src/output/report/compare.ts';
import { interval, pairedInterval } from '../src/stats/intervals.ts';

const FIX = 'test/fixtures/compare';
const TWO = `${FIX}/two-dynos.yaml`;
const FOUR = `${FIX}/four-dynos.yaml`;
const VARIANTS = `${FIX}/variants.yaml`;
const WRONG = `${FIX}/wrong-field.yaml`;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-compare-'));
}

// ---------------------------------------------------------------------------------------
// The aggregation

function outcome(metrics: Partial<Record<MetricKey, number | null>>, latenciesUs: readonly number[]): Outcome {
  const full = {} as Record<MetricKey, number | null>;
  for (const m of METRICS) full[m.key] = metrics[m.key] === undefined ? 0 : metrics[m.key]!;
  const latency = new Histogram();
  for (const v of latenciesUs) latency.record(v);
  const queue = new Histogram();
  for (const v of latenciesUs) queue.record(v / 2);
  return { metrics: full, latency: latency.toJSON(), queue: queue.toJSON(), requests: latenciesUs.length };
}

function setup(seeds: number[]): CompareSetup {
  return { version: 'test', files: ['a.yaml', 'b.yaml'], variants: null, base: false, replications: seeds.length, seeds, set: [], level: 0.95 };
}

const ALTS: Alternative[] = [
  { name: 'a', file: 'a.yaml', variant: null, scenario: 'a' },
  { name: 'b', file: 'b.yaml', variant: null, scenario: 'b' },
];

test('compareOutcomes: means and intervals per alternative, paired differences to the first', (t) => {
  const a = [100, 120, 90, 110];
  const b = [80, 101, 73, 89]; // b − a: −20, −19, −17, −21
  const c = compareOutcomes(
    setup([1, 2, 3, 4]),
    ALTS,
    [a.map((p95) => outcome({ p95, cost: 2 }, [1000, 2000])), b.map((p95) => outcome({ p95, cost: 3 }, [3000]))],
  );
  const p95 = c.metrics.find((m) => m.metric.key === 'p95')!;
  const ia = interval(a);
  t.deepEqual(p95.estimates[0], { n: 4, mean: ia.mean, lo: ia.lo, hi: ia.hi, half: ia.half });
  t.is(p95.differences[0], null);
  const d = p95.differences[1]!;
  const pd = pairedInterval(a, b);
  t.is(d.mean, pd.mean);
  t.is(d.lo, pd.lo);
  t.is(d.hi, pd.hi);
  t.true(d.hi! < 0, 'the paired interval is tight: every pair moved by about −19');
  t.true(d.significant);
  // The change is the ratio b/a on the log scale: the geometric mean of the pairs' ratios, minus 1.
  const logs = a.map((x, i) => Math.log(b[i]! / x));
  const il = interval(logs);
  t.is(d.pctMethod, 'log-ratio');
  t.true(Math.abs(d.pct! - 100 * (Math.exp(il.mean) - 1)) < 1e-9, `pct ${d.pct}`);
  t.true(Math.abs(d.pctLo! - 100 * (Math.exp(il.lo) - 1)) < 1e-9 && Math.abs(d.pctHi! - 100 * (Math.exp(il.hi) - 1)) < 1e-9);
  t.true(d.pctLo! < d.pct! && d.pct! < d.pctHi! && d.pctHi! < 0);
  // Unpaired, the two intervals overlap: pairing is what shows the difference.
  t.true(interval(b).hi > ia.lo);
  // A constant difference is known exactly and is real; no difference at all is not.
  const cost = c.metrics.find((m) => m.metric.key === 'cost')!.differences[1]!;
  t.deepEqual([cost.mean, cost.lo, cost.hi, cost.significant], [1, 1, 1, true]);
  const p50 = c.metrics.find((m) => m.metric.key === 'p50')!.differences[1]!;
  t.deepEqual([p50.mean, p50.lo, p50.hi, p50.significant, p50.pct], [0, 0, 0, false, null]);
  // Pooled: the merged histograms of the four replications.
  t.is(c.pooled[0]!.latency.count, 8);
  t.is(c.pooled[0]!.latency.meanMs, 1.5);
  t.is(c.pooled[1]!.latency.p50Ms, 3);
  t.is(c.pooled[1]!.queue.meanMs, 1.5);
  t.is(c.pooled[0]!.requests, 8);
});

test('compareOutcomes: a difference whose interval spans 0 is not significant', (t) => {
  const a = [100, 120, 90, 110];
  const b = [110, 112, 95, 100]; // +10, −8, +5, −10
  const c = compareOutcomes(setup([1, 2, 3, 4]), ALTS, [a.map((p95) => outcome({ p95 }, [1])), b.map((p95) => outcome({ p95 }, [1]))]);
  const d = c.metrics.find((m) => m.metric.key === 'p95')!.differences[1]!;
  t.true(d.lo! < 0 && d.hi! > 0);
  t.false(d.significant);
  const text = compareText(c);
  t.regex(text, /\np95 latency +105 ±21 ms +104 ±13 ms\n/);
  t.regex(text, /\nb − a\nmetric +difference +95% interval +change\n(.*\n)*p95 latency +-0\.[78] ms +\[-16\.\d, \+14\.\d\] ms +-0\.4%\n/);
});

test('compareOutcomes: replications without a figure are left out, and pairs need both', (t) => {
  const a = [10, null, 30, 40];
  const b = [12, 25, null, 41];
  const c = compareOutcomes(setup([1, 2, 3, 4]), ALTS, [a.map((p99) => outcome({ p99 }, [])), b.map((p99) => outcome({ p99 }, []))]);
  const m = c.metrics.find((x) => x.metric.key === 'p99')!;
  t.is(m.estimates[0]!.n, 3);
  t.is(m.estimates[0]!.mean, 80 / 3);
  t.is(m.estimates[1]!.n, 3);
  const d = m.differences[1]!;
  t.is(d.n, 2); // replications 1 and 4
  t.is(d.mean, 1.5);
  // Nothing recorded: pooled figures are null, not NaN.
  t.is(c.pooled[0]!.latency.count, 0);
  t.is(c.pooled[0]!.latency.p95Ms, null);
  t.is(c.pooled[0]!.latency.meanMs, null);
  // One value only: a mean without an interval, and never significant.
  const one = compareOutcomes(setup([1, 2]), ALTS, [[outcome({ p99: 1 }, []), outcome({ p99: null }, [])], [outcome({ p99: 5 }, []), outcome({ p99: 6 }, [])]]);
  const d1 = one.metrics.find((x) => x.metric.key === 'p99')!.differences[1]!;
  t.deepEqual([d1.n, d1.mean, d1.lo, d1.hi, d1.significant], [1, 4, null, null, false]);
  t.throws(() => compareOutcomes(setup([1, 2, 3]), ALTS, [[], []]), { instanceOf: RangeError });
});

test('compare files round per unit and never write a negative zero', (t) => {
  const a = [0.1234564, 0.1234566];
  const b = [0.1234563, 0.1234565]; // differences of −1e-7: −0.000 ms
  const c = compareOutcomes(setup([1, 2]), ALTS, [
    a.map((mean, i) => outcome({ mean, errors: 0.00123456789, cost: 12.345 + i }, [1])),
    b.map((mean, i) => outcome({ mean, errors: 0.00123456789, cost: 10.005 + i }, [1])),
  ]);
  const csv = compareCsv(c);
  const rows = csv.trimEnd().split('\n').map((r) => r.split(','));
  t.deepEqual(rows[0], ['alternative', 'metric', 'unit', 'replications', 'mean', 'lo', 'hi', 'diff', 'diff_lo', 'diff_hi', 'diff_pct', 'diff_lo_pct', 'diff_hi_pct', 'significant']);
  t.is(rows.length, 1 + 2 * METRICS.length);
  const row = (alt: string, key: string) => rows.find((r) => r[0] === alt && r[1] === key)!;
  t.is(row('a', 'mean')[4], '0.123');
  t.is(row('b', 'mean')[7], '0.000');
  t.is(row('a', 'errors')[4], '0.001235');
  t.is(row('a', 'cost')[4], '12.85');
  t.deepEqual([row('a', 'p95')[2], row('a', 'errors')[2], row('a', 'monthly')[2], row('a', 'dyno-hours')[2], row('a', 'dynos')[2]], ['ms', 'fraction', 'usd_month', 'hours', 'count'], 'the unit column speaks the suffixes of the study CSVs');
  // The change from the ratios 10.005/12.345 and 11.005/13.345 on the log scale: −18.25% [−26.79%, −8.71%].
  t.deepEqual(row('b', 'cost').slice(7), ['-2.34', '-2.34', '-2.34', '-18.25', '-26.79', '-8.71', 'true']);
  t.false(csv.includes('-0.000'));
  const json = compareJson(c);
  t.false(json.includes('-0,') || json.includes('-0\n'));
  t.is(JSON.parse(json).alternatives[1].metrics.cost.diff.mean, -2.34);
  t.is(compareJson(c), json, 'the same comparison gives the same text');
});

// ---------------------------------------------------------------------------------------
// The command

interface CompareJson {
  setup: { files: string[]; variants: string[] | null; replications: number; seeds: number[]; reference: string };
  alternatives: Array<{
    name: string;
    variant: string | null;
    metrics: Record<string, { n: number; mean: number; lo: number; hi: number; diff?: { mean: number; lo: number; hi: number; pct: number | null; significant: boolean } }>;
    pooled: { latency: { count: number; p95Ms: number } };
    values: Record<string, Array<number | null>>;
  }>;
}

test('compare of two files: four dynos cut p95 latency, significantly, and the files are the same on a second run', (t) => {
  const dir = scratch();
  const out = join(dir, 'c1');
  const r = dynosim(['compare', TWO, FOUR, '--replications', '3', '--out', out]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /two-dynos/);
  t.regex(r.stdout, /four-dynos − two-dynos/);
  t.regex(r.stdout, /seeds 1–3/);
  // The differences to the first alternative are a table of their own, after the means.
  const row = (label: string): string => r.stdout.split('\n').filter((l) => l.startsWith(label)).at(-1)!;
  t.regex(row('p95 latency'), /-\d+ ms +\[-\d+, -\d+\] ms +-\d+\.\d% +better$/);
  t.regex(row('monthly cost'), /\+\$50\.00 +\[\+\$50\.00, \+\$50\.00\] +\+100\.0% +worse$/);
  t.true(r.stdout.split('\n').every((l) => l.length <= 100 || l.startsWith('wrote ')), r.stdout);
  t.deepEqual(readdirSync(out).sort(), ['charts', 'compare-run.json', 'compare.csv', 'compare.json', 'report.html']);
  t.deepEqual(readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.svg')), ['compare-cost-latency.svg', 'compare-differences.svg', 'compare-metrics.svg']);

  const j = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareJson;
  t.deepEqual(j.setup.seeds, [1, 2, 3]);
  t.is(j.setup.reference, 'two-dynos');
  t.deepEqual(j.alternatives.map((a) => a.name), ['two-dynos', 'four-dynos']);
  const p95 = j.alternatives[1]!.metrics['p95']!;
  t.true(p95.diff!.mean < 0 && p95.diff!.hi < 0 && p95.diff!.significant, JSON.stringify(p95));
  t.is(j.alternatives[0]!.metrics['p95']!.diff, undefined);
  // Common random numbers: both alternatives saw the very same requests.
  t.is(j.alternatives[0]!.pooled.latency.count, j.alternatives[1]!.pooled.latency.count);
  const csv = readFileSync(join(out, 'compare.csv'), 'utf8');
  t.regex(csv, /^four-dynos,p95,ms,3,[\d.]+,[\d.]+,[\d.]+,-[\d.]+,-[\d.]+,-[\d.]+,-[\d.]+,-[\d.]+,-[\d.]+,true$/m);
  const run = JSON.parse(readFileSync(join(out, 'compare-run.json'), 'utf8'));
  t.is(run.runs, 6);
  t.true(run.jobs >= 1 && run.wallS > 0);

  // The same inputs, on one thread this time: byte-identical results.
  const out2 = join(dir, 'c2');
  const r2 = dynosim(['compare', TWO, FOUR, '--replications', '3', '--out', out2, '--jobs', '1', '--json']);
  t.is(r2.status, 0, r2.stderr);
  for (const f of ['compare.csv', 'compare.json']) t.is(readFileSync(join(out2, f), 'utf8'), readFileSync(join(out, f), 'utf8'), f);
  t.is(r2.stdout, readFileSync(join(out, 'compare.json'), 'utf8'), '--json prints compare.json');
  t.is(JSON.parse(readFileSync(join(out2, 'compare-run.json'), 'utf8')).jobs, 1);
});

test('compare of one scenario\'s variants: identical alternatives differ by exactly 0, a shared queue cuts queue time', (t) => {
  const out = join(scratch(), 'v');
  const r = dynosim(['compare', VARIANTS, '--variants', 'random,shared-queue', '--base', '--replications', '3', '--out', out, '-q']);
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, '');
  const j = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareJson;
  t.deepEqual(j.alternatives.map((a) => [a.name, a.variant]), [['base', null], ['random', 'random'], ['shared-queue', 'shared-queue']]);
  t.deepEqual(j.setup.variants, ['random', 'shared-queue']);
  t.deepEqual(j.setup.seeds, [7, 8, 9]); // the scenario's seed 7, then 8 and 9
  // The base already routes at random: the same runs, replication by replication.
  for (const [key, m] of Object.entries(j.alternatives[1]!.metrics)) {
    t.deepEqual(j.alternatives[1]!.values[key], j.alternatives[0]!.values[key], key);
    t.deepEqual([m.diff!.mean, m.diff!.lo, m.diff!.hi, m.diff!.significant], [0, 0, 0, false], key);
  }
  const q = j.alternatives[2]!.metrics['queue.mean']!;
  t.true(q.diff!.significant && q.diff!.hi < 0, JSON.stringify(q));
  t.is(j.alternatives[2]!.metrics['monthly']!.diff!.mean, 0);

  // Without --variants: every variant in the order written, the base left out; --seed moves the seeds.
  const out2 = join(scratch(), 'v2');
  const r2 = dynosim(['compare', VARIANTS, '--replications', '2', '--seed', '100', '--out', out2, '--json']);
  t.is(r2.status, 0, r2.stderr);
  const j2 = JSON.parse(r2.stdout) as CompareJson;
  t.deepEqual(j2.alternatives.map((a) => a.name), ['random', 'shared-queue', 'four-dynos']);
  t.deepEqual(j2.setup.seeds, [100, 101]);
});

/** Runs a compare that must fail: exit 2, the one line expected, and nothing written. */
function rejects(t: import('ava').ExecutionContext, args: string[], line: RegExp): void {
  const dir = scratch();
  const out = join(dir, 'never');
  const r = dynosim(['compare', ...args, '--replications', '2', '--out', out]);
  t.is(r.status, 2, r.stdout + r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0]!, line);
  t.notRegex(r.stderr, /\n\s+at /); // no stack trace
  t.false(existsSync(out));
  t.deepEqual(readdirSync(dir), [], 'not even a hidden folder');
  t.is(r.stdout, '');
}

test('compare rejects bad input with one line, exit 2, and writes nothing', (t) => {
  rejects(t, [TWO, `${FIX}/missing.yaml`], /^test\/fixtures\/compare\/missing\.yaml: no such file$/);
  rejects(t, [VARIANTS, '--variants', 'random,nope'], /^dynosim: --variants: .*variants\.yaml has no variant named "nope" \(its variants are random, shared-queue, four-dynos\)$/);
  rejects(t, [TWO, WRONG], /^wrong-field\.yaml: traffic\.service\.mean: expected a duration/);
  rejects(t, [TWO], /^dynosim: compare needs two scenarios or a scenario with variants, and .*two-dynos\.yaml has no variants$/);
  rejects(t, [`${FIX}/bad-variant.yaml`], /^bad-variant\.yaml \(variant huge\): formation\.web\.size: expected a size of heroku-2025 .*got "standard-9x"$/);
  // A --set every variant shares the fault of: said once, of the file.
  rejects(t, [VARIANTS, '--set', 'formation.web.count=-1'], /^variants\.yaml: formation\.web\.count: expected a whole number of at least 0, got -1$/);
});
