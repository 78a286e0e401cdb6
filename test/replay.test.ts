/**
 * Replay of a user's router log or CSV (`traffic: { replay: FILE }`): the arrivals handed
 * out are exactly those the shared record parser reads from each line, in time order, for
 * every era and framing, every read size and batch size; malformed lines are counted and
 * reported, lines out of order counted and skipped by one rule, and every line read
 * accounted for once; time zero passes over a start hours out of place; cut-offs at the
 * start and end; lines too long refused; and the fast line scanner agrees with the full
 * parser on every line it accepts.
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLine, routerMessage } from '../src/model/logs/format.ts';
import { LogParseError, parseLogLine } from '../src/model/logs/parse.ts';
import { formatLogTime, parseLogTime } from '../src/model/logs/timestamp.ts';
import { recordFromLogLine, routeKey } from '../src/model/traffic/replay/record.ts';
import { ReplayReader, type ReplayOptions } from '../src/model/traffic/replay/ReplayReader.ts';
import { firstInPlace, probeReplay } from '../src/model/traffic/replay/probe.ts';
import { CLOCK_SPAN, LogClock } from '../src/model/traffic/replay/LogClock.ts';
import { RouterLineScanner, type ScannedRouterLine } from '../src/model/traffic/replay/RouterLineScanner.ts';
import { parseInstantUs, splitCsvLine } from '../src/model/traffic/replay/csv.ts';
import { MAX_LINE_BYTES } from '../src/engine/files.ts';
import { InputError } from '../src/engine/InputError.ts';

const FIXTURES = 'test/fixtures/replay';
const SHIPPED = 'scenarios/replay/router.log';
const fixture = (name: string): string => join(FIXTURES, name);
const ROUTER_FIXTURES = ['router-2025.log', 'router-2013.log', 'drain-2025.log', 'malformed.log'];
/** Wide enough for every fixture (its H20 is logged 75 s after it arrived). */
const WIDE = 120e6;

function options(over: Partial<ReplayOptions> = {}): ReplayOptions {
  return { format: 'auto', startMs: null, endUs: Infinity, reorderWindowUs: WIDE, ...over };
}

interface Replayed {
  arrivalUs: number[];
  serviceUs: number[];
  route: string[];
  reader: ReplayReader;
}

/** Everything a reader hands out, `batch` at a time, checking the order on the way. */
function replay(path: string, opts: ReplayOptions, batch = 256): Replayed {
  const reader = new ReplayReader(path, opts);
  const a = new Float64Array(batch);
  const s = new Float64Array(batch);
  const r = new Int32Array(batch);
  const out: Replayed = { arrivalUs: [], serviceUs: [], route: [], reader };
  let last = -Infinity;
  for (let n = reader.fill(a, s, r); n > 0; n = reader.fill(a, s, r)) {
    for (let i = 0; i < n; i++) {
      if (a[i]! < last) throw new Error(`arrival ${a[i]} after ${last}`);
      last = a[i]!;
      out.arrivalUs.push(a[i]!);
      out.serviceUs.push(s[i]!);
      out.route.push(reader.routes[r[i]!]!);
    }
  }
  t0Check(reader);
  reader.close();
  return out;
}

function t0Check(reader: ReplayReader): void {
  if (reader.fill(new Float64Array(4), new Float64Array(4), new Int32Array(4)) !== 0) throw new Error('fill after the end gave more');
}

interface Expected {
  arrivalUs: number[];
  serviceUs: number[];
  route: string[];
  lines: number;
  skipped: number;
  malformed: number[];
  imputed: number;
}

/**
 * What replaying a router log must give, from the shared parser line by line: the usable
 * lines' arrivals less t = 0, in time order with ties in file order, and service times with
 * the missing ones taken from the last one read for the route, else any route, else 0.
 */
function expectedFromLog(text: string, startMs: number | null): Expected & { startMs: number } {
  const rows: { arrivalUs: number; serviceUs: number; route: string; order: number }[] = [];
  const lastByRoute = new Map<string, number>();
  let lastAny: number | null = null;
  const e: Expected = { arrivalUs: [], serviceUs: [], route: [], lines: 0, skipped: 0, malformed: [], imputed: 0 };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    e.lines++;
    try {
      const p = parseLogLine(line);
      if (p.source !== 'heroku' || p.proc !== 'router') {
        e.skipped++;
        return;
      }
      const r = recordFromLogLine(line);
      const route = routeKey(r.method, r.path);
      let serviceUs = r.serviceUs;
      if (serviceUs === null) {
        serviceUs = lastByRoute.get(route) ?? lastAny ?? 0;
        e.imputed++;
      } else {
        lastByRoute.set(route, serviceUs);
        lastAny = serviceUs;
      }
      rows.push({ arrivalUs: r.arrivalUs, serviceUs, route, order: i });
    } catch (err) {
      if (!(err instanceof LogParseError)) throw err;
      e.malformed.push(i + 1);
    }
  });
  rows.sort((a, b) => a.arrivalUs - b.arrivalUs || a.order - b.order);
  const start = startMs ?? Math.floor(rows[0]!.arrivalUs / 1e6) * 1000;
  for (const r of rows) {
    e.arrivalUs.push(r.arrivalUs - start * 1000);
    e.serviceUs.push(r.serviceUs);
    e.route.push(r.route);
  }
  return { ...e, startMs: start };
}

function sameSequence(t: ExecutionContext, got: Replayed, want: { arrivalUs: number[]; serviceUs: number[]; route: string[] }): void {
  t.deepEqual(got.arrivalUs, want.arrivalUs);
  t.deepEqual(got.serviceUs, want.serviceUs);
  t.deepEqual(got.route, want.route);
}

/** Every non-empty line read, once: the accounting of a replay. */
function accounted(r: ReplayReader): number {
  return r.used + r.malformed + r.skipped + r.outOfOrder + r.beforeStart + r.beyondEnd;
}

/** `count` router lines of one request a second from 14:00:00.1, each served in 100 ms. */
function steadyLog(count: number): string[] {
  const t0 = parseLogTime('2025-06-03T14:00:00.000000+00:00');
  return Array.from({ length: count }, (_, i) => {
    const message = routerMessage(
      {
        epochUs: 0, method: 'GET', path: `/products/${i}`, host: 'example-shop.herokuapp.com', requestId: '', fwd: '1.2.3.4',
        dyno: 'web.1', connectMs: 0, serviceMs: 100, status: 200, bytes: 10, protocol: 'https', code: null,
      },
      'heroku-2025',
    );
    return logLine(t0 + i * 1_000_000 + 100_000, 'heroku', 'router', message, 'plain');
  });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-replay-'));
}

// ---------------------------------------------------------------------------------------
// router logs

for (const name of ROUTER_FIXTURES) {
  test(`${name}: the arrivals handed out are the parser's, in time order`, (t) => {
    const want = expectedFromLog(readFileSync(fixture(name), 'utf8'), null);
    const got = replay(fixture(name), options());
    sameSequence(t, got, want);
    const r = got.reader;
    t.is(r.format, 'router');
    t.is(r.startMs, want.startMs);
    t.is(r.lines, want.lines);
    t.is(r.used, want.arrivalUs.length);
    t.is(r.skipped, want.skipped);
    t.is(r.malformed, want.malformed.length);
    t.deepEqual(
      r.problems.map((p) => p.line),
      want.malformed,
    );
    t.is(r.imputed, want.imputed);
    t.is(r.outOfOrder, 0);
    t.is(r.beforeStart, 0);
    t.is(r.beyondEnd, 0);
    t.is(r.lines, r.used + r.skipped + r.malformed);
    t.is(r.lines, accounted(r));
  });
}

test('the fixtures hold what the tests rely on: arrivals out of file order, errors without a service time, app lines', (t) => {
  const text = readFileSync(fixture('router-2025.log'), 'utf8');
  const arrivals = text
    .split('\n')
    .filter((l) => l.includes('heroku[router]'))
    .map((l) => recordFromLogLine(l).arrivalUs);
  t.true(arrivals.some((a, i) => i > 0 && a < arrivals[i - 1]!));
  for (const code of ['H10', 'H12', 'H13', 'H14', 'H20']) t.true(text.includes(`code=${code}`), code);
  t.true(text.includes('app[web.'));
  const r = replay(fixture('router-2025.log'), options());
  t.is(r.reader.imputed, 3); // H10, H14, H20
  t.true(r.serviceUs.includes(30_001_000)); // the H12 replays just past its 30 s
});

test('plain lines and drain frames of one log replay the same', (t) => {
  const plain = replay(fixture('router-2025.log'), options());
  const drain = replay(fixture('drain-2025.log'), options());
  sameSequence(t, drain, plain);
  t.is(drain.reader.startMs, plain.reader.startMs);
});

test('t = 0 is the first arrival floored to the second, and routes are listed in order of first arrival', (t) => {
  const r = replay(fixture('router-2025.log'), options());
  t.is(r.reader.startMs, Date.UTC(2025, 5, 3, 14, 0, 0));
  t.true(r.arrivalUs[0]! >= 0 && r.arrivalUs[0]! < 1e6);
  const firsts: string[] = [];
  for (const route of r.route) if (!firsts.includes(route)) firsts.push(route);
  t.deepEqual(r.reader.routes, firsts);
  t.true(r.reader.routes.includes('GET /products/:id/reviews'));
});

test('a narrow reorder window: requests later than it are counted out of order and skipped, the rest replay in order', (t) => {
  // The shipped log has requests enough for the log's clock (31) and H12s logged 30 s after they arrived.
  const wide = replay(SHIPPED, options());
  const narrow = replay(SHIPPED, options({ reorderWindowUs: 1e6 }));
  t.is(wide.reader.outOfOrder, 0);
  t.true(narrow.reader.outOfOrder >= 5, `${narrow.reader.outOfOrder} out of order`); // at least the five H12s
  t.is(narrow.reader.used + narrow.reader.outOfOrder, wide.reader.used);
  t.is(narrow.serviceUs.filter((s) => s === 30_001_000).length, 0);
  // What is replayed is what the wide window replays, less the requests skipped.
  const count = (xs: number[]): Map<number, number> => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<number, number>());
  const all = count(wide.arrivalUs);
  for (const [a, k] of count(narrow.arrivalUs)) t.true((all.get(a) ?? 0) >= k, `arrival ${a}`);
  for (const r of [wide.reader, narrow.reader]) t.is(r.lines, accounted(r));
});

test('malformed lines are counted with their line numbers and reasons, and never stop the replay', (t) => {
  const r = replay(fixture('malformed.log'), options());
  t.is(r.reader.malformed, 4);
  t.deepEqual(
    r.reader.problems.map((p) => p.line),
    [3, 6, 9, 11],
  );
  const [cut, time, service, text] = r.reader.problems.map((p) => p.message);
  t.regex(cut!, /no status= field/);
  t.regex(time!, /expected a timestamp/);
  t.regex(service!, /service= expects whole milliseconds.*"abc"/);
  t.regex(text!, /expected "<timestamp> <source>\[<process>\]: <message>"/);
  t.is(r.reader.used, 12);
  for (const p of r.reader.problems) t.false(p.message.includes('\n'));
});

test('only the first 20 malformed lines are kept; all are counted', (t) => {
  const dir = tempDir();
  const path = join(dir, 'many-bad.log');
  const good = readFileSync(fixture('router-2025.log'), 'utf8').split('\n').slice(0, 5);
  const bad = Array.from({ length: 45 }, (_, i) => `garbage ${i}`);
  writeFileSync(path, [...bad, ...good].join('\n'));
  const r = replay(path, options());
  t.is(r.reader.malformed, 45);
  t.is(r.reader.problems.length, 20);
  t.is(r.reader.problems[19]!.line, 20);
});

test('a file without a usable line: fill throws one clear line, probeReplay says the same', (t) => {
  const path = fixture('all-malformed.log');
  const reader = new ReplayReader(path, options());
  const err = t.throws(() => reader.fill(new Float64Array(8), new Float64Array(8), new Int32Array(8)));
  t.is(err.message, `${path}: no usable line (4 malformed; first at line 1: router line has no status= field)`);
  t.is(probeReplay(path, 'auto'), err.message);
  t.is(reader.malformed, 4);
  t.deepEqual(
    reader.problems.map((p) => p.line),
    [1, 2, 3, 5],
  );
  reader.close();
});

test('an empty file and a file of app lines only have no usable line either', (t) => {
  const dir = tempDir();
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '\n\n');
  t.is(probeReplay(empty, 'auto'), `${empty}: no usable line (the file is empty)`);
  t.throws(() => replay(empty, options()), { message: `${empty}: no usable line (the file is empty)` });
  const app = join(dir, 'app.log');
  writeFileSync(app, '2025-06-03T14:00:00.000000+00:00 app[web.1]: hello\n2025-06-03T14:00:01.000000+00:00 heroku[web.1]: State changed from starting to up\n');
  t.is(probeReplay(app, 'auto'), `${app}: no usable line (2 lines, no router request lines)`);
  t.throws(() => replay(app, options()), { message: `${app}: no usable line (2 lines, no router request lines)` });
});

test('a file that cannot be opened: one line naming it', (t) => {
  t.throws(() => new ReplayReader(fixture('missing.log'), options()), { message: `${fixture('missing.log')}: no such file` });
  t.is(probeReplay(fixture('missing.log'), 'auto'), `${fixture('missing.log')}: no such file`);
  t.is(probeReplay(FIXTURES, 'auto'), `${FIXTURES}: is a directory, not a log file`);
});

test('probeReplay names the format and the first usable arrival', (t) => {
  const first = recordFromLogLine(readFileSync(fixture('router-2025.log'), 'utf8').split('\n')[0]!).arrivalUs;
  t.deepEqual(probeReplay(fixture('router-2025.log'), 'auto'), { format: 'router', firstArrivalMs: Math.floor(first / 1000) });
  t.deepEqual(probeReplay(fixture('malformed.log'), 'router'), { format: 'router', firstArrivalMs: Math.floor(first / 1000) });
  t.deepEqual(probeReplay(fixture('requests.csv'), 'auto'), { format: 'csv', firstArrivalMs: Date.UTC(2025, 5, 3, 14, 0, 0, 120) });
  t.deepEqual(probeReplay(fixture('relative.csv'), 'csv'), { format: 'csv', firstArrivalMs: 250 });
});

// ---------------------------------------------------------------------------------------
// line endings, reads and batches

test('CRLF line ends and a last line without a newline read the same as LF', (t) => {
  const dir = tempDir();
  const text = readFileSync(fixture('router-2025.log'), 'utf8');
  const want = replay(fixture('router-2025.log'), options());
  const crlf = join(dir, 'crlf.log');
  writeFileSync(crlf, text.replace(/\n/g, '\r\n'));
  sameSequence(t, replay(crlf, options()), want);
  const bare = join(dir, 'bare.log');
  writeFileSync(bare, text.replace(/\n$/, ''));
  sameSequence(t, replay(bare, options()), want);
  t.is(replay(bare, options()).reader.lines, want.reader.lines);
  const bareCrlf = join(dir, 'bare-crlf.log');
  writeFileSync(bareCrlf, text.replace(/\n/g, '\r\n').replace(/\r\n$/, '\r'));
  sameSequence(t, replay(bareCrlf, options({ readBufferBytes: 5 })), want);
});

test('every read size gives the same sequence: lines across reads, lines longer than a read', (t) => {
  for (const name of ['router-2025.log', 'drain-2025.log', 'requests.csv']) {
    const want = replay(fixture(name), options());
    for (const size of [1, 2, 3, 7, 64, 100, 255, 4096]) {
      const got = replay(fixture(name), options({ readBufferBytes: size }));
      sameSequence(t, got, want);
      t.is(got.reader.lines, want.reader.lines, `${name} read ${size} at a time`);
      t.is(got.reader.malformed, want.reader.malformed);
    }
  }
});

test('characters of several bytes split across reads, in plain lines and drain frames', (t) => {
  const dir = tempDir();
  for (const format of ['plain', 'drain'] as const) {
    const path = join(dir, `utf8-${format}.log`);
    const lines = ['/müsli/grüße', '/café/crème?q=été', '/✓/ok', '/emoji/🚀/launch', '/products/12'].map((p, i) =>
      logLine(
        parseLogTime('2025-06-03T14:00:01.000000+00:00') + i * 250_000,
        'heroku',
        'router',
        routerMessage(
          {
            epochUs: 0, method: 'GET', path: p, host: 'example-shop.herokuapp.com', requestId: '', fwd: '1.2.3.4',
            dyno: 'web.1', connectMs: 0, serviceMs: 40 + i, status: 200, bytes: 100, protocol: 'https', code: null,
          },
          'heroku-2025',
        ),
        format,
      ),
    );
    lines.splice(2, 0, logLine(parseLogTime('2025-06-03T14:00:01.300000+00:00'), 'app', 'web.1', 'Grüße aus Köln ✓ 🚀', format));
    const text = lines.join('\n') + '\n';
    writeFileSync(path, text);
    const want = expectedFromLog(text, null);
    t.is(want.arrivalUs.length, 5);
    for (let size = 1; size <= 13; size++) {
      const got = replay(path, options({ readBufferBytes: size }));
      sameSequence(t, got, want);
      t.is(got.reader.skipped, 1);
    }
    t.true(replay(path, options()).route.includes('GET /emoji/🚀/launch'));
  }
});

test('a line longer than 64 KiB ends the replay with one line naming the file and the line; one of 64 KiB is read', (t) => {
  const dir = tempDir();
  const lines = readFileSync(fixture('router-2025.log'), 'utf8').split('\n').slice(0, 6);
  const prefix = '2025-06-03T14:00:01.000000+00:00 app[web.1]: ';
  const short = join(dir, 'short.log');
  writeFileSync(short, lines.join('\n'));
  const without = replay(short, options()).reader;
  const atLimit = join(dir, 'at-limit.log');
  writeFileSync(atLimit, [...lines.slice(0, 3), prefix + 'x'.repeat(MAX_LINE_BYTES - prefix.length), ...lines.slice(3)].join('\n'));
  const r = replay(atLimit, options({ readBufferBytes: 1000 }));
  t.is(r.reader.skipped, without.skipped + 1); // an app line, as long as a line may be
  t.is(r.reader.used, without.used);
  const long = join(dir, 'long.log');
  writeFileSync(long, [...lines.slice(0, 3), prefix + 'x'.repeat(100_000), ...lines.slice(3)].join('\n'));
  const message = `${long}: line 4 is longer than 65536 bytes (is it a router log or a CSV of requests?)`;
  for (const readBufferBytes of [undefined, 1000]) {
    const err = t.throws(() => replay(long, options({ readBufferBytes })));
    t.true(err instanceof InputError);
    t.is(err.message, message);
  }
  t.is(probeReplay(long, 'auto'), message);
});

test('a file without line breaks (NUL bytes a little over the limit) is refused at once: no endless read', (t) => {
  const path = join(tempDir(), 'zeros.log');
  writeFileSync(path, Buffer.alloc(MAX_LINE_BYTES + 100));
  const message = `${path}: line 1 is longer than 65536 bytes (is it a router log or a CSV of requests?)`;
  t.is(probeReplay(path, 'auto'), message);
  t.throws(() => new ReplayReader(path, options()), { instanceOf: InputError, message });
  // With CSV lines before it, the same at the line where it starts.
  const csv = join(tempDir(), 'zeros.csv');
  writeFileSync(csv, Buffer.concat([Buffer.from('timestamp,path,service_ms\n1,/a,5\n'), Buffer.alloc(MAX_LINE_BYTES + 1)]));
  const message3 = `${csv}: line 3 is longer than 65536 bytes (is it a router log or a CSV of requests?)`;
  t.throws(() => replay(csv, options()), { instanceOf: InputError, message: message3 });
  t.is(probeReplay(csv, 'auto'), message3); // the check reads past the first request
});

test('batches of every size give the same sequence', (t) => {
  const want = replay(fixture('router-2025.log'), options());
  for (let batch = 1; batch <= 45; batch++) sameSequence(t, replay(fixture('router-2025.log'), options(), batch), want);
  const csv = replay(fixture('requests.csv'), options());
  for (const batch of [1, 2, 3, 5, 8]) sameSequence(t, replay(fixture('requests.csv'), options(), batch), csv);
});

test('the same file replays the same way every time', (t) => {
  const a = replay(fixture('drain-2025.log'), options({ reorderWindowUs: 2e6 }), 7);
  const b = replay(fixture('drain-2025.log'), options({ reorderWindowUs: 2e6 }), 7);
  sameSequence(t, a, b);
  t.is(a.reader.outOfOrder, b.reader.outOfOrder);
});

// ---------------------------------------------------------------------------------------
// start and end

test('startMs: arrivals before it are dropped and counted, the rest shifted to it', (t) => {
  const startMs = Date.UTC(2025, 5, 3, 14, 0, 2, 500);
  const want = expectedFromLog(readFileSync(fixture('router-2025.log'), 'utf8'), startMs);
  const got = replay(fixture('router-2025.log'), options({ startMs }));
  const kept = want.arrivalUs.filter((a) => a >= 0);
  t.true(kept.length < want.arrivalUs.length);
  t.deepEqual(got.arrivalUs, kept);
  t.deepEqual(got.serviceUs, want.serviceUs.slice(want.arrivalUs.length - kept.length));
  t.is(got.reader.beforeStart, want.arrivalUs.length - kept.length);
  t.is(got.reader.startMs, startMs);
  t.is(got.reader.beyondEnd, 0);
});

test('endUs: arrivals at or after it are not replayed and are counted', (t) => {
  const want = expectedFromLog(readFileSync(fixture('router-2025.log'), 'utf8'), null);
  const endUs = 4_000_137; // an arrival falls exactly here (the H10): it is beyond the end
  t.true(want.arrivalUs.includes(endUs));
  const got = replay(fixture('router-2025.log'), options({ endUs }));
  const kept = want.arrivalUs.filter((a) => a < endUs);
  t.deepEqual(got.arrivalUs, kept);
  t.is(got.reader.beyondEnd, want.arrivalUs.length - kept.length);
  t.is(got.reader.used, kept.length);
});

test('reading stops once the log\'s clock is a reorder window past the end: the rest of a long file is not read', (t) => {
  const path = join(tempDir(), 'hour.log');
  writeFileSync(path, steadyLog(3600).join('\n') + '\n');
  const got = replay(path, options({ endUs: 60e6, reorderWindowUs: 10e6 }));
  t.is(got.arrivalUs.length, 60);
  t.deepEqual(got.arrivalUs.slice(0, 3), [0, 1e6, 2e6]);
  // The clock is the median of the last 31 arrivals, 15 s behind the newest at one a second: 60 + 10 + 15 s.
  t.true(got.reader.lines <= 90, `read ${got.reader.lines} lines`);
  t.true(got.reader.beyondEnd >= 10);
  t.is(got.reader.lines, accounted(got.reader));
});

// ---------------------------------------------------------------------------------------
// lines out of order

const HOUR_US = 3_600_000_000;

/** The log's text with every 6th line (the first included) written `deltaUs` later, and what that makes of its requests. */
function moveEverySixth(text: string, deltaUs: number): { text: string; moved: number; kept: string; lines: number } {
  let moved = 0;
  let lines = 0;
  const keptLines: string[] = [];
  const out = text.split('\n').map((line, i) => {
    if (line.trim() !== '') lines++;
    const m = /^(\S+)( heroku\[router\]: .*)$/.exec(line);
    let request = false;
    try {
      request = m !== null && parseLogLine(line).proc === 'router' && recordFromLogLine(line) !== null;
    } catch {
      request = false;
    }
    if (i % 6 !== 0 || m === null || !request) {
      keptLines.push(line);
      return line;
    }
    moved++;
    return `${formatLogTime(parseLogTime(m[1]!) + deltaUs)}${m[2]}`;
  });
  return { text: out.join('\n'), moved, kept: keptLines.join('\n'), lines };
}

/** Time zero as a scenario takes it from the file: the probe's first request in place, to the second. */
function scenarioStartMs(path: string, reorderWindowUs = 90e6): number {
  const probe = probeReplay(path, 'auto', reorderWindowUs);
  if (typeof probe === 'string') throw new Error(probe);
  return Math.floor(probe.firstArrivalMs / 1000) * 1000;
}

test('every 6th line hours early, the first among them: the requests in order all replay, the moved ones are all counted, the file is read to its end', (t) => {
  const m = moveEverySixth(readFileSync(SHIPPED, 'utf8'), -3 * HOUR_US);
  const path = join(tempDir(), 'moved.log');
  writeFileSync(path, m.text);
  const startMs = scenarioStartMs(path);
  t.is(startMs, Date.UTC(2025, 5, 3, 14, 0, 0)); // the first line, at 11:00, is out of place
  const got = replay(path, options({ startMs, endUs: 20 * 60e6, reorderWindowUs: 90e6 }));
  const r = got.reader;
  sameSequence(t, got, expectedFromLog(m.kept, startMs));
  t.is(r.outOfOrder + r.beforeStart, m.moved);
  t.true(r.outOfOrder > m.moved - 31, `${r.outOfOrder} out of order`); // all but the few read before the clock runs
  t.is(r.beyondEnd, 0);
  t.is(r.lines, m.lines);
  t.is(r.lines, accounted(r));
});

test('every 6th line hours late: the requests in order all replay, the moved ones arrive after the end', (t) => {
  const m = moveEverySixth(readFileSync(SHIPPED, 'utf8'), 3 * HOUR_US);
  const path = join(tempDir(), 'late.log');
  writeFileSync(path, m.text);
  const startMs = scenarioStartMs(path);
  t.is(startMs, Date.UTC(2025, 5, 3, 14, 0, 0)); // the first line, at 17:00, is out of place
  const got = replay(path, options({ startMs, endUs: 20 * 60e6, reorderWindowUs: 90e6 }));
  sameSequence(t, got, expectedFromLog(m.kept, startMs));
  t.is(got.reader.outOfOrder, 0);
  t.is(got.reader.beyondEnd, m.moved);
  t.is(got.reader.lines, m.lines);
  t.is(got.reader.lines, accounted(got.reader));
});

test('logs joined in the wrong order: the file\'s order wins, the part that goes back in time is out of order', (t) => {
  const lines = readFileSync(SHIPPED, 'utf8').trimEnd().split('\n');
  const half = Math.floor(lines.length / 2);
  const path = join(tempDir(), 'joined.log');
  writeFileSync(path, [...lines.slice(half), ...lines.slice(0, half)].join('\n') + '\n');
  const startMs = scenarioStartMs(path);
  const second = expectedFromLog(lines.slice(half).join('\n'), startMs);
  const first = expectedFromLog(lines.slice(0, half).join('\n'), null);
  const got = replay(path, options({ startMs, endUs: 20 * 60e6, reorderWindowUs: 90e6 }));
  t.is(startMs, second.startMs);
  t.true(got.reader.used >= second.arrivalUs.length - 40, `${got.reader.used} used`); // the end of the first part overlaps the start of the second
  t.true(got.reader.outOfOrder >= first.arrivalUs.length - 40, `${got.reader.outOfOrder} out of order`);
  t.is(got.reader.lines, accounted(got.reader));
  t.is(got.reader.lines, lines.filter((l) => l.trim() !== '').length);
});

test('the log\'s clock is the median of the last 31 arrivals, from the 31st on, and never goes back', (t) => {
  const clock = new LogClock();
  const seen: number[] = [];
  let want = -Infinity;
  let x = 1;
  for (let i = 0; i < 2000; i++) {
    x = (x * 48271) % 2147483647; // a fixed pseudo-random walk, with repeats and jumps back
    const us = i * 1000 + (x % 97) * 500 - (i % 200 === 0 ? 5e6 : 0);
    clock.add(us);
    seen.push(us);
    if (seen.length >= CLOCK_SPAN) {
      const last = seen.slice(-CLOCK_SPAN).sort((a, b) => a - b);
      want = Math.max(want, last[(CLOCK_SPAN - 1) / 2]!);
    }
    t.is(clock.nowUs, want, `after ${i + 1} arrivals`);
  }
});

test('firstInPlace: the first request, unless its stretch of time is outweighed by the requests that contradict it', (t) => {
  const W = 90e6;
  const at = (xs: number[]): Float64Array => Float64Array.from(xs.map((s) => s * 1e6));
  t.is(firstInPlace(at([0, 1, 2, 3]), W), 0);
  t.is(firstInPlace(at([0, 3600, 3601, 3602, 7200]), W), 0); // a quiet start, then traffic: gaps, not disorder
  t.is(firstInPlace(at([5, 0, 1, 2, 3]), W), 0); // out of order within the window
  t.is(firstInPlace(at([0, 10_800, 10_801, 1, 10_802, 10_803, 2, 10_804]), W), 1); // the first hours early, with others of its time
  t.is(firstInPlace(at([10_800, 0, 1, 2, 10_801, 3, 4]), W), 1); // the first hours late, with others of its time
  t.is(firstInPlace(at([10_800, 0, 1]), W), 1);
  t.is(firstInPlace(at([10_800, 10_801, 0]), W), 0); // more of its time than against it
  t.is(firstInPlace(at([7]), W), 0);
});

test('past MAX_WAITING requests waiting, the earliest are handed out early; later arrivals before them are out of order; the order holds', (t) => {
  const wide = replay(fixture('router-2025.log'), options());
  for (const maxWaiting of [1, 2, 3, 8]) {
    const got = replay(fixture('router-2025.log'), options({ maxWaiting }));
    t.is(got.reader.used + got.reader.outOfOrder, wide.reader.used);
    t.is(got.reader.lines, accounted(got.reader));
  }
  t.true(replay(fixture('router-2025.log'), options({ maxWaiting: 1 })).reader.outOfOrder > 0);
});

// ---------------------------------------------------------------------------------------
// CSV

test('CSV with ISO 8601 instants: rows are arrivals, unsorted rows sorted, quoted fields read', (t) => {
  const r = replay(fixture('requests.csv'), options());
  t.is(r.reader.format, 'csv');
  t.is(r.reader.startMs, Date.UTC(2025, 5, 3, 14, 0, 0));
  t.deepEqual(r.arrivalUs, [120_000, 300_000, 480_000, 1_000_000, 1_500_000, 2_750_000, 3_000_000, 3_200_000, 5_000_001]);
  t.deepEqual(r.serviceUs, [41_500, 63_250, 88_000, 130_000, 130_000, 612_800, 12_000, 3_000, 22_000]);
  t.deepEqual(r.route, [
    'GET /',
    'POST /cart',
    'GET /products/:id',
    'GET /products/:id/reviews',
    'GET /search',
    'POST /checkout',
    'GET /products/:id',
    'GET /assets/application-4f2a.css',
    'DELETE /cart/items/:id',
  ]);
  t.is(r.reader.imputed, 1); // the empty service_ms: the last one read (no search before it)
  t.is(r.reader.skipped, 1); // the header
  t.is(r.reader.lines, 12);
  t.deepEqual(
    r.reader.problems.map((p) => p.line),
    [10, 11],
  );
  t.regex(r.reader.problems[0]!.message, /neither an ISO 8601 instant .* nor a number of seconds/);
  t.regex(r.reader.problems[1]!.message, /service_ms is negative/);
});

test('CSV with numbers of seconds: t = 0 is the file\'s zero unless startMs says otherwise', (t) => {
  const r = replay(fixture('relative.csv'), options());
  t.is(r.reader.startMs, 0);
  t.deepEqual(r.arrivalUs, [250_000, 1_250_000, 1_500_000, 2_750_000, 3_000_000, 10_000_000]);
  t.deepEqual(r.serviceUs, [40_000, 700_000, 90_000, 85_500, 15_000, 35_000]);
  t.deepEqual(r.reader.routes, ['GET /', 'POST /checkout', 'GET /products/:id']);
  const shifted = replay(fixture('relative.csv'), options({ startMs: 1000, endUs: 5e6 }));
  t.deepEqual(shifted.arrivalUs, [250_000, 500_000, 1_750_000, 2_000_000]);
  t.is(shifted.reader.beforeStart, 1);
  t.is(shifted.reader.beyondEnd, 1);
});

test('CSV: CRLF, a byte order mark, no trailing newline, the method in a column or in the path', (t) => {
  const dir = tempDir();
  const path = join(dir, 'excel.csv');
  writeFileSync(path, '\ufeffTimestamp , Service_MS,Path,Method\r\n3.5,12,/a,POST\r\n1,7,PUT /b/12,GET\r\n2,8,/c,\r\n"4","9","/d?x=1,2",""');
  const r = replay(path, options());
  t.is(r.reader.format, 'csv');
  t.deepEqual(r.arrivalUs, [1e6, 2e6, 3.5e6, 4e6]);
  t.deepEqual(r.route, ['PUT /b/:id', 'GET /c', 'POST /a', 'GET /d']);
  t.deepEqual(r.serviceUs, [7000, 8000, 12000, 9000]);
  t.is(r.reader.malformed, 0);
});

test('CSV: a row whose timestamps change kind is malformed; a missing column is an error at once', (t) => {
  const dir = tempDir();
  const mixed = join(dir, 'mixed.csv');
  writeFileSync(mixed, 'timestamp,path,service_ms\n2025-06-03T14:00:00Z,/,1\n5,/,2\n2025-06-03T14:00:01Z,/,3\n');
  const r = replay(mixed, options());
  t.is(r.arrivalUs.length, 2);
  t.deepEqual(r.reader.problems, [{ line: 3, message: 'timestamp is a number of seconds, but the first row has an ISO 8601 instant' }]);
  const noService = join(dir, 'no-service.csv');
  writeFileSync(noService, 'timestamp,path\n1,/\n');
  const message = `${noService}: the CSV header has no service_ms column (it has timestamp, path); dynosim reads timestamp, path, service_ms and optionally method`;
  t.throws(() => new ReplayReader(noService, options()), { message });
  t.is(probeReplay(noService, 'auto'), message);
  // Asked for CSV, given a router log.
  t.regex(probeReplay(fixture('router-2025.log'), 'csv') as string, /the CSV header has no timestamp, path, service_ms columns/);
  // Asked for a router log, given a CSV: every line is malformed.
  t.regex(probeReplay(fixture('relative.csv'), 'router') as string, /no usable line \(7 malformed; first at line 1: expected "<timestamp>/);
});

test('CSV fields and instants', (t) => {
  const out: string[] = [];
  t.is(splitCsvLine('a,"b,c","d ""e""",,f', out), 5);
  t.deepEqual(out.slice(0, 5), ['a', 'b,c', 'd "e"', '', 'f']);
  t.is(splitCsvLine('', out), 1);
  t.throws(() => splitCsvLine('a,"b', out), { instanceOf: LogParseError });
  t.throws(() => splitCsvLine('"a"b,c', out), { instanceOf: LogParseError });
  const z = parseLogTime('2025-06-03T14:00:01.250000+00:00');
  t.is(parseInstantUs('2025-06-03T14:00:01.25Z'), z);
  t.is(parseInstantUs('2025-06-03 14:00:01.250'), z);
  t.is(parseInstantUs('2025-06-03T16:00:01.2500009+02:00'), z);
  t.is(parseInstantUs('2025-06-03T10:00:01,25-0400'), z);
  t.is(parseInstantUs('2025-06-03T16:00:01.25+02'), z);
  t.throws(() => parseInstantUs('2025-06-03'), { instanceOf: LogParseError });
  t.throws(() => parseInstantUs('2025-13-03T00:00:00Z'), { instanceOf: LogParseError });
});

// ---------------------------------------------------------------------------------------
// the fast scanner

/** The scanner either reads a line exactly as the full parser does, or leaves it to it. */
function scannerAgrees(t: ExecutionContext, line: string, mustAccept?: boolean): void {
  const scanner = new RouterLineScanner();
  const out: ScannedRouterLine = { arrivalUs: 0, serviceUs: 0, method: '', path: '' };
  const accepted = scanner.read(line, out);
  if (mustAccept !== undefined) t.is(accepted, mustAccept, line);
  if (!accepted) return;
  const full = recordFromLogLine(line); // throws (failing the test) if the scanner accepted a line the parser rejects
  t.is(out.arrivalUs, full.arrivalUs, line);
  t.is(out.serviceUs, full.serviceUs ?? -1, line);
  t.is(out.method, full.method, line);
  t.is(out.path, full.path, line);
}

test('the scanner agrees with the full parser on every line of the fixtures and the shipped sample', (t) => {
  let accepted = 0;
  const scanner = new RouterLineScanner();
  const out: ScannedRouterLine = { arrivalUs: 0, serviceUs: 0, method: '', path: '' };
  for (const path of [...ROUTER_FIXTURES.map(fixture), fixture('all-malformed.log'), 'scenarios/replay/router.log']) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      if (!scanner.read(line, out)) {
        t.throws(() => recordFromLogLine(line), undefined, `the scanner left a readable line: ${line}`);
        continue;
      }
      accepted++;
      const full = recordFromLogLine(line);
      if (out.arrivalUs !== full.arrivalUs || out.serviceUs !== (full.serviceUs ?? -1) || out.path !== full.path) {
        t.fail(`disagrees on ${line}`);
      }
    }
  }
  t.true(accepted > 9000);
});

test('the scanner on unusual lines: reads them as the parser does, or leaves them to it', (t) => {
  const base =
    '2025-06-03T14:00:01.500000+00:00 heroku[router]: at=info method=GET path="/x" host=a.herokuapp.com request_id=r fwd="1.2.3.4" dyno=web.1 connect=2ms service=40ms status=200 bytes=10 protocol=https';
  scannerAgrees(t, base, true);
  const variants = [
    base.replace('service=40ms', 'service=40'), // no unit
    base.replace('path="/x"', 'path="/x service=999ms y"'), // a quoted value holding a field
    base.replace('path="/x"', 'path="/a"b" c"'), // a quote inside a quoted value
    base + ' service=7ms', // a repeated key: the last one counts
    base + ' tls_version=tls1.3 extra', // fields dynosim ignores, a bare word
    base.replace('at=info', 'at=error code=H12 desc="Request timeout"'),
    base.replace('at=info', 'at=error code=H20 desc="App boot timeout"').replace('dyno=web.1 connect=2ms service=40ms', 'dyno= connect= service='),
    base.replace('at=info', 'at=error code=H27 desc="Client Request Interrupted"'), // a code dynosim does not model
    base.replace('at=info', 'at=info code=H12'),
    base.replace('at=info', 'at=error'),
    base.replace('at=info ', ''),
    base.replace('status=200', 'status='),
    base.replace('status=200', 'status=2x0'),
    base.replace('bytes=10', 'bytes=ten'),
    base.replace('bytes=10', 'bytes='),
    base.replace('host=a.herokuapp.com ', ''),
    base.replace('dyno=web.1', 'dyno='),
    base.replace('service=40ms', 'service=ms'),
    base.replace('service=40ms', 'service=40msms'),
    base.replace('service=40ms', 'service=12345678901234567ms'),
    base.replace('connect=2ms', 'connect='),
    base + ' sock=backend',
    base + ' sock=sideways',
    base + ' queue=0 wait=0ms',
    base + ' queue=x',
    base.replace('path="/x"', 'path="/x'), // never closed
    base.replace('.500000+00:00', '+00:00'), // whole seconds
    base.replace('.500000+00:00', '.5Z'),
    base.replace('+00:00', '-07:00'),
    base.replace('14:00:01', '14:00:61'),
    base.replace('14:00:01', '24:00:01'),
    base.replace('2025-06-03', '2025-02-30'),
    base.replace('heroku[router]', 'app[router]'),
    base.replace('heroku[router]', 'heroku[web.1]'),
    base.replace(' heroku[router]: ', ' heroku[router]:  '),
    base.replace('method=GET ', 'method=GET method=POST '),
  ];
  for (const line of variants) scannerAgrees(t, line);
  // The common shapes must stay on the fast path.
  scannerAgrees(t, base.replace('service=40ms', 'service=40'), true);
  scannerAgrees(t, base.replace('at=info', 'at=error code=H12 desc="Request timeout"'), true);
  // Drain frames: today's, with a wrong octet count, a syslog drain's.
  const frame = logLine(parseLogTime('2025-06-03T14:00:01.500000+00:00'), 'heroku', 'router', base.slice(base.indexOf('at=')), 'drain');
  scannerAgrees(t, frame, true);
  scannerAgrees(t, frame.replace(/^\d+/, (n) => String(Number(n) - 1)), true); // counted without its newline
  scannerAgrees(t, frame.replace(/^\d+/, (n) => String(Number(n) + 1)), false);
  scannerAgrees(t, frame.replace('<158>1', '<158>2'), false);
  scannerAgrees(t, frame.replace('<158>', '<192>'), false);
  scannerAgrees(t, frame.replace(' host heroku router - ', ' d.abc heroku router - - '));
});

// ---------------------------------------------------------------------------------------
// the shipped sample

test('the shipped sample log: twenty minutes of a shop, three malformed lines, written deterministically', (t) => {
  const path = 'scenarios/replay/router.log';
  t.true(statSync(path).size < 3_000_000);
  const r = replay(path, options({ reorderWindowUs: 60e6 }));
  t.is(r.reader.startMs, Date.UTC(2025, 5, 3, 14, 0, 0));
  t.true(r.reader.used > 9000 && r.reader.used < 10_500, `${r.reader.used} requests`);
  t.true(r.arrivalUs[r.arrivalUs.length - 1]! < 20 * 60e6);
  t.is(r.reader.malformed, 3);
  t.is(r.reader.outOfOrder, 0);
  t.true(r.reader.skipped > 0);
  t.is(r.serviceUs.filter((s) => s === 30_001_000).length, 5); // the H12s
  t.true(r.reader.routes.includes('POST /checkout') && r.reader.routes.includes('GET /products/:id/reviews'));
  const again = join(tempDir(), 'router.log');
  const run = spawnSync(process.execPath, ['scripts/make-replay-log.ts', again], { encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  t.true(readFileSync(again).equals(readFileSync(path)), 'scripts/make-replay-log.ts writes the shipped file byte for byte');
});
