/**
 * Bounded reading of every file a user gives dynosim (issue 19): scenario files, replayed
 * logs and CSVs, logs to fit, files of service-time samples, shard files. Each has a
 * longest line and, when it is read whole, a largest size; a file that breaks one (a line
 * of 100 kB, NUL bytes without a line break, as /dev/zero gives) ends the command in
 * bounded time with one line naming the file, exit status 2, and nothing written. And a
 * replayed log out of order by hours is replayed in full, its late lines counted and
 * reported on stderr. Every case runs the command as a user would.
 */
import test from 'ava';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, ROOT, type CliResult } from './helpers/cli.ts';
import { FileLimitError, formatBytes, KIB, MAX_LINE_BYTES, MIB, readTextFile } from '../src/engine/files.ts';
import { LineReader } from '../src/model/traffic/replay/lines.ts';
import { SAMPLE_FILE_LIMITS, SCENARIO_FILE_LIMITS } from '../src/scenario/load.ts';
import { SHARD_FILE_LIMITS } from '../src/studies/sweep/shard.ts';
import { formatLogTime, parseLogTime } from '../src/model/logs/timestamp.ts';

const SHIPPED_LOG = join(ROOT, 'scenarios/replay/router.log');
const REPLAY_SCENARIO = join(ROOT, 'scenarios/replay/on-two-dynos.yaml');
/** Long enough for a file without line breaks to be read to its end: a bounded read refuses it after one chunk. */
const QUICK_MS = 20_000;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-reading-'));
}

/** A file of NUL bytes without a line break, a little over `limit` bytes. */
function zeros(dir: string, name: string, limit: number): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(limit + 100));
  return path;
}

/** A file of the shipped log's first lines with one line of 100 kB at line `at`. */
function withLongLine(dir: string, name: string, at: number): string {
  const lines = readFileSync(SHIPPED_LOG, 'utf8').split('\n').slice(0, 40);
  lines.splice(at - 1, 0, `2025-06-03T14:00:01.000000+00:00 app[web.1]: ${'x'.repeat(100_000)}`);
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The command ended with status 2 and one line on stderr, quickly. */
function refused(t: import('ava').ExecutionContext, r: CliResult & { ms: number }, line: string): void {
  t.is(r.status, 2, r.stderr);
  t.is(r.stderr, `${line}\n`);
  t.false(r.stderr.includes('    at '), 'no stack trace');
  t.true(r.ms < QUICK_MS, `took ${r.ms} ms`);
}

function timed(args: readonly string[], cwd?: string): CliResult & { ms: number } {
  const t0 = performance.now();
  const r = dynosim(args, cwd);
  return { ...r, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------
// the readers

test('readTextFile reads a file whole within its limits, and refuses one past them saying how', (t) => {
  const dir = scratch();
  const ok = join(dir, 'ok.txt');
  writeFileSync(ok, 'ab\r\ncde\n\nfgh');
  t.is(readTextFile(ok, { maxBytes: 12, maxLineBytes: 3 }), 'ab\r\ncde\n\nfgh'); // 12 bytes; a \r counts in its line
  t.throws(() => readTextFile(ok, { maxBytes: 11, maxLineBytes: 3 }), { instanceOf: FileLimitError, message: 'is larger than 11 bytes' });
  t.throws(() => readTextFile(ok, { maxBytes: 100, maxLineBytes: 2 }), { instanceOf: FileLimitError, message: 'line 1 is longer than 2 bytes' });
  writeFileSync(ok, 'ab\ncde\n');
  t.throws(() => readTextFile(ok, { maxBytes: 100, maxLineBytes: 2 }), { instanceOf: FileLimitError, message: 'line 2 is longer than 2 bytes' });
  const last = join(dir, 'last.txt');
  writeFileSync(last, 'a\nb\nccccc');
  t.throws(() => readTextFile(last, { maxBytes: 100, maxLineBytes: 4 }), { message: 'line 3 is longer than 4 bytes' });
  // A line longer than a chunk of the reader, and the size limit met exactly.
  const big = join(dir, 'big.txt');
  writeFileSync(big, `${'y'.repeat(3 * MIB)}\n`);
  t.is(readTextFile(big, { maxBytes: 3 * MIB + 1, maxLineBytes: 3 * MIB }).length, 3 * MIB + 1);
  t.throws(() => readTextFile(big, { maxBytes: 3 * MIB + 1, maxLineBytes: 3 * MIB - 1 }), { message: `line 1 is longer than ${3 * MIB - 1} bytes` });
  t.throws(() => readTextFile(join(dir, 'none.txt'), SCENARIO_FILE_LIMITS), { code: 'ENOENT' });
  t.throws(() => readTextFile(dir, SCENARIO_FILE_LIMITS), { code: 'EISDIR' });
});

test('LineReader hands out lines up to the limit at every read size, and refuses a longer one by its number', (t) => {
  const dir = scratch();
  const path = join(dir, 'lines.txt');
  writeFileSync(path, `a\n${'b'.repeat(10)}\r\n${'c'.repeat(9)}\n\n${'d'.repeat(10)}`);
  for (const chunkBytes of [1, 2, 3, 7, 64]) {
    const fd = openSync(path, 'r');
    const r = new LineReader(fd, { chunkBytes, maxLineBytes: 11 });
    const got: string[] = [];
    for (let l = r.next(); l !== null; l = r.next()) got.push(l);
    t.deepEqual(got, ['a', 'b'.repeat(10), 'c'.repeat(9), '', 'd'.repeat(10)], `read ${chunkBytes} at a time`);
    closeSync(fd);
    const fd2 = openSync(path, 'r');
    const short = new LineReader(fd2, { chunkBytes, maxLineBytes: 9 });
    t.is(short.next(), 'a');
    t.throws(() => short.next(), { instanceOf: FileLimitError, message: 'line 2 is longer than 9 bytes' });
    closeSync(fd2);
  }
  // The last line, without a newline, past the limit.
  const end = join(dir, 'end.txt');
  writeFileSync(end, 'a\nbbbbbbbbbb');
  const fd = openSync(end, 'r');
  const r = new LineReader(fd, { chunkBytes: 4, maxLineBytes: 9 });
  t.is(r.next(), 'a');
  t.throws(() => r.next(), { message: 'line 2 is longer than 9 bytes' });
  closeSync(fd);
});

test('the limits are the documented ones, in docs/commands.md', (t) => {
  t.is(MAX_LINE_BYTES, 64 * KIB);
  t.deepEqual(SCENARIO_FILE_LIMITS, { maxBytes: 16 * MIB, maxLineBytes: 1 * MIB });
  t.deepEqual(SAMPLE_FILE_LIMITS, { maxBytes: 64 * MIB, maxLineBytes: MAX_LINE_BYTES });
  t.deepEqual(SHARD_FILE_LIMITS, { maxBytes: 256 * MIB, maxLineBytes: 16 * MIB });
  const docs = readFileSync(join(ROOT, 'docs/commands.md'), 'utf8');
  t.true(docs.includes('\n### Files dynosim reads\n'));
  const section = docs.slice(docs.indexOf('\n### Files dynosim reads\n'));
  const row = (what: string, limits: string): void => void t.true(new RegExp(`\\| ${what} .*\\| ${limits} \\|`).test(section), `${what}: ${limits}`);
  row('scenario files', `${formatBytes(SCENARIO_FILE_LIMITS.maxBytes)} \\| ${formatBytes(SCENARIO_FILE_LIMITS.maxLineBytes)}`);
  row('service-time samples', `${formatBytes(SAMPLE_FILE_LIMITS.maxBytes)} \\| ${formatBytes(SAMPLE_FILE_LIMITS.maxLineBytes)}`);
  row('shard files', `${formatBytes(SHARD_FILE_LIMITS.maxBytes)} \\| ${formatBytes(SHARD_FILE_LIMITS.maxLineBytes)}`);
  row('replayed logs and CSVs', `no limit \\| ${formatBytes(MAX_LINE_BYTES)}`);
  row('logs to fit', `no limit \\| ${formatBytes(MAX_LINE_BYTES)}`);
});

// ---------------------------------------------------------------------------------------
// each command, as a user meets it

test('fit: a log with a 100 kB line, and NUL bytes without a line break, end with one line and status 2, no scenario written', (t) => {
  const dir = scratch();
  withLongLine(dir, 'long.log', 7);
  refused(t, timed(['fit', 'long.log', '-o', 'long.yaml'], dir), 'dynosim: long.log: line 7 is longer than 65536 bytes (is it a router log?)');
  zeros(dir, 'zeros.log', MAX_LINE_BYTES);
  refused(t, timed(['fit', 'zeros.log', '-o', 'zeros.yaml'], dir), 'dynosim: zeros.log: line 1 is longer than 65536 bytes (is it a router log?)');
  t.deepEqual(readdirSync(dir).sort(), ['long.log', 'zeros.log']);
});

test('replay: a file without line breaks is refused when the scenario is checked, with the field and the file named', (t) => {
  const dir = scratch();
  const path = zeros(dir, 'zeros.log', MAX_LINE_BYTES);
  const out = join(dir, 'out');
  const r = timed(['run', REPLAY_SCENARIO, '--set', `traffic.replay=${path}`, '--out', out, '--no-charts']);
  refused(t, r, `on-two-dynos.yaml: traffic.replay: ${path}: line 1 is longer than 65536 bytes (is it a router log or a CSV of requests?)`);
  t.false(existsSync(out));
  refused(t, timed(['validate', REPLAY_SCENARIO, '--set', `traffic.replay=${path}`]), r.stderr.trimEnd());
});

test('replay: a line too long deep in the log ends the run with one line and status 2, and no results', (t) => {
  const dir = scratch();
  const lines = readFileSync(SHIPPED_LOG, 'utf8').split('\n');
  lines.splice(5000, 0, 'x'.repeat(70_000));
  const path = join(dir, 'router.log');
  writeFileSync(path, lines.join('\n'));
  const out = join(dir, 'out');
  refused(t, timed(['run', REPLAY_SCENARIO, '--set', `traffic.replay=${path}`, '--out', out, '--no-charts']), `dynosim: ${path}: line 5001 is longer than 65536 bytes (is it a router log or a CSV of requests?)`);
  t.false(existsSync(out));
});

test('scenario files: NUL bytes without a line break, and a file over 16 MiB, end with one line naming the file', (t) => {
  const dir = scratch();
  zeros(dir, 'zeros.yaml', SCENARIO_FILE_LIMITS.maxLineBytes);
  refused(t, timed(['validate', 'zeros.yaml'], dir), 'zeros.yaml: line 1 is longer than 1048576 bytes (is it a scenario file?)');
  refused(t, timed(['run', 'zeros.yaml', '--out', 'out'], dir), 'zeros.yaml: line 1 is longer than 1048576 bytes (is it a scenario file?)');
  const fd = openSync(join(dir, 'huge.yaml'), 'w');
  const comment = Buffer.from(`# ${'-'.repeat(1021)}\n`);
  for (let i = 0; i <= SCENARIO_FILE_LIMITS.maxBytes / comment.length; i++) writeSync(fd, comment);
  closeSync(fd);
  refused(t, timed(['validate', 'huge.yaml'], dir), 'huge.yaml: is larger than 16 MiB (is it a scenario file?)');
  t.false(existsSync(join(dir, 'out')));
});

test('service-time samples: a 100 kB line, and NUL bytes without a line break, are a problem of the field naming the file', (t) => {
  const dir = scratch();
  const scenario = (file: string): string => {
    const path = join(dir, `${file}.yaml`);
    writeFileSync(path, `name: samples\nduration: 1m\nformation:\n  web: { count: 1, size: standard-1x }\ntraffic:\n  rate: 1/s\n  service: { distribution: empirical, file: ${file} }\n`);
    return path;
  };
  writeFileSync(join(dir, 'long.csv'), `service_ms\n12\n${'7'.repeat(100_000)}\n`);
  refused(t, timed(['validate', scenario('long.csv')]), 'long.csv.yaml: traffic.service.file: long.csv: line 3 is longer than 65536 bytes (is it a CSV of service times?)');
  zeros(dir, 'zeros.csv', MAX_LINE_BYTES);
  refused(t, timed(['run', scenario('zeros.csv'), '--out', join(dir, 'out')]), 'zeros.csv.yaml: traffic.service.file: zeros.csv: line 1 is longer than 65536 bytes (is it a CSV of service times?)');
  t.false(existsSync(join(dir, 'out')));
});

test('merge: a shard file of NUL bytes without a line break ends with one line naming it', (t) => {
  const dir = scratch();
  zeros(dir, 'shard-1-of-2.json', SHARD_FILE_LIMITS.maxLineBytes);
  refused(t, timed(['merge', 'shard-1-of-2.json', '--out', 'merged'], dir), 'dynosim: shard-1-of-2.json: line 1 is longer than 16777216 bytes (is it a shard file?)');
  t.false(existsSync(join(dir, 'merged')));
});

// ---------------------------------------------------------------------------------------
// a log out of order by hours

test('replay: the shipped log with every 6th line 3 h early replays every request in order, counts the moved ones, and says so on stderr', (t) => {
  const dir = scratch();
  const lines = readFileSync(SHIPPED_LOG, 'utf8').split('\n');
  let moved = 0;
  const text = lines
    .map((line, i) => {
      const m = /^(\S+)( heroku\[router\]: at=\S+ method=.*status=\d.*)$/.exec(line);
      if (i % 6 !== 0 || m === null) return line;
      let us: number;
      try {
        us = parseLogTime(m[1]!);
      } catch {
        return line;
      }
      moved++;
      return `${formatLogTime(us - 3 * 3_600_000_000)}${m[2]}`;
    })
    .join('\n');
  writeFileSync(join(dir, 'moved.log'), text);
  const out = join(dir, 'out');
  const r = dynosim(['run', REPLAY_SCENARIO, '--set', `traffic.replay=${join(dir, 'moved.log')}`, '--out', out, '--no-charts', '--json']);
  t.is(r.status, 0, r.stderr);
  const replay = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).replay;
  const whole = JSON.parse(readFileSync(join(ROOT, 'results/replay-on-two-dynos/summary.json'), 'utf8')).replay;
  t.true(moved > 1500, `${moved} lines moved`);
  t.is(replay.start, whole.start);
  t.is(replay.used, whole.used - moved);
  t.is(replay.outOfOrder + replay.beforeStart, moved);
  t.is(replay.lines, whole.lines);
  t.is(replay.lines, replay.used + replay.malformed + replay.skipped + replay.outOfOrder + replay.beforeStart + replay.beyondEnd);
  t.is(
    r.stderr,
    `${join(dir, 'moved.log')}: ${replay.outOfOrder.toLocaleString('en-US')} lines out of order beyond the 90s reorder window were skipped (see summary.json replay.outOfOrder)\n`,
  );
  // The readable summary says it too; --quiet says nothing.
  const readable = dynosim(['run', REPLAY_SCENARIO, '--set', `traffic.replay=${join(dir, 'moved.log')}`, '--out', join(dir, 'out2'), '--no-charts']);
  t.regex(readable.stdout, /out of order \(skipped\)/);
  t.is(dynosim(['run', REPLAY_SCENARIO, '--set', `traffic.replay=${join(dir, 'moved.log')}`, '--out', join(dir, 'out3'), '--no-charts', '-q']).stderr, '');
});
