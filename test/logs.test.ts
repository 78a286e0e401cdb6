import test from 'ava';
import { CODES_BEFORE_DYNO, ROUTER_CODES, RUNTIME_CODES, describe, routerDesc, type RouterCode } from '../src/model/logs/codes.ts';
import { formatLogTime, parseLogTime } from '../src/model/logs/timestamp.ts';
import { appId, dynoUuid, fwdAddress, requestId } from '../src/model/logs/ids.ts';
import * as say from '../src/model/logs/format.ts';
import { logLine, routerMessage, utf8Length, type LogEra, type LogFormat, type RouterLogRecord } from '../src/model/logs/format.ts';
import { LogParseError, parseFields, parseLogLine, parseRouterLine } from '../src/model/logs/parse.ts';
import { LineBuffer } from '../src/model/logs/LineBuffer.ts';

/** A small seeded generator for test inputs (mulberry32): tests never use Math.random. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const T0 = parseLogTime('2013-03-01T00:00:01.000123+00:00');
const ERAS: readonly LogEra[] = ['heroku-2013', 'heroku-2025'];
const FORMATS: readonly LogFormat[] = ['plain', 'drain'];

// ---------------------------------------------------------------------------------------
// codes

test('router and runtime codes carry Heroku names', (t) => {
  t.deepEqual([...ROUTER_CODES], ['H10', 'H11', 'H12', 'H13', 'H14', 'H18', 'H19', 'H20', 'H21', 'H82', 'H99']);
  t.deepEqual([...RUNTIME_CODES], ['R10', 'R12', 'R14', 'R15']);
  t.is(describe('H10'), 'App crashed');
  t.is(describe('H12'), 'Request timeout');
  t.is(describe('H14'), 'No web dynos running');
  t.is(describe('H18'), 'Server Request Interrupted');
  t.is(describe('H82'), "You've used up your dyno hour pool");
  t.is(describe('H99'), 'Platform error');
  t.is(describe('R10'), 'Boot timeout');
  t.is(describe('R15'), 'Memory quota vastly exceeded');
  t.is(routerDesc('H14', 'heroku-2025'), 'No web processes running');
  t.is(routerDesc('H12', 'heroku-2013'), 'Request timeout');
  t.is(routerDesc('H18', 'heroku-2013'), 'Request Interrupted');
});

// ---------------------------------------------------------------------------------------
// timestamps

test('timestamps have six microsecond digits and +00:00', (t) => {
  t.is(T0, Date.UTC(2013, 2, 1, 0, 0, 1) * 1000 + 123);
  t.is(formatLogTime(T0), '2013-03-01T00:00:01.000123+00:00');
  t.is(formatLogTime(0), '1970-01-01T00:00:00.000000+00:00');
  t.is(formatLogTime(1_000_123.999), '1970-01-01T00:00:01.000123+00:00', 'fractions of a µs round down');
  t.is(formatLogTime(-0.5), '1969-12-31T23:59:59.999999+00:00');
  t.is(formatLogTime(-1_000_000), '1969-12-31T23:59:59.000000+00:00');
});

test('timestamps across leap days and year ends', (t) => {
  const cases: ReadonlyArray<[string, string]> = [
    ['2012-02-28T23:59:59.999999+00:00', '2012-02-29T00:00:00.000000+00:00'],
    ['2013-02-28T23:59:59.999999+00:00', '2013-03-01T00:00:00.000000+00:00'],
    ['2000-02-28T23:59:59.999999+00:00', '2000-02-29T00:00:00.000000+00:00'],
    ['1900-02-28T23:59:59.999999+00:00', '1900-03-01T00:00:00.000000+00:00'],
    ['2100-02-28T23:59:59.999999+00:00', '2100-03-01T00:00:00.000000+00:00'],
    ['2013-12-31T23:59:59.999999+00:00', '2014-01-01T00:00:00.000000+00:00'],
    ['2016-12-31T23:59:59.999999+00:00', '2017-01-01T00:00:00.000000+00:00'],
    ['1999-12-31T23:59:59.999999+00:00', '2000-01-01T00:00:00.000000+00:00'],
  ];
  for (const [before, after] of cases) {
    const us = parseLogTime(before);
    t.is(formatLogTime(us), before);
    t.is(formatLogTime(us + 1), after);
    t.is(parseLogTime(after), us + 1);
  }
  t.is(formatLogTime(parseLogTime('2016-12-31T12:00:00Z')).slice(0, 10), '2016-12-31');
});

test('timestamps round-trip over random microseconds and agree with Date', (t) => {
  const next = rng(2013);
  const lo = Date.UTC(1900, 0, 1) * 1000;
  const hi = Date.UTC(2250, 0, 1) * 1000;
  for (let k = 0; k < 50_000; k++) {
    const us = Math.floor(lo + next() * (hi - lo));
    const text = formatLogTime(us);
    if (parseLogTime(text) !== us) t.fail(`${us} → ${text} → ${parseLogTime(text)}`);
    const iso = new Date(Math.floor(us / 1000)).toISOString();
    if (text.slice(0, 23) !== iso.slice(0, 23) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/.test(text)) {
      t.fail(`${us}: ${text} against ${iso}`);
    }
  }
  t.pass();
});

test('timestamps parse with 0-6 fractional digits, Z or offsets', (t) => {
  const base = Date.UTC(2012, 9, 11, 3, 47, 20) * 1000;
  t.is(parseLogTime('2012-10-11T03:47:20+00:00'), base);
  t.is(parseLogTime('2012-10-11T03:47:20Z'), base);
  t.is(parseLogTime('2012-10-11T03:47:20.5Z'), base + 500_000);
  t.is(parseLogTime('2012-10-11T03:47:20.123+00:00'), base + 123_000);
  t.is(parseLogTime('2012-10-11T03:47:20.000001+00:00'), base + 1);
  t.is(parseLogTime('2010-10-06T21:51:37-07:00'), parseLogTime('2010-10-07T04:51:37Z'));
  t.is(parseLogTime('2013-03-01T05:30:00+05:30'), parseLogTime('2013-03-01T00:00:00Z'));
});

test('junk timestamps throw LogParseError with a reason', (t) => {
  const junk: ReadonlyArray<[string, RegExp]> = [
    ['yesterday', /expected a timestamp/],
    ['2013-03-01 00:00:01+00:00', /expected a timestamp/],
    ['2013-03-01T00:00:01', /expected a timestamp/],
    ['2013-03-01T00:00:01.1234567+00:00', /expected a timestamp/],
    ['2013-13-01T00:00:00Z', /month 13 out of range/],
    ['2013-02-29T00:00:00Z', /day 29 out of range for 2013-02/],
    ['2013-01-01T24:00:00Z', /hour 24/],
    ['2013-01-01T00:60:00Z', /minute 60/],
    ['2013-01-01T00:00:60Z', /second 60/],
    ['2013-01-01T00:00:00+24:00', /offset/],
  ];
  for (const [text, reason] of junk) {
    const e = t.throws(() => parseLogTime(text), { instanceOf: LogParseError });
    t.regex(e.reason, reason, text);
    t.is(e.message, e.reason);
    t.false(e.reason.includes('\n'));
  }
  t.is(parseLogTime('2012-02-29T00:00:00Z'), Date.UTC(2012, 1, 29) * 1000);
  t.throws(() => formatLogTime(Number.NaN), { instanceOf: RangeError });
  t.throws(() => formatLogTime(Infinity), { instanceOf: RangeError });
});

// ---------------------------------------------------------------------------------------
// ids

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('request ids are UUID v4 shaped, deterministic and distinct', (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 100_000; i++) {
    const id = requestId(7, i);
    if (!UUID_V4.test(id)) t.fail(`bad shape ${id}`);
    seen.add(id);
  }
  t.is(seen.size, 100_000);
  t.is(requestId(7, 12345), requestId(7, 12345));
  t.not(requestId(7, 0), requestId(8, 0));
  t.not(requestId(7, 0), requestId(7 + 2 ** 32, 0), 'high bits of the seed count');
  t.not(requestId(7, 5), requestId(7, 5 + 2 ** 32), 'high bits of the index count');
});

test('dyno UUIDs, app id and client addresses', (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const id = dynoUuid(3, i);
    t.regex(id, UUID_V4);
    seen.add(id);
  }
  t.is(seen.size, 10_000);
  t.not(dynoUuid(3, 0), requestId(3, 0));
  t.regex(appId(3), /^[1-9]\d{6}$/);
  t.is(appId(3), appId(3));
  t.not(appId(3), appId(4));
  const addresses = new Set<string>();
  for (let i = 0; i < 100_000; i++) {
    const ip = fwdAddress(11, i);
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
    if (m === null) {
      t.fail(ip);
      continue;
    }
    const [a, b, , d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    const reserved =
      a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || d === 0 || d >= 255;
    if (reserved) t.fail(`reserved address ${ip}`);
    addresses.add(ip);
  }
  t.true(addresses.size > 99_000, 'addresses vary');
  t.is(fwdAddress(11, 5), fwdAddress(11, 5));
});

// ---------------------------------------------------------------------------------------
// router lines

const INFO: RouterLogRecord = {
  epochUs: T0,
  method: 'GET',
  path: '/',
  host: 'example-app.herokuapp.com',
  requestId: '8601b555-6a83-4c12-8269-97c8e32cdb22',
  fwd: '204.204.204.204',
  dyno: 'web.1',
  connectMs: 1,
  serviceMs: 18,
  status: 200,
  bytes: 13,
  protocol: 'https',
  code: null,
};

test('2025 router lines match Heroku’s', (t) => {
  t.is(
    routerMessage(INFO, 'heroku-2025'),
    'at=info method=GET path="/" host=example-app.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https',
  );
  t.is(
    routerMessage({ ...INFO, code: 'H12', connectMs: 0, serviceMs: 30_000, status: 503, bytes: 0 }, 'heroku-2025'),
    'at=error code=H12 desc="Request timeout" method=GET path="/" host=example-app.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https',
  );
  const rejected = { ...INFO, dyno: null, connectMs: null, serviceMs: null, status: 503, bytes: null };
  t.is(
    routerMessage({ ...rejected, code: 'H10' }, 'heroku-2025'),
    'at=error code=H10 desc="App crashed" method=GET path="/" host=example-app.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno= connect= service= status=503 bytes= protocol=https',
  );
  t.regex(routerMessage({ ...rejected, code: 'H14' }, 'heroku-2025'), /^at=error code=H14 desc="No web processes running" /);
  t.regex(
    routerMessage({ ...INFO, code: 'H18', sock: 'backend', status: 503, bytes: 0 }, 'heroku-2025'),
    /^sock=backend at=error code=H18 desc="Server Request Interrupted" method=GET /,
  );
  t.is(
    routerMessage({ ...INFO, connectMs: 1.9, serviceMs: 18.2 }, 'heroku-2025'),
    routerMessage(INFO, 'heroku-2025'),
    'whole milliseconds',
  );
});

test('2013 router lines have queue= and wait=, no request_id or protocol', (t) => {
  t.is(
    routerMessage(INFO, 'heroku-2013'),
    'at=info method=GET path=/ host=example-app.herokuapp.com fwd="204.204.204.204" dyno=web.1 queue=0 wait=0ms connect=1ms service=18ms status=200 bytes=13',
  );
  t.is(
    routerMessage({ ...INFO, code: 'H10', dyno: null, connectMs: null, serviceMs: null, status: 503, bytes: null }, 'heroku-2013'),
    'at=error code=H10 desc="App crashed" method=GET path=/ host=example-app.herokuapp.com fwd="204.204.204.204" dyno= queue= wait= connect= service= status=503 bytes=',
  );
  t.is(
    routerMessage({ ...INFO, code: 'H12', serviceMs: 30_000, status: 503, bytes: 0, queue: 2, waitMs: 40 }, 'heroku-2013'),
    'at=error code=H12 desc="Request timeout" method=GET path=/ host=example-app.herokuapp.com fwd="204.204.204.204" dyno=web.1 queue=2 wait=40ms connect=1ms service=30000ms status=503 bytes=0',
  );
  t.regex(
    routerMessage({ ...INFO, code: 'H18', sock: 'client', status: 503, bytes: 0 }, 'heroku-2013'),
    /^at=error code=H18 desc="Request Interrupted" .* bytes=0 sock=client$/,
  );
});

/** A record of the shape the simulator writes for `code`, for `era`. */
function recordFor(code: RouterCode | null, era: LogEra, i: number): RouterLogRecord {
  const modern = era === 'heroku-2025';
  const base: RouterLogRecord = {
    epochUs: T0 + i * 1_234_567,
    method: i % 2 === 0 ? 'GET' : 'POST',
    path: i % 3 === 0 ? '/' : `/api/v1/items/${i}?page=2&q=a%20b`,
    host: 'example-app.herokuapp.com',
    requestId: modern ? requestId(1, i) : '',
    fwd: i % 4 === 0 ? `${fwdAddress(1, i)}, ${fwdAddress(2, i)}` : fwdAddress(1, i),
    dyno: `web.${(i % 3) + 1}`,
    connectMs: i % 5,
    serviceMs: 10 + i * 7,
    status: 200,
    bytes: 100 + i,
    protocol: modern ? 'https' : '',
    code,
    ...(modern ? {} : { queue: i % 2, waitMs: (i % 2) * 15 }),
  };
  if (code === null) return base;
  const before = CODES_BEFORE_DYNO.includes(code) || ((code === 'H19' || code === 'H21') && i % 2 === 0);
  if (before) {
    return {
      ...base,
      dyno: null,
      connectMs: null,
      serviceMs: null,
      status: 503,
      bytes: null,
      ...(modern ? {} : { queue: null, waitMs: null }),
    };
  }
  if (code === 'H19') return { ...base, connectMs: 5001, serviceMs: null, status: 503, bytes: null };
  if (code === 'H21') return { ...base, serviceMs: null, status: 503, bytes: null };
  if (code === 'H12') return { ...base, serviceMs: 30_000, status: 503, bytes: 0 };
  if (code === 'H18' || code === 'H13') return { ...base, status: 503, bytes: 0, sock: 'backend' };
  return { ...base, status: 503, bytes: 0 };
}

test('router lines round-trip for every code, both eras and both formats', (t) => {
  let n = 0;
  for (const era of ERAS) {
    for (const format of FORMATS) {
      for (const code of [null, ...ROUTER_CODES]) {
        for (let i = 0; i < 4; i++) {
          const r = recordFor(code, era, i);
          const line = logLine(r.epochUs, 'heroku', 'router', routerMessage(r, era), format, 'example-app');
          const parsed = parseLogLine(line);
          t.is(parsed.source, 'heroku');
          t.is(parsed.proc, 'router');
          t.deepEqual(parseRouterLine(parsed), r, `${era} ${format} ${code ?? 'info'} #${i}: ${line}`);
          n++;
        }
      }
    }
  }
  t.is(n, 2 * 2 * (1 + ROUTER_CODES.length) * 4);
});

test('2013 lines write neither request_id nor protocol, and parse them back empty', (t) => {
  const line = logLine(T0, 'heroku', 'router', routerMessage(INFO, 'heroku-2013'), 'plain');
  const r = parseRouterLine(parseLogLine(line));
  t.is(r.requestId, '');
  t.is(r.protocol, '');
  t.is(r.queue, 0);
  t.is(r.waitMs, 0);
  t.false('queue' in parseRouterLine(parseLogLine(logLine(T0, 'heroku', 'router', routerMessage(INFO, 'heroku-2025'), 'plain'))));
});

// ---------------------------------------------------------------------------------------
// line frames

test('plain lines are heroku logs output', (t) => {
  t.is(logLine(T0, 'heroku', 'router', 'at=info', 'plain', 'x'), '2013-03-01T00:00:01.000123+00:00 heroku[router]: at=info');
  t.is(logLine(T0, 'app', 'web.1', 'Started GET "/"', 'plain'), '2013-03-01T00:00:01.000123+00:00 app[web.1]: Started GET "/"');
  t.throws(() => logLine(T0, 'app', 'web.1', 'two\nlines', 'plain'), { instanceOf: RangeError });
});

test('drain frames are octet-counted RFC 5424 with Logplex priorities', (t) => {
  const router = logLine(T0, 'heroku', 'router', 'at=info method=GET', 'drain');
  t.is(router, '80 <158>1 2013-03-01T00:00:01.000123+00:00 host heroku router - at=info method=GET');
  t.is(utf8Length(router.slice(router.indexOf(' ') + 1)) + 1, 80);
  t.regex(logLine(T0, 'heroku', 'web.1', say.cycling(), 'drain'), /^\d+ <45>1 \S+ host heroku web\.1 - Cycling$/);
  t.regex(logLine(T0, 'app', 'web.2', 'hello', 'drain'), /^\d+ <190>1 \S+ host app web\.2 - hello$/);
  // The count is in bytes, not characters.
  const unicode = logLine(T0, 'app', 'web.1', 'café ☕ 😀', 'drain');
  const frame = unicode.slice(unicode.indexOf(' ') + 1);
  t.is(Number(unicode.slice(0, unicode.indexOf(' '))), Buffer.byteLength(frame, 'utf8') + 1);
  t.deepEqual(parseLogLine(unicode), { epochUs: T0, source: 'app', proc: 'web.1', message: 'café ☕ 😀' });
  // A real frame of 2016, byte for byte.
  t.is(
    logLine(parseLogTime('2016-10-15T08:59:08.723822+00:00'), 'heroku', 'web.1', say.stateChanged('up', 'down'), 'drain'),
    '89 <45>1 2016-10-15T08:59:08.723822+00:00 host heroku web.1 - State changed from up to down',
  );
});

test('lines of every kind round-trip through both formats', (t) => {
  const next = rng(5);
  for (const format of FORMATS) {
    for (let k = 0; k < 500; k++) {
      const epochUs = Math.floor(T0 + next() * 1e13);
      const source = next() < 0.5 ? 'heroku' : 'app';
      const proc = source === 'app' ? `web.${1 + Math.floor(next() * 9)}` : next() < 0.5 ? 'router' : 'web.1';
      const message = k % 7 === 0 ? '' : `message ${k} with "quotes", [brackets]: and ünïcödé ${next()}`;
      t.deepEqual(parseLogLine(logLine(epochUs, source, proc, message, format)), { epochUs, source, proc, message });
    }
  }
});

// ---------------------------------------------------------------------------------------
// real lines

test('real Heroku router lines parse', (t) => {
  const plain = (line: string) => parseRouterLine(parseLogLine(line));
  // Dev Center "How Heroku Works", 2013-02-11: a single fwd address left bare.
  const devCenter2013 = plain(
    '2013-02-11T15:19:10+00:00 heroku[router]: at=info method=GET path=/articles/custom-domains host=mydemoapp.heroku.com fwd=74.58.173.188 dyno=web.1 queue=0 wait=0ms connect=0ms service=1452ms status=200 bytes=5783',
  );
  t.deepEqual(devCenter2013, {
    epochUs: Date.UTC(2013, 1, 11, 15, 19, 10) * 1000,
    method: 'GET',
    path: '/articles/custom-domains',
    host: 'mydemoapp.heroku.com',
    requestId: '',
    fwd: '74.58.173.188',
    dyno: 'web.1',
    connectMs: 0,
    serviceMs: 1452,
    status: 200,
    bytes: 5783,
    protocol: '',
    code: null,
    queue: 0,
    waitMs: 0,
  });
  // An H10 of 2013-02-17, as pasted in an issue.
  const h10 = plain(
    '2013-02-17T20:29:29+00:00 heroku[router]: at=error code=H10 desc="App crashed" method=GET path=/ host=calm-taiga-3864.herokuapp.com fwd="50.0.42.114" dyno= queue= wait= connect= service= status=503 bytes=',
  );
  t.like(h10, { code: 'H10', dyno: null, connectMs: null, serviceMs: null, status: 503, bytes: null, queue: null, waitMs: null, fwd: '50.0.42.114' });
  // Dev Center error codes: a -07:00 offset and H12 at 30001 ms.
  t.like(
    plain(
      '2010-10-06T21:51:37-07:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/" host=myapp.herokuapp.com fwd=17.17.17.17 dyno=web.1 connect=6ms service=30001ms status=503 bytes=0',
    ),
    { epochUs: Date.UTC(2010, 9, 7, 4, 51, 37) * 1000, code: 'H12', connectMs: 6, serviceMs: 30_001, bytes: 0 },
  );
  t.like(
    plain(
      '2019-03-29T15:47:27.622578+00:00 heroku[router]: at=error code=H14 desc="No web processes running" method=GET path="/" host=enrollyork.herokuapp.com request_id=bcd52fb1-df16-4bbb-8c51-55f19df2c3c0 fwd="199.212.64.77" dyno= connect= service= status=503 bytes= protocol=https',
    ),
    { code: 'H14', requestId: 'bcd52fb1-df16-4bbb-8c51-55f19df2c3c0', dyno: null, bytes: null, protocol: 'https' },
  );
  // An H18 of 2019 with no request_id, fwd or dyno at all.
  t.like(
    plain(
      '2019-01-15T18:01:00.369775+00:00 heroku[router]: sock=backend at=error code=H18 desc="Server Request Interrupted" method=POST path="/herokutest" host=node-upload-test.herokuapp.com connect=0ms service=139ms status=503 bytes=287 protocol=http',
    ),
    { code: 'H18', sock: 'backend', method: 'POST', requestId: '', fwd: '', dyno: null, serviceMs: 139, bytes: 287 },
  );
  // Router 2.0 (2024), with fields dynosim ignores.
  t.like(
    plain(
      '2024-04-26T16:58:32.943253+00:00 heroku[router]: at=info method=GET path="/" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3',
    ),
    { code: null, protocol: 'http2.0', fwd: '138.68.186.89', serviceMs: 0 },
  );
  // Today's HTTPS drain frame (count recomputed for the line as shown).
  t.like(
    parseRouterLine(
      parseLogLine(
        '283 <158>1 2021-03-01T19:04:19.887695+00:00 host heroku router - at=info method=POST path="/api/v1/events/smartcam" host=ratatoskr.mobility46.se request_id=5599e09a-f8e3-4ed9-8be8-6883ce842cf2 fwd="157.230.107.240" dyno=web.1 connect=0ms service=97ms status=200 bytes=140 protocol=https',
      ),
    ),
    { epochUs: parseLogTime('2021-03-01T19:04:19.887695Z'), path: '/api/v1/events/smartcam', serviceMs: 97, bytes: 140 },
  );
  // A syslog drain of 2013: HOSTNAME is the drain token, "-" for structured data, and the
  // Labs request_id of the time (32 hex digits).
  t.like(
    parseRouterLine(
      parseLogLine(
        '303 <158>1 2013-03-21T22:55:51+00:00 d.de02fad5-ca75-4863-8d0a-de58404f9225 heroku router - - at=info method=GET path=/ host=fs-home-test.herokuapp.com request_id=755159ef5cfc715185a43e664d0be6c8 fwd="216.49.181.254, 204.9.229.1" dyno=web.1 queue=0 wait=0ms connect=1ms service=364ms status=200 bytes=20946',
      ),
    ),
    { requestId: '755159ef5cfc715185a43e664d0be6c8', fwd: '216.49.181.254, 204.9.229.1', queue: 0, serviceMs: 364 },
  );
});

test('real dyno manager, runtime metrics and app lines parse', (t) => {
  const msg = (line: string) => parseLogLine(line).message;
  t.is(
    msg('2013-11-30T00:07:12.750407+00:00 heroku[web.1]: Error R12 (Exit timeout) -> At least one process failed to exit within 10 seconds of SIGTERM'),
    say.r12(10),
  );
  t.is(msg('2013-11-30T00:07:12.750525+00:00 heroku[web.1]: Stopping remaining processes with SIGKILL'), say.stoppingSigkill());
  t.is(msg('2013-11-30T00:07:14.835687+00:00 heroku[web.1]: Process exited with status 137'), say.processExited(137));
  t.is(
    msg('2021-02-07T03:44:26.158480+00:00 heroku[web.1]: Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch'),
    say.r10(60),
  );
  t.is(msg('2024-05-16T04:46:28.345690+00:00 heroku[web.1]: Stopping process with SIGKILL'), say.stoppingProcessSigkill());
  t.is(msg('2022-10-21T17:30:10.331805+00:00 heroku[web.1]: Process running mem=516M(100.9%)'), say.processRunningMem(516, 100.9));
  t.is(msg('2022-10-21T17:30:10.394663+00:00 heroku[web.1]: Error R14 (Memory quota exceeded)'), say.r14());
  t.is(msg('2022-11-23T12:41:49.558523+00:00 heroku[web.1]: Error R15 (Memory quota vastly exceeded)'), say.r15());
  t.is(msg('2023-07-17T01:07:08.240966+00:00 heroku[web.1]: Cycling'), say.cycling());
  t.is(msg('2023-07-17T01:07:08.243343+00:00 heroku[web.1]: State changed from up to starting'), say.stateChanged('up', 'starting'));
  t.is(msg('2023-07-17T01:07:08.929743+00:00 heroku[web.1]: Stopping all processes with SIGTERM'), say.stoppingAll());
  t.is(msg('2017-03-20T01:24:10.810508+00:00 heroku[web.1]: Restarting'), say.restarting());
  t.is(
    msg('2014-07-02T21:56:13.073295+00:00 heroku[web.1]: Starting process with command `bundle exec thin start -R config.ru -e production -p 22275`'),
    say.startingProcess('bundle exec thin start -R config.ru -e production -p 22275'),
  );
  t.deepEqual(
    parseLogLine('2012-12-05T18:41:32+00:00 app[web.2]: 187.49.232.46 - - [05/Dec/2012 18:41:32] "GET / HTTP/1.1" 200 301 10.0029'),
    {
      epochUs: Date.UTC(2012, 11, 5, 18, 41, 32) * 1000,
      source: 'app',
      proc: 'web.2',
      message: '187.49.232.46 - - [05/Dec/2012 18:41:32] "GET / HTTP/1.1" 200 301 10.0029',
    },
  );
  t.like(parseLogLine('2019-04-30T21:11:41.308061+00:00 app[api]: Scaled to web@1:Free by user someone@example.com'), { source: 'app', proc: 'api' });
  t.is(parseLogLine('2012-06-06T16:40:26+00:00 app[web.2]:').message, '');
  // Drain frames whose counts are Logplex's own (bytes + newline).
  t.deepEqual(parseLogLine('89 <45>1 2016-10-15T08:59:08.723822+00:00 host heroku web.1 - State changed from up to down'), {
    epochUs: parseLogTime('2016-10-15T08:59:08.723822Z'),
    source: 'heroku',
    proc: 'web.1',
    message: 'State changed from up to down',
  });
  t.like(parseLogLine('83 <40>1 2012-11-30T06:45:29+00:00 host app web.3 - State changed from starting to up'), {
    source: 'app',
    proc: 'web.3',
    message: 'State changed from starting to up',
  });
  t.like(
    parseLogLine('129 <45>1 2013-10-17T22:42:36.286887+00:00 d.e286334a-c080-4b5c-90ae-e1a771408904 heroku web.26 - - Process running mem=512M(100.1%)'),
    { source: 'heroku', proc: 'web.26', message: 'Process running mem=512M(100.1%)' },
  );
  t.like(
    parseLogLine('120 <40>1 2012-11-30T06:45:29+00:00 heroku web.3 d.73ea7440-270a-435a-a0ea-adf50b4e5f5a - State changed from starting to up'),
    { source: 'heroku', proc: 'web.3', message: 'State changed from starting to up' },
  );
  const memory = parseLogLine(
    '334 <45>1 2016-08-19T11:23:01.581780+00:00 host heroku web.1 - source=web.1 dyno=heroku.54241834.4b88c98d-6243-4194-af49-8db9b53be371 sample#memory_total=154.85MB sample#memory_rss=139.79MB sample#memory_cache=3.63MB sample#memory_swap=11.43MB sample#memory_pgpgin=80522pages sample#memory_pgpgout=53004pages sample#memory_quota=512.00MB',
  );
  t.like({ ...parseFields(memory.message) }, {
    source: 'web.1',
    dyno: 'heroku.54241834.4b88c98d-6243-4194-af49-8db9b53be371',
    'sample#memory_total': '154.85MB',
    'sample#memory_quota': '512.00MB',
  });
});

// ---------------------------------------------------------------------------------------
// junk

test('junk lines throw LogParseError with a useful one-line reason', (t) => {
  const cases: ReadonlyArray<[string, RegExp]> = [
    ['', /expected "<timestamp> <source>\[<process>\]: <message>"/],
    ['hello world', /got "hello world"/],
    ['2013-03-01T00:00:01+00:00 heroku[router] at=info', /expected "<timestamp>/],
    ['2013-13-01T00:00:01+00:00 heroku[router]: at=info', /month 13 out of range/],
    ['2013-03-01T00:00:01+00:00 web[router]: at=info', /unknown source "web"/],
    ['99 <158>1 2013-03-01T00:00:01+00:00 host heroku router - at=info', /octet count 99 does not match the frame's 61 bytes \(62 with its newline\)/],
    ['62 <158>2 2013-03-01T00:00:01+00:00 host heroku router - at=info', /syslog version 2 is not 1/],
    ['62 <999>1 2013-03-01T00:00:01+00:00 host heroku router - at=info', /priority <999> out of range/],
    ['12 <158>1 garbage', /expected a drain frame/],
    ['63 <158>1 2013-03-01T00:00:01+00:00 host someone router - at=info', /unknown source "someone"/],
    ['x'.repeat(500), /…"$/],
  ];
  for (const [line, reason] of cases) {
    const e = t.throws(() => parseLogLine(line), { instanceOf: LogParseError }, line);
    t.regex(e.reason, reason, line);
    t.false(e.reason.includes('\n'));
    t.true(e.reason.length < 200, 'the reason stays short even for long lines');
  }
});

test('junk router messages throw LogParseError naming the field', (t) => {
  const base = 'at=info method=GET path=/ host=a.herokuapp.com fwd="1.2.3.4" dyno=web.1 connect=1ms service=2ms status=200 bytes=3';
  const router = (message: string) => parseRouterLine({ epochUs: T0, source: 'heroku', proc: 'router', message });
  t.notThrows(() => router(base));
  const cases: ReadonlyArray<[string, RegExp]> = [
    ['GET www.example.com/security dyno=web.2 queue=0 wait=0ms service=36ms status=200 bytes=3002', /no at= field/],
    [base.replace('at=info', 'at=warn'), /at=warn, expected info or error/],
    [base.replace('at=info', 'at=error'), /at=error but no code=/],
    [base.replace('at=info', 'at=error code=H15 desc="Idle connection"'), /router code "H15" is not one dynosim models \(H10, H11/],
    [base.replace('at=info', 'at=info code=H80 desc="Maintenance mode"'), /"H80" is not one dynosim models/],
    [base.replace(' path=/', ''), /no path= field/],
    [base.replace(' status=200', ''), /no status= field/],
    [base.replace('status=200', 'status='), /empty status=/],
    [base.replace('connect=1ms', 'connect=fast'), /connect= expects whole milliseconds like 12ms, got "fast"/],
    [base.replace('bytes=3', 'bytes=-3'), /bytes= expects a whole number, got "-3"/],
    [base.replace('fwd="1.2.3.4"', 'fwd="1.2.3.4'), /unterminated quoted value for fwd=/],
    [`sock=elsewhere ${base}`, /sock= expects backend or client/],
  ];
  for (const [message, reason] of cases) {
    const e = t.throws(() => router(message), { instanceOf: LogParseError }, message);
    t.regex(e.reason, reason, message);
  }
  const e = t.throws(() => parseRouterLine({ epochUs: T0, source: 'heroku', proc: 'web.1', message: base }), { instanceOf: LogParseError });
  t.is(e.reason, 'not a router line: it comes from heroku[web.1]');
});

test('parseFields reads key=value and key="quoted value"', (t) => {
  t.deepEqual(
    { ...parseFields('at=error code=H12 desc="Request timeout" fwd="1.2.3.4, 5.6.7.8" dyno= connect= service=30000ms bare word x="a"b" y="" =z') },
    {
      at: 'error',
      code: 'H12',
      desc: 'Request timeout',
      fwd: '1.2.3.4, 5.6.7.8',
      dyno: '',
      connect: '',
      service: '30000ms',
      x: 'a"b',
      y: '',
    },
  );
  t.deepEqual({ ...parseFields('') }, {});
  t.deepEqual({ ...parseFields('  a=1   b=2  ') }, { a: '1', b: '2' });
  t.deepEqual({ ...parseFields('a=1 a=2') }, { a: '2' });
  t.is(Object.getPrototypeOf(parseFields('__proto__=x')), null);
});

// ---------------------------------------------------------------------------------------
// lifecycle and metrics messages

test('dyno manager messages use Heroku’s wording', (t) => {
  t.is(say.stateChanged('starting', 'up'), 'State changed from starting to up');
  t.is(say.processExited(143), 'Process exited with status 143');
  t.is(say.stoppingAll(), 'Stopping all processes with SIGTERM');
  t.is(say.stoppingSigkill(), 'Stopping remaining processes with SIGKILL');
  t.is(say.stoppingProcessSigkill(), 'Stopping process with SIGKILL');
  t.is(say.cycling(), 'Cycling');
  t.is(say.restarting(), 'Restarting');
  t.is(say.startingProcess('bundle exec puma'), 'Starting process with command `bundle exec puma`');
  t.is(say.r10(60), 'Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch');
  t.is(say.r12(30), 'Error R12 (Exit timeout) -> At least one process failed to exit within 30 seconds of SIGTERM');
  t.is(say.r14(), 'Error R14 (Memory quota exceeded)');
  t.is(say.r15(), 'Error R15 (Memory quota vastly exceeded)');
  t.is(say.processRunningMem(528.4, 103.26), 'Process running mem=528M(103.3%)');
});

test('runtime metrics samples', (t) => {
  const dyno = 'heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456';
  t.is(
    say.loadMessage('web.1', dyno, 2.46, 1.06, 0.99),
    `source=web.1 dyno=${dyno} sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99`,
  );
  const memory = { totalMb: 21, rssMb: 21.22, cacheMb: 0, swapMb: 0, pgpgin: 348836, pgpgout: 343403 };
  t.is(
    say.memoryMessage('web.1', dyno, { ...memory, quotaMb: 512 }),
    `source=web.1 dyno=${dyno} sample#memory_total=21.00MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB`,
  );
  t.false(say.memoryMessage('web.1', dyno, memory).includes('memory_quota'));
  t.is(say.loadMessage('web.1', dyno, 0.005, 0, 1), `source=web.1 dyno=${dyno} sample#load_avg_1m=0.01 sample#load_avg_5m=0.00 sample#load_avg_15m=1.00`);
});

// ---------------------------------------------------------------------------------------
// LineBuffer

test('LineBuffer writes lines in (time, insertion) order, stable over a shuffled input', (t) => {
  const next = rng(99);
  const n = 20_000;
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(Math.floor(next() * 500)); // many equal times
  const buffer = new LineBuffer();
  times.forEach((time, i) => buffer.add(time, `${time} #${i}`));
  t.is(buffer.size, n);
  const expected = times
    .map((time, i) => ({ time, i }))
    .sort((a, b) => a.time - b.time || a.i - b.i)
    .map((x) => `${x.time} #${x.i}`);
  const chunks: string[] = [];
  buffer.flushThrough(-1, (text) => chunks.push(text));
  t.deepEqual(chunks, [], 'no call when nothing is due');
  buffer.flushThrough(249, (text) => chunks.push(text));
  t.is(chunks.length, 1, 'one call per flush');
  const due = expected.filter((line) => Number(line.split(' ')[0]) <= 249);
  t.is(chunks[0], `${due.join('\n')}\n`);
  t.is(buffer.size, n - due.length);
  buffer.flushAll((text) => chunks.push(text));
  t.is(chunks.length, 2);
  t.is(chunks.join(''), `${expected.join('\n')}\n`);
  t.is(buffer.size, 0);
  buffer.flushAll(() => t.fail('an empty buffer writes nothing'));
});

test('LineBuffer interleaves adds and flushes as a simulation does', (t) => {
  const next = rng(7);
  const buffer = new LineBuffer();
  const out: string[] = [];
  const all: Array<{ time: number; i: number }> = [];
  let now = 0;
  for (let i = 0; i < 5000; i++) {
    now += Math.floor(next() * 3);
    // A line learned now may belong up to 30 units in the past or the future.
    const time = now + Math.floor(next() * 60) - 30;
    all.push({ time, i });
    buffer.add(time, `${time} #${i}`);
    if (i % 50 === 49) buffer.flushThrough(now - 31, (text) => out.push(text));
  }
  buffer.flushAll((text) => out.push(text));
  const expected = all.sort((a, b) => a.time - b.time || a.i - b.i).map((x) => `${x.time} #${x.i}`);
  t.is(out.join(''), `${expected.join('\n')}\n`);
  t.throws(() => buffer.add(Number.NaN, 'x'), { instanceOf: RangeError });
});
