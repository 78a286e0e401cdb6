/**
 * Writes the sample router log shipped for `traffic: { replay: … }`: twenty minutes of a
 * shop app on four web dynos, as `heroku logs` prints it today, so users can try replay
 * before they export their own logs and see what dynosim makes of a real-looking one.
 *
 *   node scripts/make-replay-log.ts [out]      (default scenarios/replay/router.log)
 *
 * The traffic: Tuesday 2025-06-03 from 14:00 UTC, about 7 requests a second rising to 9
 * (a non-homogeneous Poisson process, drawn by thinning); a storefront's routes, each with
 * its own log-normal service time; a few 404s; five H12 timeouts and two H13s. The router
 * writes each line when the response ends, so lines are in order of responses and the
 * arrivals in them are not. Among them, the app's own output on a few lines and three
 * malformed lines (a truncated line, a garbled timestamp, `service=abc`), as logs
 * collected in the wild have, so the replay's malformed-line report has something to show.
 *
 * Deterministic: every draw comes from named streams of one seed, ids from the log id
 * hash, so the file is the same byte for byte on every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Streams, type Uniform } from '../src/engine/streams.ts';
import { logLine, routerMessage, type RouterLogRecord } from '../src/model/logs/format.ts';
import { fwdAddress, requestId, responseBytes } from '../src/model/logs/ids.ts';
import { formatLogTime } from '../src/model/logs/timestamp.ts';

const OUT = process.argv[2] ?? 'scenarios/replay/router.log';
const SEED = 20250603;
const START_US = Date.UTC(2025, 5, 3, 14, 0, 0) * 1000;
const DURATION_S = 20 * 60;
const HOST = 'example-shop.herokuapp.com';
const DYNOS = 4;

/** Requests per second at `tS` seconds: 7 rising to 9 over the twenty minutes. */
const rateAt = (tS: number): number => 7 + (2 * tS) / DURATION_S;
const PEAK_RATE = 9;

interface Route {
  /** The route's name (`GET /products/:id`), for choosing which requests time out. */
  readonly name: string;
  readonly method: string;
  readonly path: (u: Uniform) => string;
  readonly weight: number;
  /** Log-normal service time: median ms and sigma of its logarithm. */
  readonly medianMs: number;
  readonly sigma: number;
}

/** A product id, the popular ones more often (1 to 400). */
const productId = (u: Uniform): number => 1 + Math.floor(400 * u.next() ** 2);
const ASSETS = ['/assets/application-8f3c2a1b.css', '/assets/application-1d9e77c0.js', '/assets/logo-5b21e0.svg'];
const SEARCHES = ['boots', 'rain+jacket', 'socks', 'gift+card', 'sale', 'wool+hat'];

const ROUTES: readonly Route[] = [
  { name: 'GET /', method: 'GET', path: () => '/', weight: 18, medianMs: 35, sigma: 0.5 },
  { name: 'GET /products/:id', method: 'GET', path: (u) => `/products/${productId(u)}`, weight: 34, medianMs: 70, sigma: 0.6 },
  { name: 'GET /products/:id/reviews', method: 'GET', path: (u) => `/products/${productId(u)}/reviews`, weight: 9, medianMs: 140, sigma: 0.7 },
  { name: 'POST /cart', method: 'POST', path: () => '/cart', weight: 8, medianMs: 55, sigma: 0.4 },
  { name: 'POST /checkout', method: 'POST', path: () => '/checkout', weight: 3, medianMs: 450, sigma: 0.6 },
  { name: 'GET /assets/…', method: 'GET', path: (u) => ASSETS[Math.floor(u.next() * ASSETS.length)]!, weight: 24, medianMs: 3, sigma: 0.5 },
  { name: 'GET /search', method: 'GET', path: (u) => `/search?q=${SEARCHES[Math.floor(u.next() * SEARCHES.length)]}`, weight: 4, medianMs: 220, sigma: 0.9 },
];
const TOTAL_WEIGHT = ROUTES.reduce((s, r) => s + r.weight, 0);

/**
 * Timeouts (H12) and closed connections (H13): the first slow request (a checkout, a
 * review page, a search) at or after each of these request numbers.
 */
const H12_FROM = [1234, 3456, 5678, 6789, 8321];
const H13_FROM = [2468, 7531];
const SLOW = new Set(['POST /checkout', 'GET /products/:id/reviews', 'GET /search']);

const streams = new Streams(SEED);
const arrivals = streams.stream('arrivals');
const routes = streams.stream('routes');
const paths = streams.stream('paths');
const service = streams.stream('service');
const dynos = streams.stream('dynos');
const statuses = streams.stream('statuses');

function standardNormal(u: Uniform): number {
  return Math.sqrt(-2 * Math.log(1 - u.next())) * Math.cos(2 * Math.PI * u.next());
}

function pickRoute(u: Uniform): Route {
  let x = u.next() * TOTAL_WEIGHT;
  for (const r of ROUTES) {
    x -= r.weight;
    if (x < 0) return r;
  }
  return ROUTES[ROUTES.length - 1]!;
}

/** A line and where it goes: by the time it is written, then by the order it was made. */
const lines: { atUs: number; order: number; text: string }[] = [];
const add = (atUs: number, text: string): void => {
  lines.push({ atUs, order: lines.length, text });
};

let tS = 0;
let index = 0;
for (;;) {
  tS += -Math.log(1 - arrivals.next()) / PEAK_RATE;
  if (tS >= DURATION_S) break;
  if (arrivals.next() * PEAK_RATE >= rateAt(tS)) continue; // thinned out
  const i = index++;
  const route = pickRoute(routes);
  const path = route.path(paths);
  const arrivalUs = START_US + Math.floor(tS * 1e6);
  const dyno = 1 + Math.floor(dynos.next() * DYNOS);
  const connectMs = dynos.next() < 0.1 ? 1 : 0;
  let serviceMs = Math.max(1, Math.round(route.medianMs * Math.exp(route.sigma * standardNormal(service))));
  let code: RouterLogRecord['code'] = null;
  let status = route.method === 'POST' ? 302 : 200;
  const slow = SLOW.has(route.name);
  if (slow && H12_FROM.length > 0 && i >= H12_FROM[0]!) {
    H12_FROM.shift();
    code = 'H12';
    serviceMs = 30_000;
  } else if (slow && H13_FROM.length > 0 && i >= H13_FROM[0]!) {
    H13_FROM.shift();
    code = 'H13';
  } else if (route === ROUTES[1] && statuses.next() < 0.02) {
    status = 404;
  }
  if (code !== null) status = 503;
  const endUs = arrivalUs + (connectMs + serviceMs) * 1000 + Math.floor(dynos.next() * 1000);
  const record: RouterLogRecord = {
    epochUs: endUs,
    method: route.method,
    path,
    host: HOST,
    requestId: requestId(SEED, i),
    fwd: fwdAddress(SEED, i),
    dyno: `web.${dyno}`,
    connectMs,
    serviceMs,
    status,
    bytes: code === null ? responseBytes(SEED, i) : 0,
    protocol: 'https',
    code,
  };
  add(endUs, logLine(endUs, 'heroku', 'router', routerMessage(record, 'heroku-2025'), 'plain'));
  // The app's own log, now and then: Rails' request log line, and an error for the timeouts.
  if (i % 211 === 17) {
    const message = `I, [${formatLogTime(endUs - 1000).slice(0, 26)} #${2 + dyno}]  INFO -- : [${record.requestId}] Completed ${status} in ${serviceMs}ms`;
    add(endUs - 1000, logLine(endUs - 1000, 'app', `web.${dyno}`, message, 'plain'));
  }
  if (code === 'H12') {
    const message = `E, [${formatLogTime(endUs).slice(0, 26)} #${2 + dyno}] ERROR -- : [${record.requestId}] Rack::Timeout::RequestTimeoutException`;
    add(endUs + 1, logLine(endUs + 1, 'app', `web.${dyno}`, message, 'plain'));
  }
}

lines.sort((a, b) => a.atUs - b.atUs || a.order - b.order);
const text = lines.map((l) => l.text);

// Three malformed lines, as a log collected in the wild has: one cut short, one with a
// garbled timestamp, one with a service time that is not a number. Each is a copy of a
// router line placed right after it.
const spoil = (at: number, change: (line: string) => string): void => {
  let k = at;
  while (!text[k]!.includes(' heroku[router]: at=info')) k++;
  text.splice(k + 1, 0, change(text[k]!));
};
spoil(1500, (line) => line.slice(0, 117));
spoil(4500, (line) => line.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}):\d/, '$1:?'));
spoil(7500, (line) => line.replace(/service=\d+ms/, 'service=abc'));

const body = text.join('\n') + '\n';
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, body);
console.log(`${OUT}: ${text.length} lines (${index} requests), ${Buffer.byteLength(body)} bytes`);
