/**
 * Validation as a user meets it: every independent problem of a file in one run, in the
 * order of the file's fields, checks that span fields made wherever the fields they read
 * are good; "did you mean" for a word dynosim nearly knows; a web of no dynos needs no size.
 */
import test from 'ava';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, type CliResult } from './helpers/cli.ts';
import { didYouMean, editDistance, nearest } from '../src/engine/suggest.ts';

const SIX = `name: six
platform: heroku-2013
duration: 1h
formation:
  web: { count: 2, size: Standard-2X, concurency: 4 }
router: { policy: randm }
traffic:
  rate: 200rps
  service: { distribution: exponentail, mean: 100ms }
warmup: 2h
`;

const SIX_PROBLEMS = [
  'six.yaml: formation.web.size: expected a size of heroku-2013 (1X, 2X, PX), got "Standard-2X" (standard-2x is a size of heroku-2025)',
  'six.yaml: formation.web.concurency: unknown field (did you mean concurrency?)',
  'six.yaml: router.policy: expected one of random, round-robin, least-connections, power-of-two, power-of-d, shared-queue, got "randm" (did you mean random?)',
  'six.yaml: traffic.rate: unknown variable rps in the rate expression "200rps" (the variables are t, minute, hour, day; units are written as in 30 min or 100/min)',
  'six.yaml: traffic.service.distribution: expected distribution to be one of constant, exponential, lognormal, weibull, empirical, got "exponentail" (did you mean exponential?)',
  'six.yaml: warmup: expected a warm-up shorter than the duration',
];

/** Writes `text` as `name` in a folder of its own and runs `dynosim validate` on it. */
function validate(text: string, name = 'six.yaml', extra: readonly string[] = []): CliResult {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-validate-'));
  writeFileSync(join(dir, name), text);
  return dynosim(['validate', name, ...extra], dir);
}

/** The problem lines of a validation that must fail: exit 2, nothing on stdout. */
function problems(t: import('ava').ExecutionContext, r: CliResult): string[] {
  t.is(r.status, 2, r.stderr);
  t.is(r.stdout, '');
  return r.stderr.trimEnd().split('\n');
}

test('six mistakes in six fields are six lines of one run, in the order of the file', (t) => {
  t.deepEqual(problems(t, validate(SIX)), SIX_PROBLEMS);
});

test('run reports the same six lines, exit 2, and writes nothing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-validate-'));
  writeFileSync(join(dir, 'six.yaml'), SIX);
  const r = dynosim(['run', 'six.yaml', '--out', 'out'], dir);
  t.deepEqual(problems(t, r), SIX_PROBLEMS);
  t.false(existsSync(join(dir, 'out')));
});

test('the order is the file\'s: the same mistakes written in another order come in that order', (t) => {
  const reordered = ['name: six', 'warmup: 2h', 'traffic:', '  service: { distribution: exponentail, mean: 100ms }', '  rate: 200rps', 'router: { policy: randm }', 'formation:', '  web: { concurency: 4, size: Standard-2X, count: 2 }', 'duration: 1h', 'platform: heroku-2013', ''].join('\n');
  const lines = problems(t, validate(reordered));
  const field = (l: string): string => l.split(': ')[1]!;
  t.deepEqual(lines.map(field), ['warmup', 'traffic.service.distribution', 'traffic.rate', 'router.policy', 'formation.web.concurency', 'formation.web.size']);
  t.deepEqual([...lines].sort(), [...SIX_PROBLEMS].sort());
});

test('a check across fields is made when the fields it reads are good, and skipped when one has a problem', (t) => {
  const base = (over: string): string =>
    `name: x\nduration: 1h\nplatform: heroku-2013\nformation:\n  web: { count: 1, size: 1X }\ntraffic:\n  rate: 1/s\n  service: { distribution: exponential, mean: 100ms }\n${over}`;
  // The duration is wrong: the warm-up cannot be held against it.
  t.deepEqual(problems(t, validate(base('warmup: 2h\n').replace('duration: 1h', 'duration: an hour'), 'x.yaml')), [
    'x.yaml: duration: expected a duration with a unit (250ms, 30s, 10m, 2h, 30d), got "an hour"',
  ]);
  // The profile is wrong: a size cannot be looked up in it.
  t.deepEqual(problems(t, validate(base('').replace('heroku-2013', 'heroku-2099').replace('1X', 'Standard-2X'), 'x.yaml')), [
    'x.yaml: platform: expected one of heroku-2013, heroku-2025, got "heroku-2099"',
  ]);
  // The policy is wrong: whether choices applies to it is not known.
  t.deepEqual(problems(t, validate(base('router: { policy: smart, choices: 3 }\n'), 'x.yaml')), [
    'x.yaml: router.policy: expected one of random, round-robin, least-connections, power-of-two, power-of-d, shared-queue, got "smart"',
  ]);
  // The policy is good: choices is checked against it, beside a wrong field elsewhere.
  t.deepEqual(problems(t, validate(base('router: { policy: random, choices: 3 }\nseed: -1\n'), 'x.yaml')), [
    'x.yaml: router.choices: choices applies to policy power-of-d only, not random',
    'x.yaml: seed: expected a whole number of at least 0, got -1',
  ]);
});

test('problems a resolver finds come with the schema\'s: an event past the end beside an unknown field', (t) => {
  const text = [
    'name: x', 'duration: 1h', 'platform: heroku-2013',
    'formation:', '  web: { count: 2, size: 1X }',
    'traffic: { rate: 1/s, service: { distribution: constant, value: 10ms }, rateStpe: 1s }',
    'events:', '  - { at: 30m, crash: web.3 }', '  - { at: 2h, restart: web }',
  ].join('\n');
  t.deepEqual(problems(t, validate(text, 'x.yaml')), [
    'x.yaml: traffic.rateStpe: unknown field (did you mean rateStep?)',
    'x.yaml: events.0.crash: expected one of the web dynos web.1 to web.2, got "web.3"',
    'x.yaml: events.1.at: expected a time before the end of the run (duration 1h)',
  ]);
});

test('did you mean: sizes by case on either profile, and the other profile\'s sizes named', (t) => {
  const sized = (platform: string, size: string): string =>
    `name: x\nduration: 1h\nplatform: ${platform}\nformation:\n  web: { count: 1, size: ${size} }\ntraffic: { rate: 1/s, service: { distribution: exponential, mean: 1s } }\n`;
  const size2025 = 'eco, basic, standard-1x, standard-2x, performance-m, performance-l, performance-l-ram, performance-xl, performance-2xl';
  t.deepEqual(problems(t, validate(sized('heroku-2025', 'Standard-2X'), 'x.yaml')), [
    `x.yaml: formation.web.size: expected a size of heroku-2025 (${size2025}), got "Standard-2X" (did you mean standard-2x?)`,
  ]);
  t.deepEqual(problems(t, validate(sized('heroku-2025', 'standard-2'), 'x.yaml')), [
    `x.yaml: formation.web.size: expected a size of heroku-2025 (${size2025}), got "standard-2" (did you mean standard-2x?)`,
  ]);
  t.deepEqual(problems(t, validate(sized('heroku-2013', '2x'), 'x.yaml')), [
    'x.yaml: formation.web.size: expected a size of heroku-2013 (1X, 2X, PX), got "2x" (did you mean 2X?)',
  ]);
  t.deepEqual(problems(t, validate(sized('heroku-2013', 'standard-2x'), 'x.yaml')), [
    'x.yaml: formation.web.size: expected a size of heroku-2013 (1X, 2X, PX), got "standard-2x" (a size of heroku-2025)',
  ]);
});

test('did you mean: distributions, policies, strategies, variables and functions of rate expressions', (t) => {
  const file = (traffic: string, more = ''): string =>
    `name: x\nduration: 1h\nplatform: heroku-2013\nformation:\n  web: { count: 1, size: 1X }\ntraffic: ${traffic}\n${more}`;
  t.deepEqual(problems(t, validate(file('{ rate: 1/s, service: { distribution: lognromal, mean: 1s, sigma: 1 } }'), 'x.yaml')), [
    'x.yaml: traffic.service.distribution: expected distribution to be one of constant, exponential, lognormal, weibull, empirical, got "lognromal" (did you mean lognormal?)',
  ]);
  t.deepEqual(problems(t, validate(file('{ rate: 1/s, service: { distribution: constant, value: 1s } }', 'router: { policy: least-connection }\n'), 'x.yaml')), [
    'x.yaml: router.policy: expected one of random, round-robin, least-connections, power-of-two, power-of-d, shared-queue, got "least-connection" (did you mean least-connections?)',
  ]);
  t.deepEqual(problems(t, validate(file('{ rate: 1/s, service: { distribution: constant, value: 1s } }', 'scaling:\n  web: { strategy: queue-tme, up: 100ms, down: 10ms, min: 1, max: 2 }\n'), 'x.yaml')), [
    'x.yaml: scaling.web.strategy: expected strategy to be one of fixed, schedule, heroku-autoscale, queue-time, got "queue-tme" (did you mean queue-time?)',
  ]);
  t.deepEqual(problems(t, validate(file('{ rate: "5 + 2 * sin(minut)", service: { distribution: constant, value: 1s } }'), 'x.yaml')), [
    'x.yaml: traffic.rate: unknown variable minut in the rate expression "5 + 2 * sin(minut)" (did you mean minute?) (the variables are t, minute, hour, day; units are written as in 30 min or 100/min)',
  ]);
  const r = problems(t, validate(file('{ rate: "diurnl(1/s, 5/s)", service: { distribution: constant, value: 1s } }'), 'x.yaml'));
  t.is(r.length, 1);
  t.regex(r[0]!, /^x\.yaml: traffic\.rate: unknown function diurnl in the rate expression "diurnl\(1\/s, 5\/s\)" \(did you mean diurnal\?\) \(helpers: /);
});

test('did you mean: an unknown field given by --set, and no guess between two as near', (t) => {
  const good = 'name: x\nduration: 1h\nplatform: heroku-2013\nformation:\n  web: { count: 1, size: 1X }\ntraffic: { rate: 1/s, service: { distribution: constant, value: 1s } }\n';
  t.deepEqual(problems(t, validate(good, 'x.yaml', ['--set', 'formation.web.concurency=4'])), ['x.yaml: formation.web.concurency: unknown field (did you mean concurrency?)']);
  // heroku-2099 is as near to heroku-2013 as to heroku-2025.
  t.deepEqual(problems(t, validate(good.replace('heroku-2013', 'heroku-2099'), 'x.yaml')), ['x.yaml: platform: expected one of heroku-2013, heroku-2025, got "heroku-2099"']);
});

test('suggestions: a case-only difference first, then the nearest within a third of the word', (t) => {
  t.is(editDistance('exponentail', 'exponential'), 1, 'a swap of neighbours is one edit');
  t.is(editDistance('', 'abc'), 3);
  t.is(editDistance('kitten', 'sitting'), 3);
  t.is(nearest('STANDARD-2X', ['standard-1x', 'standard-2x']), 'standard-2x');
  t.is(nearest('concurency', ['count', 'size', 'concurrency']), 'concurrency');
  t.is(nearest('rps', ['t', 'minute', 'hour', 'day']), undefined);
  t.is(nearest('zzzzzz', ['random']), undefined);
  t.is(didYouMean('randm', ['random', 'round-robin']), ' (did you mean random?)');
  t.is(didYouMean(7, ['random']), '');
});

test('web with count 0 needs no size: a jobs-only scenario validates and runs', (t) => {
  const text = [
    'name: jobs-only', 'platform: heroku-2025', 'duration: 10m',
    'formation:', '  web: { count: 0 }', '  worker: { count: 1, size: standard-1x }',
    'jobs:', '  - { queue: default, rate: 1/s, run: { distribution: exponential, mean: 200ms } }', '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-validate-'));
  writeFileSync(join(dir, 'jobs.yaml'), text);
  const v = dynosim(['validate', 'jobs.yaml'], dir);
  t.is(v.status, 0, v.stderr);
  t.is(v.stdout, 'jobs.yaml: ok (jobs-only, heroku-2025, no web dynos)\n');
  const r = dynosim(['run', 'jobs.yaml', '--out', 'out', '-q', '--no-charts'], dir);
  t.is(r.status, 0, r.stderr);
  t.true(existsSync(join(dir, 'out', 'summary.json')));
});

test('a type that does run dynos still needs its size, from its count or a scale event', (t) => {
  const file = (web: string, more = ''): string =>
    `name: x\nduration: 1h\nformation:\n  web: ${web}\ntraffic: { rate: 1/s, service: { distribution: constant, value: 1s } }\n${more}`;
  t.deepEqual(problems(t, validate(file('{ count: 2 }'), 'x.yaml')), ['x.yaml: formation.web.size: missing (this field is required: web runs dynos)']);
  t.deepEqual(problems(t, validate(file('{ count: 0 }', 'events:\n  - { at: 10m, scale: { web: 2 } }\n'), 'x.yaml')), ['x.yaml: formation.web.size: missing (this field is required: web runs dynos)']);
});
