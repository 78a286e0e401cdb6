/**
 * `dynosim fit`: the maximum-likelihood fits recover known parameters and pick the right
 * family; a seeded synthetic router log of known routes, service times and hourly rates
 * is fitted back within stated tolerances into a scenario of the agreed shape; and the
 * command fails cleanly on bad input.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Streams, type Uniform } from '../src/engine/streams.ts';
import { lognormal } from '../src/model/traffic/service/lognormal.ts';
import { weibull } from '../src/model/traffic/service/weibull.ts';
import type { ServiceDistribution } from '../src/model/traffic/service/ServiceDistribution.ts';
import { logLine, routerMessage, type LogEra, type LogFormat, type RouterLogRecord } from '../src/model/logs/format.ts';
import { fwdAddress, requestId } from '../src/model/logs/ids.ts';
import {
  fitBoth,
  fitLognormal,
  fitWeibull,
  ksStatistic,
  lognormalCdf,
  lognormalLogLik,
  normalCdf,
  sortedCopy,
  weibullCdf,
  weibullLogLik,
} from '../src/studies/fit/mle.ts';
import { fitLog, type LogFit } from '../src/studies/fit/fitLog.ts';
import { FitError } from '../src/studies/fit/FitError.ts';
import { Reservoir } from '../src/studies/fit/Reservoir.ts';
import { rateProfile, rateText, QUARTER_US } from '../src/studies/fit/rateProfile.ts';
import { scenarioText } from '../src/studies/fit/scenarioText.ts';
import { utcOffsetMinutes } from '../src/studies/fit/fitLog.ts';
import { weightsOf } from '../src/studies/fit/weights.ts';
import { durationText, grouped, sig3 } from '../src/studies/fit/numbers.ts';
import type { FittedClass } from '../src/studies/fit/classes.ts';
import { dynosim } from './helpers/cli.ts';

const HOUR_US = 3_600_000_000;

function draws(dist: ServiceDistribution, u: Uniform, n: number): Float64Array {
  const out = new Float64Array(n);
  dist.filler(u).fill(out);
  return out;
}

// ---------------------------------------------------------------------------------------
// Maximum likelihood on samples drawn from known distributions (n = 20 000, seeded).

const N = 20_000;
const LN_MU = Math.log(45);
const LN_SIGMA = 0.8;
const WB_SHAPE = 1.5;
const WB_SCALE = 300;

test('lognormal MLE recovers mu within 0.02 and sigma within 3%, and is chosen over Weibull', (t) => {
  const xs = draws(lognormal(LN_MU, LN_SIGMA), new Streams(11).stream('lognormal'), N);
  const f = fitLognormal(xs);
  t.true(Math.abs(f.mu - LN_MU) < 0.02, `mu ${f.mu}`);
  t.true(Math.abs(f.sigma / LN_SIGMA - 1) < 0.03, `sigma ${f.sigma}`);
  t.true(Math.abs(f.logLik - lognormalLogLik(xs, f.mu, f.sigma)) < 1e-6 * Math.abs(f.logLik));
  // A maximum: moving either parameter lowers the likelihood.
  for (const [dm, ds] of [[0.01, 0], [-0.01, 0], [0, 0.01], [0, -0.01]] as const) {
    t.true(lognormalLogLik(xs, f.mu + dm, f.sigma + ds) < f.logLik);
  }
  const best = fitBoth(xs);
  t.is(best.chosen.family, 'lognormal');
  // KS: the right family within sampling noise (1% critical value 1.63/√n = 0.0115), the wrong one clearly off.
  t.true(best.chosen.ksD < 0.0115, `D lognormal ${best.chosen.ksD}`);
  t.true(best.other.ksD > 0.03 && best.other.ksD > 3 * best.chosen.ksD, `D weibull ${best.other.ksD}`);
  t.true(best.chosen.aic < best.other.aic);
});

test('Weibull MLE recovers shape and scale within 3%, and is chosen over lognormal', (t) => {
  const xs = draws(weibull(WB_SHAPE, WB_SCALE), new Streams(12).stream('weibull'), N);
  const f = fitWeibull(xs);
  t.true(Math.abs(f.shape / WB_SHAPE - 1) < 0.03, `shape ${f.shape}`);
  t.true(Math.abs(f.scale / WB_SCALE - 1) < 0.03, `scale ${f.scale}`);
  for (const [dk, dl] of [[0.01, 0], [-0.01, 0], [0, 1], [0, -1]] as const) {
    t.true(weibullLogLik(xs, f.shape + dk, f.scale + dl) < f.logLik);
  }
  const best = fitBoth(xs);
  t.is(best.chosen.family, 'weibull');
  t.true(best.chosen.ksD < 0.0115, `D weibull ${best.chosen.ksD}`);
  t.true(best.other.ksD > 0.03 && best.other.ksD > 3 * best.chosen.ksD, `D lognormal ${best.other.ksD}`);
});

test('Weibull MLE holds for heavy and tight tails, and for values in µs', (t) => {
  for (const [shape, scale] of [[0.6, 2_000_000], [4, 80]] as const) {
    const xs = draws(weibull(shape, scale), new Streams(13).stream(`weibull-${shape}`), N);
    const f = fitWeibull(xs);
    t.true(Math.abs(f.shape / shape - 1) < 0.03, `shape ${f.shape} for ${shape}`);
    t.true(Math.abs(f.scale / scale - 1) < 0.03, `scale ${f.scale} for ${scale}`);
  }
});

test('KS statistic and CDFs: exact on small cases, samples must not be degenerate', (t) => {
  t.true(Math.abs(normalCdf(0) - 0.5) < 1e-7);
  t.true(Math.abs(normalCdf(1.959963985) - 0.975) < 1e-7);
  t.true(Math.abs(lognormalCdf(Math.log(45), 0.8)(45) - 0.5) < 1e-7);
  t.true(Math.abs(weibullCdf(2, 10)(10) - (1 - Math.exp(-1))) < 1e-12);
  // Uniform CDF on [0,1] against {0.25, 0.75}: D = 0.25.
  t.true(Math.abs(ksStatistic(sortedCopy([0.75, 0.25]), (x) => x) - 0.25) < 1e-12);
  // Rounded values compared at the ends of their intervals: {0.25, 0.75} as halves of [0, 1] fit exactly.
  t.true(ksStatistic(sortedCopy([0.75, 0.25]), (x) => x, 0.5) < 1e-12);
  t.throws(() => fitLognormal([5, 5, 5]), { instanceOf: RangeError });
  t.throws(() => fitWeibull([1]), { instanceOf: RangeError });
  t.throws(() => fitWeibull([1, 0]), { instanceOf: RangeError });
});

test('a reservoir keeps a bounded uniform sample; weights sum to 1 in thousandths', (t) => {
  const r = new Reservoir(1000, new Streams(1).stream('r'));
  for (let i = 0; i < 100_000; i++) r.add(i);
  t.is(r.size, 1000);
  t.is(r.seen, 100_000);
  const mean = r.sample().reduce((a, b) => a + b, 0) / 1000;
  // Uniform on 0..99 999: mean 50 000, sd of the mean 28 868/√1000 = 913.
  t.true(Math.abs(mean - 50_000) < 3000, `mean ${mean}`);
  const w = weightsOf([412, 31, 556, 1]);
  t.is(Math.round(w.reduce((a, b) => a + b, 0) * 1000), 1000);
  t.true(w.every((x) => x >= 0.001));
  t.deepEqual(weightsOf([1, 1, 1]).map((x) => x.toFixed(3)), ['0.334', '0.333', '0.333']);
});

test('numbers are written to three significant digits with units the scenario parser reads', (t) => {
  t.is(sig3(8.4123), '8.41');
  t.is(sig3(1234), '1230');
  t.is(sig3(0.0012345), '0.00123');
  t.is(durationText(45_234), '45.2ms');
  t.is(durationText(1_299_000), '1.3s');
  t.is(durationText(310_400), '310ms');
  t.is(durationText(999_700), '1s');
  t.is(durationText(500), '0.5ms');
});

test('the rate profile follows local hours of the time zone and counts only covered time', (t) => {
  // 10:00 to 13:00 UTC on a summer day at 2/s, 4/s, 6/s; Paris is UTC+2 then.
  const start = Date.UTC(2025, 5, 3, 10) * 1000;
  const counts = new Map<number, number>();
  [2, 4, 6].forEach((r, h) => {
    for (let q = 0; q < 4; q++) counts.set(Math.floor((start + h * HOUR_US) / QUARTER_US) + q, r * 900);
  });
  const utc = rateProfile(counts, start, start + 3 * HOUR_US, utcOffsetMinutes('UTC'));
  const paris = rateProfile(counts, start, start + 3 * HOUR_US, utcOffsetMinutes('Europe/Paris'));
  if (utc.kind !== 'hourly' || paris.kind !== 'hourly') return t.fail('expected hourly profiles');
  t.deepEqual(utc.ratesPerS.slice(10, 13), [2, 4, 6]);
  t.deepEqual(paris.ratesPerS.slice(12, 15), [2, 4, 6]);
  // Hours never covered take the mean of the covered ones.
  t.is(utc.ratesPerS[0], 4);
  t.is(rateText(utc).split(',').length, 24);
  t.true(rateText(utc).startsWith('hourly(4, 4,'));
  // A log under two hours gets one constant rate.
  const short = rateProfile(new Map([[Math.floor(start / QUARTER_US), 9000]]), start, start + 15 * 60e6, utcOffsetMinutes('UTC'));
  t.deepEqual(short, { kind: 'constant', ratePerS: 10 });
  t.is(rateText(short), '10/s');
  t.is(rateText({ kind: 'constant', ratePerS: 0.5 }), '30/min');
});

// ---------------------------------------------------------------------------------------
// A synthetic router log of known routes, service times and hourly rates.

interface RouteSpec {
  readonly method: string;
  readonly path: (i: number) => string;
  readonly weight: number;
  readonly service: ServiceDistribution;
}

interface LogSpec {
  readonly seed: number;
  readonly startUs: number;
  readonly spanUs: number;
  /** Requests per second by UTC hour of day. */
  readonly ratePerS: (utcHour: number) => number;
  readonly routes: readonly RouteSpec[];
  readonly dynos: number;
  readonly era: LogEra;
  readonly format: LogFormat;
  /** Share of requests that end in H12, and in a 500 from the app. */
  readonly h12Share: number;
  readonly status500Share: number;
}

const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: (i) => `/products/${1000 + (i % 977)}`, weight: 0.6, service: lognormal(Math.log(45_000), 0.8) },
  { method: 'POST', path: () => '/checkout', weight: 0.25, service: weibull(1.5, 300_000) },
  { method: 'GET', path: (i) => (i % 2 === 0 ? '/' : '/?ref=mail'), weight: 0.13, service: lognormal(Math.log(12_000), 0.5) },
  // Four rare routes of 0.5% each: pooled into "other".
  ...['/about', '/help', '/terms', '/sitemap.xml'].map((p) => ({ method: 'GET', path: () => p, weight: 0.005, service: lognormal(Math.log(80_000), 1) })),
];

/** Rates by UTC hour for a log from 06:20 to 12:20. */
const HOURLY: Readonly<Record<number, number>> = { 6: 3, 7: 4, 8: 6, 9: 8, 10: 7, 11: 5, 12: 4 };
const START_US = Date.UTC(2025, 5, 3, 6, 20) * 1000;

/** Router lines (and some app output) in the order the router writes them: by the time each request ends. */
function syntheticLog(spec: LogSpec): string[] {
  const streams = new Streams(spec.seed);
  const uArrival = streams.stream('arrivals');
  const uPick = streams.stream('pick');
  const fillers = spec.routes.map((r, i) => r.service.filler(streams.stream(`service-${i}`)));
  const buf = new Float64Array(1);
  const cumulative: number[] = [];
  spec.routes.reduce((s, r) => (cumulative.push(s + r.weight), s + r.weight), 0);
  const lines: Array<{ tUs: number; text: string }> = [];
  const end = spec.startUs + spec.spanUs;
  let t = spec.startUs;
  for (let i = 0; ; ) {
    const hour = Math.floor(t / HOUR_US);
    const boundary = (hour + 1) * HOUR_US;
    const gapUs = (-Math.log(1 - uArrival.next()) / spec.ratePerS(hour % 24)) * 1e6;
    if (t + gapUs >= boundary) {
      t = boundary; // memoryless: start afresh at the hour's rate
      if (t >= end) break;
      continue;
    }
    t += gapUs;
    if (t >= end) break;
    const x = uPick.next() * cumulative[cumulative.length - 1]!;
    const k = cumulative.findIndex((c) => x < c);
    const route = spec.routes[k]!;
    fillers[k]!.fill(buf);
    const outcome = uPick.next();
    const connectMs = Math.floor(uPick.next() * 2);
    const dyno = `web.${1 + Math.floor(uPick.next() * spec.dynos)}`;
    const h12 = outcome < spec.h12Share;
    const serviceMs = h12 ? 30_000 : Math.floor(buf[0]! / 1000);
    const doneUs = Math.floor(t) + connectMs * 1000 + (h12 ? 30_000_000 : buf[0]!);
    const record: RouterLogRecord = {
      epochUs: doneUs,
      method: route.method,
      path: route.path(i),
      host: 'example-app.herokuapp.com',
      requestId: requestId(spec.seed, i),
      fwd: fwdAddress(spec.seed, i),
      dyno,
      connectMs,
      serviceMs,
      status: h12 || outcome < spec.h12Share + spec.status500Share ? (h12 ? 503 : 500) : 200,
      bytes: h12 ? 0 : 1234,
      protocol: 'https',
      code: h12 ? 'H12' : null,
    };
    lines.push({ tUs: doneUs, text: logLine(doneUs, 'heroku', 'router', routerMessage(record, spec.era), spec.format) });
    if (i % 40 === 0) lines.push({ tUs: doneUs, text: logLine(doneUs, 'app', dyno, `Completed 200 OK in ${serviceMs}ms`, spec.format) });
    i++;
  }
  lines.sort((a, b) => a.tUs - b.tUs);
  return lines.map((l) => l.text);
}

const SIX_HOURS: LogSpec = {
  seed: 5,
  startUs: START_US,
  spanUs: 6 * HOUR_US,
  ratePerS: (h) => HOURLY[h] ?? 0,
  routes: ROUTES,
  dynos: 4,
  era: 'heroku-2025',
  format: 'plain',
  h12Share: 0.01,
  status500Share: 0.005,
};

function byName(fit: LogFit, name: string): FittedClass {
  const c = fit.classes.find((k) => k.name === name);
  if (c === undefined) throw new Error(`no class ${name} in ${fit.classes.map((k) => k.name).join(', ')}`);
  return c;
}

let sixHourLog: string[] | undefined;
function sixHours(): string[] {
  sixHourLog ??= syntheticLog(SIX_HOURS);
  return sixHourLog;
}

test('fit recovers routes, service times, weights, hourly rates and dynos from a 6-hour log', async (t) => {
  const lines = [...sixHours()];
  // Unreadable lines are skipped, counted and reported by line number.
  lines.splice(10, 0, 'this is not a log line');
  lines.splice(20, 0, lines[21]!.replace('status=200', 'status=abc'));
  const fit = await fitLog(lines);
  t.is(fit.malformed, 2);
  t.deepEqual(fit.skipped.map((s) => s.line), [11, 21]);
  t.true(fit.otherLines > 0);
  t.is(fit.routerLines + fit.otherLines + fit.malformed, lines.length);
  t.deepEqual(fit.webDynos, ['web.1', 'web.2', 'web.3', 'web.4']);
  t.deepEqual(fit.classes.map((c) => c.name), ['GET /products/:id', 'POST /checkout', 'GET /', 'other']);
  t.is(byName(fit, 'other').routes, 4);

  // Tolerances: lognormal median within 2% and sigma within 3%; Weibull shape and scale
  // within 3% (samples of 15 000 to 50 000; the log's whole milliseconds are read as their middle).
  const products = byName(fit, 'GET /products/:id').service;
  const checkout = byName(fit, 'POST /checkout').service;
  const root = byName(fit, 'GET /').service;
  if (products.kind !== 'fit' || checkout.kind !== 'fit' || root.kind !== 'fit') return t.fail('expected fitted classes');
  for (const [s, medianMs, sigma] of [[products, 45, 0.8], [root, 12, 0.5]] as const) {
    if (s.chosen.family !== 'lognormal') return t.fail(`expected lognormal, got ${s.chosen.family}`);
    t.true(Math.abs(Math.exp(s.chosen.mu) / medianMs - 1) < 0.02, `median ${Math.exp(s.chosen.mu)} for ${medianMs}`);
    t.true(Math.abs(s.chosen.sigma / sigma - 1) < 0.03, `sigma ${s.chosen.sigma} for ${sigma}`);
    t.true(s.chosen.ksD < 0.02 && s.other.ksD > 2 * s.chosen.ksD, `D ${s.chosen.ksD} against ${s.other.ksD}`);
  }
  if (checkout.chosen.family !== 'weibull') return t.fail(`expected weibull, got ${checkout.chosen.family}`);
  t.true(Math.abs(checkout.chosen.shape / 1.5 - 1) < 0.03, `shape ${checkout.chosen.shape}`);
  t.true(Math.abs(checkout.chosen.scale / 300 - 1) < 0.03, `scale ${checkout.chosen.scale}`);
  t.true(checkout.chosen.ksD < 0.02 && checkout.other.ksD > 2 * checkout.chosen.ksD);
  // The sample per route is bounded; counts stay exact.
  const p = byName(fit, 'GET /products/:id');
  t.is(p.sampleSize, 50_000);
  t.true(p.answered > 50_000);

  // Weights within 0.01 of the routes' shares, summing to 1.
  const expected: Record<string, number> = { 'GET /products/:id': 0.6, 'POST /checkout': 0.25, 'GET /': 0.13, other: 0.02 };
  for (const c of fit.classes) t.true(Math.abs(c.weight - expected[c.name]!) < 0.01, `${c.name} weight ${c.weight}`);
  t.is(Math.round(fit.classes.reduce((s, c) => s + c.weight, 0) * 1000), 1000);

  // Hourly rates within 10% for the hours the log covers (06:20-12:20 UTC); the others hold the mean.
  if (fit.rate.kind !== 'hourly') return t.fail('expected an hourly rate');
  for (const [h, r] of Object.entries(HOURLY)) {
    t.true(Math.abs(fit.rate.ratesPerS[Number(h)]! / r - 1) < 0.1, `hour ${h}: ${fit.rate.ratesPerS[Number(h)]} for ${r}`);
  }
  const rates = fit.rate.ratesPerS;
  const mean = Object.keys(HOURLY).reduce((s, h) => s + rates[Number(h)]!, 0) / 7;
  t.true(Math.abs(rates[0]! - mean) < 1e-9);

  // The scenario text parses into the agreed shape.
  const yaml = scenarioText(fit, { file: 'router.log', name: 'router', platform: 'heroku-2025', size: 'standard-1x', concurrency: 2 });
  const doc = parseYaml(yaml) as Record<string, any>;
  t.deepEqual(Object.keys(doc), ['name', 'description', 'platform', 'seed', 'duration', 'calendar', 'formation', 'router', 'traffic']);
  t.is(doc.name, 'router');
  t.true((doc.description as string).startsWith(`Fitted by dynosim fit from router.log: ${fit.requests} requests, 2025-06-03T06:20:`));
  t.is(doc.platform, 'heroku-2025');
  t.is(doc.seed, 1);
  t.is(doc.duration, '6h');
  t.deepEqual(doc.calendar, { start: '2025-06-03T06:20:00Z', timezone: 'UTC' });
  t.deepEqual(doc.formation, { web: { count: 4, size: 'standard-1x', concurrency: 2 } });
  t.deepEqual(doc.router, { policy: 'random' });
  t.deepEqual(Object.keys(doc.traffic), ['rate', 'classes']);
  t.regex(doc.traffic.rate, /^hourly\((\d+(\.\d+)?, ){23}\d+(\.\d+)?\)$/);
  t.deepEqual(doc.traffic.classes.map((c: { name: string }) => c.name), ['GET /products/:id', 'POST /checkout', 'GET /', 'other']);
  const [first, second] = doc.traffic.classes;
  t.deepEqual(Object.keys(first.service), ['distribution', 'median', 'sigma']);
  t.is(first.service.distribution, 'lognormal');
  t.regex(first.service.median, /^\d+(\.\d+)?ms$/);
  t.deepEqual(Object.keys(second.service), ['distribution', 'shape', 'scale']);
  t.regex(second.service.scale, /^\d+(\.\d+)?ms$/);
  t.is(Math.round(doc.traffic.classes.reduce((s: number, c: { weight: number }) => s + c.weight, 0) * 1000), 1000);
  t.true(yaml.startsWith('# Fitted by dynosim fit from router.log: '));
  t.true(yaml.includes('# GET /products/:id: ') && yaml.includes('KS D'));
});

test('fit reads drain frames of the 2013 era; a short log gets a constant rate', async (t) => {
  const lines = syntheticLog({ ...SIX_HOURS, spanUs: HOUR_US / 2, ratePerS: () => 5, era: 'heroku-2013', format: 'drain', dynos: 2 });
  const fit = await fitLog(lines, { maxClasses: 2, timeZone: 'America/New_York' });
  t.is(fit.malformed, 0);
  t.deepEqual(fit.webDynos, ['web.1', 'web.2']);
  t.deepEqual(fit.classes.map((c) => c.name), ['GET /products/:id', 'other']);
  if (fit.rate.kind !== 'constant') return t.fail('expected a constant rate');
  t.true(Math.abs(fit.rate.ratePerS / 5 - 1) < 0.05, `rate ${fit.rate.ratePerS}`);
  const doc = parseYaml(scenarioText(fit, { file: 'd.log', name: 'd', platform: 'heroku-2013', size: '1X', concurrency: 1 }));
  t.regex(doc.traffic.rate, /^\d+(\.\d+)?\/s$/);
  t.is(doc.duration, '30m');
  t.is(doc.calendar.timezone, 'America/New_York');
});

test('fit gives the same result for the same lines', async (t) => {
  const lines = sixHours().slice(0, 20_000);
  const a = await fitLog(lines, { sampleCap: 1000 });
  const b = await fitLog(lines, { sampleCap: 1000 });
  t.deepEqual(a, b);
});

test('fit refuses a log with no router line, or none answered', async (t) => {
  await t.throwsAsync(fitLog(['garbage', 'more garbage']), { instanceOf: FitError, message: /no readable router line \(line 1: / });
  await t.throwsAsync(fitLog(['2025-06-03T00:00:00.000000+00:00 app[web.1]: hello']), { instanceOf: FitError, message: /no router line/ });
  await t.throwsAsync(fitLog(['', '']), { instanceOf: FitError, message: /is empty/ });
  const h12 = '2025-06-03T00:00:30.000000+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/" host=a.herokuapp.com fwd="1.2.3.4" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0';
  await t.throwsAsync(fitLog([h12]), { instanceOf: FitError, message: /no service time to fit/ });
});

test('a route whose answers all took one time is a constant; an "other" with no answers is fitted on the whole log', async (t) => {
  const line = (i: number, path: string, serviceMs: number, code = ''): string =>
    `2025-06-03T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000+00:00 heroku[router]: ` +
    (code === ''
      ? `at=info method=GET path="${path}" host=a.herokuapp.com fwd="1.2.3.4" dyno=web.2 connect=0ms service=${serviceMs}ms status=200 bytes=10 protocol=https`
      : `at=error code=${code} desc="Request timeout" method=GET path="${path}" host=a.herokuapp.com fwd="1.2.3.4" dyno=web.2 connect=0ms service=30000ms status=503 bytes=0 protocol=https`);
  const lines = [
    ...Array.from({ length: 100 }, (_, i) => line(i, '/a', 20)),
    ...Array.from({ length: 60 }, (_, i) => line(100 + i, '/b', 10 + ((i * 37) % 50))),
    ...Array.from({ length: 3 }, (_, i) => line(160 + i, '/c', 0, 'H12')),
  ];
  const fit = await fitLog(lines);
  t.deepEqual(fit.classes.map((c) => c.name), ['GET /a', 'GET /b', 'other']);
  t.deepEqual(fit.webDynos, ['web.2']);
  const [a, , other] = fit.classes;
  t.deepEqual(a!.service, { kind: 'constant', valueMs: 20.5 });
  t.true(other!.fittedOnAll);
  t.is(other!.answered, 0);
  t.is(other!.service.kind, 'fit');
  const yaml = scenarioText(fit, { file: 'x.log', name: 'x', platform: 'heroku-2025', size: 'standard-1x', concurrency: 1 });
  t.true(yaml.includes('service: { distribution: constant, value: 20.5ms }'));
  t.true(yaml.includes('fitted on every answered request of the log'));
  const doc = parseYaml(yaml);
  t.is(doc.formation.web.count, 1);
  t.regex(doc.traffic.rate, /^\d+(\.\d+)?\/s$/);
  // At most max-classes classes, "other" included.
  const one = await fitLog(lines, { maxClasses: 1 });
  t.deepEqual(one.classes.map((c) => [c.name, c.weight]), [['other', 1]]);
});

// ---------------------------------------------------------------------------------------
// The command.

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-fit-'));
}

let cliLog: string | undefined;
/** A 3-hour log in a file of its own folder. */
function cliLogFile(): string {
  if (cliLog === undefined) {
    cliLog = join(scratch(), 'prod router.log');
    writeFileSync(cliLog, syntheticLog({ ...SIX_HOURS, spanUs: 3 * HOUR_US, ratePerS: () => 1 }).join('\n') + '\n');
  }
  return cliLog;
}

test('dynosim fit writes <log name>.fitted.yaml in the current folder and prints a table', (t) => {
  const dir = scratch();
  const r = dynosim(['fit', cliLogFile(), '--concurrency', '4'], dir);
  t.is(r.status, 0, r.stderr);
  t.is(r.stderr, '');
  const out = join(dir, 'prod router.fitted.yaml');
  t.true(existsSync(out));
  const doc = parseYaml(readFileSync(out, 'utf8'));
  t.is(doc.name, 'prod-router');
  t.deepEqual(doc.formation, { web: { count: 4, size: 'standard-1x', concurrency: 4 } });
  t.true(readFileSync(out, 'utf8').startsWith('# Fitted by dynosim fit from prod router.log: '));
  t.regex(r.stdout, /GET \/products\/:id +[\d,]+ +\d+\.\d% +lognormal median/);
  t.regex(r.stdout, /wrote prod router\.fitted\.yaml/);
});

test('dynosim fit: bad input is one line and exit status 2', (t) => {
  const dir = scratch();
  const missing = dynosim(['fit', 'no-such.log'], dir);
  t.is(missing.status, 2);
  t.is(missing.stderr, 'dynosim: no-such.log: no such file\n');

  writeFileSync(join(dir, 'junk.log'), 'one\ntwo\n');
  const junk = dynosim(['fit', 'junk.log'], dir);
  t.is(junk.status, 2);
  t.regex(junk.stderr, /^dynosim: junk\.log: has no readable router line \(line 1: .*\): nothing to fit\n$/);
  t.false(existsSync(join(dir, 'junk.fitted.yaml')));

  writeFileSync(join(dir, 'taken.yaml'), 'keep me\n');
  const taken = dynosim(['fit', cliLogFile(), '-o', 'taken.yaml'], dir);
  t.is(taken.status, 2);
  t.is(taken.stderr, 'dynosim: taken.yaml: already exists (use --force to replace it)\n');
  t.is(readFileSync(join(dir, 'taken.yaml'), 'utf8'), 'keep me\n');
  t.is(dynosim(['fit', cliLogFile(), '-o', 'taken.yaml', '--force'], dir).status, 0);
  t.not(readFileSync(join(dir, 'taken.yaml'), 'utf8'), 'keep me\n');

  const size = dynosim(['fit', cliLogFile(), '--platform', 'heroku-2013', '--size', 'standard-1x', '-o', 'x.yaml'], dir);
  t.is(size.status, 2);
  t.is(size.stderr.split('\n').length, 2, size.stderr);
  t.regex(size.stderr, /--size standard-1x: not a dyno size of heroku-2013/);
  const zone = dynosim(['fit', cliLogFile(), '--timezone', 'Mars/Olympus', '-o', 'x.yaml'], dir);
  t.is(zone.status, 2);
  t.is(zone.stderr.split('\n').length, 2, zone.stderr);
});

test('dynosim fit reports unreadable lines on stderr and goes on', (t) => {
  const dir = scratch();
  const lines = readFileSync(cliLogFile(), 'utf8').split('\n');
  lines.splice(3, 0, 'garbage one');
  lines.splice(7, 0, '2025-06-03T06:20:00.000000+00:00 heroku[router]: at=info method=GET');
  writeFileSync(join(dir, 'mixed.log'), lines.join('\n'));
  const r = dynosim(['fit', 'mixed.log'], dir);
  t.is(r.status, 0, r.stderr);
  const err = r.stderr.trimEnd().split('\n');
  t.is(err[0], `mixed.log: skipped 2 unreadable lines of ${grouped(lines.length - 1)}:`);
  t.regex(err[1]!, /^ {2}line 4: /);
  t.regex(err[2]!, /^ {2}line 8: router line has no \w+= field/);
});

test('dynosim run runs a fitted scenario', (t) => {
  const dir = scratch();
  t.is(dynosim(['fit', cliLogFile(), '-o', 'fitted.yaml'], dir).status, 0);
  const r = dynosim(['run', 'fitted.yaml', '--set', 'duration=20m', '--out', 'results', '--quiet'], dir);
  t.is(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'results', 'summary.json'), 'utf8'));
  t.true(summary.requests.arrived > 0);
});
