import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dynosim, ROOT, type CliResult } from './helpers/cli.ts';

const EXAMPLE = join(ROOT, 'scenarios/two-web-dynos.yaml');
const STEPPED_CLOCK = pathToFileURL(join(ROOT, 'test/helpers/steppedClock.ts')).href;
const FILES = ['charts', 'cost.csv', 'dynos.csv', 'events.csv', 'metrics.csv', 'report.html', 'run.json', 'summary.json', 'timeseries.csv'];
/** The charts of a run without a memory model, each as vega-lite, SVG and PNG. */
const CHARTS = ['cost-breakdown', 'cost-month', 'dyno-balance', 'dynos', 'errors', 'latency'];

/** Every file under a folder (run.json, the wall-clock file, aside), relative to it. */
function tree(dir: string, top = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? tree(join(dir, d.name), top) : d.name === 'run.json' ? [] : [join(dir, d.name).slice(top.length + 1)]))
    .sort();
}

/** Two results folders hold the same files, byte for byte (charts and PNGs included). */
function sameFiles(t: ExecutionContext, a: string, b: string): void {
  const files = tree(a);
  t.deepEqual(tree(b), files);
  t.true(files.includes('report.html') && files.some((f) => f.endsWith('.png')));
  for (const f of files) t.true(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs`);
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-test-'));
}

test('run writes every result file and the example costs $34.50', (t) => {
  const out = join(scratch(), 'r');
  const r = dynosim(['run', EXAMPLE, '--out', out, '--quiet']);
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, '');
  t.deepEqual(readdirSync(out).sort(), FILES);
  t.deepEqual(readdirSync(join(out, 'charts')).sort(), CHARTS.flatMap((c) => [`${c}.png`, `${c}.svg`, `${c}.vl.json`]));
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  for (const c of CHARTS) t.true(html.includes(`charts/${c}.svg`), `the report shows ${c}`);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  t.is(s.cost.totalUsd, 34.5);
  t.is(s.cost.dynoHours, 1440);
  t.is(s.cost.freeHours, 750);
  t.is(s.cost.billableHours, 690);
  t.is(s.requests.arrived, s.requests.completed + Object.values(s.requests.errors as Record<string, number>).reduce((a, b) => a + b, 0));
  // Two 1X dynos at 0.5 req/s each, 100 ms service: M/M/1 with response mean 1/(10 − 0.5) s.
  t.true(Math.abs(s.latency.meanMs - 105.26) < 1.5, `mean ${s.latency.meanMs}`);
  const series = readFileSync(join(out, 'timeseries.csv'), 'utf8').trimEnd().split('\n');
  t.is(series[0], 'minute,t_start_s,local_time,arrivals_count,completed_count,errors_H10_count,errors_H11_count,errors_H12_count,errors_H13_count,errors_H14_count,errors_H19_count,errors_H20_count,errors_H21_count,errors_H99_count,latency_p50_ms,latency_p95_ms,latency_p99_ms,queue_length_mean_count,busy_dynos_count,dynos_up_count');
  // A row per minute of the month, and one more when the last answers go out after the end.
  t.true(series.length - 1 === 43200 || series.length - 1 === 43201, `${series.length - 1} rows`);
  t.is(series[1]!.split(',')[0], '0');
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  t.true(run.requestsPerS > 0 && run.events >= run.requests);
});

test('the same scenario and seed give byte-identical files; another seed does not', (t) => {
  const base = scratch();
  const args = ['--set', 'duration=6h', '--quiet'];
  t.is(dynosim(['run', EXAMPLE, '--out', join(base, 'a'), ...args]).status, 0);
  t.is(dynosim(['run', EXAMPLE, '--out', join(base, 'b'), ...args]).status, 0);
  t.is(dynosim(['run', EXAMPLE, '--out', join(base, 'c'), '--seed', '8', ...args]).status, 0);
  sameFiles(t, join(base, 'a'), join(base, 'b'));
  t.not(readFileSync(join(base, 'a', 'summary.json'), 'utf8'), readFileSync(join(base, 'c', 'summary.json'), 'utf8'));
  t.not(readFileSync(join(base, 'a', 'timeseries.csv'), 'utf8'), readFileSync(join(base, 'c', 'timeseries.csv'), 'utf8'));
});

test('a run with platform faults and logs is byte-identical from run to run', (t) => {
  const base = scratch();
  const scenario = join(ROOT, 'scenarios', 'crash-loop-release.yaml');
  const args = ['--set', 'duration=1h40m', '--log-sample', '5%', '--quiet'];
  for (const k of ['a', 'b']) {
    t.is(dynosim(['run', scenario, '--out', join(base, k), '--logs', join(base, `${k}.log`), ...args]).status, 0);
  }
  sameFiles(t, join(base, 'a'), join(base, 'b'));
  const log = readFileSync(join(base, 'a.log'), 'utf8');
  t.is(log, readFileSync(join(base, 'b.log'), 'utf8'));
  t.true(log.includes('heroku[web.1]: State changed from starting to crashed') && log.includes('code=H10'));
  t.true(readFileSync(join(base, 'a', 'events.csv'), 'utf8').split('\n').length > 20);
});

/**
 * `dynosim` as a user runs it, with its clock stepped by test/helpers/steppedClock.ts: a
 * run of a few simulated minutes shows its bar, whatever the machine's speed.
 */
function dynosimSteppedClock(args: readonly string[]): CliResult {
  const before = process.env['NODE_OPTIONS'];
  process.env['NODE_OPTIONS'] = [before, `--import=${STEPPED_CLOCK}`].filter((o) => o !== undefined && o !== '').join(' ');
  try {
    return dynosim(args); // synchronous: no other test of this file runs with the option set
  } finally {
    if (before === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = before;
  }
}

// The frames' exact text, at chosen times, is test/progress.test.ts's: here, that the command draws them where it should.
test('a run longer than a second draws a progress bar on stderr with --progress, cleared at the end; none on a pipe by default, with --no-progress or with --quiet', (t) => {
  const base = scratch();
  const short = ['--set', 'duration=1h', '--no-png'];
  const shown = dynosimSteppedClock(['run', EXAMPLE, '--out', join(base, 'a'), '--progress', ...short]);
  t.is(shown.status, 0, shown.stderr);
  const frames = shown.stderr.split('\r\x1b[2K').filter((f) => f !== '');
  t.true(frames.length >= 1, shown.stderr);
  for (const f of frames) t.regex(f, /^two-web-dynos {2}\[[█░]+\] {2}\d+(h|m|h \d+m) of 1h {2}\d+% {2}\d+\.\d M requests\/s( · ETA \d+:\d\d)?$/);
  t.regex(frames.at(-1)!, / {2}1h of 1h {2}100% {2}\d+\.\d M requests\/s$/);
  t.true(shown.stderr.endsWith('\r\x1b[2K'));
  for (const [k, more] of [['b', []], ['c', ['--no-progress']], ['d', ['--progress', '--quiet']]] as const) {
    const r = dynosimSteppedClock(['run', EXAMPLE, '--out', join(base, k), ...more, ...short]);
    t.is(r.status, 0, r.stderr);
    t.is(r.stderr, '', more.join(' ') || 'on a pipe');
  }
});

test('a rerun replaces earlier results whole and leaves no hidden folder', (t) => {
  const base = scratch();
  const out = join(base, 'r');
  mkdirSync(out);
  writeFileSync(join(out, 'stale.txt'), 'old');
  t.is(dynosim(['run', EXAMPLE, '--out', out, '--set', 'duration=1h', '--quiet']).status, 0);
  t.deepEqual(readdirSync(out).sort(), FILES);
  t.deepEqual(readdirSync(base), ['r']);
});

test('a rerun keeps the folders other commands wrote inside the results (compare/, plan/, sweep/)', (t) => {
  const base = scratch();
  const out = join(base, 'r');
  mkdirSync(join(out, 'compare'), { recursive: true });
  writeFileSync(join(out, 'compare', 'compare.csv'), 'kept');
  writeFileSync(join(out, 'stale.txt'), 'old');
  t.is(dynosim(['run', EXAMPLE, '--out', out, '--set', 'duration=1h', '--quiet']).status, 0);
  t.deepEqual(readdirSync(out).sort(), [...FILES, 'compare'].sort());
  t.is(readFileSync(join(out, 'compare', 'compare.csv'), 'utf8'), 'kept');
  t.deepEqual(readdirSync(base), ['r']);
});

test('bad input keeps earlier results intact and writes nothing', (t) => {
  const base = scratch();
  const out = join(base, 'r');
  mkdirSync(out);
  writeFileSync(join(out, 'summary.json'), '{"earlier": true}');
  const r = dynosim(['run', EXAMPLE, '--out', out, '--set', 'formation.web.count=two']);
  t.is(r.status, 2);
  t.is(r.stderr, 'two-web-dynos.yaml: formation.web.count: expected a whole number, got "two"\n');
  t.is(readFileSync(join(out, 'summary.json'), 'utf8'), '{"earlier": true}');
  t.deepEqual(readdirSync(base), ['r']);
});

test('--json prints the summary; --set and --seed change the run', (t) => {
  const out = join(scratch(), 'r');
  const r = dynosim(['run', EXAMPLE, '--out', out, '--json', '--seed', '11', '--set', 'duration=2h', '--set', 'formation.web.count=3']);
  t.is(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  t.is(s.scenario.seed, 11);
  t.is(s.scenario.durationS, 7200);
  t.is(s.dynos.web.count, 3);
  t.is(r.stdout, readFileSync(join(out, 'summary.json'), 'utf8'));
});

test('the readable summary labels every figure with its unit', (t) => {
  const r = dynosim(['run', EXAMPLE, '--out', join(scratch(), 'r'), '--set', 'duration=1h']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^ +mean +p50 +p95 +p99 +p99\.9 +max$/m);
  t.regex(r.stdout, /^latency( +[\d.]+ m?s){6}$/m);
  t.regex(r.stdout, /^queue +[\d.]+ m?s +[\d.]+ m?s +[\d.]+ m?s +[\d.]+% of requests waited$/m);
  t.regex(r.stdout, /^dynos +web +2 × 1X +concurrency 1 +[\d.]+% busy$/m);
  t.regex(r.stdout, /^cost\s+[\d.]+ dyno-hours \([\d.]+ h free, 1X-equivalent; [\d.]+ h billable\) · bill \$[\d.]+(?: · |\n +)\$34\.50 a month$/m);
  // The figures of the latency table line up under their headers (right-aligned).
  const lines = r.stdout.split('\n');
  const header = lines.find((l) => /^ +mean +p50/.test(l))!;
  const latency = lines.find((l) => l.startsWith('latency '))!;
  t.is(latency.length, header.length);
});

const BAD: Array<[string, string, string[]]> = [
  ['wrong types, an unknown field and a size of the other era, all reported at once', [
    'name: broken', 'duration: 30', 'formation:', '  web: { count: two, size: 1X, concurency: 1 }',
    'router: { policy: smart }', 'traffic: { rate: 1/s, service: { distribution: exponential, mean: 100ms } }',
  ].join('\n'), [
    'broken.yaml: duration: expected a duration with a unit (250ms, 30s, 10m, 2h, 30d), got 30',
    'broken.yaml: formation.web.count: expected a whole number, got "two"',
    'broken.yaml: formation.web.size: expected a size of heroku-2025 (eco, basic, standard-1x, standard-2x, performance-m, performance-l, performance-l-ram, performance-xl, performance-2xl), got "1X" (a size of heroku-2013)',
    'broken.yaml: formation.web.concurency: unknown field (did you mean concurrency?)',
    'broken.yaml: router.policy: expected one of random, round-robin, least-connections, power-of-two, power-of-d, shared-queue, got "smart"',
  ]],
  ['a unit that does not parse', 'name: b\nduration: 1h\nwarmup: 10 minutes\nformation: { web: { count: 1, size: 1X } }\nplatform: heroku-2013\ntraffic: { rate: 1/fortnight, service: { distribution: constant, value: 5 parsecs } }', [
    'broken.yaml: warmup: expected a duration with a unit (250ms, 30s, 10m, 2h, 30d) or auto, got "10 minutes"',
    'broken.yaml: traffic.rate: expected a rate such as 150/s, 9000/min or 2/h, got "1/fortnight"',
    'broken.yaml: traffic.service.value: expected a duration with a unit (250ms, 30s, 10m, 2h, 30d), got "5 parsecs"',
  ]],
  ['a size the platform does not have, an unknown profile', 'name: b\nduration: 1h\nplatform: heroku-2099\nformation: { web: { count: 1, size: 1X } }\ntraffic: { rate: 1/s, service: { distribution: exponential, mean: 1s } }', [
    'broken.yaml: platform: expected one of heroku-2013, heroku-2025, got "heroku-2099"',
  ]],
  ['a size of the other era', 'name: b\nduration: 1h\nplatform: heroku-2025\nformation: { web: { count: 1, size: 1X } }\ntraffic: { rate: 1/s, service: { distribution: exponential, mean: 1s } }', [
    'broken.yaml: formation.web.size: expected a size of heroku-2025 (eco, basic, standard-1x, standard-2x, performance-m, performance-l, performance-l-ram, performance-xl, performance-2xl), got "1X" (a size of heroku-2013)',
  ]],
  ['an unknown distribution', 'name: b\nduration: 1h\nformation: { web: { count: 1, size: basic } }\ntraffic: { rate: 1/s, service: { distribution: gaussian, mean: 1s } }', [
    'broken.yaml: traffic.service.distribution: expected distribution to be one of constant, exponential, lognormal, weibull, empirical, got "gaussian"',
  ]],
  ['a log-normal over- and under-specified', 'name: b\nduration: 1h\nformation: { web: { count: 1, size: basic } }\ntraffic: { rate: 1/s, service: { distribution: lognormal, mean: 1s, median: 1s } }', [
    'broken.yaml: traffic.service: give exactly one of mean or median',
    'broken.yaml: traffic.service: give exactly one of sigma or p99',
  ]],
  ['a rate expression with an unknown name', 'name: b\nduration: 1h\nformation: { web: { count: 1, size: basic } }\ntraffic: { rate: "10 + foo*t", service: { distribution: exponential, mean: 1s } }', [
    'broken.yaml: traffic.rate: unknown variable foo in the rate expression "10 + foo*t" (the variables are t, minute, hour, day; units are written as in 30 min or 100/min)',
  ]],
  ['a warm-up as long as the run, a missing field', 'name: b\nduration: 1h\nwarmup: 2h\nformation: { web: { count: 1, size: basic } }', [
    'broken.yaml: warmup: expected a warm-up shorter than the duration',
    'broken.yaml: traffic: missing (web dynos need traffic: give traffic, or scale web to count: 0)',
  ]],
  ['an empirical file that is not there', 'name: b\nduration: 1h\nformation: { web: { count: 1, size: basic } }\ntraffic: { rate: 1/s, service: { distribution: empirical, file: nowhere.csv } }', [
    'broken.yaml: traffic.service.file: no such file: nowhere.csv',
  ]],
  ['YAML that does not parse', 'name: b\n  duration: 1h\n', [
    'broken.yaml: not valid YAML or JSON: Nested mappings are not allowed in compact mappings at line 1, column 7',
  ]],
  ['not a mapping', '- 1\n- 2\n', [
    'broken.yaml: expected a mapping of fields (name, duration, formation, traffic, ...)',
  ]],
];

for (const [what, yaml, expected] of BAD) {
  test(`bad input: ${what}`, (t) => {
    const dir = scratch();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, yaml);
    const out = join(dir, 'out');
    const r = dynosim(['run', file, '--out', out]);
    t.is(r.status, 2);
    t.is(r.stdout, '');
    t.deepEqual(r.stderr.trimEnd().split('\n'), expected);
    t.false(existsSync(out));
    t.notRegex(r.stderr, /\bat .*\.ts:\d+/, 'no stack trace');
  });
}

test('a missing scenario file is one line and exit 2', (t) => {
  const r = dynosim(['run', 'no/such/scenario.yaml']);
  t.is(r.status, 2);
  t.is(r.stderr, 'no/such/scenario.yaml: no such file\n');
});

test('bad options exit 2 with a hint', (t) => {
  for (const args of [['run'], ['run', EXAMPLE, '--seed', 'x'], ['frobnicate'], ['run', EXAMPLE, '--nope']]) {
    const r = dynosim(args);
    t.is(r.status, 2, args.join(' '));
    t.regex(r.stderr, /^error: .*\n(\(Did you mean [^)]*\?\)\n)?\(run with --help for usage\)\n$/);
  }
});

test('--help on every subcommand, --version', (t) => {
  for (const cmd of ['run', 'validate', 'schema']) {
    const r = dynosim([cmd, '--help']);
    t.is(r.status, 0);
    t.regex(r.stdout, new RegExp(`^Usage: dynosim ${cmd}`));
  }
  // --version or -V alone is answered before the commands load; beside anything else commander answers it: the same line.
  const version = `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`;
  for (const args of [['--version'], ['-V'], ['--version', '--no-color']]) {
    const v = dynosim(args);
    t.is(v.status, 0, args.join(' '));
    t.is(v.stdout, version, args.join(' '));
  }
});

test('schema exports a JSON Schema that knows the fields', (t) => {
  const r = dynosim(['schema']);
  t.is(r.status, 0);
  const schema = JSON.parse(r.stdout);
  t.is(schema.type, 'object');
  t.false(schema.additionalProperties);
  t.deepEqual(Object.keys(schema.properties.formation.additionalProperties.properties).sort(), ['command', 'concurrency', 'count', 'cpuBound', 'crashRate', 'memory', 'preboot', 'queue', 'size']);
  t.truthy(schema.properties.duration.pattern);
});

test('validate accepts every shipped scenario', (t) => {
  for (const f of ['two-web-dynos.yaml', 'random-vs-shared-queue/random.yaml', 'random-vs-shared-queue/shared-queue.yaml',
    'unicorn-workers/concurrency-1.yaml', 'unicorn-workers/concurrency-2.yaml', 'unicorn-workers/concurrency-4.yaml',
    'requests-outlive-30s.yaml', 'bench/canonical.yaml', 'web-and-workers.yaml', 'nightly-jobs.yaml']) {
    const r = dynosim(['validate', join(ROOT, 'scenarios', f)]);
    t.is(r.status, 0, `${f}: ${r.stderr}`);
  }
});
