/**
 * Replications until a precision is reached (studies/parallel/precision.ts): the stopping
 * rule on outcomes of known spread, then `dynosim compare --precision` and `dynosim sweep
 * --precision` on the fixtures' M/M/1 queues (two single-worker dynos at load 0.75, and
 * four), their determinism whatever the number of threads, and bad input.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim } from './helpers/cli.ts';
import { METRICS, type MetricKey, type Outcome } from '../src/studies/parallel/outcome.ts';
import { checkTarget, metricPrecision, parseMetricList, parsePrecision, runToPrecision, type BatchRequest, type PrecisionTarget } from '../src/studies/parallel/precision.ts';
import { interval } from '../src/stats/intervals.ts';
import { didYouMean } from '../src/engine/suggest.ts';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { outcomeOf } from '../src/studies/parallel/outcome.ts';
import { mm1 } from '../src/stats/theory/index.ts';

const FIX = 'test/fixtures/compare';
const TWO = `${FIX}/two-dynos.yaml`;
const FOUR = `${FIX}/four-dynos.yaml`;
const MM1 = fileURLToPath(new URL('./fixtures/compare/mm1.yaml', import.meta.url));

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-precision-'));
}

const EMPTY_HISTOGRAM = { bits: 10, counts: [], count: 0, sum: 0, min: 0, max: 0 } as unknown as Outcome['latency'];

/** An outcome whose metrics are `values` (0 for the others). */
function outcome(values: Partial<Record<MetricKey, number | null>>): Outcome {
  const metrics = {} as Record<MetricKey, number | null>;
  for (const m of METRICS) metrics[m.key] = m.key in values ? values[m.key]! : 0;
  return { metrics, latency: EMPTY_HISTOGRAM, queue: EMPTY_HISTOGRAM, requests: 1 };
}

/** A deterministic stream of standard normal draws for replication r of group g (Box–Muller on a hash). */
function normal(g: number, r: number): number {
  const u = (k: number): number => {
    let h = (g * 7919 + r * 104729 + k * 15485863) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    return (h + 0.5) / 2 ** 32;
  };
  return Math.sqrt(-2 * Math.log(u(1))) * Math.cos(2 * Math.PI * u(2));
}

/** Group g's replication r: p95 of mean 100 and sd `sd[g]`; errors always 0; cost a constant. */
function batchOf(sd: readonly number[], seen: BatchRequest[][] = []) {
  return async (requests: readonly BatchRequest[]): Promise<Outcome[][]> => {
    seen.push([...requests]);
    return requests.map((q) => Array.from({ length: q.count }, (_, i) => outcome({ p95: 100 + sd[q.group]! * normal(q.group, q.from + i), errors: 0, cost: 5 })));
  };
}

const TARGET: PrecisionTarget = { relative: 0.05, metrics: ['p95', 'errors', 'cost'], min: 3, max: 100, level: 0.95 };

test('runToPrecision stops at the first batch whose half-widths are within 5% of the means, every group on the same count', async (t) => {
  const seen: BatchRequest[][] = [];
  const { outcomes, report } = await runToPrecision(2, TARGET, batchOf([10, 20], seen));
  t.true(report.met);
  t.is(report.mode, 'together');
  t.deepEqual(outcomes.map((os) => os.length), [report.replications, report.replications]);
  // Every metric is within 5% of its mean, computed afresh from the outcomes.
  for (const os of outcomes) {
    const iv = interval(os.map((o) => o.metrics.p95!));
    t.true(iv.half <= 0.05 * iv.mean, `${iv.half} vs ${iv.mean}`);
  }
  // Errors are 0 in every run, the cost the same: half-widths of 0, met.
  t.deepEqual(report.groups[0]!.metrics.errors, { n: report.replications, mean: 0, half: 0, relative: 0, met: true });
  t.is(report.groups[1]!.metrics.cost!.relative, 0);
  // It stopped as soon as it could: one batch fewer and the noisier group is not there yet.
  const batches = report.groups[0]!.batches;
  t.deepEqual(report.groups[1]!.batches, batches);
  t.is(batches[0], 3);
  t.true(batches.length >= 2);
  const before = batches.at(-2)!;
  t.false(metricPrecision(outcomes[1]!.slice(0, before), 'p95', TARGET).met);
  // Batches grow by at most doubling, and each asks for replications never run before.
  for (let i = 1; i < batches.length; i++) t.true(batches[i]! > batches[i - 1]! && batches[i]! <= 2 * batches[i - 1]!);
  t.deepEqual(seen[1], [{ group: 0, from: 3, count: batches[1]! - 3 }, { group: 1, from: 3, count: batches[1]! - 3 }]);
  // sd 20 about 100: roughly (1.96 × 20 / 5)² ≈ 61 replications are needed.
  t.true(report.replications >= 40 && report.replications <= 100, `${report.replications}`);
});

test('a tighter precision takes more replications; one out of reach stops at the maximum and says so', async (t) => {
  const loose = await runToPrecision(1, { ...TARGET, relative: 0.1 }, batchOf([10]));
  const tight = await runToPrecision(1, { ...TARGET, relative: 0.03 }, batchOf([10]));
  t.true(loose.report.met && tight.report.met);
  t.true(tight.report.replications > loose.report.replications, `${tight.report.replications} vs ${loose.report.replications}`);
  const capped = await runToPrecision(2, { ...TARGET, relative: 0.01, max: 12 }, batchOf([10, 30]));
  t.false(capped.report.met);
  t.is(capped.report.replications, 12);
  t.deepEqual(capped.outcomes.map((os) => os.length), [12, 12]);
  t.false(capped.report.groups[1]!.metrics.p95!.met);
  t.true(capped.report.groups[1]!.metrics.p95!.relative! > 0.01);
});

test('each group on its own: the quiet one stops early, the noisy one goes on', async (t) => {
  const { outcomes, report } = await runToPrecision(2, { ...TARGET, mode: 'each' }, batchOf([0.2, 20]));
  t.true(report.met);
  t.is(outcomes[0]!.length, 3);
  t.true(outcomes[1]!.length > 3);
  t.is(report.groups[0]!.replications, 3);
  t.is(report.replications, outcomes[1]!.length);
});

test('the batches depend on the outcomes only: the same every time', async (t) => {
  const a = await runToPrecision(3, TARGET, batchOf([5, 10, 15]));
  const b = await runToPrecision(3, TARGET, batchOf([5, 10, 15]));
  t.deepEqual(a.report, b.report);
  t.deepEqual(a.outcomes, b.outcomes);
});

test('a metric no run measured is met; one measured once is not', (t) => {
  t.deepEqual(metricPrecision([outcome({ p95: null }), outcome({ p95: null })], 'p95', TARGET), { n: 0, mean: null, half: null, relative: null, met: true });
  t.false(metricPrecision([outcome({ p95: 3 }), outcome({ p95: null })], 'p95', TARGET).met);
});

test('targets, precisions and metric lists are checked', (t) => {
  t.is(checkTarget(TARGET), null);
  t.regex(checkTarget({ ...TARGET, relative: 0 })!, /^precision: /);
  t.regex(checkTarget({ ...TARGET, min: 1 })!, /^min-replications: /);
  t.is(checkTarget({ ...TARGET, min: 10, max: 5 }), 'max-replications 5 is below min-replications 10');
  t.is(parsePrecision('5%'), 0.05);
  t.is(parsePrecision('0.02'), 0.02);
  t.is(parsePrecision(' 2.5% '), 0.025);
  for (const bad of ['0%', '0', 'abc', '-5%', '100%', '5 %%', '']) t.true(Number.isNaN(parsePrecision(bad)), bad);
  t.deepEqual(parseMetricList('p95, mean,cost,p95', didYouMean), ['p95', 'mean', 'cost']);
  t.regex(parseMetricList('p95,p955', didYouMean) as string, /^no metric "p955" \(did you mean p95\?\) \(the metrics: p50, p95, /);
  t.regex(parseMetricList('p95,', didYouMean) as string, /^expected metric names separated by commas/);
});

// ---------------------------------------------------------------------------------------
// The commands

interface PrecisionJson {
  target: number;
  replications: number;
  batches: number[];
  met: boolean;
  minReplications: number;
  maxReplications: number;
  alternatives: Record<string, Record<string, { n: number; mean: number; half: number; relative: number; met: boolean }>>;
}

function comparePrecise(out: string, args: string[]) {
  const r = dynosim(['compare', TWO, FOUR, '--metrics', 'p95,mean', '--out', out, '--no-charts', ...args]);
  const j = existsSync(join(out, 'compare.json')) ? JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) : null;
  return { r, j, p: (j?.precision ?? null) as PrecisionJson | null };
}

test('compare --precision: stops once p95 and mean are within the precision; tighter takes more; the same on 1 and 2 threads', (t) => {
  const dir = scratch();
  const ten = comparePrecise(join(dir, 'ten'), ['--precision', '10%', '--jobs', '2']);
  t.is(ten.r.status, 0, ten.r.stderr);
  t.is(ten.r.stderr, '');
  const p = ten.p!;
  t.true(p.met);
  t.is(p.target, 0.1);
  t.is(p.replications, ten.j.setup.replications);
  t.is(p.batches.at(-1), p.replications);
  t.is(ten.j.setup.seeds.length, p.replications);
  for (const [alt, metrics] of Object.entries(p.alternatives)) {
    for (const [key, m] of Object.entries(metrics)) {
      t.true(m.met && m.half <= 0.1 * m.mean + 1e-9, `${alt} ${key}: ${JSON.stringify(m)}`);
      // The half-width reported is the one of the estimates.
      const e = ten.j.alternatives.find((a: { name: string }) => a.name === alt).metrics[key];
      t.true(Math.abs(e.hi - e.lo - 2 * m.half) < 0.01, key);
    }
  }
  t.regex(ten.r.stdout, new RegExp(`\\nprecision ±10\\.0% met after ${p.replications} replications \\(batches ${p.batches.join(', ')}\\)\\n`));
  t.regex(ten.r.stdout, /half-width \/ mean \(target ±10\.0%\) +two-dynos +four-dynos\n +p95 latency +±\d/);
  t.true(ten.r.stdout.split('\n').every((l) => l.length <= 100 || l.startsWith('wrote ')));

  // One thread: the same batches, the same bytes.
  const one = comparePrecise(join(dir, 'one'), ['--precision', '10%', '--jobs', '1']);
  t.is(one.r.status, 0, one.r.stderr);
  for (const f of ['compare.json', 'compare.csv']) t.is(readFileSync(join(dir, 'one', f), 'utf8'), readFileSync(join(dir, 'ten', f), 'utf8'), f);

  const five = comparePrecise(join(dir, 'five'), ['--precision', '5%']);
  t.is(five.r.status, 0, five.r.stderr);
  t.true(five.p!.met);
  t.true(five.p!.replications > p.replications, `${five.p!.replications} vs ${p.replications}`);
  // The replications are the first ones of the longer run: the same seeds, the same values.
  const v10 = ten.j.alternatives[0].values.p95;
  t.deepEqual(five.j.alternatives[0].values.p95.slice(0, v10.length), v10);
});

test('compare --precision out of reach: stops at --max-replications, says so on stderr and in compare.json, exit 0', (t) => {
  const dir = scratch();
  const capped = comparePrecise(join(dir, 'c'), ['--precision', '0.1%', '--max-replications', '4']);
  t.is(capped.r.status, 0, capped.r.stderr);
  t.regex(capped.r.stderr, /^dynosim compare: --precision 0\.1% not met at --max-replications 4: p95 of two-dynos \(\d+\.\d%\), .*\n$/);
  t.false(capped.p!.met);
  t.is(capped.p!.replications, 4);
  t.deepEqual(capped.p!.batches, [3, 4]);
  t.false(capped.p!.alternatives['two-dynos']!['p95']!.met);
  t.regex(capped.r.stdout, /\nprecision ±0\.10% not met at the maximum of 4 replications: p95 of two-dynos/);
  t.true(capped.r.stdout.split('\n').every((l) => l.length <= 100 || l.startsWith('wrote ')), capped.r.stdout);
});

test('compare without --precision writes no precision', (t) => {
  const out = join(scratch(), 'fixed');
  const r = dynosim(['compare', TWO, FOUR, '--replications', '2', '--out', out, '--no-charts', '-q']);
  t.is(r.status, 0, r.stderr);
  const text = readFileSync(join(out, 'compare.json'), 'utf8');
  t.false(text.includes('precision'));
});

/** A command that must fail: exit 2, one line naming the option, nothing written. */
function rejects(t: import('ava').ExecutionContext, args: string[], line: RegExp): void {
  const dir = scratch();
  const out = join(dir, 'never');
  const r = dynosim([...args, '--out', out]);
  t.is(r.status, 2, r.stdout + r.stderr);
  // An option commander rejects is followed by its usual hint, as for every option.
  const lines = r.stderr.trimEnd().split('\n').filter((l) => l !== '(run with --help for usage)');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0]!, line);
  t.notRegex(r.stderr, /\n\s+at /);
  t.false(existsSync(out));
  t.deepEqual(readdirSync(dir), []);
  t.is(r.stdout, '');
}

test('bad --precision, --metrics, --min-replications and --max-replications: one line naming the option, exit 2, nothing written', (t) => {
  for (const cmd of [['compare', TWO, FOUR], ['sweep', TWO, '--vary', 'formation.web.count=2,3']]) {
    rejects(t, [...cmd, '--precision', '0%'], /--precision <p>.* "0%"/);
    rejects(t, [...cmd, '--precision', 'abc'], /--precision <p>.* "abc"/);
    rejects(t, [...cmd, '--precision', '5%', '--min-replications', '10', '--max-replications', '5'], /^dynosim: --max-replications 5 is below --min-replications 10$/);
    rejects(t, [...cmd, '--precision', '5%', '--metrics', 'p95,cots'], /^dynosim: --metrics: no metric "cots" \(did you mean cost\?\)/);
    rejects(t, [...cmd, '--precision', '5%', '--min-replications', '1'], /--min-replications <n>.*at least 2/);
    rejects(t, [...cmd, '--metrics', 'p95'], /^dynosim: --metrics goes with --precision$/);
    rejects(t, [...cmd, '--precision', '5%', '--replications', '4'], /^dynosim: --replications and --precision: give one/);
  }
  rejects(t, ['sweep', TWO, '--vary', 'formation.web.count=2,3', '--precision', '5%', '--shard', '1/2'], /^dynosim: --precision cannot go with --shard/);
});

test('sweep --precision: every point the same replications until each is precise; sweep-precision.json says how far', (t) => {
  const dir = scratch();
  const run = (name: string, jobs: string) => dynosim(['sweep', TWO, '--vary', 'formation.web.count=2,3', '--precision', '10%', '--metrics', 'p95', '--jobs', jobs, '--out', join(dir, name), '--no-charts']);
  const r = run('a', '2');
  t.is(r.status, 0, r.stderr);
  const p = JSON.parse(readFileSync(join(dir, 'a', 'sweep-precision.json'), 'utf8'));
  t.true(p.met);
  t.is(p.points.length, 2);
  t.deepEqual(p.points.map((q: { values: Record<string, string> }) => q.values['formation.web.count']), ['2', '3']);
  for (const q of p.points) t.true(q.metrics.p95.half <= 0.1 * q.metrics.p95.mean + 1e-9);
  const rows = readFileSync(join(dir, 'a', 'sweep.csv'), 'utf8').trimEnd().split('\n').slice(1);
  t.true(rows.every((row) => row.split(',')[1] === String(p.replications)));
  t.regex(r.stdout, new RegExp(`2 points × ${p.replications} replications`));
  t.regex(r.stdout, /\nprecision ±10\.0% \(p95\) met after \d+ replications/);
  const r1 = run('b', '1');
  t.is(r1.status, 0, r1.stderr);
  for (const f of ['sweep.csv', 'runs.csv', 'sweep-precision.json']) t.is(readFileSync(join(dir, 'b', f), 'utf8'), readFileSync(join(dir, 'a', f), 'utf8'), f);
});

test('coverage after stopping: 5%-precision intervals on the M/M/1 fixture contain the exact mean response time about 95 times in 100', async (t) => {
  // λ = 50/s, μ = 100/s: W = 1/(μ − λ) = 20 ms (test/stats.test.ts checks the fixture's rates).
  const base = await loadScenario(MM1);
  const W = mm1(50, 1e6 / base.traffic.classes[0]!.service!.meanUs).meanResponseS * 1000;
  t.is(W, 20);
  const PROCEDURES = 100;
  const target: PrecisionTarget = { relative: 0.05, metrics: ['mean'], min: 5, max: 100, level: 0.95 };
  let covered = 0;
  let replications = 0;
  let met = 0;
  for (let i = 0; i < PROCEDURES; i++) {
    // Each procedure its own block of seeds, so the 100 intervals are independent.
    const { outcomes, report } = await runToPrecision(1, target, async (requests) => {
      const out: Outcome[][] = [];
      for (const q of requests) {
        const os: Outcome[] = [];
        for (let r = q.from; r < q.from + q.count; r++) {
          const s = await loadScenario(MM1, { seed: 500_000 + i * 1000 + r });
          os.push(outcomeOf(simulate(s, { onMinute: () => {}, onQueueMinute: () => {}, onMetrics: () => {} })));
        }
        out.push(os);
      }
      return out;
    });
    if (report.met) met++;
    const xs = outcomes[0]!.map((o) => o.metrics.mean!);
    replications += xs.length;
    const iv = interval(xs, 0.95);
    if (iv.lo <= W && W <= iv.hi) covered++;
  }
  t.log(`${covered} of ${PROCEDURES} stopped intervals contain W = ${W} ms; ${(replications / PROCEDURES).toFixed(1)} replications on average; ${met} met 5%`);
  t.is(met, PROCEDURES);
  // Exact intervals would give 95 on average. Stopping on a random count lowers coverage
  // (Law 2015 §9.4.1), and the replication means are skewed to the right (see the
  // fixed-count coverage test in test/stats.test.ts): over 600 such procedures on other
  // seeds, 93.3% of the intervals contained W with a first batch of 5 (91.3% with 3, 93.0%
  // with 10), so 100 of them give about 93 (binomial sd 2.5). The floor of 88 is two
  // standard deviations below; fewer would mean the rule stops on a too-small count.
  t.true(covered >= 88, `only ${covered} of ${PROCEDURES} stopped intervals contain ${W} ms`);
});
