/**
 * `warmup: auto`: MSER-5 (White 1997) on synthetic series whose bias is known, then on
 * runs whose transient is known, the detected warm-up against a fixed one, bad input, and
 * what the studies do with it.
 *
 * The runs' truth comes from outside MSER: the per-minute queue averaged over 20
 * replications, against the M/M/c queue of Erlang C (stats/theory/mmc.ts) the run settles
 * to. MSER-5 is a heuristic with a spread: on a steady series of 24 batches it truncates
 * a batch or none about three times in four (measured below), so the tests on many series
 * state shares with room, and a fixed seed's detection is pinned only where the transient
 * leaves no doubt.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mser5, MIN_BATCHES, MSER_BATCH } from '../src/stats/mser.ts';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { detectWarmup, WarmupError } from '../src/model/run/warmup.ts';
import { mmc } from '../src/stats/theory/index.ts';
import { compare, run, ScenarioError, scenarioJsonSchema, sweep, type ScenarioInput } from '../src/index.ts';
import { dynosim } from './helpers/cli.ts';

/** A seeded standard normal (LCG and Box–Muller: the tests' own, not the model's streams). */
function normals(seed: number): () => number {
  let s = seed;
  const u = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** The detections of `count` series made by `make`, as observations truncated (or the reason none was). */
function detections(count: number, seed: number, make: (g: () => number) => number[]): Array<number | string> {
  const g = normals(seed);
  return Array.from({ length: count }, () => {
    const r = mser5(make(g));
    return r.ok ? r.observations : r.reason;
  });
}

const share = (xs: readonly unknown[], p: (x: unknown) => boolean): number => xs.filter(p).length / xs.length;

// ---- (a) MSER-5 on synthetic series -------------------------------------------------

test('MSER-5: a constant series truncates nothing; one high first batch is cut', (t) => {
  const flat = mser5(new Array(60).fill(3));
  t.true(flat.ok);
  if (flat.ok) t.is(flat.batches, 0);
  const first = mser5([...new Array(5).fill(100), ...new Array(55).fill(1)]);
  t.true(first.ok);
  if (first.ok) t.deepEqual([first.batches, first.observations, first.k], [1, 5, 12]);
});

test('MSER-5: fewer than 10 batches is too short; the odd last observations are left out', (t) => {
  t.is(MSER_BATCH, 5);
  t.is(MIN_BATCHES, 10);
  const short = mser5(new Array(49).fill(1));
  t.false(short.ok);
  if (!short.ok) t.deepEqual([short.reason, short.k], ['too-few-batches', 9]);
  // 54 observations make 10 batches; the 4 last ones, however wild, are not read.
  const r = mser5([...new Array(50).fill(1), 1e9, 1e9, 1e9, 1e9]);
  t.true(r.ok);
  if (r.ok) t.deepEqual([r.batches, r.k], [0, 10]);
});

test('MSER-5: a series still settling at half its length is too short to tell', (t) => {
  // A steady decline all the way: every cut leaves a series that still declines.
  const r = mser5(Array.from({ length: 120 }, (_, i) => 120 - i));
  t.false(r.ok);
  if (!r.ok) t.is(r.reason, 'minimum-at-half');
});

test('MSER-5: a 5σ bias over the first 25 observations is cut within two batches, and never short of it', (t) => {
  const got = detections(500, 7, (g) => Array.from({ length: 120 }, (_, i) => g() + (i < 25 ? 5 : 0)));
  // Observed: 64 % exactly 25, 83 % within 35; none below 25 (a 5σ batch left in dominates the statistic).
  t.true(got.every((d) => typeof d === 'string' || d >= 25), 'never leaves a biased batch in');
  t.true(share(got, (d) => d === 25) >= 0.55, `exactly 25: ${share(got, (d) => d === 25)}`);
  t.true(share(got, (d) => typeof d === 'number' && d <= 35) >= 0.75, `within two batches: ${share(got, (d) => typeof d === 'number' && d <= 35)}`);
});

test('MSER-5: a linear bias fading out at observation 30 is cut at 25 to 35 most of the time', (t) => {
  const got = detections(500, 11, (g) => Array.from({ length: 120 }, (_, i) => g() + Math.max(0, 8 * (1 - i / 30))));
  // The last batch of the ramp carries a bias of under 1.3σ, inside the noise of a batch mean: 25 is as right as 30.
  t.true(got.every((d) => typeof d === 'string' || d >= 20), 'never leaves the steep part in');
  t.true(share(got, (d) => typeof d === 'number' && d >= 25 && d <= 35) >= 0.65, `25..35: ${share(got, (d) => typeof d === 'number' && d >= 25 && d <= 35)}`);
});

test('MSER-5: a stationary series is mostly truncated by one batch or none, and seldom refused', (t) => {
  const got = detections(2000, 12345, (g) => Array.from({ length: 120 }, g));
  // Observed on these 2000 series of 24 batches: 75 % at 0 or 5, 1.6 % refused, mean cut 5 % of the series.
  const small = share(got, (d) => d === 0 || d === 5);
  t.true(small >= 0.65 && small <= 0.85, `d ≤ one batch: ${small}`);
  t.true(share(got, (d) => d === 'minimum-at-half') < 0.03);
  const cut = got.filter((d): d is number => typeof d === 'number');
  t.true(cut.reduce((a, d) => a + d, 0) / cut.length / 120 < 0.1);
});

// ---- (b), (c) runs whose transient is known -------------------------------------------

/**
 * One web dyno too few for 91 requests a second (9 dynos of 10/s, shared queue: M/M/9 with
 * ρ > 1), from empty: the queue builds for 20 minutes, until a tenth dyno is scaled in, and
 * then drains into the M/M/10 of ρ = 0.91 (Erlang C: 7.06 requests waiting). The transient
 * is the build-up, the new dyno's boot and the drain.
 */
const UNDER: ScenarioInput = {
  name: 'under',
  platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
  duration: '2h',
  warmup: 'auto',
  formation: { web: { count: 9, size: 'standard-1x' } },
  router: { policy: 'shared-queue' },
  events: [{ at: '20m', scale: { web: 10 } }],
  traffic: { rate: '91/s', service: { distribution: 'exponential', mean: '100ms' } },
};

/** The same tier at 70/s with all ten dynos from the start: it is steady within seconds (M/M/10, ρ = 0.7). */
const STEADY: ScenarioInput = { ...UNDER, name: 'steady', duration: '4h', formation: { web: { count: 10, size: 'standard-1x' } }, events: [], traffic: { rate: '70/s', service: { distribution: 'exponential', mean: '100ms' } } };

/** Each seed's per-minute queueMean (warm-up 0, as the first pass sees it) and the warm-up detected on it. */
async function replications(fields: object, seeds: number): Promise<{ queue: number[][]; detectedMin: number[] }> {
  const queue: number[][] = [];
  const detectedMin: number[] = [];
  for (let k = 0; k < seeds; k++) {
    const s = await scenarioFromObject({ ...fields, seed: 1 + k });
    const rows: number[] = [];
    simulate({ ...s, warmupAuto: undefined }, { onMinute: (row) => rows.push(row.queueMean) });
    queue.push(rows);
    detectedMin.push(detectWarmup(s).warmupUs / 60e6);
  }
  return { queue, detectedMin };
}

/** The first minute from which the replications' mean queue stays within `factor` of the steady level. */
function settledMinute(queue: readonly number[][], steady: number, factor: number): number {
  const minutes = queue[0]!.length;
  const mean = Array.from({ length: minutes }, (_, m) => queue.reduce((a, q) => a + q[m]!, 0) / queue.length);
  let m = minutes;
  while (m > 0 && mean[m - 1]! <= steady * factor) m--;
  return m;
}

test('a run that starts empty and overloaded: the warm-up detected ends the batch in which the transient does', async (t) => {
  const lq = 91 * mmc(91, 10, 10).meanWaitS;
  t.true(Math.abs(lq - 7.06) < 0.01);
  const { queue, detectedMin } = await replications(UNDER, 20);
  // The truth, from the mean of 20 replications: 20 minutes of build-up, the drain after the scale.
  const truth = settledMinute(queue, lq, 1.5);
  t.log(`true transient ${truth} min; detected ${detectedMin.join(' ')} min`);
  t.true(truth >= 21 && truth <= 25, `settles at minute ${truth}`);
  // Seed 1 (the scenario's own): the end of the 5-minute batch the transient ends in.
  t.is(detectedMin[0], 25);
  t.true(detectedMin[0]! >= truth && detectedMin[0]! < truth + MSER_BATCH);
  // Every seed: nothing of the transient left in; most at that batch's end; the rest over-cut
  // (MSER's statistic is flat after the transient) but within the first half of the run.
  t.true(detectedMin.every((d) => d >= truth && d <= 60));
  t.true(share(detectedMin, (d) => (d as number) < truth + MSER_BATCH) >= 0.5, `${share(detectedMin, (d) => (d as number) < truth + MSER_BATCH)}`);
});

test('a run that starts in steady state: no warm-up, or a batch, as a rule', async (t) => {
  const lq = 70 * mmc(70, 10, 10).meanWaitS;
  const { queue, detectedMin } = await replications(STEADY, 20);
  // The run is at its steady level from its first minute (within 1.5 times Erlang C's queue, on average).
  t.is(settledMinute(queue, lq, 1.5), 0);
  t.log(`detected ${detectedMin.join(' ')} min`);
  t.is(detectedMin[0], 0);
  // As on stationary noise: a batch or none in most runs (14 of 20 observed), none refused, little cut on average.
  t.true(share(detectedMin, (d) => (d as number) <= MSER_BATCH) >= 0.5);
  t.true(detectedMin.reduce((a, d) => a + d, 0) / detectedMin.length < 15);
});

// ---- (d) the detected warm-up is the run with that warm-up given ---------------------

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-warmup-'));
}

function yaml(fields: object): string {
  return JSON.stringify(fields, null, 1);
}

test('dynosim run with warmup: auto writes what the run with the detected warm-up writes, and says how it was found', (t) => {
  const dir = scratch();
  const file = join(dir, 'under.yaml');
  writeFileSync(file, yaml(UNDER));
  const auto = dynosim(['run', file, '--out', join(dir, 'auto')]);
  const fixed = dynosim(['run', file, '--set', 'warmup=25m', '--out', join(dir, 'fixed')]);
  t.is(auto.status, 0, auto.stderr);
  t.is(fixed.status, 0, fixed.stderr);
  const a = JSON.parse(readFileSync(join(dir, 'auto', 'summary.json'), 'utf8')) as Record<string, unknown>;
  const f = JSON.parse(readFileSync(join(dir, 'fixed', 'summary.json'), 'utf8')) as Record<string, unknown>;
  t.deepEqual(a['warmup'], { rule: 'MSER-5', series: 'queueMean', batchMinutes: 5, batches: 24, truncatedBatches: 5, detectedS: 1500 });
  t.false('warmup' in f);
  const { warmup: _, ...rest } = a;
  // Byte for byte, but for the warmup field: the same numbers, in the same order.
  t.is(JSON.stringify(rest, null, 2), JSON.stringify(f, null, 2));
  for (const csv of ['timeseries.csv', 'dynos.csv', 'events.csv', 'metrics.csv', 'cost.csv']) {
    t.true(readFileSync(join(dir, 'auto', csv)).equals(readFileSync(join(dir, 'fixed', csv))), csv);
  }
  // The text, the charts and the report say the warm-up and how it was found.
  t.regex(auto.stdout, /2h simulated, warm-up 25m \(MSER-5: 5 of 24 batches of 5 min\)/);
  t.regex(fixed.stdout, /2h simulated, warm-up 25m · router/);
  for (const chart of ['latency', 'errors', 'dynos']) {
    t.true(readFileSync(join(dir, 'auto', 'charts', `${chart}.vl.json`), 'utf8').includes('"warm-up (MSER-5) 25 min"'), chart);
    t.true(readFileSync(join(dir, 'fixed', 'charts', `${chart}.vl.json`), 'utf8').includes('"warm-up 25 min"'), chart);
  }
  t.regex(readFileSync(join(dir, 'auto', 'report.html'), 'utf8'), /The warm-up, 25m, was found by MSER-5 \(White 1997\)/);
  t.notRegex(readFileSync(join(dir, 'fixed', 'report.html'), 'utf8'), /was found by MSER-5/);
});

test('the library run() detects the warm-up too, the same as the command', async (t) => {
  const r = await run(UNDER, { charts: false });
  t.is(r.result.summary.scenario.warmupS, 1500);
  t.is(r.result.summary.warmup?.truncatedBatches, 5);
});

test('the JSON Schema takes auto for warmup, and a duration, and nothing else', (t) => {
  const w = (scenarioJsonSchema() as { properties: Record<string, { pattern: string }> }).properties['warmup']!;
  const re = new RegExp(w.pattern);
  t.true(re.test('auto'));
  t.true(re.test('10m'));
  t.false(re.test('automatic'));
  t.false(re.test('auto 10m'));
});

// ---- (e) bad input ---------------------------------------------------------------------

for (const [what, duration, message] of [
  ['too short for ten batches', '45m', 'under.yaml: warmup: auto needs a run of at least 50m to detect a warm-up by MSER-5 (10 batches of 5 minutes), duration is 45m: give a longer duration or a fixed warm-up'],
  ['still settling at half the run', '50m', 'under.yaml: warmup: auto: MSER-5 finds the queue still settling at the end of the first half of the run (25m of 50m): the run is too short to detect the end of its warm-up; give a longer duration or a fixed warm-up'],
] as const) {
  test(`bad input: warmup: auto on a run ${what} is one line naming the file and warmup, exit 2, no folder`, (t) => {
    const dir = scratch();
    const file = join(dir, 'under.yaml');
    writeFileSync(file, yaml({ ...UNDER, duration }));
    const out = join(dir, 'out');
    const r = dynosim(['run', file, '--out', out]);
    t.is(r.status, 2);
    t.is(r.stdout, '');
    t.deepEqual(r.stderr.trimEnd().split('\n'), [message]);
    t.false(existsSync(out));
  });
}

test('the library says the same: a WarmupError for the warmup field', async (t) => {
  const e = await t.throwsAsync(run({ ...UNDER, duration: '45m' }, { charts: false }));
  t.true(e instanceof WarmupError);
  t.is((e as WarmupError).path, 'warmup');
});

// ---- (f) the studies refuse it ----------------------------------------------------------

const STUDY: ScenarioInput = {
  name: 'study',
  duration: '1h',
  warmup: 'auto',
  formation: { web: { count: 2, size: 'standard-1x' } },
  traffic: { rate: '5/s', service: { distribution: 'exponential', mean: '100ms' } },
  variants: { three: { formation: { web: { count: 3 } } } },
};
const refusal = (study: string): string =>
  `study.yaml: warmup: auto is detected by dynosim run, not in ${study}, whose runs are compared over one fixed window: run the scenario with dynosim run and give the warm-up it detects (summary.json warmup.detectedS) as a duration`;

for (const [study, args] of [
  ['compare', ['--base', '--replications', '2']],
  ['sweep', ['--vary', 'formation.web.count=2,3', '--replications', '2']],
  ['plan', ['--slo', 'p95<500ms', '--replications', '2']],
] as const) {
  test(`dynosim ${study} refuses warmup: auto with one line, exit 2, before any run`, (t) => {
    const dir = scratch();
    const file = join(dir, 'study.yaml');
    writeFileSync(file, yaml(STUDY));
    const out = join(dir, 'out');
    const r = dynosim([study, file, ...args, '--out', out]);
    t.is(r.status, 2);
    t.deepEqual(r.stderr.trimEnd().split('\n'), [refusal(study)]);
    t.false(existsSync(out));
    t.deepEqual(readdirSync(dir), ['study.yaml']);
  });
}

test('a sweep that varies warmup to auto is refused with the --vary value named', (t) => {
  const dir = scratch();
  const file = join(dir, 'study.yaml');
  writeFileSync(file, yaml({ ...STUDY, warmup: '1m' }));
  const r = dynosim(['sweep', file, '--vary', 'warmup=auto,2m', '--replications', '2', '--out', join(dir, 'out')]);
  t.is(r.status, 2);
  t.deepEqual(r.stderr.trimEnd().split('\n'), [`${refusal('sweep')} (--vary warmup=auto)`]);
});

test('the library compare() and sweep() refuse it as a ScenarioError of the warmup field', async (t) => {
  const c = await t.throwsAsync(compare({ a: STUDY, b: { ...STUDY, warmup: '5m' } }, { replications: 2 }));
  t.true(c instanceof ScenarioError);
  t.deepEqual((c as ScenarioError).problems.map((p) => p.path), ['warmup']);
  const s = await t.throwsAsync(sweep(STUDY, { vary: { 'formation.web.count': [2, 3] }, replications: 2 }));
  t.true(s instanceof ScenarioError);
  t.deepEqual((s as ScenarioError).problems.map((p) => p.path), ['warmup']);
});
