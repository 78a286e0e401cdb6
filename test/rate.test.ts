/**
 * Rate expressions: each helper's values at chosen points, the variables, units, the
 * messages for misuse, and a statistical test: the number of arrivals drawn for a rate
 * expression matches the rate's integral.
 *
 * The count of a non-homogeneous Poisson process over [0, T] is Poisson with mean
 * Λ = ∫ rate dt, so its standard deviation is √Λ. A count passes when it lies within
 * Z = 4 standard deviations of Λ (|Z| > 4 has probability 6·10⁻⁵); Λ comes from Simpson's
 * rule on a 0.25 s grid, split where the rate jumps, independently of the 1 s grid on which
 * the arrival process samples the rate. Seeds are fixed.
 */
import test from 'ava';
import { Calendar } from '../src/model/traffic/calendar.ts';
import { rateCompiler } from '../src/model/traffic/rate/expression.ts';
import { diurnal, flash, hourly, ramp, step, weekly } from '../src/model/traffic/rate/helpers.ts';
import { poissonArrivals } from '../src/model/traffic/arrivals/poisson.ts';
import { varyingRateArrivals, type RateFunction } from '../src/model/traffic/arrivals/varyingRate.ts';
import { Streams } from '../src/engine/streams.ts';

const Z = 4;
const HOUR_S = 3600;
const DAY_S = 86_400;
const MONDAY = Date.parse('2025-06-02T00:00:00Z');

async function compiler(zone = 'UTC', startMs = MONDAY) {
  return rateCompiler(new Calendar(startMs, zone));
}

async function rateOf(text: string, zone = 'UTC', startMs = MONDAY): Promise<RateFunction> {
  const fn = (await compiler(zone, startMs))(text);
  if (typeof fn === 'string') throw new Error(fn);
  return fn;
}

const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('the helpers as functions of numbers', (t) => {
  t.is(diurnal(14, 20, 120, 14), 120);
  t.true(close(diurnal(2, 20, 120, 14), 20));
  t.true(close(diurnal(20, 20, 120, 14), 70));
  t.true(close(diurnal(8, 20, 120, 14), 70));
  t.is(weekly(0, 1, 0.4), 1);
  t.is(weekly(4, 1, 0.4), 1);
  t.is(weekly(5, 1, 0.4), 0.4);
  t.is(weekly(6, 1, 0.4), 0.4);
  const rates = Array.from({ length: 24 }, (_, h) => h * 10);
  t.is(hourly(7.5, rates), 70);
  t.is(hourly(8, rates), 75);
  t.is(hourly(0.5, rates), 0);
  t.is(hourly(0, rates), 115); // halfway between 23:30 (230) and 00:30 (0)
  t.is(hourly(23.75, rates), 172.5);
  t.is(ramp(0, 10, 100, 3600, 7200), 10);
  t.is(ramp(5400, 10, 100, 3600, 7200), 55);
  t.is(ramp(9000, 10, 100, 3600, 7200), 100);
  t.is(ramp(3600, 10, 100, 3600, 3600), 10);
  t.is(ramp(3601, 10, 100, 3600, 3600), 100);
  t.is(flash(1799, 1800, 5, 600), 1);
  t.is(flash(1800, 1800, 5, 600), 5);
  t.true(close(flash(2400, 1800, 5, 600), 1 + 4 / Math.E));
  t.is(step(99, 100, 1, 2), 1);
  t.is(step(100, 100, 1, 2), 2);
});

test('the example expressions, at chosen points', async (t) => {
  // The calendar starts on Monday 2025-06-02 00:00 UTC.
  const a = await rateOf('diurnal(20, 120, 15) * weekly(1, 0.5)');
  t.true(close(a(15 * HOUR_S), 120));
  t.true(close(a(3 * HOUR_S), 20));
  t.true(close(a(5 * DAY_S + 15 * HOUR_S), 60)); // Saturday
  t.true(close(a(7 * DAY_S + 15 * HOUR_S), 120)); // Monday again

  const b = await rateOf('ramp(10, 100, 1 h, 2 h)');
  t.deepEqual([0, 3600, 5400, 7200, 99999].map(b), [10, 10, 55, 100, 100]);

  const c = await rateOf('50 * flash(30 min, 5, 10 min)');
  t.is(c(1799), 50);
  t.is(c(1800), 250);
  t.true(close(c(2400), 50 + 200 / Math.E));
  t.true(close(c(DAY_S), 50));

  const d = await rateOf('hourly(1,1,1,1,1,2,4,8,10,10,10,10,10,10,10,10,10,8,6,4,3,2,1,1)');
  t.is(d(7.5 * HOUR_S), 8);
  t.is(d(8 * HOUR_S), 9);
  t.is(d(DAY_S + 19.5 * HOUR_S), 4);

  t.true(close((await rateOf('100/min'))(12345), 100 / 60));
  const e = await rateOf('120 + 30*sin(2*pi*t/3600)');
  t.true(close(e(900), 150));
  t.true(close(e(2700), 90));
});

test('variables: t, minute, and the local hour and day', async (t) => {
  // Paris is UTC+2 in June: Monday 02:00 at the start.
  t.is((await rateOf('t'))(90), 90);
  t.is((await rateOf('minute'))(90), 1.5);
  const hour = await rateOf('hour', 'Europe/Paris');
  t.is(hour(0), 2);
  t.is(hour(22 * HOUR_S + 1800), 0.5);
  const day = await rateOf('day', 'Europe/Paris');
  t.is(day(0), 0);
  t.is(day(21 * HOUR_S), 0);
  t.is(day(22 * HOUR_S), 1);
  t.is(day(6 * DAY_S), 6);
  // A diurnal cycle follows local time: in Paris the 14:00 peak is at 12:00 UTC.
  t.true(close((await rateOf('diurnal(0, 100)', 'Europe/Paris'))(12 * HOUR_S), 100));
  t.true(close((await rateOf('hour < 12 ? 5 : 10', 'America/New_York'))(16 * HOUR_S), 10)); // 12:00 in New York
});

test('units: times in seconds, rates per second, wherever they meet a number', async (t) => {
  t.true(close((await rateOf('1200/min'))(0), 20));
  t.true(close((await rateOf('7200/h'))(0), 2));
  t.true(close((await rateOf('100/s'))(0), 100));
  t.true(close((await rateOf('step(2 h, 10, 20) + 1200/min'))(7200), 40));
  t.true(close((await rateOf('diurnal(6000/min, 12000/min, 14 h)'))(14 * HOUR_S), 200));
  t.true(close((await rateOf('ramp(1/s, 1/ms, 1 d, 2 d)'))(2 * DAY_S), 1000));
  t.true(close((await rateOf('t < 2 h ? 10 : 20'))(7199), 10));
  t.true(close((await rateOf('100 + 50*sin(2*pi*t/(1 d))'))(DAY_S / 4), 150));
  t.true(close((await rateOf('ramp(0, 100, 1 h + 30 min, 2 h)'))(6300), 50));
  t.true(close((await rateOf('diurnal(10, 20 + t/3600)'))(14 * HOUR_S), 34)); // arguments that change with time
});

test('plain arithmetic runs as closures and agrees with mathjs', async (t) => {
  const calendar = new Calendar(MONDAY, 'Europe/Paris');
  const fast = await rateCompiler(calendar);
  const slow = await rateCompiler(calendar, { nativeArithmetic: false });
  for (const text of [
    'diurnal(20, 120, 15) * weekly(1, 0.5)',
    '50 * flash(30 min, 5, 10 min) + ramp(10, 100, 1 h, 2 h) - step(3 h, 5, 1)',
    'hourly(1,1,1,1,1,2,4,8,10,10,10,10,10,10,10,10,10,8,6,4,3,2,1,1)',
    '120 + 30*sin(2*pi*t/3600)',
    'min(t/60, 100) + max(0, 50 - minute) + -t/3600 + 2^(hour/4) + day',
    'sqrt(t) + abs(cos(t)) + log(1 + t) + log10(1 + t) + exp(-t/1e5) + tan(t/1e6)',
    '100/min + diurnal(1/s, 2/s)',
  ]) {
    const a = fast(text);
    const b = slow(text);
    if (typeof a === 'string' || typeof b === 'string') {
      t.fail(`${text}: ${String(a)} / ${String(b)}`);
      continue;
    }
    let differ = 0;
    for (let tS = 0; tS < 8 * DAY_S; tS += 997.3) if (!close(a(tS), b(tS), 1e-12)) differ++;
    t.is(differ, 0, text);
  }
});

test('misuse comes back as one-line messages', async (t) => {
  const compile = await compiler();
  const cases: [string, RegExp][] = [
    ['diurnal(20', /does not parse/],
    ['foo(t)', /unknown function foo/],
    ['x * 2', /unknown variable x .*t, minute, hour, day/],
    ['hourly(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)', /hourly expects 24 rates, one per local hour from 0 to 23, got 23/],
    ['diurnal(1)', /diurnal expects 2 or 3 arguments, got 1: diurnal\(low, high, peakHour = 14\)/],
    ['ramp(1, 2, 3)', /ramp expects 4 arguments, got 3/],
    ['flash(1 h, 5)', /flash expects 3 arguments, got 2/],
    ['weekly(1)', /weekly expects 2 arguments/],
    ['step(1 h, 10)', /step expects 3 arguments/],
    ['ramp(10, 100, 2 h, 1 h)', /ramp\(from, to, start, end\): its end \(3600 s\) comes before its start \(7200 s\)/],
    ['flash(1 h, 3, 0)', /decay must be longer than 0 s/],
    ['ramp(10, 100, 100/min, 2 h)', /start must be a time .*got 100 \/ min/],
    ['ramp(10 m, 100, 1 h, 2 h)', /from must be a rate .*got 10 m/],
    ['flash(1 h, 5/min, 10 min)', /peak must be a plain number/],
    ['5 m', /gives 5 m at t = 0, which is not a rate/],
    ['2 h', /gives 2 h at t = 0, which is not a rate/],
    ['t > 5', /gives false at t = 0, which is not a rate/],
    ['sqrt(t - 100)', /gives 10i at t = 0/],
    ['(2 h) + 3', /cannot be evaluated/],
    ['2 hour', /multiplies by hour, the local hour of day; write a duration as 2 h/],
    ['3 day', /write a duration as 3 d/],
    ['random() * 10', /random cannot be used/],
    ['a = 3', /one formula/],
    ['1; 2', /one formula/],
    ['diurnal * 2', /diurnal .* is a helper to call/],
    ['evaluate("1")', /unknown function evaluate/],
  ];
  for (const [text, pattern] of cases) {
    const out = compile(text);
    if (typeof out !== 'string') {
      t.fail(`${text} compiled`);
      continue;
    }
    t.regex(out, pattern, text);
    t.false(out.includes('\n'), text);
  }
});

test('a rate that has no value somewhere is NaN there, for the arrival process to report', async (t) => {
  const fn = await rateOf('ramp(0, 100, t, 2 h)'); // start passes end at 2 h
  t.is(fn(0), 0);
  t.true(Number.isNaN(fn(3 * HOUR_S)));
  t.throws(() => varyingRateArrivals(fn, 1e6, new Streams(1).stream('arrivals'), 4 * HOUR_S * 1e6).fill(new Float64Array(1e6)), { message: /not a number at t=/ });
});

/** Simpson's rule on [a, b] in `n` (even) intervals; the ends are taken just inside, where a rate may jump. */
function simpson(f: RateFunction, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  const eps = 1e-9;
  let sum = Math.max(0, f(a + eps)) + Math.max(0, f(b - eps));
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * Math.max(0, f(a + i * h));
  return (sum * h) / 3;
}

/** ∫ rate over [a, b], split at the instants where the rate jumps, 0.25 s steps. */
function integral(f: RateFunction, a: number, b: number, jumps: readonly number[] = []): number {
  const cuts = [a, ...jumps.filter((x) => x > a && x < b), b];
  let total = 0;
  for (let i = 1; i < cuts.length; i++) {
    const n = 2 * Math.ceil((cuts[i]! - cuts[i - 1]!) / 0.5);
    total += simpson(f, cuts[i - 1]!, cuts[i]!, n);
  }
  return total;
}

/** Arrival counts in buckets of `bucketS` over [0, endS), from the arrival process on 1 s steps. */
function arrivalCounts(f: RateFunction, seed: number, endS: number, bucketS: number): Float64Array {
  const counts = new Float64Array(Math.ceil(endS / bucketS));
  const arrivals = varyingRateArrivals(f, 1e6, new Streams(seed).stream('arrivals'), endS * 1e6);
  for (let tUs = arrivals.next(); tUs < endS * 1e6; tUs = arrivals.next()) counts[Math.floor(tUs / 1e6 / bucketS)]!++;
  return counts;
}

function sum(xs: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i]!;
  return total;
}

for (const [name, text, zone, startMs, endS, jumps] of [
  ['a diurnal cycle over two days', 'diurnal(2, 12, 15)', 'UTC', MONDAY, 2 * DAY_S, []],
  ['a flash crowd', '50 * flash(30 min, 5, 10 min)', 'UTC', MONDAY, 2 * HOUR_S, [1800]],
  // Three days in Paris from Saturday 2025-03-29 00:00 CET: the Sunday has 23 hours (the
  // clocks jump at 26 h), and the weekend ends at Monday 00:00 CEST (47 h).
  ['an hourly profile across a DST change', 'hourly(1,1,1,1,1,2,4,8,10,10,10,10,10,10,10,10,10,8,6,4,3,2,1,1) * weekly(1, 0.6)', 'Europe/Paris', Date.parse('2025-03-28T23:00:00Z'), 3 * DAY_S, [26 * HOUR_S, 47 * HOUR_S]],
] as const) {
  test(`arrivals match the integral of the rate: ${name}`, async (t) => {
    const f = await rateOf(text, zone, startMs);
    const expected = integral(f, 0, endS, jumps);
    const count = sum(arrivalCounts(f, 7, endS, endS));
    const sd = Math.sqrt(expected);
    t.log(`${text}: ${count} arrivals, integral ${expected.toFixed(1)}, z = ${((count - expected) / sd).toFixed(2)}`);
    t.true(expected > 1e5); // enough arrivals for the test to mean something
    t.true(Math.abs(count - expected) <= Z * sd, `${count} arrivals against ${expected.toFixed(1)} ± ${(Z * sd).toFixed(1)}`);
  });
}

test('arrivals per hour match the rate integrated over each hour (diurnal, two days)', async (t) => {
  const f = await rateOf('diurnal(2, 12, 15)');
  const counts = arrivalCounts(f, 11, 2 * DAY_S, HOUR_S);
  let chi2 = 0;
  let worst = 0;
  for (let h = 0; h < counts.length; h++) {
    const expected = integral(f, h * HOUR_S, (h + 1) * HOUR_S);
    const z = (counts[h]! - expected) / Math.sqrt(expected);
    chi2 += z * z;
    worst = Math.max(worst, Math.abs(z));
  }
  // χ² with 48 degrees of freedom: mean 48; its 99.99 % quantile is 93.2.
  t.log(`48 hours: χ² = ${chi2.toFixed(1)}, largest |z| = ${worst.toFixed(2)}`);
  t.true(worst <= Z);
  t.true(chi2 <= 93.2);
  t.true(chi2 >= 19.75); // its 0.01 % quantile: counts that match too well are a fault too
});

test('arrivals filled a batch at a time are the arrivals one at a time, bit for bit (a varying rate and a constant one)', async (t) => {
  const endUs = 2 * HOUR_S * 1e6;
  const wave = await rateOf('400 * (1 + 0.25 * sin(2 * pi * t / 3600))');
  const processes = [
    ['a rate expression', () => varyingRateArrivals(wave, 1e6, new Streams(3).stream('arrivals'), endUs)],
    ['a constant rate', () => poissonArrivals(400, new Streams(3).stream('arrivals'))],
  ] as const;
  for (const [name, make] of processes) {
    const one = make();
    const batched = make();
    const buf = new Float64Array(256);
    let differ = 0;
    for (let b = 0; b < 400; b++) {
      batched.fill(buf);
      for (let i = 0; i < buf.length; i++) if (!Object.is(buf[i], one.next())) differ++;
    }
    t.is(differ, 0, name);
  }
});
